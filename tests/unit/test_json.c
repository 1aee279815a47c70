// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the JSON module: limits on what it parses, exact numbers, accessors, the writer. */
#include "tap.h"
#include <stdint.h>
#include <time.h>
#include "base/cleanup.h"
#include "base/json.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse @text, which the test expects to be valid; NULL (and a failed check) otherwise. */
static struct json *parse_ok(const char *text, const char *desc)
{
	struct error err = { 0 };
	struct json *v = NULL;
	int ret = json_parse(text, strlen(text), "input", &v, &err);

	if (!is_int(ret, 0, "%s: parses", desc))
		diag("error: %s", err.msg);
	return ret == 0 ? v : NULL;
}

/* @text must be refused with a message containing @needle. */
static void parse_fails(const char *text, size_t len, const char *needle, const char *desc)
{
	struct error err = { 0 };
	struct json *v = NULL;
	int ret = json_parse(text, len, "input `t.json`", &v, &err);

	is_int(ret, -1, "%s: refused", desc);
	like(err.msg, needle, "%s: the message says why", desc);
	if (ret == 0)
		json_free(v);
}

/* The number in a one-element array, through json_uint64; @ok_out says whether it was accepted. */
static uint64_t uint_of(const char *text, bool *ok_out)
{
	cleanup_json struct json *v = parse_ok(text, text);
	uint64_t n = 0xdeadbeef;

	*ok_out = json_uint64(json_at(v, 0), &n);
	return n;
}

static void test_uint64(void)
{
	cleanup_json struct json *v = NULL;
	uint64_t n;
	int64_t i;
	bool accepted;

	n = uint_of("[18446744073709551615]", &accepted);
	ok(accepted, "json_uint64 accepts 18446744073709551615");
	is_uint(n, UINT64_MAX, "json_uint64 reads 18446744073709551615 exactly");
	n = uint_of("[9223372036854775808]", &accepted);
	ok(accepted, "json_uint64 accepts INT64_MAX + 1");
	is_uint(n, 9223372036854775808ULL, "json_uint64 reads INT64_MAX + 1 exactly");
	n = uint_of("[0]", &accepted);
	ok(accepted && n == 0, "json_uint64 reads 0");
	uint_of("[18446744073709551616]", &accepted);
	ok(!accepted, "json_uint64 refuses UINT64_MAX + 1");
	uint_of("[-1]", &accepted);
	ok(!accepted, "json_uint64 refuses -1");
	uint_of("[-0]", &accepted);
	ok(!accepted, "json_uint64 refuses -0");
	uint_of("[-18446744073709551615]", &accepted);
	ok(!accepted, "json_uint64 refuses -18446744073709551615 (strtoull would wrap it)");
	uint_of("[1.5]", &accepted);
	ok(!accepted, "json_uint64 refuses 1.5");
	uint_of("[1e3]", &accepted);
	ok(!accepted, "json_uint64 refuses 1e3");
	uint_of("[\"5\"]", &accepted);
	ok(!accepted, "json_uint64 refuses the string \"5\"");
	ok(!json_uint64(NULL, &n), "json_uint64 refuses a missing value");

	v = parse_ok("[-9223372036854775808, 9223372036854775808]", "int64 limits");
	ok(json_int64(json_at(v, 0), &i) && i == INT64_MIN, "json_int64 reads INT64_MIN exactly");
	ok(!json_int64(json_at(v, 1), &i), "json_int64 refuses INT64_MAX + 1");
}

static void test_accessors(void)
{
	cleanup_json struct json *v =
		parse_ok("{\"s\": \"str\", \"n\": 7, \"a\": [true, null], \"o\": {\"k\": false}}",
			 "an object of each type");
	const struct json *a = json_get(v, "a"), *s = json_get(v, "s");

	is_int(json_type(v), JSON_OBJECT, "the document is an object");
	is_int(json_len(v), 4, "json_len counts the members of an object");
	is_str(json_key_at(v, 0), "s", "json_key_at 0 is the first key");
	is_str(json_key_at(v, 3), "o", "json_key_at 3 is the last key");
	ok(json_key_at(v, 4) == NULL, "json_key_at past the end is NULL");
	ok(json_at(v, 4) == NULL, "json_at past the end of an object is NULL");
	is_str(json_string(s), "str", "json_get finds a string member");
	ok(json_get(v, "absent") == NULL, "json_get of an absent key is NULL");
	ok(json_get(v, "S") == NULL, "json_get compares keys case-sensitively");
	is_int(json_type(a), JSON_ARRAY, "json_get finds an array member");
	is_int(json_len(a), 2, "json_len counts the elements of an array");
	is_int(json_type(json_at(a, 0)), JSON_BOOL, "json_at 0 of [true, null] is a boolean");
	is_int(json_type(json_at(a, 1)), JSON_NULL, "json_at 1 of [true, null] is null");
	ok(json_at(a, 2) == NULL, "json_at past the end of an array is NULL");
	is_str(json_type_name(a), "an array", "json_type_name of an array");
	is_str(json_type_name(json_get(v, "n")), "a number", "json_type_name of a number");
	ok(json_string(json_get(v, "n")) == NULL, "json_string of a number is NULL");

	ok(json_get(a, "a") == NULL, "json_get on an array returns NULL");
	ok(json_get(s, "s") == NULL, "json_get on a string returns NULL");
	ok(json_get(NULL, "s") == NULL, "json_get on NULL returns NULL");
	is_int(json_len(s), 0, "json_len of a string is 0");
	ok(json_key_at(a, 0) == NULL, "json_key_at on an array is NULL");
}

static char *nested(size_t depth, char open, char close)
{
	char *s = malloc(2 * depth + 1);

	memset(s, open, depth);
	memset(s + depth, close, depth);
	s[2 * depth] = '\0';
	return s;
}

static void test_limits(void)
{
	struct error err = { 0 };
	struct json *v = NULL;
	cleanup_free char *at_limit = nested(JSON_MAX_DEPTH, '[', ']');
	cleanup_free char *over = nested(JSON_MAX_DEPTH + 1, '[', ']');
	cleanup_free char *deep = nested(10000, '[', ']');
	cleanup_free char *open_only = nested(10000, '[', ']');
	char in_string[256];
	double start;
	int ret;

	ret = json_parse(at_limit, strlen(at_limit), "input", &v, &err);
	if (!is_int(ret, 0, "nesting of exactly JSON_MAX_DEPTH is parsed"))
		diag("error: %s", err.msg);
	json_free(v);
	v = NULL;
	parse_fails(over, strlen(over), "nests deeper than 64 levels",
		    "nesting of JSON_MAX_DEPTH + 1");

	start = now();
	parse_fails(deep, strlen(deep), "nests deeper", "10000 nested arrays");
	ok(now() - start < 0.5, "10000 nested arrays are refused in under half a second");
	open_only[10000] = '\0'; /* "[[[[...": never closed */
	start = now();
	parse_fails(open_only, strlen(open_only), "nests deeper", "10000 unclosed [");
	ok(now() - start < 0.5, "10000 unclosed [ are refused in under half a second");

	/* Brackets inside strings, escaped quotes included, are not nesting. */
	snprintf(in_string, sizeof(in_string), "{\"k\": \"\\\"%.100s\", \"[\": \"\\\\\"}", deep);
	v = parse_ok(in_string, "100 [ inside a string after an escaped quote");
	is_str(json_string(json_get(v, "[")), "\\",
	       "a key \"[\" after a string ending in \\\\ is read");
	ok(json_string(json_get(v, "k")) && strlen(json_string(json_get(v, "k"))) == 101,
	   "the string of 100 [ is read whole");
	json_free(v);
}

static void test_refusals(void)
{
	static const char with_nul[] = "{\"a\": \"x\0y\"}";
	static const char doc[] = "[1, 2, 3]";
	struct error err = { 0 };
	struct json *v = NULL;
	int ret;

	parse_fails(with_nul, sizeof(with_nul) - 1, "NUL byte", "a NUL byte inside a string");
	parse_fails("[1, 2", 5, "not valid JSON", "truncated JSON");
	parse_fails("", 0, "not valid JSON", "empty input");
	parse_fails("[1] [2]", 7, "not valid JSON", "two documents");
	/* yajl accepts comments; JSON and runc do not, and a quote in one hid the depth. */
	parse_fails("[1 /* x */]", 11, "holds a comment", "a block comment");
	parse_fails("[1] // x", 8, "holds a comment", "a line comment");
	parse_fails("[/*\"*/[[[[1]]]]]", 16, "holds a comment", "a comment holding a quote");
	parse_fails("\"\xff\"", 3, "not valid JSON", "a string that is not UTF-8");
	/* The buffer holds a complete document; only its first @len bytes are the input. */
	ret = json_parse(doc, 5, "input", &v, &err);
	is_int(ret, -1,
	       "json_parse reads only @len bytes: \"[1, \" (the first 5 of \"%s\") is refused",
	       doc);
	if (ret == 0) {
		diag("parsed %zu elements: bytes past @len were read", json_len(v));
		json_free(v);
	}

	/* yajl quotes the input around a syntax error: none of it may reach the message. */
	parse_fails("not json secret-token-123", 25, "input `t.json` is not valid JSON",
		    "text that is not JSON");
	json_parse("not json secret-token-123", 25, "input", &v, &err);
	unlike(err.msg, "secret-token-123",
	       "the message for text that is not JSON quotes none of it");
	json_parse("{\"a\": secret-token-123}", 23, "input", &v, &err);
	unlike(err.msg, "secret", "the message for a bad value quotes none of the text");
}

static char *write_doc(struct json_writer *w, int *ret, struct error *err)
{
	char *out = NULL;
	size_t len = 0;

	*ret = json_writer_finish(w, &out, &len, err);
	if (out && strlen(out) != len) {
		diag("json_writer_finish: length %zu, but strlen %zu", len, strlen(out));
		*ret = -2;
	}
	return out;
}

static void test_writer(void)
{
	static const char expected[] = "{\n"
				       "  \"u\": 18446744073709551615,\n"
				       "  \"i\": -9223372036854775808,\n"
				       "  \"b\": false,\n"
				       "  \"s\": \"quote \\\" backslash \\\\ tab \\t\",\n"
				       "  \"copy\": [\n"
				       "    1.50,\n"
				       "    null,\n"
				       "    {\n"
				       "      \"k\": \"v\"\n"
				       "    }\n"
				       "  ]\n"
				       "}\n";
	cleanup_json_writer struct json_writer *w = json_writer_new();
	cleanup_json_writer struct json_writer *bad = json_writer_new();
	cleanup_json_writer struct json_writer *latin1 = json_writer_new();
	cleanup_json struct json *copy = parse_ok("[1.50, null, {\"k\": \"v\"}]",
						  "a value to copy");
	cleanup_free char *out = NULL, *again = NULL, *bad_out = NULL, *latin1_out = NULL;
	cleanup_json struct json *reread = NULL;
	cleanup_json_writer struct json_writer *w2 = json_writer_new();
	struct error err = { 0 };
	int ret;

	json_w_object_begin(w);
	json_w_key(w, "u");
	json_w_uint(w, UINT64_MAX);
	json_w_key(w, "i");
	json_w_int(w, INT64_MIN);
	json_w_key(w, "b");
	json_w_bool(w, false);
	json_w_key(w, "s");
	json_w_string(w, "quote \" backslash \\ tab \t");
	json_w_key(w, "copy");
	json_w_value(w, copy);
	json_w_object_end(w);
	out = write_doc(w, &ret, &err);
	is_int(ret, 0, "the writer finishes a document");
	is_str(out, expected, "the document is pretty-printed, numbers copied digit for digit");

	/* What the writer wrote reads back, and writes again to the same bytes. */
	if (out && json_parse(out, strlen(out), "output", &reread, &err) == 0) {
		json_w_value(w2, reread);
		again = write_doc(w2, &ret, &err);
	}
	is_str(again, expected, "parse then json_w_value gives the same bytes");

	json_w_array_end(bad); /* nothing is open */
	json_w_array_begin(bad);
	json_w_array_end(bad);
	bad_out = write_doc(bad, &ret, &err);
	is_int(ret, -1, "a writer error sticks until json_writer_finish");
	like(err.msg, "generating JSON failed", "json_writer_finish says generating failed");

	json_w_string(latin1, "caf\xe9");
	latin1_out = write_doc(latin1, &ret, &err);
	is_int(ret, -1, "a string that is not UTF-8 is not written");
}

int main(void)
{
	test_uint64();
	test_accessors();
	test_limits();
	test_refusals();
	test_writer();
	return done_testing();
}
