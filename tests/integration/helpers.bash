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

# Some kernels run no 32-bit code at all (ia32 emulation off, as on PVM guests): exec of a
# 32-bit ELF fails with ENOEXEC. That is a fact of the kernel, checked, never assumed.
require_ia32() {
	local out
	out=$("$PROBE32" getppid 2>&1) && return 0
	case "$out" in
	*"Exec format error"* | *"cannot execute binary file"*)
		skip "kernel runs no 32-bit code (ia32 emulation disabled: a 32-bit ELF gets ENOEXEC)" ;;
	esac
	echo "the 32-bit probe failed: $out" >&2
	return 1
}

# The allowed names of a profile, one per line, in file order.
allowed_names() {
	jq -r '.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | (.names // [])[]' "$1"
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
