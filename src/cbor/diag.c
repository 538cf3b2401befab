/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Diagnostic notation (RFC 8949 section 8) in the style of Appendix A.
 * Walks the validated input with an explicit stack of cursors, no recursion.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbor_int.h"

struct out {
    char *buf;
    size_t cap;
    size_t len;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->buf != NULL && o->len < o->cap) {
        size_t room = o->cap - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* Decimal of @p v, plus one when @p plus_one (for -1 - n at n = 2^64 - 1). */
static void put_dec(struct out *o, uint64_t v, bool plus_one)
{
    char d[21];
    size_t i = sizeof(d);

    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    if (plus_one) {
        size_t j = sizeof(d);
        while (j > i && d[j - 1] == '9')
            d[--j] = '0';
        if (j > i)
            d[j - 1]++;
        else
            d[--i] = '1';
    }
    put(o, d + i, sizeof(d) - i);
}

static void put_hex(struct out *o, const uint8_t *p, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        char two[2] = {hx[p[i] >> 4], hx[p[i] & 15]};
        put(o, two, 2);
    }
}

static void put_text(struct out *o, const uint8_t *p, size_t n)
{
    size_t i, run = 0;

    for (i = 0; i < n; i++) {
        char esc[8];
        uint8_t c = p[i];

        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
            continue;
        put(o, (const char *)p + run, i - run);
        run = i + 1;
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            put(o, esc, 2);
        } else {
            snprintf(esc, sizeof(esc), "\\u%04x", c);
            put(o, esc, 6);
        }
    }
    put(o, (const char *)p + run, n - run);
}

/* Step the last digit of "[-]d.ddde[+-]XX" in @p s by @p dir (+1 or -1),
 * carrying through the digits; false when that would change the exponent. */
static bool step_last_digit(char *s, int dir)
{
    char *e = strchr(s, 'e'), *q;

    for (q = e - 1; q >= s; q--) {
        if (*q == '.')
            continue;
        if (*q < '0' || *q > '9')
            return false;
        if (dir > 0 && *q < '9') {
            (*q)++;
            return true;
        }
        if (dir < 0 && *q > (q == s || q[-1] == '-' ? '1' : '0')) {
            (*q)--;
            return true;
        }
        if (q == s || q[-1] == '-')
            return false; /* would carry into a new leading digit */
        *q = dir > 0 ? '0' : '9';
    }
    return false;
}

/*
 * Is there a @p prec-digit decimal that reads back as @p v? The nearest one
 * at that precision usually does; near a power of two it may not while a
 * neighbour does, so try the neighbours too and keep the closer one.
 */
static bool shortest_at(double v, int prec, char *s, size_t cap)
{
    char up[40], down[40];
    bool ok_up, ok_down;

    snprintf(s, cap, "%.*e", prec - 1, v);
    if (strtod(s, NULL) == v)
        return true;
    memcpy(up, s, sizeof(up));
    memcpy(down, s, sizeof(down));
    ok_up = step_last_digit(up, 1) && strtod(up, NULL) == v;
    ok_down = step_last_digit(down, -1) && strtod(down, NULL) == v;
    if (ok_up && ok_down) {
        long double d_up = strtold(up, NULL) - (long double)v;
        long double d_down = (long double)v - strtold(down, NULL);
        if (d_up < 0)
            d_up = -d_up;
        if (d_down < 0)
            d_down = -d_down;
        ok_up = d_up <= d_down;
        ok_down = !ok_up;
    }
    if (ok_up)
        memcpy(s, up, sizeof(up));
    else if (ok_down)
        memcpy(s, down, sizeof(down));
    return ok_up || ok_down;
}

/*
 * Shortest decimal that reads back as the same double, written as Appendix A
 * does: plain notation for exponents -4..15 ("100000.0", "1.1"), otherwise
 * "d.ddde+XX"; always with a decimal point.
 */
static void put_double(struct out *o, double v)
{
    char s[40], digits[20], *e;
    int prec, exp10, nd = 0, i;
    size_t n;

    if (isnan(v)) {
        puts_(o, "NaN");
        return;
    }
    if (isinf(v)) {
        puts_(o, v < 0 ? "-Infinity" : "Infinity");
        return;
    }
    for (prec = 1; prec <= 17; prec++) {
        if (shortest_at(v, prec, s, sizeof(s)))
            break;
    }
    /* s is [-]d[.ddd]e[+-]XX: collect the digits and the exponent */
    e = strchr(s, 'e');
    exp10 = atoi(e + 1);
    for (i = 0; s + i < e; i++)
        if (s[i] >= '0' && s[i] <= '9')
            digits[nd++] = s[i];
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    if (s[0] == '-')
        put(o, "-", 1);
    if (exp10 >= -4 && exp10 < 16) {
        if (exp10 < 0) {
            put(o, "0.", 2);
            for (i = -1; i > exp10; i--)
                put(o, "0", 1);
            put(o, digits, (size_t)nd);
        } else {
            for (i = 0; i <= exp10; i++)
                put(o, i < nd ? &digits[i] : "0", 1);
            put(o, ".", 1);
            if (nd > exp10 + 1)
                put(o, digits + exp10 + 1, (size_t)(nd - exp10 - 1));
            else
                put(o, "0", 1);
        }
        return;
    }
    put(o, digits, 1);
    put(o, ".", 1);
    if (nd > 1)
        put(o, digits + 1, (size_t)(nd - 1));
    else
        put(o, "0", 1);
    n = (size_t)snprintf(s, sizeof(s), "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    put(o, s, n);
}

struct level {
    struct iotsec_cbor_dec c;
    size_t idx;       /* items printed at this level */
    unsigned tags;    /* tags around the container that owns this level */
    char close;       /* ']' '}' ')' or 0 at the top */
    bool map;
};

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_diag(const struct iotsec_cbor_dec *d, char *buf, size_t cap,
                                 size_t *out_len)
{
    struct level st[IOTSEC_MAX_CBOR_DEPTH + 2];
    struct out o = {buf, cap, 0};
    unsigned sp = 0;

    memset(&st[0], 0, sizeof(st[0]));
    st[0].c = *d;

    for (;;) {
        struct level *l = &st[sp];
        struct iotsec_cbor_item it;
        unsigned tags = 0;

        if (iotsec_cbor_at_end(&l->c)) {
            unsigned t;
            if (sp == 0)
                break;
            if (l->close == ')' && l->idx == 0) {
                /* an empty indefinite-length string: ''_ or ""_ */
                o.len -= 3;
                puts_(&o, *(l->c.p - 1) == 0x5f ? "''_" : "\"\"_");
            } else {
                put(&o, &l->close, 1);
            }
            for (t = 0; t < l->tags; t++)
                put(&o, ")", 1);
            (void)iotsec_cbor_leave(&st[sp - 1].c, &l->c);
            sp--;
            continue;
        }
        if (l->idx > 0)
            puts_(&o, l->map && (l->idx & 1) ? ": " : ", ");
        l->idx++;

        while (iotsec_cbor_peek_type(&l->c) == IOTSEC_CBOR_TAG) {
            uint64_t tag;
            (void)iotsec_cbor_get_tag(&l->c, &tag);
            put_dec(&o, tag, false);
            put(&o, "(", 1);
            tags++;
        }
        (void)iotsec_cbor_peek(&l->c, &it);
        switch (it.type) {
        case IOTSEC_CBOR_UINT:
        case IOTSEC_CBOR_NINT:
            if (it.type == IOTSEC_CBOR_NINT)
                put(&o, "-", 1);
            put_dec(&o, it.val, it.type == IOTSEC_CBOR_NINT);
            break;
        case IOTSEC_CBOR_BSTR:
        case IOTSEC_CBOR_TSTR:
            if (it.val != IOTSEC_CBOR_INDEFINITE) {
                if (it.type == IOTSEC_CBOR_BSTR) {
                    put(&o, "h'", 2);
                    put_hex(&o, it.str.ptr, it.str.len);
                    put(&o, "'", 1);
                } else {
                    put(&o, "\"", 1);
                    put_text(&o, it.str.ptr, it.str.len);
                    put(&o, "\"", 1);
                }
                break;
            }
            /* An indefinite-length string prints as a container of chunks. */
            /* fall through */
        case IOTSEC_CBOR_ARRAY:
        case IOTSEC_CBOR_MAP: {
            struct level *n = &st[sp + 1];
            bool indef = it.val == IOTSEC_CBOR_INDEFINITE;

            memset(n, 0, sizeof(*n));
            if (it.type == IOTSEC_CBOR_ARRAY) {
                (void)iotsec_cbor_enter_array(&l->c, &n->c, NULL);
                puts_(&o, indef ? "[_ " : "[");
                n->close = ']';
            } else if (it.type == IOTSEC_CBOR_MAP) {
                (void)iotsec_cbor_enter_map(&l->c, &n->c, NULL);
                puts_(&o, indef ? "{_ " : "{");
                n->close = '}';
                n->map = true;
            } else {
                (void)iotsec_cbor_enter_string(&l->c, &n->c);
                puts_(&o, "(_ ");
                n->close = ')';
            }
            n->tags = tags;
            sp++;
            continue;
        }
        case IOTSEC_CBOR_SIMPLE:
            if (it.val == IOTSEC_CBOR_FALSE) {
                puts_(&o, "false");
            } else if (it.val == IOTSEC_CBOR_TRUE) {
                puts_(&o, "true");
            } else if (it.val == IOTSEC_CBOR_NULL) {
                puts_(&o, "null");
            } else if (it.val == IOTSEC_CBOR_UNDEFINED) {
                puts_(&o, "undefined");
            } else {
                puts_(&o, "simple(");
                put_dec(&o, it.val, false);
                put(&o, ")", 1);
            }
            break;
        case IOTSEC_CBOR_FLOAT: {
            double v;
            (void)iotsec_cbor_get_double(&l->c, &v);
            put_double(&o, v);
            /* get_double consumed the item; skip the generic skip below */
            while (tags--)
                put(&o, ")", 1);
            continue;
        }
        default:
            break;
        }
        (void)iotsec_cbor_skip(&l->c);
        while (tags--)
            put(&o, ")", 1);
    }

    if (out_len != NULL)
        *out_len = o.len;
    if (buf != NULL) {
        if (o.len >= cap) {
            if (cap > 0)
                buf[cap - 1] = '\0';
            return IOTSEC_ERR_BUFFER_TOO_SMALL;
        }
        buf[o.len] = '\0';
    }
    return IOTSEC_OK;
}
