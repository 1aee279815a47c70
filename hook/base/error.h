/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The error type: a message that says what failed, on which object, and why. */
#ifndef ERROR_H
#define ERROR_H

#include <stddef.h>

#define ERROR_MSG_MAX 1024

struct error {
	int errnum;		 /* errno of the cause, 0 when none */
	char msg[ERROR_MSG_MAX]; /* complete message, cause included */
};

/* Fill @err; when @errnum is non-zero its text is appended. Always returns -1. */
int error_set(struct error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepend context ("reading base profile: ") to a message already in @err. Returns -1. */
int error_prefix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* ERROR_H */
