/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EAT claims sets (RFC 9711 4, RFC 8392 3): one pass over the map, each
 * known claim checked against its CDDL as it goes by. Compound claims stay
 * where they are, as cursors on validated input that the iterators below
 * walk; nothing is copied and nothing recurses (submodules are checked one
 * level deep and decoded again by the caller).
 */
#include <string.h>

#include "eat_int.h"

#define BIT(k) IOTSEC_EAT_BIT(k)

/* see eat_int.h */
bool eat_key_known(int64_t key)
{
    return (key >= IOTSEC_EAT_ISS && key <= IOTSEC_EAT_CNF) || key == IOTSEC_EAT_NONCE ||
           (key >= IOTSEC_EAT_UEID && key <= IOTSEC_EAT_INTUSE);
}

/* A one-item cursor on the next item of @p d, which stays where it is. */
static struct iotsec_cbor_dec item_here(const struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_dec v = *d;

    v.left = 1;
    return v;
}

/*
 * A definite-length string of major type @p major, @p min..@p max bytes. A
 * chunked string is valid CBOR that a zero-copy slice cannot hand out, so
 * it is unsupported rather than malformed.
 */
static enum iotsec_err get_str(struct iotsec_cbor_dec *d, enum iotsec_cbor_type major,
                               struct iotsec_cbuf *s, size_t min, size_t max)
{
    enum iotsec_err err = major == IOTSEC_CBOR_BSTR ? iotsec_cbor_get_bstr(d, s)
                                                    : iotsec_cbor_get_tstr(d, s);

    if (err == IOTSEC_OK)
        return s->len >= min && s->len <= max ? IOTSEC_OK : IOTSEC_ERR_MALFORMED;
    return iotsec_cbor_peek_type(d) == major ? IOTSEC_ERR_UNSUPPORTED : IOTSEC_ERR_MALFORMED;
}

/* An integer; one beyond int64_t is valid CBOR this struct cannot hold. */
static enum iotsec_err get_i64(struct iotsec_cbor_dec *d, int64_t *v)
{
    enum iotsec_err err = iotsec_cbor_get_int(d, v);

    if (err == IOTSEC_OK)
        return IOTSEC_OK;
    return err == IOTSEC_ERR_CBOR_RANGE ? IOTSEC_ERR_UNSUPPORTED : IOTSEC_ERR_MALFORMED;
}

static enum iotsec_err get_u64(struct iotsec_cbor_dec *d, uint64_t *v)
{
    return iotsec_cbor_get_uint(d, v) == IOTSEC_OK ? IOTSEC_OK : IOTSEC_ERR_MALFORMED;
}

/* Leave a container whose items were all read; more items are malformed. */
static enum iotsec_err leave(struct iotsec_cbor_dec *d, struct iotsec_cbor_dec *child)
{
    return iotsec_cbor_leave(d, child) == IOTSEC_OK ? IOTSEC_OK : IOTSEC_ERR_MALFORMED;
}

/*
 * NumericDate (RFC 8392 2): an integer, or for exp and nbf a float, which
 * @p dir rounds to whole seconds in the direction that makes the token
 * valid for less time (-1 down for exp, +1 up for nbf). iat passes 0:
 * RFC 9711 4.3.1 makes a float iat an error.
 */
static enum iotsec_err get_date(struct iotsec_cbor_dec *d, int dir, int64_t *t)
{
    double f;

    if (dir == 0 || iotsec_cbor_peek_type(d) != IOTSEC_CBOR_FLOAT)
        return get_i64(d, t);
    (void)iotsec_cbor_get_double(d, &f);
    if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0)) /* NaN fails too */
        return IOTSEC_ERR_UNSUPPORTED;
    *t = (int64_t)f; /* toward zero, then to the side @p dir asks */
    if (dir < 0 && (double)*t > f)
        (*t)--;
    else if (dir > 0 && (double)*t < f)
        (*t)++;
    return IOTSEC_OK;
}

/* eat_nonce: bstr .size (8..64) / [2* bstr .size (8..64)] (RFC 9711 4.1). */
static enum iotsec_err get_nonce(struct iotsec_cbor_dec *d, struct iotsec_eat_claims *c)
{
    struct iotsec_cbor_dec a;
    enum iotsec_err err;

    if (iotsec_cbor_enter_array(d, &a, NULL) != IOTSEC_OK) {
        c->n_nonce = 1;
        return get_str(d, IOTSEC_CBOR_BSTR, &c->nonce[0], 8, 64);
    }
    while (!iotsec_cbor_at_end(&a)) {
        if (c->n_nonce == IOTSEC_MAX_EAT_NONCES)
            return IOTSEC_ERR_LIMIT;
        if ((err = get_str(&a, IOTSEC_CBOR_BSTR, &c->nonce[c->n_nonce], 8, 64)) != IOTSEC_OK)
            return err;
        c->n_nonce++;
    }
    return c->n_nonce < 2 ? IOTSEC_ERR_MALFORMED : leave(d, &a);
}

/* hwversion, swversion: [version: tstr, ? scheme: $version-scheme], the
 * scheme an int or text (RFC 9393 4.1). */
static enum iotsec_err get_version(struct iotsec_cbor_dec *d, struct iotsec_eat_version *v)
{
    struct iotsec_cbor_dec a;
    enum iotsec_err err;

    if (iotsec_cbor_enter_array(d, &a, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    if ((err = get_str(&a, IOTSEC_CBOR_TSTR, &v->version, 0, SIZE_MAX)) != IOTSEC_OK)
        return err;
    if (iotsec_cbor_peek_type(&a) == IOTSEC_CBOR_TSTR)
        err = get_str(&a, IOTSEC_CBOR_TSTR, &v->scheme_text, 0, SIZE_MAX);
    else if (!iotsec_cbor_at_end(&a))
        err = get_i64(&a, &v->scheme);
    return err != IOTSEC_OK ? err : leave(d, &a);
}

/* A map with at least one entry, its content not examined (cnf, RFC 8747). */
static enum iotsec_err check_map(struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_dec m;

    if (iotsec_cbor_enter_map(d, &m, NULL) != IOTSEC_OK || iotsec_cbor_at_end(&m))
        return IOTSEC_ERR_MALFORMED;
    iotsec_cbor_skip_rest(&m);
    return leave(d, &m);
}

/* aud: tstr / [+ tstr] (RFC 8392 3.1.3, as JWT allows an array). */
static enum iotsec_err check_aud(struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_dec a;
    struct iotsec_cbuf s;
    enum iotsec_err err;

    if (iotsec_cbor_enter_array(d, &a, NULL) != IOTSEC_OK)
        return get_str(d, IOTSEC_CBOR_TSTR, &s, 0, SIZE_MAX);
    if (iotsec_cbor_at_end(&a))
        return IOTSEC_ERR_MALFORMED;
    while (!iotsec_cbor_at_end(&a))
        if ((err = get_str(&a, IOTSEC_CBOR_TSTR, &s, 0, SIZE_MAX)) != IOTSEC_OK)
            return err;
    return leave(d, &a);
}

/* sueids: {+ tstr => ueid-type} (RFC 9711 4.2.2). */
static enum iotsec_err check_sueids(struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_dec m;
    struct iotsec_cbuf s;
    enum iotsec_err err;

    if (iotsec_cbor_enter_map(d, &m, NULL) != IOTSEC_OK || iotsec_cbor_at_end(&m))
        return IOTSEC_ERR_MALFORMED;
    while (!iotsec_cbor_at_end(&m))
        if ((err = get_str(&m, IOTSEC_CBOR_TSTR, &s, 0, SIZE_MAX)) != IOTSEC_OK ||
            (err = get_str(&m, IOTSEC_CBOR_BSTR, &s, 7, 33)) != IOTSEC_OK)
            return err;
    return leave(d, &m);
}

/* location (RFC 9711 4.2.10): {1: lat, 2: long, ?3..7: number, ?8: time-int
 * (untagged), ?9: uint}; latitude and longitude are required. */
static enum iotsec_err check_location(struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_dec m;
    unsigned seen = 0;
    uint64_t k;

    if (iotsec_cbor_enter_map(d, &m, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    while (!iotsec_cbor_at_end(&m)) {
        enum iotsec_cbor_type t;

        if (iotsec_cbor_get_uint(&m, &k) != IOTSEC_OK || k < 1 || k > 9)
            return IOTSEC_ERR_MALFORMED;
        seen |= 1u << k;
        t = iotsec_cbor_peek_type(&m);
        if (!(t == IOTSEC_CBOR_UINT || (k <= 8 && t == IOTSEC_CBOR_NINT) ||
              (k <= 7 && t == IOTSEC_CBOR_FLOAT)))
            return IOTSEC_ERR_MALFORMED;
        (void)iotsec_cbor_skip(&m);
    }
    return (seen & 6u) != 6u ? IOTSEC_ERR_MALFORMED : leave(d, &m);
}

/* dloas: [+ [registrar: tstr, platform: tstr, ? application: tstr]]. */
static enum iotsec_err check_dloas(struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_dec a, x;
    struct iotsec_cbuf s;
    enum iotsec_err err;
    size_t n;

    if (iotsec_cbor_enter_array(d, &a, NULL) != IOTSEC_OK || iotsec_cbor_at_end(&a))
        return IOTSEC_ERR_MALFORMED;
    while (!iotsec_cbor_at_end(&a)) {
        if (iotsec_cbor_enter_array(&a, &x, NULL) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        for (n = 0; !iotsec_cbor_at_end(&x); n++)
            if (n == 3 || (err = get_str(&x, IOTSEC_CBOR_TSTR, &s, 0, SIZE_MAX)) != IOTSEC_OK)
                return n == 3 ? IOTSEC_ERR_MALFORMED : err;
        if (n < 2 || leave(&a, &x) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
    }
    return leave(d, &a);
}

/* One manifests or measurements entry: [coap-content-format, bstr / tstr]. */
static enum iotsec_err get_entry(struct iotsec_cbor_dec *a, struct iotsec_eat_entry *e)
{
    struct iotsec_cbor_dec x;
    enum iotsec_err err;

    if (iotsec_cbor_enter_array(a, &x, NULL) != IOTSEC_OK ||
        iotsec_cbor_get_uint(&x, &e->content_format) != IOTSEC_OK || e->content_format > 65535)
        return IOTSEC_ERR_MALFORMED;
    e->text = iotsec_cbor_peek_type(&x) == IOTSEC_CBOR_TSTR;
    err = get_str(&x, e->text ? IOTSEC_CBOR_TSTR : IOTSEC_CBOR_BSTR, &e->value, 0, SIZE_MAX);
    return err != IOTSEC_OK ? err : leave(a, &x);
}

/* manifests, measurements: [+ entry] (RFC 9711 4.2.15, 4.2.16). */
static enum iotsec_err check_entries(struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_dec a;
    struct iotsec_eat_entry e;
    enum iotsec_err err;

    if (iotsec_cbor_enter_array(d, &a, NULL) != IOTSEC_OK || iotsec_cbor_at_end(&a))
        return IOTSEC_ERR_MALFORMED;
    while (!iotsec_cbor_at_end(&a))
        if ((err = get_entry(&a, &e)) != IOTSEC_OK)
            return err;
    return leave(d, &a);
}

/* measres: [+ [system: tstr, [+ [id: tstr / bstr, result: 1..4]]]]. */
static enum iotsec_err check_measres(struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_dec a, g, r, x;
    struct iotsec_cbuf s;
    enum iotsec_err err;
    uint64_t v;

    if (iotsec_cbor_enter_array(d, &a, NULL) != IOTSEC_OK || iotsec_cbor_at_end(&a))
        return IOTSEC_ERR_MALFORMED;
    while (!iotsec_cbor_at_end(&a)) {
        if (iotsec_cbor_enter_array(&a, &g, NULL) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        if ((err = get_str(&g, IOTSEC_CBOR_TSTR, &s, 0, SIZE_MAX)) != IOTSEC_OK)
            return err;
        if (iotsec_cbor_enter_array(&g, &r, NULL) != IOTSEC_OK || iotsec_cbor_at_end(&r))
            return IOTSEC_ERR_MALFORMED;
        while (!iotsec_cbor_at_end(&r)) {
            if (iotsec_cbor_enter_array(&r, &x, NULL) != IOTSEC_OK)
                return IOTSEC_ERR_MALFORMED;
            err = get_str(&x, iotsec_cbor_peek_type(&x) == IOTSEC_CBOR_TSTR ? IOTSEC_CBOR_TSTR
                                                                             : IOTSEC_CBOR_BSTR,
                          &s, 0, SIZE_MAX);
            if (err != IOTSEC_OK)
                return err;
            if (iotsec_cbor_get_uint(&x, &v) != IOTSEC_OK || v < 1 || v > 4 ||
                leave(&r, &x) != IOTSEC_OK)
                return IOTSEC_ERR_MALFORMED;
        }
        if (leave(&g, &r) != IOTSEC_OK || leave(&a, &g) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
    }
    return leave(d, &a);
}

/* Digest algorithm given as text: the COSE registry names of the hashes
 * iotsec has. */
static int32_t hash_by_name(struct iotsec_cbuf s)
{
    static const struct {
        char name[8];
        int32_t alg;
    } names[] = {{"SHA-256", IOTSEC_ALG_SHA256},
                 {"SHA-384", IOTSEC_ALG_SHA384},
                 {"SHA-512", IOTSEC_ALG_SHA512}};
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (s.len == 7 && memcmp(s.ptr, names[i].name, 7) == 0)
            return names[i].alg;
    return 0;
}

/*
 * One submods entry, name and value (RFC 9711 4.2.18): a map is a
 * Claims-Set, a bstr a nested CBOR token, a tstr a nested JSON token and
 * an array a Detached-Submodule-Digest [hash-algorithm: text / int,
 * digest: bstr].
 */
static enum iotsec_err get_submod(struct iotsec_cbor_dec *m, struct iotsec_cbuf *name,
                                  enum iotsec_eat_submod_kind *kind, int32_t *alg,
                                  struct iotsec_cbuf *value)
{
    struct iotsec_cbor_dec x;
    struct iotsec_cbuf s;
    enum iotsec_err err;
    int64_t v;

    *alg = 0;
    if ((err = get_str(m, IOTSEC_CBOR_TSTR, name, 0, SIZE_MAX)) != IOTSEC_OK)
        return err;
    switch (iotsec_cbor_peek_type(m)) {
    case IOTSEC_CBOR_MAP:
        *kind = IOTSEC_EAT_SUBMOD_CLAIMS;
        return iotsec_cbor_get_span(m, value);
    case IOTSEC_CBOR_BSTR:
        *kind = IOTSEC_EAT_SUBMOD_TOKEN;
        return get_str(m, IOTSEC_CBOR_BSTR, value, 1, SIZE_MAX);
    case IOTSEC_CBOR_TSTR:
        *kind = IOTSEC_EAT_SUBMOD_JSON;
        return get_str(m, IOTSEC_CBOR_TSTR, value, 1, SIZE_MAX);
    case IOTSEC_CBOR_ARRAY:
        *kind = IOTSEC_EAT_SUBMOD_DIGEST;
        (void)iotsec_cbor_enter_array(m, &x, NULL);
        if (iotsec_cbor_peek_type(&x) == IOTSEC_CBOR_TSTR) {
            if ((err = get_str(&x, IOTSEC_CBOR_TSTR, &s, 1, SIZE_MAX)) != IOTSEC_OK)
                return err;
            *alg = hash_by_name(s);
        } else if ((err = get_i64(&x, &v)) == IOTSEC_OK) {
            *alg = v >= INT32_MIN && v <= INT32_MAX ? (int32_t)v : 0;
        } else if (err != IOTSEC_ERR_UNSUPPORTED || iotsec_cbor_skip(&x) != IOTSEC_OK) {
            return IOTSEC_ERR_MALFORMED;
        }
        if ((err = get_str(&x, IOTSEC_CBOR_BSTR, value, 0, SIZE_MAX)) != IOTSEC_OK)
            return err;
        return leave(m, &x);
    default:
        return IOTSEC_ERR_MALFORMED;
    }
}

/* submods: {+ text => Submodule}, one level deep. */
static enum iotsec_err check_submods(struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_dec m;
    struct iotsec_cbuf name, value;
    enum iotsec_eat_submod_kind kind;
    enum iotsec_err err;
    int32_t alg;

    if (iotsec_cbor_enter_map(d, &m, NULL) != IOTSEC_OK || iotsec_cbor_at_end(&m))
        return IOTSEC_ERR_MALFORMED;
    while (!iotsec_cbor_at_end(&m))
        if ((err = get_submod(&m, &name, &kind, &alg, &value)) != IOTSEC_OK)
            return err;
    return leave(d, &m);
}

/* Check and store the value of claim @p key, the next item of @p d, which
 * is consumed. A claim iotsec does not know is skipped (RFC 9711 4: "MUST
 * be ignored"). */
static enum iotsec_err claim(struct iotsec_cbor_dec *d, int64_t key, struct iotsec_eat_claims *c)
{
    const struct iotsec_cbor_dec here = item_here(d);
    enum iotsec_err err;
    uint64_t v;

    switch (key) {
    case IOTSEC_EAT_ISS:
        err = get_str(d, IOTSEC_CBOR_TSTR, &c->iss, 0, SIZE_MAX);
        break;
    case IOTSEC_EAT_SUB:
        err = get_str(d, IOTSEC_CBOR_TSTR, &c->sub, 0, SIZE_MAX);
        break;
    case IOTSEC_EAT_AUD:
        c->aud = here;
        err = check_aud(d);
        break;
    case IOTSEC_EAT_EXP:
        err = get_date(d, -1, &c->exp);
        break;
    case IOTSEC_EAT_NBF:
        err = get_date(d, 1, &c->nbf);
        break;
    case IOTSEC_EAT_IAT:
        err = get_date(d, 0, &c->iat);
        break;
    case IOTSEC_EAT_CTI:
        err = get_str(d, IOTSEC_CBOR_BSTR, &c->cti, 0, SIZE_MAX);
        break;
    case IOTSEC_EAT_CNF:
        c->cnf = here;
        err = check_map(d);
        break;
    case IOTSEC_EAT_NONCE:
        err = get_nonce(d, c);
        break;
    case IOTSEC_EAT_UEID:
        err = get_str(d, IOTSEC_CBOR_BSTR, &c->ueid, 7, 33);
        break;
    case IOTSEC_EAT_SUEIDS:
        c->sueids = here;
        err = check_sueids(d);
        break;
    case IOTSEC_EAT_OEMID:
        /* a PEN is major type 0 (RFC 9711 4.2.3.3); else an OUI or random ID */
        if (iotsec_cbor_peek_type(d) == IOTSEC_CBOR_UINT) {
            err = get_i64(d, &c->oemid_pen);
        } else if ((err = get_str(d, IOTSEC_CBOR_BSTR, &c->oemid, 3, 16)) == IOTSEC_OK &&
                   c->oemid.len != 3 && c->oemid.len != 16) {
            err = IOTSEC_ERR_MALFORMED;
        }
        break;
    case IOTSEC_EAT_HWMODEL:
        err = get_str(d, IOTSEC_CBOR_BSTR, &c->hwmodel, 1, 32);
        break;
    case IOTSEC_EAT_HWVERSION:
        err = get_version(d, &c->hwversion);
        break;
    case IOTSEC_EAT_UPTIME:
        err = get_u64(d, &c->uptime);
        break;
    case IOTSEC_EAT_OEMBOOT:
        err = iotsec_cbor_get_bool(d, &c->oemboot) == IOTSEC_OK ? IOTSEC_OK : IOTSEC_ERR_MALFORMED;
        break;
    case IOTSEC_EAT_DBGSTAT:
        if ((err = get_u64(d, &v)) == IOTSEC_OK && v > IOTSEC_EAT_DBG_DISABLED_FULLY_AND_PERMANENTLY)
            err = IOTSEC_ERR_MALFORMED;
        c->dbgstat = (enum iotsec_eat_dbgstat)(err == IOTSEC_OK ? v : 0);
        break;
    case IOTSEC_EAT_LOCATION:
        c->location = here;
        err = check_location(d);
        break;
    case IOTSEC_EAT_PROFILE:
        /* general-uri (text) / general-oid (the OID's bytes, untagged) */
        c->profile_is_oid = iotsec_cbor_peek_type(d) == IOTSEC_CBOR_BSTR;
        err = get_str(d, c->profile_is_oid ? IOTSEC_CBOR_BSTR : IOTSEC_CBOR_TSTR, &c->profile, 1,
                      SIZE_MAX);
        break;
    case IOTSEC_EAT_SUBMODS:
        c->submods = here;
        err = check_submods(d);
        break;
    case IOTSEC_EAT_BOOTCOUNT:
        err = get_u64(d, &c->bootcount);
        break;
    case IOTSEC_EAT_BOOTSEED:
        err = get_str(d, IOTSEC_CBOR_BSTR, &c->bootseed, 0, SIZE_MAX);
        break;
    case IOTSEC_EAT_DLOAS:
        c->dloas = here;
        err = check_dloas(d);
        break;
    case IOTSEC_EAT_SWNAME:
        err = get_str(d, IOTSEC_CBOR_TSTR, &c->swname, 0, SIZE_MAX);
        break;
    case IOTSEC_EAT_SWVERSION:
        err = get_version(d, &c->swversion);
        break;
    case IOTSEC_EAT_MANIFESTS:
        c->manifests = here;
        err = check_entries(d);
        break;
    case IOTSEC_EAT_MEASUREMENTS:
        c->measurements = here;
        err = check_entries(d);
        break;
    case IOTSEC_EAT_MEASRES:
        c->measres = here;
        err = check_measres(d);
        break;
    case IOTSEC_EAT_INTUSE:
        err = get_i64(d, &c->intuse);
        break;
    default:
        return iotsec_cbor_skip(d) == IOTSEC_OK ? IOTSEC_OK : IOTSEC_ERR_MALFORMED;
    }
    if (err == IOTSEC_OK)
        c->present |= BIT(key);
    return err;
}

/* The claims RFC 9711 wants beside others; see "Claims that depend on
 * others" in iotsec/eat.h for the two that are only flagged. */
static enum iotsec_err dependencies(struct iotsec_eat_claims *c, int64_t *key)
{
    const uint64_t p = c->present;
    const bool oemid = (p & BIT(IOTSEC_EAT_OEMID)) != 0;

    if ((p & BIT(IOTSEC_EAT_HWMODEL)) && !oemid)
        *key = IOTSEC_EAT_HWMODEL;
    else if ((p & BIT(IOTSEC_EAT_SWVERSION)) && !(p & BIT(IOTSEC_EAT_SWNAME)))
        *key = IOTSEC_EAT_SWVERSION;
    else if ((p & BIT(IOTSEC_EAT_DBGSTAT)) && !oemid &&
             c->dbgstat == IOTSEC_EAT_DBG_DISABLED_PERMANENTLY)
        *key = IOTSEC_EAT_DBGSTAT;
    if (*key != 0)
        return IOTSEC_ERR_MALFORMED;
    if ((p & BIT(IOTSEC_EAT_HWVERSION)) && !(p & BIT(IOTSEC_EAT_HWMODEL)))
        c->orphans |= BIT(IOTSEC_EAT_HWVERSION);
    if ((p & BIT(IOTSEC_EAT_OEMBOOT)) && !oemid)
        c->orphans |= BIT(IOTSEC_EAT_OEMBOOT);
    return IOTSEC_OK;
}

/* see eat_int.h */
enum iotsec_err eat_claims_decode(const uint8_t *cs, size_t len, bool uccs_tag,
                                  struct iotsec_eat_claims *c, int64_t *bad_key)
{
    struct iotsec_cbor_dec d, m;
    enum iotsec_err err;
    int64_t key = 0;

    memset(c, 0, sizeof(*c));
    if ((err = iotsec_cbor_dec_init(&d, cs, len, 0, NULL)) != IOTSEC_OK)
        goto out;
    if (uccs_tag)
        (void)iotsec_cbor_skip_tag(&d, IOTSEC_EAT_TAG_UCCS);
    err = IOTSEC_ERR_MALFORMED;
    if (iotsec_cbor_enter_map(&d, &m, NULL) != IOTSEC_OK)
        goto out;
    while (!iotsec_cbor_at_end(&m)) {
        enum iotsec_cbor_type t = iotsec_cbor_peek_type(&m);

        if ((t == IOTSEC_CBOR_UINT || t == IOTSEC_CBOR_NINT) &&
            iotsec_cbor_get_int(&m, &key) == IOTSEC_OK) {
            if ((err = claim(&m, key, c)) != IOTSEC_OK)
                goto out;
            continue;
        }
        key = 0;
        /* Claim-Label = int / text (RFC 9711 Appendix D) */
        if (t != IOTSEC_CBOR_UINT && t != IOTSEC_CBOR_NINT && t != IOTSEC_CBOR_TSTR) {
            err = IOTSEC_ERR_MALFORMED;
            goto out;
        }
        /* a text label, or an integer beyond int64_t: no claim iotsec knows */
        (void)iotsec_cbor_skip(&m);
        (void)iotsec_cbor_skip(&m);
    }
    key = 0;
    (void)iotsec_cbor_leave(&d, &m);
    err = dependencies(c, &key);
out:
    if (err != IOTSEC_OK)
        memset(c, 0, sizeof(*c));
    if (bad_key != NULL)
        *bad_key = err != IOTSEC_OK ? key : 0;
    return err;
}

/* see iotsec/eat.h */
enum iotsec_err iotsec_eat_claims_decode(const uint8_t *cs, size_t len,
                                         struct iotsec_eat_claims *c, int64_t *bad_key)
{
    return eat_claims_decode(cs, len, true, c, bad_key);
}

/* see eat_int.h */
enum iotsec_err eat_claim_check(int64_t key, const uint8_t *v, size_t n,
                                struct iotsec_eat_claims *tmp)
{
    struct iotsec_cbor_dec d;
    enum iotsec_err err = iotsec_cbor_dec_init(&d, v, n, 0, NULL);

    memset(tmp, 0, sizeof(*tmp));
    if (err != IOTSEC_OK)
        return err;
    return claim(&d, key, tmp);
}

/* see eat_int.h */
bool eat_preferred(const uint8_t *p, size_t n)
{
    const uint8_t *end = p + n;

    /* CBOR is prefix-coded: walking the heads in order visits every item,
     * containers included, with no stack */
    while (p < end) {
        const unsigned major = (unsigned)(*p >> 5), ai = *p & 31u;
        uint64_t arg = ai, f;
        unsigned i;

        p++;
        if (ai == 31)
            return false; /* indefinite length, or its break */
        if (ai >= 24) {
            for (arg = 0, i = 1u << (ai - 24); i > 0; i--)
                arg = arg << 8 | *p++;
            if (major == 7) {
                /* a simple value's byte form is its only one; a float must
                 * be in the narrowest width that keeps its value */
                if (ai > 25 && iotsec_cbor_float_shortest(
                                   iotsec_cbor_float_to_double_bits(arg, 1u << (ai - 24)), &f) <
                                   1u << (ai - 24))
                    return false;
            } else if (ai == 24 ? arg < 24 : arg >> (8u << (ai - 25)) == 0) {
                return false; /* the argument fits a shorter head */
            }
        }
        if (major == 2 || major == 3)
            p += (size_t)arg;
    }
    return true;
}

/* see iotsec/eat.h */
enum iotsec_err iotsec_eat_entry_next(struct iotsec_cbor_dec *list, struct iotsec_eat_entry *e)
{
    struct iotsec_cbor_dec probe = *list, a;

    /* On the claim's value, [+ entry], rather than inside it: an entry's
     * first item is a content format, the claim's an array. */
    if (iotsec_cbor_enter_array(&probe, &a, NULL) == IOTSEC_OK &&
        iotsec_cbor_peek_type(&a) == IOTSEC_CBOR_ARRAY)
        *list = a;
    if (iotsec_cbor_at_end(list))
        return IOTSEC_ERR_CBOR_END;
    return get_entry(list, e);
}

/* see iotsec/eat.h */
enum iotsec_err iotsec_eat_submod_next(struct iotsec_cbor_dec *submods, struct iotsec_cbuf *name,
                                       enum iotsec_eat_submod_kind *kind, int32_t *alg,
                                       struct iotsec_cbuf *value)
{
    struct iotsec_cbor_dec m;
    struct iotsec_cbuf n, v;
    enum iotsec_eat_submod_kind k;
    int32_t a;

    /* on the claim's value (a map) rather than inside it (at a name) */
    if (iotsec_cbor_enter_map(submods, &m, NULL) == IOTSEC_OK)
        *submods = m;
    if (iotsec_cbor_at_end(submods))
        return IOTSEC_ERR_CBOR_END;
    return get_submod(submods, name != NULL ? name : &n, kind != NULL ? kind : &k,
                      alg != NULL ? alg : &a, value != NULL ? value : &v);
}
