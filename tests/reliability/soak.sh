#!/bin/sh
# soak.sh TRACE NVRAM_DIR CYCLES [stop]: the reliability soak's operator (a device line of the
# generated soak scenario, tests/reliability/reliability.sh).  Like tests/atp/helpers/
# eue-reset-soak.sh: re-provisions the running eUE CYCLES times through pktcMtaDevResetNow
# (RFC 4682), SET from the SNMP entity's address, and reports eued's open fds, resident memory
# and, through gdb (attach, loop_timer_count / loop_fd_count of eued's loop, detach), its armed
# timers and watched fds after the 2nd provisioning and after the last one.  With "stop" it then
# sends eued SIGTERM and waits for it to exit (valgrind writes its summary at exit; the runner
# would SIGKILL it one second after its own SIGTERM).
# SOAK_TRIGGER=ecm: each re-provisioning is the eCM's instead (issue #9: "eCM-triggered
# re-initialisation"): SIGHUP to ecmd (its operator reset, ecm/main.c) re-initialises the eCM,
# which stops the eUE (cm-reinit) and hands it over again at CM10 (cm-ready); ecmd's fds and
# VmRSS are reported too.
trace=$1 nvram=$2 cycles=$3 stop=${4:-}
trigger=${SOAK_TRIGGER:-eue}
pid=$(pgrep -f -- "--nvram $nvram/eue" | head -n 1)
[ -n "$pid" ] || { echo "soak: no eued for $nvram"; exit 1; }
ecm_pid=$(pgrep -f -- "--nvram $nvram/ecm" | head -n 1)
[ "$trigger" = ecm ] && [ -z "$ecm_pid" ] && { echo "soak: no ecmd for $nvram"; exit 1; }
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
fds_rss() {  # PID: its open fds, VmRSS KiB
	echo "$(ls /proc/$1/fd | wc -l) $(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$1/status)"
}
figures() {  # eued's fds, VmRSS KiB, timers, loop fds
	echo "$(fds_rss "$pid") $(loopfig)"
}
ecm_figures() {  # ecmd's fds, VmRSS KiB
	fds_rss "$ecm_pid"
}
n=1
wait_n 1 || { echo "soak: never provisioned"; exit 1; }
while [ $n -le "$cycles" ]; do
	if [ "$trigger" = ecm ]; then
		kill -HUP "$ecm_pid" || { echo "soak: ecmd gone at cycle $n"; exit 1; }
	else
		a=$(sed -n 's|.* MTA4/ack ack addr=\([0-9.]*\)/.*|\1|p' "$trace" | tail -n 1)
		snmpset -v2c -c private -r 4 -t 4 --clientaddr="$LAB_OSS4" "udp:$a:161" 1.3.6.1.2.1.140.1.1.1.0 i 1 >/dev/null 2>&1 ||
			{ echo "soak: SET failed at cycle $n"; exit 1; }
	fi
	n=$((n + 1))
	wait_n "$n" || { echo "soak: cycle $n did not provision"; exit 1; }
	sleep 0.3   # the status INFORM and the operator's view settle
	if [ $n -eq 2 ]; then
		set -- $(figures); fd2=$1 rss2=$2 tm2=$3 lw2=$4
		[ -n "$ecm_pid" ] && { set -- $(ecm_figures); efd2=$1 erss2=$2; }
	fi
done
if [ -n "$ecm_pid" ]; then
	set -- $(ecm_figures)
	echo "soak: ecmd: fds $efd2 -> $1, VmRSS $erss2 -> $2 KiB"
	echo "soak-ecmd-figures fds=$efd2:$1 rss=$erss2:$2"
	[ "$1" -eq "$efd2" ] && echo "soak: ecmd-fds-stable" || echo "soak: ecmd-fds-grew"
	[ $(($2 - erss2)) -lt 512 ] && echo "soak: ecmd-rss-stable" || echo "soak: ecmd-rss-grew"
fi
set -- $(figures)
echo "soak: $cycles re-provisionings: fds $fd2 -> $1, VmRSS $rss2 -> $2 KiB, timers $tm2 -> $3, loop-fds $lw2 -> $4"
echo "soak-figures fds=$fd2:$1 rss=$rss2:$2 timers=$tm2:$3 loopfds=$lw2:$4"
[ "$1" -eq "$fd2" ] && echo "soak: fds-stable" || echo "soak: fds-grew"
# a bound, not a timing: the heap may settle by a few pages, a leak per cycle does not stay under it
[ $(($2 - rss2)) -lt 512 ] && echo "soak: rss-stable" || echo "soak: rss-grew"
[ "$3" = "$tm2" ] && echo "soak: timers-stable" || echo "soak: timers-changed"
if [ "$stop" = stop ]; then
	[ -n "$ecm_pid" ] && kill -TERM "$ecm_pid"   # ecmd too: under valgrind, its summary at exit
	kill -TERM "$pid"
	# gone, or a zombie (the runner reaps its devices only when it gets to them)
	alive() { [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
	wait_exit() {  # PID NAME: up to 120 s
		i=0
		while alive "$1" && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
		alive "$1" && echo "soak: $2 did not exit" || echo "soak: $2 exited"
	}
	wait_exit "$pid" eued
	[ -n "$ecm_pid" ] && wait_exit "$ecm_pid" ecmd
fi
echo "0 soak state done" >> "$trace"   # the daemons' until= (the scenario) ends here
