#!/usr/bin/env bats
# The OCI hook under real podman + runc: a recorded container runs under its own profile.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	podman_setup_file
}

teardown() {
	podman rm -af -t 0 >/dev/null 2>&1 || true
	# The syslog test's stand-in daemon and the socket it made, if the test stopped early.
	if [ -n "${TMP:-}" ] && [ -s "$TMP/sink.pid" ]; then
		kill "$(cat "$TMP/sink.pid")" 2>/dev/null || true
		rm -f /dev/log
	fi
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
}

@test "a recorded container runs under its profile with the same output" {
	require_bpf
	require_podman
	run pman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu sysinfo
	[ "$status" -eq 0 ]
	recorded="$output"
	assert_equal "$recorded" "$(printf 'getcpu ok\nsysinfo ok')"
	# podman run returns once poststop saw the profile written: no waiting here.
	assert_allowed "$TMP/p.json" getcpu
	run podman run --rm --security-opt "seccomp=$TMP/p.json" --rootfs "$ROOTFS" \
		/bin/probe getcpu sysinfo
	[ "$status" -eq 0 ]
	assert_equal "$output" "$recorded"
}

@test "a call the container did not make is denied with EPERM under its profile" {
	require_bpf
	require_podman
	pman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" /bin/probe getcpu
	refute_allowed "$TMP/p.json" times
	run podman run --rm --security-opt "seccomp=$TMP/p.json" --rootfs "$ROOTFS" \
		/bin/probe getcpu times
	[ "$status" -eq 1 ]
	assert_equal "$output" "$(printf 'getcpu ok\ntimes errno=1')"
}

@test "the runtime's own setup calls are not in the profile" {
	require_bpf
	require_podman
	pman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" /bin/probe getcpu
	for setup_call in mount pivot_root sethostname setns unshare umount2 keyctl \
		mknodat symlinkat; do
		refute_allowed "$TMP/p.json" "$setup_call"
	done
	assert_allowed "$TMP/p.json" execve
}

@test "if: extends a base profile: its rules are kept and the recorded calls added" {
	require_bpf
	require_podman
	cat >"$TMP/base.json" <<-'JSON'
	{ "defaultAction": "SCMP_ACT_ERRNO",
	  "syscalls": [ { "names": ["uname"], "action": "SCMP_ACT_ALLOW", "comment": "base" } ] }
	JSON
	pman run --rm "$(trace_annotation "if:$TMP/base.json;of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	assert_equal "$(jq -c '.syscalls[0]' "$TMP/p.json")" \
		'{"names":["uname"],"action":"SCMP_ACT_ALLOW","comment":"base"}'
	assert_allowed "$TMP/p.json" getcpu
	run podman run --rm --security-opt "seccomp=$TMP/p.json" --rootfs "$ROOTFS" \
		/bin/probe getcpu uname
	[ "$status" -eq 0 ]
}

@test "a call blocked in the base profile stays blocked" {
	require_bpf
	require_podman
	cat >"$TMP/base.json" <<-'JSON'
	{ "defaultAction": "SCMP_ACT_ERRNO",
	  "syscalls": [ { "names": ["getcpu"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38 } ] }
	JSON
	pman run --rm "$(trace_annotation "of:$TMP/p.json;if:$TMP/base.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu sysinfo || true
	refute_allowed "$TMP/p.json" getcpu
	assert_allowed "$TMP/p.json" sysinfo
	run podman run --rm --security-opt "seccomp=$TMP/p.json" --rootfs "$ROOTFS" \
		/bin/probe sysinfo getcpu
	assert_equal "$output" "$(printf 'sysinfo ok\ngetcpu errno=38')"
}

@test "a call made only by a child process of the container is recorded" {
	require_bpf
	require_podman
	pman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/probe child:times
	assert_allowed "$TMP/p.json" times
}

@test "a call made only in a podman exec session is recorded" {
	require_bpf
	require_podman
	id=$(pman run -d "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/sh -c 'while [ ! -e /tmp/done ]; do sleep 0.05; done')
	run podman exec "$id" /bin/probe getpriority
	assert_equal "$output" "getpriority ok"
	podman exec "$id" /bin/touch /tmp/done
	podman wait "$id"
	podman rm "$id"
	assert_allowed "$TMP/p.json" getpriority
}

@test "--pid=host: the container is recorded, a busy host process is not" {
	require_bpf
	require_podman
	( while :; do "$PROBE64" getpriority umask >/dev/null; done ) &
	busy=$!
	pman run --rm --pid=host "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu burst:100000 sleep:300
	kill "$busy" 2>/dev/null || true
	wait "$busy" || true
	assert_allowed "$TMP/p.json" getcpu
	refute_allowed "$TMP/p.json" getpriority
	refute_allowed "$TMP/p.json" umask
}

@test "two containers recorded at once do not share calls" {
	require_bpf
	require_podman
	a=$(pman run -d "$(trace_annotation "of:$TMP/a.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu sleep:800)
	b=$(pman run -d "$(trace_annotation "of:$TMP/b.json")" --rootfs "$ROOTFS" \
		/bin/probe sysinfo sleep:800)
	podman wait "$a" "$b"
	podman rm "$a" "$b"
	assert_allowed "$TMP/a.json" getcpu
	refute_allowed "$TMP/a.json" sysinfo
	assert_allowed "$TMP/b.json" sysinfo
	refute_allowed "$TMP/b.json" getcpu
}

@test "a 32-bit program in a container is recorded under SCMP_ARCH_X86" {
	require_bpf
	require_podman
	if ! kernel_runs_ia32; then
		run ! pman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
			/bin/probe32 getcpu sysinfo
		[[ "$output" == *"exec format error"* ]]
		return 0
	fi
	pman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/probe32 getcpu sysinfo
	jq -e '.architectures | index("SCMP_ARCH_X86")' "$TMP/p.json"
	run podman run --rm --security-opt "seccomp=$TMP/p.json" --rootfs "$ROOTFS" \
		/bin/probe32 getcpu sysinfo
	[ "$status" -eq 0 ]
}

@test "a container killed with SIGKILL still gets its profile" {
	require_bpf
	require_podman
	id=$(start_recorded "of:$TMP/p.json" '/bin/probe getcpu')
	podman kill -s KILL "$id"
	podman wait "$id" || true
	podman rm "$id"
	assert_allowed "$TMP/p.json" getcpu
	assert_allowed "$TMP/p.json" nanosleep || assert_allowed "$TMP/p.json" clock_nanosleep
}

@test "a container stopped with podman stop still gets its profile" {
	require_bpf
	require_podman
	id=$(start_recorded "of:$TMP/p.json" '/bin/probe sysinfo')
	podman stop -t 1 "$id"
	podman rm "$id"
	assert_allowed "$TMP/p.json" sysinfo
}

@test "a container without the annotation is not recorded and runs as usual" {
	require_bpf
	require_podman
	local before
	before=$(cat "$STATE_DIR/recordings.log" 2>/dev/null | wc -l)
	run pman run --rm --rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -eq 0 ]
	# No tracer state, and nothing in the recordings' history.
	[ -z "$(find "$STATE_DIR" -name '*.status' 2>/dev/null)" ]
	assert_equal "$(cat "$STATE_DIR/recordings.log" 2>/dev/null | wc -l)" "$before"
}

# Each bad annotation: one line that names the annotation and the problem, and no container.
bad_annotation() {
	local value=$1 expected=$2
	run ! pman run --rm "--annotation=io.containers.trace-syscall=$value" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	if [[ "$output" == *"getcpu ok"* ]]; then
		echo "the container ran with annotation '$value': $output" >&2
		return 1
	fi
	if [[ "$output" != *"io.containers.trace-syscall"* ]] || [[ "$output" != *"$expected"* ]]; then
		echo "expected a message naming the annotation and '$expected', got: $output" >&2
		return 1
	fi
}

@test "bad annotations are refused with a clear message and the container does not start" {
	require_bpf
	require_podman
	mkfifo "$TMP/fifo"
	echo 'not a profile' >"$TMP/notes.txt"
	touch "$TMP/file"
	bad_annotation "" "is empty"
	bad_annotation "xf:$TMP/p.json" "unknown key \`xf\`"
	bad_annotation "of:$TMP/p.json;of:$TMP/q.json" "\`of:\` is given twice"
	bad_annotation "of:p.json" "is not absolute"
	bad_annotation "if:$TMP/base.json" "has no \`of:PATH\`"
	bad_annotation "of:$TMP/p.json;if:$TMP/missing.json" "$TMP/missing.json"
	bad_annotation "of:$TMP/p.json;if:$TMP/fifo" "is not a regular file"
	bad_annotation "of:$TMP/p.json;if:$TMP/notes.txt" "is not valid JSON"
	bad_annotation "of:$TMP/nodir/p.json" "does not exist"
	bad_annotation "of:$TMP/file/p.json" "is not a directory"
	bad_annotation "of:$TMP/p.json;;" "empty entry"
	[ ! -e "$TMP/p.json" ]
}

@test "a recorded profile starts the same container ten times out of ten" {
	require_bpf
	require_podman
	pman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu burst:1000 sched_yield
	for i in $(seq 10); do
		run podman run --rm --security-opt "seccomp=$TMP/p.json" --rootfs "$ROOTFS" \
			/bin/probe getcpu burst:1000 sched_yield
		if [ "$status" -ne 0 ]; then
			echo "run $i under the profile exited $status: $output" >&2
			return 1
		fi
	done
}

@test "a tracer that gets SIGTERM writes what it has, exits, and the container goes on" {
	require_bpf
	require_podman
	id=$(start_recorded "of:$TMP/p.json" '/bin/probe getcpu')
	pid=$(tracer_pid "$id")
	kill -TERM "$pid"
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	if kill -0 "$pid" 2>/dev/null; then
		echo "tracer $pid still runs 5 s after SIGTERM" >&2
		return 1
	fi
	assert_allowed "$TMP/p.json" getcpu
	[ "$(podman inspect -f '{{.State.Status}}' "$id")" = running ]
	grep -q "container $id: wrote \`$TMP/p.json\`" "$HOOK_LOG"
}

@test "a tracer maps no libcrypto and the program holds no capstone: the analyze helper has both" {
	require_bpf
	require_podman
	local analyze
	analyze="$(dirname "$RECORDER")/oci-seccomp-recorder-analyze"
	id=$(start_recorded "of:$TMP/p.json")
	pid=$(tracer_pid "$id")
	if grep -E 'libcrypto|libcapstone' "/proc/$pid/maps"; then
		echo "tracer $pid maps libcrypto or capstone (above)" >&2
		return 1
	fi
	# Linked statically, capstone would be in the program's own pages.
	if nm "$RECORDER" | grep -E ' (cs_open|cs_disasm|EVP_Digest)$'; then
		echo "$RECORDER holds capstone or libcrypto code (above)" >&2
		return 1
	fi
	nm "$analyze" | grep -q ' cs_disasm$'
	readelf -d "$analyze" | grep -q 'libcrypto'
	podman rm -f -t 0 "$id" >/dev/null
}

@test "no tracer outlives its container" {
	require_bpf
	require_podman
	id=$(start_recorded "of:$TMP/p.json")
	pid=$(tracer_pid "$id")
	kill -0 "$pid"
	podman kill -s KILL "$id"
	podman wait "$id" || true
	# The tracer wrote the profile and is gone by the time poststop returned.
	podman rm "$id"
	if kill -0 "$pid" 2>/dev/null; then echo "tracer $pid outlived container $id" >&2; return 1; fi
	[ ! -e "$STATE_DIR/$id.status" ]
	[ -s "$TMP/p.json" ]
}

@test "the tracer logs to --log-file: attached, counts, the path written" {
	require_bpf
	require_podman
	id=$(pman run -d "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" /bin/probe getcpu)
	podman wait "$id"
	podman rm "$id"
	run grep "container $id" "$HOOK_LOG"
	[[ "$output" == *"info: container $id: attached to pid "*", mount namespace "* ]]
	[[ "$output" =~ "wrote \`$TMP/p.json\`: "[0-9]+" calls recorded, "[0-9]+" names allowed" ]]
}

@test "the tracer logs to syslog as oci-seccomp-recorder when /dev/log exists" {
	require_bpf
	require_podman
	if [ -e /dev/log ]; then
		# A syslog daemon owns it; its log is not ours to read.
		[ "${CI:-}" = true ] && { echo "CI=true, but /dev/log exists already" >&2; return 1; }
		skip "a syslog daemon owns /dev/log"
	fi
	"$SYSLOG_SINK" /dev/log "$TMP/syslog" &
	sink=$!
	echo "$sink" >"$TMP/sink.pid"
	for _ in $(seq 200); do [ -S /dev/log ] && break; sleep 0.01; done
	[ -S /dev/log ]
	id=$(pman run -d "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" /bin/probe getcpu)
	podman wait "$id"
	podman rm "$id"
	kill "$sink"
	wait "$sink" || true
	rm -f /dev/log "$TMP/sink.pid"
	run grep "container $id" "$TMP/syslog"
	[[ "$output" =~ "oci-seccomp-recorder["[0-9]+"]: container $id: attached to pid" ]]
	[[ "$output" == *"container $id: wrote \`$TMP/p.json\`"* ]]
	# syslog priority 30 = daemon.info
	[[ "$output" == "<30>"* ]]
}

@test "--allowed-dir: of: and if: must lie below an allowed directory, .. included" {
	require_bpf
	require_podman
	mkdir -p "$TMP/allowed/team" "$TMP/hooks.d" "$TMP/other"
	jq --arg dir "$TMP/allowed" '.hook.args += ["--allowed-dir", $dir]' \
		"$HOOKS_DIR/oci-seccomp-recorder.json" >"$TMP/hooks.d/policy.json"
	echo '{"defaultAction": "SCMP_ACT_ERRNO"}' >"$TMP/base.json"
	cp "$TMP/base.json" "$TMP/allowed/base.json"
	policy_run() {
		podman --hooks-dir "$TMP/hooks.d" run --rm "$(trace_annotation "$1")" \
			--rootfs "$ROOTFS" /bin/probe getcpu
	}
	run policy_run "if:$TMP/allowed/base.json;of:$TMP/allowed/team/p.json"
	[ "$status" -eq 0 ]
	assert_allowed "$TMP/allowed/team/p.json" getcpu
	for value in "of:$TMP/other/p.json" "of:$TMP/allowed/../other/p.json" \
		"of:$TMP/allowed" "if:$TMP/base.json;of:$TMP/allowed/q.json"; do
		run ! policy_run "$value"
		[[ "$output" != *"getcpu ok"* ]]
		[[ "$output" == *"io.containers.trace-syscall"*"is outside the allowed directories ($TMP/allowed)"* ]]
	done
	[ ! -e "$TMP/other/p.json" ] && [ ! -e "$TMP/allowed/q.json" ]
}

@test "fmt:spo, or an of: ending in .yaml, writes a SeccompProfile whose spec runs the container" {
	require_bpf
	require_podman
	pman run --rm "$(trace_annotation "of:$TMP/web-app.yaml")" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	pman run --rm "$(trace_annotation "fmt:spo;of:$TMP/Other_Name.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	for file in web-app.yaml Other_Name.json; do
		jq -e '.apiVersion == "security-profiles-operator.x-k8s.io/v1" and
			.kind == "SeccompProfile"' "$TMP/$file"
		jq '.spec' "$TMP/$file" >"$TMP/spec.json"
		assert_allowed "$TMP/spec.json" getcpu
		run podman run --rm --security-opt "seccomp=$TMP/spec.json" --rootfs "$ROOTFS" \
			/bin/probe getcpu times
		assert_equal "$output" "$(printf 'getcpu ok\ntimes errno=1')"
	done
	assert_equal "$(jq -r .metadata.name "$TMP/web-app.yaml")" web-app
	assert_equal "$(jq -r .metadata.name "$TMP/Other_Name.json")" other-name
	run ! pman run --rm "$(trace_annotation "fmt:yaml;of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	[[ "$output" == *"unknown format \`yaml\`"* ]]
}

@test "record --base runc: a profile recorded outside a container starts under runc; without, record warns" {
	require_bpf
	require_podman
	# Recorded with `record`, the profile holds the program's calls only: runc, which runs
	# under the filter until it execs the program, cannot start it.
	# `record` says so, on stderr, and names --base.
	"$RECORDER" record -o "$TMP/bare.json" -- "$PROBE64" getcpu >"$TMP/out" 2>"$TMP/err"
	assert_equal "$(cat "$TMP/out")" "getcpu ok"
	if ! grep -q "holds no container runtime's calls.*record with --base runc or --base crun" \
		"$TMP/err"; then
		echo "expected record's warning about --base on stderr; got: $(cat "$TMP/err")" >&2
		return 1
	fi
	run ! podman run --rm --security-opt "seccomp=$TMP/bare.json" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	[[ "$output" != *"getcpu ok"* ]]
	[[ "$output" == *"operation not permitted"* ]]
	# With --base, or a base profile written with it, it is quiet.
	run --separate-stderr "$RECORDER" record --base runc -o "$TMP/runc.json" -- "$PROBE64" getcpu
	[[ "$stderr" != *"--base"* ]]
	run --separate-stderr "$RECORDER" record -i "$TMP/runc.json" -o "$TMP/again.json" -- \
		"$PROBE64" getcpu
	[[ "$stderr" != *"--base"* ]]
	for call in setgroups setuid capset; do assert_allowed "$TMP/runc.json" "$call"; done
	run podman run --rm --security-opt "seccomp=$TMP/runc.json" --rootfs "$ROOTFS" \
		/bin/probe getcpu times
	assert_equal "$output" "$(printf 'getcpu ok\ntimes errno=1')"
}

@test "runc's own threads are not recorded: eight runs of one container give one profile" {
	require_bpf
	require_podman
	assert_same_profile_each_run pman
}

@test "a new profile is 0644, or what --file-mode says; an existing one keeps its mode" {
	require_bpf
	require_podman
	mkdir -p "$TMP/hooks"
	jq '.hook.args += ["--file-mode", "0600"]' "$HOOKS_DIR/oci-seccomp-recorder.json" \
		>"$TMP/hooks/oci-seccomp-recorder.json"
	pman run --rm "$(trace_annotation "of:$TMP/default.json")" --rootfs "$ROOTFS" /bin/probe getcpu >/dev/null
	assert_equal "$(stat -c %a "$TMP/default.json")" 644
	podman --hooks-dir "$TMP/hooks" run --rm "$(trace_annotation "of:$TMP/private.json")" \
		--rootfs "$ROOTFS" /bin/probe getcpu >/dev/null
	assert_equal "$(stat -c %a "$TMP/private.json")" 600
	echo '{}' >"$TMP/kept.json"
	chmod 0640 "$TMP/kept.json"
	podman --hooks-dir "$TMP/hooks" run --rm "$(trace_annotation "of:$TMP/kept.json")" \
		--rootfs "$ROOTFS" /bin/probe getcpu >/dev/null
	assert_equal "$(stat -c %a "$TMP/kept.json")" 640
	assert_allowed "$TMP/kept.json" getcpu
	# A mode with an execute or setuid bit is refused: the container does not start.
	jq '.hook.args += ["--file-mode", "4755"]' "$HOOKS_DIR/oci-seccomp-recorder.json" \
		>"$TMP/hooks/oci-seccomp-recorder.json"
	run podman --hooks-dir "$TMP/hooks" run --rm "$(trace_annotation "of:$TMP/x.json")" \
		--rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -ne 0 ]
	[[ "$output" == *"--file-mode takes permission bits in octal"* ]]
	[ ! -e "$TMP/x.json" ]
}

@test "two recorded containers sharing a pid namespace: each profile holds its own calls" {
	require_bpf
	require_podman
	local first
	first=$(pman run -d "$(trace_annotation "of:$TMP/first.json")" -v "$TMP:/shared" --rootfs "$ROOTFS" \
		/bin/probe getcpu touch:/shared/first-ready wait:/shared/first-end)
	for _ in $(seq 200); do [ -e "$TMP/first-ready" ] && break; sleep 0.05; done
	run pman run --rm --pid "container:$first" "$(trace_annotation "of:$TMP/second.json")" \
		--rootfs "$ROOTFS" /bin/probe sysinfo
	[ "$status" -eq 0 ]
	assert_equal "$output" "sysinfo ok"
	touch "$TMP/first-end"
	podman wait "$first" >/dev/null
	podman rm "$first" >/dev/null
	assert_allowed "$TMP/second.json" sysinfo
	refute_allowed "$TMP/second.json" getcpu
	assert_allowed "$TMP/first.json" getcpu
	refute_allowed "$TMP/first.json" sysinfo
}
