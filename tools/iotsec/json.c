/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON <-> CBOR for the JSON-compatible subset (RFC 8949 sections 6.1, 6.2).
 *
 * JSON to CBOR: strict RFC 8259 parsing (no trailing commas, no comments,
 * no duplicate object keys, valid UTF-8, no lone surrogates). Integers
 * become CBOR integers, or bignums (tags 2 and 3) beyond 64 bits; other
 * numbers become floats in preferred serialization.
 *
 * CBOR to JSON: integers and bignums become numbers, text strings strings,
 * byte strings base64url strings without padding, finite floats numbers.
 * Anything JSON cannot carry faithfully (other tags, undefined, other simple
 * values, NaN and infinities, non-text map keys) is refused with its offset.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum jtype { J_NULL, J_FALSE, J_TRUE, J_INT, J_FLOAT, J_STR, J_ARR, J_OBJ };

struct jnode {
    enum jtype t;
    char *s;         /* J_STR: decoded UTF-8; J_INT: the digits (with '-') */
    size_t slen;
    double d;        /* J_FLOAT */
    struct jnode *kids; /* J_ARR: items; J_OBJ: key, value, key, value, ... */
    size_t n, cap;
};

struct jparser {
    const char *p, *start, *end;
    char err[160];
};

static void jfree(struct jnode *n)
{
    size_t i;

    for (i = 0; i < n->n; i++)
        jfree(&n->kids[i]);
    free(n->kids);
    free(n->s);
}

static void where(const struct jparser *jp, const char *at, size_t *line, size_t *col)
{
    const char *q;

    *line = 1;
    *col = 1;
    for (q = jp->start; q < at; q++) {
        if (*q == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static int jerr(struct jparser *jp, const char *at, const char *what)
{
    size_t line, col;

    if (jp->err[0] == '\0') {
        where(jp, at, &line, &col);
        snprintf(jp->err, sizeof(jp->err), "JSON line %zu column %zu: %s", line, col, what);
    }
    return -1;
}

static void skip_ws(struct jparser *jp)
{
    while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\n' || *jp->p == '\r'))
        jp->p++;
}

static int hex4(const char *p, unsigned *v)
{
    int i;

    *v = 0;
    for (i = 0; i < 4; i++) {
        char c = p[i];
        *v <<= 4;
        if (c >= '0' && c <= '9')
            *v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            *v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            *v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    return 0;
}

static void put_utf8(struct cli_buf *b, unsigned cp)
{
    uint8_t u[4];
    size_t n;

    if (cp < 0x80) {
        u[0] = (uint8_t)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (uint8_t)(0xc0 | cp >> 6);
        u[1] = (uint8_t)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (uint8_t)(0xe0 | cp >> 12);
        u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (uint8_t)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        u[0] = (uint8_t)(0xf0 | cp >> 18);
        u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (uint8_t)(0x80 | (cp & 0x3f));
        n = 4;
    }
    cli_buf_put(b, u, n);
}

static int parse_string(struct jparser *jp, struct jnode *out)
{
    struct cli_buf b = {0};
    const char *at = jp->p;

    jp->p++; /* opening quote */
    for (;;) {
        char c;
        if (jp->p >= jp->end) {
            cli_buf_free(&b);
            return jerr(jp, at, "unterminated string");
        }
        c = *jp->p++;
        if (c == '"')
            break;
        if ((unsigned char)c < 0x20) {
            cli_buf_free(&b);
            return jerr(jp, jp->p - 1, "control character in string");
        }
        if (c != '\\') {
            cli_buf_put(&b, &c, 1);
            continue;
        }
        if (jp->p >= jp->end) {
            cli_buf_free(&b);
            return jerr(jp, at, "unterminated string");
        }
        c = *jp->p++;
        switch (c) {
        case '"': case '\\': case '/': cli_buf_put(&b, &c, 1); break;
        case 'b': cli_buf_put(&b, "\b", 1); break;
        case 'f': cli_buf_put(&b, "\f", 1); break;
        case 'n': cli_buf_put(&b, "\n", 1); break;
        case 'r': cli_buf_put(&b, "\r", 1); break;
        case 't': cli_buf_put(&b, "\t", 1); break;
        case 'u': {
            unsigned cp, lo;
            if (jp->end - jp->p < 4 || hex4(jp->p, &cp) != 0) {
                cli_buf_free(&b);
                return jerr(jp, jp->p - 2, "bad \\u escape");
            }
            jp->p += 4;
            if (cp >= 0xd800 && cp < 0xdc00) {
                if (jp->end - jp->p < 6 || jp->p[0] != '\\' || jp->p[1] != 'u' ||
                    hex4(jp->p + 2, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff) {
                    cli_buf_free(&b);
                    return jerr(jp, jp->p - 6, "lone surrogate in \\u escape");
                }
                jp->p += 6;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp < 0xe000) {
                cli_buf_free(&b);
                return jerr(jp, jp->p - 6, "lone surrogate in \\u escape");
            }
            put_utf8(&b, cp);
            break;
        }
        default:
            cli_buf_free(&b);
            return jerr(jp, jp->p - 2, "bad escape in string");
        }
    }
    out->t = J_STR;
    out->slen = b.len;
    if (b.p == NULL)
        cli_buf_put(&b, "", 0);
    out->s = (char *)b.p;
    return 0;
}

static int parse_number(struct jparser *jp, struct jnode *out)
{
    const char *s = jp->p, *q = jp->p;
    bool is_int = true;

    if (q < jp->end && *q == '-')
        q++;
    if (q >= jp->end || *q < '0' || *q > '9')
        return jerr(jp, s, "bad number");
    if (*q == '0') {
        q++;
        if (q < jp->end && *q >= '0' && *q <= '9')
            return jerr(jp, s, "leading zero in number");
    } else {
        while (q < jp->end && *q >= '0' && *q <= '9')
            q++;
    }
    if (q < jp->end && *q == '.') {
        is_int = false;
        q++;
        if (q >= jp->end || *q < '0' || *q > '9')
            return jerr(jp, s, "bad fraction in number");
        while (q < jp->end && *q >= '0' && *q <= '9')
            q++;
    }
    if (q < jp->end && (*q == 'e' || *q == 'E')) {
        is_int = false;
        q++;
        if (q < jp->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= jp->end || *q < '0' || *q > '9')
            return jerr(jp, s, "bad exponent in number");
        while (q < jp->end && *q >= '0' && *q <= '9')
            q++;
    }
    out->slen = (size_t)(q - s);
    out->s = malloc(out->slen + 1);
    if (out->s == NULL)
        return jerr(jp, s, "out of memory");
    memcpy(out->s, s, out->slen);
    out->s[out->slen] = 0;
    if (is_int) {
        out->t = J_INT;
    } else {
        out->t = J_FLOAT;
        out->d = strtod(out->s, NULL);
        if (!isfinite(out->d))
            return jerr(jp, s, "number is too large for a double");
    }
    jp->p = q;
    return 0;
}

static int parse_value(struct jparser *jp, struct jnode *out, unsigned depth);

static struct jnode *add_kid(struct jnode *n)
{
    if (n->n == n->cap) {
        n->cap = n->cap ? n->cap * 2 : 8;
        n->kids = realloc(n->kids, n->cap * sizeof(*n->kids));
        if (n->kids == NULL) {
            fputs("iotsec: out of memory\n", stderr);
            exit(CLI_IO);
        }
    }
    memset(&n->kids[n->n], 0, sizeof(n->kids[0]));
    return &n->kids[n->n++];
}

static int parse_container(struct jparser *jp, struct jnode *out, unsigned depth)
{
    bool obj = *jp->p == '{';
    char close = obj ? '}' : ']';

    if (depth >= IOTSEC_MAX_CBOR_DEPTH)
        return jerr(jp, jp->p, "nesting is deeper than iotsec's CBOR limit");
    out->t = obj ? J_OBJ : J_ARR;
    jp->p++;
    skip_ws(jp);
    if (jp->p < jp->end && *jp->p == close) {
        jp->p++;
        return 0;
    }
    for (;;) {
        skip_ws(jp);
        if (obj) {
            struct jnode *k;
            size_t i;
            const char *at = jp->p;
            if (jp->p >= jp->end || *jp->p != '"')
                return jerr(jp, jp->p, "expected a string key");
            k = add_kid(out);
            if (parse_string(jp, k) != 0)
                return -1;
            for (i = 0; i + 1 < out->n; i += 2)
                if (out->kids[i].slen == k->slen && memcmp(out->kids[i].s, k->s, k->slen) == 0)
                    return jerr(jp, at, "duplicate key in object");
            skip_ws(jp);
            if (jp->p >= jp->end || *jp->p != ':')
                return jerr(jp, jp->p, "expected ':'");
            jp->p++;
        }
        if (parse_value(jp, add_kid(out), depth + 1) != 0)
            return -1;
        skip_ws(jp);
        if (jp->p < jp->end && *jp->p == ',') {
            jp->p++;
            continue;
        }
        if (jp->p < jp->end && *jp->p == close) {
            jp->p++;
            return 0;
        }
        return jerr(jp, jp->p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int parse_value(struct jparser *jp, struct jnode *out, unsigned depth)
{
    static const struct {
        const char *word;
        enum jtype t;
    } words[] = {{"null", J_NULL}, {"false", J_FALSE}, {"true", J_TRUE}};
    size_t i;

    skip_ws(jp);
    if (jp->p >= jp->end)
        return jerr(jp, jp->p, "unexpected end of input");
    switch (*jp->p) {
    case '{':
    case '[':
        return parse_container(jp, out, depth);
    case '"':
        return parse_string(jp, out);
    default:
        break;
    }
    for (i = 0; i < 3; i++) {
        size_t n = strlen(words[i].word);
        if ((size_t)(jp->end - jp->p) >= n && memcmp(jp->p, words[i].word, n) == 0) {
            jp->p += n;
            out->t = words[i].t;
            return 0;
        }
    }
    return parse_number(jp, out);
}

/* Decimal digits to big-endian magnitude bytes (repeated multiply-add). */
static void dec_to_bytes(const char *digits, size_t n, struct cli_buf *out)
{
    size_t i, j;

    out->len = 0;
    for (i = 0; i < n; i++) {
        unsigned carry = (unsigned)(digits[i] - '0');
        for (j = out->len; j-- > 0;) {
            unsigned v = out->p[j] * 10u + carry;
            out->p[j] = (uint8_t)v;
            carry = v >> 8;
        }
        while (carry) {
            uint8_t b = (uint8_t)carry;
            cli_buf_reserve(out, 1);
            memmove(out->p + 1, out->p, out->len);
            out->p[0] = b;
            out->len++;
            carry >>= 8;
        }
    }
}

/* Magnitude minus one, in place (the magnitude is at least 1). */
static void bytes_dec(struct cli_buf *b)
{
    size_t j = b->len;

    while (j-- > 0) {
        if (b->p[j]-- != 0)
            break;
    }
    while (b->len > 0 && b->p[0] == 0) {
        memmove(b->p, b->p + 1, b->len - 1);
        b->len--;
    }
}

static void encode_int(struct iotsec_cbor_enc *e, const struct jnode *n)
{
    bool neg = n->s[0] == '-';
    const char *digits = n->s + neg;
    size_t nd = n->slen - neg;
    struct cli_buf mag = {0};

    dec_to_bytes(digits, nd, &mag);
    if (neg) {
        if (mag.len == 0) { /* "-0" is the integer 0 */
            iotsec_cbor_enc_uint(e, 0);
            cli_buf_free(&mag);
            return;
        }
        bytes_dec(&mag); /* CBOR stores -1 - n */
    }
    if (mag.len <= 8) {
        uint64_t v = 0;
        size_t i;
        for (i = 0; i < mag.len; i++)
            v = v << 8 | mag.p[i];
        if (neg)
            iotsec_cbor_enc_nint(e, v);
        else
            iotsec_cbor_enc_uint(e, v);
    } else {
        iotsec_cbor_enc_tag(e, neg ? 3 : 2);
        iotsec_cbor_enc_bstr(e, mag.p, mag.len);
    }
    cli_buf_free(&mag);
}

/* Order of two text keys by their CBOR encodings (RFC 8949 4.2.1): the
 * head holds the length, so shorter strings sort first. */
static int key_order(const void *a, const void *b)
{
    const struct jnode *ka = *(const struct jnode *const *)a, *kb = *(const struct jnode *const *)b;

    if (ka->slen != kb->slen)
        return ka->slen < kb->slen ? -1 : 1;
    return memcmp(ka->s, kb->s, ka->slen);
}

static void encode_node(struct iotsec_cbor_enc *e, const struct jnode *n, bool det)
{
    size_t i;

    switch (n->t) {
    case J_NULL: iotsec_cbor_enc_null(e); break;
    case J_FALSE: iotsec_cbor_enc_bool(e, false); break;
    case J_TRUE: iotsec_cbor_enc_bool(e, true); break;
    case J_INT: encode_int(e, n); break;
    case J_FLOAT: iotsec_cbor_enc_double(e, n->d); break;
    case J_STR: iotsec_cbor_enc_tstr(e, n->s, n->slen); break;
    case J_ARR:
        iotsec_cbor_enc_array(e, n->n);
        for (i = 0; i < n->n; i++)
            encode_node(e, &n->kids[i], det);
        break;
    case J_OBJ: {
        /* keys in document order, or sorted for deterministic encoding */
        const struct jnode **keys = malloc((n->n / 2 + 1) * sizeof(*keys));
        if (keys == NULL) {
            fputs("iotsec: out of memory\n", stderr);
            exit(CLI_IO);
        }
        for (i = 0; i < n->n / 2; i++)
            keys[i] = &n->kids[2 * i];
        if (det)
            qsort(keys, n->n / 2, sizeof(*keys), key_order);
        iotsec_cbor_enc_map(e, n->n / 2);
        for (i = 0; i < n->n / 2; i++) {
            encode_node(e, keys[i], det);
            encode_node(e, keys[i] + 1, det);
        }
        free(keys);
        break;
    }
    }
}

int cli_json_to_cbor(const char *text, size_t len, struct cli_buf *out, bool det)
{
    struct jparser jp;
    struct jnode root;
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf res;
    enum iotsec_err err;
    int rc = CLI_OK;

    memset(&jp, 0, sizeof(jp));
    memset(&root, 0, sizeof(root));
    jp.p = jp.start = text;
    jp.end = text + len;
    if (!iotsec_utf8_valid((const uint8_t *)text, len))
        return cli_fail(CLI_REJECT, "JSON input is not valid UTF-8");
    if (parse_value(&jp, &root, 0) != 0) {
        rc = cli_fail(CLI_REJECT, "%s", jp.err);
        goto out;
    }
    skip_ws(&jp);
    if (jp.p != jp.end) {
        jerr(&jp, jp.p, "trailing characters after the JSON value");
        rc = cli_fail(CLI_REJECT, "%s", jp.err);
        goto out;
    }
    iotsec_cbor_enc_init(&e, NULL, 0);
    encode_node(&e, &root, det);
    out->len = 0;
    cli_buf_reserve(out, e.len + 1);
    iotsec_cbor_enc_init(&e, out->p, out->cap);
    encode_node(&e, &root, det);
    err = iotsec_cbor_enc_finish(&e, &res);
    if (err != IOTSEC_OK) {
        rc = cli_fail(cli_exit_for(err), "cannot encode CBOR: %s", iotsec_err_str(err));
        goto out;
    }
    out->len = res.len;
out:
    jfree(&root);
    return rc;
}

/* ---- CBOR to JSON ---- */

static void json_string(struct cli_buf *o, const uint8_t *p, size_t n)
{
    size_t i, run = 0;

    cli_buf_put(o, "\"", 1);
    for (i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        cli_buf_put(o, p + run, i - run);
        run = i + 1;
        if (c == '"')
            cli_buf_puts(o, "\\\"");
        else if (c == '\\')
            cli_buf_puts(o, "\\\\");
        else if (c == '\n')
            cli_buf_puts(o, "\\n");
        else if (c == '\t')
            cli_buf_puts(o, "\\t");
        else if (c == '\r')
            cli_buf_puts(o, "\\r");
        else
            cli_buf_printf(o, "\\u%04x", c);
    }
    cli_buf_put(o, p + run, n - run);
    cli_buf_put(o, "\"", 1);
}

/* Big-endian magnitude to decimal, plus one when @p plus_one. */
static void bytes_to_dec(struct cli_buf *o, const uint8_t *p, size_t n, bool plus_one)
{
    struct cli_buf work = {0}, digits = {0};
    size_t i;

    cli_buf_put(&work, p, n);
    if (plus_one) {
        size_t j = work.len;
        bool carry = true;
        while (carry && j-- > 0)
            carry = ++work.p[j] == 0;
        if (carry) {
            uint8_t one = 1;
            cli_buf_reserve(&work, 1);
            memmove(work.p + 1, work.p, work.len);
            work.p[0] = one;
            work.len++;
        }
    }
    for (;;) {
        unsigned rem = 0;
        bool zero = true;
        for (i = 0; i < work.len; i++) {
            unsigned v = rem << 8 | work.p[i];
            work.p[i] = (uint8_t)(v / 10);
            rem = v % 10;
            if (work.p[i] != 0)
                zero = false;
        }
        {
            char c = (char)('0' + rem);
            cli_buf_put(&digits, &c, 1);
        }
        if (zero)
            break;
    }
    for (i = digits.len; i-- > 0;)
        cli_buf_put(o, &digits.p[i], 1);
    cli_buf_free(&work);
    cli_buf_free(&digits);
}

/* A text string as a JSON string, a byte string as base64url. */
static void put_string(struct cli_buf *o, bool text, const uint8_t *p, size_t n)
{
    if (text) {
        json_string(o, p, n);
    } else {
        cli_buf_put(o, "\"", 1);
        cli_b64url_encode(o, p, n);
        cli_buf_put(o, "\"", 1);
    }
}

static void indent(struct cli_buf *o, bool pretty, unsigned depth)
{
    unsigned i;

    if (!pretty)
        return;
    cli_buf_put(o, "\n", 1);
    for (i = 0; i < depth; i++)
        cli_buf_put(o, "  ", 2);
}

static int refuse(const struct iotsec_cbor_item *it, const char *what)
{
    return cli_fail(CLI_REJECT, "%s at offset %zu is outside the JSON-compatible subset", what,
                    it->offset);
}

int cli_cbor_to_json(const struct iotsec_cbor_dec *d, struct cli_buf *o, bool pretty)
{
    struct jlevel {
        struct iotsec_cbor_dec c;
        size_t idx;
        bool map;
    } st[IOTSEC_MAX_CBOR_DEPTH + 2];
    unsigned sp = 0;

    memset(&st[0], 0, sizeof(st[0]));
    st[0].c = *d;
    for (;;) {
        struct iotsec_cbor_item it;
        struct jlevel *l = &st[sp];

        if (iotsec_cbor_at_end(&l->c)) {
            if (sp == 0)
                break;
            if (l->idx > 0)
                indent(o, pretty, sp - 1);
            cli_buf_put(o, l->map ? "}" : "]", 1);
            (void)iotsec_cbor_leave(&st[sp - 1].c, &l->c);
            sp--;
            continue;
        }
        (void)iotsec_cbor_peek(&l->c, &it);
        if (!l->map || (l->idx & 1) == 0) {
            if (l->idx > 0)
                cli_buf_put(o, ",", 1);
            if (sp > 0)
                indent(o, pretty, sp);
        } else {
            cli_buf_put(o, pretty ? ": " : ":", pretty ? 2 : 1);
        }
        if (l->map && (l->idx & 1) == 0 && it.type != IOTSEC_CBOR_TSTR)
            return refuse(&it, "a map key that is not a text string");
        l->idx++;

        switch (it.type) {
        case IOTSEC_CBOR_UINT:
        case IOTSEC_CBOR_NINT:
            if (it.type == IOTSEC_CBOR_NINT)
                cli_buf_put(o, "-", 1);
            {
                uint8_t be[8];
                int i;
                for (i = 0; i < 8; i++)
                    be[i] = (uint8_t)(it.val >> (56 - 8 * i));
                bytes_to_dec(o, be, 8, it.type == IOTSEC_CBOR_NINT);
            }
            break;
        case IOTSEC_CBOR_TAG: {
            uint64_t tag;
            struct iotsec_cbor_dec peek = l->c;
            struct iotsec_cbuf mag;
            (void)iotsec_cbor_get_tag(&peek, &tag);
            if ((tag != 2 && tag != 3) || iotsec_cbor_get_bstr(&peek, &mag) != IOTSEC_OK) {
                char what[64];
                snprintf(what, sizeof(what), "tag %llu", (unsigned long long)tag);
                return refuse(&it, what);
            }
            if (tag == 3)
                cli_buf_put(o, "-", 1);
            bytes_to_dec(o, mag.ptr, mag.len, tag == 3);
            l->c = peek;
            continue;
        }
        case IOTSEC_CBOR_TSTR:
        case IOTSEC_CBOR_BSTR:
            if (it.val == IOTSEC_CBOR_INDEFINITE) {
                /* JSON has no chunks: concatenate them */
                struct iotsec_cbor_dec s;
                struct iotsec_cbuf chunk;
                struct cli_buf all = {0};
                bool text = it.type == IOTSEC_CBOR_TSTR;
                (void)iotsec_cbor_enter_string(&l->c, &s);
                while ((text ? iotsec_cbor_get_tstr(&s, &chunk) : iotsec_cbor_get_bstr(&s, &chunk)) ==
                       IOTSEC_OK)
                    cli_buf_put(&all, chunk.ptr, chunk.len);
                (void)iotsec_cbor_leave(&l->c, &s);
                put_string(o, text, all.p, all.len);
                cli_buf_free(&all);
                continue;
            }
            put_string(o, it.type == IOTSEC_CBOR_TSTR, it.str.ptr, it.str.len);
            break;
        case IOTSEC_CBOR_ARRAY:
        case IOTSEC_CBOR_MAP:
            if (sp + 1 >= IOTSEC_MAX_CBOR_DEPTH + 2)
                return refuse(&it, "nesting");
            memset(&st[sp + 1], 0, sizeof(st[0]));
            st[sp + 1].map = it.type == IOTSEC_CBOR_MAP;
            if (it.type == IOTSEC_CBOR_MAP)
                (void)iotsec_cbor_enter_map(&l->c, &st[sp + 1].c, NULL);
            else
                (void)iotsec_cbor_enter_array(&l->c, &st[sp + 1].c, NULL);
            cli_buf_put(o, it.type == IOTSEC_CBOR_MAP ? "{" : "[", 1);
            sp++;
            continue;
        case IOTSEC_CBOR_SIMPLE:
            if (it.val == IOTSEC_CBOR_FALSE)
                cli_buf_puts(o, "false");
            else if (it.val == IOTSEC_CBOR_TRUE)
                cli_buf_puts(o, "true");
            else if (it.val == IOTSEC_CBOR_NULL)
                cli_buf_puts(o, "null");
            else
                return refuse(&it, it.val == IOTSEC_CBOR_UNDEFINED ? "undefined" : "a simple value");
            break;
        case IOTSEC_CBOR_FLOAT: {
            double v;
            char num[40];
            struct iotsec_cbor_dec one = l->c;
            (void)iotsec_cbor_get_double(&one, &v);
            if (!isfinite(v))
                return refuse(&it, isnan(v) ? "NaN" : "an infinite float");
            {
                /* diagnostic notation prints finite floats as valid JSON numbers */
                struct iotsec_cbor_enc e;
                uint8_t enc[9];
                struct iotsec_cbuf b;
                struct iotsec_cbor_dec fd;
                size_t nl;
                iotsec_cbor_enc_init(&e, enc, sizeof(enc));
                iotsec_cbor_enc_float_bits(&e, it.val, it.float_size);
                (void)iotsec_cbor_enc_finish(&e, &b);
                (void)iotsec_cbor_dec_init(&fd, b.ptr, b.len, 0, NULL);
                (void)iotsec_cbor_diag(&fd, num, sizeof(num), &nl);
                cli_buf_put(o, num, nl);
            }
            break;
        }
        default:
            return refuse(&it, "an item");
        }
        (void)iotsec_cbor_skip(&l->c);
    }
    if (pretty)
        cli_buf_put(o, "\n", 1);
    return CLI_OK;
}

/* ---- JSON writer ---- */

void cli_jw_init(struct cli_jw *w, struct cli_buf *o)
{
    memset(w, 0, sizeof(*w));
    w->o = o;
}

static void jw_newline(struct cli_jw *w)
{
    unsigned i;

    cli_buf_put(w->o, "\n", 1);
    for (i = 0; i < w->depth; i++)
        cli_buf_put(w->o, "  ", 2);
}

/* Before a value: nothing after a key, else the comma and the new line. */
static void jw_value(struct cli_jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->need_comma)
        cli_buf_put(w->o, ",", 1);
    if (w->depth > 0)
        jw_newline(w);
}

void cli_jw_begin(struct cli_jw *w, char open)
{
    jw_value(w);
    cli_buf_put(w->o, &open, 1);
    w->depth++;
    w->need_comma = false;
}

void cli_jw_end(struct cli_jw *w, char close)
{
    w->depth--;
    if (w->need_comma)
        jw_newline(w);
    cli_buf_put(w->o, &close, 1);
    w->need_comma = true;
    if (w->depth == 0)
        cli_buf_put(w->o, "\n", 1);
}

void cli_jw_keyn(struct cli_jw *w, const char *key, size_t n)
{
    if (w->need_comma)
        cli_buf_put(w->o, ",", 1);
    jw_newline(w);
    json_string(w->o, (const uint8_t *)key, n);
    cli_buf_put(w->o, ": ", 2);
    w->after_key = true;
    w->need_comma = true;
}

void cli_jw_key(struct cli_jw *w, const char *key)
{
    cli_jw_keyn(w, key, strlen(key));
}

void cli_jw_strn(struct cli_jw *w, const char *s, size_t n)
{
    jw_value(w);
    json_string(w->o, (const uint8_t *)s, n);
    w->need_comma = true;
}

void cli_jw_str(struct cli_jw *w, const char *s)
{
    cli_jw_strn(w, s, strlen(s));
}

void cli_jw_b64(struct cli_jw *w, const uint8_t *p, size_t n)
{
    jw_value(w);
    put_string(w->o, false, p, n);
    w->need_comma = true;
}

void cli_jw_hex(struct cli_jw *w, const uint8_t *p, size_t n)
{
    jw_value(w);
    cli_buf_put(w->o, "\"", 1);
    cli_hex_encode(w->o, p, n);
    cli_buf_put(w->o, "\"", 1);
    w->need_comma = true;
}

void cli_jw_int(struct cli_jw *w, int64_t v)
{
    jw_value(w);
    cli_buf_printf(w->o, "%lld", (long long)v);
    w->need_comma = true;
}

void cli_jw_name_or_int(struct cli_jw *w, const char *name, int64_t v)
{
    if (name != NULL)
        cli_jw_str(w, name);
    else
        cli_jw_int(w, v);
}

void cli_jw_uint(struct cli_jw *w, uint64_t v)
{
    jw_value(w);
    cli_buf_printf(w->o, "%llu", (unsigned long long)v);
    w->need_comma = true;
}

void cli_jw_bool(struct cli_jw *w, bool v)
{
    jw_value(w);
    cli_buf_puts(w->o, v ? "true" : "false");
    w->need_comma = true;
}

void cli_jw_null(struct cli_jw *w)
{
    jw_value(w);
    cli_buf_puts(w->o, "null");
    w->need_comma = true;
}

/* The next item of @p d as a string of its diagnostic notation (consumed). */
static void jw_diag(struct cli_jw *w, struct iotsec_cbor_dec *d, bool key)
{
    struct cli_buf t = {0};

    cli_put_diag(&t, d);
    if (key)
        cli_jw_keyn(w, t.p != NULL ? (const char *)t.p : "", t.len);
    else
        cli_jw_strn(w, t.p != NULL ? (const char *)t.p : "", t.len);
    cli_buf_free(&t);
}

/* A map key: text as is, integers in decimal, anything else as diagnostic notation. */
static void jw_cbor_key(struct cli_jw *w, struct iotsec_cbor_dec *d)
{
    struct iotsec_cbuf s;
    int64_t v;
    char num[24];

    if (iotsec_cbor_get_tstr(d, &s) == IOTSEC_OK) {
        cli_jw_keyn(w, (const char *)s.ptr, s.len);
    } else if (iotsec_cbor_get_int(d, &v) == IOTSEC_OK) {
        snprintf(num, sizeof(num), "%lld", (long long)v);
        cli_jw_key(w, num);
    } else {
        jw_diag(w, d, true);
    }
}

void cli_jw_cbor(struct cli_jw *w, struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_item it;
    struct iotsec_cbor_dec c, one;
    double v;

    if (iotsec_cbor_peek(d, &it) != IOTSEC_OK) {
        cli_jw_null(w);
        return;
    }
    switch (it.type) {
    case IOTSEC_CBOR_UINT:
        cli_jw_uint(w, it.val);
        break;
    case IOTSEC_CBOR_NINT:
        if (it.val <= (uint64_t)INT64_MAX) {
            cli_jw_int(w, -1 - (int64_t)it.val);
        } else {
            /* below INT64_MIN: -1 - val, exactly */
            uint8_t be[8];
            int i;
            for (i = 0; i < 8; i++)
                be[i] = (uint8_t)(it.val >> (56 - 8 * i));
            jw_value(w);
            cli_buf_put(w->o, "-", 1);
            bytes_to_dec(w->o, be, 8, true);
            w->need_comma = true;
        }
        break;
    case IOTSEC_CBOR_BSTR:
    case IOTSEC_CBOR_TSTR:
        if (it.val == IOTSEC_CBOR_INDEFINITE) {
            jw_diag(w, d, false);
            return;
        }
        if (it.type == IOTSEC_CBOR_BSTR)
            cli_jw_b64(w, it.str.ptr, it.str.len);
        else
            cli_jw_strn(w, (const char *)it.str.ptr, it.str.len);
        break;
    case IOTSEC_CBOR_ARRAY:
    case IOTSEC_CBOR_MAP:
        cli_jw_begin(w, it.type == IOTSEC_CBOR_MAP ? '{' : '[');
        if (it.type == IOTSEC_CBOR_MAP)
            (void)iotsec_cbor_enter_map(d, &c, NULL);
        else
            (void)iotsec_cbor_enter_array(d, &c, NULL);
        while (!iotsec_cbor_at_end(&c)) {
            if (it.type == IOTSEC_CBOR_MAP)
                jw_cbor_key(w, &c);
            cli_jw_cbor(w, &c);
        }
        (void)iotsec_cbor_leave(d, &c);
        cli_jw_end(w, it.type == IOTSEC_CBOR_MAP ? '}' : ']');
        return;
    case IOTSEC_CBOR_SIMPLE:
        if (it.val == IOTSEC_CBOR_TRUE || it.val == IOTSEC_CBOR_FALSE)
            cli_jw_bool(w, it.val == IOTSEC_CBOR_TRUE);
        else if (it.val == IOTSEC_CBOR_NULL)
            cli_jw_null(w);
        else {
            jw_diag(w, d, false);
            return;
        }
        break;
    case IOTSEC_CBOR_FLOAT:
        one = *d;
        if (iotsec_cbor_get_double(&one, &v) == IOTSEC_OK && isfinite(v)) {
            jw_value(w);
            cli_put_diag(w->o, d); /* finite floats in diagnostic notation are JSON numbers */
            w->need_comma = true;
            return;
        }
        jw_diag(w, d, false);
        return;
    default:
        jw_diag(w, d, false);
        return;
    }
    (void)iotsec_cbor_skip(d);
}
