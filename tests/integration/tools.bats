#!/usr/bin/env bats
# Profile tools: `diff` as a CI gate, `merge` of recordings, SeccompProfile output and input.

bats_require_minimum_version 1.5.0
load helpers

# Two recordings of the probe: $TMP/getcpu.json and $TMP/sysinfo.json.
record_probes() {
	require_bpf
	"$RECORDER" record -o "$TMP/getcpu.json" -- "$PROBE64" getcpu
	"$RECORDER" record -o "$TMP/sysinfo.json" -- "$PROBE64" sysinfo
}

# A profile for i386 only, written by hand: this kernel may run no 32-bit code to record.
write_x86_profile() {
	cat >"$1" <<-'JSON'
	{
	  "defaultAction": "SCMP_ACT_ERRNO",
	  "architectures": ["SCMP_ARCH_X86"],
	  "syscalls": [{"names": ["read", "socketcall"], "action": "SCMP_ACT_ALLOW"}]
	}
	JSON
}

# Fail unless output line $1 is there.
assert_line_in_output() {
	if ! grep -qxF -- "$1" <<<"$output"; then
		printf 'expected the line: %s\ngot:\n%s\n' "$1" "$output" >&2
		return 1
	fi
}

@test "diff exits 0 and prints nothing for a profile against itself" {
	record_probes
	run "$RECORDER" diff "$TMP/getcpu.json" "$TMP/getcpu.json"
	assert_equal "$status" 0
	assert_equal "$output" ""
}

@test "diff exits 1 when NEW allows a call OLD does not, both ways, and says which" {
	record_probes
	run --separate-stderr "$RECORDER" diff "$TMP/getcpu.json" "$TMP/sysinfo.json"
	assert_equal "$status" 1
	assert_line_in_output "+ sysinfo (SCMP_ARCH_X86_64)"
	assert_line_in_output "- getcpu (SCMP_ARCH_X86_64)"
	run --separate-stderr "$RECORDER" diff "$TMP/sysinfo.json" "$TMP/getcpu.json"
	assert_equal "$status" 1
	assert_line_in_output "+ getcpu (SCMP_ARCH_X86_64)"
	assert_line_in_output "- sysinfo (SCMP_ARCH_X86_64)"
}

@test "diff exits 0 when NEW needs only what OLD allows (the CI gate passes)" {
	record_probes
	"$RECORDER" merge -o "$TMP/committed.json" "$TMP/getcpu.json" "$TMP/sysinfo.json"
	run --separate-stderr "$RECORDER" diff "$TMP/committed.json" "$TMP/getcpu.json"
	assert_equal "$status" 0
	assert_equal "$output" "- sysinfo (SCMP_ARCH_X86_64)"
}

@test "diff --json gives the added and removed calls" {
	record_probes
	run --separate-stderr "$RECORDER" diff --json "$TMP/getcpu.json" "$TMP/sysinfo.json"
	assert_equal "$status" 1
	assert_equal "$(jq -c '.added' <<<"$output")" \
		'[{"name":"sysinfo","architectures":["SCMP_ARCH_X86_64"]}]'
	assert_equal "$(jq -c '.removed' <<<"$output")" \
		'[{"name":"getcpu","architectures":["SCMP_ARCH_X86_64"]}]'
}

@test "diff exits 2 on a missing file, on invalid JSON, on an allow-by-default profile" {
	echo '{"defaultAction": "SCMP_ACT_ERRNO"}' >"$TMP/ok.json"
	run "$RECORDER" diff "$TMP/missing.json" "$TMP/ok.json"
	assert_equal "$status" 2
	[[ "$output" == *"OLD: open \`$TMP/missing.json\`: No such file or directory"* ]]
	echo '{"defaultAction": ' >"$TMP/bad.json"
	run "$RECORDER" diff "$TMP/ok.json" "$TMP/bad.json"
	assert_equal "$status" 2
	[[ "$output" == *"NEW: profile \`$TMP/bad.json\` is not valid JSON"* ]]
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$TMP/all.json"
	run "$RECORDER" diff "$TMP/ok.json" "$TMP/all.json"
	assert_equal "$status" 2
	[[ "$output" == *"defaultAction SCMP_ACT_ALLOW lets every call run"* ]]
	run "$RECORDER" diff "$TMP/ok.json"
	assert_equal "$status" 2
}

@test "both programs run under the merge of their recordings, a call neither made is denied" {
	record_probes
	run "$RECORDER" merge -o "$TMP/m.json" "$TMP/getcpu.json" "$TMP/sysinfo.json"
	assert_equal "$status" 0
	assert_allowed "$TMP/m.json" getcpu
	assert_allowed "$TMP/m.json" sysinfo
	run "$SECCOMP_EXEC" "$TMP/m.json" "$PROBE64" getcpu sysinfo
	assert_equal "$status" 0
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok')"
	run "$SECCOMP_EXEC" "$TMP/m.json" "$PROBE64" times
	assert_equal "$status" 1
	assert_equal "$output" "times errno=1"
}

@test "merge is deterministic: the same bytes again, the same allow list in any order" {
	record_probes
	"$RECORDER" merge -o "$TMP/ab.json" "$TMP/getcpu.json" "$TMP/sysinfo.json"
	"$RECORDER" merge -o "$TMP/ab2.json" "$TMP/getcpu.json" "$TMP/sysinfo.json"
	"$RECORDER" merge -o "$TMP/ba.json" "$TMP/sysinfo.json" "$TMP/getcpu.json"
	cmp "$TMP/ab.json" "$TMP/ab2.json"
	cmp "$TMP/ab.json" "$TMP/ba.json"
	jq -e '[.syscalls[-1].names | . == sort] | all' "$TMP/ab.json"
}

@test "a 64-bit recording merged with a hand-made SCMP_ARCH_X86 profile keeps both arches" {
	record_probes
	write_x86_profile "$TMP/x86.json"
	"$RECORDER" merge -o "$TMP/m.json" "$TMP/getcpu.json" "$TMP/x86.json"
	assert_equal "$(jq -c .architectures "$TMP/m.json")" '["SCMP_ARCH_X86_64","SCMP_ARCH_X86"]'
	assert_allowed "$TMP/m.json" socketcall
	run --separate-stderr "$RECORDER" diff "$TMP/getcpu.json" "$TMP/m.json"
	assert_equal "$status" 1
	assert_line_in_output "+ socketcall (SCMP_ARCH_X86)"
	# One allow rule covers every listed architecture: the recorded calls are new on i386.
	assert_line_in_output "+ getcpu (SCMP_ARCH_X86)"
	run "$SECCOMP_EXEC" "$TMP/m.json" "$PROBE64" getcpu
	assert_equal "$status" 0
}

@test "a call one input blocks stays blocked in the merge, with that input's errno" {
	record_probes
	cat >"$TMP/block.json" <<-'JSON'
	{
	  "defaultAction": "SCMP_ACT_ERRNO",
	  "architectures": ["SCMP_ARCH_X86_64"],
	  "syscalls": [{"names": ["getcpu"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]
	}
	JSON
	"$RECORDER" merge -o "$TMP/m.json" "$TMP/getcpu.json" "$TMP/block.json"
	refute_allowed "$TMP/m.json" getcpu
	run "$SECCOMP_EXEC" "$TMP/m.json" "$PROBE64" getcpu
	assert_equal "$output" "getcpu errno=38"
}

@test "merge keeps the first input's fields and refuses what it cannot merge" {
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "comment": "first", "syscalls": []}' >"$TMP/1.json"
	echo '{"defaultAction": "SCMP_ACT_KILL", "comment": "second"}' >"$TMP/2.json"
	"$RECORDER" merge -o "$TMP/m.json" "$TMP/1.json" "$TMP/2.json"
	assert_equal "$(jq -r .comment "$TMP/m.json")" first
	assert_equal "$(jq -r .defaultAction "$TMP/m.json")" SCMP_ACT_ERRNO
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$TMP/all.json"
	run "$RECORDER" merge -o "$TMP/n.json" "$TMP/1.json" "$TMP/all.json"
	assert_equal "$status" 2
	[[ "$output" == *"lets every call run"* ]]
	[ ! -e "$TMP/n.json" ]
	run "$RECORDER" merge -o "$TMP/n.json" "$TMP/1.json" "$TMP/missing.json"
	assert_equal "$status" 2
	[ ! -e "$TMP/n.json" ]
	run "$RECORDER" merge "$TMP/1.json"
	assert_equal "$status" 2
	[[ "$output" == *"no output given"* ]]
}

@test "record --format spo writes a SeccompProfile that runs the program once unwrapped" {
	record_probes
	"$RECORDER" record --format spo -o "$TMP/My_Probe.json" -- "$PROBE64" getcpu
	jq -e . "$TMP/My_Probe.json" >/dev/null
	assert_equal "$(jq -r .apiVersion "$TMP/My_Probe.json")" security-profiles-operator.x-k8s.io/v1
	assert_equal "$(jq -r .kind "$TMP/My_Probe.json")" SeccompProfile
	assert_equal "$(jq -r .metadata.name "$TMP/My_Probe.json")" my-probe
	assert_equal "$(jq -r .spec.defaultAction "$TMP/My_Probe.json")" SCMP_ACT_ERRNO
	jq -e '.spec.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names | index("getcpu")' \
		"$TMP/My_Probe.json" >/dev/null
	# The spec is the profile: what the operator would write on the node.
	jq .spec "$TMP/My_Probe.json" >"$TMP/node.json"
	run "$SECCOMP_EXEC" "$TMP/node.json" "$PROBE64" getcpu times
	assert_equal "$output" "$(printf 'getcpu ok\ntimes errno=1')"
}

@test "record -o x.yaml chooses the SeccompProfile format, --name names it" {
	record_probes
	"$RECORDER" record -o "$TMP/x.yaml" -- "$PROBE64" getcpu
	assert_equal "$(jq -r .kind "$TMP/x.yaml")" SeccompProfile
	assert_equal "$(jq -r .metadata.name "$TMP/x.yaml")" x
	"$RECORDER" record -o "$TMP/y.yaml" --name web.prod -- "$PROBE64" getcpu
	assert_equal "$(jq -r .metadata.name "$TMP/y.yaml")" web.prod
	"$RECORDER" record -o "$TMP/z.yaml" --format oci -- "$PROBE64" getcpu
	assert_equal "$(jq -r .kind "$TMP/z.yaml")" null
	run "$RECORDER" record -o "$TMP/w.yaml" --name Not_Valid -- "$PROBE64" getcpu
	assert_equal "$status" 2
	[[ "$output" == *"is not a DNS-1123 subdomain"* ]]
	[[ "$output" != *"getcpu ok"* ]]
	[ ! -e "$TMP/w.yaml" ]
}

@test "diff and merge read SeccompProfiles back" {
	record_probes
	"$RECORDER" record -o "$TMP/getcpu.yaml" -- "$PROBE64" getcpu
	run --separate-stderr "$RECORDER" diff "$TMP/getcpu.json" "$TMP/getcpu.yaml"
	assert_equal "$status" 0
	assert_equal "$output" ""
	run --separate-stderr "$RECORDER" diff "$TMP/getcpu.yaml" "$TMP/sysinfo.json"
	assert_equal "$status" 1
	assert_line_in_output "+ sysinfo (SCMP_ARCH_X86_64)"
	"$RECORDER" merge -o "$TMP/m.yaml" --name merged "$TMP/getcpu.yaml" "$TMP/sysinfo.json"
	assert_equal "$(jq -r .metadata.name "$TMP/m.yaml")" merged
	"$RECORDER" merge -o "$TMP/m.json" "$TMP/m.yaml"
	assert_equal "$(jq -r .kind "$TMP/m.json")" null
	run "$SECCOMP_EXEC" "$TMP/m.json" "$PROBE64" getcpu sysinfo
	assert_equal "$status" 0
}

@test "a SeccompProfile in YAML form is refused with the way to get its JSON form" {
	printf 'apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\n' \
		>"$TMP/p.yaml"
	echo '{"defaultAction": "SCMP_ACT_ERRNO"}' >"$TMP/ok.json"
	run "$RECORDER" diff "$TMP/ok.json" "$TMP/p.yaml"
	assert_equal "$status" 2
	[[ "$output" == *"is not JSON"*"-o json"* ]]
	[[ "$output" != *"apiVersion:"* ]]
}

@test "--base: named sets and a profile file add their calls; an unknown set is refused" {
	require_bpf
	"$RECORDER" record -o "$TMP/plain.json" -- "$PROBE64" getcpu
	refute_allowed "$TMP/plain.json" execveat
	refute_allowed "$TMP/plain.json" capset
	"$RECORDER" record --base execve -o "$TMP/execve.json" -- "$PROBE64" getcpu
	assert_allowed "$TMP/execve.json" execveat
	refute_allowed "$TMP/execve.json" capset
	printf '%s' '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
		{"names": ["sysinfo", "uname"], "action": "SCMP_ACT_ALLOW"},
		{"names": ["times"], "action": "SCMP_ACT_ERRNO"},
		{"names": ["personality"], "action": "SCMP_ACT_ALLOW",
		 "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]}]}' >"$TMP/extra.json"
	"$RECORDER" record --base "$TMP/extra.json" -o "$TMP/file.json" -- "$PROBE64" getcpu
	for call in getcpu sysinfo uname; do assert_allowed "$TMP/file.json" "$call"; done
	# Only unconditional allows are taken from the file.
	refute_allowed "$TMP/file.json" times
	refute_allowed "$TMP/file.json" personality
	run -2 "$RECORDER" record --base nope -o "$TMP/x.json" -- "$PROBE64" getcpu
	[[ "$output" == *"unknown set \`nope\` (known: runc, execve"* ]]
	run -2 "$RECORDER" record --base "$TMP/missing.json" -o "$TMP/x.json" -- "$PROBE64" getcpu
	[[ "$output" == *"missing.json"* ]]
	[ ! -e "$TMP/x.json" ]
}

@test "--log-variant: NAME.log.json has the same rules and logs instead of denying" {
	require_bpf
	"$RECORDER" record --log-variant -o "$TMP/p.json" -- "$PROBE64" getcpu
	assert_equal "$(jq -r .defaultAction "$TMP/p.log.json")" SCMP_ACT_LOG
	assert_equal "$(jq 'has("defaultErrnoRet")' "$TMP/p.log.json")" false
	assert_equal "$(jq -c .syscalls "$TMP/p.log.json")" "$(jq -c .syscalls "$TMP/p.json")"
	# Under the profile a call it lacks fails; under the variant it runs (and is logged).
	run "$SECCOMP_EXEC" "$TMP/p.json" "$PROBE64" getcpu times
	assert_equal "$output" "$(printf 'getcpu ok\ntimes errno=1')"
	run "$SECCOMP_EXEC" "$TMP/p.log.json" "$PROBE64" getcpu times
	assert_equal "$output" "$(printf 'getcpu ok\ntimes ok')"
	"$RECORDER" merge --log-variant -o "$TMP/m.yaml" "$TMP/p.json" "$TMP/p.json"
	assert_equal "$(jq -r '.metadata.name + " " + .spec.defaultAction' "$TMP/m.log.yaml")" \
		"m.log SCMP_ACT_LOG"
}
