#!/usr/bin/env bats
# Bad input to the hook, fed straight to its stdin: every case is one clear line on stderr,
# a non-zero exit within a bound, no tracer, and nothing written.

bats_require_minimum_version 1.5.0
load helpers

ANNOTATION=io.containers.trace-syscall

# The OCI state of a container at prestart: $1 pid, $2 annotation value.
prestart_state() {
	jq -cn --argjson pid "$1" --arg value "$2" --arg key "$ANNOTATION" \
		'{ociVersion: "1.0.2", id: "c0ffee", status: "creating", pid: $pid,
		  bundle: "/nonexistent", annotations: {($key): $value}}'
}

# Feed $1 to the hook; it must exit non-zero within 10 s with one line holding $2.
hook_refuses() {
	run -1 timeout 10 "$RECORDER" hook --state-dir "$TMP/run" <<<"$1"
	if [ "${#lines[@]}" -ne 1 ] || [[ "$output" != *"$2"* ]]; then
		printf 'expected one line with "%s", got:\n%s\n' "$2" "$output" >&2
		return 1
	fi
	# No tracer state; at most the history of the refusal (recordings.log and its lock).
	[ ! -e "$TMP/run" ] || [ -z "$(find "$TMP/run" -mindepth 1 ! -name recordings.log ! -name recordings.lock)" ]
}

@test "malformed OCI state: each refused with what is wrong" {
	require_bpf
	hook_refuses '{"id": "a", "status": "creating", "pid": 1' "not valid JSON"
	hook_refuses 'not json' "not valid JSON"
	hook_refuses '' "not valid JSON"
	hook_refuses '{"id": 5, "status": "creating", "pid": 12}' '`id` must be a string'
	hook_refuses '{"id": "a", "status": "creating", "pid": "12"}' '`pid` must be a positive process id'
	hook_refuses '{"id": "a", "status": "creating", "pid": 12, "annotations": []}' \
		'`annotations` must be an object'
	hook_refuses '{"status": "creating", "pid": 5}' 'has no `id`'
	hook_refuses '{"id": "a", "pid": 5}' 'has no `status`'
	hook_refuses "$(jq -cn '[range(100)] | reduce .[] as $i ([]; [.])')" "nests deeper than 64 levels"
	hook_refuses "$(prestart_state 1 "of:$TMP/p.json" | sed 's/"c0ffee"/"..\/..\/etc"/')" \
		"container id is not 1 to 256 characters of [A-Za-z0-9_.-]"
	hook_refuses "$(prestart_state 1 "of:$TMP/p.json" | sed 's/"c0ffee"/"a\\u0000b"/')" \
		'NUL character'
	# Huge: 2 MiB of spaces before a document.
	run -1 timeout 10 "$RECORDER" hook < <(head -c 2000000 /dev/zero | tr '\0' ' '; echo '{}')
	[[ "$output" == *"larger than the limit of 1048576 bytes"* ]]
}

@test "OCI state with a pid that is missing, zero, negative, unknown or exited" {
	require_bpf
	hook_refuses "$(prestart_state 1 "of:$TMP/p.json" | jq -c 'del(.pid)')" 'has no `pid` at stage `creating`'
	hook_refuses "$(prestart_state 0 "of:$TMP/p.json")" '`pid` must be a positive process id'
	hook_refuses "$(prestart_state -5 "of:$TMP/p.json")" '`pid` must be a positive process id'
	hook_refuses "$(prestart_state 2147483647 "of:$TMP/p.json")" 'its pid 2147483647 is not running'
	true &
	exited=$!
	wait "$exited"
	hook_refuses "$(prestart_state "$exited" "of:$TMP/p.json")" "its pid $exited is not running"
	[ ! -e "$TMP/p.json" ]
}

@test "a pid that shares the host's namespaces is refused: the host is never recorded" {
	require_bpf
	hook_refuses "$(prestart_state $$ "of:$TMP/p.json")" \
		"shares the host's pid and mount namespaces: refusing to record the host"
}

@test "malformed annotation: long, control characters, NUL" {
	require_bpf
	long=$(head -c 9000 /dev/zero | tr '\0' a)
	hook_refuses "$(prestart_state $$ "of:/tmp/$long")" "$ANNOTATION is longer than 8192 bytes"
	hook_refuses "$(prestart_state $$ "of:$TMP/p.json
")" "$ANNOTATION holds a control character (0x0a)"
	hook_refuses "$(prestart_state $$ "of:$TMP/p"$'\x1b'".json")" "holds a control character (0x1b)"
	hook_refuses "$(prestart_state $$ "of:$TMP/p.json" | sed 's/p\.json/p\\u0000.json/')" \
		'NUL character'
}

@test "of: that is not a regular file is refused: FIFO, device, socket, directory" {
	require_bpf
	mkfifo "$TMP/fifo"
	mkdir "$TMP/dir"
	# Its output away from bats's descriptors: a sink left by a failed test must not hold bats.
	"$SYSLOG_SINK" "$TMP/socket" "$TMP/ignored" >/dev/null 2>&1 3>&- &
	sink=$!
	for _ in $(seq 200); do [ -S "$TMP/socket" ] && break; sleep 0.01; done
	for target in "$TMP/fifo" /dev/null "$TMP/socket" "$TMP/dir"; do
		hook_refuses "$(prestart_state $$ "of:$target")" "is not a regular file"
	done
	kill "$sink"
	[ -p "$TMP/fifo" ] && [ -c /dev/null ] && [ -S "$TMP/socket" ] && [ -d "$TMP/dir" ]
}

@test "of: through a symlinked directory is refused, and nothing is written there" {
	require_bpf
	mkdir "$TMP/real"
	ln -s "$TMP/real" "$TMP/link"
	hook_refuses "$(prestart_state $$ "of:$TMP/link/p.json")" "symlink"
	[ -z "$(ls -A "$TMP/real")" ]
}

@test "if: that is not a profile: each refused without echoing the file" {
	require_bpf
	base_refuses() {
		printf '%s' "$1" >"$TMP/base.json"
		hook_refuses "$(prestart_state $$ "if:$TMP/base.json;of:$TMP/p.json")" "$2"
		if [[ "$output" == *"secret-token"* ]]; then
			echo "the message echoes the file: $output" >&2
			return 1
		fi
	}
	base_refuses 'secret-token-123 not json' "is not valid JSON"
	base_refuses "$(jq -cn '[range(100)] | reduce .[] as $i ([]; [.])')" "nests deeper than 64 levels"
	base_refuses "$(jq -cn '{defaultAction: "SCMP_ACT_ERRNO",
		syscalls: [{names: [range(5000) | "read"], action: "SCMP_ACT_ALLOW"}]}')" \
		"a rule has more than 4096 names"
	base_refuses '{"defaultAction": "secret-token"}' \
		'`defaultAction` is not a seccomp action libseccomp knows'
	base_refuses '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"],
		"action": "SCMP_ACT_BAR"}]}' '`action` is not a seccomp action libseccomp knows'
	base_refuses '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": {"names": ["read"]}}' \
		'`syscalls` must be an array, not an object'
	base_refuses '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": "read",
		"action": "SCMP_ACT_ALLOW"}]}' '`names` of a rule must be an array, not a string'
	base_refuses '{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_NOPE"]}' \
		'`architectures` holds an unknown architecture'
	base_refuses '{"syscalls": []}' '`defaultAction` must be a string, not missing'
	head -c 5000000 /dev/zero >"$TMP/base.json"
	hook_refuses "$(prestart_state $$ "if:$TMP/base.json;of:$TMP/p.json")" \
		"larger than the limit of 4194304"
	mkfifo "$TMP/fifo"
	hook_refuses "$(prestart_state $$ "if:$TMP/fifo;of:$TMP/p.json")" "is not a regular file"
	# A name this libseccomp does not know is kept, as runc does: the base is accepted and the
	# hook goes on to the next check.
	printf '%s' '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["nosuchcall_xyz"],
		"action": "SCMP_ACT_ALLOW"}]}' >"$TMP/base.json"
	hook_refuses "$(prestart_state $$ "if:$TMP/base.json;of:$TMP/p.json")" \
		"shares the host's pid and mount namespaces"
	[ ! -e "$TMP/p.json" ]
}

@test "no BTF: the hook and record refuse at once and say so" {
	require_bpf
	state=$(prestart_state $$ "of:$TMP/p.json")
	# A private mount namespace where /sys/kernel/btf is empty: the kernel as one built
	# without CONFIG_DEBUG_INFO_BTF looks.
	run -1 unshare --mount sh -c 'mount -t tmpfs none /sys/kernel/btf &&
		exec timeout 10 "$0" hook --state-dir "$1"' "$RECORDER" "$TMP/run" <<<"$state"
	[[ "$output" == *"cannot be recorded: this kernel exposes no BTF (/sys/kernel/btf/vmlinux is missing)"* ]]
	run -125 unshare --mount sh -c 'mount -t tmpfs none /sys/kernel/btf &&
		exec "$0" record -o "$1" -- /bin/true' "$RECORDER" "$TMP/p.json"
	[[ "$output" == *"exposes no BTF"* ]]
	[ ! -e "$TMP/p.json" ]
}

@test "no BPF for this process: not root, or a user namespace (rootless podman)" {
	require_bpf
	chmod 755 "$TMP"
	state=$(prestart_state $$ "of:$TMP/p.json")
	run -1 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$RECORDER" hook --state-dir "$TMP/run" <<<"$state"
	[[ "$output" == *"cannot be recorded: loading the BPF program needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN); running as uid 65534"* ]]
	run -1 unshare --user --map-root-user "$RECORDER" hook --state-dir "$TMP/run" <<<"$state"
	[[ "$output" == *"running in a user namespace (rootless podman?)"* ]]
	run -125 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$RECORDER" record -o "$TMP/p.json" -- /bin/true
	[[ "$output" == *"needs root"* ]]
	run -125 unshare --user --map-root-user "$RECORDER" record -o "$TMP/p.json" -- /bin/true
	[[ "$output" == *"user namespace"* ]]
	[ ! -e "$TMP/p.json" ]
}
