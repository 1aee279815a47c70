#!/bin/busybox sh
# The guest's /init, first stage: the initramfs root (rootfs) refuses pivot_root, which runc and
# crun call, so its files move to a tmpfs that becomes the root; then guest.sh runs the tests.
# busybox runs from a copy of its own: /bin moves too.
/bin/busybox cp /bin/busybox /busybox
bb=/busybox
$bb mkdir -p /newroot
$bb mount -t tmpfs -o mode=0755 tmpfs /newroot
for entry in /*; do
	case "$entry" in
	/newroot | /init | /busybox) ;;
	*) $bb mv "$entry" /newroot/ ;;
	esac
done
$bb mkdir -p /newroot/proc /newroot/sys /newroot/dev /newroot/run /newroot/tmp
exec $bb switch_root /newroot /bin/busybox sh /osr/guest.sh
