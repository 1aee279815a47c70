#!/bin/bash
# How the runtimes' own calls under the container's filter were measured (implicit_calls.c's
# unconfined sets): a bundle running a static program that only exits is recorded N times with a
# filter that allows everything (the recording starts at the runtime's seccomp call) and N times
# without linux.seccomp (it starts at the workload's execve), for each runtime and each
# noNewPrivileges (runc installs the filter at two places). What the first recordings hold and
# the second do not is what the runtime runs between its filter and the execve. Each such call
# is printed with the runs that made it and the first caller's comm (explain:on).
#
#   sudo sh -c 'flock /tmp/ocirec-host.lock bash tests/bench/runtime-calls.sh [BUILD [N]]'
set -euo pipefail
BUILD=$(realpath "${1:-build}")
N=${2:-8}
RECORDER=$BUILD/hook/oci-seccomp-recorder
PROBE=$BUILD/tests/probe
WORK=$(mktemp -d /tmp/osr-runtime-calls.XXXXXX)
NS_PID=
cleanup() {
	[ -n "$NS_PID" ] && kill "$NS_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/rootfs/bin" "$WORK/rootfs/proc" "$WORK/rootfs/dev" "$WORK/state"
cp "$PROBE" "$WORK/rootfs/bin/probe"

# crun 1.8 refuses hybrid cgroups: it runs in a mount namespace with a plain cgroup2 mount.
unshare -m --propagation private sh -c 'umount -R /sys/fs/cgroup &&
	mount -t cgroup2 none /sys/fs/cgroup && exec sleep infinity' </dev/null &
NS_PID=$!
sleep 0.5

runtime() {
	case "$1" in
	runc) shift; runc "$@" ;;
	crun) shift; nsenter -t "$NS_PID" -m crun --cgroup-manager=disabled "$@" ;;
	esac
}

# bundle DIR NNP FILTER(yes/no) ANNOTATION
bundle() {
	mkdir -p "$1"
	jq -n --arg rootfs "$WORK/rootfs" --arg rec "$RECORDER" --arg state "$WORK/state" \
		--argjson nnp "$2" --arg filter "$3" --arg annotation "$4" '
	{ path: $rec, args: ["oci-seccomp-recorder", "hook", "--state-dir", $state] } as $hook |
	["CAP_KILL", "CAP_SETUID", "CAP_SETGID"] as $caps | {
		ociVersion: "1.0.2",
		process: { terminal: false, user: { uid: 0, gid: 0 }, args: ["/bin/probe"],
			env: ["PATH=/bin"], cwd: "/", noNewPrivileges: $nnp,
			capabilities: { bounding: $caps, effective: $caps, permitted: $caps } },
		root: { path: $rootfs, readonly: false },
		mounts: [ { destination: "/proc", type: "proc", source: "proc" } ],
		hooks: { prestart: [$hook], poststop: [$hook] },
		annotations: { "io.containers.trace-syscall": $annotation },
		linux: ({ namespaces: [{ type: "mount" }, { type: "pid" }, { type: "ipc" },
			{ type: "uts" }, { type: "network" }] } +
			(if $filter == "yes" then { seccomp: { defaultAction: "SCMP_ACT_ALLOW",
				syscalls: [{ names: ["kexec_load"], action: "SCMP_ACT_ERRNO" }] } }
			 else {} end)) }' >"$1/config.json"
}

# The calls a recording saw (its why file): what it added unseen is left out.
seen() {
	jq -r '.calls[] | select(.first) | .name' "$1" | sort -u
}

for rt in runc crun; do
	for nnp in false true; do
		: >"$WORK/with" && : >"$WORK/without"
		for i in $(seq "$N"); do
			for filter in yes no; do
				dir=$WORK/b-$rt-$nnp-$filter-$i
				bundle "$dir" "$nnp" "$filter" "of:$dir/p.json;explain:on;fallbacks:off"
				runtime "$rt" run --bundle "$dir" "m-$rt-$nnp-$filter-$i" >/dev/null
				runtime "$rt" delete -f "m-$rt-$nnp-$filter-$i" >/dev/null 2>&1 || true
				seen "$dir/p.json.why.json" >"$dir/names"
			done
			cat "$WORK/b-$rt-$nnp-yes-$i/names" >>"$WORK/with"
			cat "$WORK/b-$rt-$nnp-no-$i/names" >>"$WORK/without"
		done
		echo "== $rt, noNewPrivileges $nnp: calls after the filter, before the execve" \
			"(runs of $N, first caller)"
		for name in $(sort -u "$WORK/with"); do
			grep -qx "$name" "$WORK/without" && continue
			runs=$(grep -cx "$name" "$WORK/with")
			comm=$(jq -r --arg n "$name" '[.calls[] | select(.name == $n) |
				.first.comm][0] // "?"' \
				"$WORK/b-$rt-$nnp-yes-1/p.json.why.json" 2>/dev/null || echo "?")
			printf '  %-16s %2d/%d  %s\n' "$name" "$runs" "$N" "$comm"
		done
	done
done
