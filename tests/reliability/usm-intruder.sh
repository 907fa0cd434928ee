#!/bin/sh
# usm-intruder.sh TRACE: SNMPv3 SETs without valid USM credentials against a Secure-provisioned
# eUE (fault-snmp-usm-badkeys.scn), with Net-SNMP's snmpset as the independent client, from
# trapd.example.net (not the provisioning server). Waits until eued's trace says the run ended,
# takes the leased address from the trace, then:
#   twice: the eUE's real usmUserName with wrong keys (authPriv)  -> usmStatsWrongDigests
#   once:  an unknown usmUserName (authPriv)                     -> usmStatsUnknownUserNames
#   once:  the real user at noAuthNoPriv                         -> refused (authorizationError)
# Then, with the keys key management derived (provsrv --usm-keys-file, lab knob
# LAB_PROVSRV_USM_KEYS=1: the lab's oracle), an authPriv GET of usmStatsWrongDigests.0,
# usmStatsUnknownUserNames.0 and usmStatsUnsupportedSecLevels.0: the counts are readable.
# Each result on one line for the scenario's `expect output`; the Report PDUs with the counters
# are in the pcap. -r 0: one request each (the counters then count exactly these).
. "$(dirname "$0")/trace-lib.sh"
trace=$1
trace_wait "$trace" '^[0-9]+ eued state (provisioned|failed|stopped)'
agent=$(trace_agent "$trace")
[ -n "$agent" ] || { echo "intruder: no leased address in the trace"; exit 1; }
user=$(sed -n 's/.* km ap-req .* user=\([0-9a-f]*\) .*/\1/p' "$trace" | tail -n 1)
echo "intruder: agent=$agent user=${user:-020000000e01}"
case "$agent" in udp6:*) from=${LAB_TRAPD6:-2001:db8:51::12} ;; *) from=${LAB_TRAPD4:-198.51.100.12} ;; esac
v3() {  # label, then snmpset options
	label=$1; shift
	r=$(snmpset -v3 -r 0 -t 2 --clientaddr="$from" "$@" -On "$agent" 1.3.6.1.2.1.1.6.0 s intruder 2>&1 | tr '\n' ' ')
	echo "intruder: $label: $r"
}
v3 wrong-keys-1 -u "${user:-020000000e01}" -l authPriv -a SHA -A not-the-auth-key -x AES -X not-the-priv-key
v3 wrong-keys-2 -u "${user:-020000000e01}" -l authPriv -a SHA -A still-not-the-key -x AES -X still-not-the-key
v3 unknown-user -u intruder -l authPriv -a SHA -A intruder-pass -x AES -X intruder-pass
v3 no-auth -u "${user:-020000000e01}" -l noAuthNoPriv
keys=$LAB_RUN/krb5/provsrv-usm-keys
if [ -s "$keys" ]; then
	l=$(tail -n 1 "$keys")
	kv() { echo "$l" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
	for oid in 1.3.6.1.6.3.15.1.1.5.0 1.3.6.1.6.3.15.1.1.3.0 1.3.6.1.6.3.15.1.1.1.0; do
		echo "counter: $(snmpget -v3 -r 1 -t 2 -l authPriv -u "$(kv user)" -a "$(kv auth)" -x "$(kv priv)" \
			-3k "$(kv authkey)" -3K "$(kv privkey)" -e "$(kv engine)" -On "$agent" $oid 2>&1)"
	done
else
	echo "counter: no USM keys from provsrv ($keys)"
fi
exit 0
