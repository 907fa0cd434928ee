#!/bin/sh
# sysroot.sh ARCH DIR PKG...: unpack Debian's ARCH packages PKG and their
# whole dependency closure into DIR, for cross-compiling and for qemu-user.
#
# apt runs with its own state under DIR (lists, cache, an empty dpkg status),
# so the host's dpkg architectures and package lists are never touched and
# multiarch co-installation clashes (build-notes.md) cannot happen.
set -eu
arch=$1 dir=$2
shift 2
st=$dir.apt
mkdir -p "$st/lists/partial" "$st/cache/archives/partial" "$st/debs" "$dir"
: > "$st/status"
opts="-o APT::Architecture=$arch -o APT::Architectures=$arch
 -o Dir::State=$st -o Dir::State::Lists=$st/lists -o Dir::State::status=$st/status
 -o Dir::Cache=$st/cache -o Debug::NoLocking=1 -o APT::Get::AllowUnauthenticated=false"
echo "sysroot: $arch package index"
# shellcheck disable=SC2086
apt-get -q $opts update >"$st/update.log" 2>&1 || echo "sysroot: apt-get update reported errors (see $st/update.log); continuing" >&2
# shellcheck disable=SC2086
closure=$(apt-cache $opts depends --recurse --no-recommends --no-suggests --no-conflicts \
	--no-breaks --no-replaces --no-enhances --no-pre-depends "$@" |
	grep -E '^[a-z0-9]' | sed 's/:.*//' | sort -u)
# Drop virtual packages (no candidate) and packages that are Arch: all
# tools we do not need in a sysroot still unpack harmlessly.
real=""
for p in $closure; do
	# shellcheck disable=SC2086
	if apt-cache $opts show "$p" >/dev/null 2>&1; then real="$real $p"; fi
done
echo "sysroot: downloading $(echo $real | wc -w) packages"
cd "$st/debs"
# shellcheck disable=SC2086
apt-get -q $opts download $real >"$st/download.log" 2>&1 || { cat "$st/download.log" >&2; exit 1; }
for d in "$st"/debs/*.deb; do dpkg-deb -x "$d" "$dir"; done
# Absolute symlinks inside the sysroot (lib*.so -> /lib/...) must resolve in it.
find "$dir" -type l | while read -r l; do
	t=$(readlink "$l")
	case $t in /*) ln -sf "$dir$t" "$l" ;; esac
done
echo "sysroot: $dir ready ($(du -sh "$dir" | cut -f1))"
