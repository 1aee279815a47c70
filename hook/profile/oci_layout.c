// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The seccomp profile artifact in an OCI image layout: written blobs first and index.json last,
 * read back with every digest and size checked against the bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "base/json.h"
#include "profile/oci_layout.h"

#define LAYOUT_FILE "oci-layout"
#define LAYOUT_TEXT "{\"imageLayoutVersion\":\"1.0.0\"}"
#define INDEX_FILE "index.json"
#define BLOBS "blobs/sha256"
#define CONFIG_TEXT "{}"
#define INDEX_MAX_BYTES (1024 * 1024)
#define BLOB_MODE 0644

bool oci_tag_valid(const char *tag)
{
	size_t n = strlen(tag);

	if (n == 0 || n > OCI_TAG_MAX)
		return false;
	if (!(tag[0] == '_' || (tag[0] >= '0' && tag[0] <= '9') ||
	      (tag[0] >= 'a' && tag[0] <= 'z') || (tag[0] >= 'A' && tag[0] <= 'Z')))
		return false;
	return strspn(tag, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
	       n;
}

int oci_layout_ref_split(const char *ref, char **dir, char **tag, struct error *err)
{
	const char *slash = strrchr(ref, '/');
	const char *colon = strrchr(slash ? slash : ref, ':');

	*dir = *tag = NULL;
	if (colon && oci_tag_valid(colon + 1) && colon > ref) {
		*dir = strndup(ref, (size_t)(colon - ref));
		*tag = strdup(colon + 1);
	} else {
		*dir = strdup(ref);
		*tag = strdup(OCI_DEFAULT_TAG);
	}
	if (!*dir || !*tag) {
		free(*dir);
		free(*tag);
		*dir = *tag = NULL;
		return error_set(err, ENOMEM, "layout `%s`", ref);
	}
	return 0;
}

/* A descriptor's digest and size, checked. */
static int descriptor(const struct json *d, const char *what, const char *field,
		      struct oci_descriptor *out, struct error *err)
{
	const char *digest = json_string(json_get(d, "digest"));
	uint64_t size;

	if (json_type(d) != JSON_OBJECT || !digest || !sha256_digest_valid(digest))
		return error_set(err, 0, "%s: its %s has no sha256 digest", what, field);
	if (!json_uint64(json_get(d, "size"), &size) || size > SIZE_MAX)
		return error_set(err, 0, "%s: its %s has no size", what, field);
	snprintf(out->digest, sizeof(out->digest), "%s", digest);
	out->size = (size_t)size;
	return 0;
}

int oci_artifact_check_manifest(const char *text, size_t len, const char *what, size_t max_layer,
				struct oci_descriptor *layer, struct error *err)
{
	cleanup_json struct json *doc = NULL;
	const struct json *config, *layers;
	const char *media, *config_media, *artifact;
	struct oci_descriptor cfg;
	uint64_t version;

	if (len > OCI_MANIFEST_MAX_BYTES)
		return error_set(err, 0, "%s is larger than %d bytes: not a profile artifact", what,
				 OCI_MANIFEST_MAX_BYTES);
	if (json_parse(text, len, what, &doc, err) < 0)
		return -1;
	if (json_type(doc) != JSON_OBJECT)
		return error_set(err, 0, "%s is not a JSON object", what);
	media = json_string(json_get(doc, "mediaType"));
	if (json_get(doc, "manifests") || (media && strcmp(media, OCI_INDEX_TYPE) == 0))
		return error_set(err, 0,
				 "%s is an image index, not a seccomp profile artifact (an image "
				 "manifest with one layer)",
				 what);
	if (!json_uint64(json_get(doc, "schemaVersion"), &version) || version != 2)
		return error_set(err, 0, "%s: schemaVersion is not 2", what);
	if (!media || strcmp(media, OCI_MANIFEST_TYPE) != 0)
		return error_set(err, 0,
				 "%s has media type `%.100s`, not " OCI_MANIFEST_TYPE
				 ": not a seccomp profile artifact",
				 what, media ? media : "(none)");
	config = json_get(doc, "config");
	config_media = json_string(json_get(config, "mediaType"));
	artifact = json_string(json_get(doc, "artifactType"));
	if (artifact && strcmp(artifact, OCI_ARTIFACT_TYPE) != 0)
		return error_set(err, 0,
				 "%s has artifactType `%.100s`, not " OCI_ARTIFACT_TYPE
				 ": not a seccomp profile artifact",
				 what, artifact);
	/* An OCI 1.1 empty config leaves the type to artifactType (KEP-6061). */
	if (!config_media || (strcmp(config_media, OCI_ARTIFACT_TYPE) != 0 &&
			      !(strcmp(config_media, OCI_EMPTY_TYPE) == 0 && artifact)))
		return error_set(err, 0,
				 "%s has a config of media type `%.100s`, not " OCI_ARTIFACT_TYPE
				 ": an image or another artifact, not a seccomp profile",
				 what, config_media ? config_media : "(none)");
	if (descriptor(config, what, "config", &cfg, err) < 0)
		return -1;
	layers = json_get(doc, "layers");
	if (json_type(layers) != JSON_ARRAY || json_len(layers) != 1)
		return error_set(err, 0,
				 "%s has %zu layers: a seccomp profile artifact has exactly one",
				 what,
				 json_type(layers) == JSON_ARRAY ? json_len(layers) : (size_t)0);
	if (descriptor(json_at(layers, 0), what, "layer", layer, err) < 0)
		return -1;
	if (layer->size > max_layer)
		return error_set(
			err, 0,
			"%s: its layer is %zu bytes, above the %zu bytes runtimes take for a "
			"profile",
			what, layer->size, max_layer);
	return 0;
}

static void blob_path(char *out, size_t size, const char *dir, const char *digest)
{
	snprintf(out, size, "%s/" BLOBS "/%s", dir, digest + strlen("sha256:"));
}

static int write_blob(const char *dir, enum fs_links links, const char *data, size_t len,
		      char digest[SHA256_DIGEST_SIZE], struct error *err)
{
	char path[PATH_MAX];

	if (sha256_digest(data, len, digest, err) < 0)
		return -1;
	blob_path(path, sizeof(path), dir, digest);
	return fs_write_atomic(path, links, data, len, BLOB_MODE, err);
}

static bool dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return false;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = false;
	closedir(d);
	return empty;
}

static int make_dir(const char *path, enum fs_links links, struct error *err)
{
	cleanup_close int fd = -1;

	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return error_set(err, errno, "create `%s`", path);
	fd = fs_open_dir(path, links, err);
	return fd < 0 ? -1 : 0;
}

bool oci_layout_is(const char *path)
{
	char file[PATH_MAX];
	struct stat st;

	snprintf(file, sizeof(file), "%s/" LAYOUT_FILE, path);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) && stat(file, &st) == 0 &&
	       S_ISREG(st.st_mode);
}

int oci_layout_prepare(const char *dir, enum fs_links links, struct error *err)
{
	char path[PATH_MAX];
	struct stat st;

	if (lstat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
		return error_set(err, 0, "`%s` exists and is not a directory (an OCI image layout)",
				 dir);
	if (make_dir(dir, links, err) < 0)
		return -1;
	if (oci_layout_is(dir))
		return 0;
	if (!dir_is_empty(dir))
		return error_set(
			err, 0,
			"`%s` is a directory with files and no oci-layout: not an OCI image "
			"layout, left as it is",
			dir);
	snprintf(path, sizeof(path), "%s/blobs", dir);
	if (make_dir(path, links, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/" BLOBS, dir);
	if (make_dir(path, links, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/" LAYOUT_FILE, dir);
	return fs_write_atomic(path, links, LAYOUT_TEXT, strlen(LAYOUT_TEXT), BLOB_MODE, err);
}

static void write_descriptor(struct json_writer *w, const char *media, const char *digest,
			     size_t size)
{
	json_w_object_begin(w);
	json_w_kv_string(w, "mediaType", media);
	json_w_kv_string(w, "digest", digest);
	json_w_kv_uint(w, "size", size);
}

static int manifest_text(const char *config_digest, const char *layer_digest, size_t layer_len,
			 char **out, size_t *len, struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();

	if (!w)
		return error_set(err, ENOMEM, "artifact manifest");
	json_w_object_begin(w);
	json_w_kv_int(w, "schemaVersion", 2);
	json_w_kv_string(w, "mediaType", OCI_MANIFEST_TYPE);
	json_w_kv_string(w, "artifactType", OCI_ARTIFACT_TYPE);
	json_w_key(w, "config");
	write_descriptor(w, OCI_ARTIFACT_TYPE, config_digest, strlen(CONFIG_TEXT));
	json_w_object_end(w);
	json_w_key(w, "layers");
	json_w_array_begin(w);
	write_descriptor(w, OCI_LAYER_TYPE, layer_digest, layer_len);
	json_w_key(w, "annotations");
	json_w_object_begin(w);
	json_w_kv_string(w, "org.opencontainers.image.title", OCI_LAYER_TITLE);
	json_w_object_end(w);
	json_w_object_end(w);
	json_w_array_end(w);
	json_w_object_end(w);
	return json_writer_finish(w, out, len, err);
}

/* The manifests of the index at @path other than @tag's; NULL when there is no index yet. */
static int read_index(const char *path, enum fs_links links, struct json **doc,
		      const struct json **manifests, struct error *err)
{
	cleanup_free char *text = NULL;
	size_t len;

	*doc = NULL;
	*manifests = NULL;
	if (fs_read_file(path, links, INDEX_MAX_BYTES, &text, &len, err) < 0)
		return err->errnum == ENOENT ? 0 : -1;
	if (json_parse(text, len, path, doc, err) < 0)
		return -1;
	*manifests = json_get(*doc, "manifests");
	if (json_type(*doc) != JSON_OBJECT || json_type(*manifests) != JSON_ARRAY)
		return error_set(err, 0, "`%s` is not an OCI image index (no `manifests` array)",
				 path);
	return 0;
}

static const char *ref_name(const struct json *m)
{
	return json_string(json_get(json_get(m, "annotations"), OCI_REF_NAME));
}

static int index_text(const struct json *kept, const char *tag, const char *digest, size_t size,
		      char **out, size_t *len, struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();

	if (!w)
		return error_set(err, ENOMEM, "image index");
	json_w_object_begin(w);
	json_w_kv_int(w, "schemaVersion", 2);
	json_w_kv_string(w, "mediaType", OCI_INDEX_TYPE);
	json_w_key(w, "manifests");
	json_w_array_begin(w);
	for (size_t i = 0; kept && i < json_len(kept); i++) {
		const char *name = ref_name(json_at(kept, i));

		if (!name || strcmp(name, tag) != 0)
			json_w_value(w, json_at(kept, i));
	}
	write_descriptor(w, OCI_MANIFEST_TYPE, digest, size);
	json_w_kv_string(w, "artifactType", OCI_ARTIFACT_TYPE);
	json_w_key(w, "annotations");
	json_w_object_begin(w);
	json_w_kv_string(w, OCI_REF_NAME, tag);
	json_w_object_end(w);
	json_w_object_end(w);
	json_w_array_end(w);
	json_w_object_end(w);
	return json_writer_finish(w, out, len, err);
}

int oci_layout_write(const char *dir, const char *tag, enum fs_links links, const char *layer,
		     size_t len, mode_t mode, char digest[SHA256_DIGEST_SIZE], struct error *err)
{
	char config_digest[SHA256_DIGEST_SIZE], layer_digest[SHA256_DIGEST_SIZE];
	char index_path[PATH_MAX];
	cleanup_free char *manifest = NULL, *index = NULL;
	cleanup_json struct json *old = NULL;
	const struct json *kept;
	size_t manifest_len, index_len;

	if (!oci_tag_valid(tag))
		return error_set(err, 0,
				 "`%.140s` is not a tag ([A-Za-z0-9_][A-Za-z0-9_.-], at most %d)",
				 tag, OCI_TAG_MAX);
	if (oci_layout_prepare(dir, links, err) < 0)
		return -1;
	snprintf(index_path, sizeof(index_path), "%s/" INDEX_FILE, dir);
	if (read_index(index_path, links, &old, &kept, err) < 0)
		return -1;
	if (write_blob(dir, links, CONFIG_TEXT, strlen(CONFIG_TEXT), config_digest, err) < 0 ||
	    write_blob(dir, links, layer, len, layer_digest, err) < 0 ||
	    manifest_text(config_digest, layer_digest, len, &manifest, &manifest_len, err) < 0 ||
	    write_blob(dir, links, manifest, manifest_len, digest, err) < 0 ||
	    index_text(kept, tag, digest, manifest_len, &index, &index_len, err) < 0)
		return -1;
	return fs_write_atomic(index_path, links, index, index_len, mode, err);
}

/* The blob @d of the layout @dir, its size and digest checked. */
static int read_blob(const char *dir, enum fs_links links, const struct oci_descriptor *d,
		     char **out, size_t *len, struct error *err)
{
	char path[PATH_MAX], got[SHA256_DIGEST_SIZE];
	cleanup_free char *text = NULL;

	blob_path(path, sizeof(path), dir, d->digest);
	if (fs_read_file(path, links, d->size + 1, &text, len, err) < 0)
		return -1;
	if (*len != d->size)
		return error_set(err, 0, "blob `%s` is %zu bytes, not the %zu its descriptor says",
				 path, *len, d->size);
	if (sha256_digest(text, *len, got, err) < 0)
		return -1;
	if (strcmp(got, d->digest) != 0)
		return error_set(err, 0, "blob `%s` has digest %s, not the %s it is named by", path,
				 got, d->digest);
	*out = TAKE_PTR(text);
	return 0;
}

/* The index entry of @tag (NULL: `latest`, else the only one). */
static const struct json *find_manifest(const struct json *manifests, const char *dir,
					const char *tag, struct error *err)
{
	const struct json *only = json_len(manifests) == 1 ? json_at(manifests, 0) : NULL;
	const char *want = tag ? tag : OCI_DEFAULT_TAG;

	for (size_t i = 0; i < json_len(manifests); i++) {
		const char *name = ref_name(json_at(manifests, i));

		if (name && strcmp(name, want) == 0)
			return json_at(manifests, i);
	}
	if (!tag && only)
		return only;
	error_set(err, 0, "OCI image layout `%s` has no manifest tagged `%s`%s", dir, want,
		  tag ? "" : " and more than one: name it as DIR:TAG");
	return NULL;
}

int oci_layout_read(const char *dir, const char *tag, enum fs_links links, size_t max_layer,
		    char **layer, size_t *len, char digest[SHA256_DIGEST_SIZE], struct error *err)
{
	char index_path[PATH_MAX], what[PATH_MAX + 64];
	cleanup_json struct json *index = NULL;
	cleanup_free char *manifest = NULL;
	const struct json *manifests, *entry;
	struct oci_descriptor m, l;
	size_t manifest_len;
	const char *media;

	if (!oci_layout_is(dir))
		return error_set(err, 0, "`%s` is not an OCI image layout (no oci-layout file)",
				 dir);
	snprintf(index_path, sizeof(index_path), "%s/" INDEX_FILE, dir);
	if (read_index(index_path, links, &index, &manifests, err) < 0)
		return -1;
	if (!index)
		return error_set(err, 0, "OCI image layout `%s` has no index.json", dir);
	entry = find_manifest(manifests, dir, tag, err);
	if (!entry)
		return -1;
	snprintf(what, sizeof(what), "the manifest of `%s`", dir);
	media = json_string(json_get(entry, "mediaType"));
	if (media && strcmp(media, OCI_MANIFEST_TYPE) != 0)
		return error_set(err, 0,
				 "%s has media type `%.100s`, not " OCI_MANIFEST_TYPE
				 ": not a seccomp profile artifact",
				 what, media);
	if (descriptor(entry, what, "index entry", &m, err) < 0)
		return -1;
	if (m.size > OCI_MANIFEST_MAX_BYTES)
		return error_set(err, 0, "%s is %zu bytes: not a profile artifact", what, m.size);
	if (read_blob(dir, links, &m, &manifest, &manifest_len, err) < 0 ||
	    oci_artifact_check_manifest(manifest, manifest_len, what, max_layer, &l, err) < 0)
		return -1;
	if (read_blob(dir, links, &l, layer, len, err) < 0)
		return -1;
	snprintf(digest, SHA256_DIGEST_SIZE, "%s", m.digest);
	return 0;
}
