/* SPDX-License-Identifier: Apache-2.0 */
#include "test_util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

unsigned test_passed, test_failed;

void test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    test_failed++;
    fprintf(stderr, "FAIL %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int test_summary(void)
{
    printf("%u passed, %u failed\n", test_passed, test_failed);
    return test_failed == 0 && test_passed > 0 ? 0 : 1;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t test_unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;

    for (; *hex; hex++) {
        int v;
        if (*hex == ' ' || *hex == '\n' || *hex == '\t' || *hex == ':')
            continue;
        v = hexval((unsigned char)*hex);
        if (v < 0)
            return (size_t)-1;
        if (hi < 0) {
            hi = v;
        } else {
            if (n >= cap)
                return (size_t)-1;
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return hi < 0 ? n : (size_t)-1;
}

const char *test_hex(const uint8_t *p, size_t len)
{
    static char buf[4096];
    size_t i, n = 0;

    buf[0] = '\0';
    for (i = 0; i < len && n + 3 < sizeof(buf); i++)
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%02x", p[i]);
    if (i < len)
        snprintf(buf + n, sizeof(buf) - n, "...");
    return buf;
}

uint8_t *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long sz;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto out;
    buf = malloc((size_t)sz + 1);
    if (buf == NULL)
        goto out;
    if (fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
        free(buf);
        buf = NULL;
        goto out;
    }
    buf[sz] = 0;
    *len = (size_t)sz;
out:
    fclose(f);
    return buf;
}

const char *test_shared_path(const char *rel)
{
    static char path[1024];
    const char *base = getenv("IOTSEC_SHARED");

    snprintf(path, sizeof(path), "%s/%s", base && *base ? base : "../shared", rel);
    return path;
}
