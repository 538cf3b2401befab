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

/*
 * Narrow a float given as sign, unbiased exponent @p e (or @p special for
 * infinity and NaN), and mantissa as two 32-bit words @p mhi:@p mlo holding
 * @p mbits bits, to a format with @p tmb mantissa bits and exponent bias
 * @p tbias. 32-bit arithmetic only: Thumb has no cheap 64-bit shifts.
 */
static bool narrow32(uint32_t sign, int e, bool special, uint32_t mhi, uint32_t mlo,
                     unsigned mbits, unsigned tmb, int tbias, uint32_t *out)
{
    unsigned drop = mbits - tmb, i;
    uint32_t lost = 0;

    if (!special) {
        if (e > tbias)
            return false;
        if (e < 1 - tbias) {
            /* subnormal in the narrower format: the implicit bit shifts in */
            drop += (unsigned)(1 - tbias - e);
            if (drop > mbits)
                return false;
            if (mbits > 32)
                mhi |= 1u << (mbits - 32);
            else
                mlo |= 1u << mbits;
            e = -tbias;
        }
    }
    /* shift mhi:mlo right by drop, collecting what falls off */
    for (i = 0; i < drop; i++) {
        lost |= mlo & 1u;
        mlo = mlo >> 1 | mhi << 31;
        mhi >>= 1;
    }
    if (lost)
        return false;
    /* exponent field: all ones for infinity and NaN, else rebiased */
    *out = sign << (tmb + (tmb == 10 ? 5u : 8u)) |
           (special ? (uint32_t)(2 * tbias + 1) : (uint32_t)(e + tbias)) << tmb | mlo;
    return true;
}

/* see cbor_int.h */
bool iotsec_cbor_float_narrow(uint64_t bits, unsigned n, uint64_t *out)
{
    uint32_t hi = (uint32_t)(bits >> 32), lo = (uint32_t)bits, res;
    uint32_t sign, mhi, mlo;
    unsigned exp;
    bool ok;

    if (n == 8) {
        sign = hi >> 31;
        exp = hi >> 20 & 0x7ffu;
        mhi = hi & 0xfffffu;
        mlo = lo;
        if (exp == 0) {
            if (mhi | mlo)
                return false;
            res = sign << 31;
            ok = true;
        } else {
            ok = narrow32(sign, (int)exp - 1023, exp == 0x7ff, mhi, mlo, 52, 23, 127, &res);
        }
    } else {
        sign = lo >> 31;
        exp = lo >> 23 & 0xffu;
        mlo = lo & 0x7fffffu;
        if (exp == 0) {
            if (mlo)
                return false;
            res = sign << 15;
            ok = true;
        } else {
            ok = narrow32(sign, (int)exp - 127, exp == 0xff, 0, mlo, 23, 10, 15, &res);
        }
    }
    if (ok && out != NULL)
        *out = res;
    return ok;
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
