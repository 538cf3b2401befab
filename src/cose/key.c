/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "crypto/crypto.h"
#include "iotsec/cose.h"

/* HSS-LMS public key parameter "pub" (RFC 8778, IANA COSE Key
 * Type Parameters) */
#define COSE_KEY_HSS_PUB (-1)

/* Copy a coordinate bstr into a fixed parts field. */
static enum iotsec_err take_coord(struct iotsec_cbor_dec *v, uint8_t *dst, size_t *dst_len)
{
    struct iotsec_cbuf s;
    enum iotsec_err err;

    *dst_len = 0;
    if (v->p == NULL)
        return IOTSEC_OK;
    if ((err = iotsec_cbor_get_bstr(v, &s)) != IOTSEC_OK)
        return err;
    if (s.len == 0 || s.len > IOTSEC_MAX_EC_COORD)
        return IOTSEC_ERR_KEY_INVALID;
    memcpy(dst, s.ptr, s.len);
    *dst_len = s.len;
    return IOTSEC_OK;
}

/* Decode an EC2 or OKP key from its parameters and import it. */
static enum iotsec_err import_asymmetric(struct iotsec_cbor_dec *v, int64_t kty,
                                         struct iotsec_key *key)
{
    enum { C_CRV, C_X, C_Y, C_D };
    struct iotsec_key_parts parts;
    int64_t crv;
    enum iotsec_err err;

    if (v[C_CRV].p == NULL)
        return IOTSEC_ERR_MALFORMED;
    if (iotsec_cbor_peek_type(&v[C_CRV]) == IOTSEC_CBOR_TSTR)
        return IOTSEC_ERR_UNSUPPORTED_KEY;
    if ((err = iotsec_cbor_get_int(&v[C_CRV], &crv)) != IOTSEC_OK)
        return err;
    if (crv < 1 || crv > 255)
        return IOTSEC_ERR_UNSUPPORTED_KEY;
    memset(&parts, 0, sizeof(parts));
    if (v[C_Y].p != NULL) {
        bool sign;
        if (kty == IOTSEC_KTY_OKP)
            return IOTSEC_ERR_MALFORMED;
        if (iotsec_cbor_get_bool(&v[C_Y], &sign) == IOTSEC_OK) {
            /* point compression: y is named by its sign bit (RFC 9053 7.1.1) */
            parts.y_compressed = (uint8_t)(2u + (sign ? 1u : 0u));
            v[C_Y].p = NULL;
        }
    }
    if ((err = take_coord(&v[C_X], parts.x, &parts.x_len)) == IOTSEC_OK &&
        (err = take_coord(&v[C_Y], parts.y, &parts.y_len)) == IOTSEC_OK &&
        (err = take_coord(&v[C_D], parts.d, &parts.d_len)) == IOTSEC_OK)
        err = iotsec_key_import(key, (int32_t)kty, (int32_t)crv, &parts);
    iotsec_wipe(parts.d, sizeof(parts.d));
    return err;
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_key_decode(struct iotsec_cbor_dec *d, struct iotsec_key *key,
                                       struct iotsec_cbuf *kid)
{
    /* -1..-4 last, in the order import_asymmetric() expects */
    static const int64_t labels[] = {IOTSEC_COSE_KEY_KTY, IOTSEC_COSE_KEY_KID,
                                     IOTSEC_COSE_KEY_ALG, IOTSEC_COSE_KEY_CRV,
                                     IOTSEC_COSE_KEY_X,   IOTSEC_COSE_KEY_Y,
                                     IOTSEC_COSE_KEY_D};
    enum { L_KTY, L_KID, L_ALG, L_CRV, L_X, L_Y, L_D, L_N };
    struct iotsec_cbor_dec m, v[L_N];
    struct iotsec_cbuf s = {NULL, 0};
    int64_t kty, alg = 0;
    enum iotsec_err err;

    memset(key, 0, sizeof(*key));
    if (kid != NULL) {
        kid->ptr = NULL;
        kid->len = 0;
    }
    if ((err = iotsec_cbor_enter_map(d, &m, NULL)) != IOTSEC_OK)
        return err;
    (void)iotsec_cbor_map_find_ints(&m, labels, L_N, v);

    if (v[L_KTY].p == NULL)
        return IOTSEC_ERR_MALFORMED;
    if (iotsec_cbor_peek_type(&v[L_KTY]) == IOTSEC_CBOR_TSTR)
        return IOTSEC_ERR_UNSUPPORTED_KEY;
    if ((err = iotsec_cbor_get_int(&v[L_KTY], &kty)) != IOTSEC_OK)
        return err;
    if (v[L_KID].p != NULL && (err = iotsec_cbor_get_bstr(&v[L_KID], &s)) != IOTSEC_OK)
        return err;
    if (v[L_ALG].p != NULL) {
        if (iotsec_cbor_peek_type(&v[L_ALG]) == IOTSEC_CBOR_TSTR)
            return IOTSEC_ERR_UNSUPPORTED_ALG;
        if ((err = iotsec_cbor_get_int(&v[L_ALG], &alg)) != IOTSEC_OK)
            return err;
        if (alg < INT32_MIN || alg > INT32_MAX)
            return IOTSEC_ERR_UNSUPPORTED_ALG;
    }

    if (kty == IOTSEC_KTY_SYMMETRIC) {
        struct iotsec_cbuf k;
        /* label -1 is k here; x, y and d do not belong to a symmetric key */
        if (v[L_CRV].p == NULL || v[L_X].p != NULL || v[L_Y].p != NULL || v[L_D].p != NULL)
            return IOTSEC_ERR_MALFORMED;
        if ((err = iotsec_cbor_get_bstr(&v[L_CRV], &k)) != IOTSEC_OK)
            return err;
        if (k.len == 0)
            return IOTSEC_ERR_KEY_INVALID;
        iotsec_key_init_symmetric(key, k.ptr, k.len);
    } else if (kty == IOTSEC_KTY_HSS_LMS) {
        struct iotsec_cbuf pub;
        /* RFC 8778: label -1 is pub, the raw HSS public key; the
         * key is public only, so x, y and d do not belong to it */
        if (v[L_CRV].p == NULL || v[L_X].p != NULL || v[L_Y].p != NULL || v[L_D].p != NULL)
            return IOTSEC_ERR_MALFORMED;
        if ((err = iotsec_cbor_get_bstr(&v[L_CRV], &pub)) != IOTSEC_OK)
            return err;
        if (pub.len == 0)
            return IOTSEC_ERR_KEY_INVALID;
        iotsec_key_init_hsslms(key, pub.ptr, pub.len);
    } else if (kty == IOTSEC_KTY_EC2 || kty == IOTSEC_KTY_OKP) {
        if ((err = import_asymmetric(&v[L_CRV], kty, key)) != IOTSEC_OK)
            return err;
    } else {
        return IOTSEC_ERR_UNSUPPORTED_KEY;
    }
    key->alg = (int32_t)alg;
    if ((err = iotsec_cbor_leave(d, &m)) != IOTSEC_OK) {
        iotsec_key_free(key);
        return err;
    }
    if (kid != NULL)
        *kid = s;
    return IOTSEC_OK;
}

/* see iotsec/cose.h */
void iotsec_cose_key_encode(struct iotsec_cbor_enc *e, const struct iotsec_key *key,
                            bool with_private, const uint8_t *kid, size_t kid_len)
{
    struct iotsec_key_parts parts;
    size_t n = 2u + (kid != NULL ? 1u : 0u) + (key->alg != 0 ? 1u : 0u);

    if (key->kty == IOTSEC_KTY_SYMMETRIC) {
        iotsec_cbor_enc_map(e, n - 1u + (with_private ? 1u : 0u));
        iotsec_cbor_enc_uint(e, IOTSEC_COSE_KEY_KTY);
        iotsec_cbor_enc_uint(e, IOTSEC_KTY_SYMMETRIC);
    } else if (key->kty == IOTSEC_KTY_HSS_LMS) {
        /* {1: 5, (2: kid), (3: alg), -1: pub}: public only */
        iotsec_cbor_enc_map(e, n);
        iotsec_cbor_enc_uint(e, IOTSEC_COSE_KEY_KTY);
        iotsec_cbor_enc_uint(e, IOTSEC_KTY_HSS_LMS);
    } else {
        if (iotsec_key_export(key, with_private, &parts) != IOTSEC_OK) {
            if (e->err == IOTSEC_OK)
                e->err = IOTSEC_ERR_KEY_USAGE;
            return;
        }
        n += (parts.x_len != 0 ? 1u : 0u) + (parts.y_len != 0 ? 1u : 0u) +
             (with_private && parts.d_len != 0 ? 1u : 0u);
        iotsec_cbor_enc_map(e, n);
        iotsec_cbor_enc_uint(e, IOTSEC_COSE_KEY_KTY);
        iotsec_cbor_enc_int(e, key->kty);
    }
    /* labels 1, 2, 3, -1, -2, -3, -4: bytewise lexicographic order */
    if (kid != NULL) {
        iotsec_cbor_enc_uint(e, IOTSEC_COSE_KEY_KID);
        iotsec_cbor_enc_bstr(e, kid, kid_len);
    }
    if (key->alg != 0) {
        iotsec_cbor_enc_uint(e, IOTSEC_COSE_KEY_ALG);
        iotsec_cbor_enc_int(e, key->alg);
    }
    if (key->kty == IOTSEC_KTY_SYMMETRIC) {
        if (with_private) {
            iotsec_cbor_enc_int(e, IOTSEC_COSE_KEY_K);
            iotsec_cbor_enc_bstr(e, key->k, key->k_len);
        }
        return;
    }
    if (key->kty == IOTSEC_KTY_HSS_LMS) {
        iotsec_cbor_enc_int(e, COSE_KEY_HSS_PUB);
        iotsec_cbor_enc_bstr(e, key->k, key->k_len);
        return;
    }
    iotsec_cbor_enc_int(e, IOTSEC_COSE_KEY_CRV);
    iotsec_cbor_enc_int(e, key->crv);
    if (parts.x_len != 0) {
        iotsec_cbor_enc_int(e, IOTSEC_COSE_KEY_X);
        iotsec_cbor_enc_bstr(e, parts.x, parts.x_len);
    }
    if (parts.y_len != 0) {
        iotsec_cbor_enc_int(e, IOTSEC_COSE_KEY_Y);
        iotsec_cbor_enc_bstr(e, parts.y, parts.y_len);
    }
    if (with_private && parts.d_len != 0) {
        iotsec_cbor_enc_int(e, IOTSEC_COSE_KEY_D);
        iotsec_cbor_enc_bstr(e, parts.d, parts.d_len);
    }
    iotsec_wipe(parts.d, sizeof(parts.d));
}
