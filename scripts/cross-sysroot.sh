#!/bin/sh
# Make (or reuse) the arm64 tree that cross/aarch64-linux-gnu.ini builds against: Debian 12's
# arm64 headers and libraries, unpacked by mmdebstrap without running anything of them (no
# binfmt, no foreign dpkg architecture, nothing in /etc). Prints the tree's path.
#
#   OCI_SECCOMP_RECORDER_SYSROOT   where the tree goes (default below); kept between runs
#   OCI_SECCOMP_RECORDER_MIRROR    the Debian mirror (default deb.debian.org)
#
# The cross file names the default path; for another one, pass the override this script writes
# beside the tree too: meson setup --cross-file cross/aarch64-linux-gnu.ini \
#   --cross-file "$SYSROOT.ini" build-arm64
set -eu

sysroot=${OCI_SECCOMP_RECORDER_SYSROOT:-/var/cache/oci-seccomp-recorder/sysroot-arm64-bookworm}
mirror=${OCI_SECCOMP_RECORDER_MIRROR:-http://deb.debian.org/debian}
# What the program, its tests' static probe and the Debian package link against. libgcc-12-dev
# holds crtbegin.o and libgcc, which clang takes from the tree's gcc installation.
packages="libc6-dev libgcc-12-dev linux-libc-dev libbpf-dev libseccomp-dev libyajl-dev
libelf-dev zlib1g-dev libzstd-dev libcapstone-dev libssl-dev"
# A new package list makes a new tree.
stamp="$(echo $packages) +shlibs"

if [ -f "$sysroot/.packages" ] && [ "$(cat "$sysroot/.packages")" = "$stamp" ]; then
	echo "$sysroot"
	exit 0
fi

command -v mmdebstrap >/dev/null || {
	echo "cross-sysroot.sh: mmdebstrap is not installed (scripts/install-deps.sh)" >&2
	exit 1
}
mkdir -p "$(dirname "$sysroot")"
tmp="$sysroot.tmp.$$"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp"
# --variant=extract unpacks the packages and their dependencies, runs no maintainer script; the
# .deb files are kept for their shlibs below.
mmdebstrap --quiet --variant=extract --arch=arm64 --skip=check/empty --skip=cleanup/apt/cache \
	--include="$(echo $packages | tr ' ' ',')" bookworm "$tmp" "$mirror" >&2
# The libraries' shlibs entries, which tell the Debian package's cross build (debian/rules) which
# arm64 package each library it links is in: there is no dpkg database of the tree to ask.
for deb in "$tmp"/var/cache/apt/archives/*.deb; do
	dpkg-deb --info "$deb" shlibs 2>/dev/null || true
done | grep -v '^#' | sort -u >"$tmp/.shlibs"
rm -f "$tmp"/var/cache/apt/archives/*.deb
# Absolute symlinks inside the tree (libc's linker scripts name /usr/lib/...; a few .so links
# point at /lib/...) would reach the build machine's files: make them relative to the tree.
find "$tmp" -type l | while read -r link; do
	target=$(readlink "$link")
	case $target in
	/*)
		rel=$(realpath -m --relative-to="$(dirname "$link")" "$tmp$target")
		ln -sfn "$rel" "$link"
		;;
	esac
done
echo "$stamp" >"$tmp/.packages"
rm -rf "$sysroot"
mv "$tmp" "$sysroot"
trap - EXIT
# The cross file for a tree at another place than the default: its sysroot constant only.
printf "[constants]\nsysroot = '%s'\n" "$sysroot" >"$sysroot.ini"
echo "$sysroot"
