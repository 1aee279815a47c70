# Shared by the integration suites: temporary dirs, profile queries, the CI skip policy.

setup() {
	TMP=$(mktemp -d /tmp/osr-test.XXXXXX)
}

teardown() {
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
}

# In CI (CI=true, root, BTF) every test must run: a missing prerequisite is a failure there.
require_bpf() {
	local why=""
	[ "$(id -u)" -eq 0 ] || why="needs root"
	[ -r /sys/kernel/btf/vmlinux ] || why="${why:+$why, }needs a kernel with BTF"
	[ -z "$why" ] && return 0
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but this test $why" >&2
		return 1
	fi
	skip "$why"
}

# The file names this build pins its shared BPF program under, one a line, from the table of
# hook/trace/bpf_objects.h. Fails when none come: a loop over them must not pass by not running.
pin_names() {
	local names
	names=$("${BPF_PIN_NAMES:?is not set: run the suite with meson test}") || return 1
	if [ -z "$names" ]; then
		echo "$BPF_PIN_NAMES printed no pin names" >&2
		return 1
	fi
	echo "$names"
}

# Whether this kernel runs 32-bit code. Some do not (ia32 emulation off, as on PVM guests): the
# exec of a 32-bit ELF fails with ENOEXEC. A fact of the kernel, checked, never assumed; the
# 32-bit tests then check that the refusal is reported instead (no test skips for it).
kernel_runs_ia32() {
	local out
	out=$("$PROBE32" getppid 2>&1) && return 0
	case "$out" in
	*"Exec format error"* | *"cannot execute binary file"*)
		echo "# this kernel runs no 32-bit code: checking that the refusal is reported" >&3
		return 1 ;;
	esac
	echo "the 32-bit probe failed in an unexpected way: $out" >&2
	exit 1
}

# The allowed names of a profile, one per line, in file order.
allowed_names() {
	jq -r '.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | (.names // [])[]' "$1"
}

# Eight runs of one recorded container, by the podman command $1 (pman, a runtime's wrapper),
# give one profile: the runtime's own threads and timing stay out of it. $RUNTIME, when set,
# names the runtime in the message.
assert_same_profile_each_run() {
	local n
	for n in $(seq 8); do
		"$1" run --rm "$(trace_annotation "of:$TMP/p$n.json")" --rootfs "$ROOTFS" \
			/bin/probe getcpu >/dev/null
	done
	for n in $(seq 2 8); do
		if ! cmp -s "$TMP/p1.json" "$TMP/p$n.json"; then
			echo "${RUNTIME:+$RUNTIME: }run $n differs from run 1 (< 1, > $n):" \
				"$(diff <(allowed_names "$TMP/p1.json") <(allowed_names "$TMP/p$n.json") |
					grep '^[<>]')" >&2
			return 1
		fi
	done
	# The Go netpoller of runc init's other threads (no filter, gone at the execve).
	refute_allowed "$TMP/p1.json" epoll_pwait
	assert_allowed "$TMP/p1.json" getcpu
}

# Fail with what was expected and what came.
assert_allowed() {
	if ! allowed_names "$1" | grep -qx "$2"; then
		echo "expected $2 to be allowed by $1; allowed: $(allowed_names "$1" | tr '\n' ' ')" >&2
		return 1
	fi
}

refute_allowed() {
	if allowed_names "$1" | grep -qx "$2"; then
		echo "expected $2 NOT to be allowed by $1, but it is" >&2
		return 1
	fi
}

assert_equal() {
	if [ "$1" != "$2" ]; then
		printf 'expected: %s\n     got: %s\n' "$2" "$1" >&2
		return 1
	fi
}

# --- podman -----------------------------------------------------------------------------------
# podman runs here with runc and no default ulimits, from a private config; /etc is not touched.

require_podman() {
	if command -v podman >/dev/null && command -v runc >/dev/null && [ -x /bin/busybox ]; then
		return 0
	fi
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but podman, runc or busybox-static is missing" >&2
		return 1
	fi
	skip "needs podman, runc and busybox-static"
}

# Once per file: a rootfs of busybox and the probes, a containers.conf, and a hooks dir whose
# config points at the binary under test.
podman_setup_file() {
	export ROOTFS="$BATS_FILE_TMPDIR/rootfs"
	export HOOKS_DIR="$BATS_FILE_TMPDIR/hooks.d"
	export HOOK_LOG="$BATS_FILE_TMPDIR/hook.log"
	export STATE_DIR="$BATS_FILE_TMPDIR/run"
	export CONTAINERS_CONF="$BATS_FILE_TMPDIR/containers.conf"
	mkdir -p "$ROOTFS"/{bin,proc,sys,dev,etc,tmp} "$HOOKS_DIR"
	cp /bin/busybox "$ROOTFS/bin/busybox"
	chroot "$ROOTFS" /bin/busybox --install -s /bin
	cp "$PROBE64" "$ROOTFS/bin/probe"
	cp "$PROBE32" "$ROOTFS/bin/probe32"
	printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' >"$CONTAINERS_CONF"
	write_hook_config "$HOOKS_DIR/oci-seccomp-recorder.json"
}

# The teardown of a podman suite: its containers removed, the test's directory too.
podman_teardown() {
	podman rm -af -t 0 >/dev/null 2>&1 || true
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
	return 0
}

# The installed config with the binary under test and a log file and state dir of the test's.
write_hook_config() {
	jq --arg path "$RECORDER" --arg log "$HOOK_LOG" --arg state "$STATE_DIR" \
		'.hook.path = $path | .hook.args += ["--log-file", $log, "--log-level", "info",
		 "--state-dir", $state]' "$BUILD_DIR/hooks.d/oci-seccomp-recorder.json" >"$1"
}

# podman with the test's hooks; `--annotation`s go before --rootfs.
pman() {
	podman --hooks-dir "$HOOKS_DIR" "$@"
}

trace_annotation() {
	echo "--annotation=io.containers.trace-syscall=$1"
}

# Start a recorded container (annotation $1) that runs the shell command $2, then sleeps; print
# its id once $2 is done.
start_recorded() {
	local id
	id=$(pman run -d "$(trace_annotation "$1")" --rootfs "$ROOTFS" \
		/bin/sh -c "${2:-:}; touch /tmp/ready; exec sleep 600")
	for _ in $(seq 500); do
		podman exec "$id" test -e /tmp/ready && { echo "$id"; return 0; }
		sleep 0.02
	done
	echo "container $id did not get ready" >&2
	return 1
}

# The pid of the tracer of container $1: the process holding its state file open.
tracer_pid() {
	local fd
	for fd in /proc/[0-9]*/fd/*; do
		if [ "$(readlink "$fd" 2>/dev/null)" = "$STATE_DIR/$1.status" ]; then
			fd=${fd#/proc/}
			echo "${fd%%/*}"
			return 0
		fi
	done
	return 1
}

# --- crun -------------------------------------------------------------------------------------
# crun 1.8 refuses this host's hybrid cgroups. It runs in a private mount namespace whose
# /sys/fs/cgroup is a plain cgroup2 mount, with cgroups disabled (containers-crun.conf). One
# process holds that namespace for a whole test file, and every crun podman call enters it, so
# that `podman exec`, `--pid=container:X`, stop and rm see the mounts `podman run` made.

require_crun() {
	local why=""
	command -v crun >/dev/null || why="needs crun"
	command -v nsenter >/dev/null && command -v unshare >/dev/null ||
		why="${why:+$why, }needs nsenter and unshare (util-linux)"
	if [ -z "$why" ] && ! crun_namespace_ready; then
		why="the private mount namespace for crun is not ready: $(cat "$BATS_FILE_TMPDIR/crun-ns.err" 2>/dev/null)"
	fi
	[ -z "$why" ] && return 0
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but this test $why" >&2
		return 1
	fi
	skip "$why"
}

crun_namespace_ready() {
	[ -n "${CRUN_NS_PID:-}" ] && kill -0 "$CRUN_NS_PID" 2>/dev/null &&
		[ "$(nsenter -t "$CRUN_NS_PID" -m stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]
}

# Once per file, after podman_setup_file: crun's containers.conf and the namespace's holder. It
# does nothing without crun: require_crun then says why in each crun test.
crun_setup_file() {
	export CRUN_CONTAINERS_CONF="$BATS_FILE_TMPDIR/containers-crun.conf"
	printf '[containers]\ndefault_ulimits = []\ncgroups = "disabled"\n[engine]\nruntime = "crun"\n' \
		>"$CRUN_CONTAINERS_CONF"
	command -v crun >/dev/null && command -v nsenter >/dev/null || return 0
	# A copy of crun on a tmpfs of the namespace: crun then runs from a memfd copy of itself
	# (CVE-2019-5736), as it does where its binary is on a writable root (the kernel matrix's
	# guests); its init is named after the memfd or a descriptor number, not crun.
	export CRUN_MEMFD_DIR="$BATS_FILE_TMPDIR/crun-tmpfs"
	export CRUN_MEMFD_CONTAINERS_CONF="$BATS_FILE_TMPDIR/containers-crun-memfd.conf"
	mkdir -p "$CRUN_MEMFD_DIR"
	{ cat "$CRUN_CONTAINERS_CONF"; printf '[engine.runtimes]\ncrun = ["%s"]\n' "$CRUN_MEMFD_DIR/crun"; } \
		>"$CRUN_MEMFD_CONTAINERS_CONF"
	# fd 3 closed: bats waits for whoever holds it open.
	unshare -m --propagation private sh -c 'umount -R /sys/fs/cgroup &&
		mount -t cgroup2 none /sys/fs/cgroup && mount -t tmpfs tmpfs "$1" &&
		cp "$(command -v crun)" "$1/crun" && exec sleep infinity' sh "$CRUN_MEMFD_DIR" \
		</dev/null >/dev/null 2>"$BATS_FILE_TMPDIR/crun-ns.err" 3>&- &
	export CRUN_NS_PID=$!
	for _ in $(seq 250); do
		crun_namespace_ready && return 0
		kill -0 "$CRUN_NS_PID" 2>/dev/null || return 0
		sleep 0.02
	done
}

# Once per file: the namespace's holder ended (each test removes its own containers first).
crun_teardown_file() {
	[ -n "${CRUN_NS_PID:-}" ] || return 0
	kill "$CRUN_NS_PID" 2>/dev/null || true
	wait "$CRUN_NS_PID" 2>/dev/null || true
	return 0
}

# podman with crun, in the namespace crun_setup_file made.
crun_podman() {
	CONTAINERS_CONF="$CRUN_CONTAINERS_CONF" nsenter -t "$CRUN_NS_PID" -m podman "$@"
}

# podman with runtime $1 (runc or crun), the same arguments otherwise.
podman_on() {
	local runtime=$1
	shift
	case "$runtime" in
	runc) podman "$@" ;;
	crun) crun_podman "$@" ;;
	*) echo "podman_on: unknown runtime \`$runtime\`" >&2; return 2 ;;
	esac
}

# The OCI runtime $1 itself, for a container started from a bundle without podman: runc, or
# crun in the namespace crun_setup_file made, without cgroups.
runtime_on() {
	local runtime=$1
	shift
	case "$runtime" in
	runc) runc "$@" ;;
	crun) nsenter -t "$CRUN_NS_PID" -m crun --cgroup-manager=disabled "$@" ;;
	*) echo "runtime_on: unknown runtime \`$runtime\`" >&2; return 2 ;;
	esac
}

# What a test of runtime $1 needs: BPF, podman, and crun when $1 is crun.
require_runtime() {
	require_bpf || return 1
	require_podman || return 1
	if [ "$1" = crun ]; then require_crun || return 1; fi
	return 0
}
