/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A tiny TAP producer for the unit tests: checks that say what was expected and what came. */
#ifndef TAP_H
#define TAP_H

#include <ftw.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tap_run;	     /* checks reported so far */
static int tap_failures;     /* checks that failed */
static int tap_planned = -1; /* from plan(), or -1 for a plan printed by done_testing() */

/* Print @text as TAP comment lines, "# " before each line of it. */
static inline void tap_comment(const char *text)
{
	const char *p = text;

	do {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);

		printf("# %.*s\n", n, p);
		p = nl ? nl + 1 : NULL;
	} while (p && *p);
	fflush(stdout);
}

static inline __attribute__((format(printf, 1, 2))) void diag(const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tap_comment(buf);
}

static inline void plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

/* Report one check; returns @pass so a caller can skip what depends on it. */
static inline bool tap_vreport(bool pass, const char *fmt, va_list ap)
{
	char desc[1024];

	vsnprintf(desc, sizeof(desc), fmt, ap);
	/* '#' would start a TAP directive inside the description. */
	for (char *c = desc; *c; c++)
		if (*c == '#' || *c == '\n')
			*c = ' ';
	tap_run++;
	if (!pass)
		tap_failures++;
	printf("%sok %d - %s\n", pass ? "" : "not ", tap_run, desc);
	fflush(stdout);
	return pass;
}

static inline __attribute__((format(printf, 5, 6))) bool tap_ok(bool pass, const char *expr,
								const char *file, int line,
								const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vreport(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("expected `%s` to hold, got false (%s:%d)", expr, file, line);
	return pass;
}

/* A string on one diagnostic line: quoted, newlines and control bytes escaped, or NULL. */
static inline void tap_quote(char *out, size_t size, const char *s)
{
	size_t n = 0;

	if (!s) {
		snprintf(out, size, "NULL");
		return;
	}
	out[n++] = '"';
	for (; *s && n + 8 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			n += (size_t)snprintf(out + n, size - n, "\\n");
		else if (c == '"' || c == '\\')
			n += (size_t)snprintf(out + n, size - n, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", c);
		else
			out[n++] = (char)c;
	}
	if (*s)
		n += (size_t)snprintf(out + n, size - n, "...");
	snprintf(out + n, size - n, "\"");
}

static inline __attribute__((format(printf, 5, 6))) bool tap_is_int(long long got,
								    long long expected,
								    const char *file, int line,
								    const char *fmt, ...)
{
	bool pass = got == expected;
	va_list ap;

	va_start(ap, fmt);
	tap_vreport(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("expected %lld, got %lld (%s:%d)", expected, got, file, line);
	return pass;
}

/* @octal: print the values as permission bits. */
static inline __attribute__((format(printf, 6, 7))) bool tap_is_uint(unsigned long long got,
								     unsigned long long expected,
								     bool octal, const char *file,
								     int line, const char *fmt, ...)
{
	bool pass = got == expected;
	va_list ap;

	va_start(ap, fmt);
	tap_vreport(pass, fmt, ap);
	va_end(ap);
	if (!pass && octal)
		diag("expected %#llo, got %#llo (%s:%d)", expected, got, file, line);
	else if (!pass)
		diag("expected %llu, got %llu (%s:%d)", expected, got, file, line);
	return pass;
}

static inline __attribute__((format(printf, 5, 6))) bool tap_is_str(const char *got,
								    const char *expected,
								    const char *file, int line,
								    const char *fmt, ...)
{
	bool pass = got && expected ? strcmp(got, expected) == 0 : got == expected;
	char e[2048], g[2048];
	va_list ap;

	va_start(ap, fmt);
	tap_vreport(pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_quote(e, sizeof(e), expected);
		tap_quote(g, sizeof(g), got);
		diag("expected %s, got %s (%s:%d)", e, g, file, line);
	}
	return pass;
}

/* A check that cannot run here: TAP counts it as passed and meson shows it skipped. */
static inline __attribute__((format(printf, 1, 2))) void skip(const char *fmt, ...)
{
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printf("ok %d # SKIP %s\n", ++tap_run, why);
	fflush(stdout);
}

/* @want_in: whether @needle must occur in @haystack, or must not. */
static inline __attribute__((format(printf, 6, 7))) bool tap_contains(const char *haystack,
								      const char *needle,
								      bool want_in,
								      const char *file, int line,
								      const char *fmt, ...)
{
	bool in = haystack && strstr(haystack, needle);
	bool pass = haystack && in == want_in;
	char h[2048], n[256];
	va_list ap;

	va_start(ap, fmt);
	tap_vreport(pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_quote(h, sizeof(h), haystack);
		tap_quote(n, sizeof(n), needle);
		diag("expected %s %s %s (%s:%d)", h, want_in ? "to contain" : "not to contain", n,
		     file, line);
	}
	return pass;
}

#define ok(cond, ...) tap_ok(!!(cond), #cond, __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, expected, ...) tap_is_int((got), (expected), __FILE__, __LINE__, __VA_ARGS__)
#define is_uint(got, expected, ...) \
	tap_is_uint((got), (expected), false, __FILE__, __LINE__, __VA_ARGS__)
#define is_mode(got, expected, ...) \
	tap_is_uint((got), (expected), true, __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, expected, ...) tap_is_str((got), (expected), __FILE__, __LINE__, __VA_ARGS__)
#define like(haystack, needle, ...) \
	tap_contains((haystack), (needle), true, __FILE__, __LINE__, __VA_ARGS__)
#define unlike(haystack, needle, ...) \
	tap_contains((haystack), (needle), false, __FILE__, __LINE__, __VA_ARGS__)

/* Print the trailing plan when none was given; the exit status: 0 only if every check passed. */
static inline int done_testing(void)
{
	if (tap_planned < 0) {
		printf("1..%d\n", tap_run);
	} else if (tap_planned != tap_run) {
		diag("planned %d checks, ran %d", tap_planned, tap_run);
		tap_failures++;
	}
	if (tap_failures)
		diag("%d of %d checks failed", tap_failures, tap_run);
	fflush(stdout);
	return tap_failures ? 1 : 0;
}

/* A fresh directory under /tmp for one test program; NULL (and a diagnostic) on failure. */
static inline char *tap_mkdtemp(const char *name)
{
	char *dir = NULL;

	if (asprintf(&dir, "/tmp/osr-unit-%s.XXXXXX", name) < 0)
		return NULL;
	if (!mkdtemp(dir)) {
		diag("mkdtemp %s failed", dir);
		free(dir);
		return NULL;
	}
	return dir;
}

static inline int tap_rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* Remove @dir and everything below it, symlinks not followed. */
static inline int tap_rmtree(const char *dir)
{
	return nftw(dir, tap_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif /* TAP_H */
