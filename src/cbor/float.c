/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Float width conversions with integer arithmetic only, so that Cortex-M
 * parts without a double-precision FPU link no soft-float library. One
 * table-free description of the three IEEE 754 binary formats keeps the
 * code small.
 */
#include "cbor_int.h"

/* mantissa bits, exponent bits and exponent bias of the formats by size 2, 4, 8 */
#define MBITS(n) ((n) == 2 ? 10u : (n) == 4 ? 23u : 52u)
#define EBITS(n) ((n) == 2 ? 5u : (n) == 4 ? 8u : 11u)
#define BIAS(n) ((int)(1u << (EBITS(n) - 1)) - 1)

/* see cbor_int.h */
bool iotsec_cbor_float_narrow(uint64_t bits, unsigned n, uint64_t *out)
{
    /* 32-bit arithmetic only: Thumb has no cheap 64-bit shifts. The word
     * with the sign and exponent is hi; the mantissa is mhi:mlo. */
    const bool dbl = n == 8;
    const uint32_t hi = dbl ? (uint32_t)(bits >> 32) : (uint32_t)bits;
    const unsigned hmb = dbl ? 20u : 23u;         /* mantissa bits in hi */
    const unsigned mbits = dbl ? 52u : 23u;       /* mantissa bits in all */
    const unsigned tmb = dbl ? 23u : 10u;         /* ... of the narrower format */
    const int bias = dbl ? 1023 : 127, tbias = dbl ? 127 : 15;
    const unsigned exp = (hi << 1) >> (hmb + 1); /* biased exponent field */
    uint32_t mhi = dbl ? hi & 0xfffffu : 0, mlo = dbl ? (uint32_t)bits : hi & 0x7fffffu;
    uint32_t lost = 0, texp;
    unsigned drop = mbits - tmb;
    int e = (int)exp - bias;

    if (exp == (unsigned)(2 * bias + 1)) {
        texp = (uint32_t)(2 * tbias + 1); /* infinity or NaN: the payload must fit */
    } else if (exp == 0) {
        if (mhi | mlo)
            return false; /* a subnormal is below the narrower format's range */
        texp = 0;         /* signed zero */
    } else if (e > tbias) {
        return false;
    } else if (e >= 1 - tbias) {
        texp = (uint32_t)(e + tbias);
    } else {
        /* subnormal in the narrower format: the implicit bit shifts in */
        drop += (unsigned)(1 - tbias - e);
        if (drop > mbits)
            return false;
        if (dbl)
            mhi |= 1u << 20;
        else
            mlo |= 1u << 23;
        texp = 0;
    }
    /* shift mhi:mlo right by drop, collecting what falls off */
    while (drop-- > 0) {
        lost |= mlo & 1u;
        mlo = mlo >> 1 | mhi << 31;
        mhi >>= 1;
    }
    if (lost)
        return false;
    if (out != NULL)
        *out = (hi >> 31) << (tmb + (dbl ? 8u : 5u)) | texp << tmb | mlo;
    return true;
}

/* see iotsec/cbor.h */
uint64_t iotsec_cbor_float_to_double_bits(uint64_t bits, unsigned size)
{
    const unsigned mb = MBITS(size), eb = EBITS(size);
    const uint64_t sign = bits >> (mb + eb) & 1u;
    uint64_t mant = bits & (((uint64_t)1 << mb) - 1u);
    const unsigned emax = (1u << eb) - 1u;
    const unsigned exp = (unsigned)(bits >> mb) & emax;
    int e;

    if (size == 8)
        return bits;
    if (exp == emax) /* infinity or NaN: keep the payload */
        return sign << 63 | (uint64_t)0x7ff << 52 | mant << (52 - mb);
    if (exp == 0) {
        if (mant == 0)
            return sign << 63;
        /* a narrow subnormal is normal as a double: normalise */
        e = 1 - BIAS(size);
        while (!(mant & ((uint64_t)1 << mb))) {
            mant <<= 1;
            e--;
        }
        mant &= ((uint64_t)1 << mb) - 1u;
    } else {
        e = (int)exp - BIAS(size);
    }
    return sign << 63 | (uint64_t)(e + 1023) << 52 | mant << (52 - mb);
}

/* see iotsec/cbor.h */
unsigned iotsec_cbor_float_shortest(uint64_t dbits, uint64_t *out)
{
    unsigned n = 8;

    *out = dbits;
    while (n > 2 && iotsec_cbor_float_narrow(*out, n, out))
        n /= 2;
    return n;
}
