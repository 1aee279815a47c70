#!/usr/bin/env bats
# The OCI hook under load, real podman + runc + BPF: many recordings at once, one output written
# by two, hundreds in a row, millions of calls. Behaviour only: nothing here asserts a duration.

bats_require_minimum_version 1.5.0
load helpers

# One read-only query per container, made by no other one and by no plain probe run.
UNIQUE_CALLS=(getrusage getitimer getpgrp getpgid getsid getresuid getresgid getgroups
	sched_getscheduler sched_getparam sched_get_priority_max sched_get_priority_min
	sched_rr_get_interval sched_getaffinity ioprio_get personality)

# Bounds on the waits for containers to get somewhere: a failure, never a pass, when reached.
READY_TIMEOUT_S=180
LONG_RUN_CALLS=20000000
RSS_SLACK_KB=1024

setup_file() {
	podman_setup_file
	# The containers of this file, and only these, are removed after each test.
	export LOAD_LABEL="osr-load-test=$$"
}

setup() {
	TMP=$(mktemp -d /tmp/osr-test.XXXXXX)
	mkdir "$TMP/shared"
	BACKGROUND=()
	READER=""
}

teardown() {
	local ids pid
	# Whatever still waits on a barrier is released, then stopped.
	[ -n "${TMP:-}" ] && touch "$TMP/shared/go" "$TMP/shared/start" "$TMP/shared/end"
	for pid in $READER "${BACKGROUND[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	ids=$(podman ps -aq --filter "label=$LOAD_LABEL")
	[ -n "$ids" ] && podman rm -f -t 0 $ids >/dev/null 2>&1
	for pid in $READER "${BACKGROUND[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
}

# A recorded container of this file with $TMP/shared at /shared, and no network: setting one up
# is podman's work, not the hook's, and would double the time of a run here.
# recorded_run ANNOTATION --rm|-d COMMAND...
recorded_run() {
	local annotation=$1 mode=$2
	shift 2
	pman run "$mode" --network=none --label "$LOAD_LABEL" -v "$TMP/shared:/shared" \
		"$(trace_annotation "$annotation")" --rootfs "$ROOTFS" "$@"
}

# Wait until every file named exists in $TMP/shared; say which did not come.
wait_for_files() {
	local name missing
	for _ in $(seq $((READY_TIMEOUT_S * 10))); do
		missing=""
		for name in "$@"; do
			[ -e "$TMP/shared/$name" ] || missing="$missing $name"
		done
		[ -z "$missing" ] && return 0
		sleep 0.1
	done
	echo "after ${READY_TIMEOUT_S} s, still missing in $TMP/shared:$missing" >&2
	return 1
}

# Start `podman run --rm` in the background, its output in $TMP/out.$1, its status in $TMP/rc.$1.
run_in_background() {
	local name=$1
	shift
	( recorded_run "$1" --rm "${@:2}" >"$TMP/out.$name" 2>&1; echo $? >"$TMP/rc.$name" ) 3>&- &
	BACKGROUND+=($!)
}

# Check that the background run $1 exited 0 and printed $2.
assert_background_ok() {
	local rc
	rc=$(cat "$TMP/rc.$1" 2>/dev/null)
	if [ "$rc" != 0 ] || ! grep -qxF "$2" "$TMP/out.$1"; then
		echo "container $1: expected status 0 and '$2', got status '$rc': $(cat "$TMP/out.$1")" >&2
		return 1
	fi
}

wait_background() {
	local pid
	for pid in "${BACKGROUND[@]}"; do
		wait "$pid" || true
	done
	BACKGROUND=()
}

@test "16 containers recorded at once by one program: each profile holds its own call and none of the others'" {
	require_bpf
	require_podman
	local call other started=$SECONDS
	[ "${#UNIQUE_CALLS[@]}" -eq 16 ]
	for call in "${UNIQUE_CALLS[@]}"; do
		run_in_background "$call" "of:$TMP/$call.json" \
			/bin/probe getppid "$call" "touch:/shared/ready.$call" wait:/shared/go
	done
	# All 16 made their call and are recording at the same moment before any may exit.
	wait_for_files "${UNIQUE_CALLS[@]/#/ready.}"
	# ... and one program on sys_enter serves them all.
	assert_equal "$(bpftool prog show -j | jq '[.[] | select(.name == "record_sys_enter")] | length')" 1
	touch "$TMP/shared/go"
	wait_background
	echo "# 16 concurrent recorded containers: $((SECONDS - started)) s" >&3
	for call in "${UNIQUE_CALLS[@]}"; do
		assert_background_ok "$call" "$call ok"
		assert_allowed "$TMP/$call.json" "$call"
		assert_allowed "$TMP/$call.json" getppid
		assert_equal "$(grep -c "wrote \`$TMP/$call.json\`" "$HOOK_LOG")" 1
		for other in "${UNIQUE_CALLS[@]}"; do
			[ "$other" = "$call" ] || refute_allowed "$TMP/$call.json" "$other"
		done
	done
}

# A reader that copies the profile over and over and keeps every copy that is not a complete
# profile holding getppid, or that holds both containers' calls.
read_profile_loop() {
	local path=$1 bad=$2 reads=$3 n=0
	while [ ! -e "$TMP/shared/stop-reader" ]; do
		cat "$path" >"$TMP/copy" 2>/dev/null || continue
		n=$((n + 1))
		if ! jq -e '.defaultAction == "SCMP_ACT_ERRNO" and (.architectures | length) > 0 and
			([.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] |
			 index("getppid") != null and
			 ((index("getrusage") != null) and (index("getitimer") != null) | not))' \
			"$TMP/copy" >/dev/null 2>&1; then
			cp "$TMP/copy" "$bad.$n"
		fi
	done
	echo "$n" >"$reads"
}

@test "two containers writing one of: path at once: it is always one complete profile" {
	require_bpf
	require_podman
	local round reads=0 both n
	# Present from the start, so that the reader always has a file to read.
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
	       "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ALLOW"}]}' >"$TMP/p.json"
	read_profile_loop "$TMP/p.json" "$TMP/bad" "$TMP/reads" 3>&- &
	READER=$!
	for round in 1 2 3 4 5; do
		rm -f "$TMP/shared/"*
		run_in_background a "of:$TMP/p.json" \
			/bin/probe getppid getrusage touch:/shared/ready.a wait:/shared/go
		run_in_background b "of:$TMP/p.json" \
			/bin/probe getppid getitimer touch:/shared/ready.b wait:/shared/go
		wait_for_files ready.a ready.b
		touch "$TMP/shared/go"
		wait_background
		assert_background_ok a "getrusage ok"
		assert_background_ok b "getitimer ok"
		# The last rename wins: one container's whole profile, not a mix of the two.
		jq -e . "$TMP/p.json" >/dev/null
		assert_allowed "$TMP/p.json" getppid
		assert_allowed "$TMP/p.json" execve
		both=$(allowed_names "$TMP/p.json" | grep -cx 'getrusage\|getitimer')
		if [ "$both" -ne 1 ]; then
			echo "round $round: expected the call of exactly one container in" \
				"$(allowed_names "$TMP/p.json" | tr '\n' ' ')" >&2
			return 1
		fi
	done
	# Each container's tracer wrote its profile to the path: 10 writes over 5 rounds.
	n=$(grep -c "wrote \`$TMP/p.json\`" "$HOOK_LOG")
	assert_equal "$n" 10
	touch "$TMP/shared/stop-reader"
	wait "$READER"
	READER=""
	reads=$(cat "$TMP/reads")
	echo "# the reader read the profile $reads times" >&3
	[ "$reads" -gt 0 ]
	if compgen -G "$TMP/bad.*" >/dev/null; then
		echo "the reader saw $(ls "$TMP"/bad.* | wc -l) partial or mixed profiles, e.g.:" \
			"$(head -c 300 "$(ls "$TMP"/bad.* | head -1)")" >&2
		return 1
	fi
	# No temporary file left beside the profile.
	assert_equal "$(ls -A "$TMP" | grep -v '^\(p\.json\|shared\|copy\|reads\|out\..\|rc\..\)$')" ""
}

# The ids of the BPF objects of a kind (prog, map, link), one per line.
bpf_ids() {
	bpftool "$1" show -j | jq -r '.[].id' | sort -n
}

# The pids of the processes holding BPF object $1 ($2: prog, map, link) open.
bpf_holders() {
	grep -lx "$2_id:[[:space:]]*$1" /proc/[0-9]*/fdinfo/* 2>/dev/null | cut -d/ -f3 | sort -u
}

# BPF objects of kind $1 created since the ids in $2 were taken that are still there, except
# those held by other programs than the one under test (other containers of the host).
new_bpf_objects() {
	local kind=$1 before=$2 id pid foreign
	for id in $(bpf_ids "$kind" | comm -13 "$before" -); do
		foreign=""
		for pid in $(bpf_holders "$id" "$kind"); do
			[ "$(readlink "/proc/$pid/exe")" = "$RECORDER" ] && { foreign=""; break; }
			foreign=$pid
		done
		# Held only by another program of the host: not ours (and not a failed status).
		if [ -z "$foreign" ]; then
			echo "$kind $id"
		fi
	done
}

# Processes of the binary under test, and processes holding a file in the state dir.
tracers_left() {
	local fd pid
	for pid in /proc/[0-9]*; do
		[ "$(readlink "$pid/exe" 2>/dev/null)" = "$RECORDER" ] && echo "${pid#/proc/} runs $RECORDER"
	done
	for fd in /proc/[0-9]*/fd/*; do
		case "$(readlink "$fd" 2>/dev/null)" in
		"$STATE_DIR"/*) fd=${fd#/proc/}; echo "${fd%%/*} holds $(readlink "/proc/$fd")" ;;
		esac
	done
}

@test "200 recorded containers in a row leave no BPF object, tracer or state file behind" {
	require_bpf
	require_podman
	local i kind out started=$SECONDS left prog_before map_before
	[ -z "$(tracers_left)" ]
	for kind in prog map link; do
		bpf_ids "$kind" >"$TMP/$kind.before"
	done
	prog_before=$(wc -l <"$TMP/prog.before")
	map_before=$(wc -l <"$TMP/map.before")
	for i in $(seq 200); do
		if ! out=$(recorded_run "of:$TMP/p.json" --rm /bin/probe getcpu 2>&1) ||
			[ "$out" != "getcpu ok" ]; then
			echo "run $i: expected 'getcpu ok' and status 0, got: $out" >&2
			return 1
		fi
	done
	echo "# 200 recorded containers in a row: $((SECONDS - started)) s" >&3
	assert_allowed "$TMP/p.json" getcpu
	assert_equal "$(grep -c "wrote \`$TMP/p.json\`" "$HOOK_LOG")" 200
	# A BPF object is freed by the kernel after its last fd closes, not at once: a bounded wait.
	for _ in $(seq 100); do
		left=$(for kind in prog map link; do new_bpf_objects "$kind" "$TMP/$kind.before"; done)
		[ -z "$left" ] && break
		sleep 0.1
	done
	echo "# BPF programs before/after: $prog_before/$(bpf_ids prog | wc -l)," \
		"maps: $map_before/$(bpf_ids map | wc -l)" >&3
	if [ -n "$left" ]; then
		echo "BPF objects left after 200 containers: $(echo "$left" | tr '\n' ' ')" >&2
		bpftool prog show >&2
		return 1
	fi
	left=$(tracers_left)
	if [ -n "$left" ]; then
		echo "tracers left after 200 containers: $left" >&2
		return 1
	fi
	# Only the recordings' history and its lock stay (200 starts, 200 ends), no reserved file.
	assert_equal "$(ls -A "$STATE_DIR" | tr '\n' ' ')" "recordings.lock recordings.log "
	assert_equal "$(grep -c "$(printf '\tok\t')$TMP/p.json" "$STATE_DIR/recordings.log")" 200
	assert_equal "$(find "$TMP" -maxdepth 1 -name '.*.tmp' | wc -l)" 0
}

# VmRSS of process $1 in kB.
rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

@test "a container making 20 million calls: exact profile, every call counted, tracer does not grow" {
	require_bpf
	require_podman
	local id pid start_kb end_kb max_kb kb calls started
	id=$(recorded_run "of:$TMP/p.json" -d /bin/probe getcpu touch:/shared/ready \
		wait:/shared/start "burst:$LONG_RUN_CALLS" sysinfo touch:/shared/burst-done \
		wait:/shared/end)
	wait_for_files ready
	pid=$(tracer_pid "$id") || { echo "no tracer holds the state file of $id" >&2; return 1; }
	start_kb=$(rss_kb "$pid")
	max_kb=$start_kb
	started=$SECONDS
	touch "$TMP/shared/start"
	while [ ! -e "$TMP/shared/burst-done" ]; do
		kb=$(rss_kb "$pid")
		[ "$kb" -gt "$max_kb" ] && max_kb=$kb
		if [ $((SECONDS - started)) -gt $((READY_TIMEOUT_S * 2)) ]; then
			echo "the burst of $LONG_RUN_CALLS calls did not end" >&2
			return 1
		fi
		sleep 0.5
	done
	end_kb=$(rss_kb "$pid")
	[ "$end_kb" -gt "$max_kb" ] && max_kb=$end_kb
	touch "$TMP/shared/end"
	podman wait "$id" >/dev/null
	podman rm "$id" >/dev/null
	calls=$(grep "container $id: wrote" "$HOOK_LOG" | grep -o '[0-9]* calls recorded' | cut -d' ' -f1)
	echo "# $LONG_RUN_CALLS getppid in $((SECONDS - started)) s: $calls calls recorded;" \
		"tracer VmRSS start $start_kb kB, end $end_kb kB, max $max_kb kB" >&3
	if [ "$max_kb" -gt $((start_kb + RSS_SLACK_KB)) ]; then
		echo "tracer $pid grew from $start_kb kB to $max_kb kB (end $end_kb kB) during the run" >&2
		return 1
	fi
	for call in getcpu getppid sysinfo nanosleep openat close execve; do
		assert_allowed "$TMP/p.json" "$call"
	done
	refute_allowed "$TMP/p.json" getrusage
	# Exact: the same names as a run of the same program with a short burst.
	recorded_run "of:$TMP/short.json" --rm /bin/probe getcpu touch:/shared/ready \
		wait:/shared/start burst:1000 sysinfo touch:/shared/burst-done wait:/shared/end >/dev/null
	if [ "$(allowed_names "$TMP/p.json")" != "$(allowed_names "$TMP/short.json")" ]; then
		echo "the long run's names differ from a short run's (< long, > short):" \
			"$(diff <(allowed_names "$TMP/p.json") <(allowed_names "$TMP/short.json") |
				grep '^[<>]')" >&2
		return 1
	fi
	if [ -z "$calls" ] || [ "$calls" -lt "$LONG_RUN_CALLS" ]; then
		echo "expected at least $LONG_RUN_CALLS calls recorded, the tracer logged '$calls'" >&2
		return 1
	fi
}
