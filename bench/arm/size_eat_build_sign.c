/* SPDX-License-Identifier: Apache-2.0 */
/* Link-size probe for Cortex-M: a device that answers an attestation
 * request, building its claims set (nonce, ueid, oemid, hwmodel, swname,
 * swversion, oemboot, dbgstat, bootcount, a manifests and a measurements
 * entry) and signing it into a COSE_Sign1 with its kid, as bench_eat.c
 * does: the EAT builder + COSE + CBOR, crypto excluded. */
#include "../eat_evidence.h"

extern const uint8_t nonce[32], ueid[33], oemid[3], hwmodel[16];
extern const struct iotsec_eat_entry manifest, measurement;
extern const struct iotsec_key key;

static uint8_t claims[512], token[640];

int main(void);

int main(void)
{
    const struct bench_evidence ev = {nonce, ueid, oemid, hwmodel, &manifest, &measurement};

    /* iat 0: the claims set goes without one */
    return bench_eat_create(&ev, 0, &key, claims, sizeof(claims), token, sizeof(token)) == 0;
}

const uint8_t nonce[32], ueid[33], oemid[3], hwmodel[16];
const struct iotsec_eat_entry manifest, measurement;
const struct iotsec_key key;
