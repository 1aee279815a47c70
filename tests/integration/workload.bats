#!/usr/bin/env bats
# Workload profiles (`on;workload:NAME`, node mode): every recording of a workload's container in
# its namespace (replicas, restarts, pods that ended) adds to DIR/NAMESPACE/NAME/CONTAINER.json,
# counted in CONTAINER.runs.json; the pod's own file is written too. Real podman + runc; the
# Kubernetes names are the annotations CRI-O puts in the spec.

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
	mkdir -p "$NODE_HOOKS" "$TMP/shared"
	jq --arg dir "$PROFILES" '.hook.args += ["--profile-dir", $dir]' \
		"$HOOKS_DIR/oci-seccomp-recorder.json" >"$NODE_HOOKS/oci-seccomp-recorder.json"
}

# Every container a test starts carries this label; its teardown removes those only.
LABEL=oci-seccomp-recorder-test=workload-$$

teardown() {
	local id
	for id in $(podman ps -aq --filter "label=$LABEL" 2>/dev/null); do
		podman rm -f -t 0 "$id" >/dev/null 2>&1 || true
	done
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
	return 0
}

# Run container $3 of pod $2 in namespace team-a, annotation $1, the probe's calls $4...
pod_run() {
	local annotation=$1 pod=$2 container=$3
	shift 3
	podman --hooks-dir "$NODE_HOOKS" run --rm --label "$LABEL" \
		--annotation=io.kubernetes.pod.namespace=team-a \
		--annotation=io.kubernetes.pod.name="$pod" \
		--annotation=io.kubernetes.container.name="$container" \
		"$(trace_annotation "$annotation")" --rootfs "$ROOTFS" /bin/probe "$@"
}

# The runs counted for call $2 in the counts file $1 (0 when it is not there).
runs_of() {
	jq -r --arg n "$2" '[.calls[] | select(.name == $n) | .runs][0] // 0' "$1"
}

status_of() {
	"$RECORDER" status --state-dir "$STATE_DIR" "$@"
}

@test "workload: replicas and a restart add to DIR/NAMESPACE/NAME/CONTAINER.json, counted per call" {
	require_bpf
	require_podman
	local union=$PROFILES/team-a/web/app.json runs=$PROFILES/team-a/web/app.runs.json
	pod_run "on;workload:web" web-6d9f-abcde app getcpu >/dev/null
	pod_run "on;workload:web" web-6d9f-fghij app sysinfo >/dev/null
	# The first pod's container restarted: its pod's file is its last run's, the union both.
	pod_run "on;workload:web" web-6d9f-abcde app uname >/dev/null
	assert_allowed "$PROFILES/team-a/web-6d9f-abcde/app.json" uname
	refute_allowed "$PROFILES/team-a/web-6d9f-abcde/app.json" getcpu
	assert_allowed "$PROFILES/team-a/web-6d9f-fghij/app.json" sysinfo
	for call in getcpu sysinfo uname execve; do assert_allowed "$union" "$call"; done
	refute_allowed "$union" times
	assert_equal "$(jq -r .runs "$runs")" 3
	assert_equal "$(runs_of "$runs" getcpu)/$(runs_of "$runs" sysinfo)/$(runs_of "$runs" uname)" 1/1/1
	assert_equal "$(runs_of "$runs" execve)" 3
	assert_equal "$(stat -c '%a %U' "$PROFILES/team-a/web")" "700 root"
	run "$RECORDER" coverage "$union"
	[ "$status" -eq 0 ]
	[[ "$output" == "3 runs added: "* ]]
	[[ "$output" == *"Rare paths: review them or record more runs (seen in 1 of 3 runs):"*"getcpu (SCMP_ARCH_X86_64)"* ]]
	run "$RECORDER" coverage --json "$union"
	assert_equal "$(jq -r .runs <<<"$output")" 3
	# The union starts the workload's container, and denies what no run made.
	run podman run --rm --label "$LABEL" --security-opt "seccomp=$union" --rootfs "$ROOTFS" \
		/bin/probe getcpu sysinfo uname times
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok\nuname ok\ntimes errno=1')"
	run status_of "$union"
	[ "$status" -eq 0 ]
}

@test "workload: 8 replicas ending together lose no call, and each call is counted once" {
	require_bpf
	require_podman
	local calls=(getcpu sysinfo uname times getpriority getrusage getpgrp getsid) i ids=()
	local runs=$PROFILES/team-a/batch/worker.runs.json
	for i in "${!calls[@]}"; do
		ids+=("$(podman --hooks-dir "$NODE_HOOKS" run -d --label "$LABEL" \
			--annotation=io.kubernetes.pod.namespace=team-a \
			--annotation=io.kubernetes.pod.name="batch-$i" \
			--annotation=io.kubernetes.container.name=worker \
			"$(trace_annotation "on;workload:batch")" -v "$TMP/shared:/shared" \
			--rootfs "$ROOTFS" /bin/probe "${calls[$i]}" touch:/shared/ready-$i wait:/shared/end)")
	done
	for _ in $(seq 500); do
		[ "$(find "$TMP/shared" -name 'ready-*' | wc -l)" -eq 8 ] && break
		sleep 0.02
	done
	touch "$TMP/shared/end"
	for i in "${!ids[@]}"; do
		assert_equal "$(podman wait "${ids[$i]}")" 0
	done
	for i in "${!ids[@]}"; do podman rm "${ids[$i]}" >/dev/null; done
	for i in "${!calls[@]}"; do
		run status_of --wait --timeout 20 "$PROFILES/team-a/batch-$i/worker.json"
		[ "$status" -eq 0 ] || { echo "replica $i: $output" >&2; return 1; }
	done
	for i in "${!calls[@]}"; do
		assert_allowed "$PROFILES/team-a/batch/worker.json" "${calls[$i]}"
		assert_equal "${calls[$i]}: $(runs_of "$runs" "${calls[$i]}")" "${calls[$i]}: 1"
	done
	assert_equal "$(jq -r .runs "$runs")" 8
	assert_equal "$(runs_of "$runs" execve)" 8
}

@test "workload: a bad name is refused in one line naming the annotation; nothing is written" {
	require_bpf
	require_podman
	local name
	for name in ../team-b .hidden a/b "" "-x" "$(printf 'w%.0s' $(seq 254))"; do
		run pod_run "on;workload:$name" web-1 app getcpu
		[ "$status" -ne 0 ] || { echo "workload:$name was accepted" >&2; return 1; }
		[[ "$output" == *"annotation io.containers.trace-syscall: \`workload:\` takes one name (1 to 253 of [A-Za-z0-9_.-], beginning with a letter or digit)"* ]] ||
			{ echo "workload:$name: $output" >&2; return 1; }
	done
	assert_equal "$(find "$PROFILES" -mindepth 1 | wc -l)" 0
}

@test "workload: refused with of:, outside Kubernetes, and when it is the pod's own name" {
	require_bpf
	require_podman
	run podman --hooks-dir "$NODE_HOOKS" run --rm --label "$LABEL" \
		"$(trace_annotation "on;workload:web")" --rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -ne 0 ]
	[[ "$output" == *"\`workload:web\` needs a Kubernetes pod (its namespace and container name)"* ]]
	run pman run --rm --label "$LABEL" "$(trace_annotation "of:$TMP/p.json;workload:web")" \
		--rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -ne 0 ]
	[[ "$output" == *"\`workload:\` adds to a workload's profile in the node's profile folder: it goes with \`on\`, not \`of:\`"* ]]
	run pod_run "on;workload:web-1" web-1 app getcpu
	[ "$status" -ne 0 ]
	[[ "$output" == *"\`workload:web-1\` is the name of the pod itself"* ]]
	assert_equal "$(find "$PROFILES" "$TMP" -name '*.json' -newer "$NODE_HOOKS/oci-seccomp-recorder.json" | grep -v node-hooks | wc -l)" 0
}

@test "workload: a start that fails before the workload's execve adds nothing to the union" {
	require_bpf
	require_podman
	local union=$PROFILES/team-a/web/app.json runs=$PROFILES/team-a/web/app.runs.json
	pod_run "on;workload:web" web-1 app getcpu >/dev/null
	cp -p "$union" "$TMP/union.json"
	cp -p "$runs" "$TMP/runs.json"
	jq '(.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names) |= map(select(. != "fstatfs"))' \
		"$union" >"$TMP/broken.json"
	run podman --hooks-dir "$NODE_HOOKS" run --rm --label "$LABEL" \
		--annotation=io.kubernetes.pod.namespace=team-a \
		--annotation=io.kubernetes.pod.name=web-2 \
		--annotation=io.kubernetes.container.name=app \
		--security-opt "seccomp=$TMP/broken.json" \
		"$(trace_annotation "on;workload:web")" --rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -ne 0 ]
	run status_of --wait --timeout 20 "$PROFILES/team-a/web-2/app.json"
	[ "$status" -eq 1 ]
	run status_of "$union"
	[ "$status" -eq 1 ]
	[[ "$output" == *"the workload was never executed"* ]]
	cmp "$TMP/union.json" "$union"
	cmp "$TMP/runs.json" "$runs"
	[ ! -e "$PROFILES/team-a/web-2/app.json" ]
}
