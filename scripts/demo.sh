#!/bin/sh
# Install, build, record a container under podman + runc with the hook, and show its profile.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null

work=$(mktemp -d /tmp/oci-seccomp-recorder-demo.XXXXXX)
# A private podman config (runc, no default ulimits) and a root filesystem from busybox-static:
# no image registry is needed.
printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' >"$work/containers.conf"
export CONTAINERS_CONF="$work/containers.conf"
mkdir -p "$work/rootfs/bin" "$work/rootfs/tmp" "$work/hooks.d"
cp /bin/busybox "$work/rootfs/bin/busybox"
chroot "$work/rootfs" /bin/busybox --install -s /bin
# The hooks.d config meson generated, pointed at the freshly built binary.
sed "s|\"path\": \".*\"|\"path\": \"$PWD/build/hook/oci-seccomp-recorder\"|" \
	build/hooks.d/oci-seccomp-recorder.json >"$work/hooks.d/oci-seccomp-recorder.json"

echo "== podman run --annotation io.containers.trace-syscall=of:$work/profile.json ... ls /"
podman --hooks-dir "$work/hooks.d" run --rm \
	--annotation "io.containers.trace-syscall=of:$work/profile.json" \
	--rootfs "$work/rootfs" /bin/ls /
echo "== the recorded profile ($work/profile.json)"
cat "$work/profile.json"
echo "== the same container under its profile"
podman run --rm --security-opt "seccomp=$work/profile.json" --rootfs "$work/rootfs" /bin/ls /
echo "== and a call it never made (mkdir) is denied"
podman run --rm --security-opt "seccomp=$work/profile.json" --rootfs "$work/rootfs" \
	/bin/mkdir /tmp/x || echo "(denied, as expected)"
