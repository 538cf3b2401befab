/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec/cbor.h - strict, zero-allocation CBOR (RFC 8949).
 *
 * Model
 *   Decoding is two steps. iotsec_cbor_dec_init() validates the whole input
 *   once, in one linear pass without recursion: well-formedness (RFC 8949
 *   section 3 and Appendix F), UTF-8 of text strings, duplicate map keys,
 *   trailing bytes, nesting depth and, when asked, deterministic encoding
 *   (section 4.2.1). Only input that passes is ever handed to the pull
 *   decoder, so the pull functions that follow need no further
 *   well-formedness checks and cannot run off the buffer.
 *
 *   The pull decoder is a small copyable cursor (struct iotsec_cbor_dec).
 *   Typed getters consume one item; entering an array or map yields a child
 *   cursor over its items, and leaving checks that every item was consumed.
 *   Strings come back as slices into the input (zero copy). Any cursor can
 *   report the exact byte span of its next item, which is what COSE and SUIT
 *   hash and sign.
 *
 *   Encoding writes into a caller buffer through struct iotsec_cbor_enc. Add
 *   functions return void and the first error sticks; iotsec_cbor_enc_finish
 *   reports it. A NULL buffer runs the same code in size-only mode.
 *
 * Memory
 *   Nothing allocates. sizeof(struct iotsec_cbor_dec) is 4 pointers/words
 *   (16 bytes on Cortex-M, 32 on x86-64); sizeof(struct iotsec_cbor_enc) is
 *   4 words. Validation uses IOTSEC_MAX_CBOR_DEPTH + 1 frames on the stack:
 *   built for size (-Os), 20 bytes each on Cortex-M (340 bytes at the
 *   default depth of 16); built for speed, 32 bytes each (544 bytes), as
 *   the frames then also keep each map's greatest key decoded, and the fast
 *   path for flat arrays and maps adds a few words.
 *
 * Limits (override with -D at build time)
 *   IOTSEC_MAX_CBOR_DEPTH      arrays, maps and indefinite-length strings
 *                              nested deeper fail with IOTSEC_ERR_TOO_DEEP.
 *                              Tags do not nest frames.
 *   IOTSEC_MAX_CBOR_UNSORTED   a map whose keys arrive out of order is checked
 *                              for duplicates by comparing each out-of-order
 *                              key with every earlier key; beyond this many
 *                              entries such a map fails with IOTSEC_ERR_LIMIT
 *                              so that hostile input cannot force quadratic
 *                              work. Maps in sorted order have no limit and
 *                              cost one comparison per key.
 *
 * Build switch (override with -D at build time)
 *   IOTSEC_CBOR_DETERMINISTIC_DECODE  (default 1) support for the
 *                              IOTSEC_CBOR_DETERMINISTIC flag of
 *                              iotsec_cbor_dec_init(). Its check of shortest
 *                              floats links the float narrowing code into
 *                              every decoder; a build that never asks for
 *                              deterministic decoding (COSE, SUIT and EAT do
 *                              not) may set it to 0 to leave that out. The
 *                              flag then fails closed with
 *                              IOTSEC_ERR_UNSUPPORTED. Encoding is not
 *                              affected.
 *
 * Duplicate keys
 *   Integer keys and definite-length string keys are compared by value, so a
 *   non-shortest head does not hide a duplicate. Other keys (floats, simple
 *   values, tagged items, arrays, maps, indefinite-length strings) are
 *   compared by their encoded bytes: two different encodings of the same such
 *   value are not reported as duplicates in the default mode. Deterministic
 *   mode rejects non-shortest and indefinite encodings, so there every
 *   duplicate is found.
 *
 * Errors
 *   Decoder functions return their error directly rather than keeping a
 *   sticky one: a security decoder has to act on each result before it uses
 *   the value.
 *
 * Not done here, on purpose
 *   Validity of the content of standard tags (e.g. tag 0 holding a date
 *   string) is left to the protocol that uses the tag.
 *
 * See also: iotsec/common.h for slices and errors.
 */
#ifndef IOTSEC_CBOR_H
#define IOTSEC_CBOR_H

#include <stdbool.h>

#include "iotsec/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef IOTSEC_MAX_CBOR_DEPTH
#define IOTSEC_MAX_CBOR_DEPTH 16
#endif
#ifndef IOTSEC_MAX_CBOR_UNSORTED
#define IOTSEC_MAX_CBOR_UNSORTED 1024
#endif
#ifndef IOTSEC_CBOR_DETERMINISTIC_DECODE
#define IOTSEC_CBOR_DETERMINISTIC_DECODE 1
#endif

/** Decoder flags for iotsec_cbor_dec_init(). */
#define IOTSEC_CBOR_DETERMINISTIC 0x01u /**< also require RFC 8949 4.2.1 deterministic encoding */
#define IOTSEC_CBOR_SEQUENCE 0x02u      /**< input is a CBOR sequence (RFC 8742): zero or more items */

/** Item kinds as seen by iotsec_cbor_peek(). */
enum iotsec_cbor_type {
    IOTSEC_CBOR_UINT = 0,   /**< major type 0 */
    IOTSEC_CBOR_NINT = 1,   /**< major type 1 */
    IOTSEC_CBOR_BSTR = 2,   /**< major type 2 */
    IOTSEC_CBOR_TSTR = 3,   /**< major type 3 */
    IOTSEC_CBOR_ARRAY = 4,  /**< major type 4 */
    IOTSEC_CBOR_MAP = 5,    /**< major type 5 */
    IOTSEC_CBOR_TAG = 6,    /**< major type 6 */
    IOTSEC_CBOR_SIMPLE = 7, /**< major type 7, simple value (false, true, null, undefined, simple(n)) */
    IOTSEC_CBOR_FLOAT = 8,  /**< major type 7, half, single or double float */
    IOTSEC_CBOR_NONE = 9    /**< no item left at this level */
};

/** Simple values. */
#define IOTSEC_CBOR_FALSE 20
#define IOTSEC_CBOR_TRUE 21
#define IOTSEC_CBOR_NULL 22
#define IOTSEC_CBOR_UNDEFINED 23

/** Length or count of an indefinite-length item in struct iotsec_cbor_item. */
#define IOTSEC_CBOR_INDEFINITE SIZE_MAX

/**
 * Decoder cursor. Treat the fields as private; copy the struct freely (a
 * copy is an independent cursor at the same position).
 */
struct iotsec_cbor_dec {
    const uint8_t *p;    /* next item */
    const uint8_t *end;  /* end of the validated input */
    size_t left;         /* items left at this level; IOTSEC_CBOR_INDEFINITE inside an indefinite-length item */
    const uint8_t *base; /* start of the validated input, for offsets */
};

/** What iotsec_cbor_peek() reports about the next item, without consuming it. */
struct iotsec_cbor_item {
    enum iotsec_cbor_type type;
    /** uint: the value; nint: n where the value is -1 - n; tag: the tag
     *  number; simple: the simple value; string: byte length; array: item
     *  count; map: entry count. IOTSEC_CBOR_INDEFINITE for indefinite
     *  lengths. Float: the raw bits as encoded. */
    uint64_t val;
    /** Encoded size of the float (2, 4 or 8), else 0. */
    uint8_t float_size;
    /** Set by iotsec_cbor_get_item() when it entered the item (array, map,
     *  indefinite-length string) and set up the child cursor. */
    uint8_t container;
    /** The string's bytes for a definite-length string, else {NULL, 0}. */
    struct iotsec_cbuf str;
    /** Byte offset of the item's first byte from the start of the input. */
    size_t offset;
};

/* ------------------------------------------------------------------ */
/* Validation and decoding                                             */
/* ------------------------------------------------------------------ */

/**
 * Validate @p buf (in, @p len bytes) and, on success, set @p d (out) to a
 * cursor over its one item (or, with IOTSEC_CBOR_SEQUENCE, its items).
 *
 * @param flags  0 for strict validation, or IOTSEC_CBOR_DETERMINISTIC and/or
 *               IOTSEC_CBOR_SEQUENCE.
 * @param err_off (out, may be NULL) on failure, the byte offset where the
 *               rule was broken (for a truncated item, the offset of the
 *               item; for a duplicate or unsorted key, the offset of the
 *               later key).
 * @return IOTSEC_OK, or the rule that was broken:
 *   IOTSEC_ERR_CBOR_EMPTY (no item and not a sequence),
 *   IOTSEC_ERR_CBOR_TRUNCATED, IOTSEC_ERR_CBOR_RESERVED_AI,
 *   IOTSEC_ERR_CBOR_BAD_INDEF, IOTSEC_ERR_CBOR_BAD_BREAK,
 *   IOTSEC_ERR_CBOR_BAD_CHUNK, IOTSEC_ERR_CBOR_BAD_SIMPLE,
 *   IOTSEC_ERR_CBOR_BAD_UTF8, IOTSEC_ERR_CBOR_DUPLICATE_KEY,
 *   IOTSEC_ERR_CBOR_TRAILING, IOTSEC_ERR_TOO_DEEP, IOTSEC_ERR_LIMIT, and in
 *   deterministic mode IOTSEC_ERR_CBOR_NOT_SHORTEST, IOTSEC_ERR_CBOR_INDEF,
 *   IOTSEC_ERR_CBOR_UNSORTED; IOTSEC_ERR_UNSUPPORTED for
 *   IOTSEC_CBOR_DETERMINISTIC in a build with
 *   IOTSEC_CBOR_DETERMINISTIC_DECODE 0.
 *   On failure @p d is left as a cursor with no items.
 */
enum iotsec_err iotsec_cbor_dec_init(struct iotsec_cbor_dec *d, const uint8_t *buf, size_t len,
                                     unsigned flags, size_t *err_off);

/** Non-zero when @p d has no item left at its level. */
bool iotsec_cbor_at_end(const struct iotsec_cbor_dec *d);

/**
 * Describe the next item (out @p item) without consuming it.
 * @return IOTSEC_OK; IOTSEC_ERR_CBOR_END when no item is left.
 */
enum iotsec_err iotsec_cbor_peek(const struct iotsec_cbor_dec *d, struct iotsec_cbor_item *item);

/**
 * Read the next item whatever its type: the one-call traversal. Scalars and
 * definite-length strings are consumed (a string's bytes are in item->str).
 * A tag is returned as an item of type IOTSEC_CBOR_TAG and its head consumed;
 * the tagged item follows. For an array, a map or an indefinite-length
 * string, @p child (out) becomes a cursor over its items or chunks, and
 * @p d moves past it at iotsec_cbor_leave(). @p child may be NULL only if
 * the caller knows no container can follow.
 * @return IOTSEC_OK; IOTSEC_ERR_CBOR_END when no item is left.
 */
enum iotsec_err iotsec_cbor_get_item(struct iotsec_cbor_dec *d, struct iotsec_cbor_item *item,
                                     struct iotsec_cbor_dec *child);

/** Type of the next item, IOTSEC_CBOR_NONE at the end. Reads one byte. */
enum iotsec_cbor_type iotsec_cbor_peek_type(const struct iotsec_cbor_dec *d);

/*
 * Typed getters. Each consumes one item and returns IOTSEC_OK, or without
 * consuming anything: IOTSEC_ERR_CBOR_END (nothing left),
 * IOTSEC_ERR_CBOR_TYPE (another type, including a tag where the plain item
 * was expected), IOTSEC_ERR_CBOR_RANGE (value does not fit).
 */

/** Unsigned integer (major type 0). */
enum iotsec_err iotsec_cbor_get_uint(struct iotsec_cbor_dec *d, uint64_t *v);
/** Integer of major type 0 or 1 that fits int64_t. */
enum iotsec_err iotsec_cbor_get_int(struct iotsec_cbor_dec *d, int64_t *v);
/** Definite-length byte string, as a slice into the input. An indefinite-
 *  length string gives IOTSEC_ERR_CBOR_TYPE: use iotsec_cbor_enter_string(). */
enum iotsec_err iotsec_cbor_get_bstr(struct iotsec_cbor_dec *d, struct iotsec_cbuf *s);
/** Definite-length text string (valid UTF-8, not NUL-terminated). */
enum iotsec_err iotsec_cbor_get_tstr(struct iotsec_cbor_dec *d, struct iotsec_cbuf *s);
/** Tag number. Consumes the tag head only; the tagged item follows. */
enum iotsec_err iotsec_cbor_get_tag(struct iotsec_cbor_dec *d, uint64_t *tag);
/** If the next item is tagged @p tag, consume the tag and return true. */
bool iotsec_cbor_skip_tag(struct iotsec_cbor_dec *d, uint64_t tag);
/** false or true. */
enum iotsec_err iotsec_cbor_get_bool(struct iotsec_cbor_dec *d, bool *v);
/** Any simple value (false=20, true=21, null=22, undefined=23, others). */
enum iotsec_err iotsec_cbor_get_simple(struct iotsec_cbor_dec *d, uint8_t *v);
/** Half, single or double float, widened to double exactly. */
enum iotsec_err iotsec_cbor_get_double(struct iotsec_cbor_dec *d, double *v);

/**
 * Enter the array or map that is the next item. @p child (out) becomes a
 * cursor over its items (a map yields key, value, key, value, ...).
 * @p count (out, may be NULL) receives the item or entry count, or
 * IOTSEC_CBOR_INDEFINITE. @p d is not moved until iotsec_cbor_leave().
 * @return IOTSEC_OK; IOTSEC_ERR_CBOR_END; IOTSEC_ERR_CBOR_TYPE.
 */
enum iotsec_err iotsec_cbor_enter_array(struct iotsec_cbor_dec *d, struct iotsec_cbor_dec *child,
                                        size_t *count);
enum iotsec_err iotsec_cbor_enter_map(struct iotsec_cbor_dec *d, struct iotsec_cbor_dec *child,
                                      size_t *count);
/**
 * Enter a byte or text string as a sequence of chunks: a definite-length
 * string gives one chunk, an indefinite-length string its chunks. Read the
 * chunks with iotsec_cbor_get_bstr()/get_tstr() and then leave.
 */
enum iotsec_err iotsec_cbor_enter_string(struct iotsec_cbor_dec *d, struct iotsec_cbor_dec *child);
/**
 * Leave @p child, entered from @p d, and move @p d past the container.
 * @return IOTSEC_OK; IOTSEC_ERR_CBOR_EXTRA_ITEMS if @p child still has items
 *         (use iotsec_cbor_skip_rest() first to ignore them).
 */
enum iotsec_err iotsec_cbor_leave(struct iotsec_cbor_dec *d, struct iotsec_cbor_dec *child);

/** Skip the next item whole. @return IOTSEC_OK; IOTSEC_ERR_CBOR_END. */
enum iotsec_err iotsec_cbor_skip(struct iotsec_cbor_dec *d);
/** Skip every item left at this level. Cannot fail. */
void iotsec_cbor_skip_rest(struct iotsec_cbor_dec *d);
/**
 * Consume the next item and return its exact encoded bytes (tags included)
 * in @p span (out). @return IOTSEC_OK; IOTSEC_ERR_CBOR_END.
 */
enum iotsec_err iotsec_cbor_get_span(struct iotsec_cbor_dec *d, struct iotsec_cbuf *span);
/** Byte offset of the cursor's next item from the start of the input. */
size_t iotsec_cbor_offset(const struct iotsec_cbor_dec *d);

/**
 * Look up several integer labels in the map @p map (a child cursor from
 * iotsec_cbor_enter_map) in one pass over its remaining entries. For each
 * labels[i] found, values[i] (out) becomes a one-item cursor on its value;
 * for a label not found values[i].p is NULL. Keys that are not integers,
 * and integers not in @p labels, are skipped. @p map is consumed (left at
 * its end), ready for iotsec_cbor_leave().
 * @return the number of entries whose key was not in @p labels, so that a
 *         caller that forbids unknown labels can check it is 0.
 */
size_t iotsec_cbor_map_find_ints(struct iotsec_cbor_dec *map, const int64_t *labels, size_t n,
                                 struct iotsec_cbor_dec *values);
/**
 * Find one key in @p map without consuming it: an integer key equal to
 * @p label. @p value (out) becomes a one-item cursor on its value.
 * @return IOTSEC_OK; IOTSEC_ERR_NOT_FOUND.
 */
enum iotsec_err iotsec_cbor_map_find_int(const struct iotsec_cbor_dec *map, int64_t label,
                                         struct iotsec_cbor_dec *value);
/** As iotsec_cbor_map_find_int() for a definite-length text key of @p len bytes. */
enum iotsec_err iotsec_cbor_map_find_tstr(const struct iotsec_cbor_dec *map, const char *key,
                                          size_t len, struct iotsec_cbor_dec *value);

/* ------------------------------------------------------------------ */
/* Token list                                                          */
/* ------------------------------------------------------------------ */

/** One item of a document, as iotsec_cbor_tokens() lists it. */
struct iotsec_cbor_token {
    /** As iotsec_cbor_item.val (for a float, the raw bits as encoded). */
    uint64_t val;
    /** The item's head, in the input. */
    const uint8_t *at;
    /** Tokens the item spans, itself included: for an array, a map or an
     *  indefinite-length string, 1 + those of every item (or chunk) inside
     *  it; else 1 (a tag is followed by its item). Index + size is the
     *  token after the item. */
    uint32_t size;
    /** enum iotsec_cbor_type. */
    uint8_t type;
    /** Length of the head: a definite-length string's bytes start at
     *  at + head. */
    uint8_t head;
};

/**
 * Validate @p buf (@p len bytes, as iotsec_cbor_dec_init() with @p flags)
 * and list every data item in document order, containers before their
 * items, tags before the item they tag: the whole document read in one
 * pass, for a caller that walks all of it or jumps about in it (a
 * container's size skips it). Break codes are not items. A document of
 * @p len bytes has at most @p len tokens; with @p cap at least @p len,
 * valid input in the default mode is listed by a faster path where the
 * build has one. The list is only meaningful on success: on an error
 * (other than IOTSEC_ERR_BUFFER_TOO_SMALL) *n is 0, and a faster path may
 * have written to @p tok before the input proved invalid.
 *
 * @param tok (out) @p cap tokens; may be NULL when @p cap is 0.
 * @param n   (out) the number of tokens the document has, also when @p cap
 *            is too small.
 * @return IOTSEC_OK; every error of iotsec_cbor_dec_init(), with
 *         @p err_off likewise; IOTSEC_ERR_BUFFER_TOO_SMALL when the
 *         document has more than @p cap tokens; IOTSEC_ERR_LIMIT for input
 *         of 4 GiB or more (a token's size is 32 bits).
 */
enum iotsec_err iotsec_cbor_tokens(const uint8_t *buf, size_t len, unsigned flags,
                                   struct iotsec_cbor_token *tok, size_t cap, size_t *n,
                                   size_t *err_off);

/* ------------------------------------------------------------------ */
/* Inline fast paths                                                   */
/* ------------------------------------------------------------------ */

/*
 * When built for speed, the commonest reads are done at the call site:
 * integers from -24 to 23, byte strings shorter than 256 bytes, arrays and
 * maps of fewer than 24 entries, stepping over such items (and integers
 * from -65536 to 65535), and the end test. Anything else calls the
 * function of the same name, so results and errors are exactly those of
 * the functions. The cursor is read only where the functions read it: its
 * next byte exists whenever it has items left (see iotsec_cbor_dec_init()).
 * A build for size (-Os), or one that defines IOTSEC_CBOR_NO_INLINE, calls
 * the functions everywhere.
 */
#if !defined(__OPTIMIZE_SIZE__) && !defined(IOTSEC_CBOR_NO_INLINE)

static inline bool iotsec_cbor_at_end_inline(const struct iotsec_cbor_dec *d)
{
    return d->left == 0 || *d->p == 0xff;
}

static inline enum iotsec_err iotsec_cbor_get_int_inline(struct iotsec_cbor_dec *d, int64_t *v)
{
    if (d->left != 0) {
        unsigned ib = *d->p;
        if (ib < 0x18 || ib - 0x20u < 0x18u) {
            *v = ib < 0x18 ? (int64_t)ib : -1 - (int64_t)(ib - 0x20u);
            d->p++;
            d->left--;
            return IOTSEC_OK;
        }
    }
    return (iotsec_cbor_get_int)(d, v);
}

static inline enum iotsec_err iotsec_cbor_get_uint_inline(struct iotsec_cbor_dec *d, uint64_t *v)
{
    if (d->left != 0 && *d->p < 0x18) {
        *v = *d->p++;
        d->left--;
        return IOTSEC_OK;
    }
    return (iotsec_cbor_get_uint)(d, v);
}

static inline enum iotsec_err iotsec_cbor_get_bstr_inline(struct iotsec_cbor_dec *d,
                                                          struct iotsec_cbuf *s)
{
    if (d->left != 0 && *d->p - 0x40u <= 0x18u) {
        /* one-byte head, or 0x58 and a one-byte length */
        const uint8_t *p = d->p;
        size_t n = *p < 0x58 ? (size_t)(*p - 0x40u) : p[1];
        s->ptr = p + 1 + (*p == 0x58);
        s->len = n;
        d->p = s->ptr + n;
        d->left--;
        return IOTSEC_OK;
    }
    return (iotsec_cbor_get_bstr)(d, s);
}

static inline enum iotsec_err iotsec_cbor_skip_inline(struct iotsec_cbor_dec *d)
{
    if (d->left != 0) {
        unsigned ib = *d->p;
        size_t n; /* bytes after the initial byte */
        if (ib < 0x18 || ib - 0x20u < 0x18u || ib - 0xf4u < 4u)
            n = 0; /* an integer, or false, true, null, undefined */
        else if ((ib & 0xdeu) == 0x18u)
            n = 1 + (ib & 1u); /* an integer with a 1- or 2-byte argument */
        else if (ib - 0x40u < 0x18u)
            n = ib - 0x40u; /* a byte string shorter than 24 bytes */
        else if (ib == 0x58)
            n = 1 + (size_t)d->p[1]; /* one shorter than 256 bytes */
        else
            return (iotsec_cbor_skip)(d);
        d->p += 1 + n;
        d->left--;
        return IOTSEC_OK;
    }
    return (iotsec_cbor_skip)(d);
}

static inline enum iotsec_err iotsec_cbor_enter_inline(struct iotsec_cbor_dec *d,
                                                       struct iotsec_cbor_dec *child,
                                                       size_t *count, unsigned major)
{
    if (d->left != 0 && *d->p - (major << 5) < 0x18u) {
        size_t n = (size_t)(*d->p & 31u);
        child->p = d->p + 1;
        child->end = d->end;
        child->left = n << (major - 4u);
        child->base = d->base;
        if (count != NULL)
            *count = n;
        return IOTSEC_OK;
    }
    return major == 4 ? (iotsec_cbor_enter_array)(d, child, count)
                      : (iotsec_cbor_enter_map)(d, child, count);
}

#define iotsec_cbor_at_end(d) iotsec_cbor_at_end_inline(d)
#define iotsec_cbor_get_int(d, v) iotsec_cbor_get_int_inline(d, v)
#define iotsec_cbor_get_uint(d, v) iotsec_cbor_get_uint_inline(d, v)
#define iotsec_cbor_get_bstr(d, s) iotsec_cbor_get_bstr_inline(d, s)
#define iotsec_cbor_skip(d) iotsec_cbor_skip_inline(d)
#define iotsec_cbor_enter_array(d, c, n) iotsec_cbor_enter_inline(d, c, n, 4)
#define iotsec_cbor_enter_map(d, c, n) iotsec_cbor_enter_inline(d, c, n, 5)
#endif

/* ------------------------------------------------------------------ */
/* Encoding                                                            */
/* ------------------------------------------------------------------ */

struct iotsec_cbor_enc {
    uint8_t *buf;        /* NULL: size-only mode */
    size_t cap;
    size_t len;          /* bytes produced so far (counted even after an overflow) */
    enum iotsec_err err; /* first error, sticky */
};

/** Start encoding into @p buf (out, @p cap bytes); @p buf NULL counts size only. */
void iotsec_cbor_enc_init(struct iotsec_cbor_enc *e, uint8_t *buf, size_t cap);
/**
 * Finish. @p out (out, may be NULL) receives the encoded bytes; in size-only
 * mode out->ptr is NULL and out->len the size. After
 * IOTSEC_ERR_BUFFER_TOO_SMALL, e->len is the size that would have been
 * needed.
 * @return IOTSEC_OK or the first error: IOTSEC_ERR_BUFFER_TOO_SMALL,
 *         IOTSEC_ERR_INVALID_ARG (a reserved simple value, unbalanced
 *         bstr_open/close), IOTSEC_ERR_CBOR_BAD_UTF8 (tstr not UTF-8).
 */
enum iotsec_err iotsec_cbor_enc_finish(const struct iotsec_cbor_enc *e, struct iotsec_cbuf *out);

void iotsec_cbor_enc_uint(struct iotsec_cbor_enc *e, uint64_t v);
void iotsec_cbor_enc_int(struct iotsec_cbor_enc *e, int64_t v);
/** The negative integer -1 - @p n, covering -2^64 .. -1. */
void iotsec_cbor_enc_nint(struct iotsec_cbor_enc *e, uint64_t n);
void iotsec_cbor_enc_bstr(struct iotsec_cbor_enc *e, const uint8_t *p, size_t len);
/** Text string; must be valid UTF-8 (else the sticky error IOTSEC_ERR_CBOR_BAD_UTF8). */
void iotsec_cbor_enc_tstr(struct iotsec_cbor_enc *e, const char *s, size_t len);
/** NUL-terminated text string. */
void iotsec_cbor_enc_text(struct iotsec_cbor_enc *e, const char *s);
/** Array head for @p n items that the caller adds next. */
void iotsec_cbor_enc_array(struct iotsec_cbor_enc *e, size_t n);
/** Map head for @p n entries (2n items: key, value, ...). */
void iotsec_cbor_enc_map(struct iotsec_cbor_enc *e, size_t n);
void iotsec_cbor_enc_tag(struct iotsec_cbor_enc *e, uint64_t tag);
/** Simple value 0..23 or 32..255 (24..31 are reserved: IOTSEC_ERR_INVALID_ARG). */
void iotsec_cbor_enc_simple(struct iotsec_cbor_enc *e, uint8_t v);
void iotsec_cbor_enc_bool(struct iotsec_cbor_enc *e, bool v);
void iotsec_cbor_enc_null(struct iotsec_cbor_enc *e);
void iotsec_cbor_enc_undefined(struct iotsec_cbor_enc *e);
/**
 * Float in preferred serialization: the shortest of half, single and double
 * that keeps the value exactly (NaN payloads included).
 */
void iotsec_cbor_enc_double(struct iotsec_cbor_enc *e, double v);
/** Float given as raw bits of @p size 2, 4 or 8, written as is. */
void iotsec_cbor_enc_float_bits(struct iotsec_cbor_enc *e, uint64_t bits, unsigned size);
/** Start an indefinite-length item of major type 2, 3, 4 or 5; end it with iotsec_cbor_enc_break(). */
void iotsec_cbor_enc_indef(struct iotsec_cbor_enc *e, enum iotsec_cbor_type major);
void iotsec_cbor_enc_break(struct iotsec_cbor_enc *e);
/** Copy one already-encoded item (e.g. a protected header received as is). */
void iotsec_cbor_enc_raw(struct iotsec_cbor_enc *e, const uint8_t *p, size_t len);
/**
 * Open a byte string whose content is the CBOR encoded next, as COSE
 * protected headers and SUIT's `bstr .cbor` need. Returns a mark to pass to
 * iotsec_cbor_enc_bstr_close(), which writes the head (shifting the content
 * up by the head size). Opens nest.
 */
size_t iotsec_cbor_enc_bstr_open(struct iotsec_cbor_enc *e);
void iotsec_cbor_enc_bstr_close(struct iotsec_cbor_enc *e, size_t mark);

/**
 * Reserve @p n raw bytes at the end of the output and return where to write
 * them (for content produced in place, such as ciphertext). Returns NULL in
 * size-only mode or once an error has stuck; the length still advances.
 */
uint8_t *iotsec_cbor_enc_reserve(struct iotsec_cbor_enc *e, size_t n);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/**
 * Encode the shortest head for major type @p major (0..7) and argument @p v
 * into @p out (at least 9 bytes); returns its length. For structures that
 * are hashed as they stream rather than built in memory.
 */
size_t iotsec_cbor_head_encode(uint8_t *out, unsigned major, uint64_t v);

/** Non-zero when @p p (@p len bytes) is valid UTF-8 (RFC 3629). */
bool iotsec_utf8_valid(const uint8_t *p, size_t len);

/** Widen the raw bits of a half (size 2), single (4) or double (8) to double bits, exactly. */
uint64_t iotsec_cbor_float_to_double_bits(uint64_t bits, unsigned size);
/**
 * The preferred (shortest exact) encoding of double @p dbits: returns the
 * size 2, 4 or 8 and stores the raw bits of that size in @p out.
 */
unsigned iotsec_cbor_float_shortest(uint64_t dbits, uint64_t *out);

/**
 * Diagnostic notation (RFC 8949 section 8, in the style of Appendix A) of
 * the item or sequence under @p d, written to @p out (@p cap bytes,
 * NUL-terminated). @p out NULL counts only. *out_len receives the length
 * without the NUL (the length needed, after IOTSEC_ERR_BUFFER_TOO_SMALL).
 * Floats use the shortest decimal that reads back to the same value and
 * need the C library's snprintf and strtod.
 * @return IOTSEC_OK; IOTSEC_ERR_BUFFER_TOO_SMALL.
 */
enum iotsec_err iotsec_cbor_diag(const struct iotsec_cbor_dec *d, char *out, size_t cap,
                                 size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif /* IOTSEC_CBOR_H */
