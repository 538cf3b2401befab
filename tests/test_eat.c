/* SPDX-License-Identifier: Apache-2.0 */
/* EAT tests: every CBOR example of RFC 9711 Appendix A decodes to its
 * claims; tokens built and signed here verify with ES256, ES384, EdDSA and
 * HMAC and decode to what was put; each way a token can fail fails with
 * its own error; the builder refuses what RFC 9711 forbids; detached EAT
 * bundles are checked against their digests. */
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "iotsec/eat.h"
#include "test_util.h"

#define BIT(k) IOTSEC_EAT_BIT(k)
#define CB(a) ((struct iotsec_cbuf){(a), sizeof(a)})
#define TXT(s) ((struct iotsec_cbuf){(const uint8_t *)(s), sizeof(s) - 1})
#define NOW 1700000000

static uint8_t g_scratch[4096];

/* ---- helpers ---- */

static size_t load_hex(const char *name, uint8_t *out, size_t cap)
{
    char rel[256];
    size_t n, len;
    uint8_t *txt;

    snprintf(rel, sizeof(rel), "vectors/eat/rfc9711/%s", name);
    txt = test_read_file(test_shared_path(rel), &n);
    CHECK_MSG(txt != NULL, "cannot read %s", rel);
    if (txt == NULL)
        return 0;
    len = test_unhex((const char *)txt, out, cap);
    free(txt);
    CHECK_MSG(len != (size_t)-1, "bad hex in %s", rel);
    return len == (size_t)-1 ? 0 : len;
}

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = test_unhex(hex, out, cap);

    CHECK_MSG(n != (size_t)-1, "bad hex %s", hex);
    return n == (size_t)-1 ? 0 : n;
}

static bool same(struct iotsec_cbuf a, const char *hex)
{
    uint8_t b[512];
    size_t n = test_unhex(hex, b, sizeof(b));

    return n != (size_t)-1 && a.len == n && memcmp(a.ptr, b, n) == 0;
}

static bool same_text(struct iotsec_cbuf a, const char *s)
{
    return a.len == strlen(s) && memcmp(a.ptr, s, a.len) == 0;
}

static struct iotsec_key key_gen(int32_t crv)
{
    struct iotsec_key k;

    memset(&k, 0, sizeof(k));
    CHECK_ERR(iotsec_key_generate(&k, crv), IOTSEC_OK);
    return k;
}

static struct iotsec_eat_verify_opts opts(const uint8_t *nonce, size_t nonce_len)
{
    struct iotsec_eat_verify_opts o;

    memset(&o, 0, sizeof(o));
    o.nonce = nonce;
    o.nonce_len = nonce_len;
    o.now = NOW;
    o.scratch.ptr = g_scratch;
    o.scratch.len = sizeof(g_scratch);
    return o;
}

/* Verify @p tok against the one key @p k (kid @p kid may be NULL). */
static enum iotsec_err verify1(struct iotsec_cbuf tok, const struct iotsec_key *k, const char *kid,
                               const struct iotsec_eat_verify_opts *o, struct iotsec_eat_token *t,
                               struct iotsec_eat_claims *c)
{
    struct iotsec_cose_keyset_entry e = {k, {(const uint8_t *)kid, kid ? strlen(kid) : 0}};
    struct iotsec_cose_keyset ks = {&e, 1};

    return iotsec_eat_verify(tok.ptr, tok.len, &ks, o, t, c);
}

/* The entries of a manifests/measurements claim, for checking. */
static size_t entries(struct iotsec_cbor_dec claim, struct iotsec_eat_entry *out, size_t max)
{
    struct iotsec_eat_entry e;
    size_t n = 0;
    enum iotsec_err err;

    while ((err = iotsec_eat_entry_next(&claim, &e)) == IOTSEC_OK)
        if (n < max)
            out[n++] = e;
    CHECK_ERR(err, IOTSEC_ERR_CBOR_END);
    return n;
}

struct submod {
    struct iotsec_cbuf name, value;
    enum iotsec_eat_submod_kind kind;
    int32_t alg;
};

static size_t submods(struct iotsec_cbor_dec claim, struct submod *out, size_t max)
{
    struct submod s;
    size_t n = 0;
    enum iotsec_err err;

    while ((err = iotsec_eat_submod_next(&claim, &s.name, &s.kind, &s.alg, &s.value)) == IOTSEC_OK)
        if (n < max)
            out[n++] = s;
    CHECK_ERR(err, IOTSEC_ERR_CBOR_END);
    return n;
}

/* ---- RFC 9711 Appendix A ---- */

static void test_a11_simple_tee(void)
{
    uint8_t cs[512], coswid[512];
    size_t n = load_hex("A.1.1-simple-tee.claims.hex", cs, sizeof(cs)),
           cn = load_hex("A.1.1-simple-tee.coswid.hex", coswid, sizeof(coswid));
    struct iotsec_eat_claims c;
    struct iotsec_eat_entry e[2];
    int64_t bad = -1;

    CHECK_ERR(iotsec_eat_claims_decode(cs, n, &c, &bad), IOTSEC_OK);
    CHECK(bad == 0);
    CHECK(c.present == (BIT(IOTSEC_EAT_NONCE) | BIT(IOTSEC_EAT_OEMBOOT) |
                        BIT(IOTSEC_EAT_DBGSTAT) | BIT(IOTSEC_EAT_MANIFESTS)));
    CHECK(c.n_nonce == 1 && same(c.nonce[0], "48df7b172d70b5a18935d0460a73dd71"));
    CHECK(c.oemboot == true);
    CHECK(c.dbgstat == IOTSEC_EAT_DBG_DISABLED_SINCE_BOOT);
    /* oemboot without oemid: sent by the RFC's own example, so flagged only */
    CHECK(c.orphans == BIT(IOTSEC_EAT_OEMBOOT));
    CHECK(entries(c.manifests, e, 2) == 1);
    CHECK(e[0].content_format == IOTSEC_EAT_CF_COSWID && !e[0].text);
    /* the payload CoSWID of A.1.1, without its CoSWID tag (5 bytes) */
    CHECK(cn > 5);
    CHECK_MEM(e[0].value.ptr, e[0].value.len, coswid + 5, cn - 5);
}

static void test_a12_submods(void)
{
    uint8_t cs[512];
    size_t n = load_hex("A.1.2-submods-board-device.claims.hex", cs, sizeof(cs));
    struct iotsec_eat_claims c, b;
    struct submod s[3];

    CHECK_ERR(iotsec_eat_claims_decode(cs, n, &c, NULL), IOTSEC_OK);
    CHECK(same(c.nonce[0], "e253cabedc9eec24ac4e25bcbeaf7765") && c.n_nonce == 1);
    CHECK(same(c.ueid, "0198f50a4ff6c05861c8860d13a638ea"));
    CHECK(same(c.oemid, "894823"));
    CHECK(same(c.hwmodel, "549dcecc8b987c737b44e40f7c635ce8"));
    CHECK(same_text(c.hwversion.version, "1.3.4") && c.hwversion.scheme == 1);
    CHECK(same_text(c.swname, "Acme OS"));
    CHECK(same_text(c.swversion.version, "3.5.5") && c.swversion.scheme == 1);
    CHECK(c.oemboot && c.dbgstat == IOTSEC_EAT_DBG_DISABLED_PERMANENTLY);
    CHECK((c.present & BIT(IOTSEC_EAT_IAT)) && c.iat == 1526542894);
    CHECK(c.orphans == 0);
    CHECK(submods(c.submods, s, 3) == 2);
    CHECK(same_text(s[0].name, "board") && s[0].kind == IOTSEC_EAT_SUBMOD_CLAIMS);
    CHECK(same_text(s[1].name, "device") && s[1].kind == IOTSEC_EAT_SUBMOD_CLAIMS);
    CHECK(s[0].alg == 0 && s[1].alg == 0);
    /* one level at a time: the caller decodes each nested claims set */
    CHECK_ERR(iotsec_eat_claims_decode(s[0].value.ptr, s[0].value.len, &b, NULL), IOTSEC_OK);
    CHECK(same(b.oemid, "9bef8787eba13e2c8f6e7cb4b1f4619a"));
    CHECK(same(b.hwmodel, "ee80f5a66c1fb9742999a8fdab930893"));
    CHECK(same_text(b.hwversion.version, "2.0a") && b.hwversion.scheme == 2);
    CHECK(b.present == (BIT(IOTSEC_EAT_OEMID) | BIT(IOTSEC_EAT_HWMODEL) |
                        BIT(IOTSEC_EAT_HWVERSION)));
    CHECK_ERR(iotsec_eat_claims_decode(s[1].value.ptr, s[1].value.len, &b, NULL), IOTSEC_OK);
    CHECK(b.oemid.ptr == NULL && b.oemid_pen == 61234);
    CHECK(same_text(b.hwversion.version, "4.0") && b.hwversion.scheme == 1);
    CHECK(b.orphans == BIT(IOTSEC_EAT_HWVERSION)); /* no hwmodel in the example */
}

static void test_a13_hw_block(void)
{
    uint8_t cs[256];
    size_t n = load_hex("A.1.3-hw-block.claims.hex", cs, sizeof(cs));
    struct iotsec_eat_claims c;

    CHECK_ERR(iotsec_eat_claims_decode(cs, n, &c, NULL), IOTSEC_OK);
    CHECK(c.n_nonce == 1 && same(c.nonce[0], "d79b964ddd5471c1393c8888"));
    CHECK(same(c.ueid, "0198f50a4ff6c05861c8860d13a638ea"));
    CHECK(c.oemid.ptr == NULL && c.oemid_pen == 64242 && (c.present & BIT(IOTSEC_EAT_OEMID)));
    CHECK(c.oemboot && c.dbgstat == IOTSEC_EAT_DBG_DISABLED_PERMANENTLY);
    CHECK(same_text(c.hwversion.version, "3.1") && c.hwversion.scheme == 1);
    CHECK(c.hwversion.scheme_text.ptr == NULL);
    CHECK(c.orphans == BIT(IOTSEC_EAT_HWVERSION));
}

static void test_a14_key_store(void)
{
    uint8_t cs[512];
    size_t n = load_hex("A.1.4-key-store.claims.hex", cs, sizeof(cs));
    struct iotsec_eat_claims c, h;
    struct iotsec_eat_entry e[2];
    struct submod s[2];

    CHECK_ERR(iotsec_eat_claims_decode(cs, n, &c, NULL), IOTSEC_OK);
    CHECK(same(c.nonce[0], "99b67438dba40743266f70bf75feb1026d513497a229bfe8"));
    CHECK(c.nonce[0].len == 24);
    CHECK(c.oemboot && c.dbgstat == IOTSEC_EAT_DBG_DISABLED_SINCE_BOOT);
    CHECK(c.exp == 1634324274 && c.iat == 1634317080);
    /* the private-use claims -80000 and -80001 are ignored */
    CHECK(c.present == (BIT(IOTSEC_EAT_NONCE) | BIT(IOTSEC_EAT_OEMBOOT) |
                        BIT(IOTSEC_EAT_DBGSTAT) | BIT(IOTSEC_EAT_MANIFESTS) |
                        BIT(IOTSEC_EAT_EXP) | BIT(IOTSEC_EAT_IAT) | BIT(IOTSEC_EAT_SUBMODS)));
    CHECK(entries(c.manifests, e, 2) == 1);
    CHECK(e[0].content_format == 258);
    CHECK(same(e[0].value, "a6006837626233343837660c000169436172626f6e6974650d63312e320e0102a21"
                           "81f75496e647573747269616c204175746f6d6174696f6e182102"));
    CHECK(submods(c.submods, s, 2) == 1);
    CHECK(same_text(s[0].name, "HLOS") && s[0].kind == IOTSEC_EAT_SUBMOD_CLAIMS);
    CHECK_ERR(iotsec_eat_claims_decode(s[0].value.ptr, s[0].value.len, &h, NULL), IOTSEC_OK);
    CHECK(same(h.nonce[0], "8b0b28782a23d3f6") && h.oemboot);
    CHECK(entries(h.manifests, e, 2) == 1 && e[0].content_format == 258);
    CHECK(same(e[0].value, "a6006873376537346b78380c00016844726f6964204f530d6552322e44320e0302a21"
                           "81f75496e647573747269616c204175746f6d6174696f6e182102"));
}

static void test_a15_measurements(void)
{
    uint8_t cs[512], coswid[512];
    size_t n = load_hex("A.1.5-iot-sw-measurements.claims.hex", cs, sizeof(cs)),
           cn = load_hex("A.1.5-iot-sw-measurements.coswid.hex", coswid, sizeof(coswid));
    struct iotsec_eat_claims c, os;
    struct iotsec_eat_entry e[2];
    struct submod s[2];

    CHECK_ERR(iotsec_eat_claims_decode(cs, n, &c, NULL), IOTSEC_OK);
    CHECK(same(c.nonce[0], "5e19fba4483c7896"));
    CHECK(c.oemboot && c.dbgstat == IOTSEC_EAT_DBG_DISABLED_SINCE_BOOT);
    CHECK(same(c.oemid, "8945ad") && same(c.ueid, "0198f50a4ff6c05861c8860d13a638ea"));
    CHECK(c.orphans == 0);
    CHECK(submods(c.submods, s, 2) == 1);
    CHECK(same_text(s[0].name, "OS") && s[0].kind == IOTSEC_EAT_SUBMOD_CLAIMS);
    CHECK_ERR(iotsec_eat_claims_decode(s[0].value.ptr, s[0].value.len, &os, NULL), IOTSEC_OK);
    CHECK(os.oemboot && os.dbgstat == IOTSEC_EAT_DBG_DISABLED_SINCE_BOOT);
    CHECK(os.orphans == BIT(IOTSEC_EAT_OEMBOOT));
    CHECK(entries(os.measurements, e, 2) == 1);
    CHECK(e[0].content_format == IOTSEC_EAT_CF_COSWID && !e[0].text);
    CHECK(cn > 5);
    CHECK_MEM(e[0].value.ptr, e[0].value.len, coswid + 5, cn - 5); /* evidence CoSWID */
}

static void test_a21_basic_cwt(void)
{
    uint8_t tok[512], a13[256];
    size_t n = load_hex("A.2.1-basic-cwt.token.hex", tok, sizeof(tok)),
           an = load_hex("A.1.3-hw-block.claims.hex", a13, sizeof(a13));
    struct iotsec_key other = key_gen(IOTSEC_CRV_P256), ed = key_gen(IOTSEC_CRV_ED25519);
    struct iotsec_eat_verify_opts o = opts(NULL, 0);
    struct iotsec_eat_claims c;
    struct iotsec_eat_token t;
    struct iotsec_cose_msg m;

    /* signed with a key the RFC does not publish: decode only */
    CHECK_ERR(iotsec_cose_decode(tok, n, IOTSEC_COSE_UNKNOWN, NULL, 0, &m), IOTSEC_OK);
    CHECK(m.cwt && m.type == IOTSEC_COSE_SIGN1 && m.hdr.alg == IOTSEC_ALG_ES256);
    CHECK(m.sig.len == 64);
    CHECK_MEM(m.content.ptr, m.content.len, a13, an); /* the payload is A.1.3 */
    CHECK_ERR(iotsec_eat_claims_decode(m.content.ptr, m.content.len, &c, NULL), IOTSEC_OK);
    CHECK(same(c.nonce[0], "d79b964ddd5471c1393c8888") && c.oemid_pen == 64242);
    /* and it does not verify with a key of ours, nor with none that fits */
    CHECK_ERR(verify1((struct iotsec_cbuf){tok, n}, &other, NULL, &o, &t, &c),
              IOTSEC_ERR_VERIFY_FAILED);
    CHECK(c.present == 0 && t.form == 0); /* nothing handed out */
    CHECK_ERR(verify1((struct iotsec_cbuf){tok, n}, &ed, NULL, &o, &t, &c), IOTSEC_ERR_NOT_FOUND);
    iotsec_key_free(&other);
    iotsec_key_free(&ed);
}

static void test_a22_bundle(void)
{
    uint8_t tok[512], mc[256], tee[256], h[32];
    size_t n = load_hex("A.2.2-cbor-detached-eat-bundle.token.hex", tok, sizeof(tok)),
           mn = load_hex("A.2.2-cbor-detached-eat-bundle.main-claims.hex", mc, sizeof(mc)),
           tn = load_hex("A.1.1-simple-tee.claims.hex", tee, sizeof(tee)), hl;
    struct iotsec_key other = key_gen(IOTSEC_CRV_P256);
    struct iotsec_eat_verify_opts o = opts(NULL, 0);
    struct iotsec_cbor_dec d, a, dm;
    struct iotsec_cbuf main_tok, name, set;
    struct iotsec_eat_claims c;
    struct iotsec_eat_token t;
    struct iotsec_cose_msg m;
    struct submod s[2];
    uint64_t tag;

    CHECK_ERR(iotsec_eat_claims_decode(mc, mn, &c, NULL), IOTSEC_OK);
    CHECK(same(c.nonce[0], "3515744961254b41a6cf9c02"));
    CHECK(c.oemid_pen == 64242 && same_text(c.hwversion.version, "3.1"));
    CHECK(submods(c.submods, s, 2) == 1);
    CHECK(same_text(s[0].name, "TEE") && s[0].kind == IOTSEC_EAT_SUBMOD_DIGEST);
    CHECK(s[0].alg == IOTSEC_ALG_SHA256);
    CHECK(same(s[0].value, "ab86f765643aabfd09c84eebe150b7f61bc24804cee75e90c5f99cb850fe808f"));

    /* 602([main token, {"TEE": claims set}]) */
    CHECK_ERR(iotsec_cbor_dec_init(&d, tok, n, 0, NULL), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_tag(&d, &tag), IOTSEC_OK);
    CHECK(tag == IOTSEC_EAT_TAG_DEB);
    CHECK_ERR(iotsec_cbor_enter_array(&d, &a, NULL), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_bstr(&a, &main_tok), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_enter_map(&a, &dm, NULL), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_tstr(&dm, &name), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_bstr(&dm, &set), IOTSEC_OK);
    CHECK(same_text(name, "TEE"));
    CHECK_MEM(set.ptr, set.len, tee, tn); /* the detached set is A.1.1 */
    CHECK_ERR(iotsec_crypto_hash(IOTSEC_ALG_SHA256, set.ptr, set.len, h, sizeof(h), &hl),
              IOTSEC_OK);
    CHECK_MEM(h, hl, s[0].value.ptr, s[0].value.len); /* and it matches its digest */
    CHECK_ERR(iotsec_cose_decode(main_tok.ptr, main_tok.len, IOTSEC_COSE_UNKNOWN, NULL, 0, &m),
              IOTSEC_OK);
    CHECK(m.cwt && m.type == IOTSEC_COSE_SIGN1);
    CHECK_MEM(m.content.ptr, m.content.len, mc, mn);
    CHECK_ERR(verify1((struct iotsec_cbuf){tok, n}, &other, NULL, &o, &t, &c),
              IOTSEC_ERR_VERIFY_FAILED);
    iotsec_key_free(&other);
}

/* ---- round trips ---- */

static const uint8_t nonce32[32] = {0x6e, 0x6f, 0x6e, 0x63, 0x65, 1,  2,  3,  4,  5,  6,
                                    7,    8,    9,    10,   11,   12, 13, 14, 15, 16, 17,
                                    18,   19,   20,   21,   22,   23, 24, 25, 26, 27};
static const uint8_t ueid33[33] = {0x01, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa,
                                   0xab, 0xac, 0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5,
                                   0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf, 0xc0};
static const uint8_t oui[3] = {0xac, 0xde, 0x48};
static const uint8_t hwmodel[16] = {0x54, 0x9d, 0xce, 0xcc, 0x8b, 0x98, 0x7c, 0x73,
                                    0x7b, 0x44, 0xe4, 0x0f, 0x7c, 0x63, 0x5c, 0xe8};
static uint8_t manifest[200], measurement[64];

/* A typical device claims set. */
static enum iotsec_err build_typical(uint8_t *buf, size_t cap, struct iotsec_cbuf *cs)
{
    struct iotsec_eat_builder b;
    struct iotsec_eat_entry man = {IOTSEC_EAT_CF_COSWID, {manifest, sizeof(manifest)}, false};
    struct iotsec_eat_entry meas = {IOTSEC_EAT_CF_COSWID, {measurement, sizeof(measurement)},
                                    false};
    size_t i;

    for (i = 0; i < sizeof(manifest); i++)
        manifest[i] = (uint8_t)(i * 7);
    for (i = 0; i < sizeof(measurement); i++)
        measurement[i] = (uint8_t)(255 - i);
    iotsec_eat_build_begin(&b, buf, cap);
    iotsec_eat_put_bstr(&b, IOTSEC_EAT_NONCE, nonce32, sizeof(nonce32));
    iotsec_eat_put_bstr(&b, IOTSEC_EAT_UEID, ueid33, sizeof(ueid33));
    iotsec_eat_put_bstr(&b, IOTSEC_EAT_OEMID, oui, sizeof(oui));
    iotsec_eat_put_bstr(&b, IOTSEC_EAT_HWMODEL, hwmodel, sizeof(hwmodel));
    iotsec_eat_put_version(&b, IOTSEC_EAT_HWVERSION, "1.3.4", 5, 1);
    iotsec_eat_put_text(&b, IOTSEC_EAT_SWNAME, "Acme OS", 7);
    iotsec_eat_put_version(&b, IOTSEC_EAT_SWVERSION, "3.5.5", 5, 16384);
    iotsec_eat_put_bool(&b, IOTSEC_EAT_OEMBOOT, true);
    iotsec_eat_put_uint(&b, IOTSEC_EAT_DBGSTAT, IOTSEC_EAT_DBG_DISABLED_PERMANENTLY);
    iotsec_eat_put_uint(&b, IOTSEC_EAT_BOOTCOUNT, 42);
    iotsec_eat_put_uint(&b, IOTSEC_EAT_UPTIME, 3600);
    iotsec_eat_put_int(&b, IOTSEC_EAT_IAT, NOW - 10);
    iotsec_eat_put_int(&b, IOTSEC_EAT_EXP, NOW + 3600);
    iotsec_eat_put_entries(&b, IOTSEC_EAT_MANIFESTS, &man, 1);
    iotsec_eat_put_entries(&b, IOTSEC_EAT_MEASUREMENTS, &meas, 1);
    iotsec_eat_put_text(&b, IOTSEC_EAT_PROFILE, IOTSEC_EAT_PROFILE_CONSTRAINED,
                        strlen(IOTSEC_EAT_PROFILE_CONSTRAINED));
    iotsec_eat_put_int(&b, IOTSEC_EAT_INTUSE, 2);
    iotsec_eat_put_int(&b, -70000, -5); /* a private claim */
    return iotsec_eat_build_finish(&b, cs);
}

static void check_typical(const struct iotsec_eat_claims *c)
{
    struct iotsec_eat_entry e[2];

    CHECK(c->n_nonce == 1);
    CHECK_MEM(c->nonce[0].ptr, c->nonce[0].len, nonce32, sizeof(nonce32));
    CHECK_MEM(c->ueid.ptr, c->ueid.len, ueid33, sizeof(ueid33));
    CHECK_MEM(c->oemid.ptr, c->oemid.len, oui, sizeof(oui));
    CHECK_MEM(c->hwmodel.ptr, c->hwmodel.len, hwmodel, sizeof(hwmodel));
    CHECK(same_text(c->hwversion.version, "1.3.4") && c->hwversion.scheme == 1);
    CHECK(same_text(c->swname, "Acme OS"));
    CHECK(same_text(c->swversion.version, "3.5.5") && c->swversion.scheme == 16384);
    CHECK(c->oemboot && c->dbgstat == IOTSEC_EAT_DBG_DISABLED_PERMANENTLY);
    CHECK(c->bootcount == 42 && c->uptime == 3600);
    CHECK(c->iat == NOW - 10 && c->exp == NOW + 3600);
    CHECK(same_text(c->profile, IOTSEC_EAT_PROFILE_CONSTRAINED) && !c->profile_is_oid);
    CHECK(c->intuse == 2);
    CHECK(c->orphans == 0);
    CHECK(entries(c->manifests, e, 2) == 1);
    CHECK(e[0].content_format == IOTSEC_EAT_CF_COSWID && !e[0].text);
    CHECK_MEM(e[0].value.ptr, e[0].value.len, manifest, sizeof(manifest));
    CHECK(entries(c->measurements, e, 2) == 1);
    CHECK_MEM(e[0].value.ptr, e[0].value.len, measurement, sizeof(measurement));
}

static void round_trip(const char *what, const struct iotsec_key *k, int32_t alg,
                       enum iotsec_eat_form form, int64_t want_alg, bool constrained_ok)
{
    static uint8_t cs_buf[1024], out[2048];
    struct iotsec_eat_verify_opts o = opts(nonce32, sizeof(nonce32));
    struct iotsec_cbuf cs, tok, sized;
    struct iotsec_eat_claims c;
    struct iotsec_eat_token t;

    CHECK_ERR(build_typical(cs_buf, sizeof(cs_buf), &cs), IOTSEC_OK);
    /* the size-only pass gives the size the real one makes */
    CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){NULL, 0}, &sized, cs, k, alg, TXT("dev-1"),
                              IOTSEC_EAT_SIGN_CWT_TAG),
              IOTSEC_OK);
    CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){out, sizeof(out)}, &tok, cs, k, alg,
                              TXT("dev-1"), IOTSEC_EAT_SIGN_CWT_TAG),
              IOTSEC_OK);
    CHECK_MSG(sized.ptr == NULL && sized.len == tok.len, "%s: size-only %zu, real %zu", what,
              sized.len, tok.len);
    CHECK(tok.ptr == out && out[0] == 0xd8 && out[1] == 0x3d); /* CWT tag 61 */
    CHECK(out[2] == (form == IOTSEC_EAT_FORM_MAC0 ? 0xd1 : 0xd2));
    CHECK_MSG(verify1(tok, k, "dev-1", &o, &t, &c) == IOTSEC_OK, "%s: verify", what);
    CHECK(t.form == form && t.cose.alg == want_alg && same_text(t.kid, "dev-1"));
    CHECK_MEM(t.claims.ptr, t.claims.len, cs.ptr, cs.len);
    check_typical(&c);
    o.constrained = true;
    CHECK_ERR(verify1(tok, k, "dev-1", &o, &t, &c),
              constrained_ok ? IOTSEC_OK : IOTSEC_ERR_PROFILE);
}

static void test_round_trips(void)
{
    static const uint8_t hk[32] = {0x48, 0x4d, 0x41, 0x43, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    struct iotsec_key p256 = key_gen(IOTSEC_CRV_P256), p384 = key_gen(IOTSEC_CRV_P384),
                      ed = key_gen(IOTSEC_CRV_ED25519), hmac;

    iotsec_key_init_symmetric(&hmac, hk, sizeof(hk));
    round_trip("ES256", &p256, 0, IOTSEC_EAT_FORM_SIGN1, IOTSEC_ALG_ES256, true);
    round_trip("ES384", &p384, 0, IOTSEC_EAT_FORM_SIGN1, IOTSEC_ALG_ES384, true);
    round_trip("ESP256", &p256, IOTSEC_ALG_ESP256, IOTSEC_EAT_FORM_SIGN1, IOTSEC_ALG_ESP256,
               true);
    /* EdDSA and HMAC are not in the constrained profile */
    round_trip("EdDSA", &ed, 0, IOTSEC_EAT_FORM_SIGN1, IOTSEC_ALG_EDDSA, false);
    round_trip("HMAC", &hmac, 0, IOTSEC_EAT_FORM_MAC0, IOTSEC_ALG_HMAC256, false);
    iotsec_key_free(&p256);
    iotsec_key_free(&p384);
    iotsec_key_free(&ed);
}

/* ---- verification failures ---- */

static void test_freshness_and_keys(void)
{
    static uint8_t cs_buf[1024], out[2048], bad[2048];
    struct iotsec_key k = key_gen(IOTSEC_CRV_P256), other = key_gen(IOTSEC_CRV_P256),
                      ed = key_gen(IOTSEC_CRV_ED25519);
    struct iotsec_eat_verify_opts o = opts(nonce32, sizeof(nonce32));
    struct iotsec_cbuf cs, tok;
    struct iotsec_eat_claims c;
    struct iotsec_eat_token t;
    uint8_t wrong[32];
    size_t pay;

    CHECK_ERR(build_typical(cs_buf, sizeof(cs_buf), &cs), IOTSEC_OK);
    CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){out, sizeof(out)}, &tok, cs, &k, 0, TXT("k1"), 0),
              IOTSEC_OK);
    CHECK(out[0] == 0xd2); /* COSE_Sign1 without the CWT tag */
    CHECK_ERR(verify1(tok, &k, "k1", &o, &t, &c), IOTSEC_OK);

    /* the nonce this receiver sent */
    memcpy(wrong, nonce32, sizeof(wrong));
    wrong[31] ^= 1;
    o.nonce = wrong;
    CHECK_ERR(verify1(tok, &k, "k1", &o, &t, &c), IOTSEC_ERR_NONCE_MISMATCH);
    CHECK(c.present == 0);
    o.nonce_len = 31;
    o.nonce = nonce32;
    CHECK_ERR(verify1(tok, &k, "k1", &o, &t, &c), IOTSEC_ERR_NONCE_MISMATCH);
    o.nonce_len = 32;

    /* exp at NOW + 3600: expired from then on, unless the leeway covers it */
    o.now = NOW + 3600;
    CHECK_ERR(verify1(tok, &k, "k1", &o, &t, &c), IOTSEC_ERR_EXPIRED);
    o.leeway = 1;
    CHECK_ERR(verify1(tok, &k, "k1", &o, &t, &c), IOTSEC_OK);
    o.leeway = 0;
    o.now = NOW + 3599;
    CHECK_ERR(verify1(tok, &k, "k1", &o, &t, &c), IOTSEC_OK);
    /* iat at NOW - 10: not valid before */
    o.now = NOW - 11;
    CHECK_ERR(verify1(tok, &k, "k1", &o, &t, &c), IOTSEC_ERR_NOT_YET_VALID);
    o.leeway = 5;
    CHECK_ERR(verify1(tok, &k, "k1", &o, &t, &c), IOTSEC_OK);
    o.leeway = 0;
    /* too old for max_age */
    o.now = NOW;
    o.max_age = 5;
    CHECK_ERR(verify1(tok, &k, "k1", &o, &t, &c), IOTSEC_ERR_EXPIRED);
    o.max_age = 10;
    CHECK_ERR(verify1(tok, &k, "k1", &o, &t, &c), IOTSEC_OK);
    o.now = 0; /* an age needs a clock */
    CHECK_ERR(verify1(tok, &k, "k1", &o, &t, &c), IOTSEC_ERR_INVALID_ARG);
    o.now = NOW;
    o.max_age = 0;
    o.leeway = -1;
    CHECK_ERR(verify1(tok, &k, "k1", &o, &t, &c), IOTSEC_ERR_INVALID_ARG);
    o.leeway = 0;

    /* tampering: a bit of the payload, a bit of the signature */
    pay = (size_t)((const uint8_t *)memmem(tok.ptr, tok.len, cs.ptr, cs.len) - tok.ptr);
    CHECK(pay > 0 && pay < tok.len);
    memcpy(bad, tok.ptr, tok.len);
    bad[pay + 40] ^= 0x10;
    CHECK_ERR(verify1((struct iotsec_cbuf){bad, tok.len}, &k, "k1", &o, &t, &c),
              IOTSEC_ERR_VERIFY_FAILED);
    memcpy(bad, tok.ptr, tok.len);
    bad[tok.len - 7] ^= 0x01;
    CHECK_ERR(verify1((struct iotsec_cbuf){bad, tok.len}, &k, "k1", &o, &t, &c),
              IOTSEC_ERR_VERIFY_FAILED);

    /* keys: the wrong one fails, none that fits is not found */
    CHECK_ERR(verify1(tok, &other, "k1", &o, &t, &c), IOTSEC_ERR_VERIFY_FAILED);
    CHECK_ERR(verify1(tok, &k, "k2", &o, &t, &c), IOTSEC_ERR_NOT_FOUND);
    CHECK_ERR(verify1(tok, &ed, NULL, &o, &t, &c), IOTSEC_ERR_NOT_FOUND);
    {
        /* the right key among others is found by its kid */
        struct iotsec_cose_keyset_entry e[3] = {
            {&other, TXT("k0")}, {&ed, TXT("k1")}, {&k, TXT("k1")}};
        struct iotsec_cose_keyset ks = {e, 3};
        CHECK_ERR(iotsec_eat_verify(tok.ptr, tok.len, &ks, &o, &t, &c), IOTSEC_OK);
        CHECK(t.cose.key == 2);
    }
    /* truncated and trailing bytes are CBOR errors */
    CHECK_ERR(verify1((struct iotsec_cbuf){tok.ptr, tok.len - 1}, &k, "k1", &o, &t, &c),
              IOTSEC_ERR_CBOR_TRUNCATED);
    memcpy(bad, tok.ptr, tok.len);
    bad[tok.len] = 0;
    CHECK_ERR(verify1((struct iotsec_cbuf){bad, tok.len + 1}, &k, "k1", &o, &t, &c),
              IOTSEC_ERR_CBOR_TRAILING);
    iotsec_key_free(&k);
    iotsec_key_free(&other);
    iotsec_key_free(&ed);
}

/* Sign the claims set given in hex as it is, ES256 with kid "k". */
static struct iotsec_cbuf sign_hex(const char *hex, const struct iotsec_key *k, uint8_t *out,
                                   size_t cap)
{
    static uint8_t cs[1024];
    struct iotsec_cbuf tok = {NULL, 0};
    size_t n = unhex(hex, cs, sizeof(cs));

    CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){out, cap}, &tok,
                              (struct iotsec_cbuf){cs, n}, k, 0, TXT("k"), 0),
              IOTSEC_OK);
    return tok;
}

#define N16 "000102030405060708090a0b0c0d0e0f"
#define UEID7 "02000102030405"

static void test_constrained_profile(void)
{
    static uint8_t out[2048];
    static const uint8_t n16[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    struct iotsec_key k = key_gen(IOTSEC_CRV_P256);
    struct iotsec_eat_verify_opts o = opts(n16, sizeof(n16)), oc;
    struct iotsec_eat_claims c;
    struct iotsec_eat_token t;
    struct iotsec_cbuf tok;

    oc = o;
    oc.constrained = true;
    /* well-formed: definite, preferred, one nonce */
    tok = sign_hex("a2 0a 50" N16 "190100 47" UEID7, &k, out, sizeof(out));
    CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_OK);
    CHECK_ERR(verify1(tok, &k, "k", &oc, &t, &c), IOTSEC_OK);
    /* an indefinite-length map: fine for EAT, not for the profile */
    tok = sign_hex("bf 0a 50" N16 "190100 47" UEID7 "ff", &k, out, sizeof(out));
    CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_OK);
    CHECK(same(c.ueid, UEID7));
    CHECK_ERR(verify1(tok, &k, "k", &oc, &t, &c), IOTSEC_ERR_PROFILE);
    CHECK(c.present == 0);
    /* an indefinite-length array inside a claim */
    tok = sign_hex("a2 0a 50" N16 "190110 9f 82 190102 41 00 ff", &k, out, sizeof(out));
    CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_OK);
    CHECK_ERR(verify1(tok, &k, "k", &oc, &t, &c), IOTSEC_ERR_PROFILE);
    /* a chunked string where a claim iotsec does not know sits */
    tok = sign_hex("a2 0a 50" N16 "3a0001387f 5f 41 00 41 01 ff", &k, out, sizeof(out));
    CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_OK);
    CHECK_ERR(verify1(tok, &k, "k", &oc, &t, &c), IOTSEC_ERR_PROFILE);
    /* not preferred serialization: a 16-byte nonce with a one-byte length */
    tok = sign_hex("a1 0a 58 10" N16, &k, out, sizeof(out));
    CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_OK);
    CHECK_ERR(verify1(tok, &k, "k", &oc, &t, &c), IOTSEC_ERR_PROFILE);
    /* nor a float wider than its value needs */
    tok = sign_hex("a3 0a 50" N16 "190100 47" UEID7 "3a0001387f fb 41d954fc40200000", &k, out,
                   sizeof(out));
    CHECK_ERR(verify1(tok, &k, "k", &oc, &t, &c), IOTSEC_OK); /* 1700000000.5 needs a double */
    tok = sign_hex("a3 0a 50" N16 "190100 47" UEID7 "3a0001387f fb 41d954fc40000000", &k, out,
                   sizeof(out));
    CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_OK);
    CHECK_ERR(verify1(tok, &k, "k", &oc, &t, &c), IOTSEC_ERR_PROFILE); /* 1700000000.0: single */
    tok = sign_hex("a3 0a 50" N16 "190100 47" UEID7 "3a0001387f fa 3fc00000", &k, out,
                   sizeof(out));
    CHECK_ERR(verify1(tok, &k, "k", &oc, &t, &c), IOTSEC_ERR_PROFILE); /* 1.5 fits a half */
    /* a nonce is required, and a single one */
    tok = sign_hex("a1 190100 47" UEID7, &k, out, sizeof(out));
    o.nonce = oc.nonce = NULL;
    o.nonce_len = oc.nonce_len = 0;
    CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_OK);
    CHECK_ERR(verify1(tok, &k, "k", &oc, &t, &c), IOTSEC_ERR_PROFILE);
    tok = sign_hex("a1 0a 82 50" N16 "48 0001020304050607", &k, out, sizeof(out));
    o.nonce = oc.nonce = n16;
    o.nonce_len = oc.nonce_len = sizeof(n16);
    CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_OK); /* one of two matches */
    CHECK(c.n_nonce == 2);
    CHECK_ERR(verify1(tok, &k, "k", &oc, &t, &c), IOTSEC_ERR_PROFILE);
    /* kid or ueid identify the key */
    {
        static uint8_t cs[64];
        size_t n = unhex("a1 0a 50" N16, cs, sizeof(cs));
        CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){out, sizeof(out)}, &tok,
                                  (struct iotsec_cbuf){cs, n}, &k, 0, (struct iotsec_cbuf){NULL, 0},
                                  0),
                  IOTSEC_OK);
        CHECK_ERR(verify1(tok, &k, NULL, &o, &t, &c), IOTSEC_OK);
        CHECK(t.kid.ptr == NULL);
        CHECK_ERR(verify1(tok, &k, NULL, &oc, &t, &c), IOTSEC_ERR_PROFILE);
    }
    iotsec_key_free(&k);
}

/* Token forms: tags optional, the alg tells an untagged COSE_Mac0; claims
 * that break the CDDL inside a good signature fail as claims. */
static void test_forms(void)
{
    static uint8_t out[1024], bare[1024];
    static const uint8_t hk[32] = {9, 8, 7};
    static const uint8_t n16[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    struct iotsec_key k = key_gen(IOTSEC_CRV_P256), h;
    struct iotsec_eat_verify_opts o = opts(n16, sizeof(n16));
    struct iotsec_eat_claims c;
    struct iotsec_eat_token t;
    struct iotsec_cbuf tok;

    iotsec_key_init_symmetric(&h, hk, sizeof(hk));
    /* untagged COSE_Sign1 and COSE_Mac0 */
    tok = sign_hex("a1 0a 50" N16, &k, out, sizeof(out));
    CHECK(tok.ptr[0] == 0xd2);
    memcpy(bare, tok.ptr + 1, tok.len - 1);
    CHECK_ERR(verify1((struct iotsec_cbuf){bare, tok.len - 1}, &k, "k", &o, &t, &c), IOTSEC_OK);
    CHECK(t.form == IOTSEC_EAT_FORM_SIGN1);
    {
        static uint8_t cs[32];
        size_t n = unhex("a1 0a 50" N16, cs, sizeof(cs));
        CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){out, sizeof(out)}, &tok,
                                  (struct iotsec_cbuf){cs, n}, &h, 0, TXT("m"), 0),
                  IOTSEC_OK);
    }
    CHECK(tok.ptr[0] == 0xd1);
    CHECK_ERR(verify1(tok, &h, "m", &o, &t, &c), IOTSEC_OK);
    CHECK(t.form == IOTSEC_EAT_FORM_MAC0 && t.cose.alg == IOTSEC_ALG_HMAC256);
    memcpy(bare, tok.ptr + 1, tok.len - 1);
    CHECK_ERR(verify1((struct iotsec_cbuf){bare, tok.len - 1}, &h, "m", &o, &t, &c), IOTSEC_OK);
    CHECK(t.form == IOTSEC_EAT_FORM_MAC0);
    /* the wrong MAC key, and a MAC key where a signature is expected */
    {
        struct iotsec_key h2;
        static const uint8_t hk2[32] = {9, 8, 6};
        iotsec_key_init_symmetric(&h2, hk2, sizeof(hk2));
        CHECK_ERR(verify1(tok, &h2, "m", &o, &t, &c), IOTSEC_ERR_VERIFY_FAILED);
        CHECK_ERR(verify1(tok, &k, "m", &o, &t, &c), IOTSEC_ERR_NOT_FOUND);
    }
    /* the CWT tag holds a tagged COSE message (RFC 8392 6) */
    bare[0] = 0xd8;
    bare[1] = 0x3d;
    memcpy(bare + 2, tok.ptr + 1, tok.len - 1);
    CHECK_ERR(verify1((struct iotsec_cbuf){bare, tok.len + 1}, &h, "m", &o, &t, &c),
              IOTSEC_ERR_MALFORMED);
    /* a COSE_Encrypt0 is no token iotsec verifies */
    {
        size_t n = unhex("d0 83 43 a10101 a1 05 4c 000102030405060708090a0b 41 00", bare,
                         sizeof(bare));
        CHECK_ERR(verify1((struct iotsec_cbuf){bare, n}, &h, NULL, &o, &t, &c),
                  IOTSEC_ERR_UNSUPPORTED);
    }
    /* claims that break the CDDL, under a good signature */
    tok = sign_hex("a2 0a 50" N16 "0a 50" N16, &k, out, sizeof(out));
    CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_ERR_CBOR_DUPLICATE_KEY);
    tok = sign_hex("a1 0a 44 00010203", &k, out, sizeof(out));
    CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_ERR_MALFORMED);
    tok = sign_hex("a2 0a 50" N16 "190107 07", &k, out, sizeof(out));
    CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_ERR_MALFORMED);
    tok = sign_hex("83 0a 50" N16, &k, out, sizeof(out));
    CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_ERR_CBOR_TRUNCATED);
    /* a text manifest goes out and comes back as text */
    {
        static uint8_t cs_buf[128];
        struct iotsec_eat_builder b;
        struct iotsec_eat_entry in = {50, TXT("{\"a\": 1}"), true}, e[2];
        struct iotsec_cbuf cs;
        iotsec_eat_build_begin(&b, cs_buf, sizeof(cs_buf));
        iotsec_eat_put_bstr(&b, IOTSEC_EAT_NONCE, n16, sizeof(n16));
        iotsec_eat_put_entries(&b, IOTSEC_EAT_MANIFESTS, &in, 1);
        CHECK_ERR(iotsec_eat_build_finish(&b, &cs), IOTSEC_OK);
        CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){out, sizeof(out)}, &tok, cs, &k, 0, TXT("k"),
                                  0),
                  IOTSEC_OK);
        CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_OK);
        CHECK(entries(c.manifests, e, 2) == 1);
        CHECK(e[0].text && e[0].content_format == 50 && same_text(e[0].value, "{\"a\": 1}"));
    }
    iotsec_key_free(&k);
}

static void test_uccs(void)
{
    uint8_t buf[256];
    size_t n = unhex("d9 0259 a2 0a 50" N16 "19 0106 f5", buf, sizeof(buf));
    static const uint8_t n16[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    struct iotsec_eat_verify_opts o = opts(n16, sizeof(n16));
    struct iotsec_cose_keyset ks = {NULL, 0};
    struct iotsec_eat_claims c;
    struct iotsec_eat_token t;

    CHECK_ERR(iotsec_eat_verify(buf, n, &ks, &o, &t, &c), IOTSEC_ERR_UNSUPPORTED);
    o.allow_uccs = true;
    CHECK_ERR(iotsec_eat_verify(buf, n, &ks, &o, &t, &c), IOTSEC_OK);
    CHECK(t.form == IOTSEC_EAT_FORM_UCCS && c.oemboot && c.orphans == BIT(IOTSEC_EAT_OEMBOOT));
    CHECK(t.claims.ptr == buf + 3 && t.claims.len == n - 3); /* the map, without its tag */
    o.nonce = (const uint8_t *)"0123456789abcdef";
    CHECK_ERR(iotsec_eat_verify(buf, n, &ks, &o, &t, &c), IOTSEC_ERR_NONCE_MISMATCH);
    o.nonce = n16;
    o.constrained = true;
    CHECK_ERR(iotsec_eat_verify(buf, n, &ks, &o, &t, &c), IOTSEC_ERR_PROFILE);
    o.constrained = false;
    /* a bare map is a UCCS too, when the channel says so */
    CHECK_ERR(iotsec_eat_verify(buf + 3, n - 3, &ks, &o, &t, &c), IOTSEC_OK);
    o.allow_uccs = false;
    CHECK_ERR(iotsec_eat_verify(buf + 3, n - 3, &ks, &o, &t, &c), IOTSEC_ERR_UNSUPPORTED);
    /* claims_decode takes tag 601, a CWT payload does not */
    CHECK_ERR(iotsec_eat_claims_decode(buf, n, &c, NULL), IOTSEC_OK);
    {
        static uint8_t out[512];
        struct iotsec_key k = key_gen(IOTSEC_CRV_P256);
        struct iotsec_cbuf tok;
        CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){out, sizeof(out)}, &tok,
                                  (struct iotsec_cbuf){buf, n}, &k, 0, TXT("k"), 0),
                  IOTSEC_OK);
        CHECK_ERR(verify1(tok, &k, "k", &o, &t, &c), IOTSEC_ERR_MALFORMED);
        iotsec_key_free(&k);
    }
}

/* ---- detached EAT bundles ---- */

/* 602([main, {name: set}]) */
static struct iotsec_cbuf bundle(uint8_t *out, size_t cap, struct iotsec_cbuf main_tok,
                                 const char *name, struct iotsec_cbuf set)
{
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf b;

    iotsec_cbor_enc_init(&e, out, cap);
    iotsec_cbor_enc_tag(&e, IOTSEC_EAT_TAG_DEB);
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_bstr(&e, main_tok.ptr, main_tok.len);
    iotsec_cbor_enc_map(&e, 1);
    iotsec_cbor_enc_text(&e, name);
    iotsec_cbor_enc_bstr(&e, set.ptr, set.len);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, &b), IOTSEC_OK);
    return b;
}

static void test_bundle(void)
{
    static uint8_t set_buf[256], main_buf[512], tok_buf[1024], deb_buf[2048], sub[128];
    struct iotsec_key k = key_gen(IOTSEC_CRV_P256);
    struct iotsec_eat_verify_opts o = opts(nonce32, sizeof(nonce32));
    struct iotsec_eat_builder b;
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf set, main_cs, tok, deb, subs, name, v;
    struct iotsec_cbor_dec m;
    struct iotsec_eat_claims c;
    struct iotsec_eat_token t;
    uint8_t h[32];
    size_t hl;

    /* the detached claims set, and its digest */
    iotsec_eat_build_begin(&b, set_buf, sizeof(set_buf));
    iotsec_eat_put_text(&b, IOTSEC_EAT_SWNAME, "Acme TEE OS", 11);
    iotsec_eat_put_version(&b, IOTSEC_EAT_SWVERSION, "3.1.4", 5, 1);
    iotsec_eat_put_uint(&b, IOTSEC_EAT_DBGSTAT, IOTSEC_EAT_DBG_DISABLED_SINCE_BOOT);
    CHECK_ERR(iotsec_eat_build_finish(&b, &set), IOTSEC_OK);
    CHECK_ERR(iotsec_crypto_hash(IOTSEC_ALG_SHA256, set.ptr, set.len, h, sizeof(h), &hl),
              IOTSEC_OK);
    /* the main claims with the detached-digest submodule "TEE" */
    iotsec_cbor_enc_init(&e, sub, sizeof(sub));
    iotsec_cbor_enc_map(&e, 1);
    iotsec_cbor_enc_text(&e, "TEE");
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_int(&e, IOTSEC_ALG_SHA256);
    iotsec_cbor_enc_bstr(&e, h, hl);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, &subs), IOTSEC_OK);
    iotsec_eat_build_begin(&b, main_buf, sizeof(main_buf));
    iotsec_eat_put_bstr(&b, IOTSEC_EAT_NONCE, nonce32, sizeof(nonce32));
    iotsec_eat_put_bstr(&b, IOTSEC_EAT_UEID, ueid33, sizeof(ueid33));
    iotsec_eat_put_raw(&b, IOTSEC_EAT_SUBMODS, subs.ptr, subs.len);
    CHECK_ERR(iotsec_eat_build_finish(&b, &main_cs), IOTSEC_OK);
    CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){tok_buf, sizeof(tok_buf)}, &tok, main_cs, &k, 0,
                              TXT("k"), IOTSEC_EAT_SIGN_CWT_TAG),
              IOTSEC_OK);

    deb = bundle(deb_buf, sizeof(deb_buf), tok, "TEE", set);
    CHECK_ERR(verify1(deb, &k, "k", &o, &t, &c), IOTSEC_OK);
    CHECK(t.form == IOTSEC_EAT_FORM_DEB && t.cose.alg == IOTSEC_ALG_ES256);
    CHECK_MEM(c.ueid.ptr, c.ueid.len, ueid33, sizeof(ueid33));
    CHECK_ERR(iotsec_cbor_enter_map(&t.detached, &m, NULL), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_tstr(&m, &name), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_bstr(&m, &v), IOTSEC_OK);
    CHECK(same_text(name, "TEE"));
    CHECK_MEM(v.ptr, v.len, set.ptr, set.len);
    /* the constrained profile sends no bundles */
    o.constrained = true;
    CHECK_ERR(verify1(deb, &k, "k", &o, &t, &c), IOTSEC_ERR_PROFILE);
    o.constrained = false;
    /* a detached set altered in transit */
    deb_buf[deb.len - 3] ^= 0x01;
    CHECK_ERR(verify1(deb, &k, "k", &o, &t, &c), IOTSEC_ERR_DIGEST_MISMATCH);
    CHECK(c.present == 0 && t.form == 0);
    deb_buf[deb.len - 3] ^= 0x01;
    CHECK_ERR(verify1(deb, &k, "k", &o, &t, &c), IOTSEC_OK);
    /* a set that no digest vouches for */
    deb = bundle(deb_buf, sizeof(deb_buf), tok, "REE", set);
    CHECK_ERR(verify1(deb, &k, "k", &o, &t, &c), IOTSEC_ERR_DIGEST_MISMATCH);
    /* a main token with no detached-digest submodule */
    {
        static uint8_t tok2[512];
        struct iotsec_cbuf t2;
        CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){tok2, sizeof(tok2)}, &t2, set, &k, 0,
                                  TXT("k"), 0),
                  IOTSEC_OK);
        deb = bundle(deb_buf, sizeof(deb_buf), t2, "TEE", set);
        o.nonce = NULL;
        o.nonce_len = 0;
        CHECK_ERR(verify1(deb, &k, "k", &o, &t, &c), IOTSEC_ERR_MALFORMED);
        /* nor may the main token be a UCCS */
        deb = bundle(deb_buf, sizeof(deb_buf), (struct iotsec_cbuf){set.ptr, set.len}, "TEE", set);
        o.allow_uccs = true;
        CHECK_ERR(verify1(deb, &k, "k", &o, &t, &c), IOTSEC_ERR_MALFORMED);
    }
    iotsec_key_free(&k);
}

/* ---- claims sets that break the CDDL ---- */

static void test_malformed_claims(void)
{
    static const struct {
        const char *hex;
        enum iotsec_err err;
        int64_t key;
        const char *why;
    } cases[] = {
        {"81 00", IOTSEC_ERR_MALFORMED, 0, "a claims set is a map"},
        {"a1 41 00 00", IOTSEC_ERR_MALFORMED, 0, "Claim-Label is int / text"},
        {"a2 0a 48 0001020304050607 0a 48 0001020304050607", IOTSEC_ERR_CBOR_DUPLICATE_KEY, 0,
         "a claim twice"},
        {"a2 1a00000100 47" UEID7 " 19 0100 47" UEID7, IOTSEC_ERR_CBOR_DUPLICATE_KEY, 0,
         "a claim twice, one key not in its shortest form"},
        {"a1 0a", IOTSEC_ERR_CBOR_TRUNCATED, 0, "truncated"},
        {"a1 01 01", IOTSEC_ERR_MALFORMED, 1, "iss is text"},
        {"a1 02 40", IOTSEC_ERR_MALFORMED, 2, "sub is text"},
        {"a1 03 01", IOTSEC_ERR_MALFORMED, 3, "aud is text or [+ text]"},
        {"a1 03 80", IOTSEC_ERR_MALFORMED, 3, "aud array with nothing in it"},
        {"a1 04 61 31", IOTSEC_ERR_MALFORMED, 4, "exp is a NumericDate"},
        {"a1 04 1b ffffffffffffffff", IOTSEC_ERR_UNSUPPORTED, 4, "exp beyond int64_t"},
        {"a1 04 fb 7ff8000000000000", IOTSEC_ERR_UNSUPPORTED, 4, "exp NaN"},
        {"a1 05 c1 01", IOTSEC_ERR_MALFORMED, 5, "nbf untagged"},
        {"a1 06 f9 3c00", IOTSEC_ERR_MALFORMED, 6, "iat not a float (RFC 9711 4.3.1)"},
        {"a1 07 61 31", IOTSEC_ERR_MALFORMED, 7, "cti is bytes"},
        {"a1 08 01", IOTSEC_ERR_MALFORMED, 8, "cnf is a map"},
        {"a1 0a 44 01020304", IOTSEC_ERR_MALFORMED, 10, "nonce shorter than 8"},
        {"a1 0a 68 3031323334353637", IOTSEC_ERR_MALFORMED, 10, "a text nonce is JSON's"},
        {"a1 0a 81 48 0001020304050607", IOTSEC_ERR_MALFORMED, 10, "nonce array of one"},
        {"a1 0a 82 48 0001020304050607 44 00010203", IOTSEC_ERR_MALFORMED, 10,
         "short nonce in an array"},
        {"a1 0a 85 48 0001020304050607 48 0001020304050607 48 0001020304050607"
         " 48 0001020304050607 48 0001020304050607",
         IOTSEC_ERR_LIMIT, 10, "more nonces than IOTSEC_MAX_EAT_NONCES"},
        {"a1 0a 5f 44 00010203 44 04050607 ff", IOTSEC_ERR_UNSUPPORTED, 10, "a chunked nonce"},
        {"a1 190100 46 020001020304", IOTSEC_ERR_MALFORMED, 256, "ueid shorter than 7"},
        {"a1 190100 6b 3031323334353637383930", IOTSEC_ERR_MALFORMED, 256, "ueid is bytes"},
        {"a1 190101 a0", IOTSEC_ERR_MALFORMED, 257, "sueids has an entry"},
        {"a1 190101 a1 61 61 43 010203", IOTSEC_ERR_MALFORMED, 257, "sueid shorter than 7"},
        {"a1 190102 44 01020304", IOTSEC_ERR_MALFORMED, 258, "oemid bytes are 3 or 16"},
        {"a1 190102 20", IOTSEC_ERR_MALFORMED, 258, "oemid PEN is major type 0"},
        {"a1 190102 63 616263", IOTSEC_ERR_MALFORMED, 258, "oemid is not text"},
        {"a2 190102 01 190103 40", IOTSEC_ERR_MALFORMED, 259, "hwmodel of no bytes"},
        {"a2 190102 01 190103 5821 000102030405060708090a0b0c0d0e0f"
         "101112131415161718191a1b1c1d1e1f20",
         IOTSEC_ERR_MALFORMED, 259, "hwmodel longer than 32"},
        {"a1 190103 41 01", IOTSEC_ERR_MALFORMED, 259, "hwmodel without oemid"},
        {"a1 190104 61 31", IOTSEC_ERR_MALFORMED, 260, "hwversion is an array"},
        {"a1 190104 80", IOTSEC_ERR_MALFORMED, 260, "hwversion has a version"},
        {"a1 190104 82 01 01", IOTSEC_ERR_MALFORMED, 260, "the version is text"},
        {"a1 190104 83 61 31 01 01", IOTSEC_ERR_MALFORMED, 260, "at most a version and a scheme"},
        {"a1 190104 82 61 31 f4", IOTSEC_ERR_MALFORMED, 260, "the scheme is an int or text"},
        {"a1 190105 20", IOTSEC_ERR_MALFORMED, 261, "uptime is a uint"},
        {"a1 190106 01", IOTSEC_ERR_MALFORMED, 262, "oemboot is a bool"},
        {"a1 190107 05", IOTSEC_ERR_MALFORMED, 263, "dbgstat is 0..4"},
        {"a1 190107 63 6f6666", IOTSEC_ERR_MALFORMED, 263, "dbgstat names are JSON's"},
        {"a1 190107 03", IOTSEC_ERR_MALFORMED, 263, "dbgstat 3 without oemid"},
        {"a1 190108 a1 01 00", IOTSEC_ERR_MALFORMED, 264, "location has lat and long"},
        {"a1 190108 a3 01 00 02 00 0a 00", IOTSEC_ERR_MALFORMED, 264, "location has keys 1..9"},
        {"a1 190108 a3 01 00 02 00 09 20", IOTSEC_ERR_MALFORMED, 264, "age is a uint"},
        {"a1 190108 a3 01 00 02 00 08 c1 00", IOTSEC_ERR_MALFORMED, 264, "timestamp untagged"},
        {"a1 190108 a2 01 61 31 02 00", IOTSEC_ERR_MALFORMED, 264, "latitude is a number"},
        {"a1 190109 01", IOTSEC_ERR_MALFORMED, 265, "eat_profile is a URI or an OID"},
        {"a1 190109 60", IOTSEC_ERR_MALFORMED, 265, "eat_profile not empty"},
        {"a1 19010a a0", IOTSEC_ERR_MALFORMED, 266, "submods has an entry"},
        {"a1 19010a a1 01 a0", IOTSEC_ERR_MALFORMED, 266, "a submodule's name is text"},
        {"a1 19010a a1 61 61 01", IOTSEC_ERR_MALFORMED, 266, "a submodule is a map, bstr, tstr "
                                                               "or array"},
        {"a1 19010a a1 61 61 40", IOTSEC_ERR_MALFORMED, 266, "a nested token is not empty"},
        {"a1 19010a a1 61 61 83 2f 40 40", IOTSEC_ERR_MALFORMED, 266, "a digest is [alg, bytes]"},
        {"a1 19010a a1 61 61 82 2f 61 31", IOTSEC_ERR_MALFORMED, 266, "a digest is bytes"},
        {"a1 19010a a1 61 61 82 f5 41 00", IOTSEC_ERR_MALFORMED, 266, "a hash alg is int or text"},
        {"a1 19010b 20", IOTSEC_ERR_MALFORMED, 267, "bootcount is a uint"},
        {"a1 19010c 01", IOTSEC_ERR_MALFORMED, 268, "bootseed is bytes"},
        {"a1 19010d 80", IOTSEC_ERR_MALFORMED, 269, "dloas has a DLOA"},
        {"a1 19010d 81 81 61 31", IOTSEC_ERR_MALFORMED, 269, "a DLOA has registrar and platform"},
        {"a1 19010d 81 84 61 31 61 32 61 33 61 34", IOTSEC_ERR_MALFORMED, 269,
         "a DLOA has three items at most"},
        {"a1 19010e 41 31", IOTSEC_ERR_MALFORMED, 270, "swname is text"},
        {"a1 19010f 81 61 31", IOTSEC_ERR_MALFORMED, 271, "swversion without swname"},
        {"a1 190110 80", IOTSEC_ERR_MALFORMED, 272, "manifests has an entry"},
        {"a1 190110 81 82 1a00010000 40", IOTSEC_ERR_MALFORMED, 272,
         "a content format is 0..65535"},
        {"a1 190110 81 82 190102 01", IOTSEC_ERR_MALFORMED, 272, "a manifest is bytes or text"},
        {"a1 190110 81 82 190102", IOTSEC_ERR_CBOR_TRUNCATED, 0, "truncated entry"},
        {"a1 190111 81 81 190102", IOTSEC_ERR_MALFORMED, 273, "a measurement entry is a pair"},
        {"a1 190111 82 82 190102 40 83 01 40 40", IOTSEC_ERR_MALFORMED, 273,
         "every entry is a pair"},
        {"a1 190112 81 82 61 61 81 82 61 62 05", IOTSEC_ERR_MALFORMED, 274, "a result is 1..4"},
        {"a1 190112 81 82 61 61 80", IOTSEC_ERR_MALFORMED, 274, "a group has results"},
        {"a1 190112 81 82 01 81 82 61 62 01", IOTSEC_ERR_MALFORMED, 274,
         "a measurement system is text"},
        {"a1 190112 81 82 61 61 81 82 01 01", IOTSEC_ERR_MALFORMED, 274,
         "a result id is text or bytes"},
        {"a1 190113 f5", IOTSEC_ERR_MALFORMED, 275, "intuse is an int"},
    };
    uint8_t buf[256];
    struct iotsec_eat_claims c;
    int64_t bad;
    size_t i, n;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum iotsec_err err;
        n = unhex(cases[i].hex, buf, sizeof(buf));
        bad = -1;
        err = iotsec_eat_claims_decode(buf, n, &c, &bad);
        CHECK_MSG(err == cases[i].err && bad == cases[i].key,
                  "%s: got %d (key %lld), want %d (key %lld)", cases[i].why, (int)err,
                  (long long)bad, (int)cases[i].err, (long long)cases[i].key);
        CHECK(c.present == 0);
    }
    /* a nonce of 65 bytes */
    buf[0] = 0xa1;
    buf[1] = 0x0a;
    buf[2] = 0x58;
    buf[3] = 65;
    memset(buf + 4, 7, 65);
    CHECK_ERR(iotsec_eat_claims_decode(buf, 4 + 65, &c, &bad), IOTSEC_ERR_MALFORMED);
    CHECK(bad == IOTSEC_EAT_NONCE);
    buf[3] = 64;
    CHECK_ERR(iotsec_eat_claims_decode(buf, 4 + 64, &c, &bad), IOTSEC_OK);
    CHECK(c.nonce[0].len == 64);
}

static void test_claims_accepted(void)
{
    uint8_t buf[256];
    struct iotsec_eat_claims c;
    struct submod s[4];
    size_t n;

    /* text-keyed and unknown claims are ignored */
    n = unhex("a4 0a 48 0001020304050607 63 666f6f 01 3a0001387f a0 1bffffffffffffffff 00", buf,
              sizeof(buf));
    CHECK_ERR(iotsec_eat_claims_decode(buf, n, &c, NULL), IOTSEC_OK);
    CHECK(c.present == BIT(IOTSEC_EAT_NONCE));
    /* exp and nbf as floats round to the shorter validity; negative times */
    n = unhex("a3 04 fb 41d954fc40200000 05 fb 41d954fc40200000 06 3a000f423f", buf, sizeof(buf));
    CHECK_ERR(iotsec_eat_claims_decode(buf, n, &c, NULL), IOTSEC_OK);
    CHECK(c.exp == 1700000000 && c.nbf == 1700000001 && c.iat == -1000000);
    n = unhex("a1 04 fb bff8000000000000", buf, sizeof(buf));
    CHECK_ERR(iotsec_eat_claims_decode(buf, n, &c, NULL), IOTSEC_OK);
    CHECK(c.exp == -2);
    /* a location with a NaN heading, a text version scheme, a PEN, an OID
     * profile, intuse, sueids, dloas, measres, aud as an array, cnf */
    n = unhex("ab 190108 a5 01 fb3ff8000000000000 02 21 06 f97e00 08 1a6553f100 09 05"
              " 190104 82 61 31 63 666f6f 190102 1a00012345 190103 41 aa"
              " 190109 43 2a0304 190113 20 190101 a1 61 78 47" UEID7
              " 19010d 81 83 61 61 61 62 61 63"
              " 190112 81 82 61 73 82 82 61 61 01 82 41 62 04"
              " 03 82 61 61 61 62 08 a1 01 a0",
              buf, sizeof(buf));
    CHECK_ERR(iotsec_eat_claims_decode(buf, n, &c, NULL), IOTSEC_OK);
    CHECK(c.present & BIT(IOTSEC_EAT_LOCATION));
    CHECK(same_text(c.hwversion.version, "1") && same_text(c.hwversion.scheme_text, "foo"));
    CHECK(c.hwversion.scheme == 0);
    CHECK(c.oemid_pen == 0x12345 && c.oemid.ptr == NULL);
    CHECK(c.profile_is_oid && same(c.profile, "2a0304"));
    CHECK(c.intuse == -1);
    CHECK(c.present & BIT(IOTSEC_EAT_SUEIDS));
    CHECK(c.present & BIT(IOTSEC_EAT_DLOAS));
    CHECK(c.present & BIT(IOTSEC_EAT_MEASRES));
    CHECK(c.present & BIT(IOTSEC_EAT_AUD));
    CHECK(c.present & BIT(IOTSEC_EAT_CNF));
    CHECK(c.orphans == 0);
    /* the cursors sit on the claims' values, for the CBOR pull API */
    CHECK(iotsec_cbor_peek_type(&c.location) == IOTSEC_CBOR_MAP);
    CHECK(iotsec_cbor_peek_type(&c.measres) == IOTSEC_CBOR_ARRAY);
    /* an indefinite-length map, and tag 601 around it */
    n = unhex("d90259 bf 0a 48 0001020304050607 ff", buf, sizeof(buf));
    CHECK_ERR(iotsec_eat_claims_decode(buf, n, &c, NULL), IOTSEC_OK);
    CHECK(c.nonce[0].len == 8);
    n = unhex("d90259 d90259 a0", buf, sizeof(buf));
    CHECK_ERR(iotsec_eat_claims_decode(buf, n, &c, NULL), IOTSEC_ERR_MALFORMED);
    n = unhex("a0", buf, sizeof(buf));
    CHECK_ERR(iotsec_eat_claims_decode(buf, n, &c, NULL), IOTSEC_OK);
    CHECK(c.present == 0);

    /* every kind of submodule, and text hash names */
    n = unhex("a1 19010a a5 61 63 a1 0a 48 0001020304050607 61 74 43 d83d00 61 6a 63 612e62"
              " 61 64 82 67 5348412d333834 41 00 61 78 82 66 534841332d32 41 01",
              buf, sizeof(buf));
    CHECK_ERR(iotsec_eat_claims_decode(buf, n, &c, NULL), IOTSEC_OK);
    CHECK(submods(c.submods, s, 4) == 4);
    CHECK(same_text(s[0].name, "c") && s[0].kind == IOTSEC_EAT_SUBMOD_CLAIMS);
    CHECK(same(s[0].value, "a1 0a 48 0001020304050607"));
    CHECK(same_text(s[1].name, "t") && s[1].kind == IOTSEC_EAT_SUBMOD_TOKEN);
    CHECK(same(s[1].value, "d83d00"));
    CHECK(same_text(s[2].name, "j") && s[2].kind == IOTSEC_EAT_SUBMOD_JSON);
    CHECK(same_text(s[2].value, "a.b"));
    CHECK(same_text(s[3].name, "d") && s[3].kind == IOTSEC_EAT_SUBMOD_DIGEST);
    CHECK(s[3].alg == IOTSEC_ALG_SHA384 && same(s[3].value, "00"));
    {
        /* the fifth: a hash name iotsec does not know gives alg 0 */
        struct iotsec_cbor_dec l = c.submods;
        struct iotsec_cbuf name, v;
        enum iotsec_eat_submod_kind kind;
        int32_t alg = 99;
        int i;
        for (i = 0; i < 5; i++)
            CHECK_ERR(iotsec_eat_submod_next(&l, &name, &kind, &alg, &v), IOTSEC_OK);
        CHECK(same_text(name, "x") && kind == IOTSEC_EAT_SUBMOD_DIGEST && alg == 0);
        CHECK_ERR(iotsec_eat_submod_next(&l, NULL, NULL, NULL, NULL), IOTSEC_ERR_CBOR_END);
    }
}

/* ---- the builder ---- */

static void test_builder(void)
{
    static uint8_t buf[1024], exact[1024];
    static const uint8_t n8[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    struct iotsec_eat_builder b;
    struct iotsec_cbuf cs, cs2;
    struct iotsec_eat_claims c;
    size_t need;

    /* size-only equals real size; an exact buffer suffices; the head of a
     * 24-claim map takes two bytes */
    iotsec_eat_build_begin(&b, NULL, 0);
    {
        int64_t k;
        for (k = 1000; k < 1024; k++)
            iotsec_eat_put_uint(&b, k, (uint64_t)k);
    }
    CHECK_ERR(iotsec_eat_build_finish(&b, &cs), IOTSEC_OK);
    CHECK(cs.ptr == NULL);
    need = cs.len;
    iotsec_eat_build_begin(&b, exact, need);
    {
        int64_t k;
        for (k = 1000; k < 1024; k++)
            iotsec_eat_put_uint(&b, k, (uint64_t)k);
    }
    CHECK_ERR(iotsec_eat_build_finish(&b, &cs), IOTSEC_OK);
    CHECK(cs.ptr == exact && cs.len == need);
    CHECK(exact[0] == 0xb8 && exact[1] == 24);
    CHECK_ERR(iotsec_eat_claims_decode(cs.ptr, cs.len, &c, NULL), IOTSEC_OK);
    /* finished: nothing more goes in */
    iotsec_eat_put_uint(&b, 5000, 1);
    CHECK_ERR(iotsec_eat_build_finish(&b, &cs2), IOTSEC_ERR_BAD_STATE);
    /* one byte short: the size needed is reported */
    iotsec_eat_build_begin(&b, exact, need - 1);
    {
        int64_t k;
        for (k = 1000; k < 1024; k++)
            iotsec_eat_put_uint(&b, k, (uint64_t)k);
    }
    CHECK_ERR(iotsec_eat_build_finish(&b, &cs), IOTSEC_ERR_BUFFER_TOO_SMALL);
    CHECK(b.e.len == need && cs.ptr == NULL);

    /* a small set: its head is one byte */
    iotsec_eat_build_begin(&b, buf, sizeof(buf));
    iotsec_eat_put_bstr(&b, IOTSEC_EAT_NONCE, n8, 8);
    iotsec_eat_put_text(&b, IOTSEC_EAT_ISS, "me", 2);
    CHECK_ERR(iotsec_eat_build_finish(&b, &cs), IOTSEC_OK);
    CHECK(same(cs, "a2 0a 48 0102030405060708 01 62 6d65"));

#define REFUSE(what, ...)                                                  \
    do {                                                                   \
        iotsec_eat_build_begin(&b, buf, sizeof(buf));                      \
        __VA_ARGS__;                                                       \
        CHECK_MSG(iotsec_eat_build_finish(&b, &cs) == IOTSEC_ERR_INVALID_ARG && cs.ptr == NULL, \
                  "builder accepted %s", what);                            \
    } while (0)
    REFUSE("a 4-byte nonce", iotsec_eat_put_bstr(&b, IOTSEC_EAT_NONCE, n8, 4));
    REFUSE("a 65-byte nonce", iotsec_eat_put_bstr(&b, IOTSEC_EAT_NONCE, buf, 65));
    REFUSE("a 6-byte ueid", iotsec_eat_put_bstr(&b, IOTSEC_EAT_UEID, n8, 6));
    REFUSE("a 34-byte ueid", iotsec_eat_put_bstr(&b, IOTSEC_EAT_UEID, buf, 34));
    REFUSE("a 4-byte oemid", iotsec_eat_put_bstr(&b, IOTSEC_EAT_OEMID, n8, 4));
    REFUSE("a 33-byte hwmodel", {
        iotsec_eat_put_bstr(&b, IOTSEC_EAT_OEMID, n8, 3);
        iotsec_eat_put_bstr(&b, IOTSEC_EAT_HWMODEL, buf, 33);
    });
    REFUSE("an empty hwmodel", {
        iotsec_eat_put_bstr(&b, IOTSEC_EAT_OEMID, n8, 3);
        iotsec_eat_put_bstr(&b, IOTSEC_EAT_HWMODEL, buf, 0);
    });
    REFUSE("dbgstat 5", iotsec_eat_put_uint(&b, IOTSEC_EAT_DBGSTAT, 5));
    REFUSE("a negative uptime", iotsec_eat_put_int(&b, IOTSEC_EAT_UPTIME, -1));
    REFUSE("a negative PEN", iotsec_eat_put_int(&b, IOTSEC_EAT_OEMID, -1));
    REFUSE("an exp beyond int64_t", iotsec_eat_put_uint(&b, IOTSEC_EAT_EXP, UINT64_MAX));
    REFUSE("a nonce twice", {
        iotsec_eat_put_bstr(&b, IOTSEC_EAT_NONCE, n8, 8);
        iotsec_eat_put_bstr(&b, IOTSEC_EAT_NONCE, n8, 8);
    });
    REFUSE("a private claim twice", {
        iotsec_eat_put_uint(&b, -70000, 1);
        iotsec_eat_put_text(&b, -70000, "x", 1);
    });
    REFUSE("a text nonce", iotsec_eat_put_text(&b, IOTSEC_EAT_NONCE, "12345678", 8));
    REFUSE("a bool dbgstat", iotsec_eat_put_bool(&b, IOTSEC_EAT_DBGSTAT, true));
    REFUSE("text that is not UTF-8", iotsec_eat_put_text(&b, IOTSEC_EAT_SWNAME, "\xff", 1));
    REFUSE("a version under another key", iotsec_eat_put_version(&b, IOTSEC_EAT_SWNAME, "1", 1, 0));
    REFUSE("no manifests", iotsec_eat_put_entries(&b, IOTSEC_EAT_MANIFESTS, NULL, 0));
    REFUSE("a content format above 65535", {
        struct iotsec_eat_entry e = {65536, {n8, 8}, false};
        iotsec_eat_put_entries(&b, IOTSEC_EAT_MANIFESTS, &e, 1);
    });
    REFUSE("a raw value that is not one item", {
        static const uint8_t two[2] = {0x01, 0x02};
        iotsec_eat_put_raw(&b, 5000, two, 2);
    });
    REFUSE("a raw submods of the wrong shape", {
        static const uint8_t v[2] = {0xa1, 0x01};
        iotsec_eat_put_raw(&b, IOTSEC_EAT_SUBMODS, v, 2);
    });
    REFUSE("a raw value with an indefinite length", {
        static const uint8_t v[3] = {0x9f, 0x01, 0xff};
        iotsec_eat_put_raw(&b, 5000, v, 3);
    });
    /* RFC 9711's companions */
    REFUSE("hwmodel without oemid", iotsec_eat_put_bstr(&b, IOTSEC_EAT_HWMODEL, n8, 8));
    REFUSE("hwversion without hwmodel", {
        iotsec_eat_put_bstr(&b, IOTSEC_EAT_OEMID, n8, 3);
        iotsec_eat_put_version(&b, IOTSEC_EAT_HWVERSION, "1", 1, 1);
    });
    REFUSE("swversion without swname", iotsec_eat_put_version(&b, IOTSEC_EAT_SWVERSION, "1", 1, 1));
    REFUSE("oemboot without oemid", iotsec_eat_put_bool(&b, IOTSEC_EAT_OEMBOOT, true));
    REFUSE("dbgstat 3 without oemid",
           iotsec_eat_put_uint(&b, IOTSEC_EAT_DBGSTAT, IOTSEC_EAT_DBG_DISABLED_PERMANENTLY));
    REFUSE("raw dbgstat 3 without oemid", {
        static const uint8_t v[1] = {0x03};
        iotsec_eat_put_raw(&b, IOTSEC_EAT_DBGSTAT, v, 1);
    });
    /* ... and with them, in any order */
    iotsec_eat_build_begin(&b, buf, sizeof(buf));
    iotsec_eat_put_version(&b, IOTSEC_EAT_SWVERSION, "1", 1, 0);
    iotsec_eat_put_uint(&b, IOTSEC_EAT_DBGSTAT, IOTSEC_EAT_DBG_DISABLED_PERMANENTLY);
    iotsec_eat_put_text(&b, IOTSEC_EAT_SWNAME, "x", 1);
    iotsec_eat_put_int(&b, IOTSEC_EAT_OEMID, 64242);
    iotsec_eat_put_bool(&b, IOTSEC_EAT_OEMBOOT, false);
    {
        static const uint8_t loc[] = {0xa2, 0x01, 0xf9, 0x3e, 0x00, 0x02, 0x21};
        iotsec_eat_put_raw(&b, IOTSEC_EAT_LOCATION, loc, sizeof(loc));
    }
    CHECK_ERR(iotsec_eat_build_finish(&b, &cs), IOTSEC_OK);
    CHECK_ERR(iotsec_eat_claims_decode(cs.ptr, cs.len, &c, NULL), IOTSEC_OK);
    CHECK(c.oemid_pen == 64242 && !c.oemboot && c.swversion.scheme == 0);
    CHECK(same(cs, "a6 19010f 81 61 31 190107 03 19010e 61 78 190102 19faf2 190106 f4"
                   " 190108 a2 01 f93e00 02 21"));
#undef REFUSE
}

static void test_sign_errors(void)
{
    static uint8_t out[512];
    static const uint8_t cs_bytes[] = {0xa1, 0x0a, 0x48, 1, 2, 3, 4, 5, 6, 7, 8};
    static const uint8_t long_kid[IOTSEC_MAX_EAT_KID + 1];
    const struct iotsec_cbuf cs = CB(cs_bytes);
    struct iotsec_key k = key_gen(IOTSEC_CRV_P256), x = key_gen(IOTSEC_CRV_X25519), pub;
    struct iotsec_key_parts parts;
    struct iotsec_cbuf tok, sized;

    CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){NULL, 0}, &sized, cs, &k, 0, TXT("k"), 0),
              IOTSEC_OK);
    CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){out, sized.len - 1}, &tok, cs, &k, 0, TXT("k"), 0),
              IOTSEC_ERR_BUFFER_TOO_SMALL);
    CHECK(tok.len == sized.len && tok.ptr == NULL);
    CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){out, sized.len}, &tok, cs, &k, 0, TXT("k"), 0),
              IOTSEC_OK);
    CHECK(tok.len == sized.len);
    CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){out, sizeof(out)}, &tok, cs, &k, 0,
                              CB(long_kid), 0),
              IOTSEC_ERR_INVALID_ARG);
    CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){out, sizeof(out)}, &tok, cs, &x, 0, TXT("k"), 0),
              IOTSEC_ERR_UNSUPPORTED_KEY);
    CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){out, sizeof(out)}, &tok, cs, &k,
                              IOTSEC_ALG_ES384, TXT("k"), 0),
              IOTSEC_ERR_KEY_USAGE);
    /* a public key cannot sign */
    memset(&parts, 0, sizeof(parts));
    CHECK_ERR(iotsec_key_export(&k, 0, &parts), IOTSEC_OK);
    CHECK_ERR(iotsec_key_import(&pub, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, &parts), IOTSEC_OK);
    CHECK_ERR(iotsec_eat_sign((struct iotsec_buf){out, sizeof(out)}, &tok, cs, &pub, 0, TXT("k"), 0),
              IOTSEC_ERR_KEY_USAGE);
    iotsec_key_free(&k);
    iotsec_key_free(&x);
    iotsec_key_free(&pub);
}

int main(void)
{
    test_a11_simple_tee();
    test_a12_submods();
    test_a13_hw_block();
    test_a14_key_store();
    test_a15_measurements();
    test_a21_basic_cwt();
    test_a22_bundle();
    test_round_trips();
    test_freshness_and_keys();
    test_constrained_profile();
    test_forms();
    test_uccs();
    test_bundle();
    test_malformed_claims();
    test_claims_accepted();
    test_builder();
    test_sign_errors();
    return test_summary();
}
