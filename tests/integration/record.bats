#!/usr/bin/env bats
# `record`: a command's calls become a profile that runs it, and nothing more.

bats_require_minimum_version 1.5.0
load helpers

@test "a rare call the program makes is allowed, under x86_64" {
	require_bpf
	run "$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" getcpu sysinfo
	[ "$status" -eq 0 ]
	assert_allowed "$TMP/p.json" getcpu
	assert_allowed "$TMP/p.json" sysinfo
	assert_equal "$(jq -c .architectures "$TMP/p.json")" '["SCMP_ARCH_X86_64"]'
	assert_equal "$(jq -r .defaultAction "$TMP/p.json")" SCMP_ACT_ERRNO
}

@test "a call the program does not make is absent" {
	require_bpf
	"$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" getcpu
	refute_allowed "$TMP/p.json" times
	refute_allowed "$TMP/p.json" sysinfo
}

@test "the recorder's own calls before the command's execve are not in the profile" {
	require_bpf
	"$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" getcpu
	assert_allowed "$TMP/p.json" execve
	for own in bpf pidfd_open wait4 pipe2 clone clone3 rt_sigaction; do
		refute_allowed "$TMP/p.json" "$own"
	done
}

@test "a child's call is recorded" {
	require_bpf
	"$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" child:times
	assert_allowed "$TMP/p.json" times
	assert_allowed "$TMP/p.json" fork || assert_allowed "$TMP/p.json" clone
}

@test "a call made after a burst of three million calls is recorded" {
	require_bpf
	run "$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" burst:3000000 getpriority
	[ "$status" -eq 0 ]
	assert_allowed "$TMP/p.json" getpriority
	assert_allowed "$TMP/p.json" getppid
}

@test "the program runs under its recorded profile, and a call left out gets EPERM" {
	require_bpf
	"$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" getcpu sysinfo
	run "$SECCOMP_EXEC" "$TMP/p.json" "$PROBE64" getcpu sysinfo
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok')"
	run "$SECCOMP_EXEC" "$TMP/p.json" "$PROBE64" getcpu times
	[ "$status" -eq 1 ]
	assert_equal "$output" "$(printf 'getcpu ok\ntimes errno=1')"
}

@test "a 32-bit program's calls are named with i386 names under SCMP_ARCH_X86" {
	require_bpf
	if ! kernel_runs_ia32; then
		run "$RECORDER" record -o "$TMP/p.json" -- "$PROBE32" getcpu sysinfo
		assert_equal "$status" 126
		[[ "$output" == *"Exec format error"* ]]
		[ ! -e "$TMP/p.json" ]
		return 0
	fi
	"$RECORDER" record -o "$TMP/p.json" -- "$PROBE32" getcpu sysinfo
	jq -e '.architectures | index("SCMP_ARCH_X86")' "$TMP/p.json"
	assert_allowed "$TMP/p.json" getcpu
	assert_allowed "$TMP/p.json" sysinfo
	run "$SECCOMP_EXEC" "$TMP/p.json" "$PROBE32" getcpu times
	[ "$status" -eq 1 ]
	assert_equal "$output" "$(printf 'getcpu ok\ntimes errno=1')"
}

@test "record exits with the command's status, and 128+N when signal N killed it" {
	require_bpf
	run "$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" getcpu exit:7
	assert_equal "$status" 7
	[ -s "$TMP/p.json" ]
	run "$RECORDER" record -o "$TMP/q.json" -- /bin/sh -c 'kill -9 $$'
	assert_equal "$status" 137
	assert_allowed "$TMP/q.json" kill
}

@test "the same calls give a byte-identical profile" {
	require_bpf
	"$RECORDER" record -o "$TMP/a.json" -- "$PROBE64" getcpu sysinfo
	"$RECORDER" record -o "$TMP/b.json" -- "$PROBE64" getcpu sysinfo
	cmp "$TMP/a.json" "$TMP/b.json"
	[ "$(tail -c 1 "$TMP/a.json" | od -An -c | tr -d ' ')" = '\n' ]
}

@test "a base profile's rules and fields are kept, and a call it blocks stays blocked" {
	require_bpf
	cat > "$TMP/base.json" <<-'JSON'
	{
	  "defaultAction": "SCMP_ACT_ERRNO",
	  "comment": "team base",
	  "syscalls": [
	    { "names": ["getcpu"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38, "comment": "no getcpu" }
	  ]
	}
	JSON
	"$RECORDER" record -i "$TMP/base.json" -o "$TMP/p.json" -- "$PROBE64" getcpu sysinfo || true
	assert_equal "$(jq -r .comment "$TMP/p.json")" "team base"
	assert_equal "$(jq -c '.syscalls[0]' "$TMP/p.json")" \
		'{"names":["getcpu"],"action":"SCMP_ACT_ERRNO","errnoRet":38,"comment":"no getcpu"}'
	refute_allowed "$TMP/p.json" getcpu
	assert_allowed "$TMP/p.json" sysinfo
	run "$SECCOMP_EXEC" "$TMP/p.json" "$PROBE64" sysinfo getcpu
	assert_equal "$output" "$(printf 'sysinfo ok\ngetcpu errno=38')"
}

@test "a symlink at the output path is replaced, never written through" {
	require_bpf
	echo original > "$TMP/target"
	ln -s "$TMP/target" "$TMP/p.json"
	"$RECORDER" record -o "$TMP/p.json" -- "$PROBE64" getcpu
	[ ! -L "$TMP/p.json" ]
	[ -f "$TMP/p.json" ]
	assert_equal "$(cat "$TMP/target")" original
	assert_allowed "$TMP/p.json" getcpu
	assert_equal "$(stat -c %a "$TMP/p.json")" 644
}

@test "an output directory that does not exist is refused before the command runs" {
	require_bpf
	run "$RECORDER" record -o "$TMP/missing/p.json" -- /bin/sh -c "touch $TMP/ran"
	assert_equal "$status" 125
	[[ "$output" == *"does not exist"* ]]
	[ ! -e "$TMP/ran" ]
}

@test "a base profile that is not a profile is refused without echoing its content" {
	require_bpf
	echo 'password=hunter2-secret' > "$TMP/notes"
	run "$RECORDER" record -i "$TMP/notes" -o "$TMP/p.json" -- "$PROBE64" getcpu
	assert_equal "$status" 125
	[[ "$output" == *"$TMP/notes"* ]]
	[[ "$output" != *hunter2* ]]
	[ ! -e "$TMP/p.json" ]
}

@test "a command that does not exist exits 127 and writes no profile" {
	require_bpf
	run -127 "$RECORDER" record -o "$TMP/p.json" -- /nonexistent/cmd
	assert_equal "$status" 127
	[[ "$output" == *"/nonexistent/cmd"* ]]
	[ ! -e "$TMP/p.json" ]
}

@test "a file the kernel cannot execute exits 126 and is not handed to /bin/sh" {
	require_bpf
	# Looks like a script to /bin/sh (it would run `touch`), but it is no program to the kernel.
	printf 'touch %s/ran\n' "$TMP" >"$TMP/not-a-program"
	chmod +x "$TMP/not-a-program"
	run "$RECORDER" record -o "$TMP/p.json" -- "$TMP/not-a-program"
	assert_equal "$status" 126
	[[ "$output" == *"Exec format error"* ]]
	[ ! -e "$TMP/ran" ]
	[ ! -e "$TMP/p.json" ]
	# The same through a PATH lookup.
	run env PATH="/nonexistent:$TMP" "$RECORDER" record -o "$TMP/p.json" -- not-a-program
	assert_equal "$status" 126
	[ ! -e "$TMP/ran" ]
}

@test "without -o the profile goes to ./CMD.seccomp.json, named on stderr" {
	require_bpf
	cd "$TMP"
	run "$RECORDER" record -- "$PROBE64" getcpu
	[ "$status" -eq 0 ]
	[[ "$output" == *"./probe.seccomp.json"* ]]
	assert_allowed "$TMP/probe.seccomp.json" getcpu
}

@test "--help and --version answer for the binary and for record" {
	run "$RECORDER" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^oci-seccomp-recorder\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	run "$RECORDER" record --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"-i, --input BASE"* ]]
	run "$RECORDER" record --version
	[[ "$output" =~ ^oci-seccomp-recorder\ [0-9] ]]
	run "$RECORDER" nosuchcommand
	assert_equal "$status" 2
}

# x32 calls of high-risk numbers (the x32 bit, 0x40000000, on bpf, mount, unshare, and x32's own
# ptrace, 521), every argument invalid: none can do anything, whatever the kernel.
X32_CALLS=(x32:321 x32:165 x32:272 x32:521)

@test "calls of an ABI the kernel does not run are not recorded: x32 allows nothing natively" {
	require_bpf
	run --separate-stderr "$RECORDER" record --explain -o "$TMP/p.json" -- "$PROBE64" "${X32_CALLS[@]}" getcpu
	[ "$status" -eq 1 ] # the x32 calls failed
	if "$PROBE64" x32:39 >/dev/null; then
		# This kernel runs x32 (getpid answered): its calls are recorded on SCMP_ARCH_X32.
		echo "# this kernel runs x32: checking that its calls are recorded as x32" >&3
		assert_equal "$(jq -c .architectures "$TMP/p.json")" '["SCMP_ARCH_X86_64","SCMP_ARCH_X32"]'
		return
	fi
	assert_equal "$(jq -c .architectures "$TMP/p.json")" '["SCMP_ARCH_X86_64"]'
	for call in bpf mount unshare ptrace; do
		refute_allowed "$TMP/p.json" "$call"
	done
	[[ "$stderr" == *"warning: 4 calls of an ABI this kernel does not run (x32 without CONFIG_X86_X32_ABI) were answered ENOSYS by it: none is in the profile"* ]]
	assert_equal "$(jq '[.calls[] | select(.arch == "SCMP_ARCH_X32")] | length' "$TMP/p.json.why.json")" 0
	# score says what the kernel will allow: none of the four, on no ABI.
	run --separate-stderr "$RECORDER" score --json "$TMP/p.json"
	assert_equal "$(jq -c '[.abis[] | .architecture]' <<<"$output")" '["SCMP_ARCH_X86_64"]'
	assert_equal "$(jq -c '[.highRisk.entries[] | select(.allowed) | .call]' <<<"$output")" '[]'
	run --separate-stderr "$RECORDER" score "$TMP/p.json"
	[[ "$output" != *"SCMP_ARCH_X32"* ]]
}
