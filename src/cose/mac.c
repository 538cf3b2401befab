/* SPDX-License-Identifier: Apache-2.0 */
/* COSE_Mac0 and COSE_Mac: HMAC (RFC 9053 3.1) and AES-CBC-MAC (3.2). */
#include <string.h>

#include "cose_int.h"

size_t cose_content_key_len(int64_t alg)
{
    switch (alg) {
    case IOTSEC_ALG_HMAC256_64:
    case IOTSEC_ALG_HMAC256:
        return 32;
    case IOTSEC_ALG_HMAC384:
        return 48;
    case IOTSEC_ALG_HMAC512:
        return 64;
    case IOTSEC_ALG_AES_MAC_128_64:
    case IOTSEC_ALG_AES_MAC_128_128:
        return 16;
    case IOTSEC_ALG_AES_MAC_256_64:
    case IOTSEC_ALG_AES_MAC_256_128:
        return 32;
    default:
        return alg < INT32_MIN || alg > INT32_MAX ? 0 : iotsec_crypto_cipher_key_len((int32_t)alg);
    }
}

/* The MAC algorithms: HMAC over a hash (RFC 9053 3.1) or AES-CBC-MAC over a
 * block cipher (3.2). Sets the hash or the cipher of @p alg and returns the
 * length of the tag it sends; 0 if @p alg is not a MAC algorithm. */
static size_t mac_alg(int64_t alg, int32_t *hash, int32_t *cbc)
{
    *hash = *cbc = 0;
    switch (alg) {
    case IOTSEC_ALG_HMAC256_64: *hash = IOTSEC_ALG_SHA256; return 8;
    case IOTSEC_ALG_HMAC256: *hash = IOTSEC_ALG_SHA256; return 32;
    case IOTSEC_ALG_HMAC384: *hash = IOTSEC_ALG_SHA384; return 48;
    case IOTSEC_ALG_HMAC512: *hash = IOTSEC_ALG_SHA512; return 64;
    case IOTSEC_ALG_AES_MAC_128_64: *cbc = IOTSEC_ALG_A128CBC; return 8;
    case IOTSEC_ALG_AES_MAC_256_64: *cbc = IOTSEC_ALG_A256CBC; return 8;
    case IOTSEC_ALG_AES_MAC_128_128: *cbc = IOTSEC_ALG_A128CBC; return 16;
    case IOTSEC_ALG_AES_MAC_256_128: *cbc = IOTSEC_ALG_A256CBC; return 16;
    default: return 0;
    }
}

size_t cose_mac_tag_len(int64_t alg)
{
    int32_t hash, cbc;

    return mac_alg(alg, &hash, &cbc);
}

enum iotsec_err cose_mac_compute(int64_t alg, const struct iotsec_key *key, const char *context,
                                 struct iotsec_cbuf prot, struct iotsec_cbuf aad,
                                 struct iotsec_cbuf payload, uint8_t *tag, size_t *tag_len)
{
    struct sink s;
    int32_t hash, cbc;
    size_t tl, n;
    enum iotsec_err err;

    if ((tl = mac_alg(alg, &hash, &cbc)) == 0)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (key->kty != IOTSEC_KTY_SYMMETRIC || key->k == NULL)
        return IOTSEC_ERR_KEY_USAGE;
    if (hash != 0) {
        if ((err = cose_sink_hmac(&s, hash, key)) != IOTSEC_OK)
            return err;
        cose_mac_structure(&s, context, prot, aad, payload);
        if (s.err != IOTSEC_OK) {
            iotsec_crypto_hash_abort(&s.hash);
            return s.err;
        }
        err = iotsec_crypto_hmac_finish(&s.hash, tag, IOTSEC_MAX_HASH, &n);
    } else {
        /* CBC-MAC: zero IV, zero padding to a block, the last block is the MAC */
        if (key->k_len != iotsec_crypto_cipher_key_len(cbc))
            return IOTSEC_ERR_KEY_USAGE;
        if ((err = cose_sink_cbcmac(&s, cbc, key)) != IOTSEC_OK)
            return err;
        cose_mac_structure(&s, context, prot, aad, payload);
        err = cose_sink_cbcmac_finish(&s, tag);
    }
    *tag_len = err == IOTSEC_OK ? tl : 0;
    return err;
}

/* [prot, unprot(, extra), payload or nil] of a MAC message, then the tag. */
static enum iotsec_err mac_common(struct iotsec_cbor_enc *e, const struct iotsec_cose_hdr_in *hdr,
                                  int64_t alg, const struct iotsec_key *key, const char *context,
                                  struct iotsec_cbuf payload, const struct iotsec_cose_opts *o)
{
    uint8_t tag[IOTSEC_MAX_HASH];
    size_t tl = 0; /* set by cose_mac_compute on success; gcc -O2 cannot tell */
    enum iotsec_err err;

    cose_put_prot(e, hdr);
    cose_put_unprot(e, hdr, 0, (struct iotsec_cbuf){NULL, 0});
    if (o->detach)
        iotsec_cbor_enc_null(e);
    else
        iotsec_cbor_enc_bstr(e, payload.ptr, payload.len);
    err = cose_mac_compute(alg, key, context, cose_prot_in_tbs(hdr), o->external_aad, payload, tag,
                           &tl);
    if (err != IOTSEC_OK)
        return err;
    iotsec_cbor_enc_bstr(e, tag, tl);
    return IOTSEC_OK;
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_mac0(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                 const struct iotsec_cose_hdr_in *hdr,
                                 const struct iotsec_key *key, struct iotsec_cbuf payload,
                                 const struct iotsec_cose_opts *o)
{
    struct iotsec_cbor_enc e;
    int64_t alg;
    enum iotsec_err err;

    if ((err = cose_hdr_in_check(hdr, &alg)) != IOTSEC_OK)
        return err;
    if (key->alg != 0 && key->alg != alg)
        return IOTSEC_ERR_KEY_USAGE;
    iotsec_cbor_enc_init(&e, out.ptr, out.len);
    if (!o->untagged)
        iotsec_cbor_enc_tag(&e, IOTSEC_COSE_TAG_MAC0);
    iotsec_cbor_enc_array(&e, 4);
    if ((err = mac_common(&e, hdr, alg, key, "MAC0", payload, o)) != IOTSEC_OK)
        return err;
    return iotsec_cbor_enc_finish(&e, msg);
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_mac(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                const struct iotsec_cose_hdr_in *hdr,
                                const struct iotsec_cose_recipient_in *recipients, size_t n,
                                struct iotsec_cbuf payload, const struct iotsec_cose_opts *o)
{
    struct iotsec_cbor_enc e;
    struct iotsec_key k, eph;
    uint8_t cek[64];
    size_t kl;
    int64_t alg;
    enum iotsec_err err;

    if ((err = cose_hdr_in_check(hdr, &alg)) != IOTSEC_OK)
        return err;
    if ((kl = cose_content_key_len(alg)) == 0)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    iotsec_cbor_enc_init(&e, out.ptr, out.len);
    if (!o->untagged)
        iotsec_cbor_enc_tag(&e, IOTSEC_COSE_TAG_MAC);
    iotsec_cbor_enc_array(&e, 5);
    /* The recipients fix the MAC key (derived for direct modes, chosen
     * otherwise); they are written after the tag. */
    err = cose_recipients_cek(recipients, n, o, alg, cek, kl, &eph);
    if (err == IOTSEC_OK) {
        iotsec_key_init_symmetric(&k, cek, kl);
        err = mac_common(&e, hdr, alg, &k, "MAC", payload, o);
    }
    if (err == IOTSEC_OK)
        err = cose_recipients_put(&e, recipients, n, o, alg, cek, kl, &eph);
    iotsec_key_free(&eph);
    iotsec_wipe(cek, sizeof(cek));
    if (err != IOTSEC_OK)
        return err;
    return iotsec_cbor_enc_finish(&e, msg);
}

enum iotsec_err cose_mac_verify(const struct iotsec_cose_msg *m,
                                const struct iotsec_cose_keyset *ks,
                                const struct iotsec_cose_opts *o, struct iotsec_cbuf payload,
                                struct iotsec_cose_result *r)
{
    uint8_t tag[IOTSEC_MAX_HASH], key_bytes[64];
    enum iotsec_err err = IOTSEC_ERR_NOT_FOUND;
    struct iotsec_key k;
    size_t i, tl, kl;

    if (m->hdr.alg == 0)
        return IOTSEC_ERR_MALFORMED;
    r->alg = m->hdr.alg;
    if (m->type == IOTSEC_COSE_MAC0) {
        bool tried = false;
        for (i = 0; i < ks->n; i++) {
            if (!cose_key_candidate(&ks->entries[i], &m->hdr.kid, m->hdr.alg))
                continue;
            err = cose_mac_compute(m->hdr.alg, ks->entries[i].key, "MAC0", cose_prot_tbs(&m->hdr),
                                   o->external_aad, payload, tag, &tl);
            if (err == IOTSEC_ERR_KEY_USAGE)
                continue; /* a key of another kind: not a candidate */
            if (err != IOTSEC_OK)
                break;
            if (tl == m->sig.len && iotsec_ct_memcmp(tag, m->sig.ptr, tl) == 0) {
                r->key = i;
                break;
            }
            tried = true;
        }
        if (i == ks->n && (err == IOTSEC_OK || err == IOTSEC_ERR_KEY_USAGE ||
                           err == IOTSEC_ERR_NOT_FOUND))
            err = tried ? IOTSEC_ERR_VERIFY_FAILED : IOTSEC_ERR_NOT_FOUND;
    } else {
        if ((kl = cose_content_key_len(m->hdr.alg)) == 0)
            return IOTSEC_ERR_UNSUPPORTED_ALG;
        err = cose_recipients_key(m->list, ks, o, m->hdr.alg, key_bytes, kl, &r->signer, &r->key);
        if (err == IOTSEC_OK) {
            iotsec_key_init_symmetric(&k, key_bytes, kl);
            err = cose_mac_compute(m->hdr.alg, &k, "MAC", cose_prot_tbs(&m->hdr), o->external_aad,
                                   payload, tag, &tl);
            if (err == IOTSEC_OK && (tl != m->sig.len || iotsec_ct_memcmp(tag, m->sig.ptr, tl) != 0))
                err = IOTSEC_ERR_VERIFY_FAILED;
        }
        iotsec_wipe(key_bytes, sizeof(key_bytes));
    }
    iotsec_wipe(tag, sizeof(tag));
    return err;
}
