/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec/common.h - types shared by every iotsec module.
 *
 * Slices
 *   Memory is always owned by the caller. A writable slice (struct
 *   iotsec_buf) goes in; a read-only slice (struct iotsec_cbuf) comes back
 *   and points into memory the caller supplied. Nothing in the library
 *   allocates.
 *
 * Errors
 *   Every fallible function returns one enum iotsec_err. The values are
 *   grouped in ranges so that a caller can classify an error with a range
 *   check (iotsec_err_is_*), and every value has a sentence from
 *   iotsec_err_str() that names the cause.
 *
 *     0          success
 *     1..63      malformed or invalid input (the input is wrong)
 *     64..95     unsupported feature or algorithm (the input may be fine,
 *                this build cannot handle it)
 *     96..127    verification failed (signature, MAC, tag, digest)
 *     128..159   caller misuse (bad argument, wrong state)
 *     160..191   resource limit or system failure (buffer too small, a
 *                documented nesting limit, the crypto backend, I/O)
 */
#ifndef IOTSEC_COMMON_H
#define IOTSEC_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A writable slice: memory the caller lends to the library. */
struct iotsec_buf {
    uint8_t *ptr;
    size_t len;
};

/** A read-only slice, usually pointing into caller memory. */
struct iotsec_cbuf {
    const uint8_t *ptr;
    size_t len;
};

enum iotsec_err {
    IOTSEC_OK = 0,

    /* ---- 1..63: malformed or invalid input ---- */
    IOTSEC_ERR_CBOR_TRUNCATED = 1,     /**< an item runs past the end of the input */
    IOTSEC_ERR_CBOR_RESERVED_AI = 2,   /**< additional information 28..30 is reserved (RFC 8949 3) */
    IOTSEC_ERR_CBOR_BAD_INDEF = 3,     /**< indefinite length on a major type that has none (0, 1, 6) */
    IOTSEC_ERR_CBOR_BAD_BREAK = 4,     /**< break stop code outside an indefinite-length item */
    IOTSEC_ERR_CBOR_BAD_CHUNK = 5,     /**< indefinite-length string chunk is not a definite string of the same type */
    IOTSEC_ERR_CBOR_BAD_SIMPLE = 6,    /**< two-byte simple value below 32 (RFC 8949 3.3) */
    IOTSEC_ERR_CBOR_BAD_UTF8 = 7,      /**< text string is not valid UTF-8 */
    IOTSEC_ERR_CBOR_DUPLICATE_KEY = 8, /**< a map has the same key twice */
    IOTSEC_ERR_CBOR_TRAILING = 9,      /**< bytes follow the single expected item */
    IOTSEC_ERR_CBOR_NOT_SHORTEST = 10, /**< deterministic mode: argument or float not in its shortest form */
    IOTSEC_ERR_CBOR_INDEF = 11,        /**< deterministic mode: indefinite-length item */
    IOTSEC_ERR_CBOR_UNSORTED = 12,     /**< deterministic mode: map keys not in bytewise lexicographic order */
    IOTSEC_ERR_CBOR_TYPE = 13,         /**< the item is not of the type the caller asked for */
    IOTSEC_ERR_CBOR_RANGE = 14,        /**< the value does not fit the requested C type */
    IOTSEC_ERR_CBOR_EXTRA_ITEMS = 15,  /**< a container holds more items than were consumed */
    IOTSEC_ERR_CBOR_END = 16,          /**< no item left in this container */
    IOTSEC_ERR_CBOR_EMPTY = 17,        /**< the input holds no item at all */
    IOTSEC_ERR_KEY_INVALID = 18,       /**< a key is malformed or not on its curve */
    IOTSEC_ERR_MALFORMED = 19,         /**< a structure does not follow its specification */
    IOTSEC_ERR_NOT_FOUND = 20,         /**< a required item or key is absent */

    /* ---- 64..95: unsupported ---- */
    IOTSEC_ERR_UNSUPPORTED = 64,       /**< feature not supported by this build */
    IOTSEC_ERR_UNSUPPORTED_ALG = 65,   /**< algorithm not supported by this build or backend */
    IOTSEC_ERR_UNSUPPORTED_KEY = 66,   /**< key type or curve not supported */

    /* ---- 96..127: verification failed ---- */
    IOTSEC_ERR_VERIFY_FAILED = 96,     /**< signature or MAC does not verify */
    IOTSEC_ERR_DECRYPT_FAILED = 97,    /**< authentication tag or key-wrap integrity check failed */
    IOTSEC_ERR_DIGEST_MISMATCH = 98,   /**< a digest does not match */
    IOTSEC_ERR_NONCE_MISMATCH = 99,    /**< a token does not carry the expected nonce */
    IOTSEC_ERR_EXPIRED = 100,          /**< a token has expired (exp, or iat older than allowed) */
    IOTSEC_ERR_NOT_YET_VALID = 101,    /**< a token is not valid yet (nbf or iat in the future) */
    IOTSEC_ERR_PROFILE = 102,          /**< a token breaks the rules of the profile it must follow */

    /* ---- 128..159: caller misuse ---- */
    IOTSEC_ERR_INVALID_ARG = 128,      /**< an argument is out of its documented domain */
    IOTSEC_ERR_BAD_STATE = 129,        /**< call not valid in the object's current state */
    IOTSEC_ERR_KEY_USAGE = 130,        /**< key cannot be used for this operation (e.g. sign with a public key) */

    /* ---- 160..191: resource limit or system failure ---- */
    IOTSEC_ERR_BUFFER_TOO_SMALL = 160, /**< the output buffer is too small */
    IOTSEC_ERR_TOO_DEEP = 161,         /**< nesting exceeds a documented IOTSEC_MAX_* limit */
    IOTSEC_ERR_LIMIT = 162,            /**< a documented size or count limit is exceeded */
    IOTSEC_ERR_CRYPTO = 163,           /**< the crypto backend failed for a reason of its own */
    IOTSEC_ERR_IO = 164,               /**< a platform I/O operation failed */
};

/** A sentence describing @p err, never NULL. See iotsec_err_str() in src/common/err.c. */
const char *iotsec_err_str(enum iotsec_err err);

static inline int iotsec_err_is_malformed(enum iotsec_err e) { return e >= 1 && e < 64; }
static inline int iotsec_err_is_unsupported(enum iotsec_err e) { return e >= 64 && e < 96; }
static inline int iotsec_err_is_verify(enum iotsec_err e) { return e >= 96 && e < 128; }
static inline int iotsec_err_is_misuse(enum iotsec_err e) { return e >= 128 && e < 160; }
static inline int iotsec_err_is_resource(enum iotsec_err e) { return e >= 160; }

#ifdef __cplusplus
}
#endif
#endif /* IOTSEC_COMMON_H */
