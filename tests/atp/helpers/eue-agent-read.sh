#!/bin/sh
# eue-agent-read.sh TRACE [OID ...]: the operator's view of a provisioned eUE, with Net-SNMP's
# own tools as the independent client. Waits (40 s at most) until eued's trace says the run
# ended, takes the eUE's leased address from the trace (MTA4 / eUE-4 line), then:
#   snmpget of each OID with the read-only community "public",
#   snmpwalk of the PKTC-IETF-MTA-MIB device objects (mib-2.140.1) and of the TLV 38 rows
#   (SNMP-TARGET-MIB, SNMP-NOTIFICATION-MIB),
#   (both walks skipped when the get got no answer: Secure's agent answers SNMPv3 only),
#   snmpset of sysLocation with the read-write community from an address that is not the
#   provisioning server (trapd.example.net): the agent must drop it (timeout),
# each result on its own lines for the scenario's `expect output`.
trace=$1; shift
i=0
while [ $i -lt 400 ]; do
	grep -Eq '^[0-9]+ eued state (provisioned|failed|stopped)' "$trace" 2>/dev/null && break
	sleep 0.1; i=$((i + 1))
done
agent=$(sed -n -e 's|.* MTA4/ack ack addr=\([0-9.]*\)/.*|udp:\1:161|p' \
	-e 's|.* eUE-4/bound ok addr=\([0-9a-fA-F:]*\) .*|udp6:[\1]:161|p' "$trace" | tail -n 1)
[ -n "$agent" ] || { echo "agent-read: no leased address in the trace"; exit 1; }
echo "agent=$agent"
sleep 0.2   # the INFORM of the last step may still be in flight: read afterwards
answered=yes
for oid in "$@"; do
	out=$(snmpget -v2c -c public -r 1 -t 2 -On "$agent" "$oid" 2>&1)
	printf '%s\n' "$out"
	case $out in *"Timeout: No Response"*) answered=no ;; esac
done
# An agent that did not answer the get answers no SNMPv2c walk either (Secure: USM only): each
# walk would only add its own timeout, 2 tries x 2 s (make bench: 16 of a Secure scenario's 20 s).
echo "walk-begin"
[ $answered = no ] && echo "walk-skipped: no SNMPv2c answer to the get" || \
	snmpwalk -v2c -c public -r 1 -t 2 -On "$agent" 1.3.6.1.2.1.140.1 2>&1
echo "walk-end"
echo "targets-begin"   # TLV 38 as SNMP-TARGET-MIB / SNMP-NOTIFICATION-MIB rows (RFC 3413)
if [ $answered = yes ]; then
	snmpwalk -v2c -c public -r 1 -t 2 -On "$agent" 1.3.6.1.6.3.12 2>&1
	snmpwalk -v2c -c public -r 1 -t 2 -On "$agent" 1.3.6.1.6.3.13 2>&1
fi
echo "targets-end"
case "$agent" in udp6:*) other=${LAB_TRAPD6:-2001:db8:51::12} ;; *) other=${LAB_TRAPD4:-198.51.100.12} ;; esac
snmpset -v2c -c private -r 0 -t 1 --clientaddr="$other" -On "$agent" 1.3.6.1.2.1.1.6.0 s "not allowed" \
	>/dev/null 2>&1 && echo "foreign-set: accepted" || echo "foreign-set: dropped"
exit 0
