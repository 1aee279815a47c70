// SPDX-License-Identifier: GPL-2.0-or-later
/* skopeo, run to its end or its deadline; its own last word is what an error says. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "base/log.h"
#include "base/process.h"
#include "base/process_run.h"
#include "oci/registry.h"
#include "profile/oci_layout.h"

#define SKOPEO "skopeo"
#define SKOPEO_FALLBACK "/usr/bin/skopeo"
#define MANIFEST_MAX (64 * 1024)
#define MAX_ARGS 16

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("._-/:", c);
}

int registry_ref_parse(const char *text, const char *what, struct registry_ref *out,
		       struct error *err)
{
	const char *rest, *at, *slash, *colon;

	memset(out, 0, sizeof(*out));
	if (strncmp(text, REGISTRY_TRANSPORT, strlen(REGISTRY_TRANSPORT)) != 0)
		return error_set(err, 0, "%s `%.200s` is not a docker://HOST/REPO reference", what,
				 text);
	rest = text + strlen(REGISTRY_TRANSPORT);
	slash = strchr(rest, '/');
	if (!slash || slash == rest || !slash[1])
		return error_set(err, 0, "%s `%.200s` names no HOST/REPO", what, text);
	at = strchr(rest, '@');
	if (at) {
		if (!sha256_digest_valid(at + 1))
			return error_set(err, 0,
					 "%s `%.200s`: what follows @ is not a sha256 digest", what,
					 text);
		out->digest = strdup(at + 1);
	}
	colon = strrchr(slash, ':');
	if (colon && (!at || colon < at)) {
		cleanup_free char *tag = strndup(colon + 1,
						 at ? (size_t)(at - colon - 1) : strlen(colon + 1));

		if (!tag || !oci_tag_valid(tag))
			return error_set(err, tag ? 0 : ENOMEM,
					 "%s `%.200s`: its tag is not [A-Za-z0-9_][A-Za-z0-9_.-] "
					 "of at most %d",
					 what, text, OCI_TAG_MAX);
		out->tag = TAKE_PTR(tag);
	}
	out->name = strndup(rest, (size_t)((colon && (!at || colon < at)) ? colon - rest :
					   at				  ? at - rest :
									    (long)strlen(rest)));
	if (!out->name || (at && !out->digest))
		return error_set(err, ENOMEM, "%s", what);
	for (const char *s = out->name; *s; s++)
		if (!name_char(*s)) {
			registry_ref_release(out);
			return error_set(err, 0, "%s `%.200s` has a character no reference takes",
					 what, text);
		}
	return 0;
}

void registry_ref_release(struct registry_ref *r)
{
	free(r->name);
	free(r->tag);
	free(r->digest);
	memset(r, 0, sizeof(*r));
}

/* The message of skopeo's last log line (`level=fatal msg="..."`), unquoted; else the line. */
static void skopeo_message(const char *line, char *out, size_t size)
{
	const char *msg = strstr(line, "msg=\"");
	size_t n = 0;

	if (!msg) {
		snprintf(out, size, "%s", line[0] ? line : "no message");
		return;
	}
	for (msg += 5; *msg && n + 1 < size; msg++) {
		if (*msg == '\\' && msg[1]) {
			msg++;
		} else if (*msg == '"') {
			break;
		}
		out[n++] = *msg;
	}
	out[n] = '\0';
}

/* skopeo @argv[1...] (argv[0] is filled in); an error quotes skopeo's last line. */
static int skopeo(const char **argv, const struct registry_options *o, size_t max_out,
		  struct process_result *r, const char *doing, struct error *err)
{
	cleanup_free char *path = NULL;

	if (command_resolve(SKOPEO, &path) != 0 && !(path = strdup(SKOPEO_FALLBACK)))
		return error_set(err, ENOMEM, "%s", doing);
	argv[0] = path;
	log_debug("%s: running `%s %s`", doing, path, argv[1]);
	if (process_run((char *const *)argv, o->timeout_ms ? o->timeout_ms : REGISTRY_TIMEOUT_MS,
			max_out, r, err) < 0)
		return error_prefix(err, "%s: ", doing);
	if (r->timed_out)
		return error_set(err, 0, "%s: skopeo did not finish within %d s", doing,
				 (o->timeout_ms ? o->timeout_ms : REGISTRY_TIMEOUT_MS) / 1000);
	if (r->status != 0) {
		char msg[PROCESS_ERR_LINE_MAX];

		skopeo_message(r->err_line, msg, sizeof(msg));
		return error_set(err, 0, "%s: skopeo failed: %s", doing, msg);
	}
	return 0;
}

static char *ref_text(const struct registry_ref *ref, const char *digest)
{
	char *s = NULL;

	if (digest)
		return asprintf(&s, REGISTRY_TRANSPORT "%s@%s", ref->name, digest) < 0 ? NULL : s;
	if (ref->digest)
		return asprintf(&s, REGISTRY_TRANSPORT "%s@%s", ref->name, ref->digest) < 0 ? NULL :
											      s;
	return asprintf(&s, REGISTRY_TRANSPORT "%s:%s", ref->name,
			ref->tag ? ref->tag : OCI_DEFAULT_TAG) < 0 ?
		       NULL :
		       s;
}

int registry_manifest(const struct registry_ref *ref, const struct registry_options *o, char **text,
		      size_t *len, struct error *err)
{
	cleanup_process_result struct process_result r = { 0 };
	cleanup_free char *src = ref_text(ref, NULL), *doing = NULL;
	const char *argv[MAX_ARGS] = {
		NULL,	 "inspect",
		"--raw", "--retry-times",
		"0",	 o->tls_verify ? "--tls-verify=true" : "--tls-verify=false",
		src
	};

	if (!src || asprintf(&doing, "read the manifest of `%s`", src) < 0)
		return error_set(err, ENOMEM, "registry");
	if (skopeo(argv, o, MANIFEST_MAX, &r, doing, err) < 0)
		return -1;
	*len = r.out_len;
	*text = TAKE_PTR(r.out);
	return 0;
}

int registry_fetch(const struct registry_ref *ref, const char *digest, const char *dir,
		   const char *tag, const struct registry_options *o, struct error *err)
{
	cleanup_process_result struct process_result r = { 0 };
	cleanup_free char *src = ref_text(ref, digest), *dst = NULL, *doing = NULL;
	const char *argv[MAX_ARGS] = { NULL,
				       "copy",
				       "--quiet",
				       "--preserve-digests",
				       "--retry-times",
				       "0",
				       o->tls_verify ? "--src-tls-verify=true" :
						       "--src-tls-verify=false" };
	int n = 7;

	if (!src || asprintf(&dst, "oci:%s:%s", dir, tag) < 0 ||
	    asprintf(&doing, "fetch `%s`", src) < 0)
		return error_set(err, ENOMEM, "registry");
	argv[n++] = src;
	argv[n++] = dst;
	return skopeo(argv, o, 4096, &r, doing, err);
}

int registry_push(const char *dir, const char *tag, const struct registry_ref *dest,
		  const struct registry_options *o, char digest[SHA256_DIGEST_SIZE],
		  struct error *err)
{
	cleanup_process_result struct process_result r = { 0 };
	cleanup_free char *src = NULL, *dst = ref_text(dest, NULL), *doing = NULL;
	cleanup_free char *got = NULL;
	char digest_file[PATH_MAX];
	const char *argv[MAX_ARGS] = { NULL,
				       "copy",
				       "--quiet",
				       "--preserve-digests",
				       "--retry-times",
				       "0",
				       o->tls_verify ? "--dest-tls-verify=true" :
						       "--dest-tls-verify=false",
				       "--digestfile" };
	const char *tmp = getenv("TMPDIR");
	size_t len;
	int n = 8, ret, fd;

	if (!dst || asprintf(&src, "oci:%s:%s", dir, tag) < 0 ||
	    asprintf(&doing, "push to `%s`", dst) < 0)
		return error_set(err, ENOMEM, "registry");
	snprintf(digest_file, sizeof(digest_file), "%s/oci-seccomp-recorder-digest.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	fd = mkostemp(digest_file, O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, "%s: a file for the digest in `%s`", doing,
				 digest_file);
	close(fd);
	argv[n++] = digest_file;
	argv[n++] = src;
	argv[n++] = dst;
	ret = skopeo(argv, o, 4096, &r, doing, err);
	if (ret == 0 && fs_read_file(digest_file, FS_LINKS_FOLLOW_DIRS, 256, &got, &len, err) < 0)
		ret = error_prefix(err, "%s: the digest skopeo wrote: ", doing);
	unlink(digest_file);
	if (ret < 0)
		return -1;
	got[strcspn(got, "\n")] = '\0';
	if (!sha256_digest_valid(got))
		return error_set(err, 0, "%s: skopeo wrote no sha256 digest", doing);
	snprintf(digest, SHA256_DIGEST_SIZE, "%s", got);
	return 0;
}

char *registry_temp_dir(struct error *err)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = NULL;

	if (asprintf(&dir, "%s/oci-seccomp-recorder.XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0) {
		error_set(err, ENOMEM, "temporary directory");
		return NULL;
	}
	if (!mkdtemp(dir)) {
		error_set(err, errno, "create a temporary directory `%s`", dir);
		free(dir);
		return NULL;
	}
	return dir;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

void registry_remove_tree(const char *dir)
{
	if (dir)
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
