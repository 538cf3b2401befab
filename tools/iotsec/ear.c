/* SPDX-License-Identifier: Apache-2.0 */
/* Appraisal against reference values, and EAR output: see ear.h. */
#include "ear.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "iotsec/suit.h"

#ifndef IOTSEC_VERSION
#define IOTSEC_VERSION "0.1.0"
#endif

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static const char *const claim_names[EAR_NCLAIMS] = {
    "instance-identity", "configuration",  "executables",    "file-system",
    "hardware",          "runtime-opaque", "storage-opaque", "sourced-data",
};

/* see ear.h */
const char *ear_claim_name(enum ear_claim k)
{
    return (unsigned)k < EAR_NCLAIMS ? claim_names[k] : "unknown";
}

/* see ear.h */
enum ear_tier ear_tier_of(int v)
{
    /* AR4SI 2.3.2: 0, 1 and -1 are "none"; 2..31 and -2..-32 affirming;
     * 32..95 and -33..-96 warning; 96..127 and -97..-128 contraindicated */
    if (v >= 96 || v <= -97)
        return EAR_TIER_CONTRAINDICATED;
    if (v >= 32 || v <= -33)
        return EAR_TIER_WARNING;
    if (v >= 2 || v <= -2)
        return EAR_TIER_AFFIRMING;
    return EAR_TIER_NONE;
}

/* see ear.h */
const char *ear_tier_name(enum ear_tier t)
{
    switch (t) {
    case EAR_TIER_AFFIRMING: return "affirming";
    case EAR_TIER_WARNING: return "warning";
    case EAR_TIER_CONTRAINDICATED: return "contraindicated";
    default: return "none";
    }
}

/* RFC 9711 debug-status names, by value. */
static const char *const dbgstat_names[] = {
    "enabled", "disabled", "disabled-since-boot", "disabled-permanently",
    "disabled-fully-and-permanently",
};

static const struct {
    const char *name;
    int32_t alg;
} digest_algs[] = {
    {"sha-256", IOTSEC_ALG_SHA256},
    {"sha-384", IOTSEC_ALG_SHA384},
    {"sha-512", IOTSEC_ALG_SHA512},
};

static const char *digest_alg_name(int32_t alg)
{
    size_t i;

    for (i = 0; i < sizeof(digest_algs) / sizeof(digest_algs[0]); i++)
        if (digest_algs[i].alg == alg)
            return digest_algs[i].name;
    return "digest";
}

/* ------------------------------------------------------------------ */
/* Reference values                                                    */
/* ------------------------------------------------------------------ */

__attribute__((format(printf, 2, 3))) static int ref_bad(const char *what, const char *fmt, ...)
{
    struct cli_buf t = {0};
    va_list ap;

    va_start(ap, fmt);
    cli_buf_vprintf(&t, fmt, ap);
    va_end(ap);
    (void)cli_fail(CLI_REJECT, "reference values %s: %s", what, t.p != NULL ? (char *)t.p : "");
    cli_buf_free(&t);
    return CLI_REJECT;
}

static char *dup_text(struct iotsec_cbuf s)
{
    char *p = malloc(s.len + 1);

    if (p == NULL) {
        fputs("iotsec: out of memory\n", stderr);
        exit(CLI_IO);
    }
    memcpy(p, s.ptr, s.len);
    p[s.len] = 0;
    return p;
}

/* A base64url member into @p out. */
static int ref_b64(const char *what, const char *name, struct iotsec_cbor_dec *v,
                   struct cli_buf *out)
{
    struct iotsec_cbuf s;

    if (iotsec_cbor_get_tstr(v, &s) != IOTSEC_OK ||
        !cli_b64url_decode((const char *)s.ptr, s.len, out) || out->len == 0)
        return ref_bad(what, "\"%s\" must be base64url text (RFC 9711 JSON encoding)", name);
    return CLI_OK;
}

/* An array of {"sha-256": hex} objects. */
static int ref_digests(const char *what, const char *name, struct iotsec_cbor_dec *v,
                       struct ear_digest **out, size_t *n)
{
    struct iotsec_cbor_dec a, m;
    size_t count = 0;

    if (iotsec_cbor_enter_array(v, &a, &count) != IOTSEC_OK || count == 0)
        return ref_bad(what, "\"%s\" must be a non-empty array of {\"sha-256\": HEX} objects",
                       name);
    *out = calloc(count, sizeof(**out));
    if (*out == NULL)
        return cli_fail(CLI_IO, "out of memory");
    while (!iotsec_cbor_at_end(&a)) {
        struct ear_digest *d = &(*out)[*n];
        struct iotsec_cbuf k, hx;
        struct cli_buf raw = {0};
        char *text;
        size_t i, entries = 0;
        bool ok;

        if (iotsec_cbor_enter_map(&a, &m, &entries) != IOTSEC_OK || entries != 1 ||
            iotsec_cbor_get_tstr(&m, &k) != IOTSEC_OK || iotsec_cbor_get_tstr(&m, &hx) != IOTSEC_OK)
            return ref_bad(what, "each entry of \"%s\" must be one {\"sha-256\": HEX} object",
                           name);
        for (i = 0; i < sizeof(digest_algs) / sizeof(digest_algs[0]); i++)
            if (strlen(digest_algs[i].name) == k.len &&
                memcmp(digest_algs[i].name, k.ptr, k.len) == 0)
                d->alg = digest_algs[i].alg;
        if (d->alg == 0)
            return ref_bad(what, "\"%s\" names digest \"%.*s\"; use sha-256, sha-384 or sha-512",
                           name, (int)k.len, (const char *)k.ptr);
        text = dup_text(hx);
        ok = cli_hex_decode(text, &raw) && raw.len == iotsec_crypto_hash_len(d->alg);
        free(text);
        if (ok) {
            memcpy(d->d, raw.p, raw.len);
            d->len = raw.len;
        }
        cli_buf_free(&raw);
        if (!ok)
            return ref_bad(what, "a %s digest in \"%s\" must be %zu bytes of hex",
                           digest_alg_name(d->alg), name, iotsec_crypto_hash_len(d->alg));
        (void)iotsec_cbor_leave(&a, &m);
        (*n)++;
    }
    (void)iotsec_cbor_leave(v, &a);
    return CLI_OK;
}

static bool name_is(struct iotsec_cbuf k, const char *name)
{
    return k.len == strlen(name) && memcmp(k.ptr, name, k.len) == 0;
}

/* see ear.h */
int ear_reference_parse(const char *what, const char *text, size_t len, struct ear_reference *r)
{
    struct cli_buf cb = {0};
    struct iotsec_cbor_dec d, m;
    int rc;

    memset(r, 0, sizeof(*r));
    r->dbgstat_min = -1;
    if ((rc = cli_json_to_cbor(text, len, &cb, false)) != CLI_OK)
        goto out;
    if (iotsec_cbor_dec_init(&d, cb.p, cb.len, 0, NULL) != IOTSEC_OK ||
        iotsec_cbor_enter_map(&d, &m, NULL) != IOTSEC_OK) {
        rc = ref_bad(what, "must be one JSON object");
        goto out;
    }
    while (!iotsec_cbor_at_end(&m)) {
        struct iotsec_cbuf k, s;
        struct iotsec_cbor_dec v;
        uint64_t u;
        int64_t i64;
        bool b;

        (void)iotsec_cbor_get_tstr(&m, &k); /* JSON object keys are text */
        v = m;
        (void)iotsec_cbor_skip(&m);
        if (name_is(k, "policy-id")) {
            if (iotsec_cbor_get_tstr(&v, &s) != IOTSEC_OK || s.len == 0) {
                rc = ref_bad(what, "\"policy-id\" must be non-empty text");
                goto out;
            }
            r->policy_id = dup_text(s);
        } else if (name_is(k, "ueid")) {
            if ((rc = ref_b64(what, "ueid", &v, &r->ueid)) != CLI_OK)
                goto out;
            r->has_ueid = true;
        } else if (name_is(k, "oemid")) {
            if (iotsec_cbor_get_int(&v, &i64) == IOTSEC_OK) {
                r->oemid_pen = i64;
            } else if ((rc = ref_b64(what, "oemid", &v, &r->oemid)) != CLI_OK) {
                goto out;
            } else if (r->oemid.len != 3 && r->oemid.len != 16) {
                rc = ref_bad(what, "\"oemid\" must be a PEN number or 3 or 16 bytes of base64url");
                goto out;
            }
            r->has_oemid = true;
        } else if (name_is(k, "hwmodel")) {
            if ((rc = ref_b64(what, "hwmodel", &v, &r->hwmodel)) != CLI_OK)
                goto out;
            r->has_hwmodel = true;
        } else if (name_is(k, "hwversion") || name_is(k, "swname")) {
            if (iotsec_cbor_get_tstr(&v, &s) != IOTSEC_OK) {
                rc = ref_bad(what, "\"%.*s\" must be text", (int)k.len, (const char *)k.ptr);
                goto out;
            }
            *(name_is(k, "swname") ? &r->swname : &r->hwversion) = dup_text(s);
        } else if (name_is(k, "swversion")) {
            struct iotsec_cbor_dec a;
            size_t n = 1;
            bool list = iotsec_cbor_enter_array(&v, &a, &n) == IOTSEC_OK;
            r->swversions = calloc(n ? n : 1, sizeof(*r->swversions));
            if (r->swversions == NULL) {
                rc = cli_fail(CLI_IO, "out of memory");
                goto out;
            }
            while (list ? !iotsec_cbor_at_end(&a) : r->n_swversions == 0) {
                if (iotsec_cbor_get_tstr(list ? &a : &v, &s) != IOTSEC_OK) {
                    rc = ref_bad(what, "\"swversion\" must be text or an array of texts");
                    goto out;
                }
                r->swversions[r->n_swversions++] = dup_text(s);
            }
            if (r->n_swversions == 0) {
                rc = ref_bad(what, "\"swversion\" must name at least one version");
                goto out;
            }
        } else if (name_is(k, "dbgstat")) {
            size_t i;
            if (iotsec_cbor_get_uint(&v, &u) == IOTSEC_OK && u >= 1 && u <= 4) {
                r->dbgstat_min = (int)u;
            } else if (iotsec_cbor_get_tstr(&v, &s) == IOTSEC_OK) {
                for (i = 1; i < 5; i++)
                    if (name_is(s, dbgstat_names[i]))
                        r->dbgstat_min = (int)i;
            }
            if (r->dbgstat_min < 0) {
                rc = ref_bad(what, "\"dbgstat\" must be 1..4 or disabled, disabled-since-boot, "
                                   "disabled-permanently or disabled-fully-and-permanently");
                goto out;
            }
        } else if (name_is(k, "oemboot")) {
            if (iotsec_cbor_get_bool(&v, &b) != IOTSEC_OK || !b) {
                rc = ref_bad(what, "\"oemboot\" can only be true");
                goto out;
            }
            r->has_oemboot = true;
        } else if (name_is(k, "measurements")) {
            if ((rc = ref_digests(what, "measurements", &v, &r->measurements,
                                  &r->n_measurements)) != CLI_OK)
                goto out;
        } else if (name_is(k, "manifests")) {
            if ((rc = ref_digests(what, "manifests", &v, &r->manifests, &r->n_manifests)) !=
                CLI_OK)
                goto out;
        } else if (name_is(k, "suit-sequence-number")) {
            struct iotsec_cbor_dec sm;
            size_t n = 0;
            if (iotsec_cbor_enter_map(&v, &sm, &n) != IOTSEC_OK || n != 1 ||
                iotsec_cbor_get_tstr(&sm, &s) != IOTSEC_OK ||
                !(name_is(s, "min") || name_is(s, "exact")) ||
                iotsec_cbor_get_uint(&sm, &u) != IOTSEC_OK) {
                rc = ref_bad(what, "\"suit-sequence-number\" must be {\"min\": N} or "
                                   "{\"exact\": N}");
                goto out;
            }
            r->seq_min = name_is(s, "min");
            r->seq_exact = !r->seq_min;
            r->seq = u;
        } else {
            rc = ref_bad(what, "unknown member \"%.*s\"", (int)k.len, (const char *)k.ptr);
            goto out;
        }
    }
    rc = CLI_OK;
out:
    cli_buf_free(&cb);
    if (rc != CLI_OK)
        ear_reference_free(r);
    return rc;
}

/* see ear.h */
int ear_reference_load(const char *path, struct ear_reference *r)
{
    struct cli_buf text = {0};
    int rc;

    memset(r, 0, sizeof(*r));
    r->dbgstat_min = -1;
    if ((rc = cli_read(path, &text)) == CLI_OK)
        rc = ear_reference_parse(path, (const char *)text.p, text.len, r);
    cli_buf_free(&text);
    return rc;
}

/* see ear.h */
void ear_reference_free(struct ear_reference *r)
{
    size_t i;

    free(r->policy_id);
    cli_buf_free(&r->ueid);
    cli_buf_free(&r->oemid);
    cli_buf_free(&r->hwmodel);
    free(r->hwversion);
    free(r->swname);
    for (i = 0; i < r->n_swversions; i++)
        free(r->swversions[i]);
    free(r->swversions);
    free(r->measurements);
    free(r->manifests);
    memset(r, 0, sizeof(*r));
    r->dbgstat_min = -1;
}

/* ------------------------------------------------------------------ */
/* Appraisal                                                           */
/* ------------------------------------------------------------------ */

static bool has(const struct iotsec_eat_claims *c, int key)
{
    return (c->present & IOTSEC_EAT_BIT((uint64_t)key)) != 0;
}

static bool same_bytes(struct iotsec_cbuf a, const struct cli_buf *b)
{
    return a.len == b->len && (a.len == 0 || memcmp(a.ptr, b->p, a.len) == 0);
}

static bool same_text(struct iotsec_cbuf a, const char *s)
{
    return a.len == strlen(s) && memcmp(a.ptr, s, a.len) == 0;
}

/*
 * Record a finding: claim @p k gets value @p v unless it holds a worse one
 * already (AR4SI 2.3.3); findings below affirming add their sentence.
 */
__attribute__((format(printf, 4, 5))) static void find(struct ear_result *r, enum ear_claim k,
                                                      int v, const char *fmt, ...)
{
    enum ear_tier t = ear_tier_of(v);
    va_list ap;

    if (!r->set[k] || t > ear_tier_of(r->tv[k])) {
        r->set[k] = true;
        r->tv[k] = (int8_t)v;
    }
    if (fmt == NULL || t == EAR_TIER_AFFIRMING)
        return;
    if (r->why.len != 0)
        cli_buf_puts(&r->why, "; ");
    va_start(ap, fmt);
    cli_buf_vprintf(&r->why, fmt, ap);
    va_end(ap);
}

/* Does a manifests or measurements claim hold an entry with digest @p want? */
static bool holds_digest(const struct iotsec_cbor_dec *claim, const struct ear_digest *want)
{
    struct iotsec_cbor_dec l = *claim;
    struct iotsec_eat_entry e;
    uint8_t got[64];
    size_t n;

    while (iotsec_eat_entry_next(&l, &e) == IOTSEC_OK)
        if (iotsec_crypto_hash(want->alg, e.value.ptr, e.value.len, got, sizeof(got), &n) ==
                IOTSEC_OK &&
            n == want->len && memcmp(got, want->d, n) == 0)
            return true;
    return false;
}

/* The manifest-sequence-number of @p env when it is a SUIT_Envelope. */
static bool suit_sequence(struct iotsec_cbuf env, uint64_t *seq)
{
    struct iotsec_cbor_dec d, m, v, mm, sv;
    struct iotsec_cbuf man;

    if (iotsec_cbor_dec_init(&d, env.ptr, env.len, 0, NULL) != IOTSEC_OK)
        return false;
    (void)iotsec_cbor_skip_tag(&d, IOTSEC_SUIT_TAG_ENVELOPE);
    if (iotsec_cbor_enter_map(&d, &m, NULL) != IOTSEC_OK ||
        iotsec_cbor_map_find_int(&m, IOTSEC_SUIT_MANIFEST, &v) != IOTSEC_OK ||
        iotsec_cbor_get_bstr(&v, &man) != IOTSEC_OK ||
        iotsec_cbor_dec_init(&d, man.ptr, man.len, 0, NULL) != IOTSEC_OK)
        return false;
    (void)iotsec_cbor_skip_tag(&d, IOTSEC_SUIT_TAG_MANIFEST);
    return iotsec_cbor_enter_map(&d, &mm, NULL) == IOTSEC_OK &&
           iotsec_cbor_map_find_int(&mm, IOTSEC_SUIT_MANIFEST_SEQUENCE_NUMBER, &sv) == IOTSEC_OK &&
           iotsec_cbor_get_uint(&sv, seq) == IOTSEC_OK;
}

static void appraise_hardware(const struct iotsec_eat_claims *c, const struct ear_reference *ref,
                              struct ear_result *r)
{
    if (!ref->has_oemid && !ref->has_hwmodel && ref->hwversion == NULL)
        return;
    if (ref->has_oemid) {
        bool ok = has(c, IOTSEC_EAT_OEMID) &&
                  (ref->oemid.len == 0 ? c->oemid.ptr == NULL && c->oemid_pen == ref->oemid_pen
                                       : c->oemid.ptr != NULL && same_bytes(c->oemid, &ref->oemid));
        if (!ok)
            find(r, EAR_HARDWARE, 97, "hardware: %s", has(c, IOTSEC_EAT_OEMID)
                                                          ? "the oemid is not the reference's"
                                                          : "the token carries no oemid");
    }
    if (ref->has_hwmodel && !(has(c, IOTSEC_EAT_HWMODEL) && same_bytes(c->hwmodel, &ref->hwmodel)))
        find(r, EAR_HARDWARE, 97, "hardware: %s", has(c, IOTSEC_EAT_HWMODEL)
                                                      ? "the hwmodel is not the reference's"
                                                      : "the token carries no hwmodel");
    if (ref->hwversion != NULL) {
        if (!has(c, IOTSEC_EAT_HWVERSION))
            find(r, EAR_HARDWARE, 97, "hardware: the token carries no hwversion");
        else if (!same_text(c->hwversion.version, ref->hwversion))
            find(r, EAR_HARDWARE, 97, "hardware: hwversion '%.*s' is not the reference's '%s'",
                 (int)c->hwversion.version.len, (const char *)c->hwversion.version.ptr,
                 ref->hwversion);
    }
    find(r, EAR_HARDWARE, 2, NULL);
}

static void appraise_configuration(const struct iotsec_eat_claims *c,
                                   const struct ear_reference *ref, struct ear_result *r)
{
    int got;

    if (ref->dbgstat_min < 0)
        return;
    if (!has(c, IOTSEC_EAT_DBGSTAT)) {
        find(r, EAR_CONFIGURATION, 96, "configuration: the token carries no dbgstat claim, and "
                                       "the reference requires debugging to be %s",
             dbgstat_names[ref->dbgstat_min]);
        return;
    }
    got = (int)c->dbgstat;
    if (got == IOTSEC_EAT_DBG_ENABLED)
        find(r, EAR_CONFIGURATION, 96, "configuration: debugging is enabled (dbgstat enabled), "
                                       "and the reference requires it %s",
             dbgstat_names[ref->dbgstat_min]);
    else if (got < ref->dbgstat_min)
        find(r, EAR_CONFIGURATION, 32, "configuration: debugging is %s, and the reference "
                                       "requires it %s",
             got >= 0 && got <= 4 ? dbgstat_names[got] : "in an unknown state",
             dbgstat_names[ref->dbgstat_min]);
    else
        find(r, EAR_CONFIGURATION, 2, NULL);
}

/* The attester's own measurement results: any "fail" (2) is reported. */
static void appraise_measres(const struct iotsec_eat_claims *c, struct ear_result *r)
{
    struct iotsec_cbor_dec l = c->measres, groups, g, results, one;
    struct iotsec_cbuf system, id;
    uint64_t result;

    if (!has(c, IOTSEC_EAT_MEASRES) || iotsec_cbor_enter_array(&l, &groups, NULL) != IOTSEC_OK)
        return;
    while (!iotsec_cbor_at_end(&groups)) {
        if (iotsec_cbor_enter_array(&groups, &g, NULL) != IOTSEC_OK ||
            iotsec_cbor_get_tstr(&g, &system) != IOTSEC_OK ||
            iotsec_cbor_enter_array(&g, &results, NULL) != IOTSEC_OK)
            return; /* the library checked the shape; be safe anyway */
        while (!iotsec_cbor_at_end(&results)) {
            if (iotsec_cbor_enter_array(&results, &one, NULL) != IOTSEC_OK)
                return;
            id.ptr = NULL;
            id.len = 0;
            (void)iotsec_cbor_get_tstr(&one, &id);
            if (id.ptr == NULL)
                (void)iotsec_cbor_skip(&one);
            if (iotsec_cbor_get_uint(&one, &result) == IOTSEC_OK && result == 2)
                find(r, EAR_EXECUTABLES, 96, "executables: measurement '%.*s' of '%.*s' failed",
                     (int)id.len, id.ptr != NULL ? (const char *)id.ptr : "",
                     (int)system.len, (const char *)system.ptr);
            iotsec_cbor_skip_rest(&one);
            (void)iotsec_cbor_leave(&results, &one);
        }
        (void)iotsec_cbor_leave(&g, &results);
        iotsec_cbor_skip_rest(&g);
        (void)iotsec_cbor_leave(&groups, &g);
    }
}

static void appraise_digests(const struct iotsec_eat_claims *c, int key, const char *claim,
                             const struct ear_digest *want, size_t n, struct ear_result *r)
{
    const struct iotsec_cbor_dec *l = key == IOTSEC_EAT_MEASUREMENTS ? &c->measurements
                                                                      : &c->manifests;
    struct cli_buf hx = {0};
    size_t i;

    for (i = 0; i < n; i++) {
        if (has(c, key) && holds_digest(l, &want[i]))
            continue;
        hx.len = 0;
        cli_hex_encode(&hx, want[i].d, want[i].len < 8 ? want[i].len : 8);
        find(r, EAR_EXECUTABLES, 33, "executables: %s %s %s... is not in the token's %s claim",
             claim, digest_alg_name(want[i].alg), hx.p != NULL ? (char *)hx.p : "", claim);
    }
    cli_buf_free(&hx);
}

static void appraise_suit_sequence(const struct iotsec_eat_claims *c,
                                   const struct ear_reference *ref, struct ear_result *r)
{
    struct iotsec_cbor_dec l = c->manifests;
    struct iotsec_eat_entry e;
    uint64_t seq = 0, s;
    bool found = false;

    if (!ref->seq_min && !ref->seq_exact)
        return;
    while (has(c, IOTSEC_EAT_MANIFESTS) && iotsec_eat_entry_next(&l, &e) == IOTSEC_OK)
        if (!e.text && suit_sequence(e.value, &s) && (!found || s > seq)) {
            seq = s;
            found = true;
        }
    if (!found)
        find(r, EAR_EXECUTABLES, 33, "executables: the manifests claim holds no SUIT envelope, "
                                     "so the manifest sequence number cannot be checked");
    else if (ref->seq_min && seq < ref->seq)
        find(r, EAR_EXECUTABLES, 32, "executables: SUIT manifest sequence number %llu is below "
                                     "the minimum %llu",
             (unsigned long long)seq, (unsigned long long)ref->seq);
    else if (ref->seq_exact && seq != ref->seq)
        find(r, EAR_EXECUTABLES, 33, "executables: SUIT manifest sequence number %llu is not "
                                     "the reference's %llu",
             (unsigned long long)seq, (unsigned long long)ref->seq);
}

static void appraise_executables(const struct iotsec_eat_claims *c,
                                 const struct ear_reference *ref, struct ear_result *r)
{
    size_t i;
    bool ok;

    if (!ref->has_oemboot && ref->swname == NULL && ref->n_swversions == 0 &&
        ref->n_measurements == 0 && ref->n_manifests == 0 && !ref->seq_min && !ref->seq_exact)
        return;
    if (ref->has_oemboot && !(has(c, IOTSEC_EAT_OEMBOOT) && c->oemboot))
        find(r, EAR_EXECUTABLES, 96, "executables: %s", has(c, IOTSEC_EAT_OEMBOOT)
                 ? "the boot was not authorised by the OEM (oemboot false)"
                 : "the token carries no oemboot claim, and the reference requires an "
                   "OEM-authorised boot");
    if (ref->swname != NULL) {
        if (!has(c, IOTSEC_EAT_SWNAME))
            find(r, EAR_EXECUTABLES, 33, "executables: the token carries no swname");
        else if (!same_text(c->swname, ref->swname))
            find(r, EAR_EXECUTABLES, 33, "executables: software '%.*s' is not the reference's "
                                         "'%s'",
                 (int)c->swname.len, (const char *)c->swname.ptr, ref->swname);
    }
    if (ref->n_swversions != 0) {
        ok = false;
        for (i = 0; i < ref->n_swversions && has(c, IOTSEC_EAT_SWVERSION); i++)
            ok = ok || same_text(c->swversion.version, ref->swversions[i]);
        if (!has(c, IOTSEC_EAT_SWVERSION))
            find(r, EAR_EXECUTABLES, 33, "executables: the token carries no swversion");
        else if (!ok)
            find(r, EAR_EXECUTABLES, 33, "executables: software version '%.*s' is not one the "
                                         "reference lists",
                 (int)c->swversion.version.len, (const char *)c->swversion.version.ptr);
    }
    appraise_digests(c, IOTSEC_EAT_MEASUREMENTS, "measurements", ref->measurements,
                     ref->n_measurements, r);
    appraise_digests(c, IOTSEC_EAT_MANIFESTS, "manifests", ref->manifests, ref->n_manifests, r);
    appraise_suit_sequence(c, ref, r);
    find(r, EAR_EXECUTABLES, 2, NULL);
}

/* see ear.h */
void ear_appraise(const struct iotsec_eat_claims *c, const struct ear_reference *ref,
                  struct ear_result *r)
{
    size_t i;

    memset(r, 0, sizeof(*r));
    /* the token verified with a key of the key set: the attester is known */
    if (ref != NULL && ref->has_ueid && !(has(c, IOTSEC_EAT_UEID) && same_bytes(c->ueid, &ref->ueid)))
        find(r, EAR_INSTANCE_IDENTITY, 97, "instance-identity: %s",
             has(c, IOTSEC_EAT_UEID) ? "the ueid is not the reference's"
                                     : "the token carries no ueid");
    find(r, EAR_INSTANCE_IDENTITY, 2, NULL);
    if (ref != NULL) {
        appraise_hardware(c, ref, r);
        appraise_configuration(c, ref, r);
        appraise_executables(c, ref, r);
        appraise_measres(c, r);
    }
    r->status = EAR_TIER_NONE;
    for (i = 0; i < EAR_NCLAIMS; i++) {
        enum ear_tier t = r->set[i] ? ear_tier_of(r->tv[i]) : EAR_TIER_NONE;
        if (t > r->status)
            r->status = t;
    }
}

/* see ear.h */
void ear_result_free(struct ear_result *r)
{
    cli_buf_free(&r->why);
}

/* ------------------------------------------------------------------ */
/* EAR                                                                 */
/* ------------------------------------------------------------------ */

/* see ear.h */
void ear_write_json(struct cli_buf *o, const struct ear_result *r, const struct ear_meta *m,
                    const struct ear_reference *ref, const struct iotsec_eat_claims *c)
{
    struct cli_jw w;
    size_t i;

    cli_jw_init(&w, o);
    cli_jw_begin(&w, '{');
    cli_jw_key(&w, "eat_profile");
    cli_jw_str(&w, EAR_PROFILE);
    cli_jw_key(&w, "iat");
    cli_jw_int(&w, m->iat);
    cli_jw_key(&w, "ear_verifier_id");
    cli_jw_begin(&w, '{');
    cli_jw_key(&w, "developer");
    cli_jw_str(&w, m->developer != NULL ? m->developer : "iotsec");
    cli_jw_key(&w, "build");
    cli_jw_str(&w, m->build != NULL ? m->build : "iotsec " IOTSEC_VERSION);
    cli_jw_end(&w, '}');
    cli_jw_key(&w, "ear_status");
    cli_jw_str(&w, ear_tier_name(r->status));
    if (m->nonce.ptr != NULL) {
        cli_jw_key(&w, "eat_nonce");
        cli_jw_b64(&w, m->nonce.ptr, m->nonce.len);
    }
    cli_jw_key(&w, "submods");
    cli_jw_begin(&w, '{');
    cli_jw_key(&w, EAR_SUBMOD_LABEL);
    cli_jw_begin(&w, '{');
    cli_jw_key(&w, "ear_status");
    cli_jw_str(&w, ear_tier_name(r->status));
    cli_jw_key(&w, "ear_trustworthiness_vector");
    cli_jw_begin(&w, '{');
    for (i = 0; i < EAR_NCLAIMS; i++)
        if (r->set[i]) {
            cli_jw_key(&w, ear_claim_name((enum ear_claim)i));
            cli_jw_int(&w, r->tv[i]);
        }
    cli_jw_end(&w, '}');
    if (ref != NULL && ref->policy_id != NULL) {
        cli_jw_key(&w, "ear_appraisal_policy_ids");
        cli_jw_begin(&w, '[');
        cli_jw_str(&w, ref->policy_id);
        cli_jw_end(&w, ']');
    }
    if (c != NULL && c->n_nonce > 0) {
        cli_jw_key(&w, "eat_nonce");
        if (c->n_nonce == 1) {
            cli_jw_b64(&w, c->nonce[0].ptr, c->nonce[0].len);
        } else {
            cli_jw_begin(&w, '[');
            for (i = 0; i < c->n_nonce; i++)
                cli_jw_b64(&w, c->nonce[i].ptr, c->nonce[i].len);
            cli_jw_end(&w, ']');
        }
    }
    cli_jw_end(&w, '}');
    cli_jw_end(&w, '}');
    cli_jw_end(&w, '}');
}
