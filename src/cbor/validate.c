/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One-pass validation of CBOR input. Everything the pull decoder later
 * relies on is established here, so that the pull functions can stay small
 * and branch-light.
 */
#include <string.h>

#include "cbor_int.h"

#define K_MAP 1u   /* frame is a map */
#define K_INDEF 2u /* frame is an indefinite-length container */

struct frame {
    const uint8_t *start;   /* first entry of a map, for the duplicate re-walk */
    const uint8_t *max_key; /* greatest key of the map so far, NULL before the first */
    const uint8_t *max_end;
    const uint8_t *key;     /* container key still in progress, NULL otherwise */
    size_t left;            /* items left; counts down from SIZE_MAX when indefinite */
    unsigned kind;
};

/* see iotsec/cbor.h */
bool iotsec_utf8_valid(const uint8_t *p, size_t len)
{
    const size_t high = (size_t)-1 / 0xffu * 0x80u;
    const uint8_t *end = p + len;

    while (p < end) {
        unsigned n, c;
        uint8_t lo = 0x80, hi = 0xbf;

        /* Text in protocols is overwhelmingly ASCII: test a word at a time. */
        while ((size_t)(end - p) >= sizeof(size_t)) {
            size_t w;
            memcpy(&w, p, sizeof(w));
            if (w & high)
                break;
            p += sizeof(size_t);
        }
        if (p == end)
            break;
        c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        /* RFC 3629 section 4: no overlongs, no surrogates, nothing past U+10FFFF. */
        if (c < 0xc2)
            return false;
        if (c < 0xe0) {
            n = 1;
        } else if (c < 0xf0) {
            n = 2;
            if (c == 0xe0)
                lo = 0xa0;
            else if (c == 0xed)
                hi = 0x9f;
        } else if (c < 0xf5) {
            n = 3;
            if (c == 0xf0)
                lo = 0x90;
            else if (c == 0xf4)
                hi = 0x8f;
        } else {
            return false;
        }
        if ((size_t)(end - p) <= n)
            return false;
        p++;
        if (*p < lo || *p > hi)
            return false;
        while (--n) {
            p++;
            if ((*p & 0xc0u) != 0x80u)
                return false;
        }
        p++;
    }
    return true;
}

/*
 * Order of two keys of validated input. Integers and definite-length strings
 * compare by (major type, argument, content), which is the bytewise
 * lexicographic order of their deterministic encodings and ignores
 * non-shortest heads; anything else compares by its encoded bytes. Both
 * rules agree on which kind sorts first, so the order is total.
 */
static int key_cmp(const uint8_t *a, const uint8_t *ae, const uint8_t *b, const uint8_t *be)
{
    unsigned ma = a[0] >> 5, mb = b[0] >> 5;
    size_t la, lb;
    int c;

    if (ma != mb)
        return ma < mb ? -1 : 1;
    if (ma <= 3 && (a[0] & 31u) != 31u && (b[0] & 31u) != 31u) {
        uint64_t va, vb;
        const uint8_t *pa = cbor_head(a, &va), *pb = cbor_head(b, &vb);
        if (va != vb)
            return va < vb ? -1 : 1;
        return ma >= 2 ? memcmp(pa, pb, (size_t)va) : 0;
    }
    la = (size_t)(ae - a);
    lb = (size_t)(be - b);
    c = memcmp(a, b, la < lb ? la : lb);
    if (c != 0 || la == lb)
        return c;
    return la < lb ? -1 : 1;
}

/*
 * Record key [k, ke) of map frame @p f. A key greater than every earlier key
 * is new; otherwise it is compared with each earlier key (only in the
 * default mode: deterministic mode requires ascending order).
 */
static enum iotsec_err key_check(struct frame *f, const uint8_t *k, const uint8_t *ke, bool det)
{
    if (f->max_key != NULL) {
        int c = key_cmp(f->max_key, f->max_end, k, ke);
        if (c == 0)
            return IOTSEC_ERR_CBOR_DUPLICATE_KEY;
        if (c > 0) {
            const uint8_t *q = f->start;
            size_t n = 0;

            if (det)
                return IOTSEC_ERR_CBOR_UNSORTED;
            while (q < k) {
                const uint8_t *qe = iotsec_cbor_skip_item(q);
                if (++n > IOTSEC_MAX_CBOR_UNSORTED)
                    return IOTSEC_ERR_LIMIT;
                if (key_cmp(q, qe, k, ke) == 0)
                    return IOTSEC_ERR_CBOR_DUPLICATE_KEY;
                q = iotsec_cbor_skip_item(qe);
            }
            return IOTSEC_OK;
        }
    }
    f->max_key = k;
    f->max_end = ke;
    return IOTSEC_OK;
}

/* Is the next item of map frame @p f a key? Definite maps start with an even
 * count, indefinite ones with SIZE_MAX (odd); a key comes at that parity. */
static inline bool at_key(const struct frame *f)
{
    return ((f->left ^ (f->kind & K_INDEF ? 1u : 0u)) & 1u) == 0;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_dec_init(struct iotsec_cbor_dec *d, const uint8_t *buf, size_t len,
                                     unsigned flags, size_t *err_off)
{
    struct frame st[IOTSEC_MAX_CBOR_DEPTH + 1];
    struct frame *f = st;
    const uint8_t *p = buf, *end = buf + len, *item = buf;
    const bool det = (flags & IOTSEC_CBOR_DETERMINISTIC) != 0;
    enum iotsec_err err = IOTSEC_OK;
    bool is_key, indef;
    unsigned ib, major, ai;
    uint64_t arg;

    d->p = buf;
    d->end = buf;
    d->left = 0;
    d->base = buf;

    f->kind = 0;
    f->key = NULL;
    f->left = (flags & IOTSEC_CBOR_SEQUENCE) ? SIZE_MAX : 1;
    if (len == 0 && f->left == 1) {
        err = IOTSEC_ERR_CBOR_EMPTY;
        goto fail;
    }

    for (;;) {
        if (f->left == 0) {
            /* A definite-length container is complete. */
            if (f == st)
                break;
            f--;
            goto container_done;
        }
        item = p;
        if (p == end) {
            if (f == st && f->left > 1)
                break; /* end of a sequence */
            err = IOTSEC_ERR_CBOR_TRUNCATED;
            goto fail;
        }
        ib = *p;
        if (ib == CBOR_BREAK) {
            /* A break ends an indefinite container, and a map only after a value. */
            if (!(f->kind & K_INDEF) || ((f->kind & K_MAP) && !at_key(f))) {
                err = IOTSEC_ERR_CBOR_BAD_BREAK;
                goto fail;
            }
            p++;
            f--;
            goto container_done;
        }
        is_key = (f->kind & K_MAP) && at_key(f);

        for (;;) {
            major = ib >> 5;
            ai = ib & 31u;
            indef = false;
            p++;
            if (ai < 24) {
                arg = ai;
            } else if (ai < 28) {
                size_t n = (size_t)1 << (ai - 24), i;
                if ((size_t)(end - p) < n) {
                    err = IOTSEC_ERR_CBOR_TRUNCATED;
                    goto fail;
                }
                arg = 0;
                for (i = 0; i < n; i++)
                    arg = arg << 8 | p[i];
                p += n;
                if (major == 7) {
                    if (ai == 24) {
                        if (arg < 32) {
                            err = IOTSEC_ERR_CBOR_BAD_SIMPLE;
                            goto fail;
                        }
                    } else if (det) {
                        uint64_t unused;
                        if (iotsec_cbor_float_shortest(
                                iotsec_cbor_float_to_double_bits(arg, (unsigned)n), &unused) < n) {
                            err = IOTSEC_ERR_CBOR_NOT_SHORTEST;
                            goto fail;
                        }
                    }
                } else if (det && (ai == 24 ? arg < 24 : arg >> (8u << (ai - 25)) == 0)) {
                    /* ai 25/26/27 would fit in 1/2/4 bytes: 8/16/32 bits */
                    err = IOTSEC_ERR_CBOR_NOT_SHORTEST;
                    goto fail;
                }
            } else if (ai < 31) {
                err = IOTSEC_ERR_CBOR_RESERVED_AI;
                goto fail;
            } else {
                if (major == 7) {
                    err = IOTSEC_ERR_CBOR_BAD_BREAK; /* a break where an item must be */
                    goto fail;
                }
                if (major < 2 || major == 6) {
                    err = IOTSEC_ERR_CBOR_BAD_INDEF;
                    goto fail;
                }
                if (det) {
                    err = IOTSEC_ERR_CBOR_INDEF;
                    goto fail;
                }
                indef = true;
                arg = 0;
            }
            if (major != 6)
                break;
            /* A tag belongs to the item that follows it: read on. */
            if (p == end) {
                err = IOTSEC_ERR_CBOR_TRUNCATED;
                goto fail;
            }
            ib = *p;
        }

        if (major == 2 || major == 3) {
            if (indef) {
                /* Chunks: definite strings of the same major type, then a break. */
                for (;;) {
                    const uint8_t *chunk = p;
                    if (p == end) {
                        err = IOTSEC_ERR_CBOR_TRUNCATED;
                        goto fail;
                    }
                    if (*p == CBOR_BREAK) {
                        p++;
                        break;
                    }
                    if ((unsigned)(*p >> 5) != major || (*p & 31u) > 27) {
                        item = p;
                        err = (*p & 31u) > 27 && (*p & 31u) < 31 ? IOTSEC_ERR_CBOR_RESERVED_AI
                                                                 : IOTSEC_ERR_CBOR_BAD_CHUNK;
                        goto fail;
                    }
                    if ((*p & 31u) >= 24 && (size_t)(end - p) <= ((size_t)1 << ((*p & 31u) - 24))) {
                        item = p;
                        err = IOTSEC_ERR_CBOR_TRUNCATED;
                        goto fail;
                    }
                    p = cbor_head(p, &arg);
                    if (arg > (uint64_t)(end - p)) {
                        item = chunk;
                        err = IOTSEC_ERR_CBOR_TRUNCATED;
                        goto fail;
                    }
                    if (major == 3 && !iotsec_utf8_valid(p, (size_t)arg)) {
                        item = chunk;
                        err = IOTSEC_ERR_CBOR_BAD_UTF8;
                        goto fail;
                    }
                    p += (size_t)arg;
                }
            } else {
                if (arg > (uint64_t)(end - p)) {
                    err = IOTSEC_ERR_CBOR_TRUNCATED;
                    goto fail;
                }
                if (major == 3 && !iotsec_utf8_valid(p, (size_t)arg)) {
                    err = IOTSEC_ERR_CBOR_BAD_UTF8;
                    goto fail;
                }
                p += (size_t)arg;
            }
        } else if ((major == 4 || major == 5) && (arg != 0 || indef)) {
            size_t n;
            if (!indef) {
                /* Every item takes at least one byte: reject impossible counts
                 * now, which also keeps 2 * entries from overflowing. */
                if (arg > (uint64_t)(end - p)) {
                    err = IOTSEC_ERR_CBOR_TRUNCATED;
                    goto fail;
                }
                n = (size_t)arg << (major - 4);
            } else {
                n = SIZE_MAX;
            }
            if (f == st + IOTSEC_MAX_CBOR_DEPTH) {
                err = IOTSEC_ERR_TOO_DEEP;
                goto fail;
            }
            f->key = is_key ? item : NULL;
            f->left--;
            f++;
            f->start = p;
            f->max_key = NULL;
            f->key = NULL;
            f->left = n;
            f->kind = (major == 5 ? K_MAP : 0u) | (n == SIZE_MAX ? K_INDEF : 0u);
            continue;
        }
        /* A complete item that opened no container. */
        if (is_key && (err = key_check(f, item, p, det)) != IOTSEC_OK)
            goto fail;
        f->left--;
        continue;

    container_done:
        if (f->key != NULL) {
            item = f->key;
            f->key = NULL;
            if ((err = key_check(f, item, p, det)) != IOTSEC_OK)
                goto fail;
        }
    }

    if (p != end) {
        item = p;
        err = IOTSEC_ERR_CBOR_TRAILING;
        goto fail;
    }
    d->end = end;
    d->left = (flags & IOTSEC_CBOR_SEQUENCE) ? SIZE_MAX - st[0].left : 1;
    if (err_off != NULL)
        *err_off = 0;
    return IOTSEC_OK;

fail:
    if (err_off != NULL)
        *err_off = (size_t)(item - buf);
    return err;
}
