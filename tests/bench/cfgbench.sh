#!/bin/sh
# cfgbench.sh BUILD_DIR: config-file codec and pktcfg CLI figures (make bench).
# If rlaager/docsis's `docsis` binary is found (DOCSIS=/path/to/docsis, or in
# PATH), the same text files are compiled by it too: identical output is
# checked and the wall-time ratio printed ("docsis -p IN OUT", no hash, against
# "pktcfg encode IN -o OUT").  It is never built from here.
set -u
O=$1
BIN=$O/bin/pktcfg
BENCH=$O/bench/cfgbench
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
DOCSIS=${DOCSIS:-$(command -v docsis 2>/dev/null || true)}
echo "== in-process codec (tlv/cfg*.c)"
for n in 20 2000; do
	echo "-- $n varbinds"
	"$BENCH" $n "$W/f$n.txt" || exit 1
done
echo "== whole process: pktcfg encode (best of 5 wall time; peak RSS from /usr/bin/time)"
# wall microseconds of one run of "$@"
usec() {
	a=$(date +%s%N); "$@" > /dev/null 2>&1; rc=$?; b=$(date +%s%N)
	echo $(( (b - a) / 1000 )); return $rc
}
best_of5() {
	best=
	for i in 1 2 3 4 5; do
		cur=$(usec "$@") || return 1
		if [ -z "$best" ] || [ "$cur" -lt "$best" ]; then best=$cur; fi
	done
	echo "$best"
}
echo "process baseline (/bin/true): $(best_of5 /bin/true) us"
for n in 20 2000; do
	us=$(best_of5 "$BIN" encode "$W/f$n.txt" -o "$W/f$n.bin") || exit 1
	/usr/bin/time -f "%M" -o "$W/t" "$BIN" encode "$W/f$n.txt" -o "$W/f$n.bin" || exit 1
	echo "pktcfg  $n varbinds: $(stat -c %s "$W/f$n.bin") bytes, $us us, peak RSS $(cat "$W/t") KiB"
	hus=$(best_of5 "$BIN" encode --hash "$W/f$n.txt" -o "$W/h$n.bin") || exit 1
	"$BIN" hash "$W/h$n.bin" | grep -q " match$" || exit 1   # the in-file hash checks out
	echo "pktcfg  $n varbinds with --hash: $hus us"
	if [ -n "$DOCSIS" ]; then
		dus=$(best_of5 "$DOCSIS" -p "$W/f$n.txt" "$W/d$n.bin")
		/usr/bin/time -f "%M" -o "$W/d" "$DOCSIS" -p "$W/f$n.txt" "$W/d$n.bin" > /dev/null 2>&1
		same=differ; cmp -s "$W/f$n.bin" "$W/d$n.bin" && same=identical
		echo "docsis  $n varbinds: $dus us, peak RSS $(tail -1 "$W/d") KiB; output $same;" \
			"ratio docsis/pktcfg = $(awk -v a="$dus" -v b="$us" 'BEGIN { printf "%.1f", a / b }')"
	fi
done
[ -n "$DOCSIS" ] || echo "(rlaager/docsis not found: set DOCSIS=/path/to/docsis for the side-by-side ratio)"
