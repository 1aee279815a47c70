#!/bin/sh
# What the arm64 guests run: the Debian package cross-built for arm64 (debian/rules:
# `dpkg-buildpackage -aarm64 -d`, clang + lld against scripts/cross-sysroot.sh's tree),
# unpacked as dpkg lays it out into OUT/root, and the static probe the same build made.
# Writes OUT/artefacts.env.
#
#   arm64.sh OUT
set -eu
out=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
package=oci-seccomp-recorder
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/artefacts.env"

# The source as git has it (tracked and new files, no build output), as package.bats builds it.
src=$out/src/$package
rm -rf "$out/src"
mkdir -p "$src"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 cp --parents -t "$src")
if ! (cd "$src" && dpkg-buildpackage -aarm64 -d -b -us -uc) >"$out/build.log" 2>&1; then
	echo "dpkg-buildpackage -aarm64 failed ($out/build.log):" >&2
	tail -n 40 "$out/build.log" >&2
	exit 1
fi
deb=$(ls "$out/src/${package}"_*_arm64.deb)
rm -rf "$out/root"
dpkg-deb -x "$deb" "$out/root"
probe=$src/obj-aarch64-linux-gnu/tests/probe
if ! readelf -h "$probe" | grep -q 'Machine: *AArch64' || readelf -l "$probe" | grep -q INTERP; then
	echo "$probe is no static arm64 program: $(readelf -h "$probe" | grep Machine)" >&2
	exit 1
fi
printf 'ARM64_DEB=%s\nARM64_ROOT=%s\nARM64_PROBE=%s\n' "$deb" "$out/root" "$probe" \
	>"$out/artefacts.env"
