#!/usr/bin/env bats
# Kubernetes on a real CRI: containerd 1.6's own CRI plugin, driven through CRI calls by the
# project's client in the kubelet's place (tests/cri), with the recorder handlers of
# deploy/kubernetes/containerd/config.toml as a node installs them (tests/cri/harness.bash):
# record, enforce as a Localhost profile, and the rules of node mode for pods.

bats_require_minimum_version 1.5.0
load helpers
load ../cri/harness

ANNOTATION=io.containers.trace-syscall

setup_file() {
	cri_setup_file
}

teardown_file() {
	cri_teardown_file
}

setup() {
	TMP=$(mktemp -d /tmp/osr-test.XXXXXX)
}

# Every pod of the test ended as the kubelet ends one (containers stopped, pod removed).
teardown() {
	local pod
	for pod in "${CRI_DIR:-/nonexistent}"/client/pods/*.pb; do
		[ -e "$pod" ] || continue
		pod=${pod##*/}
		cri pod-rm "${pod%.pb}" >/dev/null 2>&1 || true
	done
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
}

# A pod $3 in namespace $2 on handler $1 (`` is the node's plain runc), with the annotations
# that follow (KEY=VALUE); prints its id.
pod_on() {
	local handler=$1 ns=$2 name=$3 a=() kv
	shift 3
	for kv in "$@"; do a+=(--annotation "$kv"); done
	cri pod "$name" --namespace "$ns" --handler "$handler" "${a[@]}"
}

# Wait until the newest recording into profile $1 has ended; its status as the exit status.
recorded() {
	"$RECORDER" status --state-dir "$CRI_STATE_DIR" --wait --timeout 20 "$1"
}

# Container $2 of pod $1 runs the probe with calls $3... and Kubernetes' seccomp $SECCOMP;
# fails with the client's output when it does not exit 0 with one "CALL ok" per call.
probe_in() {
	local pod=$1 name=$2 out
	shift 2
	out=$(cri run "$pod" "$name" --image "$BUSYBOX_IMAGE" --seccomp "${SECCOMP:-unconfined}" \
		-- /bin/probe "$@" 2>&1) || {
		echo "container $name of pod $pod: exit $?: $out" >&2
		return 1
	}
	assert_equal "$out" "$(printf '%s ok\n' "$@")"
}

# The runtimes the enforcement cases run under: the handler that records, the one that
# enforces (the same: without the annotation its specs are not touched).
handler_of() {
	case $1 in
	runc) echo recorder ;;
	crun) echo recorder-crun ;;
	esac
}

# A recording under runtime $1 with Kubernetes' seccomp $2 gives a profile that, as the
# Localhost profile of the same pod, starts it under the same runtime, and a call the recording
# did not make (mkdir) fails with EPERM.
assert_recording_enforces() {
	local runtime=$1 seccomp=$2 handler pod profile out
	handler=$(handler_of "$runtime")
	pod=$(pod_on "$handler" enforce "$runtime-$seccomp" "$ANNOTATION=on")
	SECCOMP=$seccomp probe_in "$pod" app getcpu sysinfo
	profile="$CRI_PROFILES/enforce/$runtime-$seccomp/app.json"
	recorded "$profile"
	assert_allowed "$profile" getcpu
	refute_allowed "$profile" mkdir
	# The same pod, not recorded, with the profile as its Localhost profile.
	cri pod-rm "$pod"
	pod=$(pod_on "$handler" enforce "$runtime-$seccomp")
	run cri run "$pod" app --attempt 1 --image "$BUSYBOX_IMAGE" --seccomp "localhost:$profile" \
		-- /bin/probe getcpu sysinfo
	if [ "$status" -ne 0 ]; then
		echo "$runtime: the $seccomp recording does not start the pod as its Localhost" \
			"profile (exit $status): $output" >&2
		return 1
	fi
	assert_equal "$output" "$(printf 'getcpu ok\nsysinfo ok')"
	run cri run "$pod" app2 --image "$BUSYBOX_IMAGE" --seccomp "localhost:$profile" \
		-- /bin/probe getcpu mkdir:/tmp/d
	assert_equal "$output" "$(printf 'getcpu ok\nmkdir:/tmp/d errno=1')"
	assert_equal "$status" 1
}

@test "a recorded pod's container goes to DIR/NAMESPACE/POD/CONTAINER.json, its sandbox never, a pod without the annotation not at all" {
	require_cri
	local pod plain
	pod=$(pod_on recorder team-a web-1 "$ANNOTATION=on")
	probe_in "$pod" app getcpu
	recorded "$CRI_PROFILES/team-a/web-1/app.json"
	assert_allowed "$CRI_PROFILES/team-a/web-1/app.json" getcpu
	refute_allowed "$CRI_PROFILES/team-a/web-1/app.json" sysinfo
	assert_equal "$(stat -c '%a %U' "$CRI_PROFILES/team-a" "$CRI_PROFILES/team-a/web-1")" \
		"$(printf '700 root\n700 root')"
	# The pod's sandbox got the annotation too (pod_annotations) and was left alone.
	assert_equal "$(ls "$CRI_PROFILES/team-a/web-1")" app.json
	grep -q "is a pod's sandbox (pause) container: it is never recorded" "$CRI_HOOK_LOG"
	# A pod on the same handler without the annotation: no file, no recording.
	plain=$(pod_on recorder team-plain web-2)
	probe_in "$plain" app getcpu
	[ ! -e "$CRI_PROFILES/team-plain" ]
	run ! grep -q "$plain" "$CRI_HOOK_LOG"
}

@test "runc: an Unconfined recording (the Kubernetes default) starts the same pod as its Localhost profile; mkdir gets EPERM" {
	require_cri
	assert_recording_enforces runc unconfined
}

@test "runc: a RuntimeDefault recording starts the same pod as its Localhost profile; mkdir gets EPERM" {
	require_cri
	assert_recording_enforces runc runtime-default
}

@test "crun: an Unconfined recording starts the same pod as its Localhost profile; mkdir gets EPERM" {
	require_cri
	assert_recording_enforces crun unconfined
}

@test "crun: a RuntimeDefault recording starts the same pod as its Localhost profile; mkdir gets EPERM" {
	require_cri
	assert_recording_enforces crun runtime-default
}

@test "two containers of a recorded pod give two files, each with its own calls" {
	require_cri
	local pod
	pod=$(pod_on recorder team-a two "$ANNOTATION=on")
	probe_in "$pod" front getcpu
	probe_in "$pod" back sysinfo
	recorded "$CRI_PROFILES/team-a/two/front.json"
	recorded "$CRI_PROFILES/team-a/two/back.json"
	assert_allowed "$CRI_PROFILES/team-a/two/front.json" getcpu
	refute_allowed "$CRI_PROFILES/team-a/two/front.json" sysinfo
	assert_allowed "$CRI_PROFILES/team-a/two/back.json" sysinfo
	refute_allowed "$CRI_PROFILES/team-a/two/back.json" getcpu
}

@test "an init container, which runs and exits before the main one, gets its own file" {
	require_cri
	local pod
	pod=$(pod_on recorder team-a with-init "$ANNOTATION=on")
	probe_in "$pod" init-db times
	recorded "$CRI_PROFILES/team-a/with-init/init-db.json"
	cri create "$pod" main --image "$BUSYBOX_IMAGE" --seccomp unconfined \
		-- /bin/sh -c 'exec /bin/probe getcpu wait:/tmp/stop' >"$TMP/main"
	cri start "$(cat "$TMP/main")"
	# While the main container runs, the init container's file is complete and its own.
	assert_allowed "$CRI_PROFILES/team-a/with-init/init-db.json" times
	refute_allowed "$CRI_PROFILES/team-a/with-init/init-db.json" getcpu
	cri stop --timeout 5 "$(cat "$TMP/main")"
	recorded "$CRI_PROFILES/team-a/with-init/main.json"
	assert_allowed "$CRI_PROFILES/team-a/with-init/main.json" getcpu
	refute_allowed "$CRI_PROFILES/team-a/with-init/main.json" times
}

@test "a restarted container (attempt 1) is recorded again into the same file: the newest run's profile" {
	require_cri
	local pod profile="$CRI_PROFILES/team-a/restarts/app.json"
	pod=$(pod_on recorder team-a restarts "$ANNOTATION=on")
	probe_in "$pod" app getcpu
	recorded "$profile"
	assert_allowed "$profile" getcpu
	# The kubelet restarts it: the same name, the next attempt, in the same pod.
	cri run "$pod" app --attempt 1 --image "$BUSYBOX_IMAGE" --seccomp unconfined \
		-- /bin/probe sysinfo
	recorded "$profile"
	assert_allowed "$profile" sysinfo
	refute_allowed "$profile" getcpu
	[ "$(grep -c "wrote \`$profile\`" "$CRI_HOOK_LOG")" -eq 2 ]
}

@test "two namespaces cannot reach each other's folders" {
	require_cri
	local pod
	pod=$(pod_on recorder team-x base "$ANNOTATION=on")
	probe_in "$pod" app getcpu
	recorded "$CRI_PROFILES/team-x/base/app.json"
	# team-y names team-x's profile as its base: by `..`, by its own folder's name, by a path.
	local ann
	for ann in "on;if:../team-x/base/app.json" "on;if:base/app.json" \
		"on;if:$CRI_PROFILES/team-x/base/app.json" "on;of:$CRI_PROFILES/team-x/base/app.json"; do
		pod=$(pod_on recorder team-y "y-$RANDOM" "$ANNOTATION=$ann")
		run cri run "$pod" app --image "$BUSYBOX_IMAGE" --seccomp unconfined -- /bin/probe getcpu
		if [ "$status" -eq 0 ]; then
			echo "\`$ann\` in team-y started: $output" >&2
			return 1
		fi
		[[ "$output" == *"$ANNOTATION"* ]] || {
			echo "the refusal of \`$ann\` does not name the annotation: $output" >&2
			return 1
		}
	done
	[ ! -e "$CRI_PROFILES/team-y" ] || [ -z "$(find "$CRI_PROFILES/team-y" -type f)" ]
	assert_allowed "$CRI_PROFILES/team-x/base/app.json" getcpu
	refute_allowed "$CRI_PROFILES/team-x/base/app.json" sysinfo
}

@test "the per-namespace limit (--max-per-namespace 2) holds through CRI; another namespace is not held by it" {
	require_cri
	local pods=() n pod cid
	for n in 1 2; do
		pod=$(pod_on recorder-limit busy "busy-$n" "$ANNOTATION=on")
		cid=$(cri create "$pod" app --image "$BUSYBOX_IMAGE" --seccomp unconfined \
			-- /bin/probe getcpu wait:/tmp/never)
		cri start "$cid"
		pods+=("$cid")
	done
	pod=$(pod_on recorder-limit busy busy-3 "$ANNOTATION=on")
	run cri run "$pod" app --image "$BUSYBOX_IMAGE" --seccomp unconfined -- /bin/probe getcpu
	if [ "$status" -eq 0 ]; then
		echo "a third recording of namespace busy started past --max-per-namespace 2" >&2
		return 1
	fi
	[[ "$output" == *"max-per-namespace"* ]] || {
		echo "the refusal does not name the limit: $output" >&2
		return 1
	}
	[ ! -e "$CRI_PROFILES/busy/busy-3" ] || [ -z "$(ls "$CRI_PROFILES/busy/busy-3")" ]
	# Another namespace records meanwhile.
	pod=$(pod_on recorder-limit calm calm-1 "$ANNOTATION=on")
	probe_in "$pod" app getcpu
	recorded "$CRI_PROFILES/calm/calm-1/app.json"
	# One of the two ends: the namespace may record again.
	cri stop --timeout 5 "${pods[0]}"
	recorded "$CRI_PROFILES/busy/busy-1/app.json"
	pod=$(pod_on recorder-limit busy busy-4 "$ANNOTATION=on")
	probe_in "$pod" app getcpu
	recorded "$CRI_PROFILES/busy/busy-4/app.json"
}

@test "a failed start (runc dies under the profile before the workload's execve) keeps the good profile; status exits 1 with the reason" {
	require_cri
	local pod profile="$CRI_PROFILES/team-a/flaky/app.json"
	# The good recording under RuntimeDefault: runc's own calls after its filter are in it.
	pod=$(pod_on recorder team-a flaky "$ANNOTATION=on")
	SECCOMP=runtime-default probe_in "$pod" app getcpu
	recorded "$profile"
	assert_allowed "$profile" fstatfs
	cp -p "$profile" "$TMP/good.json"
	# The restart is still recorded, under a profile without fstatfs: runc installs it and
	# cannot close its fds before the execve.
	jq '(.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names) |= map(select(. != "fstatfs"))' \
		"$TMP/good.json" >"$TMP/broken.json"
	run cri run "$pod" app --attempt 1 --image "$BUSYBOX_IMAGE" --seccomp "localhost:$TMP/broken.json" \
		-- /bin/probe getcpu
	if [ "$status" -eq 0 ]; then
		echo "the restart started under the broken profile: $output" >&2
		return 1
	fi
	run recorded "$profile"
	[ "$status" -eq 1 ] || { echo "status exited $status, not 1: $output" >&2; return 1; }
	[[ "$output" == *"failed"*"the workload was never executed"*"\`$profile\` was left as it was"* ]] || {
		echo "status does not say why: $output" >&2
		return 1
	}
	cmp "$TMP/good.json" "$profile"
	assert_equal "$(find "${profile%/*}" -name '.*' -type f | wc -l)" 0
}

@test "the per-container key io.containers.trace-syscall/NAME records the container NAME alone" {
	require_cri
	local pod
	pod=$(pod_on recorder team-a keyed "$ANNOTATION/front=on")
	probe_in "$pod" front getcpu
	probe_in "$pod" back sysinfo
	run recorded "$CRI_PROFILES/team-a/keyed/front.json"
	[ "$status" -eq 0 ] || {
		echo "front (named by $ANNOTATION/front) was not recorded: status $status: $output" >&2
		return 1
	}
	assert_allowed "$CRI_PROFILES/team-a/keyed/front.json" getcpu
	assert_equal "$(ls "$CRI_PROFILES/team-a/keyed")" front.json
}

# The runs counted for call $2 in the counts file $1 (0 when it is not there).
runs_of() {
	jq -r --arg n "$2" '[.calls[] | select(.name == $n) | .runs][0] // 0' "$1"
}

@test "workload: 8 replicas ending together, each with a call of its own, merge into NAMESPACE/NAME/CONTAINER.json with no call lost; the union enforces" {
	require_cri
	local calls=(sysinfo uname times getpriority getrusage getpgrp getsid getresuid)
	local i pod cids=() union="$CRI_PROFILES/shop/web/app.json"
	mkdir -p "$TMP/shared"
	for i in "${!calls[@]}"; do
		pod=$(pod_on recorder shop "web-7f9c-$i" "$ANNOTATION=on;workload:web")
		cids+=("$(cri create "$pod" app --image "$BUSYBOX_IMAGE" --seccomp unconfined \
			--mount "$TMP/shared:/shared" \
			-- /bin/probe getcpu "${calls[$i]}" "touch:/shared/ready-$i" wait:/shared/end)")
		cri start "${cids[$i]}"
	done
	for _ in $(seq 500); do
		[ "$(find "$TMP/shared" -name 'ready-*' | wc -l)" -eq 8 ] && break
		sleep 0.02
	done
	assert_equal "$(find "$TMP/shared" -name 'ready-*' | wc -l)" 8
	# All eight end at once.
	touch "$TMP/shared/end"
	for i in "${!cids[@]}"; do
		assert_equal "$(cri wait "${cids[$i]}")" 0
	done
	for i in "${!calls[@]}"; do
		run recorded "$CRI_PROFILES/shop/web-7f9c-$i/app.json"
		[ "$status" -eq 0 ] || { echo "replica $i: $output" >&2; return 1; }
	done
	recorded "$union"
	for i in "${!calls[@]}"; do
		assert_allowed "$union" "${calls[$i]}"
		assert_equal "${calls[$i]}: $(runs_of "${union%.json}.runs.json" "${calls[$i]}")" \
			"${calls[$i]}: 1"
	done
	assert_equal "$(jq -r .runs "${union%.json}.runs.json")" 8
	assert_equal "$(runs_of "${union%.json}.runs.json" getcpu)" 8
	# The union is the workload's Localhost profile: a new replica makes every call, not mkdir.
	pod=$(pod_on recorder shop web-7f9c-new)
	run cri run "$pod" app --image "$BUSYBOX_IMAGE" --seccomp "localhost:$union" \
		-- /bin/probe getcpu "${calls[@]}" mkdir:/tmp/d
	assert_equal "$output" "$(printf '%s ok\n' getcpu "${calls[@]}")$(printf '\nmkdir:/tmp/d errno=1')"
}

@test "workload: a restarted container (attempt 1) adds to the union; its pod's file is its last run's" {
	require_cri
	local pod union="$CRI_PROFILES/shop/api/app.json"
	pod=$(pod_on recorder shop api-5b8d-0 "$ANNOTATION=on;workload:api")
	probe_in "$pod" app getcpu
	recorded "$CRI_PROFILES/shop/api-5b8d-0/app.json"
	cri run "$pod" app --attempt 1 --image "$BUSYBOX_IMAGE" --seccomp unconfined \
		-- /bin/probe sysinfo
	recorded "$CRI_PROFILES/shop/api-5b8d-0/app.json"
	recorded "$union"
	refute_allowed "$CRI_PROFILES/shop/api-5b8d-0/app.json" getcpu
	assert_allowed "$union" getcpu
	assert_allowed "$union" sysinfo
	assert_equal "$(jq -r .runs "${union%.json}.runs.json")" 2
}

@test "workload: a bad name is refused with one line naming the annotation; nothing is written" {
	require_cri
	local name pod
	for name in ../team-b .hidden a/b ""; do
		pod=$(pod_on recorder shop "bad-$RANDOM" "$ANNOTATION=on;workload:$name")
		run cri run "$pod" app --image "$BUSYBOX_IMAGE" --seccomp unconfined -- /bin/probe getcpu
		[ "$status" -ne 0 ] || { echo "workload:$name was accepted: $output" >&2; return 1; }
		[[ "$output" == *"annotation $ANNOTATION: \`workload:\` takes one name"* ]] || {
			echo "workload:$name: the refusal does not name the annotation: $output" >&2
			return 1
		}
		assert_equal "$(printf '%s\n' "$output" | wc -l)" 1
	done
	[ -z "$(find "$CRI_PROFILES" -path '*/bad-*' -type f)" ]
	[ ! -e "$CRI_PROFILES/team-b" ]
}
