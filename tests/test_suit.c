/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SUIT processor tests on an in-memory device: the draft's examples with
 * their expected outcomes, envelopes built here for real images, and the
 * failure modes (authentication, rollback, identity, tamper, truncation),
 * each of which must leave storage exactly as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "iotsec/suit.h"
#include "suit_env.h"
#include "suit_mem.h"
#include "test_util.h"

static const uint8_t id00[] = {0x81, 0x41, 0x00}; /* [h'00'] */
static const uint8_t id01[] = {0x81, 0x41, 0x01};
static const uint8_t id02[] = {0x81, 0x41, 0x02};

static struct iotsec_key anchor, signer;
static struct iotsec_cose_keyset_entry anchor_e;
static struct iotsec_cose_keyset anchors = {&anchor_e, 1};
static uint8_t scratch[4096];
static struct mem_dev dev;
static struct iotsec_suit_platform plat;
static struct iotsec_suit_ctx ctx;

/* A fresh device: one component [h'00'] holding "old image". */
static void device_reset(void)
{
    mem_example_device(&plat, &dev);
    plat.trust_anchors = &anchors;
    mem_add(&dev, id00, sizeof(id00), (const uint8_t *)"old image", 9);
}

static uint8_t *load_vector(const char *name, size_t *len)
{
    char rel[256];
    uint8_t *b;

    snprintf(rel, sizeof(rel), "vectors/suit/%s", name);
    b = test_read_file(test_shared_path(rel), len);
    CHECK_MSG(b != NULL, "cannot read %s", rel);
    return b;
}

static enum iotsec_err run(const uint8_t *env, size_t len, unsigned procs)
{
    return iotsec_suit_process(&ctx, &plat, env, len, procs,
                               (struct iotsec_buf){scratch, sizeof(scratch)});
}

static void test_examples(void)
{
    size_t len;
    uint8_t *env;
    struct mem_comp *c;

    /* Example 0, secure boot: authentic; the image holds the sample digest */
    env = load_vector("manifest/ex0-secure-boot.signed.cbor", &len);
    device_reset();
    c = &dev.c[0];
    memcpy(c->digest, mem_sample_digest, 32);
    c->use_digest = 1;
    c->len = 34768; /* image-size must match too */
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_OK);
    CHECK(dev.invokes == 1); /* the real run only */
    CHECK_MEM(dev.last_invoked, dev.last_invoked_len, id00, sizeof(id00));
    CHECK(dev.commits == 0 && dev.writes == 0);
    CHECK(ctx.m.sequence_number == 0 && ctx.m.components == 1);
    /* the wrong image: validate fails at image-match, nothing is invoked */
    device_reset();
    dev.c[0].len = 34768;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_ERR_VERIFY_FAILED);
    CHECK(ctx.reason == IOTSEC_SUIT_REASON_CONDITION_FAILED);
    CHECK(ctx.fail_section == IOTSEC_SUIT_VALIDATE && ctx.fail_command == 3);
    CHECK(dev.invokes == 0);
    /* the wrong device class: the shared sequence refuses it */
    device_reset();
    plat.class_id = (struct iotsec_cbuf){mem_example_vendor, 16};
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_ERR_VERIFY_FAILED);
    CHECK(ctx.fail_command == IOTSEC_SUIT_COND_CLASS_ID);
    /* a device without component [h'00'] */
    device_reset();
    dev.c[0].id[2] = 0x07;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_ERR_UNSUPPORTED);
    CHECK(ctx.reason == IOTSEC_SUIT_REASON_COMPONENT_UNSUPPORTED);
    /* another trust anchor: unauthorised */
    device_reset();
    anchor_e.key = &signer;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_ERR_VERIFY_FAILED);
    CHECK(ctx.reason == IOTSEC_SUIT_REASON_UNAUTHORISED);
    anchor_e.key = &anchor;
    /* every truncation fails cleanly; every bit flip in the manifest too */
    {
        size_t i;
        unsigned accepted = 0;
        for (i = 0; i < len; i++) {
            uint8_t *t = malloc(i ? i : 1);
            memcpy(t, env, i);
            device_reset();
            if (run(t, i, IOTSEC_SUIT_PROC_INVOKE) == IOTSEC_OK)
                accepted++;
            free(t);
        }
        CHECK_MSG(accepted == 0, "%u truncations of example 0 accepted", accepted);
        for (i = 0; i < len; i++) {
            uint8_t *t = malloc(len);
            memcpy(t, env, len);
            t[i] ^= 0x04;
            device_reset();
            memcpy(dev.c[0].digest, mem_sample_digest, 32);
            dev.c[0].use_digest = 1;
            dev.c[0].len = 34768;
            if (run(t, len, IOTSEC_SUIT_PROC_INVOKE) == IOTSEC_OK)
                accepted++;
            free(t);
        }
        CHECK_MSG(accepted == 0, "%u bit flips of example 0 accepted", accepted);
    }
    free(env);

    /* unsigned envelopes authenticate nothing */
    env = load_vector("manifest/ex0-secure-boot.unsigned.cbor", &len);
    device_reset();
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_ERR_VERIFY_FAILED);
    CHECK(ctx.reason == IOTSEC_SUIT_REASON_UNAUTHORISED);
    free(env);

    /* Example 1, download and install: the fetched image does not match the
     * sample digest, so the update is refused and nothing changes */
    env = load_vector("manifest/ex1-download-install.signed.cbor", &len);
    device_reset();
    dev.uris[0].uri = "http://example.com/file.bin";
    dev.uris[0].data = (const uint8_t *)"new image";
    dev.uris[0].len = 9;
    dev.n_uris = 1;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_ERR_VERIFY_FAILED);
    CHECK(ctx.fail_section == IOTSEC_SUIT_INSTALL && ctx.fail_command == 3);
    CHECK(dev.fetches == 1 && strcmp(dev.last_fetch, "http://example.com/file.bin") == 0);
    CHECK(dev.commits == 0 && dev.aborts == 1);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, "old image", 9);
    CHECK(dev.seq == 0);
    /* rollback: the device has a newer manifest installed */
    device_reset();
    dev.seq = 5;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_ERR_BAD_STATE);
    CHECK(ctx.reason == IOTSEC_SUIT_REASON_UNAUTHORISED && dev.fetches == 0);
    free(env);

    /* Example 2: severable members */
    env = load_vector("manifest/ex2-severed-fields.signed-full.cbor", &len);
    device_reset();
    {
        struct iotsec_suit_manifest m;
        CHECK_ERR(iotsec_suit_authenticate(env, len, &anchors,
                                           (struct iotsec_buf){scratch, sizeof(scratch)}, &m),
                  IOTSEC_OK);
        CHECK(((m.severed >> IOTSEC_SUIT_INSTALL) & 1u) == 0 && ((m.severed >> IOTSEC_SUIT_TEXT) & 1u) == 0);
        CHECK(m.reference_uri.len == 20 && memcmp(m.reference_uri.ptr, "https://git.io/JJYoj", 20) == 0);
        /* a changed byte in the severable text member: its digest fails */
        {
            uint8_t *t = malloc(len);
            const uint8_t *at;
            memcpy(t, env, len);
            at = memmem(t, len, "arm.com", 7);
            CHECK(at != NULL);
            if (at != NULL) {
                t[at - t] ^= 0x20;
                CHECK_ERR(iotsec_suit_authenticate(t, len, &anchors,
                                                   (struct iotsec_buf){scratch, sizeof(scratch)},
                                                   &m),
                          IOTSEC_ERR_DIGEST_MISMATCH);
            }
            free(t);
        }
    }
    free(env);
    env = load_vector("manifest/ex2-severed-fields.signed-severed.cbor", &len);
    device_reset();
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_ERR_NOT_FOUND);
    CHECK(ctx.reason == IOTSEC_SUIT_REASON_SEVERING_UNSUPPORTED);
    device_reset();
    memcpy(dev.c[0].digest, mem_sample_digest, 32);
    dev.c[0].use_digest = 1;
    dev.c[0].len = 34768;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_OK);
    CHECK(dev.invokes == 1);
    free(env);

    /* Example 3, A/B images: try-each picks the branch of the slot */
    env = load_vector("manifest/ex3-ab-images.signed.cbor", &len);
    device_reset();
    dev.c[0].slot = 1;
    dev.uris[0].uri = "http://example.com/file2.bin";
    dev.uris[0].data = (const uint8_t *)"slot b";
    dev.uris[0].len = 6;
    dev.n_uris = 1;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_ERR_VERIFY_FAILED);
    CHECK(strcmp(dev.last_fetch, "http://example.com/file2.bin") == 0);
    CHECK(ctx.fail_section == IOTSEC_SUIT_INSTALL && ctx.fail_command == 3);
    device_reset();
    dev.c[0].slot = 0;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_ERR_IO); /* file1 is not served */
    CHECK(strcmp(dev.last_fetch, "http://example.com/file1.bin") == 0);
    device_reset();
    dev.c[0].slot = 2; /* no branch fits: the try-each fails */
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_ERR_VERIFY_FAILED);
    CHECK(ctx.fail_command == IOTSEC_SUIT_DIR_TRY_EACH || ctx.fail_command == 5);
    CHECK(dev.fetches == 0);
    free(env);

    /* Example 4, load from external storage: copy 0 -> 2, then check */
    env = load_vector("manifest/ex4-load-external.signed.cbor", &len);
    device_reset();
    memcpy(dev.c[0].digest, mem_sample_digest, 32);
    dev.c[0].use_digest = 1;
    dev.c[0].len = 34768;
    mem_add(&dev, id02, sizeof(id02), NULL, 0);
    mem_add(&dev, id01, sizeof(id01), (const uint8_t *)"ram", 3);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_ERR_VERIFY_FAILED);
    CHECK(ctx.fail_section == IOTSEC_SUIT_LOAD && ctx.fail_command == 3);
    CHECK(dev.writes > 0 && dev.commits == 0);
    CHECK_MEM(dev.c[2].data, dev.c[2].len, "ram", 3); /* the copy was never committed */
    CHECK(dev.invokes == 0);
    free(env);

    /* Example 5, two images: both fetched, the first fails its digest */
    env = load_vector("manifest/ex5-two-images.signed.cbor", &len);
    device_reset();
    mem_add(&dev, id01, sizeof(id01), NULL, 0);
    dev.uris[0].uri = "http://example.com/file1.bin";
    dev.uris[0].data = (const uint8_t *)"one";
    dev.uris[0].len = 3;
    dev.uris[1].uri = "http://example.com/file2.bin";
    dev.uris[1].data = (const uint8_t *)"two";
    dev.uris[1].len = 3;
    dev.n_uris = 2;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_ERR_VERIFY_FAILED);
    CHECK(ctx.fail_section == IOTSEC_SUIT_INSTALL);
    CHECK(dev.commits == 0);
    free(env);
}

/* ---- envelopes built here, for real images ---- */

static void put_digest(struct iotsec_cbor_enc *e, const uint8_t *data, size_t n)
{
    uint8_t h[32];
    size_t hl;
    size_t m = iotsec_cbor_enc_bstr_open(e);

    (void)iotsec_crypto_hash(IOTSEC_ALG_SHA256, data, n, h, sizeof(h), &hl);
    iotsec_cbor_enc_array(e, 2);
    iotsec_cbor_enc_int(e, IOTSEC_ALG_SHA256);
    iotsec_cbor_enc_bstr(e, h, hl);
    iotsec_cbor_enc_bstr_close(e, m);
}

/* Sign manifest @p mb with @p key into an envelope; with @p fw, the
 * integrated payload "#fw" too. */
static size_t wrap(uint8_t *out, size_t cap, struct iotsec_cbuf mb, const struct iotsec_key *key,
                   const uint8_t *fw, size_t fw_len)
{
    size_t n = suit_env_wrap(mb.ptr, mb.len, key, fw != NULL ? "#fw" : NULL, fw, fw_len, out, cap);

    CHECK(n != 0);
    return n;
}

/*
 * {2: auth, 3: << manifest >>} with one component [h'00']: shared sets the
 * identity and the digest of @p image; install writes @p image (or, with
 * @p integrated, fetches "#fw" from the envelope); validate checks it;
 * invoke boots it.
 */
static size_t build(uint8_t *out, size_t cap, uint64_t seq, const uint8_t *image, size_t n,
                    bool integrated, const struct iotsec_key *key)
{
    static uint8_t man[8192];
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf mb;
    size_t mark, mark2;

    iotsec_cbor_enc_init(&e, man, sizeof(man));
    iotsec_cbor_enc_map(&e, 6);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_uint(&e, 2);
    iotsec_cbor_enc_uint(&e, seq);
    iotsec_cbor_enc_uint(&e, 3); /* common */
    mark = iotsec_cbor_enc_bstr_open(&e);
    iotsec_cbor_enc_map(&e, 2);
    iotsec_cbor_enc_uint(&e, 2);
    iotsec_cbor_enc_array(&e, 1);
    iotsec_cbor_enc_raw(&e, id00, sizeof(id00));
    iotsec_cbor_enc_uint(&e, 4);
    mark2 = iotsec_cbor_enc_bstr_open(&e);
    iotsec_cbor_enc_array(&e, 6);
    iotsec_cbor_enc_uint(&e, 20);
    iotsec_cbor_enc_map(&e, 4);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_bstr(&e, mem_example_vendor, 16);
    iotsec_cbor_enc_uint(&e, 2);
    iotsec_cbor_enc_bstr(&e, mem_example_class, 16);
    iotsec_cbor_enc_uint(&e, 3);
    put_digest(&e, image, n);
    iotsec_cbor_enc_uint(&e, 14);
    iotsec_cbor_enc_uint(&e, n);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_uint(&e, 15);
    iotsec_cbor_enc_uint(&e, 2);
    iotsec_cbor_enc_uint(&e, 15);
    iotsec_cbor_enc_bstr_close(&e, mark2);
    iotsec_cbor_enc_bstr_close(&e, mark);
    iotsec_cbor_enc_uint(&e, 7); /* validate */
    mark = iotsec_cbor_enc_bstr_open(&e);
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_uint(&e, 3);
    iotsec_cbor_enc_uint(&e, 15);
    iotsec_cbor_enc_bstr_close(&e, mark);
    iotsec_cbor_enc_uint(&e, 9); /* invoke */
    mark = iotsec_cbor_enc_bstr_open(&e);
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_uint(&e, 23);
    iotsec_cbor_enc_uint(&e, 2);
    iotsec_cbor_enc_bstr_close(&e, mark);
    iotsec_cbor_enc_uint(&e, 20); /* install */
    mark = iotsec_cbor_enc_bstr_open(&e);
    iotsec_cbor_enc_array(&e, 6);
    iotsec_cbor_enc_uint(&e, 20);
    iotsec_cbor_enc_map(&e, 1);
    if (integrated) {
        iotsec_cbor_enc_uint(&e, 21);
        iotsec_cbor_enc_text(&e, "#fw");
        iotsec_cbor_enc_uint(&e, 21); /* fetch */
    } else {
        iotsec_cbor_enc_uint(&e, 18);
        iotsec_cbor_enc_bstr(&e, image, n);
        iotsec_cbor_enc_uint(&e, 18); /* write */
    }
    iotsec_cbor_enc_uint(&e, 15);
    iotsec_cbor_enc_uint(&e, 3);
    iotsec_cbor_enc_uint(&e, 15);
    iotsec_cbor_enc_bstr_close(&e, mark);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, &mb), IOTSEC_OK);
    return wrap(out, cap, mb, key, integrated ? image : NULL, n);
}

static void test_real_update(void)
{
    static uint8_t env[16384];
    static const uint8_t image[] = "a real firmware image, version 2";
    size_t len;

    /* write from the manifest's content parameter */
    len = build(env, sizeof(env), 3, image, sizeof(image), false, &signer);
    device_reset();
    anchor_e.key = &signer;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE | IOTSEC_SUIT_PROC_INVOKE), IOTSEC_OK);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, image, sizeof(image));
    CHECK(dev.seq == 3 && dev.commits == 1 && dev.invokes == 1);
    /* the same manifest again: installed already, not newer */
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_ERR_BAD_STATE);
    /* but it still boots */
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_OK);
    CHECK(dev.invokes == 2);
    /* an older one is refused for both */
    len = build(env, sizeof(env), 2, image, sizeof(image), false, &signer);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_ERR_BAD_STATE);

    /* an integrated payload fetched by "#fw" */
    len = build(env, sizeof(env), 4, image, sizeof(image), true, &signer);
    device_reset();
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_OK);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, image, sizeof(image));
    CHECK(dev.fetches == 0); /* served from the envelope, not the network */
    /* a changed integrated payload: digest fails, nothing committed */
    {
        uint8_t *at = memmem(env, len, "version 2", 9);
        CHECK(at != NULL);
        if (at != NULL)
            at[8] = '3';
        device_reset();
        CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_ERR_VERIFY_FAILED);
        CHECK_MEM(dev.c[0].data, dev.c[0].len, "old image", 9);
        CHECK(dev.commits == 0 && dev.seq == 0);
    }
    anchor_e.key = &anchor;
}

/* An encoded component identifier [tstr-as-bstr]. */
static size_t text_id(uint8_t *out, const char *name)
{
    size_t n = strlen(name);

    out[0] = 0x81;
    out[1] = (uint8_t)(0x40 | n); /* names here are shorter than 24 bytes */
    memcpy(out + 2, name, n);
    return n + 2;
}

static void test_encryption(void)
{
    static const uint8_t hmac_k[32] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"; /* 'a' * 32, see below */
    static const char plain[] = "This is a real firmware image.";
    uint8_t hk[32], kek[16], idp[32], ide[32];
    struct iotsec_key hmac, kw, ecdh;
    struct iotsec_key_parts parts;
    struct iotsec_cose_keyset_entry mac_e, dec_e[2];
    struct iotsec_cose_keyset mac_set = {&mac_e, 1}, dec_set = {dec_e, 2};
    uint8_t enc_payload[64];
    size_t len, idpl, idel, epl;
    uint8_t *env;

    (void)hmac_k;
    memset(hk, 'a', sizeof(hk));
    memset(kek, 'a', sizeof(kek));
    iotsec_key_init_symmetric(&hmac, hk, sizeof(hk));
    iotsec_key_init_symmetric(&kw, kek, sizeof(kek));
    memset(&parts, 0, sizeof(parts));
    parts.x_len = test_unhex("5886cd61dd875862e5aaa820e7a15274c968a9bc96048ddcace32f50c3651ba3",
                             parts.x, sizeof(parts.x));
    parts.y_len = test_unhex("9eed8125e932cd60c0ead3650d0a485cf726d378d1b016ed4298b2961e258f1b",
                             parts.y, sizeof(parts.y));
    parts.d_len = test_unhex("60fe6dd6d85d5740a5349b6f91267eeac5ba81b8cb53ee249e4b4eb102c476b3",
                             parts.d, sizeof(parts.d));
    CHECK_ERR(iotsec_key_import(&ecdh, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, &parts), IOTSEC_OK);
    mac_e.key = &hmac;
    mac_e.kid = (struct iotsec_cbuf){NULL, 0};
    dec_e[0].key = &kw;
    dec_e[0].kid = (struct iotsec_cbuf){(const uint8_t *)"kid-1", 5};
    dec_e[1].key = &ecdh;
    dec_e[1].kid = (struct iotsec_cbuf){(const uint8_t *)"kid-2", 5};
    epl = test_unhex("758c4b7bbae2c4c1d462423e0f0dc3164ffa7b85bb94d4bd6d7ed26ab32feb06"
                     "3385d4d3465927ec82cb5e198a59", enc_payload, sizeof(enc_payload));

    /* decrypt on write: the ciphertext is the content parameter; the
     * manifest is authenticated by COSE_Mac0 (HMAC 256/256) */
    env = load_vector("encryption/suit-manifest-aes-kw-content.signed.cbor", &len);
    memset(&dev, 0, sizeof(dev));
    mem_platform(&plat, &dev);
    plat.trust_anchors = &mac_set;
    plat.decryption_keys = &dec_set;
    idpl = text_id(idp, "plaintext-firmware");
    mem_add(&dev, idp, idpl, NULL, 0);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_OK);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, plain, sizeof(plain) - 1);
    /* without the KEK nothing is written */
    memset(&dev, 0, sizeof(dev));
    mem_add(&dev, idp, idpl, (const uint8_t *)"old", 3);
    dec_set.n = 0;
    CHECK(run(env, len, IOTSEC_SUIT_PROC_UPDATE) != IOTSEC_OK);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, "old", 3);
    dec_set.n = 2;
    free(env);

    /* decrypt on copy: fetch the ciphertext into one component, copy it
     * decrypted into another */
    env = load_vector("encryption/suit-manifest-aes-kw.signed.cbor", &len);
    memset(&dev, 0, sizeof(dev));
    mem_add(&dev, idp, idpl, NULL, 0);
    idel = text_id(ide, "encrypted-firmware");
    mem_add(&dev, ide, idel, NULL, 0);
    dev.uris[0].uri = "coaps://example.com/encrypted-firmware";
    dev.uris[0].data = enc_payload;
    dev.uris[0].len = epl;
    dev.n_uris = 1;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_OK);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, plain, sizeof(plain) - 1);
    CHECK_MEM(dev.c[1].data, dev.c[1].len, enc_payload, epl);
    /* a flipped ciphertext bit: the GCM tag fails, nothing is committed */
    enc_payload[3] ^= 1;
    memset(&dev, 0, sizeof(dev));
    mem_add(&dev, idp, idpl, (const uint8_t *)"old", 3);
    mem_add(&dev, ide, idel, NULL, 0);
    dev.uris[0].uri = "coaps://example.com/encrypted-firmware";
    dev.uris[0].data = enc_payload;
    dev.uris[0].len = epl;
    dev.n_uris = 1;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_ERR_DECRYPT_FAILED);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, "old", 3);
    CHECK(dev.commits == 0);
    enc_payload[3] ^= 1;
    free(env);

    /* the same with slot identifiers */
    env = load_vector("encryption/suit-manifest-aes-kw-slot.signed.cbor", &len);
    memset(&dev, 0, sizeof(dev));
    mem_add(&dev, id00, sizeof(id00), NULL, 0);
    mem_add(&dev, id01, sizeof(id01), NULL, 0);
    dev.uris[0].uri = "coaps://example.com/encrypted-firmware";
    dev.uris[0].data = enc_payload;
    dev.uris[0].len = epl;
    dev.n_uris = 1;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_OK);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, plain, sizeof(plain) - 1);
    free(env);

    /* the four SUIT_Encryption_Info examples decrypt their payloads */
    {
        static const char *const names[] = {"aes-kw-aes-gcm", "aes-kw-aes-ctr", "es-ecdh-aes-gcm",
                                            "es-ecdh-aes-ctr"};
        size_t i;
        for (i = 0; i < 4; i++) {
            char rel[128];
            size_t il, pl;
            uint8_t info[512], payload[128], out[128];
            char *hex;
            struct iotsec_cose_msg m;
            struct iotsec_cose_opts o;
            struct iotsec_cose_result r;
            snprintf(rel, sizeof(rel), "encryption/suit-encryption-info-%s.hex", names[i]);
            hex = (char *)load_vector(rel, &il);
            il = hex ? test_unhex(hex, info, sizeof(info)) : 0;
            free(hex);
            snprintf(rel, sizeof(rel), "encryption/encrypted-payload-%s.hex", names[i]);
            hex = (char *)load_vector(rel, &pl);
            pl = hex ? test_unhex(hex, payload, sizeof(payload)) : 0;
            free(hex);
            memset(&o, 0, sizeof(o));
            o.kdf.pub_other = (struct iotsec_cbuf){(const uint8_t *)"SUIT Payload Encryption", 23};
            o.detached = (struct iotsec_cbuf){payload, pl};
            o.allow_unauth = strstr(names[i], "ctr") != NULL;
            CHECK_ERR(iotsec_cose_decode(info, il, IOTSEC_COSE_ENCRYPT, NULL, 0, &m), IOTSEC_OK);
            CHECK_MSG(iotsec_cose_decrypt(&m, &dec_set, &o, (struct iotsec_buf){out, sizeof(out)},
                                          &r) == IOTSEC_OK &&
                          r.payload.len == sizeof(plain) - 1 &&
                          memcmp(r.payload.ptr, plain, r.payload.len) == 0,
                      "encryption info %s does not decrypt", names[i]);
        }
    }

    /* ECDH-ES+A128KW key distribution; the manifest is signed (ESP256) */
    env = load_vector("encryption/suit-manifest-es-ecdh-content.signed.cbor", &len);
    memset(&dev, 0, sizeof(dev));
    plat.trust_anchors = &anchors;
    idpl = text_id(idp, "decrypted-firmware");
    mem_add(&dev, idp, idpl, NULL, 0);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_OK);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, plain, sizeof(plain) - 1);
    free(env);
    iotsec_key_free(&ecdh);
}

static void test_trust_domains(void)
{
    static const uint8_t id_dep[] = {0x81, 0x4e, 'd', 'e', 'p', 'e', 'n', 'd', 'e', 'n', 't', '.',
                                     's', 'u', 'i', 't'};           /* ['dependent.suit'] */
    static const uint8_t id_00[] = {0x81, 0x42, '0', '0'};          /* ['00'] */
    static const uint8_t id_10[] = {0x81, 0x42, '1', '0'};          /* ['10'] */
    size_t len, dlen;
    uint8_t *env, *dep;

    /* the dependency on its own: write 'hello world', invoke with arguments */
    dep = load_vector("trust-domains/example0_dependent.cbor", &dlen);
    device_reset();
    dev.n = 0;
    mem_add(&dev, id_00, sizeof(id_00), NULL, 0);
    CHECK_ERR(run(dep, dlen, IOTSEC_SUIT_PROC_UPDATE | IOTSEC_SUIT_PROC_INVOKE), IOTSEC_OK);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, "hello world", 11);
    CHECK(dev.invokes == 1);
    CHECK_MEM(dev.last_args, dev.last_args_len, "cat 00", 6);

    /* the dependent fetches the dependency, checks its integrity, processes
     * its install, then writes its own component */
    env = load_vector("trust-domains/example1_process.cbor", &len);
    device_reset();
    dev.n = 0;
    mem_add(&dev, id_10, sizeof(id_10), NULL, 0);
    mem_add(&dev, id_00, sizeof(id_00), NULL, 0);
    mem_add(&dev, id_dep, sizeof(id_dep), NULL, 0); /* where the dependency is kept */
    dev.uris[0].uri = "http://example.com/dependent.suit";
    dev.uris[0].data = dep;
    dev.uris[0].len = dlen;
    dev.n_uris = 1;
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_OK);
    CHECK_MEM(dev.c[1].data, dev.c[1].len, "hello world", 11);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, " in multiple trust domains", 26);
    CHECK(dev.commits == 1);
    /* a different dependency: its manifest digest does not match */
    {
        uint8_t *bad = malloc(dlen);
        memcpy(bad, dep, dlen);
        bad[dlen - 2] ^= 1; /* inside the manifest's install sequence */
        device_reset();
        dev.n = 0;
        mem_add(&dev, id_10, sizeof(id_10), NULL, 0);
        mem_add(&dev, id_00, sizeof(id_00), NULL, 0);
        mem_add(&dev, id_dep, sizeof(id_dep), NULL, 0);
        dev.uris[0].uri = "http://example.com/dependent.suit";
        dev.uris[0].data = bad;
        dev.uris[0].len = dlen;
        dev.n_uris = 1;
        CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_ERR_VERIFY_FAILED);
        CHECK(dev.c[0].len == 0 && dev.c[1].len == 0 && dev.commits == 0);
        free(bad);
    }
    free(env);

    /* the dependency integrated in the envelope */
    env = load_vector("trust-domains/example2_integrated.cbor", &len);
    device_reset();
    dev.n = 0;
    mem_add(&dev, id_10, sizeof(id_10), NULL, 0);
    mem_add(&dev, id_00, sizeof(id_00), NULL, 0);
    mem_add(&dev, id_dep, sizeof(id_dep), NULL, 0);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_OK);
    CHECK(dev.fetches == 0);
    CHECK_MEM(dev.c[1].data, dev.c[1].len, "hello world", 11);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, " in multiple trust domains", 26);
    /* the dependency's commands are recorded as its own (the root's common
     * lists component ['10'] at index 0 and the dependency at index 1), the
     * root's as the root's */
    CHECK(dev.dep_records > 0 && dev.dep_records < dev.records);
    CHECK_MSG(dev.last_dependency == 1, "dependency %d", (int)dev.last_dependency);
    free(env);
    free(dep);

    /* an encrypted payload whose dependency writes it: the dependent (signed
     * by another key) sets content and encryption-info, the integrated
     * dependency (signed with the IETF key) writes and checks it */
    {
        static const uint8_t id_dec[] = {0x81, 0x52, 'd', 'e', 'c', 'r', 'y', 'p', 't', 'e',
                                         'd',  '-',  'f', 'i', 'r', 'm', 'w', 'a', 'r', 'e'};
        static const uint8_t id_depm[] = {0x81, 0x58, 24, 'd', 'e', 'p', 'e', 'n', 'd', 'e',
                                          'n',  'c',  'y', '-', 'm', 'a', 'n', 'i', 'f', 'e',
                                          's',  't',  '.', 's', 'u', 'i', 't'};
        struct iotsec_key other, ecdh;
        struct iotsec_key_parts parts;
        struct iotsec_cose_keyset_entry two[2], dk;
        struct iotsec_cose_keyset set2 = {two, 2}, dset = {&dk, 1};
        char *pem = (char *)load_vector("keys/enc-dependency-signer-p256.pub.pem", &len);
        CHECK_ERR(iotsec_key_from_pem(&other, pem, len), IOTSEC_OK);
        free(pem);
        memset(&parts, 0, sizeof(parts));
        parts.x_len = test_unhex("5886cd61dd875862e5aaa820e7a15274c968a9bc96048ddcace32f50c3651ba3",
                                 parts.x, sizeof(parts.x));
        parts.y_len = test_unhex("9eed8125e932cd60c0ead3650d0a485cf726d378d1b016ed4298b2961e258f1b",
                                 parts.y, sizeof(parts.y));
        parts.d_len = test_unhex("60fe6dd6d85d5740a5349b6f91267eeac5ba81b8cb53ee249e4b4eb102c476b3",
                                 parts.d, sizeof(parts.d));
        CHECK_ERR(iotsec_key_import(&ecdh, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, &parts), IOTSEC_OK);
        two[0].key = &other;
        two[0].kid = (struct iotsec_cbuf){NULL, 0};
        two[1].key = &anchor;
        two[1].kid = (struct iotsec_cbuf){NULL, 0};
        dk.key = &ecdh;
        dk.kid = (struct iotsec_cbuf){(const uint8_t *)"kid-2", 5};
        env = load_vector("encryption/suit-manifest-es-ecdh-dependency.signed.cbor", &len);
        device_reset();
        dev.n = 0;
        plat.trust_anchors = &set2;
        plat.decryption_keys = &dset;
        mem_add(&dev, id_dec, sizeof(id_dec), NULL, 0);
        mem_add(&dev, id_depm, sizeof(id_depm), NULL, 0);
        CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_OK);
        CHECK_MEM(dev.c[0].data, dev.c[0].len, "This is a real firmware image.", 30);
        /* with only the dependency's signer trusted, the dependent is refused */
        device_reset();
        dev.n = 0;
        mem_add(&dev, id_dec, sizeof(id_dec), NULL, 0);
        mem_add(&dev, id_depm, sizeof(id_depm), NULL, 0);
        plat.decryption_keys = &dset;
        CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_ERR_VERIFY_FAILED);
        free(env);
        iotsec_key_free(&other);
        iotsec_key_free(&ecdh);
    }
}

/* ---- commands, one manifest per case ---- */

#define VENDOR_HEX "50 fa6b4a53d5ad5fdfbe9de663e4d41ffe"
#define CLASS_HEX "50 1492af1425695e48bf429b2d51f2ab45"
/* [override {1: vendor, 2: class}, vendor, class] */
#define SHARED_ID "86 14 a2 01" VENDOR_HEX " 02" CLASS_HEX " 01 0f 02 0f"

/*
 * A signed manifest with @p ncomp components ([h'00'], [h'01']) whose
 * command sequences are given in hex (NULL: absent): shared, validate,
 * invoke, install, uninstall.
 */
static size_t hexman(uint8_t *out, size_t cap, uint64_t seq, size_t ncomp, const char *shared,
                     const char *validate, const char *invoke, const char *install,
                     const char *uninstall)
{
    static uint8_t man[2048], b[512];
    const char *seqs[4] = {validate, invoke, install, uninstall};
    static const uint64_t keys[4] = {7, 9, 20, 24};
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf mb;
    size_t i, n, members = 3, mark;

    for (i = 0; i < 4; i++)
        members += seqs[i] != NULL;
    iotsec_cbor_enc_init(&e, man, sizeof(man));
    iotsec_cbor_enc_map(&e, members);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_uint(&e, 2);
    iotsec_cbor_enc_uint(&e, seq);
    iotsec_cbor_enc_uint(&e, 3);
    mark = iotsec_cbor_enc_bstr_open(&e);
    iotsec_cbor_enc_map(&e, shared != NULL ? 2 : 1);
    iotsec_cbor_enc_uint(&e, 2);
    iotsec_cbor_enc_array(&e, ncomp);
    iotsec_cbor_enc_raw(&e, id00, sizeof(id00));
    if (ncomp > 1)
        iotsec_cbor_enc_raw(&e, id01, sizeof(id01));
    if (shared != NULL) {
        n = test_unhex(shared, b, sizeof(b));
        CHECK(n != (size_t)-1);
        iotsec_cbor_enc_uint(&e, 4);
        iotsec_cbor_enc_bstr(&e, b, n);
    }
    iotsec_cbor_enc_bstr_close(&e, mark);
    for (i = 0; i < 4; i++) {
        if (seqs[i] == NULL)
            continue;
        n = test_unhex(seqs[i], b, sizeof(b));
        CHECK(n != (size_t)-1);
        iotsec_cbor_enc_uint(&e, keys[i]);
        iotsec_cbor_enc_bstr(&e, b, n);
    }
    CHECK_ERR(iotsec_cbor_enc_finish(&e, &mb), IOTSEC_OK);
    return wrap(out, cap, mb, &signer, NULL, 0);
}

/* Run the validate sequence @p validate (after the identity checks) under
 * the invoke procedure. */
/* A digest hook that computes the true digest and reports only its first
 * short_digest_len bytes. */
static size_t short_digest_len;
static enum iotsec_err short_digest(void *pctx, struct iotsec_cbuf id, int32_t alg, uint8_t *out,
                                    size_t *out_len)
{
    (void)pctx;
    (void)id;
    if (iotsec_crypto_hash(alg, (const uint8_t *)"old image", 9, out, IOTSEC_MAX_HASH, out_len) !=
        IOTSEC_OK)
        return IOTSEC_ERR_CRYPTO;
    *out_len = short_digest_len;
    return IOTSEC_OK;
}

static enum iotsec_err validate_with(const char *validate)
{
    static uint8_t env[4096];
    size_t len = hexman(env, sizeof(env), 1, 1, SHARED_ID, validate, NULL, NULL, NULL);
    return run(env, len, IOTSEC_SUIT_PROC_INVOKE);
}

/* condition-version against a device at @p have (three parts). */
static enum iotsec_err version_case(unsigned type, const char *want_hex, int64_t a, int64_t b,
                                    int64_t c)
{
    char seq[160];

    snprintf(seq, sizeof(seq), "84 14 a1 18 1c 82 %02x %s 18 1c 0f", type, want_hex);
    dev.version[0] = a;
    dev.version[1] = b;
    dev.version[2] = c;
    dev.n_version = 3;
    return validate_with(seq);
}

static void test_commands(void)
{
    static uint8_t env[4096];
    size_t len;

    anchor_e.key = &signer;

    /* invoke alone runs in one pass, and boots once */
    device_reset();
    len = hexman(env, sizeof(env), 1, 1, SHARED_ID, NULL, "82 17 0f", NULL, NULL);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_OK);
    CHECK(dev.invokes == 1 && dev.aborts == 0 && dev.dry_records == 0 && dev.records > 0);
    CHECK_MEM(dev.last_invoked, dev.last_invoked_len, id00, sizeof(id00));
    /* a command after invoke: dry run first, then the real run boots */
    device_reset();
    len = hexman(env, sizeof(env), 1, 1, SHARED_ID, NULL, "84 17 0f 01 0f", NULL, NULL);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_OK);
    CHECK(dev.invokes == 1 && dev.aborts == 1 && dev.dry_records > 0);
    /* ... and when that command fails, nothing boots */
    device_reset();
    len = hexman(env, sizeof(env), 1, 1, SHARED_ID, NULL, "86 17 0f 14 a1 01 41 00 01 0f", NULL,
                 NULL);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_ERR_VERIFY_FAILED);
    CHECK(dev.invokes == 0 && ctx.fail_section == IOTSEC_SUIT_INVOKE &&
          ctx.fail_command == IOTSEC_SUIT_COND_VENDOR_ID);
    CHECK(ctx.reason == IOTSEC_SUIT_REASON_CONDITION_FAILED);
    /* a failing condition before invoke, in one pass */
    device_reset();
    len = hexman(env, sizeof(env), 1, 1, SHARED_ID, "84 14 a1 02 41 00 02 0f", "82 17 0f", NULL,
                 NULL);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_ERR_VERIFY_FAILED);
    CHECK(dev.invokes == 0 && ctx.fail_section == IOTSEC_SUIT_VALIDATE &&
          ctx.fail_command == IOTSEC_SUIT_COND_CLASS_ID && ctx.fail_offset == 6);
    /* no trust anchor fits the envelope (a MAC key for a signature) */
    {
        struct iotsec_key hk;
        iotsec_key_init_symmetric(&hk, (const uint8_t *)"0123456789abcdef0123456789abcdef", 32);
        device_reset();
        anchor_e.key = &hk;
        CHECK_ERR(validate_with("82 01 0f"), IOTSEC_ERR_NOT_FOUND);
        CHECK(ctx.reason == IOTSEC_SUIT_REASON_UNAUTHORISED && dev.invokes == 0);
        anchor_e.key = &signer;
    }
    /* a failure in the shared sequence is reported there */
    device_reset();
    plat.vendor_id = (struct iotsec_cbuf){mem_example_class, 16};
    CHECK_ERR(validate_with("82 02 0f"), IOTSEC_ERR_VERIFY_FAILED);
    CHECK(ctx.fail_section == IOTSEC_SUIT_SHARED_SEQUENCE &&
          ctx.fail_command == IOTSEC_SUIT_COND_VENDOR_ID && ctx.fail_offset == 39);
    /* invoke arguments reach the platform */
    device_reset();
    len = hexman(env, sizeof(env), 1, 1, SHARED_ID, NULL, "84 14 a1 17 43 617267 17 0f", NULL,
                 NULL);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_OK);
    CHECK_MEM(dev.last_args, dev.last_args_len, "arg", 3);

    /* custom commands: only what the platform registers */
    device_reset();
    CHECK_ERR(validate_with("82 20 0f"), IOTSEC_OK); /* [-1, 15] */
    CHECK(dev.customs == 2 && dev.custom_dry == 1);  /* held back: dry, then real */
    device_reset();
    CHECK_ERR(validate_with("82 21 0f"), IOTSEC_ERR_UNSUPPORTED); /* -2: not registered */
    CHECK(ctx.reason == IOTSEC_SUIT_REASON_COMMAND_UNSUPPORTED && ctx.fail_command == -2);
    device_reset();
    plat.custom = NULL;
    CHECK_ERR(validate_with("82 20 0f"), IOTSEC_ERR_UNSUPPORTED);
    CHECK(dev.customs == 0);
    /* nor in the shared sequence, registered or not */
    device_reset();
    len = hexman(env, sizeof(env), 1, 1, "82 20 0f", NULL, "82 17 0f", NULL, NULL);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_ERR_MALFORMED);
    CHECK(dev.customs == 0 && dev.invokes == 0);
    /* an unknown standard command */
    device_reset();
    CHECK_ERR(validate_with("82 18 63 0f"), IOTSEC_ERR_UNSUPPORTED); /* [99, 15] */

    /* update management: version (type, [+int]) against the device's */
    device_reset();
    CHECK_ERR(version_case(2, "82 01 02", 1, 2, 0), IOTSEC_OK);  /* 1.2.0 >= 1.2 */
    CHECK_ERR(version_case(2, "82 01 02", 1, 1, 9), IOTSEC_ERR_VERIFY_FAILED);
    CHECK_ERR(version_case(1, "82 01 02", 1, 2, 0), IOTSEC_ERR_VERIFY_FAILED); /* not > */
    CHECK_ERR(version_case(1, "82 01 02", 1, 2, 1), IOTSEC_OK);
    CHECK_ERR(version_case(3, "83 01 02 00", 1, 2, 0), IOTSEC_OK);
    CHECK_ERR(version_case(3, "81 01", 1, 0, 1), IOTSEC_ERR_VERIFY_FAILED);
    CHECK_ERR(version_case(4, "82 02 00", 1, 9, 9), IOTSEC_OK);
    CHECK_ERR(version_case(5, "82 01 03", 1, 3, 0), IOTSEC_ERR_VERIFY_FAILED); /* not < */
    CHECK_ERR(version_case(5, "82 01 03", 1, 2, 9), IOTSEC_OK);
    CHECK_ERR(version_case(6, "82 01 03", 1, 2, 9), IOTSEC_ERR_MALFORMED); /* no type 6 */
    CHECK_ERR(version_case(2, "80", 1, 2, 9), IOTSEC_ERR_MALFORMED);       /* [+int] */
    CHECK_ERR(version_case(2, "82 01 f5", 1, 2, 9), IOTSEC_ERR_MALFORMED);
    dev.n_version = 0; /* a device that knows no version */
    CHECK_ERR(validate_with("84 14 a1 18 1c 82 02 81 01 18 1c 0f"), IOTSEC_ERR_VERIFY_FAILED);
    plat.version = NULL;
    CHECK_ERR(validate_with("84 14 a1 18 1c 82 02 81 01 18 1c 0f"), IOTSEC_ERR_UNSUPPORTED);

    /* use-before 1000 */
    device_reset();
    dev.now = 999;
    CHECK_ERR(validate_with("84 14 a1 04 19 03e8 04 0f"), IOTSEC_OK);
    dev.now = 1000;
    CHECK_ERR(validate_with("84 14 a1 04 19 03e8 04 0f"), IOTSEC_ERR_VERIFY_FAILED);
    CHECK_ERR(validate_with("82 04 0f"), IOTSEC_ERR_MALFORMED); /* no use-before set */
    /* minimum-battery 50 */
    dev.battery = 49;
    CHECK_ERR(validate_with("84 14 a1 18 1a 18 32 18 1a 0f"), IOTSEC_ERR_VERIFY_FAILED);
    dev.battery = 50;
    CHECK_ERR(validate_with("84 14 a1 18 1a 18 32 18 1a 0f"), IOTSEC_OK);
    /* update-authorized at priority 5, and at -1 */
    dev.min_priority = 5;
    CHECK_ERR(validate_with("84 14 a1 18 1b 05 18 1b 0f"), IOTSEC_OK);
    CHECK_ERR(validate_with("84 14 a1 18 1b 20 18 1b 0f"), IOTSEC_ERR_VERIFY_FAILED);
    /* check-content against "old image" */
    CHECK_ERR(validate_with("84 14 a1 12 49 6f6c6420696d616765 06 0f"), IOTSEC_OK);
    CHECK_ERR(validate_with("84 14 a1 12 49 6f6c6420696d616766 06 0f"), IOTSEC_ERR_VERIFY_FAILED);
    CHECK_ERR(validate_with("84 14 a1 12 48 6f6c6420696d6167 06 0f"), IOTSEC_ERR_VERIFY_FAILED);
    /* image-match with the optional SHAKE digests of "old image" (values from
     * Python's hashlib): SHAKE128 hashed by the processor itself, SHAKE256
     * through the platform's digest hook; one flipped bit fails */
    {
        enum iotsec_err (*digest_hook)(void *, struct iotsec_cbuf, int32_t, uint8_t *, size_t *) =
            plat.digest;
        plat.digest = NULL;
        CHECK_ERR(validate_with("84 14 a2 03 58 24 8231 5820"
                                "973bd9a97e5e166cc0e95aac85af4758c8000bb3d097b78985e1b8e767ded46b"
                                " 0e 09 03 0f"),
                  IOTSEC_OK);
        CHECK_ERR(validate_with("84 14 a2 03 58 24 8231 5820"
                                "973bd9a97e5e166cc0e95aac85af4758c8000bb3d097b78985e1b8e767ded46a"
                                " 0e 09 03 0f"),
                  IOTSEC_ERR_VERIFY_FAILED);
        /* a SHAKE128 digest of the wrong length is malformed */
        CHECK_ERR(validate_with("84 14 a1 03 54 8231 5810 973bd9a97e5e166cc0e95aac85af4758 03 0f"),
                  IOTSEC_ERR_MALFORMED);
        plat.digest = digest_hook;
        CHECK_ERR(validate_with("84 14 a1 03 58 45 82382c 5840"
                                "3d13b6a7385e91c0442c090037a6d7c9127213b6b0c904bb8a46641f93c80211"
                                "ff643ffdfc3fb9091f98d4b8fa83b5e4be9f3b81d697cfe97883a747d6bb6ad5"
                                " 03 0f"),
                  IOTSEC_OK);
        CHECK_ERR(validate_with("84 14 a1 03 58 45 82382c 5840"
                                "3d13b6a7385e91c0442c090037a6d7c9127213b6b0c904bb8a46641f93c80211"
                                "ff643ffdfc3fb9091f98d4b8fa83b5e4be9f3b81d697cfe97883a747d6bb6ad4"
                                " 03 0f"),
                  IOTSEC_ERR_VERIFY_FAILED);
        /* a platform hook that answers with a digest of another length (here
         * the first half, or nothing) matches nothing */
        plat.digest = short_digest;
        short_digest_len = 32;
        CHECK_ERR(validate_with("84 14 a1 03 58 45 82382c 5840"
                                "3d13b6a7385e91c0442c090037a6d7c9127213b6b0c904bb8a46641f93c80211"
                                "ff643ffdfc3fb9091f98d4b8fa83b5e4be9f3b81d697cfe97883a747d6bb6ad5"
                                " 03 0f"),
                  IOTSEC_ERR_VERIFY_FAILED);
        short_digest_len = 0;
        CHECK_ERR(validate_with("84 14 a1 03 58 45 82382c 5840"
                                "3d13b6a7385e91c0442c090037a6d7c9127213b6b0c904bb8a46641f93c80211"
                                "ff643ffdfc3fb9091f98d4b8fa83b5e4be9f3b81d697cfe97883a747d6bb6ad5"
                                " 03 0f"),
                  IOTSEC_ERR_VERIFY_FAILED);
        plat.digest = digest_hook;
    }
    /* image-not-match: the stored digest (sample) is not that of "x" */
    dev.c[0].use_digest = 1;
    memcpy(dev.c[0].digest, mem_sample_digest, 32);
    CHECK_ERR(validate_with("84 14 a1 03 58 24 822f5820"
                            "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
                            " 18 19 0f"),
              IOTSEC_OK);
    CHECK_ERR(validate_with("84 14 a1 03 58 24 822f5820"
                            "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210"
                            " 18 19 0f"),
              IOTSEC_ERR_VERIFY_FAILED);
    /* abort always fails */
    CHECK_ERR(validate_with("82 0e 0f"), IOTSEC_ERR_VERIFY_FAILED);
    /* wait reaches the platform once (in the real run only) */
    device_reset();
    CHECK_ERR(validate_with("84 14 a1 18 1d a1 01 00 18 1d 0f"), IOTSEC_OK);
    CHECK(dev.waits == 1);
    /* override-multiple sets component 0's vendor: the check then fails */
    CHECK_ERR(validate_with("84 18 22 a1 00 a1 01 41 00 01 0f"), IOTSEC_ERR_VERIFY_FAILED);
    CHECK_ERR(validate_with("84 18 22 a1 05 a1 01 41 00 01 0f"), IOTSEC_ERR_MALFORMED);
    /* copy-params: component 1 takes vendor-id from component 0 */
    device_reset();
    mem_add(&dev, id01, sizeof(id01), NULL, 0);
    len = hexman(env, sizeof(env), 1, 2, NULL,
                 "8a 0c 00 14 a1 01" VENDOR_HEX " 0c 01 18 23 a1 00 81 01 01 0f", "84 0c 00 17 0f",
                 NULL, NULL);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_OK);
    len = hexman(env, sizeof(env), 1, 2, NULL, "88 0c 00 14 a1 01" VENDOR_HEX " 0c 01 01 0f",
                 "84 0c 00 17 0f", NULL, NULL);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_ERR_MALFORMED); /* not copied */
    CHECK(dev.invokes == 1);

    /* uninstall: unlink, committed; refused when a check fails first */
    device_reset();
    len = hexman(env, sizeof(env), 1, 1, SHARED_ID, NULL, NULL, NULL,
                 "86 14 a1 01 41 00 01 0f 18 21 0f");
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UNINSTALL), IOTSEC_ERR_VERIFY_FAILED);
    CHECK(dev.unlinks == 0 && dev.commits == 0);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, "old image", 9);
    len = hexman(env, sizeof(env), 1, 1, SHARED_ID, NULL, NULL, NULL, "82 18 21 0f");
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UNINSTALL), IOTSEC_OK);
    CHECK(dev.unlinks == 1 && dev.commits == 1 && dev.c[0].len == 0);
    len = hexman(env, sizeof(env), 1, 1, SHARED_ID, NULL, "82 17 0f", NULL, NULL);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UNINSTALL), IOTSEC_ERR_UNSUPPORTED);

    /* write with an encryption-info that is not a bstr: malformed, never
     * taken for plaintext, and nothing is written */
    device_reset();
    len = hexman(env, sizeof(env), 1, 1, SHARED_ID, NULL, NULL, "84 14 a2 12 43 6e6577 13 01 12 0f",
                 NULL);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_ERR_MALFORMED);
    CHECK(dev.commits == 0 && ctx.fail_command == IOTSEC_SUIT_DIR_WRITE);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, "old image", 9);
    len = hexman(env, sizeof(env), 1, 1, SHARED_ID, NULL, NULL, "84 14 a1 12 43 6e6577 12 0f", NULL);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_UPDATE), IOTSEC_OK);
    CHECK_MEM(dev.c[0].data, dev.c[0].len, "new", 3);

    anchor_e.key = &anchor;
}

static void test_capabilities(void)
{
    static uint8_t buf[1024], env[4096];
    struct iotsec_cbuf comps[1] = {{id00, sizeof(id00)}}, caps, rep;
    struct iotsec_cbor_enc e;
    struct iotsec_cbor_dec d, m, v;
    struct iotsec_suit_report_opts o;
    size_t len;

    device_reset();
    iotsec_cbor_enc_init(&e, buf, sizeof(buf));
    CHECK_ERR(iotsec_suit_capabilities_encode(&e, &plat, comps, 1), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, &caps), IOTSEC_OK);
    CHECK(suit_env_cap_has(caps, 2, IOTSEC_SUIT_DIR_INVOKE) && suit_env_cap_has(caps, 2, IOTSEC_SUIT_DIR_FETCH));
    CHECK(suit_env_cap_has(caps, 2, IOTSEC_SUIT_COND_VERSION) && suit_env_cap_has(caps, 2, IOTSEC_SUIT_DIR_WAIT));
    CHECK(suit_env_cap_has(caps, 3, 19) && suit_env_cap_has(caps, 3, 21) && !suit_env_cap_has(caps, 3, 6));
    CHECK(suit_env_cap_has(caps, 4, IOTSEC_ALG_SHA256) && suit_env_cap_has(caps, 4, IOTSEC_ALG_ES256) &&
          suit_env_cap_has(caps, 4, IOTSEC_ALG_A128KW) && suit_env_cap_has(caps, 4, IOTSEC_ALG_HSS_LMS));
    CHECK(suit_env_cap_has(caps, 6, IOTSEC_SUIT_UNINSTALL) && suit_env_cap_has(caps, 7, 1));
    CHECK(!suit_env_cap_has(caps, 2, IOTSEC_SUIT_COND_DEVICE_ID)); /* no device-id on this device */
    /* a platform without fetch, swap or a clock does not claim them */
    plat.fetch = NULL;
    plat.swap = NULL;
    plat.now = NULL;
    iotsec_cbor_enc_init(&e, buf, sizeof(buf));
    CHECK_ERR(iotsec_suit_capabilities_encode(&e, &plat, comps, 1), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, &caps), IOTSEC_OK);
    CHECK(!suit_env_cap_has(caps, 2, IOTSEC_SUIT_DIR_FETCH) && !suit_env_cap_has(caps, 2, IOTSEC_SUIT_DIR_SWAP) &&
          !suit_env_cap_has(caps, 2, IOTSEC_SUIT_COND_USE_BEFORE) && suit_env_cap_has(caps, 2, IOTSEC_SUIT_DIR_COPY));

    /* in a report, with a nonce: keys 2, 3, 4, 8, 99 in that order */
    device_reset();
    anchor_e.key = &signer;
    len = hexman(env, sizeof(env), 1, 1, SHARED_ID, NULL, "82 17 0f", NULL, NULL);
    CHECK_ERR(run(env, len, IOTSEC_SUIT_PROC_INVOKE), IOTSEC_OK);
    memset(&o, 0, sizeof(o));
    o.nonce = (struct iotsec_cbuf){(const uint8_t *)"12345678", 8};
    o.capabilities = true;
    o.components = comps;
    o.n_components = 1;
    iotsec_cbor_enc_init(&e, buf, sizeof(buf));
    CHECK_ERR(iotsec_suit_report_encode(&e, &ctx, &o, NULL, 0), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, &rep), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_dec_init(&d, rep.ptr, rep.len, IOTSEC_CBOR_DETERMINISTIC, NULL),
              IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_enter_map(&d, &m, &len), IOTSEC_OK);
    CHECK(len == 5);
    CHECK_ERR(iotsec_cbor_map_find_int(&m, 8, &v), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_map_find_int(&m, 2, &v), IOTSEC_OK);
    {
        struct iotsec_cbuf nb;
        CHECK_ERR(iotsec_cbor_get_bstr(&v, &nb), IOTSEC_OK);
        CHECK_MEM(nb.ptr, nb.len, "12345678", 8);
    }
    /* records name their manifest: [] the root, [1] the dependency at
     * component index 1; a failure repeated (dry run, then real) once */
    {
        static const struct iotsec_suit_record recs[] = {
            {-1, IOTSEC_SUIT_VALIDATE, 4, 0, IOTSEC_SUIT_COND_IMAGE_MATCH, IOTSEC_ERR_VERIFY_FAILED,
             true},
            {1, IOTSEC_SUIT_INSTALL, 6, 0, IOTSEC_SUIT_COND_IMAGE_MATCH, IOTSEC_ERR_VERIFY_FAILED,
             true},
            {1, IOTSEC_SUIT_INSTALL, 6, 0, IOTSEC_SUIT_COND_IMAGE_MATCH, IOTSEC_ERR_VERIFY_FAILED,
             false},
        };
        static const uint8_t want[] = {0x03, 0x82,                   /* records: two */
                                       0x85, 0x80, 0x07, 0x04, 0x00, 0xa0, /* [[], 7, 4, 0, {}] */
                                       0x85, 0x81, 0x01, 0x14, 0x06, 0x00, 0xa0}; /* [[1], 20, ...] */
        struct iotsec_cbuf out;
        memset(&o, 0, sizeof(o));
        iotsec_cbor_enc_init(&e, buf, sizeof(buf));
        CHECK_ERR(iotsec_suit_report_encode(&e, &ctx, &o, recs, 3), IOTSEC_OK);
        CHECK_ERR(iotsec_cbor_enc_finish(&e, &out), IOTSEC_OK);
        CHECK_MSG(out.len > sizeof(want) && memmem(out.ptr, out.len, want, sizeof(want)) != NULL,
                  "report records: %s", test_hex(out.ptr, out.len));
    }
    anchor_e.key = &anchor;
}

/*
 * Only severable members may stand in the manifest as a digest of an
 * envelope member. A signed manifest whose validate, load, invoke or
 * uninstall is a SUIT_Digest is malformed, whatever the envelope carries
 * under that key: otherwise an unauthenticated envelope entry would run.
 */
static void test_unseverable(void)
{
    static const int keys[] = {7, 8, 9, 24};
    /* [set-component-index 0, override {23: "EVIL"}, invoke] */
    static const uint8_t evil[] = {0x86, 0x0c, 0x00, 0x14, 0xa1, 0x17, 0x44, 'E', 'V', 'I', 'L',
                                   0x17, 0x0f};
    static uint8_t man[512], env[4096];
    size_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        struct iotsec_cbor_enc e;
        struct iotsec_cbuf mb;
        uint8_t h[32];
        size_t len, at, hl;
        unsigned procs = keys[i] == 24 ? IOTSEC_SUIT_PROC_UNINSTALL : IOTSEC_SUIT_PROC_INVOKE;
        enum iotsec_err err;

        iotsec_cbor_enc_init(&e, man, sizeof(man));
        iotsec_cbor_enc_map(&e, 4);
        iotsec_cbor_enc_uint(&e, 1);
        iotsec_cbor_enc_uint(&e, 1);
        iotsec_cbor_enc_uint(&e, 2);
        iotsec_cbor_enc_uint(&e, 1);
        iotsec_cbor_enc_uint(&e, 3); /* common: one component, no shared sequence */
        iotsec_cbor_enc_bstr(&e, (const uint8_t *)"\xa1\x02\x81\x81\x41\x00", 6);
        iotsec_cbor_enc_uint(&e, (uint64_t)keys[i]);
        /* a SUIT_Digest, even the right one, of the envelope entry below */
        CHECK_ERR(iotsec_crypto_hash(IOTSEC_ALG_SHA256, evil, sizeof(evil), h, sizeof(h), &hl),
                  IOTSEC_OK);
        iotsec_cbor_enc_array(&e, 2);
        iotsec_cbor_enc_int(&e, IOTSEC_ALG_SHA256);
        iotsec_cbor_enc_bstr(&e, h, hl);
        CHECK_ERR(iotsec_cbor_enc_finish(&e, &mb), IOTSEC_OK);
        len = wrap(env, sizeof(env) - 32, mb, &signer, NULL, 0);
        /* add the envelope entry {key: << evil >>} */
        at = env[0] == 0xd8 ? 2 : 0;
        CHECK(env[at] == 0xa2);
        env[at] = 0xa3;
        if (keys[i] >= 24)
            env[len++] = 0x18; /* uint 24 takes a one-byte argument */
        env[len++] = (uint8_t)keys[i];
        env[len++] = (uint8_t)(0x40 + sizeof(evil));
        memcpy(&env[len], evil, sizeof(evil));
        len += sizeof(evil);

        device_reset();
        anchor_e.key = &signer;
        err = run(env, len, procs);
        CHECK_MSG(err == IOTSEC_ERR_MALFORMED, "member %d as a digest: %s", keys[i],
                  iotsec_err_str(err));
        CHECK(dev.invokes == 0 && dev.commits == 0);
        anchor_e.key = &anchor;
    }
}

int main(void)
{
    size_t len;
    char *pem = (char *)test_read_file(test_shared_path("vectors/suit/keys/ietf-example-p256.pub.pem"),
                                       &len);

    CHECK(pem != NULL);
    if (pem == NULL)
        return test_summary();
    CHECK_ERR(iotsec_key_from_pem(&anchor, pem, len), IOTSEC_OK);
    free(pem);
    CHECK_ERR(iotsec_key_generate(&signer, IOTSEC_CRV_P256), IOTSEC_OK);
    anchor_e.key = &anchor;
    test_examples();
    test_real_update();
    test_encryption();
    test_trust_domains();
    test_commands();
    test_capabilities();
    test_unseverable();
    iotsec_key_free(&anchor);
    iotsec_key_free(&signer);
    return test_summary();
}
