/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the CBOR decoder. The first byte picks the flags.
 * Whatever validates must then survive every pull API without a fault, and
 * must satisfy the codec's own invariants:
 *   - a faithful re-encoding of deterministic input equals the input;
 *   - the span of the single item is the whole input;
 *   - diagnostic notation in size-only mode agrees with the real run;
 *   - the re-encoding of accepted input validates again, unless a map has
 *     keys that are compared by their encoding (tagged items, floats,
 *     containers, indefinite strings; see iotsec/cbor.h), where re-encoding
 *     with shortest heads can turn two distinct encodings into one;
 *   - validation of one item and of a sequence agree (in a build for speed
 *     the first may take the fast scanner, the second never does);
 *   - iotsec_cbor_tokens() agrees with validation on every input, and its
 *     tokens with the pull decoder's items (one more fast/general pair:
 *     one item, and the same input as a sequence).
 */
#include <stdlib.h>
#include <string.h>

#include "../tests/cbor_copy.h"
#include "iotsec/cbor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk_maps(const struct iotsec_cbor_dec *top)
{
    static const int64_t labels[] = {1, 2, 3, 4, -1, -2, 256, 1000};
    struct iotsec_cbor_dec st[IOTSEC_MAX_CBOR_DEPTH + 2], vals[8], v;
    unsigned sp = 0;

    st[0] = *top;
    for (;;) {
        struct iotsec_cbor_item it;

        if (iotsec_cbor_get_item(&st[sp], &it, &st[sp + 1]) != IOTSEC_OK) {
            if (sp == 0)
                return;
            if (iotsec_cbor_leave(&st[sp - 1], &st[sp]) != IOTSEC_OK)
                abort();
            sp--;
            continue;
        }
        if (it.type == IOTSEC_CBOR_MAP) {
            /* exercise the lookups on a copy, leaving the walk intact */
            struct iotsec_cbor_dec m = st[sp + 1];
            (void)iotsec_cbor_map_find_int(&m, 1, &v);
            (void)iotsec_cbor_map_find_tstr(&m, "a", 1, &v);
            (void)iotsec_cbor_map_find_ints(&m, labels, 8, vals);
            if (!iotsec_cbor_at_end(&m))
                abort();
        }
        sp += it.container;
    }
}

/* Does any map under @p top have a key that is not an integer or a
 * definite-length string? */
static int has_raw_keys(const struct iotsec_cbor_dec *top)
{
    struct iotsec_cbor_dec st[IOTSEC_MAX_CBOR_DEPTH + 2];
    size_t idx[IOTSEC_MAX_CBOR_DEPTH + 2];
    int is_map[IOTSEC_MAX_CBOR_DEPTH + 2];
    unsigned sp = 0;
    int in_tag = 0;

    st[0] = *top;
    idx[0] = 0;
    is_map[0] = 0;
    for (;;) {
        struct iotsec_cbor_item it;

        if (iotsec_cbor_get_item(&st[sp], &it, &st[sp + 1]) != IOTSEC_OK) {
            if (sp == 0)
                return 0;
            (void)iotsec_cbor_leave(&st[sp - 1], &st[sp]);
            sp--;
            continue;
        }
        if (is_map[sp] && idx[sp] % 2 == 0 && !in_tag &&
            (it.type > IOTSEC_CBOR_TSTR || it.container))
            return 1;
        in_tag = it.type == IOTSEC_CBOR_TAG;
        if (!in_tag)
            idx[sp]++;
        if (it.container) {
            sp++;
            idx[sp] = 0;
            is_map[sp] = it.type == IOTSEC_CBOR_MAP;
        }
    }
}

/* The tokens of @p buf with @p flags must agree with the validation
 * result @p want (and @p want_off); for valid input, with @p ref (NULL:
 * nothing to compare) and with a walk of the pull decoder from @p top. */
static struct iotsec_cbor_token *check_tokens(const uint8_t *buf, size_t size, unsigned flags,
                                              enum iotsec_err want, size_t want_off,
                                              const struct iotsec_cbor_token *ref, size_t ref_n,
                                              size_t *n_out)
{
    size_t cap = size ? size : 1, n = 0, off = 0, i;
    struct iotsec_cbor_token *tok = malloc(cap * sizeof(*tok));
    enum iotsec_err err = iotsec_cbor_tokens(buf, size, flags, tok, cap, &n, &off);

    if (err != want || (err != IOTSEC_OK && off != want_off) || (err == IOTSEC_OK && n > size))
        abort();
    if (err == IOTSEC_OK && n > 1) {
        /* too small a list: the count all the same, and the error */
        size_t n2 = 0;
        if (iotsec_cbor_tokens(buf, size, flags, tok, n - 1, &n2, NULL) !=
                IOTSEC_ERR_BUFFER_TOO_SMALL ||
            n2 != n)
            abort();
        (void)iotsec_cbor_tokens(buf, size, flags, tok, cap, &n, NULL);
    }
    if (err == IOTSEC_OK) {
        for (i = 0; i < n; i++)
            if (tok[i].size == 0 || tok[i].size > n - i || tok[i].at < buf ||
                tok[i].at + tok[i].head > buf + size)
                abort();
        if (ref != NULL && ref_n != n)
            abort();
        for (i = 0; ref != NULL && i < n; i++)
            if (ref[i].val != tok[i].val || ref[i].at != tok[i].at || ref[i].size != tok[i].size ||
                ref[i].type != tok[i].type || ref[i].head != tok[i].head)
                abort();
    }
    *n_out = n;
    return tok;
}

/* The pull decoder's walk of @p top, item by item, against @p tok. */
static void walk_tokens(const struct iotsec_cbor_dec *top, const uint8_t *buf,
                        const struct iotsec_cbor_token *tok, size_t n)
{
    struct iotsec_cbor_dec st[IOTSEC_MAX_CBOR_DEPTH + 2];
    size_t open[IOTSEC_MAX_CBOR_DEPTH + 2];
    unsigned sp = 0;
    size_t i = 0;

    st[0] = *top;
    for (;;) {
        struct iotsec_cbor_item it;

        if (iotsec_cbor_get_item(&st[sp], &it, &st[sp + 1]) != IOTSEC_OK) {
            if (sp == 0)
                break;
            (void)iotsec_cbor_leave(&st[sp - 1], &st[sp]);
            sp--;
            if (open[sp] + tok[open[sp]].size != i)
                abort();
            continue;
        }
        if (i == n || tok[i].type != it.type || tok[i].val != it.val ||
            tok[i].at != buf + it.offset ||
            (it.str.ptr != NULL && tok[i].at + tok[i].head != it.str.ptr))
            abort();
        if (it.container)
            open[sp++] = i;
        else if (tok[i].size != 1)
            abort();
        i++;
    }
    if (i != n)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct iotsec_cbor_dec d, c;
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf out, span;
    unsigned flags;
    size_t off, n1 = 0, n2 = 0;
    uint8_t *buf, *copy;
    char *text;

    if (size < 1)
        return 0;
    flags = data[0] & (IOTSEC_CBOR_DETERMINISTIC | IOTSEC_CBOR_SEQUENCE);
    data++;
    size--;
    buf = malloc(size ? size : 1); /* exact size, so any over-read is caught */
    memcpy(buf, data, size);
    {
        enum iotsec_err err = iotsec_cbor_dec_init(&d, buf, size, flags, &off), err_seq;
        struct iotsec_cbor_dec ds;
        struct iotsec_cbor_token *tok, *tok_seq;
        size_t n, n_seq;

        tok = check_tokens(buf, size, flags, err, off, NULL, 0, &n);
        if (err == IOTSEC_OK)
            walk_tokens(&d, buf, tok, n);
        if (!(flags & IOTSEC_CBOR_SEQUENCE)) {
            /* one item is valid exactly when it is a valid sequence of one */
            err_seq = iotsec_cbor_dec_init(&ds, buf, size, flags | IOTSEC_CBOR_SEQUENCE, NULL);
            if ((err == IOTSEC_OK) != (err_seq == IOTSEC_OK && ds.left == 1))
                abort();
            if (err == IOTSEC_OK) {
                tok_seq = check_tokens(buf, size, flags | IOTSEC_CBOR_SEQUENCE, IOTSEC_OK, 0, tok,
                                       n, &n_seq);
                free(tok_seq);
            }
        }
        free(tok);
        if (err != IOTSEC_OK) {
            if (off > size)
                abort();
            free(buf);
            return 0;
        }
    }

    walk_maps(&d);

    c = d;
    if (!(flags & IOTSEC_CBOR_SEQUENCE)) {
        if (iotsec_cbor_get_span(&c, &span) != IOTSEC_OK || span.ptr != buf || span.len != size)
            abort();
    }

    if (iotsec_cbor_diag(&d, NULL, 0, &n1) != IOTSEC_OK)
        abort();
    text = malloc(n1 + 1);
    if (iotsec_cbor_diag(&d, text, n1 + 1, &n2) != IOTSEC_OK || n1 != n2 || strlen(text) != n1)
        abort();
    free(text);

    copy = malloc(size + 16);
    iotsec_cbor_enc_init(&e, copy, size + 16);
    if (cbor_copy(&d, &e, 1) != IOTSEC_OK || iotsec_cbor_enc_finish(&e, &out) != IOTSEC_OK)
        abort();
    if ((flags & IOTSEC_CBOR_DETERMINISTIC) && (out.len != size || memcmp(out.ptr, buf, size) != 0))
        abort();
    {
        enum iotsec_err err = iotsec_cbor_dec_init(&c, out.ptr, out.len, flags & IOTSEC_CBOR_SEQUENCE, NULL);
        if (err != IOTSEC_OK && !(err == IOTSEC_ERR_CBOR_DUPLICATE_KEY && has_raw_keys(&d)))
            abort();
    }
    free(copy);
    free(buf);
    return 0;
}
