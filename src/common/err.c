/* SPDX-License-Identifier: Apache-2.0 */
#include "iotsec/common.h"

/* see iotsec/common.h. Kept in its own translation unit so that firmware
 * which never prints errors does not link the strings. */
const char *iotsec_err_str(enum iotsec_err err)
{
    switch (err) {
    case IOTSEC_OK: return "success";
    case IOTSEC_ERR_CBOR_TRUNCATED: return "CBOR item runs past the end of the input";
    case IOTSEC_ERR_CBOR_RESERVED_AI: return "CBOR additional information 28 to 30 is reserved";
    case IOTSEC_ERR_CBOR_BAD_INDEF: return "CBOR indefinite length is not allowed for this major type";
    case IOTSEC_ERR_CBOR_BAD_BREAK: return "CBOR break stop code outside an indefinite-length item";
    case IOTSEC_ERR_CBOR_BAD_CHUNK: return "CBOR indefinite-length string chunk is not a definite-length string of the same type";
    case IOTSEC_ERR_CBOR_BAD_SIMPLE: return "CBOR two-byte simple value below 32 is not well-formed";
    case IOTSEC_ERR_CBOR_BAD_UTF8: return "CBOR text string is not valid UTF-8";
    case IOTSEC_ERR_CBOR_DUPLICATE_KEY: return "CBOR map has a duplicate key";
    case IOTSEC_ERR_CBOR_TRAILING: return "bytes follow the CBOR item";
    case IOTSEC_ERR_CBOR_NOT_SHORTEST: return "CBOR argument or float is not in its shortest form (not deterministic)";
    case IOTSEC_ERR_CBOR_INDEF: return "CBOR indefinite-length item (not deterministic)";
    case IOTSEC_ERR_CBOR_UNSORTED: return "CBOR map keys are not in bytewise lexicographic order (not deterministic)";
    case IOTSEC_ERR_CBOR_TYPE: return "CBOR item is not of the expected type";
    case IOTSEC_ERR_CBOR_RANGE: return "CBOR value is out of the expected range";
    case IOTSEC_ERR_CBOR_EXTRA_ITEMS: return "CBOR container holds more items than expected";
    case IOTSEC_ERR_CBOR_END: return "CBOR container has no more items";
    case IOTSEC_ERR_CBOR_EMPTY: return "input holds no CBOR item";
    case IOTSEC_ERR_KEY_INVALID: return "key is malformed or not on its curve";
    case IOTSEC_ERR_MALFORMED: return "structure does not follow its specification";
    case IOTSEC_ERR_NOT_FOUND: return "required item is absent";
    case IOTSEC_ERR_UNSUPPORTED: return "feature is not supported";
    case IOTSEC_ERR_UNSUPPORTED_ALG: return "algorithm is not supported";
    case IOTSEC_ERR_UNSUPPORTED_KEY: return "key type or curve is not supported";
    case IOTSEC_ERR_VERIFY_FAILED: return "signature or MAC does not verify";
    case IOTSEC_ERR_DECRYPT_FAILED: return "authentication tag or key-wrap integrity check failed";
    case IOTSEC_ERR_DIGEST_MISMATCH: return "digest does not match";
    case IOTSEC_ERR_NONCE_MISMATCH: return "the token does not carry the expected nonce";
    case IOTSEC_ERR_EXPIRED: return "the token has expired";
    case IOTSEC_ERR_NOT_YET_VALID: return "the token is not valid yet";
    case IOTSEC_ERR_PROFILE: return "the token breaks the rules of its profile";
    case IOTSEC_ERR_INVALID_ARG: return "invalid argument";
    case IOTSEC_ERR_BAD_STATE: return "operation not valid in the current state";
    case IOTSEC_ERR_KEY_USAGE: return "key cannot be used for this operation";
    case IOTSEC_ERR_BUFFER_TOO_SMALL: return "output buffer is too small";
    case IOTSEC_ERR_TOO_DEEP: return "nesting is deeper than the configured limit";
    case IOTSEC_ERR_LIMIT: return "a configured size or count limit is exceeded";
    case IOTSEC_ERR_CRYPTO: return "crypto backend failure";
    case IOTSEC_ERR_IO: return "I/O failure";
    }
    return "unknown error";
}
