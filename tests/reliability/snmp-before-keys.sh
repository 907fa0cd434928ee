#!/bin/sh
# snmp-before-keys.sh TRACE: SNMP requests to an eUE in the Secure flow before key management
# has given it USM keys (fault-snmp-before-keys.scn: the KDC is down, so the eUE cycles between
# MTA1 and MTA10 and never reaches MTA14). Net-SNMP's tools are the independent client, from
# trapd.example.net. Waits until the eUE holds its lease and has sent its first AS-REQ (MTA9),
# then, one request each (-r 0):
#   v2c GET  with the board's read community   (sysDescr.0)
#   v2c SET  with the board's write community  (sysLocation.0)
#   v3 GET   at noAuthNoPriv: the engine-ID discovery a manager starts with (RFC 3414 4)
# Each result on one line for the scenario's `expect output`; the pcap shows whether anything
# came back. The Secure flow allows no SNMP before MTA14 (Table 5 MTA15 is the first message).
. "$(dirname "$0")/trace-lib.sh"
trace=$1
trace_wait "$trace" '^[0-9]+ eued step MTA9 '
agent=$(trace_agent "$trace")
[ -n "$agent" ] || { echo "probe: no leased address in the trace"; exit 1; }
echo "probe: agent=$agent"
from=${LAB_TRAPD4:-198.51.100.12}
one() {  # label, then the Net-SNMP command and its options
	label=$1; shift
	echo "probe: $label: $("$@" 2>&1 | tr '\n' ' ')"
}
one v2c-get snmpget -v2c -c public -r 0 -t 1 --clientaddr="$from" -On "$agent" 1.3.6.1.2.1.1.1.0
one v2c-set snmpset -v2c -c private -r 0 -t 1 --clientaddr="$from" -On "$agent" 1.3.6.1.2.1.1.6.0 s probe
one v3-discovery snmpget -v3 -l noAuthNoPriv -u probe -r 0 -t 1 --clientaddr="$from" -On "$agent" 1.3.6.1.2.1.1.1.0
echo "probe: done"
exit 0
