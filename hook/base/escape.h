/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one visible form of untrusted text: what a workload named itself, shown, never obeyed. */
#ifndef ESCAPE_H
#define ESCAPE_H

#include <stddef.h>

enum escape_flags {
	/*
	 * Leave backslashes as they are: for text escaped once already (where it entered, as
	 * the why file's names are), so that showing it again changes nothing. Without it a
	 * backslash becomes \\ and the escaped form is unambiguous.
	 */
	ESCAPE_KEEP_BACKSLASH = 1,
};

/*
 * Copy @in to @out (of @size bytes, NUL-terminated, cut at a character boundary when short)
 * with everything that could forge, split, hide or reorder text on a terminal, in a log or in
 * JSON escaped: bytes below 0x20 and 0x7f as \xHH, bytes that are not UTF-8 (a name cut in
 * the middle of a character, or no UTF-8 at all) as \xHH, a backslash as \\, and the C1
 * controls (U+0080-U+009F), the bidi controls (U+061C, U+200E, U+200F, U+202A-U+202E,
 * U+2066-U+2069), the line and paragraph separators (U+2028, U+2029), the invisible ones
 * (U+200B-U+200D, U+2060-U+2064, U+FEFF, U+FFF9-U+FFFB) and the tag characters
 * (U+E0000-U+E007F) as \uHHHH or \U00HHHHHH. The result is valid UTF-8. Returns its length.
 * @size of ESCAPED_SIZE(n) holds any @in of n bytes.
 */
size_t escape_text(const char *in, char *out, size_t size, unsigned int flags);
#define ESCAPED_SIZE(n) (4 * (n) + 1) /* \xHH, 4 bytes, is the widest per byte */

/* escape_text into a new string (malloc'ed; NULL when out of memory). */
char *escape_dup(const char *in, unsigned int flags);

#endif /* ESCAPE_H */
