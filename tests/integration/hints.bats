#!/usr/bin/env bats
# Hints from the container's own binaries: `hints:on` writes PROFILE.hints.json with the calls
# the binaries that ran can make and the profile does not allow; `hints:log` also allows them
# as SCMP_ACT_LOG, so a held-out run that needs one passes. Real BPF program, real podman +
# runc, dynamic programs (one that dlopen()s a module) and the host's own libc copied into the
# container's root.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	podman_setup_file
	# hinted, dlopener and its module, and the libraries they load, where the loader looks.
	cp "$HINTED" "$ROOTFS/bin/hinted"
	cp "$DLOPENER" "$ROOTFS/bin/dlopener"
	mkdir -p "$ROOTFS/lib"
	cp "$PLUGIN_SO" "$ROOTFS/lib/osr-plugin.so"
	local lib
	for lib in $(for f in "$HINTED" "$DLOPENER" "$PLUGIN_SO"; do ldd "$f"; done |
		grep -o '/[^ ]*' | sort -u); do
		mkdir -p "$ROOTFS$(dirname "$lib")"
		cp -L "$lib" "$ROOTFS$lib"
	done
}

teardown() {
	podman_teardown
}

# The names of the calls in hints file $1.
hinted_names() {
	jq -r '.calls[].name' "$1"
}

@test "hints:on: a call the binary imports and the run never made is hinted, not allowed" {
	require_bpf
	require_podman
	run pman run --rm "$(trace_annotation "of:$TMP/p.json;hints:on")" --rootfs "$ROOTFS" \
		/bin/hinted
	[ "$status" -eq 0 ]
	refute_allowed "$TMP/p.json" fsync
	[ -e "$TMP/p.json.hints.json" ] || {
		echo "no hints file beside the profile; hook log: $(cat "$HOOK_LOG")" >&2
		return 1
	}
	hinted_names "$TMP/p.json.hints.json" | grep -qx fsync || {
		echo "fsync is not hinted: $(hinted_names "$TMP/p.json.hints.json" | tr '\n' ' ')" >&2
		return 1
	}
	assert_equal "$(jq -r '.calls[] | select(.name == "fsync") | .from[0]' \
		"$TMP/p.json.hints.json")" "/bin/hinted: fsync@libc.so.6"
	# Only calls the profile does not already allow.
	local name
	for name in $(hinted_names "$TMP/p.json.hints.json"); do
		refute_allowed "$TMP/p.json" "$name"
	done
	# No why file: hints do not need explain:on.
	[ ! -e "$TMP/p.json.why.json" ]
	run "$RECORDER" explain "$TMP/p.json" fsync
	[ "$status" -eq 0 ]
	assert_equal "$output" "? fsync  may be needed: hinted imports fsync"
	run "$RECORDER" diff "$TMP/p.json" "$TMP/p.json"
	[[ "$output" == *"? fsync  may be needed: hinted imports fsync"* ]]
}

@test "hints:log: the held-out run that calls fsync passes; without hints it is denied" {
	require_bpf
	require_podman
	pman run --rm "$(trace_annotation "of:$TMP/plain.json")" --rootfs "$ROOTFS" /bin/hinted
	pman run --rm "$(trace_annotation "of:$TMP/log.json;hints:log")" --rootfs "$ROOTFS" \
		/bin/hinted
	assert_equal "$(jq -r '[.syscalls[] | select(.action == "SCMP_ACT_LOG") | .names[]] |
		index("fsync") != null' "$TMP/log.json")" true
	run podman run --rm --security-opt "seccomp=$TMP/plain.json" --rootfs "$ROOTFS" \
		/bin/hinted fsync /tmp/f
	[ "$status" -ne 0 ]
	[[ "$output" == *"hinted: fsync: Operation not permitted"* ]]
	run podman run --rm --security-opt "seccomp=$TMP/log.json" --rootfs "$ROOTFS" \
		/bin/hinted fsync /tmp/f
	[ "$status" -eq 0 ]
	assert_equal "$output" ok
}

@test "hints: a module the program dlopen()s is read (no DT_NEEDED names it): its import is hinted" {
	require_bpf
	require_podman
	run pman run --rm "$(trace_annotation "of:$TMP/p.json;hints:log")" --rootfs "$ROOTFS" \
		/bin/dlopener /lib/osr-plugin.so
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin ok"* ]]
	[ -e "$TMP/p.json.hints.json" ] || {
		echo "no hints file beside the profile; hook log: $(cat "$HOOK_LOG")" >&2
		return 1
	}
	local from
	from=$(jq -r '.calls[] | select(.name == "fdatasync") | .from[0]' "$TMP/p.json.hints.json")
	[ "$from" = "/lib/osr-plugin.so: fdatasync@libc.so.6" ] || {
		echo "expected fdatasync hinted from the module, got \`$from\`; hints:" \
			"$(hinted_names "$TMP/p.json.hints.json" | tr '\n' ' ')" >&2
		return 1
	}
	run "$RECORDER" explain "$TMP/p.json" fdatasync
	assert_equal "$output" "? fdatasync  may be needed: osr-plugin.so imports fdatasync"
	# hints:log allowed it: the run that syncs passes under the recorded profile.
	run podman run --rm --security-opt "seccomp=$TMP/p.json" --rootfs "$ROOTFS" \
		/bin/dlopener /lib/osr-plugin.so sync /tmp/f
	[ "$status" -eq 0 ]
	assert_equal "$output" "plugin ok"
}

@test "hints: a binary cut short and a link out of the root are skipped, the recording succeeds" {
	require_bpf
	require_podman
	# /tmp/x and /tmp/y each make a call first (fsync, getcpu), so each is read at the end;
	# by then x is cut short and y is a link to the probe by its host path.
	run pman run --rm "$(trace_annotation "of:$TMP/p.json;hints:on")" --rootfs "$ROOTFS" \
		/bin/sh -c "cp /bin/hinted /tmp/x && cp /bin/probe /tmp/y && /tmp/x fsync /tmp/f &&
			/tmp/y getcpu && head -c 300 /bin/hinted >/tmp/x.cut && mv /tmp/x.cut /tmp/x &&
			rm /tmp/y && ln -s '$PROBE64' /tmp/y"
	[ "$status" -eq 0 ]
	[ -e "$TMP/p.json" ] && [ -e "$TMP/p.json.hints.json" ]
	grep -q 'hints: `/tmp/x`.*malformed: skipped' "$HOOK_LOG" || {
		echo "the binary cut short was not skipped with a reason: $(grep hints: "$HOOK_LOG")" >&2
		return 1
	}
	# Followed from the host's root, the link would have led to the probe, read fine.
	grep -q 'hints: open `/tmp/y` in the container.s root: No such file or directory: skipped' \
		"$HOOK_LOG" || {
		echo "the link out of the root was not skipped: $(grep hints: "$HOOK_LOG")" >&2
		return 1
	}
}

@test "record --hints=log, then run: the hinted call a later run used is named, and it runs" {
	require_bpf
	"$RECORDER" record --hints=log -o "$TMP/p.json" -- "$HINTED" >/dev/null
	[ -e "$TMP/p.json.hints.json" ]
	run --separate-stderr "$RECORDER" run -p "$TMP/p.json" --enforce -- "$HINTED" fsync "$TMP/f"
	[ "$status" -eq 0 ]
	assert_equal "$output" ok
	[[ "$stderr" == *"fsync count=1 action=SCMP_ACT_LOG"* ]]
	[[ "$stderr" == *"used, and allowed as SCMP_ACT_LOG (hinted): fsync"* ]]
	# The plain recording denies it under --enforce.
	"$RECORDER" record -o "$TMP/plain.json" -- "$HINTED" >/dev/null
	run --separate-stderr "$RECORDER" run -p "$TMP/plain.json" --enforce -- "$HINTED" fsync \
		"$TMP/f"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"fsync count=1 action=SCMP_ACT_ERRNO"* ]]
}
