/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec suit create | sign | sever | show | verify: the host side of SUIT
 * (draft-ietf-suit-manifest-34, -trust-domains, -firmware-encryption).
 *
 * create reads the JSON input format of the draft's reference generator
 * (suit-tool) and writes the commands that tool writes, in the same order,
 * so that the draft's Appendix B examples come out byte for byte from their
 * published JSON inputs. On top of that format it takes image files (digest
 * and size computed), vendor domains and class names turned into UUIDv5 as
 * the draft recommends, integrated payloads ("#name" URIs), severable
 * members, text, and payload encryption (draft-ietf-suit-firmware-encryption).
 *
 * Everything that hashes, signs, verifies or encrypts goes through the
 * library (iotsec/cose.h, iotsec/suit.h); this file only builds and reads
 * CBOR, and explains.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "crypto/crypto.h"
#include "iotsec/cose.h"
#include "iotsec/suit.h"
#include "iotsec/uuid.h"
#include "suit_host.h"

#define SUIT_MAX_KEYS 16        /* --key options */
#define SUIT_MAX_CHOICES 16     /* JSON components sharing one install-id */
#define SUIT_MAX_MEMBERS 16     /* --member options */

/* Reporting policies suit-tool writes (bits: 1 record-on-success,
 * 2 record-on-failure, 4 sysinfo-success, 8 sysinfo-failure). */
#define POLICY_CONDITION 15
#define POLICY_SLOT 5
#define POLICY_DIRECTIVE 2

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

struct name {
    int64_t id;
    const char *name;
};

static const struct name envelope_names[] = {
    {2, "authentication-wrapper"}, {3, "manifest"},
    {14, "coswid"},                {15, "dependency-resolution"},
    {16, "payload-fetch"},         {18, "candidate-verification"},
    {20, "install"},               {23, "text"},
};

static const struct name manifest_names[] = {
    {1, "manifest-version"},
    {2, "manifest-sequence-number"},
    {3, "common"},
    {4, "reference-uri"},
    {5, "manifest-component-id"},
    {6, "set-version"},
    {7, "validate"},
    {8, "load"},
    {9, "invoke"},
    {14, "coswid"},
    {15, "dependency-resolution"},
    {16, "payload-fetch"},
    {18, "candidate-verification"},
    {20, "install"},
    {23, "text"},
    {24, "uninstall"},
};

static const struct name common_names[] = {
    {1, "dependencies"},
    {2, "components"},
    {4, "shared-sequence"},
};

static const struct name command_names[] = {
    {1, "condition-vendor-identifier"},
    {2, "condition-class-identifier"},
    {3, "condition-image-match"},
    {4, "condition-use-before"},
    {5, "condition-component-slot"},
    {6, "condition-check-content"},
    {7, "condition-dependency-integrity"},
    {8, "condition-is-dependency"},
    {11, "directive-process-dependency"},
    {12, "directive-set-component-index"},
    {14, "condition-abort"},
    {15, "directive-try-each"},
    {18, "directive-write"},
    {19, "directive-set-parameters"},
    {20, "directive-override-parameters"},
    {21, "directive-fetch"},
    {22, "directive-copy"},
    {23, "directive-invoke"},
    {24, "condition-device-identifier"},
    {25, "condition-image-not-match"},
    {26, "condition-minimum-battery"},
    {27, "condition-update-authorized"},
    {28, "condition-version"},
    {29, "directive-wait"},
    {31, "directive-swap"},
    {32, "directive-run-sequence"},
    {33, "directive-unlink"},
    {34, "directive-override-multiple"},
    {35, "directive-copy-params"},
};

static const struct name param_names[] = {
    {1, "vendor-id"},
    {2, "class-id"},
    {3, "image-digest"},
    {4, "use-before"},
    {5, "component-slot"},
    {12, "strict-order"},
    {13, "soft-failure"},
    {14, "image-size"},
    {18, "content"},
    {19, "encryption-info"},
    {21, "uri"},
    {22, "source-component"},
    {23, "invoke-args"},
    {24, "device-id"},
    {25, "fetch-arguments"},
    {26, "minimum-battery"},
    {27, "update-priority"},
    {28, "version"},
    {29, "wait-info"},
    {30, "component-metadata"},
};

static const struct name text_names[] = {
    {1, "manifest-description"},
    {2, "update-description"},
    {3, "json-source"},
    {4, "yaml-source"},
};

static const struct name text_component_names[] = {
    {1, "vendor-name"},
    {2, "model-name"},
    {3, "vendor-domain"},
    {4, "model-info"},
    {5, "component-description"},
    {6, "component-version"},
    {7, "version-required"},
    {8, "current-version"},
};

/* SUIT_Digest algorithms (draft-ietf-suit-manifest 8.4.8.6, suit-tool spellings too) */
static const struct name digest_names[] = {
    {IOTSEC_ALG_SHA256, "sha-256"}, {IOTSEC_ALG_SHA384, "sha-384"},
    {IOTSEC_ALG_SHA512, "sha-512"}, {IOTSEC_ALG_SHAKE128, "shake128"},
    {IOTSEC_ALG_SHAKE256, "shake256"},
};

#define NAMES(t) t, sizeof(t) / sizeof(t[0])

static const char *name_of(const struct name *t, size_t n, int64_t id)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (t[i].id == id)
            return t[i].name;
    return NULL;
}

static bool id_of(const struct name *t, size_t n, const char *name, int64_t *id)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0) {
            *id = t[i].id;
            return true;
        }
    return false;
}

/* "name (id)", or "id (unknown)" */
static void put_named(struct cli_buf *t, const struct name *tab, size_t n, int64_t id)
{
    const char *s = name_of(tab, n, id);

    if (s != NULL)
        cli_buf_printf(t, "%s (%lld)", s, (long long)id);
    else
        cli_buf_printf(t, "%lld (unknown)", (long long)id);
}

static void indent(struct cli_buf *t, int depth)
{
    cli_buf_printf(t, "%*s", depth * 2, "");
}

/* ------------------------------------------------------------------ */
/* Building CBOR into growable buffers                                 */
/* ------------------------------------------------------------------ */

static void put_head(struct cli_buf *b, unsigned major, uint64_t v)
{
    uint8_t h[9];

    cli_buf_put(b, h, iotsec_cbor_head_encode(h, major, v));
}

static void put_uint(struct cli_buf *b, uint64_t v)
{
    put_head(b, 0, v);
}

static void put_int(struct cli_buf *b, int64_t v)
{
    if (v < 0)
        put_head(b, 1, (uint64_t)(-1 - v));
    else
        put_head(b, 0, (uint64_t)v);
}

static void put_bstr(struct cli_buf *b, const void *p, size_t n)
{
    put_head(b, 2, n);
    cli_buf_put(b, p, n);
}

static void put_tstr(struct cli_buf *b, const void *s, size_t n)
{
    put_head(b, 3, n);
    cli_buf_put(b, s, n);
}

static void put_buf(struct cli_buf *b, const struct cli_buf *c)
{
    cli_buf_put(b, c->p, c->len);
}

static void copy_buf(struct cli_buf *b, const void *p, size_t n)
{
    b->len = 0;
    cli_buf_put(b, p, n);
}

/* A map whose entries are sorted into deterministic order (RFC 8949
 * 4.2.1: bytewise lexicographic order of the encoded keys) when written. */
struct map_entry {
    struct cli_buf k, v;
};

struct mapb {
    struct map_entry *e;
    size_t n, cap;
};

static struct cli_buf *map_add_raw(struct mapb *m, const void *key, size_t key_len)
{
    struct map_entry *me;

    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 8;
        m->e = realloc(m->e, m->cap * sizeof(*m->e));
        if (m->e == NULL) {
            fputs("iotsec: out of memory\n", stderr);
            exit(CLI_IO);
        }
    }
    me = &m->e[m->n++];
    memset(me, 0, sizeof(*me));
    cli_buf_put(&me->k, key, key_len);
    return &me->v;
}

static struct cli_buf *map_add(struct mapb *m, int64_t key)
{
    struct cli_buf k = {0};
    struct cli_buf *v;

    put_int(&k, key);
    v = map_add_raw(m, k.p, k.len);
    cli_buf_free(&k);
    return v;
}

static bool map_has_raw(const struct mapb *m, const void *key, size_t key_len)
{
    size_t i;

    for (i = 0; i < m->n; i++)
        if (m->e[i].k.len == key_len && memcmp(m->e[i].k.p, key, key_len) == 0)
            return true;
    return false;
}

static int key_cmp(const void *a, const void *b)
{
    const struct map_entry *x = a, *y = b;
    size_t n = x->k.len < y->k.len ? x->k.len : y->k.len;
    int c = memcmp(x->k.p, y->k.p, n);

    if (c != 0)
        return c;
    return x->k.len < y->k.len ? -1 : x->k.len > y->k.len;
}

static void map_free(struct mapb *m)
{
    size_t i;

    for (i = 0; i < m->n; i++) {
        cli_buf_free(&m->e[i].k);
        cli_buf_free(&m->e[i].v);
    }
    free(m->e);
    memset(m, 0, sizeof(*m));
}

/* Write the map (sorted) to @p out and release it. */
static void map_finish(struct mapb *m, struct cli_buf *out)
{
    size_t i;

    if (m->n > 1)
        qsort(m->e, m->n, sizeof(*m->e), key_cmp);
    put_head(out, 5, m->n);
    for (i = 0; i < m->n; i++) {
        put_buf(out, &m->e[i].k);
        put_buf(out, &m->e[i].v);
    }
    map_free(m);
}

/* The encoded SUIT_Digest [alg, H(data)]. */
static int suit_digest(int32_t alg, const uint8_t *data, size_t len, struct cli_buf *out)
{
    uint8_t h[IOTSEC_MAX_HASH];
    size_t hl = 0;
    enum iotsec_err err = iotsec_crypto_hash(alg, data, len, h, sizeof(h), &hl);

    if (err != IOTSEC_OK)
        return cli_fail(cli_exit_for(err), "cannot hash with %s: %s",
                        name_of(NAMES(digest_names), alg) ? name_of(NAMES(digest_names), alg)
                                                          : "this algorithm",
                        iotsec_err_str(err));
    out->len = 0;
    put_head(out, 4, 2);
    put_int(out, alg);
    put_bstr(out, h, hl);
    return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* Reading CBOR                                                        */
/* ------------------------------------------------------------------ */

/* A cursor over the single item in @p p (strict validation). */
static bool dec_one(struct iotsec_cbor_dec *d, const uint8_t *p, size_t n)
{
    return iotsec_cbor_dec_init(d, p, n, 0, NULL) == IOTSEC_OK;
}

/* 'text' for printable ASCII byte strings, else h'hex' (both are EDN). */
static void put_bytes(struct cli_buf *t, const uint8_t *p, size_t n)
{
    size_t i;
    bool text = n != 0;

    for (i = 0; i < n && text; i++)
        text = p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\'' && p[i] != '\\';
    if (text) {
        cli_buf_printf(t, "'%.*s'", (int)n, (const char *)p);
    } else {
        cli_buf_puts(t, "h'");
        cli_hex_encode(t, p, n);
        cli_buf_puts(t, "'");
    }
}

/* A SUIT_Component_Identifier, [h'00'] or ['name'] */
static void put_component_id(struct cli_buf *t, const uint8_t *p, size_t n)
{
    struct iotsec_cbor_dec d, a;
    struct iotsec_cbuf s;
    size_t cnt, i;

    if (!dec_one(&d, p, n) || iotsec_cbor_enter_array(&d, &a, &cnt) != IOTSEC_OK ||
        cnt == IOTSEC_CBOR_INDEFINITE) {
        if (dec_one(&d, p, n))
            cli_put_diag(t, &d);
        return;
    }
    cli_buf_puts(t, "[");
    for (i = 0; i < cnt; i++) {
        if (i)
            cli_buf_puts(t, ", ");
        if (iotsec_cbor_get_bstr(&a, &s) == IOTSEC_OK)
            put_bytes(t, s.ptr, s.len);
        else
            cli_put_diag(t, &a);
    }
    cli_buf_puts(t, "]");
}

/* "sha-256 (-16) 0011..." for an encoded SUIT_Digest; false if it is none */
static bool put_digest(struct cli_buf *t, const uint8_t *p, size_t n)
{
    struct iotsec_cbor_dec d, a;
    struct iotsec_cbuf bytes;
    int64_t alg;
    size_t cnt;

    if (!dec_one(&d, p, n) || iotsec_cbor_enter_array(&d, &a, &cnt) != IOTSEC_OK ||
        (cnt != 2 && cnt != 3) || iotsec_cbor_get_int(&a, &alg) != IOTSEC_OK ||
        iotsec_cbor_get_bstr(&a, &bytes) != IOTSEC_OK)
        return false;
    put_named(t, NAMES(digest_names), alg);
    cli_buf_puts(t, " ");
    cli_hex_encode(t, bytes.ptr, bytes.len);
    return true;
}

/* ------------------------------------------------------------------ */
/* Envelopes                                                           */
/* ------------------------------------------------------------------ */

struct env_entry {
    struct iotsec_cbuf key, val; /* exact encodings */
    bool is_int;
    int64_t ikey;
    struct iotsec_cbuf text;     /* text key */
};

struct envelope {
    bool tagged;
    struct env_entry *e;
    size_t n;
    struct iotsec_cbuf auth, manifest, manifest_span; /* bstr contents; the manifest bstr item */
};

static void env_free(struct envelope *env)
{
    free(env->e);
    memset(env, 0, sizeof(*env));
}

static const struct env_entry *env_find(const struct envelope *env, int64_t key)
{
    size_t i;

    for (i = 0; i < env->n; i++)
        if (env->e[i].is_int && env->e[i].ikey == key)
            return &env->e[i];
    return NULL;
}

/* Split @p p into its entries; explain and return the exit status on failure. */
static int env_parse(const char *path, const uint8_t *p, size_t n, struct envelope *env)
{
    struct iotsec_cbor_dec d, m, v;
    size_t cnt, i, off = 0;
    enum iotsec_err err;
    const struct env_entry *a, *mf;

    memset(env, 0, sizeof(*env));
    if ((err = iotsec_cbor_dec_init(&d, p, n, 0, &off)) != IOTSEC_OK)
        return cli_fail(CLI_REJECT, "%s: not valid CBOR at byte %zu: %s", path, off,
                        iotsec_err_str(err));
    env->tagged = iotsec_cbor_skip_tag(&d, IOTSEC_SUIT_TAG_ENVELOPE);
    if (iotsec_cbor_enter_map(&d, &m, &cnt) != IOTSEC_OK)
        return cli_fail(CLI_REJECT, "%s: not a SUIT envelope (expected tag 107 and a map)", path);
    if (cnt == IOTSEC_CBOR_INDEFINITE)
        cnt = 64;
    env->e = calloc(cnt ? cnt : 1, sizeof(*env->e));
    if (env->e == NULL)
        return cli_fail(CLI_IO, "out of memory");
    for (i = 0; !iotsec_cbor_at_end(&m); i++) {
        struct env_entry *e;
        struct iotsec_cbor_dec k;
        if (i == cnt) {
            cnt *= 2;
            env->e = realloc(env->e, cnt * sizeof(*env->e));
            if (env->e == NULL)
                return cli_fail(CLI_IO, "out of memory");
        }
        e = &env->e[i];
        memset(e, 0, sizeof(*e));
        k = m;
        if (iotsec_cbor_get_span(&m, &e->key) != IOTSEC_OK ||
            iotsec_cbor_get_span(&m, &e->val) != IOTSEC_OK)
            return cli_fail(CLI_REJECT, "%s: truncated envelope map", path);
        if (iotsec_cbor_get_int(&k, &e->ikey) == IOTSEC_OK)
            e->is_int = true;
        else if (iotsec_cbor_get_tstr(&k, &e->text) != IOTSEC_OK)
            return cli_fail(CLI_REJECT, "%s: envelope key at byte %zu is neither an integer nor "
                                        "text", path, (size_t)(e->key.ptr - p));
        env->n++;
    }
    a = env_find(env, IOTSEC_SUIT_AUTHENTICATION);
    mf = env_find(env, IOTSEC_SUIT_MANIFEST);
    if (a == NULL || mf == NULL)
        return cli_fail(CLI_REJECT, "%s: not a SUIT envelope: %s missing", path,
                        a == NULL ? "authentication-wrapper (2) is" : "manifest (3) is");
    if (!dec_one(&v, a->val.ptr, a->val.len) || iotsec_cbor_get_bstr(&v, &env->auth) != IOTSEC_OK)
        return cli_fail(CLI_REJECT, "%s: authentication-wrapper (2) is not a byte string", path);
    if (!dec_one(&v, mf->val.ptr, mf->val.len) ||
        iotsec_cbor_get_bstr(&v, &env->manifest) != IOTSEC_OK)
        return cli_fail(CLI_REJECT, "%s: manifest (3) is not a byte string", path);
    env->manifest_span = mf->val;
    return CLI_OK;
}

/* The value of manifest key @p key (a one-item cursor); false if absent. */
static bool manifest_get(const struct envelope *env, int64_t key, struct iotsec_cbor_dec *v)
{
    struct iotsec_cbor_dec d, m;

    if (!dec_one(&d, env->manifest.ptr, env->manifest.len))
        return false;
    (void)iotsec_cbor_skip_tag(&d, IOTSEC_SUIT_TAG_MANIFEST);
    if (iotsec_cbor_enter_map(&d, &m, NULL) != IOTSEC_OK)
        return false;
    return iotsec_cbor_map_find_int(&m, key, v) == IOTSEC_OK;
}

/* Write the envelope: its entries in order, @p skip[i] left out, entry
 * @p replace_key (when >= 0) replaced by @p replacement (encoded value). */
static void env_write(const struct envelope *env, const bool *skip, int64_t replace_key,
                      const struct cli_buf *replacement, struct cli_buf *out)
{
    size_t i, n = 0;

    for (i = 0; i < env->n; i++)
        n += skip == NULL || !skip[i];
    out->len = 0;
    if (env->tagged)
        put_head(out, 6, IOTSEC_SUIT_TAG_ENVELOPE);
    put_head(out, 5, n);
    for (i = 0; i < env->n; i++) {
        const struct env_entry *e = &env->e[i];
        if (skip != NULL && skip[i])
            continue;
        cli_buf_put(out, e->key.ptr, e->key.len);
        if (e->is_int && e->ikey == replace_key)
            put_buf(out, replacement);
        else
            cli_buf_put(out, e->val.ptr, e->val.len);
    }
}

/* The authentication wrapper's digest and blocks. */
struct auth_info {
    struct iotsec_cbuf digest;   /* encoded SUIT_Digest */
    struct iotsec_cbuf blocks[32];
    size_t n_blocks;
    bool ok;
};

static bool auth_parse(const struct envelope *env, struct auth_info *ai)
{
    struct iotsec_cbor_dec d, a;
    size_t cnt;

    memset(ai, 0, sizeof(*ai));
    if (!dec_one(&d, env->auth.ptr, env->auth.len) ||
        iotsec_cbor_enter_array(&d, &a, &cnt) != IOTSEC_OK ||
        iotsec_cbor_get_bstr(&a, &ai->digest) != IOTSEC_OK)
        return false;
    while (!iotsec_cbor_at_end(&a)) {
        if (ai->n_blocks == sizeof(ai->blocks) / sizeof(ai->blocks[0]) ||
            iotsec_cbor_get_bstr(&a, &ai->blocks[ai->n_blocks]) != IOTSEC_OK)
            return false;
        ai->n_blocks++;
    }
    ai->ok = true;
    return true;
}

/* Does the encoded SUIT_Digest @p digest match @p data? 1 yes, 0 no, -1 cannot tell. */
static int digest_matches(struct iotsec_cbuf digest, struct iotsec_cbuf data)
{
    struct iotsec_cbor_dec d, a;
    struct iotsec_cbuf want;
    uint8_t h[IOTSEC_MAX_HASH];
    size_t hl = 0, cnt;
    int64_t alg;

    if (!dec_one(&d, digest.ptr, digest.len) ||
        iotsec_cbor_enter_array(&d, &a, &cnt) != IOTSEC_OK ||
        iotsec_cbor_get_int(&a, &alg) != IOTSEC_OK ||
        iotsec_cbor_get_bstr(&a, &want) != IOTSEC_OK ||
        !iotsec_suit_digest_alg(alg) ||
        iotsec_crypto_hash((int32_t)alg, data.ptr, data.len, h, sizeof(h), &hl) != IOTSEC_OK)
        return -1;
    return hl == want.len && memcmp(h, want.ptr, hl) == 0;
}

/* Severable members: manifest key, name. */
static const int64_t severable_keys[] = {14, 15, 16, 18, 20, 23};

/* State of severable member @p key: 0 absent from the manifest, 1 held in
 * the manifest (not severable), 2 digest in the manifest and member present
 * and matching, 3 present but not matching, 4 severed. */
enum member_state { M_ABSENT, M_INLINE, M_PRESENT, M_MISMATCH, M_SEVERED };

static enum member_state member_state(const struct envelope *env, int64_t key,
                                      struct iotsec_cbuf *member)
{
    struct iotsec_cbor_dec v;
    struct iotsec_cbuf digest, bytes;
    const struct env_entry *e;

    if (member != NULL)
        member->ptr = NULL, member->len = 0;
    if (!manifest_get(env, key, &v))
        return M_ABSENT;
    if (iotsec_cbor_peek_type(&v) == IOTSEC_CBOR_BSTR) {
        if (member != NULL)
            (void)iotsec_cbor_get_bstr(&v, member);
        return M_INLINE;
    }
    if (iotsec_cbor_get_span(&v, &digest) != IOTSEC_OK)
        return M_ABSENT;
    if ((e = env_find(env, key)) == NULL)
        return M_SEVERED;
    if (member != NULL && dec_one(&v, e->val.ptr, e->val.len) &&
        iotsec_cbor_get_bstr(&v, &bytes) == IOTSEC_OK)
        *member = bytes;
    return digest_matches(digest, e->val) == 1 ? M_PRESENT : M_MISMATCH;
}

/* ------------------------------------------------------------------ */
/* Keys and authentication blocks                                      */
/* ------------------------------------------------------------------ */

static bool is_mac_alg(int32_t a)
{
    return a >= IOTSEC_ALG_HMAC256_64 && a <= IOTSEC_ALG_HMAC512;
}

/*
 * The algorithm of the block key @p k makes: its COSE_Key alg, else --alg
 * when it fits the key's kind, else the default: ESP256 for P-256 (the
 * fully specified id the SUIT MTI profiles name), ESP384/ESP512 for P-384/
 * P-521, EdDSA for Ed25519/Ed448, HMAC 256/256 for a symmetric key.
 */
static int pick_block_alg(const char *cmd, const struct cli_key *k, const char *path,
                          int32_t override, int32_t *alg)
{
    const struct iotsec_key *key = &k->key;
    bool sym = key->kty == IOTSEC_KTY_SYMMETRIC;
    int32_t want = 0;

    if (override != 0 && is_mac_alg(override) == sym)
        want = override;
    if (key->alg != 0) {
        if (want != 0 && want != key->alg)
            return cli_usage_error(cmd, "%s is bound to %s (its COSE_Key alg) and may not be "
                                        "used with %s", path,
                                   cli_alg_name_or(key->alg, "another algorithm"),
                                   cli_alg_name_or(want, "that algorithm"));
        want = key->alg;
    }
    if (want == 0)
        want = sym ? IOTSEC_ALG_HMAC256 : cli_sig_alg_for_key(key, true);
    if (want == 0)
        return cli_usage_error(cmd, "%s is a %s key, which can neither sign nor MAC", path,
                               cli_crv_name(key->crv));
    if (sym ? !is_mac_alg(want) : !cli_sig_alg_fits(want, key))
        return cli_usage_error(cmd, "%s does not fit %s (a %s key)",
                               cli_alg_name_or(want, "the algorithm"), path,
                               sym ? "symmetric" : cli_crv_name(key->crv));
    if (!key->has_private)
        return cli_usage_error(cmd, "%s holds only a public key; signing needs the private key",
                               path);
    *alg = want;
    return CLI_OK;
}

/* One COSE_Sign1 or COSE_Mac0 over the encoded SUIT_Digest (detached). */
static int make_block(const char *cmd, const struct cli_key *k, const char *path,
                      int32_t override, struct iotsec_cbuf digest, struct cli_buf *block)
{
    struct cli_buf out = {0}, scratch = {0};
    struct cli_hdr hdr = {{0}, {0}};
    struct iotsec_cose_opts o;
    struct iotsec_cbuf msg = {NULL, 0};
    struct iotsec_cose_hdr_in h;
    struct iotsec_buf ob;
    enum iotsec_err err;
    int32_t alg = 0;
    int rc;

    if ((rc = pick_block_alg(cmd, k, path, override, &alg)) != CLI_OK)
        return rc;
    cli_hdr_build(&hdr, alg, true, cli_key_kid(k));
    h = cli_hdr_in(&hdr);
    cli_buf_reserve(&out, 1024 + k->kid.len);
    cli_buf_reserve(&scratch, 4096 + digest.len);
    memset(&o, 0, sizeof(o));
    o.detach = true; /* the payload, the encoded SUIT_Digest, travels beside the block */
    o.scratch.ptr = scratch.p;
    o.scratch.len = scratch.cap;
    ob.ptr = out.p;
    ob.len = out.cap;
    if (is_mac_alg(alg))
        err = iotsec_cose_mac0(ob, &msg, &h, &k->key, digest, &o);
    else {
        struct iotsec_cose_signer_in s;
        s.hdr = h;
        s.key = &k->key;
        err = iotsec_cose_sign1(ob, &msg, &s, digest, &o);
    }
    if (err != IOTSEC_OK)
        rc = cli_fail(cli_exit_for(err), "cannot %s with %s: %s", is_mac_alg(alg) ? "MAC" : "sign",
                      path, iotsec_err_str(err));
    else
        copy_buf(block, msg.ptr, msg.len);
    cli_hdr_free(&hdr);
    cli_buf_free(&out);
    cli_buf_free(&scratch);
    return rc;
}

/*
 * Sign @p env (parsed from @p in) with @p keys: recompute the SUIT_Digest
 * over the bstr-wrapped manifest, keep the existing blocks when they cover
 * that same digest, append one block per key, and write the envelope to
 * @p out.
 */
static int sign_envelope(const char *cmd, const char *path, const struct envelope *env,
                         const char *const *key_paths, size_t n_keys, int32_t override,
                         struct cli_buf *out)
{
    struct auth_info ai;
    struct cli_keyset kr = {0};
    struct cli_buf digest = {0}, auth = {0}, wrapped = {0}, block = {0};
    struct iotsec_cbor_dec d, a;
    int32_t dalg = IOTSEC_ALG_SHA256;
    size_t i, keep = 0;
    int64_t v;
    int rc;

    if (!auth_parse(env, &ai))
        return cli_fail(CLI_REJECT, "%s: the authentication wrapper is not [bstr digest, * bstr "
                                    "block]", path);
    /* keep the envelope's digest algorithm when iotsec can compute it */
    if (dec_one(&d, ai.digest.ptr, ai.digest.len) &&
        iotsec_cbor_enter_array(&d, &a, NULL) == IOTSEC_OK &&
        iotsec_cbor_get_int(&a, &v) == IOTSEC_OK &&
        iotsec_suit_digest_alg(v))
        dalg = (int32_t)v;
    if ((rc = suit_digest(dalg, env->manifest_span.ptr, env->manifest_span.len, &digest)) !=
        CLI_OK)
        return rc;
    if (digest.len == ai.digest.len && memcmp(digest.p, ai.digest.ptr, digest.len) == 0)
        keep = ai.n_blocks;
    else if (ai.n_blocks != 0)
        fprintf(stderr, "iotsec: note: %s: the manifest no longer matches the wrapper's digest; "
                        "its %zu old authentication block%s dropped\n",
                path, ai.n_blocks, ai.n_blocks == 1 ? " is" : "s are");

    if ((rc = cli_keyset_load(key_paths, n_keys, &kr)) != CLI_OK)
        goto out;
    put_head(&auth, 4, 1 + keep + n_keys);
    put_bstr(&auth, digest.p, digest.len);
    for (i = 0; i < keep; i++)
        put_bstr(&auth, ai.blocks[i].ptr, ai.blocks[i].len);
    for (i = 0; i < n_keys; i++) {
        if ((rc = make_block(cmd, &kr.k[i], key_paths[i], override, cli_cbuf(&digest), &block)) !=
            CLI_OK)
            goto out;
        put_bstr(&auth, block.p, block.len);
    }
    put_bstr(&wrapped, auth.p, auth.len);
    env_write(env, NULL, IOTSEC_SUIT_AUTHENTICATION, &wrapped, out);
out:
    cli_keyset_free(&kr);
    cli_buf_free(&digest);
    cli_buf_free(&auth);
    cli_buf_free(&wrapped);
    cli_buf_free(&block);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Option scanning                                                     */
/* ------------------------------------------------------------------ */

struct suit_args {
    const char *in, *out, *alg, *encrypt_key, *encrypt_alg, *encrypt_kid, *compat;
    const char *keys[SUIT_MAX_KEYS];
    size_t n_keys;
    const char *members[SUIT_MAX_MEMBERS];
    size_t n_members;
    bool diag;
};

enum {
    A_KEY = 1u << 0,
    A_ALG = 1u << 1,
    A_OUT = 1u << 2,
    A_MEMBER = 1u << 3,
    A_DIAG = 1u << 4,
    A_ENCRYPT = 1u << 5,
    A_COMPAT = 1u << 6
};

/* Returns CLI_OK, an exit status, or -1 after printing --help. */
static int parse_args(const char *cmd, const char *help, unsigned allowed, int argc, char **argv,
                      struct suit_args *a)
{
    int i, r;

    memset(a, 0, sizeof(*a));
    for (i = 1; i < argc; i++) {
        /* options of one value: given again, the last one counts */
        const struct {
            const char *name;
            unsigned flag;
            const char **slot;
        } vopts[] = {
            {"--alg", A_ALG, &a->alg},
            {"-o", A_OUT, &a->out},
            {"--output", A_OUT, &a->out},
            {"--encrypt-key", A_ENCRYPT, &a->encrypt_key},
            {"--encrypt-alg", A_ENCRYPT, &a->encrypt_alg},
            {"--encrypt-kid", A_ENCRYPT, &a->encrypt_kid},
            {"--compat", A_COMPAT, &a->compat},
        };
        /* repeatable options */
        const struct {
            const char *name;
            unsigned flag;
            const char **list;
            size_t *n, max;
        } lopts[] = {
            {"--key", A_KEY, a->keys, &a->n_keys, SUIT_MAX_KEYS},
            {"--member", A_MEMBER, a->members, &a->n_members, SUIT_MAX_MEMBERS},
        };
        const char *arg = argv[i], *v = NULL;
        size_t j;

        if (cli_help(arg, help))
            return -1;
        for (j = 0, r = 0; j < sizeof(vopts) / sizeof(vopts[0]) && r == 0; j++)
            if ((allowed & vopts[j].flag) && (r = cli_opt(argc, argv, &i, vopts[j].name, &v)) > 0)
                *vopts[j].slot = v;
        for (j = 0; j < sizeof(lopts) / sizeof(lopts[0]) && r == 0; j++) {
            if (!(allowed & lopts[j].flag) ||
                (r = cli_opt(argc, argv, &i, lopts[j].name, &v)) <= 0)
                continue;
            if (*lopts[j].n == lopts[j].max)
                return cli_usage_error(cmd, "at most %zu %s options", lopts[j].max,
                                       lopts[j].name);
            lopts[j].list[(*lopts[j].n)++] = v;
        }
        if (r < 0)
            return CLI_USAGE;
        if (r > 0)
            continue;
        if ((allowed & A_DIAG) && strcmp(arg, "--diag") == 0)
            a->diag = true;
        else if (arg[0] == '-' && arg[1] != '\0')
            return cli_usage_error(cmd, "unknown option '%s'", arg);
        else if (a->in == NULL)
            a->in = arg;
        else
            return cli_usage_error(cmd, "one input file only ('%s' is extra)", arg);
    }
    if (a->in == NULL)
        return cli_usage_error(cmd, "name the input file (or '-' for standard input)");
    return CLI_OK;
}

static int parse_alg_opt(const char *cmd, const char *s, int32_t *id)
{
    const struct cli_alg *a = cli_alg_by_name(s);

    if (a == NULL)
        return cli_fail(CLI_UNSUPPORTED, "unknown or unsupported algorithm '%s'", s);
    if (!is_mac_alg(a->id) && !cli_is_sig_alg(a->id))
        return cli_usage_error(cmd, "%s is neither a signature nor a MAC algorithm", s);
    *id = a->id;
    return CLI_OK;
}

static int read_envelope(const char *path, struct cli_buf *in, struct envelope *env)
{
    int rc = cli_read(path, in);

    if (rc != CLI_OK)
        return rc;
    return env_parse(strcmp(path, "-") == 0 ? "standard input" : path, in->p, in->len, env);
}

/* ------------------------------------------------------------------ */
/* create: reading the JSON description                                */
/* ------------------------------------------------------------------ */

static const char create_help[] =
    "Usage: iotsec suit create INPUT.json [-o ENVELOPE] [--key KEY ...] [--alg ALG]\n"
    "                          [--encrypt-key KEY [--encrypt-alg ALG] [--encrypt-kid KID]]\n"
    "                          [--compat suit-tool]\n"
    "\n"
    "Build a SUIT envelope from a JSON description in the input format of the\n"
    "draft's reference generator (suit-tool):\n"
    "  {\"manifest-version\": 1, \"manifest-sequence-number\": N,\n"
    "   \"components\": [{...}, ...], \"severable\": true, \"reference-uri\": \"...\",\n"
    "   \"description\": {\"en-US\": {\"manifest-description\": \"...\"}}}\n"
    "Each component takes install-id (a list of hex, base64 or text strings, or\n"
    "{\"hex\"|\"base64\"|\"text\": ...} objects), vendor-id and class-id (UUIDs) or\n"
    "vendor-domain and class-name (UUIDv5 as the draft recommends), install-digest\n"
    "{\"algorithm-id\": \"sha256\", \"digest-bytes\": HEX} and install-size, or file\n"
    "(an image whose digest and size are computed; paths are relative to the\n"
    "JSON file), uri (\"#name\" carries the file in the envelope), bootable,\n"
    "loadable with load-id/load-digest/load-size, download-id with\n"
    "install-on-download false, slot, and description {LANG: {...}}.\n"
    "\n"
    "The commands follow suit-tool: the shared sequence sets and checks vendor,\n"
    "class, digest and size; install fetches (or payload-fetch fetches into the\n"
    "download component and install copies); validate matches each image; load\n"
    "copies loadable ones; invoke runs the one bootable component. Components\n"
    "that share an install-id in different slots become try-each branches.\n"
    "With \"severable\" (true or a list of names) install, payload-fetch and\n"
    "dependency-resolution become digests in the manifest and members of the\n"
    "envelope; text is always severable.\n"
    "\n"
    "Options:\n"
    "  -o ENVELOPE         output (default: standard output)\n"
    "  --key KEY           sign (private key) or MAC (symmetric key) as 'suit sign'\n"
    "  --alg ALG           signature algorithm (default ESP256 for P-256 keys)\n"
    "  --encrypt-key KEY   encrypt every image with a fresh content key, wrapped\n"
    "                      for KEY: a 16/24/32-byte key-encryption key (A128KW..)\n"
    "                      or the recipient's EC public key (ECDH-ES+A128KW). An\n"
    "                      encrypted component needs download-id: the ciphertext\n"
    "                      is fetched there and decrypted by copy into install-id\n"
    "                      (draft-ietf-suit-firmware-encryption). Remote ciphertext\n"
    "                      goes to the component's \"encrypted-file\", else to\n"
    "                      ENVELOPE.N.enc\n"
    "  --encrypt-alg ALG   A128GCM (default), A192GCM, A256GCM, A128CTR, A192CTR,\n"
    "                      A256CTR\n"
    "  --encrypt-kid KID   kid for the recipient (default: the COSE_Key kid)\n"
    "  --compat suit-tool  read component text as suit-tool does (it drops\n"
    "                      model-info and component-version) and ignore\n"
    "                      include-json, to reproduce its output byte for byte\n";

/* Everything create knows about one JSON component. */
struct comp {
    struct cli_buf install_id, download_id, load_id; /* encoded SUIT_Component_Identifier */
    bool has_download_id, has_load_id;
    size_t install_idx, download_idx, load_idx;       /* in common.components */
    bool has_vendor, has_class;
    uint8_t vendor[16], klass[16];
    struct cli_buf install_digest, download_digest, load_digest; /* encoded SUIT_Digest */
    uint64_t install_size, load_size;
    bool has_install_size, has_load_size;
    struct cli_buf uri;
    bool has_uri;
    bool bootable, loadable, install_on_download, has_slot;
    uint64_t slot;
    struct cli_buf image;        /* the file's bytes */
    bool has_file;
    bool encrypt;
    const char *encrypted_file;  /* points into the JSON CBOR buffer's copy */
    struct cli_buf encrypted_file_buf;
    struct cli_buf enc_info, ciphertext, ct_digest; /* when encrypted */
    struct iotsec_cbor_dec desc; /* "description" object */
    bool has_desc;
    char where[48];              /* "components[0]" for messages */
};

struct create_ctx {
    const char *input;       /* for messages */
    const char *base_dir;    /* relative paths in the JSON start here */
    bool compat;             /* --compat suit-tool */
    struct cli_buf json_text;
    struct cli_buf cbor;     /* the JSON as CBOR */
    struct iotsec_cbor_dec root;
    struct comp *c;
    size_t nc;
    struct cli_buf *ids;     /* distinct component identifiers, in order */
    size_t nids;
    int32_t digest_alg;
};

static bool jget(const struct iotsec_cbor_dec *obj, const char *key, struct iotsec_cbor_dec *v)
{
    return iotsec_cbor_map_find_tstr(obj, key, strlen(key), v) == IOTSEC_OK;
}

static int jbad(const struct create_ctx *cx, const char *where, const char *key, const char *want)
{
    return cli_fail(CLI_REJECT, "%s: %s%s%s: expected %s", cx->input, where, *where ? "." : "",
                    key, want);
}

/* Warn about keys this tool does not know (a typo would otherwise pass silently). */
static void jcheck_keys(const struct create_ctx *cx, const struct iotsec_cbor_dec *obj,
                        const char *where, const char *const *known)
{
    struct iotsec_cbor_dec m = *obj;
    struct iotsec_cbuf k;
    size_t i;

    while (iotsec_cbor_get_tstr(&m, &k) == IOTSEC_OK) {
        bool ok = false;
        for (i = 0; known[i] != NULL && !ok; i++)
            ok = strlen(known[i]) == k.len && memcmp(known[i], k.ptr, k.len) == 0;
        if (!ok)
            fprintf(stderr, "iotsec: note: %s: %s%signores unknown key \"%.*s\"\n", cx->input,
                    where, *where ? ": " : "", (int)k.len, (const char *)k.ptr);
        (void)iotsec_cbor_skip(&m);
    }
}

/* A JSON string as a NUL-terminated copy in @p out. */
static int jstr(const struct create_ctx *cx, const struct iotsec_cbor_dec *obj, const char *where,
                const char *key, struct cli_buf *out, bool *found)
{
    struct iotsec_cbor_dec v;
    struct iotsec_cbuf s;

    *found = false;
    if (!jget(obj, key, &v))
        return CLI_OK;
    if (iotsec_cbor_get_tstr(&v, &s) != IOTSEC_OK)
        return jbad(cx, where, key, "a string");
    copy_buf(out, s.ptr, s.len);
    *found = true;
    return CLI_OK;
}

static int juint(const struct create_ctx *cx, const struct iotsec_cbor_dec *obj, const char *where,
                 const char *key, uint64_t *out, bool *found)
{
    struct iotsec_cbor_dec v;

    *found = false;
    if (!jget(obj, key, &v))
        return CLI_OK;
    if (iotsec_cbor_get_uint(&v, out) != IOTSEC_OK)
        return jbad(cx, where, key, "a non-negative integer");
    *found = true;
    return CLI_OK;
}

static int jbool(const struct create_ctx *cx, const struct iotsec_cbor_dec *obj, const char *where,
                 const char *key, bool *out)
{
    struct iotsec_cbor_dec v;

    if (!jget(obj, key, &v))
        return CLI_OK;
    if (iotsec_cbor_get_bool(&v, out) != IOTSEC_OK)
        return jbad(cx, where, key, "true or false");
    return CLI_OK;
}

static bool is_hex(const uint8_t *p, size_t n)
{
    size_t i;

    if (n == 0 || n % 2 != 0)
        return false;
    for (i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f') ||
              (p[i] >= 'A' && p[i] <= 'F')))
            return false;
    return true;
}

/* Standard base64 with padding (RFC 4648 section 4). */
static bool b64_decode(const uint8_t *p, size_t n, struct cli_buf *out)
{
    static const char alpha[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t i, pad = 0;

    if (n == 0 || n % 4 != 0)
        return false;
    while (pad < 2 && p[n - 1 - pad] == '=')
        pad++;
    out->len = 0;
    for (i = 0; i < n - pad; i++) {
        const char *q = p[i] ? strchr(alpha, p[i]) : NULL;
        if (q == NULL)
            return false;
        acc = acc << 6 | (uint32_t)(q - alpha);
        bits += 6;
        if (bits >= 8) {
            uint8_t b = (uint8_t)(acc >> (bits - 8));
            cli_buf_put(out, &b, 1);
            bits -= 8;
        }
    }
    return true;
}

/* suit-tool's byte-string rule: hex, else base64, else the UTF-8 text;
 * or explicit {"hex": ...}, {"base64": ...}, {"text": ...}. */
static int jbytes(const struct create_ctx *cx, struct iotsec_cbor_dec *v, const char *where,
                  const char *key, struct cli_buf *out)
{
    struct iotsec_cbor_dec m, x;
    struct iotsec_cbuf s;
    struct cli_buf tmp = {0};

    out->len = 0;
    if (iotsec_cbor_get_tstr(v, &s) == IOTSEC_OK) {
        char *z = calloc(1, s.len + 1);
        bool ok;
        if (z == NULL)
            return cli_fail(CLI_IO, "out of memory");
        memcpy(z, s.ptr, s.len);
        ok = is_hex(s.ptr, s.len) && cli_hex_decode(z, out);
        free(z);
        if (ok)
            return CLI_OK;
        if (b64_decode(s.ptr, s.len, out))
            return CLI_OK;
        copy_buf(out, s.ptr, s.len);
        return CLI_OK;
    }
    if (iotsec_cbor_enter_map(v, &m, NULL) != IOTSEC_OK)
        return jbad(cx, where, key, "a string (hex, base64 or text) or {\"hex\"|\"base64\"|"
                                    "\"text\": string}");
    if (jget(&m, "hex", &x) && iotsec_cbor_get_tstr(&x, &s) == IOTSEC_OK) {
        copy_buf(&tmp, s.ptr, s.len);
        if (!cli_hex_decode((const char *)tmp.p, out) || s.len % 2 != 0) {
            cli_buf_free(&tmp);
            return jbad(cx, where, key, "hex digits");
        }
    } else if (jget(&m, "base64", &x) && iotsec_cbor_get_tstr(&x, &s) == IOTSEC_OK) {
        if (!b64_decode(s.ptr, s.len, out))
            return jbad(cx, where, key, "base64");
    } else if (jget(&m, "text", &x) && iotsec_cbor_get_tstr(&x, &s) == IOTSEC_OK) {
        copy_buf(out, s.ptr, s.len);
    } else {
        return jbad(cx, where, key, "{\"hex\"|\"base64\"|\"text\": string}");
    }
    cli_buf_free(&tmp);
    iotsec_cbor_skip_rest(&m);
    return CLI_OK;
}

/* A component identifier: a JSON list of byte strings, encoded as CBOR. */
static int jcomponent_id(const struct create_ctx *cx, const struct iotsec_cbor_dec *obj,
                         const char *where, const char *key, struct cli_buf *out, bool *found)
{
    struct iotsec_cbor_dec v, a;
    struct cli_buf b = {0};
    size_t n, i;
    int rc = CLI_OK;

    *found = false;
    if (!jget(obj, key, &v))
        return CLI_OK;
    if (iotsec_cbor_enter_array(&v, &a, &n) != IOTSEC_OK || n == 0)
        return jbad(cx, where, key, "a non-empty list of strings");
    out->len = 0;
    put_head(out, 4, n);
    for (i = 0; i < n && rc == CLI_OK; i++)
        if ((rc = jbytes(cx, &a, where, key, &b)) == CLI_OK)
            put_bstr(out, b.p, b.len);
    cli_buf_free(&b);
    *found = rc == CLI_OK;
    return rc;
}

static bool digest_alg_by_name(const uint8_t *p, size_t n, int32_t *alg)
{
    static const struct {
        const char *name;
        int32_t alg;
    } t[] = {{"sha256", IOTSEC_ALG_SHA256}, {"sha-256", IOTSEC_ALG_SHA256},
             {"sha384", IOTSEC_ALG_SHA384}, {"sha-384", IOTSEC_ALG_SHA384},
             {"sha512", IOTSEC_ALG_SHA512}, {"sha-512", IOTSEC_ALG_SHA512},
             {"shake128", IOTSEC_ALG_SHAKE128}, {"shake256", IOTSEC_ALG_SHAKE256}};
    size_t i;

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (strlen(t[i].name) == n && strncasecmp(t[i].name, (const char *)p, n) == 0) {
            *alg = t[i].alg;
            return true;
        }
    return false;
}

/* A SUIT_Digest {"algorithm-id": "sha256", "digest-bytes": "..."}. */
static int jdigest(const struct create_ctx *cx, const struct iotsec_cbor_dec *obj,
                   const char *where, const char *key, struct cli_buf *out, bool *found)
{
    struct iotsec_cbor_dec v, m, x;
    struct iotsec_cbuf s;
    struct cli_buf bytes = {0};
    int32_t alg = IOTSEC_ALG_SHA256;
    int rc;

    *found = false;
    if (!jget(obj, key, &v))
        return CLI_OK;
    if (iotsec_cbor_enter_map(&v, &m, NULL) != IOTSEC_OK)
        return jbad(cx, where, key, "{\"algorithm-id\": \"sha256\", \"digest-bytes\": HEX}");
    if (jget(&m, "algorithm-id", &x)) {
        int64_t id;
        if (iotsec_cbor_get_int(&x, &id) == IOTSEC_OK &&
            iotsec_suit_digest_alg(id))
            alg = (int32_t)id;
        else if (iotsec_cbor_get_tstr(&x, &s) != IOTSEC_OK ||
                 !digest_alg_by_name(s.ptr, s.len, &alg))
            return cli_fail(CLI_UNSUPPORTED, "%s: %s.%s.algorithm-id: sha256, sha384 or sha512 "
                                             "(or -16, -43, -44) expected", cx->input, where,
                            key);
    }
    if (!jget(&m, "digest-bytes", &x))
        return jbad(cx, where, key, "a digest-bytes member");
    if ((rc = jbytes(cx, &x, where, "digest-bytes", &bytes)) != CLI_OK)
        return rc;
    if (bytes.len != iotsec_crypto_hash_len(alg)) {
        rc = cli_fail(CLI_REJECT, "%s: %s.%s: %zu digest bytes, but %s has %zu", cx->input, where,
                      key, bytes.len, name_of(NAMES(digest_names), alg),
                      iotsec_crypto_hash_len(alg));
        cli_buf_free(&bytes);
        return rc;
    }
    out->len = 0;
    put_head(out, 4, 2);
    put_int(out, alg);
    put_bstr(out, bytes.p, bytes.len);
    cli_buf_free(&bytes);
    iotsec_cbor_skip_rest(&m);
    *found = true;
    return CLI_OK;
}

static int juuid(const struct create_ctx *cx, const struct iotsec_cbor_dec *obj, const char *where,
                 const char *key, uint8_t out[16], bool *found)
{
    struct cli_buf s = {0};
    int rc = jstr(cx, obj, where, key, &s, found);

    if (rc == CLI_OK && *found && !iotsec_uuid_parse((const char *)s.p, out))
        rc = jbad(cx, where, key, "a UUID such as fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe");
    cli_buf_free(&s);
    return rc;
}

/* Read a file named in the JSON, relative to the JSON's directory. */
static int read_rel(const struct create_ctx *cx, const char *name, struct cli_buf *out)
{
    struct cli_buf path = {0};
    int rc;

    if (name[0] != '/' && cx->base_dir != NULL) {
        cli_buf_printf(&path, "%s/%s", cx->base_dir, name);
        rc = cli_read((const char *)path.p, out);
    } else {
        rc = cli_read(name, out);
    }
    cli_buf_free(&path);
    return rc;
}

static const char *const manifest_keys[] = {
    "manifest-version", "manifest-sequence-number", "components", "severable", "reference-uri",
    "description", "include-json", "digest-algorithm", "manifest-component-id", NULL};

static const char *const component_keys[] = {
    "install-id", "download-id", "load-id", "install-digest", "install-size", "download-digest",
    "load-digest", "load-size", "vendor-id", "class-id", "vendor-domain", "class-name",
    "class-info", "file", "uri", "bootable", "loadable", "install-on-download", "slot",
    "description", "encrypt", "encrypted-file", NULL};

/* Read component @p i (the object under cursor @p obj) into cx->c[i]. */
static int read_component(struct create_ctx *cx, size_t i, const struct iotsec_cbor_dec *obj)
{
    struct comp *c = &cx->c[i];
    struct cli_buf s = {0};
    bool f, has_digest, has_domain, has_cname;
    uint8_t u[16];
    int rc;

    snprintf(c->where, sizeof(c->where), "components[%zu]", i);
    jcheck_keys(cx, obj, c->where, component_keys);
    c->install_on_download = true;
    c->encrypt = true;
    if ((rc = jcomponent_id(cx, obj, c->where, "install-id", &c->install_id, &f)) != CLI_OK)
        return rc;
    if (!f)
        return cli_fail(CLI_REJECT, "%s: %s: install-id is required", cx->input, c->where);
    if ((rc = jcomponent_id(cx, obj, c->where, "download-id", &c->download_id,
                            &c->has_download_id)) != CLI_OK ||
        (rc = jcomponent_id(cx, obj, c->where, "load-id", &c->load_id, &c->has_load_id)) !=
            CLI_OK ||
        (rc = jdigest(cx, obj, c->where, "install-digest", &c->install_digest, &has_digest)) !=
            CLI_OK ||
        (rc = jdigest(cx, obj, c->where, "download-digest", &c->download_digest, &f)) != CLI_OK ||
        (rc = jdigest(cx, obj, c->where, "load-digest", &c->load_digest, &f)) != CLI_OK ||
        (rc = juint(cx, obj, c->where, "install-size", &c->install_size,
                    &c->has_install_size)) != CLI_OK ||
        (rc = juint(cx, obj, c->where, "load-size", &c->load_size, &c->has_load_size)) !=
            CLI_OK ||
        (rc = juint(cx, obj, c->where, "slot", &c->slot, &c->has_slot)) != CLI_OK ||
        (rc = jbool(cx, obj, c->where, "bootable", &c->bootable)) != CLI_OK ||
        (rc = jbool(cx, obj, c->where, "loadable", &c->loadable)) != CLI_OK ||
        (rc = jbool(cx, obj, c->where, "install-on-download", &c->install_on_download)) !=
            CLI_OK ||
        (rc = jbool(cx, obj, c->where, "encrypt", &c->encrypt)) != CLI_OK ||
        (rc = jstr(cx, obj, c->where, "uri", &c->uri, &c->has_uri)) != CLI_OK ||
        (rc = jstr(cx, obj, c->where, "encrypted-file", &c->encrypted_file_buf, &f)) != CLI_OK)
        goto out;
    if (f)
        c->encrypted_file = (const char *)c->encrypted_file_buf.p;

    /* vendor and class: UUIDs, or derived as draft-ietf-suit-manifest recommends */
    if ((rc = juuid(cx, obj, c->where, "vendor-id", c->vendor, &c->has_vendor)) != CLI_OK ||
        (rc = juuid(cx, obj, c->where, "class-id", c->klass, &c->has_class)) != CLI_OK ||
        (rc = jstr(cx, obj, c->where, "vendor-domain", &s, &has_domain)) != CLI_OK)
        goto out;
    if (has_domain) {
        /* vendor-id = UUIDv5(DNS name space, vendor domain name) */
        iotsec_uuid_v5(u, IOTSEC_UUID_NS_DNS, s.p, s.len);
        if (c->has_vendor && memcmp(u, c->vendor, 16) != 0) {
            rc = cli_fail(CLI_REJECT, "%s: %s: vendor-id is not UUIDv5(DNS, \"%s\")", cx->input,
                          c->where, (const char *)s.p);
            goto out;
        }
        memcpy(c->vendor, u, 16);
        c->has_vendor = true;
    }
    if ((rc = jstr(cx, obj, c->where, "class-name", &s, &has_cname)) != CLI_OK ||
        (!has_cname && (rc = jstr(cx, obj, c->where, "class-info", &s, &has_cname)) != CLI_OK))
        goto out;
    if (has_cname) {
        /* class-id = UUIDv5(vendor-id, class-specific information) */
        if (!c->has_vendor) {
            rc = cli_fail(CLI_REJECT, "%s: %s: class-name needs vendor-id or vendor-domain",
                          cx->input, c->where);
            goto out;
        }
        iotsec_uuid_v5(u, c->vendor, s.p, s.len);
        if (c->has_class && memcmp(u, c->klass, 16) != 0) {
            rc = cli_fail(CLI_REJECT, "%s: %s: class-id is not UUIDv5(vendor-id, \"%s\")",
                          cx->input, c->where, (const char *)s.p);
            goto out;
        }
        memcpy(c->klass, u, 16);
        c->has_class = true;
    }

    /* the image: digest and size from the file */
    if ((rc = jstr(cx, obj, c->where, "file", &s, &c->has_file)) != CLI_OK)
        goto out;
    if (c->has_file) {
        struct cli_buf d = {0};
        if ((rc = read_rel(cx, (const char *)s.p, &c->image)) != CLI_OK ||
            (rc = suit_digest(cx->digest_alg, c->image.p, c->image.len, &d)) != CLI_OK) {
            cli_buf_free(&d);
            goto out;
        }
        if (has_digest && (d.len != c->install_digest.len ||
                           memcmp(d.p, c->install_digest.p, d.len) != 0)) {
            rc = cli_fail(CLI_REJECT, "%s: %s: install-digest does not match the digest of %s",
                          cx->input, c->where, (const char *)s.p);
            cli_buf_free(&d);
            goto out;
        }
        if (c->has_install_size && c->install_size != c->image.len) {
            rc = cli_fail(CLI_REJECT, "%s: %s: install-size %llu, but %s has %zu bytes",
                          cx->input, c->where, (unsigned long long)c->install_size,
                          (const char *)s.p, c->image.len);
            cli_buf_free(&d);
            goto out;
        }
        copy_buf(&c->install_digest, d.p, d.len);
        c->install_size = c->image.len;
        c->has_install_size = true;
        has_digest = true;
        cli_buf_free(&d);
    }
    if (!has_digest) {
        rc = cli_fail(CLI_REJECT, "%s: %s: give install-digest or file", cx->input, c->where);
        goto out;
    }
    if (c->has_uri && c->uri.len > 0 && c->uri.p[0] == '#' && !c->has_file) {
        rc = cli_fail(CLI_REJECT, "%s: %s: the integrated payload %s needs a file", cx->input,
                      c->where, (const char *)c->uri.p);
        goto out;
    }
    if (!c->install_on_download && c->has_uri && !c->has_download_id) {
        rc = cli_fail(CLI_REJECT, "%s: %s: install-on-download false needs download-id",
                      cx->input, c->where);
        goto out;
    }
    if (c->loadable && !c->has_load_id) {
        rc = cli_fail(CLI_REJECT, "%s: %s: loadable needs load-id", cx->input, c->where);
        goto out;
    }
    c->has_desc = jget(obj, "description", &c->desc);
out:
    cli_buf_free(&s);
    return rc;
}

static void comp_free(struct comp *c)
{
    cli_buf_free(&c->install_id);
    cli_buf_free(&c->download_id);
    cli_buf_free(&c->load_id);
    cli_buf_free(&c->install_digest);
    cli_buf_free(&c->download_digest);
    cli_buf_free(&c->load_digest);
    cli_buf_free(&c->uri);
    cli_buf_free(&c->image);
    cli_buf_free(&c->encrypted_file_buf);
    cli_buf_free(&c->enc_info);
    cli_buf_free(&c->ciphertext);
    cli_buf_free(&c->ct_digest);
}

/* Index of identifier @p id in cx->ids, adding it when new. */
static size_t id_index(struct create_ctx *cx, const struct cli_buf *id)
{
    size_t i;

    for (i = 0; i < cx->nids; i++)
        if (cx->ids[i].len == id->len && memcmp(cx->ids[i].p, id->p, id->len) == 0)
            return i;
    memset(&cx->ids[cx->nids], 0, sizeof(cx->ids[0]));
    put_buf(&cx->ids[cx->nids], id);
    return cx->nids++;
}

/* ------------------------------------------------------------------ */
/* create: writing command sequences                                   */
/* ------------------------------------------------------------------ */

/* A SUIT_Command_Sequence under construction. Commands name the component
 * they act on; set-component-index is written whenever it changes (and
 * only when the manifest has more than one component), as suit-tool does. */
struct seq {
    struct cli_buf items;
    size_t n;       /* CBOR items (command ids and arguments) */
    size_t ncomp;   /* components in the manifest; 0 inside try-each branches */
    long cur;       /* the component selected, -1 before the first */
};

static void seq_init(struct seq *s, size_t ncomp)
{
    memset(s, 0, sizeof(*s));
    s->ncomp = ncomp;
    s->cur = -1;
}

static void seq_select(struct seq *s, size_t comp)
{
    if (s->ncomp > 1 && s->cur != (long)comp) {
        put_uint(&s->items, IOTSEC_SUIT_DIR_SET_COMPONENT_INDEX);
        put_uint(&s->items, comp);
        s->n += 2;
        s->cur = (long)comp;
    }
}

/* A command with a reporting policy. */
static void seq_cmd(struct seq *s, size_t comp, int64_t cmd, uint64_t policy)
{
    seq_select(s, comp);
    put_int(&s->items, cmd);
    put_uint(&s->items, policy);
    s->n += 2;
}

/* A command with an encoded argument. */
static void seq_cmd_arg(struct seq *s, size_t comp, int64_t cmd, const struct cli_buf *arg)
{
    seq_select(s, comp);
    put_int(&s->items, cmd);
    put_buf(&s->items, arg);
    s->n += 2;
}

/* The encoded sequence (an array), or nothing when it is empty. */
static void seq_encode(const struct seq *s, struct cli_buf *out)
{
    out->len = 0;
    if (s->n == 0)
        return;
    put_head(out, 4, s->n);
    put_buf(out, &s->items);
}

static void seq_free(struct seq *s)
{
    cli_buf_free(&s->items);
}

/* One parameter of a step, with its encoded value for each choice (the
 * JSON components that share an install-id); len 0 means "not given". */
struct pspec {
    int64_t label;
    struct cli_buf v[SUIT_MAX_CHOICES];
};

/* A condition that checks parameter @p dep. */
struct cspec {
    int64_t cmd;
    uint64_t policy;
    int64_t dep;
};

enum peq { P_NONE, P_EQ, P_NEQ };

/* Given by no choice, by all with the same value, or otherwise. */
static enum peq pspec_eq(const struct pspec *p, size_t nch)
{
    size_t i, given = 0;

    for (i = 0; i < nch; i++)
        given += p->v[i].len != 0;
    if (given == 0)
        return P_NONE;
    if (given != nch)
        return P_NEQ;
    for (i = 1; i < nch; i++)
        if (p->v[i].len != p->v[0].len || memcmp(p->v[i].p, p->v[0].p, p->v[0].len) != 0)
            return P_NEQ;
    return P_EQ;
}

static const struct pspec *pspec_find(const struct pspec *ps, size_t np, int64_t label)
{
    size_t i;

    for (i = 0; i < np; i++)
        if (ps[i].label == label)
            return &ps[i];
    return NULL;
}

/*
 * suit-tool's make_sequence: parameters every choice shares go in one
 * override-parameters (on component @p pcomp); when choices differ, a
 * try-each gets one branch per choice: first the parameters its differing
 * conditions check, then those conditions, then its other differing
 * parameters; conditions whose parameter every choice shares come last.
 */
static void make_sequence(struct seq *s, size_t comp, size_t pcomp, size_t nch,
                          const struct pspec *ps, size_t np, const struct cspec *cs, size_t nc)
{
    struct mapb m = {0};
    struct cli_buf arg = {0}, branch = {0}, branches = {0};
    size_t i, j, nbranches = 0;

    for (i = 0; i < np; i++)
        if (pspec_eq(&ps[i], nch) == P_EQ)
            put_buf(map_add(&m, ps[i].label), &ps[i].v[0]);
    if (m.n != 0) {
        arg.len = 0;
        map_finish(&m, &arg);
        seq_cmd_arg(s, pcomp, IOTSEC_SUIT_DIR_OVERRIDE_PARAMETERS, &arg);
    }
    for (j = 0; j < nch; j++) {
        struct seq b;
        bool dep_done[32] = {false};
        seq_init(&b, 0);
        /* parameters the differing conditions depend on */
        for (i = 0; i < nc; i++) {
            const struct pspec *p = pspec_find(ps, np, cs[i].dep);
            if (p != NULL && pspec_eq(p, nch) == P_NEQ && p->v[j].len != 0) {
                put_buf(map_add(&m, p->label), &p->v[j]);
                dep_done[p - ps] = true;
            }
        }
        if (m.n != 0) {
            arg.len = 0;
            map_finish(&m, &arg);
            seq_cmd_arg(&b, 0, IOTSEC_SUIT_DIR_OVERRIDE_PARAMETERS, &arg);
        }
        for (i = 0; i < nc; i++) {
            const struct pspec *p = pspec_find(ps, np, cs[i].dep);
            if (p != NULL && pspec_eq(p, nch) == P_NEQ && p->v[j].len != 0)
                seq_cmd(&b, 0, cs[i].cmd, cs[i].policy);
        }
        for (i = 0; i < np; i++)
            if (!dep_done[i] && pspec_eq(&ps[i], nch) == P_NEQ && ps[i].v[j].len != 0)
                put_buf(map_add(&m, ps[i].label), &ps[i].v[j]);
        if (m.n != 0) {
            arg.len = 0;
            map_finish(&m, &arg);
            seq_cmd_arg(&b, 0, IOTSEC_SUIT_DIR_OVERRIDE_PARAMETERS, &arg);
        }
        if (b.n != 0) {
            seq_encode(&b, &branch);
            put_bstr(&branches, branch.p, branch.len);
            nbranches++;
        }
        seq_free(&b);
    }
    if (nbranches != 0) {
        arg.len = 0;
        put_head(&arg, 4, nbranches);
        put_buf(&arg, &branches);
        seq_cmd_arg(s, comp, IOTSEC_SUIT_DIR_TRY_EACH, &arg);
    }
    for (i = 0; i < nc; i++) {
        const struct pspec *p = pspec_find(ps, np, cs[i].dep);
        if (p != NULL && pspec_eq(p, nch) == P_EQ)
            seq_cmd(s, comp, cs[i].cmd, cs[i].policy);
    }
    cli_buf_free(&arg);
    cli_buf_free(&branch);
    cli_buf_free(&branches);
}

static void pspecs_free(struct pspec *ps, size_t np)
{
    size_t i, j;

    for (i = 0; i < np; i++)
        for (j = 0; j < SUIT_MAX_CHOICES; j++)
            cli_buf_free(&ps[i].v[j]);
}

static void val_uint(struct cli_buf *b, uint64_t v)
{
    b->len = 0;
    put_uint(b, v);
}

static void val_bstr(struct cli_buf *b, const void *p, size_t n)
{
    b->len = 0;
    put_bstr(b, p, n);
}

static void val_tstr(struct cli_buf *b, const struct cli_buf *s)
{
    b->len = 0;
    put_tstr(b, s->p, s->len);
}

/* Components that share install-id, in order of first appearance. */
struct group {
    size_t idx[SUIT_MAX_CHOICES];
    size_t n;
};

static bool group_any(const struct create_ctx *cx, const struct group *g,
                      bool (*pred)(const struct comp *))
{
    size_t j;

    for (j = 0; j < g->n; j++)
        if (pred(&cx->c[g->idx[j]]))
            return true;
    return false;
}

static bool comp_has_uri(const struct comp *c)
{
    return c->has_uri;
}

/* suit-tool installs as it downloads unless told otherwise; an encrypted
 * image is always fetched into its download component and decrypted by
 * copy, as draft-ietf-suit-firmware-encryption's examples do. */
static bool comp_direct_fetch(const struct comp *c)
{
    return c->has_uri && c->install_on_download && c->ciphertext.len == 0;
}

static bool comp_loadable(const struct comp *c)
{
    return c->loadable;
}

/* The manifest's sequences, built group by group. */
struct sequences {
    struct seq shared, fetch, install, validate, load, invoke;
};

static void build_sequences(struct create_ctx *cx, const struct group *gs, size_t ng,
                            struct sequences *sq)
{
    static const struct cspec common_cmds[] = {
        {IOTSEC_SUIT_COND_COMPONENT_SLOT, POLICY_SLOT, IOTSEC_SUIT_PARAM_COMPONENT_SLOT},
        {IOTSEC_SUIT_COND_VENDOR_ID, POLICY_CONDITION, IOTSEC_SUIT_PARAM_VENDOR_ID},
        {IOTSEC_SUIT_COND_CLASS_ID, POLICY_CONDITION, IOTSEC_SUIT_PARAM_CLASS_ID},
    };
    static const struct cspec slot_cmd[] = {
        {IOTSEC_SUIT_COND_COMPONENT_SLOT, POLICY_SLOT, IOTSEC_SUIT_PARAM_COMPONENT_SLOT},
    };
    size_t g, j, nboot = 0, boot = 0;

    seq_init(&sq->shared, cx->nids);
    seq_init(&sq->fetch, cx->nids);
    seq_init(&sq->install, cx->nids);
    seq_init(&sq->validate, cx->nids);
    seq_init(&sq->load, cx->nids);
    seq_init(&sq->invoke, cx->nids);

    for (g = 0; g < ng; g++) {
        const struct group *gr = &gs[g];
        const struct comp *c0 = &cx->c[gr->idx[0]];
        size_t comp = c0->install_idx;
        struct pspec ps[5];

        /* shared sequence: digest, size, vendor, class, slot; their checks */
        memset(ps, 0, sizeof(ps));
        ps[0].label = IOTSEC_SUIT_PARAM_IMAGE_DIGEST;
        ps[1].label = IOTSEC_SUIT_PARAM_IMAGE_SIZE;
        ps[2].label = IOTSEC_SUIT_PARAM_VENDOR_ID;
        ps[3].label = IOTSEC_SUIT_PARAM_CLASS_ID;
        ps[4].label = IOTSEC_SUIT_PARAM_COMPONENT_SLOT;
        for (j = 0; j < gr->n; j++) {
            const struct comp *c = &cx->c[gr->idx[j]];
            val_bstr(&ps[0].v[j], c->install_digest.p, c->install_digest.len);
            if (c->has_install_size)
                val_uint(&ps[1].v[j], c->install_size);
            if (c->has_vendor)
                val_bstr(&ps[2].v[j], c->vendor, 16);
            if (c->has_class)
                val_bstr(&ps[3].v[j], c->klass, 16);
            if (c->has_slot)
                val_uint(&ps[4].v[j], c->slot);
        }
        make_sequence(&sq->shared, comp, comp, gr->n, ps, 5, common_cmds, 3);
        pspecs_free(ps, 5);

        if (group_any(cx, gr, comp_direct_fetch)) {
            /* install: set the uri (per slot), fetch, check */
            memset(ps, 0, sizeof(ps));
            ps[0].label = IOTSEC_SUIT_PARAM_URI;
            ps[1].label = IOTSEC_SUIT_PARAM_COMPONENT_SLOT;
            for (j = 0; j < gr->n; j++) {
                const struct comp *c = &cx->c[gr->idx[j]];
                if (c->has_uri)
                    val_tstr(&ps[0].v[j], &c->uri);
                if (c->has_slot)
                    val_uint(&ps[1].v[j], c->slot);
            }
            make_sequence(&sq->install, comp, comp, gr->n, ps, 2, slot_cmd, 1);
            pspecs_free(ps, 2);
            seq_cmd(&sq->install, comp, IOTSEC_SUIT_DIR_FETCH, POLICY_DIRECTIVE);
            seq_cmd(&sq->install, comp, IOTSEC_SUIT_COND_IMAGE_MATCH, POLICY_CONDITION);
        } else if (group_any(cx, gr, comp_has_uri)) {
            /* payload-fetch into the download component, then install by copy */
            size_t dl = c0->download_idx;
            bool enc = c0->ciphertext.len != 0;
            memset(ps, 0, sizeof(ps));
            ps[0].label = IOTSEC_SUIT_PARAM_URI;
            ps[1].label = IOTSEC_SUIT_PARAM_IMAGE_DIGEST;
            ps[2].label = IOTSEC_SUIT_PARAM_COMPONENT_SLOT;
            ps[3].label = IOTSEC_SUIT_PARAM_IMAGE_SIZE;
            for (j = 0; j < gr->n; j++) {
                const struct comp *c = &cx->c[gr->idx[j]];
                const struct cli_buf *d = c->download_digest.len ? &c->download_digest
                                                                  : &c->install_digest;
                if (c->has_uri)
                    val_tstr(&ps[0].v[j], &c->uri);
                if (enc) /* what is fetched is the ciphertext */
                    d = &c->ct_digest;
                val_bstr(&ps[1].v[j], d->p, d->len);
                if (c->has_slot)
                    val_uint(&ps[2].v[j], c->slot);
                if (enc)
                    val_uint(&ps[3].v[j], c->ciphertext.len);
            }
            make_sequence(&sq->fetch, dl, dl, gr->n, ps, 4, slot_cmd, 1);
            pspecs_free(ps, 4);
            seq_cmd(&sq->fetch, dl, IOTSEC_SUIT_DIR_FETCH, POLICY_DIRECTIVE);
            seq_cmd(&sq->fetch, dl, IOTSEC_SUIT_COND_IMAGE_MATCH, POLICY_CONDITION);

            memset(ps, 0, sizeof(ps));
            ps[0].label = IOTSEC_SUIT_PARAM_SOURCE_COMPONENT;
            ps[1].label = IOTSEC_SUIT_PARAM_ENCRYPTION_INFO;
            for (j = 0; j < gr->n; j++) {
                const struct comp *c = &cx->c[gr->idx[j]];
                val_uint(&ps[0].v[j], c->download_idx);
                if (c->enc_info.len != 0)
                    val_bstr(&ps[1].v[j], c->enc_info.p, c->enc_info.len);
            }
            make_sequence(&sq->install, comp, comp, gr->n, ps, 2, NULL, 0);
            pspecs_free(ps, 2);
            seq_cmd(&sq->install, comp, IOTSEC_SUIT_DIR_COPY, POLICY_DIRECTIVE);
            seq_cmd(&sq->install, comp, IOTSEC_SUIT_COND_IMAGE_MATCH, POLICY_CONDITION);
        }

        /* validate: every image matches its digest */
        seq_cmd(&sq->validate, comp, IOTSEC_SUIT_COND_IMAGE_MATCH, POLICY_CONDITION);

        if (group_any(cx, gr, comp_loadable)) {
            /* load: copy the installed image to its load component */
            const struct comp *lc = c0;
            for (j = 0; j < gr->n && !cx->c[gr->idx[j]].loadable; j++)
                ;
            lc = &cx->c[gr->idx[j]];
            memset(ps, 0, sizeof(ps));
            ps[0].label = IOTSEC_SUIT_PARAM_SOURCE_COMPONENT;
            ps[1].label = IOTSEC_SUIT_PARAM_IMAGE_DIGEST;
            ps[2].label = IOTSEC_SUIT_PARAM_IMAGE_SIZE;
            for (j = 0; j < gr->n; j++) {
                const struct comp *c = &cx->c[gr->idx[j]];
                const struct cli_buf *d = c->load_digest.len ? &c->load_digest
                                                              : &c->install_digest;
                val_uint(&ps[0].v[j], c->install_idx);
                val_bstr(&ps[1].v[j], d->p, d->len);
                if (c->has_load_size || c->has_install_size)
                    val_uint(&ps[2].v[j], c->has_load_size ? c->load_size : c->install_size);
            }
            make_sequence(&sq->load, lc->load_idx, lc->load_idx, gr->n, ps, 3, NULL, 0);
            pspecs_free(ps, 3);
            seq_cmd(&sq->load, lc->load_idx, IOTSEC_SUIT_DIR_COPY, POLICY_DIRECTIVE);
            seq_cmd(&sq->load, lc->load_idx, IOTSEC_SUIT_COND_IMAGE_MATCH, POLICY_CONDITION);
        }
    }

    /* invoke: the one bootable component (suit-tool writes none when
     * several are, e.g. one image in two slots) */
    for (j = 0; j < cx->nc; j++)
        if (cx->c[j].bootable) {
            nboot++;
            boot = j;
        }
    if (nboot == 1) {
        const struct comp *c = &cx->c[boot];
        seq_cmd(&sq->invoke, c->loadable ? c->load_idx : c->install_idx, IOTSEC_SUIT_DIR_INVOKE,
                POLICY_DIRECTIVE);
    } else if (nboot > 1) {
        fprintf(stderr, "iotsec: note: %s: %zu components are bootable; no invoke sequence is "
                        "written (mark one bootable)\n", cx->input, nboot);
    }
}

static void sequences_free(struct sequences *sq)
{
    seq_free(&sq->shared);
    seq_free(&sq->fetch);
    seq_free(&sq->install);
    seq_free(&sq->validate);
    seq_free(&sq->load);
    seq_free(&sq->invoke);
}

/* ------------------------------------------------------------------ */
/* create: text, encryption, assembly                                  */
/* ------------------------------------------------------------------ */

/* Component text names: the draft's, and suit-tool's reading of them
 * (suit-tool maps key 4 from "json-source" and 6/7 from "version" and
 * "required-version", so its JSON's model-info and component-version never
 * reach the envelope). */
static const struct name text_component_suit_tool[] = {
    {1, "vendor-name"},   {2, "model-name"},           {3, "vendor-domain"},
    {4, "json-source"},   {5, "component-description"}, {6, "version"},
    {7, "required-version"},
};
static const struct name text_component_aliases[] = {
    {6, "version"},
    {7, "required-version"},
};

struct lang {
    struct cli_buf tag;
    struct mapb m;
};

struct langs {
    struct lang l[16];
    size_t n;
};

static struct mapb *lang_map(struct langs *ls, const uint8_t *tag, size_t n)
{
    size_t i;

    for (i = 0; i < ls->n; i++)
        if (ls->l[i].tag.len == n && memcmp(ls->l[i].tag.p, tag, n) == 0)
            return &ls->l[i].m;
    if (ls->n == sizeof(ls->l) / sizeof(ls->l[0]))
        return NULL;
    memset(&ls->l[ls->n], 0, sizeof(ls->l[0]));
    cli_buf_put(&ls->l[ls->n].tag, tag, n);
    return &ls->l[ls->n++].m;
}

/* Add the text of one "description" object {LANG: {name: string}} to the
 * language maps: under @p comp_id (an encoded component identifier) or at
 * the top when it is NULL. */
static int add_text(struct create_ctx *cx, struct langs *ls, const struct iotsec_cbor_dec *desc,
                    const char *where, const struct cli_buf *comp_id)
{
    struct iotsec_cbor_dec d = *desc, lm, fm;
    struct iotsec_cbuf lang, key, val;

    if (iotsec_cbor_enter_map(&d, &lm, NULL) != IOTSEC_OK)
        return jbad(cx, where, "description", "{LANGUAGE-TAG: {...}}");
    while (iotsec_cbor_get_tstr(&lm, &lang) == IOTSEC_OK) {
        struct mapb *m = lang_map(ls, lang.ptr, lang.len), sub = {0}, *dst;
        if (m == NULL)
            return cli_fail(CLI_REJECT, "%s: too many languages", cx->input);
        if (iotsec_cbor_enter_map(&lm, &fm, NULL) != IOTSEC_OK)
            return jbad(cx, where, "description", "{LANGUAGE-TAG: {name: string}}");
        dst = comp_id != NULL ? &sub : m;
        while (iotsec_cbor_get_tstr(&fm, &key) == IOTSEC_OK) {
            char name[40];
            int64_t id = 0;
            bool known;
            snprintf(name, sizeof(name), "%.*s", (int)key.len, (const char *)key.ptr);
            if (comp_id == NULL)
                known = id_of(NAMES(text_names), name, &id);
            else if (cx->compat)
                known = id_of(NAMES(text_component_suit_tool), name, &id);
            else
                known = id_of(NAMES(text_component_names), name, &id) ||
                        id_of(NAMES(text_component_aliases), name, &id);
            if (iotsec_cbor_get_tstr(&fm, &val) != IOTSEC_OK) {
                map_free(&sub);
                return jbad(cx, where, name, "a string");
            }
            if (!known) {
                if (!cx->compat)
                    fprintf(stderr, "iotsec: note: %s: %s.description: ignores unknown text "
                                    "\"%s\"\n", cx->input, where, name);
                continue;
            }
            {
                struct cli_buf k = {0};
                put_int(&k, id);
                if (!map_has_raw(dst, k.p, k.len))
                    put_tstr(map_add_raw(dst, k.p, k.len), val.ptr, val.len);
                cli_buf_free(&k);
            }
        }
        (void)iotsec_cbor_leave(&lm, &fm);
        if (comp_id != NULL) {
            if (sub.n != 0 && !map_has_raw(m, comp_id->p, comp_id->len))
                map_finish(&sub, map_add_raw(m, comp_id->p, comp_id->len));
            map_free(&sub);
        }
    }
    return CLI_OK;
}

/* The text member {LANG: {...}}, or nothing when there is no text. */
static int build_text(struct create_ctx *cx, const struct iotsec_cbor_dec *top, bool include_json,
                      struct cli_buf *out)
{
    struct langs ls;
    struct iotsec_cbor_dec desc;
    struct mapb all = {0};
    size_t i;
    int rc = CLI_OK;

    memset(&ls, 0, sizeof(ls));
    out->len = 0;
    if (jget(top, "description", &desc))
        rc = add_text(cx, &ls, &desc, "", NULL);
    for (i = 0; i < cx->nc && rc == CLI_OK; i++)
        if (cx->c[i].has_desc)
            rc = add_text(cx, &ls, &cx->c[i].desc, cx->c[i].where, &cx->c[i].install_id);
    if (rc == CLI_OK && include_json) {
        /* json-source: the input itself, in every language (it has none) */
        if (ls.n == 0)
            (void)lang_map(&ls, (const uint8_t *)"en-US", 5);
        for (i = 0; i < ls.n; i++) {
            struct cli_buf k = {0};
            put_int(&k, 3);
            if (!map_has_raw(&ls.l[i].m, k.p, k.len))
                put_tstr(map_add_raw(&ls.l[i].m, k.p, k.len), cx->json_text.p,
                         cx->json_text.len);
            cli_buf_free(&k);
        }
    }
    for (i = 0; i < ls.n; i++) {
        struct cli_buf k = {0};
        put_tstr(&k, ls.l[i].tag.p, ls.l[i].tag.len);
        if (rc == CLI_OK && ls.l[i].m.n != 0)
            map_finish(&ls.l[i].m, map_add_raw(&all, k.p, k.len));
        map_free(&ls.l[i].m);
        cli_buf_free(&ls.l[i].tag);
        cli_buf_free(&k);
    }
    if (rc == CLI_OK && all.n != 0)
        map_finish(&all, out);
    map_free(&all);
    return rc;
}

static const uint8_t kdf_other[] = "SUIT Payload Encryption";

/* Encrypt each component image for the --encrypt-key recipient. */
static int encrypt_images(struct create_ctx *cx, const struct suit_args *a)
{
    const char *cmd = "suit create";
    const char *kp[1] = {a->encrypt_key};
    struct cli_keyset kr = {0};
    struct cli_buf out = {0}, scratch = {0};
    struct cli_hdr bhdr = {{0}, {0}}, rhdr = {{0}, {0}};
    struct iotsec_cbuf kid = {NULL, 0}, none = {NULL, 0};
    struct iotsec_cose_recipient_in rin;
    struct iotsec_cose_hdr_in body;
    const struct iotsec_key *key;
    int32_t calg = IOTSEC_ALG_A128GCM, ralg = 0;
    bool ctr, ecdh, any = false;
    size_t i;
    int rc;

    if (a->encrypt_alg != NULL) {
        const struct cli_alg *ca = cli_alg_by_name(a->encrypt_alg);
        if (ca == NULL || !((ca->id >= IOTSEC_ALG_A128GCM && ca->id <= IOTSEC_ALG_A256GCM) ||
                            (ca->id >= IOTSEC_ALG_A128CTR && ca->id <= IOTSEC_ALG_A256CTR)))
            return cli_fail(CLI_UNSUPPORTED, "--encrypt-alg %s: SUIT payloads use A128GCM, "
                                             "A192GCM, A256GCM, A128CTR, A192CTR or A256CTR",
                            a->encrypt_alg);
        calg = ca->id;
    }
    ctr = calg <= IOTSEC_ALG_A256CTR;
    if ((rc = cli_keyset_load(kp, 1, &kr)) != CLI_OK)
        goto out;
    key = &kr.k[0].key;
    ralg = key->alg != 0 ? key->alg : cli_kw_alg_for_key(key);
    ecdh = ralg == IOTSEC_ALG_ECDH_ES_A128KW || ralg == IOTSEC_ALG_ECDH_ES_A192KW ||
           ralg == IOTSEC_ALG_ECDH_ES_A256KW;
    if (!ecdh && ralg != IOTSEC_ALG_A128KW && ralg != IOTSEC_ALG_A192KW &&
        ralg != IOTSEC_ALG_A256KW) {
        rc = cli_usage_error(cmd, "--encrypt-key %s: expected a 16, 24 or 32-byte key-encryption "
                                  "key (AES-KW) or an EC public key (ECDH-ES+AES-KW)",
                             a->encrypt_key);
        goto out;
    }
    kid = cli_kid_for(a->encrypt_kid, &kr.k[0]);
    if (kid.len == 0)
        kid.ptr = NULL; /* an empty --encrypt-kid sends no kid at all */
    /* draft-ietf-suit-firmware-encryption's layout: AES-GCM protects its alg,
     * AES-CTR (which authenticates nothing) leaves the protected bucket
     * empty; AES-KW recipients have an empty protected bucket, ECDH-ES ones
     * protect their alg (it enters the KDF context) */
    cli_hdr_build(&bhdr, calg, !ctr, none);
    body = cli_hdr_in(&bhdr);
    cli_hdr_build(&rhdr, ralg, ecdh, kid);
    memset(&rin, 0, sizeof(rin));
    rin.hdr = cli_hdr_in(&rhdr);
    rin.key = key;
    cli_buf_reserve(&out, 2048 + kid.len);
    cli_buf_reserve(&scratch, 4096);

    for (i = 0; i < cx->nc; i++) {
        struct comp *c = &cx->c[i];
        struct iotsec_cose_opts o;
        struct iotsec_cbuf msg;
        struct iotsec_buf ob;
        size_t ct_len = 0;
        enum iotsec_err err;
        if (!c->has_file || !c->encrypt)
            continue;
        if (!c->has_uri || !c->has_download_id) {
            rc = cli_fail(CLI_REJECT, "%s: %s: an encrypted image is fetched (uri) into its "
                                      "download-id component and decrypted by copy into "
                                      "install-id; give both uri and download-id, or "
                                      "\"encrypt\": false", cx->input, c->where);
            goto out;
        }
        cli_buf_reserve(&c->ciphertext, c->image.len + 16);
        memset(&o, 0, sizeof(o));
        o.detach = true;
        o.detached_out.ptr = c->ciphertext.p;
        o.detached_out.len = c->ciphertext.cap;
        o.detached_len = &ct_len;
        o.allow_unauth = ctr; /* the signed manifest's image digest covers it */
        o.kdf.pub_other.ptr = kdf_other;
        o.kdf.pub_other.len = sizeof(kdf_other) - 1;
        o.scratch.ptr = scratch.p;
        o.scratch.len = scratch.cap;
        ob.ptr = out.p;
        ob.len = out.cap;
        err = iotsec_cose_encrypt(ob, &msg, &body, &rin, 1,
                                  (struct iotsec_cbuf){c->image.p, c->image.len}, &o);
        if (err != IOTSEC_OK) {
            rc = cli_fail(cli_exit_for(err), "cannot encrypt the image of %s: %s", c->where,
                          iotsec_err_str(err));
            goto out;
        }
        c->ciphertext.len = ct_len;
        copy_buf(&c->enc_info, msg.ptr, msg.len);
        if ((rc = suit_digest(cx->digest_alg, c->ciphertext.p, c->ciphertext.len,
                              &c->ct_digest)) != CLI_OK)
            goto out;
        any = true;
    }
    if (!any)
        fprintf(stderr, "iotsec: note: --encrypt-key: no component has a file to encrypt\n");
out:
    cli_keyset_free(&kr);
    cli_hdr_free(&bhdr);
    cli_hdr_free(&rhdr);
    cli_buf_free(&out);
    cli_buf_free(&scratch);
    return rc;
}

/* Severable sections by name. */
static const struct name severable_names[] = {
    {14, "coswid"},  {15, "dependency-resolution"}, {16, "payload-fetch"},
    {18, "candidate-verification"}, {20, "install"}, {23, "text"},
};

/* "severable": true (install, payload-fetch, dependency-resolution) or a list. */
static int read_severable(const struct create_ctx *cx, const struct iotsec_cbor_dec *top,
                          bool sev[25])
{
    struct iotsec_cbor_dec v, a;
    struct iotsec_cbuf s;
    bool all = false;

    memset(sev, 0, 25 * sizeof(bool));
    sev[IOTSEC_SUIT_TEXT] = true; /* text is always a severable member, as suit-tool writes it */
    if (!jget(top, "severable", &v))
        return CLI_OK;
    if (iotsec_cbor_get_bool(&v, &all) == IOTSEC_OK) {
        if (all)
            sev[15] = sev[16] = sev[20] = true;
        return CLI_OK;
    }
    if (iotsec_cbor_enter_array(&v, &a, NULL) != IOTSEC_OK)
        return jbad(cx, "", "severable", "true, false or a list of section names");
    while (iotsec_cbor_get_tstr(&a, &s) == IOTSEC_OK) {
        char name[40];
        int64_t id;
        snprintf(name, sizeof(name), "%.*s", (int)s.len, (const char *)s.ptr);
        if (!id_of(NAMES(severable_names), name, &id))
            return cli_fail(CLI_REJECT, "%s: severable: \"%s\" is not a severable section "
                                        "(install, payload-fetch, dependency-resolution, text)",
                            cx->input, name);
        sev[id] = true;
    }
    if (!iotsec_cbor_at_end(&a))
        return jbad(cx, "", "severable", "a list of section names");
    return CLI_OK;
}

/* Put section @p key of the manifest: the bstr-wrapped sequence, or when
 * severable its SUIT_Digest (the member goes to @p env). */
static int put_section(struct create_ctx *cx, struct mapb *man, struct mapb *env, int64_t key,
                       const struct cli_buf *content, bool severable)
{
    struct cli_buf wrapped = {0}, digest = {0};
    int rc = CLI_OK;

    if (content->len == 0)
        return CLI_OK;
    put_bstr(&wrapped, content->p, content->len);
    if (!severable) {
        put_buf(map_add(man, key), &wrapped);
    } else {
        /* the digest covers the bstr-wrapped member, head included */
        if ((rc = suit_digest(cx->digest_alg, wrapped.p, wrapped.len, &digest)) == CLI_OK) {
            put_buf(map_add(man, key), &digest);
            put_buf(map_add(env, key), &wrapped);
        }
    }
    cli_buf_free(&wrapped);
    cli_buf_free(&digest);
    return rc;
}

static int write_ciphertexts(const struct create_ctx *cx, const char *out)
{
    size_t i;
    int rc;

    for (i = 0; i < cx->nc; i++) {
        const struct comp *c = &cx->c[i];
        struct cli_buf path = {0};
        if (c->ciphertext.len == 0 && c->enc_info.len == 0)
            continue;
        if (c->uri.len > 0 && c->uri.p[0] == '#')
            continue; /* carried in the envelope */
        if (c->encrypted_file != NULL)
            cli_buf_puts(&path, c->encrypted_file);
        else if (out != NULL && strcmp(out, "-") != 0)
            cli_buf_printf(&path, "%s.%zu.enc", out, i);
        else
            return cli_fail(CLI_USAGE, "%s: %s: name a file for the ciphertext (\"encrypted-file\""
                                       ") or write the envelope with -o", cx->input, c->where);
        rc = cli_write((const char *)path.p, c->ciphertext.p, c->ciphertext.len, false);
        if (rc == CLI_OK)
            fprintf(stderr, "iotsec: note: the encrypted image of %s (for %s) is in %s\n",
                    c->where, (const char *)c->uri.p, (const char *)path.p);
        cli_buf_free(&path);
        if (rc != CLI_OK)
            return rc;
    }
    return CLI_OK;
}

int suit_create(int argc, char **argv)
{
    const char *cmd = "suit create";
    struct suit_args a;
    struct create_ctx cx;
    struct iotsec_cbor_dec top, v, arr;
    struct group *gs = NULL;
    struct sequences sq;
    struct mapb man = {0}, common = {0}, env = {0};
    struct cli_buf tmp = {0}, text = {0}, manifest = {0}, digest = {0}, auth = {0}, out = {0};
    struct cli_buf envelope = {0};
    struct cli_buf dir = {0};
    uint64_t version = 1, seqno = 0;
    bool found, sev[25], include_json = false;
    size_t i, j, ng = 0, n = 0;
    int32_t override = 0;
    enum iotsec_err err;
    int rc = parse_args(cmd, create_help, A_KEY | A_ALG | A_OUT | A_ENCRYPT | A_COMPAT, argc, argv,
                        &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if (a.compat != NULL && strcmp(a.compat, "suit-tool") != 0)
        return cli_usage_error(cmd, "--compat takes 'suit-tool'");
    if ((a.encrypt_alg != NULL || a.encrypt_kid != NULL) && a.encrypt_key == NULL)
        return cli_usage_error(cmd, "--encrypt-alg and --encrypt-kid go with --encrypt-key");
    if (a.alg != NULL && (rc = parse_alg_opt(cmd, a.alg, &override)) != CLI_OK)
        return rc;

    memset(&cx, 0, sizeof(cx));
    memset(&sq, 0, sizeof(sq));
    cx.input = strcmp(a.in, "-") == 0 ? "standard input" : a.in;
    cx.compat = a.compat != NULL;
    cx.digest_alg = IOTSEC_ALG_SHA256;
    if (strcmp(a.in, "-") != 0 && strrchr(a.in, '/') != NULL) {
        cli_buf_put(&dir, a.in, (size_t)(strrchr(a.in, '/') - a.in));
        cx.base_dir = dir.len ? (const char *)dir.p : "/";
    }
    if ((rc = cli_read(a.in, &cx.json_text)) != CLI_OK ||
        (rc = cli_json_to_cbor((const char *)cx.json_text.p, cx.json_text.len, &cx.cbor,
                               false)) != CLI_OK)
        goto out;
    if ((err = iotsec_cbor_dec_init(&cx.root, cx.cbor.p, cx.cbor.len, 0, NULL)) != IOTSEC_OK ||
        iotsec_cbor_enter_map(&cx.root, &top, NULL) != IOTSEC_OK) {
        rc = cli_fail(CLI_REJECT, "%s: expected a JSON object", cx.input);
        goto out;
    }
    jcheck_keys(&cx, &top, "", manifest_keys);
    if (jget(&top, "digest-algorithm", &v)) {
        struct iotsec_cbuf s;
        if (iotsec_cbor_get_tstr(&v, &s) != IOTSEC_OK ||
            !digest_alg_by_name(s.ptr, s.len, &cx.digest_alg)) {
            rc = cli_fail(CLI_UNSUPPORTED, "%s: digest-algorithm: sha256, sha384 or sha512",
                          cx.input);
            goto out;
        }
    }
    if ((rc = juint(&cx, &top, "", "manifest-version", &version, &found)) != CLI_OK ||
        (rc = juint(&cx, &top, "", "manifest-sequence-number", &seqno, &found)) != CLI_OK)
        goto out;
    if (!found) {
        rc = cli_fail(CLI_REJECT, "%s: manifest-sequence-number is required", cx.input);
        goto out;
    }
    if ((rc = jbool(&cx, &top, "", "include-json", &include_json)) != CLI_OK ||
        (rc = read_severable(&cx, &top, sev)) != CLI_OK)
        goto out;

    /* components */
    if (!jget(&top, "components", &v) || iotsec_cbor_enter_array(&v, &arr, &n) != IOTSEC_OK ||
        n == 0) {
        rc = cli_fail(CLI_REJECT, "%s: components: expected a non-empty list", cx.input);
        goto out;
    }
    cx.c = calloc(n, sizeof(*cx.c));
    cx.ids = calloc(3 * n, sizeof(*cx.ids));
    gs = calloc(n, sizeof(*gs));
    if (cx.c == NULL || cx.ids == NULL || gs == NULL) {
        rc = cli_fail(CLI_IO, "out of memory");
        goto out;
    }
    cx.nc = n;
    for (i = 0; i < n; i++) {
        struct iotsec_cbor_dec item = arr, obj;
        if (iotsec_cbor_enter_map(&item, &obj, NULL) != IOTSEC_OK) {
            rc = cli_fail(CLI_REJECT, "%s: components[%zu]: expected an object", cx.input, i);
            goto out;
        }
        if ((rc = read_component(&cx, i, &obj)) != CLI_OK)
            goto out;
        (void)iotsec_cbor_skip(&arr);
    }
    if (!cx.compat) {
        bool vendor = false;
        for (i = 0; i < n; i++)
            vendor |= cx.c[i].has_vendor && cx.c[i].has_class;
        if (!vendor)
            fprintf(stderr, "iotsec: note: %s: no component has both vendor-id and class-id; "
                            "the draft wants the shared sequence to check both\n", cx.input);
    }
    if (a.encrypt_key != NULL && (rc = encrypt_images(&cx, &a)) != CLI_OK)
        goto out;

    /* component identifiers (install, download, load of each, in order) and
     * the groups of components that share an install-id */
    for (i = 0; i < n; i++) {
        struct comp *c = &cx.c[i];
        c->install_idx = id_index(&cx, &c->install_id);
        if (c->has_download_id)
            c->download_idx = id_index(&cx, &c->download_id);
        if (c->has_load_id)
            c->load_idx = id_index(&cx, &c->load_id);
        for (j = 0; j < ng && cx.c[gs[j].idx[0]].install_idx != c->install_idx; j++)
            ;
        if (j == ng)
            ng++;
        if (gs[j].n == SUIT_MAX_CHOICES) {
            rc = cli_fail(CLI_REJECT, "%s: more than %d components share one install-id",
                          cx.input, SUIT_MAX_CHOICES);
            goto out;
        }
        gs[j].idx[gs[j].n++] = i;
    }
    build_sequences(&cx, gs, ng, &sq);

    /* common: components, shared sequence */
    put_head(map_add(&common, IOTSEC_SUIT_COMPONENTS), 4, cx.nids);
    for (i = 0; i < cx.nids; i++)
        put_buf(&common.e[0].v, &cx.ids[i]);
    seq_encode(&sq.shared, &tmp);
    if (tmp.len != 0)
        put_bstr(map_add(&common, IOTSEC_SUIT_SHARED_SEQUENCE), tmp.p, tmp.len);
    tmp.len = 0;
    map_finish(&common, &tmp);

    /* the manifest */
    put_uint(map_add(&man, IOTSEC_SUIT_MANIFEST_VERSION), version);
    put_uint(map_add(&man, IOTSEC_SUIT_MANIFEST_SEQUENCE_NUMBER), seqno);
    put_bstr(map_add(&man, IOTSEC_SUIT_COMMON), tmp.p, tmp.len);
    if (jget(&top, "reference-uri", &v)) {
        struct iotsec_cbuf s;
        if (iotsec_cbor_get_tstr(&v, &s) != IOTSEC_OK) {
            rc = jbad(&cx, "", "reference-uri", "a string");
            goto out;
        }
        put_tstr(map_add(&man, IOTSEC_SUIT_REFERENCE_URI), s.ptr, s.len);
    }
    if ((rc = jcomponent_id(&cx, &top, "", "manifest-component-id", &tmp, &found)) != CLI_OK)
        goto out;
    if (found)
        put_buf(map_add(&man, IOTSEC_SUIT_MANIFEST_COMPONENT_ID), &tmp);
    seq_encode(&sq.validate, &tmp);
    if ((rc = put_section(&cx, &man, &env, IOTSEC_SUIT_VALIDATE, &tmp, false)) != CLI_OK)
        goto out;
    seq_encode(&sq.load, &tmp);
    if ((rc = put_section(&cx, &man, &env, IOTSEC_SUIT_LOAD, &tmp, false)) != CLI_OK)
        goto out;
    seq_encode(&sq.invoke, &tmp);
    if ((rc = put_section(&cx, &man, &env, IOTSEC_SUIT_INVOKE, &tmp, false)) != CLI_OK)
        goto out;
    seq_encode(&sq.fetch, &tmp);
    if ((rc = put_section(&cx, &man, &env, IOTSEC_SUIT_PAYLOAD_FETCH, &tmp, sev[16])) != CLI_OK)
        goto out;
    seq_encode(&sq.install, &tmp);
    if ((rc = put_section(&cx, &man, &env, IOTSEC_SUIT_INSTALL, &tmp, sev[20])) != CLI_OK)
        goto out;
    if ((rc = build_text(&cx, &top, include_json && !cx.compat, &text)) != CLI_OK ||
        (rc = put_section(&cx, &man, &env, IOTSEC_SUIT_TEXT, &text, true)) != CLI_OK)
        goto out;
    map_finish(&man, &manifest);

    /* integrated payloads travel under their "#name" */
    for (i = 0; i < n; i++) {
        const struct comp *c = &cx.c[i];
        struct cli_buf k = {0};
        if (!c->has_uri || c->uri.len == 0 || c->uri.p[0] != '#')
            continue;
        put_tstr(&k, c->uri.p, c->uri.len);
        if (map_has_raw(&env, k.p, k.len)) {
            cli_buf_free(&k);
            continue; /* one payload per name (slots may share it) */
        }
        if (c->ciphertext.len != 0 || c->enc_info.len != 0)
            put_bstr(map_add_raw(&env, k.p, k.len), c->ciphertext.p, c->ciphertext.len);
        else
            put_bstr(map_add_raw(&env, k.p, k.len), c->image.p, c->image.len);
        cli_buf_free(&k);
    }

    /* the envelope: an unsigned authentication wrapper holds the digest alone */
    tmp.len = 0;
    put_bstr(&tmp, manifest.p, manifest.len);
    if ((rc = suit_digest(cx.digest_alg, tmp.p, tmp.len, &digest)) != CLI_OK)
        goto out;
    put_head(&auth, 4, 1);
    put_bstr(&auth, digest.p, digest.len);
    put_bstr(map_add(&env, IOTSEC_SUIT_AUTHENTICATION), auth.p, auth.len);
    put_bstr(map_add(&env, IOTSEC_SUIT_MANIFEST), manifest.p, manifest.len);
    put_head(&envelope, 6, IOTSEC_SUIT_TAG_ENVELOPE);
    map_finish(&env, &envelope); /* 2 sorts before 3: the wrapper precedes the manifest */

    if (a.n_keys != 0) {
        struct envelope e;
        if ((rc = env_parse(cx.input, envelope.p, envelope.len, &e)) == CLI_OK)
            rc = sign_envelope(cmd, cx.input, &e, a.keys, a.n_keys, override, &out);
        env_free(&e);
        if (rc != CLI_OK)
            goto out;
    } else {
        put_buf(&out, &envelope);
    }
    if ((rc = write_ciphertexts(&cx, a.out)) != CLI_OK)
        goto out;
    rc = cli_write(a.out, out.p, out.len, false);
out:
    sequences_free(&sq);
    map_free(&man);
    map_free(&common);
    map_free(&env);
    for (i = 0; cx.c != NULL && i < cx.nc; i++)
        comp_free(&cx.c[i]);
    for (i = 0; cx.ids != NULL && i < cx.nids; i++)
        cli_buf_free(&cx.ids[i]);
    free(cx.c);
    free(cx.ids);
    free(gs);
    cli_buf_free(&cx.json_text);
    cli_buf_free(&cx.cbor);
    cli_buf_free(&tmp);
    cli_buf_free(&text);
    cli_buf_free(&manifest);
    cli_buf_free(&digest);
    cli_buf_free(&auth);
    cli_buf_free(&out);
    cli_buf_free(&envelope);
    cli_buf_free(&dir);
    return rc;
}

/* ------------------------------------------------------------------ */
/* sign, sever                                                         */
/* ------------------------------------------------------------------ */

static const char sign_help[] =
    "Usage: iotsec suit sign ENVELOPE --key KEY [--key KEY ...] [--alg ALG] [-o OUT]\n"
    "\n"
    "Add one authentication block per key to the envelope's authentication\n"
    "wrapper: a COSE_Sign1 for a private key, a COSE_Mac0 (HMAC 256/256) for a\n"
    "symmetric key, each over the encoded SUIT_Digest as detached payload. The\n"
    "digest is recomputed over the bstr-wrapped manifest; blocks already there\n"
    "are kept when they cover that digest (else they are dropped, with a note).\n"
    "Algorithms: a COSE_Key's alg, else --alg where it fits the key, else ESP256\n"
    "(P-256), ESP384 (P-384), ESP512 (P-521), EdDSA (Ed25519, Ed448).\n"
    "\n"
    "Options:\n"
    "  --key KEY   private key (PEM or COSE_Key) or symmetric key; repeatable\n"
    "  --alg ALG   e.g. ES256 for the polymorphic id -7 instead of ESP256 (-9)\n"
    "  -o OUT      output (default: standard output)\n";

int suit_sign(int argc, char **argv)
{
    const char *cmd = "suit sign";
    struct suit_args a;
    struct cli_buf in = {0}, out = {0};
    struct envelope env;
    int32_t override = 0;
    int rc = parse_args(cmd, sign_help, A_KEY | A_ALG | A_OUT, argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if (a.n_keys == 0)
        return cli_usage_error(cmd, "--key is required");
    if (a.alg != NULL && (rc = parse_alg_opt(cmd, a.alg, &override)) != CLI_OK)
        return rc;
    memset(&env, 0, sizeof(env));
    if ((rc = read_envelope(a.in, &in, &env)) == CLI_OK &&
        (rc = sign_envelope(cmd, a.in, &env, a.keys, a.n_keys, override, &out)) == CLI_OK)
        rc = cli_write(a.out, out.p, out.len, false);
    env_free(&env);
    cli_buf_free(&in);
    cli_buf_free(&out);
    return rc;
}

static const char sever_help[] =
    "Usage: iotsec suit sever ENVELOPE [--member NAME ...] [-o OUT]\n"
    "\n"
    "Remove severable members from the envelope. The manifest keeps their\n"
    "digests, so the signatures stay valid. Without --member every severable\n"
    "member present is removed.\n"
    "\n"
    "Options:\n"
    "  --member NAME  install, payload-fetch, dependency-resolution,\n"
    "                 candidate-verification, text, coswid, or an integrated\n"
    "                 payload's \"#name\"; repeatable\n"
    "  -o OUT         output (default: standard output)\n";

int suit_sever(int argc, char **argv)
{
    const char *cmd = "suit sever";
    struct suit_args a;
    struct cli_buf in = {0}, out = {0};
    struct envelope env;
    bool *skip = NULL;
    size_t i, j, removed = 0;
    int rc = parse_args(cmd, sever_help, A_MEMBER | A_OUT, argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    memset(&env, 0, sizeof(env));
    if ((rc = read_envelope(a.in, &in, &env)) != CLI_OK)
        goto out;
    skip = calloc(env.n + 1, sizeof(*skip));
    if (skip == NULL) {
        rc = cli_fail(CLI_IO, "out of memory");
        goto out;
    }
    for (i = 0; i < a.n_members; i++) {
        const char *nm = a.members[i];
        int64_t key;
        char *end;
        enum member_state st;
        if (nm[0] == '#') {
            for (j = 0; j < env.n; j++)
                if (!env.e[j].is_int && env.e[j].text.len == strlen(nm) &&
                    memcmp(env.e[j].text.ptr, nm, env.e[j].text.len) == 0)
                    break;
            if (j == env.n) {
                rc = cli_fail(CLI_REJECT, "%s: no integrated payload \"%s\"", a.in, nm);
                goto out;
            }
            removed += !skip[j];
            skip[j] = true;
            continue;
        }
        key = strtoll(nm, &end, 10);
        if (*nm == '\0' || *end != '\0') {
            if (!id_of(NAMES(severable_names), nm, &key)) {
                rc = cli_usage_error(cmd, "'%s' is not a severable member (install, "
                                          "payload-fetch, dependency-resolution, "
                                          "candidate-verification, text, coswid)", nm);
                goto out;
            }
        }
        st = member_state(&env, key, NULL);
        if (st == M_ABSENT || st == M_INLINE) {
            rc = cli_fail(CLI_REJECT, st == M_ABSENT ? "%s: the manifest has no %s"
                                                     : "%s: %s is held in the manifest itself, "
                                                       "not as a digest: it cannot be severed",
                          a.in, nm);
            goto out;
        }
        if (st == M_SEVERED) {
            fprintf(stderr, "iotsec: note: %s is already severed\n", nm);
            continue;
        }
        for (j = 0; j < env.n; j++)
            if (env.e[j].is_int && env.e[j].ikey == key) {
                removed += !skip[j];
                skip[j] = true;
            }
    }
    if (a.n_members == 0)
        for (i = 0; i < sizeof(severable_keys) / sizeof(severable_keys[0]); i++) {
            enum member_state st = member_state(&env, severable_keys[i], NULL);
            if (st != M_PRESENT && st != M_MISMATCH)
                continue;
            for (j = 0; j < env.n; j++)
                if (env.e[j].is_int && env.e[j].ikey == severable_keys[i]) {
                    removed += !skip[j];
                    skip[j] = true;
                }
        }
    if (removed == 0)
        fprintf(stderr, "iotsec: note: %s: nothing to sever\n", a.in);
    env_write(&env, skip, -1, NULL, &out);
    rc = cli_write(a.out, out.p, out.len, false);
out:
    free(skip);
    env_free(&env);
    cli_buf_free(&in);
    cli_buf_free(&out);
    return rc;
}

/* ------------------------------------------------------------------ */
/* show                                                                */
/* ------------------------------------------------------------------ */

static const char show_help[] =
    "Usage: iotsec suit show ENVELOPE [--diag]\n"
    "\n"
    "Print the envelope as a tree that names every key: the authentication\n"
    "wrapper (digest and COSE blocks with their algorithms), the manifest, its\n"
    "common section and components, every command and parameter with its value,\n"
    "severable members (present, severed, or not matching their digest), text\n"
    "and integrated payloads. Nothing is verified: use 'iotsec suit verify'.\n"
    "\n"
    "Options:\n"
    "  -o OUT   write to OUT instead of standard output\n"
    "  --diag   CBOR diagnostic notation instead, with byte strings that hold\n"
    "           CBOR (bstr .cbor) expanded as << ... >>\n";

struct show {
    struct cli_buf t;
    const struct envelope *env;
    struct iotsec_cbuf comp[64]; /* encoded component identifiers */
    size_t ncomp;
};

/* A line of its own at depth @p ind, e.g. "(not a map)\n". */
static void show_line(struct show *s, int ind, const char *line)
{
    indent(&s->t, ind);
    cli_buf_puts(&s->t, line);
}

/* The next item of @p d in diagnostic notation, ending the line. */
static void diag_line(struct cli_buf *t, struct iotsec_cbor_dec *d)
{
    cli_put_diag(t, d);
    cli_buf_puts(t, "\n");
}

/* A map entry this tool has no name for: "key: value", both as diagnostic notation. */
static void diag_entry(struct cli_buf *t, struct iotsec_cbor_dec *m)
{
    cli_put_diag(t, m);
    cli_buf_puts(t, ": ");
    diag_line(t, m);
}

/*
 * Start the line of the next entry of map @p m at depth @p ind: "name (key):"
 * for an integer key, which goes to @p k. Any other key is no part of the
 * format: the entry is shown whole in diagnostic notation, and false returned.
 */
static bool show_key(struct show *s, struct iotsec_cbor_dec *m, const struct name *tab, size_t n,
                     int ind, int64_t *k)
{
    indent(&s->t, ind);
    if (iotsec_cbor_get_int(m, k) != IOTSEC_OK) {
        diag_entry(&s->t, m);
        return false;
    }
    put_named(&s->t, tab, n, *k);
    cli_buf_puts(&s->t, ":");
    return true;
}

/* A value shown as it is: " value" in diagnostic notation, ending the line. */
static void diag_value(struct cli_buf *t, struct iotsec_cbor_dec *v)
{
    cli_buf_puts(t, " ");
    diag_line(t, v);
}

static void show_component_ref(struct show *s, uint64_t idx)
{
    if (idx < s->ncomp) {
        cli_buf_puts(&s->t, " ");
        put_component_id(&s->t, s->comp[idx].ptr, s->comp[idx].len);
    } else {
        cli_buf_puts(&s->t, " (no such component)");
    }
}

static void show_policy(struct cli_buf *t, uint64_t p)
{
    static const char *const bits[] = {"record-on-success", "record-on-failure",
                                       "sysinfo-success", "sysinfo-failure"};
    unsigned i;
    bool first = true;

    cli_buf_printf(t, "policy %llu", (unsigned long long)p);
    if (p == 0 || p > 15)
        return;
    cli_buf_puts(t, " (");
    for (i = 0; i < 4; i++)
        if (p & (1u << i)) {
            cli_buf_printf(t, "%s%s", first ? "" : ", ", bits[i]);
            first = false;
        }
    cli_buf_puts(t, ")");
}

/* One COSE header layer's alg and kid: ", alg X, kid 'y'". */
static void show_hdr_brief(struct cli_buf *t, const struct iotsec_cose_hdr *h)
{
    if (h->alg != 0) {
        cli_buf_puts(t, "alg ");
        cli_put_alg(t, h->alg);
    } else {
        cli_buf_puts(t, "no alg");
    }
    if (h->kid.ptr != NULL) {
        cli_buf_puts(t, ", kid ");
        put_bytes(t, h->kid.ptr, h->kid.len);
    }
}

static void show_cose_encrypt(struct show *s, struct iotsec_cbuf info, int ind)
{
    struct iotsec_cose_msg m;
    struct iotsec_cbor_dec list, one0;
    enum iotsec_err err = iotsec_cose_decode(info.ptr, info.len, IOTSEC_COSE_UNKNOWN, NULL, 0, &m);
    size_t i;

    if (err != IOTSEC_OK) {
        cli_buf_printf(&s->t, "not a COSE message (%s)\n", iotsec_err_str(err));
        return;
    }
    cli_buf_printf(&s->t, "%s, content ", m.type == IOTSEC_COSE_ENCRYPT ? "COSE_Encrypt"
                                          : m.type == IOTSEC_COSE_ENCRYPT0 ? "COSE_Encrypt0"
                                                                           : "COSE message");
    show_hdr_brief(&s->t, &m.hdr);
    if (m.hdr.iv.ptr != NULL) {
        cli_buf_puts(&s->t, ", IV h'");
        cli_hex_encode(&s->t, m.hdr.iv.ptr, m.hdr.iv.len);
        cli_buf_puts(&s->t, "'");
    }
    cli_buf_puts(&s->t, m.content.ptr == NULL ? ", ciphertext detached (the payload)"
                                              : ", ciphertext attached");
    cli_buf_puts(&s->t, "\n");
    if (m.type != IOTSEC_COSE_ENCRYPT)
        return;
    one0 = m.list; /* a cursor on the recipients array */
    if (iotsec_cbor_enter_array(&one0, &list, NULL) != IOTSEC_OK)
        return;
    for (i = 0; i < m.count; i++) {
        struct iotsec_cbor_dec r, one = list;
        struct iotsec_cose_hdr h;
        struct iotsec_cbor_dec epk;
        indent(&s->t, ind);
        cli_buf_printf(&s->t, "recipient %zu: ", i);
        if (iotsec_cbor_enter_array(&one, &r, NULL) != IOTSEC_OK ||
            iotsec_cose_hdr_decode(&r, &h, NULL, 0) != IOTSEC_OK) {
            cli_buf_puts(&s->t, "malformed\n");
        } else {
            show_hdr_brief(&s->t, &h);
            if (iotsec_cose_hdr_find(&h, IOTSEC_COSE_HDR_EPHEMERAL_KEY, &epk, NULL) == IOTSEC_OK)
                cli_buf_puts(&s->t, ", ephemeral key");
            if (iotsec_cbor_peek_type(&r) == IOTSEC_CBOR_BSTR) {
                struct iotsec_cbuf ck;
                (void)iotsec_cbor_get_bstr(&r, &ck);
                cli_buf_printf(&s->t, ", wrapped key %zu bytes", ck.len);
            }
            cli_buf_puts(&s->t, "\n");
        }
        (void)iotsec_cbor_skip(&list);
    }
}

static void show_seq(struct show *s, struct iotsec_cbuf seq, int ind);

static void show_param(struct show *s, int64_t label, struct iotsec_cbor_dec *v, int ind)
{
    struct iotsec_cbor_dec c;
    struct iotsec_cbuf b;
    uint64_t u;
    char text[37];

    switch (label) {
    case IOTSEC_SUIT_PARAM_VENDOR_ID:
    case IOTSEC_SUIT_PARAM_CLASS_ID:
    case IOTSEC_SUIT_PARAM_DEVICE_ID:
        c = *v;
        if (iotsec_cbor_get_bstr(&c, &b) == IOTSEC_OK && b.len == 16) {
            *v = c;
            iotsec_uuid_format(b.ptr, text);
            cli_buf_printf(&s->t, "%s\n", text);
            return;
        }
        break;
    case IOTSEC_SUIT_PARAM_IMAGE_DIGEST:
        c = *v;
        if (iotsec_cbor_get_bstr(&c, &b) == IOTSEC_OK && put_digest(&s->t, b.ptr, b.len)) {
            *v = c;
            cli_buf_puts(&s->t, "\n");
            return;
        }
        break;
    case IOTSEC_SUIT_PARAM_SOURCE_COMPONENT:
        if (iotsec_cbor_get_uint(v, &u) == IOTSEC_OK) {
            cli_buf_printf(&s->t, "%llu", (unsigned long long)u);
            show_component_ref(s, u);
            cli_buf_puts(&s->t, "\n");
            return;
        }
        break;
    case IOTSEC_SUIT_PARAM_CONTENT:
    case IOTSEC_SUIT_PARAM_INVOKE_ARGS:
        if (iotsec_cbor_get_bstr(v, &b) == IOTSEC_OK) {
            cli_buf_printf(&s->t, "%zu bytes ", b.len);
            if (b.len <= 64) {
                put_bytes(&s->t, b.ptr, b.len);
            } else {
                cli_buf_puts(&s->t, "h'");
                cli_hex_encode(&s->t, b.ptr, 32);
                cli_buf_puts(&s->t, "...'");
            }
            cli_buf_puts(&s->t, "\n");
            return;
        }
        break;
    case IOTSEC_SUIT_PARAM_ENCRYPTION_INFO:
        if (iotsec_cbor_get_bstr(v, &b) == IOTSEC_OK) {
            show_cose_encrypt(s, b, ind + 1);
            return;
        }
        break;
    default:
        break;
    }
    diag_line(&s->t, v);
}

/* The parameters map under cursor @p v, one line each. */
static void show_params(struct show *s, struct iotsec_cbor_dec *v, int ind)
{
    struct iotsec_cbor_dec m;
    int64_t label;

    if (iotsec_cbor_enter_map(v, &m, NULL) != IOTSEC_OK) {
        diag_line(&s->t, v);
        return;
    }
    cli_buf_puts(&s->t, "\n");
    while (!iotsec_cbor_at_end(&m)) {
        indent(&s->t, ind);
        if (iotsec_cbor_get_int(&m, &label) != IOTSEC_OK) {
            diag_entry(&s->t, &m);
            continue;
        }
        if (label < 0)
            cli_buf_printf(&s->t, "custom parameter (%lld): ", (long long)label);
        else {
            put_named(&s->t, NAMES(param_names), label);
            cli_buf_puts(&s->t, ": ");
        }
        show_param(s, label, &m, ind);
    }
    (void)iotsec_cbor_leave(v, &m);
}

static void show_seq(struct show *s, struct iotsec_cbuf seq, int ind)
{
    struct iotsec_cbor_dec d, a, arg;
    int64_t cmd;
    uint64_t u;

    if (ind > 2 * IOTSEC_MAX_SUIT_NESTING + 8) { /* hostile nesting: stop, keep the stack */
        show_line(s, ind, "(nested too deeply to show)\n");
        return;
    }
    if (!dec_one(&d, seq.ptr, seq.len) || iotsec_cbor_enter_array(&d, &a, NULL) != IOTSEC_OK) {
        show_line(s, ind, "(not a command sequence) ");
        if (dec_one(&d, seq.ptr, seq.len))
            cli_put_diag(&s->t, &d);
        cli_buf_puts(&s->t, "\n");
        return;
    }
    while (!iotsec_cbor_at_end(&a)) {
        indent(&s->t, ind);
        if (iotsec_cbor_get_int(&a, &cmd) != IOTSEC_OK) {
            cli_buf_puts(&s->t, "(not a command) ");
            diag_line(&s->t, &a);
            continue;
        }
        if (cmd < 0)
            cli_buf_printf(&s->t, "custom command (%lld)", (long long)cmd);
        else
            put_named(&s->t, NAMES(command_names), cmd);
        if (iotsec_cbor_at_end(&a)) {
            cli_buf_puts(&s->t, ": argument missing\n");
            break;
        }
        cli_buf_puts(&s->t, ": ");
        arg = a;
        switch (cmd) {
        case IOTSEC_SUIT_DIR_SET_COMPONENT_INDEX:
            if (iotsec_cbor_get_uint(&a, &u) == IOTSEC_OK) {
                cli_buf_printf(&s->t, "%llu", (unsigned long long)u);
                show_component_ref(s, u);
                cli_buf_puts(&s->t, "\n");
                continue;
            }
            if (iotsec_cbor_peek_type(&a) == IOTSEC_CBOR_SIMPLE) {
                cli_put_diag(&s->t, &a);
                cli_buf_puts(&s->t, " (every component)\n");
                continue;
            }
            break;
        case IOTSEC_SUIT_DIR_OVERRIDE_PARAMETERS:
        case IOTSEC_SUIT_DIR_SET_PARAMETERS:
            s->t.len--; /* no space before the list */
            show_params(s, &a, ind + 1);
            continue;
        case IOTSEC_SUIT_DIR_TRY_EACH: {
            struct iotsec_cbor_dec b;
            size_t n, i;
            struct iotsec_cbuf br;
            if (iotsec_cbor_enter_array(&a, &b, &n) != IOTSEC_OK)
                break;
            cli_buf_printf(&s->t, "%zu branches\n", n);
            for (i = 0; !iotsec_cbor_at_end(&b); i++) {
                indent(&s->t, ind + 1);
                if (iotsec_cbor_get_bstr(&b, &br) == IOTSEC_OK) {
                    cli_buf_printf(&s->t, "branch %zu:\n", i);
                    show_seq(s, br, ind + 2);
                } else {
                    cli_buf_printf(&s->t, "branch %zu: ", i);
                    cli_put_diag(&s->t, &b);
                    cli_buf_puts(&s->t, " (try-each succeeds when no branch does)\n");
                }
            }
            (void)iotsec_cbor_leave(&a, &b);
            continue;
        }
        case IOTSEC_SUIT_DIR_RUN_SEQUENCE: {
            struct iotsec_cbuf br;
            if (iotsec_cbor_get_bstr(&a, &br) != IOTSEC_OK)
                break;
            cli_buf_puts(&s->t, "\n");
            show_seq(s, br, ind + 1);
            continue;
        }
        case IOTSEC_SUIT_DIR_OVERRIDE_MULTIPLE: {
            struct iotsec_cbor_dec m;
            if (iotsec_cbor_enter_map(&a, &m, NULL) != IOTSEC_OK)
                break;
            cli_buf_puts(&s->t, "\n");
            while (!iotsec_cbor_at_end(&m)) {
                indent(&s->t, ind + 1);
                if (iotsec_cbor_get_uint(&m, &u) == IOTSEC_OK) {
                    cli_buf_printf(&s->t, "component %llu", (unsigned long long)u);
                    show_component_ref(s, u);
                    cli_buf_puts(&s->t, ":");
                    show_params(s, &m, ind + 2);
                } else {
                    diag_entry(&s->t, &m);
                }
            }
            (void)iotsec_cbor_leave(&a, &m);
            continue;
        }
        default:
            if (cmd >= 0 && iotsec_cbor_peek_type(&a) == IOTSEC_CBOR_UINT &&
                iotsec_cbor_get_uint(&a, &u) == IOTSEC_OK) {
                show_policy(&s->t, u);
                cli_buf_puts(&s->t, "\n");
                continue;
            }
            break;
        }
        a = arg;
        diag_line(&s->t, &a);
    }
}

/* One entry of a text map: "name (key): value", or both in diagnostic notation. */
static void show_text_entry(struct cli_buf *t, struct iotsec_cbor_dec *m, const struct name *tab,
                            size_t n)
{
    int64_t k;

    if (iotsec_cbor_get_int(m, &k) == IOTSEC_OK)
        put_named(t, tab, n, k);
    else
        cli_put_diag(t, m);
    cli_buf_puts(t, ": ");
    diag_line(t, m);
}

/*
 * The text map under cursor @p v (consumed), one entry a line at depth
 * @p ind. At the top level (@p top) an entry keyed by a component
 * identifier holds that component's text map.
 */
static void show_text_map(struct show *s, struct iotsec_cbor_dec *v, bool top, int ind)
{
    struct iotsec_cbor_dec m;

    if (iotsec_cbor_enter_map(v, &m, NULL) != IOTSEC_OK) {
        indent(&s->t, ind);
        diag_line(&s->t, v);
        return;
    }
    while (!iotsec_cbor_at_end(&m)) {
        indent(&s->t, ind);
        if (top && iotsec_cbor_peek_type(&m) == IOTSEC_CBOR_ARRAY) {
            struct iotsec_cbuf id;
            (void)iotsec_cbor_get_span(&m, &id);
            cli_buf_puts(&s->t, "component ");
            put_component_id(&s->t, id.ptr, id.len);
            cli_buf_puts(&s->t, ":\n");
            show_text_map(s, &m, false, ind + 1);
        } else if (top) {
            show_text_entry(&s->t, &m, NAMES(text_names));
        } else {
            show_text_entry(&s->t, &m, NAMES(text_component_names));
        }
    }
    (void)iotsec_cbor_leave(v, &m);
}

static void show_text(struct show *s, struct iotsec_cbuf text, int ind)
{
    struct iotsec_cbor_dec d, m;

    if (!dec_one(&d, text.ptr, text.len) || iotsec_cbor_enter_map(&d, &m, NULL) != IOTSEC_OK) {
        show_line(s, ind, "(not a text map)\n");
        return;
    }
    while (!iotsec_cbor_at_end(&m)) {
        indent(&s->t, ind);
        cli_put_diag(&s->t, &m); /* the language tag */
        cli_buf_puts(&s->t, ":\n");
        show_text_map(s, &m, true, ind + 1);
    }
}

static void show_common(struct show *s, struct iotsec_cbuf common, int ind)
{
    struct iotsec_cbor_dec d, m, v, a;
    struct iotsec_cbuf b;
    int64_t k;
    size_t i;

    if (!dec_one(&d, common.ptr, common.len) || iotsec_cbor_enter_map(&d, &m, NULL) != IOTSEC_OK) {
        show_line(s, ind, "(not a map)\n");
        return;
    }
    while (!iotsec_cbor_at_end(&m)) {
        if (!show_key(s, &m, NAMES(common_names), ind, &k))
            continue;
        v = m;
        if (k == IOTSEC_SUIT_COMPONENTS && iotsec_cbor_enter_array(&m, &a, NULL) == IOTSEC_OK) {
            cli_buf_puts(&s->t, "\n");
            for (i = 0; !iotsec_cbor_at_end(&a); i++) {
                struct iotsec_cbuf id;
                (void)iotsec_cbor_get_span(&a, &id);
                indent(&s->t, ind + 1);
                cli_buf_printf(&s->t, "component %zu: ", i);
                put_component_id(&s->t, id.ptr, id.len);
                cli_buf_puts(&s->t, "\n");
            }
            (void)iotsec_cbor_leave(&m, &a);
            continue;
        }
        if (k == IOTSEC_SUIT_SHARED_SEQUENCE && iotsec_cbor_get_bstr(&m, &b) == IOTSEC_OK) {
            cli_buf_puts(&s->t, "\n");
            show_seq(s, b, ind + 1);
            continue;
        }
        m = v;
        diag_value(&s->t, &m);
    }
}

/* Collect common.components for component references. */
static void collect_components(struct show *s)
{
    struct iotsec_cbor_dec v, d, m, c, a;
    struct iotsec_cbuf common;

    s->ncomp = 0;
    if (!manifest_get(s->env, IOTSEC_SUIT_COMMON, &v) ||
        iotsec_cbor_get_bstr(&v, &common) != IOTSEC_OK || !dec_one(&d, common.ptr, common.len) ||
        iotsec_cbor_enter_map(&d, &m, NULL) != IOTSEC_OK ||
        iotsec_cbor_map_find_int(&m, IOTSEC_SUIT_COMPONENTS, &c) != IOTSEC_OK ||
        iotsec_cbor_enter_array(&c, &a, NULL) != IOTSEC_OK)
        return;
    while (!iotsec_cbor_at_end(&a) && s->ncomp < sizeof(s->comp) / sizeof(s->comp[0]))
        (void)iotsec_cbor_get_span(&a, &s->comp[s->ncomp++]);
}

static bool is_sequence_key(int64_t k)
{
    return k == 7 || k == 8 || k == 9 || k == 15 || k == 16 || k == 18 || k == 20 || k == 24;
}

static void show_manifest(struct show *s, int ind)
{
    struct iotsec_cbor_dec d, m, v;
    struct iotsec_cbuf b;
    int64_t k;

    if (!dec_one(&d, s->env->manifest.ptr, s->env->manifest.len)) {
        show_line(s, ind, "(not valid CBOR)\n");
        return;
    }
    if (iotsec_cbor_skip_tag(&d, IOTSEC_SUIT_TAG_MANIFEST))
        show_line(s, ind, "(tagged 1070)\n");
    if (iotsec_cbor_enter_map(&d, &m, NULL) != IOTSEC_OK) {
        show_line(s, ind, "(not a map)\n");
        return;
    }
    while (!iotsec_cbor_at_end(&m)) {
        if (!show_key(s, &m, NAMES(manifest_names), ind, &k))
            continue;
        v = m;
        if (iotsec_cbor_peek_type(&m) == IOTSEC_CBOR_ARRAY &&
            (is_sequence_key(k) || k == IOTSEC_SUIT_TEXT || k == IOTSEC_SUIT_COSWID)) {
            /* a severable member: its digest here, the member in the envelope */
            struct iotsec_cbuf span, member;
            enum member_state st = member_state(s->env, k, &member);
            (void)iotsec_cbor_get_span(&m, &span);
            cli_buf_puts(&s->t, " severable, digest ");
            put_digest(&s->t, span.ptr, span.len);
            cli_buf_puts(&s->t, st == M_PRESENT    ? "; member present (digest matches)\n"
                                : st == M_MISMATCH ? "; member present but DOES NOT match its "
                                                     "digest\n"
                                                   : "; member severed\n");
            if ((st == M_PRESENT || st == M_MISMATCH) && member.ptr != NULL) {
                if (k == IOTSEC_SUIT_TEXT)
                    show_text(s, member, ind + 1);
                else if (k == IOTSEC_SUIT_COSWID) {
                    indent(&s->t, ind + 1);
                    cli_buf_printf(&s->t, "CoSWID, %zu bytes\n", member.len);
                } else
                    show_seq(s, member, ind + 1);
            }
            continue;
        }
        if (k == IOTSEC_SUIT_COMMON && iotsec_cbor_get_bstr(&m, &b) == IOTSEC_OK) {
            cli_buf_puts(&s->t, "\n");
            show_common(s, b, ind + 1);
            continue;
        }
        if (is_sequence_key(k) && iotsec_cbor_get_bstr(&m, &b) == IOTSEC_OK) {
            cli_buf_puts(&s->t, "\n");
            show_seq(s, b, ind + 1);
            continue;
        }
        if (k == IOTSEC_SUIT_TEXT && iotsec_cbor_get_bstr(&m, &b) == IOTSEC_OK) {
            cli_buf_puts(&s->t, " (in the manifest)\n");
            show_text(s, b, ind + 1);
            continue;
        }
        if (k == IOTSEC_SUIT_MANIFEST_COMPONENT_ID && iotsec_cbor_get_span(&m, &b) == IOTSEC_OK) {
            cli_buf_puts(&s->t, " ");
            put_component_id(&s->t, b.ptr, b.len);
            cli_buf_puts(&s->t, "\n");
            continue;
        }
        m = v;
        diag_value(&s->t, &m);
    }
}

static void show_block(struct show *s, struct iotsec_cbuf blk, size_t i, int ind)
{
    struct iotsec_cose_msg m;
    enum iotsec_err err = iotsec_cose_decode(blk.ptr, blk.len, IOTSEC_COSE_UNKNOWN, NULL, 0, &m);
    static const char *const types[] = {"COSE message", "COSE_Sign1", "COSE_Sign", "COSE_Mac0",
                                        "COSE_Mac", "COSE_Encrypt0", "COSE_Encrypt"};

    indent(&s->t, ind);
    cli_buf_printf(&s->t, "block %zu: ", i);
    if (err != IOTSEC_OK) {
        cli_buf_printf(&s->t, "not a COSE message (%s)\n", iotsec_err_str(err));
        return;
    }
    cli_buf_printf(&s->t, "%s (tag %llu), ", types[m.type], (unsigned long long)m.tag);
    show_hdr_brief(&s->t, &m.hdr);
    cli_buf_puts(&s->t, m.content.ptr == NULL ? ", payload detached (the SUIT_Digest)"
                                              : ", payload attached");
    if (m.type == IOTSEC_COSE_SIGN1)
        cli_buf_printf(&s->t, ", signature %zu bytes", m.sig.len);
    else if (m.type == IOTSEC_COSE_MAC0 || m.type == IOTSEC_COSE_MAC)
        cli_buf_printf(&s->t, ", tag %zu bytes", m.sig.len);
    cli_buf_puts(&s->t, "\n");
    if (m.type == IOTSEC_COSE_SIGN) {
        struct iotsec_cbor_dec arr = m.list, list; /* a cursor on the signatures array */
        size_t j;
        if (iotsec_cbor_enter_array(&arr, &list, NULL) != IOTSEC_OK)
            return;
        for (j = 0; j < m.count; j++) {
            struct iotsec_cbor_dec one = list, r;
            struct iotsec_cose_hdr h;
            indent(&s->t, ind + 1);
            cli_buf_printf(&s->t, "signature %zu: ", j);
            if (iotsec_cbor_enter_array(&one, &r, NULL) == IOTSEC_OK &&
                iotsec_cose_hdr_decode(&r, &h, NULL, 0) == IOTSEC_OK)
                show_hdr_brief(&s->t, &h);
            else
                cli_buf_puts(&s->t, "malformed");
            cli_buf_puts(&s->t, "\n");
            (void)iotsec_cbor_skip(&list);
        }
    }
}

/* Diagnostic notation with bstr .cbor expanded, indented. */
static void diag_item(struct cli_buf *t, struct iotsec_cbor_dec *d, int ind, int depth)
{
    struct iotsec_cbor_dec c, in;
    struct iotsec_cbuf b;
    size_t n, i;
    uint64_t tag;
    enum iotsec_cbor_type ty = iotsec_cbor_peek_type(d);
    struct iotsec_cbor_item it;

    if (depth > 24 || iotsec_cbor_peek(d, &it) != IOTSEC_OK) {
        cli_put_diag(t, d);
        return;
    }
    switch (ty) {
    case IOTSEC_CBOR_ARRAY:
    case IOTSEC_CBOR_MAP:
        if (it.val == IOTSEC_CBOR_INDEFINITE || it.val == 0)
            break;
        if (ty == IOTSEC_CBOR_ARRAY)
            (void)iotsec_cbor_enter_array(d, &c, &n);
        else
            (void)iotsec_cbor_enter_map(d, &c, &n);
        cli_buf_puts(t, ty == IOTSEC_CBOR_ARRAY ? "[\n" : "{\n");
        for (i = 0; i < n; i++) {
            indent(t, ind + 1);
            if (ty == IOTSEC_CBOR_MAP) {
                diag_item(t, &c, ind + 1, depth + 1);
                cli_buf_puts(t, ": ");
            }
            diag_item(t, &c, ind + 1, depth + 1);
            cli_buf_puts(t, i + 1 < n ? ",\n" : "\n");
        }
        (void)iotsec_cbor_leave(d, &c);
        indent(t, ind);
        cli_buf_puts(t, ty == IOTSEC_CBOR_ARRAY ? "]" : "}");
        return;
    case IOTSEC_CBOR_TAG:
        (void)iotsec_cbor_get_tag(d, &tag);
        cli_buf_printf(t, "%llu(", (unsigned long long)tag);
        diag_item(t, d, ind, depth + 1);
        cli_buf_puts(t, ")");
        return;
    case IOTSEC_CBOR_BSTR:
        c = *d;
        if (iotsec_cbor_get_bstr(&c, &b) == IOTSEC_OK && b.len > 1 && dec_one(&in, b.ptr, b.len)) {
            enum iotsec_cbor_type it2 = iotsec_cbor_peek_type(&in);
            if (it2 == IOTSEC_CBOR_ARRAY || it2 == IOTSEC_CBOR_MAP || it2 == IOTSEC_CBOR_TAG) {
                *d = c;
                cli_buf_puts(t, "<< ");
                diag_item(t, &in, ind, depth + 1);
                cli_buf_puts(t, " >>");
                return;
            }
        }
        break;
    default:
        break;
    }
    cli_put_diag(t, d);
}

int suit_show(int argc, char **argv)
{
    const char *cmd = "suit show";
    struct suit_args a;
    struct cli_buf in = {0};
    struct envelope env;
    struct auth_info ai;
    struct show s;
    size_t i;
    int rc = parse_args(cmd, show_help, A_DIAG | A_OUT, argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    memset(&s, 0, sizeof(s));
    memset(&env, 0, sizeof(env));
    if ((rc = cli_read(a.in, &in)) != CLI_OK)
        goto out;
    if (a.diag) {
        struct iotsec_cbor_dec d;
        size_t off = 0;
        enum iotsec_err err = iotsec_cbor_dec_init(&d, in.p, in.len, 0, &off);
        if (err != IOTSEC_OK) {
            rc = cli_fail(CLI_REJECT, "%s: not valid CBOR at byte %zu: %s", a.in, off,
                          iotsec_err_str(err));
            goto out;
        }
        diag_item(&s.t, &d, 0, 0);
        cli_buf_puts(&s.t, "\n");
        rc = cli_write(a.out, s.t.p, s.t.len, false);
        goto out;
    }
    if ((rc = env_parse(a.in, in.p, in.len, &env)) != CLI_OK)
        goto out;
    s.env = &env;
    collect_components(&s);
    cli_buf_printf(&s.t, "SUIT_Envelope%s, %zu bytes\n", env.tagged ? " (tag 107)" : " (untagged)",
                   in.len);
    for (i = 0; i < env.n; i++) {
        const struct env_entry *e = &env.e[i];
        indent(&s.t, 1);
        if (!e->is_int) {
            struct iotsec_cbor_dec v, inner;
            struct iotsec_cbuf b;
            cli_buf_printf(&s.t, "\"%.*s\": integrated payload", (int)e->text.len,
                           (const char *)e->text.ptr);
            if (dec_one(&v, e->val.ptr, e->val.len) && iotsec_cbor_get_bstr(&v, &b) == IOTSEC_OK) {
                cli_buf_printf(&s.t, ", %zu bytes", b.len);
                if (dec_one(&inner, b.ptr, b.len) &&
                    iotsec_cbor_skip_tag(&inner, IOTSEC_SUIT_TAG_ENVELOPE))
                    cli_buf_puts(&s.t, " (a SUIT envelope: an integrated dependency)");
            }
            cli_buf_puts(&s.t, "\n");
            continue;
        }
        put_named(&s.t, NAMES(envelope_names), e->ikey);
        cli_buf_puts(&s.t, ":");
        if (e->ikey == IOTSEC_SUIT_AUTHENTICATION) {
            cli_buf_puts(&s.t, "\n");
            if (!auth_parse(&env, &ai)) {
                indent(&s.t, 2);
                cli_buf_puts(&s.t, "(malformed: expected [bstr digest, * bstr block])\n");
                continue;
            }
            indent(&s.t, 2);
            cli_buf_puts(&s.t, "digest: ");
            if (!put_digest(&s.t, ai.digest.ptr, ai.digest.len))
                cli_buf_puts(&s.t, "(not a SUIT_Digest)");
            cli_buf_puts(&s.t, digest_matches(ai.digest, env.manifest_span) == 1
                                   ? " (matches the manifest)\n"
                                   : " (DOES NOT match the manifest)\n");
            if (ai.n_blocks == 0) {
                indent(&s.t, 2);
                cli_buf_puts(&s.t, "no authentication block: the envelope is unsigned\n");
            }
            for (size_t j = 0; j < ai.n_blocks; j++)
                show_block(&s, ai.blocks[j], j + 1, 2);
        } else if (e->ikey == IOTSEC_SUIT_MANIFEST) {
            cli_buf_printf(&s.t, " %zu bytes\n", env.manifest.len);
            show_manifest(&s, 2);
        } else {
            struct iotsec_cbor_dec v;
            struct iotsec_cbuf b;
            enum member_state st = member_state(&env, e->ikey, NULL);
            if (dec_one(&v, e->val.ptr, e->val.len) && iotsec_cbor_get_bstr(&v, &b) == IOTSEC_OK)
                cli_buf_printf(&s.t, " %zu bytes", b.len);
            cli_buf_puts(&s.t, st == M_PRESENT    ? ", severable member (shown in the manifest)\n"
                               : st == M_MISMATCH ? ", severable member, DOES NOT match its "
                                                    "digest\n"
                                                  : ", not referenced by the manifest\n");
        }
    }
    rc = cli_write(a.out, s.t.p, s.t.len, false);
out:
    env_free(&env);
    cli_buf_free(&in);
    cli_buf_free(&s.t);
    return rc;
}

/* ------------------------------------------------------------------ */
/* verify                                                              */
/* ------------------------------------------------------------------ */

static const char verify_help[] =
    "Usage: iotsec suit verify ENVELOPE --key KEY [--key KEY ...]\n"
    "\n"
    "Check that the envelope is authentic and intact, as a device would before\n"
    "it reads the manifest (iotsec_suit_authenticate): one authentication block\n"
    "verifies with a trust anchor given by --key (a public key, or the shared\n"
    "secret of a COSE_Mac0), the digest it signs matches the bstr-wrapped\n"
    "manifest, and every severable member present matches its digest in the\n"
    "manifest (severed members are fine). Exit 0 and a line on standard output\n"
    "when all holds; exit 1 and the reason otherwise. An unsigned envelope\n"
    "(digest only) is refused.\n";

/* Which trust anchor verified block @p blk (for the message), or -1. */
static long which_key(struct iotsec_cbuf blk, struct iotsec_cbuf digest,
                      const struct iotsec_cose_keyset *ks, struct iotsec_buf scratch,
                      struct iotsec_cose_msg *m)
{
    struct iotsec_cose_opts o;
    struct iotsec_cose_result r;

    if (iotsec_cose_decode(blk.ptr, blk.len, IOTSEC_COSE_UNKNOWN, NULL, 0, m) != IOTSEC_OK)
        return -1;
    memset(&o, 0, sizeof(o));
    o.detached = digest;
    o.scratch = scratch;
    return iotsec_cose_verify(m, ks, &o, &r) == IOTSEC_OK ? (long)r.key : -1;
}

static void put_blocks(struct cli_buf *t, const struct auth_info *ai)
{
    size_t i;

    for (i = 0; i < ai->n_blocks; i++) {
        struct iotsec_cose_msg m;
        cli_buf_puts(t, i ? ", " : "");
        if (iotsec_cose_decode(ai->blocks[i].ptr, ai->blocks[i].len, IOTSEC_COSE_UNKNOWN, NULL, 0,
                               &m) != IOTSEC_OK) {
            cli_buf_puts(t, "a malformed block");
            continue;
        }
        cli_buf_puts(t, m.type == IOTSEC_COSE_SIGN1 ? "COSE_Sign1 "
                        : m.type == IOTSEC_COSE_SIGN ? "COSE_Sign "
                        : m.type == IOTSEC_COSE_MAC0 ? "COSE_Mac0 "
                        : m.type == IOTSEC_COSE_MAC  ? "COSE_Mac "
                                                     : "COSE ");
        cli_put_alg(t, m.hdr.alg);
    }
}

int suit_verify(int argc, char **argv)
{
    const char *cmd = "suit verify";
    struct suit_args a;
    struct cli_buf in = {0}, msg = {0}, scratch = {0};
    struct envelope env;
    struct auth_info ai;
    struct cli_keyset kr = {0};
    struct iotsec_suit_manifest m;
    struct iotsec_buf sb;
    enum iotsec_err err;
    size_t i;
    int rc = parse_args(cmd, verify_help, A_KEY, argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if (a.n_keys == 0)
        return cli_usage_error(cmd, "--key is required (a trust anchor)");
    memset(&env, 0, sizeof(env));
    if ((rc = cli_keyset_load(a.keys, a.n_keys, &kr)) != CLI_OK ||
        (rc = read_envelope(a.in, &in, &env)) != CLI_OK)
        goto out;
    cli_buf_reserve(&scratch, in.len + 4096); /* EdDSA signs the whole Sig_structure */
    sb.ptr = scratch.p;
    sb.len = scratch.cap;
    err = iotsec_suit_authenticate(in.p, in.len, &kr.set, sb, &m);
    (void)auth_parse(&env, &ai);
    if (err == IOTSEC_OK) {
        struct iotsec_cose_msg cm;
        long k = which_key(ai.blocks[m.auth_verified], m.digest, &kr.set, sb, &cm);
        cli_buf_printf(&msg, "verified: SUIT envelope, manifest-sequence-number %llu, ",
                       (unsigned long long)m.sequence_number);
        cli_buf_printf(&msg, "authentication block %zu of %zu: ", m.auth_verified + 1,
                       m.auth_blocks);
        cli_buf_puts(&msg, cm.type == IOTSEC_COSE_SIGN1 ? "COSE_Sign1 "
                           : cm.type == IOTSEC_COSE_MAC0 ? "COSE_Mac0 "
                           : cm.type == IOTSEC_COSE_SIGN ? "COSE_Sign "
                                                         : "COSE_Mac ");
        cli_put_alg(&msg, cm.hdr.alg);
        if (k >= 0)
            cli_buf_printf(&msg, ", key %s", a.keys[k]);
        for (i = 0; i < sizeof(severable_keys) / sizeof(severable_keys[0]); i++) {
            enum member_state st = member_state(&env, severable_keys[i], NULL);
            if (st != M_PRESENT && st != M_SEVERED)
                continue;
            cli_buf_printf(&msg, "; %s %s", name_of(NAMES(manifest_names), severable_keys[i]),
                           st == M_PRESENT ? "present (digest matches)" : "severed");
        }
        cli_buf_puts(&msg, "\n");
        fputs((const char *)msg.p, stdout);
        rc = CLI_OK;
        goto out;
    }

    /* say why, in the user's terms */
    if (!ai.ok) {
        rc = cli_fail(CLI_REJECT, "%s: malformed authentication wrapper: %s", a.in,
                      iotsec_err_str(err));
    } else if (ai.n_blocks == 0) {
        rc = cli_fail(CLI_REJECT, "%s: unsigned envelope: the authentication wrapper holds only "
                                  "the SUIT_Digest, no COSE_Sign1 or COSE_Mac0", a.in);
    } else if (err == IOTSEC_ERR_DIGEST_MISMATCH &&
               digest_matches(ai.digest, env.manifest_span) != 1) {
        rc = cli_fail(CLI_REJECT, "%s: the manifest does not match the digest the authentication "
                                  "block signs (the manifest was altered)", a.in);
    } else if (err == IOTSEC_ERR_DIGEST_MISMATCH) {
        const char *which = "a severable member";
        for (i = 0; i < sizeof(severable_keys) / sizeof(severable_keys[0]); i++)
            if (member_state(&env, severable_keys[i], NULL) == M_MISMATCH)
                which = name_of(NAMES(manifest_names), severable_keys[i]);
        rc = cli_fail(CLI_REJECT, "%s: authentic manifest, but the %s member does not match its "
                                  "digest in the manifest", a.in, which);
    } else {
        msg.len = 0;
        put_blocks(&msg, &ai);
        if (err == IOTSEC_ERR_VERIFY_FAILED)
            rc = cli_fail(CLI_REJECT, "%s: no authentication block verifies with the given key%s "
                                      "(blocks: %s)", a.in, a.n_keys > 1 ? "s" : "",
                          (const char *)msg.p);
        else if (err == IOTSEC_ERR_NOT_FOUND)
            rc = cli_fail(CLI_REJECT, "%s: no given key fits the authentication blocks (%s)",
                          a.in, (const char *)msg.p);
        else if (err == IOTSEC_ERR_UNSUPPORTED_ALG || err == IOTSEC_ERR_UNSUPPORTED)
            rc = cli_fail(CLI_REJECT, "%s: not verifiable here: %s (blocks: %s)", a.in,
                          iotsec_err_str(err), (const char *)msg.p);
        else
            rc = cli_fail(CLI_REJECT, "%s: not authentic: %s", a.in, iotsec_err_str(err));
    }
out:
    cli_keyset_free(&kr);
    env_free(&env);
    cli_buf_free(&in);
    cli_buf_free(&msg);
    cli_buf_free(&scratch);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Names for other commands                                            */
/* ------------------------------------------------------------------ */

/* see suit_host.h */
const char *suit_member_name(int64_t key)
{
    return name_of(NAMES(manifest_names), key);
}

/* see suit_host.h */
const char *suit_command_name(int64_t id)
{
    return name_of(NAMES(command_names), id);
}

/* see suit_host.h */
const char *suit_param_name(int64_t id)
{
    return name_of(NAMES(param_names), id);
}

/* see suit_host.h */
const char *suit_digest_name(int64_t alg)
{
    return name_of(NAMES(digest_names), alg);
}
