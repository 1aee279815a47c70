// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libbpf's messages as bpf_log keeps them: a verifier log of any size whole (it was cut at
 * 1 KiB), and its last lines for the error of a refused load.
 */
#include "tap.h"
#include "trace/bpf_log.h"

/* A refusal as arm64's verifier wrote it, framed as libbpf frames it. */
#define REFUSAL_TAIL                                                                 \
	"664: (79) r4 = *(u64 *)(r5 +0)\n"                                           \
	"R5 is ptr_pt_regs invalid variable offset: off=0, var_off=(0x0; 0x38)\n"    \
	"processed 940 insns (limit 1000000) max_states_per_insn 7 total_states 44 " \
	"peak_states 41 mark_read 0\n"

static int print(enum libbpf_print_level level, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = bpf_log_libbpf_print(level, fmt, ap);
	va_end(ap);
	return ret;
}

static void test_tail(void)
{
	char out[512];

	is_int((int)bpf_log_tail("a\nb\n\n  c  \n\n", 2, out, sizeof(out)), 2, "two lines taken");
	is_str(out, "b | c", "the last two non-empty lines, trimmed, in order");
	is_int((int)bpf_log_tail("only", 3, out, sizeof(out)), 1, "a log shorter than asked");
	is_str(out, "only", "is taken whole");
	is_int((int)bpf_log_tail(NULL, 3, out, sizeof(out)), 0, "no log: no line");
	is_str(out, "", "and an empty string");
	is_int((int)bpf_log_tail("\n\n", 3, out, sizeof(out)), 0, "blank lines are no lines");
	bpf_log_tail("0123456789\nabcdefghij\n", 2, out, 8);
	is_str(out, "0123456", "a short buffer is cut, NUL-terminated");
}

static void test_whole_log(void)
{
	char expected[16384], out[512];
	size_t used = 0;

	bpf_log_reset();
	ok(bpf_log_verifier() == NULL, "no log before a load");
	for (int i = 0; used < 8192; i++)
		used += (size_t)snprintf(expected + used, sizeof(expected) - used,
					 "%d: (b7) r1 = 0                      ; R1_w=0\n", i);
	used += (size_t)snprintf(expected + used, sizeof(expected) - used, "%s", REFUSAL_TAIL);
	print(LIBBPF_WARN, "libbpf: prog '%s': BPF program load failed: %s\n", "record_sys_enter",
	      "Permission denied");
	print(LIBBPF_WARN,
	      "libbpf: prog '%s': -- BEGIN PROG LOAD LOG --\n%s-- END PROG LOAD LOG --\n",
	      "record_sys_enter", expected);
	print(LIBBPF_WARN, "libbpf: failed to load object '%s'\n", "recorder_bpf");
	print(LIBBPF_DEBUG, "libbpf: a relocation\n");
	ok(bpf_log_verifier() != NULL, "the verifier log is kept");
	is_int((int)strlen(bpf_log_verifier() ? bpf_log_verifier() : ""), (int)used,
	       "whole: all %zu bytes, not the first KiB", used);
	is_str(bpf_log_verifier(), expected, "byte for byte, without libbpf's frame");
	bpf_log_tail(bpf_log_verifier(), BPF_LOG_TAIL_LINES, out, sizeof(out));
	like(out, "R5 is ptr_pt_regs invalid variable offset", "the tail holds the reason");
	like(out, "664: (79) r4 = *(u64 *)(r5 +0) | R5", "after the refused instruction");
	is_str(bpf_log_reason(), "libbpf: failed to load object 'recorder_bpf'",
	       "the last warning is kept apart, the debug narration dropped");
	bpf_log_reset();
	ok(bpf_log_verifier() == NULL, "reset forgets the log");
	is_str(bpf_log_reason(), "no reason given", "and the warning");
}

int main(void)
{
	test_tail();
	test_whole_log();
	return done_testing();
}
