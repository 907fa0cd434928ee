#!/usr/bin/env bash
# tests/lab/lab.sh: the operator network of the ATP lab, in network namespaces.
#
#   lab.sh up              bring a new lab up; prints its run directory (last stdout line)
#   lab.sh down   [RUN]    stop every lab process by PID, delete the namespaces and /etc/netns/<ns>
#   lab.sh status [RUN]    namespaces, processes, listening sockets
#   lab.sh exec   [RUN] ROLE CMD...   run CMD in namespace ROLE (oss|cmts|eue) with the lab env
#   lab.sh run    CMD...   up, run CMD (on the host side, with the lab env exported), down (always)
#   lab.sh clean           down orphaned labs (owner process gone), remove old run directories
#   lab.sh server [RUN] stop|start NAME   stop a server by PID / start it again (mid-scenario faults)
#
# RUN defaults to $LAB_RUN, then to build/lab/last. Topology, servers and pitfalls:
# /work/shared/reference/lab-servers.md; README.md next to this file.
#
# Rules this script keeps: only documentation addresses, no link to the host namespace, every file
# under build/lab/<runid>/ except /etc/netns/<prefix>*, which `down` removes; processes are
# stopped by PID, and only PIDs that live in this run's namespaces.
#
# Knobs (environment, all optional; the ATP runner sets them from a scenario's `lab` lines):
#   LAB_RUNID            run id (default HHMMSS-PID); namespaces are lab<id>-{oss,cmts,eue}
#   LAB_DOWN             servers not to start, e.g. "krb5kdc tftpd" (names: see start_servers)
#   LAB_DHCP6_ROGUE=1    a second Kea DHCPv6 (kea-dhcp6-rogue, $OSS6_ROGUE) that answers eUEs only,
#                        with its own DUID as CCCv6 DSS_ID: not the server the eCM named
#   LAB_LEASE6_PERSIST=1 Kea DHCPv6 leases in a file ($RUN/kea), kept over a reload (kill -HUP)
#   LAB_TIME_UDP=0       the RFC 868 time service only over TCP (xinetd's UDP service disabled)
#   LAB_RA_MANAGED=0     radvd advertises without the M flag (the eUE must not run DHCPv6, 6.3.4)
#   LAB_RA_UNICAST=1     radvd sends no unsolicited RA, only unicast answers to an RS (UnicastOnly):
#                        a device then finds its router only by soliciting (RFC 4861 6.3.7)
#   LAB_DHCP4_PLAIN=1    a second Kea DHCPv4 (kea-dhcp4-plain, $OSS4_PLAIN) that knows nothing of
#                        eUEs: no option 122, no 125; the relay forwards to both (CM3 precedence)
#   LAB_REALM            Kerberos realm of the KDC (EXAMPLE.NET)
#   LAB_EUE_REALM        realm sent in option 122.6 to the eUE class (= LAB_REALM: Secure flow)
#   LAB_IP_PREF4         option 125/4491 sub 124 to the eCM (2 = IPv6)
#   LAB_IP_PREF6         DHCPv6 4491 sub 39 (2 = IPv6)
#   LAB_OPT125_HEX       replace the whole option-125 payload given to the eCM class
#   LAB_CCCV6_HEX        replace the CCCv6 (2171) payload
#   LAB_EUE_STATIC=1     give eue-ue static addresses 203.0.113.50 / 2001:db8:113::50 (stand-in
#                        clients); set 0 for device scenarios where the daemons run DHCP
#   LAB_EUE_DAD=0        kernel DAD in the eue namespace (0 = off, instant link-local)
#   LAB_FILES_DIR        directory whose files are copied into the TFTP and HTTP roots
#   LAB_TEMPLATES_DIR    directory of *.in templates that override tests/lab/templates/
#   LAB_EUE_CONFIG_TEXT  text of the Basic file $EUE_CONFIG_FILE (default configs/basic.txt),
#                        compiled with build/host/bin/pktcfg --hash (placeholder bytes without it)
#   LAB_CL33=ecm|eue     DHCPv6 4491.33 (file name) to the eUE: the CM's file (ecm, default), or
#                        its own $EUE_CONFIG_FILE (IPv6 Basic; a host reservation by the eUE's
#                        MAC, so the eCM keeps $ECM_CONFIG_FILE)
#   LAB_PROVSRV_ARGS     extra provsrv options (--bad-hash, --no-set, --get, --url-host literal,
#                        --url-scheme http, ...); provsrv runs when build/host/bin/provsrv exists
#   LAB_PROVSRV_USM_KEYS=1  provsrv appends each device's derived USM keys to $RUN/krb5/provsrv-usm-keys
#                        (the oracle for Net-SNMP's snmpget -3k/-3K; secrets: lab only)
#   LAB_PROVSRV_TEMPLATE config-file text provsrv builds per device (default configs/hybrid.txt)
#   LAB_NETEM            tc netem parameters (e.g. "loss 30% delay 500ms") applied, as the root
#                        qdisc, to the CMTS's interfaces cpe-cm, cpe-ue and cmts-oss (inside the
#                        cmts namespace): every packet between device and servers crosses it once
#                        per direction; `up` fails when the kernel has no sch_netem
#   LAB_LOSS             percent of packets dropped as they enter the CMTS from either side
#                        (iptables/ip6tables raw PREROUTING, statistic match, in the cmts
#                        namespace): random loss where the kernel has no sch_netem (no delay)
#   LAB_DELAY            ms by which the CMTS holds every packet it routes or sends (iptables/
#                        ip6tables FORWARD and OUTPUT -j NFQUEUE --queue-num 0 --queue-bypass in
#                        the cmts namespace; build/host/bin/nfqdelay, server "nfqdelay", gives the
#                        verdicts that late): the delay where the kernel has no sch_netem; with
#                        LAB_LOSS=30 the issue's "30 % loss + 500 ms delay".  Not delayed: DHCPv4
#                        between relay and device (dhcrelay -4 uses packet sockets, which bypass
#                        iptables), so a DHCPv4 exchange is delayed once, on relay -> Kea
#   LAB_DELAY_JITTER     +- ms around LAB_DELAY (nfqdelay --jitter-ms; packets are never reordered)
#   LAB_KDC_CLOCK_OFFSET krb5kdc runs with its clock shifted by this many seconds (e.g. +600, -600),
#                        through libfaketime (package faketime: LD_PRELOAD libfaketime.so.1,
#                        FAKETIME); the other servers and the device keep the real clock.  Read
#                        from the environment when krb5kdc starts, not kept in lab.env: `lab.sh
#                        server start krb5kdc` brings the KDC back with the right clock unless the
#                        caller sets it again (the recovery of a clock fault); negative: the
#                        per-run PKI is made N+60 s in the past too (the KDC would refuse
#                        certificates made "later" than its clock; a field device's are old)
#   LAB_CAPTURE=1        dumpcap on oss0 (oss), br-cpe (cmts) and any (eue) for the lab's life
#   LAB_QUIET=1          no progress lines on stderr
#   LAB_OWNER_PID        the process responsible for `down` (default: the caller); `clean` downs
#                        labs whose owner is gone; "manual" = only an explicit `down` removes it

set -u -o pipefail

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$LAB_SRC/../.." && pwd)
LAB_BASE="$ROOT/build/lab"
T0=$(date +%s%N)

log() { [ "${LAB_QUIET:-0}" = 1 ] || printf 'lab: [%5d ms] %s\n' $((($(date +%s%N) - T0) / 1000000)) "$*" >&2; }
die() { printf 'lab: error: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------------------------------------------
# Addresses and defaults (documentation ranges only: RFC 5737, RFC 3849)

set_defaults() {
	OSS4=198.51.100.10;     OSS6=2001:db8:51::10
	OSS4_PLAIN=198.51.100.11
	# the independent notification receiver (snmptrapd): its own address, so provsrv owns
	# prov.example.net:162 ($OSS4/$OSS6); the IPv6 one deprecated (never a source address)
	TRAPD4=198.51.100.12;   TRAPD6=2001:db8:51::12
	OSS6_ROGUE=2001:db8:51::11
	CMTS_OSS4=198.51.100.1; CMTS_OSS6=2001:db8:51::1
	CMTS_CPE4=203.0.113.1;  CMTS_CPE6=2001:db8:113::1
	CPE4_NET=203.0.113.0;   CPE6_NET=2001:db8:113::
	CPE4_POOL="203.0.113.100 - 203.0.113.199"
	CPE4_POOL_PLAIN="203.0.113.200 - 203.0.113.249"
	CPE6_POOL="2001:db8:113::100 - 2001:db8:113::1ff"
	CPE6_POOL_ROGUE="2001:db8:113::200 - 2001:db8:113::2ff"
	EUE_STATIC4=203.0.113.50; EUE_STATIC6=2001:db8:113::50
	MAC_ECM=02:00:00:00:0c:01; MAC_EUE=02:00:00:00:0e:01
	MAC_OSS=02:00:00:00:05:01; MAC_CMTS_OSS=02:00:00:00:01:01; MAC_BR=02:00:00:00:01:02
	DOMAIN=example.net
	PROV_FQDN=prov.example.net
	REALM=${LAB_REALM:-EXAMPLE.NET}
	EUE_REALM=${LAB_EUE_REALM:-$REALM}
	IP_PREF4=${LAB_IP_PREF4:-2}
	IP_PREF6=${LAB_IP_PREF6:-2}
	TIME_OFFSET=${LAB_TIME_OFFSET:--18000}
	LEASE_TIME=${LAB_LEASE_TIME:-3600}
	RENEW_TIME=$((LEASE_TIME / 2)); REBIND_TIME=$((LEASE_TIME * 7 / 8))
	ECM_CONFIG_FILE=${LAB_ECM_CONFIG_FILE:-ecm-config.bin}
	EUE_CONFIG_FILE=${LAB_EUE_CONFIG_FILE:-eue-config.bin}
	# LAB_CL33=eue: a DHCPv6 host reservation (the eUE's MAC, from its DUID) names the Basic file
	# in 4491.33; the reservation needs its own vendor-opts container, or Kea 2.2 ignores the
	# sub-option (the global sub-options are still all sent)
	EUE6_RESERVATION=""
	if [ "${LAB_CL33:-ecm}" = eue ]; then
		EUE6_RESERVATION=", \"reservations\": [ { \"hw-address\": \"$MAC_EUE\", \"option-data\": [ { \"name\": \"vendor-opts\", \"data\": \"4491\" }, { \"space\": \"vendor-4491\", \"name\": \"config-file\", \"data\": \"$EUE_CONFIG_FILE\", \"always-send\": true } ] } ]"
	fi
	SYSLOG4_HEX=$(ip4hex "$OSS4")
	DSS_ID_IDENT=${LAB_DSS_ID_IDENT:-0102030405}
	DSS_ID=00020000118b$DSS_ID_IDENT          # DUID-EN, enterprise 4491 = Kea6's server-id
	EUE_PRINC=${LAB_EUE_PRINC:-eue1}
	SNMP_USER_SHA=informsha; SNMP_AUTH_SHA=labauthpass1; SNMP_PRIV_SHA=labprivpass1
	SNMP_USER_MD5=informmd5; SNMP_AUTH_MD5=labauthpass2; SNMP_PRIV_MD5=labprivpass2
	EUE_STATIC=${LAB_EUE_STATIC:-1}
	EUE_DAD=${LAB_EUE_DAD:-0}
	case ${LAB_RA_MANAGED:-1} in 0) RA_MANAGED=off ;; *) RA_MANAGED=on ;; esac
	case ${LAB_RA_UNICAST:-0} in 1) RA_UNICAST=on ;; *) RA_UNICAST=off ;; esac
	case ${LAB_TIME_UDP:-1} in 0) TIME_UDP_DISABLE=yes ;; *) TIME_UDP_DISABLE=no ;; esac
	# LAB_LEASE6_PERSIST=1: Kea DHCPv6 keeps its leases in a file, so a reload (SIGHUP) keeps them
	# (@RUN@ in the value is filled by render(), which substitutes LEASE6_DB before RUN)
	if [ "${LAB_LEASE6_PERSIST:-0}" = 1 ]; then
		LEASE6_DB="\"type\": \"memfile\", \"persist\": true, \"name\": \"@RUN@/kea/kea-leases6.csv\", \"lfc-interval\": 0"
	else
		LEASE6_DB="\"type\": \"memfile\", \"persist\": false"
	fi
	DOWN_LIST=" ${LAB_DOWN:-} "
	OPT125_HEX=${LAB_OPT125_HEX:-$(opt125_hex)}
	CCCV6_HEX=${LAB_CCCV6_HEX:-$(cccv6_hex)}
	# the rogue DHCPv6 server's CCCv6: its own DUID as DSS_ID (not the one the eCM was given)
	CCCV6_ROGUE_HEX=$(DSS_ID=00020000118b0909090909 cccv6_hex)
}

hexstr() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
hexlen1() { printf '%02x' $((${#1} / 2)); }
hexlen2() { printf '%04x' $((${#1} / 2)); }
dnswire() {  # name -> DNS wire format in hex (RFC 1035 labels, root label at the end)
	local out="" l IFS=.
	for l in $1; do out+=$(printf '%02x' ${#l})$(hexstr "$l"); done
	printf '%s00' "$out"
}
ip4hex() { local IFS=.; set -- $1; printf '%02x%02x%02x%02x' "$1" "$2" "$3" "$4"; }

opt125_hex() {  # V-I vendor-specific info, enterprise 4491: sub 2, 123 (CCCv6: DSS_ID), 124 (IP_PREF)
	local s2="0204$(ip4hex "$OSS4")" dss="01$(hexlen1 "$DSS_ID")$DSS_ID" s123 s124 body
	s123="7b$(hexlen1 "$dss")$dss"
	s124="7c01$(printf '%02x' "$IP_PREF4")"
	body="$s2$s123$s124"
	printf '0000118b%s%s' "$(hexlen1 "$body")" "$body"
}

cccv6_hex() {  # CCCv6 (2171) sub-options, 2-byte code and length: 1 DSS_ID, 3 prov server, 4 backoff, 6 realm
	local s1 s3 s4 s6 v
	s1="0001$(hexlen2 "$DSS_ID")$DSS_ID"
	v="00$(dnswire "$PROV_FQDN")"; s3="0003$(hexlen2 "$v")$v"
	v=$(printf '%08x%08x%08x' 100 1000 3); s4="0004$(hexlen2 "$v")$v"
	v=$(dnswire "$EUE_REALM"); s6="0006$(hexlen2 "$v")$v"
	printf '%s%s%s%s' "$s1" "$s3" "$s4" "$s6"
}

TEMPLATE_VARS="LEASE6_DB RUN TRAPD4 TRAPD6 EUE6_RESERVATION OSS4 OSS4_PLAIN OSS6_ROGUE CPE6_POOL_ROGUE CCCV6_ROGUE_HEX CPE4_POOL_PLAIN RA_MANAGED RA_UNICAST TIME_UDP_DISABLE OSS6 CMTS_OSS4 CMTS_OSS6 CMTS_CPE4 CMTS_CPE6 CPE4_NET CPE6_NET CPE4_POOL
 CPE6_POOL DOMAIN PROV_FQDN REALM EUE_REALM IP_PREF6 TIME_OFFSET LEASE_TIME RENEW_TIME REBIND_TIME
 ECM_CONFIG_FILE EUE_CONFIG_FILE DSS_ID_IDENT OPT125_HEX CCCV6_HEX SNMP_USER_SHA SNMP_AUTH_SHA
 SNMP_PRIV_SHA SNMP_USER_MD5 SNMP_AUTH_MD5 SNMP_PRIV_MD5"

render() {  # render NAME OUT: templates/NAME.in (or $LAB_TEMPLATES_DIR/NAME.in) -> OUT, @VAR@ filled
	local src="$LAB_SRC/templates/$1.in" v args=()
	[ -n "${LAB_TEMPLATES_DIR:-}" ] && [ -f "$LAB_TEMPLATES_DIR/$1.in" ] && src="$LAB_TEMPLATES_DIR/$1.in"
	for v in $TEMPLATE_VARS; do args+=(-e "s|@$v@|${!v}|g"); done
	sed "${args[@]}" "$src" > "$2" || die "render $1"
	if grep -Ev '^ *(#|//)' "$2" | grep -q '@[A-Z0-9_]*@'; then die "unfilled placeholder in $2"; fi
}

# ------------------------------------------------------------------------------------------------
# Run directory and its env file

resolve_run() {  # sets RUN from $1, $LAB_RUN or build/lab/last
	RUN=${1:-${LAB_RUN:-}}
	if [ -z "$RUN" ] && [ -L "$LAB_BASE/last" ]; then RUN=$(readlink -f "$LAB_BASE/last"); fi
	[ -n "$RUN" ] && [ -f "$RUN/lab.env" ] || die "no lab run directory (give RUN, set LAB_RUN, or run 'up')"
	# shellcheck disable=SC1091
	. "$RUN/lab.env"
}

write_env() {
	{
		echo "# lab run $RUNID, written by tests/lab/lab.sh; shell syntax, one KEY=VALUE per line"
		local v
		for v in RUNID RUN NS_OSS NS_CMTS NS_EUE OSS4 OSS6 CMTS_OSS4 CMTS_OSS6 CMTS_CPE4 CMTS_CPE6 \
			EUE_STATIC4 EUE_STATIC6 MAC_ECM MAC_EUE DOMAIN PROV_FQDN REALM EUE_REALM DSS_ID \
			TRAPD4 TRAPD6 SYSLOG4_HEX \
			ECM_CONFIG_FILE EUE_CONFIG_FILE EUE_PRINC EUE_STATIC SNMP_USER_SHA SNMP_AUTH_SHA \
			SNMP_PRIV_SHA SNMP_USER_MD5 SNMP_AUTH_MD5 SNMP_PRIV_MD5 OPT125_HEX CCCV6_HEX; do
			printf 'LAB_%s=%q\n' "$v" "${!v}"
		done
		printf 'LAB_KRB5_CONFIG=%q\n' "$RUN/krb5/krb5-client.conf"
		printf 'LAB_PKI=%q\n' "$RUN/pki"
		# read again by `lab.sh server start nfqdelay`
		printf 'LAB_DELAY=%q\nLAB_DELAY_JITTER=%q\n' "${LAB_DELAY:-}" "${LAB_DELAY_JITTER:-}"
		printf 'LAB_SERVERS=%q\n' "${SERVERS_STARTED% }"
		printf 'LAB_OWNER_PID=%q\n' "$OWNER_PID"
		printf 'LAB_OWNER_START=%q\n' "$(proc_start "$OWNER_PID")"
	} > "$RUN/lab.env"
}

# ------------------------------------------------------------------------------------------------
# Namespaces and links

ns_of() {
	case "$1" in
	oss) echo "$NS_OSS" ;; cmts) echo "$NS_CMTS" ;; eue) echo "$NS_EUE" ;;
	*) die "unknown namespace role '$1' (oss|cmts|eue)" ;;
	esac
}

net_up() {
	local ns dad=0 ifc
	for ns in "$NS_OSS" "$NS_CMTS" "$NS_EUE"; do
		ip netns add "$ns" || return 1
		NS_MADE+=" $ns"
		mkdir -p "/etc/netns/$ns" && render resolv.conf "/etc/netns/$ns/resolv.conf" || return 1
	done
	[ "$EUE_DAD" = 1 ] && dad=1
	ip netns exec "$NS_OSS" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 || return 1
	ip netns exec "$NS_CMTS" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 || return 1
	ip netns exec "$NS_EUE" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv6.conf.all.accept_dad=$dad net.ipv6.conf.default.accept_dad=$dad || return 1
	# Links are created inside the namespaces (never in the host's), peers moved straight across.
	ip -n "$NS_EUE" link add eue-cm address "$MAC_ECM" type veth peer name cpe-cm netns "$NS_CMTS" &&
	ip -n "$NS_EUE" link add eue-ue address "$MAC_EUE" type veth peer name cpe-ue netns "$NS_CMTS" &&
	ip -n "$NS_OSS" link add oss0 address "$MAC_OSS" type veth peer name cmts-oss netns "$NS_CMTS" || return 1
	ip -n "$NS_CMTS" -b - <<-EOF || return 1
		link set cmts-oss address $MAC_CMTS_OSS
		link add br-cpe address $MAC_BR type bridge forward_delay 0 stp_state 0
		link set cpe-cm master br-cpe
		link set cpe-ue master br-cpe
		link set lo up
		link set cmts-oss up
		link set cpe-cm up
		link set cpe-ue up
		link set br-cpe up
		addr add $CMTS_OSS4/24 dev cmts-oss
		addr add $CMTS_OSS6/64 dev cmts-oss nodad
		addr add $CMTS_CPE4/24 dev br-cpe
		addr add $CMTS_CPE6/64 dev br-cpe nodad
	EOF
	ip -n "$NS_OSS" -b - <<-EOF || return 1
		link set lo up
		link set oss0 up
		addr add $OSS4/24 dev oss0
		addr add $OSS4_PLAIN/24 dev oss0
		addr add $TRAPD4/24 dev oss0
		addr add $OSS6/64 dev oss0 nodad
		addr add $TRAPD6/64 dev oss0 nodad preferred_lft 0
		route add default via $CMTS_OSS4
		route add default via $CMTS_OSS6
	EOF
	ip -n "$NS_EUE" -b - <<-EOF || return 1
		link set lo up
		link set eue-cm up
		link set eue-ue up
	EOF
	if [ "$EUE_STATIC" = 1 ]; then
		ip -n "$NS_EUE" -b - <<-EOF || return 1
			addr add $EUE_STATIC4/24 dev eue-ue
			addr add $EUE_STATIC6/64 dev eue-ue nodad
			route add default via $CMTS_CPE4 dev eue-ue
			route add default via $CMTS_CPE6 dev eue-ue metric 100
		EOF
	fi
	# LAB_NETEM: an impaired cable plant, on the CMTS's interfaces only (cpe-cm, cpe-ue: towards
	# the device; cmts-oss: towards the servers), so each direction gets it once
	if [ -n "${LAB_NETEM:-}" ]; then
		for ifc in cpe-cm cpe-ue cmts-oss; do
			# shellcheck disable=SC2086
			ip netns exec "$NS_CMTS" tc qdisc add dev "$ifc" root netem $LAB_NETEM ||
				{ echo "lab: error: tc netem $LAB_NETEM on $ifc failed (kernel without sch_netem?)" >&2; return 1; }
		done
		log "netem on cpe-cm, cpe-ue, cmts-oss: $LAB_NETEM"
	fi
	# LAB_LOSS: random loss without netem (kernels without sch_netem): iptables' statistic match
	# drops LAB_LOSS % of what enters the CMTS from either side, IPv4 and IPv6
	if [ -n "${LAB_LOSS:-}" ]; then
		local ipt p
		p=$(awk -v l="$LAB_LOSS" 'BEGIN { printf "%.4f", l / 100 }')
		for ipt in iptables ip6tables; do
			for ifc in br-cpe cmts-oss; do
				ip netns exec "$NS_CMTS" "$ipt" -t raw -A PREROUTING -i "$ifc" -m statistic \
					--mode random --probability "$p" -j DROP ||
					{ echo "lab: error: $ipt statistic drop on $ifc failed (iptables installed?)" >&2; return 1; }
			done
		done
		log "loss $LAB_LOSS % into the CMTS from br-cpe and cmts-oss (iptables statistic)"
	fi
	delay_rules || return 1
}

# LAB_DELAY: without sch_netem, the CMTS delays in user space: every packet it routes (FORWARD) or
# sends itself (OUTPUT: dhcrelay, radvd, ND) goes to NFQUEUE 0, and nfqdelay (start_servers) gives
# the verdict LAB_DELAY ms later. So each packet is delayed once per crossing, as netem on the
# CMTS's interfaces would. --queue-bypass: until nfqdelay has bound the queue (or once it is
# stopped, `lab.sh server stop nfqdelay`), packets pass undelayed instead of being dropped.
delay_rules() {
	[ -n "${LAB_DELAY:-}" ] || return 0
	case "$LAB_DELAY${LAB_DELAY_JITTER:-}" in *[!0-9]*) echo "lab: error: LAB_DELAY/LAB_DELAY_JITTER: want ms" >&2; return 1 ;; esac
	[ -x "$ROOT/build/host/bin/nfqdelay" ] ||
		{ echo "lab: error: LAB_DELAY needs build/host/bin/nfqdelay (apt-get install libnetfilter-queue-dev; make)" >&2; return 1; }
	local ipt
	for ipt in iptables ip6tables; do
		ip netns exec "$NS_CMTS" "$ipt" -A FORWARD -j NFQUEUE --queue-num 0 --queue-bypass &&
		ip netns exec "$NS_CMTS" "$ipt" -A OUTPUT ! -o lo -j NFQUEUE --queue-num 0 --queue-bypass ||
			{ echo "lab: error: $ipt NFQUEUE rule failed (kernel without nfnetlink_queue?)" >&2; return 1; }
	done
	log "delay ${LAB_DELAY} ms${LAB_DELAY_JITTER:+ +-$LAB_DELAY_JITTER ms} on what the CMTS forwards or sends (NFQUEUE 0, nfqdelay)"
}

# ------------------------------------------------------------------------------------------------
# PKI (openssl, per run): lab-ca -> kdc;  device-root -> mfg-ca -> device (CN = eUE MAC)

pki_make() {
	local d="$RUN/pki" cnf="$RUN/pki/openssl.cnf" k pre=()
	export OPENSSL_CONF=/dev/null
	# A KDC whose clock is behind (LAB_KDC_CLOCK_OFFSET=-N) would see certificates made this very
	# second as not yet valid (KDC_ERR_INVALID_CERTIFICATE), which a field device's years-old
	# certificate never is: then they are made under the same offset, less a minute.
	case "${LAB_KDC_CLOCK_OFFSET:-}" in
	-[0-9]*) kdc_clock_env && pre=(env "${KDC_CLOCK_ENV[@]/#FAKETIME=*/FAKETIME=$((LAB_KDC_CLOCK_OFFSET - 60))}") ;;
	esac
	for k in lab-ca kdc device-root mfg-ca device; do
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/$k.key" 2>/dev/null &
	done
	wait || return 1
	"${pre[@]}" openssl req -new -x509 -config "$cnf" -key "$d/lab-ca.key" -subj "/O=Example Lab/CN=Lab Service Provider CA" \
		-days 3650 -extensions v3_ca -out "$d/lab-ca.pem" &&
	"${pre[@]}" openssl req -new -x509 -config "$cnf" -key "$d/device-root.key" -subj "/O=Lab Device Root/CN=Lab Device Root CA" \
		-days 3650 -extensions v3_ca -out "$d/device-root.pem" || return 1
	sign() {  # sign NAME SUBJECT CA EXT
		openssl req -new -config "$cnf" -key "$d/$1.key" -subj "$2" |
		"${pre[@]}" openssl x509 -req -CA "$d/$3.pem" -CAkey "$d/$3.key" -set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
			-days 365 -extfile "$cnf" -extensions "$4" -out "$d/$1.pem" 2>/dev/null
	}
	sign kdc "/O=Example Lab/CN=kdc.$DOMAIN" lab-ca v3_kdc &&
	sign mfg-ca "/O=Lab Device Maker/CN=Lab Manufacturer CA" device-root v3_ca &&
	sign device "/O=Lab Device Maker/OU=eUE/CN=$MAC_EUE" mfg-ca v3_device || return 1
	cat "$d/device.pem" "$d/mfg-ca.pem" > "$d/device-chain.pem"
	openssl verify -CAfile "$d/device-root.pem" -untrusted "$d/mfg-ca.pem" "$d/device.pem" >/dev/null &&
	openssl verify -CAfile "$d/lab-ca.pem" "$d/kdc.pem" >/dev/null
}

krb_make() {  # realm database, principals, keytab (file-only work; no network)
	local k="$RUN/krb5"
	export KRB5_CONFIG="$k/krb5.conf" KRB5_KDC_PROFILE="$k/kdc.conf"
	kdb5_util create -s -r "$REALM" -P labmasterpw -W >"$k/kdb5_util.log" 2>&1 || return 1
	# PKINIT-only client: no key, preauth required; its cert (CN = MAC, no pkinit SAN) is mapped here.
	kadmin.local -r "$REALM" >"$k/kadmin.log" 2>&1 <<-EOF || return 1
		addprinc -nokey +requires_preauth $EUE_PRINC@$REALM
		set_string $EUE_PRINC@$REALM pkinit_cert_match "<SUBJECT>.*CN=$MAC_EUE.*"
		addprinc -randkey mtaprovsrvr/$PROV_FQDN@$REALM
		ktadd -k $k/prov.keytab mtaprovsrvr/$PROV_FQDN@$REALM
	EOF
	grep -q 'error\|Error' "$k/kadmin.log" && { cat "$k/kadmin.log" >&2; return 1; }
	return 0
}

# ------------------------------------------------------------------------------------------------
# Servers

start() {  # start NAME ROLE CMD... : foreground daemon in namespace ROLE, PID recorded
	local name=$1 ns
	ns=$(ns_of "$2"); shift 2
	if [ -n "${ONLY:-}" ]; then [ "$name" = "$ONLY" ] || return 0; else
		case "$DOWN_LIST" in *" $name "*) log "  $name: not started (LAB_DOWN)"; return 0 ;; esac
	fi
	ip netns exec "$ns" "$@" </dev/null >>"$RUN/log/$name.log" 2>&1 &
	echo "$name $! $ns" >> "$RUN/pids"
	SERVERS_STARTED+="$name "
}

kdc_clock_env() {  # LAB_KDC_CLOCK_OFFSET=+600: sets KDC_CLOCK_ENV, the environment that shifts krb5kdc's clock
	local off=${LAB_KDC_CLOCK_OFFSET:-} lib
	KDC_CLOCK_ENV=()
	case "$off" in ""|0|+0|-0) return 0 ;; [+-][0-9]*) ;; *) die "LAB_KDC_CLOCK_OFFSET=$off: want +N or -N (seconds)" ;; esac
	case "${off#[+-]}" in *[!0-9]*) die "LAB_KDC_CLOCK_OFFSET=$off: want +N or -N (seconds)" ;; esac
	for lib in /usr/lib/*/faketime/libfaketime.so.1 ""; do [ -e "$lib" ] && break; done
	[ -n "$lib" ] || die "LAB_KDC_CLOCK_OFFSET needs libfaketime (apt-get install faketime; deps/lab.list)"
	# FAKETIME "+600": relative to the real clock, which keeps running; monotonic clocks stay real
	# (krb5kdc's loop timers); no cache, so the offset holds from the first call
	KDC_CLOCK_ENV=("LD_PRELOAD=$lib" "FAKETIME=$off" DONT_FAKE_MONOTONIC=1 FAKETIME_NO_CACHE=1)
}

start_servers() {
	local r="$RUN"
	# first: the delay holds from the first packet a server or the device sends
	if [ -n "${LAB_DELAY:-}" ]; then
		start nfqdelay cmts "$ROOT/build/host/bin/nfqdelay" --queue 0 --delay-ms "$LAB_DELAY" \
			${LAB_DELAY_JITTER:+--jitter-ms "$LAB_DELAY_JITTER"}
	fi
	start kea-dhcp4 oss env KEA_PIDFILE_DIR="$r/kea" KEA_LOCKFILE_DIR="$r/kea" kea-dhcp4 -c "$r/conf/kea-dhcp4.conf"
	if [ "${LAB_DHCP4_PLAIN:-0}" = 1 ]; then
		mkdir -p "$r/kea-plain"
		start kea-dhcp4-plain oss env KEA_PIDFILE_DIR="$r/kea-plain" KEA_LOCKFILE_DIR="$r/kea-plain" \
			kea-dhcp4 -c "$r/conf/kea-dhcp4-plain.conf"
	fi
	start kea-dhcp6 oss env KEA_PIDFILE_DIR="$r/kea" KEA_LOCKFILE_DIR="$r/kea" kea-dhcp6 -c "$r/conf/kea-dhcp6.conf"
	if [ "${LAB_DHCP6_ROGUE:-0}" = 1 ]; then
		# deprecated (preferred 0): never a source address for the other servers' answers
		ip -n "$NS_OSS" addr add "$OSS6_ROGUE/64" dev oss0 nodad preferred_lft 0
		mkdir -p "$r/kea-rogue"
		start kea-dhcp6-rogue oss env KEA_PIDFILE_DIR="$r/kea-rogue" KEA_LOCKFILE_DIR="$r/kea-rogue" \
			kea-dhcp6 -c "$r/conf/kea-dhcp6-rogue.conf"
	fi
	start dnsmasq oss dnsmasq -k -C "$r/conf/dnsmasq.conf" --pid-file="$r/pid/dnsmasq.pidf" --log-facility=-
	kdc_clock_env
	if [ ${#KDC_CLOCK_ENV[@]} -gt 0 ] && { [ -z "${ONLY:-}" ] || [ "$ONLY" = krb5kdc ]; }; then
		log "  krb5kdc: clock offset ${LAB_KDC_CLOCK_OFFSET}s (libfaketime)"
	fi
	start krb5kdc oss env KRB5_CONFIG="$r/krb5/krb5.conf" KRB5_KDC_PROFILE="$r/krb5/kdc.conf" \
		"${KDC_CLOCK_ENV[@]}" krb5kdc -n -P "$r/pid/krb5kdc.pidf"
	start snmptrapd oss env MIBS= SNMP_PERSISTENT_DIR="$r/snmp/trapd" snmptrapd -f -n -Lo -C \
		-c "$r/conf/snmptrapd.conf" -p "$r/pid/snmptrapd.pidf" "udp:$TRAPD4:162" "udp6:[$TRAPD6]:162"
	# The reference provisioning server (eUE-15..25, Hybrid/Basic over SNMPv2c; Secure: key
	# management on UDP 1293 with the keytab, then SNMPv3 with the derived keys): prov.example.net
	if [ -x "$ROOT/build/host/bin/provsrv" ]; then
		# shellcheck disable=SC2086
		start provsrv oss "$ROOT/build/host/bin/provsrv" --listen "udp:$OSS4:162" --listen "udp6:[$OSS6]:162" \
			--template "${LAB_PROVSRV_TEMPLATE:-$LAB_SRC/configs/hybrid.txt}" \
			--tftp-root "$r/tftp" --www-root "$r/www" \
			--url-fqdn "tftp.$DOMAIN" --url-v4 "$OSS4" --url-v6 "$OSS6" \
			--keytab "$r/krb5/prov.keytab" --krb5-conf "$r/krb5/krb5.conf" \
			-D "EUE_REALM=$EUE_REALM" -D "TRAPD4=$TRAPD4" -D "TRAPD6=$TRAPD6" -D "SYSLOG4_HEX=$SYSLOG4_HEX" \
			${LAB_PROVSRV_USM_KEYS:+--usm-keys-file "$r/krb5/provsrv-usm-keys"} ${LAB_PROVSRV_ARGS:-}
	fi
	start tftpd oss in.tftpd -L -v -v -u tftp -s "$r/tftp" -a :69
	start lighttpd oss lighttpd -D -f "$r/conf/lighttpd.conf"
	start rsyslogd oss rsyslogd -n -f "$r/conf/rsyslog.conf" -i "$r/pid/rsyslogd.pidf"
	start xinetd oss xinetd -dontfork -f "$r/conf/xinetd.conf" -pidfile "$r/pid/xinetd.pidf"
	start dhcrelay4 cmts dhcrelay -4 -d -pf "$r/pid/dhcrelay4.pidf" -id br-cpe -iu cmts-oss "$OSS4" \
		$([ "${LAB_DHCP4_PLAIN:-0}" = 1 ] && echo "$OSS4_PLAIN")
	start dhcrelay6 cmts dhcrelay -6 -d -pf "$r/pid/dhcrelay6.pidf" -l br-cpe -u "$OSS6%cmts-oss" \
		$([ "${LAB_DHCP6_ROGUE:-0}" = 1 ] && echo "-u $OSS6_ROGUE%cmts-oss")
	start radvd cmts radvd -n -C "$r/conf/radvd.conf" -p "$r/pid/radvd.pidf" -m stderr
}

# expected listening sockets per server: "proto:port" in its namespace
server_ports() {
	case "$1" in
	kea-dhcp4|kea-dhcp4-plain) echo "udp:67" ;; kea-dhcp6|kea-dhcp6-rogue) echo "udp:547" ;; dnsmasq) echo "udp:53 tcp:53" ;;
	krb5kdc) echo "udp:88 tcp:88" ;; snmptrapd) echo "udp:162" ;; provsrv) echo "udp:162 udp:1293" ;; tftpd) echo "udp:69" ;;
	lighttpd) echo "tcp:80" ;; rsyslogd) echo "udp:514" ;; xinetd) [ "${TIME_UDP_DISABLE:-no}" = yes ] && echo "tcp:37" || echo "udp:37 tcp:37" ;;
	nfqdelay) echo "nfq:0" ;;
	dhcrelay4) echo "udp:67" ;; dhcrelay6) echo "udp:547" ;; *) echo "" ;;
	esac
}

wait_ready() {  # every started server alive and listening, or fail (timeout ~4 s)
	local deadline=$(($(date +%s%N) + 4000000000)) name pid ns missing p ss_oss ss_cmts ss
	while :; do
		missing=""
		ss_oss=$(ip netns exec "$NS_OSS" ss -Hlnut 2>/dev/null | awk '{print $1":"$5}')
		ss_cmts=$(ip netns exec "$NS_CMTS" ss -Hlnut 2>/dev/null | awk '{print $1":"$5}')
		# nfqdelay listens on no socket: "nfq:N" = queue N bound (its line in the namespace's list)
		ss_cmts+=$'\n'$(ip netns exec "$NS_CMTS" awk '{print "nfq:x:" $1}' /proc/net/netfilter/nfnetlink_queue 2>/dev/null)
		while read -r name pid ns; do
			kill -0 "$pid" 2>/dev/null || { die_server "$name" "exited"; return 1; }
			ss=$ss_oss; [ "$ns" = "$NS_CMTS" ] && ss=$ss_cmts
			for p in $(server_ports "$name"); do
				grep -q "^${p%%:*}:.*:${p##*:}\$" <<<"$ss" || missing+=" $name($p)"
			done
		done < "$RUN/pids"
		[ -z "$missing" ] && return 0
		if [ "$(date +%s%N)" -gt "$deadline" ]; then
			printf 'lab: error: not listening:%s\n' "$missing" >&2; return 1
		fi
		sleep 0.02
	done
}

die_server() {
	printf 'lab: error: server %s %s; last lines of %s:\n' "$1" "$2" "$RUN/log/$1.log" >&2
	tail -n 15 "$RUN/log/$1.log" >&2
}

eue_config_make() {  # the Basic file: configs/basic.txt filled, compiled with the in-file hash
	local pktcfg="$ROOT/build/host/bin/pktcfg" txt="${LAB_EUE_CONFIG_TEXT:-$LAB_SRC/configs/basic.txt}"
	if [ ! -x "$pktcfg" ]; then
		# Placeholder PacketCable config file (Table 6): TLV 254 begin marker ... 254 end marker.
		log "  $EUE_CONFIG_FILE: placeholder ($pktcfg not built)"
		printf '\xfe\x01\x01\xfe\x01\xff' > "$RUN/tftp/$EUE_CONFIG_FILE"
		return 0
	fi
	sed -e "s|@EUE_REALM@|$EUE_REALM|g" -e "s|@TRAPD4@|$TRAPD4|g" -e "s|@TRAPD6@|$TRAPD6|g" \
		-e "s|@SYSLOG4_HEX@|$SYSLOG4_HEX|g" -e "s|@DOMAIN@|$DOMAIN|g" "$txt" > "$RUN/conf/eue-config.txt" || return 1
	"$pktcfg" encode --hash -o "$RUN/tftp/$EUE_CONFIG_FILE" "$RUN/conf/eue-config.txt" >"$RUN/log/pktcfg.log" 2>&1 ||
		{ cat "$RUN/log/pktcfg.log" >&2; return 1; }
}

content_make() {  # TFTP/HTTP roots: config files, a 20000-byte blob, scenario files
	local f
	eue_config_make || return 1
	# Placeholder DOCSIS CM config: TLV 3 (network access) = 1, TLV 255 end.
	printf '\x03\x01\x01\xff' > "$RUN/tftp/$ECM_CONFIG_FILE"
	head -c 20000 /dev/urandom > "$RUN/tftp/blob-20000.bin"
	if [ -n "${LAB_FILES_DIR:-}" ]; then cp -r "$LAB_FILES_DIR"/. "$RUN/tftp/" || return 1; fi
	cp -r "$RUN/tftp/." "$RUN/www/"
	chmod 755 "$RUN" "$RUN/tftp" "$RUN/www"
	for f in "$RUN"/tftp/* "$RUN"/www/*; do chmod 644 "$f"; done
	# tftpd chroots into $RUN/tftp as root, then reads as user tftp: the parents must be searchable.
	chmod o+x "$ROOT/build" "$LAB_BASE" 2>/dev/null
	return 0
}

captures_start() {
	local role ifc ns
	for role in oss:oss0 cmts:br-cpe eue:any; do
		ifc=${role#*:}; role=${role%%:*}; ns=$(ns_of "$role")
		ip netns exec "$ns" dumpcap -q -i "$ifc" -w "$RUN/pcap/lab-$role.pcapng" </dev/null >"$RUN/log/dumpcap-$role.log" 2>&1 &
		echo "dumpcap-$role $! $ns" >> "$RUN/pids"
	done
}

# ------------------------------------------------------------------------------------------------
# up / down

need_programs() {  # fail early, with the fix, when `make deps` has not run
	local p missing=""
	for p in ip kea-dhcp4 kea-dhcp6 dhcrelay radvd dnsmasq krb5kdc kdb5_util kadmin.local snmptrapd \
		in.tftpd lighttpd rsyslogd xinetd openssl ss; do
		command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] || missing+=" $p"
	done
	[ -f /usr/lib/x86_64-linux-gnu/krb5/plugins/preauth/pkinit.so ] || ls /usr/lib/*/krb5/plugins/preauth/pkinit.so >/dev/null 2>&1 ||
		missing+=" krb5-pkinit"
	[ -z "$missing" ] || die "missing:$missing (install deps/lab.list: make deps)"
}

proc_start() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }   # start time in ticks: PID + this = one process

cmd_up() {
	need_programs
	OWNER_PID=${LAB_OWNER_PID:-$PPID}   # who is responsible for `down` (the ATP runner, a shell)
	set_defaults
	RUNID=${LAB_RUNID:-$(date +%H%M%S)-$$}
	case "$RUNID" in *[!A-Za-z0-9-]*|"") die "bad LAB_RUNID '$RUNID'" ;; esac
	NS_OSS="lab$RUNID-oss"; NS_CMTS="lab$RUNID-cmts"; NS_EUE="lab$RUNID-eue"
	RUN="$LAB_BASE/$RUNID"
	[ -e "$RUN" ] && die "$RUN exists already"
	ip netns list | grep -q "^lab$RUNID-" && die "namespaces lab$RUNID-* exist already"
	NS_MADE=""; SERVERS_STARTED=""
	mkdir -p "$RUN"/{conf,log,pid,kea,pki,krb5,tftp,www,syslog,pcap,snmp/trapd} || die "mkdir $RUN"
	: > "$RUN/pids"
	write_env
	ln -sfn "$RUNID" "$LAB_BASE/last"
	# From here on, any failure or signal tears everything down again.
	trap 'trap - EXIT; log "interrupted, tearing down"; cmd_down_quiet; exit 130' INT TERM HUP
	trap 'rc=$?; if [ $rc -ne 0 ]; then log "bring-up failed (rc $rc), tearing down"; cmd_down_quiet; fi' EXIT
	log "run $RUNID in $RUN"

	render openssl.cnf "$RUN/pki/openssl.cnf" || exit 1
	pki_make > "$RUN/log/pki.log" 2>&1 &
	local pki_pid=$!
	local t
	for t in kea-dhcp4.conf kea-dhcp4-plain.conf kea-dhcp6.conf kea-dhcp6-rogue.conf radvd.conf dnsmasq.conf snmptrapd.conf lighttpd.conf \
		rsyslog.conf xinetd.conf standin-snmpd.conf; do render "$t" "$RUN/conf/$t" || exit 1; done
	cp "$LAB_SRC/templates/standin-pass.sh" "$RUN/conf/" || exit 1
	render krb5.conf "$RUN/krb5/krb5.conf" && render kdc.conf "$RUN/krb5/kdc.conf" &&
	render kadm5.acl "$RUN/krb5/kadm5.acl" && render krb5-client.conf "$RUN/krb5/krb5-client.conf" || exit 1
	content_make || die "content"
	krb_make || { cat "$RUN/krb5/"*.log >&2; die "Kerberos realm"; }
	net_up || die "namespaces/links"
	log "namespaces $NS_OSS $NS_CMTS $NS_EUE up"
	wait "$pki_pid" || { cat "$RUN/log/pki.log" >&2; die "PKI"; }
	log "PKI done (lab-ca, kdc, device-root -> mfg-ca -> device)"
	[ "${LAB_CAPTURE:-0}" = 1 ] && captures_start
	start_servers
	wait_ready || die "servers not ready"
	write_env
	log "servers ready: $SERVERS_STARTED"
	trap - INT TERM HUP EXIT
	echo "$RUN"
}

ns_inode() { stat -L -c %i "/run/netns/$1" 2>/dev/null; }

in_our_ns() {  # PID lives in one of this run's namespaces
	local ino
	ino=$(stat -L -c %i "/proc/$1/ns/net" 2>/dev/null) || return 1
	case " $OUR_INODES " in *" $ino "*) return 0 ;; esac
	return 1
}

cmd_down_quiet() {
	local ns name pid rest alive i
	OUR_INODES=""
	for ns in ${NS_OSS:-} ${NS_CMTS:-} ${NS_EUE:-}; do OUR_INODES+=" $(ns_inode "$ns")"; done
	# 1. TERM the recorded PIDs (only while they still live in our namespaces: no PID reuse victims).
	#    Lab-long captures first, after a pause: dumpcap loses what the kernel ring has not yet
	#    delivered (up to about 250 ms) when it is stopped.
	if [ -f "${RUN:-/nonexistent}/pids" ] && grep -q '^dumpcap-' "$RUN/pids"; then
		sleep 0.6
		while read -r name pid rest; do
			case "$name" in dumpcap-*) in_our_ns "$pid" && kill -TERM "$pid" 2>/dev/null ;; esac
		done < "$RUN/pids"
		sleep 0.1
	fi
	if [ -f "${RUN:-/nonexistent}/pids" ]; then
		while read -r name pid rest; do
			in_our_ns "$pid" && kill -TERM "$pid" 2>/dev/null
		done < "$RUN/pids"
	fi
	# 2. anything else still inside our namespaces (started by the runner: clients, dumpcap, devices)
	for ns in ${NS_OSS:-} ${NS_CMTS:-} ${NS_EUE:-}; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null; done
	done
	for i in $(seq 1 50); do
		alive=""
		for ns in ${NS_OSS:-} ${NS_CMTS:-} ${NS_EUE:-}; do alive+=$(ip netns pids "$ns" 2>/dev/null); done
		[ -z "$alive" ] && break
		sleep 0.02
	done
	for ns in ${NS_OSS:-} ${NS_CMTS:-} ${NS_EUE:-}; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
	done
	for ns in ${NS_OSS:-} ${NS_CMTS:-} ${NS_EUE:-}; do
		ip netns del "$ns" 2>/dev/null
		case "$ns" in lab*-oss|lab*-cmts|lab*-eue) rm -rf "/etc/netns/$ns" ;; esac
	done
	return 0
}

cmd_down() {
	resolve_run "${1:-}"
	NS_OSS=$LAB_NS_OSS; NS_CMTS=$LAB_NS_CMTS; NS_EUE=$LAB_NS_EUE
	cmd_down_quiet
	local left
	left=$(ip netns list | grep -c "^lab$LAB_RUNID-")
	[ "$left" = 0 ] || die "namespaces left: $(ip netns list | grep "^lab$LAB_RUNID-")"
	log "down: run $LAB_RUNID (namespaces and /etc/netns entries removed)"
}

cmd_status() {
	resolve_run "${1:-}"
	local ns name pid rest st
	echo "run $LAB_RUNID: $RUN"
	for ns in "$LAB_NS_OSS" "$LAB_NS_CMTS" "$LAB_NS_EUE"; do
		if ip netns list | grep -q "^$ns\b"; then echo "namespace $ns: up"; else echo "namespace $ns: absent"; fi
	done
	while read -r name pid rest; do
		if kill -0 "$pid" 2>/dev/null; then st=running; else st=gone; fi
		printf '  %-12s pid %-7s %s\n' "$name" "$pid" "$st"
	done < "$RUN/pids"
	for ns in "$LAB_NS_OSS" "$LAB_NS_CMTS"; do
		ip netns list | grep -q "^$ns\b" || continue
		echo "listening in $ns:"
		ip netns exec "$ns" ss -Hlnut | awk '{printf "  %s %s\n", $1, $5}' | sort -u
	done
}

cmd_exec() {  # exec [RUN] ROLE CMD...
	local run=""
	case "${1:-}" in oss|cmts|eue) ;; *) run=${1:-}; shift ;; esac
	resolve_run "$run"
	local role=$1; shift
	NS_OSS=$LAB_NS_OSS; NS_CMTS=$LAB_NS_CMTS; NS_EUE=$LAB_NS_EUE
	export_env
	exec ip netns exec "$(ns_of "$role")" "$@"
}

export_env() { local v; for v in $(sed -n 's/^\(LAB_[A-Z0-9_]*\)=.*/\1/p' "$RUN/lab.env"); do export "${v?}"; done; export LAB_RUN="$RUN"; }

cmd_server() {  # server [RUN] stop|start NAME: a fault in the middle of a scenario
	local run="" op name pid rest i
	case "${1:-}" in stop|start) ;; *) run=${1:-}; shift ;; esac
	op=${1:-}; name=${2:-}
	[ -n "$name" ] || die "usage: lab.sh server [RUN] stop|start NAME"
	resolve_run "$run"
	NS_OSS=$LAB_NS_OSS; NS_CMTS=$LAB_NS_CMTS; NS_EUE=$LAB_NS_EUE
	OUR_INODES=""
	for i in "$NS_OSS" "$NS_CMTS" "$NS_EUE"; do OUR_INODES+=" $(ns_inode "$i")"; done
	case "$op" in
	stop)
		read -r _ pid rest < <(grep "^$name " "$RUN/pids" | tail -n 1) || die "no server $name in this lab"
		if in_our_ns "$pid"; then
			kill -TERM "$pid" 2>/dev/null
			for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.02; done
			in_our_ns "$pid" && kill -KILL "$pid" 2>/dev/null
		fi
		sed -i "/^$name /d" "$RUN/pids"
		log "server $name stopped (pid $pid)"
		;;
	start)
		grep -q "^$name " "$RUN/pids" && die "server $name is running already"
		for i in $(sed -n 's/^LAB_\([A-Z0-9_]*\)=.*/\1/p' "$RUN/lab.env"); do
			case "$i" in RUN|SERVERS|OWNER_PID|OWNER_START) continue ;; esac
			eval "$i=\$LAB_$i"
		done
		ONLY=$name; DOWN_LIST=" "; SERVERS_STARTED=""
		start_servers
		[ -n "$SERVERS_STARTED" ] || die "unknown server $name"
		wait_ready || die "server $name not ready"
		log "server $name started again"
		;;
	*) die "usage: lab.sh server [RUN] stop|start NAME" ;;
	esac
}

cmd_run() {
	local out rc
	out=$(cmd_up) || exit 1
	RUN=$(tail -n 1 <<<"$out")
	resolve_run "$RUN"
	NS_OSS=$LAB_NS_OSS; NS_CMTS=$LAB_NS_CMTS; NS_EUE=$LAB_NS_EUE
	trap 'cmd_down_quiet; exit 130' INT TERM HUP
	export_env
	"$@"; rc=$?
	cmd_down "$RUN"
	exit $rc
}

cmd_clean() {  # tear down orphaned labs (owner dead), then remove run directories without a live lab
	local d id n=0 owner start
	for d in "$LAB_BASE"/*/; do
		[ -L "${d%/}" ] && continue            # build/lab/last: never follow it
		[ -f "$d/lab.env" ] || continue
		id=$(basename "$d")
		ip netns list | grep -q "^lab$id-" || continue
		owner=$(sed -n 's/^LAB_OWNER_PID=//p' "$d/lab.env"); start=$(sed -n 's/^LAB_OWNER_START=//p' "$d/lab.env")
		if [ -n "$owner" ] && [ -n "$start" ] && [ "$(proc_start "$owner")" = "$start" ]; then
			log "clean: lab $id is live (owner pid $owner), kept"; continue
		fi
		if [ -z "$owner" ] || [ "$owner" = manual ]; then log "clean: lab $id is a manual one, kept (lab.sh down $d)"; continue; fi
		log "clean: lab $id is orphaned (owner pid $owner gone): down"
		( cmd_down "${d%/}" )
	done
	for d in "$LAB_BASE"/*/; do
		[ -L "${d%/}" ] && continue
		[ -f "$d/lab.env" ] || continue
		id=$(basename "$d")
		case "$id" in *[!A-Za-z0-9-]*|"") continue ;; esac
		ip netns list | grep -q "^lab$id-" && continue
		rm -rf "${d%/}" && n=$((n + 1))
	done
	[ -L "$LAB_BASE/last" ] && [ ! -e "$LAB_BASE/last" ] && rm -f "$LAB_BASE/last"
	log "clean: $n old run directories removed"
}

[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
case "${1:-}" in
up) shift; cmd_up ;;
down) shift; cmd_down "$@" ;;
status) shift; cmd_status "$@" ;;
exec) shift; cmd_exec "$@" ;;
run) shift; cmd_run "$@" ;;
clean) shift; cmd_clean ;;
server) shift; cmd_server "$@" ;;
*) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
