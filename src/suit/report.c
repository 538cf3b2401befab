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
 *  - manifest-id is [] (the root manifest): struct iotsec_suit_record
 *    does not say which dependency a command came from.
 *  - manifest-section 0 (no manifest member has key 0) marks a failure
 *    outside any command sequence: envelope, authentication, the rollback
 *    check, the component check.
 *  - properties hold what the device measured when a condition on it
 *    failed: its vendor-id (1), class-id (2) or device-id (24). Nothing
 *    else is re-measured, so other records carry {}.
 *  - suit-report-result-code is the iotsec_err value (the draft: "an
 *    internal error code ... not intended for interoperability").
 *  - Map keys go in deterministic order (2, 3, 4, 99).
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
                       int64_t section, size_t offset, size_t component, int64_t command,
                       enum iotsec_err err)
{
    struct iotsec_cbuf v;
    int64_t label;

    iotsec_cbor_enc_array(e, 5);
    iotsec_cbor_enc_array(e, 0); /* manifest-id: the root */
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
        if (r[j].err == r[i].err && r[j].section == r[i].section &&
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

/* see iotsec/suit.h */
enum iotsec_err iotsec_suit_report_encode(struct iotsec_cbor_enc *e,
                                          const struct iotsec_suit_ctx *ctx,
                                          const struct iotsec_cbuf *nonce,
                                          const struct iotsec_suit_record *records,
                                          size_t n_records)
{
    bool has_nonce = nonce != NULL && nonce->ptr != NULL;
    size_t i, n = 0;

    if (e == NULL || ctx == NULL || (records == NULL && n_records != 0))
        return IOTSEC_ERR_INVALID_ARG;
    for (i = 0; i < n_records; i++)
        n += first_failure(records, i) ? 1u : 0u;

    iotsec_cbor_enc_map(e, has_nonce ? 4 : 3);
    if (has_nonce) {
        iotsec_cbor_enc_uint(e, REPORT_NONCE);
        iotsec_cbor_enc_bstr(e, nonce->ptr, nonce->len);
    }
    iotsec_cbor_enc_uint(e, REPORT_RECORDS);
    iotsec_cbor_enc_array(e, n);
    for (i = 0; i < n_records; i++)
        if (first_failure(records, i))
            put_record(e, ctx, records[i].section, records[i].offset, records[i].component,
                       records[i].command, records[i].err);
    iotsec_cbor_enc_uint(e, REPORT_RESULT);
    if (ctx->err == IOTSEC_OK) {
        iotsec_cbor_enc_bool(e, true);
    } else {
        iotsec_cbor_enc_map(e, 3);
        iotsec_cbor_enc_uint(e, REPORT_RESULT_CODE);
        iotsec_cbor_enc_int(e, (int64_t)ctx->err);
        iotsec_cbor_enc_uint(e, REPORT_RESULT_RECORD);
        put_record(e, ctx, ctx->fail_section, ctx->fail_offset, ctx->fail_component,
                   ctx->fail_command, ctx->err);
        iotsec_cbor_enc_uint(e, REPORT_RESULT_REASON);
        iotsec_cbor_enc_uint(e, (uint64_t)ctx->reason);
    }
    iotsec_cbor_enc_uint(e, REPORT_REFERENCE);
    iotsec_cbor_enc_array(e, 2);
    iotsec_cbor_enc_tstr(e, ctx->m.reference_uri.ptr != NULL
                                ? (const char *)ctx->m.reference_uri.ptr : "",
                         ctx->m.reference_uri.len);
    put_digest(e, ctx->m.digest);
    return e->err;
}
