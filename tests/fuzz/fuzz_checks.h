/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every harness checks beside the sanitizers: a broken promise aborts with its line. */
#ifndef FUZZ_CHECKS_H
#define FUZZ_CHECKS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/error.h"
#include "base/json.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: `%s` does not hold\n", __FILE__, __LINE__, #cond); \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* A message is one line of text: nothing from the input may break it or drive a terminal. */
static inline void check_message(const struct error *err)
{
	size_t len = strnlen(err->msg, sizeof(err->msg));

	CHECK(len > 0 && len < sizeof(err->msg));
	for (size_t i = 0; i < len; i++)
		CHECK((unsigned char)err->msg[i] >= 0x20 && err->msg[i] != 0x7f);
}

/* json.h: deeper input is refused before it is parsed; @level counts the enclosing containers. */
static inline void check_depth(const struct json *v, size_t level)
{
	enum json_type t = json_type(v);

	if (t != JSON_ARRAY && t != JSON_OBJECT)
		return;
	CHECK(level + 1 <= JSON_MAX_DEPTH);
	for (size_t i = 0; i < json_len(v); i++)
		check_depth(json_at(v, i), level + 1);
}

#endif /* FUZZ_CHECKS_H */
