/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Float width conversions with integer arithmetic only, so that Cortex-M
 * parts without a double-precision FPU link no soft-float library.
 */
#include "cbor_int.h"

/* Widen a binary format with @p mbits mantissa bits and exponent bias
 * @p bias (sign and exponent above it) to IEEE double bits. */
static uint64_t widen(uint64_t bits, unsigned mbits, unsigned ebits, int bias)
{
    uint64_t sign = (bits >> (mbits + ebits)) & 1u;
    uint64_t mant = bits & (((uint64_t)1 << mbits) - 1u);
    unsigned exp = (unsigned)(bits >> mbits) & ((1u << ebits) - 1u);
    int e;

    if (exp == (1u << ebits) - 1u) /* infinity or NaN: keep the payload */
        return sign << 63 | (uint64_t)0x7ff << 52 | mant << (52 - mbits);
    if (exp == 0) {
        if (mant == 0)
            return sign << 63;
        /* subnormal in the narrow format: normalise, it is normal as double */
        e = 1 - bias;
        while (!(mant & ((uint64_t)1 << mbits))) {
            mant <<= 1;
            e--;
        }
        mant &= ((uint64_t)1 << mbits) - 1u;
    } else {
        e = (int)exp - bias;
    }
    return sign << 63 | (uint64_t)(e + 1023) << 52 | mant << (52 - mbits);
}

/* see iotsec/cbor.h */
uint64_t iotsec_cbor_float_to_double_bits(uint64_t bits, unsigned size)
{
    if (size == 2)
        return widen(bits, 10, 5, 15);
    if (size == 4)
        return widen(bits, 23, 8, 127);
    return bits;
}

/*
 * Narrow double (sign, unbiased exponent @p e, 53-bit significand @p sig)
 * to a format with @p mbits mantissa bits and exponents emin..emax, if
 * exact. Returns false when the value would lose bits or range.
 */
static bool narrow(uint64_t sign, int e, uint64_t sig, unsigned mbits, unsigned ebits, int emin,
                   int emax, uint64_t *out)
{
    unsigned shift;
    uint64_t field;

    if (e > emax)
        return false;
    if (e >= emin) {
        shift = 52 - mbits;
        field = (uint64_t)(e - emin + 1) << mbits | ((sig >> shift) & (((uint64_t)1 << mbits) - 1u));
    } else {
        /* subnormal: the significand shifts right by the exponent deficit */
        if (emin - e > (int)mbits)
            return false;
        shift = 52 - mbits + (unsigned)(emin - e);
        field = sig >> shift;
    }
    if (sig & (((uint64_t)1 << shift) - 1u))
        return false;
    *out = sign << (mbits + ebits) | field;
    return true;
}

/* see iotsec/cbor.h */
unsigned iotsec_cbor_float_shortest(uint64_t dbits, uint64_t *out)
{
    uint64_t sign = dbits >> 63;
    unsigned exp = (unsigned)(dbits >> 52) & 0x7ffu;
    uint64_t mant = dbits & (((uint64_t)1 << 52) - 1u);
    int e;

    if (exp == 0x7ff) {
        /* infinity, or NaN whose payload survives the narrowing */
        if ((mant & (((uint64_t)1 << 42) - 1u)) == 0) {
            *out = sign << 15 | 0x7c00u | mant >> 42;
            return 2;
        }
        if ((mant & (((uint64_t)1 << 29) - 1u)) == 0) {
            *out = sign << 31 | 0x7f800000u | mant >> 29;
            return 4;
        }
        *out = dbits;
        return 8;
    }
    if (exp == 0) {
        if (mant == 0) {
            *out = sign << 15;
            return 2;
        }
        *out = dbits; /* double subnormals are far below single range */
        return 8;
    }
    e = (int)exp - 1023;
    mant |= (uint64_t)1 << 52;
    if (narrow(sign, e, mant, 10, 5, -14, 15, out))
        return 2;
    if (narrow(sign, e, mant, 23, 8, -126, 127, out))
        return 4;
    *out = dbits;
    return 8;
}
