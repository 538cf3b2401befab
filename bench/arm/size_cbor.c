/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Link-size probe for Cortex-M, comparable with the anchors' "generic pull
 * decoder plus encoder": strict validation of a document, a one-call walk
 * of every item, and the encoding of a doc299-shaped claims map. Linked with
 * --gc-sections, so only what these calls need counts.
 */
#include "iotsec/cbor.h"

extern const uint8_t doc[];
extern size_t doc_len;
extern uint8_t out[];

int main(void);

int main(void)
{
    struct iotsec_cbor_dec st[IOTSEC_MAX_CBOR_DEPTH + 2];
    struct iotsec_cbor_enc e;
    struct iotsec_cbor_item it;
    struct iotsec_cbuf s;
    unsigned sp = 0;
    uint64_t acc = 0;

    if (iotsec_cbor_dec_init(&st[0], doc, doc_len, 0, NULL) != IOTSEC_OK)
        return 1;
    for (;;) {
        if (iotsec_cbor_get_item(&st[sp], &it, &st[sp + 1]) != IOTSEC_OK) {
            if (sp == 0)
                break;
            (void)iotsec_cbor_leave(&st[sp - 1], &st[sp]);
            sp--;
            continue;
        }
        acc += it.val + it.str.len;
        sp += it.container;
    }

    iotsec_cbor_enc_init(&e, out, 256);
    iotsec_cbor_enc_map(&e, 6);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_tstr(&e, "x", 1);
    iotsec_cbor_enc_uint(&e, 10);
    iotsec_cbor_enc_bstr(&e, doc, 4);
    iotsec_cbor_enc_uint(&e, 260);
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_bool(&e, true);
    iotsec_cbor_enc_null(&e);
    iotsec_cbor_enc_uint(&e, 261);
    iotsec_cbor_enc_uint(&e, acc);
    iotsec_cbor_enc_uint(&e, 264);
    iotsec_cbor_enc_int(&e, -1);
    iotsec_cbor_enc_int(&e, -70000);
    iotsec_cbor_enc_tstr(&e, "v", 1);
    return iotsec_cbor_enc_finish(&e, &s) == IOTSEC_OK ? 0 : 1;
}

const uint8_t doc[4] = {0xa1, 0x01, 0x02, 0x00};
size_t doc_len = 3;
uint8_t out[256];
