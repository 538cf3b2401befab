/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Appraisal of verified Entity Attestation Tokens against reference values,
 * and the attestation result it yields as an EAR (draft-ietf-rats-ear-03,
 * JSON serialisation). 'iotsec eat verify' uses it; so can a verifier
 * service: nothing here prints, reads the clock or exits.
 *
 * Model
 *   The token has been verified already (iotsec_eat_verify: signature or
 *   MAC, claim types, freshness): what comes here is authentic evidence.
 *   ear_appraise() compares its claims with the reference values and
 *   fills an AR4SI trustworthiness vector (draft-ietf-rats-ar4si section
 *   2.3), one value per claim it has something to say about:
 *
 *     instance-identity  2 the token verified with a key of the key set
 *                          (and its ueid is the reference's, when given);
 *                       97 the reference names another ueid, or none is sent
 *     hardware           2 oemid, hwmodel and hwversion are the reference's;
 *                       97 one differs or is missing ("not recognized, but
 *                          it should be")
 *     configuration      2 dbgstat is at least the reference's;
 *                       32 debugging is disabled, but less firmly than the
 *                          reference asks (e.g. since boot, not permanently);
 *                       96 debugging is enabled, or dbgstat is missing
 *     executables        2 swname, swversion, every reference measurement
 *                          and manifest digest, and the SUIT manifest
 *                          sequence number are as the reference says;
 *                       32 the SUIT sequence number is below the minimum
 *                          (known, but superseded software);
 *                       33 a name, version, digest or sequence number is not
 *                          the reference's (unrecognised software);
 *                       96 oemboot is false or missing while the reference
 *                          asks for it, or one of the attester's own
 *                          measurement results (measres) is "fail"
 *
 *   Claims the reference says nothing about are not appraised (the vector
 *   leaves them out: AR4SI "no claim"). Within a claim the worst finding
 *   wins (AR4SI 2.3.3: contraindicated before warning before affirming).
 *   The status of the appraisal, and of the whole result, is the worst tier
 *   in the vector. Without reference values the result says only that the
 *   evidence is authentic and fresh: instance-identity 2, "affirming".
 *
 *   Submodules of the evidence are not appraised one by one: the EAR has one
 *   appraisal, labelled EAR_SUBMOD_LABEL, for the attester that signed.
 *
 * Reference values (REF.json): one JSON object; every member is optional,
 * an unknown member is an error (a misspelt reference must not pass):
 *
 *   "policy-id":   text, reported as ear_appraisal_policy_ids
 *   "ueid":        base64url (RFC 9711 JSON encoding)
 *   "oemid":       an IANA PEN (number) or base64url (3 or 16 bytes)
 *   "hwmodel":     base64url
 *   "hwversion":   the version text, e.g. "3.1"
 *   "swname":      text
 *   "swversion":   text, or an array of acceptable texts
 *   "dbgstat":     the weakest acceptable state: a number 1..4 or its RFC
 *                  9711 name ("disabled", "disabled-since-boot",
 *                  "disabled-permanently", "disabled-fully-and-permanently")
 *   "oemboot":     true (the evidence must say the OEM authorised the boot)
 *   "measurements", "manifests": arrays of {"sha-256" | "sha-384" |
 *                  "sha-512": hex}, each the digest of one entry's content
 *                  (the bytes in [content-format, bytes]) that the claim
 *                  must hold; entries the reference does not list are
 *                  ignored
 *   "suit-sequence-number": {"min": N} or {"exact": N}: the
 *                  manifest-sequence-number of the SUIT envelope carried in
 *                  the manifests claim (an entry whose content decodes as a
 *                  SUIT_Envelope; the highest one counts when there are
 *                  several). The envelope is signed by the token, so it is
 *                  parsed, not authenticated again.
 *
 * See also: iotsec/eat.h, draft-ietf-rats-ear, draft-ietf-rats-ar4si.
 */
#ifndef IOTSEC_EAR_H
#define IOTSEC_EAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "iotsec/eat.h"

/** eat_profile of an EAR (draft-ietf-rats-ear-03 section 3). */
#define EAR_PROFILE "tag:ietf.org,2026:rats/ear#03"
/** The label of the one appraisal in submods. */
#define EAR_SUBMOD_LABEL "EAT"

/** AR4SI trustworthiness tiers (draft-ietf-rats-ar4si section 2.3.2). */
enum ear_tier {
    EAR_TIER_NONE = 0,
    EAR_TIER_AFFIRMING = 2,
    EAR_TIER_WARNING = 32,
    EAR_TIER_CONTRAINDICATED = 96
};

/** The trustworthiness claims, in the order of their CBOR keys. */
enum ear_claim {
    EAR_INSTANCE_IDENTITY = 0,
    EAR_CONFIGURATION = 1,
    EAR_EXECUTABLES = 2,
    EAR_FILE_SYSTEM = 3,
    EAR_HARDWARE = 4,
    EAR_RUNTIME_OPAQUE = 5,
    EAR_STORAGE_OPAQUE = 6,
    EAR_SOURCED_DATA = 7,
    EAR_NCLAIMS = 8
};

/** One expected digest (of a measurements or manifests entry). */
struct ear_digest {
    int32_t alg; /**< COSE hash algorithm: -16, -43, -44 */
    uint8_t d[64];
    size_t len;
};

/** Reference values, as ear_reference_load() read them. */
struct ear_reference {
    char *policy_id;
    bool has_ueid, has_oemid, has_hwmodel, has_oemboot;
    struct cli_buf ueid, oemid, hwmodel; /* oemid bytes, or empty for a PEN */
    int64_t oemid_pen;
    char *hwversion, *swname;
    char **swversions;
    size_t n_swversions;
    int dbgstat_min; /**< -1: not asked; else 1..4 */
    struct ear_digest *measurements, *manifests;
    size_t n_measurements, n_manifests;
    bool seq_min, seq_exact;
    uint64_t seq;
};

/**
 * Read reference values from JSON @p text (@p len bytes); @p what names the
 * input in messages (a file name). On failure prints the reason ("iotsec:
 * ...") and returns the exit status (CLI_REJECT for bad content).
 */
int ear_reference_parse(const char *what, const char *text, size_t len, struct ear_reference *r);
/** ear_reference_parse() of the file at @p path (CLI_IO when unreadable). */
int ear_reference_load(const char *path, struct ear_reference *r);
void ear_reference_free(struct ear_reference *r);

/** The outcome of an appraisal. */
struct ear_result {
    bool set[EAR_NCLAIMS];     /**< the vector has this claim */
    int8_t tv[EAR_NCLAIMS];    /**< its value */
    enum ear_tier status;      /**< the worst tier in the vector */
    struct cli_buf why;        /**< a sentence per finding below affirming, "; " between */
};

/**
 * Appraise the verified claims @p c against @p ref (NULL: no reference
 * values). Fills @p r; release it with ear_result_free().
 */
void ear_appraise(const struct iotsec_eat_claims *c, const struct ear_reference *ref,
                  struct ear_result *r);
void ear_result_free(struct ear_result *r);

/** The tier of trustworthiness value @p v, and the tier's name. */
enum ear_tier ear_tier_of(int v);
const char *ear_tier_name(enum ear_tier t);
/** The AR4SI name of a trustworthiness claim ("instance-identity", ...). */
const char *ear_claim_name(enum ear_claim k);

/** What the EAR says besides the appraisal. */
struct ear_meta {
    int64_t iat;              /**< when the result is issued, seconds */
    struct iotsec_cbuf nonce; /**< the verifier's challenge, echoed; {NULL,0}: none */
    const char *developer;    /**< ear_verifier_id; NULL: "iotsec" */
    const char *build;        /**< NULL: "iotsec VERSION" */
};

/**
 * The EAR claims-set as JSON (pretty-printed, one object) appended to @p o:
 * eat_profile, iat, ear_verifier_id, ear_status, eat_nonce (the verifier's,
 * when given), and submods with one appraisal: ear_status,
 * ear_trustworthiness_vector, ear_appraisal_policy_ids (when the reference
 * has a policy-id) and eat_nonce (the evidence's, when it has one).
 */
void ear_write_json(struct cli_buf *o, const struct ear_result *r, const struct ear_meta *m,
                    const struct ear_reference *ref, const struct iotsec_eat_claims *c);

#endif
