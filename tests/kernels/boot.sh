#!/bin/sh
# Boot one guest under qemu with TCG (no KVM: this also runs where /dev/kvm cannot boot it) and
# wait for it to power off; its serial console goes to LOG. A guest still running after TIMEOUT
# seconds is killed and the boot fails.
#
#   boot.sh ARCH KERNEL INITRD LOG TIMEOUT [KERNEL_ARGS...]
set -eu
arch=$1 kernel=$2 initrd=$3 log=$4 timeout=$5
shift 5
memory_mib=1536
case "$arch" in
amd64)
	qemu="qemu-system-x86_64"
	machine="-M q35 -cpu max"
	console=ttyS0 ;;
arm64)
	qemu="qemu-system-aarch64"
	# cortex-a72: `max` emulates pointer authentication, which costs TCG a lot.
	machine="-M virt -cpu cortex-a72"
	console=ttyAMA0 ;;
*)
	echo "boot.sh: no qemu machine for architecture \`$arch\`" >&2
	exit 2 ;;
esac
# A panic reboots (panic=-1), and -no-reboot turns that into qemu's end: a guest that did not
# get to its OSR-DONE line is told by its missing result lines.
status=0
# shellcheck disable=SC2086 # $machine is a list of options.
timeout -k 5 "$timeout" "$qemu" -accel tcg $machine -smp 1 -m "$memory_mib" \
	-nographic -no-reboot -nic none -monitor none -serial "file:$log" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=$console panic=-1 quiet loglevel=4 $*" </dev/null >"$log.qemu" 2>&1 ||
	status=$?
[ "$status" -eq 0 ] && exit 0
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
	echo "the $arch guest ($kernel) did not power off within $timeout s" >&2
else
	echo "$qemu ended with status $status: $(cat "$log.qemu")" >&2
fi
exit 1
