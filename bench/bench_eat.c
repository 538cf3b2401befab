/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EAT benchmark.
 *
 * Creation, as a device makes a token: build a typical claims set (a
 * 32-byte nonce, a 33-byte UEID, oemid, hwmodel, swname, swversion,
 * oemboot, dbgstat, bootcount, one 200-byte manifests entry and one
 * measurements entry) and sign it ES256 with a kid. Run under callgrind
 * with --toggle-collect=bench_create; bench/run.sh splits the count into
 * crypto and non-crypto instructions.
 *
 * Throughput, as a verifier takes tokens in: N iotsec_eat_verify() of such
 * a token (constrained profile, nonce and time checks on) against N
 * iotsec_crypto_verify() of the same signature over the same Sig_structure,
 * the least the COSE layer could cost. Time on a shared machine is noisy:
 * the two alternate in short rounds and each keeps its fastest round, and
 * the ratio is the figure.
 *
 * usage: bench_eat [CALLS]
 *        bench_eat throughput N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_key.h"
#include "crypto/crypto.h"
#include "eat_evidence.h"
#include "iotsec/eat.h"

#define NOW 1700000000

static uint8_t nonce[32], ueid[33], hwmodel[16], manifest[200], measurement[48];
static const uint8_t oui[3] = {0xac, 0xde, 0x48};

/* Build the claims set, with iat, into @p cs_buf and sign it into @p out.
 * Returns the token's length, 0 on failure. */
__attribute__((noinline)) size_t bench_create(const struct iotsec_key *key, uint8_t *cs_buf,
                                              size_t cs_cap, uint8_t *out, size_t out_cap)
{
    const struct iotsec_eat_entry man = {IOTSEC_EAT_CF_COSWID, {manifest, sizeof(manifest)}, false};
    const struct iotsec_eat_entry meas = {IOTSEC_EAT_CF_COSWID, {measurement, sizeof(measurement)},
                                          false};
    const struct bench_evidence ev = {nonce, ueid, oui, hwmodel, &man, &meas};

    return bench_eat_create(&ev, NOW, key, cs_buf, cs_cap, out, out_cap);
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int throughput(const struct iotsec_key *pub, const uint8_t *tok, size_t len, long n)
{
    static uint8_t tbs[1024], scratch[1024];
    struct iotsec_cose_keyset_entry e = {pub, {(const uint8_t *)"dev-1", 5}};
    struct iotsec_cose_keyset ks = {&e, 1};
    struct iotsec_eat_verify_opts o;
    struct iotsec_eat_claims c;
    struct iotsec_eat_token t;
    struct iotsec_cose_msg m;
    struct iotsec_cbor_enc enc;
    struct iotsec_cbuf sig_structure;
    double t0, t_eat = 1e9, t_raw = 1e9, dt;
    const long round = 20;
    long i, r, ok_eat = 0, ok_raw = 0;

    memset(&o, 0, sizeof(o));
    o.nonce = nonce;
    o.nonce_len = sizeof(nonce);
    o.now = NOW + 5;
    o.max_age = 60;
    o.constrained = true;
    o.scratch.ptr = scratch;
    o.scratch.len = sizeof(scratch);
    /* the same signature over the same Sig_structure, straight to the seam */
    if (iotsec_cose_decode(tok, len, IOTSEC_COSE_SIGN1, NULL, 0, &m) != IOTSEC_OK)
        return 1;
    iotsec_cbor_enc_init(&enc, tbs, sizeof(tbs));
    iotsec_cbor_enc_array(&enc, 4);
    iotsec_cbor_enc_text(&enc, "Signature1");
    iotsec_cbor_enc_bstr(&enc, m.hdr.prot.ptr, m.hdr.prot.len);
    iotsec_cbor_enc_bstr(&enc, NULL, 0);
    iotsec_cbor_enc_bstr(&enc, m.content.ptr, m.content.len);
    if (iotsec_cbor_enc_finish(&enc, &sig_structure) != IOTSEC_OK)
        return 1;
    /* alternate short rounds; the fastest round of each is the least
     * disturbed one */
    for (r = 0; r < (n + round - 1) / round; r++) {
        t0 = seconds();
        for (i = 0; i < round; i++)
            ok_eat += iotsec_eat_verify(tok, len, &ks, &o, &t, &c) == IOTSEC_OK;
        if ((dt = seconds() - t0) < t_eat)
            t_eat = dt;
        t0 = seconds();
        for (i = 0; i < round; i++)
            ok_raw += iotsec_crypto_verify(IOTSEC_ALG_ES256, pub, sig_structure.ptr,
                                           sig_structure.len, m.sig.ptr, m.sig.len) == IOTSEC_OK;
        if ((dt = seconds() - t0) < t_raw)
            t_raw = dt;
    }
    printf("  iotsec_eat_verify    %8.0f verifies/s  (%zu-byte token, constrained profile)\n",
           (double)round / t_eat, len);
    printf("  iotsec_crypto_verify %8.0f verifies/s  (the same signature, %zu-byte Sig_structure)\n",
           (double)round / t_raw, sig_structure.len);
    printf("  time ratio eat/raw   %8.3f  (fastest of %ld rounds of %ld each)\n", t_eat / t_raw, r,
           round);
    return ok_eat == r * round && ok_raw == r * round ? 0 : 1;
}

int main(int argc, char **argv)
{
    static uint8_t cs_buf[1024], out[1024];
    long calls = argc > 1 ? atol(argv[1]) : 101, i;
    struct iotsec_key priv, pub;
    size_t len = 0, n;
    int rc;

    for (n = 0; n < sizeof(nonce); n++)
        nonce[n] = (uint8_t)(0x40 + n);
    ueid[0] = 0x01;
    for (n = 1; n < sizeof(ueid); n++)
        ueid[n] = (uint8_t)(0x90 + n);
    for (n = 0; n < sizeof(hwmodel); n++)
        hwmodel[n] = (uint8_t)(0x17 * n);
    for (n = 0; n < sizeof(manifest); n++)
        manifest[n] = (uint8_t)(n * 7 + 3);
    for (n = 0; n < sizeof(measurement); n++)
        measurement[n] = (uint8_t)(255 - n);
    if (bench_key_p256(&priv, &pub) != 0)
        return 1;

    if (argc == 3 && strcmp(argv[1], "throughput") == 0) {
        len = bench_create(&priv, cs_buf, sizeof(cs_buf), out, sizeof(out));
        rc = len == 0 ? 1 : throughput(&pub, out, len, atol(argv[2]));
    } else {
        for (i = 0; i < calls; i++)
            len = bench_create(&priv, cs_buf, sizeof(cs_buf), out, sizeof(out));
        printf("EAT %zu-byte token built and signed %ld times\n", len, calls);
        rc = len == 0;
    }
    iotsec_key_free(&priv);
    iotsec_key_free(&pub);
    return rc;
}
