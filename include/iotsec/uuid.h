/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec/uuid.h - Universally Unique IDentifiers (RFC 9562).
 *
 * Model
 *   A UUID is 16 bytes in network order (RFC 9562 section 4). Three
 *   versions are made here:
 *     v4  random (122 random bits from the crypto seam),
 *     v5  name-based: SHA-1 over namespace || name, truncated to 128 bits,
 *     v7  Unix Epoch milliseconds in the top 48 bits, then 74 random bits,
 *   each with its version nibble and the RFC 9562 variant bits (10xx) set.
 *
 *   SUIT names its vendor and class IDs with v5 (draft-ietf-suit-manifest,
 *   "Creating UUIDs"):
 *     vendor-id = UUIDv5(IOTSEC_UUID_NS_DNS, vendor domain name)
 *     class-id  = UUIDv5(vendor-id, class-specific information)
 *   e.g. UUIDv5(DNS, "arm.com") = fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe and
 *   UUIDv5(that, "suit") = 1492af14-2569-5e48-bf42-9b2d51f2ab45, the IDs of
 *   the draft's examples.
 *
 *   Text form: 8-4-4-4-12 hex digits. Parsing is strict: exactly 36
 *   characters, hyphens in their four places, hex digits of either case and
 *   nothing else (no braces, no "urn:uuid:" prefix, no surrounding space).
 *   Formatting writes lowercase (RFC 9562 section 4).
 *
 * Memory
 *   No allocation; everything works on caller arrays.
 *
 * SHA-1 is used for v5 only, as RFC 9562 requires for that version; it is
 * not a security function here (the name space is public by design).
 *
 * See also: iotsec/suit.h (vendor-id and class-id parameters).
 */
#ifndef IOTSEC_UUID_H
#define IOTSEC_UUID_H

#include <stdbool.h>

#include "iotsec/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Length of the text form without its terminating NUL. */
#define IOTSEC_UUID_TEXT_LEN 36

/** Name space IDs of RFC 9562 section 6.6 (16 bytes each). */
extern const uint8_t iotsec_uuid_ns_dns[16];  /* 6ba7b810-9dad-11d1-80b4-00c04fd430c8 */
extern const uint8_t iotsec_uuid_ns_url[16];  /* 6ba7b811-9dad-11d1-80b4-00c04fd430c8 */
extern const uint8_t iotsec_uuid_ns_oid[16];  /* 6ba7b812-9dad-11d1-80b4-00c04fd430c8 */
extern const uint8_t iotsec_uuid_ns_x500[16]; /* 6ba7b814-9dad-11d1-80b4-00c04fd430c8 */
#define IOTSEC_UUID_NS_DNS iotsec_uuid_ns_dns
#define IOTSEC_UUID_NS_URL iotsec_uuid_ns_url
#define IOTSEC_UUID_NS_OID iotsec_uuid_ns_oid
#define IOTSEC_UUID_NS_X500 iotsec_uuid_ns_x500

/**
 * Name-based UUID, version 5 (RFC 9562 section 5.5): SHA-1 over the name
 * space ID @p ns (in) followed by @p name (in, @p len bytes, e.g. a domain
 * name in its canonical form without a NUL), truncated to 16 bytes, with
 * version and variant set, into @p out.
 * Cannot fail with a working backend: if SHA-1 is unavailable @p out is
 * all zero (the Nil UUID), which no v5 UUID can be.
 */
void iotsec_uuid_v5(uint8_t out[16], const uint8_t ns[16], const uint8_t *name, size_t len);

/**
 * Random UUID, version 4 (RFC 9562 section 5.4), from the crypto seam's
 * random generator.
 * @return IOTSEC_OK; IOTSEC_ERR_CRYPTO when no randomness could be had
 *         (@p out is then zero).
 */
enum iotsec_err iotsec_uuid_v4(uint8_t out[16]);

/**
 * Time-ordered UUID, version 7 (RFC 9562 section 5.7): @p unix_ms
 * (milliseconds since 1970-01-01 00:00:00 UTC, leap seconds excluded) in
 * the top 48 bits, then 74 random bits (rand_a, rand_b). Ordering between
 * UUIDs made in the same millisecond is not guaranteed (the optional
 * method 1-3 counters of section 6.2 are not used).
 * @return IOTSEC_OK; IOTSEC_ERR_INVALID_ARG when @p unix_ms does not fit
 *         48 bits; IOTSEC_ERR_CRYPTO (no randomness). @p out is zero on
 *         failure.
 */
enum iotsec_err iotsec_uuid_v7(uint8_t out[16], uint64_t unix_ms);

/**
 * Parse the NUL-terminated 8-4-4-4-12 text form @p text into @p out.
 * Any version and variant are accepted (the Nil and Max UUIDs too); only
 * the syntax is checked.
 * @return true on success; false (and @p out untouched) otherwise.
 */
bool iotsec_uuid_parse(const char *text, uint8_t out[16]);

/** Write the lowercase text form of @p u, NUL-terminated, into @p out. */
void iotsec_uuid_format(const uint8_t u[16], char out[37]);

/** The version nibble of @p u (RFC 9562 section 4.2). */
static inline unsigned iotsec_uuid_version(const uint8_t u[16])
{
    return (unsigned)(u[6] >> 4);
}

#ifdef __cplusplus
}
#endif
#endif /* IOTSEC_UUID_H */
