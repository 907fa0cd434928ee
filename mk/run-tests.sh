#!/bin/sh
# run-tests.sh NAME RESULTS_DIR RUNNER PROGRAM...: run cmocka test programs
# (through RUNNER, e.g. qemu-user, when cross-built), print one line per
# program, and record "passed failed skipped" in RESULTS_DIR/NAME.  Exits 1
# when any test failed or any program crashed.
set -u
name=$1 results=$2 runner=$3
shift 3
mkdir -p "$results"
log=$results/$name.log
: > "$log"
tp=0 tf=0 ts=0 bad=0
for t in "$@"; do
	out=$( $runner "$t" 2>&1 ); rc=$?
	printf '%s\n' "$out" >> "$log"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	s=$(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0} f=${f:-0} s=${s:-0}
	if [ $rc -ne 0 ] && [ "$f" = 0 ]; then
		f=1   # crashed, or a sanitizer stopped it: count the program as failed
	fi
	[ $rc -ne 0 ] && bad=1
	status=ok; [ $rc -ne 0 ] && status=FAIL
	printf '  %-4s %-44s %3s passed %3s failed %3s skipped\n' "$status" "${t##*/tests/unit/}" "$p" "$f" "$s"
	if [ $rc -ne 0 ]; then printf '%s\n' "$out" | grep -E 'FAILED|ERROR|error|Sanitizer|runtime error' | head -20 | sed 's/^/        /'; fi
	tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
done
echo "$tp $tf $ts" > "$results/$name"
echo "$name: $tp passed, $tf failed, $ts skipped"
exit $bad
