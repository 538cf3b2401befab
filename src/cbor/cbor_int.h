/* SPDX-License-Identifier: Apache-2.0 */
/* Private helpers shared by the CBOR decoder, encoder and diagnostic printer. */
#ifndef IOTSEC_CBOR_INT_H
#define IOTSEC_CBOR_INT_H

#include <string.h>

#include "iotsec/cbor.h"

#define CBOR_BREAK 0xffu

/* Branch hint for the rare paths of the hot loops (layout only, never behaviour). */
#if defined(__GNUC__) || defined(__clang__)
#define CBOR_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define CBOR_UNLIKELY(x) (x)
#endif

/* For the few-instruction tests that cost less inline than as a call,
 * which -Os would otherwise keep out of line. */
#if defined(__GNUC__) || defined(__clang__)
#define CBOR_INLINE static inline __attribute__((always_inline))
#else
#define CBOR_INLINE static inline
#endif

/*
 * Read the head at @p p of input that has already been validated, so no
 * bounds or reserved-value checks are needed. *arg gets the argument
 * (for additional information 31, IOTSEC_CBOR_INDEFINITE). Returns the
 * first byte after the head.
 */
const uint8_t *iotsec_cbor_head(const uint8_t *p, uint64_t *arg);

/*
 * The argument of a head whose additional information @p ai is 24..27, from
 * its bytes at @p p (just after the initial byte), which are known to be
 * there. Returns the first byte after them.
 */
static inline const uint8_t *cbor_head_arg(const uint8_t *p, unsigned ai, uint64_t *arg)
{
#if defined(__OPTIMIZE_SIZE__)
    /* Built for size (-Os): every caller shares the one compact copy. */
    (void)ai;
    return iotsec_cbor_head(p - 1, arg);
#else
    /* Built for speed: unrolled and inlined where the decoder is hot. */
    switch (ai) {
    case 24:
        *arg = p[0];
        return p + 1;
    case 25:
        *arg = (uint64_t)p[0] << 8 | p[1];
        return p + 2;
    case 26:
        *arg = (uint64_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
        return p + 4;
    default:
        *arg = (uint64_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3])
                   << 32 |
               ((uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7]);
        return p + 8;
    }
#endif
}

/* iotsec_cbor_head() for a caller that already has the additional
 * information @p ai of the initial byte at @p p. */
static inline const uint8_t *cbor_head_ai(const uint8_t *p, unsigned ai, uint64_t *arg)
{
#if defined(__OPTIMIZE_SIZE__)
    (void)ai;
    return iotsec_cbor_head(p, arg);
#else
    if (ai < 24) {
        *arg = ai;
        return p + 1;
    }
    if (ai == 31) {
        *arg = IOTSEC_CBOR_INDEFINITE;
        return p + 1;
    }
    return cbor_head_arg(p + 1, ai, arg);
#endif
}

/* iotsec_cbor_head(), inlined where built for speed. */
static inline const uint8_t *cbor_head(const uint8_t *p, uint64_t *arg)
{
    return cbor_head_ai(p, p[0] & 31u, arg);
}

/*
 * Narrow the float of @p n bytes (4 or 8) with raw bits @p bits to the next
 * smaller width if that keeps the value exactly (NaN payloads included);
 * the narrowed bits go to @p out (may be NULL). Returns false otherwise.
 */
bool iotsec_cbor_float_narrow(uint64_t bits, unsigned n, uint64_t *out);

/* Skip one whole item of validated input. */
const uint8_t *iotsec_cbor_skip_item(const uint8_t *p);

/* Is [p, p + n) valid UTF-8? Short ASCII strings are the common case:
 * when built for speed, OR the bytes together a word at a time (two
 * overlapping loads cover any length from 4 to 16) and look at bit 7
 * before running the full decoder. */
static inline bool cbor_text_ok(const uint8_t *p, size_t n)
{
#if defined(__OPTIMIZE_SIZE__)
    return iotsec_utf8_valid(p, n);
#else
    uint64_t acc;

    if (n > 16) {
        return iotsec_utf8_valid(p, n);
    } else if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, p, 8);
        memcpy(&b, p + n - 8, 8);
        acc = a | b;
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + n - 4, 4);
        acc = a | b;
    } else if (n > 0) {
        acc = (uint64_t)(p[0] | p[n / 2] | p[n - 1]); /* covers every byte of 1 to 3 */
    } else {
        return true;
    }
    return (acc & 0x8080808080808080u) == 0 || iotsec_utf8_valid(p, n);
#endif
}

#if !defined(__OPTIMIZE_SIZE__)
/* Built for speed: the general validation loop of validate.c alone, for
 * whatever the fast scanner does not prove valid (iotsec_cbor_dec_init()
 * is the scanner, then this). */
enum iotsec_err cbor_validate(struct iotsec_cbor_dec *d, const uint8_t *buf, size_t len,
                              unsigned flags, size_t *err_off);
#endif

/* Built for speed with a compiler that has labels as values (GCC, clang):
 * the fast scanner of scan.c. */
#if !defined(__OPTIMIZE_SIZE__) && (defined(__GNUC__) || defined(__clang__))
#define CBOR_SCAN 1
/* Is @p buf (@p len bytes) one item that the fast scanner proves valid in
 * the default mode? false says nothing: the general validator decides. */
bool cbor_scan_valid(const uint8_t *buf, size_t len);
#else
#define CBOR_SCAN 0
#endif

#endif
