#!/usr/bin/env bats
# oci-seccomp-recorder-run (-Dstatic_run=true): `run` in a real podman container whose image has
# no shared library at all, only the static binary and a static program.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	podman_setup_file
	export BARE="$BATS_FILE_TMPDIR/bare"
	mkdir -p "$BARE"/{bin,proc,sys,dev,etc,tmp}
	if [ -n "${RECORDER_RUN:-}" ]; then
		cp "$RECORDER_RUN" "$BARE/bin/run"
		cp "$PROBE64" "$BARE/bin/probe"
	fi
}

teardown() {
	podman_teardown
}

require_static_run() {
	[ -n "${RECORDER_RUN:-}" ] && return 0
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but the build has no oci-seccomp-recorder-run (meson setup -Dstatic_run=true)" >&2
		return 1
	fi
	skip "needs a build with -Dstatic_run=true"
}

# A default-allow profile that answers sysinfo with EPERM.
deny_sysinfo() {
	jq -n '{defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["sysinfo"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]}' >"$1"
}

@test "the static run is no dynamic executable, and the image has no shared library" {
	require_static_run
	run ldd "$RECORDER_RUN"
	[[ "$output" == *"not a dynamic executable"* ]]
	for f in "$BARE"/bin/*; do
		if readelf -lW "$f" | grep -q -e INTERP -e DYNAMIC; then
			echo "$f has a dynamic section or an interpreter" >&2
			return 1
		fi
	done
	assert_equal "$(find "$BARE" -name '*.so*' | wc -l)" 0
	assert_equal "$(find "$BARE" -type f | sort | tr '\n' ' ')" "$BARE/bin/probe $BARE/bin/run "
}

@test "in a container with no shared library, run reports the call the profile denies" {
	require_podman
	require_static_run
	deny_sysinfo "$TMP/p.json"
	run --separate-stderr podman run --rm -v "$TMP/p.json:/p.json:ro" --rootfs "$BARE" \
		/bin/run -p /p.json -- /bin/probe getcpu sysinfo
	assert_equal "$status" 0
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok')"
	[[ "$stderr" == *"1 call the profile denies (1 distinct), each allowed (audit mode):"* ]]
	[[ "$stderr" =~ "SCMP_ARCH_X86_64 sysinfo count=1 action=SCMP_ACT_ERRNO(1) pids="[0-9]+" comms=probe" ]]
}

@test "in a container with no shared library, run --enforce denies it and says so" {
	require_podman
	require_static_run
	deny_sysinfo "$TMP/p.json"
	run --separate-stderr podman run --rm -v "$TMP/p.json:/p.json:ro" --rootfs "$BARE" \
		/bin/run --enforce -p /p.json -- /bin/probe getcpu sysinfo
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo errno=1')"
	[[ "$stderr" =~ "SCMP_ARCH_X86_64 sysinfo count=1 action=SCMP_ACT_ERRNO(1)" ]]
}

@test "the static run's usage names it as it was called" {
	require_static_run
	run -0 "$RECORDER_RUN" --help
	[[ "${lines[0]}" == "Usage: oci-seccomp-recorder-run -p PROFILE"* ]]
	run -0 "$RECORDER" run --help
	[[ "${lines[0]}" == "Usage: oci-seccomp-recorder run -p PROFILE"* ]]
}
