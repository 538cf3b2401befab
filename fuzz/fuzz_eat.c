/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for EAT. The first byte picks what runs on the rest:
 *   bit 0 clear: iotsec_eat_claims_decode(), then every iterator over what
 *                decoded, and the claims sets of its submodules decoded one
 *                level down;
 *   bit 0 set:   iotsec_eat_verify() against a fixed HMAC 256/256 key (kid
 *                "k", the key scripts/fuzz.sh signs its seeds with) and a
 *                P-256 key, UCCS allowed; bit 1 asks for the constrained
 *                profile, bit 2 for the nonce of RFC 9711 A.2.2, bit 3 for
 *                a clock and bit 4 for a maximum age; then the iterators,
 *                and a bundle's detached claims sets.
 * Nothing may fault, and every slice handed out is read in full so that
 * the sanitizers see one that strays.
 */
#include <stdlib.h>
#include <string.h>

#include "iotsec/eat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct iotsec_key hmac, ec;
static struct iotsec_cose_keyset_entry entries[2];
static const struct iotsec_cose_keyset ks = {entries, 2};
static volatile unsigned sink;

static void setup(void)
{
    static uint8_t k[32];
    unsigned i;

    for (i = 0; i < sizeof(k); i++)
        k[i] = (uint8_t)i;
    iotsec_key_init_symmetric(&hmac, k, sizeof(k));
    if (iotsec_key_generate(&ec, IOTSEC_CRV_P256) != IOTSEC_OK)
        abort();
    entries[0].key = &hmac;
    entries[0].kid.ptr = (const uint8_t *)"k";
    entries[0].kid.len = 1;
    entries[1].key = &ec;
}

static void touch(struct iotsec_cbuf s)
{
    size_t i;

    for (i = 0; i < s.len; i++)
        sink += s.ptr[i];
}

static void entries_of(struct iotsec_cbor_dec l)
{
    struct iotsec_eat_entry e;

    while (iotsec_eat_entry_next(&l, &e) == IOTSEC_OK)
        touch(e.value);
}

/* The iterators over @p c; @p depth 0 also decodes claims-set submodules. */
static void walk(const struct iotsec_eat_claims *c, int depth)
{
    struct iotsec_cbor_dec l = c->submods;
    struct iotsec_eat_claims sub;
    struct iotsec_cbuf name, value;
    enum iotsec_eat_submod_kind kind;
    int32_t alg;
    size_t i;

    for (i = 0; i < c->n_nonce; i++)
        touch(c->nonce[i]);
    touch(c->ueid);
    touch(c->swname);
    touch(c->hwversion.version);
    entries_of(c->manifests);
    entries_of(c->measurements);
    while (iotsec_eat_submod_next(&l, &name, &kind, &alg, &value) == IOTSEC_OK) {
        touch(name);
        touch(value);
        if (kind == IOTSEC_EAT_SUBMOD_CLAIMS && depth == 0 &&
            iotsec_eat_claims_decode(value.ptr, value.len, &sub, NULL) == IOTSEC_OK)
            walk(&sub, 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t nonce[12] = {0x35, 0x15, 0x74, 0x49, 0x61, 0x25,
                                      0x4b, 0x41, 0xa6, 0xcf, 0x9c, 0x02};
    static uint8_t scratch[2048];
    static int ready;
    struct iotsec_eat_verify_opts o;
    struct iotsec_eat_claims c;
    struct iotsec_eat_token t;
    uint8_t *buf;
    int64_t bad;

    if (!ready) {
        setup();
        ready = 1;
    }
    if (size < 1)
        return 0;
    /* a copy of exactly the input's size, so that a read past it faults */
    buf = malloc(size - 1 ? size - 1 : 1);
    memcpy(buf, data + 1, size - 1);
    if ((data[0] & 1) == 0) {
        if (iotsec_eat_claims_decode(buf, size - 1, &c, &bad) == IOTSEC_OK)
            walk(&c, 0);
    } else {
        memset(&o, 0, sizeof(o));
        o.allow_uccs = true;
        o.constrained = (data[0] & 2) != 0;
        if (data[0] & 4) {
            o.nonce = nonce;
            o.nonce_len = sizeof(nonce);
        }
        o.now = (data[0] & 8) ? 1634320000 : 0;
        o.max_age = (data[0] & 24) == 24 ? 3600 : 0;
        o.scratch.ptr = scratch;
        o.scratch.len = sizeof(scratch);
        if (iotsec_eat_verify(buf, size - 1, &ks, &o, &t, &c) == IOTSEC_OK) {
            touch(t.claims);
            touch(t.kid);
            walk(&c, 0);
            if (t.form == IOTSEC_EAT_FORM_DEB) {
                struct iotsec_cbor_dec m;
                struct iotsec_cbuf name, set;
                if (iotsec_cbor_enter_map(&t.detached, &m, NULL) != IOTSEC_OK)
                    abort(); /* verified means checked */
                while (iotsec_cbor_get_tstr(&m, &name) == IOTSEC_OK &&
                       iotsec_cbor_get_bstr(&m, &set) == IOTSEC_OK) {
                    touch(set);
                    if (iotsec_eat_claims_decode(set.ptr, set.len, &c, NULL) != IOTSEC_OK)
                        abort();
                }
            }
        } else if (c.present != 0 || t.form != 0) {
            abort(); /* nothing is handed out from a token that failed */
        }
    }
    free(buf);
    return 0;
}
