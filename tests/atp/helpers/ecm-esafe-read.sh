#!/bin/sh
# ecm-esafe-read.sh TRACE: the operator's view of the eCM's eSAFE rows (ESAFE-MIB, spec 6.6.3), with
# Net-SNMP's own tools as the independent client. Waits (40 s at most) until eued's trace says the run
# ended and ecmd has traced the eUE's final esafe record, takes the eCM's own address from ecmd's trace
# (CM4v6 when the CM provisions over IPv6 or dual-stack, else CM4), then:
#   snmpwalk of esafeMib (1.3.6.1.4.1.4491.2.1.14) with the read-only community "public",
#   snmpget of esafeProvisioningStatusProgress.16 with a wrong community: must be dropped (timeout),
#   snmpset of it with "public": must be refused (notWritable),
# each result on its own lines for the scenario's `expect output`.
trace=$1
i=0
while [ $i -lt 400 ]; do
	grep -Eq '^[0-9]+ eued state (provisioned|failed|stopped)' "$trace" 2>/dev/null &&
		grep -Eq '^[0-9]+ ecmd step eSAFE finished ' "$trace" 2>/dev/null && break
	sleep 0.1; i=$((i + 1))
done
agent=$(sed -n -e 's|.* ecmd step CM4v6 ok addr=\([0-9a-fA-F:]*\) .*|udp6:[\1]:161|p' "$trace" | tail -n 1)
[ -n "$agent" ] || agent=$(sed -n -e 's|.* ecmd step CM4 ok addr=\([0-9.]*\)/.*|udp:\1:161|p' "$trace" | tail -n 1)
[ -n "$agent" ] || { echo "esafe-read: no eCM address in the trace"; exit 1; }
echo "ecm-agent=$agent"
echo "esafe-walk-begin"
snmpwalk -v2c -c public -r 1 -t 2 -On "$agent" 1.3.6.1.4.1.4491.2.1.14 2>&1
echo "esafe-walk-end"
snmpget -v2c -c wrong -r 0 -t 1 -On "$agent" 1.3.6.1.4.1.4491.2.1.14.1.1.1.1.1.16 >/dev/null 2>&1 &&
	echo "wrong-community: answered" || echo "wrong-community: dropped"
snmpset -v2c -c public -r 0 -t 2 -On "$agent" 1.3.6.1.4.1.4491.2.1.14.1.1.1.1.1.16 i 1 2>&1 |
	sed 's/^/esafe-set: /'
exit 0
