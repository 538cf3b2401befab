/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OpenSSL 3 backend, asymmetric half: key handles (iotsec/key.h),
 * ECDSA / EdDSA signatures and ECDH.
 *
 * key->handle points to a struct ossl_key owned by this file. The handle's
 * own kty/crv/has_private are authoritative: the public fields of struct
 * iotsec_key are only a mirror for callers, so a caller that edits them
 * cannot talk the backend into using a key for the wrong curve.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "crypto/crypto.h"
#include "iotsec/key.h"

struct ossl_key {
    EVP_PKEY *pkey;
    /* ECDSA only: a context on which EVP_PKEY_verify_init() was done once at
     * import, so verify costs one hash plus EVP_PKEY_verify(). In OpenSSL 3.0
     * EVP_PKEY_verify() only reads this context, which is why sharing it
     * through a const key is sound. */
    EVP_PKEY_CTX *vctx;
    int32_t kty;
    int32_t crv;
    uint8_t has_private;
};

struct curve_info {
    int32_t crv;
    int32_t kty;
    const char *name;  /* EC group short name, or the OpenSSL key type */
    int pkey_id;       /* EVP_PKEY_* base id */
    size_t coord_len;  /* coordinate / scalar / raw key bytes */
};

static const struct curve_info curves[] = {
    {IOTSEC_CRV_P256, IOTSEC_KTY_EC2, "prime256v1", EVP_PKEY_EC, 32},
    {IOTSEC_CRV_P384, IOTSEC_KTY_EC2, "secp384r1", EVP_PKEY_EC, 48},
    {IOTSEC_CRV_P521, IOTSEC_KTY_EC2, "secp521r1", EVP_PKEY_EC, 66},
    {IOTSEC_CRV_X25519, IOTSEC_KTY_OKP, "X25519", EVP_PKEY_X25519, 32},
    {IOTSEC_CRV_X448, IOTSEC_KTY_OKP, "X448", EVP_PKEY_X448, 56},
    {IOTSEC_CRV_ED25519, IOTSEC_KTY_OKP, "ED25519", EVP_PKEY_ED25519, 32},
    {IOTSEC_CRV_ED448, IOTSEC_KTY_OKP, "ED448", EVP_PKEY_ED448, 57},
};

struct sig_info {
    int32_t alg;
    int32_t crv;  /* required curve; 0 = any EdDSA curve */
    int32_t hash; /* IOTSEC_ALG_SHA*, 0 for EdDSA */
    size_t sig_len;
};

static const struct sig_info sigs[] = {
    {IOTSEC_ALG_ES256, IOTSEC_CRV_P256, IOTSEC_ALG_SHA256, 64},
    {IOTSEC_ALG_ESP256, IOTSEC_CRV_P256, IOTSEC_ALG_SHA256, 64},
    {IOTSEC_ALG_ES384, IOTSEC_CRV_P384, IOTSEC_ALG_SHA384, 96},
    {IOTSEC_ALG_ESP384, IOTSEC_CRV_P384, IOTSEC_ALG_SHA384, 96},
    {IOTSEC_ALG_ES512, IOTSEC_CRV_P521, IOTSEC_ALG_SHA512, 132},
    {IOTSEC_ALG_ESP512, IOTSEC_CRV_P521, IOTSEC_ALG_SHA512, 132},
    /* COSE "EdDSA" names no curve (RFC 9053 section 2.2), so Ed448 keys are
     * accepted too; the fully specified Ed25519 id is pinned to its curve. */
    {IOTSEC_ALG_EDDSA, 0, 0, 64},
    {IOTSEC_ALG_ED25519, IOTSEC_CRV_ED25519, 0, 64},
};

#define ED448_SIG_LEN 114

/* Never leave stale OpenSSL errors queued for an unrelated later caller. */
static enum iotsec_err ossl_err(enum iotsec_err e)
{
    ERR_clear_error();
    return e;
}

static const struct curve_info *curve_by_crv(int32_t crv)
{
    size_t i;

    for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
        if (curves[i].crv == crv)
            return &curves[i];
    return NULL;
}

static const struct sig_info *sig_by_alg(int32_t alg)
{
    size_t i;

    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        if (sigs[i].alg == alg)
            return &sigs[i];
    return NULL;
}

/* Map an EVP_PKEY that came from outside (PEM) onto a COSE curve. */
static const struct curve_info *curve_by_pkey(EVP_PKEY *pkey)
{
    int id = EVP_PKEY_get_base_id(pkey);
    size_t i;

    if (id == EVP_PKEY_EC) {
        char group[64];
        size_t glen = 0;

        /* Explicit-parameter keys have no group name and are refused. */
        if (EVP_PKEY_get_group_name(pkey, group, sizeof(group), &glen) != 1)
            return NULL;
        for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
            if (curves[i].pkey_id == EVP_PKEY_EC && strcmp(curves[i].name, group) == 0)
                return &curves[i];
        return NULL;
    }
    for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
        if (curves[i].pkey_id != EVP_PKEY_EC && curves[i].pkey_id == id)
            return &curves[i];
    return NULL;
}

static const struct ossl_key *handle_of(const struct iotsec_key *key)
{
    if (key == NULL || (key->kty != IOTSEC_KTY_EC2 && key->kty != IOTSEC_KTY_OKP))
        return NULL;
    return (const struct ossl_key *)key->handle;
}

/* Full validation: on-curve public point and, for a key pair, private
 * scalar range plus the pairwise match of d against x/y. */
static enum iotsec_err validate_pkey(EVP_PKEY *pkey, int has_private)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    int ok;

    if (ctx == NULL)
        return ossl_err(IOTSEC_ERR_CRYPTO);
    ok = has_private ? EVP_PKEY_check(ctx) : EVP_PKEY_public_check(ctx);
    EVP_PKEY_CTX_free(ctx);
    return ok == 1 ? IOTSEC_OK : ossl_err(IOTSEC_ERR_KEY_INVALID);
}

/* Takes ownership of pkey (freed on failure). */
static enum iotsec_err key_adopt(struct iotsec_key *key, const struct curve_info *ci,
                                 EVP_PKEY *pkey, int has_private)
{
    struct ossl_key *h = calloc(1, sizeof(*h));

    if (h == NULL) {
        EVP_PKEY_free(pkey);
        return IOTSEC_ERR_CRYPTO;
    }
    h->pkey = pkey;
    h->kty = ci->kty;
    h->crv = ci->crv;
    h->has_private = has_private ? 1 : 0;
    if (ci->pkey_id == EVP_PKEY_EC) {
        h->vctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
        if (h->vctx == NULL || EVP_PKEY_verify_init(h->vctx) != 1) {
            EVP_PKEY_CTX_free(h->vctx);
            EVP_PKEY_free(pkey);
            free(h);
            return ossl_err(IOTSEC_ERR_CRYPTO);
        }
    }
    memset(key, 0, sizeof(*key));
    key->kty = ci->kty;
    key->crv = ci->crv;
    key->has_private = h->has_private;
    key->handle = h;
    return IOTSEC_OK;
}

/* see iotsec/key.h */
void iotsec_key_free(struct iotsec_key *key)
{
    struct ossl_key *h;

    if (key == NULL)
        return;
    if (key->kty == IOTSEC_KTY_EC2 || key->kty == IOTSEC_KTY_OKP) {
        h = (struct ossl_key *)key->handle;
        if (h != NULL) {
            EVP_PKEY_CTX_free(h->vctx);
            EVP_PKEY_free(h->pkey);
            iotsec_wipe(h, sizeof(*h));
            free(h);
        }
    }
    iotsec_wipe(key, sizeof(*key));
}

/* see iotsec/key.h */
enum iotsec_err iotsec_key_generate(struct iotsec_key *key, int32_t crv)
{
    const struct curve_info *ci = curve_by_crv(crv);
    EVP_PKEY *pkey;

    if (key == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    memset(key, 0, sizeof(*key));
    if (ci == NULL)
        return IOTSEC_ERR_UNSUPPORTED_KEY;
    if (ci->pkey_id == EVP_PKEY_EC)
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", ci->name);
    else
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, ci->name);
    if (pkey == NULL)
        return ossl_err(IOTSEC_ERR_CRYPTO);
    return key_adopt(key, ci, pkey, 1);
}

static enum iotsec_err import_ec2(const struct curve_info *ci, const struct iotsec_key_parts *p,
                                  EVP_PKEY **out)
{
    uint8_t pub[1 + 2 * IOTSEC_MAX_EC_COORD];
    size_t n = ci->coord_len;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    BIGNUM *priv = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;
    enum iotsec_err err = IOTSEC_ERR_CRYPTO;
    int has_d = p->d_len != 0;

    size_t pub_len = 1 + 2 * n;

    if (p->x_len != n || (has_d && p->d_len != n))
        return IOTSEC_ERR_KEY_INVALID;
    if (p->y_compressed != 0) {
        /* SEC1 compressed form: OpenSSL recovers y and checks the point */
        if ((p->y_compressed != 2 && p->y_compressed != 3) || p->y_len != 0)
            return IOTSEC_ERR_KEY_INVALID;
        pub[0] = p->y_compressed;
        memcpy(pub + 1, p->x, n);
        pub_len = 1 + n;
    } else {
        if (p->y_len != n)
            return IOTSEC_ERR_KEY_INVALID;
        pub[0] = 0x04;
        memcpy(pub + 1, p->x, n);
        memcpy(pub + 1 + n, p->y, n);
    }

    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL)
        goto out;
    if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, ci->name, 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, pub_len) != 1)
        goto out;
    if (has_d) {
        /* A secure BIGNUM makes the builder put the scalar in memory that
         * OSSL_PARAM_free() clears. */
        priv = BN_secure_new();
        if (priv == NULL || BN_bin2bn(p->d, (int)n, priv) == NULL ||
            OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) != 1)
            goto out;
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1)
        goto out;
    /* fromdata decodes the point and refuses one that is not on the curve. */
    if (EVP_PKEY_fromdata(ctx, &pkey, has_d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                          params) != 1) {
        err = IOTSEC_ERR_KEY_INVALID;
        goto out;
    }
    err = validate_pkey(pkey, has_d);
    if (err == IOTSEC_OK) {
        *out = pkey;
        pkey = NULL;
    }
out:
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_clear_free(priv);
    return err == IOTSEC_OK ? err : ossl_err(err);
}

static enum iotsec_err import_okp(const struct curve_info *ci, const struct iotsec_key_parts *p,
                                  EVP_PKEY **out)
{
    uint8_t derived[IOTSEC_MAX_EC_COORD];
    size_t dlen = sizeof(derived);
    size_t n = ci->coord_len;
    EVP_PKEY *pkey;

    if (p->y_len != 0 || (p->x_len != 0 && p->x_len != n) || (p->d_len != 0 && p->d_len != n) ||
        (p->x_len == 0 && p->d_len == 0))
        return IOTSEC_ERR_KEY_INVALID;
    if (p->d_len != 0) {
        pkey = EVP_PKEY_new_raw_private_key_ex(NULL, ci->name, NULL, p->d, n);
        if (pkey == NULL)
            return ossl_err(IOTSEC_ERR_KEY_INVALID);
        if (p->x_len != 0) {
            /* OpenSSL derives the public key from d; a different x means the
             * parts do not belong together. */
            if (EVP_PKEY_get_raw_public_key(pkey, derived, &dlen) != 1 || dlen != n ||
                memcmp(derived, p->x, n) != 0) {
                EVP_PKEY_free(pkey);
                return ossl_err(IOTSEC_ERR_KEY_INVALID);
            }
        }
    } else {
        pkey = EVP_PKEY_new_raw_public_key_ex(NULL, ci->name, NULL, p->x, n);
        if (pkey == NULL)
            return ossl_err(IOTSEC_ERR_KEY_INVALID);
    }
    *out = pkey;
    return IOTSEC_OK;
}

/* see iotsec/key.h */
enum iotsec_err iotsec_key_import(struct iotsec_key *key, int32_t kty, int32_t crv,
                                  const struct iotsec_key_parts *parts)
{
    const struct curve_info *ci;
    EVP_PKEY *pkey = NULL;
    enum iotsec_err err;

    if (key == NULL || parts == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    memset(key, 0, sizeof(*key));
    if (kty != IOTSEC_KTY_EC2 && kty != IOTSEC_KTY_OKP)
        return IOTSEC_ERR_UNSUPPORTED_KEY;
    ci = curve_by_crv(crv);
    if (ci == NULL)
        return IOTSEC_ERR_UNSUPPORTED_KEY;
    if (ci->kty != kty)
        return IOTSEC_ERR_KEY_INVALID;
    if (parts->x_len > IOTSEC_MAX_EC_COORD || parts->y_len > IOTSEC_MAX_EC_COORD ||
        parts->d_len > IOTSEC_MAX_EC_COORD)
        return IOTSEC_ERR_KEY_INVALID;
    if (kty == IOTSEC_KTY_EC2)
        err = import_ec2(ci, parts, &pkey);
    else
        err = import_okp(ci, parts, &pkey);
    if (err != IOTSEC_OK)
        return err;
    return key_adopt(key, ci, pkey, parts->d_len != 0);
}

static enum iotsec_err get_bn_padded(EVP_PKEY *pkey, const char *name, uint8_t *out, size_t n)
{
    BIGNUM *bn = NULL;
    int ok;

    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1)
        return ossl_err(IOTSEC_ERR_CRYPTO);
    ok = BN_bn2binpad(bn, out, (int)n) == (int)n;
    BN_clear_free(bn);
    return ok ? IOTSEC_OK : ossl_err(IOTSEC_ERR_CRYPTO);
}

/* see iotsec/key.h */
enum iotsec_err iotsec_key_export(const struct iotsec_key *key, int with_private,
                                  struct iotsec_key_parts *parts)
{
    const struct ossl_key *h = handle_of(key);
    const struct curve_info *ci;
    enum iotsec_err err = IOTSEC_OK;
    size_t n;

    if (parts == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    memset(parts, 0, sizeof(*parts));
    if (h == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    ci = curve_by_crv(h->crv);
    if (ci == NULL)
        return IOTSEC_ERR_CRYPTO;
    n = ci->coord_len;
    if (ci->pkey_id == EVP_PKEY_EC) {
        err = get_bn_padded(h->pkey, OSSL_PKEY_PARAM_EC_PUB_X, parts->x, n);
        if (err == IOTSEC_OK)
            err = get_bn_padded(h->pkey, OSSL_PKEY_PARAM_EC_PUB_Y, parts->y, n);
        if (err == IOTSEC_OK && with_private && h->has_private)
            err = get_bn_padded(h->pkey, OSSL_PKEY_PARAM_PRIV_KEY, parts->d, n);
        if (err == IOTSEC_OK) {
            parts->x_len = n;
            parts->y_len = n;
            parts->d_len = with_private && h->has_private ? n : 0;
        }
    } else {
        size_t len = n;

        if (EVP_PKEY_get_raw_public_key(h->pkey, parts->x, &len) != 1 || len != n)
            err = ossl_err(IOTSEC_ERR_CRYPTO);
        parts->x_len = n;
        if (err == IOTSEC_OK && with_private && h->has_private) {
            len = n;
            if (EVP_PKEY_get_raw_private_key(h->pkey, parts->d, &len) != 1 || len != n)
                err = ossl_err(IOTSEC_ERR_CRYPTO);
            parts->d_len = n;
        }
    }
    if (err != IOTSEC_OK)
        iotsec_wipe(parts, sizeof(*parts));
    return err;
}

static int no_password_cb(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return 0; /* never prompt on a terminal: encrypted keys are refused */
}

enum pem_kind { PEM_NONE, PEM_OTHER, PEM_PRIVATE, PEM_PUBLIC };

/* Which of the labels we read comes first. Other blocks (for example the
 * "EC PARAMETERS" that `openssl ecparam -genkey` writes first) are skipped,
 * as OpenSSL's reader skips them too. */
static enum pem_kind pem_classify(const char *pem, size_t len)
{
    static const char begin[] = "-----BEGIN ";
    const size_t blen = sizeof(begin) - 1;
    enum pem_kind seen = PEM_NONE;
    size_t i = 0;

    while (i + blen <= len) {
        size_t s, e;

        if (memcmp(pem + i, begin, blen) != 0) {
            i++;
            continue;
        }
        s = i + blen;
        for (e = s; e + 5 <= len && memcmp(pem + e, "-----", 5) != 0; e++)
            if (pem[e] == '\n')
                break;
        if (e + 5 > len || memcmp(pem + e, "-----", 5) != 0) {
            i = s;
            continue;
        }
        if ((e - s == 11 && memcmp(pem + s, "PRIVATE KEY", 11) == 0) ||
            (e - s == 14 && memcmp(pem + s, "EC PRIVATE KEY", 14) == 0))
            return PEM_PRIVATE;
        if (e - s == 10 && memcmp(pem + s, "PUBLIC KEY", 10) == 0)
            return PEM_PUBLIC;
        seen = PEM_OTHER;
        i = e + 5;
    }
    return seen;
}

/* see iotsec/key.h */
enum iotsec_err iotsec_key_from_pem(struct iotsec_key *key, const char *pem, size_t pem_len)
{
    const struct curve_info *ci;
    enum pem_kind kind;
    EVP_PKEY *pkey;
    enum iotsec_err err;
    BIO *bio;

    if (key == NULL || (pem == NULL && pem_len != 0))
        return IOTSEC_ERR_INVALID_ARG;
    memset(key, 0, sizeof(*key));
    if (pem_len > INT_MAX)
        return IOTSEC_ERR_KEY_INVALID;
    kind = pem_classify(pem, pem_len);
    if (kind == PEM_NONE)
        return IOTSEC_ERR_KEY_INVALID;
    if (kind == PEM_OTHER)
        return IOTSEC_ERR_UNSUPPORTED_KEY;
    bio = BIO_new_mem_buf(pem, (int)pem_len);
    if (bio == NULL)
        return ossl_err(IOTSEC_ERR_CRYPTO);
    if (kind == PEM_PRIVATE)
        pkey = PEM_read_bio_PrivateKey(bio, NULL, no_password_cb, NULL);
    else
        pkey = PEM_read_bio_PUBKEY(bio, NULL, no_password_cb, NULL);
    BIO_free(bio);
    if (pkey == NULL)
        return ossl_err(IOTSEC_ERR_KEY_INVALID);
    ci = curve_by_pkey(pkey);
    if (ci == NULL) {
        EVP_PKEY_free(pkey);
        return ossl_err(IOTSEC_ERR_UNSUPPORTED_KEY);
    }
    /* A PEM file is as untrusted as raw parts: same checks. */
    err = validate_pkey(pkey, kind == PEM_PRIVATE);
    if (err != IOTSEC_OK) {
        EVP_PKEY_free(pkey);
        return err;
    }
    return key_adopt(key, ci, pkey, kind == PEM_PRIVATE);
}

/* see iotsec/key.h */
enum iotsec_err iotsec_key_to_pem(const struct iotsec_key *key, int with_private, char *out,
                                  size_t cap, size_t *out_len)
{
    const struct ossl_key *h = handle_of(key);
    enum iotsec_err err = IOTSEC_OK;
    char *data = NULL;
    long len;
    int ok;
    BIO *bio;

    if (out_len != NULL)
        *out_len = 0;
    if (h == NULL || out == NULL || out_len == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    /* BUF_MEM clears its buffers when it grows and when it is freed, so the
     * private key leaves no copy behind in the BIO. */
    bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        return ossl_err(IOTSEC_ERR_CRYPTO);
    if (with_private && h->has_private)
        ok = PEM_write_bio_PKCS8PrivateKey(bio, h->pkey, NULL, NULL, 0, NULL, NULL);
    else
        ok = PEM_write_bio_PUBKEY(bio, h->pkey);
    len = BIO_get_mem_data(bio, &data);
    if (ok != 1 || len <= 0 || data == NULL) {
        err = ossl_err(IOTSEC_ERR_CRYPTO);
    } else if ((size_t)len > cap) {
        err = IOTSEC_ERR_BUFFER_TOO_SMALL;
    } else {
        memcpy(out, data, (size_t)len);
        if ((size_t)len < cap)
            out[len] = '\0';
        *out_len = (size_t)len;
    }
    BIO_free(bio);
    if (err != IOTSEC_OK)
        iotsec_wipe(out, cap);
    return err;
}

/* Message digest for ECDSA. The one-shot SHA*() calls skip the EVP method
 * fetch, which is a measurable share of a P-256 verify. */
static size_t ecdsa_digest(int32_t hash, const uint8_t *msg, size_t len, uint8_t *md)
{
    static const uint8_t empty[1];

    if (msg == NULL)
        msg = empty;
    switch (hash) {
    case IOTSEC_ALG_SHA256:
        return SHA256(msg, len, md) != NULL ? SHA256_DIGEST_LENGTH : 0;
    case IOTSEC_ALG_SHA384:
        return SHA384(msg, len, md) != NULL ? SHA384_DIGEST_LENGTH : 0;
    case IOTSEC_ALG_SHA512:
        return SHA512(msg, len, md) != NULL ? SHA512_DIGEST_LENGTH : 0;
    default:
        return 0;
    }
}

/* Check alg/key compatibility shared by sign and verify. */
static enum iotsec_err sig_key_check(const struct sig_info *si, const struct ossl_key *h)
{
    if (si->hash != 0) {
        if (h->kty != IOTSEC_KTY_EC2 || h->crv != si->crv)
            return IOTSEC_ERR_KEY_USAGE;
    } else {
        if (h->kty != IOTSEC_KTY_OKP)
            return IOTSEC_ERR_KEY_USAGE;
        if (si->crv != 0 ? h->crv != si->crv
                         : h->crv != IOTSEC_CRV_ED25519 && h->crv != IOTSEC_CRV_ED448)
            return IOTSEC_ERR_KEY_USAGE;
    }
    return IOTSEC_OK;
}

static size_t eddsa_sig_len(const struct ossl_key *h)
{
    return h->crv == IOTSEC_CRV_ED448 ? ED448_SIG_LEN : 64;
}

static enum iotsec_err sign_ecdsa(const struct sig_info *si, const struct ossl_key *h,
                                  const uint8_t *md, size_t md_len, uint8_t *sig,
                                  size_t *sig_len)
{
    uint8_t der[160]; /* ECDSA_size() for P-521 is 139 */
    const unsigned char *p = der;
    size_t der_len = sizeof(der), half = si->sig_len / 2;
    const BIGNUM *r, *s;
    ECDSA_SIG *es = NULL;
    EVP_PKEY_CTX *ctx;
    enum iotsec_err err = IOTSEC_ERR_CRYPTO;

    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, h->pkey, NULL);
    if (ctx == NULL || EVP_PKEY_sign_init(ctx) != 1 ||
        EVP_PKEY_sign(ctx, der, &der_len, md, md_len) != 1)
        goto out;
    es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (es == NULL)
        goto out;
    ECDSA_SIG_get0(es, &r, &s);
    if (BN_bn2binpad(r, sig, (int)half) != (int)half ||
        BN_bn2binpad(s, sig + half, (int)half) != (int)half)
        goto out;
    *sig_len = si->sig_len;
    err = IOTSEC_OK;
out:
    ECDSA_SIG_free(es);
    EVP_PKEY_CTX_free(ctx);
    return err == IOTSEC_OK ? err : ossl_err(err);
}

static enum iotsec_err sign_eddsa(const struct ossl_key *h, const uint8_t *msg, size_t msg_len,
                                  uint8_t *sig, size_t cap, size_t *sig_len)
{
    static const uint8_t empty[1];
    EVP_MD_CTX *mctx;
    size_t len = eddsa_sig_len(h);
    enum iotsec_err err = IOTSEC_ERR_CRYPTO;

    if (cap < len)
        return IOTSEC_ERR_BUFFER_TOO_SMALL;
    mctx = EVP_MD_CTX_new();
    /* NULL digest selects pure EdDSA (no prehash, empty context). */
    if (mctx != NULL && EVP_DigestSignInit_ex(mctx, NULL, NULL, NULL, NULL, h->pkey, NULL) == 1 &&
        EVP_DigestSign(mctx, sig, &len, msg != NULL ? msg : empty, msg_len) == 1 &&
        len == eddsa_sig_len(h)) {
        *sig_len = len;
        err = IOTSEC_OK;
    }
    EVP_MD_CTX_free(mctx);
    return err == IOTSEC_OK ? err : ossl_err(err);
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_sign(int32_t alg, const struct iotsec_key *key, const uint8_t *msg,
                                   size_t msg_len, uint8_t *sig, size_t cap, size_t *sig_len)
{
    const struct sig_info *si = sig_by_alg(alg);
    const struct ossl_key *h = handle_of(key);
    enum iotsec_err err;

    if (sig_len != NULL)
        *sig_len = 0;
    if (sig == NULL || sig_len == NULL || (msg == NULL && msg_len != 0))
        return IOTSEC_ERR_INVALID_ARG;
    if (si == NULL) /* also HSS-LMS: verify only */
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (h == NULL)
        return IOTSEC_ERR_KEY_USAGE;
    err = sig_key_check(si, h);
    if (err != IOTSEC_OK)
        return err;
    if (!h->has_private)
        return IOTSEC_ERR_KEY_USAGE;
    if (si->hash != 0) {
        uint8_t md[IOTSEC_MAX_HASH];
        size_t md_len = ecdsa_digest(si->hash, msg, msg_len, md);
        if (cap < si->sig_len)
            return IOTSEC_ERR_BUFFER_TOO_SMALL;
        err = md_len == 0 ? ossl_err(IOTSEC_ERR_CRYPTO) : sign_ecdsa(si, h, md, md_len, sig, sig_len);
    } else {
        err = sign_eddsa(h, msg, msg_len, sig, cap, sig_len);
    }
    if (err != IOTSEC_OK)
        iotsec_wipe(sig, cap);
    return err;
}

/* DER INTEGER of an unsigned big-endian value, minimal as DER demands
 * (OpenSSL re-encodes and rejects non-canonical signatures). */
static size_t der_uint(uint8_t *out, const uint8_t *v, size_t n)
{
    size_t pad;

    while (n > 1 && v[0] == 0) {
        v++;
        n--;
    }
    pad = (v[0] & 0x80) != 0;
    out[0] = 0x02;
    out[1] = (uint8_t)(n + pad);
    out[2] = 0;
    memcpy(out + 2 + pad, v, n);
    return 2 + pad + n;
}

static enum iotsec_err verify_ecdsa(const struct sig_info *si, const struct ossl_key *h,
                                    const uint8_t *md, size_t md_len, const uint8_t *sig)
{
    uint8_t body[2 * (3 + IOTSEC_MAX_EC_COORD)];
    uint8_t der[3 + sizeof(body)];
    size_t half = si->sig_len / 2, blen, dlen;

    /* Hand-made DER avoids two BIGNUMs and an ECDSA_SIG per verify. */
    blen = der_uint(body, sig, half);
    blen += der_uint(body + blen, sig + half, half);
    der[0] = 0x30;
    if (blen < 0x80) {
        der[1] = (uint8_t)blen;
        dlen = 2;
    } else {
        der[1] = 0x81;
        der[2] = (uint8_t)blen;
        dlen = 3;
    }
    memcpy(der + dlen, body, blen);
    dlen += blen;

    /* Anything but 1 is a failure; OpenSSL's 0 vs -1 split is not reliable
     * enough to report a backend fault instead of failing closed. */
    if (EVP_PKEY_verify(h->vctx, der, dlen, md, md_len) != 1)
        return ossl_err(IOTSEC_ERR_VERIFY_FAILED);
    return IOTSEC_OK;
}

static enum iotsec_err verify_eddsa(const struct ossl_key *h, const uint8_t *msg, size_t msg_len,
                                    const uint8_t *sig, size_t sig_len)
{
    static const uint8_t empty[1];
    EVP_MD_CTX *mctx;
    int r;

    if (sig_len != eddsa_sig_len(h))
        return IOTSEC_ERR_VERIFY_FAILED;
    mctx = EVP_MD_CTX_new();
    if (mctx == NULL)
        return ossl_err(IOTSEC_ERR_CRYPTO);
    if (EVP_DigestVerifyInit_ex(mctx, NULL, NULL, NULL, NULL, h->pkey, NULL) != 1) {
        EVP_MD_CTX_free(mctx);
        return ossl_err(IOTSEC_ERR_CRYPTO);
    }
    r = EVP_DigestVerify(mctx, sig, sig_len, msg != NULL ? msg : empty, msg_len);
    EVP_MD_CTX_free(mctx);
    return r == 1 ? IOTSEC_OK : ossl_err(IOTSEC_ERR_VERIFY_FAILED);
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_verify(int32_t alg, const struct iotsec_key *key,
                                     const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                                     size_t sig_len)
{
    const struct sig_info *si = sig_by_alg(alg);
    const struct ossl_key *h = handle_of(key);
    enum iotsec_err err;

    if ((msg == NULL && msg_len != 0) || (sig == NULL && sig_len != 0))
        return IOTSEC_ERR_INVALID_ARG;
    /* HSS-LMS is the portable port/crypto/hsslms.c, over this backend's
     * SHA-256; its key is the raw HSS public key, borrowed. */
    if (alg == IOTSEC_ALG_HSS_LMS) {
        if (key == NULL || key->kty != IOTSEC_KTY_HSS_LMS)
            return IOTSEC_ERR_KEY_USAGE;
        return iotsec_hsslms_verify(key->k, key->k_len, msg, msg_len, sig, sig_len);
    }
    if (si == NULL)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (h == NULL)
        return IOTSEC_ERR_KEY_USAGE;
    err = sig_key_check(si, h);
    if (err != IOTSEC_OK)
        return err;
    if (si->hash == 0)
        return verify_eddsa(h, msg, msg_len, sig, sig_len);
    if (sig_len != si->sig_len || h->vctx == NULL)
        return IOTSEC_ERR_VERIFY_FAILED;
    {
        uint8_t md[IOTSEC_MAX_HASH];
        size_t md_len = ecdsa_digest(si->hash, msg, msg_len, md);
        if (md_len == 0)
            return ossl_err(IOTSEC_ERR_CRYPTO);
        return verify_ecdsa(si, h, md, md_len, sig);
    }
}

/* Checks shared by the digest variants: an ECDSA alg, a matching key, a
 * digest of the right length. */
static enum iotsec_err digest_args(int32_t alg, const struct iotsec_key *key, const uint8_t *digest,
                                   size_t digest_len, const struct sig_info **si,
                                   const struct ossl_key **h)
{
    enum iotsec_err err;

    *si = sig_by_alg(alg);
    *h = handle_of(key);
    if (*si == NULL || (*si)->hash == 0)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (digest == NULL || digest_len != iotsec_crypto_hash_len((*si)->hash))
        return IOTSEC_ERR_INVALID_ARG;
    if (*h == NULL)
        return IOTSEC_ERR_KEY_USAGE;
    err = sig_key_check(*si, *h);
    return err;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_sign_digest(int32_t alg, const struct iotsec_key *key,
                                          const uint8_t *digest, size_t digest_len, uint8_t *sig,
                                          size_t cap, size_t *sig_len)
{
    const struct sig_info *si;
    const struct ossl_key *h;
    enum iotsec_err err;

    if (sig_len != NULL)
        *sig_len = 0;
    if (sig == NULL || sig_len == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    if ((err = digest_args(alg, key, digest, digest_len, &si, &h)) != IOTSEC_OK)
        return err;
    if (!h->has_private)
        return IOTSEC_ERR_KEY_USAGE;
    if (cap < si->sig_len)
        return IOTSEC_ERR_BUFFER_TOO_SMALL;
    err = sign_ecdsa(si, h, digest, digest_len, sig, sig_len);
    if (err != IOTSEC_OK)
        iotsec_wipe(sig, cap);
    return err;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_verify_digest(int32_t alg, const struct iotsec_key *key,
                                            const uint8_t *digest, size_t digest_len,
                                            const uint8_t *sig, size_t sig_len)
{
    const struct sig_info *si;
    const struct ossl_key *h;
    enum iotsec_err err;

    if (sig == NULL && sig_len != 0)
        return IOTSEC_ERR_INVALID_ARG;
    if ((err = digest_args(alg, key, digest, digest_len, &si, &h)) != IOTSEC_OK)
        return err;
    if (sig_len != si->sig_len || h->vctx == NULL)
        return IOTSEC_ERR_VERIFY_FAILED;
    return verify_ecdsa(si, h, digest, digest_len, sig);
}

/* see port/crypto/crypto.h */
int32_t iotsec_crypto_sig_hash(int32_t alg)
{
    const struct sig_info *si = sig_by_alg(alg);

    return si != NULL ? si->hash : 0;
}

/* see port/crypto/crypto.h */
size_t iotsec_crypto_sig_len(int32_t alg)
{
    const struct sig_info *si = sig_by_alg(alg);

    return si != NULL ? si->sig_len : 0;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_crypto_ecdh(const struct iotsec_key *priv, const struct iotsec_key *peer,
                                   uint8_t *secret, size_t cap, size_t *secret_len)
{
    const struct ossl_key *hp = handle_of(priv);
    const struct ossl_key *hq = handle_of(peer);
    EVP_PKEY_CTX *ctx = NULL;
    enum iotsec_err err = IOTSEC_ERR_CRYPTO;
    size_t len = 0;

    if (secret_len != NULL)
        *secret_len = 0;
    if (secret == NULL || secret_len == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    if (hp == NULL || hq == NULL)
        return IOTSEC_ERR_KEY_USAGE;
    if (hp->crv != hq->crv || !hp->has_private ||
        (hp->kty != IOTSEC_KTY_EC2 && hp->crv != IOTSEC_CRV_X25519 && hp->crv != IOTSEC_CRV_X448))
        return IOTSEC_ERR_KEY_USAGE;
    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, hp->pkey, NULL);
    if (ctx == NULL || EVP_PKEY_derive_init(ctx) != 1 ||
        EVP_PKEY_derive_set_peer(ctx, hq->pkey) != 1 || EVP_PKEY_derive(ctx, NULL, &len) != 1)
        goto out;
    if (len > cap) {
        err = IOTSEC_ERR_BUFFER_TOO_SMALL;
        goto out;
    }
    if (EVP_PKEY_derive(ctx, secret, &len) != 1) {
        /* For X25519/X448 the one way to fail here is a small-order peer
         * point (all-zero output, RFC 7748 section 6): the peer's fault. */
        err = hp->kty == IOTSEC_KTY_OKP ? IOTSEC_ERR_KEY_INVALID : IOTSEC_ERR_CRYPTO;
        goto out;
    }
    *secret_len = len;
    err = IOTSEC_OK;
out:
    EVP_PKEY_CTX_free(ctx);
    if (err != IOTSEC_OK) {
        iotsec_wipe(secret, cap);
        return ossl_err(err);
    }
    return err;
}
