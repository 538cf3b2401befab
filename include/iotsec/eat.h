/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec/eat.h - Entity Attestation Tokens (RFC 9711) carried as CWTs
 * (RFC 8392) in COSE_Sign1 or COSE_Mac0, unprotected claims sets (UCCS,
 * RFC 9781, tag 601) and detached EAT bundles (tag 602).
 *
 * Model
 *   A device builds its claims set with the builder (iotsec_eat_build_*):
 *   identity (ueid, oemid, hwmodel), the verifier's nonce, boot and debug
 *   state, its SUIT manifests (claim manifests) and measurements (claim
 *   measurements: SUIT reports, evidence CoSWIDs), then signs it with its
 *   attestation key (iotsec_eat_sign). Claims are written in the order the
 *   device puts them, with definite lengths and preferred serialization, as
 *   the Constrained Device Standard Profile (RFC 9711 section 6.4) asks.
 *
 *   A receiver verifies a token (iotsec_eat_verify): the COSE layer against
 *   its key set, then freshness (the nonce it sent; exp, nbf and iat against
 *   its clock), then every claim it knows against its CDDL type. Claims it
 *   does not know are ignored, as RFC 9711 requires. Nothing is returned
 *   until all checks pass. iotsec_eat_claims_decode() does the claim checks
 *   alone, for unsigned claims sets and for nested submodules.
 *
 *   Appraisal against reference values (expected software, measurements,
 *   debug state) and attestation results (EAR) are the verifier's policy and
 *   live in the host tools, not in this device library.
 *
 * Memory
 *   No allocation. Decoded claims are slices into the token and validated
 *   CBOR cursors (iotsec/cbor.h) for compound claims. The builder writes into
 *   the caller's buffer; signing writes into a second one. On Cortex-M4
 *   sizeof(struct iotsec_eat_claims) is 384 bytes (672 on x86-64), of
 *   struct iotsec_eat_builder 40 (56), of struct iotsec_eat_token 64 (112).
 *   iotsec_eat_verify() keeps a second claims struct on its stack for a
 *   bundle's detached claims sets (about 0.7 KB of frame on Cortex-M4,
 *   before what COSE and CBOR validation use).
 *
 * Submodules
 *   submods (266) is checked one level deep: each entry must be a claims-set
 *   map, a bstr-wrapped nested token, a JSON-encoded nested token (tstr,
 *   RFC 9711 4.2.18) or a detached digest [alg, bstr]. A nested claims set
 *   is decoded by calling iotsec_eat_claims_decode() on it
 *   (iotsec_eat_submod_next() hands each entry out), so no recursion is
 *   needed and the caller bounds the depth.
 *
 * Claims that depend on others
 *   RFC 9711 lets hwmodel appear only with oemid (4.2.4), hwversion only
 *   with hwmodel (4.2.5), swversion only with swname (4.2.7), oemboot only
 *   with oemid (4.2.8) and dbgstat 3 (disabled-permanently) only with oemid
 *   (4.2.9.4). The builder refuses to produce a claims set that breaks any
 *   of them. The decoder refuses hwmodel, swversion and dbgstat 3 without
 *   their companion, but accepts hwversion without hwmodel and oemboot
 *   without oemid, because the RFC's own Appendix A examples send exactly
 *   that (A.1.1, A.1.2, A.1.3, A.1.4, A.1.5, A.2.1, A.2.2) and a verifier
 *   that rejects the standard's examples would not interoperate with
 *   tokens modelled on them; such claims are flagged in
 *   struct iotsec_eat_claims.orphans so that policy can refuse them.
 *
 * See also: iotsec/cose.h, iotsec/cbor.h, iotsec/suit.h (SUIT reports).
 */
#ifndef IOTSEC_EAT_H
#define IOTSEC_EAT_H

#include "iotsec/cose.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- limits (override with -D) ---- */
#ifndef IOTSEC_MAX_EAT_NONCES
#define IOTSEC_MAX_EAT_NONCES 4 /* eat_nonce as an array: at most this many */
#endif
#ifndef IOTSEC_MAX_EAT_KID
#define IOTSEC_MAX_EAT_KID 64 /* iotsec_eat_sign(): kid bytes (the unprotected map is built on the stack) */
#endif

/* ---- claim keys: CWT (RFC 8392) and EAT (RFC 9711) ---- */
enum iotsec_eat_key {
    IOTSEC_EAT_ISS = 1,
    IOTSEC_EAT_SUB = 2,
    IOTSEC_EAT_AUD = 3,
    IOTSEC_EAT_EXP = 4,
    IOTSEC_EAT_NBF = 5,
    IOTSEC_EAT_IAT = 6,
    IOTSEC_EAT_CTI = 7,
    IOTSEC_EAT_CNF = 8,
    IOTSEC_EAT_NONCE = 10,
    IOTSEC_EAT_UEID = 256,
    IOTSEC_EAT_SUEIDS = 257,
    IOTSEC_EAT_OEMID = 258,
    IOTSEC_EAT_HWMODEL = 259,
    IOTSEC_EAT_HWVERSION = 260,
    IOTSEC_EAT_UPTIME = 261,
    IOTSEC_EAT_OEMBOOT = 262,
    IOTSEC_EAT_DBGSTAT = 263,
    IOTSEC_EAT_LOCATION = 264,
    IOTSEC_EAT_PROFILE = 265,
    IOTSEC_EAT_SUBMODS = 266,
    IOTSEC_EAT_BOOTCOUNT = 267,
    IOTSEC_EAT_BOOTSEED = 268,
    IOTSEC_EAT_DLOAS = 269,
    IOTSEC_EAT_SWNAME = 270,
    IOTSEC_EAT_SWVERSION = 271,
    IOTSEC_EAT_MANIFESTS = 272,
    IOTSEC_EAT_MEASUREMENTS = 273,
    IOTSEC_EAT_MEASRES = 274,
    IOTSEC_EAT_INTUSE = 275
};

/** The bit of a known claim key in struct iotsec_eat_claims.present
 *  (1..10 -> bits 1..10, 256..275 -> bits 32..51). */
#define IOTSEC_EAT_BIT(key) (1ull << ((key) < 32 ? (key) : (key)-224))

#define IOTSEC_EAT_TAG_CWT 61   /**< CWT (RFC 8392) */
#define IOTSEC_EAT_TAG_UCCS 601 /**< unprotected CWT claims set (RFC 9781) */
#define IOTSEC_EAT_TAG_DEB 602  /**< detached EAT bundle (RFC 9711 section 5) */
/** eat_profile of the Constrained Device Standard Profile (RFC 9711 6.4). */
#define IOTSEC_EAT_PROFILE_CONSTRAINED "urn:ietf:rfc:rfc9711"

/** dbgstat (263) values. */
enum iotsec_eat_dbgstat {
    IOTSEC_EAT_DBG_ENABLED = 0,
    IOTSEC_EAT_DBG_DISABLED = 1,
    IOTSEC_EAT_DBG_DISABLED_SINCE_BOOT = 2,
    IOTSEC_EAT_DBG_DISABLED_PERMANENTLY = 3,
    IOTSEC_EAT_DBG_DISABLED_FULLY_AND_PERMANENTLY = 4
};

/** CoAP content format of a CoSWID in manifests and measurements entries. */
#define IOTSEC_EAT_CF_COSWID 258 /**< application/swid+cbor */

/** hwversion / swversion: [version, ?scheme]. */
struct iotsec_eat_version {
    struct iotsec_cbuf version; /**< the version text */
    int64_t scheme;             /**< CoSWID version-scheme; 0 when absent or text */
    /** A text version-scheme ($version-scheme /= text, RFC 9393 4.1);
     *  .ptr NULL when the scheme is an integer or absent. */
    struct iotsec_cbuf scheme_text;
};

/**
 * A decoded claims set. A claim is present when its bit
 * (IOTSEC_EAT_BIT(key)) is set in @p present; only then is its field
 * meaningful. Text and byte strings are slices into the token; compound
 * claims are validated cursors positioned on the claim's value (use the
 * iterators below, or the CBOR pull API).
 */
struct iotsec_eat_claims {
    uint64_t present;
    /** Claims present without the claim RFC 9711 requires beside them and
     *  accepted all the same (hwversion without hwmodel, oemboot without
     *  oemid; see "Claims that depend on others"), as IOTSEC_EAT_BIT()s. */
    uint64_t orphans;
    /* CWT */
    struct iotsec_cbuf iss, sub, cti;
    struct iotsec_cbor_dec aud;         /**< tstr or [+ tstr] */
    /** NumericDate, whole seconds. exp and nbf may be sent as floats
     *  (RFC 8392): exp is rounded down, nbf up; iat must be an integer
     *  (RFC 9711 4.3.1). */
    int64_t exp, nbf, iat;
    struct iotsec_cbor_dec cnf;         /**< map (RFC 8747) */
    /* EAT */
    struct iotsec_cbuf nonce[IOTSEC_MAX_EAT_NONCES]; /**< each 8..64 bytes */
    size_t n_nonce;
    struct iotsec_cbuf ueid;            /**< 7..33 bytes; first byte the type */
    struct iotsec_cbor_dec sueids;      /**< {+ tstr => ueid} */
    int64_t oemid_pen;                  /**< oemid as an IANA PEN, when oemid.ptr == NULL */
    struct iotsec_cbuf oemid;           /**< oemid as 3 (IEEE OUI) or 16 (random) bytes */
    struct iotsec_cbuf hwmodel;         /**< 1..32 bytes */
    struct iotsec_eat_version hwversion, swversion;
    uint64_t uptime, bootcount;
    bool oemboot;
    enum iotsec_eat_dbgstat dbgstat;
    struct iotsec_cbor_dec location;    /**< {1: lat, 2: long, ...} */
    struct iotsec_cbuf profile;         /**< URI text, or the OID's bytes when profile_is_oid */
    bool profile_is_oid;
    struct iotsec_cbor_dec submods;     /**< {+ tstr => submodule} */
    struct iotsec_cbuf bootseed;
    struct iotsec_cbor_dec dloas;       /**< [+ [uri, label, ?label]] */
    struct iotsec_cbuf swname;
    struct iotsec_cbor_dec manifests;   /**< [+ [content-format, bstr / tstr]] */
    struct iotsec_cbor_dec measurements; /**< [+ [content-format, bstr / tstr]] */
    struct iotsec_cbor_dec measres;     /**< [+ [system, [+ [id, result]]]] */
    int64_t intuse;                     /**< intended-use-type is an int (RFC 9711 4.3.3) */
};

/**
 * Decode and type-check the claims set in @p cs (@p len bytes; a map, or
 * tag 601 around one). The CBOR is validated strictly first (duplicate keys
 * refused); then every known claim must have its RFC 8392 / RFC 9711 type
 * and range (e.g. a nonce of 8..64 bytes, a ueid of 7..33, dbgstat 0..4,
 * hwmodel only with oemid, swversion only with swname, dbgstat 3 only with
 * oemid; see "Claims that depend on others"). Unknown claims, and
 * text-keyed claims, are ignored; a key that is neither an integer nor
 * text is malformed (Claim-Label = int / text). @p bad_key (may be NULL)
 * receives the key of the claim that failed (0 when no claim is to blame).
 * @return IOTSEC_OK; IOTSEC_ERR_CBOR_* (not valid CBOR, duplicate keys);
 *         IOTSEC_ERR_MALFORMED (a claim of the wrong type or range);
 *         IOTSEC_ERR_UNSUPPORTED (a known claim that is valid but cannot
 *         be handed out: a chunked string, an integer beyond int64_t);
 *         IOTSEC_ERR_LIMIT (more than IOTSEC_MAX_EAT_NONCES nonces).
 */
enum iotsec_err iotsec_eat_claims_decode(const uint8_t *cs, size_t len,
                                         struct iotsec_eat_claims *c, int64_t *bad_key);

/** One entry of manifests or measurements: [content-format, bytes]. */
struct iotsec_eat_entry {
    uint64_t content_format;
    struct iotsec_cbuf value; /**< the bstr's bytes, or the tstr's text */
    bool text;                /**< @p value was a tstr */
};

/** Next entry of a manifests or measurements cursor: pass a copy of the
 *  claim's cursor; the first call enters the claim's array, later calls
 *  continue inside it. IOTSEC_ERR_CBOR_END when there is none left;
 *  IOTSEC_ERR_MALFORMED for an entry that is not [uint, bstr / tstr]. */
enum iotsec_err iotsec_eat_entry_next(struct iotsec_cbor_dec *list, struct iotsec_eat_entry *e);

/** What a submodule holds. */
enum iotsec_eat_submod_kind {
    IOTSEC_EAT_SUBMOD_CLAIMS = 1, /**< a claims-set map: decode @p value with iotsec_eat_claims_decode */
    IOTSEC_EAT_SUBMOD_TOKEN = 2,  /**< a bstr-wrapped nested token: verify @p value */
    IOTSEC_EAT_SUBMOD_DIGEST = 3, /**< a detached digest: @p alg and @p value (the digest) */
    IOTSEC_EAT_SUBMOD_JSON = 4    /**< a JSON-encoded nested token (tstr): @p value is its text */
};

/** Next submodule of a submods cursor (a copy of the claim's cursor; the
 *  first call enters the map): its name, kind and value. For a claims set
 *  @p value is the encoded map, for a nested token the bstr's content.
 *  @p alg is the digest algorithm of a detached digest (a text name from
 *  the COSE registry, "SHA-256", "SHA-384" or "SHA-512", is mapped to its
 *  integer; any other, or an integer beyond int32_t, gives 0) and 0 for
 *  other kinds. Any out pointer may be NULL.
 *  @return IOTSEC_OK; IOTSEC_ERR_CBOR_END; IOTSEC_ERR_MALFORMED. */
enum iotsec_err iotsec_eat_submod_next(struct iotsec_cbor_dec *submods, struct iotsec_cbuf *name,
                                       enum iotsec_eat_submod_kind *kind, int32_t *alg,
                                       struct iotsec_cbuf *value);

/* ---- device side: building and signing ---- */

/** Claims-set builder: caller-allocated; errors are sticky. The body is
 *  written without its map head, which finish inserts in front (one move),
 *  so a buffer of exactly the size a size-only pass reported suffices. */
struct iotsec_eat_builder {
    struct iotsec_cbor_enc e;
    size_t n;         /* claims written */
    uint64_t present; /* known claims written, to refuse a second one */
    enum iotsec_err err;
};

/** Start a claims set in @p buf (@p cap bytes; NULL counts the size). */
void iotsec_eat_build_begin(struct iotsec_eat_builder *b, uint8_t *buf, size_t cap);
/** A claim whose value is a byte string (nonce, ueid, hwmodel, bootseed,
 *  cti, oemid as bytes, or any other key). */
void iotsec_eat_put_bstr(struct iotsec_eat_builder *b, int64_t key, const uint8_t *p, size_t n);
/** A claim whose value is a text string (iss, sub, swname, eat_profile, ...). */
void iotsec_eat_put_text(struct iotsec_eat_builder *b, int64_t key, const char *s, size_t n);
/** An unsigned integer claim (uptime, bootcount, dbgstat, intuse, ...). */
void iotsec_eat_put_uint(struct iotsec_eat_builder *b, int64_t key, uint64_t v);
/** An integer claim (exp, nbf, iat as whole seconds; oemid as a PEN). */
void iotsec_eat_put_int(struct iotsec_eat_builder *b, int64_t key, int64_t v);
/** A boolean claim (oemboot). */
void iotsec_eat_put_bool(struct iotsec_eat_builder *b, int64_t key, bool v);
/** hwversion / swversion: [version, scheme] (no scheme when @p scheme is 0). */
void iotsec_eat_put_version(struct iotsec_eat_builder *b, int64_t key, const char *version,
                            size_t n, int64_t scheme);
/** manifests / measurements: [+ [content-format, bstr]]. */
void iotsec_eat_put_entries(struct iotsec_eat_builder *b, int64_t key,
                            const struct iotsec_eat_entry *entries, size_t n);
/** Any claim given as its encoded CBOR value (location, submods, ...):
 *  one well-formed item with definite lengths in preferred serialization,
 *  as the builder writes everything else (strings that hold CBOR are not
 *  looked into); a known claim's value is checked as the decoder checks
 *  it. */
void iotsec_eat_put_raw(struct iotsec_eat_builder *b, int64_t key, const uint8_t *value,
                        size_t n);
/**
 * Finish: the claims set as one definite-length map in preferred
 * serialization, at the start of the caller's buffer.
 * @return IOTSEC_OK; IOTSEC_ERR_BUFFER_TOO_SMALL (b->e.len says how much is
 *         needed); IOTSEC_ERR_INVALID_ARG (a known claim put twice, a claim
 *         put twice under a key iotsec does not know, a value of the wrong
 *         type or out of its range, e.g. a 4-byte nonce, text that is not
 *         UTF-8, or a claim without the one RFC 9711 requires beside it).
 */
enum iotsec_err iotsec_eat_build_finish(struct iotsec_eat_builder *b, struct iotsec_cbuf *cs);

/** Token forms. */
enum iotsec_eat_form {
    IOTSEC_EAT_FORM_SIGN1 = 1, /**< CWT in COSE_Sign1 */
    IOTSEC_EAT_FORM_MAC0 = 2,  /**< CWT in COSE_Mac0 */
    IOTSEC_EAT_FORM_UCCS = 3,  /**< unprotected claims set, tag 601 */
    IOTSEC_EAT_FORM_DEB = 4    /**< detached EAT bundle, tag 602 */
};

/** Token signing flags. */
#define IOTSEC_EAT_SIGN_CWT_TAG 0x1u /**< wrap the COSE message in CWT tag 61 */

/**
 * Sign the claims set @p cs into a token in @p out: a COSE_Sign1 (tag 18)
 * with protected {1: alg} and unprotected {4: kid} (when @p kid is not
 * empty), or a COSE_Mac0 (tag 17) when @p key is symmetric. @p alg 0
 * picks key->alg, else the key's algorithm (ES256/ES384/ES512 for
 * P-256/P-384/P-521, EdDSA, HMAC 256/256). @p cs is signed as given.
 * EdDSA builds its to-be-signed structure in @p out before the token
 * replaces it, so @p cs must not overlap @p out. @p out.ptr NULL computes
 * the size only (token->ptr NULL, token->len the size; nothing is signed).
 * @return IOTSEC_OK; IOTSEC_ERR_BUFFER_TOO_SMALL (token->len is the size
 *         needed); IOTSEC_ERR_INVALID_ARG (a kid longer than
 *         IOTSEC_MAX_EAT_KID); IOTSEC_ERR_UNSUPPORTED_KEY (no algorithm for
 *         the key); the signing errors of iotsec_cose_sign1() /
 *         iotsec_cose_mac0().
 */
enum iotsec_err iotsec_eat_sign(struct iotsec_buf out, struct iotsec_cbuf *token,
                                struct iotsec_cbuf cs, const struct iotsec_key *key, int32_t alg,
                                struct iotsec_cbuf kid, unsigned flags);

/* ---- receiving side ---- */

/** What the receiver requires of a token. */
struct iotsec_eat_verify_opts {
    /** The nonce this receiver sent; NULL skips the check (then freshness
     *  must come from iat and max_age). A token with an array of nonces
     *  passes when one of them matches. */
    const uint8_t *nonce;
    size_t nonce_len;
    int64_t now;       /**< seconds since the epoch; 0 skips time checks */
    int64_t leeway;    /**< allowed clock skew for exp, nbf and iat, seconds (>= 0) */
    int64_t max_age;   /**< > 0: iat required, no older than this (needs @p now) */
    bool constrained;  /**< enforce the Constrained Device Standard Profile */
    bool allow_uccs;   /**< accept unsigned claims sets (a secured channel vouches) */
    struct iotsec_buf scratch; /**< COSE scratch (EdDSA; see iotsec/cose.h) */
};

/** What was verified. */
struct iotsec_eat_token {
    enum iotsec_eat_form form;
    struct iotsec_cbuf claims;      /**< the claims set's bytes (a UCCS's map without its tag) */
    struct iotsec_cose_result cose; /**< key index and algorithm (not for UCCS) */
    struct iotsec_cbuf kid;         /**< the kid header, if any */
    /** DEB only: the bundle's {+ tstr => bstr-wrapped claims set} map,
     *  each of whose entries matched its detached digest submodule. */
    struct iotsec_cbor_dec detached;
};

/**
 * Verify a token: a CWT in COSE_Sign1 or COSE_Mac0 (tag 61 optional, COSE
 * tag optional: an untagged message is a COSE_Mac0 when its alg is a MAC
 * algorithm, else a COSE_Sign1), a UCCS (tag 601, or a bare map; only with
 * o->allow_uccs) or a detached EAT bundle (tag 602, or an untagged
 * two-element array; not under the constrained profile). Order of checks:
 * COSE against @p ks, then the claims (iotsec_eat_claims_decode; for a
 * bundle, then each detached claims set against the detached-digest
 * submodule of the same name), then freshness, then the profile. On any
 * failure @p t and @p c are cleared.
 * @return IOTSEC_OK; IOTSEC_ERR_VERIFY_FAILED (signature/MAC);
 *         IOTSEC_ERR_NOT_FOUND (no key of @p ks fits); IOTSEC_ERR_NONCE_MISMATCH;
 *         IOTSEC_ERR_EXPIRED (exp passed, or iat older than max_age, or no
 *         iat when max_age is set);
 *         IOTSEC_ERR_NOT_YET_VALID (nbf or iat in the future);
 *         IOTSEC_ERR_DIGEST_MISMATCH (a detached claims set that does not
 *         match, or has no detached-digest submodule of its name);
 *         IOTSEC_ERR_PROFILE (the constrained profile's rules: COSE_Sign1,
 *         ES256/384/512 or ESP256/384/512, exactly one nonce, a kid or a
 *         ueid to find the key, no bundle, definite lengths and preferred
 *         serialization in the token, its protected header and its claims);
 *         IOTSEC_ERR_UNSUPPORTED (UCCS not allowed; COSE_Sign, COSE_Mac,
 *         encrypted or JSON tokens); IOTSEC_ERR_UNSUPPORTED_ALG (a detached
 *         digest's hash); IOTSEC_ERR_MALFORMED (structure; a bundle whose
 *         main token is not a tagged, protected CWT or has no
 *         detached-digest submodule); IOTSEC_ERR_INVALID_ARG (negative
 *         leeway or max_age, max_age without now); the errors of
 *         iotsec_cose_decode() and of iotsec_eat_claims_decode().
 */
enum iotsec_err iotsec_eat_verify(const uint8_t *token, size_t len,
                                  const struct iotsec_cose_keyset *ks,
                                  const struct iotsec_eat_verify_opts *o,
                                  struct iotsec_eat_token *t, struct iotsec_eat_claims *c);

#ifdef __cplusplus
}
#endif

#endif
