/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COSE benchmark: decode and verify a 116-byte COSE_Sign1 (ES256, P-256,
 * 41-byte payload, no kid) with its public key, as the anchors measured.
 * Run under callgrind with --toggle-collect=bench_verify; bench/run.sh
 * splits the count into crypto and non-crypto instructions.
 *
 * usage: bench_cose [CALLS]
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench_key.h"
#include "iotsec/cose.h"

__attribute__((noinline)) int bench_verify(const uint8_t *msg, size_t len,
                                           const struct iotsec_cose_keyset *ks)
{
    static const struct iotsec_cose_opts o;
    struct iotsec_cose_msg m;
    struct iotsec_cose_result r;

    if (iotsec_cose_decode(msg, len, IOTSEC_COSE_SIGN1, NULL, 0, &m) != IOTSEC_OK)
        return 0;
    return iotsec_cose_verify(&m, ks, &o, &r) == IOTSEC_OK && r.payload.len == 41;
}

int main(int argc, char **argv)
{
    static const uint8_t prot[] = {0xa1, 0x01, 0x26};
    static const struct iotsec_cose_opts o;
    long calls = argc > 1 ? atol(argv[1]) : 101, i, ok = 0;
    struct iotsec_key priv, pub;
    struct iotsec_cose_signer_in s;
    struct iotsec_cose_keyset_entry e;
    struct iotsec_cose_keyset ks = {&e, 1};
    struct iotsec_cbuf msg;
    uint8_t out[256], payload[41];

    if (bench_key_p256(&priv, &pub) != 0)
        return 1;
    for (i = 0; i < 41; i++)
        payload[i] = (uint8_t)('a' + i % 26);
    s.hdr.prot.ptr = prot;
    s.hdr.prot.len = sizeof(prot);
    s.hdr.unprot.ptr = NULL;
    s.hdr.unprot.len = 0;
    s.key = &priv;
    if (iotsec_cose_sign1((struct iotsec_buf){out, sizeof(out)}, &msg, &s,
                          (struct iotsec_cbuf){payload, sizeof(payload)}, &o) != IOTSEC_OK)
        return 1;
    e.key = &pub;
    e.kid.ptr = NULL;
    e.kid.len = 0;
    for (i = 0; i < calls; i++)
        ok += bench_verify(msg.ptr, msg.len, &ks);
    printf("COSE_Sign1 %zu bytes, %ld of %ld verified\n", msg.len, ok, calls);
    iotsec_key_free(&priv);
    iotsec_key_free(&pub);
    return ok == calls && msg.len == 116 ? 0 : 1;
}
