#!/usr/bin/env bats
# Faults under real podman + runc: a tracer killed or interrupted, a profile that cannot be
# written. The old profile stays intact and poststop says why.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	podman_setup_file
}

teardown() {
	podman rm -af -t 0 >/dev/null 2>&1 || true
	if [ -n "${TMP:-}" ]; then
		umount "$TMP/fs" 2>/dev/null || true
		rm -rf "$TMP"
	fi
}

# A hooks dir whose hook is a wrapper that keeps what each stage printed on stderr and its exit
# status in $TMP/hook.stderr: which podman process runs poststop (podman stop, or conmon's
# cleanup) is a race, and only the first shows a hook's stderr.
capture_hooks() {
	mkdir -p "$TMP/hooks.d"
	cat >"$TMP/capture-hook" <<-EOF
	#!/bin/sh
	"$RECORDER" "\$@" 2>>"$TMP/hook.stderr"
	rc=\$?
	echo "exit \$rc" >>"$TMP/hook.stderr"
	exit \$rc
	EOF
	chmod +x "$TMP/capture-hook"
	jq --arg path "$TMP/capture-hook" '.hook.path = $path' \
		"$HOOKS_DIR/oci-seccomp-recorder.json" >"$TMP/hooks.d/capture.json"
	HOOKS_DIR="$TMP/hooks.d"
}

# Stop and remove container $1, then check that prestart exited 0 silently and poststop
# exited 1 with the one line $2.
poststop_reports() {
	podman --hooks-dir "$HOOKS_DIR" stop -t 0 "$1" >/dev/null
	podman --hooks-dir "$HOOKS_DIR" rm "$1" >/dev/null
	run cat "$TMP/hook.stderr"
	assert_equal "$output" "exit 0
oci-seccomp-recorder: error: container $1: $2
exit 1"
}

# An old, complete profile at $1.
old_profile() {
	printf '{\n  "defaultAction": "SCMP_ACT_ERRNO",\n  "comment": "old"\n}\n' >"$1"
	sha256sum "$1" >"$TMP/old.sum"
}

old_profile_intact() {
	sha256sum -c --quiet "$TMP/old.sum"
	[ -z "$(find "$(dirname "$1")" -name '.*.tmp')" ]
}

@test "output directory removed during the run: reported, nothing left behind" {
	require_bpf
	require_podman
	capture_hooks
	mkdir "$TMP/out"
	id=$(start_recorded "of:$TMP/out/p.json")
	rm -rf "$TMP/out"
	poststop_reports "$id" "no profile written to \`$TMP/out/p.json\`: the profile's directory is gone: directory of \`$TMP/out/p.json\` does not exist"
	grep -q "error: container $id: no profile written to \`$TMP/out/p.json\`" "$HOOK_LOG"
	[ ! -e "$TMP/out" ]
}

@test "read-only file system: refused at prestart; a remount read-only during the run is refused while the room is held" {
	require_bpf
	require_podman
	capture_hooks
	mkdir "$TMP/fs"
	mount -t tmpfs -o size=1m tmpfs "$TMP/fs"
	old_profile "$TMP/fs/p.json"
	mount -o remount,ro "$TMP/fs"
	run pman run --rm "$(trace_annotation "of:$TMP/fs/p.json")" --rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -ne 0 ]
	grep -q "the directory of \`$TMP/fs/p.json\` is on a read-only file system" "$TMP/hook.stderr"
	old_profile_intact "$TMP/fs/p.json"
	# Writable at the start: the reserved file keeps the file system writable to the end.
	mount -o remount,rw "$TMP/fs"
	: >"$TMP/hook.stderr"
	id=$(start_recorded "of:$TMP/fs/p.json" '/bin/probe getcpu')
	run mount -o remount,ro "$TMP/fs"
	[ "$status" -ne 0 ]
	podman --hooks-dir "$HOOKS_DIR" stop -t 0 "$id" >/dev/null
	podman --hooks-dir "$HOOKS_DIR" rm "$id" >/dev/null
	assert_allowed "$TMP/fs/p.json" getcpu
}

@test "a disk filled from the host during the run: the profile is written from the room reserved at prestart" {
	require_bpf
	require_podman
	capture_hooks
	mkdir "$TMP/fs"
	mount -t tmpfs -o size=1m tmpfs "$TMP/fs"
	old_profile "$TMP/fs/p.json"
	id=$(start_recorded "of:$TMP/fs/p.json" '/bin/probe getcpu')
	dd if=/dev/zero of="$TMP/fs/fill" bs=4k 2>/dev/null || true
	[ "$(df --output=avail "$TMP/fs" | tail -1)" -eq 0 ]
	podman --hooks-dir "$HOOKS_DIR" stop -t 0 "$id" >/dev/null
	podman --hooks-dir "$HOOKS_DIR" rm "$id" >/dev/null
	assert_allowed "$TMP/fs/p.json" getcpu
	[ -z "$(find "$TMP/fs" -name '.*.tmp')" ]
}

@test "a tracer killed with SIGKILL: poststop says no profile was written, the old one stays" {
	require_bpf
	require_podman
	capture_hooks
	old_profile "$TMP/p.json"
	id=$(start_recorded "of:$TMP/p.json" '/bin/probe getcpu')
	pid=$(tracer_pid "$id")
	kill -KILL "$pid"
	poststop_reports "$id" "\`$TMP/p.json\`: the tracer ended without writing a profile (was it killed?); the file was left as it was"
	old_profile_intact "$TMP/p.json"
}

@test "a tracer that gets SIGINT writes what it has and exits" {
	require_bpf
	require_podman
	capture_hooks
	id=$(start_recorded "of:$TMP/p.json" '/bin/probe sysinfo')
	pid=$(tracer_pid "$id")
	kill -INT "$pid"
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	if kill -0 "$pid" 2>/dev/null; then
		echo "tracer $pid still runs 5 s after SIGINT" >&2
		return 1
	fi
	assert_allowed "$TMP/p.json" sysinfo
	podman --hooks-dir "$HOOKS_DIR" stop -t 0 "$id" >/dev/null
	podman --hooks-dir "$HOOKS_DIR" rm "$id" >/dev/null
	# poststop found the profile written: both stages exited 0 (at --log-level info, poststop
	# says where the profile went).
	run cat "$TMP/hook.stderr"
	[ "${#lines[@]}" -eq 3 ] && [ "${lines[0]}" = "exit 0" ] && [ "${lines[2]}" = "exit 0" ]
	[[ "${lines[1]}" == "oci-seccomp-recorder: container $id: profile written to \`$TMP/p.json\`"* ]]
}

@test "--pid=host: init exits before its child; the profile is written at init's exit" {
	require_bpf
	require_podman
	run pman run --rm --pid=host "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/sh -c '/bin/probe sleep:3000 sysinfo >/dev/null & /bin/probe getcpu'
	[ "$status" -eq 0 ]
	assert_allowed "$TMP/p.json" getcpu
	# The recording ends with init: what the child would do 3 s later is not in the profile.
	refute_allowed "$TMP/p.json" sysinfo
}
