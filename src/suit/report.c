/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SUIT_Report encoding (draft-ietf-suit-report-22, section "The SUIT_Report"
 * and its CDDL):
 *
 *   SUIT_Report = {
 *     suit-reference (99)      => [ suit-report-manifest-uri: tstr,
 *                                   suit-report-manifest-digest: SUIT_Digest ],
 *     ? suit-report-nonce (2)  => bstr,
 *     suit-report-records (3)  => [ * SUIT_Record / system-property-claims ],
 *     suit-report-result (4)   => true / { suit-report-result-code (5) => int,
 *                                          suit-report-result-record (6) => SUIT_Record,
 *                                          suit-report-result-reason (7) => SUIT_Report_Reasons },
 *   }
 *   SUIT_Record = [ manifest-id: [* uint], manifest-section: int,
 *                   section-offset: uint, component-index: uint,
 *                   properties: { * $$SUIT_Parameters } ]
 *
 * Where the draft leaves a choice, this is what iotsec writes:
 *  - The reference URI is always present: the manifest's reference-uri, or
 *    "" when it has none. Some revisions make it optional (`? tstr`); an
 *    empty string fits both, and the published examples write "" too.
 *  - The digest is re-encoded from the envelope's SUIT_Digest as
 *    [algorithm-id, digest-bytes]: after a failed authentication it is
 *    what the envelope claims, so it is parsed rather than copied; when
 *    the envelope is too broken to name one it is [-16 (SHA-256), h''].
 *  - Records are of failures only ("SUIT Records are only generated on
 *    failure"): failed conditions, soft ones inside try-each included, and
 *    the failing command. A processor runs a procedure twice (dry, then
 *    for real), so the same step can be reported twice: each distinct
 *    (section, offset, component, command, error) is written once, in
 *    order of first appearance.
 *  - manifest-id is [] for the root manifest's commands and [index] for
 *    those of the dependency at that component index (dependencies are
 *    processed one level deep). The result record is the root's.
 *  - manifest-section 0 (no manifest member has key 0) marks a failure
 *    outside any command sequence: envelope, authentication, the rollback
 *    check, the component check.
 *  - properties hold what the device measured when a condition on it
 *    failed: its vendor-id (1), class-id (2) or device-id (24). Nothing
 *    else is re-measured, so other records carry {}.
 *  - suit-report-result-code is the iotsec_err value (the draft: "an
 *    internal error code ... not intended for interoperability").
 *  - Map keys go in deterministic order (2, 3, 4, 8, 99).
 *  - The capability report (8), when asked for, lists what this build and
 *    this platform can do: commands whose platform hooks are missing, and
 *    parameters and algorithms of features built out, are left out; text
 *    and dependency capabilities (8, 9, 10) are not listed.
 */
#include <string.h>

#include "suit_int.h"

#define REPORT_REFERENCE 99
#define REPORT_NONCE 2
#define REPORT_RECORDS 3
#define REPORT_RESULT 4
#define REPORT_RESULT_CODE 5
#define REPORT_RESULT_RECORD 6
#define REPORT_RESULT_REASON 7
#define REPORT_CAPABILITIES 8

/* The device identity a failed identity condition was checked against. */
static bool measured(const struct iotsec_suit_ctx *ctx, int64_t command, enum iotsec_err err,
                     int64_t *label, struct iotsec_cbuf *value)
{
    const struct iotsec_suit_platform *p = ctx->plat;

    if (p == NULL || err != IOTSEC_ERR_VERIFY_FAILED)
        return false;
    switch (command) {
    case IOTSEC_SUIT_COND_VENDOR_ID:
        *label = IOTSEC_SUIT_PARAM_VENDOR_ID;
        *value = p->vendor_id;
        break;
    case IOTSEC_SUIT_COND_CLASS_ID:
        *label = IOTSEC_SUIT_PARAM_CLASS_ID;
        *value = p->class_id;
        break;
    case IOTSEC_SUIT_COND_DEVICE_ID:
        *label = IOTSEC_SUIT_PARAM_DEVICE_ID;
        *value = p->device_id;
        break;
    default:
        return false;
    }
    return value->ptr != NULL && value->len != 0;
}

static void put_record(struct iotsec_cbor_enc *e, const struct iotsec_suit_ctx *ctx,
                       int32_t dependency, int64_t section, size_t offset, size_t component,
                       int64_t command, enum iotsec_err err)
{
    struct iotsec_cbuf v;
    int64_t label;

    iotsec_cbor_enc_array(e, 5);
    iotsec_cbor_enc_array(e, dependency >= 0); /* manifest-id: [] the root, [index] */
    if (dependency >= 0)
        iotsec_cbor_enc_uint(e, (uint64_t)dependency);
    iotsec_cbor_enc_int(e, section);
    iotsec_cbor_enc_uint(e, offset);
    iotsec_cbor_enc_uint(e, component);
    if (measured(ctx, command, err, &label, &v)) {
        iotsec_cbor_enc_map(e, 1);
        iotsec_cbor_enc_int(e, label);
        iotsec_cbor_enc_bstr(e, v.ptr, v.len);
    } else {
        iotsec_cbor_enc_map(e, 0);
    }
}

/* Is records[i] a failure not already reported by an earlier record? */
static bool first_failure(const struct iotsec_suit_record *r, size_t i)
{
    size_t j;

    if (r[i].err == IOTSEC_OK)
        return false;
    for (j = 0; j < i; j++)
        if (r[j].err == r[i].err && r[j].dependency == r[i].dependency &&
            r[j].section == r[i].section &&
            r[j].offset == r[i].offset && r[j].component == r[i].component &&
            r[j].command == r[i].command)
            return false;
    return true;
}

/* [algorithm-id, digest-bytes] from an encoded SUIT_Digest, re-encoded. */
static void put_digest(struct iotsec_cbor_enc *e, struct iotsec_cbuf digest)
{
    struct iotsec_cbor_dec d, a;
    struct iotsec_cbuf bytes;
    int64_t alg;

    if (digest.ptr != NULL &&
        iotsec_cbor_dec_init(&d, digest.ptr, digest.len, 0, NULL) == IOTSEC_OK &&
        iotsec_cbor_enter_array(&d, &a, NULL) == IOTSEC_OK &&
        iotsec_cbor_get_int(&a, &alg) == IOTSEC_OK &&
        iotsec_cbor_get_bstr(&a, &bytes) == IOTSEC_OK) {
        iotsec_cbor_enc_array(e, 2);
        iotsec_cbor_enc_int(e, alg);
        iotsec_cbor_enc_bstr(e, bytes.ptr, bytes.len);
        return;
    }
    iotsec_cbor_enc_array(e, 2);
    iotsec_cbor_enc_int(e, IOTSEC_ALG_SHA256);
    iotsec_cbor_enc_bstr(e, NULL, 0);
}

/* Append @p v to the list @p out when @p on. */
static size_t pick(int64_t *out, size_t n, int64_t v, bool on)
{
    if (on)
        out[n++] = v;
    return n;
}

static void put_ints(struct iotsec_cbor_enc *e, uint64_t key, const int64_t *v, size_t n)
{
    size_t i;

    iotsec_cbor_enc_uint(e, key);
    iotsec_cbor_enc_array(e, n);
    for (i = 0; i < n; i++)
        iotsec_cbor_enc_int(e, v[i]);
}

#define OPT IOTSEC_SUIT_OPTIONAL_COMMANDS

/* see iotsec/suit.h */
enum iotsec_err iotsec_suit_capabilities_encode(struct iotsec_cbor_enc *e,
                                                const struct iotsec_suit_platform *plat,
                                                const struct iotsec_cbuf *components, size_t n)
{
    /* what this build's processor runs; hooks the platform lacks drop out */
    static const int64_t envelope[] = {2, 3, 16, 20, 23
#if IOTSEC_SUIT_TRUST_DOMAINS
                                       , 15, 18
#endif
    };
    static const int64_t manifest[] = {1, 2, 3, 4, 7, 8, 9, 16, 20, 23
#if IOTSEC_SUIT_TRUST_DOMAINS
                                       , 5, 15, 18, 24
#endif
    };
    static const int64_t common[] = {2, 4
#if IOTSEC_SUIT_TRUST_DOMAINS
                                     , 1
#endif
    };
    int64_t v[40];
    size_t i, k = 0;

    if (e == NULL || plat == NULL || (components == NULL && n != 0))
        return IOTSEC_ERR_INVALID_ARG;
    iotsec_cbor_enc_map(e, 7);
    /* 1: components, each [* bstr] as its encoded identifier */
    iotsec_cbor_enc_uint(e, 1);
    iotsec_cbor_enc_array(e, n);
    for (i = 0; i < n; i++)
        iotsec_cbor_enc_raw(e, components[i].ptr, components[i].len);
    /* 2: commands (OPT: those section 8.5 of the manifest draft makes optional) */
    k = pick(v, 0, IOTSEC_SUIT_COND_VENDOR_ID, true);
    k = pick(v, k, IOTSEC_SUIT_COND_CLASS_ID, true);
    k = pick(v, k, IOTSEC_SUIT_COND_IMAGE_MATCH, true);
    k = pick(v, k, IOTSEC_SUIT_COND_COMPONENT_SLOT, OPT && plat->component_slot != NULL);
    k = pick(v, k, IOTSEC_SUIT_COND_CHECK_CONTENT, OPT && plat->read != NULL);
    k = pick(v, k, IOTSEC_SUIT_COND_ABORT, OPT);
    k = pick(v, k, IOTSEC_SUIT_DIR_SET_COMPONENT_INDEX, true);
    k = pick(v, k, IOTSEC_SUIT_DIR_TRY_EACH, OPT);
    k = pick(v, k, IOTSEC_SUIT_DIR_WRITE, OPT && plat->write != NULL);
    k = pick(v, k, IOTSEC_SUIT_DIR_SET_PARAMETERS, true);
    k = pick(v, k, IOTSEC_SUIT_DIR_OVERRIDE_PARAMETERS, true);
    k = pick(v, k, IOTSEC_SUIT_DIR_FETCH, plat->fetch != NULL);
    k = pick(v, k, IOTSEC_SUIT_DIR_COPY, OPT && plat->read != NULL && plat->write != NULL);
    k = pick(v, k, IOTSEC_SUIT_DIR_INVOKE, plat->invoke != NULL);
    k = pick(v, k, IOTSEC_SUIT_COND_DEVICE_ID, OPT && plat->device_id.len != 0);
    k = pick(v, k, IOTSEC_SUIT_DIR_SWAP, OPT && plat->swap != NULL);
    k = pick(v, k, IOTSEC_SUIT_DIR_RUN_SEQUENCE, OPT);
#if IOTSEC_SUIT_TRUST_DOMAINS
    k = pick(v, k, IOTSEC_SUIT_COND_DEPENDENCY_INTEGRITY, true);
    k = pick(v, k, IOTSEC_SUIT_COND_IS_DEPENDENCY, true);
    k = pick(v, k, IOTSEC_SUIT_DIR_PROCESS_DEPENDENCY, true);
    k = pick(v, k, IOTSEC_SUIT_DIR_UNLINK, plat->unlink != NULL);
#endif
#if IOTSEC_SUIT_UPDATE_MANAGEMENT
    k = pick(v, k, IOTSEC_SUIT_COND_USE_BEFORE, plat->now != NULL);
    k = pick(v, k, IOTSEC_SUIT_COND_IMAGE_NOT_MATCH, true);
    k = pick(v, k, IOTSEC_SUIT_COND_MINIMUM_BATTERY, plat->battery != NULL);
    k = pick(v, k, IOTSEC_SUIT_COND_UPDATE_AUTHORIZED, plat->update_authorized != NULL);
    k = pick(v, k, IOTSEC_SUIT_COND_VERSION, plat->version != NULL);
    k = pick(v, k, IOTSEC_SUIT_DIR_WAIT, plat->wait != NULL);
    k = pick(v, k, IOTSEC_SUIT_DIR_OVERRIDE_MULTIPLE, true);
    k = pick(v, k, IOTSEC_SUIT_DIR_COPY_PARAMS, true);
#endif
    put_ints(e, 2, v, k);
    /* 3: parameters this processor knows, less those of features left out */
    for (i = k = 0; i < 31; i++) {
        int64_t label = (int64_t)i;
        bool on = suit_param_slot(label) >= 0;
#if !IOTSEC_SUIT_ENCRYPTION
        on = on && label != 19;
#endif
#if !IOTSEC_SUIT_UPDATE_MANAGEMENT
        on = on && label != 4 && (label < 26 || label > 30);
#endif
        /* component-slot, soft-failure, content, source-component, device-id
         * serve only the optional commands */
        on = on && (OPT || (label != 5 && label != 13 && label != 18 && label != 22 && label != 24));
        k = pick(v, k, label, on);
    }
    put_ints(e, 3, v, k);
    /* 4: algorithms: digests, authentication, then firmware encryption */
    k = pick(v, 0, IOTSEC_ALG_SHA256, true);
    k = pick(v, k, IOTSEC_ALG_SHA384, true);
    k = pick(v, k, IOTSEC_ALG_SHA512, true);
    k = pick(v, k, IOTSEC_ALG_SHAKE128, true);
    k = pick(v, k, IOTSEC_ALG_SHAKE256, true);
    k = pick(v, k, IOTSEC_ALG_ES256, true);
    k = pick(v, k, IOTSEC_ALG_ESP256, true);
    k = pick(v, k, IOTSEC_ALG_EDDSA, true);
    k = pick(v, k, IOTSEC_ALG_HSS_LMS, true);
#if IOTSEC_COSE_VERIFY_MAC
    k = pick(v, k, IOTSEC_ALG_HMAC256, true);
#endif
#if IOTSEC_SUIT_ENCRYPTION
    k = pick(v, k, IOTSEC_ALG_A128KW, true);
    k = pick(v, k, IOTSEC_ALG_A256KW, true);
    k = pick(v, k, IOTSEC_ALG_ECDH_ES_A128KW, true);
    k = pick(v, k, IOTSEC_ALG_A128GCM, true);
    k = pick(v, k, IOTSEC_ALG_A256GCM, true);
    k = pick(v, k, IOTSEC_ALG_A128CTR, true);
    k = pick(v, k, IOTSEC_ALG_A256CTR, true);
#endif
    put_ints(e, 4, v, k);
    put_ints(e, 5, envelope, sizeof(envelope) / sizeof(envelope[0]));
    put_ints(e, 6, manifest, sizeof(manifest) / sizeof(manifest[0]));
    put_ints(e, 7, common, sizeof(common) / sizeof(common[0]));
    return e->err;
}

/* see iotsec/suit.h */
enum iotsec_err iotsec_suit_report_encode(struct iotsec_cbor_enc *e,
                                          const struct iotsec_suit_ctx *ctx,
                                          const struct iotsec_suit_report_opts *o,
                                          const struct iotsec_suit_record *records,
                                          size_t n_records)
{
    bool has_nonce = o != NULL && o->nonce.ptr != NULL;
    bool has_caps = o != NULL && o->capabilities;
    size_t i, n = 0;

    if (e == NULL || ctx == NULL || (records == NULL && n_records != 0) ||
        (has_caps && ctx->plat == NULL))
        return IOTSEC_ERR_INVALID_ARG;
    for (i = 0; i < n_records; i++)
        n += first_failure(records, i) ? 1u : 0u;

    iotsec_cbor_enc_map(e, 3u + (has_nonce ? 1u : 0u) + (has_caps ? 1u : 0u));
    if (has_nonce) {
        iotsec_cbor_enc_uint(e, REPORT_NONCE);
        iotsec_cbor_enc_bstr(e, o->nonce.ptr, o->nonce.len);
    }
    iotsec_cbor_enc_uint(e, REPORT_RECORDS);
    iotsec_cbor_enc_array(e, n);
    for (i = 0; i < n_records; i++)
        if (first_failure(records, i))
            put_record(e, ctx, records[i].dependency, records[i].section, records[i].offset,
                       records[i].component, records[i].command, records[i].err);
    iotsec_cbor_enc_uint(e, REPORT_RESULT);
    if (ctx->err == IOTSEC_OK) {
        iotsec_cbor_enc_bool(e, true);
    } else {
        iotsec_cbor_enc_map(e, 3);
        iotsec_cbor_enc_uint(e, REPORT_RESULT_CODE);
        iotsec_cbor_enc_int(e, (int64_t)ctx->err);
        iotsec_cbor_enc_uint(e, REPORT_RESULT_RECORD);
        put_record(e, ctx, -1, ctx->fail_section, ctx->fail_offset, ctx->fail_component,
                   ctx->fail_command, ctx->err);
        iotsec_cbor_enc_uint(e, REPORT_RESULT_REASON);
        iotsec_cbor_enc_uint(e, (uint64_t)ctx->reason);
    }
    if (has_caps) {
        iotsec_cbor_enc_uint(e, REPORT_CAPABILITIES);
        (void)iotsec_suit_capabilities_encode(e, ctx->plat, o->components, o->n_components);
    }
    iotsec_cbor_enc_uint(e, REPORT_REFERENCE);
    iotsec_cbor_enc_array(e, 2);
    iotsec_cbor_enc_tstr(e, ctx->m.reference_uri.ptr != NULL
                                ? (const char *)ctx->m.reference_uri.ptr : "",
                         ctx->m.reference_uri.len);
    put_digest(e, ctx->m.digest);
    return e->err;
}
