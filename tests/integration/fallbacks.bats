#!/usr/bin/env bats
# Profiles that survive a libc upgrade: a newer call the run did not make, whose callers fall
# back on ENOSYS (clone3 -> clone, statx -> fstatat, ...), is answered ENOSYS, not EPERM, when
# the run made the call it falls back to. Real BPF, real libseccomp, real podman + runc.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	podman_setup_file
}

teardown() {
	podman_teardown
}

# The names of profile $1's rules that answer ENOSYS, one line, sorted.
enosys_names() {
	jq -r '[.syscalls[] | select(.action == "SCMP_ACT_ERRNO" and .errnoRet == 38) | .names[]] |
		sort | join(" ")' "$1"
}

@test "a program that used only clone runs one that tries clone3 first; with --no-fallbacks it gets EPERM" {
	require_bpf
	"$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" clone:0 >/dev/null
	refute_allowed "$TMP/p.json" clone3
	[[ " $(enosys_names "$TMP/p.json") " == *" clone3 "* ]]
	run "$SECCOMP_EXEC" "$TMP/p.json" "$PROBE64" spawn
	[ "$status" -eq 0 ]
	assert_equal "$output" "spawn ok (clone)"
	"$RECORDER" record --no-fallbacks -o "$TMP/strict.json" -- "$PROBE64" clone:0 >/dev/null
	assert_equal "$(enosys_names "$TMP/strict.json")" ""
	run "$SECCOMP_EXEC" "$TMP/strict.json" "$PROBE64" spawn
	[ "$status" -eq 1 ]
	assert_equal "$output" "spawn errno=1"
}

@test "a call the run made is allowed, not answered ENOSYS; none without the call it falls back to" {
	require_bpf
	"$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" spawn >/dev/null
	assert_allowed "$TMP/p.json" clone3
	[[ " $(enosys_names "$TMP/p.json") " != *" clone3 "* ]]
	# getcpu alone: no openat, so no openat2 rule; no epoll, so no epoll_pwait2 rule.
	"$RECORDER" record -o "$TMP/q.json" -- "$PROBE64" getcpu >/dev/null
	[[ " $(enosys_names "$TMP/q.json") " != *" openat2 "* ]]
	[[ " $(enosys_names "$TMP/q.json") " != *" epoll_pwait2 "* ]]
	run "$SECCOMP_EXEC" "$TMP/q.json" "$PROBE64" getcpu
	[ "$status" -eq 0 ]
}

@test "a container under podman: statx is answered ENOSYS and the program falls back; fallbacks:off denies it" {
	require_bpf
	require_podman
	pman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" /bin/probe getcpu >/dev/null
	refute_allowed "$TMP/p.json" statx
	[[ " $(enosys_names "$TMP/p.json") " == *" statx "* ]]
	run podman run --rm --security-opt "seccomp=$TMP/p.json" --rootfs "$ROOTFS" \
		/bin/probe getcpu statx
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(printf 'getcpu ok\nstatx ok (newfstatat)')"
	pman run --rm "$(trace_annotation "of:$TMP/strict.json;fallbacks:off")" --rootfs "$ROOTFS" \
		/bin/probe getcpu >/dev/null
	assert_equal "$(enosys_names "$TMP/strict.json")" ""
	run podman run --rm --security-opt "seccomp=$TMP/strict.json" --rootfs "$ROOTFS" \
		/bin/probe getcpu statx
	[ "$status" -eq 1 ]
	assert_equal "$output" "$(printf 'getcpu ok\nstatx errno=1')"
}

@test "blocked in the base stays blocked: no ENOSYS rule for a call the base mentions" {
	require_bpf
	jq -n '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: ["clone3"], action: "SCMP_ACT_ERRNO"}]}' \
		>"$TMP/base.json"
	"$RECORDER" record -i "$TMP/base.json" -o "$TMP/p.json" -- "$PROBE64" clone:0 >/dev/null
	[[ " $(enosys_names "$TMP/p.json") " != *" clone3 "* ]]
	assert_equal "$(jq -c '[.syscalls[] | select(.names | index("clone3"))]' "$TMP/p.json")" \
		'[{"names":["clone3"],"action":"SCMP_ACT_ERRNO"}]'
	run "$SECCOMP_EXEC" "$TMP/p.json" "$PROBE64" spawn
	assert_equal "$output" "spawn errno=1"
}

@test "diff: an ENOSYS answer is not an allowed call" {
	require_bpf
	"$RECORDER" record -o "$TMP/old.json" -- "$PROBE64" clone:0 >/dev/null
	"$RECORDER" record -o "$TMP/new.json" -- "$PROBE64" clone:0 spawn >/dev/null
	run "$RECORDER" diff "$TMP/old.json" "$TMP/new.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"+ clone3 (SCMP_ARCH_X86_64)"* ]]
	run "$RECORDER" diff "$TMP/new.json" "$TMP/old.json"
	[[ "$output" == *"- clone3 (SCMP_ARCH_X86_64)"* ]]
}

@test "merge: a call one run needed is allowed; an ENOSYS answer stays for the calls no run made" {
	require_bpf
	"$RECORDER" record -o "$TMP/a.json" -- "$PROBE64" clone:0 >/dev/null
	"$RECORDER" record -o "$TMP/b.json" -- "$PROBE64" clone:0 >/dev/null
	"$RECORDER" record -o "$TMP/c.json" -- "$PROBE64" spawn >/dev/null
	"$RECORDER" merge -o "$TMP/ab.json" "$TMP/a.json" "$TMP/b.json"
	assert_equal "$(enosys_names "$TMP/ab.json")" "$(enosys_names "$TMP/a.json")"
	assert_equal "$(jq '[.syscalls[] | select(.errnoRet == 38)] | length' "$TMP/ab.json")" 1
	"$RECORDER" merge -o "$TMP/ac.json" "$TMP/a.json" "$TMP/c.json"
	assert_allowed "$TMP/ac.json" clone3
	[[ " $(enosys_names "$TMP/ac.json") " != *" clone3 "* ]]
	run "$SECCOMP_EXEC" "$TMP/ac.json" "$PROBE64" spawn
	assert_equal "$output" "spawn ok (clone3)"
	# A block in one input is a block: not turned into an ENOSYS answer, nor allowed.
	jq -n '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: ["clone3"], action: "SCMP_ACT_KILL_PROCESS"}]}' \
		>"$TMP/block.json"
	"$RECORDER" merge -o "$TMP/ablock.json" "$TMP/a.json" "$TMP/block.json"
	[[ " $(enosys_names "$TMP/ablock.json") " != *" clone3 "* ]]
	refute_allowed "$TMP/ablock.json" clone3
}

@test "podman's own default profile (archMap with MIPS and s390 entries) serves as a base" {
	require_bpf
	require_podman
	[ -r /usr/share/containers/seccomp.json ]
	run "$RECORDER" record -i /usr/share/containers/seccomp.json -o "$TMP/p.json" -- "$PROBE64" getcpu
	[ "$status" -eq 0 ]
	run "$SECCOMP_EXEC" "$TMP/p.json" "$PROBE64" getcpu
	[ "$status" -eq 0 ]
	assert_equal "$output" "getcpu ok"
}
