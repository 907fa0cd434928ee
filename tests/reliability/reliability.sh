#!/bin/sh
# reliability.sh BUILD_ROOT FUZZ_SECONDS POWERCUTS SOAK_CYCLES VALGRIND_CYCLES "FAULT SCENARIOS"
# (`make reliability`, tests/reliability/reliability.mk): runs every part for real and prints
# ONE table, each row from this run's own output:
#   fuzz      each libFuzzer target for FUZZ_SECONDS: executions (libFuzzer's final stats),
#             crashes / sanitizer reports (its exit status and report lines)
#   fault     each fault scenario through the ATP runner: PASS / FAIL / SKIP
#   powercut  kill -9 of eued (and of ecmd + eued: the whole device) at random instants of a
#             provisioning, restart, provisions again,
#             nvram read back (tests/reliability/powercut.sh); kill -9 of an nvram writer
#   soak      SOAK_CYCLES re-provisionings: eued's fds, VmRSS, timers after the 2nd and the last;
#             VALGRIND_CYCLES of them under valgrind memcheck (errors and definite leaks)
# A part set to 0 is skipped (its row says so).  Exit status 1 when any row failed.
# Everything is written under BUILD_ROOT/reliability/ (logs, new fuzz inputs, ATP artefacts).
set -u
root=$1 secs=$2 cuts=$3 soak=$4 vgsoak=$5 faults=$6
src=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/reliability
rows=$out/rows.txt
mkdir -p "$out"
: > "$rows"
row() {  # area | item | figure | result
	printf '%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" >> "$rows"
	printf 'reliability: %-9s %-34s %-58s %s\n' "$1" "$2" "$3" "$4"
}
# fuzz targets that did not build this time (reliability.mk: make -k fuzz-build) are never
# fuzzed from an older binary: `make -q` says which are not up to date
nobuild=""
if [ "$(cat "$out/fuzz-build.rc" 2>/dev/null || echo 0)" != 0 ]; then
	for t in "$src"/tests/fuzz/fuzz_*.c; do
		b=$root/host-fuzz/fuzz/$(basename "$t" .c)
		(cd "$src" && make -q --no-print-directory BOARD=host VARIANT=fuzz "$b" >/dev/null 2>&1) ||
			nobuild="$nobuild $(basename "$t" .c)"
	done
fi
# the host build (daemons, provsrv, nvramcheck): without it the lab parts are not run
hostbuild=ok
if [ "$(cat "$out/build.rc" 2>/dev/null || echo 0)" != 0 ]; then
	hostbuild=$(grep -m1 -E 'error|Error' "$out/build.log" | cut -c1-60)
	row build "host: daemons, provsrv, nvramcheck" "does not build: ${hostbuild:-see build.log}" FAIL
fi
t_start=$(date +%s)

# ---------------------------------------------------------------- fuzzing
fuzz_total=0 fuzz_crash=0 fuzz_n=0
if [ "$secs" -gt 0 ] 2>/dev/null; then
	if [ "$(cat "$out/fuzz-build.rc" 2>/dev/null || echo 0)" != 0 ]; then
		err=$(grep -m1 -E 'error:|undefined reference' "$out/fuzz-build.log" | cut -c1-60)
		nb=$(echo $nobuild | wc -w)
		row fuzz "build ($nb targets not fuzzed)" "does not build: ${err:-see fuzz-build.log}" FAIL
	fi
	for t in "$root"/host-fuzz/fuzz/fuzz_*; do
		[ -x "$t" ] || continue
		name=${t##*/fuzz_}
		case " $nobuild " in *" fuzz_$name "*) continue ;; esac
		work=$out/fuzz/$name
		mkdir -p "$work" "$src/tests/fuzz/corpus/$name"
		log=$out/fuzz/$name.log
		"$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
			-artifact_prefix="$out/fuzz/$name-" "$work" "$src/tests/fuzz/corpus/$name" > "$log" 2>&1
		rc=$?
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		reports=$(grep -cE '^==[0-9]+==ERROR|runtime error:|^SUMMARY: |deadly signal|Test unit written' "$log")
		fuzz_n=$((fuzz_n + 1))
		fuzz_total=$((fuzz_total + ${execs:-0}))
		if [ $rc -eq 0 ] && [ "$reports" -eq 0 ] && [ -n "$execs" ]; then
			row fuzz "fuzz_$name" "${execs} execs in ${secs} s, 0 crashes, 0 sanitizer reports" ok
		else
			fuzz_crash=$((fuzz_crash + 1))
			row fuzz "fuzz_$name" "${execs:-?} execs, exit $rc, $reports report lines: $log" FAIL
		fi
	done
	if [ $fuzz_n -eq 0 ] && [ -z "$nobuild" ]; then
		row fuzz "all targets" "no target built under $root/host-fuzz/fuzz (make fuzz-build)" FAIL
	elif [ $fuzz_n -gt 0 ]; then
		row fuzz "all $fuzz_n targets" "$fuzz_total executions, $fuzz_crash targets with a finding" \
			"$([ $fuzz_crash -eq 0 ] && echo ok || echo FAIL)"
	fi
else
	row fuzz "all targets" "skipped (FUZZ_SECONDS=0)" skip
fi

# ---------------------------------------------------------------- fault scenarios (ATP)
if [ "$hostbuild" != ok ]; then
	row fault "fault scenarios" "not run: the host build failed" FAIL
elif [ -n "$faults" ]; then
	names=""
	for f in $faults; do
		for p in "$src"/tests/atp/scenarios/$f.scn; do
			[ -f "$p" ] && names="$names $(basename "$p" .scn)"
		done
	done
	rm -rf "$out/atp-faults"
	# shellcheck disable=SC2086
	# ATP_RELIABILITY=1: the scenarios left to chance (fault-cmts-loss, fault-cmts-loss-delay) run here, not in make check
	ATP_RELIABILITY=1 python3 "$src/tests/atp/atp.py" --out "$out/atp-faults" $names > "$out/faults.log" 2>&1
	np=0 nf=0 ns=0
	for n in $names; do
		st=$(sed -n "s/^\(PASS\|FAIL\|SKIP\)  $n  *.*/\1/p" "$out/faults.log" | tail -n 1)
		# FAIL: the reason is on the next line; SKIP: on its own line, after the name
		why=$(grep -A1 -E "^FAIL  $n " "$out/faults.log" | sed -n '2s/^ *//p' | cut -c1-58)
		[ "$st" = SKIP ] && why=$(sed -n "s/^SKIP  $n  *//p" "$out/faults.log" | tail -n 1 | cut -c1-70)
		# a daemon or helper that died of a signal of its own (SIGILL, SIGABRT: sanitizers and
		# assert, SIGBUS, SIGFPE, SIGSEGV) instead of the runner's SIGTERM/SIGKILL
		crash=$(grep -cE '^\[rc -(4|6|7|8|11)\]' "$out/atp-faults/$n/steps.log" 2>/dev/null)
		crash=${crash:-0}
		[ "$crash" -gt 0 ] && st=FAIL why="$crash processes died of a signal (steps.log)"
		case $st in
		PASS) np=$((np + 1)); row fault "$n" "ends as the scenario specifies, 0 crashes" ok ;;
		SKIP) ns=$((ns + 1)); row fault "$n" "${why:-skipped}" skip ;;
		*) nf=$((nf + 1)); row fault "$n" "${why:-no result line} (faults.log)" FAIL ;;
		esac
	done
	row fault "all fault scenarios" "$np passed, $nf failed, $ns skipped" "$([ $nf -eq 0 ] && echo ok || echo FAIL)"
fi

# ---------------------------------------------------------------- power cuts
if [ "$hostbuild" != ok ]; then
	row powercut "power cuts" "not run: the host build failed" FAIL
elif [ "$cuts" -gt 0 ] 2>/dev/null; then
	# eued: eued alone is cut (ecmd runs on); device: ecmd and eued together, a real power cut
	for what in eued device; do
	for flow in ${RELIABILITY_POWERCUT_FLOWS:-hybrid2 secure}; do
		case $flow in
		secure) knobs="LAB_IP_PREF4=1 LAB_EUE_PRINC=mta/203.0.113.101" ;;
		*) knobs="LAB_EUE_REALM=HYBRID.2 LAB_IP_PREF4=1" ;;
		esac
		case $what in eued) who=eued ;; *) who="ecmd+eued" ;; esac
		# shellcheck disable=SC2086
		env $knobs LAB_EUE_STATIC=0 LAB_QUIET=1 "$src/tests/lab/lab.sh" run \
			sh "$src/tests/reliability/powercut.sh" "$what" "$cuts" "$out/powercut-$what-$flow" "$flow" \
			> "$out/powercut-$what-$flow.log" 2>&1
		rc=$?
		line=$(sed -n "s/^powercut-$what: $flow: //p" "$out/powercut-$what-$flow.log" | tail -n 1)
		if [ $rc -eq 0 ] && [ -n "$line" ]; then
			row powercut "$who kill -9, $flow provisioning" "$line" ok
		else
			row powercut "$who kill -9, $flow provisioning" "${line:-no result} (exit $rc, powercut-$what-$flow.log)" FAIL
		fi
	done
	done
	sh "$src/tests/reliability/powercut.sh" nvram "$cuts" "$out/powercut-nvram" > "$out/powercut-nvram.log" 2>&1
	rc=$?
	line=$(sed -n 's/^powercut-nvram: //p' "$out/powercut-nvram.log" | tail -n 1)
	row powercut "nvram writer kill -9 mid-put" "${line:-no result (powercut-nvram.log)}" \
		"$([ $rc -eq 0 ] && [ -n "$line" ] && echo ok || echo FAIL)"
else
	row powercut "eued kill -9 during provisioning" "skipped (RELIABILITY_POWERCUTS=0)" skip
fi

# ---------------------------------------------------------------- soak
# The scenario is generated from tests/reliability/soak.scn.in (the short soak of make check,
# tests/atp/scenarios/soak-hybrid2-ipv4-resets.scn, stays at 30 cycles).
soak_run() {  # name cycles eued-wrapper stop timeout trigger(eue|ecm) ecmd-wrapper
	d=$out/scn-$1
	rm -rf "$d" "$out/atp-$1"
	mkdir -p "$d"
	# @NATIVE@ lines only when eued runs natively: under valgrind its VmRSS is valgrind's
	# (memcheck's freed-block queue alone grows it by up to 20 MB); its leaks are counted instead
	if [ -n "$3" ]; then native='/^@NATIVE@/d'; else native='s/^@NATIVE@//'; fi
	sed -e "$native" -e "s|@CYCLES@|$2|g" -e "s|@WRAP@|$3|g" -e "s|@STOP@|$4|g" -e "s|@TIMEOUT@|$5|g" \
		-e "s|@TIMEOUT2@|$(($5 + 10))|g" -e "s|@TRIGGER@|$6|g" -e "s|@ECMWRAP@|${7:-}|g" \
		"$src/tests/reliability/soak.scn.in" > "$d/$1.scn"
	python3 "$src/tests/atp/atp.py" --dir "$d" --out "$out/atp-$1" "$1" > "$out/$1.log" 2>&1
}
soak_row() {  # name label
	log=$out/$1.log
	st=$(sed -n "s/^\(PASS\|FAIL\|SKIP\)  $1 .*/\1/p" "$log" | tail -n 1)
	grep -qE '^\[rc -(4|6|7|8|11)\]' "$out/atp-$1/$1/steps.log" 2>/dev/null && st=CRASH
	fig=$(cat "$out/atp-$1/$1/steps.log" 2>/dev/null | sed -n 's/^soak-figures //p' | tail -n 1)
	efig=$(cat "$out/atp-$1/$1/steps.log" 2>/dev/null | sed -n 's/^soak-ecmd-figures //p' | tail -n 1)
	set -- $(echo "$fig" | sed 's/[a-z-]*=\([^ ]*\)/\1/g; s/:/ /g')
	if [ -n "$fig" ]; then
		txt="eued fds $1->$2, VmRSS $3->$4 KiB, timers $5->$6, loop fds $7->$8"
	else
		txt="no figures"
	fi
	set -- $(echo "$efig" | sed 's/[a-z-]*=\([^ ]*\)/\1/g; s/:/ /g')
	[ -n "$efig" ] && txt="$txt; ecmd fds $1->$2, VmRSS $3->$4 KiB"
	echo "$st|$txt"
}
if [ "$hostbuild" != ok ]; then
	row soak "soak" "not run: the host build failed" FAIL
	vgsoak=0
elif [ "$soak" -gt 0 ] 2>/dev/null; then
	soak_run soak-reliability "$soak" "" "" $((soak * 6 + 60)) eue
	r=$(soak_row soak-reliability)
	row soak "$soak re-provisionings (ResetNow)" "${r#*|}" "$([ "${r%%|*}" = PASS ] && echo ok || echo FAIL)"
	# issue #9's own words: "eCM-triggered re-initialisation" (SIGHUP to ecmd, its operator reset)
	soak_run soak-ecm-reinit "$soak" "" "" $((soak * 8 + 60)) ecm
	r=$(soak_row soak-ecm-reinit)
	row soak "$soak re-provisionings (eCM re-init)" "${r#*|}" "$([ "${r%%|*}" = PASS ] && echo ok || echo FAIL)"
else
	row soak "re-provisionings" "skipped (RELIABILITY_SOAK=0)" skip
fi
if [ "$vgsoak" -gt 0 ] 2>/dev/null; then
	if command -v valgrind >/dev/null 2>&1; then
		vg='valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --num-callers=30 --log-file=$ATP_ART/valgrind.log'
		# both daemons under memcheck, the eCM re-initialising each cycle (its path and eued's
		# stop/start through the IPC); each writes its own log
		soak_run soak-valgrind "$vgsoak" "$vg" stop $((vgsoak * 120 + 240)) ecm \
			"$(echo "$vg" | sed 's/valgrind\.log/valgrind-ecmd.log/')"
		r=$(soak_row soak-valgrind)
		for who in eued ecmd; do
			vlog=$out/atp-soak-valgrind/soak-valgrind/valgrind.log
			[ $who = ecmd ] && vlog=$out/atp-soak-valgrind/soak-valgrind/valgrind-ecmd.log
			errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$vlog" 2>/dev/null | tail -n 1)
			lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$vlog" 2>/dev/null | tail -n 1)
			res=FAIL
			[ "${r%%|*}" = PASS ] && [ "${errs:-x}" = 0 ] && res=ok
			fds=$(echo "${r#*|}" | sed -n "s/.*$who \(fds [0-9]*->[0-9]*\).*/\1/p")
			row soak "$vgsoak eCM re-inits, $who under memcheck" "${errs:-?} errors, definitely lost ${lost:-0} B, ${fds:-no figures}" "$res"
		done
	else
		row soak "under valgrind memcheck" "valgrind not installed" FAIL
	fi
fi

# ---------------------------------------------------------------- the table
t_end=$(date +%s)
echo
echo "== make reliability: $(date -u '+%Y-%m-%d %H:%M UTC'), $(( (t_end - t_start) / 60 )) min; logs under $out"
printf '| %-8s | %-36s | %-70s | %-6s |\n' area item figure result
printf '|%s|%s|%s|%s|\n' ---------- -------------------------------------- \
	------------------------------------------------------------------------ --------
nok=0 nfail=0 nskip=0
while IFS='|' read -r a i f r; do
	printf '| %-8s | %-36s | %-70s | %-6s |\n' "$a" "$i" "$f" "$r"
	case $r in ok) nok=$((nok + 1)) ;; skip) nskip=$((nskip + 1)) ;; *) nfail=$((nfail + 1)) ;; esac
done < "$rows"
echo "reliability: $nok rows held, $nfail failed, $nskip skipped"
[ $nfail -eq 0 ]
