/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec/cose.h - CBOR Object Signing and Encryption (RFC 9052, RFC 9053,
 * RFC 9338 countersignatures, RFC 9459 AES-CTR/CBC, RFC 9864 algorithms).
 *
 * Model
 *   A received message is first decoded (iotsec_cose_decode): the CBOR is
 *   validated strictly, the tag (or the type the caller expects) picks the
 *   message type, and the headers are checked: the protected bucket must be
 *   a map, no label may sit in both buckets, crit must be protected and name
 *   only labels this layer understands. Nothing is trusted yet.
 *   iotsec_cose_verify() (Sign1, Sign, Mac0, Mac) or iotsec_cose_decrypt()
 *   (Encrypt0, Encrypt) then authenticate it against a caller's key set and
 *   say which signer or recipient, and which key, matched.
 *
 *   Protected headers are used as the exact bytes received and never
 *   re-encoded; a protected bucket that holds an empty map contributes a
 *   zero-length bstr to the Sig/MAC/Enc structure however it was encoded
 *   (RFC 9052 section 3: h'' is the empty form, h'A0' is accepted).
 *
 *   Senders build messages with iotsec_cose_sign1() and friends. Header
 *   buckets are given as already-encoded CBOR maps (struct
 *   iotsec_cose_hdr_in), so any header a profile needs can be sent and the
 *   bytes are exactly the caller's. The library adds only what it must
 *   create itself: a random IV (label 5) and an ECDH ephemeral key (label -1)
 *   when the caller's unprotected map lacks them.
 *
 * Memory
 *   No allocation. Results are slices into the message or into caller
 *   buffers. ECDSA to-be-signed structures are hashed as they stream, so
 *   ES256 needs no scratch memory; EdDSA signs the whole Sig_structure and
 *   AEAD needs the Enc_structure as its AAD, so those take a caller scratch
 *   buffer (struct iotsec_cose_opts.scratch) at least as large as the
 *   structure (the protected header, external AAD and, for EdDSA, the
 *   payload, plus 32 bytes). Structures up to 256 bytes (AAD, KDF context)
 *   are built on the stack and need no scratch.
 *
 * Keys
 *   struct iotsec_key handles (iotsec/key.h). A key bound to an algorithm
 *   (key->alg != 0) is used only for that algorithm. Verification picks
 *   keys from a key set by kid when the message carries one, else tries
 *   every key whose type fits the algorithm.
 *
 * Decryption never releases plaintext before the tag is verified: AEAD
 * output is written to the caller's buffer only after authentication, and
 * wiped on failure. AES-CTR and AES-CBC (RFC 9459) authenticate nothing;
 * they are accepted only when the caller allows them (opts.allow_unauth),
 * as in SUIT where a signed manifest covers the payload digest.
 *
 * See also: iotsec/cbor.h, iotsec/key.h, iotsec/alg.h.
 */
#ifndef IOTSEC_COSE_H
#define IOTSEC_COSE_H

#include "iotsec/alg.h"
#include "iotsec/cbor.h"
#include "iotsec/key.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Labels                                                              */
/* ------------------------------------------------------------------ */

/* Message CBOR tags (RFC 9052 section 2) and the CWT tag (RFC 8392). */
#define IOTSEC_COSE_TAG_SIGN 98
#define IOTSEC_COSE_TAG_SIGN1 18
#define IOTSEC_COSE_TAG_ENCRYPT 96
#define IOTSEC_COSE_TAG_ENCRYPT0 16
#define IOTSEC_COSE_TAG_MAC 97
#define IOTSEC_COSE_TAG_MAC0 17
#define IOTSEC_COSE_TAG_CWT 61

/* Header parameters (RFC 9052 section 3.1, RFC 9053, RFC 9338, RFC 9360). */
#define IOTSEC_COSE_HDR_ALG 1
#define IOTSEC_COSE_HDR_CRIT 2
#define IOTSEC_COSE_HDR_CONTENT_TYPE 3
#define IOTSEC_COSE_HDR_KID 4
#define IOTSEC_COSE_HDR_IV 5
#define IOTSEC_COSE_HDR_PARTIAL_IV 6
#define IOTSEC_COSE_HDR_COUNTER_SIGNATURE 7 /* RFC 8152 version 1, deprecated */
#define IOTSEC_COSE_HDR_COUNTER_SIGNATURE0 9
#define IOTSEC_COSE_HDR_KID_CONTEXT 10
#define IOTSEC_COSE_HDR_COUNTER_SIGNATURE_V2 11  /* RFC 9338 */
#define IOTSEC_COSE_HDR_COUNTER_SIGNATURE0_V2 12 /* RFC 9338, abbreviated */
#define IOTSEC_COSE_HDR_CWT_CLAIMS 15            /* RFC 9597 */
#define IOTSEC_COSE_HDR_X5BAG 32
#define IOTSEC_COSE_HDR_X5CHAIN 33
#define IOTSEC_COSE_HDR_X5T 34
#define IOTSEC_COSE_HDR_X5U 35
#define IOTSEC_COSE_HDR_EPHEMERAL_KEY (-1)
#define IOTSEC_COSE_HDR_STATIC_KEY (-2)
#define IOTSEC_COSE_HDR_STATIC_KEY_ID (-3)
#define IOTSEC_COSE_HDR_SALT (-20)
#define IOTSEC_COSE_HDR_PARTY_U_ID (-21)
#define IOTSEC_COSE_HDR_PARTY_U_NONCE (-22)
#define IOTSEC_COSE_HDR_PARTY_U_OTHER (-23)
#define IOTSEC_COSE_HDR_PARTY_V_ID (-24)
#define IOTSEC_COSE_HDR_PARTY_V_NONCE (-25)
#define IOTSEC_COSE_HDR_PARTY_V_OTHER (-26)

/* COSE_Key labels (RFC 9052 section 7, RFC 9053 section 7). */
#define IOTSEC_COSE_KEY_KTY 1
#define IOTSEC_COSE_KEY_KID 2
#define IOTSEC_COSE_KEY_ALG 3
#define IOTSEC_COSE_KEY_OPS 4
#define IOTSEC_COSE_KEY_BASE_IV 5
#define IOTSEC_COSE_KEY_CRV (-1)
#define IOTSEC_COSE_KEY_K (-1)
#define IOTSEC_COSE_KEY_X (-2)
#define IOTSEC_COSE_KEY_Y (-3)
#define IOTSEC_COSE_KEY_D (-4)

/** Limits (override with -D). Recipients that carry recipients of their
 *  own (RFC 9052 5.1 multi-level) are not processed: such a recipient is
 *  skipped and, when no other fits, IOTSEC_ERR_UNSUPPORTED_ALG results.
 *  IOTSEC_MAX_COSE_RECIPIENT_DEPTH bounds how deep tools walk such layers
 *  when they only display them. */
/* Build with -DIOTSEC_COSE_VERIFY_MAC=0 to leave COSE_Mac0/COSE_Mac (and
 * the recipients they pull in) out of iotsec_cose_verify(), for a device
 * that authenticates by signature only: it then refuses them with
 * IOTSEC_ERR_UNSUPPORTED. */
#ifndef IOTSEC_COSE_VERIFY_MAC
#define IOTSEC_COSE_VERIFY_MAC 1
#endif
/* Build with -DIOTSEC_COSE_VERIFY_SIGN=0 to leave COSE_Sign (several
 * signatures in one message) out of iotsec_cose_verify() in the same way,
 * for a device whose signers each make a COSE_Sign1. With both switches at
 * 0, iotsec_cose_verify() checks COSE_Sign1 only, and the SUIT processor
 * reads its authentication blocks with iotsec_cose_sign1_verify(), which
 * links no reader for the other message types. */
#ifndef IOTSEC_COSE_VERIFY_SIGN
#define IOTSEC_COSE_VERIFY_SIGN 1
#endif
#ifndef IOTSEC_MAX_COSE_RECIPIENT_DEPTH
#define IOTSEC_MAX_COSE_RECIPIENT_DEPTH 3
#endif
#ifndef IOTSEC_MAX_COSE_CRIT
#define IOTSEC_MAX_COSE_CRIT 8 /* labels in one crit array */
#endif

/** A header label: an integer, or a text string when @p text is not NULL. */
struct iotsec_cose_label {
    const char *text;
    int64_t num;
};

/** Message types. */
enum iotsec_cose_type {
    IOTSEC_COSE_UNKNOWN = 0,
    IOTSEC_COSE_SIGN1,
    IOTSEC_COSE_SIGN,
    IOTSEC_COSE_MAC0,
    IOTSEC_COSE_MAC,
    IOTSEC_COSE_ENCRYPT0,
    IOTSEC_COSE_ENCRYPT
};

/* ------------------------------------------------------------------ */
/* Headers                                                             */
/* ------------------------------------------------------------------ */

/** The two header buckets of one layer, as received and checked. */
struct iotsec_cose_hdr {
    /** Content of the protected bstr exactly as received. */
    struct iotsec_cbuf prot;
    /** Cursor on the protected map; .p is NULL when the bucket is empty. */
    struct iotsec_cbor_dec prot_map;
    /** Cursor on the unprotected map. */
    struct iotsec_cbor_dec unprot_map;
    /** alg (label 1), from either bucket; 0 when absent. */
    int64_t alg;
    /** kid (label 4); .ptr NULL when absent. */
    struct iotsec_cbuf kid;
    /** IV (5) and Partial IV (6); .ptr NULL when absent. */
    struct iotsec_cbuf iv, partial_iv;
};

/**
 * Read the two header buckets (protected bstr, unprotected map) that are
 * the next items of @p arr, and check them: the protected bstr holds one
 * valid CBOR map (or nothing), both buckets have integer or text labels,
 * no label sits in both buckets, alg is an integer, kid/IV/Partial IV are
 * byte strings, and crit (if any) is protected, a non-empty array of
 * labels each present in the protected bucket and either a label iotsec
 * processes (1 to 7, 11, 12, -1 to -3, -20 to -26) or one of @p understood
 * (@p n_understood labels the application handles itself). Labels compare
 * by value: integers of any size whatever their head's length, text by
 * its bytes.
 * @return IOTSEC_OK; IOTSEC_ERR_CBOR_* for malformed buckets;
 *         IOTSEC_ERR_MALFORMED (label in both buckets, crit misplaced or
 *         malformed, wrong parameter type); IOTSEC_ERR_UNSUPPORTED (a
 *         critical label not understood); IOTSEC_ERR_UNSUPPORTED_ALG (alg
 *         given as text).
 */
enum iotsec_err iotsec_cose_hdr_decode(struct iotsec_cbor_dec *arr, struct iotsec_cose_hdr *h,
                                       const struct iotsec_cose_label *understood,
                                       size_t n_understood);

/**
 * Find header parameter @p label, protected bucket first. @p value (out)
 * becomes a one-item cursor on it. @p is_protected (out, may be NULL).
 * @return IOTSEC_OK; IOTSEC_ERR_NOT_FOUND.
 */
enum iotsec_err iotsec_cose_hdr_find(const struct iotsec_cose_hdr *h, int64_t label,
                                     struct iotsec_cbor_dec *value, bool *is_protected);

/** Header buckets a sender supplies, each an encoded CBOR map (or empty). */
struct iotsec_cose_hdr_in {
    struct iotsec_cbuf prot;   /**< encoded protected map; {NULL,0} sends h'' */
    struct iotsec_cbuf unprot; /**< encoded unprotected map; {NULL,0} sends {} */
};

/* ------------------------------------------------------------------ */
/* Decoding received messages                                          */
/* ------------------------------------------------------------------ */

/** A decoded, not yet authenticated, message. Slices point into the input. */
struct iotsec_cose_msg {
    enum iotsec_cose_type type;
    uint64_t tag;             /**< the COSE tag seen, 0 when untagged */
    bool cwt;                 /**< the message was wrapped in CWT tag 61 */
    struct iotsec_cose_hdr hdr;
    /** Payload (Sign1, Sign, Mac0, Mac) or ciphertext (Encrypt0, Encrypt);
     *  .ptr NULL when nil (detached). */
    struct iotsec_cbuf content;
    /** Sign1 signature, or Mac0/Mac tag. */
    struct iotsec_cbuf sig;
    /** Sign: cursor on the signatures array; Mac, Encrypt: on the
     *  recipients array. */
    struct iotsec_cbor_dec list;
    size_t count;             /**< signatures or recipients in list */
    struct iotsec_cbuf raw;   /**< the whole message as received */
};

/**
 * Decode the message in @p buf (@p len bytes). With @p expect
 * IOTSEC_COSE_UNKNOWN the CBOR tag decides the type (an untagged message
 * is refused); otherwise the message must be of type @p expect, tagged with
 * its own tag or untagged. A CWT tag 61 around the message is accepted.
 * @p understood lists extra critical labels the application handles.
 * Indefinite-length arrays and maps are accepted; indefinite-length
 * (chunked) byte strings are not, since iotsec hands out zero-copy slices.
 * @return IOTSEC_OK; IOTSEC_ERR_CBOR_* (invalid CBOR); IOTSEC_ERR_MALFORMED
 *         (structure, header rules, a tag that contradicts @p expect);
 *         IOTSEC_ERR_UNSUPPORTED (unknown tag or critical header, chunked
 *         byte string); IOTSEC_ERR_UNSUPPORTED_ALG.
 */
enum iotsec_err iotsec_cose_decode(const uint8_t *buf, size_t len, enum iotsec_cose_type expect,
                                   const struct iotsec_cose_label *understood, size_t n_understood,
                                   struct iotsec_cose_msg *m);

/** One key of a key set: the key and the kid it is known by (may be empty). */
struct iotsec_cose_keyset_entry {
    const struct iotsec_key *key;
    struct iotsec_cbuf kid;
};

struct iotsec_cose_keyset {
    const struct iotsec_cose_keyset_entry *entries;
    size_t n;
};

/** Key-derivation inputs that are known to both sides but not sent
 *  (COSE_KDF_Context, RFC 9053 section 5.2). Headers, when present, win. */
struct iotsec_cose_kdf_info {
    struct iotsec_cbuf u_id, u_nonce, u_other; /**< PartyUInfo */
    struct iotsec_cbuf v_id, v_nonce, v_other; /**< PartyVInfo */
    struct iotsec_cbuf pub_other;              /**< SuppPubInfo other */
    struct iotsec_cbuf priv;                   /**< SuppPrivInfo */
};

/** Options for verifying, decrypting and creating. Zero-initialise. */
struct iotsec_cose_opts {
    struct iotsec_cbuf external_aad;
    /** Verify/decrypt: payload or ciphertext of a message that carries nil. */
    struct iotsec_cbuf detached;
    /** Working memory for EdDSA to-be-signed structures, AEAD AAD and KDF
     *  contexts. */
    struct iotsec_buf scratch;
    /** Extra critical labels the application understands (for the layers
     *  that verify/decrypt decodes itself: signers, recipients). */
    const struct iotsec_cose_label *understood;
    size_t n_understood;
    /** KDF inputs not carried in headers, for every recipient. */
    struct iotsec_cose_kdf_info kdf;
    /** Accept (decrypt) or allow (encrypt) AES-CTR/AES-CBC, which do not
     *  authenticate (RFC 9459). */
    bool allow_unauth;
    /** Create: leave the payload/ciphertext out of the message (nil). A
     *  detached ciphertext is written to detached_out, its length to
     *  *detached_len. */
    bool detach;
    struct iotsec_buf detached_out;
    size_t *detached_len;
    /** Create: do not write the COSE CBOR tag. */
    bool untagged;
    /** Create: use this content key (MAC key or CEK) instead of a random one;
     *  for reproducible output. Also the IV source: see iv. */
    struct iotsec_cbuf cek;
    /** Create: use this IV when the headers carry none (reproducible output). */
    struct iotsec_cbuf iv;
};

/** What authenticated: indices into the message and the key set. */
struct iotsec_cose_result {
    size_t signer;  /**< signature or recipient index that matched (0 for Sign1/Mac0/Encrypt0) */
    size_t key;     /**< index in the key set */
    int64_t alg;    /**< the signature, MAC or content algorithm */
    struct iotsec_cbuf payload; /**< verified payload (attached or detached) */
};

/**
 * Authenticate a COSE_Sign1, COSE_Sign, COSE_Mac0 or COSE_Mac.
 * For COSE_Sign, success means at least one signature verifies with a key
 * of @p ks; r->signer names it. For COSE_Mac, the MAC key comes from the
 * first recipient whose key is in @p ks.
 * @return IOTSEC_OK; IOTSEC_ERR_VERIFY_FAILED (no signature/MAC verified);
 *         IOTSEC_ERR_NOT_FOUND (no key of @p ks fits); IOTSEC_ERR_MALFORMED
 *         (e.g. nil payload and nothing detached); IOTSEC_ERR_UNSUPPORTED_ALG;
 *         IOTSEC_ERR_BUFFER_TOO_SMALL (scratch, EdDSA only).
 */
enum iotsec_err iotsec_cose_verify(const struct iotsec_cose_msg *m,
                                   const struct iotsec_cose_keyset *ks,
                                   const struct iotsec_cose_opts *o, struct iotsec_cose_result *r);

/**
 * Decode and verify a COSE_Sign1 in one call (tagged 18 or untagged), the
 * common case on a device: firmware manifests, tokens. Links only the
 * Sign1 path (no reader for the other message types, no CBOR encoder).
 * Same results and errors as iotsec_cose_decode() followed by
 * iotsec_cose_verify().
 */
enum iotsec_err iotsec_cose_sign1_verify(const uint8_t *buf, size_t len,
                                         const struct iotsec_cose_keyset *ks,
                                         const struct iotsec_cose_opts *o,
                                         struct iotsec_cose_result *r);

/**
 * Decrypt a COSE_Encrypt0 (with a key of @p ks as the CEK) or COSE_Encrypt
 * (through its recipients) into @p out. r->payload is the plaintext.
 * @return IOTSEC_OK; IOTSEC_ERR_DECRYPT_FAILED (tag or key unwrap failed:
 *         nothing is released); IOTSEC_ERR_NOT_FOUND; IOTSEC_ERR_MALFORMED;
 *         IOTSEC_ERR_UNSUPPORTED_ALG (also AES-CTR/CBC without
 *         allow_unauth); IOTSEC_ERR_BUFFER_TOO_SMALL.
 */
enum iotsec_err iotsec_cose_decrypt(const struct iotsec_cose_msg *m,
                                    const struct iotsec_cose_keyset *ks,
                                    const struct iotsec_cose_opts *o, struct iotsec_buf out,
                                    struct iotsec_cose_result *r);

/**
 * Recover the content key of a COSE_Encrypt or COSE_Mac through its
 * recipients, without touching the content: the first recipient (depth
 * first) whose key is in @p ks yields it. @p content_alg is the layer's
 * algorithm (it sets the key length and enters the KDF context). Used by
 * SUIT, which decrypts the payload itself as it streams.
 * @p cek (out) receives the key bytes (cap @p cek_cap); *cek_len its length.
 */
enum iotsec_err iotsec_cose_recipient_key(const struct iotsec_cose_msg *m,
                                          const struct iotsec_cose_keyset *ks,
                                          const struct iotsec_cose_opts *o, int64_t content_alg,
                                          uint8_t *cek, size_t cek_cap, size_t *cek_len,
                                          struct iotsec_cose_result *r);

/* ------------------------------------------------------------------ */
/* Creating messages                                                   */
/* ------------------------------------------------------------------ */

/** A signer of a COSE_Sign, or the signer of a COSE_Sign1. */
struct iotsec_cose_signer_in {
    struct iotsec_cose_hdr_in hdr; /**< must carry alg (protected recommended) */
    const struct iotsec_key *key;  /**< private key */
};

/**
 * A recipient of a COSE_Encrypt or COSE_Mac.
 *   direct, direct+HKDF-*:   key = the shared secret (symmetric)
 *   A128KW/A192KW/A256KW:    key = the key-encryption key (symmetric)
 *   ECDH-ES+*:               key = the recipient's public key; sender_key =
 *                            the ephemeral key pair to use (NULL: fresh one)
 *   ECDH-SS+*:               key = the recipient's public key; sender_key =
 *                            the sender's static key pair
 */
struct iotsec_cose_recipient_in {
    struct iotsec_cose_hdr_in hdr;
    const struct iotsec_key *key;
    const struct iotsec_key *sender_key;
};

/**
 * Create a message into @p out; *msg (out) is the encoded message, a slice
 * of @p out. The algorithm comes from the headers (label 1).
 * @return IOTSEC_OK; IOTSEC_ERR_BUFFER_TOO_SMALL (out or scratch);
 *         IOTSEC_ERR_INVALID_ARG (headers are not maps, alg missing);
 *         IOTSEC_ERR_UNSUPPORTED_ALG; IOTSEC_ERR_KEY_USAGE (key does not fit
 *         the algorithm); IOTSEC_ERR_CRYPTO.
 */
enum iotsec_err iotsec_cose_sign1(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                  const struct iotsec_cose_signer_in *signer,
                                  struct iotsec_cbuf payload, const struct iotsec_cose_opts *o);
/** COSE_Sign with one signature per signer; @p body (may be NULL: empty
 *  buckets) holds the body's header buckets. */
enum iotsec_err iotsec_cose_sign(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                 const struct iotsec_cose_hdr_in *body,
                                 const struct iotsec_cose_signer_in *signers, size_t n,
                                 struct iotsec_cbuf payload, const struct iotsec_cose_opts *o);
/** COSE_Mac0 with @p key as the MAC key. */
enum iotsec_err iotsec_cose_mac0(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                 const struct iotsec_cose_hdr_in *hdr,
                                 const struct iotsec_key *key, struct iotsec_cbuf payload,
                                 const struct iotsec_cose_opts *o);
/** COSE_Mac: the MAC key is o->cek, random, or derived (direct/ECDH direct). */
enum iotsec_err iotsec_cose_mac(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                const struct iotsec_cose_hdr_in *hdr,
                                const struct iotsec_cose_recipient_in *recipients, size_t n,
                                struct iotsec_cbuf payload, const struct iotsec_cose_opts *o);
/** COSE_Encrypt0 with @p key as the CEK. */
enum iotsec_err iotsec_cose_encrypt0(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                     const struct iotsec_cose_hdr_in *hdr,
                                     const struct iotsec_key *key, struct iotsec_cbuf plaintext,
                                     const struct iotsec_cose_opts *o);
/** COSE_Encrypt: the CEK is o->cek, random, or derived (direct/ECDH direct). */
enum iotsec_err iotsec_cose_encrypt(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                    const struct iotsec_cose_hdr_in *hdr,
                                    const struct iotsec_cose_recipient_in *recipients, size_t n,
                                    struct iotsec_cbuf plaintext, const struct iotsec_cose_opts *o);

/* ------------------------------------------------------------------ */
/* Countersignatures (RFC 9338)                                        */
/* ------------------------------------------------------------------ */

/**
 * Verify the countersignatures of a COSE_Sign1 (header 11, full form with
 * its own headers; header 12, abbreviated, signed with the alg and key the
 * caller names through @p ks entries bound to an algorithm). Succeeds when
 * one countersignature verifies; r->signer is its index.
 * @return IOTSEC_OK; IOTSEC_ERR_NOT_FOUND (no countersignature, or no key);
 *         IOTSEC_ERR_VERIFY_FAILED.
 */
enum iotsec_err iotsec_cose_countersign_verify(const struct iotsec_cose_msg *m,
                                               const struct iotsec_cose_keyset *ks,
                                               const struct iotsec_cose_opts *o,
                                               struct iotsec_cose_result *r);

/**
 * Add a full countersignature (header 11, RFC 9338 "CounterSignatureV2")
 * by @p signer to the COSE_Sign1 @p m, writing the new message into @p out.
 * The signed content is unchanged; only the unprotected bucket grows.
 */
enum iotsec_err iotsec_cose_countersign(struct iotsec_buf out, struct iotsec_cbuf *msg,
                                        const struct iotsec_cose_msg *m,
                                        const struct iotsec_cose_signer_in *signer,
                                        const struct iotsec_cose_opts *o);

/* ------------------------------------------------------------------ */
/* COSE_Key                                                            */
/* ------------------------------------------------------------------ */

/**
 * Decode one COSE_Key map from the cursor @p d (consumed on success).
 * Asymmetric keys are imported through the crypto backend (release with
 * iotsec_key_free()); a symmetric key borrows its bytes from the input.
 * @p kid (out, may be NULL) receives the kid, {NULL, 0} when absent.
 * The alg parameter, when present as an integer, is stored in key->alg.
 * Unknown parameters are ignored, as RFC 9052 section 7 allows.
 * @return IOTSEC_OK; IOTSEC_ERR_CBOR_* (not a map, wrong parameter types);
 *         IOTSEC_ERR_MALFORMED (kty missing, or parameters that do not
 *         belong to the kty); IOTSEC_ERR_UNSUPPORTED_KEY (kty or curve not
 *         supported, text alg); IOTSEC_ERR_KEY_INVALID. Compressed EC2
 *         points (y as a bool) are accepted.
 */
enum iotsec_err iotsec_cose_key_decode(struct iotsec_cbor_dec *d, struct iotsec_key *key,
                                       struct iotsec_cbuf *kid);

/**
 * Encode @p key as a COSE_Key map in deterministic order. The private part
 * (d, or k for symmetric keys) is written only when @p with_private. @p kid
 * may be NULL. key->alg is written when non-zero.
 * Errors are reported through the encoder's sticky error; a key the backend
 * cannot export sets IOTSEC_ERR_KEY_USAGE.
 */
void iotsec_cose_key_encode(struct iotsec_cbor_enc *e, const struct iotsec_key *key,
                            bool with_private, const uint8_t *kid, size_t kid_len);

#ifdef __cplusplus
}
#endif
#endif /* IOTSEC_COSE_H */
