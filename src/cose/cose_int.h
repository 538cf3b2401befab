/* SPDX-License-Identifier: Apache-2.0 */
/* Private helpers shared by the COSE modules. */
#ifndef IOTSEC_COSE_INT_H
#define IOTSEC_COSE_INT_H

#include <stddef.h>
#include <string.h>

#include "crypto/crypto.h"
#include "iotsec/cose.h"

/* Inlined even at -Os: for a helper whose callers a build rarely links
 * together (signing and verifying), so that each links it without a call. */
#if defined(__GNUC__) || defined(__clang__)
#define COSE_INLINE static inline __attribute__((always_inline))
#else
#define COSE_INLINE static inline
#endif

/*
 * A sink for the to-be-processed structures (Sig_structure, MAC_structure,
 * Enc_structure, COSE_KDF_Context): they are either hashed, MACed or
 * written to a caller buffer as they are produced, never built twice.
 */
struct sink {
    /* where bytes go; set by the cose_sink_* initialisers so that a build
     * links only the kinds it uses */
    void (*put)(struct sink *s, const uint8_t *p, size_t n);
    /* the scalar fields before the contexts, at the short offsets Thumb
     * loads and stores encode in 16 bits */
    enum iotsec_err err;
    uint8_t *buf;                           /* SINK_BUF */
    size_t cap, len;
    size_t fill;
    uint8_t block[16];                      /* SINK_CBCMAC: the partial input block */
    uint8_t mac[16];                        /* SINK_CBCMAC: the last ciphertext block */
    union { /* a sink hashes, MACs or runs CBC-MAC: one context at a time */
        struct iotsec_crypto_hash_ctx hash;     /* SINK_HASH, SINK_HMAC */
        struct iotsec_crypto_cipher_ctx cipher; /* SINK_CBCMAC */
    };
};

void cose_sink_buf(struct sink *s, uint8_t *buf, size_t cap);
enum iotsec_err cose_sink_hash(struct sink *s, int32_t hash_alg);
enum iotsec_err cose_sink_hmac(struct sink *s, int32_t hash_alg, const struct iotsec_key *key);
enum iotsec_err cose_sink_cbcmac(struct sink *s, int32_t cbc_alg, const struct iotsec_key *key);
/* Pad, finish and release a CBC-MAC sink; @p mac gets the 16-byte MAC. */
enum iotsec_err cose_sink_cbcmac_finish(struct sink *s, uint8_t mac[16]);
void cose_sink_put(struct sink *s, const uint8_t *p, size_t n);
/* A CBOR item of major type @p major with argument @p v: its head and, when
 * @p p is not NULL, the @p v bytes at @p p (a string's content). */
void cose_sink_item(struct sink *s, unsigned major, const void *p, size_t v);
/* A head whose argument may exceed size_t (e.g. an algorithm identifier). */
void cose_sink_head(struct sink *s, unsigned major, uint64_t v);
static inline void cose_sink_bstr(struct sink *s, struct iotsec_cbuf b)
{
    cose_sink_item(s, 2, b.ptr, b.len);
}
static inline void cose_sink_tstr(struct sink *s, const char *text)
{
    cose_sink_item(s, 3, text, strlen(text));
}

/*
 * The next item of @p a as a byte string: *b (out) gets a definite-length
 * bstr's bytes, or, when @p nil_ok, {NULL, 0} for nil (detached content).
 * Chunked (indefinite-length) strings are not taken: iotsec hands out
 * zero-copy slices. Returns IOTSEC_ERR_CBOR_END at the end,
 * IOTSEC_ERR_UNSUPPORTED for a chunked bstr, IOTSEC_ERR_MALFORMED for
 * anything else.
 */
enum iotsec_err cose_get_bstr(struct iotsec_cbor_dec *a, struct iotsec_cbuf *b, bool nil_ok);

/* The protected bucket as it enters a to-be-processed structure: the bytes
 * received, or a zero-length bstr when they encode an empty map. */
static inline struct iotsec_cbuf cose_prot_tbs(const struct iotsec_cose_hdr *h)
{
    struct iotsec_cbuf none = {NULL, 0};

    return h->prot_map.p == NULL ? none : h->prot;
}

/*
 * A signature and what it covers: the Sig_structure or
 * Countersign_structure (RFC 9052 4.4, RFC 9338 3.3)
 * [context, body_protected, ? sign_protected, external_aad, payload,
 *  ? other_fields]. @p sign_prot NULL omits sign_protected; @p other NULL
 * omits other_fields (otherwise a one-element array). The external AAD
 * comes from the caller's options.
 */
struct cose_sig {
    int64_t alg;
    struct iotsec_cbuf kid; /* selects keys when .ptr is not NULL */
    struct iotsec_cbuf sig; /* the signature to verify */
    /* the structure's array head and context, encoded: one of COSE_TBS_*,
     * whose element count agrees with sign_prot and other */
    const char *context;
    struct iotsec_cbuf body_prot;
    const struct iotsec_cbuf *sign_prot;
    struct iotsec_cbuf payload;
    const struct iotsec_cbuf *other;
};

/* alg and kid lie alike in struct cose_sig and struct iotsec_cose_hdr:
 * one copy takes both. */
#define COSE_ALG_KID_SIZE (offsetof(struct cose_sig, kid) + sizeof(struct iotsec_cbuf))
_Static_assert(offsetof(struct cose_sig, alg) == 0 &&
                   offsetof(struct iotsec_cose_hdr, kid) - offsetof(struct iotsec_cose_hdr, alg) ==
                       offsetof(struct cose_sig, kid),
               "alg and kid lie alike");

/* Array head and context string of each Sig_structure or
 * Countersign_structure: [context, body_protected, (sign_protected),
 * external_aad, payload, (other_fields)]. */
#define COSE_TBS_SIGNATURE1 "\x84\x6a" "Signature1"
#define COSE_TBS_SIGNATURE "\x85\x69" "Signature"
#define COSE_TBS_COUNTER "\x85\x70" "CounterSignature"
#define COSE_TBS_COUNTER_V2 "\x86\x72" "CounterSignatureV2"
#define COSE_TBS_COUNTER0 "\x85\x71" "CounterSignature0"
#define COSE_TBS_COUNTER0_V2 "\x85\x73" "CounterSignature0V2"

void cose_sig_structure(struct sink *s, const struct cose_sig *t, const struct iotsec_cbuf *aad);
/* MAC_structure (RFC 9052 6.3) and Enc_structure (5.3). */
void cose_mac_structure(struct sink *s, const char *context, struct iotsec_cbuf prot,
                        struct iotsec_cbuf aad, struct iotsec_cbuf payload);
void cose_enc_structure(struct sink *s, const char *context, struct iotsec_cbuf prot,
                        struct iotsec_cbuf aad);

/* Does @p e fit selection by @p alg and @p kid (none when kid->ptr is
 * NULL)? Used to walk a key set. */
bool cose_key_candidate(const struct iotsec_cose_keyset_entry *e, const struct iotsec_cbuf *kid,
                        int64_t alg);

/* Sign or verify a Sig_structure. For ECDSA the structure streams through
 * a hash; for EdDSA it is built in o->scratch. Verification tries the keys
 * of @p ks that fit t->alg and t->kid; *key_index names the one that
 * verified. */
enum iotsec_err cose_sig_verify(const struct cose_sig *t, const struct iotsec_cose_keyset *ks,
                                const struct iotsec_cose_opts *o, size_t *key_index);
enum iotsec_err cose_sig_sign(int64_t alg, const struct iotsec_key *key, const char *context,
                              struct iotsec_cbuf body_prot, const struct iotsec_cbuf *sign_prot,
                              struct iotsec_cbuf payload, const struct iotsec_cbuf *other,
                              const struct iotsec_cose_opts *o, uint8_t *sig, size_t *sig_len);

/* Length of the tag MAC algorithm @p alg sends; 0 if it is not one. For
 * callers that size a message before computing it (iotsec_eat_sign). */
size_t cose_mac_tag_len(int64_t alg);
/* MAC algorithms: HMAC 4..7 and AES-CBC-MAC 14, 15, 25, 26. Computes the
 * tag of the MAC_structure into @p tag (IOTSEC_MAX_HASH bytes). */
enum iotsec_err cose_mac_compute(int64_t alg, const struct iotsec_key *key, const char *context,
                                 struct iotsec_cbuf prot, struct iotsec_cbuf aad,
                                 struct iotsec_cbuf payload, uint8_t *tag, size_t *tag_len);
/* Verify a COSE_Mac0 or COSE_Mac over @p payload. */
enum iotsec_err cose_mac_verify(const struct iotsec_cose_msg *m,
                                const struct iotsec_cose_keyset *ks,
                                const struct iotsec_cose_opts *o, struct iotsec_cbuf payload,
                                struct iotsec_cose_result *r);
/* Key length a content or MAC algorithm needs, 0 if unknown. */
size_t cose_content_key_len(int64_t alg);

/* The protected bucket a sender gave, as it enters a to-be-processed
 * structure (an encoded empty map counts as empty, as for receivers). */
struct iotsec_cbuf cose_prot_in_tbs(const struct iotsec_cose_hdr_in *in);
/* Header buckets a sender gave: check they are maps, find alg. */
enum iotsec_err cose_hdr_in_check(const struct iotsec_cose_hdr_in *in, int64_t *alg);
/* Write the protected bstr of @p in. */
void cose_put_prot(struct iotsec_cbor_enc *e, const struct iotsec_cose_hdr_in *in);
/* Write the unprotected map of @p in plus @p extra_n entries that the
 * caller writes right after (pre-encoded in @p extra). */
void cose_put_unprot(struct iotsec_cbor_enc *e, const struct iotsec_cose_hdr_in *in,
                     size_t extra_n, struct iotsec_cbuf extra);
/* Is @p label in the map @p map_bytes (encoded)? */
bool cose_map_has(struct iotsec_cbuf map_bytes, int64_t label);

/* Recipients: produce the content key for @p content_alg from the
 * recipients array (decode side), or write the recipients array (encode
 * side). Defined in recipient.c. */
enum iotsec_err cose_recipients_key(struct iotsec_cbor_dec list, const struct iotsec_cose_keyset *ks,
                                    const struct iotsec_cose_opts *o, int64_t content_alg,
                                    uint8_t *cek, size_t cek_len, size_t *which, size_t *key_index);
/* Sender side, phase 1: fix the content key (derived by a direct-mode
 * recipient, whose ECDH-ES ephemeral key is kept in @p eph for phase 2;
 * else o->cek or random). Release @p eph with iotsec_key_free(). */
enum iotsec_err cose_recipients_cek(const struct iotsec_cose_recipient_in *r, size_t n,
                                    const struct iotsec_cose_opts *o, int64_t content_alg,
                                    uint8_t *cek, size_t cek_len, struct iotsec_key *eph);
/* Phase 2: write the recipients array. */
enum iotsec_err cose_recipients_put(struct iotsec_cbor_enc *e,
                                    const struct iotsec_cose_recipient_in *r, size_t n,
                                    const struct iotsec_cose_opts *o, int64_t content_alg,
                                    uint8_t *cek, size_t cek_len, const struct iotsec_key *eph);
/* Is a recipient algorithm one that derives the content key (direct
 * modes), so the sender must not pick it? */
bool cose_alg_is_direct(int64_t alg);

#endif
