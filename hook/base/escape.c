// SPDX-License-Identifier: GPL-2.0-or-later
/* Untrusted text made visible: the escape form of escape.h, for logs, terminals and JSON. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/escape.h"

/*
 * The length of the UTF-8 sequence at @s (1 to 4) and its code point, or 0 when @s does not
 * start a valid one (overlong forms, surrogates and values above U+10FFFF are not valid).
 */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		*cp = s[0] & 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		*cp = s[0] & 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if (i > 1 && (s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return len;
}

/* Code points a terminal or a viewer obeys or hides: controls, bidi, separators, invisibles. */
static bool hidden_code_point(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff ||
	       (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f);
}

size_t escape_text(const char *in, char *out, size_t size, unsigned int flags)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t len = 0;

	if (size == 0)
		return 0;
	while (*s) {
		char piece[16];
		size_t n, step = 1;
		uint32_t cp;

		if (*s < 0x20 || *s == 0x7f) {
			n = (size_t)snprintf(piece, sizeof(piece), "\\x%02x", *s);
		} else if (*s == '\\' && !(flags & ESCAPE_KEEP_BACKSLASH)) {
			n = (size_t)snprintf(piece, sizeof(piece), "\\\\");
		} else if (*s < 0x80) {
			piece[0] = (char)*s;
			n = 1;
		} else if ((step = utf8_decode(s, &cp)) == 0) {
			step = 1;
			n = (size_t)snprintf(piece, sizeof(piece), "\\x%02x", *s);
		} else if (hidden_code_point(cp)) {
			n = (size_t)snprintf(piece, sizeof(piece),
					     cp > 0xffff ? "\\U%08x" : "\\u%04x", (unsigned int)cp);
		} else {
			memcpy(piece, s, step);
			n = step;
		}
		if (len + n >= size)
			break;
		memcpy(out + len, piece, n);
		len += n;
		s += step;
	}
	out[len] = '\0';
	return len;
}

char *escape_dup(const char *in, unsigned int flags)
{
	size_t size = ESCAPED_SIZE(strlen(in));
	char *out = malloc(size);

	if (out)
		escape_text(in, out, size, flags);
	return out;
}
