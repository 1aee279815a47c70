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
	[[ "$output" == *"unknown set \`nope\` (known: runc, crun, execve"* ]]
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

# --- merge --report and score ---------------------------------------------------------------

# Three runs of one workload, written by hand: $TMP/runs/{a,b,c}.json. Every run reads and
# writes; getcpu in a and c; socket for AF_INET in a, for any family in b; sysinfo in b only,
# times in c only; uname in b, blocked in c.
write_three_runs() {
	mkdir -p "$TMP/runs"
	cat >"$TMP/runs/a.json" <<-'JSON'
	{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
	  {"names": ["read", "write", "getcpu"], "action": "SCMP_ACT_ALLOW"},
	  {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
	   "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]}]}
	JSON
	cat >"$TMP/runs/b.json" <<-'JSON'
	{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
	  {"names": ["write", "read", "sysinfo", "socket", "uname"], "action": "SCMP_ACT_ALLOW"}]}
	JSON
	cat >"$TMP/runs/c.json" <<-'JSON'
	{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
	  {"names": ["read", "write", "getcpu", "times"], "action": "SCMP_ACT_ALLOW"},
	  {"names": ["uname"], "action": "SCMP_ACT_ERRNO"}]}
	JSON
}

# A default written by hand: six calls, and socket for every family but AF_NETLINK.
write_hand_default() {
	cat >"$1" <<-'JSON'
	{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
	  {"names": ["read", "write", "getcpu", "sysinfo", "times", "ptrace"],
	   "action": "SCMP_ACT_ALLOW"},
	  {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
	   "args": [{"index": 0, "value": 16, "op": "SCMP_CMP_NE"}]}]}
	JSON
}

# The names a profile's unconditional allow rules give, as a sorted JSON array.
allowed_json() {
	jq -c '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and ((.args // []) == []))
		| .names[]] | unique' "$1"
}

require_root() {
	[ "$(id -u)" -eq 0 ] && return 0
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but this test needs root" >&2
		return 1
	fi
	skip "needs root"
}

@test "merge --report: in how many runs each call appears, the calls of one run as rare paths" {
	write_three_runs
	cd "$TMP/runs"
	run --separate-stderr "$RECORDER" merge --report -o m.json a.json b.json c.json
	assert_equal "$status" 0
	assert_line_in_output "Coverage of 3 runs: 6 calls the merged profile allows"
	assert_line_in_output "  in every run (3 of 3): 2 calls"
	assert_line_in_output "  in 2 of 3 runs:"
	assert_line_in_output "    getcpu (SCMP_ARCH_X86_64): not in b.json"
	assert_line_in_output "    socket (SCMP_ARCH_X86_64): not in c.json"
	assert_line_in_output "    socket [arg0 == 2] (SCMP_ARCH_X86_64): not in c.json"
	assert_line_in_output "Rare paths: review them or record more runs (seen in 1 of 3 runs):"
	assert_line_in_output "    sysinfo (SCMP_ARCH_X86_64): only in b.json"
	assert_line_in_output "    times (SCMP_ARCH_X86_64): only in c.json"
	assert_line_in_output "Left out (another input blocks them): uname"
	assert_equal "$(grep -c '^    ' <<<"$output")" 5
	# The report is the only change: the profile is the one merge writes without it.
	"$RECORDER" merge -o plain.json a.json b.json c.json
	cmp m.json plain.json
}

@test "merge --report --json: every call with its runs, the rare paths, what was left out" {
	write_three_runs
	cd "$TMP/runs"
	run --separate-stderr "$RECORDER" merge --report --json -o m.json a.json b.json c.json
	assert_equal "$status" 0
	assert_equal "$(jq -c '[.runs, .calls, .everyRun]' <<<"$output")" '[3,6,2]'
	assert_equal "$(jq -c .inputs <<<"$output")" '["a.json","b.json","c.json"]'
	assert_equal "$(jq -c '[.allowed[] | [.name, .runs]]' <<<"$output")" \
		'[["getcpu",2],["read",3],["socket",2],["sysinfo",1],["times",1],["write",3]]'
	assert_equal "$(jq -c '.allowed[] | select(.name == "getcpu") | .inputs' <<<"$output")" \
		'["a.json","c.json"]'
	assert_equal "$(jq -c '[.conditions[] | [.name, .condition, .runs, .inputs]]' <<<"$output")" \
		'[["socket","arg0 == 2",2,["a.json","b.json"]]]'
	assert_equal "$(jq -c '[.rare[] | [.name, .input]]' <<<"$output")" \
		'[["sysinfo","b.json"],["times","c.json"]]'
	assert_equal "$(jq -c .rare[0].architectures <<<"$output")" '["SCMP_ARCH_X86_64"]'
	assert_equal "$(jq -c .leftOut <<<"$output")" '["uname"]'
	run "$RECORDER" merge --json -o m2.json a.json b.json
	assert_equal "$status" 2
	[[ "$output" == *"--json formats the report: it needs --report"* ]]
	[ ! -e m2.json ]
}

@test "merge --report of three recordings: the call one run made is a rare path" {
	record_probes
	"$RECORDER" record -o "$TMP/getcpu2.json" -- "$PROBE64" getcpu
	cd "$TMP"
	run --separate-stderr "$RECORDER" merge --report --json -o m.json \
		getcpu.json sysinfo.json getcpu2.json
	assert_equal "$status" 0
	assert_equal "$(jq -c '.rare[] | select(.name == "sysinfo") | .input' <<<"$output")" \
		'"sysinfo.json"'
	assert_equal "$(jq -c '.allowed[] | select(.name == "getcpu") | .inputs' <<<"$output")" \
		'["getcpu.json","getcpu2.json"]'
	assert_equal "$(jq '.calls' <<<"$output")" "$(allowed_json m.json | jq length)"
}

@test "score: a recorded profile against a hand-written default (--against)" {
	require_bpf
	"$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" getcpu
	write_hand_default "$TMP/default.json"
	names=$(allowed_json "$TMP/p.json")
	n=$(jq length <<<"$names")
	run --separate-stderr "$RECORDER" score --json --against "$TMP/default.json" "$TMP/p.json"
	assert_equal "$status" 0
	assert_equal "$(jq -r .default <<<"$output")" "$TMP/default.json"
	assert_equal "$(jq -c '[.abis[] | .architecture]' <<<"$output")" '["SCMP_ARCH_X86_64"]'
	assert_equal "$(jq '.abis[0] | [.allowed, .conditional]' <<<"$output" | jq -c .)" "[$n,0]"
	assert_equal "$(jq .abis[0].default.allowed <<<"$output")" 7
	assert_equal "$(jq -c .abis[0].default.blockedCalls <<<"$output")" \
		"$(jq -c --argjson p "$names" \
			'["getcpu","ptrace","read","socket","sysinfo","times","write"] - $p' <<<null)"
	assert_equal "$(jq -c .abis[0].default.extraCalls <<<"$output")" \
		"$(jq -c '. - ["getcpu","read","write"]' <<<"$names")"
	assert_equal "$(jq .highRisk.allowed <<<"$output")" 0
	run --separate-stderr "$RECORDER" score --against "$TMP/default.json" "$TMP/p.json"
	assert_equal "$status" 0
	assert_line_in_output "Compared with \`$TMP/default.json\`, as podman applies it (default capabilities)."
	[[ "$output" == *"SCMP_ARCH_X86_64: allows $n of the "*" calls libseccomp knows"* ]] ||
		{ echo "expected: allows $n of the N calls; got: $output" >&2; return 1; }
	assert_line_in_output "High-risk calls allowed: none of the 29 in the set."
}

@test "score --max-risk: exit 1 above N high-risk entries, 0 at N; conditions decide socket" {
	write_hand_default "$TMP/default.json"
	cat >"$TMP/risky.json" <<-'JSON'
	{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
	  {"names": ["read", "ptrace", "bpf"], "action": "SCMP_ACT_ALLOW"},
	  {"names": ["mount"], "action": "SCMP_ACT_ERRNO"},
	  {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
	   "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]}]}
	JSON
	run --separate-stderr "$RECORDER" score --json --against "$TMP/default.json" "$TMP/risky.json"
	assert_equal "$status" 0
	# socket for AF_INET only allows neither AF_ALG nor AF_VSOCK; mount is blocked.
	assert_equal "$(jq -c '[.highRisk.entries[] | select(.allowed) | .id]' <<<"$output")" \
		'["bpf","ptrace"]'
	run --separate-stderr "$RECORDER" score --max-risk 2 --against "$TMP/default.json" \
		"$TMP/risky.json"
	assert_equal "$status" 0
	assert_line_in_output "  ptrace              read and write other processes' memory (SCMP_ARCH_X86_64)"
	run --separate-stderr "$RECORDER" score --max-risk 1 --against "$TMP/default.json" \
		"$TMP/risky.json"
	assert_equal "$status" 1
	[[ "$stderr" == *"high-risk entries allowed: 2, more than --max-risk 1"* ]] ||
		{ echo "expected the reason on stderr, got: $stderr" >&2; return 1; }
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$TMP/all.json"
	run --separate-stderr "$RECORDER" score --max-risk 28 --against "$TMP/default.json" \
		"$TMP/all.json"
	assert_equal "$status" 1
	assert_line_in_output "High-risk calls allowed: 29 of the 29 in the set:"
	[[ "$output" == *"defaultAction SCMP_ACT_ALLOW lets every call run that no rule blocks"* ]]
}

@test "score exits 2 on a missing profile, a bad --max-risk, two profiles" {
	write_hand_default "$TMP/default.json"
	run "$RECORDER" score --against "$TMP/default.json" "$TMP/missing.json"
	assert_equal "$status" 2
	[[ "$output" == *"open \`$TMP/missing.json\`: No such file or directory"* ]]
	run "$RECORDER" score --against "$TMP/missing.json" "$TMP/default.json"
	assert_equal "$status" 2
	[[ "$output" == *"the default: open \`$TMP/missing.json\`"* ]]
	run "$RECORDER" score --max-risk -1 "$TMP/default.json"
	assert_equal "$status" 2
	[[ "$output" == *"--max-risk takes a count, not \`-1\`"* ]]
	run "$RECORDER" score "$TMP/default.json" "$TMP/default.json"
	assert_equal "$status" 2
}

@test "score without --against where podman's default is absent says so and does not compare" {
	require_root
	write_hand_default "$TMP/p.json"
	# A mount namespace of its own, where /usr/share/containers is empty.
	run --separate-stderr unshare -m sh -c '
		if [ -d /usr/share/containers ]; then
			mount -t tmpfs none /usr/share/containers || exit 99
		fi
		exec "$0" score --json "$1"' "$RECORDER" "$TMP/p.json"
	assert_equal "$status" 0
	[[ "$stderr" == *"no --against and no \`/usr/share/containers/seccomp.json\`: scoring without the comparison"* ]] ||
		{ echo "expected the warning on stderr, got: $stderr" >&2; return 1; }
	assert_equal "$(jq -c '[.default, .abis[0].default]' <<<"$output")" '[null,null]'
	assert_equal "$(jq .abis[0].allowed <<<"$output")" 7
}

@test "a recorded container scores below podman's default, its only high-risk entry its own" {
	require_bpf
	require_podman
	podman_setup_file
	[ -r /usr/share/containers/seccomp.json ] ||
		{ echo "podman is installed without /usr/share/containers/seccomp.json" >&2; return 1; }
	pman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" /bin/probe getcpu
	# The profile enforces: the container runs under it.
	run podman run --rm --security-opt "seccomp=$TMP/p.json" --rootfs "$ROOTFS" /bin/probe getcpu
	assert_equal "$output" "getcpu ok"
	run --separate-stderr "$RECORDER" score --json "$TMP/p.json"
	assert_equal "$status" 0
	assert_equal "$(jq -r .default <<<"$output")" /usr/share/containers/seccomp.json
	n=$(allowed_json "$TMP/p.json" | jq length)
	allowed=$(jq .abis[0].allowed <<<"$output")
	default=$(jq .abis[0].default.allowed <<<"$output")
	blocked=$(jq .abis[0].default.blocked <<<"$output")
	extra=$(jq .abis[0].default.extra <<<"$output")
	assert_equal "$allowed" "$n"
	[ "$allowed" -lt "$default" ] ||
		{ echo "expected fewer calls than podman's default ($default), got $allowed" >&2; return 1; }
	assert_equal "$blocked" "$((default - (allowed - extra)))"
	# runc's own threads make the recording allow clone whatever its flags: namespaces too.
	# That is the only high-risk entry a recorded container may have, and only then.
	expected=$(allowed_json "$TMP/p.json" |
		jq -r 'if index("clone") != null then "clone(CLONE_NEW*)" else "" end')
	assert_equal "$(jq -r '[.highRisk.entries[] | select(.allowed) | .id] | join(",")' \
		<<<"$output")" "$expected"
	run --separate-stderr "$RECORDER" score --max-risk 1 "$TMP/p.json"
	assert_equal "$status" 0
	assert_line_in_output "Compared with \`/usr/share/containers/seccomp.json\`, as podman applies it (default capabilities)."
}
