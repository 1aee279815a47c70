#!/usr/bin/env bats
# The command-line paths under valgrind memcheck: no invalid access, no use of uninitialised
# memory, nothing definitely or indirectly lost. valgrind 3.19 cannot run the BPF half
# (pidfd_open is unknown to it, and libbpf's partial bpf_attr initialisation is reported);
# those paths run under -Db_sanitize=address,undefined instead (scripts/test.sh).

bats_require_minimum_version 1.5.0
load helpers

require_valgrind() {
	command -v valgrind >/dev/null && return 0
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but valgrind is missing" >&2
		return 1
	fi
	skip "needs valgrind"
}

# memcheck EXPECTED_STATUS STDIN ARGS...: run the recorder under memcheck.
memcheck() {
	local want=$1 input=$2
	shift 2
	run valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect "$RECORDER" "$@" <<<"$input"
	if [ "$status" -ne "$want" ]; then
		printf 'expected status %s from `%s`, got %s:\n%s\n' "$want" "$*" "$status" "$output" >&2
		return 1
	fi
}

state() {
	jq -cn --argjson pid "$1" --arg value "$2" \
		'{ociVersion: "1.0.2", id: "c0ffee", status: $status, pid: $pid,
		  annotations: {"io.containers.trace-syscall": $value}}' --arg status "${3:-creating}"
}

@test "memcheck: --help and --version" {
	require_valgrind
	memcheck 0 "" --help
	memcheck 0 "" --version
	memcheck 0 "" record --help
	memcheck 0 "" hook --help
	memcheck 2 "" record
	memcheck 2 "" hook --no-such-option
}

@test "memcheck: the hook refusing malformed state and annotations" {
	require_valgrind
	memcheck 1 'not json' hook
	memcheck 1 '{"id": 5}' hook
	memcheck 1 "$(jq -cn '[range(100)] | reduce .[] as $i ([]; [.])')" hook
	memcheck 1 "$(state 0 "of:$TMP/p.json")" hook
	memcheck 1 "$(state $$ "")" hook
	memcheck 1 "$(state $$ "of:$TMP/p.json;of:$TMP/q.json")" hook
	memcheck 1 "$(state $$ "xf:$TMP/p.json")" hook
	memcheck 1 "$(state $$ "of:relative.json")" hook
	memcheck 1 "$(state $$ "of:$TMP/nodir/p.json")" hook
	memcheck 1 "$(state $$ "of:$TMP/p.json")" hook --allowed-dir /var/lib/profiles
	memcheck 2 "" hook --allowed-dir relative
}

@test "memcheck: the hook reading base profiles, good and bad" {
	require_valgrind
	for base in 'secret-token-123 not json' '{"defaultAction": "SCMP_ACT_FOO"}' \
		'{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": "read"}]}' \
		'{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"],
		  "action": "SCMP_ACT_ALLOW", "args": [{"index": 9, "value": 1, "op": "SCMP_CMP_EQ"}]}]}'; do
		printf '%s' "$base" >"$TMP/base.json"
		memcheck 1 "$(state $$ "if:$TMP/base.json;of:$TMP/p.json")" hook
		[[ "$output" == *"if: profile"* ]]
	done
	# A good base, then the hook stops at the host's namespaces (or at pidfd_open, which
	# valgrind does not know): the whole read and validation ran.
	printf '%s' '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38, "comment": "c",
		"archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
		"syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW",
		"args": [{"index": 0, "value": 18446744073709551615, "op": "SCMP_CMP_MASKED_EQ",
		"valueTwo": 1}]}, {"name": "nosuchcall", "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}' \
		>"$TMP/base.json"
	memcheck 1 "$(state $$ "if:$TMP/base.json;of:$TMP/p.json")" hook
	[[ "$output" != *"if: profile"* ]]
}

@test "memcheck: poststop without a tracer, record refusing its arguments" {
	require_valgrind
	memcheck 1 "$(state 1 "of:$TMP/p.json" stopped | jq -c 'del(.pid)')" hook --state-dir "$TMP/run"
	[[ "$output" == *"no tracer state"* ]]
	echo '{"defaultAction": 1}' >"$TMP/bad.json"
	memcheck 125 "" record -i "$TMP/bad.json" -o "$TMP/p.json" -- /bin/true
	memcheck 125 "" record -o "$TMP/nodir/p.json" -- /bin/true
	[ ! -e "$TMP/p.json" ]
}

@test "memcheck: the runtime wrapper reading hooks.d and rewriting a spec" {
	require_valgrind
	mkdir -p "$TMP/d1" "$TMP/d2" "$TMP/b1" "$TMP/b2"
	jq '.hook.path = "/usr/bin/true"' "$BUILD_DIR/hooks.d/oci-seccomp-recorder.json" >"$TMP/d1/10-rec.json"
	echo '{"version": "1.0.0", "hook": {"path": "/bin/sh"}, "when": {"always": true, "commands": ["^/bin/sh$"],
		"hasBindMounts": true}, "stages": ["prestart", "poststart"]}' >"$TMP/d2/20-all.json"
	echo '{"version": "1.0.0", "hook": {"path": "relative"}}' >"$TMP/d2/30-bad.json"
	echo 'not json' >"$TMP/d2/40-worse.json"
	jq -n '{ociVersion: "1.0.2", process: {args: ["/bin/sh"]}, hooks: {prestart: [{path: "/y"}]},
		mounts: [{destination: "/d", type: "bind", source: "/tmp"}],
		annotations: {"io.containers.trace-syscall": "of:/tmp/x.json"}}' >"$TMP/b1/config.json"
	echo '{"ociVersion": "1.0.2"}' >"$TMP/b2/config.json"
	export OCI_SECCOMP_RECORDER_RUNTIME=/bin/true OCI_SECCOMP_RECORDER_HOOKS_DIRS="$TMP/d1:$TMP/d2"
	memcheck 0 "" runtime -- --root /r --log-format json create --bundle "$TMP/b1" id1
	assert_equal "$(jq -c '.hooks | map_values(map(.path))' "$TMP/b1/config.json")" \
		'{"prestart":["/y","/usr/bin/true","/bin/sh"],"poststart":["/bin/sh"],"poststop":["/usr/bin/true"]}'
	memcheck 0 "" runtime -- create -b "$TMP/b2" id2
	memcheck 0 "" runtime -- state id3
	memcheck 125 "" runtime -- create --bundle "$TMP/missing" id4
	OCI_SECCOMP_RECORDER_RUNTIME=/nonexistent memcheck 125 "" runtime -- state id5
}
