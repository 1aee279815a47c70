#!/usr/bin/env bats
# The arm64 build's BPF program, put through this machine's verifier with arm64's pt_regs laid
# over this kernel's (tests/helpers/bpf-verify-foreign.c): a rule of the verifier that holds on
# every architecture, such as "no variable offset into pt_regs", is checked here, without an
# arm64 machine. The arm64 guests of the kernel matrix record there for real.

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
