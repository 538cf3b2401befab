/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Recipients of COSE_Encrypt and COSE_Mac (RFC 9052 5.1, RFC 9053 6):
 * direct, direct+HKDF, AES key wrap, and ECDH-ES/SS with HKDF (direct or
 * followed by AES key wrap), with COSE_KDF_Context (RFC 9053 5.2).
 */
#include <string.h>

#include "cose_int.h"

/* How a recipient algorithm turns its key into the content key. */
struct ralg {
    int64_t alg;
    uint8_t ecdh;    /* 0 none, 1 ephemeral-static, 2 static-static */
    uint8_t hkdf;    /* 0 none, 1 HKDF with HMAC (hash), 2 HKDF with AES-CBC-MAC (hash holds the CBC alg) */
    int32_t hash;
    int32_t kw;      /* key wrap algorithm, 0 when the derived key is the content key */
};

static const struct ralg ralgs[] = {
    {IOTSEC_ALG_DIRECT, 0, 0, 0, 0},
    {IOTSEC_ALG_DIRECT_HKDF_SHA256, 0, 1, IOTSEC_ALG_SHA256, 0},
    {IOTSEC_ALG_DIRECT_HKDF_SHA512, 0, 1, IOTSEC_ALG_SHA512, 0},
    {IOTSEC_ALG_DIRECT_HKDF_AES128, 0, 2, IOTSEC_ALG_A128CBC, 0},
    {IOTSEC_ALG_DIRECT_HKDF_AES256, 0, 2, IOTSEC_ALG_A256CBC, 0},
    {IOTSEC_ALG_A128KW, 0, 0, 0, IOTSEC_ALG_A128KW},
    {IOTSEC_ALG_A192KW, 0, 0, 0, IOTSEC_ALG_A192KW},
    {IOTSEC_ALG_A256KW, 0, 0, 0, IOTSEC_ALG_A256KW},
    {IOTSEC_ALG_ECDH_ES_HKDF_256, 1, 1, IOTSEC_ALG_SHA256, 0},
    {IOTSEC_ALG_ECDH_ES_HKDF_512, 1, 1, IOTSEC_ALG_SHA512, 0},
    {IOTSEC_ALG_ECDH_SS_HKDF_256, 2, 1, IOTSEC_ALG_SHA256, 0},
    {IOTSEC_ALG_ECDH_SS_HKDF_512, 2, 1, IOTSEC_ALG_SHA512, 0},
    {IOTSEC_ALG_ECDH_ES_A128KW, 1, 1, IOTSEC_ALG_SHA256, IOTSEC_ALG_A128KW},
    {IOTSEC_ALG_ECDH_ES_A192KW, 1, 1, IOTSEC_ALG_SHA256, IOTSEC_ALG_A192KW},
    {IOTSEC_ALG_ECDH_ES_A256KW, 1, 1, IOTSEC_ALG_SHA256, IOTSEC_ALG_A256KW},
    {IOTSEC_ALG_ECDH_SS_A128KW, 2, 1, IOTSEC_ALG_SHA256, IOTSEC_ALG_A128KW},
    {IOTSEC_ALG_ECDH_SS_A192KW, 2, 1, IOTSEC_ALG_SHA256, IOTSEC_ALG_A192KW},
    {IOTSEC_ALG_ECDH_SS_A256KW, 2, 1, IOTSEC_ALG_SHA256, IOTSEC_ALG_A256KW},
};

static const struct ralg *ralg_find(int64_t alg)
{
    size_t i;

    for (i = 0; i < sizeof(ralgs) / sizeof(ralgs[0]); i++)
        if (ralgs[i].alg == alg)
            return &ralgs[i];
    return NULL;
}

bool cose_alg_is_direct(int64_t alg)
{
    const struct ralg *ra = ralg_find(alg);

    return ra != NULL && ra->kw == 0;
}

static size_t kw_key_len(int32_t kw)
{
    return kw == IOTSEC_ALG_A128KW ? 16 : kw == IOTSEC_ALG_A192KW ? 24 : 32;
}

/*
 * Party values of COSE_KDF_Context: a header parameter when present (its
 * CBOR item as sent: bstr, int or nil), else the value known out of band,
 * else nil.
 */
struct party_src {
    const struct iotsec_cose_hdr *h;        /* decode side, or NULL */
    const struct iotsec_cose_hdr_in *in;    /* encode side, or NULL */
};

static void put_party(struct sink *s, const struct party_src *src, int64_t label,
                      struct iotsec_cbuf unsent)
{
    struct iotsec_cbor_dec v;
    struct iotsec_cbuf span;
    bool found = false;

    if (src->h != NULL) {
        found = iotsec_cose_hdr_find(src->h, label, &v, NULL) == IOTSEC_OK;
    } else {
        const struct iotsec_cbuf maps[2] = {src->in->prot, src->in->unprot};
        int i;
        for (i = 0; i < 2 && !found; i++) {
            struct iotsec_cbor_dec d, e;
            found = maps[i].len != 0 &&
                    iotsec_cbor_dec_init(&d, maps[i].ptr, maps[i].len, 0, NULL) == IOTSEC_OK &&
                    iotsec_cbor_enter_map(&d, &e, NULL) == IOTSEC_OK &&
                    iotsec_cbor_map_find_int(&e, label, &v) == IOTSEC_OK;
        }
    }
    if (found && iotsec_cbor_get_span(&v, &span) == IOTSEC_OK) {
        cose_sink_put(s, span.ptr, span.len);
    } else if (unsent.ptr != NULL) {
        cose_sink_bstr(s, unsent);
    } else {
        cose_sink_head(s, 7, IOTSEC_CBOR_NULL);
    }
}

/*
 * COSE_KDF_Context = [AlgorithmID, PartyUInfo, PartyVInfo, SuppPubInfo,
 * ? SuppPrivInfo], with SuppPubInfo = [keyDataLength, protected, ? other].
 */
static void kdf_context(struct sink *s, int64_t alg_id, size_t key_bytes, struct iotsec_cbuf prot,
                        const struct party_src *src, const struct iotsec_cose_kdf_info *k)
{
    cose_sink_head(s, 4, k->priv.ptr != NULL ? 5u : 4u);
    if (alg_id < 0)
        cose_sink_head(s, 1, (uint64_t)(-(alg_id + 1)));
    else
        cose_sink_head(s, 0, (uint64_t)alg_id);
    cose_sink_head(s, 4, 3);
    put_party(s, src, IOTSEC_COSE_HDR_PARTY_U_ID, k->u_id);
    put_party(s, src, IOTSEC_COSE_HDR_PARTY_U_NONCE, k->u_nonce);
    put_party(s, src, IOTSEC_COSE_HDR_PARTY_U_OTHER, k->u_other);
    cose_sink_head(s, 4, 3);
    put_party(s, src, IOTSEC_COSE_HDR_PARTY_V_ID, k->v_id);
    put_party(s, src, IOTSEC_COSE_HDR_PARTY_V_NONCE, k->v_nonce);
    put_party(s, src, IOTSEC_COSE_HDR_PARTY_V_OTHER, k->v_other);
    cose_sink_head(s, 4, k->pub_other.ptr != NULL ? 3u : 2u);
    cose_sink_head(s, 0, (uint64_t)key_bytes * 8u);
    cose_sink_bstr(s, prot);
    if (k->pub_other.ptr != NULL)
        cose_sink_bstr(s, k->pub_other);
    if (k->priv.ptr != NULL)
        cose_sink_bstr(s, k->priv);
}

/*
 * HKDF-Expand with AES-CBC-MAC as the PRF (RFC 9053 5.1): there is no
 * extract step, the shared secret is the PRK and must be an AES key.
 * T(i) = CBC-MAC(PRK, T(i-1) | info | i).
 */
static enum iotsec_err hkdf_aes(int32_t cbc, const uint8_t *prk, size_t prk_len, const uint8_t *info,
                                size_t info_len, uint8_t *out, size_t out_len)
{
    struct iotsec_key k;
    uint8_t t[16];
    size_t done = 0, tl = 0;
    uint8_t i = 1;
    enum iotsec_err err = IOTSEC_OK;

    if (prk_len != iotsec_crypto_cipher_key_len(cbc))
        return IOTSEC_ERR_KEY_USAGE;
    iotsec_key_init_symmetric(&k, prk, prk_len);
    while (done < out_len && err == IOTSEC_OK) {
        struct sink s;
        size_t take = out_len - done < 16 ? out_len - done : 16;
        if ((err = cose_sink_cbcmac(&s, cbc, &k)) != IOTSEC_OK)
            break;
        cose_sink_put(&s, t, tl);
        cose_sink_put(&s, info, info_len);
        cose_sink_put(&s, &i, 1);
        err = cose_sink_cbcmac_finish(&s, t);
        tl = 16;
        memcpy(out + done, t, take);
        done += take;
        i++;
    }
    iotsec_wipe(t, sizeof(t));
    if (err != IOTSEC_OK)
        iotsec_wipe(out, out_len);
    return err;
}

/* HKDF over @p ikm with the salt header (-20) if any and the KDF context as
 * info; @p out gets @p out_len bytes. */
static enum iotsec_err derive(const struct ralg *ra, const uint8_t *ikm, size_t ikm_len,
                              struct iotsec_cbuf salt, int64_t alg_id, size_t out_len,
                              struct iotsec_cbuf prot, const struct party_src *src,
                              const struct iotsec_cose_opts *o, uint8_t *out)
{
    uint8_t local[256];
    struct sink s;

    /* small contexts fit on the stack; larger ones need the caller's scratch */
    cose_sink_buf(&s, local, sizeof(local));
    kdf_context(&s, alg_id, out_len, prot, src, &o->kdf);
    if (s.err == IOTSEC_ERR_BUFFER_TOO_SMALL) {
        cose_sink_buf(&s, o->scratch.ptr, o->scratch.len);
        kdf_context(&s, alg_id, out_len, prot, src, &o->kdf);
    }
    if (s.err != IOTSEC_OK)
        return s.err;
    if (ra->hkdf == 2)
        return hkdf_aes(ra->hash, ikm, ikm_len, s.buf, s.len, out, out_len);
    return iotsec_crypto_hkdf(ra->hash, salt.ptr, salt.len, ikm, ikm_len, s.buf, s.len, out,
                              out_len);
}

/* ---- decode side ---- */

/* A bstr header parameter, or {NULL, 0}. */
static struct iotsec_cbuf hdr_bstr(const struct iotsec_cose_hdr *h, int64_t label)
{
    struct iotsec_cbor_dec v;
    struct iotsec_cbuf b = {NULL, 0};

    if (iotsec_cose_hdr_find(h, label, &v, NULL) == IOTSEC_OK &&
        iotsec_cbor_get_bstr(&v, &b) != IOTSEC_OK) {
        b.ptr = NULL;
        b.len = 0;
    }
    return b;
}

/* The other party's public key for ECDH: the ephemeral key (-1) for ES,
 * the static key (-2) or a key set entry named by its kid (-3) for SS. */
static enum iotsec_err peer_key(const struct ralg *ra, const struct iotsec_cose_hdr *h,
                                const struct iotsec_cose_keyset *ks, struct iotsec_key *owned,
                                const struct iotsec_key **peer)
{
    struct iotsec_cbor_dec v;
    struct iotsec_cbuf kid;
    enum iotsec_err err;
    size_t i;

    *peer = NULL;
    if (iotsec_cose_hdr_find(h, ra->ecdh == 1 ? IOTSEC_COSE_HDR_EPHEMERAL_KEY
                                              : IOTSEC_COSE_HDR_STATIC_KEY,
                             &v, NULL) == IOTSEC_OK) {
        if ((err = iotsec_cose_key_decode(&v, owned, NULL)) != IOTSEC_OK)
            return err == IOTSEC_ERR_UNSUPPORTED_KEY ? err : IOTSEC_ERR_MALFORMED;
        *peer = owned;
        return IOTSEC_OK;
    }
    if (ra->ecdh == 2) {
        kid = hdr_bstr(h, IOTSEC_COSE_HDR_STATIC_KEY_ID);
        for (i = 0; kid.ptr != NULL && i < ks->n; i++) {
            const struct iotsec_cose_keyset_entry *e = &ks->entries[i];
            if (e->key != NULL && e->key->kty != IOTSEC_KTY_SYMMETRIC && e->kid.len == kid.len &&
                memcmp(e->kid.ptr, kid.ptr, kid.len) == 0) {
                *peer = e->key;
                return IOTSEC_OK;
            }
        }
        return IOTSEC_ERR_NOT_FOUND;
    }
    return IOTSEC_ERR_MALFORMED; /* ECDH-ES without an ephemeral key */
}

/* Try key @p key for one recipient; on success the content key is in @p cek. */
static enum iotsec_err try_key(const struct ralg *ra, const struct iotsec_key *key,
                               const struct iotsec_key *peer, const struct iotsec_cose_hdr *h,
                               struct iotsec_cbuf ct, const struct iotsec_cose_opts *o,
                               int64_t content_alg, uint8_t *cek, size_t cek_len)
{
    uint8_t secret[IOTSEC_MAX_ECDH_SECRET], kek_bytes[32];
    const uint8_t *ikm = NULL;
    size_t ikm_len = 0, n;
    struct party_src src = {h, NULL};
    struct iotsec_key kek;
    enum iotsec_err err;

    if (ra->ecdh != 0) {
        if (key->kty == IOTSEC_KTY_SYMMETRIC || !key->has_private)
            return IOTSEC_ERR_KEY_USAGE;
        if ((err = iotsec_crypto_ecdh(key, peer, secret, sizeof(secret), &ikm_len)) != IOTSEC_OK)
            return err;
        ikm = secret;
    } else {
        if (key->kty != IOTSEC_KTY_SYMMETRIC || key->k == NULL)
            return IOTSEC_ERR_KEY_USAGE;
        ikm = key->k;
        ikm_len = key->k_len;
    }
    if (ra->kw == 0) {
        /* direct: the recipient carries no wrapped key */
        if (ct.ptr == NULL || ct.len != 0)
            return IOTSEC_ERR_MALFORMED;
        if (ra->hkdf)
            err = derive(ra, ikm, ikm_len, hdr_bstr(h, IOTSEC_COSE_HDR_SALT), content_alg, cek_len,
                         cose_prot_tbs(h), &src, o, cek);
        else if (ikm_len != cek_len)
            err = IOTSEC_ERR_KEY_USAGE;
        else {
            memcpy(cek, ikm, cek_len);
            err = IOTSEC_OK;
        }
    } else {
        size_t kl = kw_key_len(ra->kw);
        if (ra->hkdf) {
            err = derive(ra, ikm, ikm_len, hdr_bstr(h, IOTSEC_COSE_HDR_SALT), ra->kw, kl,
                         cose_prot_tbs(h), &src, o, kek_bytes);
            iotsec_key_init_symmetric(&kek, kek_bytes, kl);
        } else {
            err = ikm_len == kl ? IOTSEC_OK : IOTSEC_ERR_KEY_USAGE;
            iotsec_key_init_symmetric(&kek, ikm, ikm_len);
        }
        if (err == IOTSEC_OK) {
            if (ct.ptr == NULL)
                err = IOTSEC_ERR_MALFORMED;
            else if ((err = iotsec_crypto_aes_kw_unwrap(&kek, ct.ptr, ct.len, cek, cek_len, &n)) ==
                         IOTSEC_OK &&
                     n != cek_len) {
                iotsec_wipe(cek, cek_len);
                err = IOTSEC_ERR_DECRYPT_FAILED;
            } else if (err == IOTSEC_ERR_BUFFER_TOO_SMALL) {
                err = IOTSEC_ERR_DECRYPT_FAILED; /* a wrapped key of the wrong length */
            }
        }
    }
    iotsec_wipe(secret, sizeof(secret));
    iotsec_wipe(kek_bytes, sizeof(kek_bytes));
    return err;
}

enum iotsec_err cose_recipients_key(struct iotsec_cbor_dec list, const struct iotsec_cose_keyset *ks,
                                    const struct iotsec_cose_opts *o, int64_t content_alg,
                                    uint8_t *cek, size_t cek_len, size_t *which, size_t *key_index)
{
    struct iotsec_cbor_dec l;
    enum iotsec_err best = IOTSEC_ERR_NOT_FOUND;
    size_t r;

    if (iotsec_cbor_enter_array(&list, &l, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    for (r = 0; !iotsec_cbor_at_end(&l); r++) {
        struct iotsec_cbor_dec a;
        struct iotsec_cose_hdr h;
        struct iotsec_cbuf ct;
        struct iotsec_key owned;
        const struct iotsec_key *peer = NULL;
        const struct ralg *ra;
        enum iotsec_err err;
        uint8_t s;
        size_t n, i;

        if (iotsec_cbor_enter_array(&l, &a, &n) != IOTSEC_OK || (n != 3 && n != 4))
            return IOTSEC_ERR_MALFORMED;
        if ((err = iotsec_cose_hdr_decode(&a, &h, o->understood, o->n_understood)) != IOTSEC_OK)
            return err;
        if (iotsec_cbor_get_bstr(&a, &ct) != IOTSEC_OK) {
            if (iotsec_cbor_get_simple(&a, &s) != IOTSEC_OK || s != IOTSEC_CBOR_NULL)
                return IOTSEC_ERR_MALFORMED;
            ct.ptr = NULL;
            ct.len = 0;
        }
        iotsec_cbor_skip_rest(&a);
        (void)iotsec_cbor_leave(&l, &a);
        if (h.alg == 0)
            return IOTSEC_ERR_MALFORMED;
        if (n == 4 || (ra = ralg_find(h.alg)) == NULL) {
            /* nested recipients or an algorithm iotsec lacks: maybe another recipient fits */
            if (best == IOTSEC_ERR_NOT_FOUND)
                best = IOTSEC_ERR_UNSUPPORTED_ALG;
            continue;
        }
        memset(&owned, 0, sizeof(owned));
        for (i = 0; i < ks->n && !cose_key_candidate(&ks->entries[i], &h.kid, h.alg); i++)
            ;
        if (i == ks->n)
            continue; /* no key of the set is meant for this recipient */
        if (ra->ecdh != 0 && (err = peer_key(ra, &h, ks, &owned, &peer)) != IOTSEC_OK) {
            /* this recipient cannot be processed; a later one may be */
            if (err != IOTSEC_ERR_NOT_FOUND &&
                (best == IOTSEC_ERR_NOT_FOUND || best == IOTSEC_ERR_UNSUPPORTED_ALG))
                best = err;
            continue;
        }
        for (i = 0; i < ks->n; i++) {
            if (!cose_key_candidate(&ks->entries[i], &h.kid, h.alg) || ks->entries[i].key == peer)
                continue;
            err = try_key(ra, ks->entries[i].key, peer, &h, ct, o, content_alg, cek, cek_len);
            if (err == IOTSEC_OK) {
                iotsec_key_free(&owned);
                *which = r;
                *key_index = i;
                return IOTSEC_OK;
            }
            if (err == IOTSEC_ERR_KEY_USAGE)
                continue;
            if (err == IOTSEC_ERR_DECRYPT_FAILED || best == IOTSEC_ERR_NOT_FOUND ||
                best == IOTSEC_ERR_UNSUPPORTED_ALG)
                best = err;
        }
        iotsec_key_free(&owned);
    }
    return best;
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_recipient_key(const struct iotsec_cose_msg *m,
                                          const struct iotsec_cose_keyset *ks,
                                          const struct iotsec_cose_opts *o, int64_t content_alg,
                                          uint8_t *cek, size_t cek_cap, size_t *cek_len,
                                          struct iotsec_cose_result *r)
{
    size_t kl = cose_content_key_len(content_alg);
    enum iotsec_err err;

    memset(r, 0, sizeof(*r));
    *cek_len = 0;
    if (m->type != IOTSEC_COSE_ENCRYPT && m->type != IOTSEC_COSE_MAC)
        return IOTSEC_ERR_INVALID_ARG;
    if (kl == 0)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (cek_cap < kl)
        return IOTSEC_ERR_BUFFER_TOO_SMALL;
    err = cose_recipients_key(m->list, ks, o, content_alg, cek, kl, &r->signer, &r->key);
    if (err == IOTSEC_OK) {
        *cek_len = kl;
        r->alg = content_alg;
    }
    return err;
}

/* ---- encode side ---- */

/* Find the ECDH peer (recipient public key) curve and make or take the
 * sender's key. ES: o's ephemeral if the caller gave one, else a new one. */
static enum iotsec_err sender_key(const struct ralg *ra, const struct iotsec_cose_recipient_in *ri,
                                  struct iotsec_key *fresh, const struct iotsec_key **sk)
{
    if (ri->key == NULL || ri->key->kty == IOTSEC_KTY_SYMMETRIC)
        return IOTSEC_ERR_KEY_USAGE;
    if (ri->sender_key != NULL) {
        *sk = ri->sender_key;
        return IOTSEC_OK;
    }
    if (ra->ecdh == 2)
        return IOTSEC_ERR_INVALID_ARG; /* static-static needs the sender's key */
    *sk = fresh;
    return iotsec_key_generate(fresh, ri->key->crv);
}

/*
 * One recipient. With @p e NULL: derive the content key of a direct-mode
 * recipient into @p cek. With @p e: write the recipient, wrapping @p cek
 * for key-wrap modes. ECDH uses @p keep as the sender key when given, else
 * makes one in @p made (ES) for the caller to release.
 */
static enum iotsec_err put_one(struct iotsec_cbor_enc *e, const struct iotsec_cose_recipient_in *ri,
                               const struct iotsec_cose_opts *o, int64_t content_alg, uint8_t *cek,
                               size_t cek_len, const struct iotsec_key *keep,
                               struct iotsec_key *made)
{
    uint8_t secret[IOTSEC_MAX_ECDH_SECRET], kek_bytes[32], wrapped[72], epk[256];
    struct party_src src = {NULL, &ri->hdr};
    const struct iotsec_key *sk = keep;
    struct iotsec_cbuf extra = {NULL, 0}, salt = {NULL, 0}, prot = cose_prot_in_tbs(&ri->hdr);
    const uint8_t *ikm;
    size_t ikm_len = 0, wl = 0, extra_n = 0;
    struct iotsec_key kek;
    const struct ralg *ra;
    int64_t alg;
    enum iotsec_err err = IOTSEC_OK;

    if ((err = cose_hdr_in_check(&ri->hdr, &alg)) != IOTSEC_OK)
        return err;
    if ((ra = ralg_find(alg)) == NULL)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (ri->key == NULL || (ri->key->alg != 0 && ri->key->alg != alg))
        return IOTSEC_ERR_KEY_USAGE;
    {
        /* salt (-20) from the caller's headers */
        const struct iotsec_cbuf maps[2] = {ri->hdr.prot, ri->hdr.unprot};
        int i;
        for (i = 0; i < 2 && salt.ptr == NULL; i++) {
            struct iotsec_cbor_dec d, m, v;
            if (maps[i].len != 0 &&
                iotsec_cbor_dec_init(&d, maps[i].ptr, maps[i].len, 0, NULL) == IOTSEC_OK &&
                iotsec_cbor_enter_map(&d, &m, NULL) == IOTSEC_OK &&
                iotsec_cbor_map_find_int(&m, IOTSEC_COSE_HDR_SALT, &v) == IOTSEC_OK)
                (void)iotsec_cbor_get_bstr(&v, &salt);
        }
    }
    if (ra->ecdh != 0) {
        if (sk == NULL && (err = sender_key(ra, ri, made, &sk)) != IOTSEC_OK)
            return err;
        if ((err = iotsec_crypto_ecdh(sk, ri->key, secret, sizeof(secret), &ikm_len)) != IOTSEC_OK)
            goto out;
        ikm = secret;
        /* ES: the ephemeral public key travels in the unprotected bucket */
        if (e != NULL && ra->ecdh == 1 &&
            !cose_map_has(ri->hdr.unprot, IOTSEC_COSE_HDR_EPHEMERAL_KEY) &&
            !cose_map_has(ri->hdr.prot, IOTSEC_COSE_HDR_EPHEMERAL_KEY)) {
            struct iotsec_cbor_enc ke;
            struct iotsec_key pub = *sk;
            pub.alg = 0;
            iotsec_cbor_enc_init(&ke, epk, sizeof(epk));
            iotsec_cbor_enc_int(&ke, IOTSEC_COSE_HDR_EPHEMERAL_KEY);
            iotsec_cose_key_encode(&ke, &pub, false, NULL, 0);
            if ((err = iotsec_cbor_enc_finish(&ke, &extra)) != IOTSEC_OK)
                goto out;
            extra_n = 1;
        }
    } else {
        if (ri->key->kty != IOTSEC_KTY_SYMMETRIC || ri->key->k == NULL) {
            err = IOTSEC_ERR_KEY_USAGE;
            goto out;
        }
        ikm = ri->key->k;
        ikm_len = ri->key->k_len;
    }

    if (ra->kw == 0) {
        if (e == NULL) {
            if (ra->hkdf)
                err = derive(ra, ikm, ikm_len, salt, content_alg, cek_len, prot, &src, o, cek);
            else if (ikm_len != cek_len)
                err = IOTSEC_ERR_KEY_USAGE;
            else
                memcpy(cek, ikm, cek_len);
        }
    } else {
        size_t kl = kw_key_len(ra->kw);
        if (ra->hkdf) {
            err = derive(ra, ikm, ikm_len, salt, ra->kw, kl, prot, &src, o, kek_bytes);
            iotsec_key_init_symmetric(&kek, kek_bytes, kl);
        } else {
            err = ikm_len == kl ? IOTSEC_OK : IOTSEC_ERR_KEY_USAGE;
            iotsec_key_init_symmetric(&kek, ikm, ikm_len);
        }
        if (err == IOTSEC_OK)
            err = iotsec_crypto_aes_kw_wrap(&kek, cek, cek_len, wrapped, sizeof(wrapped), &wl);
    }
    if (err == IOTSEC_OK && e != NULL) {
        iotsec_cbor_enc_array(e, 3);
        cose_put_prot(e, &ri->hdr);
        cose_put_unprot(e, &ri->hdr, extra_n, extra);
        iotsec_cbor_enc_bstr(e, wrapped, wl); /* h'' for direct modes */
    }
out:
    iotsec_wipe(secret, sizeof(secret));
    iotsec_wipe(kek_bytes, sizeof(kek_bytes));
    iotsec_wipe(wrapped, sizeof(wrapped));
    return err;
}

enum iotsec_err cose_recipients_cek(const struct iotsec_cose_recipient_in *r, size_t n,
                                    const struct iotsec_cose_opts *o, int64_t content_alg,
                                    uint8_t *cek, size_t cek_len, struct iotsec_key *eph)
{
    int64_t alg;
    size_t i;

    memset(eph, 0, sizeof(*eph));
    if (n == 0 || r == NULL)
        return IOTSEC_ERR_INVALID_ARG;
    if (cose_hdr_in_check(&r[0].hdr, &alg) != IOTSEC_OK)
        return IOTSEC_ERR_INVALID_ARG;
    if (cose_alg_is_direct(alg)) {
        /* a direct mode fixes the content key and allows no other
         * recipient (RFC 9052 5.1) */
        if (n != 1)
            return IOTSEC_ERR_INVALID_ARG;
        return put_one(NULL, &r[0], o, content_alg, cek, cek_len, r[0].sender_key, eph);
    }
    for (i = 1; i < n; i++)
        if (cose_hdr_in_check(&r[i].hdr, &alg) != IOTSEC_OK || cose_alg_is_direct(alg))
            return IOTSEC_ERR_INVALID_ARG; /* a direct mode must be the only recipient */
    if (o->cek.ptr != NULL) {
        if (o->cek.len != cek_len)
            return IOTSEC_ERR_INVALID_ARG;
        memcpy(cek, o->cek.ptr, cek_len);
        return IOTSEC_OK;
    }
    return iotsec_crypto_random(cek, cek_len);
}

enum iotsec_err cose_recipients_put(struct iotsec_cbor_enc *e,
                                    const struct iotsec_cose_recipient_in *r, size_t n,
                                    const struct iotsec_cose_opts *o, int64_t content_alg,
                                    uint8_t *cek, size_t cek_len, const struct iotsec_key *eph)
{
    enum iotsec_err err = IOTSEC_OK;
    size_t i;

    iotsec_cbor_enc_array(e, n);
    for (i = 0; i < n && err == IOTSEC_OK; i++) {
        struct iotsec_key fresh;
        const struct iotsec_key *keep = r[i].sender_key;

        memset(&fresh, 0, sizeof(fresh));
        if (n == 1 && eph != NULL && eph->handle != NULL)
            keep = eph; /* the ephemeral key the content key was derived with */
        err = put_one(e, &r[i], o, content_alg, cek, cek_len, keep, &fresh);
        iotsec_key_free(&fresh);
    }
    return err;
}
