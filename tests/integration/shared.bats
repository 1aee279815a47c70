#!/usr/bin/env bats
# One BPF program serves every recording on the host: the first tracer loads and pins it, the
# others register in its maps, the last one unpins it, which detaches it. A tracer that dies
# leaves its slot to be taken back by the next one.

load helpers

RECORDER_PROG=record_sys_enter

# Release every probe a test may have left waiting (the command of a killed tracer, a holder
# when an assertion failed) and let them exit before their directory goes: an orphan polling
# for a file that can no longer appear would never exit.
teardown() {
	[ -n "${TMP:-}" ] || return 0
	touch "$TMP/go" "$TMP/release" "$TMP/done" 2>/dev/null || true
	for _ in $(seq 100); do
		pgrep -f "$TMP/" >/dev/null || break
		sleep 0.05
	done
	pkill -KILL -f "$TMP/" 2>/dev/null || true
	rm -rf "$TMP"
}

# How many recorder programs are loaded on the host.
recorder_progs() {
	bpftool prog show -j | jq --arg n "$RECORDER_PROG" '[.[] | select(.name == $n)] | length'
}

# Until no recorder program is loaded (the kernel frees a program after an RCU grace period,
# not at the moment its last reference goes): bounded, then fails.
wait_no_recorder_progs() {
	for _ in $(seq 100); do
		[ "$(recorder_progs)" -eq 0 ] && return 0
		sleep 0.05
	done
	echo "a recorder program is still loaded after the last tracer ended:" >&2
	bpftool prog show >&2
	return 1
}

# The pin directory a tracer's debug log ($1) names.
pin_dir_of() {
	grep -o 'pinned in `[^`]*`\|pinned it in `[^`]*`' "$1" | head -1 | cut -d'`' -f2
}

wait_for_file() {
	for _ in $(seq 200); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	echo "\`$1\` did not appear within 10 s" >&2
	return 1
}

@test "three recordings at once share one program, each records only its own calls" {
	require_bpf
	local n pids=() calls=(getcpu sysinfo times) dir
	[ "$(recorder_progs)" -eq 0 ]
	for n in 0 1 2; do
		"$RECORDER" record --log-level debug -o "$TMP/p$n.json" -- \
			"$PROBE64" "${calls[$n]}" "touch:$TMP/ready.$n" "wait:$TMP/go" >/dev/null 2>"$TMP/log.$n" &
		pids+=($!)
		# One at a time: the first loads, the next two find its pins.
		wait_for_file "$TMP/ready.$n"
	done
	assert_equal "$(recorder_progs)" 1
	assert_equal "$(grep -l 'loaded the BPF program and pinned it in' "$TMP"/log.* | wc -l)" 1
	assert_equal "$(grep -l 'using the BPF program pinned in' "$TMP"/log.* | wc -l)" 2
	dir=$(pin_dir_of "$TMP/log.0")
	[ -n "$dir" ] && [ -d "$dir" ]
	for n in 1 2; do
		assert_equal "$(pin_dir_of "$TMP/log.$n")" "$dir"
	done
	touch "$TMP/go"
	for n in 0 1 2; do
		wait "${pids[$n]}"
	done
	for n in 0 1 2; do
		assert_allowed "$TMP/p$n.json" "${calls[$n]}"
		for other in 0 1 2; do
			[ "$other" = "$n" ] || refute_allowed "$TMP/p$n.json" "${calls[$other]}"
		done
	done
	# Exactly one of them was last: it unpinned the program, and the program is gone.
	assert_equal "$(grep -l 'last tracer: unpinning' "$TMP"/log.* | wc -l)" 1
	[ ! -e "$dir" ]
	wait_no_recorder_progs
}

@test "a tracer killed with SIGKILL: the next one takes its slot back, and the last one detaches the program" {
	require_bpf
	local killed dir
	"$RECORDER" record --log-level debug -o "$TMP/dead.json" -- \
		"$PROBE64" getcpu "touch:$TMP/ready" "wait:$TMP/go" >/dev/null 2>"$TMP/log.dead" &
	killed=$!
	wait_for_file "$TMP/ready"
	dir=$(pin_dir_of "$TMP/log.dead")
	kill -KILL "$killed"
	wait "$killed" || true
	# Nobody unpinned it: the program stays attached, its slot still registered.
	[ -d "$dir" ]
	assert_equal "$(recorder_progs)" 1
	run "$RECORDER" record --log-level debug -o "$TMP/p.json" -- "$PROBE64" sysinfo
	[ "$status" -eq 0 ]
	[[ "$output" == *"using the BPF program pinned in \`$dir\`"* ]]
	[[ "$output" == *"belonged to a tracer that died: taking it back"* ]]
	[[ "$output" == *"last tracer: unpinning"* ]]
	assert_allowed "$TMP/p.json" sysinfo
	refute_allowed "$TMP/p.json" getcpu
	[ ! -e "$TMP/dead.json" ]
	[ ! -e "$dir" ]
	wait_no_recorder_progs
}

@test "a recording after a reclaimed one starts empty: no call leaks from slot to slot" {
	require_bpf
	local killed
	# The killed tracer's command keeps calling times while the next recording takes its slot.
	"$RECORDER" record -o "$TMP/dead.json" -- \
		"$PROBE64" "touch:$TMP/ready" "wait:$TMP/go" times "touch:$TMP/done" >/dev/null 2>&1 &
	killed=$!
	wait_for_file "$TMP/ready"
	kill -KILL "$killed"
	wait "$killed" || true
	"$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" "touch:$TMP/go" "wait:$TMP/done" sysinfo \
		2>/dev/null
	assert_allowed "$TMP/p.json" sysinfo
	refute_allowed "$TMP/p.json" times
	wait_no_recorder_progs
}

@test "libbpf's loader and the kernel's light loader record the same calls" {
	require_bpf
	OCI_SECCOMP_RECORDER_LOADER=light "$RECORDER" record --log-level debug -o "$TMP/light.json" \
		-- "$PROBE64" getcpu sysinfo 2>"$TMP/log.light"
	OCI_SECCOMP_RECORDER_LOADER=libbpf "$RECORDER" record --log-level debug \
		-o "$TMP/libbpf.json" -- "$PROBE64" getcpu sysinfo 2>"$TMP/log.libbpf"
	grep -q 'loaded by the kernel.s loader (light skeleton)' "$TMP/log.light"
	run grep -c 'light skeleton' "$TMP/log.libbpf"
	assert_equal "$output" 0
	assert_allowed "$TMP/libbpf.json" getcpu
	assert_allowed "$TMP/libbpf.json" sysinfo
	assert_equal "$(allowed_names "$TMP/libbpf.json" | sort)" \
		"$(allowed_names "$TMP/light.json" | sort)"
	run env OCI_SECCOMP_RECORDER_LOADER=bcc "$RECORDER" record -o "$TMP/x.json" -- /bin/true
	[ "$status" -ne 0 ]
	[[ "$output" == *"OCI_SECCOMP_RECORDER_LOADER=\`bcc\`: expected auto, light or libbpf"* ]]
	[ ! -e "$TMP/x.json" ]
}

@test "foreign objects where the pins go are not used: a program of this build takes their place" {
	require_bpf
	local dir name names
	names=$(pin_names)
	"$RECORDER" record --log-level debug -o "$TMP/first.json" -- /bin/true 2>"$TMP/log.first"
	dir=$(pin_dir_of "$TMP/log.first")
	[ -n "$dir" ] && [ ! -e "$dir" ]
	mkdir -m 0700 "$dir"
	for name in $names; do
		bpftool map create "$dir/$name" type hash key 4 value 4 entries 1 name foreign
	done
	run "$RECORDER" record --log-level debug -o "$TMP/p.json" -- "$PROBE64" getcpu
	[ "$status" -eq 0 ]
	[[ "$output" == *"the pinned map \`$dir/task_tags\` is not this build's"* ]]
	[[ "$output" == *"loading a new program"* ]]
	assert_allowed "$TMP/p.json" getcpu
	[ ! -e "$dir" ]
	wait_no_recorder_progs
}

@test "a recording's leftover child stays out of a later recording in the same slot" {
	require_bpf
	local holder
	# Keeps the program pinned, so that the next recordings share it and reuse slot 1.
	"$RECORDER" record -o "$TMP/holder.json" -- "$PROBE64" "touch:$TMP/held" "wait:$TMP/release" \
		>/dev/null 2>&1 &
	holder=$!
	wait_for_file "$TMP/held"
	"$RECORDER" record -o "$TMP/b1.json" -- "$PROBE64" getcpu 2>/dev/null
	# Its command leaves a child behind, asleep in one call (no call of its own would show it
	# the recording ended), that calls times 1.5 s later, while the next recording runs.
	"$RECORDER" record -o "$TMP/b2.json" -- /bin/sh -c \
		"$PROBE64 sleep:1500 times touch:$TMP/done >/dev/null &" 2>/dev/null
	"$RECORDER" record -o "$TMP/c.json" -- "$PROBE64" "wait:$TMP/done" sysinfo 2>/dev/null
	touch "$TMP/release"
	wait "$holder"
	assert_allowed "$TMP/c.json" sysinfo
	refute_allowed "$TMP/c.json" times
	refute_allowed "$TMP/holder.json" times
	wait_no_recorder_progs
}

@test "pins that cannot be opened while a tracer uses them stay: the newcomer records with a program of its own" {
	require_bpf
	local holder dir
	"$RECORDER" record --log-level debug -o "$TMP/holder.json" -- "$PROBE64" "touch:$TMP/held" \
		"wait:$TMP/release" getcpu >/dev/null 2>"$TMP/log.holder" &
	holder=$!
	wait_for_file "$TMP/held"
	dir=$(pin_dir_of "$TMP/log.holder")
	# What is pinned is exactly what the table lists.
	assert_equal "$(ls -A "$dir" | sort)" "$(pin_names | sort)"
	# Someone swaps a pinned map for a foreign one.
	rm "$dir/counters"
	bpftool map create "$dir/counters" type hash key 4 value 4 entries 1 name foreign
	run "$RECORDER" record --log-level debug -o "$TMP/p.json" -- "$PROBE64" sysinfo
	[ "$status" -eq 0 ]
	[[ "$output" == *"the program pinned in \`$dir\` is in use, but this tracer cannot open it"* ]]
	assert_allowed "$TMP/p.json" sysinfo
	# The holder's program was not unpinned under it: it still records.
	[ -e "$dir/link_sys_enter" ]
	touch "$TMP/release"
	wait "$holder"
	assert_allowed "$TMP/holder.json" getcpu
	refute_allowed "$TMP/holder.json" sysinfo
	[ ! -e "$dir" ]
	wait_no_recorder_progs
}
