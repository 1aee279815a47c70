// SPDX-License-Identifier: GPL-2.0-or-later
/* System call sites and direct branches of x86_64 and aarch64 code, read with capstone. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <capstone/capstone.h>
#include <elf.h>
#include "base/cleanup.h"
#include "hints/code_scan.h"

/* How far back from a system call instruction its number is looked for. */
#define LOOKBACK 8
/*
 * Bytes read before a candidate site by code_scan_sites: room for LOOKBACK instructions of
 * the usual lengths, and for x86's decoding to fall into step (it does within a few).
 */
#define SITE_WINDOW 128
#define OPS_LEN 48
#define MNEMONIC_LEN 16

#define X86_SYSCALL_0 0x0f
#define X86_SYSCALL_1 0x05
#define ARM64_SVC_0 0xd4000001u

struct past_insn {
	char mnemonic[MNEMONIC_LEN];
	char ops[OPS_LEN];
};

/* Whether the bytes at @i of @code are a system call instruction's (any byte order aside). */
static bool site_bytes(uint16_t machine, const uint8_t *code, size_t size, size_t i)
{
	uint32_t w;

	if (machine == EM_AARCH64) {
		if (i % 4 || i + 4 > size)
			return false;
		memcpy(&w, code + i, 4);
		return w == ARM64_SVC_0;
	}
	return i + 1 < size && code[i] == X86_SYSCALL_0 && code[i + 1] == X86_SYSCALL_1;
}

bool code_scan_may_have_sites(uint16_t machine, const uint8_t *code, size_t size)
{
	if (machine == EM_AARCH64) {
		for (size_t i = 0; i + 4 <= size; i += 4) {
			uint32_t w;

			memcpy(&w, code + i, 4);
			if (w == ARM64_SVC_0)
				return true;
		}
		return false;
	}
	for (size_t i = 0; i + 1 < size; i++)
		if (code[i] == X86_SYSCALL_0 && code[i + 1] == X86_SYSCALL_1)
			return true;
	return false;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* An immediate as capstone prints it ("0x3c", "60", "#0x3c"); false when it is none. */
static bool parse_imm(const char *s, long *out)
{
	char *end;

	if (*s == '#')
		s++;
	if (!(*s >= '0' && *s <= '9'))
		return false;
	errno = 0;
	*out = strtol(s, &end, 0);
	return errno == 0 && *end == '\0';
}

static bool is_branch(uint16_t machine, const char *mnemonic)
{
	if (machine == EM_AARCH64)
		return strcmp(mnemonic, "b") == 0 || strcmp(mnemonic, "bl") == 0 ||
		       starts_with(mnemonic, "b.") || starts_with(mnemonic, "cb") ||
		       starts_with(mnemonic, "tb") || strcmp(mnemonic, "br") == 0 ||
		       strcmp(mnemonic, "blr") == 0 || strcmp(mnemonic, "ret") == 0 ||
		       strcmp(mnemonic, "svc") == 0;
	return mnemonic[0] == 'j' || strcmp(mnemonic, "call") == 0 ||
	       starts_with(mnemonic, "ret") || strcmp(mnemonic, "syscall") == 0;
}

/*
 * The number in rax/x8 at a system call: the last instruction before it, in straight-line
 * code, that writes the register must load an immediate (or be `xor eax, eax`).
 */
static int number_before(uint16_t machine, const struct past_insn *ring, size_t count, size_t head)
{
	static const char *const x86_regs[] = { "eax", "rax", "ax", "al", "ah" };
	static const char *const arm_regs[] = { "w8", "x8" };

	for (size_t back = 1; back <= count && back <= LOOKBACK; back++) {
		const struct past_insn *p = &ring[(head + LOOKBACK - back) % LOOKBACK];
		const char *const *regs = machine == EM_AARCH64 ? arm_regs : x86_regs;
		size_t n_regs = machine == EM_AARCH64 ? 2 : 5;
		const char *rest = NULL;
		long imm;

		if (is_branch(machine, p->mnemonic))
			return -1;
		for (size_t r = 0; r < n_regs && !rest; r++) {
			size_t len = strlen(regs[r]);

			if (strncmp(p->ops, regs[r], len) == 0 &&
			    (p->ops[len] == ',' || p->ops[len] == '\0'))
				rest = p->ops[len] == ',' ? p->ops + len + 2 : "";
		}
		if (!rest)
			continue;
		if (strcmp(p->mnemonic, "cmp") == 0 || strcmp(p->mnemonic, "test") == 0 ||
		    strcmp(p->mnemonic, "push") == 0 || strcmp(p->mnemonic, "bt") == 0)
			continue;
		if ((strcmp(p->mnemonic, "mov") == 0 || strcmp(p->mnemonic, "movz") == 0) &&
		    parse_imm(rest, &imm))
			return imm >= 0 && imm < 1024 ? (int)imm : -1;
		if (strcmp(p->mnemonic, "xor") == 0 && strcmp(p->ops, "eax, eax") == 0)
			return 0;
		return -1;
	}
	return -1;
}

static int add_site(struct code_scan *s, uint64_t addr, int nr)
{
	if (s->n_sites == s->cap_sites) {
		size_t n = s->cap_sites ? s->cap_sites * 2 : 64;
		struct scan_site *v = realloc(s->sites, n * sizeof(*v));

		if (!v)
			return -1;
		s->sites = v;
		s->cap_sites = n;
	}
	s->sites[s->n_sites++] = (struct scan_site){ .addr = addr, .nr = nr };
	return 0;
}

static int add_edge(struct code_scan *s, uint64_t from, uint64_t to, bool call)
{
	if (s->n_edges == s->cap_edges) {
		size_t n = s->cap_edges ? s->cap_edges * 2 : 1024;
		struct scan_edge *v = realloc(s->edges, n * sizeof(*v));

		if (!v)
			return -1;
		s->edges = v;
		s->cap_edges = n;
	}
	s->edges[s->n_edges++] = (struct scan_edge){ .from = from, .to = to, .call = call };
	return 0;
}

/* The target of a direct branch: its last operand, an address. */
static bool branch_target(uint16_t machine, const cs_insn *insn, uint64_t *to)
{
	const char *last = strrchr(insn->op_str, machine == EM_AARCH64 ? '#' : ' ');
	long imm;

	last = last ? last + (machine == EM_AARCH64 ? 0 : 1) : insn->op_str;
	if (machine == EM_AARCH64 && strcmp(insn->mnemonic, "br") == 0)
		return false;
	if (!parse_imm(last, &imm))
		return false;
	*to = (uint64_t)imm;
	return true;
}

/* A long operand list is cut: only its first register and immediate are looked at. */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t len = strnlen(src, size - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int look_at(uint16_t machine, const cs_insn *insn, struct past_insn *ring, size_t *count,
		   size_t *head, bool edges, struct code_scan *out)
{
	bool site = machine == EM_AARCH64 ? insn->id == ARM64_INS_SVC : insn->id == X86_INS_SYSCALL;
	struct past_insn *p;
	uint64_t to;

	if (site && add_site(out, insn->address, number_before(machine, ring, *count, *head)) < 0)
		return -1;
	if (edges && is_branch(machine, insn->mnemonic) && branch_target(machine, insn, &to) &&
	    add_edge(out, insn->address, to,
		     strcmp(insn->mnemonic, machine == EM_AARCH64 ? "bl" : "call") == 0) < 0)
		return -1;
	p = &ring[*head];
	copy_text(p->mnemonic, sizeof(p->mnemonic), insn->mnemonic);
	copy_text(p->ops, sizeof(p->ops), insn->op_str);
	*head = (*head + 1) % LOOKBACK;
	if (*count < LOOKBACK)
		(*count)++;
	return 0;
}

int code_scan_sweep(uint16_t machine, const uint8_t *code, size_t size, uint64_t addr, bool edges,
		    struct code_scan *out, struct error *err)
{
	struct past_insn ring[LOOKBACK];
	size_t count = 0, head = 0;
	cs_insn *insn;
	csh cs;
	int ret = 0;

	if (cs_open(machine == EM_AARCH64 ? CS_ARCH_ARM64 : CS_ARCH_X86,
		    machine == EM_AARCH64 ? CS_MODE_ARM : CS_MODE_64, &cs) != CS_ERR_OK)
		return error_set(err, 0, "capstone cannot read %s code",
				 machine == EM_AARCH64 ? "aarch64" : "x86_64");
	insn = cs_malloc(cs);
	if (!insn) {
		cs_close(&cs);
		return error_set(err, ENOMEM, "capstone");
	}
	while (size > 0) {
		const uint8_t *at = code;
		size_t left = size;
		uint64_t pc = addr;
		size_t step;

		if (!cs_disasm_iter(cs, &at, &left, &pc, insn)) {
			/* Not an instruction (data, padding): step over it. */
			step = machine == EM_AARCH64 ? 4 : 1;
			step = step < size ? step : size;
			count = 0;
		} else {
			step = (size_t)(at - code);
			if (look_at(machine, insn, ring, &count, &head, edges, out) < 0) {
				ret = error_set(err, ENOMEM, "code scan");
				break;
			}
		}
		code += step;
		size -= step;
		addr += step;
		out->bytes += step;
	}
	cs_free(insn, 1);
	cs_close(&cs);
	return ret;
}

int code_scan_sites(uint16_t machine, const uint8_t *code, size_t size, uint64_t addr,
		    struct code_scan *out, struct error *err)
{
	size_t len = machine == EM_AARCH64 ? 4 : 2, done = 0;

	for (size_t i = 0; i + len <= size; i += machine == EM_AARCH64 ? 4 : 1) {
		size_t from;

		if (!site_bytes(machine, code, size, i))
			continue;
		/* The window ends at this site: a site found in it is this one or one after done.
		 */
		from = i > SITE_WINDOW ? i - SITE_WINDOW : 0;
		from = from > done ? from : done;
		if (code_scan_sweep(machine, code + from, i + len - from, addr + from, false, out,
				    err) < 0)
			return -1;
		done = i + len;
	}
	return 0;
}

void code_scan_release(struct code_scan *s)
{
	free(s->sites);
	free(s->edges);
	memset(s, 0, sizeof(*s));
}
