/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec eat create | show | verify
 *
 * Entity Attestation Tokens (RFC 9711) as CWTs. The library (iotsec/eat.h)
 * builds, signs, verifies and type-checks claims sets with integer keys;
 * this file is the bridge to people: claims are written and shown with
 * their RFC 9711 / RFC 8392 JSON names, byte strings as base64url (RFC 9711
 * section 7.2.2's JSON encoding), debug states, intended uses and
 * measurement results by name. Appraisal against reference values and the
 * EAR printed by verify live in ear.c, for reuse by a verifier service.
 *
 * JSON claims to CBOR: the JSON is parsed strictly (duplicate members are
 * refused) and converted claim by claim; a name that is not a claim of RFC
 * 9711 or RFC 8392, or a value of the wrong type or size, is refused with
 * the claim's name, before anything is signed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ear.h"
#include "iotsec/eat.h"

#define EAT_MAX_KEYS 32
/* submodules inside submodules: deeper is refused rather than recursed into */
#define EAT_MAX_SUBMOD_DEPTH 4

static const char eat_help[] =
    "Usage: iotsec eat <command> [options]\n"
    "\n"
    "Entity Attestation Tokens (RFC 9711) as CWTs in COSE_Sign1 or COSE_Mac0.\n"
    "\n"
    "Commands:\n"
    "  create   build a token from JSON claims and sign (or MAC) it\n"
    "  show     print a token's claims by name without checking it\n"
    "  verify   check a token, appraise it, and print the attestation result (EAR)\n"
    "\n"
    "Run 'iotsec eat <command> --help' for the options of a command.\n";

static const char create_help[] =
    "Usage: iotsec eat create --claims CLAIMS.json --key KEY [--kid KID] [--nonce HEX]\n"
    "                         [--alg ALG] [--cwt-tag] [-o TOKEN]\n"
    "\n"
    "Build a claims set from the JSON object in CLAIMS.json and sign it into a\n"
    "CWT: a COSE_Sign1 with a private key, a COSE_Mac0 with a symmetric key.\n"
    "\n"
    "Claims use the JSON names of RFC 9711 and RFC 8392: iss sub aud exp nbf iat\n"
    "cti eat_nonce ueid sueids oemid hwmodel hwversion uptime oemboot dbgstat\n"
    "location eat_profile submods bootcount bootseed dloas swname swversion\n"
    "manifests measurements measres intuse. Byte strings (eat_nonce, ueid, oemid,\n"
    "hwmodel, bootseed, cti, manifest and measurement contents) are base64url\n"
    "text; dbgstat, intuse and measres results are numbers or their RFC 9711\n"
    "names (\"disabled-since-boot\", \"registration\", \"success\", ...); oemid is a\n"
    "PEN number or base64url; eat_profile is a URI or a dotted OID; a submodule is\n"
    "a claims object, [\"CBOR\", base64url token] or [hash-alg, base64url digest].\n"
    "Any other name is an error.\n"
    "\n"
    "Options:\n"
    "  --claims FILE  the claims, one JSON object\n"
    "  --key KEY      private key (PEM or COSE_Key), or a symmetric key for HMAC\n"
    "  --kid KID      key identifier (text) to send; default: the COSE_Key kid\n"
    "  --nonce HEX    eat_nonce (8 to 64 bytes), instead of the file's\n"
    "  --alg ALG      ES256 ES384 ES512 ESP256 ESP384 ESP512 EdDSA Ed25519, or\n"
    "                 HMAC 256/256 HMAC 384/384 HMAC 512/512 HMAC 256/64; default:\n"
    "                 the key's COSE_Key alg, else its curve's, else HMAC 256/256\n"
    "  --cwt-tag      wrap the COSE message in the CWT tag (61)\n"
    "  -o TOKEN       output file (default: standard output)\n";

static const char show_help[] =
    "Usage: iotsec eat show [TOKEN]\n"
    "\n"
    "Print the token in TOKEN (default: standard input) as JSON without checking\n"
    "its signature: its form (COSE_Sign1, COSE_Mac0, UCCS, DEB, or a bare claims\n"
    "set), whether the CWT tag wraps it, alg and kid, and the claims by their RFC\n"
    "9711 / RFC 8392 JSON names (byte strings base64url; dbgstat, intuse and\n"
    "measres results by name; unknown integer keys as decimal strings). A detached\n"
    "EAT bundle (tag 602) shows its main token and each detached claims set.\n"
    "\n"
    "Exit 1 when the input is not a token, or when a claims set does not conform\n"
    "to RFC 9711 (the claims are printed first).\n";

static const char verify_help[] =
    "Usage: iotsec eat verify TOKEN --key KEY [--key KEY ...] [--nonce HEX]\n"
    "                         [--max-age SECONDS] [--now SECONDS] [--leeway SECONDS]\n"
    "                         [--profile constrained] [--reference REF.json]\n"
    "\n"
    "Verify the token in TOKEN ('-': standard input): its COSE_Sign1 or COSE_Mac0\n"
    "against the key set (each --key one entry, known by its COSE_Key kid), the\n"
    "type of every claim, and freshness: the nonce this verifier sent, exp and nbf,\n"
    "and with --max-age an iat no older than that. Then appraise its claims against\n"
    "the reference values in REF.json (see tools/iotsec/ear.h) and print the\n"
    "attestation result on standard output as an EAR (draft-ietf-rats-ear-03,\n"
    "JSON): an AR4SI trustworthiness vector (instance-identity, configuration,\n"
    "executables, hardware) and an overall ear_status.\n"
    "\n"
    "Exit 0 only when the token is authentic and fresh and the appraisal is\n"
    "affirming. Exit 1, with the reason on standard error, when the signature or\n"
    "MAC does not verify, no key fits, the nonce is not the one sent, the token\n"
    "expired or is not valid yet, a claim is malformed, or the appraisal is not\n"
    "affirming (the EAR is still printed then).\n"
    "\n"
    "Options:\n"
    "  --key KEY          public key, or the shared secret of a COSE_Mac0; repeat\n"
    "  --nonce HEX        the nonce this verifier sent; the token must carry it\n"
    "  --max-age SECONDS  require iat, no older than this\n"
    "  --now SECONDS      the time to check against (default: the system clock)\n"
    "  --leeway SECONDS   allowed clock skew for exp, nbf and iat (default 0)\n"
    "  --profile constrained\n"
    "                     enforce the Constrained Device Standard Profile (RFC 9711\n"
    "                     section 6.4): COSE_Sign1 with ES256/384/512, a nonce\n"
    "  --reference FILE   reference values to appraise the claims against\n";

/* ------------------------------------------------------------------ */
/* Claims and their JSON names                                         */
/* ------------------------------------------------------------------ */

enum ctype {
    C_TEXT,     /* tstr */
    C_AUD,      /* tstr or [+ tstr] */
    C_TIME,     /* int, whole seconds */
    C_BYTES,    /* bstr, base64url in JSON */
    C_NONCE,    /* bstr 8..64, or an array of 2 or more */
    C_OEMID,    /* PEN, or bstr of 3 or 16 */
    C_VERSION,  /* [tstr, ?scheme] */
    C_UINT,
    C_BOOL,
    C_DBGSTAT,  /* 0..4 or name */
    C_LOCATION, /* {latitude, longitude, ...} */
    C_PROFILE,  /* URI text or OID */
    C_SUBMODS,
    C_DLOAS,    /* [+ [uri, label, ?label]] */
    C_ENTRIES,  /* manifests, measurements: [+ [content-format, bytes]] */
    C_MEASRES,
    C_INTUSE,   /* int or name */
    C_SUEIDS,   /* {+ tstr => ueid} */
    C_CNF       /* RFC 8747: shown, not made */
};

static const struct claim_def {
    const char *name;
    int64_t key;
    enum ctype type;
    size_t lo, hi; /* byte string size limits (0: none) */
} claim_defs[] = {
    {"iss", IOTSEC_EAT_ISS, C_TEXT, 0, 0},
    {"sub", IOTSEC_EAT_SUB, C_TEXT, 0, 0},
    {"aud", IOTSEC_EAT_AUD, C_AUD, 0, 0},
    {"exp", IOTSEC_EAT_EXP, C_TIME, 0, 0},
    {"nbf", IOTSEC_EAT_NBF, C_TIME, 0, 0},
    {"iat", IOTSEC_EAT_IAT, C_TIME, 0, 0},
    {"cti", IOTSEC_EAT_CTI, C_BYTES, 1, 0},
    {"cnf", IOTSEC_EAT_CNF, C_CNF, 0, 0},
    {"eat_nonce", IOTSEC_EAT_NONCE, C_NONCE, 8, 64},
    {"ueid", IOTSEC_EAT_UEID, C_BYTES, 7, 33},
    {"sueids", IOTSEC_EAT_SUEIDS, C_SUEIDS, 7, 33},
    {"oemid", IOTSEC_EAT_OEMID, C_OEMID, 0, 0},
    {"hwmodel", IOTSEC_EAT_HWMODEL, C_BYTES, 1, 32},
    {"hwversion", IOTSEC_EAT_HWVERSION, C_VERSION, 0, 0},
    {"uptime", IOTSEC_EAT_UPTIME, C_UINT, 0, 0},
    {"oemboot", IOTSEC_EAT_OEMBOOT, C_BOOL, 0, 0},
    {"dbgstat", IOTSEC_EAT_DBGSTAT, C_DBGSTAT, 0, 0},
    {"location", IOTSEC_EAT_LOCATION, C_LOCATION, 0, 0},
    {"eat_profile", IOTSEC_EAT_PROFILE, C_PROFILE, 0, 0},
    {"submods", IOTSEC_EAT_SUBMODS, C_SUBMODS, 0, 0},
    {"bootcount", IOTSEC_EAT_BOOTCOUNT, C_UINT, 0, 0},
    {"bootseed", IOTSEC_EAT_BOOTSEED, C_BYTES, 1, 0},
    {"dloas", IOTSEC_EAT_DLOAS, C_DLOAS, 0, 0},
    {"swname", IOTSEC_EAT_SWNAME, C_TEXT, 0, 0},
    {"swversion", IOTSEC_EAT_SWVERSION, C_VERSION, 0, 0},
    {"manifests", IOTSEC_EAT_MANIFESTS, C_ENTRIES, 0, 0},
    {"measurements", IOTSEC_EAT_MEASUREMENTS, C_ENTRIES, 0, 0},
    {"measres", IOTSEC_EAT_MEASRES, C_MEASRES, 0, 0},
    {"intuse", IOTSEC_EAT_INTUSE, C_INTUSE, 0, 0},
};

#define NELEM(t) (sizeof(t) / sizeof((t)[0]))

static const struct claim_def *claim_by_name(struct iotsec_cbuf n)
{
    size_t i;

    for (i = 0; i < NELEM(claim_defs); i++)
        if (strlen(claim_defs[i].name) == n.len && memcmp(claim_defs[i].name, n.ptr, n.len) == 0)
            return &claim_defs[i];
    return NULL;
}

static const struct claim_def *claim_by_key(int64_t key)
{
    size_t i;

    for (i = 0; i < NELEM(claim_defs); i++)
        if (claim_defs[i].key == key)
            return &claim_defs[i];
    return NULL;
}

struct named {
    int64_t v;
    const char *name;
};

static const struct named dbgstat_names[] = {
    {0, "enabled"},
    {1, "disabled"},
    {2, "disabled-since-boot"},
    {3, "disabled-permanently"},
    {4, "disabled-fully-and-permanently"},
};

/* RFC 9711 section 4.3.3 and its IANA registry */
static const struct named intuse_names[] = {
    {1, "generic"}, {2, "registration"}, {3, "provisioning"}, {4, "csr"}, {5, "pop"},
};

static const struct named measres_names[] = {
    {1, "success"}, {2, "fail"}, {3, "not-run"}, {4, "absent"},
};

static const struct named location_names[] = {
    {1, "latitude"}, {2, "longitude"},        {3, "altitude"}, {4, "accuracy"},
    {5, "altitude-accuracy"}, {6, "heading"}, {7, "speed"},    {8, "timestamp"},
    {9, "age"},
};

/* CoSWID version schemes (RFC 9393 section 4.1) */
static const struct named scheme_names[] = {
    {1, "multipartnumeric"}, {2, "multipartnumeric+suffix"}, {3, "alphanumeric"},
    {4, "decimal"},          {16384, "semver"},
};

static const char *name_of(const struct named *t, size_t n, int64_t v)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (t[i].v == v)
            return t[i].name;
    return NULL;
}

static bool value_of(const struct named *t, size_t n, struct iotsec_cbuf s, int64_t *v)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strlen(t[i].name) == s.len && memcmp(t[i].name, s.ptr, s.len) == 0) {
            *v = t[i].v;
            return true;
        }
    return false;
}

/* "swname (270)" for messages. */
static const char *key_label(int64_t key, char *buf, size_t n)
{
    const struct claim_def *d = claim_by_key(key);

    if (d != NULL)
        snprintf(buf, n, "%s (%lld)", d->name, (long long)key);
    else
        snprintf(buf, n, "%lld", (long long)key);
    return buf;
}

/* ------------------------------------------------------------------ */
/* OIDs (eat_profile)                                                  */
/* ------------------------------------------------------------------ */

/* Dotted text to BER contents (RFC 9090 ~oid); false when not an OID. */
static bool oid_from_text(struct iotsec_cbuf s, struct cli_buf *out)
{
    uint64_t arcs[64];
    size_t n = 0, i = 0;

    while (i < s.len) {
        uint64_t v = 0;
        size_t start = i;
        while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9') {
            if (v > (UINT64_MAX - 9) / 10)
                return false;
            v = v * 10 + (uint64_t)(s.ptr[i++] - '0');
        }
        if (i == start || (i - start > 1 && s.ptr[start] == '0') || n == NELEM(arcs))
            return false;
        arcs[n++] = v;
        if (i < s.len && (s.ptr[i++] != '.' || i == s.len))
            return false;
    }
    if (n < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) || arcs[1] > UINT64_MAX - 80)
        return false;
    arcs[1] += arcs[0] * 40;
    for (i = 1; i < n; i++) {
        uint8_t b[10];
        size_t k = 0;
        uint64_t v = arcs[i];
        do {
            b[k++] = (uint8_t)(v & 0x7f);
            v >>= 7;
        } while (v != 0);
        while (k-- > 0) {
            uint8_t c = (uint8_t)(b[k] | (k ? 0x80 : 0));
            cli_buf_put(out, &c, 1);
        }
    }
    return true;
}

/* BER contents to dotted text; false when malformed. */
static bool oid_to_text(struct iotsec_cbuf b, struct cli_buf *out)
{
    size_t i = 0;
    bool first = true;

    if (b.len == 0)
        return false;
    while (i < b.len) {
        uint64_t v = 0;
        if (b.ptr[i] == 0x80)
            return false; /* not minimal */
        do {
            if (v > (UINT64_MAX >> 7) || i == b.len)
                return false;
            v = v << 7 | (b.ptr[i] & 0x7f);
        } while (b.ptr[i++] & 0x80);
        if (first) {
            uint64_t a = v < 40 ? 0 : v < 80 ? 1 : 2;
            cli_buf_printf(out, "%llu.%llu", (unsigned long long)a,
                           (unsigned long long)(v - a * 40));
            first = false;
        } else {
            cli_buf_printf(out, ".%llu", (unsigned long long)v);
        }
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* create: JSON claims to a claims set                                 */
/* ------------------------------------------------------------------ */

struct conv {
    const char *file; /* for messages */
    char where[160];  /* "" or " in submodule 'a/b'" */
    unsigned depth;   /* submodule nesting */
    int64_t dbgstat;  /* of the claims set being built; -1: none */
};

__attribute__((format(printf, 4, 5))) static int bad(const struct conv *cv, int code,
                                                     const char *name, const char *fmt, ...)
{
    struct cli_buf t = {0};
    va_list ap;

    va_start(ap, fmt);
    cli_buf_vprintf(&t, fmt, ap);
    va_end(ap);
    (void)cli_fail(code, "%s: claim '%s'%s %s", cv->file, name, cv->where,
                   t.p != NULL ? (char *)t.p : "");
    cli_buf_free(&t);
    return code;
}

/* An encoder into @p b with room for @p cap bytes. */
static void enc_start(struct iotsec_cbor_enc *e, struct cli_buf *b, size_t cap)
{
    b->len = 0;
    cli_buf_reserve(b, cap);
    iotsec_cbor_enc_init(e, b->p, b->cap);
}

static int enc_done(const struct conv *cv, const char *name, struct iotsec_cbor_enc *e,
                    struct cli_buf *b)
{
    struct iotsec_cbuf r;
    enum iotsec_err err = iotsec_cbor_enc_finish(e, &r);

    if (err != IOTSEC_OK)
        return bad(cv, CLI_REJECT, name, "cannot be encoded: %s", iotsec_err_str(err));
    b->len = r.len;
    return CLI_OK;
}

/* The encoded size of the next item: a bound for what it converts to. */
static size_t span_len(const struct iotsec_cbor_dec *v)
{
    struct iotsec_cbor_dec c = *v;
    struct iotsec_cbuf s = {NULL, 0};

    (void)iotsec_cbor_get_span(&c, &s);
    return s.len;
}

/* base64url text into @p out, @p lo..@p hi bytes (0: no bound). */
static int get_b64(const struct conv *cv, const char *name, struct iotsec_cbor_dec *v, size_t lo,
                   size_t hi, struct cli_buf *out)
{
    struct iotsec_cbuf s;

    out->len = 0;
    if (iotsec_cbor_get_tstr(v, &s) != IOTSEC_OK)
        return bad(cv, CLI_REJECT, name, "must be base64url text (RFC 9711 JSON encoding of a "
                                         "byte string)");
    if (!cli_b64url_decode((const char *)s.ptr, s.len, out))
        return bad(cv, CLI_REJECT, name, "is not valid base64url (no padding, alphabet A-Z a-z "
                                         "0-9 - _)");
    if ((lo != 0 && out->len < lo) || (hi != 0 && out->len > hi)) {
        if (hi != 0)
            return bad(cv, CLI_REJECT, name, "must hold %zu to %zu bytes, not %zu", lo, hi,
                       out->len);
        return bad(cv, CLI_REJECT, name, "must hold at least %zu byte%s", lo, lo == 1 ? "" : "s");
    }
    return CLI_OK;
}

static int build_claims(struct conv *cv, struct iotsec_cbor_dec *obj, const struct cli_buf *nonce,
                        struct cli_buf *out);

/* eat_nonce: one base64url nonce, or an array of two or more. */
static int conv_nonce(const struct conv *cv, const char *name, struct iotsec_cbor_dec *v,
                      struct iotsec_eat_builder *b)
{
    struct cli_buf one = {0}, arr = {0};
    struct iotsec_cbor_enc e;
    struct iotsec_cbor_dec a;
    size_t n = 0;
    int rc = CLI_OK;

    if (iotsec_cbor_peek_type(v) != IOTSEC_CBOR_ARRAY) {
        if ((rc = get_b64(cv, name, v, 8, 64, &one)) == CLI_OK)
            iotsec_eat_put_bstr(b, IOTSEC_EAT_NONCE, one.p, one.len);
        cli_buf_free(&one);
        return rc;
    }
    (void)iotsec_cbor_enter_array(v, &a, &n);
    if (n < 2) {
        rc = bad(cv, CLI_REJECT, name, "as an array must hold at least two nonces");
        goto out;
    }
    enc_start(&e, &arr, span_len(v) + 16);
    iotsec_cbor_enc_array(&e, n);
    while (!iotsec_cbor_at_end(&a)) {
        if ((rc = get_b64(cv, name, &a, 8, 64, &one)) != CLI_OK)
            goto out;
        iotsec_cbor_enc_bstr(&e, one.p, one.len);
    }
    if ((rc = enc_done(cv, name, &e, &arr)) == CLI_OK)
        iotsec_eat_put_raw(b, IOTSEC_EAT_NONCE, arr.p, arr.len);
out:
    cli_buf_free(&one);
    cli_buf_free(&arr);
    return rc;
}

/* hwversion / swversion: [version, ?scheme], scheme a number or a CoSWID name. */
static int conv_version(const struct conv *cv, const struct claim_def *d,
                        struct iotsec_cbor_dec *v, struct iotsec_eat_builder *b)
{
    struct iotsec_cbor_dec a;
    struct iotsec_cbuf ver, sn;
    int64_t scheme = 0;
    size_t n = 0;

    if (iotsec_cbor_enter_array(v, &a, &n) != IOTSEC_OK || n < 1 || n > 2 ||
        iotsec_cbor_get_tstr(&a, &ver) != IOTSEC_OK)
        return bad(cv, CLI_REJECT, d->name, "must be [\"version\"] or [\"version\", scheme]");
    if (n == 2 && iotsec_cbor_get_int(&a, &scheme) != IOTSEC_OK &&
        !(iotsec_cbor_get_tstr(&a, &sn) == IOTSEC_OK &&
          value_of(scheme_names, NELEM(scheme_names), sn, &scheme)))
        return bad(cv, CLI_REJECT, d->name, "has a version scheme that is neither a number nor "
                                            "multipartnumeric, multipartnumeric+suffix, "
                                            "alphanumeric, decimal or semver");
    if (n == 2 && scheme == 0)
        return bad(cv, CLI_REJECT, d->name, "has version scheme 0, which CoSWID does not define");
    iotsec_eat_put_version(b, d->key, (const char *)ver.ptr, ver.len, scheme);
    return CLI_OK;
}

/* location: {latitude, longitude, ...} with integer keys. */
static int conv_location(const struct conv *cv, const char *name, struct iotsec_cbor_dec *v,
                         struct iotsec_eat_builder *b)
{
    struct iotsec_cbor_dec m;
    struct iotsec_cbor_enc e;
    struct cli_buf out = {0};
    size_t n = 0;
    unsigned seen = 0;
    int rc = CLI_OK;

    if (iotsec_cbor_enter_map(v, &m, &n) != IOTSEC_OK)
        return bad(cv, CLI_REJECT, name, "must be an object with latitude and longitude");
    enc_start(&e, &out, span_len(v) + 16);
    iotsec_cbor_enc_map(&e, n);
    while (!iotsec_cbor_at_end(&m)) {
        struct iotsec_cbuf k, span;
        int64_t key = 0;
        enum iotsec_cbor_type t;
        (void)iotsec_cbor_get_tstr(&m, &k);
        if (!value_of(location_names, NELEM(location_names), k, &key)) {
            rc = bad(cv, CLI_REJECT, name, "has an unknown member '%.*s' (latitude, longitude, "
                                           "altitude, accuracy, altitude-accuracy, heading, "
                                           "speed, timestamp, age)",
                     (int)k.len, (const char *)k.ptr);
            goto out;
        }
        t = iotsec_cbor_peek_type(&m);
        if (key == 8 || key == 9 ? t != IOTSEC_CBOR_UINT && (key == 9 || t != IOTSEC_CBOR_NINT)
                                 : t != IOTSEC_CBOR_UINT && t != IOTSEC_CBOR_NINT &&
                                       t != IOTSEC_CBOR_FLOAT) {
            rc = bad(cv, CLI_REJECT, name, "member '%.*s' must be %s", (int)k.len,
                     (const char *)k.ptr,
                     key == 8 ? "whole seconds" : key == 9 ? "an unsigned integer" : "a number");
            goto out;
        }
        seen |= 1u << key;
        (void)iotsec_cbor_get_span(&m, &span);
        iotsec_cbor_enc_int(&e, key);
        iotsec_cbor_enc_raw(&e, span.ptr, span.len);
    }
    if ((seen & 6u) != 6u) {
        rc = bad(cv, CLI_REJECT, name, "must have latitude and longitude");
        goto out;
    }
    if ((rc = enc_done(cv, name, &e, &out)) == CLI_OK)
        iotsec_eat_put_raw(b, IOTSEC_EAT_LOCATION, out.p, out.len);
out:
    cli_buf_free(&out);
    return rc;
}

static bool kind_is(struct iotsec_cbuf k, const char *s)
{
    return k.len == strlen(s) && memcmp(k.ptr, s, k.len) == 0;
}

/* A detached submodule digest [hash-alg (int or text), base64url] at @p a. */
static int conv_digest(const struct conv *cv, const char *name, struct iotsec_cbuf sname,
                       struct iotsec_cbor_dec *a, struct iotsec_cbor_enc *e, struct cli_buf *bytes)
{
    struct iotsec_cbuf alg_text;
    int64_t alg;
    int rc;

    iotsec_cbor_enc_array(e, 2);
    if (iotsec_cbor_get_int(a, &alg) == IOTSEC_OK) {
        iotsec_cbor_enc_int(e, alg);
    } else if (iotsec_cbor_get_tstr(a, &alg_text) == IOTSEC_OK) {
        iotsec_cbor_enc_tstr(e, (const char *)alg_text.ptr, alg_text.len);
    } else {
        return bad(cv, CLI_REJECT, name, "entry '%.*s' must be a claims object, [\"CBOR\", "
                                         "token], or a digest [hash-alg, digest]",
                   (int)sname.len, (const char *)sname.ptr);
    }
    if ((rc = get_b64(cv, name, a, 1, 0, bytes)) != CLI_OK)
        return rc;
    iotsec_cbor_enc_bstr(e, bytes->p, bytes->len);
    return CLI_OK;
}

/* submods: {+ name => claims object / ["CBOR", token] / [hash-alg, digest]}. */
static int conv_submods(struct conv *cv, const char *name, struct iotsec_cbor_dec *v,
                        struct iotsec_eat_builder *b)
{
    struct iotsec_cbor_dec m;
    struct iotsec_cbor_enc e;
    struct cli_buf out = {0}, sub = {0}, bytes = {0};
    char saved[sizeof(cv->where)];
    size_t n = 0;
    int rc = CLI_OK;

    if (iotsec_cbor_enter_map(v, &m, &n) != IOTSEC_OK || n == 0)
        return bad(cv, CLI_REJECT, name, "must be an object of one or more named submodules");
    if (cv->depth >= EAT_MAX_SUBMOD_DEPTH)
        return bad(cv, CLI_REJECT, name, "nests submodules deeper than %d levels",
                   EAT_MAX_SUBMOD_DEPTH);
    enc_start(&e, &out, span_len(v) + 64);
    iotsec_cbor_enc_map(&e, n);
    memcpy(saved, cv->where, sizeof(saved));
    while (!iotsec_cbor_at_end(&m)) {
        struct iotsec_cbuf sname, kind;
        struct iotsec_cbor_dec a, item;
        size_t items = 0;

        (void)iotsec_cbor_get_tstr(&m, &sname);
        iotsec_cbor_enc_tstr(&e, (const char *)sname.ptr, sname.len);
        if (iotsec_cbor_peek_type(&m) == IOTSEC_CBOR_MAP) {
            if (saved[0] == '\0')
                snprintf(cv->where, sizeof(cv->where), " in submodule '%.*s'", (int)sname.len,
                         (const char *)sname.ptr);
            else /* " in submodule 'a'" becomes " in submodule 'a/b'" */
                snprintf(cv->where, sizeof(cv->where), "%.*s/%.*s'", (int)(strlen(saved) - 1),
                         saved, (int)sname.len, (const char *)sname.ptr);
            cv->depth++;
            rc = build_claims(cv, &m, NULL, &sub);
            cv->depth--;
            memcpy(cv->where, saved, sizeof(saved));
            if (rc != CLI_OK)
                goto out;
            iotsec_cbor_enc_raw(&e, sub.p, sub.len);
            continue;
        }
        if (iotsec_cbor_enter_array(&m, &a, &items) != IOTSEC_OK || items != 2) {
            rc = bad(cv, CLI_REJECT, name, "entry '%.*s' must be a claims object, [\"CBOR\", "
                                           "token] or [hash-alg, digest]",
                     (int)sname.len, (const char *)sname.ptr);
            goto out;
        }
        item = a;
        if (iotsec_cbor_get_tstr(&item, &kind) == IOTSEC_OK && kind_is(kind, "DIGEST") &&
            iotsec_cbor_peek_type(&item) == IOTSEC_CBOR_ARRAY) {
            /* RFC 9711's JSON selector ["DIGEST", [hash-alg, digest]] */
            struct iotsec_cbor_dec inner;
            size_t k = 0;
            if (iotsec_cbor_enter_array(&item, &inner, &k) != IOTSEC_OK || k != 2) {
                rc = bad(cv, CLI_REJECT, name, "entry '%.*s' must be [\"DIGEST\", [hash-alg, "
                                               "digest]]",
                         (int)sname.len, (const char *)sname.ptr);
                goto out;
            }
            rc = conv_digest(cv, name, sname, &inner, &e, &bytes);
            if (rc != CLI_OK)
                goto out;
            iotsec_cbor_skip_rest(&inner);
            (void)iotsec_cbor_leave(&item, &inner);
        } else if ((item = a, iotsec_cbor_get_tstr(&item, &kind)) == IOTSEC_OK &&
                   (kind_is(kind, "CBOR") || kind_is(kind, "JWT") || kind_is(kind, "BUNDLE") ||
                    kind_is(kind, "JSON"))) {
            struct iotsec_cbor_dec chk;
            if (!kind_is(kind, "CBOR")) {
                rc = bad(cv, CLI_UNSUPPORTED, name, "entry '%.*s' is a %.*s token, which a CBOR "
                                                    "token cannot carry",
                         (int)sname.len, (const char *)sname.ptr, (int)kind.len,
                         (const char *)kind.ptr);
                goto out;
            }
            if ((rc = get_b64(cv, name, &item, 1, 0, &bytes)) != CLI_OK)
                goto out;
            if (iotsec_cbor_dec_init(&chk, bytes.p, bytes.len, 0, NULL) != IOTSEC_OK) {
                rc = bad(cv, CLI_REJECT, name, "entry '%.*s' holds a nested token that is not "
                                               "one valid CBOR item",
                         (int)sname.len, (const char *)sname.ptr);
                goto out;
            }
            iotsec_cbor_enc_bstr(&e, bytes.p, bytes.len);
        } else if ((rc = conv_digest(cv, name, sname, &a, &e, &bytes)) != CLI_OK) {
            goto out; /* the CBOR form [hash-alg, digest] */
        }
        iotsec_cbor_skip_rest(&a);
        (void)iotsec_cbor_leave(&m, &a);
    }
    if ((rc = enc_done(cv, name, &e, &out)) == CLI_OK)
        iotsec_eat_put_raw(b, IOTSEC_EAT_SUBMODS, out.p, out.len);
out:
    memcpy(cv->where, saved, sizeof(saved));
    cli_buf_free(&out);
    cli_buf_free(&sub);
    cli_buf_free(&bytes);
    return rc;
}

/* dloas: [+ [registrar-uri, platform-label, ?application-label]], all text. */
static int conv_dloas(const struct conv *cv, const char *name, struct iotsec_cbor_dec *v,
                      struct iotsec_eat_builder *b)
{
    struct iotsec_cbor_dec a, one, c = *v;
    struct iotsec_cbuf span, s;
    size_t n = 0, k;

    if (iotsec_cbor_enter_array(&c, &a, &n) != IOTSEC_OK || n == 0)
        return bad(cv, CLI_REJECT, name, "must be a non-empty array of [registrar, platform "
                                         "label, ?application label]");
    while (!iotsec_cbor_at_end(&a)) {
        if (iotsec_cbor_enter_array(&a, &one, &k) != IOTSEC_OK || k < 2 || k > 3)
            return bad(cv, CLI_REJECT, name, "entries must be [registrar, platform label, "
                                             "?application label]");
        while (!iotsec_cbor_at_end(&one))
            if (iotsec_cbor_get_tstr(&one, &s) != IOTSEC_OK)
                return bad(cv, CLI_REJECT, name, "entries must hold text only");
        (void)iotsec_cbor_leave(&a, &one);
    }
    (void)iotsec_cbor_get_span(v, &span); /* the JSON-made CBOR already has the claim's shape */
    iotsec_eat_put_raw(b, IOTSEC_EAT_DLOAS, span.ptr, span.len);
    return CLI_OK;
}

/* manifests / measurements: [+ [content-format, base64url]]. */
static int conv_entries(const struct conv *cv, const struct claim_def *d,
                        struct iotsec_cbor_dec *v, struct iotsec_eat_builder *b)
{
    struct iotsec_cbor_dec a, one;
    struct iotsec_eat_entry *ents = NULL;
    struct cli_buf *bufs = NULL;
    size_t n = 0, i = 0, k;
    int rc = CLI_OK;

    if (iotsec_cbor_enter_array(v, &a, &n) != IOTSEC_OK || n == 0)
        return bad(cv, CLI_REJECT, d->name, "must be a non-empty array of [content-format, "
                                            "base64url]");
    ents = calloc(n, sizeof(*ents));
    bufs = calloc(n, sizeof(*bufs));
    if (ents == NULL || bufs == NULL) {
        rc = cli_fail(CLI_IO, "out of memory");
        goto out;
    }
    for (i = 0; i < n; i++) {
        uint64_t cf;
        if (iotsec_cbor_enter_array(&a, &one, &k) != IOTSEC_OK || k != 2 ||
            iotsec_cbor_get_uint(&one, &cf) != IOTSEC_OK || cf > 65535) {
            rc = bad(cv, CLI_REJECT, d->name, "entries must be [content-format (0..65535), "
                                              "base64url]");
            goto out;
        }
        if ((rc = get_b64(cv, d->name, &one, 1, 0, &bufs[i])) != CLI_OK)
            goto out;
        ents[i].content_format = cf;
        ents[i].value.ptr = bufs[i].p;
        ents[i].value.len = bufs[i].len;
        (void)iotsec_cbor_leave(&a, &one);
    }
    iotsec_eat_put_entries(b, d->key, ents, n);
out:
    for (k = 0; bufs != NULL && k < n; k++)
        cli_buf_free(&bufs[k]);
    free(bufs);
    free(ents);
    return rc;
}

/* measres: [+ [system, [+ [id, result]]]], results by number or name. */
static int conv_measres(const struct conv *cv, const char *name, struct iotsec_cbor_dec *v,
                        struct iotsec_eat_builder *b)
{
    struct iotsec_cbor_dec groups, g, results, one;
    struct iotsec_cbor_enc e;
    struct cli_buf out = {0};
    size_t n = 0, k = 0, r = 0;
    int rc = CLI_OK;

    if (iotsec_cbor_enter_array(v, &groups, &n) != IOTSEC_OK || n == 0)
        return bad(cv, CLI_REJECT, name, "must be a non-empty array of [system, [[id, "
                                         "result], ...]]");
    enc_start(&e, &out, span_len(v) + 16);
    iotsec_cbor_enc_array(&e, n);
    while (!iotsec_cbor_at_end(&groups)) {
        struct iotsec_cbuf system, id, rn;
        if (iotsec_cbor_enter_array(&groups, &g, &k) != IOTSEC_OK || k != 2 ||
            iotsec_cbor_get_tstr(&g, &system) != IOTSEC_OK ||
            iotsec_cbor_enter_array(&g, &results, &r) != IOTSEC_OK || r == 0) {
            rc = bad(cv, CLI_REJECT, name, "entries must be [system name, [[id, result], ...]]");
            goto out;
        }
        iotsec_cbor_enc_array(&e, 2);
        iotsec_cbor_enc_tstr(&e, (const char *)system.ptr, system.len);
        iotsec_cbor_enc_array(&e, r);
        while (!iotsec_cbor_at_end(&results)) {
            int64_t res = 0;
            uint64_t u;
            if (iotsec_cbor_enter_array(&results, &one, &k) != IOTSEC_OK || k != 2 ||
                iotsec_cbor_get_tstr(&one, &id) != IOTSEC_OK) {
                rc = bad(cv, CLI_REJECT, name, "results must be [id text, result]");
                goto out;
            }
            if (iotsec_cbor_get_uint(&one, &u) == IOTSEC_OK && u >= 1 && u <= 4)
                res = (int64_t)u;
            else if (!(iotsec_cbor_get_tstr(&one, &rn) == IOTSEC_OK &&
                       value_of(measres_names, NELEM(measres_names), rn, &res))) {
                rc = bad(cv, CLI_REJECT, name, "results must be success, fail, not-run or absent "
                                               "(or 1..4)");
                goto out;
            }
            iotsec_cbor_enc_array(&e, 2);
            iotsec_cbor_enc_tstr(&e, (const char *)id.ptr, id.len);
            iotsec_cbor_enc_int(&e, res);
            (void)iotsec_cbor_leave(&results, &one);
        }
        (void)iotsec_cbor_leave(&g, &results);
        (void)iotsec_cbor_leave(&groups, &g);
    }
    if ((rc = enc_done(cv, name, &e, &out)) == CLI_OK)
        iotsec_eat_put_raw(b, IOTSEC_EAT_MEASRES, out.p, out.len);
out:
    cli_buf_free(&out);
    return rc;
}

/* sueids: {+ name => base64url ueid}. */
static int conv_sueids(const struct conv *cv, const struct claim_def *d,
                       struct iotsec_cbor_dec *v, struct iotsec_eat_builder *b)
{
    struct iotsec_cbor_dec m;
    struct iotsec_cbor_enc e;
    struct cli_buf out = {0}, one = {0};
    size_t n = 0;
    int rc = CLI_OK;

    if (iotsec_cbor_enter_map(v, &m, &n) != IOTSEC_OK || n == 0)
        return bad(cv, CLI_REJECT, d->name, "must be an object of one or more named ueids");
    enc_start(&e, &out, span_len(v) + 16);
    iotsec_cbor_enc_map(&e, n);
    while (!iotsec_cbor_at_end(&m)) {
        struct iotsec_cbuf s;
        (void)iotsec_cbor_get_tstr(&m, &s);
        iotsec_cbor_enc_tstr(&e, (const char *)s.ptr, s.len);
        if ((rc = get_b64(cv, d->name, &m, d->lo, d->hi, &one)) != CLI_OK)
            goto out;
        iotsec_cbor_enc_bstr(&e, one.p, one.len);
    }
    if ((rc = enc_done(cv, d->name, &e, &out)) == CLI_OK)
        iotsec_eat_put_raw(b, d->key, out.p, out.len);
out:
    cli_buf_free(&out);
    cli_buf_free(&one);
    return rc;
}

/* One claim of the JSON object: @p v is on its value. */
static int conv_value(struct conv *cv, const struct claim_def *d, struct iotsec_cbor_dec *v,
                      struct iotsec_eat_builder *b)
{
    struct cli_buf bytes = {0};
    struct iotsec_cbor_dec a;
    struct iotsec_cbuf s;
    uint64_t u;
    int64_t i64;
    bool flag;
    int rc = CLI_OK;

    switch (d->type) {
    case C_TEXT:
        if (iotsec_cbor_get_tstr(v, &s) != IOTSEC_OK)
            return bad(cv, CLI_REJECT, d->name, "must be text");
        iotsec_eat_put_text(b, d->key, (const char *)s.ptr, s.len);
        return CLI_OK;
    case C_AUD:
        if (iotsec_cbor_get_tstr(v, &s) == IOTSEC_OK) {
            iotsec_eat_put_text(b, d->key, (const char *)s.ptr, s.len);
            return CLI_OK;
        } else {
            struct iotsec_cbor_dec c = *v;
            struct iotsec_cbuf span;
            size_t n = 0;
            if (iotsec_cbor_enter_array(&c, &a, &n) != IOTSEC_OK || n == 0)
                return bad(cv, CLI_REJECT, d->name, "must be text or a non-empty array of texts");
            while (!iotsec_cbor_at_end(&a))
                if (iotsec_cbor_get_tstr(&a, &s) != IOTSEC_OK)
                    return bad(cv, CLI_REJECT, d->name, "must be text or an array of texts");
            (void)iotsec_cbor_get_span(v, &span);
            iotsec_eat_put_raw(b, d->key, span.ptr, span.len);
            return CLI_OK;
        }
    case C_TIME:
        if (iotsec_cbor_get_int(v, &i64) != IOTSEC_OK)
            return bad(cv, CLI_REJECT, d->name, "must be a whole number of seconds since the "
                                                "epoch (EAT forbids fractions)");
        iotsec_eat_put_int(b, d->key, i64);
        return CLI_OK;
    case C_BYTES:
        if ((rc = get_b64(cv, d->name, v, d->lo, d->hi, &bytes)) == CLI_OK)
            iotsec_eat_put_bstr(b, d->key, bytes.p, bytes.len);
        cli_buf_free(&bytes);
        return rc;
    case C_NONCE:
        return conv_nonce(cv, d->name, v, b);
    case C_OEMID:
        if (iotsec_cbor_get_int(v, &i64) == IOTSEC_OK) {
            iotsec_eat_put_int(b, d->key, i64);
            return CLI_OK;
        }
        if (iotsec_cbor_peek_type(v) != IOTSEC_CBOR_TSTR)
            return bad(cv, CLI_REJECT, d->name, "must be a PEN (number) or base64url of a 3-byte "
                                                "IEEE OUI or a 16-byte random id");
        if ((rc = get_b64(cv, d->name, v, 3, 16, &bytes)) == CLI_OK && bytes.len != 3 &&
            bytes.len != 16)
            rc = bad(cv, CLI_REJECT, d->name, "must hold 3 bytes (IEEE OUI) or 16 (random), not "
                                              "%zu",
                     bytes.len);
        if (rc == CLI_OK)
            iotsec_eat_put_bstr(b, d->key, bytes.p, bytes.len);
        cli_buf_free(&bytes);
        return rc;
    case C_VERSION:
        return conv_version(cv, d, v, b);
    case C_UINT:
        if (iotsec_cbor_get_uint(v, &u) != IOTSEC_OK)
            return bad(cv, CLI_REJECT, d->name, "must be an unsigned integer");
        iotsec_eat_put_uint(b, d->key, u);
        return CLI_OK;
    case C_BOOL:
        if (iotsec_cbor_get_bool(v, &flag) != IOTSEC_OK)
            return bad(cv, CLI_REJECT, d->name, "must be true or false");
        iotsec_eat_put_bool(b, d->key, flag);
        return CLI_OK;
    case C_DBGSTAT:
        if (iotsec_cbor_get_uint(v, &u) == IOTSEC_OK && u <= 4) {
            iotsec_eat_put_uint(b, d->key, u);
            cv->dbgstat = (int64_t)u;
            return CLI_OK;
        }
        if (iotsec_cbor_get_tstr(v, &s) == IOTSEC_OK &&
            value_of(dbgstat_names, NELEM(dbgstat_names), s, &i64)) {
            iotsec_eat_put_uint(b, d->key, (uint64_t)i64);
            cv->dbgstat = i64;
            return CLI_OK;
        }
        return bad(cv, CLI_REJECT, d->name, "must be 0..4 or enabled, disabled, "
                                            "disabled-since-boot, disabled-permanently or "
                                            "disabled-fully-and-permanently");
    case C_INTUSE:
        if (iotsec_cbor_get_int(v, &i64) == IOTSEC_OK ||
            (iotsec_cbor_get_tstr(v, &s) == IOTSEC_OK &&
             value_of(intuse_names, NELEM(intuse_names), s, &i64))) {
            iotsec_eat_put_int(b, d->key, i64);
            return CLI_OK;
        }
        return bad(cv, CLI_REJECT, d->name, "must be a number or generic, registration, "
                                            "provisioning, csr or pop");
    case C_LOCATION:
        return conv_location(cv, d->name, v, b);
    case C_PROFILE:
        if (iotsec_cbor_get_tstr(v, &s) != IOTSEC_OK || s.len == 0)
            return bad(cv, CLI_REJECT, d->name, "must be a URI or a dotted OID, as text");
        if (oid_from_text(s, &bytes))
            iotsec_eat_put_bstr(b, d->key, bytes.p, bytes.len);
        else
            iotsec_eat_put_text(b, d->key, (const char *)s.ptr, s.len);
        cli_buf_free(&bytes);
        return CLI_OK;
    case C_SUBMODS:
        return conv_submods(cv, d->name, v, b);
    case C_DLOAS:
        return conv_dloas(cv, d->name, v, b);
    case C_ENTRIES:
        return conv_entries(cv, d, v, b);
    case C_MEASRES:
        return conv_measres(cv, d->name, v, b);
    case C_SUEIDS:
        return conv_sueids(cv, d, v, b);
    case C_CNF:
    default:
        return bad(cv, CLI_UNSUPPORTED, d->name, "(a proof-of-possession key, RFC 8747) cannot "
                                                 "be made by 'iotsec eat create'");
    }
}

/* One claim of the JSON object: @p v is on its value, which is consumed
 * whatever the converter read of it. */
static int conv_claim(struct conv *cv, const struct claim_def *d, struct iotsec_cbor_dec *v,
                      struct iotsec_eat_builder *b)
{
    struct iotsec_cbor_dec value = *v;
    int rc = conv_value(cv, d, &value, b);

    (void)iotsec_cbor_skip(v);
    return rc;
}

/*
 * Claims RFC 9711 wants beside others (the builder refuses a claims set
 * without them; this names the claim). @p p is the builder's present set.
 */
static int check_dependencies(const struct conv *cv, uint64_t p)
{
    static const struct {
        int64_t key, needs;
    } deps[] = {
        {IOTSEC_EAT_HWMODEL, IOTSEC_EAT_OEMID},
        {IOTSEC_EAT_OEMBOOT, IOTSEC_EAT_OEMID},
        {IOTSEC_EAT_HWVERSION, IOTSEC_EAT_HWMODEL},
        {IOTSEC_EAT_SWVERSION, IOTSEC_EAT_SWNAME},
    };
    size_t i;

    for (i = 0; i < NELEM(deps); i++)
        if ((p & IOTSEC_EAT_BIT((uint64_t)deps[i].key)) &&
            !(p & IOTSEC_EAT_BIT((uint64_t)deps[i].needs)))
            return bad(cv, CLI_REJECT, claim_by_key(deps[i].key)->name,
                       "needs claim '%s' beside it (RFC 9711)",
                       claim_by_key(deps[i].needs)->name);
    if (cv->dbgstat == IOTSEC_EAT_DBG_DISABLED_PERMANENTLY &&
        !(p & IOTSEC_EAT_BIT((uint64_t)IOTSEC_EAT_OEMID)))
        return bad(cv, CLI_REJECT, "dbgstat", "disabled-permanently needs claim 'oemid' beside "
                                              "it (RFC 9711)");
    return CLI_OK;
}

/* A message for a builder error, which the checks above should have caught. */
static int builder_failed(const struct conv *cv, enum iotsec_err err)
{
    return cli_fail(err == IOTSEC_ERR_INVALID_ARG ? CLI_REJECT : cli_exit_for(err),
                    "%s: the claims%s cannot be built: %s", cv->file, cv->where,
                    err == IOTSEC_ERR_INVALID_ARG
                        ? "a claim is given twice or has a value out of its range"
                        : iotsec_err_str(err));
}

/*
 * The JSON object at @p obj (consumed) as a claims set in @p out. @p nonce
 * (may be NULL) replaces the object's eat_nonce.
 */
static int build_claims(struct conv *cv, struct iotsec_cbor_dec *obj, const struct cli_buf *nonce,
                        struct cli_buf *out)
{
    struct iotsec_eat_builder b;
    struct iotsec_cbuf cs;
    size_t cap = span_len(obj) + 128 + (nonce != NULL ? nonce->len : 0);
    enum iotsec_err err;
    int tries;

    for (tries = 0; tries < 4; tries++) {
        struct iotsec_cbor_dec m, o = *obj;
        int64_t outer_dbgstat = cv->dbgstat;
        int rc;

        cv->dbgstat = -1;
        out->len = 0;
        cli_buf_reserve(out, cap);
        iotsec_eat_build_begin(&b, out->p, out->cap);
        if (nonce != NULL)
            iotsec_eat_put_bstr(&b, IOTSEC_EAT_NONCE, nonce->p, nonce->len);
        if (iotsec_cbor_enter_map(&o, &m, NULL) != IOTSEC_OK)
            return cli_fail(CLI_REJECT, "%s: the claims%s must be a JSON object", cv->file,
                            cv->where);
        while (!iotsec_cbor_at_end(&m)) {
            const struct claim_def *d;
            struct iotsec_cbuf name;

            (void)iotsec_cbor_get_tstr(&m, &name);
            d = claim_by_name(name);
            if (d == NULL)
                return cli_fail(CLI_REJECT, "%s: unknown claim '%.*s'%s: not a claim name of RFC "
                                            "9711 or RFC 8392 (see 'iotsec eat create --help')",
                                cv->file, (int)name.len, (const char *)name.ptr, cv->where);
            if (d->key == IOTSEC_EAT_NONCE && nonce != NULL) {
                (void)iotsec_cbor_skip(&m); /* --nonce wins */
                continue;
            }
            if ((rc = conv_claim(cv, d, &m, &b)) != CLI_OK)
                return rc;
        }
        (void)iotsec_cbor_leave(&o, &m);
        rc = check_dependencies(cv, b.present);
        cv->dbgstat = outer_dbgstat;
        if (rc != CLI_OK)
            return rc;
        err = iotsec_eat_build_finish(&b, &cs);
        if (err == IOTSEC_ERR_BUFFER_TOO_SMALL && b.e.len > cap) {
            cap = b.e.len;
            continue;
        }
        if (err != IOTSEC_OK)
            return builder_failed(cv, err);
        if (cs.ptr != out->p)
            memmove(out->p, cs.ptr, cs.len);
        out->len = cs.len;
        *obj = o;
        return CLI_OK;
    }
    return builder_failed(cv, IOTSEC_ERR_BUFFER_TOO_SMALL);
}

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

enum {
    O_CLAIMS = 1u << 0,
    O_KID = 1u << 1,
    O_NONCE = 1u << 2,
    O_ALG = 1u << 3,
    O_CWT_TAG = 1u << 4,
    O_OUT = 1u << 5,
    O_MAX_AGE = 1u << 6,
    O_NOW = 1u << 7,
    O_PROFILE = 1u << 8,
    O_REFERENCE = 1u << 9,
    O_LEEWAY = 1u << 10,
    O_KEYS = 1u << 11
};

struct eat_args {
    const char *in, *claims, *kid, *nonce, *alg, *out, *max_age, *now, *profile, *reference,
        *leeway;
    const char *keys[EAT_MAX_KEYS];
    size_t n_keys;
    bool cwt_tag;
};

/* Returns CLI_OK; -1 after printing @p help; or CLI_USAGE. */
static int parse_args(const char *cmd, const char *help, unsigned allowed, int argc, char **argv,
                      struct eat_args *a)
{
    int i, r;

    memset(a, 0, sizeof(*a));
    for (i = 1; i < argc; i++) {
        const struct cli_optdef vopts[] = {
            {"--claims", &a->claims, (allowed & O_CLAIMS) != 0},
            {"--kid", &a->kid, (allowed & O_KID) != 0},
            {"--nonce", &a->nonce, (allowed & O_NONCE) != 0},
            {"--alg", &a->alg, (allowed & O_ALG) != 0},
            {"-o", &a->out, (allowed & O_OUT) != 0},
            {"--max-age", &a->max_age, (allowed & O_MAX_AGE) != 0},
            {"--now", &a->now, (allowed & O_NOW) != 0},
            {"--leeway", &a->leeway, (allowed & O_LEEWAY) != 0},
            {"--profile", &a->profile, (allowed & O_PROFILE) != 0},
            {"--reference", &a->reference, (allowed & O_REFERENCE) != 0},
        };

        if (cli_help(argv[i], help))
            return -1;
        r = cli_opt_once(cmd, argc, argv, &i, vopts, NELEM(vopts));
        if (r == 0)
            r = cli_opt_list(cmd, argc, argv, &i, "--key", (allowed & O_KEYS) != 0, a->keys,
                             &a->n_keys, EAT_MAX_KEYS);
        if (r < 0)
            return CLI_USAGE;
        if (r > 0)
            continue;
        if (strcmp(argv[i], "--cwt-tag") == 0 && (allowed & O_CWT_TAG))
            a->cwt_tag = true;
        else if ((r = cli_operand(cmd, argv[i], "token", &a->in)) != CLI_OK)
            return r;
    }
    return CLI_OK;
}

/* --nonce HEX: 8 to 64 bytes (RFC 9711 section 4.1). */
static int parse_nonce(const char *cmd, const char *hex, struct cli_buf *out)
{
    if (!cli_hex_decode(hex, out) || out->len == 0)
        return cli_usage_error(cmd, "--nonce takes hex digits, not '%s'", hex);
    if (out->len < 8 || out->len > 64)
        return cli_usage_error(cmd, "--nonce must be 8 to 64 bytes (RFC 9711 section 4.1), not "
                                    "%zu",
                               out->len);
    return CLI_OK;
}

/* A whole number of seconds for @p opt; @p min is the least allowed. */
static int parse_seconds(const char *cmd, const char *opt, const char *s, int64_t min,
                         int64_t *v)
{
    char *end;
    long long x;

    errno = 0;
    x = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || x < min)
        return cli_usage_error(cmd, "%s takes a whole number of seconds%s, not '%s'", opt,
                               min >= 0 ? " (0 or more)" : "", s);
    *v = x;
    return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* create                                                              */
/* ------------------------------------------------------------------ */

static bool is_hmac_alg(int32_t a)
{
    return a >= IOTSEC_ALG_HMAC256_64 && a <= IOTSEC_ALG_HMAC512;
}

/* The algorithm for key @p k: --alg, its COSE_Key alg, its curve's, or HMAC 256/256. */
static int pick_alg(const char *cmd, const struct cli_key *k, const char *path, const char *name,
                    int32_t *alg)
{
    const struct iotsec_key *key = &k->key;
    bool sym = key->kty == IOTSEC_KTY_SYMMETRIC;
    int32_t want = 0;

    if (name != NULL) {
        const struct cli_alg *ca = cli_alg_by_name(name);
        if (ca == NULL)
            return cli_fail(CLI_UNSUPPORTED, "unknown or unsupported algorithm '%s'", name);
        want = ca->id;
    }
    if (want == 0)
        want = key->alg != 0 ? key->alg
               : sym         ? IOTSEC_ALG_HMAC256
                             : cli_sig_alg_for_key(key, false);
    if (want == 0)
        return cli_usage_error(cmd, "%s is a %s key, which can neither sign nor MAC", path,
                               cli_crv_name(key->crv));
    if (key->alg != 0 && key->alg != want)
        return cli_usage_error(cmd, "%s is bound to %s (its COSE_Key alg) and may not be used "
                                    "with %s",
                               path, cli_alg_name_or(key->alg, "another algorithm"),
                               cli_alg_name_or(want, "another algorithm"));
    if (sym) {
        if (!is_hmac_alg(want))
            return cli_usage_error(cmd, "%s is a symmetric key: a token made with it is a "
                                        "COSE_Mac0, and %s is not an HMAC algorithm",
                                   path, cli_alg_name_or(want, name != NULL ? name : "its alg"));
    } else {
        if (!cli_is_sig_alg(want))
            return cli_usage_error(cmd, "%s is not a signature algorithm",
                                   cli_alg_name_or(want, name != NULL ? name : "its alg"));
        if (!cli_sig_alg_fits(want, key))
            return cli_usage_error(cmd, "%s does not fit %s, a %s key", cli_alg_name(want), path,
                                   cli_crv_name(key->crv));
        if (!key->has_private)
            return cli_usage_error(cmd, "%s holds only a public key; signing needs the private "
                                        "key",
                                   path);
    }
    *alg = want;
    return CLI_OK;
}

static int eat_create(int argc, char **argv)
{
    const char *cmd = "eat create";
    struct eat_args a;
    struct cli_key key;
    struct cli_buf json = {0}, cbor = {0}, nonce = {0}, cs = {0}, out = {0};
    struct iotsec_cbor_dec d;
    struct iotsec_cbuf token = {NULL, 0};
    struct conv cv;
    enum iotsec_err err;
    int32_t alg = 0;
    size_t cap;
    int tries, rc = parse_args(cmd, create_help,
                               O_CLAIMS | O_KEYS | O_KID | O_NONCE | O_ALG | O_CWT_TAG | O_OUT,
                               argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    memset(&key, 0, sizeof(key));
    if (a.in != NULL)
        return cli_usage_error(cmd, "unexpected argument '%s': the claims come from --claims FILE",
                               a.in);
    if (a.claims == NULL)
        return cli_usage_error(cmd, "--claims FILE is required");
    if (a.n_keys == 0)
        return cli_usage_error(cmd, "--key is required");
    if (a.n_keys > 1)
        return cli_usage_error(cmd, "--key is given once: a token has one signer");
    if (a.nonce != NULL && (rc = parse_nonce(cmd, a.nonce, &nonce)) != CLI_OK)
        goto out;
    if (strcmp(a.claims, "-") == 0 && strcmp(a.keys[0], "-") == 0) {
        rc = cli_usage_error(cmd, "only one input can come from standard input");
        goto out;
    }
    if ((rc = cli_key_load(a.keys[0], &key)) != CLI_OK ||
        (rc = pick_alg(cmd, &key, a.keys[0], a.alg, &alg)) != CLI_OK ||
        (rc = cli_read(a.claims, &json)) != CLI_OK)
        goto out;

    memset(&cv, 0, sizeof(cv));
    cv.file = strcmp(a.claims, "-") == 0 ? "standard input" : a.claims;
    if (cli_json_to_cbor((const char *)json.p, json.len, &cbor, false) != CLI_OK) {
        rc = cli_fail(CLI_REJECT, "%s: the claims are not valid JSON (see above)", cv.file);
        goto out;
    }
    (void)iotsec_cbor_dec_init(&d, cbor.p, cbor.len, 0, NULL);
    if ((rc = build_claims(&cv, &d, a.nonce != NULL ? &nonce : NULL, &cs)) != CLI_OK)
        goto out;

    cap = cs.len + 512 + (a.kid != NULL ? strlen(a.kid) : key.kid.len);
    for (tries = 0; tries < 4; tries++) {
        struct iotsec_buf ob;
        out.len = 0;
        cli_buf_reserve(&out, cap);
        ob.ptr = out.p;
        ob.len = out.cap;
        err = iotsec_eat_sign(ob, &token, cli_cbuf(&cs), &key.key, alg, cli_kid_for(a.kid, &key),
                              a.cwt_tag ? IOTSEC_EAT_SIGN_CWT_TAG : 0);
        if (err != IOTSEC_ERR_BUFFER_TOO_SMALL)
            break;
        cap *= 4;
    }
    if (err != IOTSEC_OK) {
        rc = cli_fail(cli_exit_for(err), "cannot %s the token: %s",
                      key.key.kty == IOTSEC_KTY_SYMMETRIC ? "MAC" : "sign", iotsec_err_str(err));
        goto out;
    }
    rc = cli_write(a.out, token.ptr, token.len, false);
out:
    cli_key_free(&key);
    cli_buf_free(&json);
    cli_buf_free(&cbor);
    cli_buf_free(&nonce);
    cli_buf_free(&cs);
    cli_buf_free(&out);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Tokens as received                                                  */
/* ------------------------------------------------------------------ */

/* What a token is, without checking anything cryptographic. */
struct tok {
    const char *form;         /* "COSE_Sign1", "COSE_Mac0", "UCCS", "DEB", "claims-set" */
    bool cwt;                 /* CWT tag 61 */
    int64_t alg;
    struct iotsec_cbuf kid;   /* .ptr NULL: none */
    struct iotsec_cbuf claims;
    struct iotsec_cbuf main;  /* DEB: the main token */
    struct iotsec_cbor_dec detached; /* DEB: {+ tstr => bstr} */
};

static bool is_mac_alg(int64_t a)
{
    return (a >= IOTSEC_ALG_HMAC256_64 && a <= IOTSEC_ALG_HMAC512) ||
           a == IOTSEC_ALG_AES_MAC_128_64 || a == IOTSEC_ALG_AES_MAC_256_64 ||
           a == IOTSEC_ALG_AES_MAC_128_128 || a == IOTSEC_ALG_AES_MAC_256_128;
}

/* Decode @p p as a token; on failure a sentence goes to @p why. */
static bool tok_decode(const uint8_t *p, size_t n, struct tok *t, struct cli_buf *why)
{
    struct iotsec_cbor_dec d, c, arr;
    struct iotsec_cose_msg m;
    enum iotsec_err err;
    size_t off = 0, items = 0;
    uint64_t tag = 0;

    memset(t, 0, sizeof(*t));
    err = iotsec_cbor_dec_init(&d, p, n, 0, &off);
    if (err == IOTSEC_ERR_CBOR_EMPTY) {
        cli_buf_puts(why, "the input is empty");
        return false;
    }
    if (err != IOTSEC_OK) {
        cli_buf_printf(why, "not a token: invalid CBOR at byte offset %zu: %s", off,
                       iotsec_err_str(err));
        return false;
    }
    if (iotsec_cbor_peek_type(&d) == IOTSEC_CBOR_MAP) {
        t->form = "claims-set";
        t->claims.ptr = p;
        t->claims.len = n;
        return true;
    }
    c = d;
    if (iotsec_cbor_get_tag(&c, &tag) == IOTSEC_OK && tag == IOTSEC_EAT_TAG_UCCS) {
        if (iotsec_cbor_peek_type(&c) != IOTSEC_CBOR_MAP ||
            iotsec_cbor_get_span(&c, &t->claims) != IOTSEC_OK) {
            cli_buf_puts(why, "an unprotected claims set (tag 601) must hold a map");
            return false;
        }
        t->form = "UCCS";
        return true;
    }
    if (tag == IOTSEC_EAT_TAG_DEB) {
        if (iotsec_cbor_enter_array(&c, &arr, &items) != IOTSEC_OK || items != 2 ||
            iotsec_cbor_get_bstr(&arr, &t->main) != IOTSEC_OK ||
            iotsec_cbor_peek_type(&arr) != IOTSEC_CBOR_MAP) {
            cli_buf_puts(why, "a detached EAT bundle (tag 602) must be [main token as a byte "
                              "string, {name: claims set}]");
            return false;
        }
        t->form = "DEB";
        t->detached = arr;
        return true;
    }
    err = iotsec_cose_decode(p, n, IOTSEC_COSE_UNKNOWN, NULL, 0, &m);
    if (err != IOTSEC_OK && (tag == 0 || tag == IOTSEC_COSE_TAG_CWT)) {
        /* untagged: Sign1 and Mac0 look alike; alg tells them apart */
        err = iotsec_cose_decode(p, n, IOTSEC_COSE_SIGN1, NULL, 0, &m);
        if (err == IOTSEC_OK && is_mac_alg(m.hdr.alg))
            err = iotsec_cose_decode(p, n, IOTSEC_COSE_MAC0, NULL, 0, &m);
    }
    if (err != IOTSEC_OK) {
        cli_buf_printf(why, "not a token: not a COSE_Sign1 or COSE_Mac0: %s", iotsec_err_str(err));
        return false;
    }
    if (m.type != IOTSEC_COSE_SIGN1 && m.type != IOTSEC_COSE_MAC0) {
        cli_buf_puts(why, "not a token: the COSE message is neither a COSE_Sign1 nor a COSE_Mac0");
        return false;
    }
    if (m.content.ptr == NULL) {
        cli_buf_puts(why, "the token's payload is detached (nil): there are no claims to read");
        return false;
    }
    t->form = m.type == IOTSEC_COSE_SIGN1 ? "COSE_Sign1" : "COSE_Mac0";
    t->cwt = m.cwt;
    t->alg = m.hdr.alg;
    t->kid = m.hdr.kid;
    t->claims = m.content;
    return true;
}

/* ------------------------------------------------------------------ */
/* show                                                                */
/* ------------------------------------------------------------------ */

static void show_claims(struct cli_jw *w, struct iotsec_cbor_dec *d, unsigned depth);

/* A value that is a name when it is one of @p t, else as it is. */
static void show_named(struct cli_jw *w, struct iotsec_cbor_dec *v, const struct named *t,
                       size_t n)
{
    struct iotsec_cbor_dec c = *v;
    int64_t x;
    const char *s;

    if (iotsec_cbor_get_int(&c, &x) == IOTSEC_OK && (s = name_of(t, n, x)) != NULL) {
        cli_jw_str(w, s);
        *v = c;
        return;
    }
    cli_jw_cbor(w, v);
}

static void show_location(struct cli_jw *w, struct iotsec_cbor_dec *v)
{
    struct iotsec_cbor_dec m, k;
    int64_t key;
    const char *s;

    if (iotsec_cbor_enter_map(v, &m, NULL) != IOTSEC_OK) {
        cli_jw_cbor(w, v);
        return;
    }
    cli_jw_begin(w, '{');
    while (!iotsec_cbor_at_end(&m)) {
        k = m;
        if (iotsec_cbor_get_int(&k, &key) == IOTSEC_OK &&
            (s = name_of(location_names, NELEM(location_names), key)) != NULL) {
            cli_jw_key(w, s);
            m = k;
        } else {
            struct cli_buf t = {0};
            cli_put_diag(&t, &m);
            cli_jw_keyn(w, t.p != NULL ? (const char *)t.p : "", t.len);
            cli_buf_free(&t);
        }
        cli_jw_cbor(w, &m);
    }
    (void)iotsec_cbor_leave(v, &m);
    cli_jw_end(w, '}');
}

static void show_measres(struct cli_jw *w, struct iotsec_cbor_dec *v)
{
    struct iotsec_cbor_dec c = *v, groups, g, results, one;
    size_t k;

    if (iotsec_cbor_enter_array(&c, &groups, NULL) != IOTSEC_OK) {
        cli_jw_cbor(w, v);
        return;
    }
    cli_jw_begin(w, '[');
    while (!iotsec_cbor_at_end(&groups)) {
        if (iotsec_cbor_enter_array(&groups, &g, &k) != IOTSEC_OK || k != 2) {
            cli_jw_cbor(w, &groups);
            continue;
        }
        cli_jw_begin(w, '[');
        cli_jw_cbor(w, &g); /* the measurement system */
        if (iotsec_cbor_enter_array(&g, &results, NULL) == IOTSEC_OK) {
            cli_jw_begin(w, '[');
            while (!iotsec_cbor_at_end(&results)) {
                if (iotsec_cbor_enter_array(&results, &one, &k) != IOTSEC_OK || k != 2) {
                    cli_jw_cbor(w, &results);
                    continue;
                }
                cli_jw_begin(w, '[');
                cli_jw_cbor(w, &one);
                show_named(w, &one, measres_names, NELEM(measres_names));
                cli_jw_end(w, ']');
                (void)iotsec_cbor_leave(&results, &one);
            }
            (void)iotsec_cbor_leave(&g, &results);
            cli_jw_end(w, ']');
        }
        while (!iotsec_cbor_at_end(&g))
            cli_jw_cbor(w, &g);
        (void)iotsec_cbor_leave(&groups, &g);
        cli_jw_end(w, ']');
    }
    (void)iotsec_cbor_leave(&c, &groups);
    cli_jw_end(w, ']');
    *v = c;
}

/* Is the next item a detached submodule digest [hash-alg, bstr]? */
static bool is_digest(const struct iotsec_cbor_dec *v)
{
    struct iotsec_cbor_dec c = *v, a;
    struct iotsec_cbuf s;
    int64_t alg;
    size_t n = 0;

    return iotsec_cbor_enter_array(&c, &a, &n) == IOTSEC_OK && n == 2 &&
           (iotsec_cbor_get_int(&a, &alg) == IOTSEC_OK || iotsec_cbor_get_tstr(&a, &s) == IOTSEC_OK) &&
           iotsec_cbor_get_bstr(&a, &s) == IOTSEC_OK;
}

static void show_submods(struct cli_jw *w, struct iotsec_cbor_dec *v, unsigned depth)
{
    struct iotsec_cbor_dec m;
    struct iotsec_cbuf b;

    if (iotsec_cbor_enter_map(v, &m, NULL) != IOTSEC_OK) {
        cli_jw_cbor(w, v);
        return;
    }
    cli_jw_begin(w, '{');
    while (!iotsec_cbor_at_end(&m)) {
        struct iotsec_cbuf name;
        if (iotsec_cbor_get_tstr(&m, &name) == IOTSEC_OK) {
            cli_jw_keyn(w, (const char *)name.ptr, name.len);
        } else {
            struct cli_buf t = {0};
            cli_put_diag(&t, &m);
            cli_jw_keyn(w, t.p != NULL ? (const char *)t.p : "", t.len);
            cli_buf_free(&t);
        }
        if (iotsec_cbor_peek_type(&m) == IOTSEC_CBOR_MAP && depth < EAT_MAX_SUBMOD_DEPTH) {
            show_claims(w, &m, depth + 1);
        } else if (iotsec_cbor_peek_type(&m) == IOTSEC_CBOR_BSTR &&
                   iotsec_cbor_get_bstr(&m, &b) == IOTSEC_OK) {
            /* a nested token, in RFC 9711's JSON form */
            cli_jw_begin(w, '[');
            cli_jw_str(w, "CBOR");
            cli_jw_b64(w, b.ptr, b.len);
            cli_jw_end(w, ']');
        } else if (is_digest(&m)) {
            /* a detached digest, in RFC 9711's JSON form ["DIGEST", [alg, digest]] */
            cli_jw_begin(w, '[');
            cli_jw_str(w, "DIGEST");
            cli_jw_cbor(w, &m);
            cli_jw_end(w, ']');
        } else {
            cli_jw_cbor(w, &m);
        }
    }
    (void)iotsec_cbor_leave(v, &m);
    cli_jw_end(w, '}');
}

/* One claim's value by its type (consumed). */
static void show_value(struct cli_jw *w, const struct claim_def *d, struct iotsec_cbor_dec *v,
                       unsigned depth)
{
    struct iotsec_cbor_dec c = *v;
    struct iotsec_cbuf b;
    struct cli_buf t = {0};

    switch (d->type) {
    case C_DBGSTAT:
        show_named(w, v, dbgstat_names, NELEM(dbgstat_names));
        return;
    case C_INTUSE:
        show_named(w, v, intuse_names, NELEM(intuse_names));
        return;
    case C_LOCATION:
        show_location(w, v);
        return;
    case C_PROFILE:
        if (iotsec_cbor_get_bstr(&c, &b) == IOTSEC_OK && oid_to_text(b, &t)) {
            cli_jw_strn(w, (const char *)t.p, t.len);
            cli_buf_free(&t);
            *v = c;
            return;
        }
        cli_buf_free(&t);
        break;
    case C_SUBMODS:
        show_submods(w, v, depth);
        return;
    case C_MEASRES:
        show_measres(w, v);
        return;
    default:
        break;
    }
    cli_jw_cbor(w, v);
}

/* A claims-set map (consumed) with its claims by name. */
static void show_claims(struct cli_jw *w, struct iotsec_cbor_dec *d, unsigned depth)
{
    struct iotsec_cbor_dec m, k;
    int64_t key;
    const struct claim_def *def;

    (void)iotsec_cbor_skip_tag(d, IOTSEC_EAT_TAG_UCCS);
    if (iotsec_cbor_enter_map(d, &m, NULL) != IOTSEC_OK) {
        cli_jw_cbor(w, d);
        return;
    }
    cli_jw_begin(w, '{');
    while (!iotsec_cbor_at_end(&m)) {
        k = m;
        if (iotsec_cbor_get_int(&k, &key) == IOTSEC_OK && (def = claim_by_key(key)) != NULL) {
            m = k;
            cli_jw_key(w, def->name);
            show_value(w, def, &m, depth);
            continue;
        }
        /* unknown integer keys as decimal text, text keys as they are */
        {
            struct cli_buf t = {0};
            struct iotsec_cbuf s;
            k = m; /* the lookup above may have read the key already */
            if (iotsec_cbor_get_int(&k, &key) == IOTSEC_OK) {
                cli_buf_printf(&t, "%lld", (long long)key);
                m = k;
            } else if (iotsec_cbor_get_tstr(&m, &s) == IOTSEC_OK) {
                cli_buf_put(&t, s.ptr, s.len);
            } else {
                cli_put_diag(&t, &m);
            }
            cli_jw_keyn(w, t.p != NULL ? (const char *)t.p : "", t.len);
            cli_buf_free(&t);
        }
        cli_jw_cbor(w, &m);
    }
    (void)iotsec_cbor_leave(d, &m);
    cli_jw_end(w, '}');
}

/* Check a claims set as the library does; a sentence on failure. */
static bool claims_conform(struct iotsec_cbuf cs, const char *where, struct cli_buf *why)
{
    struct iotsec_eat_claims c;
    int64_t bad_key = 0;
    size_t off = 0;
    char lbl[64];
    struct iotsec_cbor_dec d;
    enum iotsec_err err = iotsec_cbor_dec_init(&d, cs.ptr, cs.len, 0, &off);

    if (err != IOTSEC_OK) {
        cli_buf_printf(why, "the claims set%s is not valid CBOR: %s at byte offset %zu", where,
                       err == IOTSEC_ERR_CBOR_DUPLICATE_KEY ? "a claim key is repeated"
                                                            : iotsec_err_str(err),
                       off);
        return false;
    }
    err = iotsec_eat_claims_decode(cs.ptr, cs.len, &c, &bad_key);
    if (err == IOTSEC_OK)
        return true;
    if (err == IOTSEC_ERR_LIMIT)
        cli_buf_printf(why, "the claims set%s carries more than %d nonces", where,
                       IOTSEC_MAX_EAT_NONCES);
    else if (bad_key != 0)
        cli_buf_printf(why, "claim %s%s has the wrong type or a value out of its range (RFC "
                            "9711)",
                       key_label(bad_key, lbl, sizeof(lbl)), where);
    else
        cli_buf_printf(why, "the claims set%s is malformed: %s", where, iotsec_err_str(err));
    return false;
}

static void show_kid(struct cli_jw *w, struct iotsec_cbuf kid)
{
    size_t i;
    bool text = kid.len != 0;

    cli_jw_key(w, "kid");
    cli_jw_b64(w, kid.ptr, kid.len);
    for (i = 0; i < kid.len && text; i++)
        text = kid.ptr[i] >= 0x20 && kid.ptr[i] < 0x7f;
    if (text) {
        cli_jw_key(w, "kid_text");
        cli_jw_strn(w, (const char *)kid.ptr, kid.len);
    }
}

/* The members of one token's object; false (with @p why) when it does not decode. */
static bool show_token(struct cli_jw *w, const uint8_t *p, size_t n, bool top, struct cli_buf *why)
{
    struct tok t;
    struct iotsec_cbor_dec d;

    if (!tok_decode(p, n, &t, why))
        return false;
    if (!top && strcmp(t.form, "DEB") == 0) {
        cli_buf_puts(why, "a detached EAT bundle's main token is itself a bundle");
        return false;
    }
    cli_jw_key(w, "form");
    cli_jw_str(w, t.form);
    if (t.form[0] == 'C' && t.form[1] == 'O') { /* COSE_* */
        cli_jw_key(w, "cwt_tag");
        cli_jw_bool(w, t.cwt);
        cli_jw_key(w, "alg");
        cli_jw_name_or_int(w, cli_alg_name(t.alg), t.alg);
        if (t.kid.ptr != NULL)
            show_kid(w, t.kid);
    }
    if (strcmp(t.form, "DEB") == 0) {
        struct iotsec_cbor_dec m = t.detached, entries;
        bool ok;
        cli_jw_key(w, "main");
        cli_jw_begin(w, '{');
        ok = show_token(w, t.main.ptr, t.main.len, false, why);
        cli_jw_end(w, '}');
        if (!ok)
            return false;
        cli_jw_key(w, "detached");
        cli_jw_begin(w, '{');
        (void)iotsec_cbor_enter_map(&m, &entries, NULL);
        while (!iotsec_cbor_at_end(&entries)) {
            struct iotsec_cbuf name, cs;
            if (iotsec_cbor_get_tstr(&entries, &name) != IOTSEC_OK ||
                iotsec_cbor_get_bstr(&entries, &cs) != IOTSEC_OK ||
                iotsec_cbor_dec_init(&d, cs.ptr, cs.len, 0, NULL) != IOTSEC_OK) {
                cli_jw_end(w, '}');
                cli_buf_puts(why, "the bundle's detached claims sets must be {name: byte string "
                                  "holding a claims set}");
                return false;
            }
            cli_jw_keyn(w, (const char *)name.ptr, name.len);
            show_claims(w, &d, 0);
        }
        cli_jw_end(w, '}');
        return true;
    }
    if (iotsec_cbor_dec_init(&d, t.claims.ptr, t.claims.len, 0, NULL) != IOTSEC_OK) {
        cli_buf_puts(why, "");
        (void)claims_conform(t.claims, "", why);
        return false;
    }
    cli_jw_key(w, "claims");
    show_claims(w, &d, 0);
    return true;
}

/* Every claims set of a token conforms? (after show_token() succeeded) */
static bool token_conforms(const uint8_t *p, size_t n, struct cli_buf *why)
{
    struct tok t;
    struct iotsec_cbor_dec entries;
    struct cli_buf where = {0};
    bool ok = true;

    if (!tok_decode(p, n, &t, why))
        return false;
    if (strcmp(t.form, "DEB") != 0)
        return claims_conform(t.claims, "", why);
    if (!token_conforms(t.main.ptr, t.main.len, why))
        return false;
    (void)iotsec_cbor_enter_map(&t.detached, &entries, NULL);
    while (ok && !iotsec_cbor_at_end(&entries)) {
        struct iotsec_cbuf name, cs;
        (void)iotsec_cbor_get_tstr(&entries, &name);
        (void)iotsec_cbor_get_bstr(&entries, &cs);
        where.len = 0;
        cli_buf_printf(&where, " of detached claims set '%.*s'", (int)name.len,
                       (const char *)name.ptr);
        ok = claims_conform(cs, (const char *)where.p, why);
    }
    cli_buf_free(&where);
    return ok;
}

static int eat_show(int argc, char **argv)
{
    const char *cmd = "eat show";
    struct eat_args a;
    struct cli_buf in = {0}, out = {0}, why = {0};
    struct cli_jw w;
    int rc = parse_args(cmd, show_help, 0, argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if ((rc = cli_read(a.in, &in)) != CLI_OK)
        goto out;
    cli_jw_init(&w, &out);
    cli_jw_begin(&w, '{');
    if (!show_token(&w, in.p, in.len, true, &why)) {
        rc = cli_fail(CLI_REJECT, "%s", why.p != NULL ? (const char *)why.p : "not a token");
        goto out;
    }
    cli_jw_end(&w, '}');
    if ((rc = cli_write(NULL, out.p, out.len, false)) != CLI_OK)
        goto out;
    if (!token_conforms(in.p, in.len, &why))
        rc = cli_fail(CLI_REJECT, "%s", (const char *)why.p);
out:
    cli_buf_free(&in);
    cli_buf_free(&out);
    cli_buf_free(&why);
    return rc;
}

/* ------------------------------------------------------------------ */
/* verify                                                              */
/* ------------------------------------------------------------------ */

/* The claims of a token that verified up to its freshness, for messages. */
static bool claims_of(const struct cli_buf *in, struct iotsec_eat_claims *c)
{
    struct tok t;
    struct cli_buf why = {0};
    bool ok = tok_decode(in->p, in->len, &t, &why) && strcmp(t.form, "DEB") != 0 &&
              iotsec_eat_claims_decode(t.claims.ptr, t.claims.len, c, NULL) == IOTSEC_OK;

    cli_buf_free(&why);
    return ok;
}

static bool has_claim(const struct iotsec_eat_claims *c, int key)
{
    return (c->present & IOTSEC_EAT_BIT((uint64_t)key)) != 0;
}

/* "ES256, kid 'dev1'" for messages. */
static void put_alg_kid(struct cli_buf *t, const struct tok *k)
{
    size_t i;
    bool text = k->kid.len != 0;

    cli_buf_puts(t, cli_alg_name_or(k->alg, "an unknown algorithm"));
    if (k->kid.ptr == NULL) {
        cli_buf_puts(t, ", no kid");
        return;
    }
    for (i = 0; i < k->kid.len && text; i++)
        text = k->kid.ptr[i] >= 0x20 && k->kid.ptr[i] < 0x7f && k->kid.ptr[i] != '\'';
    if (text) {
        cli_buf_printf(t, ", kid '%.*s'", (int)k->kid.len, (const char *)k->kid.ptr);
    } else {
        cli_buf_puts(t, ", kid h'");
        cli_hex_encode(t, k->kid.ptr, k->kid.len);
        cli_buf_puts(t, "'");
    }
}

/* Why the constrained profile refused the token. */
static void profile_detail(const struct cli_buf *in, struct cli_buf *t)
{
    struct tok k;
    struct iotsec_eat_claims c;

    if (!tok_decode(in->p, in->len, &k, t))
        return;
    if (strcmp(k.form, "DEB") == 0)
        cli_buf_puts(t, "it is a detached EAT bundle, which the profile does not allow");
    else if (strcmp(k.form, "COSE_Sign1") != 0)
        cli_buf_printf(t, "it is a %s; the profile requires COSE_Sign1", k.form);
    else if (k.alg != IOTSEC_ALG_ES256 && k.alg != IOTSEC_ALG_ES384 && k.alg != IOTSEC_ALG_ES512)
        cli_buf_printf(t, "it is signed with %s; the profile allows ES256, ES384 and ES512",
                       cli_alg_name_or(k.alg, "an unknown algorithm"));
    else if (claims_of(in, &c) && c.n_nonce == 0)
        cli_buf_puts(t, "it carries no eat_nonce; the profile requires a fresh nonce in every "
                        "token");
    else
        cli_buf_puts(t, "it is not in preferred serialization with definite lengths");
}

/* The sentence and exit status for a token iotsec_eat_verify() refused. */
static int verify_failed(enum iotsec_err err, const struct cli_buf *in,
                         const struct iotsec_eat_verify_opts *o)
{
    struct iotsec_eat_claims c;
    struct cli_buf t = {0}, why = {0};
    struct tok k;
    bool known = tok_decode(in->p, in->len, &k, &t);
    bool mac = known && strcmp(k.form, "COSE_Mac0") == 0;
    int rc = CLI_REJECT;

    t.len = 0;
    switch (err) {
    case IOTSEC_ERR_VERIFY_FAILED:
        cli_buf_printf(&t, "the token's %s does not verify: the token was altered after it was "
                           "%s, or %s by a key other than the given ones",
                       mac ? "MAC" : "signature", mac ? "MACed" : "signed",
                       mac ? "MACed" : "signed");
        break;
    case IOTSEC_ERR_NOT_FOUND:
        cli_buf_puts(&t, "wrong key: no --key fits the token, which was ");
        cli_buf_puts(&t, mac ? "MACed with " : "signed with ");
        if (known)
            put_alg_kid(&t, &k);
        else
            cli_buf_puts(&t, "an unknown key");
        cli_buf_puts(&t, " (each key must be for that algorithm, and carry that kid or none)");
        break;
    case IOTSEC_ERR_NONCE_MISMATCH:
        if (claims_of(in, &c) && c.n_nonce == 0)
            cli_buf_puts(&t, "the token carries no eat_nonce, so it cannot answer this "
                             "verifier's challenge (--nonce)");
        else
            cli_buf_puts(&t, "wrong nonce: the token's eat_nonce is not the --nonce this "
                             "verifier sent (it answers another challenge, or is replayed)");
        break;
    case IOTSEC_ERR_EXPIRED:
        if (claims_of(in, &c) && has_claim(&c, IOTSEC_EAT_EXP) && c.exp <= o->now + o->leeway)
            cli_buf_printf(&t, "the token has expired: exp %lld is %lld s before now (%lld)",
                           (long long)c.exp, (long long)(o->now - c.exp), (long long)o->now);
        else if (claims_of(in, &c) && !has_claim(&c, IOTSEC_EAT_IAT))
            cli_buf_printf(&t, "the token carries no iat, which --max-age %lld requires",
                           (long long)o->max_age);
        else if (claims_of(in, &c))
            cli_buf_printf(&t, "the token is too old: iat %lld is %lld s before now (%lld), more "
                               "than --max-age %lld",
                           (long long)c.iat, (long long)(o->now - c.iat), (long long)o->now,
                           (long long)o->max_age);
        else
            cli_buf_puts(&t, "the token has expired");
        break;
    case IOTSEC_ERR_NOT_YET_VALID:
        if (claims_of(in, &c) && has_claim(&c, IOTSEC_EAT_NBF) && c.nbf > o->now + o->leeway)
            cli_buf_printf(&t, "the token is not valid yet: nbf %lld is %lld s after now (%lld)",
                           (long long)c.nbf, (long long)(c.nbf - o->now), (long long)o->now);
        else if (claims_of(in, &c) && has_claim(&c, IOTSEC_EAT_IAT))
            cli_buf_printf(&t, "the token was issued in the future: iat %lld is %lld s after "
                               "now (%lld); check the clocks, or allow --leeway",
                           (long long)c.iat, (long long)(c.iat - o->now), (long long)o->now);
        else
            cli_buf_puts(&t, "the token is not valid yet");
        break;
    case IOTSEC_ERR_PROFILE:
        cli_buf_puts(&t, "the token breaks the Constrained Device Standard Profile (RFC 9711 "
                         "section 6.4): ");
        profile_detail(in, &t);
        break;
    case IOTSEC_ERR_UNSUPPORTED:
        if (known && strcmp(k.form, "UCCS") == 0) {
            cli_buf_puts(&t, "the token is an unprotected claims set (UCCS, tag 601): nothing "
                             "authenticates it");
            break;
        }
        rc = CLI_UNSUPPORTED;
        cli_buf_printf(&t, "cannot verify the token: %s", iotsec_err_str(err));
        break;
    case IOTSEC_ERR_UNSUPPORTED_ALG:
        rc = CLI_UNSUPPORTED;
        cli_buf_printf(&t, "cannot verify the token: it uses %s, which this build does not "
                           "support",
                       known ? cli_alg_name_or(k.alg, "an unknown algorithm") : "an algorithm");
        break;
    case IOTSEC_ERR_DIGEST_MISMATCH:
        cli_buf_puts(&t, "a detached claims set of the bundle does not match its digest in the "
                         "main token");
        break;
    default:
        if (!known) {
            (void)tok_decode(in->p, in->len, &k, &t); /* its sentence again */
        } else if (strcmp(k.form, "DEB") != 0 && !claims_conform(k.claims, "", &why)) {
            cli_buf_printf(&t, "malformed claims: %s", (const char *)why.p);
        } else {
            rc = cli_exit_for(err);
            cli_buf_printf(&t, "cannot verify the token: %s", iotsec_err_str(err));
        }
        break;
    }
    rc = cli_fail(rc, "%s", t.len != 0 ? (const char *)t.p : iotsec_err_str(err));
    cli_buf_free(&t);
    cli_buf_free(&why);
    return rc;
}

static int eat_verify(int argc, char **argv)
{
    const char *cmd = "eat verify";
    struct eat_args a;
    struct cli_keyset ks = {0};
    struct cli_buf in = {0}, nonce = {0}, scratch = {0}, out = {0};
    struct ear_reference ref;
    struct ear_result res;
    struct ear_meta meta;
    struct iotsec_eat_verify_opts o;
    struct iotsec_eat_token t;
    struct iotsec_eat_claims c;
    enum iotsec_err err;
    size_t i, stdin_users = 0;
    bool have_ref = false, have_res = false;
    int rc = parse_args(cmd, verify_help,
                        O_KEYS | O_NONCE | O_MAX_AGE | O_NOW | O_LEEWAY | O_PROFILE | O_REFERENCE,
                        argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    memset(&o, 0, sizeof(o));
    memset(&ref, 0, sizeof(ref));
    if (a.in == NULL)
        return cli_usage_error(cmd, "no token given");
    if (a.n_keys == 0)
        return cli_usage_error(cmd, "--key is required: the token must authenticate");
    if (a.profile != NULL && strcmp(a.profile, "constrained") != 0)
        return cli_usage_error(cmd, "--profile takes 'constrained' (RFC 9711 section 6.4), not "
                                    "'%s'",
                               a.profile);
    o.now = (int64_t)time(NULL);
    if ((a.now != NULL && (rc = parse_seconds(cmd, "--now", a.now, 0, &o.now)) != CLI_OK) ||
        (a.max_age != NULL &&
         (rc = parse_seconds(cmd, "--max-age", a.max_age, 1, &o.max_age)) != CLI_OK) ||
        (a.leeway != NULL && (rc = parse_seconds(cmd, "--leeway", a.leeway, 0, &o.leeway)) !=
                                 CLI_OK) ||
        (a.nonce != NULL && (rc = parse_nonce(cmd, a.nonce, &nonce)) != CLI_OK))
        goto out;
    stdin_users += strcmp(a.in, "-") == 0 ? 1u : 0u;
    stdin_users += a.reference != NULL && strcmp(a.reference, "-") == 0 ? 1u : 0u;
    for (i = 0; i < a.n_keys; i++)
        stdin_users += strcmp(a.keys[i], "-") == 0 ? 1u : 0u;
    if (stdin_users > 1) {
        rc = cli_usage_error(cmd, "only one input can come from standard input");
        goto out;
    }
    if ((rc = cli_read(a.in, &in)) != CLI_OK || (rc = cli_keyset_load(a.keys, a.n_keys, &ks)) !=
                                                    CLI_OK)
        goto out;
    if (a.reference != NULL) {
        if ((rc = ear_reference_load(a.reference, &ref)) != CLI_OK)
            goto out;
        have_ref = true;
    }

    if (a.nonce != NULL) {
        o.nonce = nonce.p;
        o.nonce_len = nonce.len;
    }
    o.constrained = a.profile != NULL;
    cli_buf_reserve(&scratch, in.len * 2 + 4096); /* EdDSA builds its Sig_structure here */
    o.scratch.ptr = scratch.p;
    o.scratch.len = scratch.cap;
    err = iotsec_eat_verify(in.p, in.len, &ks.set, &o, &t, &c);
    if (err != IOTSEC_OK) {
        rc = verify_failed(err, &in, &o);
        goto out;
    }
    if (a.nonce == NULL && a.max_age == NULL)
        fprintf(stderr, "iotsec: note: neither --nonce nor --max-age was given, so the token "
                        "may be a replay\n");

    ear_appraise(&c, have_ref ? &ref : NULL, &res);
    have_res = true;
    memset(&meta, 0, sizeof(meta));
    meta.iat = o.now;
    if (a.nonce != NULL) {
        meta.nonce.ptr = nonce.p;
        meta.nonce.len = nonce.len;
    }
    ear_write_json(&out, &res, &meta, have_ref ? &ref : NULL, &c);
    if ((rc = cli_write(NULL, out.p, out.len, false)) != CLI_OK)
        goto out;
    if (res.status != EAR_TIER_AFFIRMING)
        rc = cli_fail(CLI_REJECT, "the appraisal is not affirming (%s): %s",
                      ear_tier_name(res.status),
                      res.why.len != 0 ? (const char *)res.why.p : "no claim could be appraised");
out:
    if (have_res)
        ear_result_free(&res);
    if (have_ref)
        ear_reference_free(&ref);
    cli_keyset_free(&ks);
    cli_buf_free(&in);
    cli_buf_free(&nonce);
    cli_buf_free(&scratch);
    cli_buf_free(&out);
    return rc;
}

/* see cli.h */
int cmd_eat(int argc, char **argv)
{
    static const struct cli_verb verbs[] = {
        {"create", eat_create},
        {"show", eat_show},
        {"verify", eat_verify},
    };

    return cli_dispatch("eat", eat_help, verbs, NELEM(verbs), argc, argv);
}
