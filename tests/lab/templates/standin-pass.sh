#!/bin/sh
# tests/lab/templates/standin-pass.sh: snmpd `pass` program standing in for the eUE's
# provisioning objects in the lab self-tests (lab-provsrv-*.scn), until eued has its agent.
# lab.sh copies it to $RUN/conf/; standin-snmpd.conf.in runs it as
#   pass OID /bin/sh standin-pass.sh STATEDIR  (-g OID | -n OID | -s OID TYPE VALUE)
# A SET of pktcMtaDevConfigFile.0 / pktcMtaDevProvConfigHash.0 (RFC 4682 or CableLabs OIDs)
# is stored in STATEDIR/cfgfile and STATEDIR/hash (hex, no spaces) and appended to
# STATEDIR/set.log as "OID TYPE VALUE"; anything else is notWritable.  GET returns
# pktcMtaDevSerialNumber.0 and what was SET; GETNEXT returns nothing (no walk).
dir=$1
shift
mkdir -p "$dir" || exit 1
reply() { printf '%s\n%s\n%s\n' "$1" "$2" "$3"; }
case "$1" in
-g)
	case "$2" in
	.1.3.6.1.2.1.140.1.1.2.0) reply "$2" string "STANDIN-0001" ;;
	.1.3.6.1.2.1.140.1.2.9.0|.1.3.6.1.4.1.4491.2.2.1.1.2.5.0)
		[ -f "$dir/cfgfile" ] && reply "$2" string "$(cat "$dir/cfgfile")" ;;
	esac
	;;
-s)
	echo "$2 $3 $4" >> "$dir/set.log"
	case "$2" in
	.1.3.6.1.2.1.140.1.2.9.0|.1.3.6.1.4.1.4491.2.2.1.1.2.5.0)
		[ "$3" = string ] || { echo wrong-type; exit 0; }
		printf '%s\n' "$4" > "$dir/cfgfile" ;;
	.1.3.6.1.2.1.140.1.2.11.0|.1.3.6.1.4.1.4491.2.2.1.1.2.7.0)
		# 20 binary bytes arrive as octet "HH HH ..." (snmpd's bin2asc); keep plain hex
		h=$(printf '%s' "$4" | tr -d ' ' | tr 'A-F' 'a-f')
		[ ${#h} = 40 ] || { echo wrong-length; exit 0; }
		printf '%s\n' "$h" > "$dir/hash" ;;
	*) echo not-writable ;;
	esac
	;;
esac
exit 0
