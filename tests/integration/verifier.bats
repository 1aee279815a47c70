#!/usr/bin/env bats
# The kernel's verifier and the program: a refused load says the verifier's reason, and the
# arm64 build's program passes it. For the latter, the program goes through this machine's
# verifier with arm64's pt_regs laid over this kernel's (tests/helpers/bpf-verify-foreign.c):
# a rule of the verifier that holds on every architecture, such as "no variable offset into
# pt_regs", is checked here, without an arm64 machine. The arm64 guests of the kernel matrix
# record there for real.

load helpers

@test "the arm64 program passes the verifier: every syscall argument is read at a constant offset" {
	require_bpf
	run "$BPF_VERIFY_FOREIGN" "$RECORDER_ARM64_BPF_OBJ"
	if [ "$status" -ne 0 ]; then
		echo "expected the arm64 object to load (exit 0), got exit $status; its log ends:" >&2
		echo "$output" | tail -n 12 >&2
		return 1
	fi
	assert_equal "$output" "loaded"
}

@test "the check can fail: an arm64 read of regs->regs[index] is refused as arm64 refuses it" {
	require_bpf
	# An argument read at an index the verifier cannot know, as the program did before.
	cat >"$TMP/variable.bpf.c" <<'PROG'
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
char LICENSE[] SEC("license") = "GPL";
SEC("tp_btf/sys_enter")
int BPF_PROG(variable_index, struct pt_regs *regs, long id)
{
	return regs->regs[bpf_get_prandom_u32() & 7] == 42;
}
PROG
	clang -g -O2 -target bpf -D__TARGET_ARCH_arm64 -I"$TESTS_DIR/../bpf" \
		-idirafter "/usr/include/$(gcc -print-multiarch)" -idirafter /usr/include \
		-c "$TMP/variable.bpf.c" -o "$TMP/variable.bpf.o"
	run "$BPF_VERIFY_FOREIGN" "$TMP/variable.bpf.o"
	assert_equal "$status" 1
	[[ "$output" == *"ptr_pt_regs invalid variable offset"* ]] || {
		echo "expected the verifier's 'invalid variable offset', got: $(echo "$output" | tail -n 3)" >&2
		return 1
	}
}

# record with the verifier refusing the recorder's sys_enter program (tests/helpers/refuse-prog.c,
# a read above the stack at its first exit); libbpf's loader, which is the one that says why.
record_refused() {
	REFUSE_PROG=record_sys_enter OCI_SECCOMP_RECORDER_LOADER=libbpf LD_PRELOAD="$REFUSE_PROG_SO" \
		"$RECORDER" record "$@" -o "$TMP/p.json" -- /bin/true </dev/null
}

@test "a refused load says the verifier's last lines: the instruction, the reason, the count" {
	require_bpf
	run record_refused
	assert_equal "$status" 125
	[[ "$output" == *"the kernel refused the BPF program: permission denied; the verifier's log ends: "* ]] || {
		echo "expected the refusal with the verifier's last lines, got: $output" >&2
		return 1
	}
	[[ "$output" == *"r0 = *(u64 *)(r10 +8) | invalid read from stack R10 off=8 size=8 | processed "*" insns"* ]] || {
		echo "expected the refused read, its reason and the count in the error, got: $output" >&2
		return 1
	}
	[ ! -e "$TMP/p.json" ] || { echo "a refused load wrote $TMP/p.json" >&2; return 1; }
}

@test "--log-level debug shows the verifier's whole log, line by line, however long" {
	require_bpf
	run record_refused --log-level debug
	assert_equal "$status" 125
	local lines first last
	lines=$(grep -c "verifier: " <<<"$output")
	# The walk to the first exit is some KiB long: more than libbpf's line buffer of 1 KiB held.
	[ "$lines" -ge 20 ] || { echo "expected >= 20 verifier lines, got $lines: $output" >&2; return 1; }
	first=$(grep "verifier: " <<<"$output" | head -n 1)
	last=$(grep "verifier: " <<<"$output" | tail -n 1)
	[[ "$first" == *"verifier: 0: "* || "$first" == *"verifier: func#0 @0"* ]] || {
		echo "expected the log from its first instruction, got: $first" >&2
		return 1
	}
	[[ "$last" == *"verifier: processed "*" insns"* ]] || {
		echo "expected the log to its last line (processed N insns), got: $last" >&2
		return 1
	}
	[ "$(grep "verifier: " <<<"$output" | wc -c)" -gt 2048 ] || {
		echo "expected more than 2 KiB of verifier log" >&2
		return 1
	}
}
