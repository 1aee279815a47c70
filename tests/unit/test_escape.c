// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of escape_text: names a workload chose, made visible and valid UTF-8. */
#include "tap.h"
#include <stdint.h>
#include "base/cleanup.h"
#include "base/escape.h"

static void escapes(const char *in, unsigned int flags, const char *expected, const char *desc)
{
	cleanup_free char *out = escape_dup(in, flags);

	is_str(out, expected, "%s", desc);
}

/* Whether @s is valid UTF-8 with no byte below 0x20, no DEL and no C1 or bidi code point. */
static bool visible_utf8(const unsigned char *s)
{
	while (*s) {
		uint32_t cp;
		size_t n;

		if (*s < 0x20 || *s == 0x7f)
			return false;
		if (*s < 0x80) {
			s++;
			continue;
		}
		n = (*s & 0xe0) == 0xc0 ? 2 : (*s & 0xf0) == 0xe0 ? 3 : (*s & 0xf8) == 0xf0 ? 4 : 0;
		if (!n)
			return false;
		cp = *s & (0x7f >> n);
		for (size_t i = 1; i < n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if (cp <= 0x9f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			return false;
		s += n;
	}
	return true;
}

int main(void)
{
	/* The review's workload: comm "\e[8m", run from "\r\e[2K" and a right-to-left override. */
	escapes("/tmp/\r\x1b[2K\xe2\x80\xae/probe", 0, "/tmp/\\x0d\\x1b[2K\\u202e/probe",
		"a path's CR, ESC and U+202E are shown as escapes");
	escapes("\x1b[8m", 0, "\\x1b[8m", "a comm that hides what follows is shown");
	escapes("\xc2\x9b"
		"2K",
		0, "\\u009b2K", "C1 CSI (U+009B) is escaped");
	escapes("a\xe2\x80\x8b"
		"b\xe2\x81\xa0"
		"c\xef\xbb\xbf",
		0, "a\\u200bb\\u2060c\\ufeff", "zero-width space, word joiner and BOM are escaped");
	escapes("x\xf3\xa0\x80\x81y", 0, "x\\U000e0001y", "tag characters are escaped");
	escapes("prob\xc3", 0, "prob\\xc3", "a comm cut mid-character ends in an escaped byte");
	escapes("caf\xc3\xa9", 0, "caf\xc3\xa9", "valid UTF-8 stays as it is");
	escapes("a\\b", 0, "a\\\\b", "a backslash is doubled");
	escapes("a\\x1b", ESCAPE_KEEP_BACKSLASH, "a\\x1b",
		"with ESCAPE_KEEP_BACKSLASH a backslash is kept");
	escapes("a\x1b", ESCAPE_KEEP_BACKSLASH, "a\\x1b",
		"... and a control byte is still escaped");

	/* Escaped once where it entered, shown again: the same text. */
	{
		cleanup_free char *once = escape_dup("\r\x1b[2K\xe2\x80\xae\\\xff", 0);
		cleanup_free char *twice = escape_dup(once, ESCAPE_KEEP_BACKSLASH);

		is_str(twice, once, "escaped text shown with ESCAPE_KEEP_BACKSLASH is unchanged");
	}

	/* Every byte value, and every pair: visible, valid UTF-8, within ESCAPED_SIZE. */
	{
		bool all_visible = true, all_fit = true;
		unsigned char in[3] = { 0 };
		char out[ESCAPED_SIZE(2)];

		for (int a = 1; a < 256; a++)
			for (int b = 0; b < 256; b++) {
				in[0] = (unsigned char)a;
				in[1] = (unsigned char)b;
				size_t n = escape_text((const char *)in, out, sizeof(out), 0);

				all_visible &= visible_utf8((const unsigned char *)out);
				all_fit &= strlen(out) == n && n >= (b ? 2 : 1);
			}
		ok(all_visible, "every one- and two-byte input comes out visible and valid UTF-8");
		ok(all_fit, "ESCAPED_SIZE(n) holds the escape of any n bytes");
	}
	return done_testing();
}
