/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cose_wg - the COSE layer against every vector of cose-wg/Examples
 * ($IOTSEC_SHARED/vectors/cose-wg-examples, see its README.md).
 *
 * For each *.json (sorted, so the output is stable):
 *   - the message (output.cbor) is decoded as the type its JSON key names;
 *   - a positive vector must verify / decrypt with the vector's keys and
 *     give back input.plaintext; with several signers or recipients each
 *     one must also authenticate on its own;
 *   - a negative vector ("fail": true) must be rejected somewhere, and one
 *     under a wrong CBOR tag already by iotsec_cose_decode;
 *   - where the output is deterministic (MAC, AEAD, EdDSA, ECDH with the
 *     ephemeral scalar in rng_stream) the message is built again with the
 *     iotsec_cose_* creators and compared byte for byte.
 *
 * What iotsec does not implement is reported as UNSUPPORTED with a reason,
 * never silently passed. Only a fixed allow-list of algorithms and features
 * may be unsupported: an UNSUPPORTED error anywhere else is a failure.
 *
 * IOTSEC_VERBOSE=1 prints every unsupported vector, every skipped
 * reproduction and how each negative vector was rejected.
 * IOTSEC_COSE_WG_ONLY=text runs only the vectors whose path contains text.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cose_wg_json.h"
#include "iotsec/alg.h"
#include "iotsec/cose.h"
#include "test_util.h"

#define MAX_FILES 1024
#define MAX_LAYERS 8 /* signers or recipients of one vector, nested ones included */
#define MAX_KEYS (3 * MAX_LAYERS)
#define MAX_RNG 8

static bool verbose;

/* Per-vector memory: decoded bytes, encoded headers, outputs. */
static uint8_t arena_mem[256 * 1024];
static struct wg_arena arena = {arena_mem, 0, sizeof(arena_mem)};
static uint8_t scratch_mem[64 * 1024];
static uint8_t plain_mem[16 * 1024];
static uint8_t built_mem[16 * 1024];

/* ------------------------------------------------------------------ */
/* Message kinds                                                       */
/* ------------------------------------------------------------------ */

enum kind { K_SIGN0, K_SIGN, K_MAC0, K_MAC, K_ENCRYPTED, K_ENVELOPED };

static const struct {
    const char *json; /* the key under "input" */
    enum iotsec_cose_type type;
    uint64_t tag;
} kinds[] = {
    [K_SIGN0] = {"sign0", IOTSEC_COSE_SIGN1, IOTSEC_COSE_TAG_SIGN1},
    [K_SIGN] = {"sign", IOTSEC_COSE_SIGN, IOTSEC_COSE_TAG_SIGN},
    [K_MAC0] = {"mac0", IOTSEC_COSE_MAC0, IOTSEC_COSE_TAG_MAC0},
    [K_MAC] = {"mac", IOTSEC_COSE_MAC, IOTSEC_COSE_TAG_MAC},
    [K_ENCRYPTED] = {"encrypted", IOTSEC_COSE_ENCRYPT0, IOTSEC_COSE_TAG_ENCRYPT0},
    [K_ENVELOPED] = {"enveloped", IOTSEC_COSE_ENCRYPT, IOTSEC_COSE_TAG_ENCRYPT},
};

static bool encrypts(enum kind k)
{
    return k == K_ENCRYPTED || k == K_ENVELOPED;
}

/* Kinds whose JSON "recipients" are on the wire (not just the direct key). */
static bool has_wire_recipients(enum kind k)
{
    return k == K_MAC || k == K_ENVELOPED;
}

/* ------------------------------------------------------------------ */
/* Algorithm facts the runner needs                                    */
/* ------------------------------------------------------------------ */

enum rclass {
    RC_OTHER,
    RC_DIRECT,     /* direct: the key is the CEK */
    RC_DIRECT_KDF, /* direct+HKDF-* */
    RC_KW,         /* A*KW */
    RC_ECDH_ES,    /* ECDH-ES+HKDF-*: derived CEK */
    RC_ECDH_SS,
    RC_ECDH_ES_KW,
    RC_ECDH_SS_KW
};

static enum rclass recipient_class(int64_t alg)
{
    switch (alg) {
    case IOTSEC_ALG_DIRECT: return RC_DIRECT;
    case IOTSEC_ALG_DIRECT_HKDF_SHA256:
    case IOTSEC_ALG_DIRECT_HKDF_SHA512:
    case IOTSEC_ALG_DIRECT_HKDF_AES128:
    case IOTSEC_ALG_DIRECT_HKDF_AES256: return RC_DIRECT_KDF;
    case IOTSEC_ALG_A128KW:
    case IOTSEC_ALG_A192KW:
    case IOTSEC_ALG_A256KW: return RC_KW;
    case IOTSEC_ALG_ECDH_ES_HKDF_256:
    case IOTSEC_ALG_ECDH_ES_HKDF_512: return RC_ECDH_ES;
    case IOTSEC_ALG_ECDH_SS_HKDF_256:
    case IOTSEC_ALG_ECDH_SS_HKDF_512: return RC_ECDH_SS;
    case IOTSEC_ALG_ECDH_ES_A128KW:
    case IOTSEC_ALG_ECDH_ES_A192KW:
    case IOTSEC_ALG_ECDH_ES_A256KW: return RC_ECDH_ES_KW;
    case IOTSEC_ALG_ECDH_SS_A128KW:
    case IOTSEC_ALG_ECDH_SS_A192KW:
    case IOTSEC_ALG_ECDH_SS_A256KW: return RC_ECDH_SS_KW;
    default: return RC_OTHER;
    }
}

/* The recipient, not the sender, supplies the content key. */
static bool derives_cek(enum rclass c)
{
    return c == RC_DIRECT || c == RC_DIRECT_KDF || c == RC_ECDH_ES || c == RC_ECDH_SS;
}

/* Content key length of a MAC or content-encryption algorithm (0: unknown). */
static size_t content_key_len(int64_t alg)
{
    switch (alg) {
    case IOTSEC_ALG_A128GCM:
    case IOTSEC_ALG_AES_CCM_16_64_128:
    case IOTSEC_ALG_AES_CCM_64_64_128:
    case IOTSEC_ALG_AES_CCM_16_128_128:
    case IOTSEC_ALG_AES_CCM_64_128_128:
    case IOTSEC_ALG_AES_MAC_128_64:
    case IOTSEC_ALG_AES_MAC_128_128: return 16;
    case IOTSEC_ALG_A192GCM: return 24;
    case IOTSEC_ALG_A256GCM:
    case IOTSEC_ALG_AES_CCM_16_64_256:
    case IOTSEC_ALG_AES_CCM_64_64_256:
    case IOTSEC_ALG_AES_CCM_16_128_256:
    case IOTSEC_ALG_AES_CCM_64_128_256:
    case IOTSEC_ALG_CHACHA20_POLY1305:
    case IOTSEC_ALG_AES_MAC_256_64:
    case IOTSEC_ALG_AES_MAC_256_128:
    case IOTSEC_ALG_HMAC256_64:
    case IOTSEC_ALG_HMAC256: return 32;
    case IOTSEC_ALG_HMAC384: return 48;
    case IOTSEC_ALG_HMAC512: return 64;
    default: return 0;
    }
}

/* AEAD nonce length (RFC 9053 sections 4.1-4.3); 0: unknown. */
static size_t nonce_len(int64_t alg)
{
    switch (alg) {
    case IOTSEC_ALG_A128GCM:
    case IOTSEC_ALG_A192GCM:
    case IOTSEC_ALG_A256GCM:
    case IOTSEC_ALG_CHACHA20_POLY1305: return 12;
    case IOTSEC_ALG_AES_CCM_16_64_128:
    case IOTSEC_ALG_AES_CCM_16_64_256:
    case IOTSEC_ALG_AES_CCM_16_128_128:
    case IOTSEC_ALG_AES_CCM_16_128_256: return 13;
    case IOTSEC_ALG_AES_CCM_64_64_128:
    case IOTSEC_ALG_AES_CCM_64_64_256:
    case IOTSEC_ALG_AES_CCM_64_128_128:
    case IOTSEC_ALG_AES_CCM_64_128_256: return 7;
    default: return 0;
    }
}

static bool is_rsa(int64_t alg)
{
    return alg <= -37 && alg >= -42; /* PS256..PS512, RSA-OAEP, -256, -512 */
}

/* ------------------------------------------------------------------ */
/* Bookkeeping                                                         */
/* ------------------------------------------------------------------ */

static struct {
    char text[512];
    unsigned n;
} reasons[64];
static size_t n_reasons;

/* reasons already noted for the vector at hand: each counts once per vector */
static char cur_reasons[8][512];
static size_t n_cur_reasons;

static unsigned n_vectors, n_vec_passed, n_vec_failed, n_vec_unsupported;
static unsigned n_repro_done, n_repro_skipped, n_vec_partial, n_cek_checked;

/* Record an unsupported item with its reason (counted per reason). */
__attribute__((format(printf, 2, 3))) static void note_unsupported(const char *path,
                                                                   const char *fmt, ...)
{
    char text[512];
    va_list ap;
    size_t i;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    for (i = 0; i < n_cur_reasons; i++)
        if (strcmp(cur_reasons[i], text) == 0)
            return;
    if (n_cur_reasons < sizeof(cur_reasons) / sizeof(cur_reasons[0]))
        snprintf(cur_reasons[n_cur_reasons++], sizeof(cur_reasons[0]), "%s", text);
    if (verbose)
        printf("UNSUPPORTED %s: %s\n", path, text);
    for (i = 0; i < n_reasons; i++) {
        if (strcmp(reasons[i].text, text) == 0) {
            reasons[i].n++;
            return;
        }
    }
    if (n_reasons < sizeof(reasons) / sizeof(reasons[0])) {
        snprintf(reasons[n_reasons].text, sizeof(reasons[0].text), "%s", text);
        reasons[n_reasons++].n = 1;
    }
}

__attribute__((format(printf, 2, 3))) static void skip_repro(const char *path, const char *fmt,
                                                             ...)
{
    va_list ap;

    n_repro_skipped++;
    if (!verbose)
        return;
    printf("SKIP-REPRO %s: ", path);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* ------------------------------------------------------------------ */
/* A vector                                                            */
/* ------------------------------------------------------------------ */

/* A signer (sign, sign0) or recipient (mac, enveloped; the direct key of
 * mac0 and encrypted), flattened depth first. */
struct layer {
    struct iotsec_cbor_dec json;
    int64_t alg;
    bool has_alg;
    int parent;     /* enclosing recipient, -1 at the top */
    size_t top;     /* index of its top-level ancestor */
    struct wg_key key;      /* as given, private part included */
    struct wg_key key_pub;  /* verifier's / sender's view of an asymmetric key */
    struct wg_key sender;   /* sender_key (ECDH-SS), private */
    struct wg_key sender_pub;
    struct wg_key eph;      /* ephemeral key replayed from rng_stream */
    bool compressed;        /* its COSE_Key header is a compressed point */
    bool ecdsa_mismatch;    /* ES* over another curve than its own */
};

struct vec {
    const char *path; /* relative to the vectors directory */
    struct wg_doc doc;
    struct iotsec_cbor_dec input, body;
    enum kind kind;
    struct iotsec_cbuf plaintext, output, external;
    bool fail;                                     /* "fail": true */
    bool f_any, f_cbor_tag, f_remove_tag;          /* input.failures (anywhere) */
    unsigned n_mutations;
    const char *mutation;                          /* first failures key, for messages */
    struct layer layers[MAX_LAYERS];
    size_t n_layers, n_top;
    int64_t body_alg;
    bool has_body_alg;
    struct iotsec_cose_kdf_info kdf;
    const char *key_unsupported; /* why a key could not be built, first one */
    bool compressed, partial_iv, countersign, nested;
    bool ecdsa_mismatch; /* an ES* signature over another curve than its own */
    bool kid_tstr;       /* the output sends a kid as text (RFC 9052 wants a bstr) */
    /* the labels the vector's crit arrays name: the application that made
     * the vector understands them, so the runner declares them */
    struct iotsec_cose_label understood[IOTSEC_MAX_COSE_CRIT];
    size_t n_understood;
    bool body_crit_text; /* the body's crit names a text label */
};

static bool layer_alg(const struct iotsec_cbor_dec *obj, int64_t *alg)
{
    static const char *const where[] = {"protected", "unprotected", "unsent"};
    struct iotsec_cbor_dec b, v;
    size_t i;

    for (i = 0; i < sizeof(where) / sizeof(where[0]); i++)
        if (wg_obj(obj, where[i], &b) && wg_find(&b, "alg", &v))
            return wg_alg_value(&v, alg);
    return wg_find(obj, "alg", &v) && wg_alg_value(&v, alg);
}

/* Note the failures mutation(s) of one object. */
static void scan_failures(struct vec *v, const struct iotsec_cbor_dec *obj)
{
    struct iotsec_cbor_dec f, it, val;
    struct iotsec_cbuf key;

    if (!wg_obj(obj, "failures", &f))
        return;
    it = f;
    while (wg_next_entry(&it, &key, &val)) {
        v->f_any = true;
        v->n_mutations++;
        if (v->mutation == NULL)
            v->mutation = wg_eq(key, "ChangeTag")         ? "ChangeTag"
                          : wg_eq(key, "ChangeCBORTag")   ? "ChangeCBORTag"
                          : wg_eq(key, "ChangeAttr")      ? "ChangeAttr"
                          : wg_eq(key, "AddProtected")    ? "AddProtected"
                          : wg_eq(key, "RemoveProtected") ? "RemoveProtected"
                          : wg_eq(key, "ChangeProtected") ? "ChangeProtected"
                          : wg_eq(key, "RemoveCBORTag")   ? "RemoveCBORTag"
                                                          : "a mutation";
        if (wg_eq(key, "ChangeCBORTag"))
            v->f_cbor_tag = true;
        if (wg_eq(key, "RemoveCBORTag"))
            v->f_remove_tag = true;
    }
}

/* The kid a layer's headers name ("kid" or "kid_hex"); false if none. */
static bool header_kid(const struct iotsec_cbor_dec *obj, struct iotsec_cbuf *kid)
{
    static const char *const where[] = {"protected", "unprotected"};
    struct iotsec_cbor_dec b;
    size_t i;

    for (i = 0; i < 2; i++)
        if (wg_obj(obj, where[i], &b) && wg_bytes(&arena, &b, "kid", kid))
            return true;
    return false;
}

/*
 * Name a layer's key in the key set by the kid its headers send, as a
 * receiver's key store would. Upstream copied JWKs between files without fixing
 * their kid: some 60 layers name one kid in the header and another in the JWK
 * (e.g. aes-gcm-02: JWK "sec-192", header "sec-48"), and the JSON, not the
 * kid, says which key belongs to the layer.
 */
static void name_key(const struct vec *v, const struct layer *l, struct wg_key *k)
{
    struct iotsec_cbuf kid;
    /* for Mac0 and Encrypt0 what is on the wire is the body's kid */
    bool found = ((v->kind == K_MAC0 || v->kind == K_ENCRYPTED) && header_kid(&v->body, &kid)) ||
                 header_kid(&l->json, &kid);

    if (!found || !k->loaded)
        return;
    if (verbose && k == &l->key &&
        (k->kid.len != kid.len || (kid.len != 0 && memcmp(k->kid.ptr, kid.ptr, kid.len) != 0)))
        printf("NOTE %s: JWK kid \"%.*s\" differs from the header's \"%.*s\"; the key set uses the "
               "header's\n",
               v->path, (int)k->kid.len, k->kid.ptr != NULL ? (const char *)k->kid.ptr : "",
               (int)kid.len, (const char *)kid.ptr);
    k->kid = kid;
}

/* Build a layer's keys. A key the runner cannot build leaves a reason. */
static void layer_keys(struct vec *v, struct layer *l)
{
    struct iotsec_cbor_dec jwk;
    const char *why = NULL;
    enum wg_key_rc rc;

    if (wg_obj(&l->json, "key", &jwk)) {
        rc = wg_key_from_jwk(&arena, &jwk, true, &l->key, &why, NULL);
        if (rc == WG_KEY_OK && l->key.key.kty != IOTSEC_KTY_SYMMETRIC)
            rc = wg_key_from_jwk(&arena, &jwk, false, &l->key_pub, &why, NULL);
        if (rc == WG_KEY_UNSUPPORTED && v->key_unsupported == NULL)
            v->key_unsupported = why;
        CHECK_MSG(rc != WG_KEY_BAD, "%s: cannot build the key: %s", v->path, why);
        name_key(v, l, &l->key);
        name_key(v, l, &l->key_pub);
    }
    if (wg_obj(&l->json, "sender_key", &jwk)) {
        rc = wg_key_from_jwk(&arena, &jwk, true, &l->sender, &why, NULL);
        if (rc == WG_KEY_OK)
            rc = wg_key_from_jwk(&arena, &jwk, false, &l->sender_pub, &why, NULL);
        if (rc == WG_KEY_UNSUPPORTED && v->key_unsupported == NULL)
            v->key_unsupported = why;
        CHECK_MSG(rc != WG_KEY_BAD, "%s: cannot build the sender key: %s", v->path, why);
        {
            /* found through spk_kid when the recipient names it */
            struct iotsec_cbuf kid;
            struct iotsec_cbor_dec b;
            if (l->sender_pub.loaded &&
                ((wg_obj(&l->json, "unprotected", &b) && wg_bytes(&arena, &b, "spk_kid", &kid)) ||
                 (wg_obj(&l->json, "protected", &b) && wg_bytes(&arena, &b, "spk_kid", &kid))))
                l->sender_pub.kid = kid;
        }
    }
}

static void add_layer(struct vec *v, const struct iotsec_cbor_dec *obj, int parent, size_t top)
{
    struct layer *l;

    if (v->n_layers == MAX_LAYERS) {
        CHECK_MSG(0, "%s: more than %d signers/recipients", v->path, MAX_LAYERS);
        return;
    }
    l = &v->layers[v->n_layers++];
    memset(l, 0, sizeof(*l));
    l->json = *obj;
    l->parent = parent;
    l->top = top;
    l->has_alg = layer_alg(obj, &l->alg);
    if (wg_has(obj, "countersign") || wg_has(obj, "countersign0"))
        v->countersign = true;
    scan_failures(v, obj);
    layer_keys(v, l);
    if (l->key.loaded && l->has_alg &&
        ((l->alg == IOTSEC_ALG_ES256 && l->key.key.crv != IOTSEC_CRV_P256) ||
         (l->alg == IOTSEC_ALG_ES384 && l->key.key.crv != IOTSEC_CRV_P384) ||
         (l->alg == IOTSEC_ALG_ES512 && l->key.key.crv != IOTSEC_CRV_P521)))
        l->ecdsa_mismatch = v->ecdsa_mismatch = true;
}

/* Recipients of @p obj, depth first. */
static void add_recipients(struct vec *v, const struct iotsec_cbor_dec *obj, int parent, size_t top,
                           bool is_top)
{
    struct iotsec_cbor_dec items, item, r;
    size_t n, i = 0;

    if (!wg_arr(obj, "recipients", &items, &n))
        return;
    while (wg_next_item(&items, &item)) {
        int self;
        if (!wg_as_obj(&item, &r))
            continue;
        if (!is_top)
            v->nested = true;
        self = (int)v->n_layers;
        add_layer(v, &r, parent, is_top ? i : top);
        add_recipients(v, &r, self, is_top ? i : top, false);
        i++;
    }
    if (is_top)
        v->n_top = i;
}

/* One KDF input from an "unsent" map, when it is there (text or *_hex). */
static void unsent_value(const struct iotsec_cbor_dec *u, const char *name, struct iotsec_cbuf *out)
{
    struct iotsec_cbuf b;

    if (wg_bytes(&arena, u, name, &b))
        *out = b;
}

/* KDF inputs the vectors keep in a recipient's "unsent" map. */
static void scan_unsent(struct vec *v, struct layer *l)
{
    struct iotsec_cbor_dec u;
    int64_t c;

    if (!wg_obj(&l->json, "unsent", &u))
        return;
    if (wg_int(&u, "compressed", &c) && c != 0)
        l->compressed = v->compressed = true;
    unsent_value(&u, "apu_id", &v->kdf.u_id);
    unsent_value(&u, "apu_nonce", &v->kdf.u_nonce);
    unsent_value(&u, "apu_other", &v->kdf.u_other);
    unsent_value(&u, "apv_id", &v->kdf.v_id);
    unsent_value(&u, "apv_nonce", &v->kdf.v_nonce);
    unsent_value(&u, "apv_other", &v->kdf.v_other);
    unsent_value(&u, "pub_other", &v->kdf.pub_other);
    unsent_value(&u, "priv_other", &v->kdf.priv);
}

/* The external AAD of @p obj ("external", hex); false when absent. */
static bool external_aad(const struct iotsec_cbor_dec *obj, struct iotsec_cbuf *out)
{
    struct iotsec_cbuf s;

    return wg_str(obj, "external", &s) && wg_hex(&arena, s, out);
}

/* Declare one crit label as understood (once). */
static void understand(struct vec *v, const char *text, int64_t num)
{
    size_t i;

    for (i = 0; i < v->n_understood; i++)
        if (text != NULL ? (v->understood[i].text != NULL && strcmp(v->understood[i].text, text) == 0)
                         : (v->understood[i].text == NULL && v->understood[i].num == num))
            return;
    if (v->n_understood < IOTSEC_MAX_COSE_CRIT) {
        v->understood[v->n_understood].text = text;
        v->understood[v->n_understood].num = num;
        v->n_understood++;
    }
}

/* crit labels (declared understood), and a Partial IV, in one header object. */
static void scan_headers(struct vec *v, const struct iotsec_cbor_dec *obj, bool is_body)
{
    static const char *const where[] = {"protected", "unprotected"};
    struct iotsec_cbor_dec b, items, item;
    struct iotsec_cbuf s;
    size_t i, n;
    int64_t label;

    for (i = 0; i < 2; i++) {
        if (!wg_obj(obj, where[i], &b))
            continue;
        if (wg_has(&b, "partialIV_hex") || wg_has(&b, "partialIV"))
            v->partial_iv = true;
        if (!wg_arr(&b, "crit", &items, &n))
            continue;
        while (wg_next_item(&items, &item)) {
            struct iotsec_cbor_dec c = item;
            if (iotsec_cbor_get_int(&c, &label) == IOTSEC_OK) {
                understand(v, NULL, label);
            } else if (iotsec_cbor_get_tstr(&item, &s) == IOTSEC_OK) {
                if (wg_param_label(s, &label)) {
                    understand(v, NULL, label);
                } else {
                    /* a text label: NUL-terminated for struct iotsec_cose_label */
                    const uint8_t *z = wg_put(&arena, s.ptr, s.len);
                    if (z == NULL || wg_put(&arena, "", 1) == NULL)
                        continue;
                    understand(v, (const char *)z, 0);
                    v->body_crit_text = v->body_crit_text || is_body;
                }
            }
        }
    }
}

static bool load_vector(struct vec *v, const char *full)
{
    struct iotsec_cbuf s;
    const char *why = NULL;
    size_t k, i;

    if (!wg_doc_load(full, &v->doc, &why)) {
        CHECK_MSG(0, "%s: %s", v->path, why);
        return false;
    }
    v->fail = wg_true(&v->doc.top, "fail");
    if (!wg_obj(&v->doc.top, "input", &v->input)) {
        CHECK_MSG(0, "%s: no input object", v->path);
        return false;
    }
    for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
        if (wg_obj(&v->input, kinds[k].json, &v->body))
            break;
    if (k == sizeof(kinds) / sizeof(kinds[0])) {
        CHECK_MSG(0, "%s: no sign0/sign/mac0/mac/encrypted/enveloped in input", v->path);
        return false;
    }
    v->kind = (enum kind)k;
    if (wg_str(&v->input, "plaintext", &s)) {
        v->plaintext = s;
    } else if (!wg_str(&v->input, "plaintext_hex", &s) || !wg_hex(&arena, s, &v->plaintext)) {
        CHECK_MSG(0, "%s: no plaintext", v->path);
        return false;
    }
    {
        struct iotsec_cbor_dec out;
        if (!wg_obj(&v->doc.top, "output", &out) || !wg_str(&out, "cbor", &s) ||
            !wg_hex(&arena, s, &v->output)) {
            CHECK_MSG(0, "%s: no output.cbor", v->path);
            return false;
        }
    }
    scan_failures(v, &v->input);
    scan_failures(v, &v->body);
    if (wg_has(&v->body, "countersign") || wg_has(&v->body, "countersign0"))
        v->countersign = true;
    if (!external_aad(&v->body, &v->external))
        memset(&v->external, 0, sizeof(v->external));
    v->has_body_alg = layer_alg(&v->body, &v->body_alg);
    scan_headers(v, &v->body, true);

    switch (v->kind) {
    case K_SIGN0:
        /* the signer is the message itself */
        add_layer(v, &v->body, -1, 0);
        v->n_top = 1;
        break;
    case K_SIGN: {
        struct iotsec_cbor_dec items, item, sgn;
        size_t n;
        i = 0;
        if (wg_arr(&v->body, "signers", &items, &n)) {
            while (wg_next_item(&items, &item)) {
                if (!wg_as_obj(&item, &sgn))
                    continue;
                add_layer(v, &sgn, -1, i++);
                /* sign-pass-02 keeps its external AAD with the signer */
                if (v->external.ptr == NULL && !external_aad(&sgn, &v->external))
                    memset(&v->external, 0, sizeof(v->external));
            }
        }
        v->n_top = i;
        break;
    }
    default:
        add_recipients(v, &v->body, -1, 0, true);
        break;
    }
    for (i = 0; i < v->n_layers; i++) {
        scan_unsent(v, &v->layers[i]);
        scan_headers(v, &v->layers[i].json, false);
    }
    return true;
}

static void free_vector(struct vec *v)
{
    size_t i;

    for (i = 0; i < v->n_layers; i++) {
        wg_key_free(&v->layers[i].key);
        wg_key_free(&v->layers[i].key_pub);
        wg_key_free(&v->layers[i].sender);
        wg_key_free(&v->layers[i].sender_pub);
        wg_key_free(&v->layers[i].eph);
    }
    wg_doc_free(&v->doc);
    wg_arena_reset(&arena);
}

/* ------------------------------------------------------------------ */
/* Verdicts                                                            */
/* ------------------------------------------------------------------ */

/*
 * The allow-list: the algorithms and features that iotsec leaves out on
 * purpose. An UNSUPPORTED error on a vector that uses none of them is a
 * failure, not an excuse. @p top >= 0 limits the question to the body and
 * one top-level signer/recipient with what it nests, so that one exotic
 * recipient does not excuse the others. Returns every reason that applies
 * (joined), or NULL.
 */
static const char *allowed_unsupported_in(const struct vec *v, long top)
{
    static char text[512];
    const char *why[8];
    size_t i, n = 0, nw = 0, at = 0;
    int64_t algs[MAX_LAYERS + 1];
    bool aes_mac = false, hkdf_aes = false, rsa = false;
    bool compressed = top < 0 && v->compressed, mismatch = false;

    if (v->has_body_alg)
        algs[n++] = v->body_alg;
    for (i = 0; i < v->n_layers; i++) {
        const struct layer *l = &v->layers[i];
        if (top >= 0 && l->top != (size_t)top)
            continue;
        if (l->has_alg)
            algs[n++] = l->alg;
        compressed = compressed || l->compressed;
        mismatch = mismatch || l->ecdsa_mismatch;
    }
    for (i = 0; i < n; i++) {
        switch (algs[i]) {
        case IOTSEC_ALG_AES_MAC_128_64:
        case IOTSEC_ALG_AES_MAC_256_64:
        case IOTSEC_ALG_AES_MAC_128_128:
        case IOTSEC_ALG_AES_MAC_256_128: aes_mac = true; break;
        case IOTSEC_ALG_DIRECT_HKDF_AES128:
        case IOTSEC_ALG_DIRECT_HKDF_AES256: hkdf_aes = true; break;
        default: rsa = rsa || is_rsa(algs[i]); break;
        }
    }
    /* AES-CBC-MAC and direct+HKDF-AES are implemented: never excused */
    (void)aes_mac;
    (void)hkdf_aes;
    if (rsa)
        why[nw++] = "RSA (RFC 8230) is not implemented: iotsec targets constrained devices, and "
                    "no IoT baseline profile it serves uses RSA";
    /* compressed points are supported; a vector that has one and is still
     * unsupported is excused only by nested recipients */
    if (compressed && v->nested)
        why[nw++] = "recipients that carry recipients (multi-level, RFC 9052 5.1) are not "
                    "processed";
    if (v->partial_iv)
        why[nw++] = "Partial IV needs the Base IV of the key context, which struct iotsec_key "
                    "does not carry";
    if (mismatch)
        why[nw++] = "ECDSA with a hash that does not match the curve (e.g. ES512 over P-256): "
                    "iotsec binds ES256/ES384/ES512 to P-256/P-384/P-521 as RFC 9053 section 2.1 "
                    "suggests";
    if (nw == 0)
        return NULL;
    text[0] = '\0';
    for (i = 0; i < nw; i++)
        at += (size_t)snprintf(text + at, sizeof(text) - at, "%s%s", i ? "; " : "", why[i]);
    return text;
}

static const char *allowed_unsupported(const struct vec *v)
{
    return allowed_unsupported_in(v, -1);
}

/*
 * A library call on a positive vector did not succeed: unsupported (when
 * allowed for @p top, see allowed_unsupported_in) or a failure. Returns
 * true when it was counted as unsupported. A hash/curve mismatch is
 * refused as "no key fits" rather than as an unsupported algorithm, so
 * NOT_FOUND and KEY_USAGE count there too.
 */
static bool judge_in(const struct vec *v, long top, const char *what, enum iotsec_err err)
{
    const char *why = allowed_unsupported_in(v, top);
    bool policy = v->ecdsa_mismatch &&
                  (err == IOTSEC_ERR_NOT_FOUND || err == IOTSEC_ERR_KEY_USAGE);

    if ((iotsec_err_is_unsupported(err) || policy) && why != NULL) {
        note_unsupported(v->path, "%s (library: %s)", why, iotsec_err_str(err));
        return true;
    }
    CHECK_MSG(0, "%s: %s returned %d, %s%s", v->path, what, (int)err, iotsec_err_str(err),
              iotsec_err_is_unsupported(err)
                  ? " [unsupported, but nothing on the allow-list applies here]"
                  : "");
    return false;
}

static bool judge(const struct vec *v, const char *what, enum iotsec_err err)
{
    return judge_in(v, -1, what, err);
}

/* ------------------------------------------------------------------ */
/* Authentication                                                      */
/* ------------------------------------------------------------------ */

struct keyset {
    struct iotsec_cose_keyset_entry e[MAX_KEYS];
    struct iotsec_cose_keyset set;
};

static void ks_add(struct keyset *k, const struct wg_key *key)
{
    if (!key->loaded || k->set.n == MAX_KEYS)
        return;
    k->e[k->set.n].key = &key->key;
    k->e[k->set.n].kid = key->kid;
    k->set.n++;
    k->set.entries = k->e;
}

/*
 * The verifier's keys of layer @p l: a signer's public key; a recipient's
 * key (private for ECDH) and the public key of its ECDH-SS sender, found
 * by spk_kid or carried whole in spk.
 */
static void ks_add_layer(struct keyset *k, const struct vec *v, const struct layer *l)
{
    if (v->kind == K_SIGN0 || v->kind == K_SIGN) {
        ks_add(k, l->key_pub.loaded ? &l->key_pub : &l->key);
    } else {
        ks_add(k, &l->key);
        ks_add(k, &l->sender_pub);
    }
}

/* All keys, or (top >= 0) those of one top-level signer/recipient subtree. */
static void ks_build(struct keyset *k, const struct vec *v, long top)
{
    size_t i;

    memset(k, 0, sizeof(*k));
    k->set.entries = k->e;
    for (i = 0; i < v->n_layers; i++)
        if (top < 0 || v->layers[i].top == (size_t)top)
            ks_add_layer(k, v, &v->layers[i]);
}

static struct iotsec_cose_opts base_opts(const struct vec *v)
{
    struct iotsec_cose_opts o;

    memset(&o, 0, sizeof(o));
    o.external_aad = v->external;
    o.scratch.ptr = scratch_mem;
    o.scratch.len = sizeof(scratch_mem);
    o.kdf = v->kdf;
    o.understood = v->understood;
    o.n_understood = v->n_understood;
    return o;
}

static enum iotsec_err authenticate(const struct vec *v, const struct iotsec_cose_msg *m,
                                    const struct iotsec_cose_keyset *ks,
                                    struct iotsec_cose_result *r)
{
    struct iotsec_cose_opts o = base_opts(v);
    struct iotsec_buf out = {plain_mem, sizeof(plain_mem)};

    memset(r, 0, sizeof(*r));
    if (encrypts(v->kind))
        return iotsec_cose_decrypt(m, ks, &o, out, r);
    return iotsec_cose_verify(m, ks, &o, r);
}

static const char *auth_name(const struct vec *v)
{
    return encrypts(v->kind) ? "iotsec_cose_decrypt" : "iotsec_cose_verify";
}

static void check_payload(const struct vec *v, const struct iotsec_cose_result *r, const char *who)
{
    bool same = r->payload.len == v->plaintext.len &&
                (r->payload.len == 0 || (r->payload.ptr != NULL &&
                                         memcmp(r->payload.ptr, v->plaintext.ptr, r->payload.len) == 0));

    CHECK_MSG(same, "%s: %s: the payload is not input.plaintext (%zu bytes, want %zu)", v->path,
              who, r->payload.len, v->plaintext.len);
}

/* ------------------------------------------------------------------ */
/* Reading the expected output with the pull decoder                   */
/* ------------------------------------------------------------------ */

/* The two header buckets of one layer of output.cbor. */
struct out_layer {
    struct iotsec_cbor_dec prot;   /* entered map of the protected bucket */
    struct iotsec_cbor_dec unprot; /* entered unprotected map */
};

static const uint8_t empty_map_byte[1] = {0xa0};

static bool out_buckets(struct iotsec_cbor_dec *arr, struct out_layer *l)
{
    struct iotsec_cbor_dec d, tmp;
    struct iotsec_cbuf p;

    if (iotsec_cbor_get_bstr(arr, &p) != IOTSEC_OK)
        return false;
    /* an empty protected bucket reads as an empty map (h'' or h'A0') */
    if (p.len == 0) {
        p.ptr = empty_map_byte;
        p.len = 1;
    }
    if (iotsec_cbor_dec_init(&d, p.ptr, p.len, 0, NULL) != IOTSEC_OK ||
        iotsec_cbor_enter_map(&d, &l->prot, NULL) != IOTSEC_OK)
        return false;
    tmp = *arr;
    if (iotsec_cbor_enter_map(&tmp, &l->unprot, NULL) != IOTSEC_OK)
        return false;
    return iotsec_cbor_skip(arr) == IOTSEC_OK;
}

/* Recipients (depth first, as the JSON layers are flattened). */
static bool out_recipients(struct iotsec_cbor_dec *arr, struct out_layer *ls, size_t *n, size_t cap)
{
    struct iotsec_cbor_dec list, rcp, tmp;

    tmp = *arr;
    if (iotsec_cbor_enter_array(&tmp, &list, NULL) != IOTSEC_OK)
        return false;
    while (!iotsec_cbor_at_end(&list)) {
        struct iotsec_cbor_dec t2 = list;
        if (*n == cap || iotsec_cbor_enter_array(&t2, &rcp, NULL) != IOTSEC_OK ||
            !out_buckets(&rcp, &ls[(*n)++]) || iotsec_cbor_skip(&rcp) != IOTSEC_OK)
            return false;
        if (!iotsec_cbor_at_end(&rcp) && !out_recipients(&rcp, ls, n, cap))
            return false;
        iotsec_cbor_skip(&list);
    }
    return true;
}

/* Body and signer/recipient buckets of output.cbor. */
static bool out_layers(const struct vec *v, struct out_layer *body, struct out_layer *ls, size_t *n)
{
    struct iotsec_cbor_dec d, arr, list, sig, tmp;
    uint64_t tag;

    *n = 0;
    if (iotsec_cbor_dec_init(&d, v->output.ptr, v->output.len, 0, NULL) != IOTSEC_OK)
        return false;
    while (iotsec_cbor_peek_type(&d) == IOTSEC_CBOR_TAG)
        iotsec_cbor_get_tag(&d, &tag);
    if (iotsec_cbor_enter_array(&d, &arr, NULL) != IOTSEC_OK || !out_buckets(&arr, body))
        return false;
    iotsec_cbor_skip(&arr); /* payload or ciphertext */
    switch (v->kind) {
    case K_SIGN:
        tmp = arr;
        if (iotsec_cbor_enter_array(&tmp, &list, NULL) != IOTSEC_OK)
            return false;
        while (!iotsec_cbor_at_end(&list)) {
            struct iotsec_cbor_dec t2 = list;
            if (*n == MAX_LAYERS || iotsec_cbor_enter_array(&t2, &sig, NULL) != IOTSEC_OK ||
                !out_buckets(&sig, &ls[(*n)++]))
                return false;
            iotsec_cbor_skip(&list);
        }
        return true;
    case K_MAC:
        iotsec_cbor_skip(&arr); /* tag */
        return out_recipients(&arr, ls, n, MAX_LAYERS);
    case K_ENVELOPED:
        return out_recipients(&arr, ls, n, MAX_LAYERS);
    default:
        return true;
    }
}

/* A COSE_Key in header -1 or -2 of @p map whose y is a sign bit (a
 * compressed point). */
static bool has_compressed_key(const struct iotsec_cbor_dec *map)
{
    static const int64_t labels[] = {IOTSEC_COSE_HDR_EPHEMERAL_KEY, IOTSEC_COSE_HDR_STATIC_KEY};
    struct iotsec_cbor_dec val, key, y;
    size_t i;

    for (i = 0; i < 2; i++) {
        struct iotsec_cbor_dec tmp;
        if (iotsec_cbor_map_find_int(map, labels[i], &val) != IOTSEC_OK)
            continue;
        tmp = val;
        if (iotsec_cbor_enter_map(&tmp, &key, NULL) == IOTSEC_OK &&
            iotsec_cbor_map_find_int(&key, IOTSEC_COSE_KEY_Y, &y) == IOTSEC_OK &&
            iotsec_cbor_peek_type(&y) == IOTSEC_CBOR_SIMPLE)
            return true;
    }
    return false;
}

/* Facts only the output tells: RFC 8152 Appendix B sends its ephemeral
 * key compressed although its JSON does not say "compressed". */
static void scan_output(struct vec *v)
{
    struct out_layer body, ls[MAX_LAYERS];
    size_t i, n;

    if (!out_layers(v, &body, ls, &n))
        return;
    for (i = 0; i < n; i++) {
        if (has_compressed_key(&ls[i].prot) || has_compressed_key(&ls[i].unprot)) {
            v->compressed = true;
            if (has_wire_recipients(v->kind) && n == v->n_layers)
                v->layers[i].compressed = true;
        }
    }
    /* x509-examples/signed-01 and -02 send their kid as a text string */
    for (i = 0; i <= n; i++) {
        const struct out_layer *ol = i < n ? &ls[i] : &body;
        struct iotsec_cbor_dec kv;
        if ((iotsec_cbor_map_find_int(&ol->prot, IOTSEC_COSE_HDR_KID, &kv) == IOTSEC_OK &&
             iotsec_cbor_peek_type(&kv) == IOTSEC_CBOR_TSTR) ||
            (iotsec_cbor_map_find_int(&ol->unprot, IOTSEC_COSE_HDR_KID, &kv) == IOTSEC_OK &&
             iotsec_cbor_peek_type(&kv) == IOTSEC_CBOR_TSTR))
            v->kid_tstr = true;
    }
}

/* ------------------------------------------------------------------ */
/* Reproduction                                                        */
/* ------------------------------------------------------------------ */

struct rng {
    struct iotsec_cbuf v[MAX_RNG];
    size_t n, used;
};

static bool rng_take(struct rng *r, size_t len, struct iotsec_cbuf *out)
{
    if (r->used == r->n || r->v[r->used].len != len)
        return false;
    *out = r->v[r->used++];
    return true;
}

/* Where an output carries an IV the JSON does not give: the unsent IV or
 * the rng. */
static bool json_has_iv(const struct iotsec_cbor_dec *obj)
{
    struct iotsec_cbor_dec b;

    return (wg_obj(obj, "protected", &b) && (wg_has(&b, "IV_hex") || wg_has(&b, "IV"))) ||
           (wg_obj(obj, "unprotected", &b) && (wg_has(&b, "IV_hex") || wg_has(&b, "IV")));
}

static bool json_has(const struct iotsec_cbor_dec *obj, const char *name)
{
    struct iotsec_cbor_dec b;

    return (wg_obj(obj, "protected", &b) && wg_has(&b, name)) ||
           (wg_obj(obj, "unprotected", &b) && wg_has(&b, name));
}

struct plan {
    struct iotsec_cbuf cek, iv;
    bool need_iv;
};

/*
 * Map rng_stream onto what COSE-C drew, in its order (checked against
 * every vector): when a recipient derives the content key (direct, HKDF,
 * ECDH direct), the recipients' ephemeral scalars come first and the IV
 * last; otherwise the random CEK first, then the IV, then each ECDH-ES key
 * wrap recipient's ephemeral scalar. Every value must be used.
 */
static bool plan_rng(struct vec *v, struct plan *p, const char **why)
{
    static char msg[160];
    struct iotsec_cbor_dec items, item;
    struct iotsec_cbuf s;
    struct rng r;
    size_t i, n;
    bool derived = false;

    memset(p, 0, sizeof(*p));
    memset(&r, 0, sizeof(r));
    if (wg_arr(&v->input, "rng_stream", &items, &n)) {
        while (wg_next_item(&items, &item)) {
            if (r.n == MAX_RNG || iotsec_cbor_get_tstr(&item, &s) != IOTSEC_OK ||
                !wg_hex(&arena, s, &r.v[r.n])) {
                *why = "rng_stream unreadable";
                return false;
            }
            r.n++;
        }
    }
    if (v->kind == K_SIGN0 || v->kind == K_SIGN || v->kind == K_MAC0)
        return true; /* EdDSA and MAC draw nothing (the ECDSA seed is not used) */

    p->need_iv = encrypts(v->kind) && !json_has_iv(&v->body);
    if (p->need_iv) {
        struct iotsec_cbor_dec u;
        if (wg_obj(&v->body, "unsent", &u) && wg_bytes(&arena, &u, "IV", &p->iv))
            p->need_iv = false; /* the IV is given, not drawn */
    }
    if (v->kind == K_ENCRYPTED) {
        if (p->need_iv && !rng_take(&r, nonce_len(v->body_alg), &p->iv)) {
            *why = "rng_stream does not start with an IV of the algorithm's nonce length";
            return false;
        }
    } else {
        for (i = 0; i < v->n_layers; i++)
            if (derives_cek(recipient_class(v->layers[i].alg)))
                derived = true;
        if (!derived && !rng_take(&r, content_key_len(v->body_alg), &p->cek)) {
            *why = "rng_stream does not start with a content key of the algorithm's length";
            return false;
        }
        if (!derived && p->need_iv && !rng_take(&r, nonce_len(v->body_alg), &p->iv)) {
            *why = "rng_stream: no IV after the content key";
            return false;
        }
        for (i = 0; i < v->n_layers; i++) {
            struct layer *l = &v->layers[i];
            enum rclass c = recipient_class(l->alg);
            const char *kwhy = NULL;
            if (c == RC_ECDH_SS || c == RC_ECDH_SS_KW) {
                /* COSE-C draws a PartyU nonce and sends the static key
                 * itself when the JSON names neither */
                if (!json_has(&l->json, "apu_nonce") && !json_has(&l->json, "apu_nonce_hex") &&
                    c == RC_ECDH_SS) {
                    *why = "ECDH-SS: COSE-C drew a PartyU nonce that the JSON does not give";
                    return false;
                }
                if (!json_has(&l->json, "spk") && !json_has(&l->json, "spk_kid")) {
                    *why = "ECDH-SS: COSE-C sent the static key itself, in an order the JSON "
                           "does not give";
                    return false;
                }
                continue;
            }
            if (c != RC_ECDH_ES && c != RC_ECDH_ES_KW)
                continue;
            if (!l->key.loaded) {
                *why = "ECDH-ES recipient without a usable key";
                return false;
            }
            if (!rng_take(&r, wg_crv_len(l->key.key.crv), &s)) {
                *why = "rng_stream: no ephemeral scalar of the curve's length where COSE-C "
                       "draws it";
                return false;
            }
            if (l->key.key.crv == IOTSEC_CRV_P521) {
                /* COSE-C draws 66 bytes and keeps the low 521 bits (checked
                 * against the epk of every P-521 vector) */
                uint8_t *d = (uint8_t *)(uintptr_t)wg_put(&arena, s.ptr, s.len);
                if (d == NULL) {
                    *why = "arena full";
                    return false;
                }
                d[0] &= 0x01;
                s.ptr = d;
            }
            if (wg_key_from_d(l->key.key.kty, l->key.key.crv, s, &l->eph, &kwhy, NULL) !=
                WG_KEY_OK) {
                snprintf(msg, sizeof(msg), "cannot rebuild the ephemeral key: %s", kwhy);
                *why = msg;
                return false;
            }
        }
        if (derived && p->need_iv && !rng_take(&r, nonce_len(v->body_alg), &p->iv)) {
            *why = "rng_stream: no IV after the ephemeral scalars";
            return false;
        }
    }
    if (r.used != r.n) {
        snprintf(msg, sizeof(msg), "rng_stream has %zu values, the plan for this layout uses %zu",
                 r.n, r.used);
        *why = msg;
        return false;
    }
    return true;
}

/*
 * One header bucket for the creator: the JSON parameters plus @p extra,
 * in the order output.cbor has them. COSE-C does not keep the JSON order
 * (it moves "kid" after the next parameter in 85 buckets, and puts the
 * headers it generates first or last), and the library copies the caller's
 * maps as they are, so order is an input here, not something under test.
 */
static bool build_bucket(const struct iotsec_cbor_dec *json, const char *bucket,
                         const struct wg_hdr_item *extra, size_t n_extra,
                         const struct iotsec_cbor_dec *out_map, struct wg_hdr_list *l,
                         const char **why)
{
    struct iotsec_cbor_dec obj;
    size_t i;

    l->n = 0;
    if (wg_obj(json, bucket, &obj) && !wg_hdr_from_json(&arena, &obj, l, why))
        return false;
    for (i = 0; i < n_extra; i++) {
        int at = wg_hdr_index(l, extra[i].label);
        if (at >= 0) {
            l->item[at].value = extra[i].value; /* the drawn value wins over the JSON's */
        } else if (!wg_hdr_add(l, extra[i].label, extra[i].value)) {
            *why = "too many header parameters";
            return false;
        }
    }
    return wg_hdr_reorder(l, out_map, why);
}

static bool encode_bucket(const struct wg_hdr_list *l, struct iotsec_cbuf *out, const char **why)
{
    if (!wg_hdr_encode(&arena, l, out)) {
        *why = "arena full";
        return false;
    }
    return true;
}

static bool reproducible(const struct vec *v, const char **why)
{
    size_t i;

    /* an untagged message is still the creator's output (opts.untagged) */
    if (v->f_any && !(v->f_remove_tag && v->n_mutations == 1)) {
        *why = "the output was mutated after it was built (input.failures)";
        return false;
    }
    if (v->countersign) {
        *why = "the output carries an RFC 8152 V1 countersignature, which iotsec does not create";
        return false;
    }
    if (v->nested) {
        *why = "nested recipients cannot be created through struct iotsec_cose_recipient_in";
        return false;
    }
    if (v->compressed) {
        *why = "an ephemeral key is sent as a compressed point";
        return false;
    }
    if (v->partial_iv) {
        *why = "the IV is a Base IV combined with a Partial IV";
        return false;
    }
    for (i = 0; i < v->n_layers; i++) {
        const struct layer *l = &v->layers[i];
        if ((v->kind == K_SIGN0 || v->kind == K_SIGN) && l->alg != IOTSEC_ALG_EDDSA) {
            *why = "ECDSA signatures are randomised (no k in rng_stream)";
            return false;
        }
        if (!l->key.loaded) {
            *why = "a key the runner cannot build";
            return false;
        }
    }
    return true;
}

static void reproduce(struct vec *v)
{
    struct out_layer obody, olay[MAX_LAYERS];
    struct wg_hdr_list l;
    struct iotsec_cose_hdr_in hbody, hl[MAX_LAYERS];
    struct iotsec_cose_signer_in signers[MAX_LAYERS];
    struct iotsec_cose_recipient_in rcpt[MAX_LAYERS];
    struct iotsec_cose_opts o = base_opts(v);
    struct iotsec_buf out = {built_mem, sizeof(built_mem)};
    struct iotsec_cbuf msg = {NULL, 0};
    struct wg_hdr_item extra[1];
    struct plan p;
    const char *why = NULL;
    enum iotsec_err err;
    size_t i, n_out, n_extra;
    int at;

    if (!reproducible(v, &why) || !plan_rng(v, &p, &why)) {
        skip_repro(v->path, "%s", why);
        return;
    }
    if (!out_layers(v, &obody, olay, &n_out) ||
        ((has_wire_recipients(v->kind) || v->kind == K_SIGN) ? n_out != v->n_layers
                                                              : n_out != 0)) {
        CHECK_MSG(0, "%s: output.cbor does not have the layers the JSON describes", v->path);
        return;
    }

    /* body: JSON parameters, plus the IV where COSE-C drew it */
    n_extra = 0;
    if (p.iv.ptr != NULL && !json_has_iv(&v->body)) {
        struct iotsec_cbor_enc e;
        static uint8_t ivbuf[32];
        iotsec_cbor_enc_init(&e, ivbuf, sizeof(ivbuf));
        iotsec_cbor_enc_bstr(&e, p.iv.ptr, p.iv.len);
        memset(&extra[0], 0, sizeof(extra[0]));
        extra[0].label = IOTSEC_COSE_HDR_IV;
        if (iotsec_cbor_enc_finish(&e, &extra[0].value) != IOTSEC_OK) {
            skip_repro(v->path, "IV too long");
            return;
        }
        extra[0].value.ptr = wg_put(&arena, extra[0].value.ptr, extra[0].value.len);
        n_extra = 1;
    }
    if (!build_bucket(&v->body, "protected", NULL, 0, &obody.prot, &l, &why) ||
        !encode_bucket(&l, &hbody.prot, &why) ||
        !build_bucket(&v->body, "unprotected", extra, n_extra, &obody.unprot, &l, &why)) {
        skip_repro(v->path, "body headers: %s", why);
        return;
    }
    /* An IV that COSE-C appended is left to the library (opts.iv), which
     * also appends it: that checks the library's own IV placement. */
    at = wg_hdr_index(&l, IOTSEC_COSE_HDR_IV);
    if (n_extra == 1 && at >= 0 && (size_t)at == l.n - 1) {
        l.n--;
        o.iv = p.iv;
    }
    if (!encode_bucket(&l, &hbody.unprot, &why)) {
        skip_repro(v->path, "body headers: %s", why);
        return;
    }

    /* signers and recipients */
    if (v->kind == K_SIGN || has_wire_recipients(v->kind)) {
        for (i = 0; i < v->n_layers; i++) {
            struct layer *ly = &v->layers[i];
            enum rclass c = recipient_class(ly->alg);
            n_extra = 0;
            /* The ephemeral key is the one replayed from rng_stream, even
             * where the JSON lists an epk: the ecdh-wrap files list one
             * that COSE-C did not use (their outputs carry the key of the
             * drawn scalar). */
            if (c == RC_ECDH_ES || c == RC_ECDH_ES_KW) {
                memset(&extra[0], 0, sizeof(extra[0]));
                extra[0].label = IOTSEC_COSE_HDR_EPHEMERAL_KEY;
                if (!ly->eph.loaded || !wg_cose_key(&arena, &ly->eph.key, &extra[0].value)) {
                    CHECK_MSG(0, "%s: iotsec_cose_key_encode of the ephemeral key failed",
                              v->path);
                    return;
                }
                n_extra = 1;
            }
            if (!build_bucket(&ly->json, "protected", NULL, 0, &olay[i].prot, &l, &why) ||
                !encode_bucket(&l, &hl[i].prot, &why) ||
                !build_bucket(&ly->json, "unprotected", extra, n_extra, &olay[i].unprot, &l,
                              &why) ||
                !encode_bucket(&l, &hl[i].unprot, &why)) {
                skip_repro(v->path, "%s %zu headers: %s",
                           v->kind == K_SIGN ? "signer" : "recipient", i, why);
                return;
            }
            if (v->kind == K_SIGN) {
                signers[i].hdr = hl[i];
                signers[i].key = &ly->key.key;
                continue;
            }
            rcpt[i].hdr = hl[i];
            rcpt[i].sender_key = NULL;
            switch (c) {
            case RC_ECDH_ES:
            case RC_ECDH_ES_KW:
                rcpt[i].key = &ly->key_pub.key;
                rcpt[i].sender_key = &ly->eph.key;
                break;
            case RC_ECDH_SS:
            case RC_ECDH_SS_KW:
                rcpt[i].key = &ly->key_pub.key;
                rcpt[i].sender_key = ly->sender.loaded ? &ly->sender.key : NULL;
                break;
            default:
                rcpt[i].key = &ly->key.key;
                break;
            }
        }
    }

    o.untagged = v->f_remove_tag;
    o.cek = p.cek;
    switch (v->kind) {
    case K_SIGN0:
        signers[0].hdr = hbody;
        signers[0].key = &v->layers[0].key.key;
        err = iotsec_cose_sign1(out, &msg, &signers[0], v->plaintext, &o);
        break;
    case K_SIGN: {
        struct iotsec_cose_hdr_in b = hbody;
        err = iotsec_cose_sign(out, &msg, &b, signers, v->n_layers, v->plaintext, &o);
        break;
    }
    case K_MAC0:
        err = iotsec_cose_mac0(out, &msg, &hbody, &v->layers[0].key.key, v->plaintext, &o);
        break;
    case K_MAC:
        err = iotsec_cose_mac(out, &msg, &hbody, rcpt, v->n_layers, v->plaintext, &o);
        break;
    case K_ENCRYPTED:
        err = iotsec_cose_encrypt0(out, &msg, &hbody, &v->layers[0].key.key, v->plaintext, &o);
        break;
    default:
        err = iotsec_cose_encrypt(out, &msg, &hbody, rcpt, v->n_layers, v->plaintext, &o);
        break;
    }
    if (err != IOTSEC_OK) {
        CHECK_MSG(0, "%s: reproduction: the creator returned %d, %s", v->path, (int)err,
                  iotsec_err_str(err));
        return;
    }
    if (msg.len == v->output.len && memcmp(msg.ptr, v->output.ptr, msg.len) == 0) {
        CHECK(1);
        n_repro_done++;
        return;
    }
    CHECK_MSG(0, "%s: reproduction differs from output.cbor (%zu bytes, want %zu)", v->path,
              msg.len, v->output.len);
    fprintf(stderr, "   got  %s\n", test_hex(msg.ptr, msg.len));
    fprintf(stderr, "   want %s\n", test_hex(v->output.ptr, v->output.len));
}

/* ------------------------------------------------------------------ */
/* Countersignatures                                                   */
/* ------------------------------------------------------------------ */

static void check_countersign(struct vec *v, const struct iotsec_cose_msg *m)
{
    static const char *const forms[] = {"countersign", "countersign0"};
    struct wg_key keys[MAX_KEYS];
    struct keyset ks;
    struct iotsec_cose_opts o = base_opts(v);
    struct iotsec_cose_result r;
    struct iotsec_cbor_dec cs, items, item, sgn, jwk, u, av;
    enum iotsec_err err;
    size_t i, n, nk = 0;
    bool found = false;

    if (!v->countersign)
        return;
    if (v->kind != K_SIGN0 || !(wg_has(&v->body, "countersign") || wg_has(&v->body, "countersign0"))) {
        /* The API verifies countersignatures on COSE_Sign1 only; on another
         * body it must say so rather than pretend. Those on a signer or a
         * recipient it cannot be asked about at all. */
        if (wg_has(&v->body, "countersign") || wg_has(&v->body, "countersign0")) {
            memset(&ks, 0, sizeof(ks));
            ks.set.entries = ks.e;
            err = iotsec_cose_countersign_verify(m, &ks.set, &o, &r);
            CHECK_MSG(err == IOTSEC_ERR_UNSUPPORTED,
                      "%s: iotsec_cose_countersign_verify on a non-Sign1 message returned %d, %s "
                      "(want IOTSEC_ERR_UNSUPPORTED)",
                      v->path, (int)err, iotsec_err_str(err));
        }
        note_unsupported(v->path, "V1 countersignatures (RFC 8152) are verified on COSE_Sign1 "
                                  "only");
        return;
    }
    memset(&ks, 0, sizeof(ks));
    ks.set.entries = ks.e;
    for (i = 0; i < 2; i++) {
        if (!wg_obj(&v->body, forms[i], &cs) || !wg_arr(&cs, "signers", &items, &n))
            continue;
        found = true;
        while (wg_next_item(&items, &item) && nk < MAX_KEYS) {
            const char *why = NULL;
            int64_t alg;
            if (!wg_as_obj(&item, &sgn) || !wg_obj(&sgn, "key", &jwk) ||
                wg_key_from_jwk(&arena, &jwk, false, &keys[nk], &why, NULL) != WG_KEY_OK)
                continue;
            /* the abbreviated form names its algorithm only out of band */
            if (wg_obj(&sgn, "unsent", &u) && wg_find(&u, "alg", &av) && wg_alg_value(&av, &alg))
                keys[nk].key.alg = (int32_t)alg;
            ks_add(&ks, &keys[nk]);
            nk++;
        }
    }
    if (found) {
        err = iotsec_cose_countersign_verify(m, &ks.set, &o, &r);
        if (err == IOTSEC_OK) {
            CHECK(1);
        } else if (err == IOTSEC_ERR_NOT_FOUND || iotsec_err_is_unsupported(err)) {
            note_unsupported(v->path,
                             "V1 countersignature (RFC 8152 header 7/9) on COSE_Sign1: iotsec "
                             "verifies RFC 9338 V2 (headers 11/12) only (library: %s)",
                             iotsec_err_str(err));
        } else {
            CHECK_MSG(0, "%s: iotsec_cose_countersign_verify returned %d, %s", v->path, (int)err,
                      iotsec_err_str(err));
        }
    }
    for (i = 0; i < nk; i++)
        wg_key_free(&keys[i]);
}

/* ------------------------------------------------------------------ */
/* One vector                                                          */
/* ------------------------------------------------------------------ */

/* Check the CEK a recipient yields against intermediates.CEK_hex. */
static void check_cek(const struct vec *v, const struct iotsec_cose_msg *m,
                      const struct iotsec_cose_keyset *ks)
{
    struct iotsec_cbor_dec im;
    struct iotsec_cbuf s, want;
    struct iotsec_cose_opts o = base_opts(v);
    struct iotsec_cose_result r;
    uint8_t cek[64];
    size_t cek_len = 0;
    enum iotsec_err err;

    if (!has_wire_recipients(v->kind) || !wg_obj(&v->doc.top, "intermediates", &im) ||
        !wg_str(&im, "CEK_hex", &s) || !wg_hex(&arena, s, &want))
        return;
    err = iotsec_cose_recipient_key(m, ks, &o, v->body_alg, cek, sizeof(cek), &cek_len, &r);
    if (err != IOTSEC_OK) {
        judge(v, "iotsec_cose_recipient_key", err);
        return;
    }
    n_cek_checked++;
    CHECK_MSG(cek_len == want.len && memcmp(cek, want.ptr, cek_len) == 0,
              "%s: iotsec_cose_recipient_key gives a CEK other than intermediates.CEK_hex",
              v->path);
}

/* The runner has no key for this vector (RSA): ask the library
 * anyway, with no key, so a library that learns the algorithm shows up. */
static void no_key(const struct vec *v, const struct iotsec_cose_msg *m)
{
    struct iotsec_cose_keyset empty = {NULL, 0};
    struct iotsec_cose_result r;
    enum iotsec_err err = authenticate(v, m, &empty, &r);

    if (allowed_unsupported(v) == NULL) {
        CHECK_MSG(0, "%s: no usable key: %s", v->path, v->key_unsupported);
        return;
    }
    if (err == IOTSEC_ERR_UNSUPPORTED_ALG)
        note_unsupported(v->path, "%s", v->key_unsupported);
    else
        note_unsupported(v->path, "%s (but the library, given no key, answers: %s)",
                         v->key_unsupported, iotsec_err_str(err));
}

/* Returns true when the vector as a whole was unsupported. */
static bool run_positive(struct vec *v)
{
    struct iotsec_cose_msg m;
    struct iotsec_cose_result r;
    struct keyset ks;
    enum iotsec_err err, main_err;
    size_t i;
    bool unsupported = false;

    if (v->body_crit_text) {
        /* RFC 9052 section 3.1: a critical label the application does not
         * understand fails the message; only the vector's declaration
         * below lets it through */
        err = iotsec_cose_decode(v->output.ptr, v->output.len, kinds[v->kind].type, NULL, 0, &m);
        CHECK_MSG(err == IOTSEC_ERR_UNSUPPORTED,
                  "%s: crit names a label not declared understood, and iotsec_cose_decode "
                  "returned %d, %s (want IOTSEC_ERR_UNSUPPORTED)",
                  v->path, (int)err, iotsec_err_str(err));
    }
    err = iotsec_cose_decode(v->output.ptr, v->output.len, kinds[v->kind].type, v->understood,
                             v->n_understood, &m);
    if (err != IOTSEC_OK)
        return judge(v, "iotsec_cose_decode", err);
    CHECK_MSG(m.type == kinds[v->kind].type, "%s: decoded as type %d, want %d", v->path,
              (int)m.type, (int)kinds[v->kind].type);
    if (v->f_remove_tag) {
        struct iotsec_cose_msg m2;
        CHECK_MSG(m.tag == 0, "%s: untagged message reports tag %llu", v->path,
                  (unsigned long long)m.tag);
        /* the type is known only from context: without it, refuse */
        CHECK_MSG(iotsec_cose_decode(v->output.ptr, v->output.len, IOTSEC_COSE_UNKNOWN,
                                     v->understood, v->n_understood, &m2) != IOTSEC_OK,
                  "%s: an untagged message was decoded without an expected type", v->path);
    } else {
        CHECK_MSG(m.tag == kinds[v->kind].tag, "%s: tag %llu, want %llu", v->path,
                  (unsigned long long)m.tag, (unsigned long long)kinds[v->kind].tag);
    }

    ks_build(&ks, v, -1);
    if (ks.set.n == 0 && v->key_unsupported != NULL) {
        no_key(v, &m);
        return true;
    }
    main_err = authenticate(v, &m, &ks.set, &r);
    if (main_err != IOTSEC_OK) {
        unsupported = judge(v, auth_name(v), main_err);
    } else {
        CHECK(1);
        check_payload(v, &r, auth_name(v));
        if (v->kind == K_SIGN && v->n_top == 1)
            CHECK_MSG(r.signer == 0, "%s: result names signer %zu of 1", v->path, r.signer);
        check_cek(v, &m, &ks.set);
    }

    /* each signer / top-level recipient on its own */
    if (v->n_top > 1) {
        for (i = 0; i < v->n_top; i++) {
            struct keyset one;
            char who[96];
            ks_build(&one, v, (long)i);
            snprintf(who, sizeof(who), "%s with only the keys of %s %zu", auth_name(v),
                     v->kind == K_SIGN ? "signer" : "recipient", i);
            if (one.set.n == 0) {
                /* its key is one the runner cannot build (RSA) */
                if (v->key_unsupported != NULL)
                    note_unsupported(v->path, "%s", v->key_unsupported);
                continue;
            }
            err = authenticate(v, &m, &one.set, &r);
            if (err != IOTSEC_OK) {
                judge_in(v, (long)i, who, err);
                continue;
            }
            check_payload(v, &r, who);
            CHECK_MSG(r.signer == i, "%s: %s: result names %zu", v->path, who, r.signer);
        }
    }
    check_countersign(v, &m);
    if (main_err == IOTSEC_OK)
        reproduce(v);
    else if (unsupported)
        skip_repro(v->path, "unsupported");
    return unsupported;
}

static void run_negative(struct vec *v)
{
    struct iotsec_cose_msg m;
    struct iotsec_cose_result r;
    struct keyset ks;
    enum iotsec_err err;
    const char *mut = v->mutation != NULL  ? v->mutation
                      : v->kid_tstr ? "kid sent as a text string"
                                    : "fail: true";

    err = iotsec_cose_decode(v->output.ptr, v->output.len, kinds[v->kind].type, v->understood,
                             v->n_understood, &m);
    if (v->f_cbor_tag) {
        /* a valid MAC/signature under a wrong tag: only the tag check can catch it */
        CHECK_MSG(err != IOTSEC_OK, "%s: %s: iotsec_cose_decode accepted a message under a "
                                    "wrong CBOR tag",
                  v->path, mut);
        if (verbose && err != IOTSEC_OK)
            printf("REJECTED %s (%s): at decode: %s\n", v->path, mut, iotsec_err_str(err));
        return;
    }
    if (err != IOTSEC_OK) {
        CHECK(1);
        if (verbose)
            printf("REJECTED %s (%s): at decode: %s\n", v->path, mut, iotsec_err_str(err));
        return;
    }
    ks_build(&ks, v, -1);
    err = authenticate(v, &m, &ks.set, &r);
    CHECK_MSG(err != IOTSEC_OK, "%s: %s: %s accepted a message that must fail", v->path, mut,
              auth_name(v));
    if (verbose && err != IOTSEC_OK)
        printf("REJECTED %s (%s): at %s: %s\n", v->path, mut, auth_name(v), iotsec_err_str(err));
}

static void run_vector(const char *dir, const char *rel)
{
    static struct vec v;
    char full[2048];
    unsigned failed_before = test_failed;
    bool unsupported = false;

    memset(&v, 0, sizeof(v));
    v.path = rel;
    n_cur_reasons = 0;
    snprintf(full, sizeof(full), "%s/%s", dir, rel);
    n_vectors++;
    if (load_vector(&v, full)) {
        scan_output(&v);
        /* A vector that breaks RFC 9052 must be refused, whatever upstream
         * meant by it: a kid is a bstr (section 3.1), and a verifier that
         * took a text kid would match keys on bytes the sender never
         * committed to as an identifier. */
        if (v.kid_tstr && !v.fail && verbose)
            printf("NOTE %s: the output sends a kid as a text string (RFC 9052 section 3.1 wants "
                   "a bstr): it must be rejected\n",
                   v.path);
        if (v.fail || v.kid_tstr)
            run_negative(&v);
        else
            unsupported = run_positive(&v);
    }
    free_vector(&v);
    if (test_failed != failed_before) {
        n_vec_failed++;
    } else if (unsupported) {
        n_vec_unsupported++;
    } else {
        n_vec_passed++;
        if (n_cur_reasons != 0)
            n_vec_partial++; /* e.g. a countersignature it could not check */
    }
}

/* ------------------------------------------------------------------ */
/* Directory walk                                                      */
/* ------------------------------------------------------------------ */

static char *files[MAX_FILES];
static size_t n_files;

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void walk(const char *root, const char *rel)
{
    char path[2048], sub[1024];
    struct dirent *de;
    struct stat st;
    DIR *d;

    snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
    d = opendir(path);
    if (d == NULL)
        return;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        snprintf(path, sizeof(path), "%s/%s", root, sub);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk(root, sub);
        } else if (ends_with(de->d_name, ".json") && n_files < MAX_FILES) {
            files[n_files] = malloc(strlen(sub) + 1);
            if (files[n_files] != NULL)
                strcpy(files[n_files++], sub);
        }
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    char dir[1024];
    const char *env = getenv("IOTSEC_VERBOSE"), *only = getenv("IOTSEC_COSE_WG_ONLY");
    size_t i;

    verbose = env != NULL && *env != '\0' && strcmp(env, "0") != 0;
    snprintf(dir, sizeof(dir), "%s", test_shared_path("vectors/cose-wg-examples"));
    walk(dir, "");
    qsort(files, n_files, sizeof(files[0]), cmp_str);
    CHECK_MSG(n_files >= 300, "%s: found %zu vectors, expected the 306 of cose-wg/Examples", dir,
              n_files);
    for (i = 0; i < n_files; i++) {
        if (only == NULL || strstr(files[i], only) != NULL)
            run_vector(dir, files[i]);
        free(files[i]);
    }

    printf("cose-wg: %u vectors: %u passed (%u of them with an unsupported part), %u failed, %u "
           "unsupported; %u rebuilt byte for byte, %u not rebuilt; %u CEKs checked against "
           "intermediates\n",
           n_vectors, n_vec_passed, n_vec_partial, n_vec_failed, n_vec_unsupported, n_repro_done,
           n_repro_skipped, n_cek_checked);
    if (n_reasons != 0) {
        printf("unsupported, by reason:\n");
        for (i = 0; i < n_reasons; i++)
            printf("  %3u  %s\n", reasons[i].n, reasons[i].text);
    }
    return test_summary();
}
