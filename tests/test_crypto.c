/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Known-answer tests for the crypto seam (port/crypto/crypto.h) and the key
 * API (iotsec/key.h). Vectors are typed in from the RFCs and NIST documents
 * they are named after; the few that no RFC has in COSE's shapes (AES-CCM
 * with COSE's nonce/tag sizes, the PKCS#7 block after SP 800-38A F.2.1, the
 * PEM encodings) were generated with python3-cryptography, as noted there.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "iotsec/key.h"
#include "test_util.h"

#define BUF 512

static uint8_t *hx(const char *hex, size_t *len)
{
    /* Each call returns a fresh slot so several vectors can be live. */
    static uint8_t slots[12][BUF];
    static unsigned next;
    uint8_t *p = slots[next++ % 12];

    *len = test_unhex(hex, p, BUF);
    if (*len == (size_t)-1) {
        test_fail(__FILE__, __LINE__, "bad hex in vector: %.40s", hex);
        *len = 0;
    }
    return p;
}

static int all_zero(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

/* ------------------------------------------------------------------ */
/* SHA-2 (FIPS 180-4 examples)                                          */

static const char msg_2block_256[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char msg_2block_512[] =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
    "mnopqrstnopqrstu";

static const struct {
    int32_t alg;
    const char *msg;
    const char *digest;
} sha_vectors[] = {
    {IOTSEC_ALG_SHA256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {IOTSEC_ALG_SHA256, msg_2block_256,
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {IOTSEC_ALG_SHA384, "abc",
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
    {IOTSEC_ALG_SHA384, msg_2block_512,
     "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"},
    {IOTSEC_ALG_SHA512, "abc",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
     "454d4423643ce80e2a9ac94fa54ca49f"},
    {IOTSEC_ALG_SHA512, msg_2block_512,
     "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433a"
     "c7d329eeb6dd26545e96e55b874be909"},
    /* FIPS 202 SHAKE at the output lengths COSE fixes (256 and 512 bits) */
    {IOTSEC_ALG_SHAKE128, "", "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26"},
    {IOTSEC_ALG_SHAKE128, "abc", "5881092dd818bf5cf8a3ddb793fbcba74097d5c526a6d35f97b83351940f2cc8"},
    {IOTSEC_ALG_SHAKE256, "",
     "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6"
     "fc821c49479ab48640292eacb3b7c4be"},
    {IOTSEC_ALG_SHAKE256, "abc",
     "483366601360a8771c6863080cc4114d8db44530f8f1e1ee4f94ea37e78b5739d5a15bef186a5386c75744c0527e1faa"
     "9f8726e462a12a4feb06bd8801e751e4"},
};

static void test_hash(void)
{
    static const size_t pieces[] = {1, 7, 13, 2, 31, 64, 5};
    struct iotsec_crypto_hash_ctx ctx;
    uint8_t out[IOTSEC_MAX_HASH], tmp[IOTSEC_MAX_HASH];
    size_t i, n, want_len, out_len;

    for (i = 0; i < sizeof(sha_vectors) / sizeof(sha_vectors[0]); i++) {
        const uint8_t *msg = (const uint8_t *)sha_vectors[i].msg;
        size_t msg_len = strlen(sha_vectors[i].msg), off = 0, k = 0;
        const uint8_t *want = hx(sha_vectors[i].digest, &want_len);

        CHECK(iotsec_crypto_hash_len(sha_vectors[i].alg) == want_len);
        CHECK_ERR(iotsec_crypto_hash(sha_vectors[i].alg, msg, msg_len, out, sizeof(out), &out_len),
                  IOTSEC_OK);
        CHECK_MEM(out, out_len, want, want_len);

        /* incremental, odd piece sizes, must equal the one-shot digest */
        CHECK_ERR(iotsec_crypto_hash_init(&ctx, sha_vectors[i].alg), IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_hash_update(&ctx, NULL, 0), IOTSEC_OK);
        while (off < msg_len) {
            n = pieces[k++ % (sizeof(pieces) / sizeof(pieces[0]))];
            if (n > msg_len - off)
                n = msg_len - off;
            CHECK_ERR(iotsec_crypto_hash_update(&ctx, msg + off, n), IOTSEC_OK);
            off += n;
        }
        memset(tmp, 0, sizeof(tmp));
        CHECK_ERR(iotsec_crypto_hash_finish(&ctx, tmp, sizeof(tmp), &out_len), IOTSEC_OK);
        CHECK_MEM(tmp, out_len, want, want_len);
        CHECK(ctx.u.ptr == NULL);
        iotsec_crypto_hash_abort(&ctx); /* safe after finish */
        CHECK_ERR(iotsec_crypto_hash_update(&ctx, msg, 1), IOTSEC_ERR_BAD_STATE);
    }

    /* abort mid-way frees (valgrind checks), abort on a zeroed ctx is a no-op */
    CHECK_ERR(iotsec_crypto_hash_init(&ctx, IOTSEC_ALG_SHA256), IOTSEC_OK);
    CHECK_ERR(iotsec_crypto_hash_update(&ctx, (const uint8_t *)"abc", 3), IOTSEC_OK);
    iotsec_crypto_hash_abort(&ctx);
    memset(&ctx, 0, sizeof(ctx));
    iotsec_crypto_hash_abort(&ctx);
    iotsec_crypto_hash_abort(NULL);

    /* finish into a short buffer fails and still releases the ctx */
    CHECK_ERR(iotsec_crypto_hash_init(&ctx, IOTSEC_ALG_SHA512), IOTSEC_OK);
    CHECK_ERR(iotsec_crypto_hash_finish(&ctx, out, 32, &out_len), IOTSEC_ERR_BUFFER_TOO_SMALL);
    CHECK(ctx.u.ptr == NULL);
    CHECK_ERR(iotsec_crypto_hash(IOTSEC_ALG_SHA384, (const uint8_t *)"abc", 3, out, 47, &out_len),
              IOTSEC_ERR_BUFFER_TOO_SMALL);

    /* empty message */
    CHECK_ERR(iotsec_crypto_hash(IOTSEC_ALG_SHA256, NULL, 0, out, sizeof(out), &out_len), IOTSEC_OK);
    {
        size_t el;
        const uint8_t *e =
            hx("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", &el);
        CHECK_MEM(out, out_len, e, el);
    }

    CHECK_ERR(iotsec_crypto_hash_init(&ctx, 12345), IOTSEC_ERR_UNSUPPORTED_ALG);
    CHECK(ctx.u.ptr == NULL);
    CHECK_ERR(iotsec_crypto_hash(12345, (const uint8_t *)"abc", 3, out, sizeof(out), &out_len),
              IOTSEC_ERR_UNSUPPORTED_ALG);
    CHECK(iotsec_crypto_hash_len(12345) == 0);
}

/* ------------------------------------------------------------------ */
/* HMAC (RFC 4231 test cases 1, 2 and 6)                                */

static const char hmac_k1[] = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
static const char hmac_k2[] = "4a656665"; /* "Jefe" */
static const char hmac_k6[] =
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"; /* 131 bytes */
static const char hmac_d1[] = "Hi There";
static const char hmac_d2[] = "what do ya want for nothing?";
static const char hmac_d6[] = "Test Using Larger Than Block-Size Key - Hash Key First";

static const struct {
    int32_t alg;
    const char *key, *data, *mac;
} hmac_vectors[] = {
    {IOTSEC_ALG_SHA256, hmac_k1, hmac_d1,
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    {IOTSEC_ALG_SHA384, hmac_k1, hmac_d1,
     "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"},
    {IOTSEC_ALG_SHA512, hmac_k1, hmac_d1,
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4"
     "be9d914eeb61f1702e696c203a126854"},
    {IOTSEC_ALG_SHA256, hmac_k2, hmac_d2,
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {IOTSEC_ALG_SHA384, hmac_k2, hmac_d2,
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"},
    {IOTSEC_ALG_SHA512, hmac_k2, hmac_d2,
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fd"
     "caeab1a34d4a6b4b636e070a38bce737"},
    {IOTSEC_ALG_SHA256, hmac_k6, hmac_d6,
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
    {IOTSEC_ALG_SHA384, hmac_k6, hmac_d6,
     "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952"},
    {IOTSEC_ALG_SHA512, hmac_k6, hmac_d6,
     "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e52"
     "95e64f73f63f0aec8b915a985d786598"},
};

static void test_hmac(void)
{
    struct iotsec_crypto_hash_ctx ctx;
    struct iotsec_key key, ec;
    uint8_t out[IOTSEC_MAX_HASH];
    size_t i, klen, mlen, out_len;

    for (i = 0; i < sizeof(hmac_vectors) / sizeof(hmac_vectors[0]); i++) {
        const uint8_t *k = hx(hmac_vectors[i].key, &klen);
        const uint8_t *want = hx(hmac_vectors[i].mac, &mlen);
        const uint8_t *d = (const uint8_t *)hmac_vectors[i].data;
        size_t dlen = strlen(hmac_vectors[i].data);

        iotsec_key_init_symmetric(&key, k, klen);
        CHECK_ERR(iotsec_crypto_hmac(hmac_vectors[i].alg, &key, d, dlen, out, sizeof(out), &out_len),
                  IOTSEC_OK);
        CHECK_MEM(out, out_len, want, mlen);

        memset(out, 0, sizeof(out));
        CHECK_ERR(iotsec_crypto_hmac_init(&ctx, hmac_vectors[i].alg, &key), IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_hmac_update(&ctx, d, 3), IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_hmac_update(&ctx, d + 3, 0), IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_hmac_update(&ctx, d + 3, dlen - 3), IOTSEC_OK);
        /* a hash call on an HMAC ctx is a state error, not a crash */
        CHECK_ERR(iotsec_crypto_hash_update(&ctx, d, 1), IOTSEC_ERR_BAD_STATE);
        CHECK_ERR(iotsec_crypto_hmac_finish(&ctx, out, sizeof(out), &out_len), IOTSEC_OK);
        CHECK_MEM(out, out_len, want, mlen);
        CHECK(ctx.u.ptr == NULL);
    }

    /* abort of a live HMAC ctx goes through hash_abort */
    CHECK_ERR(iotsec_crypto_hmac_init(&ctx, IOTSEC_ALG_SHA256, &key), IOTSEC_OK);
    iotsec_crypto_hash_abort(&ctx);
    CHECK(ctx.u.ptr == NULL);
    CHECK_ERR(iotsec_crypto_hmac_update(&ctx, out, 1), IOTSEC_ERR_BAD_STATE);

    CHECK_ERR(iotsec_crypto_hmac_init(&ctx, IOTSEC_ALG_SHA256, &key), IOTSEC_OK);
    CHECK_ERR(iotsec_crypto_hmac_finish(&ctx, out, 31, &out_len), IOTSEC_ERR_BUFFER_TOO_SMALL);
    CHECK(ctx.u.ptr == NULL);

    CHECK_ERR(iotsec_crypto_hmac_init(&ctx, 12345, &key), IOTSEC_ERR_UNSUPPORTED_ALG);
    CHECK_ERR(iotsec_crypto_hmac(IOTSEC_ALG_HMAC256, &key, out, 1, out, sizeof(out), &out_len),
              IOTSEC_ERR_UNSUPPORTED_ALG);
    CHECK_ERR(iotsec_key_generate(&ec, IOTSEC_CRV_P256), IOTSEC_OK);
    CHECK_ERR(iotsec_crypto_hmac_init(&ctx, IOTSEC_ALG_SHA256, &ec), IOTSEC_ERR_KEY_USAGE);
    CHECK(ctx.u.ptr == NULL);
    iotsec_key_free(&ec);
}

/* ------------------------------------------------------------------ */
/* HKDF (RFC 5869 test cases 1-3, SHA-256)                              */

static void test_hkdf(void)
{
    static const struct {
        const char *ikm, *salt, *info, *okm;
    } v[] = {
        {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
         "f0f1f2f3f4f5f6f7f8f9",
         "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
        {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
         "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
         "404142434445464748494a4b4c4d4e4f",
         "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
         "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
         "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
         "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
         "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
         "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
         "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
         "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
         "cc30c58179ec3e87c14c01d5c1f3434f1d87"},
        {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
         "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
    };
    uint8_t okm[128];
    size_t i, il, sl, nl, ol;

    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        const uint8_t *ikm = hx(v[i].ikm, &il);
        const uint8_t *salt = hx(v[i].salt, &sl);
        const uint8_t *info = hx(v[i].info, &nl);
        const uint8_t *want = hx(v[i].okm, &ol);

        memset(okm, 0, sizeof(okm));
        CHECK_ERR(iotsec_crypto_hkdf(IOTSEC_ALG_SHA256, sl ? salt : NULL, sl, ikm, il,
                                     nl ? info : NULL, nl, okm, ol),
                  IOTSEC_OK);
        CHECK_MEM(okm, ol, want, ol);
    }
    CHECK_ERR(iotsec_crypto_hkdf(12345, NULL, 0, okm, 16, NULL, 0, okm, 16),
              IOTSEC_ERR_UNSUPPORTED_ALG);
    CHECK_ERR(iotsec_crypto_hkdf(IOTSEC_ALG_SHA256, NULL, 0, okm, 16, NULL, 0, okm, 255 * 32 + 1),
              IOTSEC_ERR_INVALID_ARG);
}

/* ------------------------------------------------------------------ */
/* AES key wrap (RFC 3394 sections 4.1, 4.2, 4.3, 4.6)                  */

static void test_aes_kw(void)
{
    static const struct {
        const char *kek, *data, *wrapped;
    } v[] = {
        {"000102030405060708090A0B0C0D0E0F", "00112233445566778899AABBCCDDEEFF",
         "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"},
        {"000102030405060708090A0B0C0D0E0F1011121314151617", "00112233445566778899AABBCCDDEEFF",
         "96778B25AE6CA435F92B5B97C050AED2468AB8A17AD84E5D"},
        {"000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
         "00112233445566778899AABBCCDDEEFF", "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7"},
        {"000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
         "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F",
         "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21"},
    };
    struct iotsec_key kek;
    uint8_t out[64], bad[64];
    size_t i, kl, dl, wl, out_len;

    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        const uint8_t *k = hx(v[i].kek, &kl);
        const uint8_t *d = hx(v[i].data, &dl);
        const uint8_t *w = hx(v[i].wrapped, &wl);

        iotsec_key_init_symmetric(&kek, k, kl);
        CHECK_ERR(iotsec_crypto_aes_kw_wrap(&kek, d, dl, out, sizeof(out), &out_len), IOTSEC_OK);
        CHECK_MEM(out, out_len, w, wl);
        CHECK_ERR(iotsec_crypto_aes_kw_unwrap(&kek, w, wl, out, sizeof(out), &out_len), IOTSEC_OK);
        CHECK_MEM(out, out_len, d, dl);

        /* tampered: integrity failure, output wiped */
        memcpy(bad, w, wl);
        bad[wl - 1] ^= 0x01;
        memset(out, 0xa5, sizeof(out));
        CHECK_ERR(iotsec_crypto_aes_kw_unwrap(&kek, bad, wl, out, sizeof(out), &out_len),
                  IOTSEC_ERR_DECRYPT_FAILED);
        CHECK(out_len == 0);
        CHECK(all_zero(out, sizeof(out)));
        CHECK_ERR(iotsec_crypto_aes_kw_wrap(&kek, d, dl, out, dl + 7, &out_len),
                  IOTSEC_ERR_BUFFER_TOO_SMALL);
    }
    CHECK_ERR(iotsec_crypto_aes_kw_wrap(&kek, out, 15, out, sizeof(out), &out_len),
              IOTSEC_ERR_INVALID_ARG);
    CHECK_ERR(iotsec_crypto_aes_kw_wrap(&kek, out, 8, bad, sizeof(bad), &out_len),
              IOTSEC_ERR_INVALID_ARG);
    CHECK_ERR(iotsec_crypto_aes_kw_unwrap(&kek, out, 16, bad, sizeof(bad), &out_len),
              IOTSEC_ERR_INVALID_ARG);
    CHECK_ERR(iotsec_crypto_aes_kw_unwrap(&kek, out, 25, bad, sizeof(bad), &out_len),
              IOTSEC_ERR_INVALID_ARG);
    iotsec_key_init_symmetric(&kek, out, 20);
    CHECK_ERR(iotsec_crypto_aes_kw_wrap(&kek, out, 16, bad, sizeof(bad), &out_len),
              IOTSEC_ERR_KEY_USAGE);
}

/* ------------------------------------------------------------------ */
/* AEAD                                                                 */

/* Encrypt must give want_ct (ct||tag); decrypt must give pt back; a flipped
 * tag bit and a flipped AAD bit must both fail with the output wiped. */
static void aead_kat(int32_t alg, const char *key_hex, const char *nonce_hex, const char *aad_hex,
                     const char *pt_hex, const char *ct_hex)
{
    struct iotsec_key key;
    size_t kl, nl, al, pl, cl, out_len;
    const uint8_t *k = hx(key_hex, &kl);
    const uint8_t *n = hx(nonce_hex, &nl);
    const uint8_t *a = hx(aad_hex, &al);
    const uint8_t *p = hx(pt_hex, &pl);
    const uint8_t *c = hx(ct_hex, &cl);
    uint8_t out[BUF], bad[BUF], aad2[BUF];

    iotsec_key_init_symmetric(&key, k, kl);
    CHECK(cl == pl + iotsec_crypto_aead_tag_len(alg));
    CHECK(nl == iotsec_crypto_aead_nonce_len(alg));
    CHECK(kl == iotsec_crypto_cipher_key_len(alg));

    CHECK_ERR(iotsec_crypto_aead_encrypt(alg, &key, n, nl, al ? a : NULL, al, pl ? p : NULL, pl, out,
                                         sizeof(out), &out_len),
              IOTSEC_OK);
    CHECK_MEM(out, out_len, c, cl);
    memset(out, 0, sizeof(out));
    CHECK_ERR(iotsec_crypto_aead_decrypt(alg, &key, n, nl, al ? a : NULL, al, c, cl, out,
                                         sizeof(out), &out_len),
              IOTSEC_OK);
    CHECK_MEM(out, out_len, p, pl);

    /* in-place decrypt */
    memcpy(bad, c, cl);
    CHECK_ERR(iotsec_crypto_aead_decrypt(alg, &key, n, nl, al ? a : NULL, al, bad, cl, bad,
                                         sizeof(bad), &out_len),
              IOTSEC_OK);
    CHECK_MEM(bad, out_len, p, pl);

    memcpy(bad, c, cl);
    bad[cl - 1] ^= 0x80;
    memset(out, 0xa5, sizeof(out));
    CHECK_ERR(iotsec_crypto_aead_decrypt(alg, &key, n, nl, al ? a : NULL, al, bad, cl, out,
                                         sizeof(out), &out_len),
              IOTSEC_ERR_DECRYPT_FAILED);
    CHECK(out_len == 0);
    CHECK(all_zero(out, sizeof(out)));
    if (pl > 0) {
        memcpy(bad, c, cl);
        bad[0] ^= 0x01;
        memset(out, 0xa5, sizeof(out));
        CHECK_ERR(iotsec_crypto_aead_decrypt(alg, &key, n, nl, al ? a : NULL, al, bad, cl, out,
                                             sizeof(out), &out_len),
                  IOTSEC_ERR_DECRYPT_FAILED);
        CHECK(all_zero(out, sizeof(out)));
    }
    if (al > 0) {
        memcpy(aad2, a, al);
        aad2[al - 1] ^= 0x01;
        memset(out, 0xa5, sizeof(out));
        CHECK_ERR(iotsec_crypto_aead_decrypt(alg, &key, n, nl, aad2, al, c, cl, out, sizeof(out),
                                             &out_len),
                  IOTSEC_ERR_DECRYPT_FAILED);
        CHECK(all_zero(out, sizeof(out)));
    }
    /* truncated below the tag */
    CHECK_ERR(iotsec_crypto_aead_decrypt(alg, &key, n, nl, a, al, c,
                                         iotsec_crypto_aead_tag_len(alg) - 1, out, sizeof(out),
                                         &out_len),
              IOTSEC_ERR_DECRYPT_FAILED);
    /* wrong nonce length, wrong key length, short output */
    CHECK_ERR(iotsec_crypto_aead_encrypt(alg, &key, n, nl - 1, a, al, p, pl, out, sizeof(out),
                                         &out_len),
              IOTSEC_ERR_INVALID_ARG);
    CHECK_ERR(iotsec_crypto_aead_decrypt(alg, &key, n, nl + 1, a, al, c, cl, out, sizeof(out),
                                         &out_len),
              IOTSEC_ERR_INVALID_ARG);
    CHECK_ERR(iotsec_crypto_aead_encrypt(alg, &key, n, nl, a, al, p, pl, out, cl - 1, &out_len),
              IOTSEC_ERR_BUFFER_TOO_SMALL);
    iotsec_key_init_symmetric(&key, k, kl == 16 ? 32 : 16);
    CHECK_ERR(iotsec_crypto_aead_encrypt(alg, &key, n, nl, a, al, p, pl, out, sizeof(out),
                                         &out_len),
              IOTSEC_ERR_KEY_USAGE);
}

static const char gcm_pt[] = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                             "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const char gcm_aad[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
static const char gcm_iv[] = "cafebabefacedbaddecaf888";
static const char gcm_k128[] = "feffe9928665731c6d6a8f9467308308";
static const char gcm_k256[] = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
/* McGrew-Viega test case 4 (AES-128) and 16 (AES-256): ciphertext || tag */
static const char gcm_ct128[] = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                                "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
                                "5bc94fbc3221a5db94fae95ae7121a47";
static const char gcm_ct256[] = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                                "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
                                "76fc6ece0f4e1768cddf8853bb2d551b";

/* AES-CCM in COSE's sizes. Generated with python3-cryptography (AESCCM),
 * key 40..4f (or 40..5f), nonce 10..1c (13 bytes) or 10..16 (7 bytes). */
static const char ccm_k128[] = "404142434445464748494a4b4c4d4e4f";
static const char ccm_k256[] = "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f";
static const char ccm_n13[] = "101112131415161718191a1b1c";
static const char ccm_n7[] = "10111213141516";
static const char ccm_aad[] = "8367456e637279707443a1010a40";
static const char ccm_pt[] = /* "COSE AES-CCM test message, 41 bytes long." */
    "434f5345204145532d43434d2074657374206d6573736167652c203431206279746573206c6f6e672e";

static void test_aead(void)
{
    struct iotsec_key key;
    uint8_t buf[64];
    size_t out_len;

    aead_kat(IOTSEC_ALG_A128GCM, gcm_k128, gcm_iv, gcm_aad, gcm_pt, gcm_ct128);
    aead_kat(IOTSEC_ALG_A256GCM, gcm_k256, gcm_iv, gcm_aad, gcm_pt, gcm_ct256);
    /* McGrew-Viega test case 1: empty everything, zero key and IV */
    aead_kat(IOTSEC_ALG_A128GCM, "00000000000000000000000000000000", "000000000000000000000000", "",
             "", "58e2fccefa7e3061367f1d57a4e7455a");

    aead_kat(IOTSEC_ALG_AES_CCM_16_64_128, ccm_k128, ccm_n13, ccm_aad, ccm_pt,
             "0aff2ccb1ae0a5436f02abf07214e03d1ef1a249e9821b94d9979f264b21933406c84ddac8197be5c9"
             "12f600f290c82076");
    aead_kat(IOTSEC_ALG_AES_CCM_16_64_256, ccm_k256, ccm_n13, ccm_aad, ccm_pt,
             "233c0cd94115f4a8f3de1246e52d9a28587b89c2c8d95900b84c39a654b1aa3a28b06c0e620d925a2a"
             "cb16e3fee3f2828b");
    aead_kat(IOTSEC_ALG_AES_CCM_64_64_128, ccm_k128, ccm_n7, ccm_aad, ccm_pt,
             "120c703dc435f66a5c72c7c93048b888e82760db1c2ca4833475210bff51f26fa26a1e48d1f9396391"
             "9cd9f64a418e386f");
    aead_kat(IOTSEC_ALG_AES_CCM_64_64_256, ccm_k256, ccm_n7, ccm_aad, ccm_pt,
             "e9dfd912f2e15c5046cffc66fbd45c7b697c6689e196b1015aa41d0fcfd3c2ae52190f4929e8c90c54"
             "bdc68cf91650c188");
    aead_kat(IOTSEC_ALG_AES_CCM_16_128_128, ccm_k128, ccm_n13, ccm_aad, ccm_pt,
             "0aff2ccb1ae0a5436f02abf07214e03d1ef1a249e9821b94d9979f264b21933406c84ddac8197be5c9"
             "fc25912c1a1e28442e4ec96edf4b0125");
    aead_kat(IOTSEC_ALG_AES_CCM_16_128_256, ccm_k256, ccm_n13, ccm_aad, ccm_pt,
             "233c0cd94115f4a8f3de1246e52d9a28587b89c2c8d95900b84c39a654b1aa3a28b06c0e620d925a2a"
             "3ba7f06460a5bf58c800688a5f9b6149");
    aead_kat(IOTSEC_ALG_AES_CCM_64_128_128, ccm_k128, ccm_n7, ccm_aad, ccm_pt,
             "120c703dc435f66a5c72c7c93048b888e82760db1c2ca4833475210bff51f26fa26a1e48d1f9396391"
             "896633407bf2496c60e2481d1b339945");
    aead_kat(IOTSEC_ALG_AES_CCM_64_128_256, ccm_k256, ccm_n7, ccm_aad, ccm_pt,
             "e9dfd912f2e15c5046cffc66fbd45c7b697c6689e196b1015aa41d0fcfd3c2ae52190f4929e8c90c54"
             "941d9d91f6c422e2c15fc2f61c86bc42");
    /* empty plaintext: the tag must still be computed and checked */
    aead_kat(IOTSEC_ALG_AES_CCM_16_64_128, ccm_k128, ccm_n13, ccm_aad, "", "56c0b5fd88b109f6");

    /* RFC 8439 section 2.8.2 */
    aead_kat(IOTSEC_ALG_CHACHA20_POLY1305,
             "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
             "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
             /* "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for
              * the future, sunscreen would be it." */
             "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a"
             "204966204920636f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f72207468"
             "65206675747572652c2073756e73637265656e20776f756c642062652069742e",
             "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fa"
             "fb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4"
             "fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
             "1ae10b594f09e26a7e902ecbd0600691");

    CHECK(iotsec_crypto_aead_tag_len(IOTSEC_ALG_A192GCM) == 16);
    CHECK(iotsec_crypto_aead_nonce_len(IOTSEC_ALG_A192GCM) == 12);
    CHECK(iotsec_crypto_cipher_key_len(IOTSEC_ALG_A192GCM) == 24);
    CHECK(iotsec_crypto_cipher_key_len(IOTSEC_ALG_A192CTR) == 24);
    CHECK(iotsec_crypto_cipher_key_len(IOTSEC_ALG_A256CBC) == 32);
    CHECK(iotsec_crypto_cipher_key_len(IOTSEC_ALG_A128CTR) == 16);
    CHECK(iotsec_crypto_aead_tag_len(12345) == 0);
    CHECK(iotsec_crypto_aead_nonce_len(12345) == 0);
    CHECK(iotsec_crypto_cipher_key_len(12345) == 0);
    CHECK(iotsec_crypto_aead_tag_len(IOTSEC_ALG_A128CTR) == 0);

    memset(buf, 0, sizeof(buf));
    iotsec_key_init_symmetric(&key, buf, 16);
    CHECK_ERR(iotsec_crypto_aead_encrypt(12345, &key, buf, 12, NULL, 0, buf, 16, buf + 16, 48,
                                         &out_len),
              IOTSEC_ERR_UNSUPPORTED_ALG);
    CHECK_ERR(iotsec_crypto_aead_decrypt(12345, &key, buf, 12, NULL, 0, buf, 32, buf + 32, 32,
                                         &out_len),
              IOTSEC_ERR_UNSUPPORTED_ALG);
    /* CTR is not an AEAD */
    CHECK_ERR(iotsec_crypto_aead_encrypt(IOTSEC_ALG_A128CTR, &key, buf, 16, NULL, 0, buf, 16,
                                         buf + 16, 48, &out_len),
              IOTSEC_ERR_UNSUPPORTED_ALG);
}

/* ------------------------------------------------------------------ */
/* Streaming ciphers                                                    */

/* Run a whole message through the streaming API in odd-sized chunks. */
static enum iotsec_err stream_run(int32_t alg, const uint8_t *k, size_t kl, const uint8_t *iv,
                                  size_t ivl, int decrypt, const uint8_t *aad, size_t al,
                                  const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len,
                                  uint8_t *tag, size_t tag_len)
{
    static const size_t chunks[] = {1, 7, 13, 0, 16, 3, 29, 64};
    struct iotsec_crypto_cipher_ctx ctx;
    struct iotsec_key key;
    enum iotsec_err err;
    size_t off = 0, total = 0, n, got, i = 0;

    iotsec_key_init_symmetric(&key, k, kl);
    err = iotsec_crypto_cipher_init(&ctx, alg, &key, iv, ivl, decrypt);
    if (err != IOTSEC_OK)
        return err;
    if (al > 0) {
        err = iotsec_crypto_cipher_aad(&ctx, aad, al);
        if (err != IOTSEC_OK)
            goto fail;
    }
    while (off < in_len) {
        n = chunks[i++ % (sizeof(chunks) / sizeof(chunks[0]))];
        if (n > in_len - off)
            n = in_len - off;
        err = iotsec_crypto_cipher_update(&ctx, in + off, n, out + total, n + 16, &got);
        if (err != IOTSEC_OK)
            goto fail;
        off += n;
        total += got;
    }
    err = iotsec_crypto_cipher_finish(&ctx, out + total, 16, &got, tag, tag_len);
    if (err != IOTSEC_OK)
        return err;
    *out_len = total + got;
    return IOTSEC_OK;
fail:
    iotsec_crypto_cipher_abort(&ctx);
    return err;
}

static const char sp_pt[] = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                            "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
static const char sp_k128[] = "2b7e151628aed2a6abf7158809cf4f3c";

static void test_stream(void)
{
    static const struct {
        int32_t alg;
        const char *key, *iv, *ct;
    } v[] = {
        /* SP 800-38A F.5.1 CTR-AES128.Encrypt */
        {IOTSEC_ALG_A128CTR, sp_k128, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
         "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
         "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee"},
        /* SP 800-38A F.5.5 CTR-AES256.Encrypt */
        {IOTSEC_ALG_A256CTR, "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
         "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
         "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
         "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6"},
        /* SP 800-38A F.2.1 CBC-AES128.Encrypt, then the PKCS#7 block RFC 9459
         * adds (16 x 0x10 encrypted; computed with python3-cryptography) */
        {IOTSEC_ALG_A128CBC, sp_k128, "000102030405060708090a0b0c0d0e0f",
         "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
         "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"
         "8cb82807230e1321d3fae00d18cc2012"},
    };
    struct iotsec_crypto_cipher_ctx ctx;
    struct iotsec_key key;
    uint8_t out[BUF], tag[16], tag2[16], one[BUF];
    size_t i, kl, ivl, pl, cl, out_len;

    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        const uint8_t *k = hx(v[i].key, &kl);
        const uint8_t *iv = hx(v[i].iv, &ivl);
        const uint8_t *p = hx(sp_pt, &pl);
        const uint8_t *c = hx(v[i].ct, &cl);

        memset(out, 0, sizeof(out));
        CHECK_ERR(stream_run(v[i].alg, k, kl, iv, ivl, 0, NULL, 0, p, pl, out, &out_len, NULL, 0),
                  IOTSEC_OK);
        CHECK_MEM(out, out_len, c, cl);
        memset(out, 0, sizeof(out));
        CHECK_ERR(stream_run(v[i].alg, k, kl, iv, ivl, 1, NULL, 0, c, cl, out, &out_len, NULL, 0),
                  IOTSEC_OK);
        CHECK_MEM(out, out_len, p, pl);
    }

    /* CBC: the bare F.2.1 ciphertext ends in a block whose "padding" is
     * invalid once the PKCS#7 block is missing */
    {
        const uint8_t *k = hx(sp_k128, &kl);
        const uint8_t *iv = hx("000102030405060708090a0b0c0d0e0f", &ivl);
        const uint8_t *c = hx(v[2].ct, &cl);

        CHECK_ERR(stream_run(IOTSEC_ALG_A128CBC, k, kl, iv, ivl, 1, NULL, 0, c, 64, out, &out_len,
                             NULL, 0),
                  IOTSEC_ERR_DECRYPT_FAILED);
        /* not a multiple of the block size */
        CHECK_ERR(stream_run(IOTSEC_ALG_A128CBC, k, kl, iv, ivl, 1, NULL, 0, c, 70, out, &out_len,
                             NULL, 0),
                  IOTSEC_ERR_DECRYPT_FAILED);
        /* empty plaintext encrypts to one padding block */
        CHECK_ERR(stream_run(IOTSEC_ALG_A128CBC, k, kl, iv, ivl, 0, NULL, 0, NULL, 0, out,
                             &out_len, NULL, 0),
                  IOTSEC_OK);
        CHECK(out_len == 16);
        /* AAD is GCM only */
        iotsec_key_init_symmetric(&key, k, kl);
        CHECK_ERR(iotsec_crypto_cipher_init(&ctx, IOTSEC_ALG_A128CBC, &key, iv, ivl, 0),
                  IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_cipher_aad(&ctx, iv, 4), IOTSEC_ERR_INVALID_ARG);
        CHECK_ERR(iotsec_crypto_cipher_update(&ctx, iv, 16, out, 16, &out_len),
                  IOTSEC_ERR_BUFFER_TOO_SMALL);
        iotsec_crypto_cipher_abort(&ctx);
        CHECK(ctx.u.ptr == NULL);
        iotsec_crypto_cipher_abort(&ctx);
        CHECK_ERR(iotsec_crypto_cipher_init(&ctx, IOTSEC_ALG_A128CBC, &key, iv, 12, 0),
                  IOTSEC_ERR_INVALID_ARG);
        CHECK_ERR(iotsec_crypto_cipher_init(&ctx, IOTSEC_ALG_A256CBC, &key, iv, 16, 0),
                  IOTSEC_ERR_KEY_USAGE);
        CHECK_ERR(iotsec_crypto_cipher_init(&ctx, IOTSEC_ALG_CHACHA20_POLY1305, &key, iv, 12, 0),
                  IOTSEC_ERR_UNSUPPORTED_ALG);
        CHECK_ERR(iotsec_crypto_cipher_update(&ctx, iv, 1, out, sizeof(out), &out_len),
                  IOTSEC_ERR_BAD_STATE);
    }

    /* streaming GCM equals one-shot GCM (test cases 4 and 16) */
    for (i = 0; i < 2; i++) {
        const uint8_t *k = hx(i == 0 ? gcm_k128 : gcm_k256, &kl);
        const uint8_t *iv = hx(gcm_iv, &ivl);
        size_t al;
        const uint8_t *a = hx(gcm_aad, &al);
        const uint8_t *p = hx(gcm_pt, &pl);
        const uint8_t *c = hx(i == 0 ? gcm_ct128 : gcm_ct256, &cl);
        int32_t alg = i == 0 ? IOTSEC_ALG_A128GCM : IOTSEC_ALG_A256GCM;

        iotsec_key_init_symmetric(&key, k, kl);
        CHECK_ERR(iotsec_crypto_aead_encrypt(alg, &key, iv, ivl, a, al, p, pl, one, sizeof(one),
                                             &out_len),
                  IOTSEC_OK);
        CHECK_MEM(one, out_len, c, cl);
        CHECK_ERR(stream_run(alg, k, kl, iv, ivl, 0, a, al, p, pl, out, &out_len, tag, 16),
                  IOTSEC_OK);
        CHECK_MEM(out, out_len, one, pl);
        CHECK_MEM(tag, 16, one + pl, 16);
        CHECK_ERR(stream_run(alg, k, kl, iv, ivl, 1, a, al, c, pl, out, &out_len, tag, 16),
                  IOTSEC_OK);
        CHECK_MEM(out, out_len, p, pl);
        memcpy(tag2, tag, 16);
        tag2[5] ^= 0x04;
        CHECK_ERR(stream_run(alg, k, kl, iv, ivl, 1, a, al, c, pl, out, &out_len, tag2, 16),
                  IOTSEC_ERR_DECRYPT_FAILED);
        CHECK_ERR(stream_run(alg, k, kl, iv, ivl, 0, a, al, p, pl, out, &out_len, tag, 12),
                  IOTSEC_ERR_INVALID_ARG);

        /* AAD after data is refused */
        CHECK_ERR(iotsec_crypto_cipher_init(&ctx, alg, &key, iv, ivl, 0), IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_cipher_update(&ctx, p, 5, out, sizeof(out), &out_len), IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_cipher_aad(&ctx, a, al), IOTSEC_ERR_BAD_STATE);
        iotsec_crypto_cipher_abort(&ctx);
        CHECK_ERR(iotsec_crypto_cipher_init(&ctx, alg, &key, iv, 16, 0), IOTSEC_ERR_INVALID_ARG);
    }
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

static enum iotsec_err import_hex(struct iotsec_key *key, int32_t kty, int32_t crv,
                                  const char *x, const char *y, const char *d)
{
    struct iotsec_key_parts parts;

    memset(&parts, 0, sizeof(parts));
    if (x != NULL)
        parts.x_len = test_unhex(x, parts.x, sizeof(parts.x));
    if (y != NULL)
        parts.y_len = test_unhex(y, parts.y, sizeof(parts.y));
    if (d != NULL)
        parts.d_len = test_unhex(d, parts.d, sizeof(parts.d));
    if (parts.x_len == (size_t)-1 || parts.y_len == (size_t)-1 || parts.d_len == (size_t)-1) {
        test_fail(__FILE__, __LINE__, "bad hex in key");
        return IOTSEC_ERR_INVALID_ARG;
    }
    return iotsec_key_import(key, kty, crv, &parts);
}

/* RFC 5903 section 8.1 */
static const char r5903_i[] = "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433";
static const char r5903_gix[] = "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180";
static const char r5903_giy[] = "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3";
static const char r5903_r[] = "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53";
static const char r5903_grx[] = "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63";
static const char r5903_gry[] = "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB";
static const char r5903_girx[] = "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE";

/* RFC 6979 appendix A.2.5 (P-256) */
static const char r6979_x[] = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
static const char r6979_ux[] = "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6";
static const char r6979_uy[] = "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299";

/* The RFC 6979 A.2.5 key, PEM-encoded with python3-cryptography. */
static const char pem_sec1[] =
    "-----BEGIN EC PARAMETERS-----\n"
    "BggqhkjOPQMBBw==\n"
    "-----END EC PARAMETERS-----\n"
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIMmvqdhFunUWa1whV2ex1pNOUMPbNuibEnuKYisSD2choAoGCCqGSM49\n"
    "AwEHoUQDQgAEYP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Z5A/4QCLi8\n"
    "maQa6elWKLxk8vGyDC1+n1F3o8KU1EYimQ==\n"
    "-----END EC PRIVATE KEY-----\n";
static const char pem_pkcs8[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgya+p2EW6dRZrXCFX\n"
    "Z7HWk05Qw9s26JsSe4piKxIPZyGhRANCAARg/tS6JVqdMclh63TGNW1owEm4kjth\n"
    "+mzmaWIuYPKftnkD/hAIuLyZpBrp6VYovGTy8bIMLX6fUXejwpTURiKZ\n"
    "-----END PRIVATE KEY-----\n";
static const char pem_spki[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYP7UuiVanTHJYet0xjVtaMBJuJI7\n"
    "Yfps5mliLmDyn7Z5A/4QCLi8maQa6elWKLxk8vGyDC1+n1F3o8KU1EYimQ==\n"
    "-----END PUBLIC KEY-----\n";

static void check_rfc6979_key(const struct iotsec_key *key, int priv)
{
    struct iotsec_key_parts parts;
    size_t xl, yl, dl;
    const uint8_t *x = hx(r6979_ux, &xl), *y = hx(r6979_uy, &yl), *d = hx(r6979_x, &dl);

    CHECK(key->kty == IOTSEC_KTY_EC2);
    CHECK(key->crv == IOTSEC_CRV_P256);
    CHECK(key->has_private == priv);
    CHECK(key->alg == 0);
    CHECK_ERR(iotsec_key_export(key, 1, &parts), IOTSEC_OK);
    CHECK_MEM(parts.x, parts.x_len, x, xl);
    CHECK_MEM(parts.y, parts.y_len, y, yl);
    if (priv)
        CHECK_MEM(parts.d, parts.d_len, d, dl);
    else
        CHECK(parts.d_len == 0);
}

static void test_keys(void)
{
    static const int32_t crvs[] = {IOTSEC_CRV_P256,   IOTSEC_CRV_P384, IOTSEC_CRV_P521,
                                   IOTSEC_CRV_X25519, IOTSEC_CRV_X448, IOTSEC_CRV_ED25519,
                                   IOTSEC_CRV_ED448};
    static const size_t coord[] = {32, 48, 66, 32, 56, 32, 57};
    struct iotsec_key key, key2, sym;
    struct iotsec_key_parts parts, parts2;
    char pem[2048];
    size_t i, pem_len;
    uint8_t k[16] = {0};

    /* a valid public key, then the same with y off the curve */
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, r5903_gix, r5903_giy, NULL),
              IOTSEC_OK);
    CHECK(key.has_private == 0);
    iotsec_key_free(&key);
    CHECK(key.handle == NULL && key.kty == 0);
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, r5903_gix,
                         "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB4", NULL),
              IOTSEC_ERR_KEY_INVALID);
    CHECK(key.handle == NULL);
    /* d of one key with x/y of another */
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, r5903_gix, r5903_giy, r5903_r),
              IOTSEC_ERR_KEY_INVALID);
    /* d = 0 and d = n are not private keys */
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, r5903_gix, r5903_giy,
                         "0000000000000000000000000000000000000000000000000000000000000000"),
              IOTSEC_ERR_KEY_INVALID);
    /* wrong lengths */
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, r5903_gix, NULL, NULL),
              IOTSEC_ERR_KEY_INVALID);
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_EC2, IOTSEC_CRV_P384, r5903_gix, r5903_giy, NULL),
              IOTSEC_ERR_KEY_INVALID);
    /* kty/crv mismatch, unknown curve, symmetric kty */
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_OKP, IOTSEC_CRV_P256, r5903_gix, NULL, NULL),
              IOTSEC_ERR_KEY_INVALID);
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_EC2, 99, r5903_gix, r5903_giy, NULL),
              IOTSEC_ERR_UNSUPPORTED_KEY);
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_SYMMETRIC, 0, r5903_gix, NULL, NULL),
              IOTSEC_ERR_UNSUPPORTED_KEY);
    CHECK_ERR(iotsec_key_generate(&key, 99), IOTSEC_ERR_UNSUPPORTED_KEY);

    /* export round trip: exact bytes back */
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, r6979_ux, r6979_uy, r6979_x),
              IOTSEC_OK);
    check_rfc6979_key(&key, 1);
    CHECK_ERR(iotsec_key_export(&key, 0, &parts), IOTSEC_OK);
    CHECK(parts.d_len == 0);
    iotsec_key_free(&key);

    /* OKP: d with the wrong x; x alone; wrong length */
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_OKP, IOTSEC_CRV_ED25519,
                         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", NULL,
                         "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"),
              IOTSEC_ERR_KEY_INVALID);
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_OKP, IOTSEC_CRV_ED25519,
                         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", NULL,
                         NULL),
              IOTSEC_OK);
    CHECK(key.has_private == 0 && key.kty == IOTSEC_KTY_OKP && key.crv == IOTSEC_CRV_ED25519);
    iotsec_key_free(&key);
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_OKP, IOTSEC_CRV_X25519, "0102", NULL, NULL),
              IOTSEC_ERR_KEY_INVALID);
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_OKP, IOTSEC_CRV_X25519, NULL, NULL, NULL),
              IOTSEC_ERR_KEY_INVALID);

    /* PEM: SEC1 (after an EC PARAMETERS block), PKCS#8, SPKI */
    CHECK_ERR(iotsec_key_from_pem(&key, pem_sec1, strlen(pem_sec1)), IOTSEC_OK);
    check_rfc6979_key(&key, 1);
    iotsec_key_free(&key);
    CHECK_ERR(iotsec_key_from_pem(&key, pem_pkcs8, strlen(pem_pkcs8)), IOTSEC_OK);
    check_rfc6979_key(&key, 1);
    /* our own PKCS#8 output is what python3-cryptography wrote */
    CHECK_ERR(iotsec_key_to_pem(&key, 1, pem, sizeof(pem), &pem_len), IOTSEC_OK);
    CHECK_MEM(pem, pem_len, pem_pkcs8, strlen(pem_pkcs8));
    CHECK_ERR(iotsec_key_to_pem(&key, 0, pem, sizeof(pem), &pem_len), IOTSEC_OK);
    CHECK_MEM(pem, pem_len, pem_spki, strlen(pem_spki));
    CHECK_ERR(iotsec_key_to_pem(&key, 1, pem, 20, &pem_len), IOTSEC_ERR_BUFFER_TOO_SMALL);
    iotsec_key_free(&key);
    CHECK_ERR(iotsec_key_from_pem(&key, pem_spki, strlen(pem_spki)), IOTSEC_OK);
    check_rfc6979_key(&key, 0);
    iotsec_key_free(&key);
    CHECK_ERR(iotsec_key_from_pem(&key, "garbage", 7), IOTSEC_ERR_KEY_INVALID);
    CHECK_ERR(iotsec_key_from_pem(&key, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                                  60),
              IOTSEC_ERR_UNSUPPORTED_KEY);
    CHECK_ERR(iotsec_key_from_pem(&key, pem_spki, 60), IOTSEC_ERR_KEY_INVALID); /* truncated */

    /* generate, export, PEM round trip and re-import for every curve */
    for (i = 0; i < sizeof(crvs) / sizeof(crvs[0]); i++) {
        int okp = crvs[i] >= IOTSEC_CRV_X25519;

        CHECK_ERR(iotsec_key_generate(&key, crvs[i]), IOTSEC_OK);
        CHECK(key.crv == crvs[i] && key.has_private == 1 && key.alg == 0);
        CHECK(key.kty == (okp ? IOTSEC_KTY_OKP : IOTSEC_KTY_EC2));
        CHECK_ERR(iotsec_key_export(&key, 1, &parts), IOTSEC_OK);
        CHECK(parts.x_len == coord[i] && parts.d_len == coord[i]);
        CHECK(parts.y_len == (okp ? 0 : coord[i]));

        CHECK_ERR(iotsec_key_to_pem(&key, 1, pem, sizeof(pem), &pem_len), IOTSEC_OK);
        CHECK(pem_len == strlen(pem));
        CHECK(strstr(pem, "-----BEGIN PRIVATE KEY-----") == pem);
        CHECK_ERR(iotsec_key_from_pem(&key2, pem, pem_len), IOTSEC_OK);
        CHECK(key2.kty == key.kty && key2.crv == key.crv && key2.has_private == 1);
        CHECK_ERR(iotsec_key_export(&key2, 1, &parts2), IOTSEC_OK);
        CHECK(memcmp(&parts, &parts2, sizeof(parts)) == 0);
        iotsec_key_free(&key2);

        CHECK_ERR(iotsec_key_to_pem(&key, 0, pem, sizeof(pem), &pem_len), IOTSEC_OK);
        CHECK(strstr(pem, "-----BEGIN PUBLIC KEY-----") == pem);
        CHECK_ERR(iotsec_key_from_pem(&key2, pem, pem_len), IOTSEC_OK);
        CHECK(key2.crv == key.crv && key2.has_private == 0);
        CHECK_ERR(iotsec_key_export(&key2, 1, &parts2), IOTSEC_OK);
        CHECK(parts2.d_len == 0);
        CHECK_MEM(parts2.x, parts2.x_len, parts.x, parts.x_len);
        CHECK_MEM(parts2.y, parts2.y_len, parts.y, parts.y_len);
        iotsec_key_free(&key2);

        /* raw re-import with all parts, then with the public part only */
        CHECK_ERR(iotsec_key_import(&key2, key.kty, key.crv, &parts), IOTSEC_OK);
        CHECK_ERR(iotsec_key_export(&key2, 1, &parts2), IOTSEC_OK);
        CHECK(memcmp(&parts, &parts2, sizeof(parts)) == 0);
        iotsec_key_free(&key2);
        parts.d_len = 0;
        CHECK_ERR(iotsec_key_import(&key2, key.kty, key.crv, &parts), IOTSEC_OK);
        CHECK(key2.has_private == 0);
        iotsec_key_free(&key2);
        iotsec_key_free(&key);
    }

    /* free is NULL-safe and safe on symmetric keys; export refuses them */
    iotsec_key_free(NULL);
    iotsec_key_init_symmetric(&sym, k, sizeof(k));
    CHECK_ERR(iotsec_key_export(&sym, 1, &parts), IOTSEC_ERR_INVALID_ARG);
    CHECK_ERR(iotsec_key_to_pem(&sym, 1, pem, sizeof(pem), &pem_len), IOTSEC_ERR_INVALID_ARG);
    iotsec_key_free(&sym);
    CHECK(sym.k == NULL && sym.kty == 0);
}

/* ------------------------------------------------------------------ */
/* Signatures                                                           */

static void test_eddsa(void)
{
    /* RFC 8032 section 7.1 TEST 1, 2, 3 */
    static const struct {
        const char *d, *x, *msg, *sig;
    } v[] = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
         "701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f36"
         "13d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
        {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
         "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
         "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f7"
         "60984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    };
    static const int32_t algs[] = {IOTSEC_ALG_EDDSA, IOTSEC_ALG_ED25519};
    struct iotsec_key key, pub, x25519;
    uint8_t sig[IOTSEC_MAX_SIG], bad[IOTSEC_MAX_SIG];
    size_t i, j, ml, sl, sig_len;

    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        const uint8_t *msg = hx(v[i].msg, &ml);
        const uint8_t *want = hx(v[i].sig, &sl);

        CHECK_ERR(import_hex(&key, IOTSEC_KTY_OKP, IOTSEC_CRV_ED25519, v[i].x, NULL, v[i].d),
                  IOTSEC_OK);
        CHECK_ERR(import_hex(&pub, IOTSEC_KTY_OKP, IOTSEC_CRV_ED25519, v[i].x, NULL, NULL),
                  IOTSEC_OK);
        for (j = 0; j < 2; j++) {
            memset(sig, 0, sizeof(sig));
            CHECK_ERR(iotsec_crypto_sign(algs[j], &key, ml ? msg : NULL, ml, sig, sizeof(sig),
                                         &sig_len),
                      IOTSEC_OK);
            CHECK_MEM(sig, sig_len, want, sl);
            CHECK_ERR(iotsec_crypto_verify(algs[j], &pub, ml ? msg : NULL, ml, want, sl),
                      IOTSEC_OK);
            memcpy(bad, want, sl);
            bad[i * 7 % sl] ^= 0x10;
            CHECK_ERR(iotsec_crypto_verify(algs[j], &pub, msg, ml, bad, sl),
                      IOTSEC_ERR_VERIFY_FAILED);
            CHECK_ERR(iotsec_crypto_verify(algs[j], &pub, msg, ml, want, sl - 1),
                      IOTSEC_ERR_VERIFY_FAILED);
            CHECK_ERR(iotsec_crypto_verify(algs[j], &pub, (const uint8_t *)"x", 1, want, sl),
                      IOTSEC_ERR_VERIFY_FAILED);
            CHECK_ERR(iotsec_crypto_sign(algs[j], &pub, msg, ml, sig, sizeof(sig), &sig_len),
                      IOTSEC_ERR_KEY_USAGE);
            CHECK_ERR(iotsec_crypto_sign(algs[j], &key, msg, ml, sig, 63, &sig_len),
                      IOTSEC_ERR_BUFFER_TOO_SMALL);
        }
        /* an EdDSA key is not an ECDSA key */
        CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_ES256, &pub, msg, ml, want, 64),
                  IOTSEC_ERR_KEY_USAGE);
        iotsec_key_free(&key);
        iotsec_key_free(&pub);
    }
    CHECK(iotsec_crypto_sig_len(IOTSEC_ALG_EDDSA) == 64);
    CHECK(iotsec_crypto_sig_len(IOTSEC_ALG_ED25519) == 64);

    /* RFC 8032 section 7.4 "1 octet" (Ed448, pure, empty context): only
     * with the generic EdDSA id */
    {
        const uint8_t *msg = hx("03", &ml);
        const uint8_t *want =
            hx("26b8f91727bd62897af15e41eb43c377efb9c610d48f2335cb0bd0087810f4352541b143c4b981b7"
               "e18f62de8ccdf633fc1bf037ab7cd779805e0dbcc0aae1cbcee1afb2e027df36bc04dcecbf154336"
               "c19f0af7e0a6472905e799f1953d2a0ff3348ab21aa4adafd1d234441cf807c03a00",
               &sl);

        CHECK_ERR(import_hex(&key, IOTSEC_KTY_OKP, IOTSEC_CRV_ED448,
                             "43ba28f430cdff456ae531545f7ecd0ac834a55d9358c0372bfa0c6c6798c086"
                             "6aea01eb00742802b8438ea4cb82169c235160627b4c3a9480",
                             NULL,
                             "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463a"
                             "fbea67c5e8d2877c5e3bc397a659949ef8021e954e0a12274e"),
                  IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_sign(IOTSEC_ALG_EDDSA, &key, msg, ml, sig, sizeof(sig), &sig_len),
                  IOTSEC_OK);
        CHECK_MEM(sig, sig_len, want, sl);
        CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_EDDSA, &key, msg, ml, want, sl), IOTSEC_OK);
        memcpy(bad, want, sl);
        bad[3] ^= 1;
        CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_EDDSA, &key, msg, ml, bad, sl),
                  IOTSEC_ERR_VERIFY_FAILED);
        CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_ED25519, &key, msg, ml, want, sl),
                  IOTSEC_ERR_KEY_USAGE);
        CHECK_ERR(iotsec_crypto_sign(IOTSEC_ALG_ED25519, &key, msg, ml, sig, sizeof(sig), &sig_len),
                  IOTSEC_ERR_KEY_USAGE);
        iotsec_key_free(&key);
    }

    /* X25519 keys do not sign */
    CHECK_ERR(iotsec_key_generate(&x25519, IOTSEC_CRV_X25519), IOTSEC_OK);
    CHECK_ERR(iotsec_crypto_sign(IOTSEC_ALG_EDDSA, &x25519, sig, 1, sig, sizeof(sig), &sig_len),
              IOTSEC_ERR_KEY_USAGE);
    iotsec_key_free(&x25519);
}

static void test_ecdsa(void)
{
    static const struct {
        int32_t alg, crv, other_alg;
        size_t len;
    } v[] = {
        {IOTSEC_ALG_ES256, IOTSEC_CRV_P256, IOTSEC_ALG_ES384, 64},
        {IOTSEC_ALG_ESP256, IOTSEC_CRV_P256, IOTSEC_ALG_ESP512, 64},
        {IOTSEC_ALG_ES384, IOTSEC_CRV_P384, IOTSEC_ALG_ES256, 96},
        {IOTSEC_ALG_ESP384, IOTSEC_CRV_P384, IOTSEC_ALG_ESP256, 96},
        {IOTSEC_ALG_ES512, IOTSEC_CRV_P521, IOTSEC_ALG_ES384, 132},
        {IOTSEC_ALG_ESP512, IOTSEC_CRV_P521, IOTSEC_ALG_ESP384, 132},
    };
    static const uint8_t msg[] = "This is the content.";
    struct iotsec_key key, pub;
    struct iotsec_key_parts parts;
    uint8_t sig[IOTSEC_MAX_SIG + 1], bad[IOTSEC_MAX_SIG + 1];
    size_t i, j, sig_len, sl;

    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        CHECK(iotsec_crypto_sig_len(v[i].alg) == v[i].len);
        CHECK_ERR(iotsec_key_generate(&key, v[i].crv), IOTSEC_OK);
        CHECK_ERR(iotsec_key_export(&key, 0, &parts), IOTSEC_OK);
        CHECK_ERR(iotsec_key_import(&pub, IOTSEC_KTY_EC2, v[i].crv, &parts), IOTSEC_OK);
        /* several rounds so that r/s with leading zero bytes and with the
         * top bit set both go through the DER conversions */
        for (j = 0; j < 16; j++) {
            sig_len = 0;
            CHECK_ERR(iotsec_crypto_sign(v[i].alg, &key, msg, sizeof(msg) - 1, sig, sizeof(sig),
                                         &sig_len),
                      IOTSEC_OK);
            CHECK(sig_len == v[i].len);
            CHECK_ERR(iotsec_crypto_verify(v[i].alg, &pub, msg, sizeof(msg) - 1, sig, sig_len),
                      IOTSEC_OK);
        }
        CHECK_ERR(iotsec_crypto_verify(v[i].alg, &key, msg, sizeof(msg) - 1, sig, sig_len),
                  IOTSEC_OK);
        /* empty message */
        CHECK_ERR(iotsec_crypto_sign(v[i].alg, &key, NULL, 0, sig, sizeof(sig), &sig_len),
                  IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_verify(v[i].alg, &pub, NULL, 0, sig, sig_len), IOTSEC_OK);

        CHECK_ERR(iotsec_crypto_sign(v[i].alg, &key, msg, sizeof(msg) - 1, sig, sizeof(sig),
                                     &sig_len),
                  IOTSEC_OK);
        memcpy(bad, sig, sig_len);
        bad[sig_len - 1] ^= 0x01;
        CHECK_ERR(iotsec_crypto_verify(v[i].alg, &pub, msg, sizeof(msg) - 1, bad, sig_len),
                  IOTSEC_ERR_VERIFY_FAILED);
        memcpy(bad, sig, sig_len);
        bad[2] ^= 0x80;
        CHECK_ERR(iotsec_crypto_verify(v[i].alg, &pub, msg, sizeof(msg) - 1, bad, sig_len),
                  IOTSEC_ERR_VERIFY_FAILED);
        CHECK_ERR(iotsec_crypto_verify(v[i].alg, &pub, msg, sizeof(msg) - 2, sig, sig_len),
                  IOTSEC_ERR_VERIFY_FAILED);
        /* wrong lengths, including a DER-ish extra byte */
        CHECK_ERR(iotsec_crypto_verify(v[i].alg, &pub, msg, sizeof(msg) - 1, sig, sig_len - 1),
                  IOTSEC_ERR_VERIFY_FAILED);
        sig[sig_len] = 0;
        CHECK_ERR(iotsec_crypto_verify(v[i].alg, &pub, msg, sizeof(msg) - 1, sig, sig_len + 1),
                  IOTSEC_ERR_VERIFY_FAILED);
        CHECK_ERR(iotsec_crypto_verify(v[i].alg, &pub, msg, sizeof(msg) - 1, sig, 0),
                  IOTSEC_ERR_VERIFY_FAILED);
        /* r = 0, s = 0 and r = s = all-ones (>= n) */
        memset(bad, 0, sizeof(bad));
        CHECK_ERR(iotsec_crypto_verify(v[i].alg, &pub, msg, sizeof(msg) - 1, bad, sig_len),
                  IOTSEC_ERR_VERIFY_FAILED);
        memset(bad, 0xff, sizeof(bad));
        CHECK_ERR(iotsec_crypto_verify(v[i].alg, &pub, msg, sizeof(msg) - 1, bad, sig_len),
                  IOTSEC_ERR_VERIFY_FAILED);
        /* curve / alg mismatch, public key to sign, short output */
        CHECK_ERR(iotsec_crypto_sign(v[i].other_alg, &key, msg, 1, sig, sizeof(sig), &sig_len),
                  IOTSEC_ERR_KEY_USAGE);
        CHECK_ERR(iotsec_crypto_verify(v[i].other_alg, &pub, msg, 1, sig, 64),
                  IOTSEC_ERR_KEY_USAGE);
        CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_EDDSA, &pub, msg, 1, sig, 64),
                  IOTSEC_ERR_KEY_USAGE);
        CHECK_ERR(iotsec_crypto_sign(v[i].alg, &pub, msg, 1, sig, sizeof(sig), &sig_len),
                  IOTSEC_ERR_KEY_USAGE);
        CHECK_ERR(iotsec_crypto_sign(v[i].alg, &key, msg, 1, sig, v[i].len - 1, &sig_len),
                  IOTSEC_ERR_BUFFER_TOO_SMALL);
        CHECK_ERR(iotsec_crypto_sign(-259, &key, msg, 1, sig, sizeof(sig), &sig_len),
                  IOTSEC_ERR_UNSUPPORTED_ALG);
        CHECK_ERR(iotsec_crypto_verify(-259, &pub, msg, 1, sig, 64), IOTSEC_ERR_UNSUPPORTED_ALG);
        iotsec_key_free(&key);
        iotsec_key_free(&pub);
    }
    CHECK(iotsec_crypto_sig_len(-259) == 0);

    /* RFC 6979 A.2.5: deterministic signatures from the RFC verify as they are */
    CHECK_ERR(import_hex(&pub, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, r6979_ux, r6979_uy, NULL),
              IOTSEC_OK);
    {
        const uint8_t *s1 =
            hx("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
               "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
               &sl);
        CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_ES256, &pub, (const uint8_t *)"sample", 6, s1,
                                       sl),
                  IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_ESP256, &pub, (const uint8_t *)"sample", 6, s1,
                                       sl),
                  IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_ES256, &pub, (const uint8_t *)"sampl", 5, s1, sl),
                  IOTSEC_ERR_VERIFY_FAILED);
        /* s of "test" (its top byte is 0x01: exercises leading zero trimming) */
        s1 = hx("F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367"
                "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083",
                &sl);
        CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_ES256, &pub, (const uint8_t *)"test", 4, s1, sl),
                  IOTSEC_OK);
        /* the same signature over a digest the caller computed */
        {
            uint8_t md[32];
            size_t ml;
            CHECK_ERR(iotsec_crypto_hash(IOTSEC_ALG_SHA256, (const uint8_t *)"test", 4, md,
                                         sizeof(md), &ml),
                      IOTSEC_OK);
            CHECK_ERR(iotsec_crypto_verify_digest(IOTSEC_ALG_ES256, &pub, md, ml, s1, sl),
                      IOTSEC_OK);
            CHECK_ERR(iotsec_crypto_verify_digest(IOTSEC_ALG_ES256, &pub, md, 31, s1, sl),
                      IOTSEC_ERR_INVALID_ARG);
            CHECK_ERR(iotsec_crypto_verify_digest(IOTSEC_ALG_ES384, &pub, md, ml, s1, sl),
                      IOTSEC_ERR_INVALID_ARG); /* SHA-384 digest expected */
            CHECK_ERR(iotsec_crypto_verify_digest(IOTSEC_ALG_EDDSA, &pub, md, ml, s1, sl),
                      IOTSEC_ERR_UNSUPPORTED_ALG);
            md[0] ^= 1;
            CHECK_ERR(iotsec_crypto_verify_digest(IOTSEC_ALG_ES256, &pub, md, ml, s1, sl),
                      IOTSEC_ERR_VERIFY_FAILED);
            CHECK(iotsec_crypto_sig_hash(IOTSEC_ALG_ESP384) == IOTSEC_ALG_SHA384);
            CHECK(iotsec_crypto_sig_hash(IOTSEC_ALG_EDDSA) == 0);
        }
    }
    /* sign a digest, verify the message: the two paths agree */
    CHECK_ERR(import_hex(&key, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, r6979_ux, r6979_uy, r6979_x),
              IOTSEC_OK);
    {
        uint8_t md[32];
        size_t ml;
        CHECK_ERR(iotsec_crypto_hash(IOTSEC_ALG_SHA256, msg, 1, md, sizeof(md), &ml), IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_sign_digest(IOTSEC_ALG_ES256, &key, md, ml, sig, sizeof(sig),
                                            &sig_len),
                  IOTSEC_OK);
        CHECK(sig_len == 64);
        CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_ES256, &pub, msg, 1, sig, sig_len), IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_sign_digest(IOTSEC_ALG_ES256, &pub, md, ml, sig, sizeof(sig),
                                            &sig_len),
                  IOTSEC_ERR_KEY_USAGE); /* no private part */
    }
    iotsec_key_free(&key);
    iotsec_key_free(&pub);
    /* a symmetric key is no signing key */
    {
        uint8_t k[32] = {0};
        iotsec_key_init_symmetric(&key, k, sizeof(k));
        CHECK_ERR(iotsec_crypto_sign(IOTSEC_ALG_ES256, &key, msg, 1, sig, sizeof(sig), &sig_len),
                  IOTSEC_ERR_KEY_USAGE);
        CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_ES256, &key, msg, 1, sig, 64),
                  IOTSEC_ERR_KEY_USAGE);
    }
}

/* ------------------------------------------------------------------ */
/* ECDH                                                                 */

static void test_ecdh(void)
{
    static const int32_t gen_crvs[] = {IOTSEC_CRV_P256, IOTSEC_CRV_P384, IOTSEC_CRV_P521,
                                       IOTSEC_CRV_X25519, IOTSEC_CRV_X448};
    static const size_t gen_len[] = {32, 48, 66, 32, 56};
    struct iotsec_key a, b, apub, bpub;
    uint8_t s1[IOTSEC_MAX_ECDH_SECRET], s2[IOTSEC_MAX_ECDH_SECRET];
    size_t i, l1, l2, wl;
    const uint8_t *want;

    /* RFC 7748 section 6.1 */
    CHECK_ERR(import_hex(&a, IOTSEC_KTY_OKP, IOTSEC_CRV_X25519,
                         "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", NULL,
                         "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
              IOTSEC_OK);
    CHECK_ERR(import_hex(&b, IOTSEC_KTY_OKP, IOTSEC_CRV_X25519,
                         "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", NULL,
                         "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"),
              IOTSEC_OK);
    CHECK_ERR(import_hex(&apub, IOTSEC_KTY_OKP, IOTSEC_CRV_X25519,
                         "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", NULL,
                         NULL),
              IOTSEC_OK);
    CHECK_ERR(import_hex(&bpub, IOTSEC_KTY_OKP, IOTSEC_CRV_X25519,
                         "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", NULL,
                         NULL),
              IOTSEC_OK);
    want = hx("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", &wl);
    CHECK_ERR(iotsec_crypto_ecdh(&a, &bpub, s1, sizeof(s1), &l1), IOTSEC_OK);
    CHECK_MEM(s1, l1, want, wl);
    CHECK_ERR(iotsec_crypto_ecdh(&b, &apub, s2, sizeof(s2), &l2), IOTSEC_OK);
    CHECK_MEM(s2, l2, want, wl);
    CHECK_ERR(iotsec_crypto_ecdh(&apub, &bpub, s1, sizeof(s1), &l1), IOTSEC_ERR_KEY_USAGE);
    CHECK_ERR(iotsec_crypto_ecdh(&a, &bpub, s1, 31, &l1), IOTSEC_ERR_BUFFER_TOO_SMALL);
    iotsec_key_free(&b);
    iotsec_key_free(&bpub);
    /* a small-order peer point (all zero) yields no secret */
    CHECK_ERR(import_hex(&bpub, IOTSEC_KTY_OKP, IOTSEC_CRV_X25519,
                         "0000000000000000000000000000000000000000000000000000000000000000", NULL,
                         NULL),
              IOTSEC_OK);
    memset(s1, 0xa5, sizeof(s1));
    CHECK(iotsec_crypto_ecdh(&a, &bpub, s1, sizeof(s1), &l1) != IOTSEC_OK);
    CHECK(all_zero(s1, sizeof(s1)));
    iotsec_key_free(&bpub);

    /* RFC 5903 section 8.1 (256-bit random ECP group) */
    CHECK_ERR(import_hex(&b, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, r5903_gix, r5903_giy, r5903_i),
              IOTSEC_OK);
    CHECK_ERR(import_hex(&bpub, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, r5903_grx, r5903_gry, NULL),
              IOTSEC_OK);
    want = hx(r5903_girx, &wl);
    CHECK_ERR(iotsec_crypto_ecdh(&b, &bpub, s1, sizeof(s1), &l1), IOTSEC_OK);
    CHECK_MEM(s1, l1, want, wl);
    iotsec_key_free(&b);
    iotsec_key_free(&bpub);
    CHECK_ERR(import_hex(&b, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, r5903_grx, r5903_gry, r5903_r),
              IOTSEC_OK);
    CHECK_ERR(import_hex(&bpub, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, r5903_gix, r5903_giy, NULL),
              IOTSEC_OK);
    CHECK_ERR(iotsec_crypto_ecdh(&b, &bpub, s2, sizeof(s2), &l2), IOTSEC_OK);
    CHECK_MEM(s2, l2, want, wl);
    /* curve mismatch: P-256 with X25519 */
    CHECK_ERR(iotsec_crypto_ecdh(&b, &apub, s1, sizeof(s1), &l1), IOTSEC_ERR_KEY_USAGE);
    CHECK_ERR(iotsec_crypto_ecdh(&a, &bpub, s1, sizeof(s1), &l1), IOTSEC_ERR_KEY_USAGE);
    iotsec_key_free(&a);
    iotsec_key_free(&b);
    iotsec_key_free(&apub);
    iotsec_key_free(&bpub);

    for (i = 0; i < sizeof(gen_crvs) / sizeof(gen_crvs[0]); i++) {
        CHECK_ERR(iotsec_key_generate(&a, gen_crvs[i]), IOTSEC_OK);
        CHECK_ERR(iotsec_key_generate(&b, gen_crvs[i]), IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_ecdh(&a, &b, s1, sizeof(s1), &l1), IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_ecdh(&b, &a, s2, sizeof(s2), &l2), IOTSEC_OK);
        CHECK(l1 == gen_len[i]);
        CHECK_MEM(s1, l1, s2, l2);
        iotsec_key_free(&a);
        iotsec_key_free(&b);
    }
    /* Ed25519 keys do not do ECDH; P-256 with P-384 is a mismatch */
    CHECK_ERR(iotsec_key_generate(&a, IOTSEC_CRV_ED25519), IOTSEC_OK);
    CHECK_ERR(iotsec_crypto_ecdh(&a, &a, s1, sizeof(s1), &l1), IOTSEC_ERR_KEY_USAGE);
    iotsec_key_free(&a);
    CHECK_ERR(iotsec_key_generate(&a, IOTSEC_CRV_P256), IOTSEC_OK);
    CHECK_ERR(iotsec_key_generate(&b, IOTSEC_CRV_P384), IOTSEC_OK);
    CHECK_ERR(iotsec_crypto_ecdh(&a, &b, s1, sizeof(s1), &l1), IOTSEC_ERR_KEY_USAGE);
    iotsec_key_free(&a);
    iotsec_key_free(&b);
}

static void test_random(void)
{
    uint8_t a[32], b[32];

    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    CHECK_ERR(iotsec_crypto_random(a, sizeof(a)), IOTSEC_OK);
    CHECK_ERR(iotsec_crypto_random(b, sizeof(b)), IOTSEC_OK);
    CHECK(memcmp(a, b, sizeof(a)) != 0);
    CHECK(!all_zero(a, sizeof(a)));
    CHECK_ERR(iotsec_crypto_random(NULL, 0), IOTSEC_OK);
}

/* Constant-time compare: 0 exactly when equal, for every length (whole words
 * and tails) and every single-bit difference at every position. */
static void test_ct_memcmp(void)
{
    uint8_t a[41], b[41];
    size_t len, i;
    unsigned bit, fails = 0;

    for (i = 0; i < sizeof(a); i++)
        a[i] = (uint8_t)(i * 37u + 5u);
    for (len = 0; len <= sizeof(a); len++) {
        memcpy(b, a, sizeof(a));
        if (iotsec_ct_memcmp(a, b, len) != 0)
            fails++;
        for (i = 0; i < len; i++)
            for (bit = 0; bit < 8; bit++) {
                b[i] = (uint8_t)(a[i] ^ (1u << bit));
                if (iotsec_ct_memcmp(a, b, len) != 1 || iotsec_ct_memcmp(b, a, len) != 1)
                    fails++;
                b[i] = a[i];
            }
        /* a difference just past len does not count */
        if (len < sizeof(a)) {
            b[len] ^= 0x80;
            if (iotsec_ct_memcmp(a, b, len) != 0)
                fails++;
        }
    }
    CHECK_MSG(fails == 0, "iotsec_ct_memcmp: %u wrong answers", fails);
    /* unaligned starts */
    CHECK(iotsec_ct_memcmp(a + 1, a + 1, 33) == 0);
    memcpy(b, a, sizeof(a));
    b[34] ^= 1;
    CHECK(iotsec_ct_memcmp(a + 3, b + 3, 32) == 1);
}

int main(void)
{
    test_ct_memcmp();
    test_hash();
    test_hmac();
    test_hkdf();
    test_aes_kw();
    test_aead();
    test_stream();
    test_keys();
    test_eddsa();
    test_ecdsa();
    test_ecdh();
    test_random();
    return test_summary();
}
