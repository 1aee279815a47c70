#!/usr/bin/env bats
# The hook under each OCI runtime it is tested with, runc and crun: every scenario whose outcome
# depends on the runtime is one function, run by one test per runtime with the same assertions.
# crun runs in a private mount namespace (crun_setup_file in helpers.bash).

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	podman_setup_file
	crun_setup_file
}

teardown_file() {
	crun_teardown_file
}

teardown() {
	local id
	for id in "${BUNDLES[@]}"; do runtime_on "$RUNTIME" delete -f "$id" >/dev/null 2>&1 || true; done
	[ -n "${BUSY:-}" ] && { kill "$BUSY" 2>/dev/null || true; wait "$BUSY" 2>/dev/null || true; }
	if [ -n "${RUNTIME:-}" ]; then
		for id in $(rpodman ps -aq --filter "label=$CONTAINER_LABEL" 2>/dev/null); do
			rpodman rm -f -t 0 "$id" >/dev/null 2>&1 || true
		done
	fi
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
	return 0
}

# The test's runtime: every podman call below goes through it.
use_runtime() {
	RUNTIME=$1
	BUNDLES=()
	require_runtime "$1"
}

# Every container a test starts carries this label, and its teardown removes those only: other
# suites may run containers on the same host at the same time.
CONTAINER_LABEL=oci-seccomp-recorder-test=runtimes-$$

rpodman() {
	if [ "$1" = run ]; then
		shift
		set -- run --label "$CONTAINER_LABEL" "$@"
	fi
	podman_on "$RUNTIME" "$@"
}

# With the test's hooks; `--annotation`s go before --rootfs.
rpman() {
	local command=$1
	shift
	[ "$command" = run ] && set -- --label "$CONTAINER_LABEL" "$@"
	podman_on "$RUNTIME" --hooks-dir "$HOOKS_DIR" "$command" "$@"
}

# Run the probe calls $2... in a container under profile $1, with `run`.
run_under() {
	local profile=$1
	shift
	run rpodman run --rm --security-opt "seccomp=$profile" --rootfs "$ROOTFS" /bin/probe "$@"
}

# Start a recorded container (annotation $1) that runs the shell command $2, then sleeps; print
# its id once $2 is done. Readiness is a file in a shared folder: no exec session is recorded.
start_recorded() {
	local id
	mkdir -p "$TMP/shared"
	id=$(rpman run -d "$(trace_annotation "$1")" -v "$TMP/shared:/shared" --rootfs "$ROOTFS" \
		/bin/sh -c "${2:-:}; touch /shared/ready; exec sleep 600")
	for _ in $(seq 500); do
		[ -e "$TMP/shared/ready" ] && { echo "$id"; return 0; }
		sleep 0.02
	done
	echo "$RUNTIME: container $id did not get ready" >&2
	return 1
}

# --- the scenarios ----------------------------------------------------------------------------

record_and_round_trip() {
	run rpman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu sysinfo
	[ "$status" -eq 0 ] || { echo "$RUNTIME: the recorded run exited $status: $output" >&2; return 1; }
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok')"
	assert_allowed "$TMP/p.json" getcpu
	run_under "$TMP/p.json" getcpu sysinfo
	[ "$status" -eq 0 ] || { echo "$RUNTIME: under its profile it exited $status: $output" >&2; return 1; }
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok')"
	# A call it did not make is denied with EPERM, and the rest goes on.
	run_under "$TMP/p.json" getcpu times
	assert_equal "$output" "$(printf 'getcpu ok\ntimes errno=1')"
}

@test "runc: a recorded container runs under its profile, a call it did not make is denied" {
	use_runtime runc
	record_and_round_trip
}

@test "crun: a recorded container runs under its profile, a call it did not make is denied" {
	use_runtime crun
	record_and_round_trip
}

# The runtime's setup before its filter stays out; what is added unseen is the runtime's own.
tight_boundary() {
	local id reasons
	id=$(rpman run -d "$(trace_annotation "of:$TMP/p.json;explain:on")" --rootfs "$ROOTFS" \
		/bin/probe getcpu)
	rpodman wait "$id" >/dev/null
	rpodman rm "$id" >/dev/null
	for setup_call in mount umount2 pivot_root chroot sethostname setdomainname setns unshare \
		keyctl mknodat symlinkat open_tree move_mount fsopen mount_setattr; do
		refute_allowed "$TMP/p.json" "$setup_call"
	done
	assert_allowed "$TMP/p.json" execve
	if ! grep -q "container $id: attached to pid .*, runtime $RUNTIME)" "$HOOK_LOG"; then
		echo "expected the hook to log runtime $RUNTIME for $id; it logged:" \
			"$(grep "container $id: attached" "$HOOK_LOG")" >&2
		return 1
	fi
	reasons=$(jq -r '.calls[] | select(.addedUnseen) | "\(.name): \(.addedUnseen)"' \
		"$TMP/p.json.why.json" | grep -v ": the kernel's signal return" || true)
	if [ -z "$reasons" ] || grep -v "^[a-z0-9_]*: $RUNTIME" <<<"$reasons" >&2; then
		echo "expected the calls added unseen beyond the signal return to be $RUNTIME's;" \
			"got: ${reasons:-none}" >&2
		return 1
	fi
}

@test "runc: none of runc's setup calls is in the profile, and what it adds unseen is runc's" {
	use_runtime runc
	tight_boundary
}

@test "crun: none of crun's setup calls is in the profile, and what it adds unseen is crun's" {
	use_runtime crun
	tight_boundary
}

@test "runc: eight runs of one container give one profile" {
	use_runtime runc
	assert_same_profile_each_run rpman
}

@test "crun: eight runs of one container give one profile" {
	use_runtime crun
	assert_same_profile_each_run rpman
}

ten_starts() {
	local i
	rpman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu burst:1000 sched_yield >/dev/null
	for i in $(seq 10); do
		run_under "$TMP/p.json" getcpu burst:1000 sched_yield
		if [ "$status" -ne 0 ]; then
			echo "$RUNTIME: run $i under the profile exited $status: $output" >&2
			return 1
		fi
	done
}

@test "runc: a recorded profile starts the same container ten times out of ten" {
	use_runtime runc
	ten_starts
}

@test "crun: a recorded profile starts the same container ten times out of ten" {
	use_runtime crun
	ten_starts
}

child_call() {
	rpman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/probe child:times >/dev/null
	assert_allowed "$TMP/p.json" times
}

@test "runc: a call made only by a child process of the container is recorded" {
	use_runtime runc
	child_call
}

@test "crun: a call made only by a child process of the container is recorded" {
	use_runtime crun
	child_call
}

# A container waits for /tmp/done; an exec session makes getpriority, another ends it. Recorded
# (with the annotation's keys $1), then the same under the profile: the runtime's exec path runs
# under the container's filter.
exec_session() {
	local id profile
	for profile in "" "$TMP/p.json"; do
		rm -f "$ROOTFS/tmp/done"
		if [ -z "$profile" ]; then
			id=$(rpman run -d "$(trace_annotation "of:$TMP/p.json$1")" --rootfs "$ROOTFS" \
				/bin/probe getcpu wait:/tmp/done)
		else
			id=$(rpodman run -d --security-opt "seccomp=$profile" --rootfs "$ROOTFS" \
				/bin/probe getcpu wait:/tmp/done)
		fi
		run rpodman exec "$id" /bin/probe getpriority
		if [ "$output" != "getpriority ok" ]; then
			echo "$RUNTIME: exec session ${profile:+under the profile }gave: $output" >&2
			return 1
		fi
		rpodman exec "$id" /bin/touch /tmp/done
		assert_equal "$(rpodman wait "$id")" 0
		rpodman rm "$id" >/dev/null
		[ -n "$profile" ] || assert_allowed "$TMP/p.json" getpriority
	done
}

@test "runc: a podman exec session is recorded, and runs under the profile" {
	use_runtime runc
	exec_session
}

@test "crun: a podman exec session is recorded, and runs under the profile" {
	use_runtime crun
	exec_session
}

# With args:on, the runtime's exec path must find its own argument values allowed (crun's
# ioctl TCGETS, its prctl options).
@test "runc: an exec session runs under a profile recorded with args:on" {
	use_runtime runc
	exec_session ";args:on"
}

@test "crun: an exec session runs under a profile recorded with args:on" {
	use_runtime crun
	exec_session ";args:on"
}

# podman refuses --pid=host and --pid=container:X without cgroups, and crun gets no cgroups
# here (crun_setup_file). These two start their containers from an OCI bundle, with the runtime
# itself running both hook stages as CRI-O has it do: the same for runc and crun.

# A bundle in $TMP/$1 running /bin/probe $4... with annotation $2; $3 is its pid namespace:
# "" a new one, "host", or a path to join. The filter is installed with no_new_privileges off,
# as under podman: the runtime runs its last steps under it.
make_bundle() {
	local dir=$TMP/$1 annotation=$2 pid_ns=$3
	shift 3
	mkdir -p "$dir" "$TMP/shared"
	jq -n --arg rootfs "$ROOTFS" --arg shared "$TMP/shared" --arg annotation "$annotation" \
		--arg pid_ns "$pid_ns" --slurpfile config "$HOOKS_DIR/oci-seccomp-recorder.json" \
		--args '$config[0].hook as $hook | ["CAP_KILL", "CAP_SETUID", "CAP_SETGID"] as $caps | {
		ociVersion: "1.0.2",
		process: { terminal: false, user: { uid: 0, gid: 0 }, args: (["/bin/probe"] + $ARGS.positional),
			env: ["PATH=/bin"], cwd: "/", noNewPrivileges: false,
			capabilities: { bounding: $caps, effective: $caps, permitted: $caps } },
		root: { path: $rootfs, readonly: false },
		mounts: [ { destination: "/proc", type: "proc", source: "proc" },
			{ destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "mode=755"] },
			{ destination: "/shared", type: "bind", source: $shared, options: ["rbind", "rw"] } ],
		hooks: { prestart: [$hook], poststop: [$hook] },
		annotations: { "io.containers.trace-syscall": $annotation },
		linux: {
			namespaces: ([{ type: "mount" }, { type: "ipc" }, { type: "uts" }, { type: "network" }] +
				(if $pid_ns == "host" then [] elif $pid_ns == "" then [{ type: "pid" }]
				 else [{ type: "pid", path: $pid_ns }] end)),
			seccomp: { defaultAction: "SCMP_ACT_ALLOW",
				syscalls: [{ names: ["kexec_load"], action: "SCMP_ACT_ERRNO" }] } } }' \
		"$@" >"$dir/config.json"
}

# Run bundle $TMP/$1 as container $1-$RUNTIME in the foreground, with `run`.
run_bundle() {
	BUNDLES+=("$1-$RUNTIME")
	run runtime_on "$RUNTIME" run --bundle "$TMP/$1" "$1-$RUNTIME"
}

# The hook logged no error since the log had $1 lines (both stages: the runtime runs poststop).
refute_hook_errors_since() {
	if tail -n "+$(($1 + 1))" "$HOOK_LOG" | grep " error: " >&2; then
		echo "$RUNTIME: the hook logged the errors above" >&2
		return 1
	fi
}

log_lines() {
	if [ -e "$HOOK_LOG" ]; then wc -l <"$HOOK_LOG"; else echo 0; fi
}

pid_host() {
	local mark
	mark=$(log_lines)
	(while :; do "$PROBE64" getpriority sysinfo >/dev/null; done) 3>&- &
	BUSY=$!
	make_bundle host "of:$TMP/p.json" host getcpu burst:100000 sleep:300
	run_bundle host
	kill "$BUSY" 2>/dev/null || true
	wait "$BUSY" || true
	BUSY=
	assert_equal "$output" "$(printf 'getcpu ok\nburst:100000 ok\nsleep:300 ok')"
	assert_allowed "$TMP/p.json" getcpu
	refute_allowed "$TMP/p.json" getpriority
	refute_allowed "$TMP/p.json" sysinfo
	refute_hook_errors_since "$mark"
}

@test "runc: the host's pid namespace: the container is recorded, a busy host process is not" {
	use_runtime runc
	pid_host
}

@test "crun: the host's pid namespace: the container is recorded, a busy host process is not" {
	use_runtime crun
	pid_host
}

shared_pid_namespace() {
	local first=first-$RUNTIME pid mark
	mark=$(log_lines)
	make_bundle first "of:$TMP/first.json" "" getcpu touch:/shared/first-ready \
		wait:/shared/first-end
	BUNDLES+=("$first")
	runtime_on "$RUNTIME" run --detach --bundle "$TMP/first" "$first" \
		</dev/null >"$TMP/first.out" 2>&1 3>&-
	for _ in $(seq 200); do [ -e "$TMP/shared/first-ready" ] && break; sleep 0.05; done
	pid=$(runtime_on "$RUNTIME" state "$first" | jq -r .pid)
	make_bundle second "of:$TMP/second.json" "/proc/$pid/ns/pid" sysinfo
	run_bundle second
	[ "$status" -eq 0 ] || { echo "$RUNTIME: the second container exited $status: $output" >&2; return 1; }
	assert_equal "$output" "sysinfo ok"
	touch "$TMP/shared/first-end"
	for _ in $(seq 200); do
		[ "$(runtime_on "$RUNTIME" state "$first" | jq -r .status)" = stopped ] && break
		sleep 0.05
	done
	runtime_on "$RUNTIME" delete "$first"
	assert_allowed "$TMP/second.json" sysinfo
	refute_allowed "$TMP/second.json" getcpu
	assert_allowed "$TMP/first.json" getcpu
	refute_allowed "$TMP/first.json" sysinfo
	refute_hook_errors_since "$mark"
}

@test "runc: two recorded containers sharing a pid namespace: each profile holds its own calls" {
	use_runtime runc
	shared_pid_namespace
}

@test "crun: two recorded containers sharing a pid namespace: each profile holds its own calls" {
	use_runtime crun
	shared_pid_namespace
}

killed() {
	local id
	id=$(start_recorded "of:$TMP/p.json" '/bin/probe getcpu')
	rpodman kill -s KILL "$id" >/dev/null
	rpodman wait "$id" >/dev/null || true
	rpodman rm "$id" >/dev/null
	assert_allowed "$TMP/p.json" getcpu
	assert_allowed "$TMP/p.json" nanosleep || assert_allowed "$TMP/p.json" clock_nanosleep
}

@test "runc: a container killed with SIGKILL still gets its profile" {
	use_runtime runc
	killed
}

@test "crun: a container killed with SIGKILL still gets its profile" {
	use_runtime crun
	killed
}

stopped() {
	local id
	id=$(start_recorded "of:$TMP/p.json" '/bin/probe sysinfo')
	rpodman stop -t 1 "$id" >/dev/null
	rpodman rm "$id" >/dev/null
	assert_allowed "$TMP/p.json" sysinfo
}

@test "runc: a container stopped with podman stop still gets its profile" {
	use_runtime runc
	stopped
}

@test "crun: a container stopped with podman stop still gets its profile" {
	use_runtime crun
	stopped
}

# args:on: the socket families and the persona the workload used, nothing else (args.bats).
AF_UNIX=1
AF_INET=2
AF_NETLINK=16
PER_LINUX32=0x0008
CLONE_NEWUSER=0x10000000
WORKLOAD=(socket:$AF_UNIX socket:$AF_INET personality:0xffffffff clone:0)

args_values() {
	run rpman run --rm "$(trace_annotation "of:$TMP/p.json;args:on")" --rootfs "$ROOTFS" \
		/bin/probe "${WORKLOAD[@]}"
	[ "$status" -eq 0 ] || { echo "$RUNTIME: the recorded run exited $status: $output" >&2; return 1; }
	assert_equal "$(jq -r '.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and
		(.names | index("socket")) and (.args // [] | length) > 0) | .args[] | .value' \
		"$TMP/p.json" | sort | tr '\n' ' ')" "$AF_UNIX $AF_INET "
	grep -q "wrote \`$TMP/p.json\`: .*for their argument values only, in [1-9][0-9]* rules" \
		"$HOOK_LOG"
	run_under "$TMP/p.json" "${WORKLOAD[@]}"
	[ "$status" -eq 0 ] || { echo "$RUNTIME: under its profile it exited $status: $output" >&2; return 1; }
	run_under "$TMP/p.json" socket:$AF_NETLINK personality:$PER_LINUX32 clone:$CLONE_NEWUSER
	assert_equal "$output" "$(printf '%s errno=1\n' socket:$AF_NETLINK \
		personality:$PER_LINUX32 clone:$CLONE_NEWUSER)"
}

@test "runc: args:on allows the values the container used, and it runs under the profile" {
	use_runtime runc
	args_values
}

@test "crun: args:on allows the values the container used, and it runs under the profile" {
	use_runtime crun
	args_values
}

# `record` sees the program alone: the runtime that applies its profile needs its base set.
record_base() {
	"$RECORDER" record -o "$TMP/bare.json" -- "$PROBE64" getcpu
	run_under "$TMP/bare.json" getcpu
	if [ "$status" -eq 0 ]; then
		echo "$RUNTIME started the container under a profile without its own calls" >&2
		return 1
	fi
	"$RECORDER" record --base "$RUNTIME" -o "$TMP/base.json" -- "$PROBE64" getcpu
	run_under "$TMP/base.json" getcpu times
	assert_equal "$output" "$(printf 'getcpu ok\ntimes errno=1')"
}

@test "runc: record --base runc: a profile recorded outside a container starts under runc" {
	use_runtime runc
	record_base
}

@test "crun: record --base crun: a profile recorded outside a container starts under crun" {
	use_runtime crun
	record_base
}

# --- across runtimes --------------------------------------------------------------------------

# Recorded under $1, run under $2. Each runtime runs different calls under the filter (runc's
# Go code: openat, fcntl, getdents64...; crun: setresuid, pselect6, rt_sigaction...), so the
# profile alone does not start the other; with `if:` a base of the other's set, it does.
across() {
	local from=$1 to=$2
	require_runtime crun
	RUNTIME=$from
	rpman run --rm "$(trace_annotation "of:$TMP/alone.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu >/dev/null
	"$RECORDER" record --base "$to" -o "$TMP/base-$to.json" -- "$PROBE64"
	rpman run --rm "$(trace_annotation "if:$TMP/base-$to.json;of:$TMP/both.json")" \
		--rootfs "$ROOTFS" /bin/probe getcpu >/dev/null
	RUNTIME=$to
	run_under "$TMP/alone.json" getcpu
	if [ "$status" -eq 0 ]; then
		echo "recorded under $from alone, the profile started the container under $to:" \
			"the README says it cannot" >&2
		return 1
	fi
	run_under "$TMP/both.json" getcpu times
	assert_equal "$output" "$(printf 'getcpu ok\ntimes errno=1')"
	RUNTIME=$from
	run_under "$TMP/both.json" getcpu times
	assert_equal "$output" "$(printf 'getcpu ok\ntimes errno=1')"
}

@test "recorded under runc with if: crun's base set, a profile starts the container under crun too" {
	across runc crun
}

@test "recorded under crun with if: runc's base set, a profile starts the container under runc too" {
	across crun runc
}

# --- no filter in the spec (Unconfined) -------------------------------------------------------
# Without linux.seccomp the runtime installs no filter and the recording starts at the
# workload's execve; enforced, the profile goes in where the runtime installs a filter, and the
# runtime's calls from there to the execve must be in it (runc: fstatfs, fcntl, getdents64 of
# its fd closing, setgroups, setuid...; crun: setresuid, capset...).

unconfined_podman() {
	run rpman run --rm --security-opt seccomp=unconfined "$(trace_annotation "of:$TMP/p.json")" \
		--rootfs "$ROOTFS" /bin/probe getcpu
	assert_equal "$output" "getcpu ok"
	run_under "$TMP/p.json" getcpu mkdir:/tmp/unconfined
	[ "$status" -ne 0 ] || { echo "$RUNTIME: mkdir was allowed" >&2; return 1; }
	assert_equal "$output" "$(printf 'getcpu ok\nmkdir:/tmp/unconfined errno=1')"
	[ ! -e "$ROOTFS/tmp/unconfined" ]
}

@test "runc: recorded with seccomp=unconfined, the profile starts the container; mkdir gets EPERM" {
	use_runtime runc
	unconfined_podman
}

@test "crun: recorded with seccomp=unconfined, the profile starts the container; mkdir gets EPERM" {
	use_runtime crun
	unconfined_podman
}

# A bare bundle without linux.seccomp: with no_new_privileges on (`runc spec`'s default: the
# runtimes install a filter late) and off (as podman and the kubelet run it: early). Recorded,
# then the same bundle with the profile as its linux.seccomp and no hooks.
unconfined_bundle() {
	local nnp
	for nnp in true false; do
		make_bundle "bare-$nnp" "of:$TMP/p-$nnp.json" "" getcpu
		jq --argjson nnp "$nnp" 'del(.linux.seccomp) | .process.noNewPrivileges = $nnp' \
			"$TMP/bare-$nnp/config.json" >"$TMP/c" && mv "$TMP/c" "$TMP/bare-$nnp/config.json"
		run_bundle "bare-$nnp"
		assert_equal "$output" "getcpu ok"
		mkdir -p "$TMP/enforced-$nnp"
		jq --slurpfile p "$TMP/p-$nnp.json" 'del(.hooks, .annotations) |
			.linux.seccomp = $p[0] |
			.process.args = ["/bin/probe", "getcpu", "mkdir:/tmp/unconfined"]' \
			"$TMP/bare-$nnp/config.json" >"$TMP/enforced-$nnp/config.json"
		run_bundle "enforced-$nnp"
		if [ "$output" != "$(printf 'getcpu ok\nmkdir:/tmp/unconfined errno=1')" ]; then
			echo "$RUNTIME, noNewPrivileges $nnp: under the profile: $output" >&2
			return 1
		fi
		[ ! -e "$ROOTFS/tmp/unconfined" ]
	done
}

@test "runc: a bare bundle without linux.seccomp, recorded, runs under its profile; mkdir gets EPERM" {
	use_runtime runc
	unconfined_bundle
}

@test "crun: a bare bundle without linux.seccomp, recorded, runs under its profile; mkdir gets EPERM" {
	use_runtime crun
	unconfined_bundle
}

# What the runtime adds says why: the why file names the missing filter.
@test "runc: an unconfined recording's why file says which calls are runc's and why" {
	use_runtime runc
	rpman run --rm --security-opt seccomp=unconfined \
		"$(trace_annotation "of:$TMP/p.json;explain:on")" --rootfs "$ROOTFS" \
		/bin/probe getcpu >/dev/null
	assert_equal "$(jq -r '.calls[] | select(.name == "fstatfs") | .addedUnseen' \
		"$TMP/p.json.why.json" | grep -c 'the spec had no seccomp filter')" 1
}

# --- the recording's own filter ---------------------------------------------------------------
# The kernel runs a task's seccomp filter before the sys_enter tracepoint: a call the filter
# denies never reaches the BPF program, one it only logs does (the man page's DOCKER section).
own_filter() {
	make_bundle denied "of:$TMP/p.json" "" getcpu sysinfo
	jq '.linux.seccomp.syscalls += [{ names: ["getcpu"], action: "SCMP_ACT_ERRNO" },
		{ names: ["sysinfo"], action: "SCMP_ACT_LOG" }]' "$TMP/denied/config.json" >"$TMP/c"
	mv "$TMP/c" "$TMP/denied/config.json"
	run_bundle denied
	assert_equal "$output" "$(printf 'getcpu errno=1\nsysinfo ok')"
	refute_allowed "$TMP/p.json" getcpu
	assert_allowed "$TMP/p.json" sysinfo
}

@test "runc: a call the recording's own filter denies is not in the profile, a logged one is" {
	use_runtime runc
	own_filter
}

@test "crun: a call the recording's own filter denies is not in the profile, a logged one is" {
	use_runtime crun
	own_filter
}
