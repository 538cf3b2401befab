/* SPDX-License-Identifier: Apache-2.0 */
/* Private helpers of the SUIT module. */
#ifndef IOTSEC_SUIT_INT_H
#define IOTSEC_SUIT_INT_H

#include "crypto/crypto.h"
#include "iotsec/suit.h"

/*
 * Keep a function out of line in a build for size. GCC's -Os inlines some
 * static functions (a dispatch switch, a table look-up) into every caller
 * where one call each is smaller on Thumb; a build for speed keeps its
 * inlining.
 */
#if defined(__OPTIMIZE_SIZE__) && (defined(__GNUC__) || defined(__clang__))
#define SUIT_OUTLINE __attribute__((noinline))
#else
#define SUIT_OUTLINE
#endif

/* Internal parameter slots (struct iotsec_suit_ctx.param). */
enum suit_slot {
    P_VENDOR_ID,
    P_CLASS_ID,
    P_IMAGE_DIGEST,
    P_USE_BEFORE,
    P_COMPONENT_SLOT,
    P_STRICT_ORDER,
    P_SOFT_FAILURE,
    P_IMAGE_SIZE,
    P_CONTENT,
    P_ENCRYPTION_INFO,
    P_URI,
    P_SOURCE_COMPONENT,
    P_INVOKE_ARGS,
    P_DEVICE_ID,
    P_FETCH_ARGS,
    P_MINIMUM_BATTERY,
    P_UPDATE_PRIORITY,
    P_VERSION,
    P_WAIT_INFO,
    P_COMPONENT_METADATA,
    P_COUNT
};

/* The slot of SUIT parameter @p label, or -1 if iotsec does not know it. */
int suit_param_slot(int64_t label);

/* A one-item cursor on an item of validated input at @p p within @p within. */
void suit_item(struct iotsec_cbor_dec *out, const struct iotsec_cbuf *within, const uint8_t *p);

/*
 * The major type of the next item of @p d, which must hold one (validated
 * input: the byte is there). Validation also guarantees that false, true
 * and null only ever take their one-byte forms (RFC 8949 3.3), so those
 * are compared as bytes.
 */
#define suit_major(d) ((unsigned)(*(d)->p >> 5))
#define SUIT_CBOR_FALSE 0xf4
#define SUIT_CBOR_TRUE 0xf5
#define SUIT_CBOR_NULL 0xf6

/* Step over tag @p tag in front of the next item of @p d, if it is there. */
void suit_skip_tag(struct iotsec_cbor_dec *d, uint64_t tag);

/*
 * Check an encoded SUIT_Digest ([alg, bytes]) @p digest against the hash of
 * @p data. IOTSEC_OK, IOTSEC_ERR_DIGEST_MISMATCH, IOTSEC_ERR_MALFORMED or
 * IOTSEC_ERR_UNSUPPORTED_ALG.
 */
enum iotsec_err suit_digest_check(struct iotsec_cbuf digest, struct iotsec_cbuf data);
/* Parse an encoded SUIT_Digest into its hash algorithm and bytes. */
enum iotsec_err suit_digest_parse(struct iotsec_cbuf digest, int32_t *alg,
                                  struct iotsec_cbuf *bytes);

/* The value of key @p key in the manifest map (a one-item cursor). */
enum iotsec_err suit_manifest_get(const struct iotsec_suit_manifest *m, int key,
                                  struct iotsec_cbor_dec *v);
/* The bytes of a sequence or severable member @p key: the manifest's bstr,
 * or the envelope's member when the manifest holds its digest (checked at
 * authentication). IOTSEC_ERR_NOT_FOUND when absent or severed. */
enum iotsec_err suit_member(const struct iotsec_suit_manifest *m, int key,
                            struct iotsec_cbuf *seq);
/* An integrated payload of the envelope named @p name (without '#'). */
enum iotsec_err suit_integrated(const struct iotsec_suit_manifest *m, struct iotsec_cbuf name,
                                struct iotsec_cbuf *payload);

#endif
