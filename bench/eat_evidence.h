/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The token of the EAT benchmarks, as a device makes one: a typical claims
 * set (nonce, ueid, oemid, hwmodel, swname, swversion, oemboot, dbgstat,
 * bootcount, one manifests and one measurements entry) signed ES256 with a
 * kid. bench_eat.c counts its instructions and bench/arm/size_eat_build_sign.c
 * links it for size, so both figures are of the same calls.
 */
#ifndef IOTSEC_BENCH_EAT_EVIDENCE_H
#define IOTSEC_BENCH_EAT_EVIDENCE_H

#include "iotsec/eat.h"

/* What the device attests; the arrays have the sizes named. */
struct bench_evidence {
    const uint8_t *nonce;   /* 32 bytes */
    const uint8_t *ueid;    /* 33 bytes */
    const uint8_t *oemid;   /* 3 bytes */
    const uint8_t *hwmodel; /* 16 bytes */
    const struct iotsec_eat_entry *manifest, *measurement;
};

/*
 * Build the claims set of @p ev into @p cs_buf, with iat when @p iat is not
 * 0 (a device with a clock), and sign it into @p out with @p key. Returns
 * the token's length, 0 on failure.
 */
static inline size_t bench_eat_create(const struct bench_evidence *ev, int64_t iat,
                                      const struct iotsec_key *key, uint8_t *cs_buf, size_t cs_cap,
                                      uint8_t *out, size_t out_cap)
{
    struct iotsec_eat_builder b;
    struct iotsec_cbuf cs, tok;

    iotsec_eat_build_begin(&b, cs_buf, cs_cap);
    iotsec_eat_put_bstr(&b, IOTSEC_EAT_NONCE, ev->nonce, 32);
    iotsec_eat_put_bstr(&b, IOTSEC_EAT_UEID, ev->ueid, 33);
    iotsec_eat_put_bstr(&b, IOTSEC_EAT_OEMID, ev->oemid, 3);
    iotsec_eat_put_bstr(&b, IOTSEC_EAT_HWMODEL, ev->hwmodel, 16);
    iotsec_eat_put_text(&b, IOTSEC_EAT_SWNAME, "Acme IoT OS", 11);
    iotsec_eat_put_version(&b, IOTSEC_EAT_SWVERSION, "3.1.4", 5, 1);
    iotsec_eat_put_bool(&b, IOTSEC_EAT_OEMBOOT, true);
    iotsec_eat_put_uint(&b, IOTSEC_EAT_DBGSTAT, IOTSEC_EAT_DBG_DISABLED_PERMANENTLY);
    iotsec_eat_put_uint(&b, IOTSEC_EAT_BOOTCOUNT, 1042);
    if (iat != 0)
        iotsec_eat_put_int(&b, IOTSEC_EAT_IAT, iat);
    iotsec_eat_put_entries(&b, IOTSEC_EAT_MANIFESTS, ev->manifest, 1);
    iotsec_eat_put_entries(&b, IOTSEC_EAT_MEASUREMENTS, ev->measurement, 1);
    if (iotsec_eat_build_finish(&b, &cs) != IOTSEC_OK)
        return 0;
    if (iotsec_eat_sign((struct iotsec_buf){out, out_cap}, &tok, cs, key, IOTSEC_ALG_ES256,
                        (struct iotsec_cbuf){(const uint8_t *)"dev-1", 5}, 0) != IOTSEC_OK)
        return 0;
    return tok.len;
}

#endif
