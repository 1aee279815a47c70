/* SPDX-License-Identifier: GPL-2.0-or-later */
/* FNV-1a, 64 bits: the one hash of the project (digests that say two builds agree). */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV1A_INIT 0xcbf29ce484222325ULL
#define HASH_FNV1A_PRIME 0x100000001b3ULL

/* One step: @h with @x folded in (a byte, or a whole value as the argument table folds it). */
static inline uint64_t hash_fnv1a_step(uint64_t h, uint64_t x)
{
	return (h ^ x) * HASH_FNV1A_PRIME;
}

/* @h with the @len bytes at @data folded in, one at a time. */
static inline uint64_t hash_fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *bytes = data;

	for (size_t i = 0; i < len; i++)
		h = hash_fnv1a_step(h, bytes[i]);
	return h;
}

/* @h with the bytes of the string @s folded in, without its NUL. */
static inline uint64_t hash_fnv1a_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = hash_fnv1a_step(h, (unsigned char)*s);
	return h;
}

#endif /* HASH_H */
