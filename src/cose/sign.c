/* SPDX-License-Identifier: Apache-2.0 */
/* Creating COSE_Sign1 and COSE_Sign, and RFC 9338 countersignatures. */
#include <string.h>

#include "cose_int.h"

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_sign1(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                  const struct iotsec_cose_signer_in *signer,
                                  struct iotsec_cbuf payload, const struct iotsec_cose_opts *o)
{
    struct iotsec_cbor_enc e;
    uint8_t sig[IOTSEC_MAX_SIG];
    size_t sl;
    int64_t alg;
    enum iotsec_err err;

    if ((err = cose_hdr_in_check(&signer->hdr, &alg)) != IOTSEC_OK)
        return err;
    err = cose_sig_sign(alg, signer->key, COSE_TBS_SIGNATURE1, cose_prot_in_tbs(&signer->hdr), NULL,
                        payload, NULL, o, sig, &sl);
    if (err != IOTSEC_OK)
        return err;
    iotsec_cbor_enc_init(&e, out.ptr, out.len);
    if (!o->untagged)
        iotsec_cbor_enc_tag(&e, IOTSEC_COSE_TAG_SIGN1);
    iotsec_cbor_enc_array(&e, 4);
    cose_put_prot(&e, &signer->hdr);
    cose_put_unprot(&e, &signer->hdr, 0, (struct iotsec_cbuf){NULL, 0});
    if (o->detach)
        iotsec_cbor_enc_null(&e);
    else
        iotsec_cbor_enc_bstr(&e, payload.ptr, payload.len);
    iotsec_cbor_enc_bstr(&e, sig, sl);
    return iotsec_cbor_enc_finish(&e, msg);
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_sign(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                 const struct iotsec_cose_hdr_in *body,
                                 const struct iotsec_cose_signer_in *signers, size_t n,
                                 struct iotsec_cbuf payload, const struct iotsec_cose_opts *o)
{
    static const struct iotsec_cose_hdr_in empty;
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf body_tbs;
    enum iotsec_err err;
    size_t i;

    if (n == 0)
        return IOTSEC_ERR_INVALID_ARG;
    if (body == NULL)
        body = &empty;
    body_tbs = cose_prot_in_tbs(body);
    iotsec_cbor_enc_init(&e, out.ptr, out.len);
    if (!o->untagged)
        iotsec_cbor_enc_tag(&e, IOTSEC_COSE_TAG_SIGN);
    iotsec_cbor_enc_array(&e, 4);
    cose_put_prot(&e, body);
    cose_put_unprot(&e, body, 0, (struct iotsec_cbuf){NULL, 0});
    if (o->detach)
        iotsec_cbor_enc_null(&e);
    else
        iotsec_cbor_enc_bstr(&e, payload.ptr, payload.len);
    iotsec_cbor_enc_array(&e, n);
    for (i = 0; i < n; i++) {
        uint8_t sig[IOTSEC_MAX_SIG];
        struct iotsec_cbuf sp = cose_prot_in_tbs(&signers[i].hdr);
        size_t sl;
        int64_t alg;

        if ((err = cose_hdr_in_check(&signers[i].hdr, &alg)) != IOTSEC_OK)
            return err;
        err = cose_sig_sign(alg, signers[i].key, COSE_TBS_SIGNATURE, body_tbs, &sp, payload, NULL, o, sig,
                            &sl);
        if (err != IOTSEC_OK)
            return err;
        iotsec_cbor_enc_array(&e, 3);
        cose_put_prot(&e, &signers[i].hdr);
        cose_put_unprot(&e, &signers[i].hdr, 0, (struct iotsec_cbuf){NULL, 0});
        iotsec_cbor_enc_bstr(&e, sig, sl);
    }
    return iotsec_cbor_enc_finish(&e, msg);
}

/*
 * Countersignatures of a COSE_Sign1 (RFC 9338 3.3): the Countersign_structure
 * covers the body's protected bucket, the payload and, for version 2, the
 * signature as other_fields. Version 1 (RFC 8152, label 7 and 9) omits
 * other_fields.
 */
static enum iotsec_err verify_one_full(const struct iotsec_cose_msg *m, struct iotsec_cbor_dec *cs,
                                       bool v2, const struct iotsec_cose_keyset *ks,
                                       const struct iotsec_cose_opts *o, struct iotsec_cbuf payload,
                                       size_t *key_index, int64_t *alg)
{
    struct iotsec_cbor_dec a;
    struct iotsec_cose_hdr h;
    struct iotsec_cbuf sp;
    struct cose_sig t;
    size_t n;
    enum iotsec_err err;

    memset(&t, 0, sizeof(t));
    if (iotsec_cbor_enter_array(cs, &a, &n) != IOTSEC_OK || n != 3)
        return IOTSEC_ERR_MALFORMED;
    if ((err = iotsec_cose_hdr_decode(&a, &h, o->understood, o->n_understood)) != IOTSEC_OK)
        return err;
    if (iotsec_cbor_get_bstr(&a, &t.sig) != IOTSEC_OK || iotsec_cbor_leave(cs, &a) != IOTSEC_OK ||
        h.alg == 0)
        return IOTSEC_ERR_MALFORMED;
    sp = cose_prot_tbs(&h);
    *alg = t.alg = h.alg;
    t.kid = h.kid;
    t.context = v2 ? COSE_TBS_COUNTER_V2 : COSE_TBS_COUNTER;
    t.body_prot = cose_prot_tbs(&m->hdr);
    t.sign_prot = &sp;
    t.payload = payload;
    t.other = v2 ? &m->sig : NULL;
    return cose_sig_verify(&t, ks, o, key_index);
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_countersign_verify(const struct iotsec_cose_msg *m,
                                               const struct iotsec_cose_keyset *ks,
                                               const struct iotsec_cose_opts *o,
                                               struct iotsec_cose_result *r)
{
    static const int64_t labels[] = {IOTSEC_COSE_HDR_COUNTER_SIGNATURE_V2,
                                     IOTSEC_COSE_HDR_COUNTER_SIGNATURE0_V2,
                                     IOTSEC_COSE_HDR_COUNTER_SIGNATURE,
                                     IOTSEC_COSE_HDR_COUNTER_SIGNATURE0};
    struct iotsec_cbuf payload = m->content.ptr != NULL ? m->content : o->detached;
    enum iotsec_err best = IOTSEC_ERR_NOT_FOUND;
    size_t li, idx = 0;

    memset(r, 0, sizeof(*r));
    if (m->type != IOTSEC_COSE_SIGN1)
        return IOTSEC_ERR_UNSUPPORTED;
    if (payload.ptr == NULL)
        return IOTSEC_ERR_MALFORMED;
    for (li = 0; li < sizeof(labels) / sizeof(labels[0]); li++) {
        struct iotsec_cbor_dec v;
        bool v2 = labels[li] == IOTSEC_COSE_HDR_COUNTER_SIGNATURE_V2 ||
                  labels[li] == IOTSEC_COSE_HDR_COUNTER_SIGNATURE0_V2;
        bool abbreviated = labels[li] == IOTSEC_COSE_HDR_COUNTER_SIGNATURE0_V2 ||
                           labels[li] == IOTSEC_COSE_HDR_COUNTER_SIGNATURE0;
        enum iotsec_err err;
        size_t ki;

        if (iotsec_cose_hdr_find(&m->hdr, labels[li], &v, NULL) != IOTSEC_OK)
            continue;
        if (abbreviated) {
            /* [signature] only: algorithm and key come from the key set */
            struct iotsec_cbuf sig;
            size_t i;
            if (iotsec_cbor_get_bstr(&v, &sig) != IOTSEC_OK)
                return IOTSEC_ERR_MALFORMED;
            for (i = 0; i < ks->n; i++) {
                const struct iotsec_cose_keyset_entry one = ks->entries[i];
                struct iotsec_cose_keyset single = {&one, 1};
                if (one.key == NULL || one.key->alg == 0)
                    continue;
                /* RFC 8152 (V1) keeps an empty sign_protected; RFC 9338 (V2)
                 * omits it for the abbreviated form */
                static const struct iotsec_cbuf empty = {NULL, 0};
                struct cose_sig t;
                memset(&t, 0, sizeof(t));
                t.alg = one.key->alg;
                t.sig = sig;
                t.context = v2 ? COSE_TBS_COUNTER0_V2 : COSE_TBS_COUNTER0;
                t.body_prot = cose_prot_tbs(&m->hdr);
                t.sign_prot = v2 ? NULL : &empty;
                t.payload = payload;
                t.other = v2 ? &m->sig : NULL;
                err = cose_sig_verify(&t, &single, o, &ki);
                if (err == IOTSEC_OK) {
                    r->signer = idx;
                    r->key = i;
                    r->alg = one.key->alg;
                    r->payload = payload;
                    return IOTSEC_OK;
                }
                if (err == IOTSEC_ERR_VERIFY_FAILED)
                    best = err;
            }
            idx++;
            continue;
        }
        /* one COSE_Countersignature, or an array of them */
        {
            struct iotsec_cbor_dec probe = v, a, list;
            size_t n;
            bool many = false;
            if (iotsec_cbor_enter_array(&probe, &a, &n) != IOTSEC_OK)
                return IOTSEC_ERR_MALFORMED;
            many = n > 0 && iotsec_cbor_peek_type(&a) == IOTSEC_CBOR_ARRAY;
            if (many) {
                list = a;
            } else {
                list = v;
            }
            do {
                /* a one-item cursor on this element; the list moves on
                 * whatever the element holds */
                struct iotsec_cbor_dec one = list;
                one.left = 1;
                if (iotsec_cbor_skip(&list) != IOTSEC_OK)
                    break;
                err = verify_one_full(m, &one, v2, ks, o, payload, &ki, &r->alg);
                if (err == IOTSEC_OK) {
                    r->signer = idx;
                    r->key = ki;
                    r->payload = payload;
                    return IOTSEC_OK;
                }
                if (err == IOTSEC_ERR_VERIFY_FAILED || best == IOTSEC_ERR_NOT_FOUND)
                    best = err;
                idx++;
            } while (many && !iotsec_cbor_at_end(&list));
        }
    }
    return best;
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_countersign(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                        const struct iotsec_cose_msg *m,
                                        const struct iotsec_cose_signer_in *signer,
                                        const struct iotsec_cose_opts *o)
{
    struct iotsec_cbuf payload = m->content.ptr != NULL ? m->content : o->detached;
    struct iotsec_cbuf sp = cose_prot_in_tbs(&signer->hdr), span;
    struct iotsec_cbor_enc e;
    struct iotsec_cbor_dec um, entries;
    uint8_t sig[IOTSEC_MAX_SIG];
    size_t sl, n;
    int64_t alg;
    enum iotsec_err err;

    if (m->type != IOTSEC_COSE_SIGN1)
        return IOTSEC_ERR_UNSUPPORTED;
    if (payload.ptr == NULL)
        return IOTSEC_ERR_MALFORMED;
    if (iotsec_cose_hdr_find(&m->hdr, IOTSEC_COSE_HDR_COUNTER_SIGNATURE_V2, &um, NULL) ==
        IOTSEC_OK)
        return IOTSEC_ERR_UNSUPPORTED; /* appending to an existing list is not offered */
    if ((err = cose_hdr_in_check(&signer->hdr, &alg)) != IOTSEC_OK)
        return err;
    err = cose_sig_sign(alg, signer->key, COSE_TBS_COUNTER_V2, cose_prot_tbs(&m->hdr), &sp,
                        payload, &m->sig, o, sig, &sl);
    if (err != IOTSEC_OK)
        return err;

    /* Re-emit the message: same tag and buckets, the unprotected map grown
     * by label 11. Only the unprotected bucket is outside the signature. */
    iotsec_cbor_enc_init(&e, out.ptr, out.len);
    if (m->cwt)
        iotsec_cbor_enc_tag(&e, IOTSEC_COSE_TAG_CWT);
    if (m->tag != 0)
        iotsec_cbor_enc_tag(&e, m->tag);
    iotsec_cbor_enc_array(&e, 4);
    iotsec_cbor_enc_bstr(&e, m->hdr.prot.ptr, m->hdr.prot.len);
    um = m->hdr.unprot_map;
    if (iotsec_cbor_enter_map(&um, &entries, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    {
        /* count the entries: the received map may be of indefinite length */
        struct iotsec_cbor_dec c = entries;
        for (n = 0; iotsec_cbor_skip(&c) == IOTSEC_OK && iotsec_cbor_skip(&c) == IOTSEC_OK; n++)
            ;
    }
    iotsec_cbor_enc_map(&e, n + 1);
    while (iotsec_cbor_get_span(&entries, &span) == IOTSEC_OK)
        iotsec_cbor_enc_raw(&e, span.ptr, span.len);
    iotsec_cbor_enc_uint(&e, IOTSEC_COSE_HDR_COUNTER_SIGNATURE_V2);
    iotsec_cbor_enc_array(&e, 3);
    cose_put_prot(&e, &signer->hdr);
    cose_put_unprot(&e, &signer->hdr, 0, (struct iotsec_cbuf){NULL, 0});
    iotsec_cbor_enc_bstr(&e, sig, sl);
    if (m->content.ptr != NULL)
        iotsec_cbor_enc_bstr(&e, m->content.ptr, m->content.len);
    else
        iotsec_cbor_enc_null(&e);
    iotsec_cbor_enc_bstr(&e, m->sig.ptr, m->sig.len);
    return iotsec_cbor_enc_finish(&e, msg);
}
