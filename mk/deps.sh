#!/bin/sh
# deps.sh LIST...: install the Debian packages named in the lists (one per
# line, '#' comments) that are not installed yet.  Quick when nothing is
# missing: one dpkg-query, no apt-get.  Must run as root to install.
set -eu
pkgs=$(cat "$@" | sed -e 's/#.*//' -e 's/[[:space:]]//g' | grep -v '^$' | sort -u)
missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: not root; install these packages with apt-get:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# An index that fails to download (a lagging mirror) must not stop us: the
# main archive is enough, and install reports what really is missing.
apt-get -q -o DPkg::Lock::Timeout=600 update >/dev/null || echo "deps: apt-get update reported errors; continuing" >&2
# shellcheck disable=SC2086
apt-get -q -y -o DPkg::Lock::Timeout=600 install --no-install-recommends $missing
