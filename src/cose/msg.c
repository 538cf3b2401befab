/* SPDX-License-Identifier: Apache-2.0 */
/* Decoding received messages, and authenticating Sign1, Sign, Mac0, Mac. */
#include <string.h>

#include "cose_int.h"

static const struct {
    uint64_t tag;
    enum iotsec_cose_type type;
    size_t items;
} kinds[] = {
    {IOTSEC_COSE_TAG_SIGN1, IOTSEC_COSE_SIGN1, 4},     {IOTSEC_COSE_TAG_SIGN, IOTSEC_COSE_SIGN, 4},
    {IOTSEC_COSE_TAG_MAC0, IOTSEC_COSE_MAC0, 4},       {IOTSEC_COSE_TAG_MAC, IOTSEC_COSE_MAC, 5},
    {IOTSEC_COSE_TAG_ENCRYPT0, IOTSEC_COSE_ENCRYPT0, 3}, {IOTSEC_COSE_TAG_ENCRYPT, IOTSEC_COSE_ENCRYPT, 4},
};

/* A bstr, or nil for detached content ({NULL, 0}). Chunked (indefinite-
 * length) strings are not taken: iotsec hands out zero-copy slices. */
static enum iotsec_err get_bstr_or_nil(struct iotsec_cbor_dec *a, struct iotsec_cbuf *b)
{
    uint8_t s;

    if (iotsec_cbor_get_bstr(a, b) == IOTSEC_OK)
        return IOTSEC_OK;
    if (iotsec_cbor_peek_type(a) == IOTSEC_CBOR_BSTR)
        return IOTSEC_ERR_UNSUPPORTED;
    if (iotsec_cbor_get_simple(a, &s) == IOTSEC_OK && s == IOTSEC_CBOR_NULL) {
        b->ptr = NULL;
        b->len = 0;
        return IOTSEC_OK;
    }
    return IOTSEC_ERR_MALFORMED;
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

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_decode(const uint8_t *buf, size_t len, enum iotsec_cose_type expect,
                                   const struct iotsec_cose_label *understood, size_t n_understood,
                                   struct iotsec_cose_msg *m)
{
    struct iotsec_cbor_dec d, a;
    enum iotsec_err err;
    size_t i, n, items = 0;

    memset(m, 0, sizeof(*m));
    if ((err = iotsec_cbor_dec_init(&d, buf, len, 0, NULL)) != IOTSEC_OK)
        return err;
    m->cwt = iotsec_cbor_skip_tag(&d, IOTSEC_COSE_TAG_CWT);
    if (iotsec_cbor_peek_type(&d) == IOTSEC_CBOR_TAG) {
        (void)iotsec_cbor_get_tag(&d, &m->tag);
        for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
            if (kinds[i].tag == m->tag)
                m->type = kinds[i].type;
        if (m->type == IOTSEC_COSE_UNKNOWN)
            return expect != IOTSEC_COSE_UNKNOWN ? IOTSEC_ERR_MALFORMED : IOTSEC_ERR_UNSUPPORTED;
        if (expect != IOTSEC_COSE_UNKNOWN && m->type != expect)
            return IOTSEC_ERR_MALFORMED;
    } else {
        /* untagged: the application says what it is (RFC 9052 2) */
        if (expect == IOTSEC_COSE_UNKNOWN)
            return IOTSEC_ERR_MALFORMED;
        m->type = expect;
    }
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (kinds[i].type == m->type)
            items = kinds[i].items;
    if (iotsec_cbor_enter_array(&d, &a, &n) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    if (n == IOTSEC_CBOR_INDEFINITE) {
        /* RFC 9052 fixes definite lengths only for the to-be-processed
         * structures: count what an indefinite array holds */
        struct iotsec_cbor_dec c = a;
        for (n = 0; iotsec_cbor_skip(&c) == IOTSEC_OK; n++)
            ;
    }
    if (n != items)
        return IOTSEC_ERR_MALFORMED;
    if ((err = iotsec_cose_hdr_decode(&a, &m->hdr, understood, n_understood)) != IOTSEC_OK)
        return err;
    if ((err = get_bstr_or_nil(&a, &m->content)) != IOTSEC_OK)
        return err;
    switch (m->type) {
    case IOTSEC_COSE_SIGN1:
    case IOTSEC_COSE_MAC0:
        if ((err = get_bstr_or_nil(&a, &m->sig)) != IOTSEC_OK || m->sig.ptr == NULL)
            return err != IOTSEC_OK ? err : IOTSEC_ERR_MALFORMED;
        break;
    case IOTSEC_COSE_MAC:
        if ((err = get_bstr_or_nil(&a, &m->sig)) != IOTSEC_OK || m->sig.ptr == NULL)
            return err != IOTSEC_OK ? err : IOTSEC_ERR_MALFORMED;
        /* fall through */
    case IOTSEC_COSE_SIGN:
    case IOTSEC_COSE_ENCRYPT:
        if ((err = get_list(&a, m)) != IOTSEC_OK)
            return err == IOTSEC_ERR_CBOR_EXTRA_ITEMS ? IOTSEC_ERR_MALFORMED : err;
        break;
    default:
        break;
    }
    if (iotsec_cbor_leave(&d, &a) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    m->raw.ptr = buf;
    m->raw.len = len;
    return IOTSEC_OK;
}

bool cose_key_candidate(const struct iotsec_cose_keyset_entry *e, int64_t alg,
                        struct iotsec_cbuf kid)
{
    if (e->key == NULL || (e->key->alg != 0 && e->key->alg != alg))
        return false;
    /* an entry without a kid is trusted for any kid the message names */
    if (kid.ptr != NULL && e->kid.len != 0 &&
        (e->kid.len != kid.len || memcmp(e->kid.ptr, kid.ptr, kid.len) != 0))
        return false;
    return true;
}

/* Build or hash the Sig_structure for @p alg. ECDSA: digest into @p out;
 * EdDSA: the structure itself, in o->scratch. */
static enum iotsec_err sig_input(int64_t alg, const char *context, struct iotsec_cbuf body_prot,
                                 const struct iotsec_cbuf *sign_prot, struct iotsec_cbuf payload,
                                 const struct iotsec_cbuf *other, const struct iotsec_cose_opts *o,
                                 uint8_t *digest, struct iotsec_cbuf *tbs, bool *prehashed)
{
    int32_t hash = iotsec_crypto_sig_hash((int32_t)alg);
    struct sink s;
    size_t n;

    /* HSS-LMS signatures have no fixed length: it signs the structure itself */
    if (alg < INT32_MIN || alg > INT32_MAX ||
        (iotsec_crypto_sig_len((int32_t)alg) == 0 && alg != IOTSEC_ALG_HSS_LMS))
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    *prehashed = hash != 0;
    if (hash != 0) {
        enum iotsec_err err = cose_sink_hash(&s, hash);
        if (err != IOTSEC_OK)
            return err;
        cose_sig_structure(&s, context, body_prot, sign_prot, o->external_aad, payload, other);
        if (s.err != IOTSEC_OK) {
            iotsec_crypto_hash_abort(&s.hash);
            return s.err;
        }
        return iotsec_crypto_hash_finish(&s.hash, digest, IOTSEC_MAX_HASH, &n);
    }
    cose_sink_buf(&s, o->scratch.ptr, o->scratch.len);
    cose_sig_structure(&s, context, body_prot, sign_prot, o->external_aad, payload, other);
    if (s.err != IOTSEC_OK)
        return s.err;
    tbs->ptr = o->scratch.ptr;
    tbs->len = s.len;
    return IOTSEC_OK;
}

enum iotsec_err cose_sig_verify(int64_t alg, const struct iotsec_cose_keyset *ks,
                                struct iotsec_cbuf kid, const char *context,
                                struct iotsec_cbuf body_prot, const struct iotsec_cbuf *sign_prot,
                                struct iotsec_cbuf payload, const struct iotsec_cbuf *other,
                                struct iotsec_cbuf sig, const struct iotsec_cose_opts *o,
                                size_t *key_index)
{
    uint8_t digest[IOTSEC_MAX_HASH];
    struct iotsec_cbuf tbs = {NULL, 0};
    bool prehashed, tried = false;
    enum iotsec_err err;
    size_t i;

    if ((err = sig_input(alg, context, body_prot, sign_prot, payload, other, o, digest, &tbs,
                         &prehashed)) != IOTSEC_OK)
        return err;
    for (i = 0; i < ks->n; i++) {
        if (!cose_key_candidate(&ks->entries[i], alg, kid))
            continue;
        if (prehashed)
            err = iotsec_crypto_verify_digest((int32_t)alg, ks->entries[i].key, digest,
                                              iotsec_crypto_hash_len(
                                                  iotsec_crypto_sig_hash((int32_t)alg)),
                                              sig.ptr, sig.len);
        else
            err = iotsec_crypto_verify((int32_t)alg, ks->entries[i].key, tbs.ptr, tbs.len,
                                       sig.ptr, sig.len);
        if (err == IOTSEC_OK) {
            *key_index = i;
            return IOTSEC_OK;
        }
        if (err == IOTSEC_ERR_KEY_USAGE)
            continue; /* a key of another type or curve: not a candidate */
        if (err != IOTSEC_ERR_VERIFY_FAILED)
            return err;
        tried = true;
    }
    return tried ? IOTSEC_ERR_VERIFY_FAILED : IOTSEC_ERR_NOT_FOUND;
}

enum iotsec_err cose_sig_sign(int64_t alg, const struct iotsec_key *key, const char *context,
                              struct iotsec_cbuf body_prot, const struct iotsec_cbuf *sign_prot,
                              struct iotsec_cbuf payload, const struct iotsec_cbuf *other,
                              const struct iotsec_cose_opts *o, uint8_t *sig, size_t *sig_len)
{
    uint8_t digest[IOTSEC_MAX_HASH];
    struct iotsec_cbuf tbs = {NULL, 0};
    bool prehashed;
    enum iotsec_err err;

    if (key->alg != 0 && key->alg != alg)
        return IOTSEC_ERR_KEY_USAGE;
    if ((err = sig_input(alg, context, body_prot, sign_prot, payload, other, o, digest, &tbs,
                         &prehashed)) != IOTSEC_OK)
        return err;
    if (prehashed)
        return iotsec_crypto_sign_digest(
            (int32_t)alg, key, digest,
            iotsec_crypto_hash_len(iotsec_crypto_sig_hash((int32_t)alg)), sig, IOTSEC_MAX_SIG,
            sig_len);
    return iotsec_crypto_sign((int32_t)alg, key, tbs.ptr, tbs.len, sig, IOTSEC_MAX_SIG, sig_len);
}

/* Every signature of a COSE_Sign, until one verifies. */
static enum iotsec_err verify_sign(const struct iotsec_cose_msg *m,
                                   const struct iotsec_cose_keyset *ks,
                                   const struct iotsec_cose_opts *o, struct iotsec_cbuf payload,
                                   struct iotsec_cose_result *r)
{
    struct iotsec_cbor_dec list = m->list, l;
    enum iotsec_err best = IOTSEC_ERR_NOT_FOUND;
    struct iotsec_cbuf body = cose_prot_tbs(&m->hdr);
    size_t i;

    if (iotsec_cbor_enter_array(&list, &l, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    for (i = 0; !iotsec_cbor_at_end(&l); i++) {
        struct iotsec_cbor_dec s;
        struct iotsec_cose_hdr h;
        struct iotsec_cbuf sig, sp;
        size_t n, ki;
        enum iotsec_err err;

        if (iotsec_cbor_enter_array(&l, &s, &n) != IOTSEC_OK || n != 3)
            return IOTSEC_ERR_MALFORMED;
        if ((err = iotsec_cose_hdr_decode(&s, &h, o->understood, o->n_understood)) != IOTSEC_OK)
            return err;
        if (iotsec_cbor_get_bstr(&s, &sig) != IOTSEC_OK || iotsec_cbor_leave(&l, &s) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        if (h.alg == 0)
            return IOTSEC_ERR_MALFORMED;
        sp = cose_prot_tbs(&h);
        err = cose_sig_verify(h.alg, ks, h.kid, "Signature", body, &sp, payload, NULL, sig, o,
                              &ki);
        if (err == IOTSEC_OK) {
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

/* Resolve the payload: attached, or detached and supplied by the caller. */
static enum iotsec_err payload_of(const struct iotsec_cose_msg *m, const struct iotsec_cose_opts *o,
                                  struct iotsec_cbuf *payload)
{
    *payload = m->content;
    if (payload->ptr == NULL) {
        if (o->detached.ptr == NULL)
            return IOTSEC_ERR_MALFORMED; /* nil payload and nothing detached */
        *payload = o->detached;
    } else if (o->detached.ptr != NULL) {
        return IOTSEC_ERR_INVALID_ARG;
    }
    return IOTSEC_OK;
}

static enum iotsec_err verify_sign1(const struct iotsec_cose_msg *m,
                                    const struct iotsec_cose_keyset *ks,
                                    const struct iotsec_cose_opts *o, struct iotsec_cbuf payload,
                                    struct iotsec_cose_result *r)
{
    if (m->hdr.alg == 0)
        return IOTSEC_ERR_MALFORMED;
    r->alg = m->hdr.alg;
    return cose_sig_verify(m->hdr.alg, ks, m->hdr.kid, "Signature1", cose_prot_tbs(&m->hdr), NULL,
                           payload, NULL, m->sig, o, &r->key);
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_sign1_verify(const uint8_t *buf, size_t len,
                                         const struct iotsec_cose_keyset *ks,
                                         const struct iotsec_cose_opts *o,
                                         struct iotsec_cose_result *r)
{
    struct iotsec_cose_msg m;
    struct iotsec_cbuf payload;
    enum iotsec_err err;

    memset(r, 0, sizeof(*r));
    if ((err = iotsec_cose_decode(buf, len, IOTSEC_COSE_SIGN1, o->understood, o->n_understood,
                                  &m)) != IOTSEC_OK ||
        (err = payload_of(&m, o, &payload)) != IOTSEC_OK ||
        (err = verify_sign1(&m, ks, o, payload, r)) != IOTSEC_OK)
        return err;
    r->payload = payload;
    return IOTSEC_OK;
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_verify(const struct iotsec_cose_msg *m,
                                   const struct iotsec_cose_keyset *ks,
                                   const struct iotsec_cose_opts *o, struct iotsec_cose_result *r)
{
    struct iotsec_cbuf payload;
    enum iotsec_err err;

    memset(r, 0, sizeof(*r));
    if ((err = payload_of(m, o, &payload)) != IOTSEC_OK)
        return err;
    switch (m->type) {
    case IOTSEC_COSE_SIGN1:
        err = verify_sign1(m, ks, o, payload, r);
        break;
    case IOTSEC_COSE_SIGN:
        err = verify_sign(m, ks, o, payload, r);
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
