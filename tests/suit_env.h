/* SPDX-License-Identifier: Apache-2.0 */
/* Envelopes for tests, fuzzing and benchmarks: wrap a manifest in an
 * authenticated SUIT envelope. */
#ifndef IOTSEC_TEST_SUIT_ENV_H
#define IOTSEC_TEST_SUIT_ENV_H

#include "iotsec/suit.h"

/*
 * Wrap manifest @p man (@p n bytes) into a SUIT envelope {2: auth, 3:
 * manifest} authenticated with @p key over the SUIT_Digest of the
 * bstr-wrapped manifest: COSE_Mac0 HMAC 256/256 for a symmetric key, else
 * COSE_Sign1 ESP256. With @p fw_name, the integrated payload @p fw is
 * added under that name. Returns the envelope's length, 0 on failure.
 */
size_t suit_env_wrap(const uint8_t *man, size_t n, const struct iotsec_key *key,
                     const char *fw_name, const uint8_t *fw, size_t fw_len, uint8_t *out,
                     size_t cap);

/*
 * A manifest {1: 1, 2: @p seq, 3: << {2: [[h'00']]} >>, @p key: << @p cmds >>}:
 * one component and one command sequence (@p cmds, encoded). Returns its
 * length, 0 on failure.
 */
size_t suit_env_manifest(uint64_t seq, int64_t key, const uint8_t *cmds, size_t n, uint8_t *out,
                         size_t cap);

/* Does the int list under @p key of the capability report @p caps hold @p v? */
bool suit_env_cap_has(struct iotsec_cbuf caps, int64_t key, int64_t v);

#endif
