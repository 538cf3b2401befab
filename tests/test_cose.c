/* SPDX-License-Identifier: Apache-2.0 */
/* COSE unit tests: every message type round-trips, tampering of every part
 * is caught, header rules are enforced, keys are chosen by kid, and
 * decryption releases nothing on failure. Conformance with the working
 * group's examples is in test_cose_wg.c; independent peers in t_cose_*. */
#include <string.h>

#include "crypto/crypto.h"
#include "iotsec/cose.h"
#include "test_util.h"

static uint8_t g_out[4096], g_scratch[4096], g_pt[1024];

static const struct iotsec_cose_opts no_opts;

/* Encoded header maps used below. */
static const uint8_t prot_es256[] = {0xa1, 0x01, 0x26};         /* {1: -7} */
static const uint8_t prot_eddsa[] = {0xa1, 0x01, 0x27};         /* {1: -8} */
static const uint8_t prot_hs256[] = {0xa1, 0x01, 0x05};         /* {1: 5} */
static const uint8_t prot_a128gcm[] = {0xa1, 0x01, 0x01};       /* {1: 1} */
static const uint8_t unprot_kid11[] = {0xa1, 0x04, 0x42, '1', '1'}; /* {4: '11'} */
static const uint8_t unprot_kidxx[] = {0xa1, 0x04, 0x42, 'x', 'x'};

#define CB(a) ((struct iotsec_cbuf){(a), sizeof(a)})
#define TXT(s) ((struct iotsec_cbuf){(const uint8_t *)(s), sizeof(s) - 1})

static struct iotsec_key key_gen(int32_t crv)
{
    struct iotsec_key k;

    memset(&k, 0, sizeof(k));
    CHECK_ERR(iotsec_key_generate(&k, crv), IOTSEC_OK);
    return k;
}

static enum iotsec_err verify_with(const struct iotsec_cbuf *msg, enum iotsec_cose_type t,
                                   const struct iotsec_key *key, const char *kid,
                                   struct iotsec_cose_opts o, struct iotsec_cose_result *r)
{
    struct iotsec_cose_msg m;
    struct iotsec_cose_keyset_entry e = {key, {(const uint8_t *)kid, kid ? strlen(kid) : 0}};
    struct iotsec_cose_keyset ks = {&e, 1};
    enum iotsec_err err = iotsec_cose_decode(msg->ptr, msg->len, t, NULL, 0, &m);

    if (err != IOTSEC_OK)
        return err;
    o.scratch.ptr = g_scratch;
    o.scratch.len = sizeof(g_scratch);
    return iotsec_cose_verify(&m, &ks, &o, r);
}

static void test_sign1(void)
{
    struct iotsec_key es = key_gen(IOTSEC_CRV_P256), ed = key_gen(IOTSEC_CRV_ED25519),
                      other = key_gen(IOTSEC_CRV_P256);
    struct iotsec_cose_signer_in s = {{CB(prot_es256), CB(unprot_kid11)}, &es};
    struct iotsec_cose_opts o = no_opts;
    struct iotsec_cose_result r;
    struct iotsec_cbuf msg;
    static uint8_t copy[4096];
    size_t i;

    o.scratch.ptr = g_scratch;
    o.scratch.len = sizeof(g_scratch);
    CHECK_ERR(iotsec_cose_sign1((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &s,
                                TXT("This is the content."), &o),
              IOTSEC_OK);
    CHECK(msg.ptr[0] == 0xd2); /* tag 18 */
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_UNKNOWN, &es, "11", no_opts, &r), IOTSEC_OK);
    CHECK_MEM(r.payload.ptr, r.payload.len, "This is the content.", 20);
    CHECK(r.alg == IOTSEC_ALG_ES256);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_UNKNOWN, &other, "11", no_opts, &r),
              IOTSEC_ERR_VERIFY_FAILED);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_UNKNOWN, &es, "12", no_opts, &r), IOTSEC_ERR_NOT_FOUND);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_UNKNOWN, &ed, NULL, no_opts, &r), IOTSEC_ERR_NOT_FOUND);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_MAC0, &es, NULL, no_opts, &r), IOTSEC_ERR_MALFORMED);

    /* every single-bit flip outside the unprotected bucket (bytes 6..10,
     * which no signature covers) is caught or makes the message malformed */
    for (i = 0; i < msg.len; i++) {
        if (i >= 6 && i <= 10)
            continue;
        struct iotsec_cbuf t = {copy, msg.len};
        memcpy(copy, msg.ptr, msg.len);
        copy[i] ^= 0x01;
        CHECK_MSG(verify_with(&t, IOTSEC_COSE_UNKNOWN, &es, NULL, no_opts, &r) != IOTSEC_OK,
                  "flip at byte %zu accepted", i);
    }

    /* external AAD must match */
    o.external_aad = TXT("aad");
    CHECK_ERR(iotsec_cose_sign1((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &s, TXT("x"), &o),
              IOTSEC_OK);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_SIGN1, &es, NULL, no_opts, &r),
              IOTSEC_ERR_VERIFY_FAILED);
    {
        struct iotsec_cose_opts vo = no_opts;
        vo.external_aad = TXT("aad");
        CHECK_ERR(verify_with(&msg, IOTSEC_COSE_SIGN1, &es, NULL, vo, &r), IOTSEC_OK);
    }

    /* detached payload, untagged, EdDSA */
    o = no_opts;
    o.scratch.ptr = g_scratch;
    o.scratch.len = sizeof(g_scratch);
    o.detach = true;
    o.untagged = true;
    s.key = &ed;
    s.hdr.prot = CB(prot_eddsa);
    CHECK_ERR(iotsec_cose_sign1((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &s, TXT("detached"),
                                &o),
              IOTSEC_OK);
    CHECK(msg.ptr[0] == 0x84);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_UNKNOWN, &ed, NULL, no_opts, &r), IOTSEC_ERR_MALFORMED);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_SIGN1, &ed, NULL, no_opts, &r), IOTSEC_ERR_MALFORMED);
    {
        struct iotsec_cose_opts vo = no_opts;
        vo.detached = TXT("detached");
        CHECK_ERR(verify_with(&msg, IOTSEC_COSE_SIGN1, &ed, NULL, vo, &r), IOTSEC_OK);
        vo.detached = TXT("detacheD");
        CHECK_ERR(verify_with(&msg, IOTSEC_COSE_SIGN1, &ed, NULL, vo, &r), IOTSEC_ERR_VERIFY_FAILED);
    }
    /* EdDSA needs scratch for the Sig_structure */
    {
        struct iotsec_cose_msg m;
        struct iotsec_cose_keyset_entry e = {&ed, {NULL, 0}};
        struct iotsec_cose_keyset ks = {&e, 1};
        struct iotsec_cose_opts vo = no_opts;
        vo.detached = TXT("detached");
        CHECK_ERR(iotsec_cose_decode(msg.ptr, msg.len, IOTSEC_COSE_SIGN1, NULL, 0, &m), IOTSEC_OK);
        CHECK_ERR(iotsec_cose_verify(&m, &ks, &vo, &r), IOTSEC_ERR_BUFFER_TOO_SMALL);
    }
    /* a key bound to another algorithm is not used */
    es.alg = IOTSEC_ALG_ES384;
    s.key = &es;
    s.hdr.prot = CB(prot_es256);
    CHECK_ERR(iotsec_cose_sign1((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &s, TXT("x"), &o),
              IOTSEC_ERR_KEY_USAGE);
    es.alg = 0;
    iotsec_key_free(&es);
    iotsec_key_free(&ed);
    iotsec_key_free(&other);
}

/* Decode-only checks of the header rules (RFC 9052 section 3). */
static void test_header_rules(void)
{
    struct iotsec_cose_msg m;
    uint8_t buf[256];
    size_t n;
    static const struct {
        const char *hex;
        enum iotsec_err err;
        const char *why;
    } cases[] = {
        {"d2 84 43a10126 a10442 3131 44 74657374 40", IOTSEC_OK, "well-formed Sign1"},
        {"d2 84 40 a0 40 40", IOTSEC_OK, "empty buckets"},
        {"d2 84 41a0 a0 40 40", IOTSEC_OK, "empty map as protected"},
        {"d2 84 43a10126 a10126 40 40", IOTSEC_ERR_MALFORMED, "alg in both buckets"},
        {"d2 83 43a10126 a0 40", IOTSEC_ERR_MALFORMED, "three items"},
        {"d2 84 4101 a0 40 40", IOTSEC_ERR_MALFORMED, "protected is not a map"},
        {"d2 84 42a101 a0 40 40", IOTSEC_ERR_CBOR_TRUNCATED, "protected is not CBOR"},
        {"d2 84 40 a1 0163455332 40 40", IOTSEC_ERR_UNSUPPORTED_ALG, "alg as text"},
        {"d2 84 40 a1 0441 00 40 40", IOTSEC_OK, "kid bstr"},
        {"d2 84 40 a1 0401 40 40", IOTSEC_ERR_MALFORMED, "kid not a bstr"},
        {"d2 84 40 a1 f500 40 40", IOTSEC_ERR_MALFORMED, "label neither int nor text"},
        {"d2 84 40 a1 02 81 01 40 40", IOTSEC_ERR_MALFORMED, "crit unprotected"},
        {"d2 84 46a2 0126 02 8101 a0 40 40", IOTSEC_OK, "crit on a known label"},
        {"d2 84 45a1 02 8118 63 a0 40 40", IOTSEC_ERR_MALFORMED, "crit label absent"},
        {"d2 84 48a2 1863 00 02 811863 a0 40 40", IOTSEC_ERR_UNSUPPORTED, "unknown critical label"},
        {"d2 84 43a1 02 80 a0 40 40", IOTSEC_ERR_MALFORMED, "empty crit"},
        {"d2 84 44a1 02 9fff a0 40 40", IOTSEC_ERR_MALFORMED, "empty indefinite-length crit"},
        {"d2 84 46a2 2000 02 8120 a0 40 40", IOTSEC_OK, "crit on a known negative label"},
        {"d2 84 43a10126 a1 1801 26 40 40", IOTSEC_ERR_MALFORMED,
         "alg in both buckets, one head not shortest"},
        {"d2 84 44a1 6161 00 a1 6161 00 40 40", IOTSEC_ERR_MALFORMED, "text label in both buckets"},
        {"d2 84 44a1 6161 00 a1 6162 00 40 40", IOTSEC_OK, "different text labels"},
        {"d2 84 4ba1 1bffffffffffffffff 00 a1 1bffffffffffffffff 00 40 40", IOTSEC_ERR_MALFORMED,
         "label beyond int64 in both buckets"},
        {"d2 84 4ba1 1bffffffffffffffff 00 a1 3bffffffffffffffff 00 40 40", IOTSEC_OK,
         "labels beyond int64 of both signs"},
        {"d2 84 40 a0 f6 40", IOTSEC_OK, "nil payload"},
        {"d2 84 40 a0 f5 40", IOTSEC_ERR_MALFORMED, "payload neither bstr nor nil"},
        {"d8 3d d2 84 40 a0 40 40", IOTSEC_OK, "CWT tag around Sign1"},
        {"d9 03e6 84 40 a0 40 40", IOTSEC_ERR_UNSUPPORTED, "unknown tag"},
        {"84 40 a0 40 40", IOTSEC_ERR_MALFORMED, "untagged with no expectation"},
        {"d2 84 40 a0 40 40 00", IOTSEC_ERR_CBOR_TRAILING, "trailing bytes"},
        {"d2 84 40 a2 0441 00 0441 01 40 40", IOTSEC_ERR_CBOR_DUPLICATE_KEY, "duplicate label"},
        {"d1 84 40 a0 40 40", IOTSEC_OK, "Mac0"},
        {"d0 83 40 a0 40", IOTSEC_OK, "Encrypt0"},
        {"d8 62 84 40 a0 40 80", IOTSEC_ERR_MALFORMED, "Sign with no signatures"},
        {"d8 62 84 40 a0 40 81 83 40 a0 40", IOTSEC_OK, "Sign with one signature"},
        {"d8 60 84 40 a0 40 81 83 40 a0 40", IOTSEC_OK, "Encrypt with one recipient"},
        {"d8 61 85 40 a0 40 40 81 83 40 a0 40", IOTSEC_OK, "Mac with one recipient"},
        {"d2 9f 40 a0 40 40 ff", IOTSEC_OK, "indefinite-length message array"},
        {"d2 9f 40 a0 40 ff", IOTSEC_ERR_MALFORMED, "indefinite array of three items"},
        {"d2 84 40 bf 0441 00 ff 40 40", IOTSEC_OK, "indefinite-length unprotected map"},
        {"d2 84 40 a0 5f 41 68 ff 40", IOTSEC_ERR_UNSUPPORTED, "chunked payload"},
        {"d8 62 84 40 a0 40 9f 83 40 a0 40 ff", IOTSEC_OK, "indefinite signatures array"},
        {"d2 84 f6 a0 40 40", IOTSEC_ERR_MALFORMED, "nil protected bucket"},
        {"d2 84 5f ff a0 40 40", IOTSEC_ERR_MALFORMED, "chunked protected bucket"},
        {"d2 84 40 a1 04 f6 40 40", IOTSEC_ERR_MALFORMED, "nil kid"},
        {"d2 84 40 a1 05 5f 41 00 ff 40 40", IOTSEC_ERR_MALFORMED, "chunked IV"},
        {"d2 84 40 a1 06 f6 40 40", IOTSEC_ERR_MALFORMED, "nil Partial IV"},
        {"d2 84 40 a2 1904 00 41 00 1801 26 40 40", IOTSEC_OK, "kid and alg labels not shortest"},
        {"d2 84 40 a2 03 00 07 00 40 40", IOTSEC_OK, "labels 3 and 7 are not read here"},
        {"d2 84 40 a1 01 00 40 40", IOTSEC_ERR_MALFORMED, "alg 0"},
        {"d2 84 40 a1 01 1b8000000000000000 40 40", IOTSEC_ERR_MALFORMED, "alg beyond int64"},
        {"d2 84 40 a1 01 3b7fffffffffffffff 40 40", IOTSEC_OK, "alg at the int64 minimum"},
        {"d2 84 40 a1 01 41 00 40 40", IOTSEC_ERR_MALFORMED, "alg as bstr"},
        {"d2 84 40 a0 40 f6", IOTSEC_ERR_MALFORMED, "nil signature"},
        {"d2 84 40 a0 40 5f ff", IOTSEC_ERR_UNSUPPORTED, "chunked signature"},
        {"d8 3d d8 3d d2 84 40 a0 40 40", IOTSEC_ERR_UNSUPPORTED, "two CWT tags"},
        {"d8 3d 84 40 a0 40 40", IOTSEC_ERR_MALFORMED, "CWT tag around an untagged message"},
        {"db 0000000100000012 84 40 a0 40 40", IOTSEC_ERR_UNSUPPORTED, "tag 2^32 + 18"},
        {"d8 12 84 40 a0 40 40", IOTSEC_OK, "Sign1 tag in a two-byte head"},
        {"d2 d8 3d 84 40 a0 40 40", IOTSEC_ERR_MALFORMED, "CWT tag inside the Sign1 tag"},
        {"d2 d2 84 40 a0 40 40", IOTSEC_ERR_MALFORMED, "Sign1 tag twice"},
        {"c0 84 40 a0 40 40", IOTSEC_ERR_UNSUPPORTED, "tag 0"},
        {"d8 3d d1 84 40 a0 40 40", IOTSEC_OK, "CWT tag around Mac0"},
        {"d8 3d c0 84 40 a0 40 40", IOTSEC_ERR_UNSUPPORTED, "CWT tag around tag 0"},
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum iotsec_err err;
        n = test_unhex(cases[i].hex, buf, sizeof(buf));
        err = iotsec_cose_decode(buf, n, IOTSEC_COSE_UNKNOWN, NULL, 0, &m);
        CHECK_MSG(err == cases[i].err, "%s: got %d (%s), want %d", cases[i].why, err,
                  iotsec_err_str(err), cases[i].err);
        /* the Sign1-only path applies the same rules */
        err = iotsec_cose_decode(buf, n, IOTSEC_COSE_SIGN1, NULL, 0, &m);
        if (err != IOTSEC_OK) {
            static const struct iotsec_cose_keyset none = {NULL, 0};
            struct iotsec_cose_result r;
            enum iotsec_err e1 = iotsec_cose_sign1_verify(buf, n, &none, &no_opts, &r);
            CHECK_MSG(e1 == err, "%s: Sign1 path got %d (%s), want %d", cases[i].why, e1,
                      iotsec_err_str(e1), err);
        }
    }
    /* a critical negative label the application handles */
    {
        struct iotsec_cose_label l = {NULL, -100};
        n = test_unhex("d2 84 48a2 3863 00 02 81 3863 a0 40 40", buf, sizeof(buf));
        CHECK_ERR(iotsec_cose_decode(buf, n, IOTSEC_COSE_UNKNOWN, NULL, 0, &m),
                  IOTSEC_ERR_UNSUPPORTED);
        CHECK_ERR(iotsec_cose_decode(buf, n, IOTSEC_COSE_UNKNOWN, &l, 1, &m), IOTSEC_OK);
    }
    /* the application can understand a critical label */
    {
        struct iotsec_cose_label l = {NULL, 99};
        struct iotsec_cose_label t = {"reserved", 0};
        n = test_unhex("d2 84 48a2 1863 00 02 811863 a0 40 40", buf, sizeof(buf));
        CHECK_ERR(iotsec_cose_decode(buf, n, IOTSEC_COSE_UNKNOWN, &l, 1, &m), IOTSEC_OK);
        n = test_unhex("d2 84 56a2 687265736572766564 f4 02 81 687265736572766564 a0 40 40", buf,
                       sizeof(buf));
        CHECK_ERR(iotsec_cose_decode(buf, n, IOTSEC_COSE_UNKNOWN, NULL, 0, &m),
                  IOTSEC_ERR_UNSUPPORTED);
        CHECK_ERR(iotsec_cose_decode(buf, n, IOTSEC_COSE_UNKNOWN, &t, 1, &m), IOTSEC_OK);
    }
    /* untagged is fine when the type is expected */
    n = test_unhex("84 40 a0 40 40", buf, sizeof(buf));
    CHECK_ERR(iotsec_cose_decode(buf, n, IOTSEC_COSE_SIGN1, NULL, 0, &m), IOTSEC_OK);
    CHECK(m.tag == 0);
    /* a tag that contradicts the expectation is refused */
    n = test_unhex("d1 84 40 a0 40 40", buf, sizeof(buf));
    CHECK_ERR(iotsec_cose_decode(buf, n, IOTSEC_COSE_SIGN1, NULL, 0, &m), IOTSEC_ERR_MALFORMED);
    /* a refused protected bucket leaves the caller's cursor on it, whether
     * the library is built for size or for speed */
    {
        static const char *const bad[] = {"84 f6 a0 40 40", "84 01 a0 40 40", "84 5f ff a0 40 40"};
        struct iotsec_cbor_dec d, a, a0;
        struct iotsec_cose_hdr h;
        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            n = test_unhex(bad[i], buf, sizeof(buf));
            CHECK_ERR(iotsec_cbor_dec_init(&d, buf, n, 0, NULL), IOTSEC_OK);
            CHECK_ERR(iotsec_cbor_enter_array(&d, &a, NULL), IOTSEC_OK);
            a0 = a;
            CHECK_ERR(iotsec_cose_hdr_decode(&a, &h, NULL, 0), IOTSEC_ERR_MALFORMED);
            CHECK_MSG(a.p == a0.p && a.left == a0.left, "%s: cursor moved", bad[i]);
        }
    }
}

/* h'A0' and h'' protected buckets sign the same Sig_structure. */
static void test_empty_protected(void)
{
    static const uint8_t empty_map[] = {0xa0};
    static const uint8_t unprot_alg[] = {0xa1, 0x01, 0x26};
    struct iotsec_key k = key_gen(IOTSEC_CRV_P256);
    struct iotsec_cose_signer_in s = {{CB(empty_map), CB(unprot_alg)}, &k};
    struct iotsec_cose_result r;
    struct iotsec_cbuf msg;
    static uint8_t copy[512];
    size_t n;

    CHECK_ERR(iotsec_cose_sign1((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &s, TXT("p"),
                                &no_opts),
              IOTSEC_OK);
    CHECK(msg.ptr[2] == 0x41 && msg.ptr[3] == 0xa0); /* sent as h'A0', exactly as given */
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_SIGN1, &k, NULL, no_opts, &r), IOTSEC_OK);
    /* rewrite the bucket as h'': the same signature still verifies */
    copy[0] = msg.ptr[0];
    copy[1] = msg.ptr[1];
    copy[2] = 0x40;
    memcpy(copy + 3, msg.ptr + 4, msg.len - 4);
    n = msg.len - 1;
    {
        struct iotsec_cbuf t = {copy, n};
        CHECK_ERR(verify_with(&t, IOTSEC_COSE_SIGN1, &k, NULL, no_opts, &r), IOTSEC_OK);
    }
    iotsec_key_free(&k);
}

static void test_sign_multi(void)
{
    struct iotsec_key a = key_gen(IOTSEC_CRV_P256), b = key_gen(IOTSEC_CRV_ED25519),
                      c = key_gen(IOTSEC_CRV_P256);
    struct iotsec_cose_signer_in s[2] = {{{CB(prot_es256), CB(unprot_kid11)}, &a},
                                         {{CB(prot_eddsa), CB(unprot_kidxx)}, &b}};
    struct iotsec_cose_hdr_in body = {{NULL, 0}, {NULL, 0}};
    struct iotsec_cose_opts o = no_opts;
    struct iotsec_cose_result r;
    struct iotsec_cbuf msg;

    o.scratch.ptr = g_scratch;
    o.scratch.len = sizeof(g_scratch);
    CHECK_ERR(iotsec_cose_sign((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &body, s, 2,
                               TXT("payload"), &o),
              IOTSEC_OK);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_SIGN, &b, "xx", no_opts, &r), IOTSEC_OK);
    CHECK(r.signer == 1);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_SIGN, &a, "11", no_opts, &r), IOTSEC_OK);
    CHECK(r.signer == 0);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_SIGN, &c, NULL, no_opts, &r), IOTSEC_ERR_VERIFY_FAILED);
    /* a key set with several keys says which one matched */
    {
        struct iotsec_cose_msg m;
        struct iotsec_cose_keyset_entry e[3] = {
            {&c, {NULL, 0}}, {&a, {(const uint8_t *)"11", 2}}, {&b, {NULL, 0}}};
        struct iotsec_cose_keyset ks = {e, 3};
        CHECK_ERR(iotsec_cose_decode(msg.ptr, msg.len, IOTSEC_COSE_UNKNOWN, NULL, 0, &m), IOTSEC_OK);
        CHECK_ERR(iotsec_cose_verify(&m, &ks, &o, &r), IOTSEC_OK);
        CHECK(r.signer == 0 && r.key == 1);
    }
    iotsec_key_free(&a);
    iotsec_key_free(&b);
    iotsec_key_free(&c);
}

static void test_mac(void)
{
    static const uint8_t k32[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
    static const uint8_t prot_hs64[] = {0xa1, 0x01, 0x04};
    static const uint8_t prot_aesmac[] = {0xa1, 0x01, 0x0e}; /* AES-MAC 128/64 */
    struct iotsec_key k, wrong, k16;
    struct iotsec_cose_hdr_in h = {CB(prot_hs256), {NULL, 0}};
    struct iotsec_cose_result r;
    struct iotsec_cbuf msg;
    uint8_t w[32];

    iotsec_key_init_symmetric(&k, k32, 32);
    memcpy(w, k32, 32);
    w[31] ^= 1;
    iotsec_key_init_symmetric(&wrong, w, 32);
    CHECK_ERR(iotsec_cose_mac0((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, &k, TXT("m"),
                               &no_opts),
              IOTSEC_OK);
    CHECK(msg.ptr[0] == 0xd1);
    CHECK(msg.ptr[msg.len - 34] == 0x58 && msg.ptr[msg.len - 33] == 32); /* 32-byte tag */
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_MAC0, &k, NULL, no_opts, &r), IOTSEC_OK);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_MAC0, &wrong, NULL, no_opts, &r),
              IOTSEC_ERR_VERIFY_FAILED);
    /* HMAC 256/64 truncates to 8 bytes */
    h.prot = CB(prot_hs64);
    CHECK_ERR(iotsec_cose_mac0((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, &k, TXT("m"),
                               &no_opts),
              IOTSEC_OK);
    CHECK(msg.ptr[msg.len - 9] == 0x48);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_MAC0, &k, NULL, no_opts, &r), IOTSEC_OK);
    /* AES-CBC-MAC 128/64 */
    iotsec_key_init_symmetric(&k16, k32, 16);
    h.prot = CB(prot_aesmac);
    CHECK_ERR(iotsec_cose_mac0((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, &k16,
                               TXT("This is the content."), &no_opts),
              IOTSEC_OK);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_MAC0, &k16, NULL, no_opts, &r), IOTSEC_OK);
    CHECK_ERR(verify_with(&msg, IOTSEC_COSE_MAC0, &k, NULL, no_opts, &r), IOTSEC_ERR_NOT_FOUND);

    /* COSE_Mac through an AES-KW recipient and a direct recipient */
    {
        static const uint8_t rprot_a128kw[] = {0xa1, 0x01, 0x22}; /* {1: -3} */
        static const uint8_t runprot_direct[] = {0xa1, 0x01, 0x25}; /* {1: -6} */
        struct iotsec_key kek;
        struct iotsec_cose_recipient_in rcp = {{{NULL, 0}, CB(rprot_a128kw)}, &kek, NULL};
        iotsec_key_init_symmetric(&kek, k32, 16);
        rcp.hdr.prot = CB(rprot_a128kw);
        rcp.hdr.unprot = (struct iotsec_cbuf){NULL, 0};
        h.prot = CB(prot_hs256);
        CHECK_ERR(iotsec_cose_mac((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, &rcp, 1,
                                  TXT("mac"), &no_opts),
                  IOTSEC_OK);
        CHECK_ERR(verify_with(&msg, IOTSEC_COSE_MAC, &kek, NULL, no_opts, &r), IOTSEC_OK);
        CHECK_ERR(verify_with(&msg, IOTSEC_COSE_MAC, &k16, NULL, no_opts, &r), IOTSEC_OK); /* same bytes */
        rcp.hdr.prot = (struct iotsec_cbuf){NULL, 0};
        rcp.hdr.unprot = CB(runprot_direct);
        rcp.key = &k;
        CHECK_ERR(iotsec_cose_mac((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, &rcp, 1,
                                  TXT("mac"), &no_opts),
                  IOTSEC_OK);
        CHECK_ERR(verify_with(&msg, IOTSEC_COSE_MAC, &k, NULL, no_opts, &r), IOTSEC_OK);
        CHECK_ERR(verify_with(&msg, IOTSEC_COSE_MAC, &wrong, NULL, no_opts, &r),
                  IOTSEC_ERR_VERIFY_FAILED);
    }
}

static enum iotsec_err decrypt_with(const struct iotsec_cbuf *msg, enum iotsec_cose_type t,
                                    const struct iotsec_cose_keyset_entry *e, size_t n,
                                    struct iotsec_cose_opts o, struct iotsec_cose_result *r)
{
    struct iotsec_cose_msg m;
    struct iotsec_cose_keyset ks = {e, n};
    enum iotsec_err err = iotsec_cose_decode(msg->ptr, msg->len, t, NULL, 0, &m);

    if (err != IOTSEC_OK)
        return err;
    memset(g_pt, 0xee, sizeof(g_pt));
    return iotsec_cose_decrypt(&m, &ks, &o, (struct iotsec_buf){g_pt, sizeof(g_pt)}, r);
}

static bool all_zero(const uint8_t *p, size_t n)
{
    while (n--)
        if (*p++ != 0)
            return false;
    return true;
}

static void test_encrypt(void)
{
    static const uint8_t k16b[16] = {0x84, 0x9b, 0x57, 0x21, 0x9d, 0xae, 0x48, 0xde,
                                     0x64, 0x6d, 0x07, 0xdb, 0xb5, 0x33, 0x56, 0x6e};
    static const uint8_t prot_ctr[] = {0xa1, 0x01, 0x3a, 0x00, 0x00, 0xff, 0xfd}; /* A128CTR */
    static const uint8_t prot_cbc[] = {0xa1, 0x01, 0x3a, 0x00, 0x00, 0xff, 0xfa}; /* A128CBC */
    struct iotsec_key k, wrong;
    struct iotsec_cose_hdr_in h = {CB(prot_a128gcm), {NULL, 0}};
    struct iotsec_cose_keyset_entry e;
    struct iotsec_cose_opts o = no_opts;
    struct iotsec_cose_result r;
    struct iotsec_cbuf msg;
    static uint8_t copy[4096];
    uint8_t w[16];

    iotsec_key_init_symmetric(&k, k16b, 16);
    memcpy(w, k16b, 16);
    w[0] ^= 0x80;
    iotsec_key_init_symmetric(&wrong, w, 16);
    CHECK_ERR(iotsec_cose_encrypt0((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, &k,
                                   TXT("secret plaintext"), &o),
              IOTSEC_OK);
    e.key = &k;
    e.kid = (struct iotsec_cbuf){NULL, 0};
    CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT0, &e, 1, no_opts, &r), IOTSEC_OK);
    CHECK_MEM(r.payload.ptr, r.payload.len, "secret plaintext", 16);
    /* wrong key or a flipped ciphertext bit: nothing released */
    e.key = &wrong;
    CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT0, &e, 1, no_opts, &r),
              IOTSEC_ERR_DECRYPT_FAILED);
    CHECK(all_zero(g_pt, 16));
    e.key = &k;
    memcpy(copy, msg.ptr, msg.len);
    copy[msg.len - 20] ^= 1;
    {
        struct iotsec_cbuf t = {copy, msg.len};
        CHECK_ERR(decrypt_with(&t, IOTSEC_COSE_ENCRYPT0, &e, 1, no_opts, &r),
                  IOTSEC_ERR_DECRYPT_FAILED);
        CHECK(all_zero(g_pt, 16));
    }
    /* the protected bucket and external AAD are authenticated */
    o.external_aad = TXT("context");
    CHECK_ERR(iotsec_cose_encrypt0((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, &k,
                                   TXT("pt"), &o),
              IOTSEC_OK);
    CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT0, &e, 1, no_opts, &r),
              IOTSEC_ERR_DECRYPT_FAILED);
    CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT0, &e, 1, o, &r), IOTSEC_OK);
    /* a fixed IV is used and sent */
    o = no_opts;
    o.iv = TXT("0123456789ab");
    CHECK_ERR(iotsec_cose_encrypt0((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, &k,
                                   TXT("pt"), &o),
              IOTSEC_OK);
    CHECK(memmem(msg.ptr, msg.len, "\x05\x4c" "0123456789ab", 14) != NULL);
    /* RFC 9459 modes need the caller's consent */
    h.prot = CB(prot_ctr);
    o = no_opts;
    CHECK_ERR(iotsec_cose_encrypt0((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, &k,
                                   TXT("firmware image bytes"), &o),
              IOTSEC_ERR_UNSUPPORTED_ALG);
    o.allow_unauth = true;
    CHECK_ERR(iotsec_cose_encrypt0((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, &k,
                                   TXT("firmware image bytes"), &o),
              IOTSEC_OK);
    CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT0, &e, 1, no_opts, &r),
              IOTSEC_ERR_UNSUPPORTED_ALG);
    CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT0, &e, 1, o, &r), IOTSEC_OK);
    CHECK_MEM(r.payload.ptr, r.payload.len, "firmware image bytes", 20);
    h.prot = CB(prot_cbc);
    CHECK_ERR(iotsec_cose_encrypt0((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, &k,
                                   TXT("firmware image bytes, 32 of them"), &o),
              IOTSEC_OK);
    CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT0, &e, 1, o, &r), IOTSEC_OK);
    CHECK_MEM(r.payload.ptr, r.payload.len, "firmware image bytes, 32 of them", 32);
    o.external_aad = TXT("x");
    CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT0, &e, 1, o, &r), IOTSEC_ERR_INVALID_ARG);
}

static void test_recipients(void)
{
    static const uint8_t kek16[16] = {0x84, 0x9b, 0x57, 0x21, 0x9d, 0xae, 0x48, 0xde,
                                      0x64, 0x6d, 0x07, 0xdb, 0xb5, 0x33, 0x56, 0x6e};
    static const uint8_t r_a128kw[] = {0xa1, 0x01, 0x22};               /* {1: -3} */
    static const uint8_t r_es_a128kw[] = {0xa1, 0x01, 0x38, 0x1c};      /* {1: -29} */
    static const uint8_t r_es_hkdf256[] = {0xa1, 0x01, 0x38, 0x18};     /* {1: -25} */
    static const uint8_t r_ss_hkdf256[] = {0xa1, 0x01, 0x38, 0x1a};     /* {1: -27} */
    static const uint8_t r_hkdf256[] = {0xa1, 0x01, 0x29};              /* {1: -10} */
    struct iotsec_key kek, dev = key_gen(IOTSEC_CRV_P256), devx = key_gen(IOTSEC_CRV_X25519),
                           sender = key_gen(IOTSEC_CRV_P256), other = key_gen(IOTSEC_CRV_P256);
    struct iotsec_cose_hdr_in h = {CB(prot_a128gcm), {NULL, 0}};
    struct iotsec_cose_recipient_in rc[2];
    struct iotsec_cose_keyset_entry e[2];
    struct iotsec_cose_opts o = no_opts;
    struct iotsec_cose_result r;
    struct iotsec_cbuf msg;
    uint8_t cek[32];
    size_t cl;

    iotsec_key_init_symmetric(&kek, kek16, 16);
    memset(rc, 0, sizeof(rc));
    memset(e, 0, sizeof(e));

    /* two recipients: AES-KW and ECDH-ES+A128KW; either can decrypt */
    rc[0].hdr.prot = CB(r_a128kw);
    rc[0].key = &kek;
    rc[1].hdr.prot = CB(r_es_a128kw);
    rc[1].key = &dev;
    CHECK_ERR(iotsec_cose_encrypt((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, rc, 2,
                                  TXT("to two recipients"), &o),
              IOTSEC_OK);
    e[0].key = &kek;
    CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT, e, 1, no_opts, &r), IOTSEC_OK);
    CHECK(r.signer == 0);
    CHECK_MEM(r.payload.ptr, r.payload.len, "to two recipients", 17);
    e[0].key = &dev;
    CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT, e, 1, no_opts, &r), IOTSEC_OK);
    CHECK(r.signer == 1);
    e[0].key = &other;
    CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT, e, 1, no_opts, &r),
              IOTSEC_ERR_DECRYPT_FAILED);
    /* the content key alone, as SUIT uses it */
    {
        struct iotsec_cose_msg m;
        struct iotsec_cose_keyset ks = {e, 1};
        e[0].key = &dev;
        CHECK_ERR(iotsec_cose_decode(msg.ptr, msg.len, IOTSEC_COSE_ENCRYPT, NULL, 0, &m), IOTSEC_OK);
        CHECK_ERR(iotsec_cose_recipient_key(&m, &ks, &no_opts, IOTSEC_ALG_A128GCM, cek, sizeof(cek),
                                            &cl, &r),
                  IOTSEC_OK);
        CHECK(cl == 16 && r.signer == 1);
    }

    /* direct key agreement: ECDH-ES+HKDF-256 on P-256 and X25519 */
    rc[0].hdr.prot = CB(r_es_hkdf256);
    rc[0].key = &dev;
    CHECK_ERR(iotsec_cose_encrypt((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, rc, 1,
                                  TXT("direct ES"), &o),
              IOTSEC_OK);
    e[0].key = &dev;
    CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT, e, 1, no_opts, &r), IOTSEC_OK);
    CHECK_MEM(r.payload.ptr, r.payload.len, "direct ES", 9);
    CHECK_ERR(iotsec_cose_encrypt((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, rc, 2,
                                  TXT("x"), &o),
              IOTSEC_ERR_INVALID_ARG); /* a direct mode allows one recipient */
    rc[0].key = &devx;
    CHECK_ERR(iotsec_cose_encrypt((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, rc, 1,
                                  TXT("X25519"), &o),
              IOTSEC_OK);
    e[0].key = &devx;
    CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT, e, 1, no_opts, &r), IOTSEC_OK);
    /* static-static: the sender's public key is found by kid */
    {
        static const uint8_t r_ss_unprot[] = {0xa1, 0x22, 0x42, 's', 'k'}; /* {-3: 'sk'} */
        rc[0].hdr.prot = CB(r_ss_hkdf256);
        rc[0].hdr.unprot = CB(r_ss_unprot);
        rc[0].key = &dev;
        rc[0].sender_key = &sender;
        CHECK_ERR(iotsec_cose_encrypt((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, rc, 1,
                                      TXT("static"), &o),
                  IOTSEC_OK);
        e[0].key = &dev;
        e[1].key = &sender;
        e[1].kid = TXT("sk");
        CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT, e, 2, no_opts, &r), IOTSEC_OK);
        CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT, e, 1, no_opts, &r), IOTSEC_ERR_NOT_FOUND);
        rc[0].hdr.unprot = (struct iotsec_cbuf){NULL, 0};
        rc[0].sender_key = NULL;
    }
    /* direct+HKDF-SHA-256 with unsent party info: both sides must agree */
    {
        static const uint8_t secret[32] = {9, 9, 9};
        struct iotsec_key ss;
        struct iotsec_cose_opts oo = no_opts;
        iotsec_key_init_symmetric(&ss, secret, 32);
        rc[0].hdr.prot = CB(r_hkdf256);
        rc[0].key = &ss;
        oo.kdf.u_id = TXT("sender");
        CHECK_ERR(iotsec_cose_encrypt((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &h, rc, 1,
                                      TXT("hkdf"), &oo),
                  IOTSEC_OK);
        e[0].key = &ss;
        CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT, e, 1, oo, &r), IOTSEC_OK);
        CHECK_ERR(decrypt_with(&msg, IOTSEC_COSE_ENCRYPT, e, 1, no_opts, &r),
                  IOTSEC_ERR_DECRYPT_FAILED);
    }
    iotsec_key_free(&dev);
    iotsec_key_free(&devx);
    iotsec_key_free(&sender);
    iotsec_key_free(&other);
}

static void test_countersign(void)
{
    static const uint8_t prot_ed[] = {0xa1, 0x01, 0x27};
    struct iotsec_key a = key_gen(IOTSEC_CRV_P256), c = key_gen(IOTSEC_CRV_ED25519),
                      x = key_gen(IOTSEC_CRV_ED25519);
    struct iotsec_cose_signer_in s = {{CB(prot_es256), {NULL, 0}}, &a};
    struct iotsec_cose_signer_in cs = {{CB(prot_ed), {NULL, 0}}, &c};
    struct iotsec_cose_opts o = no_opts;
    struct iotsec_cose_msg m;
    struct iotsec_cose_result r;
    struct iotsec_cbuf msg, msg2;
    static uint8_t out2[4096];

    o.scratch.ptr = g_scratch;
    o.scratch.len = sizeof(g_scratch);
    CHECK_ERR(iotsec_cose_sign1((struct iotsec_buf){g_out, sizeof(g_out)}, &msg, &s, TXT("body"),
                                &o),
              IOTSEC_OK);
    CHECK_ERR(iotsec_cose_decode(msg.ptr, msg.len, IOTSEC_COSE_SIGN1, NULL, 0, &m), IOTSEC_OK);
    CHECK_ERR(iotsec_cose_countersign((struct iotsec_buf){out2, sizeof(out2)}, &msg2, &m, &cs, &o),
              IOTSEC_OK);
    /* the original signature still verifies, and so does the countersignature */
    CHECK_ERR(verify_with(&msg2, IOTSEC_COSE_SIGN1, &a, NULL, no_opts, &r), IOTSEC_OK);
    CHECK_ERR(iotsec_cose_decode(msg2.ptr, msg2.len, IOTSEC_COSE_SIGN1, NULL, 0, &m), IOTSEC_OK);
    {
        struct iotsec_cose_keyset_entry e = {&c, {NULL, 0}};
        struct iotsec_cose_keyset ks = {&e, 1};
        CHECK_ERR(iotsec_cose_countersign_verify(&m, &ks, &o, &r), IOTSEC_OK);
        e.key = &x;
        CHECK_ERR(iotsec_cose_countersign_verify(&m, &ks, &o, &r), IOTSEC_ERR_VERIFY_FAILED);
    }
    /* malformed countersignature lists end the walk (found by fuzzing: an
     * element that is not a COSE_Countersignature used to stall it) */
    {
        uint8_t buf[64];
        size_t n = test_unhex("d2 84 40 a1 0b 82 80 80 40 40", buf, sizeof(buf));
        struct iotsec_cose_keyset_entry e = {&c, {NULL, 0}};
        struct iotsec_cose_keyset ks = {&e, 1};
        CHECK_ERR(iotsec_cose_decode(buf, n, IOTSEC_COSE_SIGN1, NULL, 0, &m), IOTSEC_OK);
        CHECK_ERR(iotsec_cose_countersign_verify(&m, &ks, &o, &r), IOTSEC_ERR_MALFORMED);
    }
    iotsec_key_free(&a);
    iotsec_key_free(&c);
    iotsec_key_free(&x);
}

int main(void)
{
    test_sign1();
    test_header_rules();
    test_empty_protected();
    test_sign_multi();
    test_mac();
    test_encrypt();
    test_recipients();
    test_countersign();
    return test_summary();
}
