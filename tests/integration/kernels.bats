#!/usr/bin/env bats
# The kernel matrix: Debian's own kernels (bookworm 6.1, trixie 6.12) and userland, arm64 and
# x86_64, booted under qemu with TCG (tests/kernels/). In each guest: record, run --enforce,
# record --args, runc + the hook, podman + crun + hooks.d, the 32-bit probe on x86_64, and on
# arm64 the program as the package installs it. The whole matrix starts once, two guests at a
# time; each test waits for its guest and reads the guest's result lines.

load helpers

KERNELS_DIR=$TESTS_DIR/kernels
# Bounds on the waits: a failure, never a pass, when reached. A fresh machine downloads the
# trees first (tree.sh); each guest has its own timeout in boot.sh.
MATRIX_TIMEOUT_S=1500

require_matrix() {
	local missing="" tool
	[ "$(id -u)" -eq 0 ] || missing=" root"
	for tool in qemu-system-x86_64 qemu-system-aarch64 mmdebstrap cpio clang ld.lld jq; do
		command -v "$tool" >/dev/null || missing="$missing $tool"
	done
	[ -z "$missing" ] && return 0
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but the kernel matrix lacks:$missing (scripts/install-deps.sh)" >&2
		return 1
	fi
	skip "needs$missing"
}

setup_file() {
	export MATRIX_WORK="$BUILD_DIR/kernels"
	require_matrix >/dev/null 2>&1 || return 0
	mkdir -p "$MATRIX_WORK"
	rm -f "$MATRIX_WORK"/*.status "$MATRIX_WORK/matrix.time"
	# fd 3 closed: bats waits for whoever holds it open. A session of its own, so that the
	# teardown ends its qemu processes too.
	setsid sh "$KERNELS_DIR/matrix.sh" "$BUILD_DIR" "$MATRIX_WORK" </dev/null \
		>"$MATRIX_WORK/matrix.log" 2>&1 3>&- &
	export MATRIX_PID=$!
}

# Nothing runs on once the file is done: a test that stopped waiting leaves no guest behind.
teardown_file() {
	[ -n "${MATRIX_PID:-}" ] || return 0
	kill -- "-$MATRIX_PID" 2>/dev/null || true
	wait "$MATRIX_PID" 2>/dev/null || true
	return 0
}

# The guest's console, without the carriage returns of a serial line.
console() {
	tr -d '\r' <"$MATRIX_WORK/$1.log" 2>/dev/null
}

# The guest's result lines (OSR-...), whatever the firmware left before them on a line.
results() {
	console "$1" | sed -n 's/^.*\(OSR-[A-Z]*\) /\1 /p'
}

# The guest's console, as a failure shows it: the lines the kernel and the guest printed.
show_console() {
	echo "--- the console of $1 ($MATRIX_WORK/$1.log), last lines:" >&2
	console "$1" | tail -n 40 >&2
	[ ! -s "$MATRIX_WORK/$1.err" ] || { echo "--- and:" >&2; cat "$MATRIX_WORK/$1.err" >&2; }
}

wait_guest() {
	for _ in $(seq $((MATRIX_TIMEOUT_S * 2))); do
		[ -s "$MATRIX_WORK/$1.status" ] && return 0
		if ! kill -0 "$MATRIX_PID" 2>/dev/null && [ ! -s "$MATRIX_WORK/$1.status" ]; then
			echo "the matrix ended without a status for $1: $(tail -n 20 "$MATRIX_WORK/matrix.log")" >&2
			return 1
		fi
		sleep 0.5
	done
	echo "guest $1 did not finish within $MATRIX_TIMEOUT_S s" >&2
	return 1
}

# Guest $1 booted, ran every assertion guests.txt lists for it, and each passed; its times and
# counts are printed.
guest_passes() {
	local name=$1 assertions a failed="" line
	require_matrix
	wait_guest "$name"
	if [ "$(cat "$MATRIX_WORK/$name.status")" != 0 ]; then
		echo "guest $name did not run to its end" >&2
		show_console "$name"
		return 1
	fi
	assertions=$(awk -v n="$name" '$1 == n { print $4 }' "$KERNELS_DIR/guests.txt" | tr , ' ')
	[ -n "$assertions" ] || { echo "guests.txt lists no assertions for $name" >&2; return 1; }
	for a in $assertions; do
		line=$(results "$name" | grep "^OSR-RESULT $name $a " || true)
		if [ "$line" != "OSR-RESULT $name $a ok" ]; then
			failed="$failed
  $a: ${line:-no result line}"
		fi
	done
	echo "# $name: boot $(results "$name" | awk '$1 == "OSR-BOOTED" { print $3 }') s," \
		"tests $(results "$name" | awk '$1 == "OSR-DONE" { print $3 }') s," \
		"qemu $(cat "$MATRIX_WORK/$name.time") s; calls recorded/names allowed:" \
		"$(results "$name" | awk '$1 == "OSR-CALLS" { printf "%s %s %s/%s", sep, $3, $4, $5
			sep = "," }')" >&3
	if [ -n "$failed" ]; then
		echo "guest $name: these assertions did not pass:$failed" >&2
		show_console "$name"
		return 1
	fi
}

@test "x86_64, Debian 12's kernel 6.1: record, enforce, args, runc + hook, podman + crun, ia32" {
	guest_passes x86_64-6.1
}

@test "x86_64, Debian 13's kernel 6.12: record, enforce, args, runc + hook, podman + crun, ia32" {
	guest_passes x86_64-6.12
}

@test "arm64, Debian 12's kernel 6.1: the package's program records, enforces, runs the hook" {
	guest_passes arm64-6.1
}

@test "arm64, Debian 13's kernel 6.12: the package's program records, enforces, runs the hook" {
	guest_passes arm64-6.12
	wait "$MATRIX_PID" 2>/dev/null || true
	echo "# the whole matrix: $(cat "$MATRIX_WORK/matrix.time") s" >&3
}

@test "the check can fail: a guest with a FAIL line, a missing line or no end fails its test" {
	require_matrix
	local MATRIX_WORK=$TMP
	printf '\033c\033[2JOSR-BOOTED x86_64-6.1 5.0\r\n' >"$TMP/x86_64-6.1.log"
	for a in record enforce args runc_hook podman_crun ia32; do
		printf 'OSR-RESULT x86_64-6.1 %s ok\r\n' "$a" >>"$TMP/x86_64-6.1.log"
	done
	echo 0 >"$TMP/x86_64-6.1.status"
	echo 1.0 >"$TMP/x86_64-6.1.time"
	guest_passes x86_64-6.1 3>/dev/null
	sed -i 's/ enforce ok/ enforce FAIL sysinfo was allowed/' "$TMP/x86_64-6.1.log"
	run guest_passes x86_64-6.1 3>/dev/null
	assert_equal "$status" 1
	[[ "$output" == *"enforce: OSR-RESULT x86_64-6.1 enforce FAIL sysinfo was allowed"* ]]
	sed -i '/ enforce /d' "$TMP/x86_64-6.1.log"
	run guest_passes x86_64-6.1 3>/dev/null
	assert_equal "$status" 1
	[[ "$output" == *"enforce: no result line"* ]]
	echo 1 >"$TMP/x86_64-6.1.status"
	run guest_passes x86_64-6.1 3>/dev/null
	assert_equal "$status" 1
	[[ "$output" == *"guest x86_64-6.1 did not run to its end"* ]]
}
