/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CBOR benchmark on doc299: strict validation alone; a full validating walk
 * in one pass (iotsec_cbor_tokens(), then a read of every token); the
 * same walk through the pull decoder (validation, then every item pulled
 * with iotsec_cbor_get_item()); and the encoding of the same document by
 * direct encoder calls, as a device would build a claims set. Run under
 * callgrind with --toggle-collect=bench_tokens (or bench_validate,
 * bench_walk, bench_encode) and divide the instruction count by calls and
 * items; bench/run.sh does that.
 *
 * usage: bench_cbor DOC.cbor [CALLS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iotsec/cbor.h"

static volatile uint64_t sink;

/* Strict validation alone: well-formedness, UTF-8, duplicate keys. */
__attribute__((noinline)) size_t bench_validate(const uint8_t *buf, size_t len)
{
    struct iotsec_cbor_dec d;

    return iotsec_cbor_dec_init(&d, buf, len, 0, NULL) == IOTSEC_OK;
}

/* Validate, then read every item with the one-call traversal. Returns the
 * number of data items. */
__attribute__((noinline)) size_t bench_walk(const uint8_t *buf, size_t len)
{
    struct iotsec_cbor_dec st[IOTSEC_MAX_CBOR_DEPTH + 2];
    unsigned sp = 0;
    size_t items = 0;
    uint64_t acc = 0;

    if (iotsec_cbor_dec_init(&st[0], buf, len, 0, NULL) != IOTSEC_OK)
        return 0;
    for (;;) {
        struct iotsec_cbor_item it;

        if (iotsec_cbor_get_item(&st[sp], &it, &st[sp + 1]) != IOTSEC_OK) {
            if (sp == 0)
                break;
            (void)iotsec_cbor_leave(&st[sp - 1], &st[sp]);
            sp--;
            continue;
        }
        acc += it.val;
        if (it.type == IOTSEC_CBOR_TAG)
            continue; /* a tag is not a data item of its own here */
        sp += it.container;
        items++;
    }
    sink += acc;
    return items;
}

/* Validate and list every item in one pass, then read the list. Returns
 * the number of data items. */
__attribute__((noinline)) size_t bench_tokens(const uint8_t *buf, size_t len)
{
    struct iotsec_cbor_token tok[320]; /* a token takes at least one byte */
    size_t n, i, items = 0;
    uint64_t acc = 0;

    if (iotsec_cbor_tokens(buf, len, 0, tok, 320, &n, NULL) != IOTSEC_OK)
        return 0;
    for (i = 0; i < n; i++) {
        acc += tok[i].val;
        if (tok[i].type == IOTSEC_CBOR_TAG)
            continue; /* a tag is not a data item of its own here */
        items++;
    }
    sink += acc;
    return items;
}

/* The same claims set, encoded by direct calls (see bench/gen_doc299.py). */
__attribute__((noinline)) size_t bench_encode(uint8_t *buf, size_t cap)
{
    static const uint8_t nonce[16] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
                                      0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};
    static const uint8_t ueid[17] = {0x01, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                                     0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf};
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf out;
    int k;

    iotsec_cbor_enc_init(&e, buf, cap);
    iotsec_cbor_enc_map(&e, 17);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_tstr(&e, "https://iss.example", 19);
    iotsec_cbor_enc_uint(&e, 6);
    iotsec_cbor_enc_uint(&e, 1700000000);
    iotsec_cbor_enc_uint(&e, 10);
    iotsec_cbor_enc_bstr(&e, nonce, sizeof(nonce));
    iotsec_cbor_enc_uint(&e, 256);
    iotsec_cbor_enc_bstr(&e, ueid, sizeof(ueid));
    iotsec_cbor_enc_uint(&e, 258);
    iotsec_cbor_enc_bstr(&e, (const uint8_t *)"\x00\x1b\x63", 3);
    iotsec_cbor_enc_uint(&e, 259);
    iotsec_cbor_enc_bstr(&e, (const uint8_t *)"model-x", 7);
    iotsec_cbor_enc_uint(&e, 260);
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_tstr(&e, "1.3.4", 5);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_uint(&e, 261);
    iotsec_cbor_enc_uint(&e, 86400);
    iotsec_cbor_enc_uint(&e, 262);
    iotsec_cbor_enc_bool(&e, true);
    iotsec_cbor_enc_uint(&e, 263);
    iotsec_cbor_enc_uint(&e, 2);
    iotsec_cbor_enc_uint(&e, 264);
    iotsec_cbor_enc_map(&e, 6);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_uint(&e, 52);
    iotsec_cbor_enc_uint(&e, 2);
    iotsec_cbor_enc_int(&e, -1);
    iotsec_cbor_enc_uint(&e, 3);
    iotsec_cbor_enc_uint(&e, 100);
    iotsec_cbor_enc_uint(&e, 4);
    iotsec_cbor_enc_uint(&e, 5);
    iotsec_cbor_enc_uint(&e, 5);
    iotsec_cbor_enc_uint(&e, 10);
    iotsec_cbor_enc_uint(&e, 6);
    iotsec_cbor_enc_uint(&e, 90);
    iotsec_cbor_enc_uint(&e, 266);
    iotsec_cbor_enc_map(&e, 2);
    iotsec_cbor_enc_tstr(&e, "tee", 3);
    iotsec_cbor_enc_map(&e, 4);
    iotsec_cbor_enc_uint(&e, 258);
    iotsec_cbor_enc_uint(&e, 12345);
    iotsec_cbor_enc_uint(&e, 262);
    iotsec_cbor_enc_bool(&e, true);
    iotsec_cbor_enc_uint(&e, 267);
    iotsec_cbor_enc_uint(&e, 7);
    iotsec_cbor_enc_uint(&e, 270);
    iotsec_cbor_enc_tstr(&e, "op-tee", 6);
    iotsec_cbor_enc_tstr(&e, "radio", 5);
    iotsec_cbor_enc_map(&e, 4);
    iotsec_cbor_enc_uint(&e, 259);
    iotsec_cbor_enc_bstr(&e, (const uint8_t *)"lte-m1", 6);
    iotsec_cbor_enc_uint(&e, 261);
    iotsec_cbor_enc_uint(&e, 12);
    iotsec_cbor_enc_uint(&e, 263);
    iotsec_cbor_enc_uint(&e, 3);
    iotsec_cbor_enc_uint(&e, 270);
    iotsec_cbor_enc_tstr(&e, "modem", 5);
    iotsec_cbor_enc_uint(&e, 267);
    iotsec_cbor_enc_uint(&e, 42);
    iotsec_cbor_enc_uint(&e, 270);
    iotsec_cbor_enc_tstr(&e, "iotsec-agent", 12);
    iotsec_cbor_enc_uint(&e, 271);
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_tstr(&e, "1.0.2", 5);
    iotsec_cbor_enc_uint(&e, 16384);
    iotsec_cbor_enc_uint(&e, 273);
    iotsec_cbor_enc_array(&e, 4);
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_uint(&e, 258);
    iotsec_cbor_enc_bstr(&e, (const uint8_t *)"\xa1\x01\x02", 3);
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_uint(&e, 258);
    iotsec_cbor_enc_bstr(&e, (const uint8_t *)"\xa1\x03\x04", 3);
    iotsec_cbor_enc_array(&e, 6);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_int(&e, -2);
    iotsec_cbor_enc_int(&e, -300);
    iotsec_cbor_enc_uint(&e, 4000);
    iotsec_cbor_enc_uint(&e, 5);
    iotsec_cbor_enc_uint(&e, 6);
    iotsec_cbor_enc_array(&e, 4);
    for (k = 7; k <= 10; k++)
        iotsec_cbor_enc_uint(&e, (uint64_t)k);
    iotsec_cbor_enc_int(&e, -70000);
    iotsec_cbor_enc_array(&e, 8);
    iotsec_cbor_enc_bool(&e, false);
    iotsec_cbor_enc_null(&e);
    iotsec_cbor_enc_int(&e, -1);
    iotsec_cbor_enc_tstr(&e, "x", 1);
    iotsec_cbor_enc_map(&e, 2);
    iotsec_cbor_enc_tstr(&e, "k", 1);
    iotsec_cbor_enc_bstr(&e, (const uint8_t *)"", 1);
    iotsec_cbor_enc_tstr(&e, "m", 1);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_uint(&e, 65535);
    iotsec_cbor_enc_int(&e, -65536);
    iotsec_cbor_enc_tstr(&e, "vendor", 6);
    if (iotsec_cbor_enc_finish(&e, &out) != IOTSEC_OK)
        return 0;
    return out.len;
}


int main(int argc, char **argv)
{
    static uint8_t doc[65536], enc[65536];
    size_t len, items = 0, elen = 0;
    long calls = argc > 2 ? atol(argv[2]) : 1001, i;
    FILE *f;

    if (argc < 2 || (f = fopen(argv[1], "rb")) == NULL) {
        fprintf(stderr, "usage: bench_cbor DOC.cbor [CALLS]\n");
        return 2;
    }
    len = fread(doc, 1, sizeof(doc), f);
    fclose(f);
    for (i = 0; i < calls; i++)
    {
        size_t w = bench_walk(doc, len);
        items = w * bench_validate(doc, len) * (bench_tokens(doc, len) == w);
    }
    for (i = 0; i < calls; i++)
        elen = bench_encode(enc, sizeof(enc));
    if (items == 0 || elen != len || memcmp(doc, enc, len) != 0) {
        fprintf(stderr, "bench_cbor: walk saw %zu items; encoder made %zu bytes (%s the document)\n",
                items, elen, elen == len && memcmp(doc, enc, len) == 0 ? "equal to" : "NOT equal to");
        return 1;
    }
    printf("doc: %zu bytes, %zu data items, %ld calls each\n", len, items, calls);
    return 0;
}
