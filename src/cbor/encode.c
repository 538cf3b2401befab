/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "cbor_int.h"

/* see iotsec/cbor.h */
void iotsec_cbor_enc_init(struct iotsec_cbor_enc *e, uint8_t *buf, size_t cap)
{
    e->buf = buf;
    e->cap = buf != NULL ? cap : 0;
    e->len = 0;
    e->err = IOTSEC_OK;
}

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_enc_finish(const struct iotsec_cbor_enc *e, struct iotsec_cbuf *out)
{
    if (out != NULL) {
        out->ptr = e->err == IOTSEC_OK ? e->buf : NULL;
        out->len = e->len;
    }
    return e->err;
}

/* Reserve @p n bytes; NULL in size-only mode or after an error. The length
 * keeps counting after an overflow so the caller learns the size needed. */
static uint8_t *reserve(struct iotsec_cbor_enc *e, size_t n)
{
    uint8_t *w = NULL;

    if (e->buf != NULL && e->err == IOTSEC_OK) {
        if (n > e->cap - e->len)
            e->err = IOTSEC_ERR_BUFFER_TOO_SMALL;
        else
            w = e->buf + e->len;
    }
    e->len += n;
    return w;
}

static void put(struct iotsec_cbor_enc *e, const void *p, size_t n)
{
    uint8_t *w = reserve(e, n);

    if (w != NULL && n != 0)
        memcpy(w, p, n);
}

/* Head size for argument @p v with the shortest encoding. */
static unsigned head_len(uint64_t v)
{
    return v < 24 ? 1u : v <= 0xff ? 2u : v <= 0xffff ? 3u : v <= 0xffffffffu ? 5u : 9u;
}

static void write_head(uint8_t *w, unsigned major, uint64_t v, unsigned hl)
{
    unsigned i;

    if (hl == 1) {
        w[0] = (uint8_t)(major << 5 | (unsigned)v);
        return;
    }
    /* hl is 2, 3, 5 or 9: additional information 24..27 */
    w[0] = (uint8_t)(major << 5 | (hl == 2 ? 24u : hl == 3 ? 25u : hl == 5 ? 26u : 27u));
    for (i = hl - 1; i > 0; i--) {
        w[i] = (uint8_t)v;
        v >>= 8;
    }
}

/* see iotsec/cbor.h */
size_t iotsec_cbor_head_encode(uint8_t *out, unsigned major, uint64_t v)
{
    unsigned hl = head_len(v);

    write_head(out, major, v, hl);
    return hl;
}

/* see iotsec/cbor.h */
uint8_t *iotsec_cbor_enc_reserve(struct iotsec_cbor_enc *e, size_t n)
{
    return reserve(e, n);
}

static void head(struct iotsec_cbor_enc *e, unsigned major, uint64_t v)
{
    unsigned hl = head_len(v);
    uint8_t *w = reserve(e, hl);

    if (w != NULL)
        write_head(w, major, v, hl);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_uint(struct iotsec_cbor_enc *e, uint64_t v)
{
    head(e, 0, v);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_nint(struct iotsec_cbor_enc *e, uint64_t n)
{
    head(e, 1, n);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_int(struct iotsec_cbor_enc *e, int64_t v)
{
    /* -1 - v without overflow for INT64_MIN */
    if (v < 0)
        head(e, 1, (uint64_t)(-(v + 1)));
    else
        head(e, 0, (uint64_t)v);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_bstr(struct iotsec_cbor_enc *e, const uint8_t *p, size_t len)
{
    head(e, 2, len);
    put(e, p, len);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_tstr(struct iotsec_cbor_enc *e, const char *s, size_t len)
{
    if (!iotsec_utf8_valid((const uint8_t *)s, len) && e->err == IOTSEC_OK)
        e->err = IOTSEC_ERR_CBOR_BAD_UTF8;
    head(e, 3, len);
    put(e, s, len);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_text(struct iotsec_cbor_enc *e, const char *s)
{
    iotsec_cbor_enc_tstr(e, s, strlen(s));
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_array(struct iotsec_cbor_enc *e, size_t n)
{
    head(e, 4, n);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_map(struct iotsec_cbor_enc *e, size_t n)
{
    head(e, 5, n);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_tag(struct iotsec_cbor_enc *e, uint64_t tag)
{
    head(e, 6, tag);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_simple(struct iotsec_cbor_enc *e, uint8_t v)
{
    if (v >= 24 && v < 32) {
        if (e->err == IOTSEC_OK)
            e->err = IOTSEC_ERR_INVALID_ARG;
        return;
    }
    head(e, 7, v);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_bool(struct iotsec_cbor_enc *e, bool v)
{
    head(e, 7, v ? IOTSEC_CBOR_TRUE : IOTSEC_CBOR_FALSE);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_null(struct iotsec_cbor_enc *e)
{
    head(e, 7, IOTSEC_CBOR_NULL);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_undefined(struct iotsec_cbor_enc *e)
{
    head(e, 7, IOTSEC_CBOR_UNDEFINED);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_float_bits(struct iotsec_cbor_enc *e, uint64_t bits, unsigned size)
{
    uint8_t *w;
    unsigned i;

    if (size != 2 && size != 4 && size != 8) {
        if (e->err == IOTSEC_OK)
            e->err = IOTSEC_ERR_INVALID_ARG;
        return;
    }
    w = reserve(e, 1u + size);
    if (w == NULL)
        return;
    w[0] = (uint8_t)(0xf9u + (size == 2 ? 0u : size == 4 ? 1u : 2u));
    for (i = size; i > 0; i--) {
        w[i] = (uint8_t)bits;
        bits >>= 8;
    }
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_double(struct iotsec_cbor_enc *e, double v)
{
    uint64_t dbits, bits;
    unsigned size;

    memcpy(&dbits, &v, sizeof(dbits));
    size = iotsec_cbor_float_shortest(dbits, &bits);
    iotsec_cbor_enc_float_bits(e, bits, size);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_indef(struct iotsec_cbor_enc *e, enum iotsec_cbor_type major)
{
    uint8_t b = (uint8_t)((unsigned)major << 5 | 31u);

    if (major < IOTSEC_CBOR_BSTR || major > IOTSEC_CBOR_MAP) {
        if (e->err == IOTSEC_OK)
            e->err = IOTSEC_ERR_INVALID_ARG;
        return;
    }
    put(e, &b, 1);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_break(struct iotsec_cbor_enc *e)
{
    static const uint8_t brk = CBOR_BREAK;

    put(e, &brk, 1);
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_raw(struct iotsec_cbor_enc *e, const uint8_t *p, size_t len)
{
    put(e, p, len);
}

/* see iotsec/cbor.h */
size_t iotsec_cbor_enc_bstr_open(struct iotsec_cbor_enc *e)
{
    return e->len;
}

/* see iotsec/cbor.h */
void iotsec_cbor_enc_bstr_close(struct iotsec_cbor_enc *e, size_t mark)
{
    size_t content;
    unsigned hl;
    uint8_t *w;

    if (mark > e->len) {
        if (e->err == IOTSEC_OK)
            e->err = IOTSEC_ERR_INVALID_ARG;
        return;
    }
    content = e->len - mark;
    hl = head_len(content);
    w = reserve(e, hl);
    if (w == NULL)
        return;
    /* The content was written where the head belongs: shift it up. */
    memmove(e->buf + mark + hl, e->buf + mark, content);
    write_head(e->buf + mark, 2, content, hl);
}
