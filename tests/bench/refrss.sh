#!/bin/sh
# refrss.sh: peak RSS of the lab's reference Net-SNMP daemons (make bench).
#
#   refrss.sh wait TRACE OUT          wait (60 s at most) until eued's trace has a final
#                                     state, then record snmptrapd (its PID from $LAB_RUN/pids)
#                                     and ecmd/eued (PIDs from benchwrap's rusage-*.txt.pid)
#   refrss.sh now OUT [NAME=PID ...]  record snmptrapd and each NAME=PID now
#
# One line per process in OUT: `NAME pid=N hwm_kb=N rss_kb=N anon_kb=N file_kb=N shmem_kb=N`
# (VmHWM, VmRSS, RssAnon, RssFile, RssShmem of /proc/PID/status: RssFile is mostly the
# mapped program and shared libraries, RssAnon heap, stacks and written data); in wait
# mode also `eued-map FILE rss_kb=N`, eued's resident pages per mapped file (smaps).  Runs on the host side (ns=host): /proc shows every namespace.
set -u
mode=$1; shift
if [ "$mode" = wait ]; then
	trace=$1; shift
	i=0
	while [ $i -lt 600 ]; do
		grep -Eq '^[0-9]+ eued state (provisioned|failed|stopped|not-implemented)' "$trace" 2>/dev/null && break
		sleep 0.1; i=$((i + 1))
	done
	sleep 0.3   # the TLV 38 INFORM has been acknowledged by then; let snmptrapd log it
fi
out=$1; shift
rec() {   # NAME PID
	[ -r "/proc/$2/status" ] || { echo "$1 pid=$2 missing" >> "$out"; return; }
	awk -v n="$1" -v p="$2" '/^VmHWM:/ { h = $2 } /^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 }
		/^RssFile:/ { f = $2 } /^RssShmem:/ { s = $2 }
		END { printf "%s pid=%s hwm_kb=%s rss_kb=%s anon_kb=%s file_kb=%s shmem_kb=%s\n", n, p, h, r, a, f, s }' \
		"/proc/$2/status" >> "$out"
}
pid=$(awk '$1 == "snmptrapd" { print $2 }' "${LAB_RUN:-/nonexistent}/pids" 2>/dev/null | tail -1)
[ -n "$pid" ] && rec snmptrapd "$pid"
if [ "$mode" = wait ]; then
	for d in ecmd eued; do
		f="${ATP_ART:-.}/rusage-$d.txt.pid"
		[ -r "$f" ] && rec "$d" "$(cat "$f")"
	done
	# where eued's resident pages are: Rss summed per mapped file (anonymous: [anon])
	f="${ATP_ART:-.}/rusage-eued.txt.pid"
	[ -r "$f" ] && awk '/^[0-9a-f]+-[0-9a-f]+ / { n = ($6 == "") ? "[anon]" : $6 }
		/^Rss:/ { r[n] += $2 } END { for (k in r) if (r[k] > 0) printf "eued-map %s rss_kb=%d\n", k, r[k] }' \
		"/proc/$(cat "$f")/smaps" 2>/dev/null | sort -t= -k2 -rn >> "$out"
fi
for a in "$@"; do rec "${a%%=*}" "${a#*=}"; done
exit 0
