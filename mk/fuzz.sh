#!/bin/sh
# fuzz.sh replay|run BUILD_ROOT SECONDS TARGET...
#   replay: run every seed of tests/fuzz/corpus/<name>/ once, then fuzz each
#           target for SECONDS (the short run `make check` does);
#   run:    fuzz each target for SECONDS, new inputs kept under BUILD_ROOT.
# Records "passed failed skipped" (one per target) in BUILD_ROOT/results/fuzz.
set -u
mode=$1 root=$2 secs=$3
shift 3
mkdir -p "$root/results" "$root/fuzz-work"
pass=0 fail=0
for t in "$@"; do
	name=${t##*/fuzz_}
	seeds=tests/fuzz/corpus/$name
	work=$root/fuzz-work/$name
	mkdir -p "$work" "$seeds"
	log=$root/fuzz-work/$name.log
	ok=1
	nseeds=$(find "$seeds" -type f | wc -l)
	if [ "$mode" = replay ] && [ "$nseeds" -gt 0 ]; then
		find "$seeds" -type f -print0 | xargs -0 "$t" -runs=1 > "$log.replay" 2>&1 || ok=0
	fi
	if [ $ok = 1 ]; then
		"$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
			"$work" "$seeds" > "$log" 2>&1 || ok=0
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" 2>/dev/null | tail -1)
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		printf '  ok   fuzz_%-20s %4s seeds replayed, %s executions in %ss\n' "$name" "$nseeds" "${execs:-0}" "$secs"
	else
		fail=$((fail + 1))
		printf '  FAIL fuzz_%-20s see %s\n' "$name" "$log"
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" "$log.replay" 2>/dev/null | head -5 | sed 's/^/        /'
	fi
done
echo "$pass $fail 0" > "$root/results/fuzz"
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
