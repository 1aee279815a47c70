# The guest's second stage (run by busybox sh as pid 1): the kernel file systems, then each
# assertion, one machine-readable line per assertion on the console, then power off.
#   OSR-BOOTED <guest> <seconds since the kernel started>
#   OSR-RESULT <guest> <assertion> ok|FAIL [why]
#   OSR-CALLS <guest> <assertion> <calls recorded> <names the recorded profile allows>
#   OSR-DONE <guest> <seconds the assertions took>
# /osr/env names the guest (GUEST), the binary under test (RECORDER), the profile architecture
# (SCMP_ARCH) and whether a 32-bit probe runs here (IA32).
# busybox's tools come last in PATH: the tree's own (from the packages) go first.
mkdir -p /osr/busybox
/bin/busybox --install -s /osr/busybox
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:/osr/busybox HOME=/root
. /osr/env

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t bpf -o mode=0700 bpf /sys/fs/bpf
mount -t tracefs tracefs /sys/kernel/tracing
mount -t cgroup2 cgroup2 /sys/fs/cgroup
exec </dev/null >/dev/console 2>&1
# A line of its own: the firmware leaves escape sequences on the console's current line.
echo
echo "OSR-BOOTED $GUEST $(cut -d' ' -f1 /proc/uptime)"
started=$(cut -d' ' -f1 /proc/uptime)
touch /etc/hosts /etc/resolv.conf
echo "root:x:0:0:root:/root:/bin/sh" >/etc/passwd
echo "root:x:0:" >/etc/group
mkdir -p /root

fail() {
	echo "$*" >>/tmp/why
	return 1
}

# The names profile $1 allows by name or by argument, sorted, one a line.
allowed() {
	jq -r '.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]' "$1" | sort -u
}

expect_allowed() {
	allowed "$1" | grep -qx "$2" || fail "$2 is not allowed by $1: $(allowed "$1" | tr '\n' ' ')"
}

refute_allowed() {
	! allowed "$1" | grep -qx "$2" || fail "$2 is allowed by $1, though never called"
}

# Output $1 must hold line $2.
expect_line() {
	grep -qx "$2" "$1" || fail "expected the line \`$2\` in $1, got: $(tr '\n' '|' <"$1")"
}

# The counts of assertion $1: the calls the recorder saw (its summary in $3) and the names
# profile $2 allows.
calls() {
	recorded=$(grep -o 'recorded [0-9]* calls\|[0-9]* calls recorded' "$3" | tail -n 1 |
		tr -dc 0-9)
	echo "OSR-CALLS $GUEST $1 ${recorded:-none} $(allowed "$2" | wc -l)"
}

# The profile is written for this kernel's architecture.
expect_arch() {
	jq -e --arg a "$2" '.architectures | index($a)' "$1" >/dev/null ||
		fail "$1 is not for $2: $(jq -c .architectures "$1")"
}

# The hook told the runtime it ran under (its log: the hooks.d file of the guest adds one).
expect_runtime() {
	grep -q "attached to pid .*, runtime $1)" /tmp/hook.log ||
		fail "the hook did not log runtime $1: $(grep 'attached' /tmp/hook.log)"
}

# A container's root: busybox and the probe.
mkdir -p /ctr/bin /ctr/proc /ctr/sys /ctr/dev /ctr/tmp /ctr/etc
cp /bin/busybox /ctr/bin/busybox
for tool in sh touch cat true; do ln -s busybox "/ctr/bin/$tool"; done
cp /osr/probe /ctr/bin/probe

t_record() {
	"$RECORDER" record -o /tmp/record.json -- /osr/probe getcpu sysinfo >/tmp/rec.out 2>&1 ||
		fail "record failed: $(tr '\n' '|' </tmp/rec.out)" || return 1
	expect_line /tmp/rec.out "getcpu ok" && expect_allowed /tmp/record.json getcpu &&
		expect_allowed /tmp/record.json sysinfo && expect_allowed /tmp/record.json execve &&
		refute_allowed /tmp/record.json getpriority &&
		expect_arch /tmp/record.json "$SCMP_ARCH" && calls record /tmp/record.json /tmp/rec.out
}

t_enforce() {
	"$RECORDER" record -o /tmp/enforce.json -- /osr/probe getcpu >/tmp/rec.out 2>&1 ||
		fail "record failed: $(tr '\n' '|' </tmp/rec.out)" || return 1
	refute_allowed /tmp/enforce.json sysinfo || return 1
	# The probe exits 1 when a call failed.
	"$RECORDER" run --enforce -p /tmp/enforce.json -- /osr/probe getcpu sysinfo >/tmp/out 2>&1
	status=$?
	[ $status -eq 1 ] ||
		fail "run --enforce exited $status, not 1: $(tr '\n' '|' </tmp/out)" || return 1
	expect_line /tmp/out "getcpu ok" && expect_line /tmp/out "sysinfo errno=1" &&
		calls enforce /tmp/enforce.json /tmp/rec.out
}

# socket(AF_UNIX) recorded: the profile allows socket for family 1 only.
t_args() {
	"$RECORDER" record --args -o /tmp/args.json -- /osr/probe socket:1 >/tmp/rec.out 2>&1 ||
		fail "record --args failed: $(tr '\n' '|' </tmp/rec.out)" || return 1
	values=$(jq -r '.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and
		(.names | index("socket"))) | [.args[]? | "\(.index):\(.op):\(.value)"] | join(",")' \
		/tmp/args.json)
	[ "$values" = "0:SCMP_CMP_EQ:1" ] ||
		fail "socket's rule in /tmp/args.json is \`$values\`, not 0:SCMP_CMP_EQ:1" || return 1
	"$RECORDER" run --enforce -p /tmp/args.json -- /osr/probe socket:1 socket:2 >/tmp/out 2>&1
	expect_line /tmp/out "socket:1 ok" && expect_line /tmp/out "socket:2 errno=1" &&
		calls args /tmp/args.json /tmp/rec.out
}

# An OCI bundle in $1 running /bin/probe $3... ; $2 is jq that edits the config.
make_bundle() {
	dir=$1 edit=$2
	shift 2
	mkdir -p "$dir"
	jq -n --arg rootfs /ctr '{
		ociVersion: "1.0.2",
		process: { terminal: false, user: { uid: 0, gid: 0 },
			args: (["/bin/probe"] + $ARGS.positional), env: ["PATH=/bin"], cwd: "/" },
		root: { path: $rootfs, readonly: false },
		mounts: [ { destination: "/proc", type: "proc", source: "proc" },
			{ destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid"] } ],
		linux: { namespaces: [{ type: "mount" }, { type: "pid" }, { type: "ipc" },
			{ type: "uts" }, { type: "network" }] } } | '"$edit" --args "$@" \
		>"$dir/config.json"
}

# Recorded as a runtime's caller has it (podman and CRI-O always pass a filter): runc installs
# it and runs its last steps under it, and the recording holds those; then enforced by runc.
t_runc_hook() {
	make_bundle /tmp/runc-record '.hooks = { prestart: [$hook[0].hook],
		poststop: [$hook[0].hook] } | .annotations = {
		"io.containers.trace-syscall": "of:/tmp/runc.json" } |
		.linux.seccomp = { defaultAction: "SCMP_ACT_ALLOW",
			syscalls: [{ names: ["kexec_load"], action: "SCMP_ACT_ERRNO" }] }' \
		getcpu getpriority \
		--slurpfile hook "$HOOKS_DIR/oci-seccomp-recorder.json" 2>/tmp/out ||
		fail "the bundle: $(cat /tmp/out)" || return 1
	runc run --bundle /tmp/runc-record runc-record >/tmp/out 2>&1 ||
		fail "runc run with the hook failed: $(tr '\n' '|' </tmp/out)" || return 1
	expect_runtime runc || return 1
	expect_line /tmp/out "getpriority ok" && expect_allowed /tmp/runc.json getcpu &&
		expect_allowed /tmp/runc.json getpriority && refute_allowed /tmp/runc.json sysinfo &&
		expect_arch /tmp/runc.json "$SCMP_ARCH" || return 1
	make_bundle /tmp/runc-enforce '.linux.seccomp = $profile[0]' getcpu getpriority sysinfo \
		--slurpfile profile /tmp/runc.json
	runc run --bundle /tmp/runc-enforce runc-enforce >/tmp/out 2>&1
	status=$?
	[ $status -eq 1 ] ||
		fail "runc under the profile exited $status, not 1: $(tr '\n' '|' </tmp/out)" || return 1
	expect_line /tmp/out "getpriority ok" && expect_line /tmp/out "sysinfo errno=1" &&
		calls runc_hook /tmp/runc.json /tmp/hook.log
}

# podman as the tests on the host run it (tests/integration/helpers.bash), with crun and the
# hooks dir; cgroups by cgroupfs, as there is no systemd here.
podman_crun() {
	podman --storage-driver vfs --root /var/lib/containers/storage \
		--runroot /run/containers/storage --cgroup-manager cgroupfs --events-backend file \
		--hooks-dir "$HOOKS_DIR" "$@"
}

t_podman_crun() {
	printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "crun"\n' >/tmp/containers.conf
	export CONTAINERS_CONF=/tmp/containers.conf
	podman_crun run --rm --network none \
		--annotation io.containers.trace-syscall=of:/tmp/podman.json \
		--rootfs /ctr /bin/probe getcpu getpriority >/tmp/out 2>&1 ||
		fail "podman run with the hook failed: $(tr '\n' '|' </tmp/out)" || return 1
	expect_runtime crun || return 1
	expect_line /tmp/out "getpriority ok" && expect_allowed /tmp/podman.json getcpu &&
		expect_allowed /tmp/podman.json getpriority &&
		refute_allowed /tmp/podman.json sysinfo || return 1
	podman_crun run --rm --network none --security-opt seccomp=/tmp/podman.json \
		--rootfs /ctr /bin/probe getcpu getpriority sysinfo >/tmp/out 2>&1
	status=$?
	[ $status -eq 1 ] ||
		fail "podman under the profile exited $status, not 1: $(tr '\n' '|' </tmp/out)" || return 1
	expect_line /tmp/out "getpriority ok" && expect_line /tmp/out "sysinfo errno=1" &&
		calls podman_crun /tmp/podman.json /tmp/hook.log
}

# A 32-bit program: recorded under SCMP_ARCH_X86, enforced.
t_ia32() {
	"$RECORDER" record -o /tmp/ia32.json -- /osr/probe32 getcpu >/tmp/rec.out 2>&1 ||
		fail "record of the 32-bit probe failed: $(tr '\n' '|' </tmp/rec.out)" || return 1
	expect_arch /tmp/ia32.json SCMP_ARCH_X86 && expect_allowed /tmp/ia32.json getcpu || return 1
	"$RECORDER" run --enforce -p /tmp/ia32.json -- /osr/probe32 getcpu sysinfo >/tmp/out 2>&1
	expect_line /tmp/out "getcpu ok" && expect_line /tmp/out "sysinfo errno=1" &&
		calls ia32 /tmp/ia32.json /tmp/rec.out
}

# The program as the package installs it: its binary runs, its hooks.d file (where podman and
# CRI-O look) names it, and the links in /usr/bin lead to it.
t_package() {
	installed=/usr/share/containers/oci/hooks.d/oci-seccomp-recorder.json
	[ "$RECORDER" = /usr/libexec/oci/hooks.d/oci-seccomp-recorder ] ||
		fail "the binary under test is $RECORDER, not the package's" || return 1
	"$RECORDER" --version >/tmp/out 2>&1 || fail "--version: $(cat /tmp/out)" || return 1
	grep -q '^oci-seccomp-recorder ' /tmp/out || fail "--version printed: $(cat /tmp/out)" ||
		return 1
	[ "$(jq -r .hook.path "$installed")" = "$RECORDER" ] ||
		fail "$installed runs $(jq -r .hook.path "$installed"), not $RECORDER" || return 1
	[ "$(readlink -f /usr/bin/oci-seccomp-recorder)" = "$RECORDER" ] ||
		fail "/usr/bin/oci-seccomp-recorder leads to $(readlink -f /usr/bin/oci-seccomp-recorder)"
}

for assertion in $ASSERTIONS; do
	rm -f /tmp/why
	if "t_$assertion"; then
		echo "OSR-RESULT $GUEST $assertion ok"
	else
		echo "OSR-RESULT $GUEST $assertion FAIL $(tr '\n' ' ' </tmp/why 2>/dev/null)"
		# What the hook said, for the failure's context.
		[ ! -e /tmp/hook.log ] || sed "s/^/OSR-LOG $GUEST /" /tmp/hook.log
	fi
	rm -f /tmp/hook.log
done
echo "OSR-DONE $GUEST $(awk -v s="$started" '{ printf "%.1f", $1 - s }' /proc/uptime)"
sync
poweroff -f
