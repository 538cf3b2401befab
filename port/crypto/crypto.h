/* SPDX-License-Identifier: Apache-2.0 */
/*
 * port/crypto/crypto.h - the crypto seam (private to libiotsec).
 *
 * Every primitive the library needs, keyed by COSE algorithm identifiers
 * (RFC 9053, RFC 9459, RFC 9864, IANA "COSE Algorithms"). Exactly one backend
 * under port/crypto/<backend>/ implements this header; src/ never names a
 * crypto library. Backends translate their own failures to enum iotsec_err:
 *
 *   IOTSEC_ERR_UNSUPPORTED_ALG   the algorithm is not available in this backend
 *   IOTSEC_ERR_UNSUPPORTED_KEY   key type/curve not available
 *   IOTSEC_ERR_VERIFY_FAILED     signature or HMAC mismatch
 *   IOTSEC_ERR_DECRYPT_FAILED    AEAD tag or AES-KW integrity check mismatch
 *   IOTSEC_ERR_KEY_USAGE         wrong key for the operation (public key to
 *                                sign, wrong kty/curve for the algorithm,
 *                                wrong symmetric key length)
 *   IOTSEC_ERR_INVALID_ARG       bad lengths (nonce, tag, input not a multiple
 *                                of the block)
 *   IOTSEC_ERR_BUFFER_TOO_SMALL  output capacity too small
 *   IOTSEC_ERR_CRYPTO            the backend failed for a reason of its own
 *
 * Output rules
 *   - Fail closed: on any error, output buffers hold no secret and no
 *     unauthenticated plaintext (they are wiped).
 *   - ECDSA signatures are the fixed-length r||s of RFC 9053 section 2.1,
 *     never DER.
 *   - AEAD ciphertext is ciphertext||tag, as COSE carries it.
 *
 * Contexts are caller-allocated, fixed-size and opaque; a backend keeps
 * either its state or a pointer to it inside.
 */
#ifndef IOTSEC_PORT_CRYPTO_H
#define IOTSEC_PORT_CRYPTO_H

#include "iotsec/common.h"
#include "iotsec/alg.h"
#include "iotsec/key.h"

#define IOTSEC_MAX_HASH 64      /* SHA-512 output */
#define IOTSEC_MAX_SIG 132      /* ES512 r||s */
#define IOTSEC_MAX_ECDH_SECRET 66

/** Hash and HMAC context: opaque and caller allocated. Do not copy a live
 *  context; a host backend keeps a pointer to its own state inside. */
struct iotsec_crypto_hash_ctx {
    union {
        void *ptr;
        uint64_t words[32];
    } u;
    int32_t alg;
};

/** Streaming cipher context (CTR, GCM, CCM-less streaming modes). */
struct iotsec_crypto_cipher_ctx {
    union {
        void *ptr;
        uint64_t words[64];
    } u;
    int32_t alg;
    uint8_t decrypt;
};

/* ---- hash (incremental) ---- */

/** Output length of hash @p alg in bytes, 0 if unknown. */
size_t iotsec_crypto_hash_len(int32_t alg);

/** Start a hash. @p alg is IOTSEC_ALG_SHA256/384/512, or IOTSEC_ALG_SHAKE128/256
 *  with the output length COSE gives them (32 and 64 bytes). */
enum iotsec_err iotsec_crypto_hash_init(struct iotsec_crypto_hash_ctx *ctx, int32_t alg);
enum iotsec_err iotsec_crypto_hash_update(struct iotsec_crypto_hash_ctx *ctx,
                                          const uint8_t *data, size_t len);
/** Finish into @p out (cap bytes); *out_len receives the digest length. Releases ctx. */
enum iotsec_err iotsec_crypto_hash_finish(struct iotsec_crypto_hash_ctx *ctx, uint8_t *out,
                                          size_t cap, size_t *out_len);
/** Release a hash or HMAC context without finishing. Safe on a zeroed or finished ctx. */
void iotsec_crypto_hash_abort(struct iotsec_crypto_hash_ctx *ctx);

/** One-shot hash. */
enum iotsec_err iotsec_crypto_hash(int32_t alg, const uint8_t *data, size_t len, uint8_t *out,
                                   size_t cap, size_t *out_len);

/* ---- HMAC (incremental); @p hash_alg is IOTSEC_ALG_SHA256/384/512 ---- */
enum iotsec_err iotsec_crypto_hmac_init(struct iotsec_crypto_hash_ctx *ctx, int32_t hash_alg,
                                        const struct iotsec_key *key);
enum iotsec_err iotsec_crypto_hmac_update(struct iotsec_crypto_hash_ctx *ctx,
                                          const uint8_t *data, size_t len);
/** Full-length tag into @p out; *out_len receives its length. Releases ctx. */
enum iotsec_err iotsec_crypto_hmac_finish(struct iotsec_crypto_hash_ctx *ctx, uint8_t *out,
                                          size_t cap, size_t *out_len);
enum iotsec_err iotsec_crypto_hmac(int32_t hash_alg, const struct iotsec_key *key,
                                   const uint8_t *data, size_t len, uint8_t *out, size_t cap,
                                   size_t *out_len);

/* ---- signatures ----
 * @p alg: ES256/384/512, ESP256/384/512 (ECDSA over the message with the
 * hash the alg names; the key's curve must match for ESP* and, as RFC 9053
 * recommends, for ES*), EdDSA / Ed25519 (pure Ed25519 over the message).
 * HSS-LMS (-46) verifies the message with a key of kty IOTSEC_KTY_HSS_LMS
 * (iotsec_hsslms_verify below); it cannot sign (IOTSEC_ERR_UNSUPPORTED_ALG)
 * and its signatures have no fixed length (iotsec_crypto_sig_len() is 0). */

/** Sign @p msg; signature into @p sig (cap bytes), *sig_len its length. */
enum iotsec_err iotsec_crypto_sign(int32_t alg, const struct iotsec_key *key, const uint8_t *msg,
                                   size_t msg_len, uint8_t *sig, size_t cap, size_t *sig_len);
/** IOTSEC_OK only when @p sig is a valid signature of @p msg under @p key. */
enum iotsec_err iotsec_crypto_verify(int32_t alg, const struct iotsec_key *key,
                                     const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                                     size_t sig_len);
/**
 * ECDSA over a digest the caller computed with the hash that @p alg names
 * (ES256/ESP256: SHA-256, ES384/ESP384: SHA-384, ES512/ESP512: SHA-512), so
 * that large to-be-signed structures can be hashed as they stream by.
 * @p digest_len must be that hash's length (else IOTSEC_ERR_INVALID_ARG).
 * EdDSA signs the message itself: IOTSEC_ERR_UNSUPPORTED_ALG.
 */
enum iotsec_err iotsec_crypto_sign_digest(int32_t alg, const struct iotsec_key *key,
                                          const uint8_t *digest, size_t digest_len, uint8_t *sig,
                                          size_t cap, size_t *sig_len);
enum iotsec_err iotsec_crypto_verify_digest(int32_t alg, const struct iotsec_key *key,
                                            const uint8_t *digest, size_t digest_len,
                                            const uint8_t *sig, size_t sig_len);
/** The hash (IOTSEC_ALG_SHA*) an ECDSA @p alg signs with; 0 for other algorithms. */
int32_t iotsec_crypto_sig_hash(int32_t alg);

/** Signature length of @p alg: 64 (ES256, ESP256, EdDSA with Ed25519, Ed25519), 96
 *  (ES384, ESP384), 132 (ES512, ESP512); 0 if unknown. EdDSA with an Ed448 key
 *  produces 114 bytes. */
size_t iotsec_crypto_sig_len(int32_t alg);

/* ---- HSS-LMS (RFC 8554), portable, verify only ----
 * port/crypto/hsslms.c, over this seam's SHA-256, so every backend has it.
 * @p pub is the HSS public key u32str(L) || u32str(lms type) ||
 * u32str(ots type) || I[16] || T[1][32]; @p sig the HSS signature of
 * RFC 8554 section 6. LMS_SHA256_M32_H5..H25 with LMOTS_SHA256_N32_W1..W8,
 * 1 <= L <= 8. No allocation, no recursion, constant stack.
 * @return IOTSEC_OK only for a valid signature; IOTSEC_ERR_UNSUPPORTED_ALG
 *         for an LMS or LM-OTS typecode outside that list (RFC 9858 sets);
 *         IOTSEC_ERR_VERIFY_FAILED for a wrong signature and for every
 *         malformed input (lengths, L, Nspk, typecode mismatch, q);
 *         IOTSEC_ERR_INVALID_ARG for NULL with a non-zero length. */
enum iotsec_err iotsec_hsslms_verify(const uint8_t *pub, size_t pub_len, const uint8_t *msg,
                                     size_t msg_len, const uint8_t *sig, size_t sig_len);

/* ---- ECDH: P-256, P-384, P-521, X25519 ----
 * Shared secret (the x-coordinate for EC2, RFC 7748 output for X25519).
 * Both keys must be on the same curve; @p priv needs its private part. */
enum iotsec_err iotsec_crypto_ecdh(const struct iotsec_key *priv, const struct iotsec_key *peer,
                                   uint8_t *secret, size_t cap, size_t *secret_len);

/* ---- HKDF (RFC 5869), extract then expand ---- */
enum iotsec_err iotsec_crypto_hkdf(int32_t hash_alg, const uint8_t *salt, size_t salt_len,
                                   const uint8_t *ikm, size_t ikm_len, const uint8_t *info,
                                   size_t info_len, uint8_t *okm, size_t okm_len);

/* ---- AES key wrap (RFC 3394); @p kek is a symmetric key of 16/24/32 bytes ---- */
enum iotsec_err iotsec_crypto_aes_kw_wrap(const struct iotsec_key *kek, const uint8_t *in,
                                          size_t in_len, uint8_t *out, size_t cap,
                                          size_t *out_len);
/** Unwrap; IOTSEC_ERR_DECRYPT_FAILED when the integrity check fails (output wiped). */
enum iotsec_err iotsec_crypto_aes_kw_unwrap(const struct iotsec_key *kek, const uint8_t *in,
                                            size_t in_len, uint8_t *out, size_t cap,
                                            size_t *out_len);

/* ---- AEAD one-shot: GCM, AES-CCM (COSE variants), ChaCha20-Poly1305 ----
 * Tag length and nonce length are fixed by the alg (GCM: 12-byte nonce,
 * 16-byte tag; CCM-16-x-x: 13-byte nonce; CCM-64-x-x: 7-byte nonce; tag 8 or
 * 16 as the alg says; ChaCha20-Poly1305: 12-byte nonce, 16-byte tag).
 * Output of encrypt is ct||tag (in_len + tag bytes). Decrypt writes
 * plaintext only once the tag has verified; on failure the output is wiped
 * and IOTSEC_ERR_DECRYPT_FAILED returned (also for input shorter than the
 * tag). */
size_t iotsec_crypto_aead_tag_len(int32_t alg);
size_t iotsec_crypto_aead_nonce_len(int32_t alg);
size_t iotsec_crypto_cipher_key_len(int32_t alg); /* content-encryption key bytes, 0 if unknown */
enum iotsec_err iotsec_crypto_aead_encrypt(int32_t alg, const struct iotsec_key *key,
                                           const uint8_t *nonce, size_t nonce_len,
                                           const uint8_t *aad, size_t aad_len,
                                           const uint8_t *in, size_t in_len, uint8_t *out,
                                           size_t cap, size_t *out_len);
enum iotsec_err iotsec_crypto_aead_decrypt(int32_t alg, const struct iotsec_key *key,
                                           const uint8_t *nonce, size_t nonce_len,
                                           const uint8_t *aad, size_t aad_len,
                                           const uint8_t *in, size_t in_len, uint8_t *out,
                                           size_t cap, size_t *out_len);

/* ---- streaming ciphers: AES-CTR, AES-CBC (RFC 9459), AES-GCM ----
 * For CTR the IV is the 16-byte initial counter block; for CBC the 16-byte
 * IV and PKCS#7 padding (RFC 9459 section 5); for GCM the 12-byte nonce.
 * update() may be called any number of times with any lengths; out must
 * hold in_len (+16 for CBC, which may hold back a block). finish() writes
 * the remaining bytes (CBC) and, for GCM encryption, the tag into @p tag;
 * for GCM decryption it checks @p tag and returns IOTSEC_ERR_DECRYPT_FAILED
 * on mismatch. Streaming GCM decryption necessarily releases plaintext
 * before the tag is checked: callers must treat it as unauthenticated until
 * finish() returns IOTSEC_OK. finish() always releases the context, on
 * success and on failure. */
enum iotsec_err iotsec_crypto_cipher_init(struct iotsec_crypto_cipher_ctx *ctx, int32_t alg,
                                          const struct iotsec_key *key, const uint8_t *iv,
                                          size_t iv_len, int decrypt);
/** GCM only: authenticated data, before the first update(). */
enum iotsec_err iotsec_crypto_cipher_aad(struct iotsec_crypto_cipher_ctx *ctx,
                                         const uint8_t *aad, size_t aad_len);
enum iotsec_err iotsec_crypto_cipher_update(struct iotsec_crypto_cipher_ctx *ctx,
                                            const uint8_t *in, size_t in_len, uint8_t *out,
                                            size_t cap, size_t *out_len);
enum iotsec_err iotsec_crypto_cipher_finish(struct iotsec_crypto_cipher_ctx *ctx, uint8_t *out,
                                            size_t cap, size_t *out_len, uint8_t *tag,
                                            size_t tag_len);
void iotsec_crypto_cipher_abort(struct iotsec_crypto_cipher_ctx *ctx);

/* ---- randomness ---- */
enum iotsec_err iotsec_crypto_random(uint8_t *out, size_t len);

/* ---- helpers that every backend shares (src/common/util.c) ---- */
/** Constant-time comparison: 0 when equal. */
int iotsec_ct_memcmp(const void *a, const void *b, size_t len);
/** Wipe that the compiler may not remove. */
void iotsec_wipe(void *p, size_t len);

#endif /* IOTSEC_PORT_CRYPTO_H */
