/* SPDX-License-Identifier: Apache-2.0 */
/* Header buckets: decoding with the RFC 9052 section 3 rules, and the
 * sender-side helpers. */
#include <stddef.h>
#include <string.h>

#include "cose_int.h"

/*
 * Labels are read with iotsec_cbor_peek() and compared as (CBOR type,
 * argument, text bytes) rather than converted to int64_t: one comparison
 * serves integer and text labels, a non-shortest head cannot hide a match,
 * and integers beyond int64_t are compared exactly too.
 */

/* Only integers and text strings are labels (RFC 9052 section 3). */
static bool is_label(const struct iotsec_cbor_item *l)
{
    return l->type == IOTSEC_CBOR_UINT || l->type == IOTSEC_CBOR_NINT ||
           l->type == IOTSEC_CBOR_TSTR;
}

/* Same label? An indefinite-length text label (no single slice of bytes)
 * matches nothing, as before: it cannot be named in crit either. Its
 * argument, IOTSEC_CBOR_INDEFINITE, is no length a definite string in
 * memory can have, so two text labels of equal argument are both definite
 * or both not. */
static bool label_eq(const struct iotsec_cbor_item *a, const struct iotsec_cbor_item *b)
{
    if (a->type != b->type || a->val != b->val)
        return false;
    return a->type != IOTSEC_CBOR_TSTR ||
           (a->str.ptr != NULL && memcmp(a->str.ptr, b->str.ptr, a->str.len) == 0);
}

/* Labels whose processing iotsec implements, so they may be critical:
 * 1 to 7, 11 and 12 (bit n for the label n), and -1 to -3 and -20 to -26
 * (bit n for the label -1 - n). */
static bool label_known(const struct iotsec_cbor_item *l)
{
    uint32_t known = l->type == IOTSEC_CBOR_UINT ? 0x000018feu : 0x03f80007u;

    return l->type <= IOTSEC_CBOR_NINT && l->val < 32 && (known >> l->val & 1u) != 0;
}

/* Is @p l one of the @p n labels the application handles itself? Each is
 * put in decoded form and compared as label_eq() compares labels. */
static bool label_understood(const struct iotsec_cbor_item *l, const struct iotsec_cose_label *u,
                             size_t n)
{
    struct iotsec_cbor_item x;

    for (; n > 0; n--, u++) {
        x.str.ptr = (const uint8_t *)u->text;
        if (u->text != NULL) {
            x.type = IOTSEC_CBOR_TSTR;
            x.val = strlen(u->text);
        } else {
            x.type = u->num >= 0 ? IOTSEC_CBOR_UINT : IOTSEC_CBOR_NINT;
            x.val = (uint64_t)(u->num >= 0 ? u->num : -1 - u->num);
        }
        if (label_eq(l, &x))
            return true;
    }
    return false;
}

/* Is @p l a key of the bucket whose entries @p in reads (none when empty)? */
static bool bucket_has(const struct iotsec_cbor_dec *in, const struct iotsec_cbor_item *l)
{
    struct iotsec_cbor_dec e = *in;
    struct iotsec_cbor_item k;

    while (iotsec_cbor_peek(&e, &k) == IOTSEC_OK) {
        if (label_eq(&k, l))
            return true;
        (void)iotsec_cbor_skip(&e);
        (void)iotsec_cbor_skip(&e);
    }
    return false;
}

/* Check crit (the value under @p v, from the protected bucket, whose
 * entries @p prot reads): a non-empty array of labels, each present in the
 * protected bucket, and each one iotsec or the application processes. */
static enum iotsec_err check_crit(struct iotsec_cbor_dec *v, const struct iotsec_cbor_dec *prot,
                                  const struct iotsec_cose_label *understood, size_t n_understood)
{
    struct iotsec_cbor_dec a;
    struct iotsec_cbor_item l;
    size_t n;

    /* entering reads @p v without moving it */
    if (iotsec_cbor_enter_array(v, &a, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    for (n = 0; iotsec_cbor_peek(&a, &l) == IOTSEC_OK; n++) {
        /* a critical parameter must be one that is there to be processed */
        if (!is_label(&l) || n == IOTSEC_MAX_COSE_CRIT || !bucket_has(prot, &l))
            return IOTSEC_ERR_MALFORMED;
        if (!label_known(&l) && !label_understood(&l, understood, n_understood))
            return IOTSEC_ERR_UNSUPPORTED;
        (void)iotsec_cbor_skip(&a);
    }
    /* empty, in either length encoding */
    return n != 0 ? IOTSEC_OK : IOTSEC_ERR_MALFORMED;
}

/*
 * Readers for the header walk. Built for size (-Os), every item is read
 * with iotsec_cbor_peek() and then skipped: one decoder entry point for
 * labels, algorithm identifiers and byte strings instead of several keeps
 * what a device links small, and byte strings share the message reader.
 * Built for speed, the typed getters' inline fast paths are quicker. Both
 * give the same results and errors.
 */
#if defined(__OPTIMIZE_SIZE__)
/* Callers map the errors as for the getter. */
#define get_bstr(d, b) cose_get_bstr(d, b, false)

/* alg, read without moving @p d (the header walk then steps over it with
 * the other values, one skip call fewer): an integer in int64_t range, not
 * 0 (reserved); a text string names an algorithm iotsec does not
 * implement. */
#define ALG_IN_PLACE 1

static enum iotsec_err get_alg(const struct iotsec_cbor_dec *d, int64_t *alg)
{
    struct iotsec_cbor_item it;

    (void)iotsec_cbor_peek(d, &it); /* validated: a map key has a value */
    if (it.type == IOTSEC_CBOR_TSTR)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (it.type > IOTSEC_CBOR_NINT || it.val > (uint64_t)INT64_MAX)
        return IOTSEC_ERR_MALFORMED;
    *alg = it.type == IOTSEC_CBOR_UINT ? (int64_t)it.val : -1 - (int64_t)it.val;
    return *alg != 0 ? IOTSEC_OK : IOTSEC_ERR_MALFORMED;
}

static bool no_entries(const struct iotsec_cbor_dec *in)
{
    struct iotsec_cbor_item it;

    return iotsec_cbor_peek(in, &it) != IOTSEC_OK;
}
#else
#define get_bstr(d, b) iotsec_cbor_get_bstr(d, b)
#define no_entries(in) iotsec_cbor_at_end(in)

/* the getter steps over alg itself */
#define ALG_IN_PLACE 0

static enum iotsec_err get_alg(struct iotsec_cbor_dec *d, int64_t *alg)
{
    if (iotsec_cbor_peek_type(d) == IOTSEC_CBOR_TSTR)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (iotsec_cbor_get_int(d, alg) != IOTSEC_OK || *alg == 0)
        return IOTSEC_ERR_MALFORMED;
    return IOTSEC_OK;
}
#endif

/* kid (label 4), IV (5) and Partial IV (6) sit one after the other in
 * struct iotsec_cose_hdr: the label picks the slot. */
#define KID_OFF offsetof(struct iotsec_cose_hdr, kid)
_Static_assert(offsetof(struct iotsec_cose_hdr, iv) == KID_OFF + sizeof(struct iotsec_cbuf) &&
                   offsetof(struct iotsec_cose_hdr, partial_iv) ==
                       KID_OFF + 2 * sizeof(struct iotsec_cbuf),
               "kid, iv and partial_iv are consecutive");

/*
 * see iotsec/cose.h
 *
 * Each bucket is entered once; the cursor on the protected bucket's
 * entries also serves the cross-bucket and crit lookups.
 */
enum iotsec_err iotsec_cose_hdr_decode(struct iotsec_cbor_dec *arr, struct iotsec_cose_hdr *h,
                                       const struct iotsec_cose_label *understood,
                                       size_t n_understood)
{
    struct iotsec_cbor_dec in[2]; /* in[i]: the entries of bucket i */
    struct iotsec_cbor_item l;
    enum iotsec_err err;
    size_t i;

    memset(h, 0, sizeof(*h));
    in[0].left = 0; /* no protected entries unless a map is found below (a cursor
                     * with no items left reads no other field) */
    if ((err = get_bstr(arr, &h->prot)) != IOTSEC_OK)
        return err == IOTSEC_ERR_CBOR_END ? err : IOTSEC_ERR_MALFORMED;
    if (h->prot.len > 0) {
        /* the protected bucket is CBOR of its own: validate it strictly */
        if ((err = iotsec_cbor_dec_init(&h->prot_map, h->prot.ptr, h->prot.len, 0, NULL)) !=
            IOTSEC_OK)
            return err;
        /* entering reads a cursor without moving it */
        if (iotsec_cbor_enter_map(&h->prot_map, &in[0], NULL) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        if (no_entries(&in[0]))
            h->prot_map.p = NULL; /* an empty map counts as an empty bucket */
    }
    if (iotsec_cbor_enter_map(arr, &in[1], NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    h->unprot_map = *arr;
    h->unprot_map.left = 1;
    (void)iotsec_cbor_skip(arr);

    /* Walk the protected bucket, then the unprotected one: label types, the
     * parameters this layer decodes, crit placement, and labels that sit in
     * both buckets. */
    for (i = 0; i < 2; i++) {
        bool is_prot = i == 0;
        struct iotsec_cbor_dec e = in[i];

        while (iotsec_cbor_peek(&e, &l) == IOTSEC_OK) {
            unsigned lv;

            if (!is_label(&l))
                return IOTSEC_ERR_MALFORMED;
            if (!is_prot && bucket_has(&in[0], &l))
                return IOTSEC_ERR_MALFORMED; /* RFC 9052 3: a label in both buckets */
            (void)iotsec_cbor_skip(&e);
            /* the parameters decoded here all have small positive labels */
            lv = l.type == IOTSEC_CBOR_UINT && l.val < 8 ? (unsigned)l.val : 0;
            if (lv == IOTSEC_COSE_HDR_ALG) {
                if ((err = get_alg(&e, &h->alg)) != IOTSEC_OK)
                    return err;
                if (!ALG_IN_PLACE)
                    continue;
            } else if (lv == IOTSEC_COSE_HDR_CRIT) {
                if (!is_prot)
                    return IOTSEC_ERR_MALFORMED; /* crit MUST be protected */
                if ((err = check_crit(&e, &in[0], understood, n_understood)) != IOTSEC_OK)
                    return err;
            } else if (lv - IOTSEC_COSE_HDR_KID < 3u) {
                /* kid, IV, Partial IV: byte strings */
                size_t off = KID_OFF + (lv - IOTSEC_COSE_HDR_KID) * sizeof(struct iotsec_cbuf);
                struct iotsec_cbuf *slot = (struct iotsec_cbuf *)(void *)((char *)h + off);
                if (get_bstr(&e, slot) != IOTSEC_OK)
                    return IOTSEC_ERR_MALFORMED;
                continue;
            }
            (void)iotsec_cbor_skip(&e);
        }
    }
    return IOTSEC_OK;
}

/* see iotsec/cose.h */
enum iotsec_err iotsec_cose_hdr_find(const struct iotsec_cose_hdr *h, int64_t label,
                                     struct iotsec_cbor_dec *value, bool *is_protected)
{
    const struct iotsec_cbor_dec *maps[2] = {&h->prot_map, &h->unprot_map};
    int i;

    for (i = 0; i < 2; i++) {
        struct iotsec_cbor_dec m = *maps[i], e;
        if (m.p == NULL || iotsec_cbor_enter_map(&m, &e, NULL) != IOTSEC_OK)
            continue;
        if (iotsec_cbor_map_find_int(&e, label, value) == IOTSEC_OK) {
            if (is_protected != NULL)
                *is_protected = i == 0;
            return IOTSEC_OK;
        }
    }
    return IOTSEC_ERR_NOT_FOUND;
}

/* Map head of encoded map @p b; false if @p b is not one map. */
static bool map_count(struct iotsec_cbuf b, size_t *n)
{
    struct iotsec_cbor_dec d, e;

    if (b.len == 0) {
        *n = 0;
        return true;
    }
    return iotsec_cbor_dec_init(&d, b.ptr, b.len, 0, NULL) == IOTSEC_OK &&
           iotsec_cbor_enter_map(&d, &e, n) == IOTSEC_OK && *n != IOTSEC_CBOR_INDEFINITE;
}

struct iotsec_cbuf cose_prot_in_tbs(const struct iotsec_cose_hdr_in *in)
{
    struct iotsec_cbuf none = {NULL, 0};
    size_t n;

    return map_count(in->prot, &n) && n == 0 ? none : in->prot;
}

bool cose_map_has(struct iotsec_cbuf b, int64_t label)
{
    struct iotsec_cbor_dec d, e, v;

    return b.len != 0 && iotsec_cbor_dec_init(&d, b.ptr, b.len, 0, NULL) == IOTSEC_OK &&
           iotsec_cbor_enter_map(&d, &e, NULL) == IOTSEC_OK &&
           iotsec_cbor_map_find_int(&e, label, &v) == IOTSEC_OK;
}

/* alg from encoded map @p b, if there. */
static bool map_alg(struct iotsec_cbuf b, int64_t *alg)
{
    struct iotsec_cbor_dec d, e, v;

    return b.len != 0 && iotsec_cbor_dec_init(&d, b.ptr, b.len, 0, NULL) == IOTSEC_OK &&
           iotsec_cbor_enter_map(&d, &e, NULL) == IOTSEC_OK &&
           iotsec_cbor_map_find_int(&e, IOTSEC_COSE_HDR_ALG, &v) == IOTSEC_OK &&
           iotsec_cbor_get_int(&v, alg) == IOTSEC_OK;
}

enum iotsec_err cose_hdr_in_check(const struct iotsec_cose_hdr_in *in, int64_t *alg)
{
    size_t n;

    if (!map_count(in->prot, &n) || !map_count(in->unprot, &n))
        return IOTSEC_ERR_INVALID_ARG;
    *alg = 0;
    if (!map_alg(in->prot, alg) && !map_alg(in->unprot, alg))
        return IOTSEC_ERR_INVALID_ARG;
    return *alg != 0 ? IOTSEC_OK : IOTSEC_ERR_INVALID_ARG;
}

void cose_put_prot(struct iotsec_cbor_enc *e, const struct iotsec_cose_hdr_in *in)
{
    iotsec_cbor_enc_bstr(e, in->prot.ptr, in->prot.len);
}

void cose_put_unprot(struct iotsec_cbor_enc *e, const struct iotsec_cose_hdr_in *in,
                     size_t extra_n, struct iotsec_cbuf extra)
{
    size_t n = 0;

    if (!map_count(in->unprot, &n)) {
        if (e->err == IOTSEC_OK)
            e->err = IOTSEC_ERR_INVALID_ARG;
        return;
    }
    if (extra_n == 0 && in->unprot.len != 0) {
        iotsec_cbor_enc_raw(e, in->unprot.ptr, in->unprot.len); /* exactly the caller's bytes */
        return;
    }
    iotsec_cbor_enc_map(e, n + extra_n);
    if (in->unprot.len != 0) {
        /* the caller's entries follow the caller's (definite) map head */
        unsigned ai = in->unprot.ptr[0] & 31u;
        size_t hl = ai < 24 ? 1u : 1u + ((size_t)1 << (ai - 24));
        iotsec_cbor_enc_raw(e, in->unprot.ptr + hl, in->unprot.len - hl);
    }
    iotsec_cbor_enc_raw(e, extra.ptr, extra.len);
}
