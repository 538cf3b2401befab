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
 *     with shortest heads can turn two distinct encodings into one.
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
    if (iotsec_cbor_dec_init(&d, buf, size, flags, &off) != IOTSEC_OK) {
        if (off > size)
            abort();
        free(buf);
        return 0;
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
