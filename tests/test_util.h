/* SPDX-License-Identifier: Apache-2.0 */
/* Minimal test harness: every check counts, failures print file:line and
 * the expression, and test_summary() prints "N passed, N failed" and
 * returns the process exit status. */
#ifndef IOTSEC_TEST_UTIL_H
#define IOTSEC_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

extern unsigned test_passed, test_failed;

void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int test_summary(void);

/** Decode a hex string (whitespace allowed) into out; returns length or (size_t)-1. */
size_t test_unhex(const char *hex, uint8_t *out, size_t cap);
/** Format bytes as lowercase hex into a static buffer (for messages). */
const char *test_hex(const uint8_t *p, size_t len);
/** Read a whole file into a malloc'd buffer (NUL-terminated); NULL on error. */
uint8_t *test_read_file(const char *path, size_t *len);
/** Path of a file below the shared vectors directory ($IOTSEC_SHARED or ../shared). */
const char *test_shared_path(const char *rel);

#define CHECK(cond)                                                  \
    do {                                                             \
        if (cond)                                                    \
            test_passed++;                                           \
        else                                                         \
            test_fail(__FILE__, __LINE__, "%s", #cond);              \
    } while (0)

#define CHECK_MSG(cond, ...)                                         \
    do {                                                             \
        if (cond)                                                    \
            test_passed++;                                           \
        else                                                         \
            test_fail(__FILE__, __LINE__, __VA_ARGS__);              \
    } while (0)

#define CHECK_ERR(expr, want)                                                     \
    do {                                                                          \
        int got_ = (int)(expr);                                                   \
        if (got_ == (int)(want))                                                  \
            test_passed++;                                                        \
        else                                                                      \
            test_fail(__FILE__, __LINE__, "%s returned %d, want %d (%s)", #expr,  \
                      got_, (int)(want), #want);                                  \
    } while (0)

#define CHECK_MEM(a, alen, b, blen)                                               \
    do {                                                                          \
        size_t al_ = (alen), bl_ = (blen);                                        \
        if (al_ == bl_ && memcmp((a), (b), al_) == 0)                             \
            test_passed++;                                                        \
        else {                                                                    \
            test_fail(__FILE__, __LINE__, "%s (%zu bytes) != %s (%zu bytes)", #a, \
                      al_, #b, bl_);                                              \
            fprintf(stderr, "   got  %s\n", test_hex((const uint8_t *)(a), al_)); \
            fprintf(stderr, "   want %s\n", test_hex((const uint8_t *)(b), bl_)); \
        }                                                                         \
    } while (0)

#endif
