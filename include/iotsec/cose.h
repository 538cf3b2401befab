/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec/cose.h - CBOR Object Signing and Encryption (RFC 9052, RFC 9053).
 *
 * This header currently covers COSE_Key (RFC 9052 section 7, RFC 9053
 * section 7): the key format every iotsec tool and protocol uses alongside
 * PEM. Keys decode into the same struct iotsec_key handles that the crypto
 * seam consumes.
 *
 * COSE_Key labels: kty 1, kid 2, alg 3, key_ops 4, Base IV 5;
 *   EC2: crv -1, x -2, y -3, d -4;  OKP: crv -1, x -2, d -4;
 *   Symmetric: k -1.
 *
 * See also: iotsec/key.h, iotsec/cbor.h.
 */
#ifndef IOTSEC_COSE_H
#define IOTSEC_COSE_H

#include "iotsec/cbor.h"
#include "iotsec/key.h"

#ifdef __cplusplus
extern "C" {
#endif

/* COSE_Key labels */
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
 *         supported, compressed EC points, text alg); IOTSEC_ERR_KEY_INVALID.
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
