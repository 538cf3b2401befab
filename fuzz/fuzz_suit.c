/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the SUIT processor. Mode byte 0: the input is an
 * envelope, processed as received (authentication must refuse it). Mode 1:
 * the input is a manifest, which the harness wraps in an envelope
 * authenticated with a COSE_Mac0 under a key the device trusts, so that the
 * interpreter itself is fuzzed. Bits 1-3 choose the procedures. Either way: no fault, no leak, and a
 * failed run must leave the device's storage as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "../tests/suit_env.h"
#include "../tests/suit_mem.h"
#include "crypto/crypto.h"
#include "iotsec/suit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t hkey[32] = {7, 7, 7};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t id00[] = {0x81, 0x41, 0x00}, id01[] = {0x81, 0x41, 0x01},
                         idt[] = {0x81, 0x42, '0', '0'};
    static struct mem_dev dev;
    static struct iotsec_suit_ctx ctx;
    static uint8_t scratch[1024], env[9000];
    struct iotsec_suit_platform p;
    struct iotsec_key k;
    struct iotsec_cose_keyset_entry e;
    struct iotsec_cose_keyset ks = {&e, 1};
    uint8_t *buf;
    size_t n;
    unsigned procs;
    enum iotsec_err err;

    if (size < 1 || size > 8000)
        return 0;
    memset(&dev, 0, sizeof(dev));
    mem_platform(&p, &dev);
    mem_add(&dev, id00, sizeof(id00), (const uint8_t *)"zero", 4);
    mem_add(&dev, id01, sizeof(id01), (const uint8_t *)"one", 3);
    mem_add(&dev, idt, sizeof(idt), NULL, 0);
    dev.uris[0].uri = "http://x/a";
    dev.uris[0].data = (const uint8_t *)"fetched";
    dev.uris[0].len = 7;
    dev.n_uris = 1;
    iotsec_key_init_symmetric(&k, hkey, sizeof(hkey));
    e.key = &k;
    e.kid.ptr = NULL;
    e.kid.len = 0;
    p.trust_anchors = &ks;
    p.vendor_id = (struct iotsec_cbuf){(const uint8_t *)"0123456789abcdef", 16};
    p.class_id = p.vendor_id;
    if (data[0] & 1) {
        n = suit_env_wrap(data + 1, size - 1, &k, "#fw", (const uint8_t *)"integrated", 10, env,
                          sizeof(env));
        if (n == 0)
            return 0;
        buf = malloc(n);
        memcpy(buf, env, n);
    } else {
        n = size - 1;
        buf = malloc(n ? n : 1);
        memcpy(buf, data + 1, n);
    }
    procs = (data[0] >> 1) & 7u;
    err = iotsec_suit_process(&ctx, &p, buf, n, procs,
                              (struct iotsec_buf){scratch, sizeof(scratch)});
    if (err != IOTSEC_OK && dev.commits != 0 && (procs & (procs - 1u)) == 0)
        abort(); /* a refused single procedure committed something */
    if (err != IOTSEC_OK && memcmp(dev.c[0].data, "zero", 4) != 0 && dev.commits == 0)
        abort(); /* storage changed without a commit */
    free(buf);
    return 0;
}
