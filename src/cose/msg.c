/* SPDX-License-Identifier: Apache-2.0 */
/* Decoding received messages, and authenticating Sign1, Sign, Mac0, Mac. */
#include <string.h>

#include "cose_int.h"

/* Per message type (indexed by enum iotsec_cose_type): its CBOR tag and the
 * number of items of its array. */
static const uint8_t type_tag[] = {0,
                                   IOTSEC_COSE_TAG_SIGN1,
                                   IOTSEC_COSE_TAG_SIGN,
                                   IOTSEC_COSE_TAG_MAC0,
                                   IOTSEC_COSE_TAG_MAC,
                                   IOTSEC_COSE_TAG_ENCRYPT0,
                                   IOTSEC_COSE_TAG_ENCRYPT};
static const uint8_t type_items[] = {0, 4, 4, 4, 5, 3, 4};

/* see cose_int.h */
enum iotsec_err cose_get_bstr(struct iotsec_cbor_dec *a, struct iotsec_cbuf *b, bool nil_ok)
{
    struct iotsec_cbor_item it;
    enum iotsec_err err = iotsec_cbor_peek(a, &it);

    if (err != IOTSEC_OK)
        return err;
    if (it.type == IOTSEC_CBOR_BSTR) {
        if (it.str.ptr == NULL)
            return IOTSEC_ERR_UNSUPPORTED;
    } else if (!nil_ok || it.type != IOTSEC_CBOR_SIMPLE ||
               (uint32_t)it.val != IOTSEC_CBOR_NULL) {
        /* not nil (a simple value's argument has at most 8 bits) */
        return IOTSEC_ERR_MALFORMED;
    }
    *b = it.str; /* nil: {NULL, 0} */
    return iotsec_cbor_skip(a);
}

/* A non-empty array of signatures or recipients: keep a cursor on it. */
static enum iotsec_err get_list(struct iotsec_cbor_dec *a, struct iotsec_cose_msg *m)
{
    struct iotsec_cbor_dec l;

    m->list = *a;
    m->list.left = 1;
    if (iotsec_cbor_enter_array(a, &l, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    for (m->count = 0; iotsec_cbor_skip(&l) == IOTSEC_OK; m->count++)
        ;
    if (m->count == 0)
        return IOTSEC_ERR_MALFORMED;
    return iotsec_cbor_leave(a, &l);
}

/*
 * What every message type starts with: the tags, the array and its item
 * count, the header buckets and the content. @p a (out) is the cursor
 * inside its array, on the item after the content, where
 * iotsec_cose_decode() reads what follows for the type.
 */
static enum iotsec_err decode_start(const uint8_t *buf, size_t len, enum iotsec_cose_type expect,
                                    const struct iotsec_cose_label *understood,
                                    size_t n_understood, struct iotsec_cose_msg *m,
                                    struct iotsec_cbor_dec *a)
{
    struct iotsec_cbor_dec d;
    enum iotsec_err err;
    size_t i, n;
    bool tagged;

    memset(m, 0, sizeof(*m));
    if ((err = iotsec_cbor_dec_init(&d, buf, len, 0, NULL)) != IOTSEC_OK)
        return err;
    /* the COSE tag, under at most one CWT tag */
    while ((tagged = iotsec_cbor_get_tag(&d, &m->tag) == IOTSEC_OK) &&
           m->tag == IOTSEC_COSE_TAG_CWT && !m->cwt)
        m->cwt = true;
    if (tagged) {
        for (i = 1; i < sizeof(type_tag); i++)
            if (type_tag[i] == m->tag)
                m->type = (enum iotsec_cose_type)i;
    } else {
        /* untagged: the application says what it is (RFC 9052 2) */
        m->tag = 0;
        m->type = expect;
    }
    /* an unknown tag is unsupported unless the application expects a type */
    if (m->type == IOTSEC_COSE_UNKNOWN)
        return tagged && expect == IOTSEC_COSE_UNKNOWN ? IOTSEC_ERR_UNSUPPORTED
                                                       : IOTSEC_ERR_MALFORMED;
    if (expect != IOTSEC_COSE_UNKNOWN && m->type != expect)
        return IOTSEC_ERR_MALFORMED;
    if (iotsec_cbor_enter_array(&d, a, &n) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    if (n == IOTSEC_CBOR_INDEFINITE) {
        /* RFC 9052 fixes definite lengths only for the to-be-processed
         * structures: count what an indefinite array holds */
        struct iotsec_cbor_dec c = *a;
        for (n = 0; iotsec_cbor_skip(&c) == IOTSEC_OK; n++)
            ;
    }
    if ((size_t)m->type >= sizeof(type_items) || n != type_items[m->type])
        return IOTSEC_ERR_MALFORMED;
    if ((err = iotsec_cose_hdr_decode(a, &m->hdr, understood, n_understood)) != IOTSEC_OK)
        return err;
    return cose_get_bstr(a, &m->content, true);
}

/* Close the message array: nothing may follow its items. Validation
 * proved the (tagged) array is the whole input, so the cursor outside it
 * needs no update: peeking, a reader the verify path links anyway, is all
 * it takes. */
static enum iotsec_err decode_end(const uint8_t *buf, size_t len, struct iotsec_cose_msg *m,
                                  const struct iotsec_cbor_dec *a)
{
    struct iotsec_cbor_item it;

    if (iotsec_cbor_peek(a, &it) == IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    m->raw.ptr = buf;
    m->raw.len = len;
    return IOTSEC_OK;
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_decode(const uint8_t *buf, size_t len, enum iotsec_cose_type expect,
                                   const struct iotsec_cose_label *understood, size_t n_understood,
                                   struct iotsec_cose_msg *m)
{
    struct iotsec_cbor_dec a;
    enum iotsec_err err;

    if ((err = decode_start(buf, len, expect, understood, n_understood, m, &a)) != IOTSEC_OK)
        return err;
    switch (m->type) {
    case IOTSEC_COSE_SIGN1:
    case IOTSEC_COSE_MAC0:
        err = cose_get_bstr(&a, &m->sig, false);
        break;
    case IOTSEC_COSE_MAC:
        if ((err = cose_get_bstr(&a, &m->sig, false)) != IOTSEC_OK)
            break;
        /* fall through */
    case IOTSEC_COSE_SIGN:
    case IOTSEC_COSE_ENCRYPT:
        if ((err = get_list(&a, m)) == IOTSEC_ERR_CBOR_EXTRA_ITEMS)
            err = IOTSEC_ERR_MALFORMED;
        break;
    default:
        break;
    }
    return err != IOTSEC_OK ? err : decode_end(buf, len, m, &a);
}

bool cose_key_candidate(const struct iotsec_cose_keyset_entry *e, const struct iotsec_cbuf *kid,
                        int64_t alg)
{
    if (e->key == NULL || (e->key->alg != 0 && e->key->alg != alg))
        return false;
    /* an entry without a kid is trusted for any kid the message names */
    if (kid->ptr != NULL && e->kid.len != 0 &&
        (e->kid.len != kid->len || memcmp(e->kid.ptr, kid->ptr, kid->len) != 0))
        return false;
    return true;
}

/*
 * The to-be-signed input of @p t: algorithms that sign a digest (ECDSA) get
 * the Sig_structure hashed as it streams, into @p digest; the others (EdDSA,
 * HSS-LMS) get the structure itself, built in o->scratch. *tbs (out) is the
 * one or the other, *prehashed says which. Inlined into the signer and the
 * verifier.
 */
COSE_INLINE enum iotsec_err sig_input(const struct cose_sig *t, const struct iotsec_cose_opts *o,
                                      uint8_t digest[IOTSEC_MAX_HASH], struct iotsec_cbuf *tbs,
                                      bool *prehashed)
{
    int32_t alg = (int32_t)t->alg, hash;
    struct sink s;
    enum iotsec_err err;

    /* HSS-LMS signatures have no fixed length: it signs the structure itself */
    if (alg != t->alg || (iotsec_crypto_sig_len(alg) == 0 && alg != IOTSEC_ALG_HSS_LMS))
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    hash = iotsec_crypto_sig_hash(alg);
    *prehashed = hash != 0;
    if (hash == 0)
        cose_sink_buf(&s, o->scratch.ptr, o->scratch.len);
    else if ((err = cose_sink_hash(&s, hash)) != IOTSEC_OK)
        return err;
    cose_sig_structure(&s, t, &o->external_aad);
    if (hash == 0) {
        tbs->ptr = o->scratch.ptr;
        tbs->len = s.len;
        return s.err;
    }
    if (s.err != IOTSEC_OK) {
        iotsec_crypto_hash_abort(&s.hash);
        return s.err;
    }
    tbs->ptr = digest;
    return iotsec_crypto_hash_finish(&s.hash, digest, IOTSEC_MAX_HASH, &tbs->len);
}

enum iotsec_err cose_sig_verify(const struct cose_sig *t, const struct iotsec_cose_keyset *ks,
                                const struct iotsec_cose_opts *o, size_t *key_index)
{
    uint8_t digest[IOTSEC_MAX_HASH];
    struct iotsec_cbuf tbs;
    bool prehashed;
    enum iotsec_err err, best = IOTSEC_ERR_NOT_FOUND;
    const struct iotsec_cose_keyset_entry *e = ks->entries;
    size_t i;

    if ((err = sig_input(t, o, digest, &tbs, &prehashed)) != IOTSEC_OK)
        return err;
    for (i = 0; i < ks->n; i++, e++) {
        if (!cose_key_candidate(e, &t->kid, t->alg))
            continue;
        /* the two take the same arguments: a digest, or the structure */
        err = (prehashed ? iotsec_crypto_verify_digest : iotsec_crypto_verify)(
            (int32_t)t->alg, e->key, tbs.ptr, tbs.len, t->sig.ptr, t->sig.len);
        if (err == IOTSEC_OK) {
            *key_index = i;
            return IOTSEC_OK;
        }
        if (err == IOTSEC_ERR_VERIFY_FAILED)
            best = err;
        else if (err != IOTSEC_ERR_KEY_USAGE) /* a key of another type or curve: not a candidate */
            return err;
    }
    return best;
}

enum iotsec_err cose_sig_sign(int64_t alg, const struct iotsec_key *key, const char *context,
                              struct iotsec_cbuf body_prot, const struct iotsec_cbuf *sign_prot,
                              struct iotsec_cbuf payload, const struct iotsec_cbuf *other,
                              const struct iotsec_cose_opts *o, uint8_t *sig, size_t *sig_len)
{
    uint8_t digest[IOTSEC_MAX_HASH];
    struct iotsec_cbuf tbs;
    struct cose_sig t;
    bool prehashed;
    enum iotsec_err err;

    if (key->alg != 0 && key->alg != alg)
        return IOTSEC_ERR_KEY_USAGE;
    memset(&t, 0, sizeof(t));
    t.alg = alg;
    t.context = context;
    t.body_prot = body_prot;
    t.sign_prot = sign_prot;
    t.payload = payload;
    t.other = other;
    if ((err = sig_input(&t, o, digest, &tbs, &prehashed)) != IOTSEC_OK)
        return err;
    return (prehashed ? iotsec_crypto_sign_digest : iotsec_crypto_sign)(
        (int32_t)alg, key, tbs.ptr, tbs.len, sig, IOTSEC_MAX_SIG, sig_len);
}

#if IOTSEC_COSE_VERIFY_SIGN
/* Every signature of a COSE_Sign, until one verifies. */
static enum iotsec_err verify_sign(const struct iotsec_cose_msg *m,
                                   const struct iotsec_cose_keyset *ks,
                                   const struct iotsec_cose_opts *o, struct iotsec_cbuf payload,
                                   struct iotsec_cose_result *r)
{
    struct iotsec_cbor_dec list = m->list, l;
    enum iotsec_err best = IOTSEC_ERR_NOT_FOUND;
    struct iotsec_cbuf sp;
    struct cose_sig t;
    size_t i;

    if (iotsec_cbor_enter_array(&list, &l, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    memset(&t, 0, sizeof(t));
    t.context = COSE_TBS_SIGNATURE;
    t.body_prot = cose_prot_tbs(&m->hdr);
    t.sign_prot = &sp;
    t.payload = payload;
    for (i = 0; !iotsec_cbor_at_end(&l); i++) {
        struct iotsec_cbor_dec s;
        struct iotsec_cose_hdr h;
        size_t n, ki;
        enum iotsec_err err;

        if (iotsec_cbor_enter_array(&l, &s, &n) != IOTSEC_OK || n != 3)
            return IOTSEC_ERR_MALFORMED;
        if ((err = iotsec_cose_hdr_decode(&s, &h, o->understood, o->n_understood)) != IOTSEC_OK)
            return err;
        if (iotsec_cbor_get_bstr(&s, &t.sig) != IOTSEC_OK ||
            iotsec_cbor_leave(&l, &s) != IOTSEC_OK || h.alg == 0)
            return IOTSEC_ERR_MALFORMED;
        sp = cose_prot_tbs(&h);
        t.alg = h.alg;
        t.kid = h.kid;
        if ((err = cose_sig_verify(&t, ks, o, &ki)) == IOTSEC_OK) {
            r->signer = i;
            r->key = ki;
            r->alg = h.alg;
            return IOTSEC_OK;
        }
        /* remember the most telling failure: a bad signature over "no key" */
        if (err == IOTSEC_ERR_VERIFY_FAILED || best == IOTSEC_ERR_NOT_FOUND)
            best = err;
    }
    return best;
}
#endif

/* Resolve the payload in *@p payload (the message's content): attached,
 * or detached and supplied by the caller. */
COSE_INLINE enum iotsec_err payload_of(struct iotsec_cbuf *payload,
                                       const struct iotsec_cose_opts *o)
{
    if (payload->ptr == NULL) {
        if (o->detached.ptr == NULL)
            return IOTSEC_ERR_MALFORMED; /* nil payload and nothing detached */
        *payload = o->detached;
    } else if (o->detached.ptr != NULL) {
        return IOTSEC_ERR_INVALID_ARG;
    }
    return IOTSEC_OK;
}

/* A COSE_Sign1 whose Sig_structure @p t holds the message's content as
 * payload, against @p ks; r->payload set on success. */
COSE_INLINE enum iotsec_err sign1_check(struct cose_sig *t, const struct iotsec_cose_keyset *ks,
                                        const struct iotsec_cose_opts *o,
                                        struct iotsec_cose_result *r)
{
    enum iotsec_err err;

    if ((err = payload_of(&t->payload, o)) != IOTSEC_OK)
        return err;
    if (t->alg == 0)
        return IOTSEC_ERR_MALFORMED;
    r->alg = t->alg;
    if ((err = cose_sig_verify(t, ks, o, &r->key)) == IOTSEC_OK)
        r->payload = t->payload;
    return err;
}

/* A decoded COSE_Sign1 against @p ks; r->payload set on success. */
static enum iotsec_err verify_sign1(const struct iotsec_cose_msg *m,
                                    const struct iotsec_cose_keyset *ks,
                                    const struct iotsec_cose_opts *o, struct iotsec_cose_result *r)
{
    struct cose_sig t = {m->hdr.alg,          m->hdr.kid, m->sig,     COSE_TBS_SIGNATURE1,
                         cose_prot_tbs(&m->hdr), NULL,       m->content, NULL};

    return sign1_check(&t, ks, o, r);
}

/*
 * see iotsec/cose.h
 *
 * iotsec_cose_decode() and iotsec_cose_verify() for this one type, in one
 * straight path that links no reader of the other types: the tags may only
 * be a CWT tag and then the Sign1 tag, each optional (any other tag, or a
 * further one, is MALFORMED, as the general decoder reports an unexpected
 * tag); four items make the message, so nothing can follow them.
 */
enum iotsec_err iotsec_cose_sign1_verify(const uint8_t *buf, size_t len,
                                         const struct iotsec_cose_keyset *ks,
                                         const struct iotsec_cose_opts *o,
                                         struct iotsec_cose_result *r)
{
    struct iotsec_cbor_dec d, a;
    struct iotsec_cose_hdr h;
    struct cose_sig t;
    enum iotsec_err err;
    size_t n;

    memset(r, 0, sizeof(*r));
    if ((err = iotsec_cbor_dec_init(&d, buf, len, 0, NULL)) != IOTSEC_OK)
        return err;
    /* any other tag, or a further one, is where the array must be */
    (void)iotsec_cbor_skip_tag(&d, IOTSEC_COSE_TAG_CWT);
    (void)iotsec_cbor_skip_tag(&d, IOTSEC_COSE_TAG_SIGN1);
    if (iotsec_cbor_enter_array(&d, &a, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    d = a; /* count the items, in either length encoding */
    for (n = 0; iotsec_cbor_skip(&d) == IOTSEC_OK; n++)
        ;
    if (n != 4)
        return IOTSEC_ERR_MALFORMED;
    if ((err = iotsec_cose_hdr_decode(&a, &h, o->understood, o->n_understood)) != IOTSEC_OK ||
        (err = cose_get_bstr(&a, &t.payload, true)) != IOTSEC_OK ||
        (err = cose_get_bstr(&a, &t.sig, false)) != IOTSEC_OK)
        return err;
    memcpy(&t.alg, &h.alg, COSE_ALG_KID_SIZE); /* alg and kid */
    t.context = COSE_TBS_SIGNATURE1;
    t.body_prot = cose_prot_tbs(&h);
    t.sign_prot = NULL;
    t.other = NULL;
    return sign1_check(&t, ks, o, r);
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_verify(const struct iotsec_cose_msg *m,
                                   const struct iotsec_cose_keyset *ks,
                                   const struct iotsec_cose_opts *o, struct iotsec_cose_result *r)
{
    struct iotsec_cbuf payload;
    enum iotsec_err err;

    memset(r, 0, sizeof(*r));
    if (m->type == IOTSEC_COSE_SIGN1)
        return verify_sign1(m, ks, o, r);
    payload = m->content;
    if ((err = payload_of(&payload, o)) != IOTSEC_OK)
        return err;
    switch (m->type) {
    case IOTSEC_COSE_SIGN:
#if IOTSEC_COSE_VERIFY_SIGN
        err = verify_sign(m, ks, o, payload, r);
#else
        err = IOTSEC_ERR_UNSUPPORTED;
#endif
        break;
    case IOTSEC_COSE_MAC0:
    case IOTSEC_COSE_MAC:
#if IOTSEC_COSE_VERIFY_MAC
        err = cose_mac_verify(m, ks, o, payload, r);
#else
        err = IOTSEC_ERR_UNSUPPORTED;
#endif
        break;
    default:
        return IOTSEC_ERR_INVALID_ARG;
    }
    if (err == IOTSEC_OK)
        r->payload = payload;
    return err;
}
