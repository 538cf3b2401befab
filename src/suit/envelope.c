/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SUIT envelope: authentication first (the wrapper's COSE blocks over the
 * encoded SUIT_Digest, then that digest over the bstr-wrapped manifest),
 * then the manifest, then severable members against their digests.
 */
#include <string.h>

#include "suit_int.h"

void suit_item(struct iotsec_cbor_dec *out, const struct iotsec_cbuf *within, const uint8_t *p)
{
    out->p = p;
    out->end = within->ptr + within->len;
    out->left = 1;
    out->base = within->ptr;
}

void suit_skip_tag(struct iotsec_cbor_dec *d, uint64_t tag)
{
    const uint8_t *p = d->p;
    uint64_t t;

    if (iotsec_cbor_get_tag(d, &t) == IOTSEC_OK && t != tag)
        d->p = p; /* another tag: it stays */
}

/*
 * Walk map @p map once: v[k] becomes a one-item cursor on the value of
 * integer key k, for 0 <= k < @p n, or has p NULL when there is none.
 * Other keys are stepped over.
 */
static void index_ints(struct iotsec_cbor_dec map, struct iotsec_cbor_dec *v, int n)
{
    int k;

    for (k = 0; k < n; k++)
        v[k].p = NULL;
    while (!iotsec_cbor_at_end(&map)) {
        int64_t key;
        if (iotsec_cbor_get_int(&map, &key) != IOTSEC_OK) {
            (void)iotsec_cbor_skip(&map); /* a key of another kind */
        } else if (key >= 0 && key < n) {
            v[key] = map;
            v[key].left = 1;
        }
        (void)iotsec_cbor_skip(&map);
    }
}

enum iotsec_err suit_digest_parse(struct iotsec_cbuf digest, int32_t *alg,
                                  struct iotsec_cbuf *bytes)
{
    struct iotsec_cbor_dec d, a;
    int64_t v;
    size_t n;

    if (iotsec_cbor_dec_init(&d, digest.ptr, digest.len, 0, NULL) != IOTSEC_OK ||
        iotsec_cbor_enter_array(&d, &a, &n) != IOTSEC_OK || (n != 2 && n != 3) ||
        iotsec_cbor_get_int(&a, &v) != IOTSEC_OK || iotsec_cbor_get_bstr(&a, bytes) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    if (!iotsec_suit_digest_alg(v))
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    *alg = (int32_t)v;
    if (bytes->len != iotsec_crypto_hash_len(*alg))
        return IOTSEC_ERR_MALFORMED;
    return IOTSEC_OK;
}

enum iotsec_err suit_digest_check(struct iotsec_cbuf digest, struct iotsec_cbuf data)
{
    uint8_t h[IOTSEC_MAX_HASH];
    struct iotsec_cbuf want;
    int32_t alg;
    size_t hl;
    enum iotsec_err err;

    if ((err = suit_digest_parse(digest, &alg, &want)) != IOTSEC_OK)
        return err;
    if ((err = iotsec_crypto_hash(alg, data.ptr, data.len, h, sizeof(h), &hl)) != IOTSEC_OK)
        return err;
    return hl == want.len && iotsec_ct_memcmp(h, want.ptr, hl) == 0 ? IOTSEC_OK
                                                                     : IOTSEC_ERR_DIGEST_MISMATCH;
}

/* The envelope map's value for integer key @p key. */
SUIT_OUTLINE static enum iotsec_err envelope_get(const struct iotsec_suit_manifest *m, int64_t key,
                                    struct iotsec_cbor_dec *v)
{
    return iotsec_cbor_map_find_int(&m->env_map, key, v);
}

/* The severable manifest members (SUIT_Severable_Manifest_Members, with
 * the trust-domains draft's candidate-verification), as bits by key: each
 * may be replaced by its SUIT_Digest and travel in the envelope. They lie
 * between IOTSEC_SUIT_COSWID and IOTSEC_SUIT_TEXT. */
#define SUIT_SEVERABLE                                                                    \
    ((1u << IOTSEC_SUIT_COSWID) | (1u << IOTSEC_SUIT_DEPENDENCY_RESOLUTION) |             \
     (1u << IOTSEC_SUIT_PAYLOAD_FETCH) | (1u << IOTSEC_SUIT_CANDIDATE_VERIFICATION) |     \
     (1u << IOTSEC_SUIT_INSTALL) | (1u << IOTSEC_SUIT_TEXT))
/* The command sequences that are not. */
#define SUIT_UNSEVERABLE_SEQ                                                              \
    ((1u << IOTSEC_SUIT_VALIDATE) | (1u << IOTSEC_SUIT_LOAD) | (1u << IOTSEC_SUIT_INVOKE) | \
     (1u << IOTSEC_SUIT_UNINSTALL))

/* Index of manifest member @p key in iotsec_suit_manifest.at, or -1. */
static int member_slot(int key)
{
    static const int8_t slot[25] = {-1, 0,  1,  2,  3,  4,  -1, 5,  6,  7,  -1, -1, -1,
                                    -1, 8,  9,  10, -1, 11, -1, 12, -1, -1, 13, 14};
    return key >= 0 && key < 25 ? slot[key] : -1;
}

enum iotsec_err suit_manifest_get(const struct iotsec_suit_manifest *m, int key,
                                  struct iotsec_cbor_dec *v)
{
    int s = member_slot(key);

    if (s < 0 || m->at[s] == 0)
        return IOTSEC_ERR_NOT_FOUND;
    suit_item(v, &m->manifest, m->manifest.ptr + m->at[s]);
    return IOTSEC_OK;
}

/* Index the members of the manifest map @p mm (one pass). */
static enum iotsec_err index_manifest(struct iotsec_suit_manifest *m, struct iotsec_cbor_dec *mm)
{
    while (!iotsec_cbor_at_end(mm)) {
        int64_t key;
        int s;
        if (iotsec_cbor_get_int(mm, &key) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED; /* SUIT_Manifest keys are integers */
        if ((s = key >= 0 && key < 25 ? member_slot((int)key) : -1) >= 0) {
            /* a command sequence that is not severable is a bstr here and
             * nowhere else (never a digest of an envelope member) */
            if (((SUIT_UNSEVERABLE_SEQ >> key) & 1u) &&
                suit_major(mm) != IOTSEC_CBOR_BSTR)
                return IOTSEC_ERR_MALFORMED;
            m->at[s] = (uint32_t)(mm->p - m->manifest.ptr);
        }
        (void)iotsec_cbor_skip(mm); /* (validated: a key has its value) */
    }
    return IOTSEC_OK;
}

enum iotsec_err suit_member(const struct iotsec_suit_manifest *m, int key,
                            struct iotsec_cbuf *seq)
{
    struct iotsec_cbor_dec v;
    enum iotsec_err err;

    if ((err = suit_manifest_get(m, key, &v)) != IOTSEC_OK)
        return err;
    if (iotsec_cbor_get_bstr(&v, seq) == IOTSEC_OK)
        return IOTSEC_OK;
    /* a digest: the member travels in the envelope, already checked by
     * check_severable(). Only severable members may be replaced by their
     * digest; any other member (validate, load, invoke, uninstall) must be
     * in the authenticated manifest itself, or an envelope entry of the
     * same key would run unauthenticated. */
    if (!((SUIT_SEVERABLE >> key) & 1u)) /* (found: key is a member, 0..24) */
        return IOTSEC_ERR_MALFORMED;
    if ((m->severed >> key) & 1u)
        return IOTSEC_ERR_NOT_FOUND;
    if ((err = envelope_get(m, key, &v)) != IOTSEC_OK)
        return err;
    return iotsec_cbor_get_bstr(&v, seq) == IOTSEC_OK ? IOTSEC_OK : IOTSEC_ERR_MALFORMED;
}

enum iotsec_err suit_integrated(const struct iotsec_suit_manifest *m, struct iotsec_cbuf name,
                                struct iotsec_cbuf *payload)
{
    struct iotsec_cbor_dec e = m->env_map, v;

    /* integrated payloads are keyed by text; the URI's "#name" names them
     * with or without the '#' (both spellings appear in practice) */
    if (iotsec_cbor_map_find_tstr(&e, (const char *)name.ptr, name.len, &v) != IOTSEC_OK &&
        (name.len < 1 || name.ptr[0] != '#' ||
         iotsec_cbor_map_find_tstr(&e, (const char *)name.ptr + 1, name.len - 1, &v) != IOTSEC_OK))
        return IOTSEC_ERR_NOT_FOUND;
    return iotsec_cbor_get_bstr(&v, payload) == IOTSEC_OK ? IOTSEC_OK : IOTSEC_ERR_MALFORMED;
}

/* Try each authentication block until one verifies against @p anchors. */
static enum iotsec_err check_auth(struct iotsec_cbor_dec *wrapper,
                                  const struct iotsec_cose_keyset *anchors,
                                  struct iotsec_buf scratch, struct iotsec_suit_manifest *m)
{
    enum iotsec_err best = IOTSEC_ERR_VERIFY_FAILED;
    size_t i;

    for (i = 0; !iotsec_cbor_at_end(wrapper); i++) {
        struct iotsec_cose_opts o;
#if IOTSEC_COSE_VERIFY_SIGN || IOTSEC_COSE_VERIFY_MAC
        struct iotsec_cose_msg cm;
#endif
        struct iotsec_cose_result r;
        struct iotsec_cbuf blk;
        enum iotsec_err err;

        if (iotsec_cbor_get_bstr(wrapper, &blk) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        m->auth_blocks++;
#if IOTSEC_COSE_VERIFY_SIGN || IOTSEC_COSE_VERIFY_MAC
        err = iotsec_cose_decode(blk.ptr, blk.len, IOTSEC_COSE_UNKNOWN, NULL, 0, &cm);
        if (err == IOTSEC_OK && cm.type != IOTSEC_COSE_SIGN1 && cm.type != IOTSEC_COSE_SIGN &&
            cm.type != IOTSEC_COSE_MAC0 && cm.type != IOTSEC_COSE_MAC)
            err = IOTSEC_ERR_UNSUPPORTED;
        if (err == IOTSEC_OK) {
            memset(&o, 0, sizeof(o));
            o.detached = m->digest; /* the encoded SUIT_Digest */
            o.scratch = scratch;
            err = iotsec_cose_verify(&cm, anchors, &o, &r);
        }
#else
        memset(&o, 0, sizeof(o));
        o.detached = m->digest;
        o.scratch = scratch;
        /* COSE_Sign1_Tagged only (under at most a CWT tag, as the full
         * build reads it): another tag is a message type this build leaves
         * out, an untagged block is malformed, and CBOR errors are the
         * validator's, as in the full build */
        {
            struct iotsec_cbor_dec d;
            uint64_t tag = 0;
            bool tagged = false;
            if ((err = iotsec_cbor_dec_init(&d, blk.ptr, blk.len, 0, NULL)) == IOTSEC_OK) {
                tagged = iotsec_cbor_get_tag(&d, &tag) == IOTSEC_OK;
                if (tagged && tag == IOTSEC_COSE_TAG_CWT)
                    tagged = iotsec_cbor_get_tag(&d, &tag) == IOTSEC_OK;
                err = !tagged                      ? IOTSEC_ERR_MALFORMED
                      : tag != IOTSEC_COSE_TAG_SIGN1 ? IOTSEC_ERR_UNSUPPORTED
                                                   : iotsec_cose_sign1_verify(blk.ptr, blk.len,
                                                                              anchors, &o, &r);
            }
        }
#endif
        if (err == IOTSEC_OK) {
            m->auth_verified = i;
            return IOTSEC_OK;
        }
        /* keep the most telling failure: a bad signature beats "no key" */
        if (best == IOTSEC_ERR_VERIFY_FAILED && i == 0)
            best = err;
        else if (err == IOTSEC_ERR_VERIFY_FAILED)
            best = err;
    }
    return best;
}

/* Severable members present in the envelope must match the manifest's
 * digest of them; absent ones are severed. */
static enum iotsec_err check_severable(struct iotsec_suit_manifest *m)
{
    int key;

    for (key = IOTSEC_SUIT_COSWID; key <= IOTSEC_SUIT_TEXT; key++) {
        struct iotsec_cbor_dec v, ev;
        struct iotsec_cbuf digest, span;
        enum iotsec_err err;

        if (!((SUIT_SEVERABLE >> key) & 1u) || suit_manifest_get(m, key, &v) != IOTSEC_OK)
            continue;
        if (suit_major(&v) == IOTSEC_CBOR_BSTR)
            continue; /* carried in the manifest itself */
        (void)iotsec_cbor_get_span(&v, &digest); /* (a one-item cursor on an item) */
        if (envelope_get(m, key, &ev) != IOTSEC_OK) {
            m->severed |= 1u << key;
            continue;
        }
        /* the digest covers the bstr-wrapped member, head included */
        if (suit_major(&ev) != IOTSEC_CBOR_BSTR)
            return IOTSEC_ERR_MALFORMED;
        (void)iotsec_cbor_get_span(&ev, &span);
        if ((err = suit_digest_check(digest, span)) != IOTSEC_OK)
            return err;
    }
    return IOTSEC_OK;
}

/* see iotsec/suit.h */
enum iotsec_err iotsec_suit_authenticate(const uint8_t *env, size_t len,
                                         const struct iotsec_cose_keyset *anchors,
                                         struct iotsec_buf scratch,
                                         struct iotsec_suit_manifest *m)
{
    struct iotsec_cbor_dec d, e, v[2], w, wa, md, mm, x;
    struct iotsec_cbuf auth, mspan;
    enum iotsec_err err;
    int64_t version;
    size_t n;

    memset(m, 0, sizeof(*m));
    if ((err = iotsec_cbor_dec_init(&d, env, len, 0, NULL)) != IOTSEC_OK)
        return err;
    suit_skip_tag(&d, IOTSEC_SUIT_TAG_ENVELOPE);
    if (iotsec_cbor_enter_map(&d, &e, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    m->env_map = e;
    if (envelope_get(m, IOTSEC_SUIT_AUTHENTICATION, &v[0]) != IOTSEC_OK ||
        envelope_get(m, IOTSEC_SUIT_MANIFEST, &v[1]) != IOTSEC_OK ||
        iotsec_cbor_get_bstr(&v[0], &auth) != IOTSEC_OK || suit_major(&v[1]) != IOTSEC_CBOR_BSTR)
        return IOTSEC_ERR_MALFORMED;
    m->envelope.ptr = env;
    m->envelope.len = len;

    /* [bstr .cbor SUIT_Digest, + bstr .cbor COSE block] */
    if ((err = iotsec_cbor_dec_init(&w, auth.ptr, auth.len, 0, NULL)) != IOTSEC_OK)
        return err;
    if (iotsec_cbor_enter_array(&w, &wa, &n) != IOTSEC_OK ||
        iotsec_cbor_get_bstr(&wa, &m->digest) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    if (iotsec_cbor_at_end(&wa))
        return IOTSEC_ERR_VERIFY_FAILED; /* an unsigned envelope authenticates nothing */
    if ((err = check_auth(&wa, anchors, scratch, m)) != IOTSEC_OK)
        return err;
    /* the digest covers the bstr-wrapped manifest, head included */
    (void)iotsec_cbor_get_span(&v[1], &mspan); /* (found above) */
    if ((err = suit_digest_check(m->digest, mspan)) != IOTSEC_OK)
        return err;

    /* Authentic: now, and only now, the manifest is read. */
    suit_item(&x, &m->envelope, mspan.ptr);
    (void)iotsec_cbor_get_bstr(&x, &m->manifest);
    if ((err = iotsec_cbor_dec_init(&md, m->manifest.ptr, m->manifest.len, 0, NULL)) != IOTSEC_OK)
        return err;
    suit_skip_tag(&md, IOTSEC_SUIT_TAG_MANIFEST);
    if (iotsec_cbor_enter_map(&md, &mm, NULL) != IOTSEC_OK ||
        (err = index_manifest(m, &mm)) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    if (suit_manifest_get(m, IOTSEC_SUIT_MANIFEST_VERSION, &x) != IOTSEC_OK ||
        iotsec_cbor_get_int(&x, &version) != IOTSEC_OK || version != 1)
        return IOTSEC_ERR_UNSUPPORTED; /* manifest version 1 only */
    if (suit_manifest_get(m, IOTSEC_SUIT_MANIFEST_SEQUENCE_NUMBER, &x) != IOTSEC_OK ||
        iotsec_cbor_get_uint(&x, &m->sequence_number) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    if (suit_manifest_get(m, IOTSEC_SUIT_REFERENCE_URI, &x) == IOTSEC_OK &&
        iotsec_cbor_get_tstr(&x, &m->reference_uri) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    if (suit_manifest_get(m, IOTSEC_SUIT_MANIFEST_COMPONENT_ID, &x) == IOTSEC_OK) {
        if (suit_major(&x) != IOTSEC_CBOR_ARRAY)
            return IOTSEC_ERR_MALFORMED;
        (void)iotsec_cbor_get_span(&x, &m->component_id);
    }
    if (suit_manifest_get(m, IOTSEC_SUIT_COMMON, &x) == IOTSEC_OK) {
        /* one pass over the common map: dependencies, components, shared */
        struct iotsec_cbor_dec cd, cm, cv[IOTSEC_SUIT_SHARED_SEQUENCE + 1], ca;
        if (iotsec_cbor_get_bstr(&x, &m->common) != IOTSEC_OK ||
            iotsec_cbor_dec_init(&cd, m->common.ptr, m->common.len, 0, NULL) != IOTSEC_OK ||
            iotsec_cbor_enter_map(&cd, &cm, NULL) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        index_ints(cm, cv, IOTSEC_SUIT_SHARED_SEQUENCE + 1);
        m->dependencies_at = cv[IOTSEC_SUIT_DEPENDENCIES].p;
        m->components_at = cv[IOTSEC_SUIT_COMPONENTS].p;
        if (cv[IOTSEC_SUIT_SHARED_SEQUENCE].p != NULL &&
            iotsec_cbor_get_bstr(&cv[IOTSEC_SUIT_SHARED_SEQUENCE], &m->shared) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        if (m->components_at != NULL &&
            (iotsec_cbor_enter_array(&cv[IOTSEC_SUIT_COMPONENTS], &ca, &m->components) != IOTSEC_OK ||
             m->components == IOTSEC_CBOR_INDEFINITE))
            return IOTSEC_ERR_MALFORMED;
    }
    return check_severable(m);
}
