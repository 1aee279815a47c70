#!/usr/bin/env bats
# The runtime wrapper: containerd (which reads no hooks.d) runs it in place of runc; it adds
# the matching hooks.d hooks to the bundle's config.json on create/run and execs runc.

bats_require_minimum_version 1.5.0
load helpers

ANNOTATION=io.containers.trace-syscall

setup_file() {
	podman_setup_file
	export WRAPPER="$BATS_FILE_TMPDIR/oci-seccomp-recorder-runtime"
	ln -sf "$RECORDER" "$WRAPPER"
	export RUNC
	RUNC=$(command -v runc)
	if [ "$(id -u)" -ne 0 ] || ! command -v containerd >/dev/null || ! command -v ctr >/dev/null; then
		return 0 # require_containerd says why, per test
	fi
	start_containerd
}

teardown_file() {
	if [ -s "${CTRD_DIR:-/nonexistent}/pid" ]; then
		kill "$(cat "$CTRD_DIR/pid")" 2>/dev/null || true
		for _ in $(seq 100); do
			kill -0 "$(cat "$CTRD_DIR/pid")" 2>/dev/null || break
			sleep 0.05
		done
	fi
}

teardown() {
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
}

# containerd of the test's own: its root, state and socket in the file's temporary directory;
# the wrapper's settings go to it through the environment, as a node's unit file would.
start_containerd() {
	export CTRD_DIR="$BATS_FILE_TMPDIR/containerd"
	export CTRD_SOCK="$CTRD_DIR/containerd.sock"
	mkdir -p "$CTRD_DIR"
	cat >"$CTRD_DIR/config.toml" <<EOF
version = 2
root = "$CTRD_DIR/root"
state = "$CTRD_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CTRD_SOCK"
EOF
	OCI_SECCOMP_RECORDER_HOOKS_DIRS="$HOOKS_DIR" OCI_SECCOMP_RECORDER_RUNTIME="$RUNC" \
		containerd --config "$CTRD_DIR/config.toml" >"$CTRD_DIR/log" 2>&1 &
	echo $! >"$CTRD_DIR/pid"
	for _ in $(seq 200); do
		ctr --address "$CTRD_SOCK" version >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "containerd did not start: $(tail -5 "$CTRD_DIR/log")" >&2
	return 1
}

require_containerd() {
	if [ -S "${CTRD_SOCK:-/nonexistent}" ]; then
		return 0
	fi
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but containerd is not running here: $(tail -3 "${CTRD_DIR:-/dev/null}/log" 2>/dev/null)" >&2
		return 1
	fi
	skip "needs root, containerd and ctr"
}

ctr_() {
	ctr --address "$CTRD_SOCK" "$@"
}

# Two spies around the wrapper: containerd runs spy-before (--runc-binary), which notes the
# bundle's config.json (ID.before) and runs the wrapper with spy-after as its real runtime,
# which notes it again (ID.after) and runs runc.
write_spy() {
	local name=$1 then=$2
	cat >"$TMP/spy-$name" <<EOF
#!/bin/sh
bundle=.
prev=
for a in "\$@"; do [ "\$prev" = --bundle ] && bundle=\$a; prev=\$a; done
case " \$* " in *" create "*)
	cp -p "\$bundle/config.json" "$TMP/\$(basename "\$bundle").$name"
	stat -c %Y.%i "\$bundle/config.json" >"$TMP/\$(basename "\$bundle").$name-stat" ;;
esac
$then "\$@"
EOF
	chmod +x "$TMP/spy-$name"
}

write_spies() {
	write_spy before "OCI_SECCOMP_RECORDER_RUNTIME=$TMP/spy-after exec $WRAPPER"
	write_spy after "exec $RUNC"
}

@test "ctr run through the wrapper records a profile like podman does" {
	require_bpf
	require_containerd
	run ctr_ run --rm --runc-binary "$WRAPPER" --annotation "$ANNOTATION=of:$TMP/p.json" \
		--rootfs "$ROOTFS" osr-ctr-1 /bin/probe getcpu sysinfo
	[ "$status" -eq 0 ] || echo "ctr: status $status, output: $output" >&2
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok')"
	assert_allowed "$TMP/p.json" getcpu
	assert_allowed "$TMP/p.json" sysinfo
	refute_allowed "$TMP/p.json" times
	# Under the profile (runc applies it; containerd runs the same rootfs), the probe runs.
	run "$SECCOMP_EXEC" "$TMP/p.json" "$PROBE64" getcpu sysinfo
	[ "$status" -eq 0 ]
	grep -q "container osr-ctr-1: wrote \`$TMP/p.json\`" "$HOOK_LOG"
}

@test "ctr run: a container without the annotation is left exactly as it was; one with it gets the hooks" {
	require_bpf
	require_containerd
	write_spies
	run ctr_ run --rm --runc-binary "$TMP/spy-before" --rootfs "$ROOTFS" osr-ctr-plain /bin/probe getcpu
	[ "$status" -eq 0 ]
	cmp "$TMP/osr-ctr-plain.before" "$TMP/osr-ctr-plain.after"
	assert_equal "$(cat "$TMP/osr-ctr-plain.after-stat")" "$(cat "$TMP/osr-ctr-plain.before-stat")"
	assert_equal "$(jq -c '.hooks // {}' "$TMP/osr-ctr-plain.after")" '{}'
	run ctr_ run --rm --runc-binary "$TMP/spy-before" --annotation "$ANNOTATION=of:$TMP/p.json" \
		--rootfs "$ROOTFS" osr-ctr-rec /bin/probe getcpu
	[ "$status" -eq 0 ]
	assert_equal "$(jq -c '[.hooks.prestart[].args, .hooks.poststop[].args] | map(.[1])' \
		"$TMP/osr-ctr-rec.after")" '["hook","hook"]'
	assert_equal "$(jq -c 'del(.hooks)' "$TMP/osr-ctr-rec.after")" \
		"$(jq -c 'del(.hooks)' "$TMP/osr-ctr-rec.before")"
	assert_allowed "$TMP/p.json" getcpu
}

# --- the wrapper alone, with a stand-in runtime that logs its arguments ---------------------

# A bundle $1 whose spec has annotations $2 (JSON), command $3, and a bind mount when $4=bind.
make_bundle() {
	mkdir -p "$TMP/$1"
	jq -n --argjson ann "$2" --arg cmd "$3" --arg bind "${4:-}" '{ociVersion: "1.0.2",
		process: {args: [$cmd, "-c", "true"], user: {uid: 0, gid: 0}},
		root: {path: "rootfs"}, annotations: $ann,
		mounts: (if $bind == "bind" then [{destination: "/data", type: "bind",
			source: "/tmp", options: ["rbind", "ro"]}] else [] end),
		linux: {resources: {memory: {limit: 12345}}}}' | sed 's/12345/1e9/' >"$TMP/$1/config.json"
	cp -p "$TMP/$1/config.json" "$TMP/$1.orig"
}

# A hooks.d file $2 in directory $1 with the `when` $3 (JSON) and a program named $4 (made in
# $TMP/bin; the wrapper, like podman, leaves out a hook whose program is not there).
make_hook() {
	local path=$TMP/bin/${4:-true}
	mkdir -p "$1" "$TMP/bin"
	[ -e "$path" ] || { printf '#!/bin/sh\n' >"$path"; chmod +x "$path"; }
	jq -n --argjson when "$3" --arg path "$path" '{version: "1.0.0",
		hook: {path: $path, args: ["x", "hook"]}, when: $when,
		stages: ["prestart"]}' >"$1/$2"
}

wrapper() {
	OCI_SECCOMP_RECORDER_RUNTIME="$TMP/fake-runc" OCI_SECCOMP_RECORDER_HOOKS_DIRS="$TMP/d1:$TMP/d2" \
		"$WRAPPER" "$@"
}

setup_fake_runc() {
	printf '#!/bin/sh\necho "$0 $*" >>"%s/calls"\n' "$TMP" >"$TMP/fake-runc"
	chmod +x "$TMP/fake-runc"
}

# The names of the prestart hooks' programs in bundle $1.
prestart_paths() {
	jq -r '.hooks.prestart // [] | map(.path | sub(".*/"; "")) | join(" ")' "$TMP/$1/config.json"
}

@test "wrapper: annotations, always, commands and hasBindMounts select hooks as podman does" {
	setup_fake_runc
	make_hook "$TMP/d1" 10-ann.json '{"annotations": {"^io\\.containers\\.trace-syscall$": ".*"}}' a
	make_hook "$TMP/d1" 20-always.json '{"always": true}' b
	make_hook "$TMP/d1" 30-cmd.json '{"commands": ["/busybox$"]}' c
	make_hook "$TMP/d1" 40-bind.json '{"hasBindMounts": true}' d
	make_hook "$TMP/d1" 50-never.json '{"annotations": {"^other$": "^x$"}}' e
	make_bundle b1 '{"io.containers.trace-syscall": "of:/tmp/x.json"}' /bin/sh
	make_bundle b2 '{}' /bin/busybox bind
	wrapper --root /r --log-format json create --bundle "$TMP/b1" id1
	wrapper --root=/r create -b "$TMP/b2" --pid-file /p id2
	assert_equal "$(prestart_paths b1)" "a b"
	assert_equal "$(prestart_paths b2)" "b c d"
	# Only the stages the files name (the hooks ran twice when stray stages crept in).
	assert_equal "$(jq -c '.hooks | keys' "$TMP/b1/config.json")" '["prestart"]'
	assert_equal "$(jq -c '.hooks | keys' "$TMP/b2/config.json")" '["prestart"]'
	# Arguments pass as they are, to the real runtime.
	assert_equal "$(cat "$TMP/calls")" "$(printf '%s\n' \
		"$TMP/fake-runc --root /r --log-format json create --bundle $TMP/b1 id1" \
		"$TMP/fake-runc --root=/r create -b $TMP/b2 --pid-file /p id2")"
	# The rest of the spec is kept byte for byte (1e9 stays 1e9).
	grep -q '"limit": 1e9' "$TMP/b1/config.json"
	assert_equal "$(jq -S 'del(.hooks)' "$TMP/b1/config.json")" "$(jq -S . "$TMP/b1.orig")"
}

@test "wrapper: no hook matches: config.json is not written; other subcommands only exec" {
	setup_fake_runc
	make_hook "$TMP/d1" 10-ann.json '{"annotations": {"^io\\.containers\\.trace-syscall$": ".*"}}'
	make_bundle b1 '{"other": "x"}' /bin/sh
	sleep 1.1 # a rewrite would show in the mtime
	wrapper create --bundle "$TMP/b1" id1
	cmp "$TMP/b1/config.json" "$TMP/b1.orig"
	assert_equal "$(stat -c %Y.%i "$TMP/b1/config.json")" "$(stat -c %Y.%i "$TMP/b1.orig")" ||
		[ "$(stat -c %Y "$TMP/b1/config.json")" = "$(stat -c %Y "$TMP/b1.orig")" ]
	make_bundle b2 '{"io.containers.trace-syscall": "of:/tmp/x.json"}' /bin/sh
	wrapper delete --force id2
	wrapper state id2
	cmp "$TMP/b2/config.json" "$TMP/b2.orig"
	assert_equal "$(tail -2 "$TMP/calls")" "$(printf '%s\n' "$TMP/fake-runc delete --force id2" \
		"$TMP/fake-runc state id2")"
}

@test "wrapper: a later directory's file wins, a link is followed, bad files are left out and said" {
	setup_fake_runc
	make_hook "$TMP/d1" 10-rec.json '{"always": true}' old
	make_hook "$TMP/d2" 10-rec.json '{"always": true}' new
	make_hook "$TMP/real" 15-linked.json '{"always": true}' linked
	ln -s "$TMP/real/15-linked.json" "$TMP/d2/15-linked.json"
	bad_hook() { jq -n --argjson hook "$2" --argjson when "$3" '{version: "1.0.0", hook: $hook,
		when: $when, stages: ["prestart"]}' >"$TMP/d2/$1"; }
	bad_hook 20-bad.json '{"path": "relative"}' '{"always": true}'
	bad_hook 30-badre.json "{\"path\": \"$TMP/bin/new\"}" '{"commands": ["("]}'
	bad_hook 40-missing.json '{"path": "/nonexistent/hook"}' '{"always": true}'
	bad_hook 50-args.json "{\"path\": \"$TMP/bin/new\", \"args\": [\"x\", 5]}" '{"always": true}'
	make_bundle b1 '{}' /bin/sh
	run wrapper create --bundle "$TMP/b1" id1
	[ "$status" -eq 0 ]
	assert_equal "$(prestart_paths b1)" "new linked"
	[[ "$output" == *"hooks.d file \`$TMP/d2/20-bad.json\` is left out: \`hook.path\` must be an absolute path"* ]]
	[[ "$output" == *"30-badre.json\` is left out: when.commands: \`(\` is not a regular expression"* ]]
	[[ "$output" == *"40-missing.json\` is left out: \`hook.path\` \`/nonexistent/hook\`: No such file or directory"* ]]
	[[ "$output" == *"50-args.json\` is left out: \`hook.args\` must be an array of strings"* ]]
}

@test "wrapper: a missing bundle fails create before runc runs; the wrapper never runs itself" {
	setup_fake_runc
	make_hook "$TMP/d1" 10-rec.json '{"always": true}'
	run wrapper create --bundle "$TMP/nothing" id1
	[ "$status" -eq 125 ]
	[[ "$output" == *"runtime wrapper: "*"$TMP/nothing/config.json"* ]]
	[ ! -e "$TMP/calls" ]
	run env OCI_SECCOMP_RECORDER_RUNTIME="$WRAPPER" "$WRAPPER" state x
	[ "$status" -eq 125 ]
	[[ "$output" == *"is this wrapper: set OCI_SECCOMP_RECORDER_RUNTIME to runc's path"* ]]
}

@test "wrapper: a create run again adds nothing twice; -root and -bundle (one dash) are runc's too" {
	setup_fake_runc
	make_hook "$TMP/d1" 10-rec.json '{"always": true}' rec
	make_bundle b1 '{}' /bin/sh
	wrapper -root /r create -bundle "$TMP/b1" id1
	cp -p "$TMP/b1/config.json" "$TMP/b1.once"
	wrapper --root /r create --bundle="$TMP/b1" id1
	assert_equal "$(prestart_paths b1)" "rec"
	cmp "$TMP/b1/config.json" "$TMP/b1.once"
}
