#!/bin/sh
# Install what building, running and testing oci-seccomp-recorder needs on Debian 12 (as root).
# lld and mmdebstrap: the arm64 cross build (cross/, scripts/cross-sysroot.sh); never
# gcc-aarch64-linux-gnu, which removes gcc-multilib. qemu-system-x86, qemu-system-arm and cpio:
# the kernel matrix (tests/kernels/), whose guests mmdebstrap extracts too.
set -eu
export DEBIAN_FRONTEND=noninteractive
# python3-grpcio and python3-grpc-tools: the CRI suite's client (tests/cri/cri.py) plays the
# kubelet against containerd's CRI plugin.
# docker.io (Docker 20.10) for tests/integration/docker.bats, which starts a dockerd of its own;
# its postinst may start docker.service, which no test uses. Docker's own docker-ce packages
# conflict with it and serve the tests as well: apt must not remove them.
docker=docker.io
if dpkg-query -W -f '${Status}' docker-ce 2>/dev/null | grep -q 'ok installed'; then
	docker=
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential pkg-config meson ninja-build \
	clang llvm clang-format-14 python3 bpftool libbpf-dev libelf-dev zlib1g-dev libseccomp-dev libyajl-dev \
	libcapstone-dev libssl-dev skopeo docker-registry \
	gcc-multilib \
	lld mmdebstrap qemu-system-x86 qemu-system-arm cpio \
	podman runc crun busybox-static uidmap \
	bats jq valgrind strace ca-certificates \
	containerd $docker dpkg-dev debhelper fakeroot python3-yaml git \
	python3-grpcio python3-grpc-tools >/dev/null
