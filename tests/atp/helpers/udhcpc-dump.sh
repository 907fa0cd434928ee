#!/bin/sh
# busybox udhcpc script for stand-in clients: prints what the lease brought, configures nothing.
case "$1" in
bound|renew)
	echo "udhcpc: $1 on $interface"
	env | grep -E '^(opt[0-9]+|ip|siaddr|sname|boot_file|router|dns|serverid|subnet|lease|domain|timezone|ntpsrv)=' | sort
	;;
esac
exit 0
