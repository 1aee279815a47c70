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

# Whether file $1 holds a byte a terminal obeys: C0 controls but newline, DEL, C1 (U+0080-U+009F),
# or a bidi override or isolate (U+202A-U+202E, U+2066-U+2069). Prints the offending lines.
has_raw_controls() {
	LC_ALL=C grep -naP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$1"
}

refute_raw_controls() {
	if has_raw_controls "$1" >&2; then
		echo "raw control or bidi bytes in $1 (above)" >&2
		return 1
	fi
}

# A copy of the probe under a directory whose name moves a terminal's cursor back and erases the
# line (CR, ESC [2K) and reverses what follows (U+202E): its path, in $HOSTILE.
hostile_probe() {
	HOSTILE_DIR="$TMP/"$'\r\e[2K\u202e'
	mkdir -p "$HOSTILE_DIR"
	HOSTILE="$HOSTILE_DIR/probe"
	cp "$PROBE64" "$HOSTILE"
}

@test "names a workload chose are escaped: in the why file, in explain and in diff" {
	require_bpf
	hostile_probe
	# comm "\e[8m" (conceal): on a terminal, everything after it on the line vanished.
	"$RECORDER" record --explain -o "$TMP/p.json" -- "$HOSTILE" comm:$'\e[8m' getcpu >/dev/null
	local why="$TMP/p.json.why.json" dir
	dir=$(realpath "$TMP")
	jq -e . "$why" >/dev/null
	assert_equal "$(first_caller "$why" getcpu comm)" '\x1b[8m'
	assert_equal "$(first_caller "$why" getcpu executable)" "$dir/"'\x0d\x1b[2K\u202e/probe'
	run "$RECORDER" explain "$TMP/p.json" getcpu
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$TMP/explain.out"
	refute_raw_controls "$TMP/explain.out"
	[[ "${lines[1]}" == *"$dir/"'\x0d\x1b[2K\u202e/probe (\x1b[8m, pid '* ]]
	jq '.syscalls |= map(.names -= ["getcpu"])' "$TMP/p.json" >"$TMP/old.json"
	run "$RECORDER" diff "$TMP/old.json" "$TMP/p.json"
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" >"$TMP/diff.out"
	refute_raw_controls "$TMP/diff.out"
	[[ "$output" == "+ getcpu (SCMP_ARCH_X86_64)  first by $dir/"'\x0d\x1b[2K\u202e/probe (\x1b[8m, pid '* ]]
	"$RECORDER" diff --json "$TMP/old.json" "$TMP/p.json" >"$TMP/diff.json" || true
	jq -r '.added[0].firstBy' "$TMP/diff.json" >"$TMP/firstby.out"
	refute_raw_controls "$TMP/firstby.out"
}

@test "a why file written raw (older, or edited) is shown escaped by explain and diff" {
	require_bpf
	"$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" getcpu >/dev/null
	jq -n '{profile: "p.json", calls: [{name: "getcpu", arch: "SCMP_ARCH_X86_64",
		first: {executable: "/bin/\r\u001b[2K\u202eprobe\u009b", comm: "\u001b[8m",
			pid: 7, pidInNamespace: 1}}]}' >"$TMP/p.json.why.json"
	run "$RECORDER" explain "$TMP/p.json"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$TMP/explain.out"
	refute_raw_controls "$TMP/explain.out"
	[[ "${lines[1]}" == *'/bin/\x0d\x1b[2K\u202eprobe\u009b (\x1b[8m, pid 1 in its namespace'* ]]
	jq '.syscalls |= map(.names -= ["getcpu"])' "$TMP/p.json" >"$TMP/old.json"
	run "$RECORDER" diff "$TMP/old.json" "$TMP/p.json"
	printf '%s\n' "$output" >"$TMP/diff.out"
	refute_raw_controls "$TMP/diff.out"
	[[ "$output" == *'first by /bin/\x0d\x1b[2K\u202eprobe\u009b (\x1b[8m, pid 1)' ]]
}

@test "names that are not UTF-8, or cut mid-character, are escaped bytes: the recording succeeds" {
	require_bpf
	# comm is cut at 15 bytes, inside the eighth "é"; a path part at 31, inside a "€".
	local part
	part="$(printf 'a%.0s' $(seq 30))"$'\u20ac'
	mkdir -p "$TMP/$part" "$TMP/"$'\xff\xfe'
	cp "$PROBE64" "$TMP/$part/probe"
	cp "$PROBE64" "$TMP/"$'\xff\xfe'"/probe"
	run "$RECORDER" record --explain -o "$TMP/p.json" -- "$TMP/$part/probe" \
		comm:éééééééé getcpu child:sysinfo
	[ "$status" -eq 0 ]
	jq -e . "$TMP/p.json.why.json" >/dev/null
	assert_equal "$(first_caller "$TMP/p.json.why.json" getcpu comm)" 'ééééééé\xc3'
	[[ "$(first_caller "$TMP/p.json.why.json" getcpu executable)" == *"/$(printf 'a%.0s' $(seq 30))"'\xe2/probe' ]]
	run "$RECORDER" record --explain -o "$TMP/q.json" -- "$TMP/"$'\xff\xfe'"/probe" getcpu
	[ "$status" -eq 0 ]
	[[ "$(first_caller "$TMP/q.json.why.json" getcpu executable)" == *'/\xff\xfe/probe' ]]
}

@test "a why file that cannot be written is a warning, and a stale one is removed" {
	require_bpf
	# Something that is not a file where the why file goes: the profile is written all the same.
	mkdir "$TMP/p.json.why.json"
	run "$RECORDER" record --explain -o "$TMP/p.json" -- "$PROBE64" getcpu
	[ "$status" -eq 0 ]
	assert_allowed "$TMP/p.json" getcpu
	[[ "$output" == *"warning: the profile \`$TMP/p.json\` was written, but not why: "* ]]
	[[ "$output" == *"warning: an older why file stays beside \`$TMP/p.json\`"* ]]
	# A why file of an earlier recording does not stay beside a profile it does not describe.
	"$RECORDER" record --explain -o "$TMP/q.json" -- "$PROBE64" getcpu >/dev/null
	[ -f "$TMP/q.json.why.json" ]
	run "$RECORDER" record -o "$TMP/q.json" -- "$PROBE64" sysinfo
	[ "$status" -eq 0 ]
	[ ! -e "$TMP/q.json.why.json" ]
}

# The entries of the pinned first-caller table, once the recording whose debug log is $1 has
# made its calls (the probe touched $2).
first_callers_now() {
	local dir n=0
	until [ -e "$2" ]; do
		n=$((n + 1))
		[ "$n" -lt 500 ] || { echo "the probe never made its calls" >&2; return 1; }
		sleep 0.02
	done
	dir=$(grep -o 'pinned[a-z ]* in `[^`]*`' "$1" | head -1 | cut -d'`' -f2)
	[ -n "$dir" ] || { cat "$1" >&2; return 1; }
	bpftool map dump pinned "$dir/first_callers" -j | jq length
}

@test "first callers are kept only for calls libseccomp names: 476 unknown numbers take no entry" {
	require_bpf
	local entries pid status=0
	"$RECORDER" record --log-level debug --explain -o "$TMP/p.json" -- "$PROBE64" getcpu \
		nr:548-1023 "touch:$TMP/made" "wait:$TMP/go" >"$TMP/out" 2>"$TMP/log" 3>&- &
	pid=$!
	entries=$(first_callers_now "$TMP/log" "$TMP/made") || status=1
	touch "$TMP/go"
	wait "$pid"
	[ "$status" -eq 0 ]
	# getcpu, the probe's start-up and exit, the wait: a few dozen, none of the 476.
	[ "$entries" -lt 100 ] || { echo "$entries first callers kept" >&2; false; }
	[ "$(jq '[.calls[] | select(.first)] | length' "$TMP/p.json.why.json")" -gt 0 ]
}

@test "status shows a recording's id and path escaped" {
	mkdir -p "$TMP/state"
	# As the hook logs it: a tab, a newline, CR and backslash escaped by the log's own form.
	printf '%s\t%s\tok\t%s\t\n' "$(date +%s)" $'\e[8mabc\u202e' "/out/"$'\e[2K'"p.json" \
		>"$TMP/state/recordings.log"
	run "$RECORDER" status --state-dir "$TMP/state"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$TMP/status.out"
	refute_raw_controls "$TMP/status.out"
	[[ "$output" == *'\x1b[8mabc\u202e'*'/out/\x1b[2Kp.json'* ]]
}
