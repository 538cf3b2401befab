/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the COSE_Key decoder: any accepted key must encode
 * again and decode to the same key. */
#include <stdlib.h>
#include <string.h>

#include "iotsec/cose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct iotsec_cbor_dec d;
    struct iotsec_key key, again;
    struct iotsec_cbuf kid, out;
    struct iotsec_cbor_enc e;
    /* a re-encoding is never much longer than its input */
    size_t enc_cap = 2 * size + 64;
    uint8_t *buf = malloc(size ? size : 1), *enc = malloc(enc_cap);

    memcpy(buf, data, size);
    if (iotsec_cbor_dec_init(&d, buf, size, 0, NULL) == IOTSEC_OK &&
        iotsec_cose_key_decode(&d, &key, &kid) == IOTSEC_OK) {
        iotsec_cbor_enc_init(&e, enc, enc_cap);
        iotsec_cose_key_encode(&e, &key, true, kid.ptr, kid.len);
        if (iotsec_cbor_enc_finish(&e, &out) != IOTSEC_OK ||
            iotsec_cbor_dec_init(&d, out.ptr, out.len, IOTSEC_CBOR_DETERMINISTIC, NULL) != IOTSEC_OK ||
            iotsec_cose_key_decode(&d, &again, NULL) != IOTSEC_OK)
            abort();
        if (again.kty != key.kty || again.crv != key.crv || again.has_private != key.has_private)
            abort();
        iotsec_key_free(&again);
        iotsec_key_free(&key);
    }
    free(enc);
    free(buf);
    return 0;
}
