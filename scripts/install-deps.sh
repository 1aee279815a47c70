#!/bin/sh
# Install what building, running and testing oci-seccomp-recorder needs on Debian 12 (as root).
set -eu
export DEBIAN_FRONTEND=noninteractive
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
	libssl-dev skopeo docker-registry \
	gcc-multilib \
	podman runc crun busybox-static uidmap \
	bats jq valgrind strace ca-certificates \
	containerd $docker dpkg-dev debhelper fakeroot python3-yaml git >/dev/null
