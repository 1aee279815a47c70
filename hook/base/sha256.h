/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 digests in the OCI form `sha256:HEX`, computed by OpenSSL's libcrypto in
 * the analyze helper. */
#ifndef SHA256_H
#define SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include "base/error.h"

#define SHA256_HEX_LEN 64
/* "sha256:" and 64 lower-case hex digits, NUL-terminated. */
#define SHA256_DIGEST_SIZE (sizeof("sha256:") + SHA256_HEX_LEN)

/* The digest of the @len bytes at @data into @out ("sha256:..."), by the analyze helper. */
int sha256_digest(const void *data, size_t len, char out[SHA256_DIGEST_SIZE], struct error *err);
/* The same by libcrypto, in this process (sha256_crypto.c: the helper links it). */
int sha256_crypto_digest(const void *data, size_t len, char out[SHA256_DIGEST_SIZE],
			 struct error *err);

/* Whether @s is a digest as sha256_digest writes it: `sha256:` and 64 lower-case hex digits. */
bool sha256_digest_valid(const char *s);

#endif /* SHA256_H */
