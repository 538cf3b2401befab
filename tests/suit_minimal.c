/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SUIT processor built for the manifest draft's conformance set only
 * (-DIOTSEC_SUIT_ENCRYPTION=0 -DIOTSEC_SUIT_TRUST_DOMAINS=0
 * -DIOTSEC_SUIT_UPDATE_MANAGEMENT=0 -DIOTSEC_COSE_VERIFY_MAC=0
 * -DIOTSEC_COSE_VERIFY_SIGN=0, the build the Cortex-M size figures are
 * taken from): what it keeps still works, and each feature left out is
 * refused as unsupported with storage untouched, where the full build would
 * have gone on. Built twice: as test_suit_minimal with the commands section
 * 8.5 makes optional and integrated payloads, and as test_suit_required
 * without them (-DIOTSEC_SUIT_OPTIONAL_COMMANDS=0
 * -DIOTSEC_SUIT_INTEGRATED_PAYLOADS=0).
 */
#include <stdlib.h>
#include <string.h>

#include "iotsec/suit.h"
#include "suit_env.h"
#include "suit_mem.h"
#include "test_util.h"

#if IOTSEC_SUIT_ENCRYPTION || IOTSEC_SUIT_TRUST_DOMAINS || IOTSEC_SUIT_UPDATE_MANAGEMENT || \
    IOTSEC_COSE_VERIFY_MAC || IOTSEC_COSE_VERIFY_SIGN
#error "suit_minimal.c is built with every optional SUIT feature switched off"
#endif

static const uint8_t id00[] = {0x81, 0x41, 0x00};

static struct iotsec_key anchor;
static struct iotsec_cose_keyset_entry anchor_e;
static struct iotsec_cose_keyset anchors = {&anchor_e, 1};
static uint8_t scratch[4096];
static struct mem_dev dev;
static struct iotsec_suit_platform plat;
static struct iotsec_suit_ctx ctx;

static void device(void)
{
    mem_example_device(&plat, &dev);
    plat.trust_anchors = &anchors;
}

static enum iotsec_err run_vector(const char *name, unsigned procs)
{
    char rel[256];
    size_t len;
    uint8_t *env;
    enum iotsec_err err;

    snprintf(rel, sizeof(rel), "vectors/suit/%s", name);
    env = test_read_file(test_shared_path(rel), &len);
    CHECK_MSG(env != NULL, "cannot read %s", rel);
    if (env == NULL)
        return IOTSEC_ERR_IO;
    err = iotsec_suit_process(&ctx, &plat, env, len, procs,
                              (struct iotsec_buf){scratch, sizeof(scratch)});
    free(env);
    return err;
}

/*
 * The device holding "image" in component [h'00'] and trusting @p ks, and
 * an envelope into @p env authenticated with @p key whose manifest has the
 * one command sequence @p cmds (hex) as member @p member. Returns the
 * envelope's length.
 */
static size_t one_sequence(int member, const char *cmds, const struct iotsec_key *key,
                           struct iotsec_cose_keyset *ks, uint8_t *env, size_t cap)
{
    static uint8_t man[256], seq[16];
    size_t n = test_unhex(cmds, seq, sizeof(seq)), mlen, len;

    CHECK(n != (size_t)-1);
    mlen = suit_env_manifest(1, member, seq, n, man, sizeof(man));
    CHECK(mlen != 0);
    len = suit_env_wrap(man, mlen, key, NULL, NULL, 0, env, cap);
    CHECK(len != 0);
    device();
    plat.trust_anchors = ks;
    mem_add(&dev, id00, sizeof(id00), (const uint8_t *)"image", 5);
    return len;
}

/* @p env (an envelope of one_sequence()) again into @p out, with the
 * leading tag of its one authentication block (18, one byte) replaced by
 * the bytes of @p prefix (hex). Returns the new length, 0 on failure. */
static size_t retag_block(const uint8_t *env, size_t len, const char *prefix, uint8_t *out,
                          size_t cap)
{
    static uint8_t blk2[512], auth2[600];
    struct iotsec_cbor_dec d, m, w, a;
    struct iotsec_cbuf auth, man, dig, blk, res;
    struct iotsec_cbor_enc e;
    uint64_t key, tag;
    size_t pl = test_unhex(prefix, blk2, sizeof(blk2));

    if (pl == (size_t)-1 || iotsec_cbor_dec_init(&d, env, len, 0, NULL) != IOTSEC_OK ||
        iotsec_cbor_get_tag(&d, &tag) != IOTSEC_OK || iotsec_cbor_enter_map(&d, &m, NULL) != IOTSEC_OK ||
        iotsec_cbor_get_uint(&m, &key) != IOTSEC_OK || key != 2 ||
        iotsec_cbor_get_bstr(&m, &auth) != IOTSEC_OK || iotsec_cbor_get_uint(&m, &key) != IOTSEC_OK ||
        key != 3 || iotsec_cbor_get_bstr(&m, &man) != IOTSEC_OK ||
        iotsec_cbor_dec_init(&w, auth.ptr, auth.len, 0, NULL) != IOTSEC_OK ||
        iotsec_cbor_enter_array(&w, &a, NULL) != IOTSEC_OK || iotsec_cbor_get_bstr(&a, &dig) != IOTSEC_OK ||
        iotsec_cbor_get_bstr(&a, &blk) != IOTSEC_OK || blk.len < 1 || blk.ptr[0] != 0xd2 ||
        pl + blk.len - 1 > sizeof(blk2))
        return 0;
    memcpy(blk2 + pl, blk.ptr + 1, blk.len - 1);
    iotsec_cbor_enc_init(&e, auth2, sizeof(auth2));
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_bstr(&e, dig.ptr, dig.len);
    iotsec_cbor_enc_bstr(&e, blk2, pl + blk.len - 1);
    if (iotsec_cbor_enc_finish(&e, &res) != IOTSEC_OK)
        return 0;
    iotsec_cbor_enc_init(&e, out, cap);
    iotsec_cbor_enc_tag(&e, tag);
    iotsec_cbor_enc_map(&e, 2);
    iotsec_cbor_enc_uint(&e, 2);
    iotsec_cbor_enc_bstr(&e, res.ptr, res.len);
    iotsec_cbor_enc_uint(&e, 3);
    iotsec_cbor_enc_bstr(&e, man.ptr, man.len);
    return iotsec_cbor_enc_finish(&e, &res) == IOTSEC_OK ? res.len : 0;
}

int main(void)
{
    static const uint8_t hkey[32] = {'k'};
    static uint8_t env[512];
    struct iotsec_key signer, mac;
    struct iotsec_cose_keyset_entry both[2];
    struct iotsec_cose_keyset ks2 = {both, 2};
    struct mem_comp *c;
    size_t len;
    char *pem = (char *)test_read_file(
        test_shared_path("vectors/suit/keys/ietf-example-p256.pub.pem"), &len);

    CHECK(pem != NULL);
    if (pem == NULL)
        return test_summary();
    CHECK_ERR(iotsec_key_from_pem(&anchor, pem, len), IOTSEC_OK);
    free(pem);
    anchor_e.key = &anchor;

    /* kept: Example 0 (signature, shared, validate, invoke) */
    device();
    c = mem_add(&dev, id00, sizeof(id00), NULL, 0);
    memcpy(c->digest, mem_sample_digest, 32);
    c->use_digest = 1;
    c->len = 34768;
    CHECK_ERR(run_vector("manifest/ex0-secure-boot.signed.cbor", IOTSEC_SUIT_PROC_INVOKE),
              IOTSEC_OK);
    CHECK(dev.invokes == 1);

    /* left out: firmware encryption (encryption-info on write) */
    device();
    {
        static const uint8_t idp[] = {0x81, 0x52, 'd', 'e', 'c', 'r', 'y', 'p', 't', 'e', 'd',
                                      '-',  'f',  'i', 'r', 'm', 'w', 'a', 'r', 'e'};
        mem_add(&dev, idp, sizeof(idp), (const uint8_t *)"old", 3);
    }
    CHECK_ERR(run_vector("encryption/suit-manifest-es-ecdh-content.signed.cbor",
                         IOTSEC_SUIT_PROC_UPDATE),
              IOTSEC_ERR_UNSUPPORTED);
    CHECK(dev.commits == 0);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, "old", 3);

    /* left out: trust domains (a manifest with dependencies) */
    device();
    {
        static const uint8_t id_00[] = {0x81, 0x42, '0', '0'}, id_10[] = {0x81, 0x42, '1', '0'};
        mem_add(&dev, id_10, sizeof(id_10), NULL, 0);
        mem_add(&dev, id_00, sizeof(id_00), NULL, 0);
    }
    CHECK_ERR(run_vector("trust-domains/example2_integrated.cbor", IOTSEC_SUIT_PROC_UPDATE),
              IOTSEC_ERR_UNSUPPORTED);
    CHECK(dev.commits == 0 && dev.c[0].len == 0 && dev.c[1].len == 0);

    /* left out: MAC authentication (a COSE_Mac0 wrapper) */
    device();
    CHECK_ERR(run_vector("encryption/suit-manifest-aes-kw.signed.cbor", IOTSEC_SUIT_PROC_UPDATE),
              IOTSEC_ERR_UNSUPPORTED);
    CHECK(ctx.reason == IOTSEC_SUIT_REASON_COSE_UNSUPPORTED);

    /* left out: update management. validate = [version, 15]: a full build
     * finds the version parameter missing (malformed); this one does not
     * know the condition at all. */
    CHECK_ERR(iotsec_key_generate(&signer, IOTSEC_CRV_P256), IOTSEC_OK);
    iotsec_key_init_symmetric(&mac, hkey, sizeof(hkey));
    both[0].key = &signer;
    both[0].kid = (struct iotsec_cbuf){NULL, 0};
    both[1].key = &mac;
    both[1].kid = (struct iotsec_cbuf){NULL, 0};
    len = one_sequence(IOTSEC_SUIT_VALIDATE, "82 18 1c 0f", &signer, &ks2, env, sizeof(env));
    CHECK_ERR(iotsec_suit_process(&ctx, &plat, env, len, IOTSEC_SUIT_PROC_INVOKE,
                                  (struct iotsec_buf){scratch, sizeof(scratch)}),
              IOTSEC_ERR_UNSUPPORTED);
    CHECK(ctx.fail_command == IOTSEC_SUIT_COND_VERSION &&
          ctx.reason == IOTSEC_SUIT_REASON_COMMAND_UNSUPPORTED);
    /* ... and the same envelope MACed is refused before that */
    len = one_sequence(IOTSEC_SUIT_VALIDATE, "82 18 1c 0f", &mac, &ks2, env, sizeof(env));
    CHECK_ERR(iotsec_suit_process(&ctx, &plat, env, len, IOTSEC_SUIT_PROC_INVOKE,
                                  (struct iotsec_buf){scratch, sizeof(scratch)}),
              IOTSEC_ERR_UNSUPPORTED);
    CHECK(ctx.fail_command == 0 && ctx.reason == IOTSEC_SUIT_REASON_COSE_UNSUPPORTED);

    /* left out: COSE_Sign (several signatures in one block). A COSE_Sign
     * block is refused as unsupported; an untagged block is malformed, as
     * in every build; no key is tried */
    {
        static const struct {
            const char *hex;
            enum iotsec_err err;
            enum iotsec_suit_reason reason;
        } cases[] = {
            /* 107({2: << [<< [-16, h''] >>, << 98([h'', {}, nil, []]) >>] >>, 3: << {} >>}) */
            {"d86b a2 02 4d 82 43 822f40 47 d862 84 40 a0 f6 80 03 41 a0", IOTSEC_ERR_UNSUPPORTED,
             IOTSEC_SUIT_REASON_COSE_UNSUPPORTED},
            /* the same block untagged */
            {"d86b a2 02 4b 82 43 822f40 45 84 40 a0 f6 80 03 41 a0", IOTSEC_ERR_MALFORMED,
             IOTSEC_SUIT_REASON_CBOR_PARSE},
            /* the COSE_Sign under a CWT tag; the CWT tag over an untagged block */
            {"d86b a2 02 4f 82 43 822f40 49 d83d d862 84 40 a0 f6 80 03 41 a0",
             IOTSEC_ERR_UNSUPPORTED, IOTSEC_SUIT_REASON_COSE_UNSUPPORTED},
            {"d86b a2 02 4d 82 43 822f40 47 d83d 84 40 a0 f6 80 03 41 a0", IOTSEC_ERR_MALFORMED,
             IOTSEC_SUIT_REASON_CBOR_PARSE},
            /* blocks that are not one well-formed item: the validator's error */
            {"d86b a2 02 46 82 43 822f40 40 03 41 a0", IOTSEC_ERR_CBOR_EMPTY,
             IOTSEC_SUIT_REASON_CBOR_PARSE},
            {"d86b a2 02 48 82 43 822f40 42 0102 03 41 a0", IOTSEC_ERR_CBOR_TRAILING,
             IOTSEC_SUIT_REASON_CBOR_PARSE},
            {"d86b a2 02 48 82 43 822f40 42 c1ff 03 41 a0", IOTSEC_ERR_CBOR_BAD_BREAK,
             IOTSEC_SUIT_REASON_CBOR_PARSE},
        };
        size_t i;
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            len = test_unhex(cases[i].hex, env, sizeof(env));
            CHECK(len != (size_t)-1);
            device();
            CHECK_ERR(iotsec_suit_process(&ctx, &plat, env, len, IOTSEC_SUIT_PROC_INVOKE,
                                          (struct iotsec_buf){scratch, sizeof(scratch)}),
                      cases[i].err);
            CHECK_MSG(ctx.reason == cases[i].reason && ctx.m.auth_blocks == 1,
                      "case %zu: reason %d", i, (int)ctx.reason);
        }
        /* a COSE_Sign1 whose tag 18 has a two-byte head, or stands under a
         * CWT tag, verifies as in the full build */
        for (i = 0; i < 2; i++) {
            static uint8_t env2[512];
            size_t len2;
            len = one_sequence(IOTSEC_SUIT_VALIDATE, "82 0c 00", &signer, &ks2, env, sizeof(env));
            len2 = retag_block(env, len, i == 0 ? "d812" : "d83dd2", env2, sizeof(env2));
            CHECK(len2 == len + 1 + i);
            CHECK_ERR(iotsec_suit_process(&ctx, &plat, env2, len2, IOTSEC_SUIT_PROC_INVOKE,
                                          (struct iotsec_buf){scratch, sizeof(scratch)}),
                      IOTSEC_OK);
        }
    }

    /* integrated payloads: install = [override {uri: "#fw"}, fetch] takes
     * "#fw" from the envelope, or, left out, is refused where it stands */
    {
        static uint8_t man[256], seq[16];
        size_t n = test_unhex("84 14 a1 15 63 236677 15 0f", seq, sizeof(seq)), mlen;
        CHECK(n != (size_t)-1);
        mlen = suit_env_manifest(1, IOTSEC_SUIT_INSTALL, seq, n, man, sizeof(man));
        len = suit_env_wrap(man, mlen, &signer, "#fw", (const uint8_t *)"payload", 7, env,
                            sizeof(env));
        CHECK(mlen != 0 && len != 0);
        device();
        plat.trust_anchors = &ks2;
        mem_add(&dev, id00, sizeof(id00), (const uint8_t *)"image", 5);
        CHECK_ERR(iotsec_suit_process(&ctx, &plat, env, len, IOTSEC_SUIT_PROC_UPDATE,
                                      (struct iotsec_buf){scratch, sizeof(scratch)}),
                  IOTSEC_SUIT_INTEGRATED_PAYLOADS ? IOTSEC_OK : IOTSEC_ERR_UNSUPPORTED);
#if IOTSEC_SUIT_INTEGRATED_PAYLOADS
        CHECK(dev.commits == 1);
        CHECK_MEM(dev.c[0].data, dev.c[0].len, "payload", 7);
#else
        CHECK(ctx.fail_command == IOTSEC_SUIT_DIR_FETCH &&
              ctx.reason == IOTSEC_SUIT_REASON_COMMAND_UNSUPPORTED);
        CHECK(dev.commits == 0 && dev.writes == 0 && dev.fetches == 0);
        CHECK_MEM(dev.c[0].data, dev.c[0].len, "image", 5);
#endif
    }

    /* left out with trust domains: the uninstall procedure and unlink.
     * uninstall = [unlink, 15] is refused before it runs; so is unlink
     * anywhere else, the storage untouched */
    len = one_sequence(IOTSEC_SUIT_UNINSTALL, "82 18 21 0f", &signer, &ks2, env, sizeof(env));
    CHECK_ERR(iotsec_suit_process(&ctx, &plat, env, len, IOTSEC_SUIT_PROC_UNINSTALL,
                                  (struct iotsec_buf){scratch, sizeof(scratch)}),
              IOTSEC_ERR_UNSUPPORTED);
    CHECK(ctx.fail_section == IOTSEC_SUIT_UNINSTALL && dev.unlinks == 0 && dev.commits == 0);
    len = one_sequence(IOTSEC_SUIT_VALIDATE, "82 18 21 0f", &signer, &ks2, env, sizeof(env));
    CHECK_ERR(iotsec_suit_process(&ctx, &plat, env, len, IOTSEC_SUIT_PROC_INVOKE,
                                  (struct iotsec_buf){scratch, sizeof(scratch)}),
              IOTSEC_ERR_UNSUPPORTED);
    CHECK(ctx.fail_command == IOTSEC_SUIT_DIR_UNLINK && dev.unlinks == 0 && dev.commits == 0);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, "image", 5);

#if IOTSEC_SUIT_OPTIONAL_COMMANDS
    /* one-byte simple values in command arguments: set-component-index
     * true selects every component (then abort fails the condition),
     * false is malformed; a try-each may end with nil, and only end with
     * it; soft-failure false in a branch makes its failed condition fail
     * the try-each, true lets the trailing nil end it well */
    {
        static const struct {
            const char *cmds;
            enum iotsec_err err;
            int64_t fail_command;
        } cases[] = {
            {"84 0c f5 0e 0f", IOTSEC_ERR_VERIFY_FAILED, IOTSEC_SUIT_COND_ABORT},
            {"82 0c f4", IOTSEC_ERR_MALFORMED, IOTSEC_SUIT_DIR_SET_COMPONENT_INDEX},
            {"82 0f 81 f6", IOTSEC_OK, 0},
            {"82 0f 82 f6 40", IOTSEC_ERR_MALFORMED, 0}, /* (refused as it starts) */
            {"82 0f 82 47 84 14 a1 0d f4 0e 0f f6", IOTSEC_ERR_VERIFY_FAILED,
             IOTSEC_SUIT_COND_ABORT},
            {"82 0f 82 47 84 14 a1 0d f5 0e 0f f6", IOTSEC_OK, 0},
        };
        size_t i;
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            len = one_sequence(IOTSEC_SUIT_VALIDATE, cases[i].cmds, &signer, &ks2, env,
                               sizeof(env));
            CHECK_ERR(iotsec_suit_process(&ctx, &plat, env, len, IOTSEC_SUIT_PROC_INVOKE,
                                          (struct iotsec_buf){scratch, sizeof(scratch)}),
                      cases[i].err);
            CHECK_MSG(ctx.fail_command == cases[i].fail_command, "case %zu: fail_command %lld", i,
                      (long long)ctx.fail_command);
            CHECK(dev.commits == 0 && dev.invokes == 0);
        }
    }
#else
    /* left out: the commands section 8.5 makes optional. Each is refused as
     * unsupported where it stands, before anything is written */
    {
        static const struct {
            int member;
            const char *cmds;
            int64_t command;
        } cases[] = {
            {IOTSEC_SUIT_VALIDATE, "82 18 18 0f", IOTSEC_SUIT_COND_DEVICE_ID},
            {IOTSEC_SUIT_VALIDATE, "82 05 0f", IOTSEC_SUIT_COND_COMPONENT_SLOT},
            {IOTSEC_SUIT_VALIDATE, "82 06 0f", IOTSEC_SUIT_COND_CHECK_CONTENT},
            {IOTSEC_SUIT_VALIDATE, "82 0e 0f", IOTSEC_SUIT_COND_ABORT},
            {IOTSEC_SUIT_VALIDATE, "82 0f 81 f6", IOTSEC_SUIT_DIR_TRY_EACH},
            {IOTSEC_SUIT_VALIDATE, "82 18 20 41 80", IOTSEC_SUIT_DIR_RUN_SEQUENCE},
            {IOTSEC_SUIT_INSTALL, "84 14 a1 12 41 78 12 0f", IOTSEC_SUIT_DIR_WRITE},
            {IOTSEC_SUIT_INSTALL, "82 16 0f", IOTSEC_SUIT_DIR_COPY},
            {IOTSEC_SUIT_INSTALL, "82 18 1f 0f", IOTSEC_SUIT_DIR_SWAP},
        };
        size_t i;
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            unsigned procs = cases[i].member == IOTSEC_SUIT_INSTALL ? IOTSEC_SUIT_PROC_UPDATE
                                                                    : IOTSEC_SUIT_PROC_INVOKE;
            len = one_sequence(cases[i].member, cases[i].cmds, &signer, &ks2, env, sizeof(env));
            CHECK_ERR(iotsec_suit_process(&ctx, &plat, env, len, procs,
                                          (struct iotsec_buf){scratch, sizeof(scratch)}),
                      IOTSEC_ERR_UNSUPPORTED);
            CHECK_MSG(ctx.fail_command == cases[i].command &&
                          ctx.reason == IOTSEC_SUIT_REASON_COMMAND_UNSUPPORTED,
                      "case %zu: fail_command %lld, reason %d", i, (long long)ctx.fail_command,
                      (int)ctx.reason);
            CHECK(dev.commits == 0 && dev.invokes == 0 && dev.writes == 0);
            CHECK_MEM(dev.c[0].data, dev.c[0].len, "image", 5);
        }
    }
#endif

    /* and its capability report claims none of what was left out */
    {
        static uint8_t buf[512];
        struct iotsec_cbor_enc ce;
        struct iotsec_cbuf caps, comps[1] = {{id00, sizeof(id00)}};
        device();
        iotsec_cbor_enc_init(&ce, buf, sizeof(buf));
        CHECK_ERR(iotsec_suit_capabilities_encode(&ce, &plat, comps, 1), IOTSEC_OK);
        CHECK_ERR(iotsec_cbor_enc_finish(&ce, &caps), IOTSEC_OK);
        CHECK(!suit_env_cap_has(caps, 3, 19) && !suit_env_cap_has(caps, 3, 28)); /* parameters */
        CHECK(!suit_env_cap_has(caps, 2, IOTSEC_SUIT_COND_VERSION) &&
              !suit_env_cap_has(caps, 2, IOTSEC_SUIT_DIR_PROCESS_DEPENDENCY));
        CHECK(!suit_env_cap_has(caps, 4, IOTSEC_ALG_A128KW) &&
              !suit_env_cap_has(caps, 4, IOTSEC_ALG_HMAC256));
        CHECK(suit_env_cap_has(caps, 4, IOTSEC_ALG_HSS_LMS) &&
              suit_env_cap_has(caps, 2, IOTSEC_SUIT_DIR_INVOKE) &&
              suit_env_cap_has(caps, 2, IOTSEC_SUIT_COND_IMAGE_MATCH) &&
              suit_env_cap_has(caps, 2, IOTSEC_SUIT_DIR_OVERRIDE_PARAMETERS) &&
              suit_env_cap_has(caps, 3, IOTSEC_SUIT_PARAM_IMAGE_DIGEST));
        /* the optional commands and the parameters only they use */
        CHECK(suit_env_cap_has(caps, 2, IOTSEC_SUIT_DIR_TRY_EACH) == IOTSEC_SUIT_OPTIONAL_COMMANDS &&
              suit_env_cap_has(caps, 2, IOTSEC_SUIT_DIR_RUN_SEQUENCE) ==
                  IOTSEC_SUIT_OPTIONAL_COMMANDS &&
              suit_env_cap_has(caps, 2, IOTSEC_SUIT_COND_ABORT) == IOTSEC_SUIT_OPTIONAL_COMMANDS &&
              suit_env_cap_has(caps, 2, IOTSEC_SUIT_DIR_COPY) == IOTSEC_SUIT_OPTIONAL_COMMANDS &&
              suit_env_cap_has(caps, 3, 18) == IOTSEC_SUIT_OPTIONAL_COMMANDS &&
              suit_env_cap_has(caps, 3, 22) == IOTSEC_SUIT_OPTIONAL_COMMANDS);
    }

    iotsec_key_free(&signer);
    iotsec_key_free(&anchor);
    return test_summary();
}
