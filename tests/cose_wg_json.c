/* SPDX-License-Identifier: Apache-2.0 */
/* Access to the cose-wg/Examples JSON vectors: see cose_wg_json.h. */
#include "cose_wg_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iotsec/alg.h"
#include "iotsec/cose.h"
#include "test_util.h"

/* ------------------------------------------------------------------ */
/* Documents and navigation                                            */
/* ------------------------------------------------------------------ */

bool wg_doc_load(const char *path, struct wg_doc *doc, const char **why)
{
    struct iotsec_cbor_dec d;
    size_t len = 0;
    uint8_t *text;

    memset(doc, 0, sizeof(*doc));
    text = test_read_file(path, &len);
    if (text == NULL) {
        *why = "cannot read the file";
        return false;
    }
    /* document order, not deterministic order: header maps are rebuilt in
     * the order the vector gives them */
    if (cli_json_to_cbor((const char *)text, len, &doc->cbor, false) != CLI_OK) {
        free(text);
        *why = "JSON does not convert to CBOR";
        return false;
    }
    free(text);
    if (iotsec_cbor_dec_init(&d, doc->cbor.p, doc->cbor.len, 0, NULL) != IOTSEC_OK ||
        iotsec_cbor_enter_map(&d, &doc->top, NULL) != IOTSEC_OK) {
        *why = "the converted CBOR is not one map";
        return false;
    }
    return true;
}

void wg_doc_free(struct wg_doc *doc)
{
    cli_buf_free(&doc->cbor);
    memset(doc, 0, sizeof(*doc));
}

bool wg_find(const struct iotsec_cbor_dec *obj, const char *key, struct iotsec_cbor_dec *val)
{
    return iotsec_cbor_map_find_tstr(obj, key, strlen(key), val) == IOTSEC_OK;
}

bool wg_has(const struct iotsec_cbor_dec *obj, const char *key)
{
    struct iotsec_cbor_dec v;

    return wg_find(obj, key, &v);
}

bool wg_as_obj(const struct iotsec_cbor_dec *val, struct iotsec_cbor_dec *obj)
{
    struct iotsec_cbor_dec tmp = *val;

    return iotsec_cbor_enter_map(&tmp, obj, NULL) == IOTSEC_OK;
}

bool wg_as_arr(const struct iotsec_cbor_dec *val, struct iotsec_cbor_dec *items, size_t *n)
{
    struct iotsec_cbor_dec tmp = *val;

    return iotsec_cbor_enter_array(&tmp, items, n) == IOTSEC_OK;
}

bool wg_obj(const struct iotsec_cbor_dec *obj, const char *key, struct iotsec_cbor_dec *child)
{
    struct iotsec_cbor_dec v;

    return wg_find(obj, key, &v) && wg_as_obj(&v, child);
}

bool wg_arr(const struct iotsec_cbor_dec *obj, const char *key, struct iotsec_cbor_dec *items,
            size_t *n)
{
    struct iotsec_cbor_dec v;

    return wg_find(obj, key, &v) && wg_as_arr(&v, items, n);
}

bool wg_str(const struct iotsec_cbor_dec *obj, const char *key, struct iotsec_cbuf *s)
{
    struct iotsec_cbor_dec v;

    return wg_find(obj, key, &v) && iotsec_cbor_get_tstr(&v, s) == IOTSEC_OK;
}

bool wg_int(const struct iotsec_cbor_dec *obj, const char *key, int64_t *out)
{
    struct iotsec_cbor_dec v;

    return wg_find(obj, key, &v) && iotsec_cbor_get_int(&v, out) == IOTSEC_OK;
}

bool wg_true(const struct iotsec_cbor_dec *obj, const char *key)
{
    struct iotsec_cbor_dec v;
    bool b = false;

    return wg_find(obj, key, &v) && iotsec_cbor_get_bool(&v, &b) == IOTSEC_OK && b;
}

bool wg_next_entry(struct iotsec_cbor_dec *it, struct iotsec_cbuf *key, struct iotsec_cbor_dec *val)
{
    if (iotsec_cbor_at_end(it) || iotsec_cbor_get_tstr(it, key) != IOTSEC_OK)
        return false;
    *val = *it; /* a cursor whose next item is the value */
    return iotsec_cbor_skip(it) == IOTSEC_OK;
}

bool wg_next_item(struct iotsec_cbor_dec *it, struct iotsec_cbor_dec *val)
{
    if (iotsec_cbor_at_end(it))
        return false;
    *val = *it;
    return iotsec_cbor_skip(it) == IOTSEC_OK;
}

bool wg_eq(struct iotsec_cbuf s, const char *lit)
{
    size_t n = strlen(lit);

    return s.len == n && (n == 0 || memcmp(s.ptr, lit, n) == 0);
}

/* ------------------------------------------------------------------ */
/* Arena                                                               */
/* ------------------------------------------------------------------ */

const uint8_t *wg_put(struct wg_arena *a, const void *p, size_t n)
{
    uint8_t *at;

    if (a->cap - a->len < n)
        return NULL;
    at = a->p + a->len;
    if (n != 0)
        memcpy(at, p, n);
    a->len += n;
    return at;
}

void wg_arena_reset(struct wg_arena *a)
{
    a->len = 0;
}

bool wg_hex(struct wg_arena *a, struct iotsec_cbuf text, struct iotsec_cbuf *out)
{
    struct cli_buf b = {0};
    char *z = malloc(text.len + 1); /* cli_hex_decode wants a C string */
    bool ok;

    if (z == NULL)
        return false;
    if (text.len != 0)
        memcpy(z, text.ptr, text.len);
    z[text.len] = '\0';
    ok = cli_hex_decode(z, &b);
    free(z);
    if (ok) {
        out->ptr = wg_put(a, b.p, b.len);
        out->len = b.len;
        ok = out->ptr != NULL;
    }
    cli_buf_free(&b);
    return ok;
}

bool wg_b64url(struct wg_arena *a, struct iotsec_cbuf text, struct iotsec_cbuf *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    struct cli_buf b = {0};
    bool ok = cli_b64url_decode((const char *)text.ptr, text.len, &b);
    size_t i;

    /* The CLI refuses non-zero padding bits, as it should for its own
     * input. RFC 8152's own vectors C.4.1 and C.4.2 write their key
     * "hJtXhkV8FJG-Onbc6mxCcY" with such bits (the 16-byte key of the
     * intermediates is what those bits are dropped from), so here a
     * complete decode with stray padding bits is taken as it stands. */
    if (!ok && text.len % 4 != 1) {
        ok = true;
        for (i = 0; i < text.len && ok; i++)
            ok = text.ptr[i] != 0 && strchr(alphabet, text.ptr[i]) != NULL;
    }

    if (ok) {
        out->ptr = wg_put(a, b.p, b.len);
        out->len = b.len;
        ok = out->ptr != NULL;
    }
    cli_buf_free(&b);
    return ok;
}

bool wg_bytes(struct wg_arena *a, const struct iotsec_cbor_dec *obj, const char *name,
              struct iotsec_cbuf *out)
{
    char hexname[64];
    struct iotsec_cbuf s;

    if (wg_str(obj, name, out))
        return true; /* text, sent as its UTF-8 bytes; lives in the document */
    snprintf(hexname, sizeof(hexname), "%s_hex", name);
    return wg_str(obj, hexname, &s) && wg_hex(a, s, out);
}

/* ------------------------------------------------------------------ */
/* Algorithm names                                                     */
/* ------------------------------------------------------------------ */

/*
 * The spellings the vectors use (checked against the alg each output
 * carries), then the IANA spellings for robustness. The first entry for an
 * id is its printable name.
 */
static const struct {
    const char *name;
    int64_t id;
} alg_names[] = {
    {"ES256", IOTSEC_ALG_ES256},
    {"ES384", IOTSEC_ALG_ES384},
    {"ES512", IOTSEC_ALG_ES512},
    {"EdDSA", IOTSEC_ALG_EDDSA},
    {"HS256/64", IOTSEC_ALG_HMAC256_64},
    {"HS256", IOTSEC_ALG_HMAC256},
    {"HS384", IOTSEC_ALG_HMAC384},
    {"HS512", IOTSEC_ALG_HMAC512},
    {"AES-MAC-128/64", IOTSEC_ALG_AES_MAC_128_64},
    {"AES-MAC-256/64", IOTSEC_ALG_AES_MAC_256_64},
    {"AES-MAC-128/128", IOTSEC_ALG_AES_MAC_128_128},
    {"AES-MAC-256/128", IOTSEC_ALG_AES_MAC_256_128},
    {"A128GCM", IOTSEC_ALG_A128GCM},
    {"A192GCM", IOTSEC_ALG_A192GCM},
    {"A256GCM", IOTSEC_ALG_A256GCM},
    /* the vectors write AES-CCM-<L>-<key bits>/<tag bits> */
    {"AES-CCM-16-128/64", IOTSEC_ALG_AES_CCM_16_64_128},
    {"AES-CCM-16-256/64", IOTSEC_ALG_AES_CCM_16_64_256},
    {"AES-CCM-64-128/64", IOTSEC_ALG_AES_CCM_64_64_128},
    {"AES-CCM-64-256/64", IOTSEC_ALG_AES_CCM_64_64_256},
    {"AES-CCM-16-128/128", IOTSEC_ALG_AES_CCM_16_128_128},
    {"AES-CCM-16-256/128", IOTSEC_ALG_AES_CCM_16_128_256},
    {"AES-CCM-64-128/128", IOTSEC_ALG_AES_CCM_64_128_128},
    {"AES-CCM-64-256/128", IOTSEC_ALG_AES_CCM_64_128_256},
    {"ChaCha-Poly1305", IOTSEC_ALG_CHACHA20_POLY1305},
    {"direct", IOTSEC_ALG_DIRECT},
    {"A128KW", IOTSEC_ALG_A128KW},
    {"A192KW", IOTSEC_ALG_A192KW},
    {"A256KW", IOTSEC_ALG_A256KW},
    {"HKDF-HMAC-SHA-256", IOTSEC_ALG_DIRECT_HKDF_SHA256},
    {"HKDF-HMAC-SHA-512", IOTSEC_ALG_DIRECT_HKDF_SHA512},
    {"HKDF-AES-128", IOTSEC_ALG_DIRECT_HKDF_AES128},
    {"HKDF-AES-256", IOTSEC_ALG_DIRECT_HKDF_AES256},
    {"ECDH-ES", IOTSEC_ALG_ECDH_ES_HKDF_256},
    {"ECDH-ES-512", IOTSEC_ALG_ECDH_ES_HKDF_512},
    {"ECDH-SS", IOTSEC_ALG_ECDH_SS_HKDF_256},
    {"ECDH-SS-256", IOTSEC_ALG_ECDH_SS_HKDF_256},
    {"ECDH-SS-512", IOTSEC_ALG_ECDH_SS_HKDF_512},
    {"ECDH-ES-A128KW", IOTSEC_ALG_ECDH_ES_A128KW},
    {"ECDH-ES-A192KW", IOTSEC_ALG_ECDH_ES_A192KW},
    {"ECDH-ES-A256KW", IOTSEC_ALG_ECDH_ES_A256KW},
    {"ECDH-SS-A128KW", IOTSEC_ALG_ECDH_SS_A128KW},
    {"ECDH-SS-A192KW", IOTSEC_ALG_ECDH_SS_A192KW},
    {"ECDH-SS-A256KW", IOTSEC_ALG_ECDH_SS_A256KW},
    {"RSA-PSS-256", -37},
    {"RSA-PSS-384", -38},
    {"RSA-PSS-512", -39},
    {"RSA-OAEP", -40},
    {"RSA-OAEP-256", -41},
    {"RSA-OAEP-512", -42},
    {"HSS-LMS", IOTSEC_ALG_HSS_LMS},
    /* other spellings: RFC 8152 Appendix C and the IANA registry */
    {"ECDH-ES+A128KW", IOTSEC_ALG_ECDH_ES_A128KW},
    {"ECDH-ES+A192KW", IOTSEC_ALG_ECDH_ES_A192KW},
    {"ECDH-ES+A256KW", IOTSEC_ALG_ECDH_ES_A256KW},
    {"ECDH-SS+A128KW", IOTSEC_ALG_ECDH_SS_A128KW},
    {"ECDH-SS+A192KW", IOTSEC_ALG_ECDH_SS_A192KW},
    {"ECDH-SS+A256KW", IOTSEC_ALG_ECDH_SS_A256KW},
    {"ECDH-ES+HKDF-256", IOTSEC_ALG_ECDH_ES_HKDF_256},
    {"ECDH-ES+HKDF-512", IOTSEC_ALG_ECDH_ES_HKDF_512},
    {"ECDH-SS+HKDF-256", IOTSEC_ALG_ECDH_SS_HKDF_256},
    {"ECDH-SS+HKDF-512", IOTSEC_ALG_ECDH_SS_HKDF_512},
    {"direct+HKDF-SHA-256", IOTSEC_ALG_DIRECT_HKDF_SHA256},
    {"direct+HKDF-SHA-512", IOTSEC_ALG_DIRECT_HKDF_SHA512},
    {"direct+HKDF-AES-128", IOTSEC_ALG_DIRECT_HKDF_AES128},
    {"direct+HKDF-AES-256", IOTSEC_ALG_DIRECT_HKDF_AES256},
    {"ChaCha20/Poly1305", IOTSEC_ALG_CHACHA20_POLY1305},
    {"PS256", -37},
    {"PS384", -38},
    {"PS512", -39},
    /* hash names in x5t */
    {"SHA-256", IOTSEC_ALG_SHA256},
    {"SHA-384", IOTSEC_ALG_SHA384},
    {"SHA-512", IOTSEC_ALG_SHA512},
};

bool wg_alg_by_name(struct iotsec_cbuf name, int64_t *id)
{
    size_t i;

    for (i = 0; i < sizeof(alg_names) / sizeof(alg_names[0]); i++) {
        if (wg_eq(name, alg_names[i].name)) {
            *id = alg_names[i].id;
            return true;
        }
    }
    return false;
}

bool wg_alg_value(const struct iotsec_cbor_dec *val, int64_t *id)
{
    struct iotsec_cbor_dec v = *val;
    struct iotsec_cbuf s;

    if (iotsec_cbor_get_int(&v, id) == IOTSEC_OK)
        return true;
    return iotsec_cbor_get_tstr(&v, &s) == IOTSEC_OK && wg_alg_by_name(s, id);
}

const char *wg_alg_name(int64_t id)
{
    size_t i;

    for (i = 0; i < sizeof(alg_names) / sizeof(alg_names[0]); i++)
        if (alg_names[i].id == id)
            return alg_names[i].name;
    return "unknown algorithm";
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */
/* ------------------------------------------------------------------ */

size_t wg_crv_len(int32_t crv)
{
    switch (crv) {
    case IOTSEC_CRV_P256: return 32;
    case IOTSEC_CRV_P384: return 48;
    case IOTSEC_CRV_P521: return 66;
    case IOTSEC_CRV_X25519: return 32;
    case IOTSEC_CRV_X448: return 56;
    case IOTSEC_CRV_ED25519: return 32;
    case IOTSEC_CRV_ED448: return 57;
    default: return 0;
    }
}

/* One key part, base64url (@p name) or hex (@p name_hex), into @p out. */
static bool key_part(struct wg_arena *a, const struct iotsec_cbor_dec *jwk, const char *name,
                     uint8_t *out, size_t *out_len)
{
    char hexname[16];
    struct iotsec_cbuf s, b;

    snprintf(hexname, sizeof(hexname), "%s_hex", name);
    if (wg_str(jwk, name, &s)) {
        if (!wg_b64url(a, s, &b))
            return false;
    } else if (wg_str(jwk, hexname, &s)) {
        if (!wg_hex(a, s, &b))
            return false;
    } else {
        *out_len = 0;
        return true; /* absent */
    }
    if (b.len > IOTSEC_MAX_EC_COORD)
        return false;
    if (b.len != 0)
        memcpy(out, b.ptr, b.len);
    *out_len = b.len;
    return true;
}

static const char rsa_reason[] =
    "RSA (RFC 8230) is not implemented: iotsec targets constrained devices, and no IoT "
    "baseline profile it serves uses RSA";

enum wg_key_rc wg_key_from_jwk(struct wg_arena *a, const struct iotsec_cbor_dec *jwk,
                               bool with_private, struct wg_key *k, const char **why,
                               enum iotsec_err *err)
{
    struct iotsec_key_parts parts;
    struct iotsec_cbuf kty, crv_name, kb;
    char crv[16];
    int32_t ikty, icrv;
    enum iotsec_err e;

    memset(k, 0, sizeof(*k));
    if (err != NULL)
        *err = IOTSEC_OK;
    if (!wg_bytes(a, jwk, "kid", &k->kid))
        k->kid.ptr = NULL;
    if (!wg_str(jwk, "kty", &kty)) {
        *why = "JWK without kty";
        return WG_KEY_BAD;
    }
    if (wg_eq(kty, "RSA")) {
        *why = rsa_reason;
        return WG_KEY_UNSUPPORTED;
    }
    if (wg_eq(kty, "HSS-LMS")) { /* the hashsig examples give the public key in hex */
        struct iotsec_cbuf s;
        if (!wg_str(jwk, "public", &s) || !wg_hex(a, s, &kb) || kb.len == 0) {
            *why = "HSS-LMS JWK without a hex public key";
            return WG_KEY_BAD;
        }
        iotsec_key_init_hsslms(&k->key, kb.ptr, kb.len); /* borrows the arena copy */
        k->loaded = true;
        return WG_KEY_OK;
    }
    if (wg_eq(kty, "oct")) {
        struct iotsec_cbuf s;
        if (wg_str(jwk, "k", &s)) {
            if (!wg_b64url(a, s, &kb)) {
                *why = "JWK k is not base64url";
                return WG_KEY_BAD;
            }
        } else if (!wg_str(jwk, "k_hex", &s) || !wg_hex(a, s, &kb)) {
            *why = "JWK oct key without k or k_hex";
            return WG_KEY_BAD;
        }
        iotsec_key_init_symmetric(&k->key, kb.ptr, kb.len);
        k->loaded = true;
        k->has_private = true;
        return WG_KEY_OK;
    }
    if (wg_eq(kty, "EC") || wg_eq(kty, "EC2")) /* x509-examples write the COSE name */
        ikty = IOTSEC_KTY_EC2;
    else if (wg_eq(kty, "OKP"))
        ikty = IOTSEC_KTY_OKP;
    else {
        *why = "JWK kty is not EC, OKP, oct, RSA or HSS-LMS";
        return WG_KEY_BAD;
    }
    if (!wg_str(jwk, "crv", &crv_name) || crv_name.len >= sizeof(crv)) {
        *why = "JWK without a usable crv";
        return WG_KEY_BAD;
    }
    memcpy(crv, crv_name.ptr, crv_name.len);
    crv[crv_name.len] = '\0';
    icrv = cli_crv_by_name(crv);
    if (icrv == 0) {
        *why = "JWK curve unknown to iotsec";
        return WG_KEY_UNSUPPORTED;
    }
    memset(&parts, 0, sizeof(parts));
    if (!key_part(a, jwk, "x", parts.x, &parts.x_len) ||
        !key_part(a, jwk, "y", parts.y, &parts.y_len) ||
        !key_part(a, jwk, "d", parts.d, &parts.d_len)) {
        *why = "JWK key part is not base64url/hex or too long";
        return WG_KEY_BAD;
    }
    if (!with_private)
        parts.d_len = 0;
    e = iotsec_key_import(&k->key, ikty, icrv, &parts);
    memset(parts.d, 0, sizeof(parts.d)); /* the arena copy is reset per vector */
    if (e != IOTSEC_OK) {
        if (err != NULL)
            *err = e;
        *why = iotsec_err_str(e);
        memset(&k->key, 0, sizeof(k->key));
        return e == IOTSEC_ERR_UNSUPPORTED_KEY ? WG_KEY_UNSUPPORTED : WG_KEY_BAD;
    }
    k->loaded = true;
    k->has_private = parts.d_len != 0;
    return WG_KEY_OK;
}

/* Standard base64 with padding, as PEM wants. */
static size_t b64_std(const uint8_t *p, size_t n, char *out)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i, o = 0;

    for (i = 0; i + 2 < n; i += 3) {
        out[o++] = t[p[i] >> 2];
        out[o++] = t[(p[i] & 3) << 4 | p[i + 1] >> 4];
        out[o++] = t[(p[i + 1] & 15) << 2 | p[i + 2] >> 6];
        out[o++] = t[p[i + 2] & 63];
    }
    if (n - i == 1) {
        out[o++] = t[p[i] >> 2];
        out[o++] = t[(p[i] & 3) << 4];
        out[o++] = '=';
        out[o++] = '=';
    } else if (n - i == 2) {
        out[o++] = t[p[i] >> 2];
        out[o++] = t[(p[i] & 3) << 4 | p[i + 1] >> 4];
        out[o++] = t[(p[i + 1] & 15) << 2];
        out[o++] = '=';
    }
    return o;
}

enum wg_key_rc wg_key_from_d(int32_t kty, int32_t crv, struct iotsec_cbuf d, struct wg_key *k,
                             const char **why, enum iotsec_err *err)
{
    /* DER OIDs of the named curves (RFC 5480) */
    static const uint8_t oid_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    static const uint8_t oid_p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
    static const uint8_t oid_p521[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23};
    const uint8_t *oid;
    size_t oid_len, n = 0, b64;
    uint8_t der[128];
    char pem[256];
    enum iotsec_err e;

    memset(k, 0, sizeof(*k));
    if (err != NULL)
        *err = IOTSEC_OK;
    if (d.len != wg_crv_len(crv) || d.len > IOTSEC_MAX_EC_COORD) {
        *why = "rng_stream value does not have the curve's scalar length";
        return WG_KEY_BAD;
    }
    if (kty == IOTSEC_KTY_OKP) {
        struct iotsec_key_parts parts;
        memset(&parts, 0, sizeof(parts));
        memcpy(parts.d, d.ptr, d.len);
        parts.d_len = d.len;
        e = iotsec_key_import(&k->key, kty, crv, &parts);
        memset(&parts, 0, sizeof(parts));
    } else {
        switch (crv) {
        case IOTSEC_CRV_P256: oid = oid_p256; oid_len = sizeof(oid_p256); break;
        case IOTSEC_CRV_P384: oid = oid_p384; oid_len = sizeof(oid_p384); break;
        case IOTSEC_CRV_P521: oid = oid_p521; oid_len = sizeof(oid_p521); break;
        default: *why = "no SEC1 OID for this curve"; return WG_KEY_UNSUPPORTED;
        }
        /* ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING,
         *                             parameters [0] OID } -- no publicKey.
         * Every length here is below 128, so short-form lengths do. */
        der[n++] = 0x30;
        der[n++] = (uint8_t)(3 + 2 + d.len + 2 + oid_len);
        der[n++] = 0x02, der[n++] = 0x01, der[n++] = 0x01;
        der[n++] = 0x04, der[n++] = (uint8_t)d.len;
        memcpy(der + n, d.ptr, d.len);
        n += d.len;
        der[n++] = 0xa0, der[n++] = (uint8_t)oid_len;
        memcpy(der + n, oid, oid_len);
        n += oid_len;
        b64 = (size_t)snprintf(pem, sizeof(pem), "-----BEGIN EC PRIVATE KEY-----\n");
        b64 += b64_std(der, n, pem + b64);
        b64 += (size_t)snprintf(pem + b64, sizeof(pem) - b64, "\n-----END EC PRIVATE KEY-----\n");
        e = iotsec_key_from_pem(&k->key, pem, b64);
        memset(der, 0, sizeof(der));
        memset(pem, 0, sizeof(pem));
    }
    if (e != IOTSEC_OK) {
        if (err != NULL)
            *err = e;
        *why = iotsec_err_str(e);
        memset(&k->key, 0, sizeof(k->key));
        return e == IOTSEC_ERR_UNSUPPORTED_KEY || e == IOTSEC_ERR_UNSUPPORTED ? WG_KEY_UNSUPPORTED
                                                                               : WG_KEY_BAD;
    }
    k->loaded = true;
    k->has_private = true;
    return WG_KEY_OK;
}

void wg_key_free(struct wg_key *k)
{
    if (k->loaded)
        iotsec_key_free(&k->key);
    memset(k, 0, sizeof(*k));
}

/* ------------------------------------------------------------------ */
/* Header buckets                                                      */
/* ------------------------------------------------------------------ */

/* Encode straight into the arena's free space; enc_end() commits it. */
static void enc_begin(struct wg_arena *a, struct iotsec_cbor_enc *e)
{
    iotsec_cbor_enc_init(e, a->p + a->len, a->cap - a->len);
}

static bool enc_end(struct wg_arena *a, const struct iotsec_cbor_enc *e, struct iotsec_cbuf *out)
{
    if (iotsec_cbor_enc_finish(e, out) != IOTSEC_OK)
        return false;
    a->len += out->len;
    return true;
}

/* Parameters whose value is a byte string: text sent as UTF-8, or *_hex. */
static const struct {
    const char *name;
    int64_t label;
} bstr_params[] = {
    {"kid", IOTSEC_COSE_HDR_KID},
    {"IV", IOTSEC_COSE_HDR_IV},
    {"partialIV", IOTSEC_COSE_HDR_PARTIAL_IV},
    {"spk_kid", IOTSEC_COSE_HDR_STATIC_KEY_ID},
    {"salt", IOTSEC_COSE_HDR_SALT},
    {"apu_id", IOTSEC_COSE_HDR_PARTY_U_ID},
    {"apu_nonce", IOTSEC_COSE_HDR_PARTY_U_NONCE},
    {"apu_other", IOTSEC_COSE_HDR_PARTY_U_OTHER},
    {"apv_id", IOTSEC_COSE_HDR_PARTY_V_ID},
    {"apv_nonce", IOTSEC_COSE_HDR_PARTY_V_NONCE},
    {"apv_other", IOTSEC_COSE_HDR_PARTY_V_OTHER},
};

/* Labels of the other named parameters (used for crit too). */
static const struct {
    const char *name;
    int64_t label;
} other_params[] = {
    {"alg", IOTSEC_COSE_HDR_ALG},          {"crit", IOTSEC_COSE_HDR_CRIT},
    {"ctyp", IOTSEC_COSE_HDR_CONTENT_TYPE}, {"epk", IOTSEC_COSE_HDR_EPHEMERAL_KEY},
    {"spk", IOTSEC_COSE_HDR_STATIC_KEY},   {"x5bag", IOTSEC_COSE_HDR_X5BAG},
    {"x5chain", IOTSEC_COSE_HDR_X5CHAIN},  {"x5t", IOTSEC_COSE_HDR_X5T},
};

/* The label of a parameter name (maybe with a _hex suffix); false if unknown. */
static bool param_label(struct iotsec_cbuf name, int64_t *label, bool *is_bstr, bool *is_hex)
{
    size_t i, n = name.len;

    *is_hex = n > 4 && memcmp(name.ptr + n - 4, "_hex", 4) == 0;
    if (*is_hex)
        n -= 4;
    for (i = 0; i < sizeof(bstr_params) / sizeof(bstr_params[0]); i++) {
        if (strlen(bstr_params[i].name) == n && memcmp(bstr_params[i].name, name.ptr, n) == 0) {
            *label = bstr_params[i].label;
            *is_bstr = true;
            return true;
        }
    }
    *is_bstr = false;
    if (*is_hex)
        return false;
    for (i = 0; i < sizeof(other_params) / sizeof(other_params[0]); i++) {
        if (wg_eq(name, other_params[i].name)) {
            *label = other_params[i].label;
            return true;
        }
    }
    return false;
}

/* A certificate or a bag/chain of them: hex text -> bstr, array -> array of bstr. */
static bool enc_certs(struct wg_arena *a, struct iotsec_cbor_enc *e, const struct iotsec_cbor_dec *val)
{
    struct iotsec_cbor_dec v = *val, items, item;
    struct iotsec_cbuf s, b;
    size_t n;

    if (iotsec_cbor_get_tstr(&v, &s) == IOTSEC_OK) {
        if (!wg_hex(a, s, &b))
            return false;
        iotsec_cbor_enc_bstr(e, b.ptr, b.len);
        return true;
    }
    if (!wg_as_arr(val, &items, &n))
        return false;
    iotsec_cbor_enc_array(e, n);
    while (wg_next_item(&items, &item)) {
        if (iotsec_cbor_get_tstr(&item, &s) != IOTSEC_OK || !wg_hex(a, s, &b))
            return false;
        iotsec_cbor_enc_bstr(e, b.ptr, b.len);
    }
    return true;
}

/* Encode one JSON header value for @p label into the arena. */
static bool hdr_value(struct wg_arena *a, int64_t label, bool is_bstr, bool is_hex,
                      const struct iotsec_cbor_dec *val, struct iotsec_cbuf *out, const char **why)
{
    struct iotsec_cbor_enc e;
    struct iotsec_cbor_dec v = *val, items, item;
    struct iotsec_cbuf s, b;
    int64_t id;
    size_t n;

    if (is_bstr) {
        if (iotsec_cbor_get_tstr(&v, &s) != IOTSEC_OK) {
            *why = "byte-string parameter is not given as text";
            return false;
        }
        if (is_hex) {
            if (!wg_hex(a, s, &b)) {
                *why = "bad hex in a header parameter";
                return false;
            }
        } else {
            b = s; /* lives in the document */
        }
        enc_begin(a, &e);
        iotsec_cbor_enc_bstr(&e, b.ptr, b.len);
        return enc_end(a, &e, out);
    }
    switch (label) {
    case IOTSEC_COSE_HDR_ALG:
        if (!wg_alg_value(val, &id)) {
            *why = "alg name not in the runner's table";
            return false;
        }
        enc_begin(a, &e);
        iotsec_cbor_enc_int(&e, id);
        return enc_end(a, &e, out);
    case IOTSEC_COSE_HDR_CRIT: {
        /* labels first into a list, then encode (names map like parameters) */
        int64_t labels[IOTSEC_MAX_COSE_CRIT];
        struct iotsec_cbuf texts[IOTSEC_MAX_COSE_CRIT];
        size_t i = 0;
        bool bs, hx;
        if (!wg_as_arr(val, &items, &n) || n > IOTSEC_MAX_COSE_CRIT) {
            *why = "crit is not a short array";
            return false;
        }
        while (wg_next_item(&items, &item)) {
            texts[i].ptr = NULL;
            texts[i].len = 0;
            if (iotsec_cbor_get_int(&item, &labels[i]) != IOTSEC_OK) {
                if (iotsec_cbor_get_tstr(&item, &s) != IOTSEC_OK) {
                    *why = "crit item is neither a label nor a name";
                    return false;
                }
                if (!param_label(s, &labels[i], &bs, &hx))
                    texts[i] = s; /* unknown name: a text label, as in the map */
            }
            i++;
        }
        enc_begin(a, &e);
        iotsec_cbor_enc_array(&e, n);
        for (i = 0; i < n; i++) {
            if (texts[i].ptr != NULL)
                iotsec_cbor_enc_tstr(&e, (const char *)texts[i].ptr, texts[i].len);
            else
                iotsec_cbor_enc_int(&e, labels[i]);
        }
        return enc_end(a, &e, out);
    }
    case IOTSEC_COSE_HDR_EPHEMERAL_KEY:
    case IOTSEC_COSE_HDR_STATIC_KEY: {
        struct iotsec_cbor_dec jwk;
        struct wg_key k;
        bool ok;
        if (!wg_as_obj(val, &jwk) || wg_key_from_jwk(a, &jwk, false, &k, why, NULL) != WG_KEY_OK)
            return false;
        ok = wg_cose_key(a, &k.key, out);
        wg_key_free(&k);
        if (!ok)
            *why = "iotsec_cose_key_encode failed";
        return ok;
    }
    case IOTSEC_COSE_HDR_X5BAG:
    case IOTSEC_COSE_HDR_X5CHAIN: {
        /* The certificates' hex decodes into the arena, where an encoder
         * started on the arena would also write: decode into one scratch
         * block, encode into another, then append the result. */
        static uint8_t der_mem[8192], enc_mem[8192];
        struct wg_arena der = {der_mem, 0, sizeof(der_mem)};
        struct iotsec_cbor_enc e2;
        iotsec_cbor_enc_init(&e2, enc_mem, sizeof(enc_mem));
        if (!enc_certs(&der, &e2, val) || iotsec_cbor_enc_finish(&e2, &s) != IOTSEC_OK) {
            *why = "x5bag/x5chain value not hex or array of hex";
            return false;
        }
        out->ptr = wg_put(a, s.ptr, s.len);
        out->len = s.len;
        return out->ptr != NULL;
    }
    case IOTSEC_COSE_HDR_X5T: {
        struct iotsec_cbor_dec hv;
        if (!wg_as_arr(val, &items, &n) || n != 2 || !wg_next_item(&items, &item) ||
            !wg_alg_value(&item, &id) || !wg_next_item(&items, &hv) ||
            iotsec_cbor_get_tstr(&hv, &s) != IOTSEC_OK || !wg_hex(a, s, &b)) {
            *why = "x5t is not [hash alg, hex]";
            return false;
        }
        enc_begin(a, &e);
        iotsec_cbor_enc_array(&e, 2);
        iotsec_cbor_enc_int(&e, id);
        iotsec_cbor_enc_bstr(&e, b.ptr, b.len);
        return enc_end(a, &e, out);
    }
    default: /* ctyp and unknown names: the JSON value's CBOR as it stands */
        if (iotsec_cbor_get_span(&v, &s) != IOTSEC_OK) {
            *why = "header value unreadable";
            return false;
        }
        out->ptr = wg_put(a, s.ptr, s.len);
        out->len = s.len;
        return out->ptr != NULL;
    }
}

bool wg_hdr_from_json(struct wg_arena *a, const struct iotsec_cbor_dec *obj,
                      struct wg_hdr_list *l, const char **why)
{
    struct iotsec_cbor_dec it = *obj, val;
    struct iotsec_cbuf name;

    l->n = 0;
    while (wg_next_entry(&it, &name, &val)) {
        struct wg_hdr_item *h;
        bool is_bstr, is_hex;
        if (l->n == WG_MAX_HDR) {
            *why = "too many header parameters";
            return false;
        }
        h = &l->item[l->n];
        memset(h, 0, sizeof(*h));
        if (!param_label(name, &h->label, &is_bstr, &is_hex)) {
            if (is_hex) {
                *why = "unknown *_hex header parameter";
                return false;
            }
            h->tlabel = name; /* an unknown name is sent as a text label */
            h->label = 0;
            is_bstr = false;
        }
        /* a text label takes its JSON value as it stands (the default case) */
        if (!hdr_value(a, h->tlabel.ptr != NULL ? INT64_MIN : h->label, is_bstr, is_hex, &val,
                       &h->value, why))
            return false;
        l->n++;
    }
    return true;
}

bool wg_hdr_add(struct wg_hdr_list *l, int64_t label, struct iotsec_cbuf value)
{
    if (l->n == WG_MAX_HDR)
        return false;
    memset(&l->item[l->n], 0, sizeof(l->item[0]));
    l->item[l->n].label = label;
    l->item[l->n].value = value;
    l->n++;
    return true;
}

int wg_hdr_index(const struct wg_hdr_list *l, int64_t label)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (l->item[i].tlabel.ptr == NULL && l->item[i].label == label)
            return (int)i;
    return -1;
}

bool wg_hdr_reorder(struct wg_hdr_list *l, const struct iotsec_cbor_dec *map, const char **why)
{
    static char msg[160];
    struct wg_hdr_list out;
    struct iotsec_cbor_dec it = *map;
    bool used[WG_MAX_HDR] = {false};
    size_t i;

    out.n = 0;
    while (!iotsec_cbor_at_end(&it)) {
        int64_t label = 0;
        struct iotsec_cbuf text = {NULL, 0};
        enum iotsec_cbor_type t = iotsec_cbor_peek_type(&it);
        bool found = false;

        if (t == IOTSEC_CBOR_TSTR) {
            if (iotsec_cbor_get_tstr(&it, &text) != IOTSEC_OK)
                return false;
        } else if (iotsec_cbor_get_int(&it, &label) != IOTSEC_OK) {
            *why = "output header label is neither an integer nor text";
            return false;
        }
        for (i = 0; i < l->n && !found; i++) {
            const struct wg_hdr_item *h = &l->item[i];
            if (used[i])
                continue;
            if (text.ptr != NULL ? (h->tlabel.ptr != NULL && h->tlabel.len == text.len &&
                                    memcmp(h->tlabel.ptr, text.ptr, text.len) == 0)
                                 : (h->tlabel.ptr == NULL && h->label == label)) {
                used[i] = true;
                out.item[out.n++] = *h;
                found = true;
            }
        }
        if (!found) {
            if (text.ptr != NULL)
                snprintf(msg, sizeof(msg), "the output carries header \"%.*s\" that the JSON does not give",
                         (int)text.len, (const char *)text.ptr);
            else
                snprintf(msg, sizeof(msg), "the output carries header %lld that the JSON does not give",
                         (long long)label);
            *why = msg;
            return false;
        }
        iotsec_cbor_skip(&it);
    }
    for (i = 0; i < l->n; i++) {
        if (!used[i]) {
            snprintf(msg, sizeof(msg), "the JSON gives header %lld that the output lacks",
                     (long long)l->item[i].label);
            *why = msg;
            return false;
        }
    }
    *l = out;
    return true;
}

bool wg_hdr_encode(struct wg_arena *a, const struct wg_hdr_list *l, struct iotsec_cbuf *out)
{
    struct iotsec_cbor_enc e;
    size_t i;

    if (l->n == 0) {
        out->ptr = NULL;
        out->len = 0;
        return true;
    }
    enc_begin(a, &e);
    iotsec_cbor_enc_map(&e, l->n);
    for (i = 0; i < l->n; i++) {
        const struct wg_hdr_item *h = &l->item[i];
        if (h->tlabel.ptr != NULL)
            iotsec_cbor_enc_tstr(&e, (const char *)h->tlabel.ptr, h->tlabel.len);
        else
            iotsec_cbor_enc_int(&e, h->label);
        iotsec_cbor_enc_raw(&e, h->value.ptr, h->value.len);
    }
    return enc_end(a, &e, out);
}

bool wg_cose_key(struct wg_arena *a, const struct iotsec_key *key, struct iotsec_cbuf *out)
{
    struct iotsec_cbor_enc e;

    enc_begin(a, &e);
    iotsec_cose_key_encode(&e, key, false, NULL, 0);
    return enc_end(a, &e, out);
}

bool wg_param_label(struct iotsec_cbuf name, int64_t *label)
{
    bool is_bstr, is_hex;

    return param_label(name, label, &is_bstr, &is_hex);
}
