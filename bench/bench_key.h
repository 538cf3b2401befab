/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The benchmarks' signing key: a fixed P-256 key (RFC 6979 A.2.5), so that
 * every run signs and verifies the same bytes and instruction counts repeat.
 */
#ifndef IOTSEC_BENCH_KEY_H
#define IOTSEC_BENCH_KEY_H

#include <string.h>

#include "iotsec/key.h"

/*
 * The fixed key into @p priv, its public part into @p pub (derived through
 * the backend: d imported, x and y exported). A backend that cannot import
 * d gets a fresh key instead. Returns 0, or 1 when there is no key.
 */
static inline int bench_key_p256(struct iotsec_key *priv, struct iotsec_key *pub)
{
    static const uint8_t d[32] = {0xc9, 0xaf, 0xa9, 0xd8, 0x45, 0xba, 0x75, 0x16,
                                  0x6b, 0x5c, 0x21, 0x57, 0x67, 0xb1, 0xd6, 0x93,
                                  0x4e, 0x50, 0xc3, 0xdb, 0x36, 0xe8, 0x9b, 0x12,
                                  0x7b, 0x8a, 0x62, 0x2b, 0x12, 0x0f, 0x67, 0x21};
    struct iotsec_key_parts parts;

    memset(&parts, 0, sizeof(parts));
    memcpy(parts.d, d, sizeof(d));
    parts.d_len = sizeof(d);
    if (iotsec_key_import(priv, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, &parts) != IOTSEC_OK &&
        iotsec_key_generate(priv, IOTSEC_CRV_P256) != IOTSEC_OK)
        return 1;
    if (iotsec_key_export(priv, 0, &parts) != IOTSEC_OK ||
        iotsec_key_import(pub, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, &parts) != IOTSEC_OK)
        return 1;
    return 0;
}

#endif
