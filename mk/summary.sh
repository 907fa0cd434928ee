#!/bin/sh
# summary.sh RESULTS_DIR: one line per test group and the closing total.
set -u
dir=$1 tp=0 tf=0 ts=0
echo
echo "== make check summary =="
for f in "$dir"/*; do
	case $f in *.log|*/\*) continue ;; esac
	[ -f "$f" ] || continue
	read -r p fl s < "$f"
	printf '  %-28s %5s passed %5s failed %5s skipped\n' "${f##*/}" "$p" "$fl" "$s"
	tp=$((tp + p)) tf=$((tf + fl)) ts=$((ts + s))
done
echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ]
