/* SPDX-License-Identifier: Apache-2.0 */
/* Private helpers shared by the EAT modules. */
#ifndef IOTSEC_EAT_INT_H
#define IOTSEC_EAT_INT_H

#include "crypto/crypto.h"
#include "iotsec/eat.h"

/* Is @p key a claim iotsec knows (one with a bit in claims.present)? */
bool eat_key_known(int64_t key);

/*
 * iotsec_eat_claims_decode(), with tag 601 around the map accepted only
 * when @p uccs_tag: a CWT's payload is a bare claims set (RFC 8392 7.1).
 */
enum iotsec_err eat_claims_decode(const uint8_t *cs, size_t len, bool uccs_tag,
                                  struct iotsec_eat_claims *c, int64_t *bad_key);

/* Check the one encoded item @p v (@p n bytes) as the value of claim
 * @p key, as the decoder does, storing it in @p tmp (cleared first). For
 * the builder's raw claims. */
enum iotsec_err eat_claim_check(int64_t key, const uint8_t *v, size_t n,
                                struct iotsec_eat_claims *tmp);

/* Is validated CBOR @p p (@p n bytes) in preferred serialization (RFC 8949
 * 4.1) with definite lengths only, as RFC 9711 6.4 asks? Strings that hold
 * CBOR are not looked into. */
bool eat_preferred(const uint8_t *p, size_t n);

#endif
