#!/usr/bin/env bats
# A recording that cannot be saved is never silent: what can be known at prestart stops the
# container with one line podman shows (full, read-only); room reserved at prestart survives a
# disk that fills during the run; a failure after the container (tracer killed) is in
# `status`, which a CI step waits on before it diffs. Real podman + runc, real tmpfs mounts.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	podman_setup_file
}

teardown() {
	podman rm -af -t 0 >/dev/null 2>&1 || true
	if [ -n "${TMP:-}" ]; then
		for m in "$TMP/full" "$TMP/filling" "$TMP/ro"; do
			mountpoint -q "$m" 2>/dev/null && umount -l "$m"
		done
		rm -rf "$TMP"
	fi
	return 0
}

# A tmpfs of $2 on $1, with an older profile in it.
small_fs() {
	mkdir -p "$1"
	mount -t tmpfs -o "size=$2,mode=0755" tmpfs "$1"
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "old": true}' >"$1/p.json"
}

# `status` of this suite's hook for profile $1.
status_of() {
	"$RECORDER" status --state-dir "$STATE_DIR" "$@"
}

@test "a full file system is refused at prestart in one line; the older profile stays" {
	require_bpf
	require_podman
	small_fs "$TMP/full" 64k
	dd if=/dev/zero of="$TMP/full/filler" bs=4k 2>/dev/null || true
	run pman run --rm "$(trace_annotation "of:$TMP/full/p.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	[ "$status" -ne 0 ]
	[[ "$output" == *"no room for the profile beside \`$TMP/full/p.json\`"*"No space left on device"* ]]
	assert_equal "$(jq -r .old "$TMP/full/p.json")" true
	assert_equal "$(find "$TMP/full" -name '.*.tmp' | wc -l)" 0
	run status_of "$TMP/full/p.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"failed"*"no room for the profile"* ]]
}

@test "a file system that fills during the run: the profile is written from the room reserved at prestart" {
	require_bpf
	require_podman
	small_fs "$TMP/filling" 1m
	run pman run --rm "$(trace_annotation "of:$TMP/filling/p.json")" -v "$TMP/filling:/fill" \
		--rootfs "$ROOTFS" /bin/sh -c '/bin/probe getcpu; dd if=/dev/zero of=/fill/big bs=4k 2>/dev/null; df /fill | tail -1'
	[ "$status" -eq 0 ]
	# The disk is full now (the container filled it), and the profile is the new one.
	[[ "$output" == *" 100% "* ]]
	assert_allowed "$TMP/filling/p.json" getcpu
	assert_equal "$(jq -r .old "$TMP/filling/p.json")" null
	assert_equal "$(find "$TMP/filling" -name '.*.tmp' | wc -l)" 0
	run status_of --wait "$TMP/filling/p.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *" ok "* ]]
}

@test "a read-only bind mount is refused at prestart; nothing is written" {
	require_bpf
	require_podman
	mkdir -p "$TMP/ro"
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "old": true}' >"$TMP/ro/p.json"
	mount --bind "$TMP/ro" "$TMP/ro"
	mount -o remount,bind,ro "$TMP/ro"
	run pman run --rm "$(trace_annotation "of:$TMP/ro/p.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	[ "$status" -ne 0 ]
	[[ "$output" == *"the directory of \`$TMP/ro/p.json\` is on a read-only file system"* ]]
	assert_equal "$(jq -r .old "$TMP/ro/p.json")" true
}

@test "a tracer killed with SIGKILL: poststop and status say so, the older profile stays" {
	require_bpf
	require_podman
	local id tracer
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "old": true}' >"$TMP/p.json"
	id=$(start_recorded "of:$TMP/p.json" "/bin/probe getcpu")
	run status_of "$TMP/p.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *" running "* ]]
	tracer=$(tracer_pid "$id")
	kill -KILL "$tracer"
	run podman rm -f -t 0 "$id"
	# podman drops poststop's stderr here; the status is where it is said.
	run status_of --wait --timeout 20 "$TMP/p.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"${id:0:12}"*"failed"*"the tracer ended without writing a profile (was it killed?); the file was left as it was"* ]]
	assert_equal "$(jq -r .old "$TMP/p.json")" true
	assert_equal "$(find "$TMP" -maxdepth 1 -name '.*.tmp' | wc -l)" 0
}

@test "a directory replaced during the run gets nothing: status names the failure" {
	require_bpf
	require_podman
	local id
	mkdir -p "$TMP/out"
	id=$(start_recorded "of:$TMP/out/p.json" "/bin/probe getcpu")
	# Meanwhile the directory is moved away and another takes its name.
	mv "$TMP/out" "$TMP/moved"
	mkdir "$TMP/out"
	podman stop -t 1 "$id" >/dev/null
	run status_of --wait --timeout 20 "$TMP/out/p.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"failed"*"the directory of \`$TMP/out/p.json\` was replaced during the recording"* ]]
	[ ! -e "$TMP/out/p.json" ]
	[ ! -e "$TMP/moved/p.json" ]
	assert_equal "$(find "$TMP/moved" "$TMP/out" -name '.*.tmp' | wc -l)" 0
}

@test "status lists the recent recordings, newest first, and --wait waits for a running one" {
	require_bpf
	require_podman
	local id
	pman run --rm "$(trace_annotation "of:$TMP/a.json")" --rootfs "$ROOTFS" /bin/probe getcpu >/dev/null
	id=$(start_recorded "of:$TMP/b.json" "/bin/probe sysinfo")
	(sleep 2; podman stop -t 1 "$id" >/dev/null) &
	run status_of --wait --timeout 30 "$TMP/b.json"
	[ "$status" -eq 0 ]
	assert_allowed "$TMP/b.json" sysinfo
	run status_of
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"${id:0:12}"*" ok "*"$TMP/b.json"* ]]
	[[ "${lines[1]}" == *" ok "*"$TMP/a.json"* ]]
	run status_of "$TMP/never.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no recording into \`$TMP/never.json\` is known"* ]]
}

@test "a start that fails before the workload's execve never replaces the profile; status says why" {
	require_bpf
	require_podman
	pman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu >/dev/null
	assert_allowed "$TMP/p.json" fstatfs
	cp -p "$TMP/p.json" "$TMP/good.json"
	# Without fstatfs runc cannot close its fds after installing the filter: it dies before
	# the workload's execve, while the container is recorded into the same file.
	jq '(.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names) |= map(select(. != "fstatfs"))' \
		"$TMP/good.json" >"$TMP/broken.json"
	run pman run --rm --security-opt "seccomp=$TMP/broken.json" \
		"$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -ne 0 ] || { echo "the container started under the broken profile: $output" >&2; return 1; }
	run status_of --wait --timeout 20 "$TMP/p.json"
	[ "$status" -eq 1 ] || { echo "status exited $status, not 1: $output" >&2; return 1; }
	[[ "$output" == *"failed"*"the container failed to start: the runtime installed the seccomp filter but the workload was never executed (no execve succeeded): \`$TMP/p.json\` was left as it was"* ]]
	cmp "$TMP/good.json" "$TMP/p.json"
	assert_equal "$(find "$TMP" -maxdepth 1 -name '.*.tmp' | wc -l)" 0
}
