#!/bin/sh
# Install, build and run every test: unit tests, and integration tests against a real BPF
# program, real libseccomp, real podman + runc containers, the command line under valgrind,
# Debian's arm64 and x86_64 kernels under qemu (tests/kernels/); then the unit and bad-input
# tests built with sanitizers. Needs root, a BTF kernel, and the Debian mirror (apt, and the
# kernel matrix's trees when /var/cache/oci-seccomp-recorder/matrix has none yet).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
rm -rf build build-sanitize
# -Dstatic_run: oci-seccomp-recorder-run too, which static_run.bats runs in an image with no
# shared library.
meson setup build -Dstatic_run=true >/dev/null
ninja -C build
meson test -C build --print-errorlogs "$@"

# The unit tests, the bad-input suite, and the suites of the newest code (the shared BPF
# program, argument values, the runtime wrapper, record, node mode, saving, ENOSYS answers,
# workload profiles)
# again, built with AddressSanitizer and UBSan.
meson setup build-sanitize -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
ninja -C build-sanitize
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-sanitize --print-errorlogs --suite unit
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-sanitize --print-errorlogs integration-hook_input integration-shared \
	integration-args integration-containerd integration-record integration-node \
	integration-saving integration-fallbacks integration-workload
