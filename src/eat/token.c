/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Verifying a token (RFC 9711, RFC 8392, RFC 9781): find its form from the
 * tags, authenticate the COSE layer, decode the claims, match detached
 * claims sets of a bundle against their digests, then freshness, then the
 * Constrained Device Standard Profile. A bundle's main token is verified
 * by the same code as a top-level CWT, so nothing recurses.
 */
#include <string.h>

#include "eat_int.h"

#define BIT(k) IOTSEC_EAT_BIT(k)

/* What the profile check needs besides the claims. */
struct seen {
    struct iotsec_cbuf token; /* the whole token */
    struct iotsec_cbuf prot;  /* the protected header's bytes */
};

static bool is_mac_alg(int64_t alg)
{
    return (alg >= IOTSEC_ALG_HMAC256_64 && alg <= IOTSEC_ALG_HMAC512) ||
           alg == IOTSEC_ALG_AES_MAC_128_64 || alg == IOTSEC_ALG_AES_MAC_256_64 ||
           alg == IOTSEC_ALG_AES_MAC_128_128 || alg == IOTSEC_ALG_AES_MAC_256_128;
}

/*
 * Authenticate the CWT in @p buf (@p len bytes, validated: @p d is a cursor
 * on it) and decode its claims. Tag 61 and the COSE tag are optional
 * unless @p tagged (a bundle's main token is a tagged token, RFC 9711 5);
 * untagged, the alg tells COSE_Mac0 from COSE_Sign1 (both are four-element
 * arrays).
 */
static enum iotsec_err verify_cwt(const uint8_t *buf, size_t len, struct iotsec_cbor_dec d,
                                  bool tagged, const struct iotsec_cose_keyset *ks,
                                  const struct iotsec_eat_verify_opts *o, struct iotsec_eat_token *t,
                                  struct iotsec_eat_claims *c, struct seen *s)
{
    struct iotsec_cose_opts co;
    struct iotsec_cose_msg m;
    uint64_t tag;
    bool cwt;
    enum iotsec_err err;

    cwt = iotsec_cbor_skip_tag(&d, IOTSEC_EAT_TAG_CWT);
    if (iotsec_cbor_get_tag(&d, &tag) == IOTSEC_OK) {
        if (tag == IOTSEC_EAT_TAG_UCCS || tag == IOTSEC_EAT_TAG_DEB)
            return IOTSEC_ERR_MALFORMED; /* not protected, or a bundle in a bundle */
        err = iotsec_cose_decode(buf, len, IOTSEC_COSE_UNKNOWN, NULL, 0, &m);
    } else if (tagged || cwt) {
        /* the CWT tag holds a tagged COSE message (RFC 8392 6) */
        return IOTSEC_ERR_MALFORMED;
    } else if ((err = iotsec_cose_decode(buf, len, IOTSEC_COSE_SIGN1, NULL, 0, &m)) ==
                   IOTSEC_OK &&
               is_mac_alg(m.hdr.alg)) {
        err = iotsec_cose_decode(buf, len, IOTSEC_COSE_MAC0, NULL, 0, &m);
    }
    if (err != IOTSEC_OK)
        return err;
    if (m.type == IOTSEC_COSE_SIGN1)
        t->form = IOTSEC_EAT_FORM_SIGN1;
    else if (m.type == IOTSEC_COSE_MAC0)
        t->form = IOTSEC_EAT_FORM_MAC0;
    else
        return IOTSEC_ERR_UNSUPPORTED; /* COSE_Sign, COSE_Mac, encrypted CWTs */
    t->kid = m.hdr.kid;
    s->prot = m.hdr.prot;
    memset(&co, 0, sizeof(co));
    co.scratch = o->scratch;
    if ((err = iotsec_cose_verify(&m, ks, &co, &t->cose)) != IOTSEC_OK)
        return err;
    t->claims = t->cose.payload;
    /* a CWT's payload is a bare Claims-Set (RFC 8392 7.1), never a UCCS */
    return eat_claims_decode(t->claims.ptr, t->claims.len, false, c, NULL);
}

/*
 * A detached EAT bundle's detached claims sets (RFC 9711 5): each must
 * have a detached-digest submodule of the same name in the main claims,
 * and hash to it (4.2.18.2: the digest covers the claims set itself, not
 * its bstr wrapping). Each is then checked as a claims set.
 */
static enum iotsec_err check_detached(struct iotsec_cbor_dec detached,
                                      const struct iotsec_eat_claims *c)
{
    struct iotsec_eat_claims tmp;
    struct iotsec_cbor_dec m, sub;
    struct iotsec_cbuf name, set, sname, digest;
    enum iotsec_eat_submod_kind kind;
    uint8_t h[IOTSEC_MAX_HASH];
    size_t hl, digests = 0;
    int32_t alg;
    enum iotsec_err err;

    /* the main token MUST have a detached-digest submodule */
    sub = c->submods;
    if (c->present & BIT(IOTSEC_EAT_SUBMODS))
        while (iotsec_eat_submod_next(&sub, NULL, &kind, NULL, NULL) == IOTSEC_OK)
            if (kind == IOTSEC_EAT_SUBMOD_DIGEST)
                digests++;
    if (digests == 0)
        return IOTSEC_ERR_MALFORMED;

    if (iotsec_cbor_enter_map(&detached, &m, NULL) != IOTSEC_OK || iotsec_cbor_at_end(&m))
        return IOTSEC_ERR_MALFORMED;
    while (!iotsec_cbor_at_end(&m)) {
        if (iotsec_cbor_get_tstr(&m, &name) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        if (iotsec_cbor_get_bstr(&m, &set) != IOTSEC_OK)
            return iotsec_cbor_peek_type(&m) == IOTSEC_CBOR_BSTR ? IOTSEC_ERR_UNSUPPORTED
                                                                 : IOTSEC_ERR_MALFORMED;
        /* its digest submodule */
        sub = c->submods;
        do {
            if (iotsec_eat_submod_next(&sub, &sname, &kind, &alg, &digest) != IOTSEC_OK)
                return IOTSEC_ERR_DIGEST_MISMATCH; /* nothing vouches for this set */
        } while (kind != IOTSEC_EAT_SUBMOD_DIGEST || sname.len != name.len ||
                 memcmp(sname.ptr, name.ptr, name.len) != 0);
        if (alg != IOTSEC_ALG_SHA256 && alg != IOTSEC_ALG_SHA384 && alg != IOTSEC_ALG_SHA512)
            return IOTSEC_ERR_UNSUPPORTED_ALG;
        if ((err = iotsec_crypto_hash(alg, set.ptr, set.len, h, sizeof(h), &hl)) != IOTSEC_OK)
            return err;
        if (digest.len != hl || iotsec_ct_memcmp(h, digest.ptr, hl) != 0)
            return IOTSEC_ERR_DIGEST_MISMATCH;
        if ((err = eat_claims_decode(set.ptr, set.len, false, &tmp, NULL)) != IOTSEC_OK)
            return err;
    }
    return IOTSEC_OK;
}

/* Saturating arithmetic: times and ages come from the token. */
static int64_t sat_add(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

static int64_t sat_sub(int64_t a, int64_t b)
{
    if (b == INT64_MIN)
        return a >= 0 ? INT64_MAX : a - b;
    return sat_add(a, -b);
}

/* Freshness: the nonce this receiver sent, then the token's times. */
static enum iotsec_err fresh(const struct iotsec_eat_claims *c,
                             const struct iotsec_eat_verify_opts *o)
{
    const uint64_t p = c->present;
    size_t i;

    if (o->nonce != NULL) {
        unsigned match = 0;
        /* every nonce is compared, each in constant time */
        for (i = 0; i < c->n_nonce; i++)
            if (c->nonce[i].len == o->nonce_len)
                match |= (unsigned)(iotsec_ct_memcmp(c->nonce[i].ptr, o->nonce, o->nonce_len) == 0);
        if (!match)
            return IOTSEC_ERR_NONCE_MISMATCH;
    }
    if (o->now == 0)
        return IOTSEC_OK;
    /* RFC 8392 3.1.4: valid only before exp; 3.1.5: from nbf on */
    if ((p & BIT(IOTSEC_EAT_EXP)) && sat_sub(o->now, o->leeway) >= c->exp)
        return IOTSEC_ERR_EXPIRED;
    if ((p & BIT(IOTSEC_EAT_NBF)) && sat_add(o->now, o->leeway) < c->nbf)
        return IOTSEC_ERR_NOT_YET_VALID;
    if ((p & BIT(IOTSEC_EAT_IAT)) && sat_add(o->now, o->leeway) < c->iat)
        return IOTSEC_ERR_NOT_YET_VALID;
    if (o->max_age > 0 && (!(p & BIT(IOTSEC_EAT_IAT)) ||
                           sat_sub(o->now, c->iat) > sat_add(o->max_age, o->leeway)))
        return IOTSEC_ERR_EXPIRED;
    return IOTSEC_OK;
}

/* The Constrained Device Standard Profile (RFC 9711 6.4). */
static enum iotsec_err constrained(const struct iotsec_eat_token *t,
                                   const struct iotsec_eat_claims *c, const struct seen *s)
{
    const int64_t alg = t->cose.alg;

    if (t->form != IOTSEC_EAT_FORM_SIGN1) /* COSE_Sign1; no UCCS, no bundle */
        return IOTSEC_ERR_PROFILE;
    if (alg != IOTSEC_ALG_ES256 && alg != IOTSEC_ALG_ES384 && alg != IOTSEC_ALG_ES512 &&
        alg != IOTSEC_ALG_ESP256 && alg != IOTSEC_ALG_ESP384 && alg != IOTSEC_ALG_ESP512)
        return IOTSEC_ERR_PROFILE;
    /* "a new single unique nonce" */
    if (!(c->present & BIT(IOTSEC_EAT_NONCE)) || c->n_nonce != 1)
        return IOTSEC_ERR_PROFILE;
    /* "Either the COSE kid or the UEID MUST be used to identify the
     * verification key" */
    if (t->kid.len == 0 && !(c->present & BIT(IOTSEC_EAT_UEID)))
        return IOTSEC_ERR_PROFILE;
    /* definite lengths and preferred serialization: the token, and the
     * CBOR its byte strings carry (protected header, claims set) */
    if (!eat_preferred(s->token.ptr, s->token.len) || !eat_preferred(s->prot.ptr, s->prot.len) ||
        !eat_preferred(t->claims.ptr, t->claims.len))
        return IOTSEC_ERR_PROFILE;
    return IOTSEC_OK;
}

static enum iotsec_err verify(const uint8_t *token, size_t len,
                              const struct iotsec_cose_keyset *ks,
                              const struct iotsec_eat_verify_opts *o, struct iotsec_eat_token *t,
                              struct iotsec_eat_claims *c)
{
    struct seen s = {{token, len}, {NULL, 0}};
    struct iotsec_cbor_dec d, top, a;
    struct iotsec_cbuf inner;
    uint64_t tag = 0;
    bool tagged;
    size_t n;
    enum iotsec_err err;

    if (o->leeway < 0 || o->max_age < 0 || (o->max_age > 0 && o->now == 0) ||
        (o->nonce == NULL && o->nonce_len != 0))
        return IOTSEC_ERR_INVALID_ARG;
    if ((err = iotsec_cbor_dec_init(&d, token, len, 0, NULL)) != IOTSEC_OK)
        return err;
    top = d;
    tagged = iotsec_cbor_get_tag(&d, &tag) == IOTSEC_OK;
    if ((tagged && tag == IOTSEC_EAT_TAG_UCCS) ||
        (!tagged && iotsec_cbor_peek_type(&d) == IOTSEC_CBOR_MAP)) {
        /* RFC 9781: an unprotected claims set, which only a secured
         * channel can vouch for */
        if (!o->allow_uccs)
            return IOTSEC_ERR_UNSUPPORTED;
        t->form = IOTSEC_EAT_FORM_UCCS;
        (void)iotsec_cbor_get_span(&d, &t->claims);
        if ((err = eat_claims_decode(t->claims.ptr, t->claims.len, false, c, NULL)) != IOTSEC_OK)
            return err;
    } else if ((tagged && tag == IOTSEC_EAT_TAG_DEB) ||
               (!tagged && iotsec_cbor_enter_array(&d, &a, &n) == IOTSEC_OK && n == 2)) {
        /* [main-token: bstr .cbor tagged token, {+ tstr => bstr .cbor Claims-Set}] */
        if (iotsec_cbor_enter_array(&d, &a, &n) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        if (iotsec_cbor_get_bstr(&a, &inner) != IOTSEC_OK)
            return iotsec_cbor_peek_type(&a) == IOTSEC_CBOR_TSTR ? IOTSEC_ERR_UNSUPPORTED /* JSON */
                                                                 : IOTSEC_ERR_MALFORMED;
        t->detached = a;
        t->detached.left = 1;
        if (iotsec_cbor_skip(&a) != IOTSEC_OK || iotsec_cbor_leave(&d, &a) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        if ((err = iotsec_cbor_dec_init(&a, inner.ptr, inner.len, 0, NULL)) != IOTSEC_OK ||
            (err = verify_cwt(inner.ptr, inner.len, a, true, ks, o, t, c, &s)) != IOTSEC_OK)
            return err;
        if ((err = check_detached(t->detached, c)) != IOTSEC_OK)
            return err;
        t->form = IOTSEC_EAT_FORM_DEB;
    } else if ((err = verify_cwt(token, len, top, false, ks, o, t, c, &s)) != IOTSEC_OK) {
        return err;
    }
    if ((err = fresh(c, o)) != IOTSEC_OK)
        return err;
    if (o->constrained)
        return constrained(t, c, &s);
    return IOTSEC_OK;
}

/* see iotsec/eat.h */
enum iotsec_err iotsec_eat_verify(const uint8_t *token, size_t len,
                                  const struct iotsec_cose_keyset *ks,
                                  const struct iotsec_eat_verify_opts *o, struct iotsec_eat_token *t,
                                  struct iotsec_eat_claims *c)
{
    enum iotsec_err err;

    memset(t, 0, sizeof(*t));
    memset(c, 0, sizeof(*c));
    err = verify(token, len, ks, o, t, c);
    if (err != IOTSEC_OK) {
        /* nothing is handed out from a token that failed */
        memset(t, 0, sizeof(*t));
        memset(c, 0, sizeof(*c));
    }
    return err;
}
