/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "iotsec/key.h"
#include "crypto/crypto.h"

/* see port/crypto/crypto.h */
int iotsec_ct_memcmp(const void *a, const void *b, size_t len)
{
    const volatile uint8_t *pa = (const volatile uint8_t *)a;
    const volatile uint8_t *pb = (const volatile uint8_t *)b;
    uint8_t acc = 0;
    size_t i;

    for (i = 0; i < len; i++)
        acc = (uint8_t)(acc | (pa[i] ^ pb[i]));
    return acc != 0;
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
