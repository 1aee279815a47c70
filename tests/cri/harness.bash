# The CRI harness (loaded by tests/integration/cri.bats): a containerd of the test's own with its
# CRI plugin, the node install of deploy/kubernetes as shipped (paths substituted only), images
# built here, and the project's CRI client (tests/cri/cri.py) in the kubelet's place.
#
# containerd runs in private mount and network namespaces (unshare): its root, state, socket,
# runc root and shim sockets are in the file's temporary directory or under a /run that is an
# overlay in that namespace alone, and its pods use the node network of that namespace (lo
# only).
# Nothing of it shows on the host; teardown ends every process of that mount namespace.

CRI_DIR_SRC="$TESTS_DIR/cri"
CRI_PY=/usr/bin/python3
BUSYBOX_IMAGE=localhost/osr-cri-busybox:1
PAUSE_IMAGE=localhost/osr-cri-pause:1

# In CI (CI=true) a missing piece of the harness is a failure; elsewhere the test skips.
require_cri() {
	local why=""
	[ "$(id -u)" -eq 0 ] || why="needs root"
	[ -r /sys/kernel/btf/vmlinux ] || why="${why:+$why, }needs a kernel with BTF"
	if [ -z "$why" ] && [ ! -S "${CRI_SOCK:-/nonexistent}" ]; then
		# (|| true: under bats' errexit a failed substitution would end the test unexplained)
		why="the test's containerd is not running: $(cat "$BATS_FILE_TMPDIR/cri-setup.err" \
			2>/dev/null || true) $(tail -3 "${CRI_DIR:-/nonexistent}/containerd.log" 2>/dev/null || true)"
	fi
	[ -z "$why" ] && return 0
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but this test $why" >&2
		return 1
	fi
	skip "$why"
}

# What the harness needs on the machine, or why not (empty when all is there).
cri_missing() {
	local c why=""
	for c in containerd containerd-shim-runc-v2 ctr runc crun unshare nsenter jq; do
		command -v "$c" >/dev/null || why="${why:+$why, }no $c"
	done
	"$CRI_PY" -c 'import grpc, grpc_tools' 2>/dev/null ||
		why="${why:+$why, }no python3-grpcio/python3-grpc-tools for $CRI_PY"
	/bin/busybox true 2>/dev/null || why="${why:+$why, }no working /bin/busybox (busybox-static)"
	[ "$(id -u)" -eq 0 ] || why="${why:+$why, }not root"
	echo "$why"
}

# The project's CRI client against the test's containerd.
cri() {
	"$CRI_PY" "$CRI_DIR_SRC/cri.py" --socket "$CRI_SOCK" --state "$CRI_DIR/client" "$@"
}

ctr_cri() {
	ctr --address "$CRI_SOCK" -n k8s.io "$@"
}

# A command in containerd's namespaces (mount and network), as the node sees its files.
in_node() {
	nsenter -t "$CRI_NS_PID" -m -n "$@"
}

# The node install: deploy/kubernetes/install-node.sh into $CRI_DIR/node with the binary under
# test and the profiles in /profiles of that root, then every node path in what it wrote (the
# hooks.d config, the launcher) and in the shipped containerd handler substituted by the
# temporary one. The hook's config also gets a state dir and a log file of the test's.
# Handlers: `recorder` (runc, as shipped), `recorder-crun` (the same with crun as the real
# runtime) and `recorder-limit` (runc, its own hooks dir with --max-per-namespace 2).
cri_install_node() {
	local node="$CRI_DIR/node" shipped="$TESTS_DIR/../deploy/kubernetes/containerd/config.toml"
	mkdir -p "$node"
	sh "$TESTS_DIR/../deploy/kubernetes/install-node.sh" --root "$node" --binary "$RECORDER" \
		--profiles-dir /profiles --runc "$(command -v runc)" >/dev/null || return 1
	export CRI_PROFILES="$node/profiles" CRI_HOOK_LOG="$CRI_DIR/hook.log"
	export CRI_STATE_DIR="$CRI_DIR/hook-state"
	local hooks="$node/etc/containers/oci/hooks.d" bin="$node/opt/oci-seccomp-recorder/bin"
	local config="$hooks/oci-seccomp-recorder.json"
	jq --arg node "$node" --arg log "$CRI_HOOK_LOG" --arg state "$CRI_STATE_DIR" \
		'.hook.path = $node + .hook.path
		 | .hook.args |= map(if . == "/profiles" then $node + . else . end)
		 | .hook.args += ["--log-file", $log, "--log-level", "info", "--state-dir", $state]' \
		"$config" >"$config.new" && mv "$config.new" "$config" || return 1
	sed -i -e "s|'/opt/oci-seccomp-recorder/|'$node/opt/oci-seccomp-recorder/|" \
		-e "s|'/etc/containers/oci/hooks.d'|'$hooks'|" "$bin/runc-with-hooks" || return 1
	grep -q "'$hooks'" "$bin/runc-with-hooks" || {
		echo "the launcher install-node.sh wrote has no hooks dir to substitute" >&2
		return 1
	}
	# crun's launcher: the same with crun, which refuses this host's hybrid cgroups (runc
	# needs them for the pod's cpu shares): each crun call in a mount namespace of its own
	# whose /sys/fs/cgroup is cgroup2, without cgroups (none is delegated to it here).
	cat >"$bin/crun-no-cgroups" <<EOF
#!/bin/sh
exec unshare --mount --propagation private sh -c 'umount -R /sys/fs/cgroup &&
	mount -t cgroup2 none /sys/fs/cgroup && exec "\$0" --cgroup-manager=disabled "\$@"' \
	$(command -v crun) "\$@"
EOF
	chmod 0755 "$bin/crun-no-cgroups"
	sed "s|'$(command -v runc)'|'$bin/crun-no-cgroups'|" "$bin/runc-with-hooks" \
		>"$bin/crun-with-hooks"
	# The limited handler: its own hooks dir, the same hook with --max-per-namespace 2.
	mkdir -p "$node/limit-hooks.d"
	jq '.hook.args += ["--max-per-namespace", "2"]' "$config" \
		>"$node/limit-hooks.d/oci-seccomp-recorder.json"
	sed "s|'$hooks'|'$node/limit-hooks.d'|" "$bin/runc-with-hooks" >"$bin/runc-limit-with-hooks"
	chmod 0755 "$bin/crun-with-hooks" "$bin/runc-limit-with-hooks"
	# The shipped handler as it is, and its two variants, by name and launcher path only.
	local launcher=/opt/oci-seccomp-recorder/bin/runc-with-hooks
	grep -q "BinaryName = \"$launcher\"" "$shipped" || {
		echo "$shipped has no BinaryName \"$launcher\"" >&2
		return 1
	}
	{
		grep -v '^version = ' "$shipped" | sed "s|\"$launcher\"|\"$bin/runc-with-hooks\"|"
		grep -v '^version = \|^#' "$shipped" | sed -e "s|\"$launcher\"|\"$bin/crun-with-hooks\"|" \
			-e 's|runtimes\.recorder\([].]\)|runtimes.recorder-crun\1|'
		grep -v '^version = \|^#' "$shipped" |
			sed -e "s|\"$launcher\"|\"$bin/runc-limit-with-hooks\"|" \
				-e 's|runtimes\.recorder\([].]\)|runtimes.recorder-limit\1|'
	} >"$CRI_DIR/handlers.toml"
}

# The images: busybox-static with the probe, and the pause program, as docker archives.
cri_build_images() {
	local fs="$CRI_DIR/images/busybox"
	mkdir -p "$fs"/{bin,proc,sys,dev,etc,tmp,var} "$CRI_DIR/images/pause/bin"
	cp /bin/busybox "$fs/bin/busybox"
	chroot "$fs" /bin/busybox --install -s /bin
	cp "$PROBE64" "$fs/bin/probe"
	echo 'root:x:0:0:root:/:/bin/sh' >"$fs/etc/passwd"
	cp "$CRI_PAUSE" "$CRI_DIR/images/pause/bin/pause"
	"$CRI_PY" "$CRI_DIR_SRC/image.py" "$fs" "$BUSYBOX_IMAGE" "$CRI_DIR/images/busybox.tar" &&
		"$CRI_PY" "$CRI_DIR_SRC/image.py" "$CRI_DIR/images/pause" "$PAUSE_IMAGE" \
			"$CRI_DIR/images/pause.tar" /bin/pause
}

# Once per file: containerd in its namespaces, the images imported, the client compiled.
cri_setup_file() {
	export CRI_DIR="$BATS_FILE_TMPDIR/cri"
	export CRI_SOCK="$CRI_DIR/containerd.sock"
	local err="$BATS_FILE_TMPDIR/cri-setup.err" why
	mkdir -p "$CRI_DIR/client" "$CRI_DIR/cni" "$CRI_DIR/run-upper" "$CRI_DIR/run-work"
	why=$(cri_missing)
	if [ -n "$why" ]; then
		echo "$why" >"$err"
		return 0 # require_cri says why, in each test
	fi
	{ cri_install_node && cri_build_images; } 2>>"$err" || return 0
	sed -e "s|@DIR@|$CRI_DIR|g" -e "s|@PAUSE_IMAGE@|$PAUSE_IMAGE|" -e "s|@SNAPSHOTTER@|overlayfs|" \
		"$CRI_DIR_SRC/containerd.toml.in" >"$CRI_DIR/config.toml"
	cat "$CRI_DIR/handlers.toml" >>"$CRI_DIR/config.toml"
	# fd 3 closed: bats waits for whoever holds it open. --fork: containerd is pid 1 of no
	# pid namespace; the shell is replaced by containerd, whose pid is the namespace's holder.
	unshare --mount --net --propagation private sh -c '
		set -e
		mount -t overlay overlay -o "lowerdir=/run,upperdir=$0/run-upper,workdir=$0/run-work" /run
		ip link set lo up 2>/dev/null || true
		exec containerd --config "$0/config.toml"' "$CRI_DIR" \
		</dev/null >"$CRI_DIR/containerd.log" 2>&1 3>&- &
	export CRI_NS_PID=$!
	local i
	for i in $(seq 300); do
		[ -S "$CRI_SOCK" ] && cri version >/dev/null 2>&1 && break
		kill -0 "$CRI_NS_PID" 2>/dev/null || break
		sleep 0.05
	done
	if ! cri version >/dev/null 2>>"$err"; then
		echo "containerd did not answer on $CRI_SOCK" >>"$err"
		return 0
	fi
	ctr_cri images import "$CRI_DIR/images/busybox.tar" >/dev/null 2>>"$err" &&
		ctr_cri images import "$CRI_DIR/images/pause.tar" >/dev/null 2>>"$err" || {
		echo "ctr images import failed" >>"$err"
		cri_teardown_file
	}
}

# Once per file: every pod removed through CRI, then containerd and whatever is left in its
# mount namespace (shims, containers, tracers) ended.
cri_teardown_file() {
	[ -n "${CRI_NS_PID:-}" ] || return 0
	local pod
	for pod in "$CRI_DIR"/client/pods/*.pb; do
		[ -e "$pod" ] || continue
		pod=${pod##*/}
		cri pod-rm "${pod%.pb}" >/dev/null 2>&1 || true
	done
	local ns pid
	ns=$(readlink "/proc/$CRI_NS_PID/ns/mnt") || ns=
	kill "$CRI_NS_PID" 2>/dev/null || true
	wait "$CRI_NS_PID" 2>/dev/null || true
	if [ -n "$ns" ]; then
		for pid in /proc/[0-9]*; do
			[ "$(readlink "$pid/ns/mnt" 2>/dev/null)" = "$ns" ] && kill -9 "${pid#/proc/}" 2>/dev/null
		done
	fi
	unset CRI_NS_PID
	return 0
}
