// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the OCI artifact format: tags, DIR[:TAG], the layout written and read back with
 * its digests checked, the manifests a pull refuses, and what runtimes take in a profile.
 */
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tap.h"
#include "base/fs.h"
#include "base/sha256.h"
#include "profile/oci_layout.h"
#include "profile/profile_target.h"
#include "profile_test.h"

static void test_sha256(void)
{
	char d[SHA256_DIGEST_SIZE];
	struct error err = { 0 };

	is_int(sha256_digest("", 0, d, &err), 0, "the digest of nothing");
	is_str(d, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	       "is SHA-256's");
	is_int(sha256_digest("{}", 2, d, &err), 0, "the digest of {}");
	is_str(d, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
	       "is the OCI empty config's");
	ok(sha256_digest_valid(d), "and valid");
	ok(!sha256_digest_valid("sha256:44136FA3"), "a short or upper-case digest is not");
}

static void test_tags(void)
{
	cleanup_free char *dir = NULL, *tag = NULL;
	struct error err = { 0 };
	char long_tag[OCI_TAG_MAX + 2];

	ok(oci_tag_valid("latest") && oci_tag_valid("team-a.web-1.app") && oci_tag_valid("_x"),
	   "names of letters, digits, _ . - are tags");
	ok(!oci_tag_valid("") && !oci_tag_valid(".a") && !oci_tag_valid("-a") &&
		   !oci_tag_valid("a/b") && !oci_tag_valid("a:b"),
	   "an empty tag, a leading . or -, a / or : is not");
	memset(long_tag, 'a', sizeof(long_tag) - 1);
	long_tag[sizeof(long_tag) - 1] = '\0';
	ok(!oci_tag_valid(long_tag), "129 characters is too many");
	long_tag[OCI_TAG_MAX] = '\0';
	ok(oci_tag_valid(long_tag), "128 is not");
	is_int(oci_layout_ref_split("/x/layout:v1", &dir, &tag, &err), 0, "DIR:TAG splits");
	is_str(dir, "/x/layout", "into DIR");
	is_str(tag, "v1", "and TAG");
	free(dir);
	free(tag);
	oci_layout_ref_split("/x/lay:out/p", &dir, &tag, &err);
	is_str(dir, "/x/lay:out/p", "a colon before the last / is part of DIR");
	is_str(tag, "latest", "and the tag is latest");
	free(dir);
	free(tag);
	oci_layout_ref_split("/x/p:-bad", &dir, &tag, &err);
	is_str(dir, "/x/p:-bad", "a colon followed by no tag stays in DIR");
}

static void test_layout(const char *tmp)
{
	static const char profile[] = "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}";
	char dir[512], digest[SHA256_DIGEST_SIZE], again[SHA256_DIGEST_SIZE], path[600];
	cleanup_free char *layer = NULL, *other = NULL;
	struct error err = { 0 };
	size_t len;
	int fd;

	snprintf(dir, sizeof(dir), "%s/layout", tmp);
	if (!is_int(oci_layout_write(dir, "v1", FS_LINKS_NONE, profile, strlen(profile), 0644,
				     digest, &err),
		    0, "a layout is written"))
		diag("%s", err.msg);
	ok(oci_layout_is(dir), "it is an OCI image layout");
	is_int(oci_layout_write(dir, "v2", FS_LINKS_NONE, "{}", 2, 0644, again, &err), 0,
	       "a second tag is written beside it");
	is_int(oci_layout_read(dir, "v1", FS_LINKS_NONE, 1 << 20, &layer, &len, again, &err), 0,
	       "v1 is read back");
	is_str(layer, profile, "with the profile's bytes");
	is_str(again, digest, "and the digest written");
	is_int(oci_layout_read(dir, NULL, FS_LINKS_NONE, 1 << 20, &other, &len, again, &err), -1,
	       "without a tag, two manifests and no latest are refused");
	like(err.msg, "name it as DIR:TAG", "saying how to name one");
	is_int(oci_layout_read(dir, "v1", FS_LINKS_NONE, 10, &other, &len, again, &err), -1,
	       "a layer above the limit is refused");
	like(err.msg, "runtimes take", "naming the limit");
	/* The profile's blob altered on disk: its digest no longer matches. */
	snprintf(path, sizeof(path), "%s/blobs/sha256/", dir);
	{
		char layer_digest[SHA256_DIGEST_SIZE];

		sha256_digest(profile, strlen(profile), layer_digest, &err);
		strncat(path, layer_digest + 7, sizeof(path) - strlen(path) - 1);
	}
	fd = open(path, O_WRONLY | O_TRUNC);
	ok(fd >= 0 && write(fd, "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", 34) == 34, "altered");
	if (fd >= 0)
		close(fd);
	is_int(oci_layout_read(dir, "v1", FS_LINKS_NONE, 1 << 20, &other, &len, again, &err), -1,
	       "an altered blob is refused");
	like(err.msg, "it is named by", "by its digest");
	snprintf(path, sizeof(path), "%s/not-a-layout", tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/not-a-layout/file", tmp);
	close(open(path, O_CREAT | O_WRONLY, 0644));
	snprintf(path, sizeof(path), "%s/not-a-layout", tmp);
	is_int(oci_layout_prepare(path, FS_LINKS_NONE, &err), -1,
	       "a directory of other files is never made a layout");
	like(err.msg, "not an OCI image layout, left as it is", "and says so");
}

#define MANIFEST(config, artifact, layers)                                                \
	"{'schemaVersion': 2, 'mediaType': "                                              \
	"'application/vnd.oci.image.manifest.v1+json', " artifact                         \
	"'config': {'mediaType': '" config "', 'digest': 'sha256:"                        \
	"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', 'size': 2}, " \
	"'layers': [" layers "]}"
#define LAYER(size)                                            \
	"{'mediaType': 'application/json', 'digest': 'sha256:" \
	"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', 'size': " #size "}"
#define ARTIFACT "'artifactType': '" OCI_ARTIFACT_TYPE "', "

static void check_manifest(const char *text, int expected, const char *needle, const char *desc)
{
	cleanup_free char *doc = dq(text);
	struct oci_descriptor layer;
	struct error err = { 0 };

	is_int(oci_artifact_check_manifest(doc, strlen(doc), "m", 1 << 20, &layer, &err), expected,
	       "%s", desc);
	if (needle)
		like(err.msg, needle, "%s: the message", desc);
}

static void test_manifests(void)
{
	check_manifest(MANIFEST(OCI_ARTIFACT_TYPE, ARTIFACT, LAYER(2)), 0, NULL,
		       "the artifact we write");
	check_manifest(MANIFEST(OCI_ARTIFACT_TYPE, "", LAYER(2)), 0, NULL,
		       "the typed config alone");
	check_manifest(MANIFEST(OCI_EMPTY_TYPE, ARTIFACT, LAYER(2)), 0, NULL,
		       "an empty config with artifactType (OCI 1.1)");
	check_manifest(MANIFEST(OCI_EMPTY_TYPE, "", LAYER(2)), -1, "config of media type",
		       "an empty config without artifactType");
	check_manifest(MANIFEST("application/vnd.oci.image.config.v1+json", "", LAYER(2)), -1,
		       "an image or another artifact", "an image");
	check_manifest(MANIFEST(OCI_ARTIFACT_TYPE, "'artifactType': 'application/x', ", LAYER(2)),
		       -1, "artifactType `application/x`", "another artifactType");
	check_manifest(MANIFEST(OCI_ARTIFACT_TYPE, ARTIFACT, LAYER(2) ", " LAYER(2)), -1,
		       "has 2 layers", "two layers");
	check_manifest(MANIFEST(OCI_ARTIFACT_TYPE, ARTIFACT, ""), -1, "has 0 layers", "no layer");
	check_manifest(MANIFEST(OCI_ARTIFACT_TYPE, ARTIFACT, LAYER(2000000)), -1, "runtimes take",
		       "a layer above 1 MiB");
	check_manifest("{'schemaVersion': 2, 'manifests': []}", -1, "an image index",
		       "an image index");
	check_manifest("{'schemaVersion': 2, 'mediaType': "
		       "'application/vnd.docker.distribution.manifest.v2+json'}",
		       -1, "not a seccomp profile artifact", "a Docker image");
}

static void check_runtime(const char *text, const char *needle, const char *desc)
{
	cleanup_profile struct profile *p = parse_ok(text, desc);
	struct error err = { 0 };

	if (!p)
		return;
	is_int(profile_check_runtime(p, 0, WHAT, &err), needle ? -1 : 0, "%s", desc);
	if (needle)
		like(err.msg, needle, "%s: the message names it", desc);
}

static void test_runtime_limits(void)
{
	char big[16384] = "{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [";
	cleanup_profile struct profile *p = NULL;
	struct error err = { 0 };

	check_runtime(DENY("'SCMP_ARCH_X86_64'", ALLOW("'read'")), NULL, "a plain profile");
	check_runtime("{'defaultAction': 'SCMP_ACT_NOTIFY'}", "defaultAction SCMP_ACT_NOTIFY",
		      "a notifying default");
	check_runtime(DENY("", "{'names': ['ptrace'], 'action': 'SCMP_ACT_NOTIFY'}"),
		      "(`ptrace`) has SCMP_ACT_NOTIFY", "a notifying rule");
	check_runtime("{'defaultAction': 'SCMP_ACT_ERRNO', 'listenerPath': '/run/l'}",
		      "has `listenerPath`", "a listener");
	check_runtime(DENY("", "{'names': ['read'], 'action': 'SCMP_ACT_ALLOW', 'errnoRet': 1}"),
		      "(`read`) has errnoRet with SCMP_ACT_ALLOW", "errnoRet on an allow");
	check_runtime(DENY("", "{'names': ['read'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38}"),
		      NULL, "errnoRet on an errno rule");
	for (int i = 0; i < 129; i++)
		strcat(big, i ? ", " ALLOW("'getcpu'") : ALLOW("'getcpu'"));
	strcat(big, "]}");
	check_runtime(big, "129 entries for `getcpu`; runtimes take at most 128", "129 entries");
	p = parse_ok(DENY("", ALLOW("'read'")), "small");
	is_int(profile_check_runtime(p, PROFILE_RUNTIME_MAX_BYTES + 1, WHAT, &err), -1,
	       "a profile above 1 MiB is refused");
	like(err.msg, "runtimes take at most 1048576", "naming the limit");
}

static void test_target(const char *tmp)
{
	char out[512];
	struct profile_target_options o = { .path = out,
					    .format = PROFILE_FORMAT_OCI_ARTIFACT,
					    .format_given = true,
					    .links = FS_LINKS_NONE };
	cleanup_profile struct profile *p = parse_ok(DENY("'SCMP_ARCH_X86_64'", ALLOW("'read'")),
						     "target");
	cleanup_profile struct profile *back = NULL;
	struct profile_target t;
	struct profile_saved saved = { 0 };
	struct error err = { 0 };
	enum profile_format fmt;

	snprintf(out, sizeof(out), "%s/t.oci:v7", tmp);
	is_int(profile_target_resolve(&o, &t, &err), 0, "an artifact target resolves");
	like(t.path, "/t.oci", "to the layout's directory");
	is_str(t.tag, "v7", "and its tag");
	is_str(profile_target_kind(&t), "OCI artifact", "an OCI artifact, as messages say");
	if (p && !is_int(profile_target_save_saved(&t, p, NULL, &saved, &err), 0, "it is saved"))
		diag("%s", err.msg);
	ok(sha256_digest_valid(saved.digest), "with the manifest's digest");
	is_int(profile_read_any(out, FS_LINKS_NONE, &back, &fmt, &err), 0, "DIR:TAG is read back");
	is_int(fmt, PROFILE_FORMAT_OCI_ARTIFACT, "as an artifact");
	ok(back && back->n_rules == 1, "with its rule");
	profile_target_release(&t);
	o.path = NULL;
	o.default_stem = "cmd";
	profile_target_resolve(&o, &t, &err);
	is_str(t.path, "./cmd.seccomp.oci", "the default path of an artifact");
	profile_target_release(&t);
}

int main(void)
{
	cleanup_free char *dir = tap_mkdtemp("oci_artifact");

	test_sha256();
	test_tags();
	test_manifests();
	test_runtime_limits();
	if (dir) {
		test_layout(dir);
		test_target(dir);
		tap_rmtree(dir);
	}
	return done_testing();
}
