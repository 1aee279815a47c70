#!/bin/sh
# The root tree of one guest: Debian's kernel and userland of ARCH and SUITE, extracted from the
# Debian mirror with `mmdebstrap --variant=extract` (no maintainer scripts run, so a foreign
# architecture needs no binfmt and nothing in /etc). Trees are cached in $OSR_MATRIX_CACHE
# (default /var/cache/oci-seccomp-recorder/matrix; FALLBACK_CACHE when that is not writable)
# and reused for a week.
#
#   tree.sh ARCH SUITE FALLBACK_CACHE   prints the tree's path
set -eu
arch=$1 suite=$2 fallback=$3
mirror=${OSR_MATRIX_MIRROR:-http://deb.debian.org/debian}
max_age_days=7

# What a guest runs: the kernel, the project's libraries, the runtimes and podman, busybox for
# the init and jq for the assertions. libelf1 is libelf1t64 from trixie on (apt picks it).
packages="linux-image-$arch,libc6,libbpf1,libseccomp2,libyajl2,libelf1,zlib1g,runc,crun,podman"
packages="$packages,busybox-static,jq"

cache=${OSR_MATRIX_CACHE:-/var/cache/oci-seccomp-recorder/matrix}
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
	cache=$fallback
	mkdir -p "$cache"
fi
# The key changes with the package list, so an edit to it extracts anew.
layout=2 # the tree's form below, raised when it changes
key=$(printf '%s %s %s %s %s' "$arch" "$suite" "$mirror" "$packages" "$layout" | sha256sum |
	cut -c1-12)
tree=$cache/$arch-$suite-$key

exec 9>"$cache/.$arch-$suite.lock"
flock 9
if [ -e "$tree/.complete" ] && [ -z "$(find "$tree/.complete" -mtime +$max_age_days)" ]; then
	echo "$tree"
	exit 0
fi
rm -rf "$tree.new"
if ! mmdebstrap --quiet --variant=extract --architectures="$arch" --include="$packages" \
	"$suite" "$tree.new" "$mirror" >"$cache/.$arch-$suite.log" 2>&1; then
	echo "mmdebstrap of $arch $suite from $mirror failed:" >&2
	tail -n 20 "$cache/.$arch-$suite.log" >&2
	rm -rf "$tree.new"
	exit 1
fi
if ! ls "$tree.new"/boot/vmlinuz-* >/dev/null 2>&1; then
	echo "the $arch $suite tree from $mirror has no /boot/vmlinuz-*" >&2
	exit 1
fi
# From trixie on, /bin, /lib... are links into /usr made by base-files' maintainer script, which
# extract does not run: the links as a merged-/usr root has them.
for dir in bin sbin lib lib64; do
	if [ ! -e "$tree.new/$dir" ] && [ -d "$tree.new/usr/$dir" ]; then
		ln -s "usr/$dir" "$tree.new/$dir"
	fi
done
touch "$tree.new/.complete"
rm -rf "$tree"
mv "$tree.new" "$tree"
# Older trees of this guest (another package list) go.
for old in "$cache/$arch-$suite"-*; do
	[ "$old" = "$tree" ] || rm -rf "$old"
done
echo "$tree"
