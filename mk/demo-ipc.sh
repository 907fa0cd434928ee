#!/bin/sh
# demo-ipc.sh BUILD_DIR: the part of `make demo` that needs no lab: ecmd and
# eued start on the host from a board.conf, connect over their
# SOCK_SEQPACKET channel and exchange their first records.  ecmd's CM
# provisioning does not exist yet, so it announces the eUE mode it is told
# (--announce); the log says so.
set -eu
bin=$1/bin
run=$1/demo-ipc
rm -rf "$run"
mkdir -p "$run"
sed -e "s|^nvram_dir = .*|nvram_dir = $run/nvram|" -e "s|^ipc_path = .*|ipc_path = $run/ipc.sock|" \
	boards/host/board.conf > "$run/board.conf"
echo "== demo: ecmd <-> eued over the IPC channel (host, no lab) =="
echo "   board: $run/board.conf"
"$bin/ecmd" -c "$run/board.conf" --announce ipv6 --once 2> "$run/ecmd.log" &
ecmd_pid=$!
trap 'kill $ecmd_pid 2>/dev/null || true' EXIT INT TERM
"$bin/eued" -c "$run/board.conf" --once 2> "$run/eued.log" &
eued_pid=$!
ok=1
wait $eued_pid || ok=0
wait $ecmd_pid || ok=0
trap - EXIT INT TERM
sort -s -n -k1,1 "$run/ecmd.log" "$run/eued.log" | sed 's/^/   /'
if [ $ok = 1 ] && grep -q 'type=cm-ready' "$run/eued.log" && grep -q 'type=eue-state' "$run/ecmd.log"; then
	echo "   result: both daemons exchanged their records (logs in $run)"
else
	echo "   result: FAILED (logs in $run)"
	exit 1
fi
