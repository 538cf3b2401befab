/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COSE_Encrypt0 and COSE_Encrypt: AEAD content encryption (AES-GCM,
 * AES-CCM, ChaCha20-Poly1305) over the Enc_structure, and the RFC 9459
 * non-AEAD modes (AES-CTR, AES-CBC) for profiles that authenticate
 * elsewhere.
 */
#include <string.h>

#include "cose_int.h"

static bool is_unauth(int64_t alg)
{
    return alg >= IOTSEC_ALG_A128CTR && alg <= IOTSEC_ALG_A256CBC;
}

/* The Enc_structure, in a stack buffer when small, else in o->scratch. */
static enum iotsec_err enc_structure(const char *context, struct iotsec_cbuf prot,
                                     const struct iotsec_cose_opts *o, uint8_t *local, size_t cap,
                                     struct iotsec_cbuf *aad)
{
    struct sink s;

    cose_sink_buf(&s, local, cap);
    cose_enc_structure(&s, context, prot, o->external_aad);
    if (s.err == IOTSEC_ERR_BUFFER_TOO_SMALL) {
        cose_sink_buf(&s, o->scratch.ptr, o->scratch.len);
        cose_enc_structure(&s, context, prot, o->external_aad);
    }
    aad->ptr = s.buf;
    aad->len = s.len;
    return s.err;
}

/* Non-AEAD content: CTR or CBC through the streaming cipher, a block at a
 * time so that output never needs more room than the result. */
static enum iotsec_err unauth_crypt(int64_t alg, const struct iotsec_key *key,
                                    struct iotsec_cbuf iv, struct iotsec_cbuf in, uint8_t *out,
                                    size_t cap, size_t *out_len, int decrypt)
{
    struct iotsec_crypto_cipher_ctx c;
    uint8_t blk[48];
    size_t done = 0, pos = 0, got;
    enum iotsec_err err;

    *out_len = 0;
    if ((err = iotsec_crypto_cipher_init(&c, (int32_t)alg, key, iv.ptr, iv.len, decrypt)) !=
        IOTSEC_OK)
        return err;
    for (;;) {
        size_t take = in.len - pos < 16 ? in.len - pos : 16;
        if (take == 0)
            err = iotsec_crypto_cipher_finish(&c, blk, sizeof(blk), &got, NULL, 0);
        else
            err = iotsec_crypto_cipher_update(&c, in.ptr + pos, take, blk, sizeof(blk), &got);
        if (err == IOTSEC_OK && got > cap - done)
            err = IOTSEC_ERR_BUFFER_TOO_SMALL;
        if (err != IOTSEC_OK)
            break;
        memcpy(out + done, blk, got);
        done += got;
        if (take == 0)
            break;
        pos += take;
    }
    iotsec_wipe(blk, sizeof(blk));
    if (err != IOTSEC_OK) {
        iotsec_crypto_cipher_abort(&c); /* safe after finish, which released it */
        iotsec_wipe(out, cap);
        return err;
    }
    *out_len = done;
    return IOTSEC_OK;
}

/* Decrypt @p ct with content key @p key under the layer's headers. */
static enum iotsec_err content_decrypt(const struct iotsec_cose_msg *m, const char *context,
                                       const struct iotsec_key *key,
                                       const struct iotsec_cose_opts *o, struct iotsec_buf out,
                                       size_t *len)
{
    uint8_t local[256];
    struct iotsec_cbuf ct = m->content.ptr != NULL ? m->content : o->detached, aad;
    int64_t alg = m->hdr.alg;
    enum iotsec_err err;

    if (m->hdr.iv.ptr == NULL)
        return m->hdr.partial_iv.ptr != NULL ? IOTSEC_ERR_UNSUPPORTED : IOTSEC_ERR_MALFORMED;
    if (is_unauth(alg)) {
        /* RFC 9459: nothing to authenticate additional data with */
        if (!o->allow_unauth)
            return IOTSEC_ERR_UNSUPPORTED_ALG;
        if (o->external_aad.len != 0)
            return IOTSEC_ERR_INVALID_ARG;
        return unauth_crypt(alg, key, m->hdr.iv, ct, out.ptr, out.len, len, 1);
    }
    if (iotsec_crypto_aead_tag_len((int32_t)alg) == 0)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if ((err = enc_structure(context, cose_prot_tbs(&m->hdr), o, local, sizeof(local), &aad)) !=
        IOTSEC_OK)
        return err;
    return iotsec_crypto_aead_decrypt((int32_t)alg, key, m->hdr.iv.ptr, m->hdr.iv.len, aad.ptr,
                                      aad.len, ct.ptr, ct.len, out.ptr, out.len, len);
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_decrypt(const struct iotsec_cose_msg *m,
                                    const struct iotsec_cose_keyset *ks,
                                    const struct iotsec_cose_opts *o, struct iotsec_buf out,
                                    struct iotsec_cose_result *r)
{
    uint8_t cek[64];
    struct iotsec_key k;
    enum iotsec_err err = IOTSEC_ERR_NOT_FOUND;
    size_t i, kl, len = 0;

    memset(r, 0, sizeof(*r));
    if (m->type != IOTSEC_COSE_ENCRYPT0 && m->type != IOTSEC_COSE_ENCRYPT)
        return IOTSEC_ERR_INVALID_ARG;
    if (m->content.ptr == NULL && o->detached.ptr == NULL)
        return IOTSEC_ERR_MALFORMED;
    if (m->content.ptr != NULL && o->detached.ptr != NULL)
        return IOTSEC_ERR_INVALID_ARG;
    if (m->hdr.alg == 0)
        return IOTSEC_ERR_MALFORMED;
    r->alg = m->hdr.alg;
    if ((kl = cose_content_key_len(m->hdr.alg)) == 0)
        return IOTSEC_ERR_UNSUPPORTED_ALG;

    if (m->type == IOTSEC_COSE_ENCRYPT0) {
        for (i = 0; i < ks->n; i++) {
            const struct iotsec_key *key = ks->entries[i].key;
            if (!cose_key_candidate(&ks->entries[i], &m->hdr.kid, m->hdr.alg) ||
                key->kty != IOTSEC_KTY_SYMMETRIC || key->k_len != kl)
                continue;
            err = content_decrypt(m, "Encrypt0", key, o, out, &len);
            if (err == IOTSEC_OK) {
                r->key = i;
                break;
            }
            if (err != IOTSEC_ERR_DECRYPT_FAILED)
                break;
        }
    } else {
        err = cose_recipients_key(m->list, ks, o, m->hdr.alg, cek, kl, &r->signer, &r->key);
        if (err == IOTSEC_OK) {
            iotsec_key_init_symmetric(&k, cek, kl);
            err = content_decrypt(m, "Encrypt", &k, o, out, &len);
        }
        iotsec_wipe(cek, sizeof(cek));
    }
    if (err == IOTSEC_OK) {
        r->payload.ptr = out.ptr;
        r->payload.len = len;
    }
    return err;
}

/*
 * Write [prot, unprot(+IV), ciphertext] of an encryption layer keyed by
 * @p key: the IV comes from the headers, o->iv, or the random source.
 */
static enum iotsec_err enc_common(struct iotsec_cbor_enc *e, const struct iotsec_cose_hdr_in *hdr,
                                  int64_t alg, const char *context, const struct iotsec_key *key,
                                  struct iotsec_cbuf pt, const struct iotsec_cose_opts *o)
{
    uint8_t local[256], iv[16], ivhdr[24], *ct;
    struct iotsec_cbuf ivb = {NULL, 0}, aad, extra = {NULL, 0};
    size_t nl, tl, ctl = 0, extra_n = 0;
    enum iotsec_err err;
    bool unauth = is_unauth(alg);

    if (unauth) {
        if (!o->allow_unauth)
            return IOTSEC_ERR_UNSUPPORTED_ALG;
        if (o->external_aad.len != 0)
            return IOTSEC_ERR_INVALID_ARG;
        nl = 16;
        tl = alg <= IOTSEC_ALG_A256CTR ? 0 : 16 - pt.len % 16; /* CBC adds PKCS#7 padding */
    } else {
        nl = iotsec_crypto_aead_nonce_len((int32_t)alg);
        tl = iotsec_crypto_aead_tag_len((int32_t)alg);
        if (nl == 0 || tl == 0)
            return IOTSEC_ERR_UNSUPPORTED_ALG;
    }
    if (key->kty != IOTSEC_KTY_SYMMETRIC || key->k_len != cose_content_key_len(alg))
        return IOTSEC_ERR_KEY_USAGE;

    /* IV: the caller's header, else o->iv, else fresh; a new one is sent */
    {
        const struct iotsec_cbuf maps[2] = {hdr->prot, hdr->unprot};
        int i;
        for (i = 0; i < 2 && ivb.ptr == NULL; i++) {
            struct iotsec_cbor_dec d, m, v;
            if (maps[i].len != 0 &&
                iotsec_cbor_dec_init(&d, maps[i].ptr, maps[i].len, 0, NULL) == IOTSEC_OK &&
                iotsec_cbor_enter_map(&d, &m, NULL) == IOTSEC_OK &&
                iotsec_cbor_map_find_int(&m, IOTSEC_COSE_HDR_IV, &v) == IOTSEC_OK &&
                iotsec_cbor_get_bstr(&v, &ivb) != IOTSEC_OK)
                return IOTSEC_ERR_INVALID_ARG;
        }
    }
    if (ivb.ptr == NULL) {
        struct iotsec_cbor_enc he;
        if (o->iv.ptr != NULL) {
            if (o->iv.len != nl)
                return IOTSEC_ERR_INVALID_ARG;
            memcpy(iv, o->iv.ptr, nl);
        } else if ((err = iotsec_crypto_random(iv, nl)) != IOTSEC_OK) {
            return err;
        }
        ivb.ptr = iv;
        ivb.len = nl;
        iotsec_cbor_enc_init(&he, ivhdr, sizeof(ivhdr));
        iotsec_cbor_enc_uint(&he, IOTSEC_COSE_HDR_IV);
        iotsec_cbor_enc_bstr(&he, iv, nl);
        (void)iotsec_cbor_enc_finish(&he, &extra);
        extra_n = 1;
    }
    if (ivb.len != nl)
        return IOTSEC_ERR_INVALID_ARG;

    cose_put_prot(e, hdr);
    cose_put_unprot(e, hdr, extra_n, extra);
    if (o->detach) {
        /* the ciphertext goes to the caller's buffer, to be sent apart */
        iotsec_cbor_enc_null(e);
        if (o->detached_out.ptr == NULL || o->detached_out.len < pt.len + tl)
            return IOTSEC_ERR_BUFFER_TOO_SMALL;
        ct = o->detached_out.ptr;
    } else {
        uint8_t h[9];
        iotsec_cbor_enc_raw(e, h, iotsec_cbor_head_encode(h, 2, pt.len + tl));
        ct = iotsec_cbor_enc_reserve(e, pt.len + tl);
        if (ct == NULL)
            return e->err != IOTSEC_OK ? e->err : IOTSEC_ERR_BUFFER_TOO_SMALL;
    }
    if (unauth) {
        err = unauth_crypt(alg, key, ivb, pt, ct, pt.len + tl, &ctl, 0);
    } else {
        if ((err = enc_structure(context, cose_prot_in_tbs(hdr), o, local, sizeof(local), &aad)) !=
            IOTSEC_OK)
            return err;
        err = iotsec_crypto_aead_encrypt((int32_t)alg, key, ivb.ptr, ivb.len, aad.ptr, aad.len,
                                         pt.ptr, pt.len, ct, pt.len + tl, &ctl);
    }
    if (err == IOTSEC_OK && ctl != pt.len + tl)
        err = IOTSEC_ERR_CRYPTO;
    if (err == IOTSEC_OK && o->detach && o->detached_len != NULL)
        *o->detached_len = ctl;
    return err;
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_encrypt0(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                     const struct iotsec_cose_hdr_in *hdr,
                                     const struct iotsec_key *key, struct iotsec_cbuf plaintext,
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
        iotsec_cbor_enc_tag(&e, IOTSEC_COSE_TAG_ENCRYPT0);
    iotsec_cbor_enc_array(&e, 3);
    if ((err = enc_common(&e, hdr, alg, "Encrypt0", key, plaintext, o)) != IOTSEC_OK)
        return err;
    return iotsec_cbor_enc_finish(&e, msg);
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_encrypt(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                    const struct iotsec_cose_hdr_in *hdr,
                                    const struct iotsec_cose_recipient_in *recipients, size_t n,
                                    struct iotsec_cbuf plaintext, const struct iotsec_cose_opts *o)
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
        iotsec_cbor_enc_tag(&e, IOTSEC_COSE_TAG_ENCRYPT);
    iotsec_cbor_enc_array(&e, 4);
    err = cose_recipients_cek(recipients, n, o, alg, cek, kl, &eph);
    if (err == IOTSEC_OK) {
        iotsec_key_init_symmetric(&k, cek, kl);
        err = enc_common(&e, hdr, alg, "Encrypt", &k, plaintext, o);
    }
    if (err == IOTSEC_OK)
        err = cose_recipients_put(&e, recipients, n, o, alg, cek, kl, &eph);
    iotsec_key_free(&eph);
    iotsec_wipe(cek, sizeof(cek));
    if (err != IOTSEC_OK)
        return err;
    return iotsec_cbor_enc_finish(&e, msg);
}
