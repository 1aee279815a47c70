#!/usr/bin/env bats
# Docker: the runtime wrapper as a Docker runtime (`docker run --runtime recorder`) records a
# container into the profile directory of its runtimeArgs, and Docker 20.10 runs the recorded
# profile as it is (`--security-opt seccomp=`). A dockerd of the test's own, with its own
# daemon.json, data, exec root and socket, all removed at the end.

bats_require_minimum_version 1.5.0
load helpers

IMAGE=osr-docker:test
ANNOTATION=io.containers.trace-syscall

setup_file() {
	podman_setup_file
	export BIN="$BATS_FILE_TMPDIR/bin"
	export WRAPPER="$BIN/oci-seccomp-recorder-runtime"
	export PROFILES="$BATS_FILE_TMPDIR/profiles"
	export DOCKER_CONFIG="$BATS_FILE_TMPDIR/docker-cli"
	export RUNC
	RUNC=$(command -v runc || echo /usr/sbin/runc)
	# As installed: both names are links to the program, side by side.
	mkdir -p "$BIN" "$DOCKER_CONFIG"
	ln -sf "$RECORDER" "$BIN/oci-seccomp-recorder"
	ln -sf "$RECORDER" "$WRAPPER"
	mkdir -m 0700 "$PROFILES"
	if [ "$(id -u)" -ne 0 ] || ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
		return 0 # require_docker says why, per test
	fi
	start_dockerd
}

teardown_file() {
	stop_dockerd
}

teardown() {
	if [ -S "${DK_SOCK:-/nonexistent}" ]; then
		docker ps -aq | xargs -r docker rm -f >/dev/null 2>&1 || true
	fi
	if [ -s "${TMP:-/nonexistent}/fake.pid" ]; then
		kill "$(cat "$TMP/fake.pid")" 2>/dev/null || true
	fi
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
	return 0
}

# dockerd of the test's own. Its exec root holds unix sockets (at most 108 bytes a path): a
# short directory in /tmp. The runtime `recorder` is the wrapper with the test's profile
# directory, hook log and state; `other` names another program, for docker-config.
start_dockerd() {
	DK_DIR=$(mktemp -d /tmp/dk.XXXX)
	export DK_DIR DK_SOCK="$DK_DIR/sock" DOCKER_HOST="unix://$DK_DIR/sock"
	jq -n --arg wrapper "$WRAPPER" --arg profiles "$PROFILES" --arg log "$HOOK_LOG" \
		--arg state "$STATE_DIR" --arg runc "$RUNC" '{runtimes: {
			recorder: {path: $wrapper, runtimeArgs: ["--profile-dir", $profiles,
				"--log-file", $log, "--log-level", "info", "--state-dir", $state]},
			other: {path: $runc}}}' >"$DK_DIR/daemon.json"
	OCI_SECCOMP_RECORDER_RUNTIME="$RUNC" dockerd --data-root "$DK_DIR/data" \
		--exec-root "$DK_DIR/exec" --pidfile "$DK_DIR/dockerd.pid" -H "$DOCKER_HOST" \
		--bridge=none --iptables=false --ip-masq=false --config-file "$DK_DIR/daemon.json" \
		>"$DK_DIR/log" 2>&1 3>&- &
	echo $! >"$DK_DIR/pid"
	for _ in $(seq 300); do
		if docker version >/dev/null 2>&1; then
			tar -C "$ROOTFS" -c . | docker import - "$IMAGE" >/dev/null && return 0
			echo "docker import failed" >&2
			return 1
		fi
		kill -0 "$(cat "$DK_DIR/pid")" 2>/dev/null || break
		sleep 0.1
	done
	echo "dockerd did not start: $(tail -5 "$DK_DIR/log")" >&2
	return 1
}

# Containers removed, dockerd (and the containerd it started) stopped, whatever it left mounted
# below its directory unmounted, the directory removed.
stop_dockerd() {
	local pid
	[ -n "${DK_DIR:-}" ] && [ -d "$DK_DIR" ] || return 0
	if [ -S "$DK_SOCK" ]; then
		docker ps -aq | xargs -r docker rm -f >/dev/null 2>&1 || true
	fi
	pid=$(cat "$DK_DIR/pid" 2>/dev/null || true)
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 200); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
	fi
	awk -v d="$DK_DIR/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null || true; done
	rm -rf --one-file-system "$DK_DIR"
}

require_docker() {
	if [ -S "${DK_SOCK:-/nonexistent}" ] && [ -x /bin/busybox ]; then
		return 0
	fi
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but no dockerd of the test's own runs here (needs root, docker.io," \
			"busybox-static): $(tail -3 "${DK_DIR:-/nonexistent}/log" 2>/dev/null)" >&2
		return 1
	fi
	skip "needs root, docker.io (dockerd, docker) and busybox-static"
}

# The profile of container $1, which must be there.
profile_of() {
	local p="$PROFILES/$1.json"
	if [ ! -f "$p" ]; then
		echo "expected the profile $p of container $1; the profile directory has:" \
			"$(ls "$PROFILES" | tr '\n' ' ')" >&2
		return 1
	fi
	echo "$p"
}

# Wait until the logs of container $1 show $2.
wait_log() {
	for _ in $(seq 200); do
		docker logs "$1" 2>&1 | grep -qx "$2" && return 0
		sleep 0.05
	done
	echo "container $1 never printed \"$2\"; its logs: $(docker logs "$1" 2>&1)" >&2
	return 1
}

@test "docker run --runtime recorder writes DIR/<id>.json with the calls, complete when docker run returns, without runc's setup" {
	require_bpf
	require_docker
	run docker run --rm --runtime recorder --cidfile "$TMP/cid" "$IMAGE" /bin/probe getcpu sysinfo
	[ "$status" -eq 0 ] || echo "docker run: status $status, output: $output" >&2
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok')"
	id=$(cat "$TMP/cid")
	[[ "$id" =~ ^[0-9a-f]{64}$ ]] || { echo "expected a full container id, got '$id'" >&2; false; }
	# Complete: the poststop hook had written it when docker run returned.
	p=$(profile_of "$id")
	grep -q "container $id: profile written to \`$p\`" "$HOOK_LOG" ||
		{ echo "expected the poststop line for $id in the hook log" >&2; false; }
	assert_allowed "$p" getcpu
	assert_allowed "$p" sysinfo
	assert_allowed "$p" execve
	for call in mount pivot_root sethostname umount2 setns unshare; do
		refute_allowed "$p" "$call"
	done
	refute_allowed "$p" times
}

@test "the recorded profile runs the container under Docker as it is; a call outside it gets EPERM" {
	require_bpf
	require_docker
	docker run --rm --runtime recorder --cidfile "$TMP/cid" "$IMAGE" /bin/probe getcpu sysinfo
	p=$(profile_of "$(cat "$TMP/cid")")
	# Docker installs it before runc's last steps (no no-new-privileges): ten starts in a row.
	for i in $(seq 10); do
		run docker run --rm --security-opt "seccomp=$p" "$IMAGE" /bin/probe getcpu sysinfo
		[ "$status" -eq 0 ] || echo "start $i under $p: status $status, output: $output" >&2
		[ "$status" -eq 0 ]
		assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok')"
	done
	run docker run --rm --security-opt "seccomp=$p" "$IMAGE" /bin/probe times
	assert_equal "$output" "times errno=1"
	[ "$status" -eq 1 ]
}

@test "docker run -d, then docker stop: the container still gets its profile" {
	require_bpf
	require_docker
	id=$(docker run -d --runtime recorder "$IMAGE" /bin/sh -c '/bin/probe getcpu; exec sleep 600')
	wait_log "$id" "getcpu ok"
	docker stop -t 1 "$id" >/dev/null
	p=$(profile_of "$id")
	assert_allowed "$p" getcpu
	refute_allowed "$p" sysinfo
	refute_allowed "$p" mount
}

@test "docker run -d, then docker kill: the container still gets its profile" {
	require_bpf
	require_docker
	id=$(docker run -d --runtime recorder "$IMAGE" /bin/sh -c '/bin/probe sysinfo; exec sleep 600')
	wait_log "$id" "sysinfo ok"
	docker kill "$id" >/dev/null
	docker wait "$id" >/dev/null
	p=$(profile_of "$id")
	assert_allowed "$p" sysinfo
	refute_allowed "$p" getcpu
}

@test "8 concurrent docker runs give 8 separate, exact profiles" {
	require_bpf
	require_docker
	local calls=(uname times getpriority umask getrusage getitimer getpgrp getsid)
	# The calls of a run that makes none of the eight: what every profile has besides its own.
	docker run --rm --runtime recorder --cidfile "$TMP/cid.base" "$IMAGE" /bin/probe getcpu
	base=$(profile_of "$(cat "$TMP/cid.base")")
	for c in "${calls[@]}"; do
		refute_allowed "$base" "$c"
	done
	for c in "${calls[@]}"; do
		(docker run --rm --runtime recorder --cidfile "$TMP/cid.$c" "$IMAGE" /bin/probe getcpu "$c" \
			>"$TMP/out.$c" 2>&1; echo $? >"$TMP/status.$c") &
	done
	wait
	for c in "${calls[@]}"; do
		assert_equal "$(cat "$TMP/status.$c") $(cat "$TMP/out.$c")" "0 $(printf 'getcpu ok\n%s ok' "$c")"
	done
	assert_equal "$(for f in "$TMP"/cid.*; do cat "$f"; echo; done | sort -u | wc -l)" 9
	for c in "${calls[@]}"; do
		p=$(profile_of "$(cat "$TMP/cid.$c")")
		assert_allowed "$p" "$c"
		for o in "${calls[@]}"; do
			[ "$o" = "$c" ] || refute_allowed "$p" "$o"
		done
		assert_equal "$(allowed_names "$p" | grep -vx "$c")" "$(allowed_names "$base")"
	done
}

@test "a container run without --runtime recorder gets no hook and no profile" {
	require_bpf
	require_docker
	plain=$(docker run -d "$IMAGE" /bin/sh -c '/bin/probe getcpu; exec sleep 600')
	rec=$(docker run -d --runtime recorder "$IMAGE" /bin/sh -c '/bin/probe getcpu; exec sleep 600')
	wait_log "$plain" "getcpu ok"
	wait_log "$rec" "getcpu ok"
	bundles="$DK_DIR/exec/containerd/daemon/io.containerd.runtime.v2.task/moby"
	self=$(readlink -f "$RECORDER")
	# The recorded one's spec: the annotation `on`, the hook at prestart and poststop.
	assert_equal "$(jq -c --arg self "$self" '[.annotations["'$ANNOTATION'"],
		(.hooks.prestart, .hooks.poststop | map(select(.path == $self) | .args[0:4]))]' \
		"$bundles/$rec/config.json")" \
		"[\"on\",[[\"oci-seccomp-recorder\",\"hook\",\"--profile-dir\",\"$PROFILES\"]],[[\"oci-seccomp-recorder\",\"hook\",\"--profile-dir\",\"$PROFILES\"]]]"
	# The plain one's: neither.
	assert_equal "$(jq -c --arg self "$self" '[.annotations["'$ANNOTATION'"],
		[.hooks[]?[]? | select(.path == $self)]]' "$bundles/$plain/config.json")" '[null,[]]'
	docker rm -f "$plain" "$rec" >/dev/null
	profile_of "$rec" >/dev/null
	[ ! -e "$PROFILES/$plain.json" ] || { echo "a profile for the plain container $plain" >&2; false; }
	! grep -q "container $plain" "$HOOK_LOG" || { echo "the hook ran for $plain" >&2; false; }
}

# A stand-in dockerd for docker-config: answers every request with $2 (a file) on socket $1.
start_fake_daemon() {
	python3 - "$1" "$2" 3>&- <<'EOF' &
import os, socket, sys
path, answer = sys.argv[1], open(sys.argv[2], "rb").read()
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(4)
while True:
    c, _ = s.accept()
    c.recv(65536)
    c.sendall(answer)
    c.close()
EOF
	echo $! >"$TMP/fake.pid"
	for _ in $(seq 100); do
		[ -S "$1" ] && return 0
		sleep 0.05
	done
	echo "the fake daemon did not start" >&2
	return 1
}

@test "docker-config prints the entry; --check says yes for the test's dockerd, no for a name it lacks, another path, a daemon without it" {
	require_docker
	run --separate-stderr "$BIN/oci-seccomp-recorder" docker-config --profile-dir "$PROFILES" \
		--host "$DOCKER_HOST" --check
	[ "$status" -eq 0 ] || echo "status $status, stderr: $stderr" >&2
	[ "$status" -eq 0 ]
	assert_equal "$(jq -c . <<<"$output")" \
		"{\"runtimes\":{\"recorder\":{\"path\":\"$WRAPPER\",\"runtimeArgs\":[\"--profile-dir\",\"$PROFILES\"]}}}"
	[[ "$stderr" == *"runtime \`recorder\` runs \`$WRAPPER\` with runtimeArgs: --profile-dir $PROFILES "* ]] ||
		{ echo "stderr: $stderr" >&2; false; }
	# DOCKER_HOST when there is no --host; --args and --format go to runtimeArgs.
	run --separate-stderr env DOCKER_HOST="$DOCKER_HOST" "$BIN/oci-seccomp-recorder" \
		docker-config --profile-dir /var/lib/p --args --format spo --check
	[ "$status" -eq 0 ]
	assert_equal "$(jq -c '.runtimes.recorder.runtimeArgs' <<<"$output")" \
		'["--profile-dir","/var/lib/p","--args","--format","spo"]'
	run --separate-stderr "$BIN/oci-seccomp-recorder" docker-config --name absent --check
	[ "$status" -eq 1 ] || echo "status $status, stderr: $stderr" >&2
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"no runtime \`absent\`: add the entry above"* ]]
	run --separate-stderr "$BIN/oci-seccomp-recorder" docker-config --name other --check
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"runtime \`other\` runs \`$RUNC\`, not this installation's \`$WRAPPER\`"* ]]
	# Without --check the entry is printed whatever the daemon says; run by its name from
	# PATH, the link is found there.
	run --separate-stderr env PATH="$BIN:$PATH" oci-seccomp-recorder docker-config --name absent
	[ "$status" -eq 0 ]
	assert_equal "$(jq -r '.runtimes.absent.path' <<<"$output")" "$WRAPPER"
	# A daemon without it, answering in chunks as HTTP/1.1 would.
	body='{"ServerVersion":"24.0.0","Runtimes":{"runc":{"path":"runc"}}}'
	printf 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n' \
		16 "${body:0:16}" $((${#body} - 16)) "${body:16}" >"$TMP/answer"
	start_fake_daemon "$TMP/fake.sock" "$TMP/answer"
	run --separate-stderr "$BIN/oci-seccomp-recorder" docker-config --host "unix://$TMP/fake.sock" --check
	[ "$status" -eq 1 ] || echo "status $status, stderr: $stderr" >&2
	[ "$status" -eq 1 ]
	[[ "$stderr" == "dockerd 24.0.0 at \`unix://$TMP/fake.sock\`: no runtime \`recorder\`"* ]]
}

@test "docker-config: a daemon it cannot ask is exit status 2, and so is no wrapper link" {
	run --separate-stderr "$BIN/oci-seccomp-recorder" docker-config --host "unix://$TMP/none.sock" --check
	[ "$status" -eq 2 ]
	[[ "$stderr" == "cannot ask dockerd at \`unix://$TMP/none.sock\`: connect to \`$TMP/none.sock\`: No such file or directory" ]]
	printf 'HTTP/1.0 500 Internal Server Error\r\n\r\n{}' >"$TMP/answer"
	start_fake_daemon "$TMP/fake.sock" "$TMP/answer"
	run --separate-stderr "$BIN/oci-seccomp-recorder" docker-config --host "unix://$TMP/fake.sock" --check
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"GET /info: the daemon answered 500" ]]
	run --separate-stderr "$BIN/oci-seccomp-recorder" docker-config --host tcp://127.0.0.1:2375 --check
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"is not a unix:// socket"* ]]
	# The program alone, no link beside it or in PATH: no entry to print.
	run --separate-stderr env PATH=/usr/bin:/bin "$RECORDER" docker-config
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"no \`oci-seccomp-recorder-runtime\` link to this program"* ]]
	run --separate-stderr "$BIN/oci-seccomp-recorder" docker-config --profile-dir '/var/lib/a b'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"Docker 20.10 passes runtimeArgs through a shell script, unquoted"* ]]
}

# --- the wrapper alone, as dockerd's shim runs it, with a stand-in runc ------------------------

setup_fake_runc() {
	printf '#!/bin/sh\necho "$0 $*" >>"%s/calls"\n' "$TMP" >"$TMP/fake-runc"
	chmod +x "$TMP/fake-runc"
}

# A bundle $1 whose spec has the annotations $2 (JSON; null for none), as Docker writes it.
make_bundle() {
	mkdir -p "$TMP/$1"
	jq -n --argjson ann "$2" '{ociVersion: "1.0.2-dev", process: {args: ["/bin/probe"]},
		root: {path: "rootfs"}, hooks: {prestart: [{path: "/proc/1/exe",
		args: ["libnetwork-setkey", "x"]}]}, linux: {resources: {memory: {limit: 12345}}}}
		| if $ann == null then . else .annotations = $ann end' |
		sed 's/12345/1e9/' >"$TMP/$1/config.json"
	cp -p "$TMP/$1/config.json" "$TMP/$1.orig"
}

# The wrapper as Docker 20.10 runs a runtime with runtimeArgs: its options, then runc's.
docker_wrapper() {
	"$WRAPPER" --runtime "$TMP/fake-runc" "$@"
}

@test "wrapper: its own options are taken off the front, runc's arguments pass unchanged" {
	setup_fake_runc
	make_bundle b1 null
	mkdir -m 0700 "$TMP/p"
	docker_wrapper --profile-dir "$TMP/p" --log-level=info --args -- --root /r \
		--log "$TMP/log.json" --log-format json create --bundle "$TMP/b1" --pid-file /p id1
	docker_wrapper --profile-dir="$TMP/p" --format spo --root /r --log-format json start id1
	OCI_SECCOMP_RECORDER_RUNTIME="$TMP/fake-runc" "$RECORDER" runtime --profile-dir "$TMP/p" \
		-- --root /r delete --force id1
	assert_equal "$(cat "$TMP/calls")" "$(printf '%s\n' \
		"$TMP/fake-runc --root /r --log $TMP/log.json --log-format json create --bundle $TMP/b1 --pid-file /p id1" \
		"$TMP/fake-runc --root /r --log-format json start id1" \
		"$TMP/fake-runc --root /r delete --force id1")"
}

@test "wrapper --profile-dir: the annotation \`on\` and the hook; a spec's own annotation gets the hook with --profile-dir too" {
	setup_fake_runc
	self=$(readlink -f "$RECORDER")
	mkdir -m 0700 "$TMP/p"
	make_bundle plain null
	make_bundle own '{"other": "x", "io.containers.trace-syscall": "on;args:on;if:base.json"}'
	docker_wrapper --profile-dir "$TMP/p/" --args --format spo --log-file /l --state-dir /s \
		create --bundle "$TMP/plain" id1
	docker_wrapper --profile-dir "$TMP/p" --args create --bundle "$TMP/own" id2
	assert_equal "$(jq -c '.annotations' "$TMP/plain/config.json")" \
		"{\"$ANNOTATION\":\"on;args:on;fmt:spo\"}"
	# Docker's own hook first, then ours, at both stages; the program is the installed one.
	assert_equal "$(jq -c '[.hooks.prestart[].path, .hooks.poststop[].path]' "$TMP/plain/config.json")" \
		"[\"/proc/1/exe\",\"$self\",\"$self\"]"
	assert_equal "$(jq -c '.hooks.prestart[1].args' "$TMP/plain/config.json")" \
		"[\"oci-seccomp-recorder\",\"hook\",\"--profile-dir\",\"$TMP/p\",\"--log-file\",\"/l\",\"--state-dir\",\"/s\"]"
	# The rest of the spec is kept (1e9 stays 1e9).
	grep -q '"limit": 1e9' "$TMP/plain/config.json"
	assert_equal "$(jq -S 'del(.hooks, .annotations)' "$TMP/plain/config.json")" \
		"$(jq -S 'del(.hooks)' "$TMP/plain.orig")"
	# Its own annotation is kept, and the node still decides: the hook has --profile-dir.
	assert_equal "$(jq -c '.annotations' "$TMP/own/config.json")" \
		"$(jq -c '.annotations' "$TMP/own.orig")"
	assert_equal "$(jq -c '.hooks.prestart[1].args, .hooks.poststop[0].args' "$TMP/own/config.json")" \
		"$(printf '%s\n' "[\"oci-seccomp-recorder\",\"hook\",\"--profile-dir\",\"$TMP/p\"]" \
			"[\"oci-seccomp-recorder\",\"hook\",\"--profile-dir\",\"$TMP/p\"]")"
	# A create run again adds nothing twice.
	cp -p "$TMP/plain/config.json" "$TMP/plain.once"
	docker_wrapper --profile-dir "$TMP/p" --args --format spo --log-file /l --state-dir /s \
		create --bundle "$TMP/plain" id1
	cmp "$TMP/plain/config.json" "$TMP/plain.once"
}

@test "wrapper --profile-dir: a spec's annotation that names a path (of:, if:PATH) fails create, said in runc's log" {
	setup_fake_runc
	mkdir -m 0700 "$TMP/p"
	make_bundle of '{"io.containers.trace-syscall": "of:/etc/cron.d/x"}'
	make_bundle if '{"io.containers.trace-syscall": "on;if:/etc/shadow"}'
	run docker_wrapper --profile-dir "$TMP/p" --log "$TMP/log.json" --log-format json \
		create --bundle "$TMP/of" id1
	[ "$status" -eq 125 ]
	assert_equal "$(jq -r 'select(.level == "error") | .msg' "$TMP/log.json")" \
		"oci-seccomp-recorder runtime wrapper: \`$TMP/of/config.json\`: annotation $ANNOTATION: \`of:\` is refused on this node: profiles go where --profile-dir \`$TMP/p\` puts them; use \`on\`"
	run docker_wrapper --profile-dir "$TMP/p" create --bundle "$TMP/if" id2
	[ "$status" -eq 125 ]
	[[ "$output" == *"\`if:\` must name a profile in this node's profile folder (if:NAME), not a path"* ]]
	[ ! -e "$TMP/calls" ]
	cmp "$TMP/of/config.json" "$TMP/of.orig"
	cmp "$TMP/if/config.json" "$TMP/if.orig"
	[ ! -e /etc/cron.d/x ]
}

@test "wrapper: a crun global option with a value (--cgroup-manager X create) does not hide create" {
	setup_fake_runc
	mkdir -m 0700 "$TMP/p"
	make_bundle b1 null
	make_bundle b2 null
	docker_wrapper --profile-dir "$TMP/p" --cgroup-manager cgroupfs create --bundle "$TMP/b1" id1
	docker_wrapper --profile-dir "$TMP/p" --root /r --log-level debug --cgroup-manager=systemd \
		create --bundle "$TMP/b2" id2
	for b in b1 b2; do
		assert_equal "$(jq -r ".annotations[\"$ANNOTATION\"]" "$TMP/$b/config.json")" on
		assert_equal "$(jq -c '[.hooks.prestart[].path | sub(".*/"; "")]' "$TMP/$b/config.json")" \
			'["exe","oci-seccomp-recorder"]'
	done
	assert_equal "$(cat "$TMP/calls")" "$(printf '%s\n' \
		"$TMP/fake-runc --cgroup-manager cgroupfs create --bundle $TMP/b1 id1" \
		"$TMP/fake-runc --root /r --log-level debug --cgroup-manager=systemd create --bundle $TMP/b2 id2")"
}

@test "wrapper --profile-dir: hooks.d is not read; without it, hooks.d is, as for containerd" {
	setup_fake_runc
	mkdir -p "$TMP/hooks" "$TMP/bin"
	mkdir -m 0700 "$TMP/p"
	printf '#!/bin/sh\n' >"$TMP/bin/other" && chmod +x "$TMP/bin/other"
	jq -n --arg path "$TMP/bin/other" '{version: "1.0.0", hook: {path: $path},
		when: {always: true}, stages: ["prestart"]}' >"$TMP/hooks/10-other.json"
	make_bundle b1 null
	make_bundle b2 null
	OCI_SECCOMP_RECORDER_HOOKS_DIRS="$TMP/hooks" docker_wrapper --profile-dir "$TMP/p" \
		create --bundle "$TMP/b1" id1
	OCI_SECCOMP_RECORDER_HOOKS_DIRS="$TMP/hooks" docker_wrapper create --bundle "$TMP/b2" id2
	assert_equal "$(jq -c '[.hooks.prestart[].path | sub(".*/"; "")]' "$TMP/b1/config.json")" \
		'["exe","oci-seccomp-recorder"]'
	assert_equal "$(jq -c '[.hooks.prestart[].path | sub(".*/"; "")]' "$TMP/b2/config.json")" \
		'["exe","other"]'
}

@test "wrapper: a bad option or profile directory fails create, said in runc's --log for Docker; other subcommands still pass" {
	setup_fake_runc
	make_bundle b1 null
	mkdir -m 0777 "$TMP/open"
	run docker_wrapper --profile-dir "$TMP/open" --log "$TMP/log.json" --log-format json \
		create --bundle "$TMP/b1" id1
	[ "$status" -eq 125 ]
	[ ! -e "$TMP/calls" ]
	cmp "$TMP/b1/config.json" "$TMP/b1.orig"
	# containerd's shim reads the last error of the log: what Docker prints.
	assert_equal "$(jq -r 'select(.level == "error") | .msg' "$TMP/log.json")" \
		"oci-seccomp-recorder runtime wrapper: --profile-dir: \`$TMP/open\` must be a directory of uid $(id -u) that others cannot write"
	run docker_wrapper --format xml --profile-dir "$TMP/open" create --bundle "$TMP/b1" id1
	[ "$status" -eq 125 ]
	[[ "$output" == *"--format \`xml\`: oci, spo, spo-v1beta1, oci-artifact"* ]]
	run docker_wrapper --args create --bundle "$TMP/b1" id1
	[ "$status" -eq 125 ]
	[[ "$output" == *"--args says how --profile-dir records, and there is no --profile-dir"* ]]
	run docker_wrapper --profile-dir
	[ "$status" -eq 125 ]
	[[ "$output" == *"--profile-dir needs a value"* ]]
	[ ! -e "$TMP/calls" ]
	# A container made before the options went bad can still be stopped and deleted.
	docker_wrapper --format xml --profile-dir "$TMP/open" --root /r kill id0 KILL
	docker_wrapper --format xml --profile-dir "$TMP/open" --root /r delete --force id0
	assert_equal "$(cat "$TMP/calls")" "$(printf '%s\n' "$TMP/fake-runc --root /r kill id0 KILL" \
		"$TMP/fake-runc --root /r delete --force id0")"
}

@test "the Debian package changes no Docker configuration by itself: no maintainer script, nothing in /etc" {
	local debian="$TESTS_DIR/../debian"
	[ -f "$debian/control" ]
	run find "$debian" -maxdepth 1 \( -name '*postinst*' -o -name '*preinst*' -o -name '*postrm*' \
		-o -name '*prerm*' -o -name '*triggers' -o -name '*conffiles' -o -name '*.service' \
		-o -name '*.install' -o -name '*.links' -o -name '*.dirs' \)
	assert_equal "$output" ""
	meson introspect "$BUILD_DIR" --installed | jq -r '.[]' >"$TMP/installed"
	grep -q /bin/oci-seccomp-recorder-runtime "$TMP/installed"
	run grep -Ei '^/etc/|docker' "$TMP/installed"
	assert_equal "$output" ""
}
