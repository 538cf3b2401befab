/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OpenSSL 3 backend, symmetric half: hashes, HMAC, HKDF, AES key wrap,
 * AEAD, streaming ciphers and randomness. The asymmetric half (keys,
 * signatures, ECDH) is in pkey_openssl.c.
 *
 * Contexts hold a pointer to an OpenSSL object; a NULL pointer marks a
 * context as released, which is what makes abort() safe on zeroed and
 * finished contexts.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>

#include "crypto/crypto.h"

/* OpenSSL's EVP update calls take int lengths; a NULL input of length 0 is
 * passed as this so no call sees NULL data. */
static const uint8_t empty_buf[1];

static enum iotsec_err ossl_err(enum iotsec_err e)
{
    ERR_clear_error();
    return e;
}

static int fits_int(size_t n)
{
    return n <= (size_t)INT_MAX;
}

static int is_symmetric(const struct iotsec_key *key)
{
    return key != NULL && key->kty == IOTSEC_KTY_SYMMETRIC && key->k != NULL;
}

/* ---- hash ---- */

/*
 * OpenSSL 3 resolves EVP_sha256() and friends through a provider fetch on
 * every init, which costs more than hashing a short input. The digests
 * (and the HMAC implementation) are fetched once and kept for the life of
 * the process.
 */
static EVP_MD *md_cache[6];
static EVP_MAC *hmac_cache;
static CRYPTO_ONCE fetch_once = CRYPTO_ONCE_STATIC_INIT;

static void fetch_all(void)
{
    md_cache[0] = EVP_MD_fetch(NULL, "SHA1", NULL);
    md_cache[1] = EVP_MD_fetch(NULL, "SHA2-256", NULL);
    md_cache[2] = EVP_MD_fetch(NULL, "SHA2-384", NULL);
    md_cache[3] = EVP_MD_fetch(NULL, "SHA2-512", NULL);
    md_cache[4] = EVP_MD_fetch(NULL, "SHAKE-128", NULL);
    md_cache[5] = EVP_MD_fetch(NULL, "SHAKE-256", NULL);
    hmac_cache = EVP_MAC_fetch(NULL, "HMAC", NULL);
}

static const EVP_MD *hash_md(int32_t alg)
{
    int i;

    switch (alg) {
    case IOTSEC_ALG_SHA1: i = 0; break; /* UUIDv5 (RFC 9562) only; nothing signs with it */
    case IOTSEC_ALG_SHA256: i = 1; break;
    case IOTSEC_ALG_SHA384: i = 2; break;
    case IOTSEC_ALG_SHA512: i = 3; break;
    case IOTSEC_ALG_SHAKE128: i = 4; break;
    case IOTSEC_ALG_SHAKE256: i = 5; break;
    default: return NULL;
    }
    if (!CRYPTO_THREAD_run_once(&fetch_once, fetch_all))
        return NULL;
    return md_cache[i];
}

static const char *hash_name(int32_t alg)
{
    switch (alg) {
    case IOTSEC_ALG_SHA256:
        return "SHA2-256";
    case IOTSEC_ALG_SHA384:
        return "SHA2-384";
    case IOTSEC_ALG_SHA512:
        return "SHA2-512";
    default:
        return NULL;
    }
}

/* HMAC contexts are tagged with the COSE MAC id of their hash so that
 * iotsec_crypto_hash_abort() (the only release call for both kinds) knows
 * which OpenSSL object it holds. */
static int32_t hmac_tag(int32_t hash_alg)
{
    switch (hash_alg) {
    case IOTSEC_ALG_SHA256:
        return IOTSEC_ALG_HMAC256;
    case IOTSEC_ALG_SHA384:
        return IOTSEC_ALG_HMAC384;
    case IOTSEC_ALG_SHA512:
        return IOTSEC_ALG_HMAC512;
    default:
        return 0;
    }
}

static int is_hmac_tag(int32_t alg)
{
    return alg == IOTSEC_ALG_HMAC256 || alg == IOTSEC_ALG_HMAC384 || alg == IOTSEC_ALG_HMAC512;
}

/* see port/crypto/crypto.h */
size_t iotsec_crypto_hash_len(int32_t alg)
{
    switch (alg) {
    case IOTSEC_ALG_SHA1: /* UUIDv5 only */
        return 20;
    case IOTSEC_ALG_SHA256:
    case IOTSEC_ALG_SHAKE128:
        return 32;
    case IOTSEC_ALG_SHA384:
        return 48;
    case IOTSEC_ALG_SHA512:
    case IOTSEC_ALG_SHAKE256:
        return 64;
    default:
        return 0;
    }
}

/* SHAKE is an extendable-output function: its length is asked for */
static int is_xof(int32_t alg)
{
    return alg == IOTSEC_ALG_SHAKE128 || alg == IOTSEC_ALG_SHAKE256;
}

/* see port/crypto/crypto.h */
void iotsec_crypto_hash_abort(struct iotsec_crypto_hash_ctx *ctx)
{
    if (ctx == NULL)
        return;
    if (ctx->u.ptr != NULL) {
        if (is_hmac_tag(ctx->alg))
            EVP_MAC_CTX_free((EVP_MAC_CTX *)ctx->u.ptr);
        else
            EVP_MD_CTX_free((EVP_MD_CTX *)ctx->u.ptr);
    }
    ctx->u.ptr = NULL;
    ctx->alg = 0;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_hash_init(struct iotsec_crypto_hash_ctx *ctx, int32_t alg)
{
    const EVP_MD *md = hash_md(alg);
    EVP_MD_CTX *mctx;

    if (ctx == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    memset(ctx, 0, sizeof(*ctx));
    if (md == NULL)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    mctx = EVP_MD_CTX_new();
    if (mctx == NULL || EVP_DigestInit_ex(mctx, md, NULL) != 1) {
        EVP_MD_CTX_free(mctx);
        return ossl_err(IOTSEC_ERR_CRYPTO);
    }
    ctx->u.ptr = mctx;
    ctx->alg = alg;
    return IOTSEC_OK;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_hash_update(struct iotsec_crypto_hash_ctx *ctx,
                                          const uint8_t *data, size_t len)
{
    if (ctx == NULL || (data == NULL && len != 0))
        return IOTSEC_ERR_INVALID_ARG;
    if (ctx->u.ptr == NULL || is_hmac_tag(ctx->alg))
        return IOTSEC_ERR_BAD_STATE;
    if (len == 0)
        return IOTSEC_OK;
    if (EVP_DigestUpdate((EVP_MD_CTX *)ctx->u.ptr, data, len) != 1)
        return ossl_err(IOTSEC_ERR_CRYPTO);
    return IOTSEC_OK;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_hash_finish(struct iotsec_crypto_hash_ctx *ctx, uint8_t *out,
                                          size_t cap, size_t *out_len)
{
    enum iotsec_err err = IOTSEC_OK;
    unsigned int n = 0;
    size_t want;

    if (out_len != NULL)
        *out_len = 0;
    if (ctx == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    if (ctx->u.ptr == NULL || is_hmac_tag(ctx->alg))
        return IOTSEC_ERR_BAD_STATE;
    want = iotsec_crypto_hash_len(ctx->alg);
    if (out == NULL || out_len == NULL)
        err = IOTSEC_ERR_INVALID_ARG;
    else if (cap < want)
        err = IOTSEC_ERR_BUFFER_TOO_SMALL;
    else if (is_xof(ctx->alg) ? EVP_DigestFinalXOF((EVP_MD_CTX *)ctx->u.ptr, out, want) != 1
                              : EVP_DigestFinal_ex((EVP_MD_CTX *)ctx->u.ptr, out, &n) != 1 ||
                                    n != want)
        err = ossl_err(IOTSEC_ERR_CRYPTO);
    else
        *out_len = want;
    iotsec_crypto_hash_abort(ctx);
    return err;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_hash(int32_t alg, const uint8_t *data, size_t len, uint8_t *out,
                                   size_t cap, size_t *out_len)
{
    size_t want = iotsec_crypto_hash_len(alg);
    const uint8_t *in = data != NULL ? data : empty_buf;
    const EVP_MD *md;
    unsigned int n = 0;

    if (out_len != NULL)
        *out_len = 0;
    if (out == NULL || out_len == NULL || (data == NULL && len != 0))
        return IOTSEC_ERR_INVALID_ARG;
    if (want == 0)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (cap < want)
        return IOTSEC_ERR_BUFFER_TOO_SMALL;
    if (is_xof(alg)) {
        struct iotsec_crypto_hash_ctx ctx;
        enum iotsec_err err;
        if ((err = iotsec_crypto_hash_init(&ctx, alg)) != IOTSEC_OK ||
            (err = iotsec_crypto_hash_update(&ctx, in, len)) != IOTSEC_OK) {
            iotsec_crypto_hash_abort(&ctx);
            return err;
        }
        return iotsec_crypto_hash_finish(&ctx, out, cap, out_len);
    }
    if ((md = hash_md(alg)) == NULL || EVP_Digest(in, len, out, &n, md, NULL) != 1 || n != want)
        return ossl_err(IOTSEC_ERR_CRYPTO);
    *out_len = want;
    return IOTSEC_OK;
}

/* ---- HMAC ---- */

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_hmac_init(struct iotsec_crypto_hash_ctx *ctx, int32_t hash_alg,
                                        const struct iotsec_key *key)
{
    const char *name = hash_name(hash_alg);
    OSSL_PARAM params[2];
    EVP_MAC *mac;
    EVP_MAC_CTX *mctx = NULL;
    int ok = 0;

    if (ctx == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    memset(ctx, 0, sizeof(*ctx));
    if (name == NULL)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (!is_symmetric(key) || key->k_len == 0)
        return IOTSEC_ERR_KEY_USAGE;
    mac = CRYPTO_THREAD_run_once(&fetch_once, fetch_all) ? hmac_cache : NULL;
    if (mac != NULL)
        mctx = EVP_MAC_CTX_new(mac);
    if (mctx != NULL) {
        params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)name, 0);
        params[1] = OSSL_PARAM_construct_end();
        ok = EVP_MAC_init(mctx, key->k, key->k_len, params) == 1;
    }
    if (!ok) {
        EVP_MAC_CTX_free(mctx);
        return ossl_err(IOTSEC_ERR_CRYPTO);
    }
    ctx->u.ptr = mctx;
    ctx->alg = hmac_tag(hash_alg);
    return IOTSEC_OK;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_hmac_update(struct iotsec_crypto_hash_ctx *ctx,
                                          const uint8_t *data, size_t len)
{
    if (ctx == NULL || (data == NULL && len != 0))
        return IOTSEC_ERR_INVALID_ARG;
    if (ctx->u.ptr == NULL || !is_hmac_tag(ctx->alg))
        return IOTSEC_ERR_BAD_STATE;
    if (len == 0)
        return IOTSEC_OK;
    if (EVP_MAC_update((EVP_MAC_CTX *)ctx->u.ptr, data, len) != 1)
        return ossl_err(IOTSEC_ERR_CRYPTO);
    return IOTSEC_OK;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_hmac_finish(struct iotsec_crypto_hash_ctx *ctx, uint8_t *out,
                                          size_t cap, size_t *out_len)
{
    enum iotsec_err err = IOTSEC_OK;
    size_t want, n = 0;

    if (out_len != NULL)
        *out_len = 0;
    if (ctx == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    if (ctx->u.ptr == NULL || !is_hmac_tag(ctx->alg))
        return IOTSEC_ERR_BAD_STATE;
    want = ctx->alg == IOTSEC_ALG_HMAC256 ? 32 : ctx->alg == IOTSEC_ALG_HMAC384 ? 48 : 64;
    if (out == NULL || out_len == NULL)
        err = IOTSEC_ERR_INVALID_ARG;
    else if (cap < want)
        err = IOTSEC_ERR_BUFFER_TOO_SMALL;
    else if (EVP_MAC_final((EVP_MAC_CTX *)ctx->u.ptr, out, &n, cap) != 1 || n != want)
        err = ossl_err(IOTSEC_ERR_CRYPTO);
    else
        *out_len = n;
    if (err != IOTSEC_OK && out != NULL)
        iotsec_wipe(out, cap);
    iotsec_crypto_hash_abort(ctx);
    return err;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_hmac(int32_t hash_alg, const struct iotsec_key *key,
                                   const uint8_t *data, size_t len, uint8_t *out, size_t cap,
                                   size_t *out_len)
{
    struct iotsec_crypto_hash_ctx ctx;
    enum iotsec_err err;

    if (out_len != NULL)
        *out_len = 0;
    if (out == NULL || out_len == NULL || (data == NULL && len != 0))
        return IOTSEC_ERR_INVALID_ARG;
    err = iotsec_crypto_hmac_init(&ctx, hash_alg, key);
    if (err != IOTSEC_OK)
        return err;
    err = iotsec_crypto_hmac_update(&ctx, data, len);
    if (err != IOTSEC_OK) {
        iotsec_crypto_hash_abort(&ctx);
        return err;
    }
    return iotsec_crypto_hmac_finish(&ctx, out, cap, out_len);
}

/* ---- HKDF ---- */

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_hkdf(int32_t hash_alg, const uint8_t *salt, size_t salt_len,
                                   const uint8_t *ikm, size_t ikm_len, const uint8_t *info,
                                   size_t info_len, uint8_t *okm, size_t okm_len)
{
    const char *name = hash_name(hash_alg);
    OSSL_PARAM params[5], *p = params;
    EVP_KDF *kdf;
    EVP_KDF_CTX *kctx = NULL;
    int ok = 0;

    if (okm == NULL || okm_len == 0 || (salt == NULL && salt_len != 0) ||
        (ikm == NULL && ikm_len != 0) || (info == NULL && info_len != 0))
        return IOTSEC_ERR_INVALID_ARG;
    if (name == NULL)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (okm_len > 255 * iotsec_crypto_hash_len(hash_alg))
        return IOTSEC_ERR_INVALID_ARG; /* RFC 5869 section 2.3 limit */
    kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    if (kdf != NULL)
        kctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (kctx != NULL) {
        *p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)name, 0);
        /* An empty IKM still has to be set: OpenSSL refuses to run without
         * a key, and RFC 5869 allows a zero-length one. */
        *p++ = OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_KEY, (void *)(ikm != NULL ? ikm : empty_buf), ikm_len);
        /* An absent salt is HashLen zero bytes (RFC 5869 section 2.2), which
         * is what HMAC makes of an empty key, so leaving it out is exact. */
        if (salt_len != 0)
            *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt,
                                                     salt_len);
        if (info_len != 0)
            *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info,
                                                     info_len);
        *p = OSSL_PARAM_construct_end();
        ok = EVP_KDF_derive(kctx, okm, okm_len, params) == 1;
    }
    EVP_KDF_CTX_free(kctx);
    if (!ok) {
        iotsec_wipe(okm, okm_len);
        return ossl_err(IOTSEC_ERR_CRYPTO);
    }
    return IOTSEC_OK;
}

/* ---- AES key wrap ---- */

static const EVP_CIPHER *kw_cipher(size_t kek_len)
{
    switch (kek_len) {
    case 16:
        return EVP_aes_128_wrap();
    case 24:
        return EVP_aes_192_wrap();
    case 32:
        return EVP_aes_256_wrap();
    default:
        return NULL;
    }
}

static enum iotsec_err aes_kw(const struct iotsec_key *kek, const uint8_t *in, size_t in_len,
                              uint8_t *out, size_t cap, size_t *out_len, int wrap)
{
    const EVP_CIPHER *cipher;
    EVP_CIPHER_CTX *ctx;
    enum iotsec_err err = IOTSEC_ERR_CRYPTO;
    size_t want;
    int n = 0, m = 0;

    if (out_len != NULL)
        *out_len = 0;
    if (out == NULL || out_len == NULL || in == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    if (!is_symmetric(kek) || (cipher = kw_cipher(kek->k_len)) == NULL)
        return IOTSEC_ERR_KEY_USAGE;
    if (in_len % 8 != 0 || in_len < (wrap ? 16u : 24u) || !fits_int(in_len + 8))
        return IOTSEC_ERR_INVALID_ARG;
    want = wrap ? in_len + 8 : in_len - 8;
    if (cap < want)
        return IOTSEC_ERR_BUFFER_TOO_SMALL;
    ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL)
        return ossl_err(IOTSEC_ERR_CRYPTO);
    EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    /* NULL IV selects the RFC 3394 default IV A6A6A6A6A6A6A6A6. */
    if (EVP_CipherInit_ex(ctx, cipher, NULL, kek->k, NULL, wrap) != 1)
        goto out;
    if (EVP_CipherUpdate(ctx, out, &n, in, (int)in_len) != 1) {
        /* On unwrap the only data-dependent failure is the integrity check. */
        err = wrap ? IOTSEC_ERR_CRYPTO : IOTSEC_ERR_DECRYPT_FAILED;
        goto out;
    }
    if (EVP_CipherFinal_ex(ctx, out + n, &m) != 1 || (size_t)n + (size_t)m != want)
        goto out;
    *out_len = want;
    err = IOTSEC_OK;
out:
    EVP_CIPHER_CTX_free(ctx);
    if (err != IOTSEC_OK) {
        iotsec_wipe(out, cap);
        return ossl_err(err);
    }
    return err;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_aes_kw_wrap(const struct iotsec_key *kek, const uint8_t *in,
                                          size_t in_len, uint8_t *out, size_t cap,
                                          size_t *out_len)
{
    return aes_kw(kek, in, in_len, out, cap, out_len, 1);
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_aes_kw_unwrap(const struct iotsec_key *kek, const uint8_t *in,
                                            size_t in_len, uint8_t *out, size_t cap,
                                            size_t *out_len)
{
    return aes_kw(kek, in, in_len, out, cap, out_len, 0);
}

/* ---- AEAD ---- */

enum aead_mode { MODE_GCM, MODE_CCM, MODE_CHACHA };

struct aead_info {
    int32_t alg;
    enum aead_mode mode;
    size_t key_len;
    size_t nonce_len;
    size_t tag_len;
};

static const struct aead_info aeads[] = {
    {IOTSEC_ALG_A128GCM, MODE_GCM, 16, 12, 16},
    {IOTSEC_ALG_A192GCM, MODE_GCM, 24, 12, 16},
    {IOTSEC_ALG_A256GCM, MODE_GCM, 32, 12, 16},
    /* RFC 9053 section 4.2: AES-CCM-L-M-k with L in bits (16 -> 13-byte
     * nonce, 64 -> 7-byte nonce) and M the tag in bits. */
    {IOTSEC_ALG_AES_CCM_16_64_128, MODE_CCM, 16, 13, 8},
    {IOTSEC_ALG_AES_CCM_16_64_256, MODE_CCM, 32, 13, 8},
    {IOTSEC_ALG_AES_CCM_64_64_128, MODE_CCM, 16, 7, 8},
    {IOTSEC_ALG_AES_CCM_64_64_256, MODE_CCM, 32, 7, 8},
    {IOTSEC_ALG_AES_CCM_16_128_128, MODE_CCM, 16, 13, 16},
    {IOTSEC_ALG_AES_CCM_16_128_256, MODE_CCM, 32, 13, 16},
    {IOTSEC_ALG_AES_CCM_64_128_128, MODE_CCM, 16, 7, 16},
    {IOTSEC_ALG_AES_CCM_64_128_256, MODE_CCM, 32, 7, 16},
    {IOTSEC_ALG_CHACHA20_POLY1305, MODE_CHACHA, 32, 12, 16},
};

static const struct aead_info *aead_by_alg(int32_t alg)
{
    size_t i;

    for (i = 0; i < sizeof(aeads) / sizeof(aeads[0]); i++)
        if (aeads[i].alg == alg)
            return &aeads[i];
    return NULL;
}

static const EVP_CIPHER *aead_cipher(const struct aead_info *ai)
{
    switch (ai->mode) {
    case MODE_GCM:
        return ai->key_len == 16 ? EVP_aes_128_gcm()
               : ai->key_len == 24 ? EVP_aes_192_gcm()
                                   : EVP_aes_256_gcm();
    case MODE_CCM:
        return ai->key_len == 16 ? EVP_aes_128_ccm() : EVP_aes_256_ccm();
    case MODE_CHACHA:
        return EVP_chacha20_poly1305();
    }
    return NULL;
}

/* see port/crypto/crypto.h */
size_t iotsec_crypto_aead_tag_len(int32_t alg)
{
    const struct aead_info *ai = aead_by_alg(alg);

    return ai != NULL ? ai->tag_len : 0;
}

/* see port/crypto/crypto.h */
size_t iotsec_crypto_aead_nonce_len(int32_t alg)
{
    const struct aead_info *ai = aead_by_alg(alg);

    return ai != NULL ? ai->nonce_len : 0;
}

/* see port/crypto/crypto.h */
size_t iotsec_crypto_cipher_key_len(int32_t alg)
{
    const struct aead_info *ai = aead_by_alg(alg);

    if (ai != NULL)
        return ai->key_len;
    switch (alg) {
    case IOTSEC_ALG_A128CTR:
    case IOTSEC_ALG_A128CBC:
        return 16;
    case IOTSEC_ALG_A192CTR:
    case IOTSEC_ALG_A192CBC:
        return 24;
    case IOTSEC_ALG_A256CTR:
    case IOTSEC_ALG_A256CBC:
        return 32;
    default:
        return 0;
    }
}

/* Run one AEAD operation. For decryption @p in_len excludes the tag, which
 * is passed in @p tag; for encryption the tag is written to @p tag. */
static enum iotsec_err aead_run(const struct aead_info *ai, const uint8_t *key,
                                const uint8_t *nonce, const uint8_t *aad, size_t aad_len,
                                const uint8_t *in, size_t in_len, uint8_t *out, uint8_t *tag,
                                int enc)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    enum iotsec_err err = IOTSEC_ERR_CRYPTO;
    uint8_t scratch[16];
    int n = 0, m = 0, ccm = ai->mode == MODE_CCM;

    if (ctx == NULL)
        return IOTSEC_ERR_CRYPTO;
    /* With a NULL output OpenSSL treats CCM input as AAD and would skip the
     * tag check on an empty message, so output always goes somewhere. */
    if (out == NULL)
        out = scratch;
    if (in == NULL)
        in = empty_buf;
    if (EVP_CipherInit_ex(ctx, aead_cipher(ai), NULL, NULL, NULL, enc) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, (int)ai->nonce_len, NULL) != 1)
        goto out;
    /* CCM fixes the tag (length, and value when decrypting) before the key. */
    if (ccm &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, (int)ai->tag_len, enc ? NULL : tag) != 1)
        goto out;
    if (EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, enc) != 1)
        goto out;
    if (!ccm && !enc &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, (int)ai->tag_len, tag) != 1)
        goto out;
    /* CCM authenticates the message length first, so it must be known. */
    if (ccm && EVP_CipherUpdate(ctx, NULL, &n, NULL, (int)in_len) != 1)
        goto out;
    if (aad_len != 0 && EVP_CipherUpdate(ctx, NULL, &n, aad, (int)aad_len) != 1)
        goto out;
    n = 0;
    /* CCM checks the tag inside this call; its failure is a tag mismatch. */
    if ((in_len != 0 || ccm) && EVP_CipherUpdate(ctx, out, &n, in, (int)in_len) != 1) {
        err = enc ? IOTSEC_ERR_CRYPTO : IOTSEC_ERR_DECRYPT_FAILED;
        goto out;
    }
    if (!ccm || enc) {
        if (EVP_CipherFinal_ex(ctx, out + n, &m) != 1) {
            err = enc ? IOTSEC_ERR_CRYPTO : IOTSEC_ERR_DECRYPT_FAILED;
            goto out;
        }
    }
    if (n < 0 || m < 0 || (size_t)n + (size_t)m != in_len)
        goto out;
    if (enc &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, (int)ai->tag_len, tag) != 1)
        goto out;
    err = IOTSEC_OK;
out:
    EVP_CIPHER_CTX_free(ctx);
    iotsec_wipe(scratch, sizeof(scratch));
    return err == IOTSEC_OK ? err : ossl_err(err);
}

/* Argument checks shared by encrypt and decrypt. */
static enum iotsec_err aead_check(const struct aead_info *ai, const struct iotsec_key *key,
                                  const uint8_t *nonce, size_t nonce_len, const uint8_t *aad,
                                  size_t aad_len, const uint8_t *in, size_t in_len,
                                  const size_t *out_len)
{
    if (out_len == NULL || nonce == NULL || (aad == NULL && aad_len != 0) ||
        (in == NULL && in_len != 0))
        return IOTSEC_ERR_INVALID_ARG;
    if (ai == NULL)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (!is_symmetric(key) || key->k_len != ai->key_len)
        return IOTSEC_ERR_KEY_USAGE;
    if (nonce_len != ai->nonce_len)
        return IOTSEC_ERR_INVALID_ARG;
    if (!fits_int(aad_len) || !fits_int(in_len))
        return IOTSEC_ERR_INVALID_ARG;
    /* CCM with a 7-byte nonce (L = 8) has no practical limit; with a
     * 13-byte nonce (L = 2) the message is at most 2^16 - 1 bytes. */
    if (ai->mode == MODE_CCM && ai->nonce_len == 13 && in_len > 0xffffu + ai->tag_len)
        return IOTSEC_ERR_INVALID_ARG;
    return IOTSEC_OK;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_aead_encrypt(int32_t alg, const struct iotsec_key *key,
                                           const uint8_t *nonce, size_t nonce_len,
                                           const uint8_t *aad, size_t aad_len,
                                           const uint8_t *in, size_t in_len, uint8_t *out,
                                           size_t cap, size_t *out_len)
{
    const struct aead_info *ai = aead_by_alg(alg);
    enum iotsec_err err;

    if (out_len != NULL)
        *out_len = 0;
    err = aead_check(ai, key, nonce, nonce_len, aad, aad_len, in, in_len, out_len);
    if (err != IOTSEC_OK)
        return err;
    if (out == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    if (cap < in_len + ai->tag_len)
        return IOTSEC_ERR_BUFFER_TOO_SMALL;
    err = aead_run(ai, key->k, nonce, aad, aad_len, in, in_len, out, out + in_len, 1);
    if (err != IOTSEC_OK) {
        iotsec_wipe(out, cap);
        return err;
    }
    *out_len = in_len + ai->tag_len;
    return IOTSEC_OK;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_aead_decrypt(int32_t alg, const struct iotsec_key *key,
                                           const uint8_t *nonce, size_t nonce_len,
                                           const uint8_t *aad, size_t aad_len,
                                           const uint8_t *in, size_t in_len, uint8_t *out,
                                           size_t cap, size_t *out_len)
{
    const struct aead_info *ai = aead_by_alg(alg);
    uint8_t tag[16];
    size_t pt_len;
    enum iotsec_err err;

    if (out_len != NULL)
        *out_len = 0;
    err = aead_check(ai, key, nonce, nonce_len, aad, aad_len, in, in_len, out_len);
    if (err != IOTSEC_OK)
        return err;
    /* Too short to carry a tag: it cannot authenticate. */
    if (in_len < ai->tag_len)
        return IOTSEC_ERR_DECRYPT_FAILED;
    pt_len = in_len - ai->tag_len;
    if (out == NULL && pt_len != 0)
        return IOTSEC_ERR_INVALID_ARG;
    if (cap < pt_len)
        return IOTSEC_ERR_BUFFER_TOO_SMALL;
    /* Copy the tag first: in and out may be the same buffer. */
    memcpy(tag, in + pt_len, ai->tag_len);
    err = aead_run(ai, key->k, nonce, aad, aad_len, in, pt_len, out, tag, 0);
    if (err != IOTSEC_OK) {
        if (out != NULL)
            iotsec_wipe(out, cap);
        return err;
    }
    *out_len = pt_len;
    return IOTSEC_OK;
}

/* ---- streaming ciphers ---- */

struct ossl_cipher {
    EVP_CIPHER_CTX *c;
    uint8_t data_seen; /* GCM: AAD is refused once data has gone through */
};

static const EVP_CIPHER *stream_cipher(int32_t alg, size_t *iv_len)
{
    *iv_len = 16;
    switch (alg) {
    case IOTSEC_ALG_A128CTR:
        return EVP_aes_128_ctr();
    case IOTSEC_ALG_A192CTR:
        return EVP_aes_192_ctr();
    case IOTSEC_ALG_A256CTR:
        return EVP_aes_256_ctr();
    case IOTSEC_ALG_A128CBC:
        return EVP_aes_128_cbc();
    case IOTSEC_ALG_A192CBC:
        return EVP_aes_192_cbc();
    case IOTSEC_ALG_A256CBC:
        return EVP_aes_256_cbc();
    default:
        break;
    }
    *iv_len = 12;
    switch (alg) {
    case IOTSEC_ALG_A128GCM:
        return EVP_aes_128_gcm();
    case IOTSEC_ALG_A192GCM:
        return EVP_aes_192_gcm();
    case IOTSEC_ALG_A256GCM:
        return EVP_aes_256_gcm();
    default:
        *iv_len = 0;
        return NULL;
    }
}

static int is_cbc(int32_t alg)
{
    return alg == IOTSEC_ALG_A128CBC || alg == IOTSEC_ALG_A192CBC || alg == IOTSEC_ALG_A256CBC;
}

static int is_gcm(int32_t alg)
{
    return alg == IOTSEC_ALG_A128GCM || alg == IOTSEC_ALG_A192GCM || alg == IOTSEC_ALG_A256GCM;
}

/* see port/crypto/crypto.h */
void iotsec_crypto_cipher_abort(struct iotsec_crypto_cipher_ctx *ctx)
{
    struct ossl_cipher *st;

    if (ctx == NULL)
        return;
    st = (struct ossl_cipher *)ctx->u.ptr;
    if (st != NULL) {
        EVP_CIPHER_CTX_free(st->c);
        free(st);
    }
    ctx->u.ptr = NULL;
    ctx->alg = 0;
    ctx->decrypt = 0;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_cipher_init(struct iotsec_crypto_cipher_ctx *ctx, int32_t alg,
                                          const struct iotsec_key *key, const uint8_t *iv,
                                          size_t iv_len, int decrypt)
{
    const EVP_CIPHER *cipher;
    struct ossl_cipher *st;
    size_t want_iv;
    int enc = decrypt ? 0 : 1;

    if (ctx == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    memset(ctx, 0, sizeof(*ctx));
    cipher = stream_cipher(alg, &want_iv);
    if (cipher == NULL)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (!is_symmetric(key) || key->k_len != iotsec_crypto_cipher_key_len(alg))
        return IOTSEC_ERR_KEY_USAGE;
    if (iv == NULL || iv_len != want_iv)
        return IOTSEC_ERR_INVALID_ARG;
    st = calloc(1, sizeof(*st));
    if (st == NULL)
        return IOTSEC_ERR_CRYPTO;
    st->c = EVP_CIPHER_CTX_new();
    if (st->c == NULL || EVP_CipherInit_ex(st->c, cipher, NULL, NULL, NULL, enc) != 1 ||
        (is_gcm(alg) &&
         EVP_CIPHER_CTX_ctrl(st->c, EVP_CTRL_AEAD_SET_IVLEN, (int)want_iv, NULL) != 1) ||
        EVP_CipherInit_ex(st->c, NULL, NULL, key->k, iv, enc) != 1) {
        EVP_CIPHER_CTX_free(st->c);
        free(st);
        return ossl_err(IOTSEC_ERR_CRYPTO);
    }
    /* PKCS#7 padding is the EVP default for CBC, as RFC 9459 requires. */
    ctx->u.ptr = st;
    ctx->alg = alg;
    ctx->decrypt = decrypt ? 1 : 0;
    return IOTSEC_OK;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_cipher_aad(struct iotsec_crypto_cipher_ctx *ctx,
                                         const uint8_t *aad, size_t aad_len)
{
    struct ossl_cipher *st;
    int n = 0;

    if (ctx == NULL || (aad == NULL && aad_len != 0))
        return IOTSEC_ERR_INVALID_ARG;
    st = (struct ossl_cipher *)ctx->u.ptr;
    if (st == NULL || st->data_seen)
        return IOTSEC_ERR_BAD_STATE;
    if (!is_gcm(ctx->alg))
        return IOTSEC_ERR_INVALID_ARG;
    if (aad_len == 0)
        return IOTSEC_OK;
    if (!fits_int(aad_len))
        return IOTSEC_ERR_INVALID_ARG;
    if (EVP_CipherUpdate(st->c, NULL, &n, aad, (int)aad_len) != 1)
        return ossl_err(IOTSEC_ERR_CRYPTO);
    return IOTSEC_OK;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_cipher_update(struct iotsec_crypto_cipher_ctx *ctx,
                                            const uint8_t *in, size_t in_len, uint8_t *out,
                                            size_t cap, size_t *out_len)
{
    struct ossl_cipher *st;
    size_t need;
    int n = 0;

    if (out_len != NULL)
        *out_len = 0;
    if (ctx == NULL || out_len == NULL || (in == NULL && in_len != 0))
        return IOTSEC_ERR_INVALID_ARG;
    st = (struct ossl_cipher *)ctx->u.ptr;
    if (st == NULL)
        return IOTSEC_ERR_BAD_STATE;
    if (in_len == 0)
        return IOTSEC_OK;
    /* CBC may release a block it held back from an earlier call. */
    need = in_len + (is_cbc(ctx->alg) ? 16u : 0u);
    if (!fits_int(need))
        return IOTSEC_ERR_INVALID_ARG;
    if (out == NULL || cap < need)
        return IOTSEC_ERR_BUFFER_TOO_SMALL;
    st->data_seen = 1;
    if (EVP_CipherUpdate(st->c, out, &n, in, (int)in_len) != 1 || n < 0 || (size_t)n > need) {
        iotsec_wipe(out, cap);
        return ossl_err(IOTSEC_ERR_CRYPTO);
    }
    *out_len = (size_t)n;
    return IOTSEC_OK;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_cipher_finish(struct iotsec_crypto_cipher_ctx *ctx, uint8_t *out,
                                            size_t cap, size_t *out_len, uint8_t *tag,
                                            size_t tag_len)
{
    uint8_t block[16];
    struct ossl_cipher *st;
    enum iotsec_err err = IOTSEC_OK;
    int gcm, n = 0;

    if (out_len != NULL)
        *out_len = 0;
    if (ctx == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    st = (struct ossl_cipher *)ctx->u.ptr;
    if (st == NULL)
        return IOTSEC_ERR_BAD_STATE;
    gcm = is_gcm(ctx->alg);
    if (out_len == NULL || (gcm && (tag == NULL || tag_len != 16))) {
        err = IOTSEC_ERR_INVALID_ARG;
        goto out;
    }
    if (is_cbc(ctx->alg) && (out == NULL || cap < 16)) {
        err = IOTSEC_ERR_BUFFER_TOO_SMALL;
        goto out;
    }
    if (gcm && ctx->decrypt &&
        EVP_CIPHER_CTX_ctrl(st->c, EVP_CTRL_AEAD_SET_TAG, (int)tag_len, tag) != 1) {
        err = ossl_err(IOTSEC_ERR_CRYPTO);
        goto out;
    }
    /* CTR and GCM write nothing here; a scratch block spares the caller
     * from passing an output buffer for them. */
    if (EVP_CipherFinal_ex(st->c, is_cbc(ctx->alg) ? out : block, &n) != 1) {
        /* Decrypt: bad CBC padding or a GCM tag mismatch. */
        err = ossl_err(ctx->decrypt ? IOTSEC_ERR_DECRYPT_FAILED : IOTSEC_ERR_CRYPTO);
        if (is_cbc(ctx->alg))
            iotsec_wipe(out, cap);
        goto out;
    }
    if (gcm && !ctx->decrypt &&
        EVP_CIPHER_CTX_ctrl(st->c, EVP_CTRL_AEAD_GET_TAG, (int)tag_len, tag) != 1) {
        err = ossl_err(IOTSEC_ERR_CRYPTO);
        goto out;
    }
    *out_len = is_cbc(ctx->alg) ? (size_t)n : 0;
out:
    iotsec_wipe(block, sizeof(block));
    iotsec_crypto_cipher_abort(ctx);
    return err;
}

/* ---- randomness ---- */

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_random(uint8_t *out, size_t len)
{
    if (out == NULL && len != 0)
        return IOTSEC_ERR_INVALID_ARG;
    while (len > 0) {
        size_t chunk = len > (size_t)INT_MAX ? (size_t)INT_MAX : len;

        if (RAND_bytes(out, (int)chunk) != 1) {
            ERR_clear_error();
            return IOTSEC_ERR_CRYPTO;
        }
        out += chunk;
        len -= chunk;
    }
    return IOTSEC_OK;
}
