#!/usr/bin/env bats
# A shared node, as a pod author would attack it: the node decides where profiles go
# (--profile-dir), a Kubernetes pod without a policy is refused, sandboxes are never recorded,
# a namespace has a limit, a sidecar stays out of a profile, namespace numbers are held while
# registered, and a world-writable /sys/fs/bpf is not trusted. Real podman + runc; the
# Kubernetes names are the annotations CRI-O and containerd put in the spec.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	podman_setup_file
}

setup() {
	TMP=$(mktemp -d /tmp/osr-test.XXXXXX)
	PROFILES="$TMP/profiles"
	NODE_HOOKS="$TMP/node-hooks"
	mkdir -p -m 0700 "$PROFILES"
	mkdir -p "$NODE_HOOKS"
	node_hook_config
}

teardown() {
	# A tracer a test stopped must go on, or its recording would outlive the test.
	if [ -n "${STOPPED_TRACER:-}" ]; then
		kill -CONT "$STOPPED_TRACER" 2>/dev/null || true
	fi
	podman_teardown
}

# The node's hook config: the test's binary with --profile-dir and the extra arguments given.
node_hook_config() {
	local extra
	extra=$(printf '%s\n' "$@" | jq -R . | jq -s 'map(select(. != ""))')
	jq --arg dir "$PROFILES" --argjson extra "$extra" \
		'.hook.args += ["--profile-dir", $dir] + $extra' \
		"$HOOKS_DIR/oci-seccomp-recorder.json" >"$NODE_HOOKS/oci-seccomp-recorder.json"
}

# podman on the node: the node's hooks.
nman() {
	podman --hooks-dir "$NODE_HOOKS" "$@"
}

# The annotations CRI-O gives a container of pod $2 in namespace $1, named $3.
crio_names() {
	echo "--annotation=io.kubernetes.pod.namespace=$1"
	echo "--annotation=io.kubernetes.pod.name=$2"
	echo "--annotation=io.kubernetes.container.name=$3"
}

containerd_names() {
	echo "--annotation=io.kubernetes.cri.sandbox-namespace=$1"
	echo "--annotation=io.kubernetes.cri.sandbox-name=$2"
	echo "--annotation=io.kubernetes.cri.container-name=$3"
}

@test "node mode: \`on\` records a CRI-O container into DIR/NAMESPACE/POD/CONTAINER.json, root only" {
	require_bpf
	require_podman
	local names
	mapfile -t names < <(crio_names team-a web-1 app)
	run nman run --rm "${names[@]}" "$(trace_annotation on)" --rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -eq 0 ]
	assert_equal "$output" "getcpu ok"
	assert_allowed "$PROFILES/team-a/web-1/app.json" getcpu
	assert_equal "$(stat -c '%a %U' "$PROFILES/team-a")" "700 root"
	assert_equal "$(stat -c '%a %U' "$PROFILES/team-a/web-1")" "700 root"
	# The profile runs the container.
	run podman run --rm --security-opt "seccomp=$PROFILES/team-a/web-1/app.json" \
		--rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -eq 0 ]
}

@test "node mode: containerd's names give the same place; fmt:spo gives a .yaml" {
	require_bpf
	require_podman
	local names
	mapfile -t names < <(containerd_names team-b api-7 server)
	nman run --rm "${names[@]}" "$(trace_annotation "on;fmt:spo")" --rootfs "$ROOTFS" \
		/bin/probe sysinfo >/dev/null
	assert_equal "$(jq -r .kind "$PROFILES/team-b/api-7/server.yaml")" SeccompProfile
	jq -e '.spec.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names | index("sysinfo")' \
		"$PROFILES/team-b/api-7/server.yaml" >/dev/null
}

@test "node mode outside Kubernetes: the profile is DIR/ID.json" {
	require_bpf
	require_podman
	local id
	id=$(nman run -d "$(trace_annotation on)" --rootfs "$ROOTFS" /bin/probe uname)
	podman wait "$id" >/dev/null
	podman rm "$id" >/dev/null
	assert_allowed "$PROFILES/$id.json" uname
}

@test "node mode: an \`of:\` path is refused in one line that says why, and nothing is written" {
	require_bpf
	require_podman
	local names
	mapfile -t names < <(crio_names team-a web-1 app)
	run nman run --rm "${names[@]}" "$(trace_annotation "of:/etc/profile.d/zz.sh")" \
		--rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -ne 0 ]
	[[ "$output" == *"\`of:\` is refused on this node: profiles go where --profile-dir \`$PROFILES\` puts them; use \`on\`"* ]]
	[ ! -e /etc/profile.d/zz.sh ]
	[ -z "$(ls -A "$PROFILES")" ]
}

@test "node mode: names that are not one path component are refused, nothing written outside" {
	require_bpf
	require_podman
	local bad names
	for bad in ".." "../../etc" "a/b" ".hidden" "" "x\$(id)"; do
		mapfile -t names < <(crio_names "$bad" web-1 app)
		run nman run --rm "${names[@]}" "$(trace_annotation on)" --rootfs "$ROOTFS" \
			/bin/probe getcpu
		if [ "$status" -eq 0 ] || [[ "$output" != *"annotation \`pod namespace\` is not a name the profile directory can hold"* && \
			"$output" != *"the spec has no annotation \`pod namespace\`"* ]]; then
			echo "namespace \`$bad\`: expected a refusal naming the pod namespace, got status $status: $output" >&2
			return 1
		fi
		mapfile -t names < <(crio_names team-a web-1 "$bad")
		run nman run --rm "${names[@]}" "$(trace_annotation on)" --rootfs "$ROOTFS" \
			/bin/probe getcpu
		[ "$status" -ne 0 ]
	done
	[ -z "$(find "$PROFILES" -type f)" ]
	[ -z "$(find "$TMP" -maxdepth 1 -name '*.json')" ]
}

@test "node mode: if:NAME is a profile in the pod's own namespace folder, never another's" {
	require_bpf
	require_podman
	local names
	mkdir -p -m 0700 "$PROFILES/team-a"
	jq -n '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: ["times"], action: "SCMP_ACT_ALLOW"}]}' \
		>"$PROFILES/team-a/base.json"
	mapfile -t names < <(crio_names team-a web-1 app)
	nman run --rm "${names[@]}" "$(trace_annotation "on;if:base.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu >/dev/null
	assert_allowed "$PROFILES/team-a/web-1/app.json" times
	assert_allowed "$PROFILES/team-a/web-1/app.json" getcpu
	# Namespace team-b names team-a's files: they are looked up in team-b's folder alone, and
	# the message is the same whether or not team-a has such a file.
	mapfile -t names < <(crio_names team-b web-1 app)
	run nman run --rm "${names[@]}" "$(trace_annotation "on;if:base.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	[ "$status" -ne 0 ]
	[[ "$output" == *"\`$PROFILES/team-b/base.json\`: No such file or directory"* ]]
	# The hook's own line: runc frames it in more or fewer words from one start to the next.
	local exists="${output#*oci-seccomp-recorder: error: }"
	exists=${exists%%: OCI runtime*}
	run nman run --rm "${names[@]}" "$(trace_annotation "on;if:other.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	output=${output#*oci-seccomp-recorder: error: }
	assert_equal "${output%%: OCI runtime*}" "${exists//base.json/other.json}"
	# A path, `..` or a hidden name is refused by the grammar.
	for bad in "/etc/shadow" "../team-a/base.json" "web-1/../../x" ".base.json"; do
		run nman run --rm "${names[@]}" "$(trace_annotation "on;if:$bad")" --rootfs "$ROOTFS" \
			/bin/probe getcpu
		[ "$status" -ne 0 ]
		[[ "$output" == *"if:"* ]]
	done
	[ ! -e "$PROFILES/team-b/web-1/app.json" ]
}

@test "a Kubernetes pod's annotation without --profile-dir or --allowed-dir is refused" {
	require_bpf
	require_podman
	local names
	mapfile -t names < <(crio_names team-a web-1 app)
	run pman run --rm "${names[@]}" "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	[ "$status" -ne 0 ]
	[[ "$output" == *"belongs to a Kubernetes pod"*"neither --profile-dir nor --allowed-dir"* ]]
	[ ! -e "$TMP/p.json" ]
	mapfile -t names < <(containerd_names team-a web-1 app)
	run pman run --rm "${names[@]}" "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	[ "$status" -ne 0 ]
	[ ! -e "$TMP/p.json" ]
	# podman's own io.kubernetes.cri-o.Created/TTY on every container say nothing of a pod.
	pman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" /bin/probe getcpu >/dev/null
	assert_allowed "$TMP/p.json" getcpu
}

@test "a pod's sandbox (pause) container is never recorded" {
	require_bpf
	require_podman
	local key
	for key in io.kubernetes.cri.container-type io.kubernetes.cri-o.ContainerType; do
		run pman run --rm "--annotation=$key=sandbox" "$(trace_annotation "of:$TMP/p.json")" \
			--rootfs "$ROOTFS" /bin/probe getcpu
		[ "$status" -eq 0 ]
		assert_equal "$output" "getcpu ok"
		[ ! -e "$TMP/p.json" ]
		grep -q "is a pod's sandbox (pause) container: it is never recorded" "$HOOK_LOG"
	done
}

@test "a namespace holds at most --max-per-namespace recordings at once; others are not held back" {
	require_bpf
	require_podman
	local a1 names
	node_hook_config --max-per-namespace 1
	mapfile -t names < <(crio_names team-a web-1 first)
	a1=$(nman run -d "${names[@]}" "$(trace_annotation on)" -v "$TMP:/shared" --rootfs "$ROOTFS" \
		/bin/probe getcpu wait:/shared/end)
	mapfile -t names < <(crio_names team-a web-2 second)
	run nman run --rm "${names[@]}" "$(trace_annotation on)" --rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -ne 0 ]
	[[ "$output" == *"namespace \`team-a\` already has 1 recordings running on this node, its limit (--max-per-namespace)"* ]]
	mapfile -t names < <(crio_names team-b web-2 second)
	nman run --rm "${names[@]}" "$(trace_annotation on)" --rootfs "$ROOTFS" /bin/probe getcpu >/dev/null
	assert_allowed "$PROFILES/team-b/web-2/second.json" getcpu
	touch "$TMP/end"
	podman wait "$a1" >/dev/null
	podman rm "$a1" >/dev/null
	assert_allowed "$PROFILES/team-a/web-1/first.json" getcpu
	# Its place is free again once the first recording ended.
	mapfile -t names < <(crio_names team-a web-2 second)
	nman run --rm "${names[@]}" "$(trace_annotation on)" --rootfs "$ROOTFS" /bin/probe sysinfo >/dev/null
	assert_allowed "$PROFILES/team-a/web-2/second.json" sysinfo
}

@test "an unrecorded sidecar sharing the recorded container's pid namespace stays out of its profile" {
	require_bpf
	require_podman
	local main
	main=$(pman run -d "$(trace_annotation "of:$TMP/main.json")" -v "$TMP:/shared" --rootfs "$ROOTFS" \
		/bin/probe getcpu touch:/shared/main-ready wait:/shared/main-end)
	for _ in $(seq 200); do [ -e "$TMP/main-ready" ] && break; sleep 0.05; done
	run podman run --rm --pid "container:$main" --rootfs "$ROOTFS" \
		/bin/probe sysinfo times uname
	[ "$status" -eq 0 ]
	touch "$TMP/main-end"
	podman wait "$main" >/dev/null
	podman rm "$main" >/dev/null
	assert_allowed "$TMP/main.json" getcpu
	refute_allowed "$TMP/main.json" sysinfo
	refute_allowed "$TMP/main.json" times
	refute_allowed "$TMP/main.json" uname
}

@test "a container's namespace numbers stay its own until its recording ends: the next one is recorded" {
	require_bpf
	require_podman
	local first i
	# The first container's tracer is held (stopped) after its container is gone, as a slow
	# base profile would hold it; the containers after it get fresh namespaces meanwhile.
	first=$(start_recorded "of:$TMP/first.json" "/bin/probe getcpu")
	STOPPED_TRACER=$(tracer_pid "$first")
	kill -STOP "$STOPPED_TRACER"
	podman rm -f -t 0 "$first" >/dev/null
	for i in 1 2 3 4 5; do
		run pman run --rm "$(trace_annotation "of:$TMP/next-$i.json")" --rootfs "$ROOTFS" \
			/bin/probe sysinfo
		if [ "$status" -ne 0 ]; then
			echo "container $i after the first was not recorded: $output" >&2
			return 1
		fi
		assert_allowed "$TMP/next-$i.json" sysinfo
		refute_allowed "$TMP/next-$i.json" getcpu
	done
	kill -CONT "$STOPPED_TRACER"
	for _ in $(seq 200); do [ -e "$TMP/first.json" ] && break; sleep 0.05; done
	STOPPED_TRACER=
	assert_allowed "$TMP/first.json" getcpu
	refute_allowed "$TMP/first.json" sysinfo
}

# The mount namespace numbers that the cells of a pinned namespace registry hold, one per line:
# of the registry (of this build or another) that holds $1.
registered_mnt_namespaces() {
	local map
	for map in $(find /sys/fs/bpf "$STATE_DIR/bpffs" /run/oci-seccomp-recorder/bpffs -maxdepth 2 \
		-path '*/oci-seccomp-recorder-*/namespaces' 2>/dev/null); do
		bpftool map dump pinned "$map" -j | python3 -c '
import json, struct, sys
inums = []
for entry in json.load(sys.stdin):
    raw = bytes(int(b, 16) for b in entry["value"])
    inums += [inum for inum, kind, _, _, _ in struct.iter_unpack("<IHHII", raw) if inum and kind == 2]
if int(sys.argv[1]) in inums:
    print("\n".join(map(str, inums)))
' "$1"
	done
}

@test "an ended recording empties its cells of the namespace registry; a running one keeps its own" {
	require_bpf
	require_podman
	local main done_ns main_ns
	main=$(pman run -d "$(trace_annotation "of:$TMP/main.json")" -v "$TMP:/shared" --rootfs "$ROOTFS" \
		/bin/sh -c 'readlink /proc/self/ns/mnt >/shared/main-ns; exec /bin/probe getcpu wait:/shared/main-end')
	for _ in $(seq 200); do [ -s "$TMP/main-ns" ] && break; sleep 0.05; done
	run pman run --rm "$(trace_annotation "of:$TMP/done.json")" -v "$TMP:/shared" --rootfs "$ROOTFS" \
		/bin/sh -c 'readlink /proc/self/ns/mnt >/shared/done-ns; exec /bin/probe sysinfo'
	[ "$status" -eq 0 ]
	assert_allowed "$TMP/done.json" sysinfo
	main_ns=$(tr -dc 0-9 <"$TMP/main-ns")
	done_ns=$(tr -dc 0-9 <"$TMP/done-ns")
	[ -n "$main_ns" ] && [ -n "$done_ns" ] && [ "$main_ns" != "$done_ns" ]
	run registered_mnt_namespaces "$main_ns"
	[ "$status" -eq 0 ]
	[[ " $(echo $output) " == *" $main_ns "* ]] || { echo "running $main_ns not registered" >&2; return 1; }
	[[ " $(echo $output) " != *" $done_ns "* ]] || { echo "ended $done_ns still registered" >&2; return 1; }
	touch "$TMP/main-end"
	podman wait "$main" >/dev/null
	for _ in $(seq 200); do [ -e "$TMP/main.json" ] && break; sleep 0.05; done
	assert_allowed "$TMP/main.json" getcpu
	refute_allowed "$TMP/main.json" sysinfo
}

@test "a /sys/fs/bpf that others can write is not used: nothing is unlinked through a planted link" {
	require_bpf
	local digest victim="$TMP/victim" name names
	names=$(pin_names)
	# The program's pin directory name, from a run on a safe private BPF filesystem.
	digest=$(unshare -m --propagation private sh -c '
		mount -t bpf -o mode=0700 bpffs /sys/fs/bpf &&
		"$1" record --log-level debug -o "$2/t.json" -- /bin/true 2>&1' sh "$RECORDER" "$TMP" |
		sed -n "s|.*pinned it in \`/sys/fs/bpf/oci-seccomp-recorder-\([0-9a-f]*\)\`.*|\1|p" | head -n 1)
	[ -n "$digest" ]
	mkdir -p "$victim"
	for name in $names; do
		echo keep >"$victim/$name"
	done
	# A user plants a link where the pin directory goes, on a bpffs mounted 1777.
	run unshare -m --propagation private sh -c '
		mount -t bpf -o mode=1777 bpffs /sys/fs/bpf &&
		ln -s "$3" "/sys/fs/bpf/oci-seccomp-recorder-$4" &&
		"$1" record -o "$2/p.json" -- /bin/true' sh "$RECORDER" "$TMP" "$victim" "$digest"
	[ "$status" -eq 0 ]
	assert_allowed "$TMP/p.json" execve
	for name in $names; do
		if [ "$(cat "$victim/$name" 2>/dev/null)" != keep ]; then
			echo "the file $victim/$name was removed or changed through the planted link" >&2
			return 1
		fi
	done
}

@test "prestart ends within --prestart-timeout whatever holds it up, and takes its tracer along" {
	require_bpf
	require_podman
	local lock start took
	# The lock file of this build's program, named by its digest.
	lock=$("$RECORDER" record --log-level debug -o "$TMP/t.json" -- /bin/true 2>&1 |
		sed -n "s|.*oci-seccomp-recorder-\([0-9a-f]\{16\}\)\`.*|/run/oci-seccomp-recorder/bpf-\1.lock|p" |
		head -n 1)
	[ -f "$lock" ]
	# Another tracer's setup, stuck: the byte of the setup lock held for a minute.
	python3 -c 'import fcntl, os, struct, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack("hh4xqqi4x", fcntl.F_WRLCK, 0, 256, 1, 0))
print("locked", flush=True)
time.sleep(60)' "$lock" >"$TMP/locker.out" &
	echo $! >"$TMP/locker.pid"
	for _ in $(seq 100); do grep -q locked "$TMP/locker.out" && break; sleep 0.05; done
	jq '.hook.args += ["--prestart-timeout", "2", "--attach-timeout", "60"]' \
		"$HOOKS_DIR/oci-seccomp-recorder.json" >"$NODE_HOOKS/oci-seccomp-recorder.json"
	start=$(date +%s%N)
	run nman run --rm "$(trace_annotation "of:$TMP/p.json")" --rootfs "$ROOTFS" /bin/probe getcpu
	took=$((($(date +%s%N) - start) / 1000000))
	kill "$(cat "$TMP/locker.pid")"
	[ "$status" -ne 0 ]
	[[ "$output" == *"prestart did not finish within its deadline (--prestart-timeout)"* ]]
	if [ "$took" -gt 15000 ]; then
		echo "podman run took $took ms with a prestart deadline of 2 s" >&2
		return 1
	fi
	[ ! -e "$TMP/p.json" ]
	run pgrep -f "oci-seccomp-recorder hook.*--prestart-timeout"
	if [ "$status" -eq 0 ]; then
		echo "the tracer of the timed-out prestart still runs: pid $output" >&2
		return 1
	fi
}

@test "a container whose init dies while the hook reads its namespaces is refused, not recorded" {
	require_bpf
	local pid state
	# The init of a container: in a mount namespace of its own, reaped by its parent at once.
	sh -c 'unshare -m --propagation private sleep 300 & echo $! >"$1"; wait' sh "$TMP/init.pid" &
	for _ in $(seq 100); do [ -s "$TMP/init.pid" ] && break; sleep 0.02; done
	pid=$(cat "$TMP/init.pid")
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] && break
		sleep 0.02
	done
	state=$(jq -nc --argjson pid "$pid" --arg of "of:$TMP/p.json" \
		'{ociVersion: "1.0.2", id: "dies", status: "creating", pid: $pid,
		  annotations: {"io.containers.trace-syscall": $of}}')
	# (ASan, in the sanitizer build, wants its runtime first: this preload is harmless to it.)
	run env LD_PRELOAD="$DIE_AFTER_NS" DIE_AFTER_NS_PID="$pid" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		"$RECORDER" hook --state-dir "$TMP/run" <<<"$state"
	kill "$pid" 2>/dev/null || true
	[ "$status" -ne 0 ]
	[[ "$output" == *"container pid $pid exited while its namespaces were read"* ]]
	[ ! -e "$TMP/run/dies.status" ]
	[ ! -e "$TMP/p.json" ]
}

@test "every refused start is in recordings.log: status --wait PATH says it failed, not the last run's ok" {
	require_bpf
	require_podman
	local names a1 out="$PROFILES/team-a/web-1/app.json"
	mapfile -t names < <(crio_names team-a web-1 app)
	nman run --rm "${names[@]}" "$(trace_annotation on)" --rootfs "$ROOTFS" /bin/probe getcpu >/dev/null
	run "$RECORDER" status --state-dir "$STATE_DIR" "$out"
	[ "$status" -eq 0 ]
	# A base the pod's folder does not have: refused at prestart, before any tracer.
	run nman run --rm "${names[@]}" "$(trace_annotation "on;if:missing.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	[ "$status" -ne 0 ]
	run "$RECORDER" status --wait --timeout 5 --state-dir "$STATE_DIR" "$out"
	[ "$status" -eq 1 ]
	[[ "$output" == *"failed"*"if:"*"missing.json"* ]]
	nman run --rm "${names[@]}" "$(trace_annotation on)" --rootfs "$ROOTFS" /bin/probe getcpu >/dev/null
	run "$RECORDER" status --state-dir "$STATE_DIR" "$out"
	[ "$status" -eq 0 ]
	# The namespace's limit.
	node_hook_config --max-per-namespace 1
	mapfile -t names < <(crio_names team-a web-9 first)
	a1=$(nman run -d "${names[@]}" "$(trace_annotation on)" -v "$TMP:/shared" --rootfs "$ROOTFS" \
		/bin/probe getcpu wait:/shared/end)
	mapfile -t names < <(crio_names team-a web-1 app)
	run nman run --rm "${names[@]}" "$(trace_annotation on)" --rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -ne 0 ]
	run "$RECORDER" status --wait --timeout 5 --state-dir "$STATE_DIR" "$out"
	[ "$status" -eq 1 ]
	[[ "$output" == *"its limit (--max-per-namespace)"* ]]
	touch "$TMP/end"
	podman wait "$a1" >/dev/null
	podman rm "$a1" >/dev/null
	# An `of:` the node refuses is logged under the path it named.
	run nman run --rm "${names[@]}" "$(trace_annotation "of:$TMP/asked.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	[ "$status" -ne 0 ]
	run "$RECORDER" status --state-dir "$STATE_DIR" "$TMP/asked.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"is refused on this node"* ]]
	[ ! -e "$TMP/asked.json" ]
}

@test "node mode: nerdctl/name names no file unless the node says nerdctl is its engine (--nerdctl-names)" {
	require_bpf
	require_podman
	local id victim
	# Another container's file: a podman user may write any annotation, nerdctl's too.
	victim=$(nman run -d "$(trace_annotation on)" --rootfs "$ROOTFS" /bin/probe uname)
	podman wait "$victim" >/dev/null
	podman rm "$victim" >/dev/null
	cp -p "$PROFILES/$victim.json" "$TMP/victim.orig"
	id=$(nman run -d "$(trace_annotation on)" --annotation "nerdctl/name=$victim" \
		--rootfs "$ROOTFS" /bin/probe getcpu)
	podman wait "$id" >/dev/null
	podman rm "$id" >/dev/null
	cmp "$PROFILES/$victim.json" "$TMP/victim.orig"
	assert_allowed "$PROFILES/$id.json" getcpu
	# Where nerdctl is the one engine, the admin names files after it.
	node_hook_config --nerdctl-names
	nman run --rm "$(trace_annotation on)" --annotation nerdctl/name=web --rootfs "$ROOTFS" \
		/bin/probe getcpu >/dev/null
	assert_allowed "$PROFILES/web.json" getcpu
}

@test "node mode: a spec with both CRI-O's and containerd's names is refused, whichever comes first" {
	require_bpf
	require_podman
	local crio containerd
	mapfile -t crio < <(crio_names victim-ns web-1 app)
	mapfile -t containerd < <(containerd_names team-a web-1 app)
	run nman run --rm "${containerd[@]}" "${crio[@]}" "$(trace_annotation on)" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	[ "$status" -ne 0 ]
	[[ "$output" == *"both CRI-O's (io.kubernetes.pod.*) and containerd's (io.kubernetes.cri.*) names"* ]]
	run nman run --rm "${crio[@]}" "$(trace_annotation on)" \
		--annotation io.kubernetes.cri.sandbox-namespace=team-a --rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -ne 0 ]
	[[ "$output" == *"both CRI-O's"* ]]
	[ -z "$(ls -A "$PROFILES")" ]
}

@test "node mode: recorded profiles expire (--retention-days, default 30) and a namespace keeps at most --max-profiles-per-namespace" {
	require_bpf
	require_podman
	local names
	mkdir -p -m 0700 "$PROFILES"/team-a/{old-pod,fresh-pod} "$PROFILES/team-b/old-pod"
	echo '{}' >"$PROFILES/team-a/old-pod/app.json"
	echo '{}' >"$PROFILES/team-a/old-pod/app.why.json"
	echo '{}' >"$PROFILES/team-a/fresh-pod/app.json"
	echo '{}' >"$PROFILES/team-a/base.json"
	echo '{}' >"$PROFILES/team-b/old-pod/app.json"
	touch -d '40 days ago' "$PROFILES"/team-a/old-pod/* "$PROFILES/team-a/base.json" \
		"$PROFILES/team-b/old-pod/app.json"
	touch -d '40 days ago' "$PROFILES/team-a/old-pod"
	# A recording in team-a: its expired recordings go, its bases and other namespaces stay.
	mapfile -t names < <(crio_names team-a web-1 app)
	nman run --rm "${names[@]}" "$(trace_annotation on)" --rootfs "$ROOTFS" /bin/probe getcpu >/dev/null
	assert_allowed "$PROFILES/team-a/web-1/app.json" getcpu
	[ ! -e "$PROFILES/team-a/old-pod/app.json" ]
	[ ! -e "$PROFILES/team-a/old-pod/app.why.json" ]
	[ ! -e "$PROFILES/team-a/old-pod" ]
	[ -e "$PROFILES/team-a/fresh-pod/app.json" ]
	[ -e "$PROFILES/team-a/base.json" ]
	[ -e "$PROFILES/team-b/old-pod/app.json" ]
	# A cap of 3: pods with ever new names push out the namespace's oldest recordings.
	node_hook_config --max-profiles-per-namespace 3 --retention-days 365
	touch -d '2 days ago' "$PROFILES/team-a/fresh-pod/app.json"
	touch -d '1 day ago' "$PROFILES/team-a/web-1/app.json"
	for pod in new-1 new-2; do
		mapfile -t names < <(crio_names team-a "$pod" app)
		nman run --rm "${names[@]}" "$(trace_annotation on)" --rootfs "$ROOTFS" \
			/bin/probe getcpu >/dev/null
	done
	assert_equal "$(cd "$PROFILES/team-a" && find . -name '*.json' -path './*/*' | sort | tr '\n' ' ')" \
		"./new-1/app.json ./new-2/app.json ./web-1/app.json "
	[ -e "$PROFILES/team-a/base.json" ]
	[ -e "$PROFILES/team-b/old-pod/app.json" ]
	# Outside Kubernetes, DIR's own recordings expire the same way.
	echo '{}' >"$PROFILES/gone.json"
	touch -d '400 days ago' "$PROFILES/gone.json"
	nman run --rm "$(trace_annotation on)" --rootfs "$ROOTFS" /bin/probe getcpu >/dev/null
	[ ! -e "$PROFILES/gone.json" ]
}
