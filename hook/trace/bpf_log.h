/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libbpf's messages: the verifier's log of a refused program kept whole (shown at debug level,
 * line by line), its last lines for the error that says why, and libbpf's last warning.
 */
#ifndef BPF_LOG_H
#define BPF_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <bpf/libbpf.h>

/* The verifier's lines an error quotes: the refused instruction, the reason, the count. */
#define BPF_LOG_TAIL_LINES 3

/* Forget what an earlier load left (the log and the warning). */
void bpf_log_reset(void);

/* libbpf's print callback (libbpf_set_print): keeps the verifier log, logs warnings at debug. */
int bpf_log_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap);

/* libbpf's last warning of this load, or "no reason given". */
const char *bpf_log_reason(void);

/* The verifier log of the last refused program, whole; NULL when none came. */
const char *bpf_log_verifier(void);

/*
 * The last @n non-empty lines of @log into @out (of @size, cut when short), joined by " | "
 * with surrounding blanks trimmed. Returns how many lines it took; 0 for a NULL or empty log.
 */
size_t bpf_log_tail(const char *log, size_t n, char *out, size_t size);

#endif /* BPF_LOG_H */
