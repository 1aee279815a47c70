// SPDX-License-Identifier: GPL-2.0-or-later
/* SHA-256 digests: computed by the analyze helper's libcrypto (sha256_crypto.c), so that the
 * program maps no libcrypto. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "base/analyze_helper.h"
#include "base/cleanup.h"
#include "base/process_run.h"
#include "base/sha256.h"

#define DIGEST_TIMEOUT_MS 30000

/* @data into a sealed-size memfd, the helper's stdin. */
static int input_fd(const void *data, size_t len, struct error *err)
{
	cleanup_close int fd = memfd_create("osr-digest-input", MFD_CLOEXEC);
	const char *p = data;

	if (fd < 0)
		return error_set(err, errno, "memfd for a digest");
	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return error_set(err, n < 0 ? errno : EIO, "memfd for a digest");
		done += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0)
		return error_set(err, errno, "memfd for a digest");
	return TAKE_FD(fd);
}

int sha256_digest(const void *data, size_t len, char out[SHA256_DIGEST_SIZE], struct error *err)
{
	cleanup_free char *helper = process_helper_path(ANALYZE_HELPER_NAME, ANALYZE_HELPER_ENV);
	cleanup_process_result struct process_result r = { 0 };
	char *argv[] = { helper, ANALYZE_CMD_DIGEST, NULL };
	cleanup_close int in = -1;
	size_t n;

	if (!helper)
		return error_set(err, ENOMEM, "the path of " ANALYZE_HELPER_NAME);
	if (len > ANALYZE_DIGEST_MAX_BYTES)
		return error_set(err, EFBIG, "a digest of %zu bytes", len);
	in = input_fd(data, len, err);
	if (in < 0)
		return -1;
	if (process_run_input(argv, in, DIGEST_TIMEOUT_MS, SHA256_DIGEST_SIZE + 1, &r, err) < 0)
		return -1;
	n = strcspn(r.out, "\n");
	r.out[n] = '\0';
	if (r.status != 0 || !sha256_digest_valid(r.out))
		return error_set(err, 0, "`%s %s` computed no SHA-256 digest (status %d%s%s)",
				 helper, ANALYZE_CMD_DIGEST, r.status, r.err_line[0] ? ": " : "",
				 r.err_line);
	memcpy(out, r.out, SHA256_DIGEST_SIZE);
	return 0;
}

bool sha256_digest_valid(const char *s)
{
	if (strncmp(s, "sha256:", 7) != 0 || strlen(s + 7) != SHA256_HEX_LEN)
		return false;
	return strspn(s + 7, "0123456789abcdef") == SHA256_HEX_LEN;
}
