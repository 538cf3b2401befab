/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for COSE message decoding and processing. The first
 * byte picks the expected type; whatever decodes is then verified or
 * decrypted against a fixed key set (a P-256 key, an X25519 key and
 * symmetric keys), and its countersignatures checked. The same bytes also
 * go through the one-call COSE_Sign1 verifier. None of this may
 * fault; a random input that authenticates would mean a forgery.
 */
#include <stdlib.h>
#include <string.h>

#include "iotsec/cose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct iotsec_key ec, xk, k16, k32;
static struct iotsec_cose_keyset_entry entries[4];
static struct iotsec_cose_keyset ks = {entries, 4};

static void setup(void)
{
    static const uint8_t s16[16] = {1, 2, 3}, s32[32] = {4, 5, 6};

    if (iotsec_key_generate(&ec, IOTSEC_CRV_P256) != IOTSEC_OK ||
        iotsec_key_generate(&xk, IOTSEC_CRV_X25519) != IOTSEC_OK)
        abort();
    iotsec_key_init_symmetric(&k16, s16, 16);
    iotsec_key_init_symmetric(&k32, s32, 32);
    entries[0].key = &ec;
    entries[1].key = &xk;
    entries[2].key = &k16;
    entries[3].key = &k32;
    entries[3].kid.ptr = (const uint8_t *)"11";
    entries[3].kid.len = 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t scratch[2048], out[4096];
    static int ready;
    struct iotsec_cose_opts o;
    struct iotsec_cose_result r;
    struct iotsec_cose_msg m;
    enum iotsec_cose_type t;
    uint8_t *buf, cek[64];
    size_t cl;

    if (!ready) {
        setup();
        ready = 1;
    }
    if (size < 1)
        return 0;
    t = (enum iotsec_cose_type)(data[0] % 7);
    buf = malloc(size - 1 ? size - 1 : 1);
    memcpy(buf, data + 1, size - 1);
    memset(&o, 0, sizeof(o));
    o.scratch.ptr = scratch;
    o.scratch.len = sizeof(scratch);
    o.allow_unauth = data[0] & 0x80;
    if (iotsec_cose_decode(buf, size - 1, t, NULL, 0, &m) == IOTSEC_OK) {
        if (m.content.ptr == NULL)
            o.detached = (struct iotsec_cbuf){(const uint8_t *)"detached", 8};
        switch (m.type) {
        case IOTSEC_COSE_SIGN1:
        case IOTSEC_COSE_SIGN:
        case IOTSEC_COSE_MAC0:
        case IOTSEC_COSE_MAC:
            if (iotsec_cose_verify(&m, &ks, &o, &r) == IOTSEC_OK && m.type != IOTSEC_COSE_MAC)
                abort(); /* no fuzzer input can know these keys */
            break;
        case IOTSEC_COSE_ENCRYPT0:
        case IOTSEC_COSE_ENCRYPT:
            (void)iotsec_cose_decrypt(&m, &ks, &o, (struct iotsec_buf){out, sizeof(out)}, &r);
            if (m.type == IOTSEC_COSE_ENCRYPT)
                (void)iotsec_cose_recipient_key(&m, &ks, &o, IOTSEC_ALG_A128GCM, cek, sizeof(cek),
                                                &cl, &r);
            break;
        default:
            break;
        }
        (void)iotsec_cose_countersign_verify(&m, &ks, &o, &r);
    }
    /* the one-call COSE_Sign1 verifier reads the same bytes its own way */
    memset(&o, 0, sizeof(o));
    if (data[0] & 0x40)
        o.detached = (struct iotsec_cbuf){(const uint8_t *)"detached", 8};
    if (iotsec_cose_sign1_verify(buf, size - 1, &ks, &o, &r) == IOTSEC_OK)
        abort();
    free(buf);
    return 0;
}
