#!/bin/sh
# What the arm64 guests run, cross-built here with clang + lld against the arm64 tree of
# scripts/cross-sysroot.sh (cross/aarch64-linux-gnu.ini): the static probe, and the program
# installed as the Debian package lays it out, in OUT/root. Writes OUT/artefacts.env.
#
#   arm64.sh OUT
set -eu
out=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/artefacts.env"

sysroot=$(sh "$src/scripts/cross-sysroot.sh")
cross="--cross-file $src/cross/aarch64-linux-gnu.ini --cross-file $sysroot.ini"
if [ ! -e "$out/build/build.ninja" ]; then
	# shellcheck disable=SC2086 # $cross is a list of options.
	meson setup $cross --prefix=/usr --libexecdir=libexec --buildtype=plain \
		"$out/build" "$src" >"$out/setup.log" 2>&1 ||
		{ cat "$out/setup.log" >&2; exit 1; }
fi
ninja -C "$out/build" >"$out/ninja.log" 2>&1 || { tail -n 40 "$out/ninja.log" >&2; exit 1; }
rm -rf "$out/root"
DESTDIR="$out/root" meson install -C "$out/build" --no-rebuild --quiet
printf 'ARM64_ROOT=%s\nARM64_PROBE=%s\n' "$out/root" "$out/build/tests/probe" >"$out/artefacts.env"
