#!/bin/sh
# powercut.sh eued N OUTDIR [hybrid2|secure]: N power cuts of eued during provisioning.  Run
# inside a lab with the LAB_* environment (tests/lab/lab.sh run): for hybrid2 (default)
# LAB_EUE_STATIC=0 LAB_EUE_REALM=HYBRID.2 LAB_IP_PREF4=1, the Hybrid.2 IPv4 flow; for secure
# LAB_EUE_STATIC=0 LAB_IP_PREF4=1 LAB_EUE_PRINC=mta/203.0.113.101, the Secure IPv4 flow with the
# lab's PKI (PKINIT, key management, SNMPv3; eued keeps its ticket cache in nvram).  ecmd runs throughout; each cycle starts eued, waits
# a random instant within the last provisioning's duration (every other cycle: within its
# part after the lease), kills it with SIGKILL by
# its PID, reads back every nvram record (nvramcheck check), starts eued again and waits until
# it provisions (60 s at most), then cuts that one too.  Prints where each cut landed (the last
# step in the trace) and one line "powercut-eued: ...".  (Usage line: powercut.sh eued|device N OUTDIR [flow].)
#
# powercut.sh device N OUTDIR [hybrid2|secure]: the same with the whole device's power: ecmd and
# eued start together each cycle and both are killed at the cut (SIGKILL, ecmd first), so the
# eCM's provisioning (DHCP, ToD, its nvram) and the IPC hand-over are cut too; both nvram stores
# are read back and the restarted pair must provision.  One line "powercut-device: ...".
#
# powercut.sh nvram N OUTDIR: N kill -9 of `nvramcheck write` (puts records in a loop) at random
# instants; after each the store must read back valid (old or new value of each key, never a
# mix; no .tmp left after open).  No lab needed.  One line "powercut-nvram: ...".
#
# kill -9 is what a test can do without a power switch: the page cache survives it.  The unit
# tests (tests/unit/platform/test_nvram.c) cut between every file-system call of a put instead.
set -u
mode=$1 n=$2 out=$3 flow=${4:-hybrid2}
src=$(cd "$(dirname "$0")/../.." && pwd)
bin=$src/build/host/bin
check=$src/build/host/reliability/nvramcheck
rm -rf "$out"
mkdir -p "$out"
[ -x "$check" ] || { echo "powercut: $check not built (make reliability-bins)"; exit 1; }

msleep() { sleep "$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))"; }
rnd() { od -An -N4 -tu4 /dev/urandom | tr -d ' '; }   # bash's $RANDOM is not in sh
now_ms() { echo $(($(date +%s%N) / 1000000)); }

if [ "$mode" = nvram ]; then
	ok=0 bad=0 i=1 recs=0
	while [ $i -le "$n" ]; do
		"$check" write "$out/nv" 16 2>>"$out/writer.err" &
		w=$!
		msleep $(($(rnd) % 200 + 1))
		kill -9 "$w"
		wait "$w" 2>/dev/null
		if r=$("$check" check "$out/nv"); then
			ok=$((ok + 1))
			recs=$(echo "$r" | sed -n 's/.*records=\([0-9]*\).*/\1/p')
		else
			bad=$((bad + 1))
			echo "cut $i: $r"
		fi
		i=$((i + 1))
	done
	echo "powercut-nvram: $n cuts, $ok read back valid ($recs records), $bad corrupt"
	[ $bad -eq 0 ]
	exit
fi

case $mode in eued|device) ;; *) echo "usage: powercut.sh eued|device|nvram N OUTDIR"; exit 2 ;; esac
[ -n "${LAB_NS_EUE:-}" ] || { echo "powercut: no lab (run through tests/lab/lab.sh run)"; exit 2; }
if [ "$flow" = secure ]; then
	sed -e "s|^cert_root = .*|cert_root = $LAB_PKI/device-root.pem|" \
	    -e "s|^cert_manufacturer = .*|cert_manufacturer = $LAB_PKI/mfg-ca.pem|" \
	    -e "s|^cert_device = .*|cert_device = $LAB_PKI/device.pem|" \
	    -e "s|^key_device = .*|key_device = $LAB_PKI/device.key|" \
	    -e "s|^cert_kdc_root = .*|cert_kdc_root = $LAB_PKI/lab-ca.pem|" \
	    -e "s|^run_dir = .*|run_dir = $out|" -e "s|^ecm_ip_mode = .*|ecm_ip_mode = ipv4|" \
	    "$src/boards/host/board.conf" > "$out/board.conf"
else
	sed 's/^ecm_ip_mode = .*/ecm_ip_mode = ipv4/' "$src/boards/host/board.conf" > "$out/board.conf"
fi
nv=$out/nvram
mkdir -p "$nv"
ecm_pid=""
eue_pid=""
cleanup() {
	for p in $eue_pid $ecm_pid; do kill -TERM "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap cleanup EXIT INT TERM

ecmd_start() {  # trace file
	ip netns exec "$LAB_NS_EUE" "$bin/ecmd" -c "$out/board.conf" --nvram "$nv/ecm" \
		--trace "$1" --ipc "$out/ipc.sock" >> "$out/ecmd.log" 2>&1 &
	ecm_pid=$!
}
# eued mode: ecmd runs throughout; device mode: it starts with eued each cycle (eued_start)
[ "$mode" = eued ] && ecmd_start "$out/ecmd.trace"

eued_start() {  # trace file
	[ "$mode" = device ] && ecmd_start "$1"
	ip netns exec "$LAB_NS_EUE" "$bin/eued" -c "$out/board.conf" --nvram "$nv/eue" \
		--trace "$1" --ipc "$out/ipc.sock" >> "$out/eued.log" 2>&1 &
	eue_pid=$!
}
wait_prov() {  # trace: 0 once "eued state provisioned", 1 after 60 s or on failed/stopped
	w=0
	while [ $w -lt 600 ]; do
		grep -q ' eued state provisioned' "$1" 2>/dev/null && return 0
		grep -Eq ' eued state (failed|stopped)' "$1" 2>/dev/null && return 1
		kill -0 "$eue_pid" 2>/dev/null || return 1
		sleep 0.1; w=$((w + 1))
	done
	return 1
}
cut() {  # SIGKILL eued (device mode: ecmd too) by its PID, wait for it, then read back the nvram
	if [ "$mode" = device ]; then
		kill -9 "$ecm_pid"
		wait "$ecm_pid" 2>/dev/null
		ecm_pid=""
	fi
	kill -9 "$eue_pid"
	wait "$eue_pid" 2>/dev/null
	eue_pid=""
	for d in "$nv/eue" "$nv/ecm"; do
		"$check" check "$d" >> "$out/nvramcheck.log" || { nvbad=$((nvbad + 1)); tail -n 3 "$out/nvramcheck.log"; }
		r=$(tail -n 1 "$out/nvramcheck.log" | sed -n 's/.* records=\([0-9]*\).*/\1/p')
		nvrec=$((nvrec + ${r:-0}))
	done
}

lease_late() {  # trace: lease= ms from eued's start to the lease (MTA4 / eUE-4 ok), late= ms after it
	lease=$(awk '$2 == "eued" && $3 == "step" && ($4 == "MTA4" || $4 == "eUE-4") && $5 == "ok" { print $1; exit }' "$1")
	p=$(awk '$2 == "eued" && $3 == "state" && $4 == "provisioned" { print $1; exit }' "$1")
	late=0
	[ -n "$lease" ] && [ -n "$p" ] && [ "$p" -gt "$lease" ] && late=$((p - lease + 1))
	lease=${lease:-0}
}

# the window: one whole provisioning from eued's start, measured first
nvbad=0 nvrec=0
t0=$(now_ms)
eued_start "$out/trace.0"
wait_prov "$out/trace.0" || { echo "powercut-$mode: the first provisioning failed (see $out)"; exit 1; }
win=$(($(now_ms) - t0))
lease_late "$out/trace.0"
cut
echo "window: the first provisioning took $win ms; each cut lands uniformly within the duration of the last provisioning"

i=1 rec=0 fail=0
: > "$out/steps.txt"
while [ $i -le "$n" ]; do
	eued_start "$out/trace.$i"
	# odd cycles: uniform over the whole provisioning; even cycles: uniform over its part after
	# the lease (MTA4/eUE-4 .. provisioned), where DHCP's offer wait no longer dominates
	if [ $((i % 2)) -eq 0 ] && [ "$late" -gt 0 ]; then
		msleep $((lease + $(rnd) % late))
	else
		msleep $(($(rnd) % win))
	fi
	last=$(grep -E ' (eued|ecmd) (step|state) ' "$out/trace.$i" 2>/dev/null | tail -n 1 |
		awk '{print ($3 == "state" ? "state-" $4 : $4) ($2 == "ecmd" ? " (ecmd)" : "")}')
	echo "${last:-before-first-step}" >> "$out/steps.txt"
	cut
	t1=$(now_ms)
	eued_start "$out/trace.$i.restart"
	if wait_prov "$out/trace.$i.restart"; then
		rec=$((rec + 1))
		win=$(($(now_ms) - t1))   # the next cut lands within a provisioning as it runs now
		lease_late "$out/trace.$i.restart"
	else
		fail=$((fail + 1))
		echo "cut $i (at ${last:-start}): no provisioning after the restart: $out/trace.$i.restart"
	fi
	cut
	i=$((i + 1))
done
echo "cut points (last step traced before the SIGKILL):"
sort "$out/steps.txt" | uniq -c | sort -rn | head -n 25
spread=$(sort -u "$out/steps.txt" | wc -l)
echo "powercut-$mode: $flow: $n cuts at $spread distinct steps, $rec re-provisioned, $fail did not, nvram $nvrec records read back, $nvbad bad"
[ $fail -eq 0 ] && [ $nvbad -eq 0 ]
