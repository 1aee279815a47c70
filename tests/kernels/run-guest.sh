#!/bin/sh
# One guest of guests.txt, from its tree to its console log: the tree (tree.sh), the payload
# (the binary under test, the probes, init.sh and guest.sh), the initramfs, the boot.
#
#   run-guest.sh NAME WORKDIR   env: RECORDER, PROBE64, PROBE32 (x86_64 guests),
#                                    ARM64_ROOT, ARM64_PROBE (arm64 guests)
# Leaves WORKDIR/NAME.log (the console) and WORKDIR/NAME.time (seconds from qemu's start to its
# end); fails when the guest could not be built or booted, not for a failed assertion (the
# log's OSR-RESULT lines say that).
set -eu
name=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
timeout_s=${OSR_GUEST_TIMEOUT:-240}

line=$(grep -v '^#' "$here/guests.txt" | awk -v n="$name" '$1 == n')
[ -n "$line" ] || { echo "run-guest.sh: no guest \`$name\` in $here/guests.txt" >&2; exit 2; }
# shellcheck disable=SC2086 # the line's fields
set -- $line
arch=$2 suite=$3 assertions=$(echo "$4" | tr , ' ')

mkdir -p "$work"
tree=$(sh "$here/tree.sh" "$arch" "$suite" "$work/cache")
payload=$work/$name.payload
rm -rf "$payload"
mkdir -p "$payload/osr"
cp "$here/init.sh" "$payload/init"
cp "$here/guest.sh" "$payload/osr/guest.sh"
chmod 0755 "$payload/init"
case "$arch" in
amd64)
	mkdir -p "$payload/osr/bin"
	cp "${RECORDER:?}" "$payload/osr/bin/oci-seccomp-recorder"
	cp "${PROBE64:?}" "$payload/osr/probe"
	cp "${PROBE32:?}" "$payload/osr/probe32"
	recorder=/osr/bin/oci-seccomp-recorder
	hook_config=$(dirname "$RECORDER")/../hooks.d/oci-seccomp-recorder.json
	scmp_arch=SCMP_ARCH_X86_64 ;;
arm64)
	# The program as the package lays it out (arm64.sh), its own hooks.d file included.
	cp -a "${ARM64_ROOT:?}/." "$payload/"
	cp "${ARM64_PROBE:?}" "$payload/osr/probe"
	recorder=/usr/libexec/oci/hooks.d/oci-seccomp-recorder
	hook_config=$ARM64_ROOT/usr/share/containers/oci/hooks.d/oci-seccomp-recorder.json
	scmp_arch=SCMP_ARCH_AARCH64 ;;
esac
# The hooks dir the guest's runtimes use: the build's hooks.d file with the binary's path in
# the guest and a log the assertions read (which runtime the hook saw, and a failure's context).
hooks_dir=/osr/hooks.d
mkdir -p "$payload$hooks_dir"
jq --arg path "$recorder" '.hook.path = $path |
	.hook.args += ["--log-file", "/tmp/hook.log", "--log-level", "info"]' "$hook_config" \
	>"$payload$hooks_dir/oci-seccomp-recorder.json"
cat >"$payload/osr/env" <<ENV
GUEST=$name
RECORDER=$recorder
HOOKS_DIR=$hooks_dir
SCMP_ARCH=$scmp_arch
ASSERTIONS="$assertions"
ENV
sh "$here/initramfs.sh" "$tree" "$payload" "$work/$name.cpio"
rm -rf "$payload"

start=$(date +%s.%N)
status=0
sh "$here/boot.sh" "$arch" "$(ls "$tree"/boot/vmlinuz-* | head -n 1)" "$work/$name.cpio" \
	"$work/$name.log" "$timeout_s" || status=$?
awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", e - s }' >"$work/$name.time"
rm -f "$work/$name.cpio"
exit "$status"
