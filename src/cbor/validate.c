/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One-pass validation of CBOR input. Everything the pull decoder later
 * relies on is established here, so that the pull functions can stay small.
 * The loop is iterative with an explicit frame stack and finds and reports
 * every error. In a build for speed the fast scanner of scan.c goes first,
 * and this loop sees only what the scanner does not prove valid.
 */
#include <string.h>

#include "cbor_int.h"

/* Frame kinds. For a map the kind is also the parity of the item count at
 * a key (definite maps start even, indefinite ones at SIZE_MAX, odd); the
 * kinds of arrays (and of the top level) are 2 and 3, never a parity. */
#define K_INDEF 1u /* bit: an indefinite-length container */
#define K_ARRAY 2u /* bit: not a map */

/* Key classes: 0..3 are integers and definite-length strings of that major
 * type, compared by value; anything else compares by its encoded bytes. */
#define KCLS_RAW 8u
#define KCLS_NONE 9u /* no key yet: never equal to a key's class */

/* An argument as the general loop uses it. Built for size without the
 * deterministic checks, it is kept in a size_t, saturated: past SIZE_MAX
 * only "more than the input holds" matters, as a string length or item
 * count, and integers, tags and simple values need no more than a
 * complete head. */
#if defined(__OPTIMIZE_SIZE__) && !IOTSEC_CBOR_DETERMINISTIC_DECODE
#define ARG_SATURATED 1
typedef size_t varg_t;
#else
#define ARG_SATURATED 0
typedef uint64_t varg_t;
#endif

struct frame {
#if !defined(__OPTIMIZE_SIZE__)
    /* kmax decoded, for the fast path of sorted keys (left out when built
     * for size, where every key goes through key_check()) */
    uint64_t karg;          /* argument of kmax when its class is not KCLS_RAW */
    unsigned kcls;          /* class of kmax */
#endif
    size_t left;            /* items left; counts down from SIZE_MAX when indefinite */
    unsigned kind;          /* K_ARRAY | K_INDEF */
    const uint8_t *start;   /* map: first entry, for the duplicate re-walk */
    const uint8_t *kmax;    /* map: greatest key so far, NULL before the first */
    const uint8_t *slot;    /* the container being read at the level above: its
                             * first byte, tags included */
};

/* see iotsec/cbor.h */
bool iotsec_utf8_valid(const uint8_t *p, size_t len)
{
#if !defined(__OPTIMIZE_SIZE__)
    const size_t high = (size_t)-1 / 0xffu * 0x80u;
#endif
    const uint8_t *end = p + len;

    while (p < end) {
        unsigned n, i, c;
        uint32_t cp;

#if !defined(__OPTIMIZE_SIZE__)
        /* Text in protocols is overwhelmingly ASCII: test a word at a time
         * (left out when built for size). */
        while ((size_t)(end - p) >= sizeof(size_t)) {
            size_t w;
            memcpy(&w, p, sizeof(w));
            if (w & high)
                break;
            p += sizeof(size_t);
        }
        if (p == end)
            break;
#endif
        c = *p++;
        if (c < 0x80)
            continue;
        /* RFC 3629 section 4: a lead byte C2..F4 and its 1 to 3
         * continuation bytes, whose code point is not overlong (at least
         * 2^(5n+1) for n continuation bytes, which C2 ensures for n = 1),
         * not a surrogate and not past U+10FFFF. */
        if (c < 0xc2 || c > 0xf4)
            return false;
        n = 1u + (c >= 0xe0) + (c >= 0xf0);
        if ((size_t)(end - p) < n)
            return false;
        cp = c & (0x3fu >> n);
        for (i = 0; i < n; i++) {
            unsigned b = p[i] ^ 0x80u; /* a continuation byte 80..BF gives 00..3F */
            if (b > 0x3fu)
                return false;
            cp = cp << 6 | b;
        }
        p += n;
        if (cp < (1u << (5 * n + 1)) || cp >> 11 == 0x1bu || cp > 0x10ffffu)
            return false;
    }
    return true;
}

static unsigned key_class(const uint8_t *k)
{
    return (k[0] >> 5) <= 3 && (k[0] & 31u) != 31u ? (unsigned)(k[0] >> 5) : KCLS_RAW;
}

/*
 * Order of two keys of validated input. Integers and definite-length strings
 * compare by (major type, argument, content), which is the bytewise
 * lexicographic order of their deterministic encodings and ignores
 * non-shortest heads; anything else compares by its encoded bytes. Both
 * rules agree on which kind sorts first, so the order is total.
 */
static int key_cmp(const uint8_t *a, const uint8_t *b, const uint8_t *be)
{
    unsigned ma = a[0] >> 5, mb = b[0] >> 5;
    const uint8_t *ae;
    size_t la, lb;
    int c;

    if (ma != mb)
        return ma < mb ? -1 : 1;
    if (key_class(a) != KCLS_RAW && key_class(b) != KCLS_RAW) {
        uint64_t va, vb;
        const uint8_t *pa = cbor_head(a, &va), *pb = cbor_head(b, &vb);
        if (va != vb)
            return va < vb ? -1 : 1;
        return ma >= 2 ? memcmp(pa, pb, (size_t)va) : 0;
    }
    ae = iotsec_cbor_skip_item(a);
    la = (size_t)(ae - a);
    lb = (size_t)(be - b);
    c = memcmp(a, b, la < lb ? la : lb);
    if (c != 0 || la == lb)
        return c;
    return la < lb ? -1 : 1;
}

/*
 * Record key [k, ke) of map frame @p f. A key greater than every earlier
 * key is new; otherwise (default mode only: deterministic mode requires
 * ascending order) it is compared with each earlier key.
 */
static enum iotsec_err key_check(struct frame *f, const uint8_t *k, const uint8_t *ke, bool det)
{
    int c;

    if (f->kmax == NULL)
        goto new_max;
    c = key_cmp(f->kmax, k, ke);
    if (c < 0)
        goto new_max;
    if (c == 0)
        return IOTSEC_ERR_CBOR_DUPLICATE_KEY;
    if (det)
        return IOTSEC_ERR_CBOR_UNSORTED;
    {
        /* Out of order: compare with every earlier key, within a bound. */
        const uint8_t *q = f->start;
        size_t n = 0;

        while (q < k) {
            const uint8_t *qe = iotsec_cbor_skip_item(q);
            if (++n > IOTSEC_MAX_CBOR_UNSORTED)
                return IOTSEC_ERR_LIMIT;
            if (key_cmp(q, k, ke) == 0)
                return IOTSEC_ERR_CBOR_DUPLICATE_KEY;
            q = iotsec_cbor_skip_item(qe);
        }
    }
    return IOTSEC_OK;
new_max:
    f->kmax = k;
#if !defined(__OPTIMIZE_SIZE__)
    f->kcls = key_class(k);
    (void)cbor_head(k, &f->karg); /* used only when the class is not KCLS_RAW */
#endif
    return IOTSEC_OK;
}

/* Is the next item of a frame of @p kind with @p left items left a map key? */
static inline bool at_key(size_t left, unsigned kind)
{
    return (left & 1u) == kind;
}

#if defined(__OPTIMIZE_SIZE__)
/* see iotsec/cbor.h; built for size, the general loop is all there is */
enum iotsec_err iotsec_cbor_dec_init(struct iotsec_cbor_dec *d, const uint8_t *buf, size_t len,
                                     unsigned flags, size_t *err_off)
#else
/* see cbor_int.h */
enum iotsec_err cbor_validate(struct iotsec_cbor_dec *d, const uint8_t *buf, size_t len,
                              unsigned flags, size_t *err_off)
#endif
{
    struct frame st[IOTSEC_MAX_CBOR_DEPTH + 1];
    struct frame *f = st;
    size_t left;   /* f->left, kept in a register */
    unsigned kind; /* f->kind */
    /* slot: first byte of the item being read, its tags included;
     * item: its head, after the tags (slot != item: the item is tagged) */
    const uint8_t *p = buf, *end = buf + len, *item = buf, *slot = buf;
#if IOTSEC_CBOR_DETERMINISTIC_DECODE
    const bool det = (flags & IOTSEC_CBOR_DETERMINISTIC) != 0;
#else
    const bool det = false; /* and the deterministic checks compile away */
#endif
    enum iotsec_err err = IOTSEC_OK;
    /* items at the top level: one, or a sequence counting down */
    const size_t top = 1u - (size_t)(flags & IOTSEC_CBOR_SEQUENCE); /* 1 - 2 wraps to SIZE_MAX */
    _Static_assert(IOTSEC_CBOR_SEQUENCE == 2, "a sequence counts down from 1 - 2");

    d->p = buf;
    d->end = buf;
    d->left = 0;
    d->base = buf;

    kind = K_ARRAY;
    left = top;
#if !IOTSEC_CBOR_DETERMINISTIC_DECODE
    if (flags & IOTSEC_CBOR_DETERMINISTIC) {
        err = IOTSEC_ERR_UNSUPPORTED; /* left out of this build: fail closed */
        goto fail;
    }
#endif
    if (len == 0 && left == 1) {
        err = IOTSEC_ERR_CBOR_EMPTY;
        goto fail;
    }

    for (;;) {
        unsigned ib, major, ai;
        varg_t arg;
        size_t count; /* items of a container being entered */

        if (left == 0) {
            /* A definite-length container is complete. */
            if (f == st)
                break;
            goto container_done;
        }
        slot = p;
    tagged_item: /* a tag's content comes back here and keeps the tag's slot */
        item = p;
        if (p == end) {
            if (f == st && left > 1 && slot == p)
                break; /* end of a sequence */
            err = IOTSEC_ERR_CBOR_TRUNCATED;
            goto fail;
        }
        ib = *p++;
    chunk: /* a chunk of an indefinite-length string is read from here */
        major = ib >> 5;
        ai = ib & 31u;
        if (ai < 24) {
            arg = ai;
        } else if (ai < 28) {
            if ((size_t)(end - p) < ((size_t)1 << (ai - 24))) {
                err = IOTSEC_ERR_CBOR_TRUNCATED;
                goto fail;
            }
#if ARG_SATURATED
            {
                uint64_t a;
                p = cbor_head_arg(p, ai, &a);
                arg = a > SIZE_MAX ? SIZE_MAX : (size_t)a;
            }
#else
            p = cbor_head_arg(p, ai, &arg);
#endif
            if (major == 7) {
                if (ai == 24) {
                    if (arg < 32) {
                        err = IOTSEC_ERR_CBOR_BAD_SIMPLE;
                        goto fail;
                    }
                } else if (det && ai > 25 && iotsec_cbor_float_narrow(arg, 1u << (ai - 24), NULL)) {
                    err = IOTSEC_ERR_CBOR_NOT_SHORTEST; /* a narrower float holds the value */
                    goto fail;
                }
            } else if (det) {
                /* ai 24 must carry 24 or more; ai 25/26/27 more than fits
                 * in 1/2/4 bytes */
                if (ai == 24 ? arg < 24 : arg >> (8u << (ai - 25)) == 0) {
                    err = IOTSEC_ERR_CBOR_NOT_SHORTEST;
                    goto fail;
                }
            }
        } else if (ai == 31) {
            goto indefinite;
        } else {
            err = IOTSEC_ERR_CBOR_RESERVED_AI;
            goto fail;
        }

        /* Integers and simple values need nothing more; most items are those. */
        if (major - 2u < 5u) {
            if (major == 6) {
                /* A tag belongs to the item that follows it, in the same slot. */
                goto tagged_item;
            }
            /* A string's content must be there. Every item takes at least
             * one byte, so a container's count is rejected the same way,
             * which also keeps 2 * entries from overflowing. */
            if (arg > (varg_t)(end - p)) {
                err = IOTSEC_ERR_CBOR_TRUNCATED;
                goto fail;
            }
            if (major <= 3) {
                if (major == 3 && !cbor_text_ok(p, (size_t)arg)) {
                    err = IOTSEC_ERR_CBOR_BAD_UTF8;
                    goto fail;
                }
                p += (size_t)arg;
                if (CBOR_UNLIKELY(slot == NULL))
                    goto next_chunk; /* that was a chunk */
            } else if (arg != 0) {
                count = (size_t)arg << (major - 4);
                goto push;
            }
        }

        /* A complete item that opened no container. */
#if !defined(__OPTIMIZE_SIZE__)
        if (at_key(left, kind)) {
            /* Fast path, with the outcome key_check() would have: an
             * untagged integer or string key of the same kind as the
             * greatest so far, and greater than it (keys usually arrive
             * sorted). f->kcls is never 4..7, so this implies major <= 3. */
            if (major == f->kcls && slot == item && arg > f->karg) {
                f->kmax = slot;
                f->karg = arg;
                left--;
                continue;
            }
            if (f->kmax == NULL) {
                /* the first key (what key_check does, without the call) */
                f->kmax = slot;
                f->kcls = slot != item || major > 3 ? KCLS_RAW : major;
                f->karg = arg;
                left--;
                continue;
            }
        }
#endif
    item_done: /* the item [slot, p) is complete; a key's errors are at item */
        if (at_key(left, kind) && (err = key_check(f, slot, p, det)) != IOTSEC_OK)
            goto fail;
        left--;
        continue;

    indefinite:
        if (major == 7) {
            /* a break where an item must be: outside an indefinite item,
             * after a tag, or in the value position of a map */
            if (slot != item || !(kind & K_INDEF) || (!(kind & K_ARRAY) && !at_key(left, kind))) {
                err = IOTSEC_ERR_CBOR_BAD_BREAK;
                goto fail;
            }
            goto container_done;
        }
        if (major < 2 || major == 6) {
            err = IOTSEC_ERR_CBOR_BAD_INDEF;
            goto fail;
        }
        if (det) {
            err = IOTSEC_ERR_CBOR_INDEF;
            goto fail;
        }
        count = SIZE_MAX;
        if (major >= 4)
            goto push;
        if (f == st + IOTSEC_MAX_CBOR_DEPTH) {
            err = IOTSEC_ERR_TOO_DEEP;
            goto fail;
        }
        /* An indefinite-length string: its chunks up to the break, each a
         * definite-length string of the same major type read by the code
         * above (text chunks must each be valid UTF-8). It nests like a
         * container for the depth limit but needs no frame: the unused
         * frame above keeps the string's slot and major type while slot is
         * NULL, which marks the chunks. */
        f[1].start = slot;
        f[1].kind = major << 5;
        slot = NULL;
    next_chunk:
        item = p;
        if (p == end) {
            err = IOTSEC_ERR_CBOR_TRUNCATED;
            goto fail;
        }
        ib = *p++;
        if (ib != CBOR_BREAK) {
            /* the string's major type, and not ai 31 */
            if (ib - f[1].kind >= 31u) {
                err = IOTSEC_ERR_CBOR_BAD_CHUNK;
                goto fail;
            }
            goto chunk;
        }
        /* The whole string is one item; as a key it compares by its bytes. */
        item = slot = f[1].start;
        goto item_done;

    push:
        if (f == st + IOTSEC_MAX_CBOR_DEPTH) {
            err = IOTSEC_ERR_TOO_DEEP;
            goto fail;
        }
        f->slot = slot;
        f->left = left;
        f->kind = kind;
        f++;
        left = count;
        /* major type 4 (array) or 5 (map); ai 31 (and only 31) carries to 32 */
        kind = (5u - major) * K_ARRAY | (ai + 1u) >> 5;
        f->start = p;
        f->kmax = NULL;
#if !defined(__OPTIMIZE_SIZE__)
        f->kcls = KCLS_NONE;
#endif
        continue;

    container_done:
        /* back to the level above, where the container is one item */
        f--;
        left = f->left;
        kind = f->kind;
        item = slot = f->slot;
        goto item_done;
    }

    if (p != end) {
        item = p;
        err = IOTSEC_ERR_CBOR_TRAILING;
        goto fail;
    }
    d->end = end;
    d->left = top - left; /* the items read (left is 0 unless a sequence) */
    item = buf; /* err is IOTSEC_OK and *err_off 0 */

fail:
    if (err_off != NULL)
        *err_off = (size_t)(item - buf);
    return err;
}

#if !defined(__OPTIMIZE_SIZE__)
/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_dec_init(struct iotsec_cbor_dec *d, const uint8_t *buf, size_t len,
                                     unsigned flags, size_t *err_off)
{
#if CBOR_SCAN
    /* what the fast scanner proves valid needs no more (see scan.c) */
    if (flags == 0 && cbor_scan_valid(buf, len)) {
        d->p = buf;
        d->end = buf + len;
        d->left = 1;
        d->base = buf;
        if (err_off != NULL)
            *err_off = 0;
        return IOTSEC_OK;
    }
#endif
    return cbor_validate(d, buf, len, flags, err_off);
}
#endif
