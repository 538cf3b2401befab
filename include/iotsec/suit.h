/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec/suit.h - SUIT manifests: authentication, and the processor that
 * runs them on a device (draft-ietf-suit-manifest-34, -trust-domains-12,
 * -firmware-encryption-26, -update-management-16, profiles of -mti-23).
 *
 * Model
 *   An envelope is authenticated before anything else in it is parsed:
 *   the authentication wrapper's COSE blocks (Sign1, Sign, Mac0, Mac, with
 *   the encoded SUIT_Digest as detached payload) are checked against the
 *   platform's trust anchors, then the SUIT_Digest is checked against the
 *   bstr-wrapped manifest. Only then is the manifest decoded.
 *
 *   The processor then runs a procedure:
 *     update  = shared+dependency-resolution, shared+payload-fetch,
 *               shared+candidate-verification, shared+install
 *     invoke  = shared+validate, shared+load, shared+invoke
 *     uninstall = shared+uninstall
 *   Each step starts from cleared parameters and runs the shared sequence
 *   first. Severable sequences are used only after their digest matches.
 *
 *   The update procedure runs twice. The dry run has no side effects:
 *   every command, parameter, component and condition that can be checked
 *   before anything is fetched or written is checked. Only when it passes
 *   does the real run begin, and the real run writes to staged storage that
 *   the platform commits at the very end. A manifest that would fail
 *   partway therefore changes nothing.
 *   The invoke procedure gets the same guarantee in one pass, so that a
 *   secure boot hashes each image once: its writes (load) are staged, and
 *   its invoke is held back until every command of the procedure has
 *   passed. When something follows the invoke, or the procedure holds a
 *   second invoke, a process-dependency or a custom command, the pass is
 *   abandoned (abort()) and the procedure runs dry first like an update.
 *   A dry-run record that follows real-run records therefore means the
 *   records before it are void.
 *
 * The platform port
 *   struct iotsec_suit_platform is everything the processor needs from the
 *   device: component storage (read, staged write, swap, commit), fetch,
 *   invoke, persistent sequence numbers, identity, keys and a report sink.
 *   The processor core knows nothing else about the device.
 *
 * Memory
 *   No allocation. struct iotsec_suit_ctx is caller-allocated; images stream
 *   through the caller's scratch buffer and are never held in RAM.
 *   Nesting (try-each, run-sequence) runs on an explicit frame stack. The one
 *   bounded exception is process-dependency (trust domains): a dependency is
 *   processed with a second context on the stack, one level deep only; a
 *   dependency's own process-dependency fails with IOTSEC_ERR_LIMIT. The
 *   dependency's envelope is read into the top of scratch, so scratch must
 *   hold it plus 256 bytes.
 *
 * See also: iotsec/cose.h, iotsec/cbor.h.
 */
#ifndef IOTSEC_SUIT_H
#define IOTSEC_SUIT_H

#include "iotsec/cose.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- features (build with -D...=0 to leave one out; each is on by
 * default). A manifest that needs a feature left out is refused with
 * IOTSEC_ERR_UNSUPPORTED. ---- */
#ifndef IOTSEC_SUIT_ENCRYPTION
#define IOTSEC_SUIT_ENCRYPTION 1       /* encryption-info on write and copy */
#endif
#ifndef IOTSEC_SUIT_TRUST_DOMAINS
#define IOTSEC_SUIT_TRUST_DOMAINS 1    /* dependencies, process-dependency, unlink, uninstall */
#endif
#ifndef IOTSEC_SUIT_UPDATE_MANAGEMENT
#define IOTSEC_SUIT_UPDATE_MANAGEMENT 1 /* conditions 4, 25-28; wait, override-multiple, copy-params */
#endif
/* The commands the manifest draft's Implementation Conformance Matrix
 * (section 8.5) marks OPTIONAL: conditions device-identifier,
 * component-slot, check-content and abort; directives write, copy, swap,
 * try-each and run-sequence. Without them the processor is the minimal one
 * the matrix describes (vendor, class, image-match, set-component-index,
 * override-parameters, fetch, invoke); their parameters are still accepted
 * but nothing uses them, and nothing nests. */
#ifndef IOTSEC_SUIT_OPTIONAL_COMMANDS
#define IOTSEC_SUIT_OPTIONAL_COMMANDS 1
#endif
/* Integrated payloads: images carried in the envelope itself, which fetch
 * takes from a "#name" URI. Without them such a fetch is refused as
 * unsupported, and every other URI goes to the platform's fetch as
 * always: the build of a device that fetches its images. */
#ifndef IOTSEC_SUIT_INTEGRATED_PAYLOADS
#define IOTSEC_SUIT_INTEGRATED_PAYLOADS 1
#endif

/* ---- limits (override with -D) ---- */
#ifndef IOTSEC_MAX_SUIT_COMPONENTS
#define IOTSEC_MAX_SUIT_COMPONENTS 8 /* components (and dependencies) in one manifest */
#endif
#ifndef IOTSEC_MAX_SUIT_NESTING
#define IOTSEC_MAX_SUIT_NESTING 6    /* try-each / run-sequence nesting */
#endif

/* ---- envelope, manifest and common labels ---- */
#define IOTSEC_SUIT_TAG_ENVELOPE 107
#define IOTSEC_SUIT_TAG_MANIFEST 1070
#define IOTSEC_SUIT_AUTHENTICATION 2
#define IOTSEC_SUIT_MANIFEST 3
#define IOTSEC_SUIT_DEPENDENCY_RESOLUTION 15
#define IOTSEC_SUIT_PAYLOAD_FETCH 16
#define IOTSEC_SUIT_CANDIDATE_VERIFICATION 18
#define IOTSEC_SUIT_INSTALL 20
#define IOTSEC_SUIT_TEXT 23
#define IOTSEC_SUIT_COSWID 14

#define IOTSEC_SUIT_MANIFEST_VERSION 1
#define IOTSEC_SUIT_MANIFEST_SEQUENCE_NUMBER 2
#define IOTSEC_SUIT_COMMON 3
#define IOTSEC_SUIT_REFERENCE_URI 4
#define IOTSEC_SUIT_MANIFEST_COMPONENT_ID 5
#define IOTSEC_SUIT_SET_VERSION 6
#define IOTSEC_SUIT_VALIDATE 7
#define IOTSEC_SUIT_LOAD 8
#define IOTSEC_SUIT_INVOKE 9
#define IOTSEC_SUIT_UNINSTALL 24
/* manifest members iotsec knows: 1-5, 7-9, 14-16, 18, 20, 23, 24 */
#define IOTSEC_SUIT_NMEMBERS 15

#define IOTSEC_SUIT_DEPENDENCIES 1
#define IOTSEC_SUIT_COMPONENTS 2
#define IOTSEC_SUIT_SHARED_SEQUENCE 4

/* ---- commands (IANA "SUIT Commands") ---- */
enum iotsec_suit_command {
    IOTSEC_SUIT_COND_VENDOR_ID = 1,
    IOTSEC_SUIT_COND_CLASS_ID = 2,
    IOTSEC_SUIT_COND_IMAGE_MATCH = 3,
    IOTSEC_SUIT_COND_USE_BEFORE = 4,
    IOTSEC_SUIT_COND_COMPONENT_SLOT = 5,
    IOTSEC_SUIT_COND_CHECK_CONTENT = 6,
    IOTSEC_SUIT_COND_DEPENDENCY_INTEGRITY = 7,
    IOTSEC_SUIT_COND_IS_DEPENDENCY = 8,
    IOTSEC_SUIT_DIR_PROCESS_DEPENDENCY = 11,
    IOTSEC_SUIT_DIR_SET_COMPONENT_INDEX = 12,
    IOTSEC_SUIT_COND_ABORT = 14,
    IOTSEC_SUIT_DIR_TRY_EACH = 15,
    IOTSEC_SUIT_DIR_WRITE = 18,
    IOTSEC_SUIT_DIR_SET_PARAMETERS = 19,
    IOTSEC_SUIT_DIR_OVERRIDE_PARAMETERS = 20,
    IOTSEC_SUIT_DIR_FETCH = 21,
    IOTSEC_SUIT_DIR_COPY = 22,
    IOTSEC_SUIT_DIR_INVOKE = 23,
    IOTSEC_SUIT_COND_DEVICE_ID = 24,
    IOTSEC_SUIT_COND_IMAGE_NOT_MATCH = 25,
    IOTSEC_SUIT_COND_MINIMUM_BATTERY = 26,
    IOTSEC_SUIT_COND_UPDATE_AUTHORIZED = 27,
    IOTSEC_SUIT_COND_VERSION = 28,
    IOTSEC_SUIT_DIR_WAIT = 29,
    IOTSEC_SUIT_DIR_SWAP = 31,
    IOTSEC_SUIT_DIR_RUN_SEQUENCE = 32,
    IOTSEC_SUIT_DIR_UNLINK = 33,
    IOTSEC_SUIT_DIR_OVERRIDE_MULTIPLE = 34,
    IOTSEC_SUIT_DIR_COPY_PARAMS = 35
};

/* ---- parameters (IANA "SUIT Parameters") ---- */
enum iotsec_suit_parameter {
    IOTSEC_SUIT_PARAM_VENDOR_ID = 1,
    IOTSEC_SUIT_PARAM_CLASS_ID = 2,
    IOTSEC_SUIT_PARAM_IMAGE_DIGEST = 3,
    IOTSEC_SUIT_PARAM_USE_BEFORE = 4,
    IOTSEC_SUIT_PARAM_COMPONENT_SLOT = 5,
    IOTSEC_SUIT_PARAM_STRICT_ORDER = 12,
    IOTSEC_SUIT_PARAM_SOFT_FAILURE = 13,
    IOTSEC_SUIT_PARAM_IMAGE_SIZE = 14,
    IOTSEC_SUIT_PARAM_CONTENT = 18,
    IOTSEC_SUIT_PARAM_ENCRYPTION_INFO = 19,
    IOTSEC_SUIT_PARAM_URI = 21,
    IOTSEC_SUIT_PARAM_SOURCE_COMPONENT = 22,
    IOTSEC_SUIT_PARAM_INVOKE_ARGS = 23,
    IOTSEC_SUIT_PARAM_DEVICE_ID = 24,
    IOTSEC_SUIT_PARAM_FETCH_ARGS = 25,
    IOTSEC_SUIT_PARAM_MINIMUM_BATTERY = 26,
    IOTSEC_SUIT_PARAM_UPDATE_PRIORITY = 27,
    IOTSEC_SUIT_PARAM_VERSION = 28,
    IOTSEC_SUIT_PARAM_WAIT_INFO = 29,
    IOTSEC_SUIT_PARAM_COMPONENT_METADATA = 30
};

/* ---- SUIT_Report result reasons (draft-ietf-suit-report) ---- */
enum iotsec_suit_reason {
    IOTSEC_SUIT_REASON_OK = 0,
    IOTSEC_SUIT_REASON_CBOR_PARSE = 1,
    IOTSEC_SUIT_REASON_COSE_UNSUPPORTED = 2,
    IOTSEC_SUIT_REASON_ALG_UNSUPPORTED = 3,
    IOTSEC_SUIT_REASON_UNAUTHORISED = 4,
    IOTSEC_SUIT_REASON_COMMAND_UNSUPPORTED = 5,
    IOTSEC_SUIT_REASON_COMPONENT_UNSUPPORTED = 6,
    IOTSEC_SUIT_REASON_COMPONENT_UNAUTHORISED = 7,
    IOTSEC_SUIT_REASON_PARAMETER_UNSUPPORTED = 8,
    IOTSEC_SUIT_REASON_SEVERING_UNSUPPORTED = 9,
    IOTSEC_SUIT_REASON_CONDITION_FAILED = 10,
    IOTSEC_SUIT_REASON_OPERATION_FAILED = 11,
    IOTSEC_SUIT_REASON_INVOKE_PENDING = 12
};

/** Procedures to run (flags). */
#define IOTSEC_SUIT_PROC_UPDATE 0x1u
#define IOTSEC_SUIT_PROC_INVOKE 0x2u
/** shared+uninstall, committed (trust domains: unsupported in a build without them) */
#define IOTSEC_SUIT_PROC_UNINSTALL 0x4u

/** One step the processor reports to the platform (a SUIT_Record source). */
struct iotsec_suit_record {
    /** Which manifest ran the command: -1 the root; else the component
     *  index, in the root, of the dependency whose manifest it is (its
     *  SUIT_Record manifest-id is then [index]). */
    int32_t dependency;
    int64_t section;        /**< manifest key of the sequence (7 validate, 20 install, ...) */
    size_t offset;          /**< byte offset of the command in its sequence */
    size_t component;       /**< component index */
    int64_t command;        /**< the command */
    enum iotsec_err err;    /**< IOTSEC_OK when the command succeeded */
    bool dry_run;           /**< reported during the dry run */
};

/**
 * The device, as the processor sees it. Components are named by their
 * encoded SUIT_Component_Identifier (a CBOR array of bstr). Writes are
 * staged: nothing a processor does is visible until commit(), and abort()
 * discards it. read() of a component that has staged content returns the
 * staged content. Unset optional functions mean "not supported".
 */
struct iotsec_suit_platform {
    void *ctx;
    /* identity (16-byte UUIDs; device_id may be empty) */
    struct iotsec_cbuf vendor_id, class_id, device_id;
    /* keys: manifest trust anchors, and keys for encrypted payloads */
    const struct iotsec_cose_keyset *trust_anchors;
    const struct iotsec_cose_keyset *decryption_keys;
    /* component storage */
    bool (*has_component)(void *ctx, struct iotsec_cbuf id);
    enum iotsec_err (*read)(void *ctx, struct iotsec_cbuf id, uint64_t off, uint8_t *buf,
                            size_t len, size_t *got);
    enum iotsec_err (*size)(void *ctx, struct iotsec_cbuf id, uint64_t *size);
    enum iotsec_err (*write_begin)(void *ctx, struct iotsec_cbuf id);
    enum iotsec_err (*write)(void *ctx, struct iotsec_cbuf id, const uint8_t *p, size_t n);
    enum iotsec_err (*write_end)(void *ctx, struct iotsec_cbuf id);
    enum iotsec_err (*swap)(void *ctx, struct iotsec_cbuf a, struct iotsec_cbuf b);
    enum iotsec_err (*unlink)(void *ctx, struct iotsec_cbuf id);
    enum iotsec_err (*commit)(void *ctx);
    void (*abort)(void *ctx);
    /* optional: the digest of a component without streaming it through the
     * processor (e.g. kept by a bootloader); NULL hashes read() output */
    enum iotsec_err (*digest)(void *ctx, struct iotsec_cbuf id, int32_t alg, uint8_t *out,
                              size_t *out_len);
    /* optional: the slot a component occupies (condition-component-slot) */
    enum iotsec_err (*component_slot)(void *ctx, struct iotsec_cbuf id, uint64_t *slot);
    /* optional: the installed version of a component as integers (1.2.3 ->
     * {1, 2, 3}), at most @p max of them; condition-version compares it */
    enum iotsec_err (*version)(void *ctx, struct iotsec_cbuf id, int64_t *parts, size_t max,
                               size_t *n);
    /* fetch @p uri into staged storage of component @p id; the processor
     * resolves "#name" URIs (integrated payloads) itself */
    enum iotsec_err (*fetch)(void *ctx, struct iotsec_cbuf id, struct iotsec_cbuf uri);
    enum iotsec_err (*invoke)(void *ctx, struct iotsec_cbuf id, struct iotsec_cbuf args);
    /* anti-rollback: the installed sequence number of the manifest named by
     * @p manifest_id (its manifest-component-id, or empty for the root);
     * set_sequence() is staged and committed with the components */
    enum iotsec_err (*get_sequence)(void *ctx, struct iotsec_cbuf manifest_id, uint64_t *seq);
    enum iotsec_err (*set_sequence)(void *ctx, struct iotsec_cbuf manifest_id, uint64_t seq);
    /* update management (optional) */
    enum iotsec_err (*battery)(void *ctx, uint64_t *percent);
    enum iotsec_err (*now)(void *ctx, uint64_t *seconds);
    enum iotsec_err (*update_authorized)(void *ctx, int64_t priority);
    enum iotsec_err (*wait)(void *ctx, struct iotsec_cbuf wait_info);
    /* custom (negative) commands; NULL refuses them all */
    enum iotsec_err (*custom)(void *ctx, int64_t command, struct iotsec_cbuf arg, bool dry_run);
    /* report sink (optional) */
    void (*record)(void *ctx, const struct iotsec_suit_record *r);
};

/** Is @p alg a SUIT_Digest algorithm iotsec computes: SHA-256 (which the
 *  manifest draft requires), SHA-384, SHA-512, SHAKE128 or SHAKE256 (the
 *  draft's optional ones)? */
static inline bool iotsec_suit_digest_alg(int64_t alg)
{
    return alg == IOTSEC_ALG_SHA256 || alg == IOTSEC_ALG_SHA384 || alg == IOTSEC_ALG_SHA512 ||
           alg == IOTSEC_ALG_SHAKE128 || alg == IOTSEC_ALG_SHAKE256;
}

/** What an authenticated envelope holds (slices into it). */
struct iotsec_suit_manifest {
    struct iotsec_cbuf envelope;     /**< the whole envelope */
    struct iotsec_cbuf manifest;     /**< the manifest map (content of the bstr) */
    struct iotsec_cbuf digest;       /**< the manifest's encoded SUIT_Digest */
    uint64_t sequence_number;
    struct iotsec_cbuf component_id; /**< manifest-component-id, {NULL,0} if none */
    struct iotsec_cbuf reference_uri;
    size_t components;               /**< entries in common.components */
    size_t auth_blocks;              /**< COSE blocks in the wrapper */
    size_t auth_verified;            /**< index of the block that verified */
    uint32_t severed;                /**< bit per member key: present only as a digest */
    struct iotsec_cbuf shared;       /**< shared sequence, {NULL,0} if none */
    /* set by authentication so that later lookups do not validate again:
     * a validated cursor inside the envelope map, the common map's content
     * (validated) and where its dependencies and components values start
     * in it (NULL: absent), and where each known manifest member's value
     * starts (offset into manifest, 0: absent; last, as it is indexed) */
    struct iotsec_cbor_dec env_map;
    struct iotsec_cbuf common;
    const uint8_t *dependencies_at, *components_at;
    uint32_t at[IOTSEC_SUIT_NMEMBERS];
};

/**
 * Authenticate @p env (@p len bytes) against @p anchors and check every
 * severable member present in the envelope against its digest. Fills @p m.
 * @return IOTSEC_OK; IOTSEC_ERR_CBOR_* / IOTSEC_ERR_MALFORMED (not an
 *         envelope); IOTSEC_ERR_VERIFY_FAILED (no authentication block
 *         verifies, or none at all); IOTSEC_ERR_DIGEST_MISMATCH (manifest or
 *         severable member); IOTSEC_ERR_UNSUPPORTED_ALG; IOTSEC_ERR_NOT_FOUND
 *         (no trust anchor fits).
 */
enum iotsec_err iotsec_suit_authenticate(const uint8_t *env, size_t len,
                                         const struct iotsec_cose_keyset *anchors,
                                         struct iotsec_buf scratch,
                                         struct iotsec_suit_manifest *m);

/** Parameter slots kept per component (internal numbering). */
#define IOTSEC_SUIT_NPARAMS 20

/** Processor state: caller-allocated, see iotsec_suit_process(). */
struct iotsec_suit_ctx {
    const struct iotsec_suit_platform *plat;
    /* the interpreter's state first, where a 32-bit core reaches it with
     * its short load and store forms */
    bool dry_run;
    bool hold_invoke, restart;                             /* single-pass invoke procedure */
    uint8_t held;                                          /* 1 + component of the held invoke */
    uint8_t depth;                                         /* 1 inside a dependency */
    uint8_t dependency;                                    /* depth 1: its index in the root */
    uint32_t is_dependency;                                /* bit per component */
    uint32_t dependency_checked;                           /* integrity checked */
    uint32_t written;                                      /* touched in the dry run */
    uint32_t checked;                                      /* sequences validated */
    uint32_t selected;                                     /* component index set */
    size_t n_index;                                        /* components + dependencies */
    int section;                                           /* sequence being run */
    struct iotsec_buf scratch;
    struct iotsec_cbuf comp[IOTSEC_MAX_SUIT_COMPONENTS];   /* encoded identifiers */
    struct iotsec_suit_manifest m;
    size_t held_offset;                                    /* offset of the held invoke */
    struct iotsec_cbuf outer;                              /* the dependent's envelope */
    /* outcome of the last process call */
    enum iotsec_suit_reason reason;
    enum iotsec_err err;
    int64_t fail_section, fail_command;
    size_t fail_offset, fail_component;
    /* last: each step clears the rows in use before its first command, so
     * starting a call need not clear them */
    const uint8_t *param[IOTSEC_MAX_SUIT_COMPONENTS][IOTSEC_SUIT_NPARAMS];
};

/**
 * Authenticate @p env and run @p procedures (IOTSEC_SUIT_PROC_*) on the
 * device @p plat. @p scratch (at least 256 bytes; 4 KiB streams images
 * well) carries images through hashing, copying and decryption.
 * On failure nothing has been committed: the platform's abort() was called
 * and ctx->reason/err/fail_* say what failed where.
 * @return IOTSEC_OK; the authentication errors of iotsec_suit_authenticate();
 *         IOTSEC_ERR_MALFORMED (manifest structure); IOTSEC_ERR_LIMIT
 *         (too many components, nesting); IOTSEC_ERR_UNSUPPORTED (command,
 *         parameter or component the device lacks); IOTSEC_ERR_BAD_STATE
 *         (rollback: sequence number not greater than installed);
 *         IOTSEC_ERR_VERIFY_FAILED (a condition failed: vendor, class,
 *         image digest, ...); IOTSEC_ERR_IO (platform failure).
 */
enum iotsec_err iotsec_suit_process(struct iotsec_suit_ctx *ctx,
                                    const struct iotsec_suit_platform *plat, const uint8_t *env,
                                    size_t len, unsigned procedures, struct iotsec_buf scratch);

/** A sentence for @p reason. */
const char *iotsec_suit_reason_str(enum iotsec_suit_reason reason);

/** What a report carries besides the outcome. */
struct iotsec_suit_report_opts {
    struct iotsec_cbuf nonce; /**< the requester's nonce (2); {NULL,0}: none */
    bool capabilities;        /**< add the capability report (8) */
    /** for the capability report: the device's components (encoded
     *  SUIT_Component_Identifiers) */
    const struct iotsec_cbuf *components;
    size_t n_components;
};

/**
 * Encode a SUIT_Report (draft-ietf-suit-report-22) on the outcome of the
 * last iotsec_suit_process() call on @p ctx into @p e (sticky errors, see
 * iotsec/cbor.h):
 *   {? 2: nonce, 3: [* SUIT_Record], 4: true / {5: code, 6: SUIT_Record,
 *    7: reason}, ? 8: SUIT_Capability_Report,
 *    99: [reference-uri or "", SUIT_Digest of the manifest]}
 * with SUIT_Record = [[* uint], section, offset, component, {properties}].
 * @p records (in, @p n_records, may be NULL when 0) are what the platform's
 * record() sink received; failures among them become the report's
 * records, each distinct step once (a procedure's dry and real runs report
 * the same step twice). @p o (may be NULL) adds a nonce and the capability
 * report. The choices the draft leaves open are listed in src/suit/report.c.
 * @return IOTSEC_OK or the encoder's first error (e.g.
 *         IOTSEC_ERR_BUFFER_TOO_SMALL; e->len then says how much is
 *         needed); IOTSEC_ERR_INVALID_ARG.
 */
enum iotsec_err iotsec_suit_report_encode(struct iotsec_cbor_enc *e,
                                          const struct iotsec_suit_ctx *ctx,
                                          const struct iotsec_suit_report_opts *o,
                                          const struct iotsec_suit_record *records,
                                          size_t n_records);

/**
 * Encode the SUIT_Capability_Report (draft-ietf-suit-report-22) of this
 * build on @p plat: {1: components, 2: commands, 3: parameters,
 * 4: algorithms, 5: envelope, 6: manifest, 7: common members}. Commands
 * whose platform hook is missing, and what the build switches leave out,
 * are not listed. @p components (@p n) are encoded component identifiers.
 * @return IOTSEC_OK, the encoder's first error, or IOTSEC_ERR_INVALID_ARG.
 */
enum iotsec_err iotsec_suit_capabilities_encode(struct iotsec_cbor_enc *e,
                                                const struct iotsec_suit_platform *plat,
                                                const struct iotsec_cbuf *components, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* IOTSEC_SUIT_H */
