#!/bin/sh
# Install, build and run every test: unit tests, and integration tests against a real BPF
# program, real libseccomp, and real podman + runc containers. Needs root and a BTF kernel.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
rm -rf build
meson setup build >/dev/null
ninja -C build
meson test -C build --print-errorlogs "$@"
