/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CBOR decoder built without deterministic-mode decoding
 * (-DIOTSEC_CBOR_DETERMINISTIC_DECODE=0, part of the device build the
 * Cortex-M size figures are taken from): asking for deterministic decoding
 * fails closed as unsupported, and everything else is as strict as before.
 */
#include <string.h>

#include "iotsec/cbor.h"
#include "test_util.h"

#if IOTSEC_CBOR_DETERMINISTIC_DECODE
#error "cbor_minimal.c is built with deterministic-mode decoding switched off"
#endif

int main(void)
{
    /* {1: 1.5} with the float as a double: well-formed, not deterministic */
    static const uint8_t doc[] = {0xa1, 0x01, 0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0};
    /* {1: 1, 1: 2}: a duplicate key */
    static const uint8_t dup[] = {0xa2, 0x01, 0x01, 0x01, 0x02};
    /* "\xff" as text: invalid UTF-8 */
    static const uint8_t utf[] = {0x61, 0xff};
    struct iotsec_cbor_dec d, m;
    double v = 0;
    size_t off = 99;

    CHECK_ERR(iotsec_cbor_dec_init(&d, doc, sizeof(doc), IOTSEC_CBOR_DETERMINISTIC, NULL),
              IOTSEC_ERR_UNSUPPORTED);
    CHECK(iotsec_cbor_at_end(&d)); /* the failed cursor has no items */
    CHECK_ERR(iotsec_cbor_dec_init(&d, doc, sizeof(doc), IOTSEC_CBOR_DETERMINISTIC |
                                   IOTSEC_CBOR_SEQUENCE, NULL),
              IOTSEC_ERR_UNSUPPORTED);

    /* the default strict mode is untouched, floats included */
    CHECK_ERR(iotsec_cbor_dec_init(&d, doc, sizeof(doc), 0, NULL), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_enter_map(&d, &m, NULL), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_skip(&m), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_double(&m, &v), IOTSEC_OK);
    CHECK(v == 1.5);
    CHECK_ERR(iotsec_cbor_dec_init(&d, dup, sizeof(dup), 0, &off), IOTSEC_ERR_CBOR_DUPLICATE_KEY);
    CHECK(off == 3);
    CHECK_ERR(iotsec_cbor_dec_init(&d, utf, sizeof(utf), 0, NULL), IOTSEC_ERR_CBOR_BAD_UTF8);
    return test_summary();
}
