/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "iotsec/key.h"
#include "crypto/crypto.h"

/* see port/crypto/crypto.h */
int iotsec_ct_memcmp(const void *a, const void *b, size_t len)
{
    const uint8_t *pa = (const uint8_t *)a, *pb = (const uint8_t *)b;
    volatile uint32_t acc = 0;
    uint32_t v;
    size_t i = 0;

    /* A word at a time (digests and tags are whole words), folding every
     * difference into acc: the work depends on len only, never on the
     * contents, and there is no branch on the data. acc is volatile so that
     * no compiler can turn the fold into an early exit. */
    for (; i + 4 <= len; i += 4) {
        uint32_t x, y;

        memcpy(&x, pa + i, 4);
        memcpy(&y, pb + i, 4);
        acc |= x ^ y;
    }
    for (; i < len; i++)
        acc |= (uint32_t)(pa[i] ^ pb[i]);
    v = acc;
    return (int)((v | (0u - v)) >> 31); /* 1 when any bit differs */
}

/* see port/crypto/crypto.h */
void iotsec_wipe(void *p, size_t len)
{
    /* The volatile function pointer keeps the store from being elided. */
    static void *(*const volatile wipe_memset)(void *, int, size_t) = memset;

    if (p != NULL && len > 0)
        (void)wipe_memset(p, 0, len);
}

/* see iotsec/key.h */
void iotsec_key_init_symmetric(struct iotsec_key *key, const uint8_t *k, size_t k_len)
{
    memset(key, 0, sizeof(*key));
    key->kty = IOTSEC_KTY_SYMMETRIC;
    key->has_private = 1;
    key->k = k;
    key->k_len = k_len;
}

/* see iotsec/key.h */
void iotsec_key_init_hsslms(struct iotsec_key *key, const uint8_t *pub, size_t len)
{
    memset(key, 0, sizeof(*key));
    key->kty = IOTSEC_KTY_HSS_LMS;
    key->k = pub;
    key->k_len = len;
}
