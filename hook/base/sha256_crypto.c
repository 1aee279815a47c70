// SPDX-License-Identifier: GPL-2.0-or-later
/* SHA-256 through libcrypto's EVP interface: no digest code of our own. Linked into the analyze
 * helper only (base/analyze_helper.h). */
#include <string.h>
#include <openssl/evp.h>
#include "base/sha256.h"

int sha256_crypto_digest(const void *data, size_t len, char out[SHA256_DIGEST_SIZE],
			 struct error *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	if (!EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) || md_len * 2 != SHA256_HEX_LEN)
		return error_set(err, 0, "libcrypto could not compute a SHA-256 digest");
	memcpy(out, "sha256:", 7);
	for (unsigned int i = 0; i < md_len; i++) {
		out[7 + 2 * i] = hex[md[i] >> 4];
		out[7 + 2 * i + 1] = hex[md[i] & 0xf];
	}
	out[7 + SHA256_HEX_LEN] = '\0';
	return 0;
}
