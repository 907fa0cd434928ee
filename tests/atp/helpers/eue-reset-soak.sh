#!/bin/sh
# eue-reset-soak.sh TRACE NVRAM_DIR CYCLES: re-provision a running eUE CYCLES times through
# pktcMtaDevResetNow (RFC 4682), SET from the SNMP entity's address ($LAB_OSS4) as the
# provisioning server would, and report eued's open file descriptors, loop resources and
# resident memory after the 2nd provisioning and after the last one, so a leak per cycle
# (sockets of the agent, curl, c-ares; timers; heap) shows as growth. IPv4 (MTA) flows.
trace=$1 nvram=$2 cycles=$3
pid=$(pgrep -f -- "--nvram $nvram/eue" | head -n 1)
[ -n "$pid" ] || { echo "soak: no eued for $nvram"; exit 1; }
wait_n() {  # wait until the trace shows the n-th "provisioned" (60 s at most)
	i=0
	while [ $i -lt 600 ]; do
		[ "$(grep -c ' eued state provisioned' "$trace")" -ge "$1" ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
figures() {  # fds, VmRSS KiB
	echo "$(ls /proc/$pid/fd | wc -l) $(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$pid/status)"
}
n=1
wait_n 1 || { echo "soak: never provisioned"; exit 1; }
while [ $n -le "$cycles" ]; do
	a=$(sed -n 's|.* MTA4/ack ack addr=\([0-9.]*\)/.*|\1|p' "$trace" | tail -n 1)
	snmpset -v2c -c private -r 2 -t 2 --clientaddr="$LAB_OSS4" "udp:$a:161" 1.3.6.1.2.1.140.1.1.1.0 i 1 >/dev/null 2>&1 ||
		{ echo "soak: SET failed at cycle $n"; exit 1; }
	n=$((n + 1))
	wait_n "$n" || { echo "soak: cycle $n did not provision"; exit 1; }
	sleep 0.3   # the status INFORM and the operator's view settle
	[ $n -eq 2 ] && set -- $(figures) && fd2=$1 rss2=$2
done
set -- $(figures)
echo "soak: $cycles re-provisionings: fds $fd2 -> $1 (growth $(($1 - fd2))), VmRSS $rss2 -> $2 KiB (growth $(($2 - rss2)) KiB)"
[ "$1" -eq "$fd2" ] && echo "soak: fds-stable" || echo "soak: fds-grew"
# a bound, not a timing: the heap may settle by a few pages, a leak per cycle does not stay under it
[ $(($2 - rss2)) -lt 512 ] && echo "soak: rss-stable" || echo "soak: rss-grew"
echo "0 soak state done" >> "$trace"   # the daemons' until= (the scenario) ends here
