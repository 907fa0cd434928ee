#!/bin/sh
# eue-certboot-check.sh TRACE NVRAM_DIR [--snmp-trigger]: the operator's view of certificate
# bootstrapping (spec 6.6.5) on a provisioned eUE, Net-SNMP's tools as the independent client.
# Waits (40 s at most) until eued's trace says the run ended, takes the eUE's leased address
# from the trace (MTA4 / eUE-4 line), then
#   --snmp-trigger: snmpset pktcEUECBEnable.0 = true(1) with the read-write community from the
#                   provisioning SNMP entity's address (LAB_OSS4 / LAB_OSS6, the only manager the agent
#                   takes a SET from in Hybrid), the management trigger of 6.6.5;
# waits (20 s at most) for the trace's "step CB ok|failed" line and prints
#   snmpget of pktcEUECBSupport, pktcEUECBEnable, pktcEUECBData, pktcEUEDevProfileVersion
#   (CL-PKTC-EUE-DEV-MIB) and eueCertBootStatus, eueCertBootLastError (EUE-PROV-LOCAL-MIB),
#   "nvram: <key> <bytes>" and the stored document (the record after its 12-byte header,
#   platform/nvram.h), or "nvram: none".
trace=$1; nv=$2; mode=$3
i=0
while [ $i -lt 400 ]; do
	grep -Eq '^[0-9]+ eued state (provisioned|failed|stopped)' "$trace" 2>/dev/null && break
	sleep 0.1; i=$((i + 1))
done
agent=$(sed -n -e 's|.* MTA4/ack ack addr=\([0-9.]*\)/.*|udp:\1:161|p' \
	-e 's|.* eUE-4/bound ok addr=\([0-9a-fA-F:]*\) .*|udp6:[\1]:161|p' "$trace" | tail -n 1)
[ -n "$agent" ] || { echo "certboot-check: no leased address in the trace"; exit 1; }
echo "agent=$agent"
if [ "$mode" = --snmp-trigger ]; then
	case "$agent" in udp6:*) mgr=${LAB_OSS6:-2001:db8:51::10} ;; *) mgr=${LAB_OSS4:-198.51.100.10} ;; esac
	grep -q ' eued step CB ' "$trace" && echo "certboot-check: CB ran before the SET"
	snmpset -v2c -c private -r 1 -t 2 --clientaddr="$mgr" -On "$agent" \
		1.3.6.1.4.1.4491.2.2.10.3.1.1.7.0 i 1 2>&1 | sed 's/^/snmpset: /'
fi
i=0
while [ $i -lt 200 ]; do
	grep -Eq '^[0-9]+ eued step CB (ok|failed)' "$trace" 2>/dev/null && break
	sleep 0.1; i=$((i + 1))
done
for oid in 1.3.6.1.4.1.4491.2.2.10.3.1.1.6.0 1.3.6.1.4.1.4491.2.2.10.3.1.1.7.0 \
	   1.3.6.1.4.1.4491.2.2.10.3.1.1.8.0 1.3.6.1.4.1.4491.2.2.10.3.1.1.1.0 \
	   1.3.6.1.4.1.8072.9999.4491.1.2.0 1.3.6.1.4.1.8072.9999.4491.1.3.0; do
	snmpget -v2c -c public -r 1 -t 2 -On "$agent" "$oid" 2>&1
done
f=$nv/certboot.profile
if [ -f "$f" ]; then
	echo "nvram: certboot.profile $(wc -c < "$f")"
	tail -c +13 "$f"; echo
else
	echo "nvram: none"
fi
ls "$nv" 2>/dev/null | sed 's/^/nvram-key: /'
exit 0
