#!/usr/bin/env bats
# Argument-aware profiles (`args:on`, `record --args`): socket, socketpair, personality, clone,
# prctl, ioctl and mmap/mprotect are allowed for the values the workload used, not by name.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	podman_setup_file
}

teardown() {
	podman_teardown
}

AF_UNIX=1
AF_INET=2
AF_NETLINK=16
PER_LINUX32=0x0008
PERSONALITY_QUERY=0xffffffff
CLONE_NEWUSER=0x10000000
CLONE_NAMESPACE_BITS=2114060288 # 0x7E020000

# The workload of the issue: two socket families, a personality query, a plain fork.
WORKLOAD=(socket:$AF_UNIX socket:$AF_INET personality:$PERSONALITY_QUERY clone:0)
# What it never did.
FORBIDDEN=(socket:$AF_NETLINK personality:$PER_LINUX32 clone:$CLONE_NEWUSER)

# The values the rules of profile $1 allow call $2 with, sorted: "INDEX:OP:VALUE:VALUE_TWO".
rule_values() {
	jq -r --arg n "$2" '.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and
		(.names | index($n)) and (.args // [] | length) > 0) | .args[] |
		"\(.index):\(.op):\(.value):\(.valueTwo // 0)"' "$1" | sort
}

# Whether profile $1 allows call $2 whatever its arguments.
allows_by_name() {
	jq -e --arg n "$2" '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and
		(.names | index($n)) and (.args // [] | length) == 0)] | length > 0' "$1" >/dev/null
}

# Fails when profile $1 allows call $2 whatever its arguments (`! cmd` would not fail a test).
refute_by_name() {
	if allows_by_name "$1" "$2"; then
		echo "$1 allows $2 by name" >&2
		return 1
	fi
}

@test "record --args: socket, personality and clone are allowed for the values used, the rest denied" {
	require_bpf
	run "$RECORDER" record --args -o "$TMP/p.json" -- "$PROBE64" "${WORKLOAD[@]}"
	[ "$status" -eq 0 ]
	[[ "$output" == *"names are allowed for their recorded argument values only"* ]]
	assert_equal "$(rule_values "$TMP/p.json" socket)" "$(printf '0:SCMP_CMP_EQ:1:0\n0:SCMP_CMP_EQ:2:0')"
	assert_equal "$(rule_values "$TMP/p.json" personality)" "0:SCMP_CMP_EQ:4294967295:0"
	assert_equal "$(rule_values "$TMP/p.json" clone)" "0:SCMP_CMP_MASKED_EQ:$CLONE_NAMESPACE_BITS:0"
	refute_by_name "$TMP/p.json" socket
	refute_by_name "$TMP/p.json" personality
	refute_by_name "$TMP/p.json" clone
	# Under it the workload runs, and what it never did is denied.
	run "$SECCOMP_EXEC" "$TMP/p.json" "$PROBE64" "${WORKLOAD[@]}"
	[ "$status" -eq 0 ]
	for call in "${FORBIDDEN[@]}"; do
		run "$SECCOMP_EXEC" "$TMP/p.json" "$PROBE64" "$call"
		assert_equal "$output" "$call errno=1"
	done
}

@test "the same workload recorded without --args: its profile allows what --args denies" {
	require_bpf
	"$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" "${WORKLOAD[@]}"
	allows_by_name "$TMP/p.json" socket
	allows_by_name "$TMP/p.json" personality
	allows_by_name "$TMP/p.json" clone
	assert_equal "$(jq '[.syscalls[] | select(.args)] | length' "$TMP/p.json")" 0
	run "$SECCOMP_EXEC" "$TMP/p.json" "$PROBE64" "${FORBIDDEN[@]}" personality:0
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(printf '%s ok\n' "${FORBIDDEN[@]}" personality:0)"
}

@test "a podman container recorded with args:on: its families only, under podman too" {
	require_bpf
	require_podman
	run pman run --rm "$(trace_annotation "of:$TMP/p.json;args:on")" --rootfs "$ROOTFS" \
		/bin/probe "${WORKLOAD[@]}"
	[ "$status" -eq 0 ]
	assert_equal "$(rule_values "$TMP/p.json" socket)" "$(printf '0:SCMP_CMP_EQ:1:0\n0:SCMP_CMP_EQ:2:0')"
	assert_equal "$(rule_values "$TMP/p.json" personality)" "0:SCMP_CMP_EQ:4294967295:0"
	refute_by_name "$TMP/p.json" socket
	refute_by_name "$TMP/p.json" clone
	grep -q "for their argument values only, in [1-9][0-9]* rules" "$HOOK_LOG"
	run podman run --rm --security-opt "seccomp=$TMP/p.json" --rootfs "$ROOTFS" \
		/bin/probe "${WORKLOAD[@]}"
	[ "$status" -eq 0 ]
	run podman run --rm --security-opt "seccomp=$TMP/p.json" --rootfs "$ROOTFS" \
		/bin/probe socket:$AF_NETLINK personality:$PER_LINUX32 clone:$CLONE_NEWUSER
	assert_equal "$output" "$(printf '%s errno=1\n' "${FORBIDDEN[@]}")"
	# Without args:on the same container's profile lets the netlink socket and the persona be.
	pman run --rm "$(trace_annotation "of:$TMP/plain.json")" --rootfs "$ROOTFS" \
		/bin/probe "${WORKLOAD[@]}" >/dev/null
	run podman run --rm --security-opt "seccomp=$TMP/plain.json" --rootfs "$ROOTFS" \
		/bin/probe socket:$AF_NETLINK personality:$PER_LINUX32
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(printf 'socket:16 ok\npersonality:0x0008 ok')"
}

@test "args: takes on or off, once" {
	require_bpf
	require_podman
	run pman run --rm "$(trace_annotation "of:$TMP/p.json;args:yes")" --rootfs "$ROOTFS" /bin/true
	[ "$status" -ne 0 ]
	[[ "$output" == *"\`args:yes\` is neither \`args:on\` nor \`args:off\`"* ]]
	run pman run --rm "$(trace_annotation "of:$TMP/p.json;args:on;args:off")" --rootfs "$ROOTFS" /bin/true
	[ "$status" -ne 0 ]
	[[ "$output" == *"\`args:\` is given twice"* ]]
	[ ! -e "$TMP/p.json" ]
}

@test "merge of two recordings with different families allows both, and no third; diff names the value" {
	require_bpf
	"$RECORDER" record --args -o "$TMP/unix.json" -- "$PROBE64" socket:$AF_UNIX
	"$RECORDER" record --args -o "$TMP/inet.json" -- "$PROBE64" socket:$AF_INET
	run "$SECCOMP_EXEC" "$TMP/unix.json" "$PROBE64" socket:$AF_INET
	assert_equal "$output" "socket:2 errno=1"
	run "$RECORDER" diff "$TMP/unix.json" "$TMP/inet.json"
	[[ "$output" == *"+ socket [arg0 == 2]"* ]]
	[[ "$output" == *"- socket [arg0 == 1]"* ]]
	"$RECORDER" merge -o "$TMP/both.json" "$TMP/unix.json" "$TMP/inet.json"
	assert_equal "$(rule_values "$TMP/both.json" socket)" "$(printf '0:SCMP_CMP_EQ:1:0\n0:SCMP_CMP_EQ:2:0')"
	run "$SECCOMP_EXEC" "$TMP/both.json" "$PROBE64" socket:$AF_UNIX socket:$AF_INET
	[ "$status" -eq 0 ]
	run "$SECCOMP_EXEC" "$TMP/both.json" "$PROBE64" socket:$AF_NETLINK
	assert_equal "$output" "socket:16 errno=1"
}

@test "more distinct values than are kept: the call is allowed by name, and the log says so" {
	require_bpf
	local domains=() d
	for d in $(seq 100 116); do domains+=("socket:$d"); done # 17 families no kernel has
	run "$RECORDER" record --args -o "$TMP/p.json" -- "$PROBE64" "${domains[@]}" personality:0xffffffff
	[[ "$output" == *"socket saw more than 16 distinct domain values: it is allowed by name"* ]]
	allows_by_name "$TMP/p.json" socket
	refute_by_name "$TMP/p.json" personality
}

@test "run names the argument value a profile did not allow" {
	require_bpf
	"$RECORDER" record --args -o "$TMP/p.json" -- "$PROBE64" "${WORKLOAD[@]}"
	run "$RECORDER" run -p "$TMP/p.json" --json="$TMP/r.json" -- \
		"$PROBE64" socket:$AF_UNIX socket:$AF_NETLINK clone:$CLONE_NEWUSER
	[ "$status" -eq 0 ]
	assert_equal "$(jq -c '[.denied[] | select(.name == "socket") | .argument]' "$TMP/r.json")" \
		'[{"index":0,"name":"domain","values":[16],"values_truncated":false}]'
	assert_equal "$(jq -c '[.denied[] | select(.name == "clone") | .argument.values]' "$TMP/r.json")" \
		"[[$((CLONE_NEWUSER))]]"
	run "$RECORDER" run -p "$TMP/p.json" -- "$PROBE64" personality:$PER_LINUX32
	[[ "$output" == *"personality arg0(persona)=0x8 count=1"* ]]
}

@test "mmap: allowed without PROT_EXEC only, unless the workload asked for PROT_EXEC too" {
	require_bpf
	"$RECORDER" record --args -o "$TMP/rw.json" -- "$PROBE64" mmap:3
	assert_equal "$(rule_values "$TMP/rw.json" mmap)" "2:SCMP_CMP_MASKED_EQ:4:0"
	refute_by_name "$TMP/rw.json" mmap
	run "$SECCOMP_EXEC" "$TMP/rw.json" "$PROBE64" mmap:3
	assert_equal "$output" "mmap:3 ok"
	run "$SECCOMP_EXEC" "$TMP/rw.json" "$PROBE64" mmap:7
	assert_equal "$output" "mmap:7 errno=1"
	# With and without PROT_EXEC: nothing is left to restrict.
	"$RECORDER" record --args -o "$TMP/rwx.json" -- "$PROBE64" mmap:3 mmap:7
	allows_by_name "$TMP/rwx.json" mmap
	assert_equal "$(rule_values "$TMP/rwx.json" mmap)" ""
}

@test "--args with --base runc: what the base set adds is allowed by name, whatever the workload's values" {
	require_bpf
	"$RECORDER" record --args --base runc -o "$TMP/p.json" -- "$PROBE64" prctl:3 socket:1
	# prctl is in the runc set (runc calls it under the filter with its own options).
	allows_by_name "$TMP/p.json" prctl
	assert_equal "$(rule_values "$TMP/p.json" prctl)" ""
	# socket is not: it keeps the workload's value.
	assert_equal "$(rule_values "$TMP/p.json" socket)" "0:SCMP_CMP_EQ:1:0"
}
