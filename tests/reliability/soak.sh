#!/bin/sh
# soak.sh TRACE NVRAM_DIR CYCLES [stop]: the reliability soak's operator (a device line of the
# generated soak scenario, tests/reliability/reliability.sh).  Like tests/atp/helpers/
# eue-reset-soak.sh: re-provisions the running eUE CYCLES times through pktcMtaDevResetNow
# (RFC 4682), SET from the SNMP entity's address, and reports eued's open fds, resident memory
# and, through gdb (attach, loop_timer_count / loop_fd_count of eued's loop, detach), its armed
# timers and watched fds after the 2nd provisioning and after the last one.  With "stop" it then
# sends eued SIGTERM and waits for it to exit (valgrind writes its summary at exit; the runner
# would SIGKILL it one second after its own SIGTERM).
trace=$1 nvram=$2 cycles=$3 stop=${4:-}
pid=$(pgrep -f -- "--nvram $nvram/eue" | head -n 1)
[ -n "$pid" ] || { echo "soak: no eued for $nvram"; exit 1; }
wait_n() {  # wait until the trace shows the n-th "provisioned" (180 s at most: valgrind is slow)
	i=0
	while [ $i -lt 1800 ]; do
		[ "$(grep -c ' eued state provisioned' "$trace")" -ge "$1" ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
loopfig() {  # "timers watches" of eued's event loop, or "n/a n/a" without gdb
	command -v gdb >/dev/null 2>&1 || { echo "n/a n/a"; return; }
	# not under valgrind: its process is the valgrind core, whose attach and detach by ptrace
	# can leave it stopped
	case $(readlink "/proc/$pid/exe") in *eued*) ;; *) echo "n/a n/a"; return ;; esac
	# the process's own executable (/proc/PID/exe): the one on disk may have been rebuilt since
	gdb -batch -nx -ex "file /proc/$pid/exe" -ex "attach $pid" -ex 'frame function main' \
		-ex 'printf "loopfig %u %u\n", loop_timer_count(u.loop), loop_fd_count(u.loop)' 2>/dev/null |
		sed -n 's/^loopfig //p' | grep . || echo "n/a n/a"
}
figures() {  # fds, VmRSS KiB, timers, loop fds
	echo "$(ls /proc/$pid/fd | wc -l) $(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$pid/status) $(loopfig)"
}
n=1
wait_n 1 || { echo "soak: never provisioned"; exit 1; }
while [ $n -le "$cycles" ]; do
	a=$(sed -n 's|.* MTA4/ack ack addr=\([0-9.]*\)/.*|\1|p' "$trace" | tail -n 1)
	snmpset -v2c -c private -r 4 -t 4 --clientaddr="$LAB_OSS4" "udp:$a:161" 1.3.6.1.2.1.140.1.1.1.0 i 1 >/dev/null 2>&1 ||
		{ echo "soak: SET failed at cycle $n"; exit 1; }
	n=$((n + 1))
	wait_n "$n" || { echo "soak: cycle $n did not provision"; exit 1; }
	sleep 0.3   # the status INFORM and the operator's view settle
	if [ $n -eq 2 ]; then set -- $(figures); fd2=$1 rss2=$2 tm2=$3 lw2=$4; fi
done
set -- $(figures)
echo "soak: $cycles re-provisionings: fds $fd2 -> $1, VmRSS $rss2 -> $2 KiB, timers $tm2 -> $3, loop-fds $lw2 -> $4"
echo "soak-figures fds=$fd2:$1 rss=$rss2:$2 timers=$tm2:$3 loopfds=$lw2:$4"
[ "$1" -eq "$fd2" ] && echo "soak: fds-stable" || echo "soak: fds-grew"
# a bound, not a timing: the heap may settle by a few pages, a leak per cycle does not stay under it
[ $(($2 - rss2)) -lt 512 ] && echo "soak: rss-stable" || echo "soak: rss-grew"
[ "$3" = "$tm2" ] && echo "soak: timers-stable" || echo "soak: timers-changed"
if [ "$stop" = stop ]; then
	kill -TERM "$pid"
	i=0
	# gone, or a zombie (the runner reaps its devices only when it gets to them)
	alive() { [ -d "/proc/$pid" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null; }
	while alive && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
	alive && echo "soak: eued did not exit" || echo "soak: eued exited"
fi
echo "0 soak state done" >> "$trace"   # the daemons' until= (the scenario) ends here
