/* SPDX-License-Identifier: Apache-2.0 */
/* A generic walker that re-encodes a decoded item through the public pull
 * and encode APIs. Tests and fuzz targets use it as an oracle: for
 * deterministic input, the copy must equal the input byte for byte. */
#ifndef IOTSEC_TEST_CBOR_COPY_H
#define IOTSEC_TEST_CBOR_COPY_H

#include "iotsec/cbor.h"

/* Copy every item left under @p d into @p e. Floats keep their encoded
 * width when @p keep_float_width, else go through the preferred encoder.
 * Indefinite lengths are kept. Returns IOTSEC_OK or the first decode error. */
enum iotsec_err cbor_copy(const struct iotsec_cbor_dec *d, struct iotsec_cbor_enc *e,
                          int keep_float_width);

#endif
