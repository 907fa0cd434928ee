# trace-lib.sh: sourced by the reliability helpers that act on a running eUE (usm-intruder.sh,
# snmp-before-keys.sh).
#   trace_wait TRACE REGEX [TENTHS]  until a line of eued's step trace matches (default 60 s)
#   trace_agent TRACE                the eUE's agent as Net-SNMP names it, from its last lease
#                                    (udp:A.B.C.D:161 or udp6:[..]:161), empty without one
trace_wait() {
	_i=0
	while [ $_i -lt "${3:-600}" ]; do
		grep -Eq "$2" "$1" 2>/dev/null && return 0
		sleep 0.1; _i=$((_i + 1))
	done
	return 1
}
trace_agent() {
	sed -n -e 's|.* MTA4/ack ack addr=\([0-9.]*\)/.*|udp:\1:161|p' \
		-e 's|.* eUE-4/bound ok addr=\([0-9a-fA-F:]*\) .*|udp6:[\1]:161|p' "$1" | tail -n 1
}
