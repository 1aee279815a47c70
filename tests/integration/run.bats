#!/usr/bin/env bats
# `run`: a command under a profile, and every call the profile denies reported (real kernel,
# real seccomp user notifications).

load helpers
bats_require_minimum_version 1.5.0 # run --separate-stderr, run -127

# Record the probe's calls "$@" into $TMP/full.json, then write $TMP/p.json without $DROP.
# The probe's stdout is a file in both the recording and the runs: glibc's calls depend on it.
record_without() {
	local drop=$1
	shift
	"$RECORDER" record -o "$TMP/full.json" -- "$@" >"$TMP/record.out" 2>&1
	assert_allowed "$TMP/full.json" "$drop"
	jq --arg d "$drop" '.syscalls |= map(.names -= [$d])' "$TMP/full.json" >"$TMP/p.json"
	refute_allowed "$TMP/p.json" "$drop"
}

# A default-allow profile that answers the names given with errno $1.
deny_profile() {
	local errno=$1
	shift
	jq -n --argjson e "$errno" '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: $ARGS.positional,
		action: "SCMP_ACT_ERRNO", errnoRet: $e}]}' --args "$@"
}

# The one report entry for call $1 in $TMP/r.json, compact.
entry() {
	jq -c --arg n "$1" '.denied[] | select(.name == $n)' "$TMP/r.json"
}

@test "audit: the one call the profile lacks is reported once, with pid and comm, and runs" {
	require_bpf
	record_without sysinfo sh -c 'echo $$ >"$1"; exec "$2" getcpu sysinfo' sh "$TMP/pid" "$PROBE64"
	run "$RECORDER" run -p "$TMP/p.json" --json="$TMP/r.json" -- \
		sh -c 'echo $$ >"$1"; exec "$2" getcpu sysinfo >"$3"' sh "$TMP/pid" "$PROBE64" "$TMP/out"
	assert_equal "$status" 0
	assert_equal "$(cat "$TMP/out")" "$(printf 'getcpu ok\nsysinfo ok')"
	assert_equal "$(jq -c '[.denied[].name]' "$TMP/r.json")" '["sysinfo"]'
	assert_equal "$(entry sysinfo | jq -c '[.arch, .count, .comms, .action, .errno]')" \
		'["SCMP_ARCH_X86_64",1,["probe"],"SCMP_ACT_ERRNO",1]'
	assert_equal "$(entry sysinfo | jq -c .pids)" "[$(cat "$TMP/pid")]"
	assert_equal "$(jq -r .mode "$TMP/r.json")" audit
}

@test "the summary on stderr names the call, its ABI, count, pid and comm" {
	require_bpf
	record_without sysinfo "$PROBE64" getcpu sysinfo
	run --separate-stderr "$RECORDER" run -p "$TMP/p.json" -- "$PROBE64" getcpu sysinfo
	assert_equal "$status" 0
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok')"
	[[ "$stderr" == *"1 call the profile denies (1 distinct), each allowed (audit mode):"* ]]
	[[ "$stderr" =~ "SCMP_ARCH_X86_64 sysinfo count=1 action=SCMP_ACT_ERRNO(1) pids="[0-9]+" comms=probe" ]]
	assert_equal "$(grep -c '^  ' <<<"$stderr")" 1
}

@test "--enforce: the program gets the profile's errno, and the call is still reported" {
	require_bpf
	record_without sysinfo "$PROBE64" getcpu sysinfo
	run "$RECORDER" run --enforce -p "$TMP/p.json" --json="$TMP/r.json" -- "$PROBE64" getcpu sysinfo
	assert_equal "$status" 1
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo errno=1')"
	assert_equal "$(jq -c '[.denied[].name]' "$TMP/r.json")" '["sysinfo"]'
	assert_equal "$(entry sysinfo | jq .count)" 1
	assert_equal "$(jq -r .mode "$TMP/r.json")" enforce
}

@test "--enforce: a rule's errnoRet reaches the program" {
	deny_profile 38 sysinfo >"$TMP/p.json"
	run "$RECORDER" run --enforce -p "$TMP/p.json" --json="$TMP/r.json" -- "$PROBE64" sysinfo getcpu
	assert_equal "$output" "$(printf 'sysinfo errno=38\ngetcpu ok')"
	assert_equal "$(entry sysinfo | jq -c '[.action, .errno]')" '["SCMP_ACT_ERRNO",38]'
}

@test "a child's denied call is reported with the child's pid" {
	deny_profile 1 sysinfo >"$TMP/p.json"
	run "$RECORDER" run -p "$TMP/p.json" --json="$TMP/r.json" -- \
		sh -c 'echo $$ >"$1"; exec "$2" getcpu child:sysinfo' sh "$TMP/pid" "$PROBE64"
	assert_equal "$status" 0
	assert_equal "$output" "$(printf 'getcpu ok\nchild:sysinfo ok')"
	assert_equal "$(jq -c '[.denied[].name]' "$TMP/r.json")" '["sysinfo"]'
	local pid
	pid=$(entry sysinfo | jq '.pids[0]')
	[ "$pid" -gt 0 ]
	[ "$pid" -ne "$(cat "$TMP/pid")" ] || { echo "reported the parent's pid $pid" >&2; false; }
	assert_equal "$(entry sysinfo | jq -c .comms)" '["probe"]'
}

@test "a child's denied call is reported under --enforce too, and fails there" {
	deny_profile 1 sysinfo >"$TMP/p.json"
	run "$RECORDER" run --enforce -p "$TMP/p.json" --json="$TMP/r.json" -- "$PROBE64" child:sysinfo
	assert_equal "$output" "child:sysinfo errno=1"
	assert_equal "$(entry sysinfo | jq .count)" 1
}

@test "a profile that allows everything reports nothing" {
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$TMP/p.json"
	run --separate-stderr "$RECORDER" run -p "$TMP/p.json" -- "$PROBE64" getcpu sysinfo child:times
	assert_equal "$status" 0
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok\nchild:times ok')"
	assert_equal "$stderr" "oci-seccomp-recorder: run: no call the profile denies was made"
	"$RECORDER" run -p "$TMP/p.json" --json="$TMP/r.json" -- "$PROBE64" getcpu >/dev/null
	assert_equal "$(jq -c '[.denied, .calls]' "$TMP/r.json")" '[[],0]'
}

@test "--json on stdout follows the command's output, parses, and holds the same" {
	deny_profile 1 sysinfo times >"$TMP/p.json"
	run --separate-stderr "$RECORDER" run -p "$TMP/p.json" --json -- "$PROBE64" getcpu sysinfo times times
	assert_equal "$status" 0
	assert_equal "$stderr" ""
	assert_equal "$(head -n 4 <<<"$output")" "$(printf 'getcpu ok\nsysinfo ok\ntimes ok\ntimes ok')"
	tail -n +5 <<<"$output" >"$TMP/r.json"
	assert_equal "$(jq -c '[.denied[] | [.name, .arch, .count, .comms]]' "$TMP/r.json")" \
		'[["sysinfo","SCMP_ARCH_X86_64",1,["probe"]],["times","SCMP_ARCH_X86_64",2,["probe"]]]'
	assert_equal "$(jq -c '[.profile, .calls, .exit_status]' "$TMP/r.json")" "[\"$TMP/p.json\",3,0]"
}

@test "the exit status is the command's, and 128+N when signal N killed it" {
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$TMP/p.json"
	run "$RECORDER" run -p "$TMP/p.json" -- "$PROBE64" getcpu exit:7
	assert_equal "$status" 7
	run "$RECORDER" run -p "$TMP/p.json" -- /bin/sh -c 'kill -TERM $$'
	assert_equal "$status" 143
	"$RECORDER" run -p "$TMP/p.json" --json="$TMP/r.json" -- "$PROBE64" exit:3 || true
	assert_equal "$(jq .exit_status "$TMP/r.json")" 3
}

@test "SIGTERM to run reaches the command" {
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$TMP/p.json"
	"$RECORDER" run -p "$TMP/p.json" -- "$PROBE64" sleep:20000 >/dev/null 2>&1 &
	local pid=$! status=0
	sleep 0.3
	kill -TERM "$pid"
	wait "$pid" || status=$?
	assert_equal "$status" 143
}

@test "a burst of denied calls is answered and counted exactly" {
	deny_profile 1 getppid >"$TMP/p.json"
	run "$RECORDER" run -p "$TMP/p.json" --json="$TMP/r.json" -- "$PROBE64" burst:20000 getcpu
	assert_equal "$status" 0
	assert_equal "$output" "$(printf 'burst:20000 ok\ngetcpu ok')"
	assert_equal "$(entry getppid | jq -c '[.count, (.pids | length)]')" '[20000,1]'
}

@test "a profile that is not valid is refused with 125, and the command does not run" {
	echo '{"defaultAction": 3}' >"$TMP/p.json"
	run "$RECORDER" run -p "$TMP/p.json" -- /bin/sh -c "touch $TMP/ran"
	assert_equal "$status" 125
	[[ "$output" == *"profile \`$TMP/p.json\`"*"defaultAction"* ]]
	[ ! -e "$TMP/ran" ]
	run "$RECORDER" run -p "$TMP/missing.json" -- /bin/sh -c "touch $TMP/ran"
	assert_equal "$status" 125
	[[ "$output" == *"$TMP/missing.json"* ]]
	[ ! -e "$TMP/ran" ]
	echo '{"defaultAction": "SCMP_ACT_NOTIFY"}' >"$TMP/p.json"
	run "$RECORDER" run -p "$TMP/p.json" -- /bin/sh -c "touch $TMP/ran"
	assert_equal "$status" 125
	[[ "$output" == *"SCMP_ACT_NOTIFY"* ]]
	[ ! -e "$TMP/ran" ]
}

@test "a command that does not exist exits 127; one that cannot be executed 126" {
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$TMP/p.json"
	run -127 "$RECORDER" run -p "$TMP/p.json" -- /nonexistent/cmd
	assert_equal "$status" 127
	[[ "$output" == *"cannot execute \`/nonexistent/cmd\`: No such file or directory"* ]]
	run -127 "$RECORDER" run -p "$TMP/p.json" -- no-such-command-here
	assert_equal "$status" 127
	run "$RECORDER" run -p "$TMP/p.json" -- /etc/hostname
	assert_equal "$status" 126
	# Looks like a script to /bin/sh, but it is no program to the kernel: not handed to sh.
	printf 'touch %s/ran\n' "$TMP" >"$TMP/not-a-program"
	chmod +x "$TMP/not-a-program"
	run "$RECORDER" run -p "$TMP/p.json" -- "$TMP/not-a-program"
	assert_equal "$status" 126
	[[ "$output" == *"Exec format error"* ]]
	[ ! -e "$TMP/ran" ]
}

@test "the command's execve is under the profile: denied, it is reported, and enforced 126" {
	deny_profile 1 execve >"$TMP/p.json"
	run "$RECORDER" run -p "$TMP/p.json" --json="$TMP/r.json" -- "$PROBE64" getcpu
	assert_equal "$status" 0
	assert_equal "$output" "getcpu ok"
	assert_equal "$(entry execve | jq -c '[.count, .comms]')" '[1,["probe"]]'
	run "$RECORDER" run --enforce -p "$TMP/p.json" --json="$TMP/r.json" -- "$PROBE64" getcpu
	assert_equal "$status" 126
	[[ "$output" == *"Operation not permitted"* ]]
	assert_equal "$(entry execve | jq .count)" 1
}

@test "deny everything: audit lists exactly the calls record saw, and none of run's own" {
	# Two mechanisms, one answer: the BPF recording and the seccomp notifications. The
	# recording adds the signal-return calls unseen; run's fork, pipe2, prctl, fcntl, seccomp,
	# pidfd_* calls must not appear.
	require_bpf
	"$RECORDER" record -o "$TMP/rec.json" -- "$PROBE64" getcpu sysinfo child:times >"$TMP/out" 2>&1
	echo '{"defaultAction": "SCMP_ACT_ERRNO"}' >"$TMP/p.json"
	"$RECORDER" run -p "$TMP/p.json" --json="$TMP/r.json" -- \
		"$PROBE64" getcpu sysinfo child:times >"$TMP/out"
	assert_equal "$(cat "$TMP/out")" "$(printf 'getcpu ok\nsysinfo ok\nchild:times ok')"
	assert_equal "$(jq -r '.denied[].name' "$TMP/r.json" | sort | tr '\n' ' ')" \
		"$(allowed_names "$TMP/rec.json" | grep -vx -e rt_sigreturn -e restart_syscall |
			sort | tr '\n' ' ')"
	assert_equal "$(jq -c '[.denied[].comms[]] | unique' "$TMP/r.json")" '["probe"]'
}

@test "a kill action: audit reports it and lets the call run; --enforce kills with SIGSYS" {
	jq -n '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["sysinfo"],
		action: "SCMP_ACT_KILL_PROCESS"}]}' >"$TMP/p.json"
	run "$RECORDER" run -p "$TMP/p.json" --json="$TMP/r.json" -- "$PROBE64" getcpu sysinfo
	assert_equal "$status" 0
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok')"
	assert_equal "$(entry sysinfo | jq -r .action)" SCMP_ACT_KILL_PROCESS
	run "$RECORDER" run --enforce -p "$TMP/p.json" -- "$PROBE64" getcpu sysinfo
	assert_equal "$status" 159
	[[ "$output" == *"killed by SIGSYS"* ]]
	[[ "$output" != *"sysinfo ok"* ]]
}

@test "--enforce answers as the kernel does under the same profile (errno, TRACE, args)" {
	jq -n '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [
		{names: ["sysinfo"], action: "SCMP_ACT_ERRNO", errnoRet: 38},
		{names: ["getcpu"], action: "SCMP_ACT_ERRNO", errnoRet: 0},
		{names: ["times"], action: "SCMP_ACT_TRACE"},
		{names: ["getpriority"], action: "SCMP_ACT_ERRNO", errnoRet: 13,
		 args: [{index: 0, value: 0, op: "SCMP_CMP_EQ"}]},
		{names: ["umask"], action: "SCMP_ACT_ERRNO", errnoRet: 5,
		 args: [{index: 0, value: 1, op: "SCMP_CMP_EQ"}]}]}' >"$TMP/p.json"
	local calls="sysinfo getcpu times getpriority umask"
	run "$SECCOMP_EXEC" "$TMP/p.json" "$PROBE64" $calls
	local kernel=$output
	assert_equal "$kernel" "$(printf 'sysinfo errno=38\ngetcpu ok\ntimes errno=38\ngetpriority errno=13\numask ok')"
	run "$RECORDER" run --enforce -p "$TMP/p.json" --json="$TMP/r.json" -- "$PROBE64" $calls
	assert_equal "$output" "$kernel"
	assert_equal "$(jq -c '[.denied[] | [.name, .action]]' "$TMP/r.json")" \
		'[["getcpu","SCMP_ACT_ERRNO"],["getpriority","SCMP_ACT_ERRNO"],["sysinfo","SCMP_ACT_ERRNO"],["times","SCMP_ACT_TRACE"]]'
}

@test "a log action is reported and allowed in both modes" {
	jq -n '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["times"],
		action: "SCMP_ACT_LOG"}]}' >"$TMP/p.json"
	run "$RECORDER" run --enforce -p "$TMP/p.json" --json="$TMP/r.json" -- "$PROBE64" times
	assert_equal "$output" "times ok"
	assert_equal "$(entry times | jq -r .action)" SCMP_ACT_LOG
}

@test "processes the command leaves running are still supervised until they end" {
	deny_profile 1 sysinfo >"$TMP/p.json"
	run --separate-stderr "$RECORDER" run -p "$TMP/p.json" --json="$TMP/r.json" -- \
		sh -c '("$1" sleep:300 sysinfo >"$2") & echo started' sh "$PROBE64" "$TMP/out"
	assert_equal "$status" 0
	assert_equal "$output" started
	[[ "$stderr" == *"waiting for the processes it left running"* ]]
	assert_equal "$(cat "$TMP/out")" "$(printf 'sleep:300 ok\nsysinfo ok')"
	assert_equal "$(entry sysinfo | jq .count)" 1
}

@test "no_new_privs is set only without CAP_SYS_ADMIN" {
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$TMP/p.json"
	chmod 755 "$TMP"
	chmod 644 "$TMP/p.json"
	run "$RECORDER" run -p "$TMP/p.json" -- /bin/sh -c 'grep NoNewPrivs /proc/$$/status'
	[[ "$output" == *"NoNewPrivs:"*"0"* ]]
	if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
		return 0
	fi
	run setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		"$RECORDER" run -p "$TMP/p.json" -- /bin/sh -c 'grep NoNewPrivs /proc/$$/status'
	assert_equal "$status" 0
	[[ "$output" == *"NoNewPrivs:"*"1"* ]]
}

@test "a 32-bit program's denied calls are named with i386 names under SCMP_ARCH_X86" {
	jq -n '{defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
		syscalls: [{names: ["sysinfo"], action: "SCMP_ACT_ERRNO"}]}' >"$TMP/p.json"
	if ! kernel_runs_ia32; then
		run "$RECORDER" run -p "$TMP/p.json" -- "$PROBE32" getcpu sysinfo
		assert_equal "$status" 126
		[[ "$output" == *"Exec format error"* ]]
		return 0
	fi
	run "$RECORDER" run -p "$TMP/p.json" --json="$TMP/r.json" -- "$PROBE32" getcpu sysinfo
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok')"
	assert_equal "$(entry sysinfo | jq -c '[.arch, .nr]')" '["SCMP_ARCH_X86",116]'
}

@test "--help and usage errors" {
	run "$RECORDER" run --help
	assert_equal "$status" 0
	[[ "$output" == *"--enforce"* ]]
	run "$RECORDER" run -- "$PROBE64" getcpu
	assert_equal "$status" 2
	[[ "$output" == *"no profile given"* ]]
	run "$RECORDER" run -p /dev/null
	assert_equal "$status" 2
	[[ "$output" == *"no command given"* ]]
}
