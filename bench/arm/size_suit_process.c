/* SPDX-License-Identifier: Apache-2.0 */
/* Link-size probe for Cortex-M: a bootloader or update agent that
 * authenticates an envelope and runs the SUIT processor (every command of
 * the conformance set, firmware encryption, trust domains) on its
 * platform: processor + COSE + CBOR, crypto and platform excluded. Also
 * holds the processor context, whose size the script reports as RAM. */
#include "iotsec/suit.h"

extern const uint8_t env[];
extern size_t env_len;
extern const struct iotsec_suit_platform plat;

struct iotsec_suit_ctx suit_ctx;
static uint8_t scratch[512];

int main(void);

int main(void)
{
    return iotsec_suit_process(&suit_ctx, &plat, env, env_len,
                               IOTSEC_SUIT_PROC_UPDATE | IOTSEC_SUIT_PROC_INVOKE |
                                   IOTSEC_SUIT_PROC_UNINSTALL,
                               (struct iotsec_buf){scratch, sizeof(scratch)}) == IOTSEC_OK
               ? 0
               : 1;
}

const uint8_t env[1] = {0xa0};
size_t env_len = 1;
const struct iotsec_suit_platform plat;
