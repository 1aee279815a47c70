#!/usr/bin/env bats
# Profiles that explain themselves: `explain:on` / `record --explain` keep each call's first
# caller in PROFILE.why.json; `explain` prints it, `diff` names the first caller of a new call.
# Real BPF program, real podman + runc.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	podman_setup_file
}

teardown() {
	podman_teardown
}

# Field $3 of the first caller of call $2 in why file $1.
first_caller() {
	jq -r --arg c "$2" --arg f "$3" \
		'[.calls[] | select(.name == $c and .arch == "SCMP_ARCH_X86_64")][0].first[$f]' "$1"
}

@test "record --explain: each call's first caller, and why the unseen ones were added" {
	require_bpf
	"$RECORDER" record --explain -o "$TMP/p.json" -- "$PROBE64" getcpu child:sysinfo >/dev/null
	assert_equal "$(first_caller "$TMP/p.json.why.json" getcpu executable)" "$(realpath "$PROBE64")"
	assert_equal "$(first_caller "$TMP/p.json.why.json" getcpu comm)" probe
	# The child's call is the child's: another pid than the parent's getcpu.
	[ "$(first_caller "$TMP/p.json.why.json" sysinfo pid)" -ne \
		"$(first_caller "$TMP/p.json.why.json" getcpu pid)" ]
	jq -e '.calls[] | select(.name == "rt_sigreturn") | .addedUnseen | test("signal return")' \
		"$TMP/p.json.why.json" >/dev/null
	# Every allowed name has one entry; the others are the calls answered ENOSYS.
	assert_equal "$(jq -r '[.calls[] | select(.answeredEnosys | not) | .name] | unique | join(" ")' \
		"$TMP/p.json.why.json")" \
		"$(allowed_names "$TMP/p.json" | sort -u | tr '\n' ' ' | sed 's/ $//')"
}

@test "without --explain there is no why file" {
	require_bpf
	"$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" getcpu >/dev/null
	[ -e "$TMP/p.json" ]
	[ ! -e "$TMP/p.json.why.json" ]
	run "$RECORDER" explain "$TMP/p.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"p.json.why.json\` does not exist: record with \`explain:on\`"* ]]
}

@test "a container with explain:on: the first caller as the container saw it, explain and diff show it" {
	require_bpf
	require_podman
	run pman run --rm "$(trace_annotation "of:$TMP/p.json;explain:on")" --rootfs "$ROOTFS" \
		/bin/probe getcpu child:sysinfo
	[ "$status" -eq 0 ]
	local why="$TMP/p.json.why.json"
	assert_equal "$(first_caller "$why" getcpu executable)" /bin/probe
	assert_equal "$(first_caller "$why" getcpu pidInNamespace)" 1
	[ "$(first_caller "$why" getcpu pid)" -gt 1 ]
	[ "$(first_caller "$why" sysinfo pidInNamespace)" -gt 1 ]
	# runc's own last calls before the workload's execve are runc's, by name.
	[[ "$(first_caller "$why" execve comm)" == runc* ]]
	run "$RECORDER" explain "$TMP/p.json" getcpu
	[ "$status" -eq 0 ]
	assert_equal "${lines[1]%% *}" getcpu
	[[ "${lines[1]}" == *"/bin/probe (probe, pid 1 in its namespace, "*" on the host)" ]]
	run "$RECORDER" explain "$TMP/p.json" getcpu ptrace
	[ "$status" -eq 1 ]
	[[ "$output" == *"\`ptrace\` is not in"* ]]
	# diff names the first caller of each call NEW adds.
	jq '.syscalls |= map(.names -= ["getcpu"])' "$TMP/p.json" >"$TMP/old.json"
	run "$RECORDER" diff "$TMP/old.json" "$TMP/p.json"
	[ "$status" -eq 1 ]
	assert_equal "$output" "+ getcpu (SCMP_ARCH_X86_64)  first by /bin/probe (probe, pid 1)"
	run "$RECORDER" diff --json "$TMP/old.json" "$TMP/p.json"
	assert_equal "$(jq -r '.added[0].firstBy' <<<"$output")" "/bin/probe (probe, pid 1)"
}

@test "first callers never leak from one recording into the next in the same slot" {
	require_bpf
	require_podman
	local long
	# A long recording keeps the one program loaded while two short ones follow each other.
	long=$(start_recorded "of:$TMP/long.json;explain:on" "/bin/probe uname")
	"$RECORDER" record --explain -o "$TMP/a.json" -- "$PROBE64" getcpu >/dev/null
	"$RECORDER" record --explain -o "$TMP/b.json" -- "$PROBE64" sysinfo >/dev/null
	podman rm -f -t 0 "$long" >/dev/null
	for _ in $(seq 200); do [ -e "$TMP/long.json.why.json" ] && break; sleep 0.05; done
	assert_equal "$(jq -r '[.calls[] | select(.name == "getcpu")] | length' "$TMP/b.json.why.json")" 0
	assert_equal "$(jq -r '[.calls[] | select(.name == "sysinfo")] | length' "$TMP/a.json.why.json")" 0
	assert_equal "$(jq -r '[.calls[] | select(.name == "getcpu" or .name == "sysinfo")] | length' \
		"$TMP/long.json.why.json")" 0
	assert_equal "$(first_caller "$TMP/long.json.why.json" uname executable)" /bin/probe
}
