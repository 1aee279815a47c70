#!/bin/sh
# The initramfs of one guest: the guest tree (tree.sh) without what a test never runs (the
# kernel, its modules, documentation, locales), then the payload directory (the project, the
# probes, /init and the assertions) as a second cpio archive; the kernel unpacks both in turn.
# Uncompressed: under TCG, decompressing costs more than reading the bytes.
#
#   initramfs.sh TREE PAYLOAD_DIR OUT
set -eu
tree=$1 payload=$2 out=$3

# The tree's part is made once per tree and kept beside it.
base=$tree.cpio
if [ ! -e "$base" ] || [ -n "$(find "$tree/.complete" -newer "$base")" ]; then
	(cd "$tree" && find . \( -path ./boot -o -path ./lib/modules -o -path ./usr/lib/modules \
		-o -path ./usr/share/doc -o -path ./usr/share/man -o -path ./usr/share/locale \
		-o -path ./usr/share/info -o -path ./usr/share/zoneinfo -o -path ./usr/lib/udev \
		-o -path ./usr/lib/systemd -o -path ./lib/systemd -o -path ./lib/udev \
		-o -path ./usr/lib/cni -o -path './usr/lib/*/gconv' -o -path './usr/lib/*/perl' \
		-o -path './usr/lib/*/perl-base' -o -path ./usr/share/perl \
		-o -name .complete \) -prune -o -print |
		cpio --quiet -o -H newc -R 0:0) >"$base.new.$$"
	mv "$base.new.$$" "$base" # whole, also when two runs make it at once

fi
(cd "$payload" && find . | cpio --quiet -o -H newc -R 0:0) >"$out.payload"
cat "$base" "$out.payload" >"$out"
rm -f "$out.payload"
