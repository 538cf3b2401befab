/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Link-size probe for Cortex-M: the typed pull API a COSE or SUIT decoder
 * uses on top of the generic walk: deterministic validation, one-pass
 * label lookup, typed getters, bstr-wrapped encoding.
 */
#include "iotsec/cbor.h"

extern const uint8_t doc[];
extern size_t doc_len;
extern uint8_t out[];

int main(void);

int main(void)
{
    struct iotsec_cbor_dec d, m, a, v[3];
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf s;
    static const int64_t labels[3] = {1, 4, -1};
    uint64_t acc = 0, u;
    int64_t i;
    size_t mark;

    if (iotsec_cbor_dec_init(&d, doc, doc_len, IOTSEC_CBOR_DETERMINISTIC, NULL) != IOTSEC_OK)
        return 1;
    (void)iotsec_cbor_skip_tag(&d, 18);
    if (iotsec_cbor_enter_array(&d, &a, NULL) != IOTSEC_OK)
        return 1;
    if (iotsec_cbor_get_bstr(&a, &s) == IOTSEC_OK)
        acc += s.len;
    if (iotsec_cbor_enter_map(&a, &m, NULL) == IOTSEC_OK) {
        (void)iotsec_cbor_map_find_ints(&m, labels, 3, v);
        if (iotsec_cbor_get_int(&v[0], &i) == IOTSEC_OK)
            acc += (uint64_t)i;
        if (iotsec_cbor_get_bstr(&v[1], &s) == IOTSEC_OK)
            acc += s.len;
        if (iotsec_cbor_get_uint(&v[2], &u) == IOTSEC_OK)
            acc += u;
        (void)iotsec_cbor_leave(&a, &m);
    }
    if (iotsec_cbor_get_span(&a, &s) == IOTSEC_OK)
        acc += s.len;
    iotsec_cbor_skip_rest(&a);
    (void)iotsec_cbor_leave(&d, &a);

    iotsec_cbor_enc_init(&e, out, 256);
    iotsec_cbor_enc_array(&e, 2);
    mark = iotsec_cbor_enc_bstr_open(&e);
    iotsec_cbor_enc_map(&e, 1);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_int(&e, -7);
    iotsec_cbor_enc_bstr_close(&e, mark);
    iotsec_cbor_enc_uint(&e, acc);
    return iotsec_cbor_enc_finish(&e, &s) == IOTSEC_OK ? 0 : 1;
}

const uint8_t doc[4] = {0x81, 0x40, 0x00, 0x00};
size_t doc_len = 2;
uint8_t out[256];
