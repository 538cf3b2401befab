/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec/key.h - key handles.
 *
 * Model
 *   Every operation that uses a key takes a `const struct iotsec_key *`.
 *   The struct says what the key is (COSE kty and curve) and carries either
 *   raw symmetric bytes (caller memory) or an opaque backend handle. The
 *   OpenSSL backend keeps an EVP_PKEY there; a PSA, PKCS#11 or TPM backend
 *   keeps its own key id. Callers never look inside the handle, so moving a
 *   key into secure hardware changes no caller.
 *
 * Memory
 *   Symmetric keys made with iotsec_key_init_symmetric() and HSS-LMS public
 *   keys made with iotsec_key_init_hsslms() borrow the caller's bytes and
 *   need no release. Asymmetric keys are created by the crypto backend
 *   (which may allocate on a host backend, or use a key slot on an embedded
 *   one) and are released with iotsec_key_free().
 *
 * Concurrency
 *   A const key may be used by several threads at once for verify, sign
 *   and ECDH; generate, import and free need exclusive access.
 *
 * Algorithm binding
 *   key->alg records the COSE algorithm a key is bound to (from a COSE_Key
 *   or set by the caller). The crypto seam does not enforce it; the COSE
 *   layer checks it against the algorithm of each message.
 *
 * Identifiers
 *   kty and crv use the COSE registries (RFC 9053 section 7):
 *   kty 1 OKP, 2 EC2, 4 Symmetric, 5 HSS-LMS (RFC 8778); crv 1 P-256,
 *   2 P-384, 3 P-521, 4 X25519, 6 Ed25519.
 *
 * See also: port/crypto/crypto.h (the primitives), iotsec/cose.h (COSE_Key).
 */
#ifndef IOTSEC_KEY_H
#define IOTSEC_KEY_H

#include "iotsec/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IOTSEC_KTY_OKP 1
#define IOTSEC_KTY_EC2 2
#define IOTSEC_KTY_SYMMETRIC 4
#define IOTSEC_KTY_HSS_LMS 5 /* RFC 8778: public key only, verify only */

#define IOTSEC_CRV_P256 1
#define IOTSEC_CRV_P384 2
#define IOTSEC_CRV_P521 3
#define IOTSEC_CRV_X25519 4
#define IOTSEC_CRV_X448 5
#define IOTSEC_CRV_ED25519 6
#define IOTSEC_CRV_ED448 7

/** Largest coordinate or scalar size in bytes (P-521: 66). */
#define IOTSEC_MAX_EC_COORD 66

struct iotsec_key {
    int32_t kty;           /**< IOTSEC_KTY_* */
    int32_t crv;           /**< IOTSEC_CRV_*, 0 for symmetric keys */
    int32_t alg;           /**< COSE algorithm the key is restricted to, 0 if none */
    uint8_t has_private;   /**< 1 when the private part (or symmetric secret) is present */
    const uint8_t *k;      /**< symmetric key bytes (borrowed), NULL otherwise */
    size_t k_len;
    void *handle;          /**< backend object for asymmetric keys, NULL otherwise */
};

/** Raw parts of a key, as in COSE_Key: x, y (EC2 only) and d. Absent parts have len 0. */
struct iotsec_key_parts {
    uint8_t x[IOTSEC_MAX_EC_COORD];
    size_t x_len;
    uint8_t y[IOTSEC_MAX_EC_COORD];
    size_t y_len;
    uint8_t d[IOTSEC_MAX_EC_COORD];
    size_t d_len;
    /** EC2 point compression (RFC 9053 7.1.1: y sent as a bool): 0 when y
     *  is given, else 2 + the sign bit of y (y_len is then 0). Import only. */
    uint8_t y_compressed;
};

/**
 * Make a symmetric key that borrows @p k (in) of @p k_len bytes. Cannot fail.
 */
void iotsec_key_init_symmetric(struct iotsec_key *key, const uint8_t *k, size_t k_len);

/**
 * Make an HSS-LMS public key (kty IOTSEC_KTY_HSS_LMS) that borrows the raw
 * HSS public key @p pub (in) of @p len bytes: u32str(L) || LMS public key
 * (RFC 8554 section 6). Verify only. The bytes are checked when a
 * signature is verified, not here. Cannot fail; needs no release.
 */
void iotsec_key_init_hsslms(struct iotsec_key *key, const uint8_t *pub, size_t len);

/**
 * Generate a fresh key pair on curve @p crv (IOTSEC_CRV_*).
 * @return IOTSEC_OK; IOTSEC_ERR_UNSUPPORTED_KEY for a curve the backend lacks;
 *         IOTSEC_ERR_CRYPTO if the backend fails.
 */
enum iotsec_err iotsec_key_generate(struct iotsec_key *key, int32_t crv);

/**
 * Import a key from raw parts (in). For EC2, x and y are required (public
 * key) and d is optional; for OKP, x and/or d. Every part has exactly the
 * curve's length (32 for P-256, Ed25519 and X25519, 48 for P-384, 66 for
 * P-521). Points are checked to be on
 * the curve; when d is given with x, the pair must match.
 * @return IOTSEC_OK; IOTSEC_ERR_KEY_INVALID (wrong lengths, point not on
 *         curve, mismatched pair); IOTSEC_ERR_UNSUPPORTED_KEY.
 */
enum iotsec_err iotsec_key_import(struct iotsec_key *key, int32_t kty, int32_t crv,
                                  const struct iotsec_key_parts *parts);

/**
 * Export the raw parts (out). The private scalar d is exported only when
 * @p with_private is non-zero and the key has it.
 * @return IOTSEC_OK; IOTSEC_ERR_KEY_USAGE if private export is refused by
 *         the backend (e.g. a hardware key); IOTSEC_ERR_INVALID_ARG for
 *         symmetric keys.
 */
enum iotsec_err iotsec_key_export(const struct iotsec_key *key, int with_private,
                                  struct iotsec_key_parts *parts);

/**
 * Import a PEM key: PKCS#8 "PRIVATE KEY", SEC1 "EC PRIVATE KEY" or
 * SubjectPublicKeyInfo "PUBLIC KEY". Host backends only.
 * @return IOTSEC_OK; IOTSEC_ERR_KEY_INVALID; IOTSEC_ERR_UNSUPPORTED_KEY;
 *         IOTSEC_ERR_UNSUPPORTED when the backend has no PEM support.
 */
enum iotsec_err iotsec_key_from_pem(struct iotsec_key *key, const char *pem, size_t pem_len);

/**
 * Write @p key as PEM into @p out (out, capacity @p cap): PKCS#8 when
 * @p with_private and the key has a private part, else SubjectPublicKeyInfo.
 * *out_len receives the length written (no terminating NUL counted).
 * @return IOTSEC_OK; IOTSEC_ERR_BUFFER_TOO_SMALL; IOTSEC_ERR_UNSUPPORTED.
 */
enum iotsec_err iotsec_key_to_pem(const struct iotsec_key *key, int with_private,
                                  char *out, size_t cap, size_t *out_len);

/** Release the backend object of @p key (if any) and wipe the struct. NULL-safe. */
void iotsec_key_free(struct iotsec_key *key);

#ifdef __cplusplus
}
#endif
#endif /* IOTSEC_KEY_H */
