/* SPDX-License-Identifier: Apache-2.0 */
/* Link-size probe for Cortex-M: decode and verify a COSE_Sign1 (COSE +
 * CBOR, crypto excluded), as a device checks a manifest or token. */
#include "iotsec/cose.h"

extern const uint8_t msg[];
extern size_t msg_len;
extern const struct iotsec_key key;

int main(void);

int main(void)
{
    static const struct iotsec_cose_opts o;
    struct iotsec_cose_keyset_entry e = {&key, {NULL, 0}};
    struct iotsec_cose_keyset ks = {&e, 1};
    struct iotsec_cose_result r;

    return iotsec_cose_sign1_verify(msg, msg_len, &ks, &o, &r) == IOTSEC_OK ? 0 : 1;
}

const uint8_t msg[4] = {0xd2, 0x84, 0x40, 0xa0};
size_t msg_len = 4;
const struct iotsec_key key;
