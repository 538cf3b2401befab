/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pull decoder over input that iotsec_cbor_dec_init() has validated. The
 * validator proved every head complete, every length inside the buffer and
 * every break matched, so these functions only check types and counts.
 */
#include <string.h>

/* the functions themselves, not the inline fast paths of iotsec/cbor.h */
#define IOTSEC_CBOR_NO_INLINE 1
#include "cbor_int.h"

/* Indefinite-length containers count down from here while skipping; far
 * above any item count an input can hold, and with room to add counts of
 * nested definite containers without wrapping. */
#define SKIP_INDEF (SIZE_MAX / 2)

/* see cbor_int.h */
const uint8_t *iotsec_cbor_head(const uint8_t *p, uint64_t *arg)
{
    unsigned ai = *p++ & 31u, n;
    uint64_t v;

    if (ai < 24) {
        *arg = ai;
        return p;
    }
    if (ai == 31) {
        *arg = IOTSEC_CBOR_INDEFINITE;
        return p;
    }
    v = 0;
    for (n = 1u << (ai - 24); n > 0; n--)
        v = v << 8 | *p++;
    *arg = v;
    return p;
}

/* see cbor_int.h */
const uint8_t *iotsec_cbor_skip_item(const uint8_t *p)
{
    /* Items still to skip at each enclosing indefinite-length level; the
     * validator bounds the nesting of those by IOTSEC_MAX_CBOR_DEPTH. */
    size_t saved[IOTSEC_MAX_CBOR_DEPTH];
    unsigned sp = 0;
    size_t todo = 1;

    while (todo != 0) {
        unsigned ib = *p, major = ib >> 5;
        uint64_t arg;

        if (ib == CBOR_BREAK) {
            p++;
            todo = saved[--sp] - 1;
            continue;
        }
        p = cbor_head(p, &arg);
        if (major == 6)
            continue;
        if ((ib & 31u) == 31u) {
            /* indefinite length: items (or string chunks) up to a break */
            saved[sp++] = todo;
            todo = SKIP_INDEF;
            continue;
        }
        if (major == 2 || major == 3)
            p += (size_t)arg;
        else if (major == 4 || major == 5)
            todo += (size_t)arg << (major - 4);
        todo--;
    }
    return p;
}

/*
 * Skip one item of validated input. Most items skipped are integers, simple
 * values and definite-length strings, whose end follows from the head
 * alone: when built for speed, those take a few instructions here and only
 * containers, tags and indefinite-length items go through the general loop.
 */
static inline const uint8_t *skip_one(const uint8_t *p)
{
#if !defined(__OPTIMIZE_SIZE__)
    unsigned ib = *p, ai = ib & 31u;

    if (ai < 28 && (ib < 0x80 || ib >= 0xe0)) {
        uint64_t arg;
        const uint8_t *next = cbor_head_ai(p, ai, &arg);
        /* major type 2 or 3: the content follows the head */
        return (ib & 0xc0u) == 0x40u ? next + (size_t)arg : next;
    }
#endif
    return iotsec_cbor_skip_item(p);
}

/*
 * Items left: a definite container counts down to 0; an indefinite one
 * counts down from IOTSEC_CBOR_INDEFINITE, which no input can exhaust, and
 * ends at its break. Validated input never has a break where a definite
 * container expects an item, so one test serves both.
 */
CBOR_INLINE bool has_item(const struct iotsec_cbor_dec *d)
{
    return d->left != 0 && *d->p != CBOR_BREAK;
}

static inline void consume(struct iotsec_cbor_dec *d, const uint8_t *next)
{
    d->p = next;
    d->left--;
}

/* Check the next item has major type @p major; read its head. (@p arg
 * and @p next come where the head reader and the callers' own arguments
 * already have them, which keeps the out-of-line copy at -Os short.) */
static inline enum iotsec_err head_of(const struct iotsec_cbor_dec *d, uint64_t *arg,
                                      const uint8_t **next, unsigned major)
{
    if (!has_item(d))
        return IOTSEC_ERR_CBOR_END;
    if ((unsigned)(*d->p >> 5) != major)
        return IOTSEC_ERR_CBOR_TYPE;
    *next = cbor_head(d->p, arg);
    return IOTSEC_OK;
}

/* see iotsec/cbor.h */
bool iotsec_cbor_at_end(const struct iotsec_cbor_dec *d)
{
    return !has_item(d);
}

/* see iotsec/cbor.h */
size_t iotsec_cbor_offset(const struct iotsec_cbor_dec *d)
{
    return (size_t)(d->p - d->base);
}

/* see iotsec/cbor.h */
enum iotsec_cbor_type iotsec_cbor_peek_type(const struct iotsec_cbor_dec *d)
{
    unsigned ib;

    if (!has_item(d))
        return IOTSEC_CBOR_NONE;
    ib = *d->p;
    if (ib >= 0xf9) /* 0xf9..0xfb: floats; reserved values never pass validation */
        return IOTSEC_CBOR_FLOAT;
    return (enum iotsec_cbor_type)(ib >> 5);
}

/* The rarer kinds for iotsec_cbor_get_item(): tags, strings, containers
 * and major type 7. @p item has been filled in as for an integer. */
static enum iotsec_err get_other(struct iotsec_cbor_dec *d, struct iotsec_cbor_item *item,
                                 struct iotsec_cbor_dec *child, const uint8_t *next)
{
    unsigned ib = *d->p, major = ib >> 5, ai = ib & 31u;

    switch (major) {
    case 2:
    case 3:
        if (ai != 31) {
            item->str.ptr = next;
            item->str.len = (size_t)item->val;
            next += item->val;
            break;
        }
        /* an indefinite-length string is entered like a container */
        /* fall through */
    case 4:
    case 5:
        child->p = next;
        child->end = d->end;
        child->base = d->base;
        child->left = ai == 31 ? IOTSEC_CBOR_INDEFINITE : (size_t)item->val << (major & 1u);
        item->container = 1;
        return IOTSEC_OK;
    case 6:
        d->p = next; /* the tagged item follows at this level */
        return IOTSEC_OK;
    default:
        if (ib >= 0xf9) {
            item->type = IOTSEC_CBOR_FLOAT;
            item->float_size = (uint8_t)(1u << (ai - 24));
        }
        break;
    }
    d->p = next;
    d->left--;
    return IOTSEC_OK;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_get_item(struct iotsec_cbor_dec *d, struct iotsec_cbor_item *item,
                                     struct iotsec_cbor_dec *child)
{
    const uint8_t *p = d->p, *next;
    unsigned ib;

    if (d->left == 0 || (ib = *p) == CBOR_BREAK)
        return IOTSEC_ERR_CBOR_END;
    /* Validated input: the head is complete, the reserved values absent. */
    item->offset = (size_t)(p - d->base);
    item->type = (enum iotsec_cbor_type)(ib >> 5);
    item->float_size = 0;
    item->container = 0;
    item->str.ptr = NULL;
    item->str.len = 0;
    next = cbor_head_ai(p, ib & 31u, &item->val);
    if (ib >= 0x40)
        return get_other(d, item, child, next);
    d->p = next; /* an integer */
    d->left--;
    return IOTSEC_OK;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_peek(const struct iotsec_cbor_dec *d, struct iotsec_cbor_item *item)
{
    const uint8_t *next;
    unsigned ib;

    if (!has_item(d))
        return IOTSEC_ERR_CBOR_END;
    ib = *d->p;
    next = cbor_head(d->p, &item->val);
    item->type = ib >= 0xf9 ? IOTSEC_CBOR_FLOAT : (enum iotsec_cbor_type)(ib >> 5);
    item->float_size = 0;
    item->container = 0;
    item->str.ptr = NULL;
    item->str.len = 0;
    item->offset = (size_t)(d->p - d->base);
    if (item->type == IOTSEC_CBOR_FLOAT) {
        item->float_size = (uint8_t)(1u << ((ib & 31u) - 24));
    } else if ((ib & 0xc0u) == 0x40u && (ib & 31u) != 31u) {
        /* major type 2 or 3, definite length */
        item->str.ptr = next;
        item->str.len = (size_t)item->val;
    }
    return IOTSEC_OK;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_get_uint(struct iotsec_cbor_dec *d, uint64_t *v)
{
    const uint8_t *next;
    enum iotsec_err err = head_of(d, v, &next, 0);

    if (err == IOTSEC_OK)
        consume(d, next);
    return err;
}

/* Integer (major type 0 or 1) at @p p that fits int64_t: its value in *v
 * and the first byte after it in *next; false if it is not one. */
static inline bool int_key(const uint8_t *p, int64_t *v, const uint8_t **next)
{
    unsigned major = *p >> 5;
    uint64_t arg;

    if (major > 1)
        return false;
    *next = cbor_head(p, &arg);
    if (arg > (uint64_t)INT64_MAX)
        return false;
    *v = major == 0 ? (int64_t)arg : -1 - (int64_t)arg;
    return true;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_get_int(struct iotsec_cbor_dec *d, int64_t *v)
{
    const uint8_t *next;

    if (!has_item(d))
        return IOTSEC_ERR_CBOR_END;
    if (*d->p >> 5 > 1)
        return IOTSEC_ERR_CBOR_TYPE;
    if (!int_key(d->p, v, &next))
        return IOTSEC_ERR_CBOR_RANGE;
    consume(d, next);
    return IOTSEC_OK;
}

static enum iotsec_err get_string(struct iotsec_cbor_dec *d, unsigned major, struct iotsec_cbuf *s)
{
    const uint8_t *next;
    uint64_t len;
    enum iotsec_err err = head_of(d, &len, &next, major);

    if (err != IOTSEC_OK)
        return err;
    if ((*d->p & 31u) == 31u)
        return IOTSEC_ERR_CBOR_TYPE;
    s->ptr = next;
    s->len = (size_t)len;
    consume(d, next + len);
    return IOTSEC_OK;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_get_bstr(struct iotsec_cbor_dec *d, struct iotsec_cbuf *s)
{
    return get_string(d, 2, s);
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_get_tstr(struct iotsec_cbor_dec *d, struct iotsec_cbuf *s)
{
    return get_string(d, 3, s);
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_get_tag(struct iotsec_cbor_dec *d, uint64_t *tag)
{
    const uint8_t *next;
    enum iotsec_err err = head_of(d, tag, &next, 6);

    if (err == IOTSEC_OK)
        d->p = next; /* the tagged item still follows at this level */
    return err;
}

/* see iotsec/cbor.h */
bool iotsec_cbor_skip_tag(struct iotsec_cbor_dec *d, uint64_t tag)
{
    const uint8_t *next;
    uint64_t v;

    if (head_of(d, &v, &next, 6) != IOTSEC_OK || v != tag)
        return false;
    d->p = next;
    return true;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_get_simple(struct iotsec_cbor_dec *d, uint8_t *v)
{
    const uint8_t *next;
    uint64_t arg;
    enum iotsec_err err = head_of(d, &arg, &next, 7);

    if (err != IOTSEC_OK)
        return err;
    if ((*d->p & 31u) > 24)
        return IOTSEC_ERR_CBOR_TYPE;
    *v = (uint8_t)arg;
    consume(d, next);
    return IOTSEC_OK;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_get_bool(struct iotsec_cbor_dec *d, bool *v)
{
    struct iotsec_cbor_dec save = *d;
    uint8_t s;
    enum iotsec_err err = iotsec_cbor_get_simple(d, &s);

    if (err != IOTSEC_OK)
        return err;
    if (s != IOTSEC_CBOR_FALSE && s != IOTSEC_CBOR_TRUE) {
        *d = save;
        return IOTSEC_ERR_CBOR_TYPE;
    }
    *v = s == IOTSEC_CBOR_TRUE;
    return IOTSEC_OK;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_get_double(struct iotsec_cbor_dec *d, double *v)
{
    const uint8_t *next;
    uint64_t arg;
    unsigned ai;
    enum iotsec_err err = head_of(d, &arg, &next, 7);

    if (err != IOTSEC_OK)
        return err;
    ai = *d->p & 31u;
    if (ai < 25 || ai > 27)
        return IOTSEC_ERR_CBOR_TYPE;
    arg = iotsec_cbor_float_to_double_bits(arg, 1u << (ai - 24));
    memcpy(v, &arg, sizeof(*v));
    consume(d, next);
    return IOTSEC_OK;
}

/* @p major last: the two entry points below only add it to their own
 * arguments */
static enum iotsec_err enter(struct iotsec_cbor_dec *d, struct iotsec_cbor_dec *child,
                             size_t *count, unsigned major)
{
    const uint8_t *next;
    uint64_t n;
    enum iotsec_err err = head_of(d, &n, &next, major);

    if (err != IOTSEC_OK)
        return err;
    child->p = next;
    child->end = d->end;
    child->base = d->base;
    if ((*d->p & 31u) == 31u) {
        child->left = IOTSEC_CBOR_INDEFINITE;
    } else {
        /* validated: the count is below the input size, so 2n fits */
        child->left = (size_t)n << (major - 4);
    }
    if (count != NULL)
        *count = (size_t)n;
    return IOTSEC_OK;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_enter_array(struct iotsec_cbor_dec *d, struct iotsec_cbor_dec *child,
                                        size_t *count)
{
    return enter(d, child, count, 4);
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_enter_map(struct iotsec_cbor_dec *d, struct iotsec_cbor_dec *child,
                                      size_t *count)
{
    return enter(d, child, count, 5);
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_enter_string(struct iotsec_cbor_dec *d, struct iotsec_cbor_dec *child)
{
    unsigned major;

    if (!has_item(d))
        return IOTSEC_ERR_CBOR_END;
    major = *d->p >> 5;
    if (major != 2 && major != 3)
        return IOTSEC_ERR_CBOR_TYPE;
    *child = *d;
    if ((*d->p & 31u) == 31u) {
        child->p = d->p + 1;
        child->left = IOTSEC_CBOR_INDEFINITE;
    } else {
        child->left = 1; /* the definite string is its own single chunk */
    }
    return IOTSEC_OK;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_leave(struct iotsec_cbor_dec *d, struct iotsec_cbor_dec *child)
{
    if (has_item(child))
        return IOTSEC_ERR_CBOR_EXTRA_ITEMS;
    /* a child that ended with items still "left" is indefinite: skip its break */
    consume(d, child->p + (child->left != 0));
    return IOTSEC_OK;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_skip(struct iotsec_cbor_dec *d)
{
    if (!has_item(d))
        return IOTSEC_ERR_CBOR_END;
    consume(d, skip_one(d->p));
    return IOTSEC_OK;
}

/* see iotsec/cbor.h */
void iotsec_cbor_skip_rest(struct iotsec_cbor_dec *d)
{
    while (has_item(d))
        consume(d, skip_one(d->p));
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_get_span(struct iotsec_cbor_dec *d, struct iotsec_cbuf *span)
{
    const uint8_t *start = d->p;

    if (!has_item(d))
        return IOTSEC_ERR_CBOR_END;
    consume(d, skip_one(start));
    span->ptr = start;
    span->len = (size_t)(d->p - start);
    return IOTSEC_OK;
}

/* A one-item cursor on the item at @p p. */
static void item_cursor(struct iotsec_cbor_dec *out, const struct iotsec_cbor_dec *from,
                        const uint8_t *p)
{
    out->p = p;
    out->end = from->end;
    out->left = 1;
    out->base = from->base;
}

/* see iotsec/cbor.h */
size_t iotsec_cbor_map_find_ints(struct iotsec_cbor_dec *map, const int64_t *labels, size_t n,
                                 struct iotsec_cbor_dec *values)
{
    size_t i, unknown = 0;

    for (i = 0; i < n; i++)
        values[i].p = NULL;
    while (has_item(map)) {
        const uint8_t *v;
        int64_t label;
        bool hit = false;

        if (int_key(map->p, &label, &v)) {
            for (i = 0; i < n; i++) {
                if (labels[i] == label) {
                    item_cursor(&values[i], map, v);
                    hit = true;
                    break;
                }
            }
        } else {
            v = skip_one(map->p);
        }
        unknown += !hit;
        consume(map, v);
        consume(map, skip_one(v));
    }
    return unknown;
}

/*
 * Find the first key of @p map that is the definite-length text string
 * @p key of @p len bytes (when @p text) or else the integer @p label,
 * without consuming anything; @p value becomes a one-item cursor on its
 * value. One loop for both kinds keeps the code small.
 */
static enum iotsec_err map_find(const struct iotsec_cbor_dec *map, bool text, int64_t label,
                                const char *key, size_t len, struct iotsec_cbor_dec *value)
{
    struct iotsec_cbor_dec m = *map;

    while (has_item(&m)) {
        const uint8_t *k = m.p, *v = skip_one(k), *after;
        uint64_t arg;
        int64_t n;
        bool hit;

        if (!text) {
            hit = int_key(k, &n, &after) && n == label;
        } else {
            /* a definite-length text string: its content runs up to v */
            after = cbor_head(k, &arg);
            hit = (*k & 0xe0u) == 0x60u && (*k & 31u) != 31u && (size_t)(v - after) == len &&
                  memcmp(after, key, len) == 0;
        }
        if (hit) {
            item_cursor(value, map, v);
            return IOTSEC_OK;
        }
        consume(&m, v);
        consume(&m, skip_one(v));
    }
    return IOTSEC_ERR_NOT_FOUND;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_map_find_int(const struct iotsec_cbor_dec *map, int64_t label,
                                         struct iotsec_cbor_dec *value)
{
    return map_find(map, false, label, NULL, 0, value);
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_map_find_tstr(const struct iotsec_cbor_dec *map, const char *key,
                                          size_t len, struct iotsec_cbor_dec *value)
{
    return map_find(map, true, 0, key, len, value);
}
