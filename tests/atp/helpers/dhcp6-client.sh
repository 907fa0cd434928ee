#!/bin/bash
# dhcp6-client.sh IFACE [TIMEOUT_S]: one DHCPv6 exchange with ISC dhclient (stand-in client).
# dhclient stays in the foreground after binding, so it is stopped here by its PID.
# Prints the lease (with the decoded CableLabs options). Files go to $ATP_ART.
set -u
ifc=$1; tmo=${2:-10}; d=${ATP_ART:-.}/dhclient6-$ifc
mkdir -p "$d"; rm -f "$d"/env.* "$d"/leases
cat > "$d/script" <<'EOS'
#!/bin/sh
env | grep -E '^(reason|new_|interface)' | sort > "$(dirname "$0")/env.$reason"
EOS
chmod +x "$d/script"
# VENDOR_CLASS=docsis3.0|pktc2.0 sends option 16 (enterprise 4491): selects Kea's ECM6/EUE6 class
cp "$ATP_HELPERS/dhclient6.conf" "$d/dhclient6.conf"
if [ -n "${VENDOR_CLASS:-}" ]; then
	printf 'send dhcp6.vclass 4491 %d "%s";\n' "${#VENDOR_CLASS}" "$VENDOR_CLASS" >> "$d/dhclient6.conf"
fi
dhclient -6 -1 -d -cf "$d/dhclient6.conf" -sf "$d/script" -lf "$d/leases" -pf "$d/pid" "$ifc" >"$d/log" 2>&1 &
pid=$!
for _ in $(seq $((tmo * 20))); do [ -f "$d/env.BOUND6" ] && break; kill -0 $pid 2>/dev/null || break; sleep 0.05; done
kill $pid 2>/dev/null; wait $pid 2>/dev/null
if [ -f "$d/env.BOUND6" ]; then cat "$d/env.BOUND6"; sed -n '/lease6/,$p' "$d/leases"; exit 0; fi
echo "dhcp6-client: no lease on $ifc within $tmo s"; tail -n 20 "$d/log"; exit 1
