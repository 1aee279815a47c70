#!/bin/sh
# Install what building, running and testing oci-seccomp-recorder needs on Debian 12 (as root).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential pkg-config meson ninja-build \
	clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev libseccomp-dev libyajl-dev \
	gcc-multilib \
	podman runc busybox-static uidmap \
	bats jq valgrind strace ca-certificates \
	containerd dpkg-dev debhelper fakeroot python3-yaml git >/dev/null
