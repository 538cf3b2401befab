/* SPDX-License-Identifier: Apache-2.0 */
/* CBOR codec: RFC 8949 Appendix A and F, strictness, deterministic mode,
 * the pull API, the encoder, and property tests over random documents. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cbor_copy.h"
#include "iotsec/cbor.h"
#include "test_util.h"

static uint8_t g_in[70000];

/* Validate hex input; return the error and the offset. */
static enum iotsec_err check_hex(const char *hex, unsigned flags, size_t *off)
{
    struct iotsec_cbor_dec d;
    size_t n = test_unhex(hex, g_in, sizeof(g_in));

    if (n == (size_t)-1) {
        fprintf(stderr, "bad hex in test: %s\n", hex);
        exit(2);
    }
    return iotsec_cbor_dec_init(&d, g_in, n, flags, off);
}

#define EXPECT(hex, flags, want)                                                   \
    do {                                                                           \
        size_t off_;                                                               \
        enum iotsec_err e_ = check_hex(hex, flags, &off_);                         \
        CHECK_MSG(e_ == (want), "%s (flags %u): got %d (%s), want %d (%s)", hex,   \
                  (unsigned)(flags), e_, iotsec_err_str(e_), (int)(want),          \
                  iotsec_err_str(want));                                           \
    } while (0)

/* RFC 8949 Appendix F.1: every example of a not-well-formed data item, with
 * the rule it breaks. */
static const struct {
    const char *hex;
    enum iotsec_err err;
} appendix_f[] = {
    /* end of input in a head */
    {"18", IOTSEC_ERR_CBOR_TRUNCATED}, {"19", IOTSEC_ERR_CBOR_TRUNCATED},
    {"1a", IOTSEC_ERR_CBOR_TRUNCATED}, {"1b", IOTSEC_ERR_CBOR_TRUNCATED},
    {"1901", IOTSEC_ERR_CBOR_TRUNCATED}, {"1a0102", IOTSEC_ERR_CBOR_TRUNCATED},
    {"1b01020304050607", IOTSEC_ERR_CBOR_TRUNCATED}, {"38", IOTSEC_ERR_CBOR_TRUNCATED},
    {"58", IOTSEC_ERR_CBOR_TRUNCATED}, {"78", IOTSEC_ERR_CBOR_TRUNCATED},
    {"98", IOTSEC_ERR_CBOR_TRUNCATED}, {"9a01ff00", IOTSEC_ERR_CBOR_TRUNCATED},
    {"b8", IOTSEC_ERR_CBOR_TRUNCATED}, {"d8", IOTSEC_ERR_CBOR_TRUNCATED},
    {"f8", IOTSEC_ERR_CBOR_TRUNCATED}, {"f900", IOTSEC_ERR_CBOR_TRUNCATED},
    {"fa0000", IOTSEC_ERR_CBOR_TRUNCATED}, {"fb000000", IOTSEC_ERR_CBOR_TRUNCATED},
    /* definite-length strings with short data */
    {"41", IOTSEC_ERR_CBOR_TRUNCATED}, {"61", IOTSEC_ERR_CBOR_TRUNCATED},
    {"5affffffff00", IOTSEC_ERR_CBOR_TRUNCATED},
    {"5bffffffffffffffff010203", IOTSEC_ERR_CBOR_TRUNCATED},
    {"7affffffff00", IOTSEC_ERR_CBOR_TRUNCATED},
    {"7b7fffffffffffffff010203", IOTSEC_ERR_CBOR_TRUNCATED},
    /* definite-length maps and arrays not closed with enough items */
    {"81", IOTSEC_ERR_CBOR_TRUNCATED}, {"818181818181818181", IOTSEC_ERR_CBOR_TRUNCATED},
    {"8200", IOTSEC_ERR_CBOR_TRUNCATED}, {"a1", IOTSEC_ERR_CBOR_TRUNCATED},
    {"a20102", IOTSEC_ERR_CBOR_TRUNCATED}, {"a100", IOTSEC_ERR_CBOR_TRUNCATED},
    /* one pass meets the duplicate key 0 before the end of input */
    {"a2000000", IOTSEC_ERR_CBOR_DUPLICATE_KEY}, {"a2000001", IOTSEC_ERR_CBOR_TRUNCATED},
    /* tag number not followed by tag content */
    {"c0", IOTSEC_ERR_CBOR_TRUNCATED},
    /* indefinite-length strings not closed by a break */
    {"5f4100", IOTSEC_ERR_CBOR_TRUNCATED}, {"7f6100", IOTSEC_ERR_CBOR_TRUNCATED},
    /* indefinite-length maps and arrays not closed by a break */
    {"9f", IOTSEC_ERR_CBOR_TRUNCATED}, {"9f0102", IOTSEC_ERR_CBOR_TRUNCATED},
    {"bf", IOTSEC_ERR_CBOR_TRUNCATED},
    /* the duplicate key 1 comes before the end of input */
    {"bf01020102", IOTSEC_ERR_CBOR_DUPLICATE_KEY}, {"bf01020302", IOTSEC_ERR_CBOR_TRUNCATED},
    {"819f", IOTSEC_ERR_CBOR_TRUNCATED}, {"9f8000", IOTSEC_ERR_CBOR_TRUNCATED},
    {"9f9f9f9f9fffffffff", IOTSEC_ERR_CBOR_TRUNCATED},
    {"9f819f819f9fffffff", IOTSEC_ERR_CBOR_TRUNCATED},
    /* reserved additional information values */
    {"1c", IOTSEC_ERR_CBOR_RESERVED_AI}, {"1d", IOTSEC_ERR_CBOR_RESERVED_AI},
    {"1e", IOTSEC_ERR_CBOR_RESERVED_AI}, {"3c", IOTSEC_ERR_CBOR_RESERVED_AI},
    {"3d", IOTSEC_ERR_CBOR_RESERVED_AI}, {"3e", IOTSEC_ERR_CBOR_RESERVED_AI},
    {"5c", IOTSEC_ERR_CBOR_RESERVED_AI}, {"5d", IOTSEC_ERR_CBOR_RESERVED_AI},
    {"5e", IOTSEC_ERR_CBOR_RESERVED_AI}, {"7c", IOTSEC_ERR_CBOR_RESERVED_AI},
    {"7d", IOTSEC_ERR_CBOR_RESERVED_AI}, {"7e", IOTSEC_ERR_CBOR_RESERVED_AI},
    {"9c", IOTSEC_ERR_CBOR_RESERVED_AI}, {"9d", IOTSEC_ERR_CBOR_RESERVED_AI},
    {"9e", IOTSEC_ERR_CBOR_RESERVED_AI}, {"bc", IOTSEC_ERR_CBOR_RESERVED_AI},
    {"bd", IOTSEC_ERR_CBOR_RESERVED_AI}, {"be", IOTSEC_ERR_CBOR_RESERVED_AI},
    {"dc", IOTSEC_ERR_CBOR_RESERVED_AI}, {"dd", IOTSEC_ERR_CBOR_RESERVED_AI},
    {"de", IOTSEC_ERR_CBOR_RESERVED_AI}, {"fc", IOTSEC_ERR_CBOR_RESERVED_AI},
    {"fd", IOTSEC_ERR_CBOR_RESERVED_AI}, {"fe", IOTSEC_ERR_CBOR_RESERVED_AI},
    /* reserved two-byte encodings of simple values */
    {"f800", IOTSEC_ERR_CBOR_BAD_SIMPLE}, {"f801", IOTSEC_ERR_CBOR_BAD_SIMPLE},
    {"f818", IOTSEC_ERR_CBOR_BAD_SIMPLE}, {"f81f", IOTSEC_ERR_CBOR_BAD_SIMPLE},
    /* indefinite-length string chunks not of the correct type */
    {"5f00ff", IOTSEC_ERR_CBOR_BAD_CHUNK}, {"5f21ff", IOTSEC_ERR_CBOR_BAD_CHUNK},
    {"5f6100ff", IOTSEC_ERR_CBOR_BAD_CHUNK}, {"5f80ff", IOTSEC_ERR_CBOR_BAD_CHUNK},
    {"5fa0ff", IOTSEC_ERR_CBOR_BAD_CHUNK}, {"5fc000ff", IOTSEC_ERR_CBOR_BAD_CHUNK},
    {"5fe0ff", IOTSEC_ERR_CBOR_BAD_CHUNK}, {"7f4100ff", IOTSEC_ERR_CBOR_BAD_CHUNK},
    /* indefinite-length string chunks not definite length */
    {"5f5f4100ffff", IOTSEC_ERR_CBOR_BAD_CHUNK}, {"7f7f6100ffff", IOTSEC_ERR_CBOR_BAD_CHUNK},
    /* break on its own outside an indefinite-length item */
    {"ff", IOTSEC_ERR_CBOR_BAD_BREAK},
    /* break in a definite-length array or map or a tag */
    {"81ff", IOTSEC_ERR_CBOR_BAD_BREAK}, {"8200ff", IOTSEC_ERR_CBOR_BAD_BREAK},
    {"a1ff", IOTSEC_ERR_CBOR_BAD_BREAK}, {"a1ff00", IOTSEC_ERR_CBOR_BAD_BREAK},
    {"a100ff", IOTSEC_ERR_CBOR_BAD_BREAK}, {"a20000ff", IOTSEC_ERR_CBOR_BAD_BREAK},
    {"9f81ff", IOTSEC_ERR_CBOR_BAD_BREAK}, {"9f829f819f9fffffffff", IOTSEC_ERR_CBOR_BAD_BREAK},
    /* break in an indefinite-length map in value position (odd item count) */
    {"bf00ff", IOTSEC_ERR_CBOR_BAD_BREAK},
    /* one pass finds the duplicate key 0 before it reaches the break */
    {"bf000000ff", IOTSEC_ERR_CBOR_DUPLICATE_KEY}, {"bf000102ff", IOTSEC_ERR_CBOR_BAD_BREAK},
    /* major types 0, 1, 6 with additional information 31 */
    {"1f", IOTSEC_ERR_CBOR_BAD_INDEF}, {"3f", IOTSEC_ERR_CBOR_BAD_INDEF},
    {"df", IOTSEC_ERR_CBOR_BAD_INDEF},
};

static void test_appendix_f(void)
{
    size_t i;

    for (i = 0; i < sizeof(appendix_f) / sizeof(appendix_f[0]); i++) {
        EXPECT(appendix_f[i].hex, 0, appendix_f[i].err);
        /* the same input inside a CBOR sequence is no better */
        EXPECT(appendix_f[i].hex, IOTSEC_CBOR_SEQUENCE, appendix_f[i].err);
    }
}

static bool tokens_equal(const struct iotsec_cbor_token *a, const struct iotsec_cbor_token *b,
                         size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (a[i].val != b[i].val || a[i].at != b[i].at || a[i].size != b[i].size ||
            a[i].type != b[i].type || a[i].head != b[i].head)
            return false;
    return true;
}

/* Pull the "hex" and "roundtrip" fields out of appendix_a.json. The file is
 * a flat array of flat objects, so a field scan is enough here; the full
 * JSON checks (diagnostic and decoded values) run in t_cbor_vectors.py. */
static void test_appendix_a(void)
{
    size_t len, n = 0, rt = 0;
    char *json = (char *)test_read_file(test_shared_path("vectors/cbor/appendix_a.json"), &len);
    char *p;

    CHECK_MSG(json != NULL, "cannot read %s", test_shared_path("vectors/cbor/appendix_a.json"));
    if (json == NULL)
        return;
    for (p = strstr(json, "\"hex\""); p != NULL; p = strstr(p + 1, "\"hex\"")) {
        char hex[256];
        char *q = strchr(p + 5, '"'), *r, *obj_end;
        size_t bl, hl;
        int roundtrip;
        struct iotsec_cbor_dec d;
        struct iotsec_cbor_enc e;
        struct iotsec_cbuf out;
        static uint8_t buf[512], buf2[512];
        enum iotsec_err err;
        size_t off;

        r = strchr(q + 1, '"');
        hl = (size_t)(r - q - 1);
        memcpy(hex, q + 1, hl);
        hex[hl] = 0;
        obj_end = strchr(r, '}');
        q = strstr(r, "\"roundtrip\"");
        roundtrip = q != NULL && q < obj_end && strncmp(strchr(q + 11, ':') + 1, " true", 5) == 0;
        bl = test_unhex(hex, buf, sizeof(buf));
        n++;

        err = iotsec_cbor_dec_init(&d, buf, bl, 0, &off);
        if (getenv("TEST_VERBOSE"))
            fprintf(stderr, "A: %s\n", hex);
        if (strcmp(hex, "f818") == 0) {
            /* RFC 8949 3.3 makes this not well-formed (see the vectors' README) */
            CHECK_ERR(err, IOTSEC_ERR_CBOR_BAD_SIMPLE);
            continue;
        }
        CHECK_MSG(err == IOTSEC_OK, "appendix A %s rejected: %s", hex, iotsec_err_str(err));
        if (err != IOTSEC_OK)
            continue;

        /* faithful copy (keeps float widths and indefinite lengths) */
        iotsec_cbor_enc_init(&e, buf2, sizeof(buf2));
        CHECK_ERR(cbor_copy(&d, &e, 1), IOTSEC_OK);
        CHECK_ERR(iotsec_cbor_enc_finish(&e, &out), IOTSEC_OK);
        CHECK_MSG(out.len == bl && memcmp(out.ptr, buf, bl) == 0, "faithful copy of %s differs: %s",
                  hex, test_hex(out.ptr, out.len));

        /* preferred serialization reproduces the round-trip vectors */
        iotsec_cbor_enc_init(&e, buf2, sizeof(buf2));
        CHECK_ERR(cbor_copy(&d, &e, 0), IOTSEC_OK);
        CHECK_ERR(iotsec_cbor_enc_finish(&e, &out), IOTSEC_OK);
        if (roundtrip) {
            rt++;
            CHECK_MSG(out.len == bl && memcmp(out.ptr, buf, bl) == 0,
                      "preferred encoding of %s differs: %s", hex, test_hex(out.ptr, out.len));
        }
        /* size-only mode agrees */
        iotsec_cbor_enc_init(&e, NULL, 0);
        CHECK_ERR(cbor_copy(&d, &e, 1), IOTSEC_OK);
        CHECK(e.len == bl);

        /* the token list, through whichever path takes it, and through the
         * general one (the same bytes as a sequence of one) */
        {
            struct iotsec_cbor_token t1[64], t2[64];
            size_t n1 = 0, n2 = 0;
            CHECK_ERR(iotsec_cbor_tokens(buf, bl, 0, t1, 64, &n1, NULL), IOTSEC_OK);
            CHECK_ERR(iotsec_cbor_tokens(buf, bl, IOTSEC_CBOR_SEQUENCE, t2, 64, &n2, NULL),
                      IOTSEC_OK);
            CHECK_MSG(n1 >= 1 && n1 == n2 && tokens_equal(t1, t2, n1) && t1[0].at == buf &&
                          t1[0].size == (t1[0].type == IOTSEC_CBOR_TAG ? 1 : n1),
                      "appendix A %s: tokens", hex);
        }
    }
    CHECK_MSG(n == 82, "appendix A: %zu vectors, want 82", n);
    CHECK_MSG(rt == 64, "appendix A: %zu round-trip vectors, want 64", rt);
    free(json);
}

static void test_strictness(void)
{
    /* trailing bytes and empty input */
    EXPECT("0000", 0, IOTSEC_ERR_CBOR_TRAILING);
    EXPECT("0000", IOTSEC_CBOR_SEQUENCE, IOTSEC_OK);
    EXPECT("", 0, IOTSEC_ERR_CBOR_EMPTY);
    EXPECT("", IOTSEC_CBOR_SEQUENCE, IOTSEC_OK);
    EXPECT("8100ff", 0, IOTSEC_ERR_CBOR_TRAILING);

    /* UTF-8 (RFC 3629) */
    EXPECT("62c328", 0, IOTSEC_ERR_CBOR_BAD_UTF8);     /* bad continuation */
    EXPECT("63eda080", 0, IOTSEC_ERR_CBOR_BAD_UTF8);   /* surrogate U+D800 */
    EXPECT("62c080", 0, IOTSEC_ERR_CBOR_BAD_UTF8);     /* overlong NUL */
    EXPECT("63e08080", 0, IOTSEC_ERR_CBOR_BAD_UTF8);   /* overlong 3-byte */
    EXPECT("64f0808080", 0, IOTSEC_ERR_CBOR_BAD_UTF8); /* overlong 4-byte */
    EXPECT("64f4908080", 0, IOTSEC_ERR_CBOR_BAD_UTF8); /* above U+10FFFF */
    EXPECT("61f5", 0, IOTSEC_ERR_CBOR_BAD_UTF8);
    EXPECT("6180", 0, IOTSEC_ERR_CBOR_BAD_UTF8);       /* lone continuation */
    EXPECT("62e6b0", 0, IOTSEC_ERR_CBOR_BAD_UTF8);     /* truncated sequence */
    EXPECT("7f61c361bcff", 0, IOTSEC_ERR_CBOR_BAD_UTF8); /* code point split over chunks */
    EXPECT("6c4142434445464748494a4bc3", 0, IOTSEC_ERR_CBOR_BAD_UTF8); /* after the word fast path */
    EXPECT("6e4142434445464748494a4bc3bc", 0, IOTSEC_ERR_CBOR_TRUNCATED);
    EXPECT("6c4142434445464748494ac3bc", 0, IOTSEC_OK);
    EXPECT("6d4142434445464748494a4bc3bc", 0, IOTSEC_OK);
    EXPECT("64f48fbfbf", 0, IOTSEC_OK);                /* U+10FFFF */
    EXPECT("63ed9fbf", 0, IOTSEC_OK);                  /* U+D7FF */
    EXPECT("a1616162c328", 0, IOTSEC_ERR_CBOR_BAD_UTF8); /* in a value */

    /* duplicate keys */
    EXPECT("a201000100", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY);
    EXPECT("a20100180100", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY); /* non-shortest duplicate */
    EXPECT("a3010002000100", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY); /* found by the re-walk */
    EXPECT("a3020001000300", 0, IOTSEC_OK);                   /* unsorted but unique */
    EXPECT("a3030002000100", 0, IOTSEC_OK);
    EXPECT("a3030002000300", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY);
    EXPECT("a2616100616101", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY);
    EXPECT("a2616100 780161 01", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY); /* non-shortest "a" */
    EXPECT("a2810100810100", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY); /* array keys */
    EXPECT("a2a1010200a1010200", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY); /* map keys */
    EXPECT("a2c1010001 00", 0, IOTSEC_OK);                    /* 1(1) and 1 differ */
    EXPECT("81a200000000", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY); /* nested */
    EXPECT("bf01000100ff", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY); /* indefinite map */
    EXPECT("a2f400f400", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY);
    EXPECT("a20000200000", 0, IOTSEC_ERR_CBOR_TRAILING);
    EXPECT("a2000020 00", 0, IOTSEC_OK);                      /* 0 and -1 */
    EXPECT("a2 4100 00 6100 00", 0, IOTSEC_OK);               /* h'00' and "\0" differ */
    /* documented limit: indefinite-length string keys compare by encoding */
    EXPECT("a2616100 7f6161ff 00", 0, IOTSEC_OK);
}

static void test_deterministic(void)
{
    const unsigned det = IOTSEC_CBOR_DETERMINISTIC;

    EXPECT("17", det, IOTSEC_OK);
    EXPECT("1817", det, IOTSEC_ERR_CBOR_NOT_SHORTEST);
    EXPECT("1818", det, IOTSEC_OK);
    EXPECT("1900ff", det, IOTSEC_ERR_CBOR_NOT_SHORTEST);
    EXPECT("190100", det, IOTSEC_OK);
    EXPECT("1a0000ffff", det, IOTSEC_ERR_CBOR_NOT_SHORTEST);
    EXPECT("1b00000000ffffffff", det, IOTSEC_ERR_CBOR_NOT_SHORTEST);
    EXPECT("1b0000000100000000", det, IOTSEC_OK);
    EXPECT("3817", det, IOTSEC_ERR_CBOR_NOT_SHORTEST);
    EXPECT("5800", det, IOTSEC_ERR_CBOR_NOT_SHORTEST);   /* string length */
    EXPECT("9800", det, IOTSEC_ERR_CBOR_NOT_SHORTEST);   /* array count */
    EXPECT("d80100", det, IOTSEC_ERR_CBOR_NOT_SHORTEST); /* tag number */
    EXPECT("d81800", det, IOTSEC_OK);
    EXPECT("1817", 0, IOTSEC_OK);                        /* fine when not asked */
    /* no indefinite lengths */
    EXPECT("9fff", det, IOTSEC_ERR_CBOR_INDEF);
    EXPECT("5fff", det, IOTSEC_ERR_CBOR_INDEF);
    EXPECT("bfff", det, IOTSEC_ERR_CBOR_INDEF);
    /* floats: the shortest form that keeps the value */
    EXPECT("f93c00", det, IOTSEC_OK);
    EXPECT("fa3f800000", det, IOTSEC_ERR_CBOR_NOT_SHORTEST);
    EXPECT("fa3f800000", 0, IOTSEC_OK);
    EXPECT("fb3ff0000000000000", det, IOTSEC_ERR_CBOR_NOT_SHORTEST);
    EXPECT("fb3ff199999999999a", det, IOTSEC_OK);
    EXPECT("fa47c35000", det, IOTSEC_OK);
    EXPECT("fb40f86a0000000000", det, IOTSEC_ERR_CBOR_NOT_SHORTEST); /* 100000.0 as double */
    EXPECT("fa7f800000", det, IOTSEC_ERR_CBOR_NOT_SHORTEST); /* Infinity */
    EXPECT("fb7ff8000000000000", det, IOTSEC_ERR_CBOR_NOT_SHORTEST); /* NaN */
    EXPECT("f97e00", det, IOTSEC_OK);
    EXPECT("fa33800000", det, IOTSEC_ERR_CBOR_NOT_SHORTEST); /* 2^-24: a half subnormal */
    EXPECT("fa33000000", det, IOTSEC_OK);                    /* 2^-25: below half range */
    EXPECT("f90001", det, IOTSEC_OK);
    /* map keys in bytewise lexicographic order of their encodings */
    EXPECT("a201000200", det, IOTSEC_OK);
    EXPECT("a202000100", det, IOTSEC_ERR_CBOR_UNSORTED);
    EXPECT("a201000100", det, IOTSEC_ERR_CBOR_DUPLICATE_KEY);
    EXPECT("a21818002000", det, IOTSEC_OK);       /* 24 < -1: 0x18 < 0x20 */
    EXPECT("a22000181800", det, IOTSEC_ERR_CBOR_UNSORTED);
    EXPECT("a2616100626161 00", det, IOTSEC_OK);  /* "a" < "aa" */
    EXPECT("a277616161616161616161616161616161616161616161616100781861616161616161616161616161616161616161616161616100",
           det, IOTSEC_OK);                       /* length 23 < length 24 */
    EXPECT("a2 0a 00 6161 00", det, IOTSEC_OK);
    EXPECT("a2 6161 00 0a 00", det, IOTSEC_ERR_CBOR_UNSORTED);
    EXPECT("a2 8101 00 a0 00", det, IOTSEC_OK);
}

static void test_limits(void)
{
    static uint8_t buf[8192];
    struct iotsec_cbor_dec d;
    size_t i, n, off;

    /* nesting: IOTSEC_MAX_CBOR_DEPTH arrays are fine, one more is not */
    for (i = 0; i < IOTSEC_MAX_CBOR_DEPTH; i++)
        buf[i] = 0x81;
    buf[i] = 0x00;
    CHECK_ERR(iotsec_cbor_dec_init(&d, buf, IOTSEC_MAX_CBOR_DEPTH + 1, 0, &off), IOTSEC_OK);
    for (i = 0; i <= IOTSEC_MAX_CBOR_DEPTH; i++)
        buf[i] = 0x9f;
    buf[i] = 0x00;
    CHECK_ERR(iotsec_cbor_dec_init(&d, buf, IOTSEC_MAX_CBOR_DEPTH + 2, 0, &off), IOTSEC_ERR_TOO_DEEP);
    CHECK(off == IOTSEC_MAX_CBOR_DEPTH);
    /* tags do not nest frames: a long chain of tags is fine */
    for (i = 0; i < 1000; i++)
        buf[i] = 0xc1;
    buf[i] = 0x00;
    CHECK_ERR(iotsec_cbor_dec_init(&d, buf, 1001, 0, &off), IOTSEC_OK);

    /* unsorted maps: duplicate checks are bounded */
    for (n = IOTSEC_MAX_CBOR_UNSORTED; n <= IOTSEC_MAX_CBOR_UNSORTED + 1; n++) {
        size_t len = 0;
        buf[len++] = 0xb9;
        buf[len++] = (uint8_t)((n + 1) >> 8);
        buf[len++] = (uint8_t)(n + 1);
        /* key n+1 first, then 1..n: every later key is below the maximum */
        buf[len++] = 0x19;
        buf[len++] = (uint8_t)((n + 1) >> 8);
        buf[len++] = (uint8_t)(n + 1);
        buf[len++] = 0x00;
        for (i = 1; i <= n; i++) {
            buf[len++] = 0x19;
            buf[len++] = (uint8_t)(i >> 8);
            buf[len++] = (uint8_t)i;
            buf[len++] = 0xf6;
        }
        CHECK_ERR(iotsec_cbor_dec_init(&d, buf, len, 0, &off),
                  n == IOTSEC_MAX_CBOR_UNSORTED ? IOTSEC_OK : IOTSEC_ERR_LIMIT);
    }
}

static void test_offsets(void)
{
    size_t off = 99;

    CHECK_ERR(check_hex("83 01 02 1c", 0, &off), IOTSEC_ERR_CBOR_RESERVED_AI);
    CHECK(off == 3);
    CHECK_ERR(check_hex("a2 01 00 02 61 ff", 0, &off), IOTSEC_ERR_CBOR_BAD_UTF8);
    CHECK(off == 4);
    CHECK_ERR(check_hex("a2 02 00 02 00", 0, &off), IOTSEC_ERR_CBOR_DUPLICATE_KEY);
    CHECK(off == 3);
    CHECK_ERR(check_hex("a2 81 02 00 81 02 00", 0, &off), IOTSEC_ERR_CBOR_DUPLICATE_KEY);
    CHECK(off == 4);
    CHECK_ERR(check_hex("01 02", 0, &off), IOTSEC_ERR_CBOR_TRAILING);
    CHECK(off == 1);
    CHECK_ERR(check_hex("82 01 58 10 00", 0, &off), IOTSEC_ERR_CBOR_TRUNCATED);
    CHECK(off == 2);
}

/* Indefinite-length strings (their chunks are read without a frame of
 * their own), keys that are not plain integers or strings, and the error
 * offsets of both. */
static void test_chunks_and_keys(void)
{
    static const struct {
        const char *hex;
        unsigned flags;
        enum iotsec_err err;
        size_t off;
    } v[] = {
        {"5f 41 00 5c ff", 0, IOTSEC_ERR_CBOR_RESERVED_AI, 3}, /* reserved chunk head */
        {"5f 42 00", 0, IOTSEC_ERR_CBOR_TRUNCATED, 1},          /* chunk runs past the end */
        {"5f 41 00", 0, IOTSEC_ERR_CBOR_TRUNCATED, 3},          /* no break */
        {"7f 61 80 ff", 0, IOTSEC_ERR_CBOR_BAD_UTF8, 1},
        {"5f 41 00 ff 00", 0, IOTSEC_ERR_CBOR_TRAILING, 4},
        {"a1 5f ff", 0, IOTSEC_ERR_CBOR_TRUNCATED, 3},          /* string key, no value */
        {"a1 00 5f ff", 0, IOTSEC_OK, 0},
        {"82 5f ff", 0, IOTSEC_ERR_CBOR_TRUNCATED, 3},
        {"9f 5f 41 00 ff ff", 0, IOTSEC_OK, 0},
        {"a2 6161 00 5f 41 00 ff 00", 0, IOTSEC_OK, 0},
        /* indefinite-length string keys compare by their encoding */
        {"a2 7f 61 61 ff 00 7f 61 61 ff 00", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY, 6},
        {"a2 c1 7f 61 61 ff 00 c1 7f 61 61 ff 00", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY, 7},
        {"bf 5f ff 00 5f ff 00 ff", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY, 4},
        /* tagged keys compare by their encoding, tags included */
        {"a2 c1 01 00 c1 01 00", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY, 5},
        {"a2 c2 05 00 c1 05 00", 0, IOTSEC_OK, 0},
        {"a2 c2 05 00 c1 07 00", IOTSEC_CBOR_DETERMINISTIC, IOTSEC_ERR_CBOR_UNSORTED, 5},
        /* a first key of one kind, then keys of others */
        {"a2 f4 00 01 00", 0, IOTSEC_OK, 0},
        {"a2 f4 00 01 00", IOTSEC_CBOR_DETERMINISTIC, IOTSEC_ERR_CBOR_UNSORTED, 3},
        {"a2 01 00 f4 00", IOTSEC_CBOR_DETERMINISTIC, IOTSEC_OK, 0},
        {"a3 f5 00 01 00 f5 00", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY, 5},
    };
    static uint8_t buf[IOTSEC_MAX_CBOR_DEPTH + 4];
    struct iotsec_cbor_dec d;
    size_t i, n, off;

    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        off = 99;
        CHECK_ERR(check_hex(v[i].hex, v[i].flags, &off), v[i].err);
        CHECK_MSG(off == v[i].off, "%s: offset %zu, expected %zu", v[i].hex, off, v[i].off);
    }
    /* an indefinite-length string nests like a container for the depth limit */
    for (n = IOTSEC_MAX_CBOR_DEPTH - 1; n <= IOTSEC_MAX_CBOR_DEPTH; n++) {
        for (i = 0; i < n; i++)
            buf[i] = 0x81;
        memcpy(buf + n, "\x5f\x41\x00\xff", 4);
        off = 99;
        CHECK_ERR(iotsec_cbor_dec_init(&d, buf, n + 4, 0, &off),
                  n < IOTSEC_MAX_CBOR_DEPTH ? IOTSEC_OK : IOTSEC_ERR_TOO_DEEP);
        CHECK(off == (n < IOTSEC_MAX_CBOR_DEPTH ? 0 : n));
    }
}

static void test_pull_api(void)
{
    /* {1: -7, 4: h'6b6964', "t": [1, "x", true, null, 1.5, (_ h'01', h'02')], -2: 24(h'a0')} */
    const char *hex = "a4 01 26 04 43 6b6964 61 74 86 01 61 78 f5 f6 f9 3e00 5f 41 01 41 02 ff"
                      " 21 d8 18 41 a0";
    struct iotsec_cbor_dec d, m, a, s, vals[4], v;
    struct iotsec_cbuf b;
    size_t n = test_unhex(hex, g_in, sizeof(g_in)), count;
    int64_t labels[4] = {1, 4, -2, 99}, iv;
    uint64_t uv;
    bool bv;
    uint8_t sv;
    double dv;

    CHECK_ERR(iotsec_cbor_dec_init(&d, g_in, n, 0, NULL), IOTSEC_OK);
    CHECK(iotsec_cbor_peek_type(&d) == IOTSEC_CBOR_MAP);
    CHECK_ERR(iotsec_cbor_get_uint(&d, &uv), IOTSEC_ERR_CBOR_TYPE);
    CHECK_ERR(iotsec_cbor_enter_map(&d, &m, &count), IOTSEC_OK);
    CHECK(count == 4);

    /* by-label lookups without consuming */
    CHECK_ERR(iotsec_cbor_map_find_int(&m, 4, &v), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_bstr(&v, &b), IOTSEC_OK);
    CHECK_MEM(b.ptr, b.len, "kid", 3);
    CHECK(iotsec_cbor_at_end(&v));
    CHECK_ERR(iotsec_cbor_map_find_int(&m, 5, &v), IOTSEC_ERR_NOT_FOUND);
    CHECK_ERR(iotsec_cbor_map_find_tstr(&m, "t", 1, &v), IOTSEC_OK);
    CHECK(iotsec_cbor_peek_type(&v) == IOTSEC_CBOR_ARRAY);
    CHECK_ERR(iotsec_cbor_map_find_tstr(&m, "u", 1, &v), IOTSEC_ERR_NOT_FOUND);

    /* walk the entries */
    CHECK_ERR(iotsec_cbor_get_int(&m, &iv), IOTSEC_OK);
    CHECK(iv == 1);
    CHECK_ERR(iotsec_cbor_get_int(&m, &iv), IOTSEC_OK);
    CHECK(iv == -7);
    CHECK_ERR(iotsec_cbor_skip(&m), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_span(&m, &b), IOTSEC_OK);
    CHECK_MEM(b.ptr, b.len, "\x43kid", 4);
    CHECK_ERR(iotsec_cbor_get_tstr(&m, &b), IOTSEC_OK);
    CHECK_MEM(b.ptr, b.len, "t", 1);
    CHECK_ERR(iotsec_cbor_enter_array(&m, &a, &count), IOTSEC_OK);
    CHECK(count == 6);
    CHECK_ERR(iotsec_cbor_leave(&m, &a), IOTSEC_ERR_CBOR_EXTRA_ITEMS);
    CHECK_ERR(iotsec_cbor_get_uint(&a, &uv), IOTSEC_OK);
    CHECK(uv == 1);
    CHECK_ERR(iotsec_cbor_get_bstr(&a, &b), IOTSEC_ERR_CBOR_TYPE);
    CHECK_ERR(iotsec_cbor_get_tstr(&a, &b), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_bool(&a, &bv), IOTSEC_OK);
    CHECK(bv);
    CHECK_ERR(iotsec_cbor_get_bool(&a, &bv), IOTSEC_ERR_CBOR_TYPE);
    CHECK_ERR(iotsec_cbor_get_simple(&a, &sv), IOTSEC_OK);
    CHECK(sv == IOTSEC_CBOR_NULL);
    CHECK_ERR(iotsec_cbor_get_simple(&a, &sv), IOTSEC_ERR_CBOR_TYPE);
    CHECK_ERR(iotsec_cbor_get_double(&a, &dv), IOTSEC_OK);
    CHECK(dv == 1.5);
    CHECK_ERR(iotsec_cbor_get_bstr(&a, &b), IOTSEC_ERR_CBOR_TYPE); /* indefinite */
    CHECK_ERR(iotsec_cbor_enter_string(&a, &s), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_bstr(&s, &b), IOTSEC_OK);
    CHECK_MEM(b.ptr, b.len, "\x01", 1);
    CHECK_ERR(iotsec_cbor_get_bstr(&s, &b), IOTSEC_OK);
    CHECK_MEM(b.ptr, b.len, "\x02", 1);
    CHECK_ERR(iotsec_cbor_get_bstr(&s, &b), IOTSEC_ERR_CBOR_END);
    CHECK_ERR(iotsec_cbor_leave(&a, &s), IOTSEC_OK);
    CHECK(iotsec_cbor_at_end(&a));
    CHECK_ERR(iotsec_cbor_leave(&m, &a), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_int(&m, &iv), IOTSEC_OK);
    CHECK(iv == -2);
    CHECK(!iotsec_cbor_skip_tag(&m, 25));
    CHECK(iotsec_cbor_skip_tag(&m, 24));
    CHECK_ERR(iotsec_cbor_get_bstr(&m, &b), IOTSEC_OK);
    CHECK_MEM(b.ptr, b.len, "\xa0", 1);
    CHECK(iotsec_cbor_at_end(&m));
    CHECK_ERR(iotsec_cbor_get_int(&m, &iv), IOTSEC_ERR_CBOR_END);
    CHECK_ERR(iotsec_cbor_leave(&d, &m), IOTSEC_OK);
    CHECK(iotsec_cbor_at_end(&d));

    /* one-pass multi-label lookup */
    CHECK_ERR(iotsec_cbor_dec_init(&d, g_in, n, 0, NULL), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_enter_map(&d, &m, NULL), IOTSEC_OK);
    CHECK(iotsec_cbor_map_find_ints(&m, labels, 4, vals) == 1); /* "t" is not asked for */
    CHECK(iotsec_cbor_at_end(&m));
    CHECK(vals[0].p != NULL && vals[1].p != NULL && vals[2].p != NULL && vals[3].p == NULL);
    CHECK_ERR(iotsec_cbor_get_int(&vals[0], &iv), IOTSEC_OK);
    CHECK(iv == -7);
    CHECK_ERR(iotsec_cbor_get_tag(&vals[2], &uv), IOTSEC_OK);
    CHECK(uv == 24);
    CHECK_ERR(iotsec_cbor_leave(&d, &m), IOTSEC_OK);

    /* integer ranges */
    n = test_unhex("82 1bffffffffffffffff 3b8000000000000000", g_in, sizeof(g_in));
    CHECK_ERR(iotsec_cbor_dec_init(&d, g_in, n, 0, NULL), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_enter_array(&d, &a, NULL), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_int(&a, &iv), IOTSEC_ERR_CBOR_RANGE);
    CHECK_ERR(iotsec_cbor_get_uint(&a, &uv), IOTSEC_OK);
    CHECK(uv == UINT64_MAX);
    CHECK_ERR(iotsec_cbor_get_int(&a, &iv), IOTSEC_ERR_CBOR_RANGE); /* -2^63 - 1 */
    n = test_unhex("3b7fffffffffffffff", g_in, sizeof(g_in));
    CHECK_ERR(iotsec_cbor_dec_init(&d, g_in, n, 0, NULL), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_get_int(&d, &iv), IOTSEC_OK);
    CHECK(iv == INT64_MIN);

    /* a sequence counts its items */
    n = test_unhex("01 02 03", g_in, sizeof(g_in));
    CHECK_ERR(iotsec_cbor_dec_init(&d, g_in, n, IOTSEC_CBOR_SEQUENCE, NULL), IOTSEC_OK);
    CHECK_ERR(iotsec_cbor_skip(&d), IOTSEC_OK);
    CHECK(iotsec_cbor_offset(&d) == 1);
    iotsec_cbor_skip_rest(&d);
    CHECK(iotsec_cbor_at_end(&d));
    CHECK_ERR(iotsec_cbor_skip(&d), IOTSEC_ERR_CBOR_END);

    /* a cursor of rejected input yields nothing */
    n = test_unhex("82 01", g_in, sizeof(g_in));
    CHECK_ERR(iotsec_cbor_dec_init(&d, g_in, n, 0, NULL), IOTSEC_ERR_CBOR_TRUNCATED);
    CHECK(iotsec_cbor_at_end(&d));
    CHECK_ERR(iotsec_cbor_enter_array(&d, &a, NULL), IOTSEC_ERR_CBOR_END);
}

#define ENC_CHECK(stmt, hex)                                                           \
    do {                                                                               \
        struct iotsec_cbor_enc e_;                                                     \
        struct iotsec_cbuf o_;                                                         \
        uint8_t want_[64], b_[64];                                                     \
        size_t wl_ = test_unhex(hex, want_, sizeof(want_));                            \
        iotsec_cbor_enc_init(&e_, b_, sizeof(b_));                                     \
        { struct iotsec_cbor_enc *ep = &e_; stmt; }                                     \
        CHECK_ERR(iotsec_cbor_enc_finish(&e_, &o_), IOTSEC_OK);                        \
        CHECK_MEM(o_.ptr, o_.len, want_, wl_);                                         \
    } while (0)

static void test_encoder(void)
{
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf out;
    uint8_t small[4], buf[64];
    size_t m1, m2;

    ENC_CHECK(iotsec_cbor_enc_uint(ep, 0), "00");
    ENC_CHECK(iotsec_cbor_enc_uint(ep, 23), "17");
    ENC_CHECK(iotsec_cbor_enc_uint(ep, 24), "1818");
    ENC_CHECK(iotsec_cbor_enc_uint(ep, 255), "18ff");
    ENC_CHECK(iotsec_cbor_enc_uint(ep, 256), "190100");
    ENC_CHECK(iotsec_cbor_enc_uint(ep, 65536), "1a00010000");
    ENC_CHECK(iotsec_cbor_enc_uint(ep, 0x100000000ull), "1b0000000100000000");
    ENC_CHECK(iotsec_cbor_enc_uint(ep, UINT64_MAX), "1bffffffffffffffff");
    ENC_CHECK(iotsec_cbor_enc_int(ep, -1), "20");
    ENC_CHECK(iotsec_cbor_enc_int(ep, INT64_MIN), "3b7fffffffffffffff");
    ENC_CHECK(iotsec_cbor_enc_nint(ep, UINT64_MAX), "3bffffffffffffffff");
    ENC_CHECK(iotsec_cbor_enc_tag(ep, 1); iotsec_cbor_enc_int(ep, 1363896240), "c11a514b67b0");
    ENC_CHECK(iotsec_cbor_enc_simple(ep, 255), "f8ff");
    ENC_CHECK(iotsec_cbor_enc_simple(ep, 16), "f0");
    ENC_CHECK(iotsec_cbor_enc_undefined(ep); iotsec_cbor_enc_null(ep); iotsec_cbor_enc_bool(ep, 1),
              "f7f6f5");
    ENC_CHECK(iotsec_cbor_enc_double(ep, 0.0), "f90000");
    ENC_CHECK(iotsec_cbor_enc_double(ep, -0.0), "f98000");
    ENC_CHECK(iotsec_cbor_enc_double(ep, 65504.0), "f97bff");
    ENC_CHECK(iotsec_cbor_enc_double(ep, 65505.0), "fa477fe100");
    ENC_CHECK(iotsec_cbor_enc_double(ep, 5.960464477539063e-08), "f90001");
    ENC_CHECK(iotsec_cbor_enc_double(ep, 2.98023223876953125e-08), "fa33000000");
    ENC_CHECK(iotsec_cbor_enc_double(ep, 1.0e300), "fb7e37e43c8800759c");
    ENC_CHECK(iotsec_cbor_enc_double(ep, 3.4028234663852886e+38), "fa7f7fffff");
    ENC_CHECK(iotsec_cbor_enc_double(ep, 1.401298464324817e-45), "fa00000001"); /* single subnormal */
    ENC_CHECK(iotsec_cbor_enc_double(ep, 4.9406564584124654e-324), "fb0000000000000001");
    ENC_CHECK(iotsec_cbor_enc_double(ep, INFINITY), "f97c00");
    ENC_CHECK(iotsec_cbor_enc_double(ep, -INFINITY), "f9fc00");
    ENC_CHECK(iotsec_cbor_enc_double(ep, NAN), "f97e00");
    ENC_CHECK(iotsec_cbor_enc_float_bits(ep, 0x7ff8000000000001ull, 8), "fb7ff8000000000001");
    ENC_CHECK(iotsec_cbor_enc_text(ep, "IETF"), "6449455446");
    ENC_CHECK(iotsec_cbor_enc_indef(ep, IOTSEC_CBOR_ARRAY); iotsec_cbor_enc_break(ep), "9fff");

    /* NaN payloads survive narrowing only when no bits are lost */
    {
        uint64_t bits, sh;
        bits = 0x7ff8000000000000ull | (1ull << 42);
        CHECK(iotsec_cbor_float_shortest(bits, &sh) == 2 && sh == 0x7e01);
        bits = 0x7ff8000000000000ull | (1ull << 29);
        CHECK(iotsec_cbor_float_shortest(bits, &sh) == 4 && sh == 0x7fc00001);
        CHECK(iotsec_cbor_float_to_double_bits(0x7e01, 2) == (0x7ff8000000000000ull | (1ull << 42)));
        CHECK(iotsec_cbor_float_to_double_bits(0x0001, 2) == 0x3e70000000000000ull); /* 2^-24 */
        CHECK(iotsec_cbor_float_to_double_bits(0x00000001, 4) == 0x36a0000000000000ull); /* 2^-149 */
    }

    /* nested bstr-wrapped CBOR: << 1, << "a" >> >> */
    iotsec_cbor_enc_init(&e, buf, sizeof(buf));
    m1 = iotsec_cbor_enc_bstr_open(&e);
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_uint(&e, 1);
    m2 = iotsec_cbor_enc_bstr_open(&e);
    iotsec_cbor_enc_text(&e, "a");
    iotsec_cbor_enc_bstr_close(&e, m2);
    iotsec_cbor_enc_bstr_close(&e, m1);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, &out), IOTSEC_OK);
    CHECK_MEM(out.ptr, out.len, "\x45\x82\x01\x42\x61\x61", 6);

    /* a 24-byte content needs a two-byte head */
    iotsec_cbor_enc_init(&e, buf, sizeof(buf));
    m1 = iotsec_cbor_enc_bstr_open(&e);
    iotsec_cbor_enc_bstr(&e, (const uint8_t *)"01234567890123456789012", 23);
    iotsec_cbor_enc_bstr_close(&e, m1);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, &out), IOTSEC_OK);
    CHECK(out.len == 26 && out.ptr[0] == 0x58 && out.ptr[1] == 24 && out.ptr[2] == 0x57);

    /* buffer too small: sticky, and the needed size is still counted */
    iotsec_cbor_enc_init(&e, small, sizeof(small));
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_text(&e, "hello");
    iotsec_cbor_enc_uint(&e, 1);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, &out), IOTSEC_ERR_BUFFER_TOO_SMALL);
    CHECK(e.len == 8);
    CHECK(out.ptr == NULL);

    /* misuse is reported */
    iotsec_cbor_enc_init(&e, buf, sizeof(buf));
    iotsec_cbor_enc_simple(&e, 24);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, NULL), IOTSEC_ERR_INVALID_ARG);
    iotsec_cbor_enc_init(&e, buf, sizeof(buf));
    iotsec_cbor_enc_tstr(&e, "\xc3\x28", 2);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, NULL), IOTSEC_ERR_CBOR_BAD_UTF8);
    iotsec_cbor_enc_init(&e, buf, sizeof(buf));
    iotsec_cbor_enc_indef(&e, IOTSEC_CBOR_UINT);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, NULL), IOTSEC_ERR_INVALID_ARG);
}

/* ---- property tests over random documents ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    /* xorshift64*: reproducible across platforms */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t rnd_uint(void)
{
    /* spread over all head sizes */
    switch (rnd() % 5) {
    case 0: return rnd() % 24;
    case 1: return rnd() % 256;
    case 2: return rnd() % 65536;
    case 3: return rnd() & 0xffffffffu;
    default: return rnd();
    }
}

/* Emit one random item; containers get random children. Iterative via an
 * explicit budget so the generator itself has bounded depth. */
static void gen_item(struct iotsec_cbor_enc *e, unsigned depth, unsigned *budget)
{
    unsigned kind = (unsigned)(rnd() % (depth < 6 && *budget > 0 ? 11 : 8));
    size_t i, n;
    uint8_t bytes[40];
    static const char *texts[] = {"", "a", "IETF", "\xc3\xbc", "\xe6\xb0\xb4", "\xf0\x90\x85\x91",
                                  "long text string with more than twenty-four bytes"};

    if (*budget > 0)
        (*budget)--;
    switch (kind) {
    case 0: iotsec_cbor_enc_uint(e, rnd_uint()); break;
    case 1: iotsec_cbor_enc_nint(e, rnd_uint()); break;
    case 2:
        n = rnd() % sizeof(bytes);
        for (i = 0; i < n; i++)
            bytes[i] = (uint8_t)rnd();
        iotsec_cbor_enc_bstr(e, bytes, n);
        break;
    case 3: iotsec_cbor_enc_text(e, texts[rnd() % 7]); break;
    case 4: iotsec_cbor_enc_simple(e, (uint8_t)(20 + rnd() % 4)); break;
    case 5: {
        uint64_t b = rnd();
        double v;
        memcpy(&v, &b, sizeof(v));
        if (rnd() % 2)
            v = (double)(int)(rnd() % 2000) / 8.0;
        iotsec_cbor_enc_double(e, v);
        break;
    }
    case 6: iotsec_cbor_enc_int(e, (int64_t)(rnd() % 1000) - 500); break;
    case 7: iotsec_cbor_enc_simple(e, (uint8_t)(32 + rnd() % 200)); break;
    case 8:
        n = rnd() % 5;
        iotsec_cbor_enc_array(e, n);
        for (i = 0; i < n; i++)
            gen_item(e, depth + 1, budget);
        break;
    case 9:
        /* distinct integer keys, in ascending order */
        n = rnd() % 5;
        iotsec_cbor_enc_map(e, n);
        for (i = 0; i < n; i++) {
            iotsec_cbor_enc_uint(e, i * 7 + rnd() % 7);
            gen_item(e, depth + 1, budget);
        }
        break;
    default:
        iotsec_cbor_enc_tag(e, rnd_uint());
        gen_item(e, depth + 1, budget);
        break;
    }
}

#if !defined(__OPTIMIZE_SIZE__) && (defined(__GNUC__) || defined(__clang__))
/* Built for speed, the fast scanner must take the shapes it is for: the
 * agreement tests above would pass with a scanner that never accepts. */
bool cbor_scan_valid(const uint8_t *buf, size_t len); /* src/cbor/cbor_int.h */
#define SCANS(hex, want)                                                                   \
    do {                                                                                   \
        static uint8_t b_[64];                                                             \
        size_t n_ = test_unhex(hex, b_, sizeof(b_));                                       \
        CHECK_MSG(cbor_scan_valid(b_, n_) == (want), "scanner on %s: want %d", hex, want); \
    } while (0)
#define HAVE_SCANNER 1
#else
#define SCANS(hex, want) ((void)0)
#define HAVE_SCANNER 0
#endif

static void test_random_roundtrip(void)
{
    static uint8_t doc[16384], copy[16384];
    unsigned iter, bad = 0;

    unsigned scanned = 0;

    for (iter = 0; iter < 2000; iter++) {
        struct iotsec_cbor_enc e;
        struct iotsec_cbor_dec d;
        struct iotsec_cbuf out, out2;
        unsigned budget = 40;
        uint64_t seed = rng_state;
        size_t size_only;
        enum iotsec_err err;

        iotsec_cbor_enc_init(&e, NULL, 0);
        gen_item(&e, 0, &budget);
        size_only = e.len;

        rng_state = seed; /* same document again, for real */
        budget = 40;
        iotsec_cbor_enc_init(&e, doc, sizeof(doc));
        gen_item(&e, 0, &budget);
        if (iotsec_cbor_enc_finish(&e, &out) != IOTSEC_OK || out.len != size_only) {
            bad++;
            continue;
        }
        /* preferred serialization with ascending int keys is deterministic */
        err = iotsec_cbor_dec_init(&d, out.ptr, out.len, IOTSEC_CBOR_DETERMINISTIC, NULL);
        if (err != IOTSEC_OK) {
            fprintf(stderr, "random doc rejected (%s): %s\n", iotsec_err_str(err),
                    test_hex(out.ptr, out.len));
            bad++;
            continue;
        }
        iotsec_cbor_enc_init(&e, copy, sizeof(copy));
        if (cbor_copy(&d, &e, 0) != IOTSEC_OK || iotsec_cbor_enc_finish(&e, &out2) != IOTSEC_OK ||
            out2.len != out.len || memcmp(out2.ptr, out.ptr, out.len) != 0) {
            fprintf(stderr, "random doc copy differs: %s\n", test_hex(out.ptr, out.len));
            bad++;
        }
        /* the token list through the fast scanner (ascending integer keys)
         * and through the general path agree */
        {
            static struct iotsec_cbor_token t1[16384], t2[16384];
            size_t n1 = 0, n2 = 0;
            CHECK_ERR(iotsec_cbor_tokens(out.ptr, out.len, 0, t1, 16384, &n1, NULL), IOTSEC_OK);
            CHECK_ERR(iotsec_cbor_tokens(out.ptr, out.len, IOTSEC_CBOR_SEQUENCE, t2, 16384, &n2,
                                         NULL),
                      IOTSEC_OK);
            CHECK_MSG(n1 == n2 && n1 >= 1 && tokens_equal(t1, t2, n1),
                      "random doc: tokens %zu / %zu differ: %s", n1, n2,
                      test_hex(out.ptr, out.len < 64 ? out.len : 64));
#if HAVE_SCANNER
            scanned += cbor_scan_valid(out.ptr, out.len);
#endif
        }
        /* diag in size-only mode agrees with the real run */
        {
            static char text[65536];
            size_t l1 = 0, l2 = 0;
            CHECK_ERR(iotsec_cbor_diag(&d, NULL, 0, &l1), IOTSEC_OK);
            CHECK_ERR(iotsec_cbor_diag(&d, text, sizeof(text), &l2), IOTSEC_OK);
            CHECK(l1 == l2 && strlen(text) == l2);
        }
    }
    CHECK_MSG(bad == 0, "%u of 2000 random documents failed to round-trip", bad);
#if HAVE_SCANNER
    /* deterministic, so sorted keys: the fast scanner takes all but those
     * nested deeper than it goes */
    CHECK_MSG(scanned >= 1900, "the scanner took %u of 2000 random documents", scanned);
#else
    (void)scanned; /* no scanner in a build for size */
#endif
}

/* Truncating or flipping bytes of valid documents must never crash or
 * read out of bounds (ASan watches), and truncation must always fail. */
static void test_random_mutations(void)
{
    static uint8_t doc[4096];
    unsigned iter, truncated_ok = 0;

    for (iter = 0; iter < 2000; iter++) {
        struct iotsec_cbor_enc e;
        struct iotsec_cbor_dec d;
        struct iotsec_cbuf out;
        unsigned budget = 20;
        size_t cut;
        uint8_t *copy;

        iotsec_cbor_enc_init(&e, doc, sizeof(doc));
        gen_item(&e, 0, &budget);
        if (iotsec_cbor_enc_finish(&e, &out) != IOTSEC_OK || out.len < 2)
            continue;
        cut = 1 + rnd() % (out.len - 1);
        copy = malloc(cut); /* exact size so ASan sees any over-read */
        memcpy(copy, out.ptr, cut);
        if (iotsec_cbor_dec_init(&d, copy, cut, 0, NULL) == IOTSEC_OK)
            truncated_ok++;
        free(copy);

        copy = malloc(out.len);
        memcpy(copy, out.ptr, out.len);
        copy[rnd() % out.len] ^= (uint8_t)(1u << (rnd() % 8));
        if (iotsec_cbor_dec_init(&d, copy, out.len, 0, NULL) == IOTSEC_OK) {
            static char text[65536];
            (void)iotsec_cbor_diag(&d, text, sizeof(text), NULL);
        }
        free(copy);
    }
    CHECK_MSG(truncated_ok == 0, "%u truncated documents were accepted", truncated_ok);
}

/* The integer-only float code against the host FPU: narrowing is exact
 * exactly when a C cast round-trips, and widening undoes narrowing. */
static void test_float_property(void)
{
    unsigned iter, bad = 0;

    for (iter = 0; iter < 200000; iter++) {
        uint64_t dbits = rnd(), sbits, back;
        unsigned size;
        double d;
        float f;

        /* bias towards values near the half and single ranges */
        if (iter % 3 == 0)
            dbits = (dbits & 0x800fffffffffffffull) | ((uint64_t)(1023 - 30 + rnd() % 60) << 52);
        if (iter % 3 == 1)
            dbits &= ~((1ull << (rnd() % 53)) - 1); /* trailing zero mantissa bits */
        memcpy(&d, &dbits, sizeof(d));
        size = iotsec_cbor_float_shortest(dbits, &sbits);
        back = iotsec_cbor_float_to_double_bits(sbits, size);
        if (back != dbits && !(isnan(d) && size == 8))
            bad++;
        if (!isnan(d)) {
            f = (float)d;
            if (((double)f == d && !isinf(f)) != (size <= 4) && !(isinf(d) && size <= 4))
                bad++;
        }
    }
    CHECK_MSG(bad == 0, "%u float conversions disagree with the FPU", bad);
}

/*
 * The inline fast paths of iotsec/cbor.h (used here, as by every caller
 * built for speed) must give what the functions give, result, value and
 * cursor, at every position of every cursor of valid input.
 */
static bool same_cursor(const struct iotsec_cbor_dec *a, const struct iotsec_cbor_dec *b)
{
    return a->p == b->p && a->end == b->end && a->left == b->left && a->base == b->base;
}

static void check_inline_at(const struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_dec a = *d, b = *d, ca, cb;
    struct iotsec_cbuf sa = {NULL, 0}, sb = {NULL, 0};
    int64_t ia = 0, ib = 0;
    uint64_t ua = 0, ub = 0;
    size_t na = 0, nb = 0;
    enum iotsec_err ea, eb;

    CHECK(iotsec_cbor_at_end(&a) == (iotsec_cbor_at_end)(&b));
    ea = iotsec_cbor_get_int(&a, &ia);
    eb = (iotsec_cbor_get_int)(&b, &ib);
    CHECK(ea == eb && ia == ib && same_cursor(&a, &b));
    a = b = *d;
    ea = iotsec_cbor_get_uint(&a, &ua);
    eb = (iotsec_cbor_get_uint)(&b, &ub);
    CHECK(ea == eb && ua == ub && same_cursor(&a, &b));
    a = b = *d;
    ea = iotsec_cbor_get_bstr(&a, &sa);
    eb = (iotsec_cbor_get_bstr)(&b, &sb);
    CHECK(ea == eb && sa.ptr == sb.ptr && sa.len == sb.len && same_cursor(&a, &b));
    a = b = *d;
    ea = iotsec_cbor_skip(&a);
    eb = (iotsec_cbor_skip)(&b);
    CHECK(ea == eb && same_cursor(&a, &b));
    a = b = *d;
    memset(&ca, 0, sizeof(ca));
    memset(&cb, 0, sizeof(cb));
    ea = iotsec_cbor_enter_array(&a, &ca, &na);
    eb = (iotsec_cbor_enter_array)(&b, &cb, &nb);
    CHECK(ea == eb && same_cursor(&a, &b) && (ea != IOTSEC_OK || (same_cursor(&ca, &cb) && na == nb)));
    ea = iotsec_cbor_enter_map(&a, &ca, NULL);
    eb = (iotsec_cbor_enter_map)(&b, &cb, NULL);
    CHECK(ea == eb && same_cursor(&a, &b) && (ea != IOTSEC_OK || same_cursor(&ca, &cb)));
}

static void test_inline_agrees(void)
{
    static const char *const docs[] = {
        "00", "17", "18ff", "1901ff", "20", "37", "3818", "39ffff", "1a00010000", "40",
        "570102030405060708090a0b0c0d0e0f1011121314151617", "5801ab",
        "5818000102030405060708090a0b0c0d0e0f1011121314151617", "59000100", "80",
        "970102030405060708090a0b0c0d0e0f1011121314151617",
        "9818000102030405060708090a0b0c0d0e0f1011121314151617", "a0", "a10120", "b800",
        "9f01ff", "bf0102ff", "5f4101ff", "f4", "f5", "f6", "f7", "f8ff", "f93c00",
        "c24101", "d86b82020d", "82381f7f6161ff", "83a0809fff",
        "a3010203820405a1060707", "9f9f80ffa1f5f4ff"};
    uint8_t buf[64];
    size_t i;

    for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        struct iotsec_cbor_dec st[IOTSEC_MAX_CBOR_DEPTH + 2];
        unsigned sp = 0;
        size_t n = test_unhex(docs[i], buf, sizeof(buf));

        CHECK_MSG(iotsec_cbor_dec_init(&st[0], buf, n, 0, NULL) == IOTSEC_OK, "%s", docs[i]);
        for (;;) {
            struct iotsec_cbor_item it;
            check_inline_at(&st[sp]);
            if (iotsec_cbor_get_item(&st[sp], &it, &st[sp + 1]) != IOTSEC_OK) {
                if (sp == 0)
                    break;
                CHECK(iotsec_cbor_leave(&st[sp - 1], &st[sp]) == IOTSEC_OK);
                sp--;
                continue;
            }
            sp += it.container;
        }
    }
}

/*
 * Validation in the default mode must agree, verdict and offset, with the
 * same input read as a CBOR sequence (which takes the general loop only):
 * a single valid item is valid in both; an error in the first item is the
 * same error at the same offset; a complete first item followed by more
 * bytes is IOTSEC_ERR_CBOR_TRAILING there, and the sequence either reads
 * on or fails later. Inputs: every 1- and 2-byte string, and short strings
 * over bytes that stress heads, containers, keys, tags and text.
 */
static void check_modes_agree(const uint8_t *b, size_t n)
{
    struct iotsec_cbor_dec d1, ds;
    struct iotsec_cbor_token t1[16], ts[16];
    size_t o1 = 0, os = 0, n1 = 0, ns = 0, ot = 0;
    enum iotsec_err e1 = iotsec_cbor_dec_init(&d1, b, n, 0, &o1);
    enum iotsec_err es = iotsec_cbor_dec_init(&ds, b, n, IOTSEC_CBOR_SEQUENCE, &os);
    enum iotsec_err et = iotsec_cbor_tokens(b, n, 0, t1, 16, &n1, &ot);
    bool ok;

    /* the token list: the same verdict, and for one item the same tokens
     * as the sequence's (which never takes the fast scanner) */
    CHECK_MSG(et == e1 && (et == IOTSEC_OK || ot == o1), "%s: tokens %d at %zu, dec_init %d at %zu",
              test_hex(b, n), (int)et, ot, (int)e1, o1);
    if (e1 == IOTSEC_OK) {
        CHECK_ERR(iotsec_cbor_tokens(b, n, IOTSEC_CBOR_SEQUENCE, ts, 16, &ns, NULL), IOTSEC_OK);
        CHECK_MSG(n1 == ns && tokens_equal(t1, ts, n1), "%s: tokens differ from the sequence's",
                  test_hex(b, n));
    }

    if (e1 == IOTSEC_OK)
        ok = es == IOTSEC_OK && ds.left == 1 && d1.left == 1 && d1.p == b && d1.end == b + n;
    else if (e1 == IOTSEC_ERR_CBOR_TRAILING)
        ok = es == IOTSEC_OK ? ds.left >= 2 : os >= o1;
    else if (e1 == IOTSEC_ERR_CBOR_EMPTY)
        ok = n == 0;
    else
        ok = es == e1 && os == o1;
    CHECK_MSG(ok, "%s: default %d at %zu, sequence %d at %zu", test_hex(b, n), (int)e1, o1,
              (int)es, os);
}

static void test_modes_agree(void)
{
    static const uint8_t alpha[] = {
        0x00, 0x01, 0x02, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1f, 0x20, 0x2f, 0x38, 0x3b,
        0x40, 0x41, 0x42, 0x58, 0x5f, 0x60, 0x61, 0x62, 0x78, 0x7f, 0x80, 0x81, 0x82, 0x83,
        0x98, 0x9f, 0xa0, 0xa1, 0xa2, 0xa3, 0xb8, 0xbf, 0xc0, 0xc1, 0xd8, 0xd9, 0xdb, 0xdc,
        0xe0, 0xf4, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xff, 0xc3, 0xbc, 0xed, 0x7e};
    uint8_t b[16] = {0};
    uint32_t seed = 12345;
    unsigned failed = test_failed;
    size_t i, k, n;

    check_modes_agree(b, 0);
    for (i = 0; i < 0x10000; i++) {
        b[0] = (uint8_t)(i >> 8);
        b[1] = (uint8_t)i;
        check_modes_agree(b + 1, 1);
        check_modes_agree(b, 2);
    }
    for (i = 0; i < 400000 && test_failed == failed; i++) {
        seed = seed * 1103515245u + 12345u;
        n = 3 + (seed >> 16) % (sizeof(b) - 2);
        for (k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            b[k] = (seed >> 24) < 24 ? (uint8_t)(seed >> 8)
                                     : alpha[(seed >> 16) % sizeof(alpha)];
        }
        check_modes_agree(b, n);
    }
}

/* The token list: a known document through the fast scanner and through
 * the general path, the fallback when the scanner gives up, errors, too
 * small a list, indefinite lengths. */
static void test_tokens(void)
{
    /* 42({1: [2, "abc"], "x": true}) */
    static const uint8_t doc[] = {0xd8, 0x2a, 0xa2, 0x01, 0x82, 0x02, 0x63, 'a', 'b', 'c',
                                  0x61, 'x', 0xf5};
    static const struct {
        uint8_t type, head;
        uint64_t val;
        size_t at;
        uint32_t size;
    } want[] = {
        {IOTSEC_CBOR_TAG, 2, 42, 0, 1},  {IOTSEC_CBOR_MAP, 1, 2, 2, 7},
        {IOTSEC_CBOR_UINT, 1, 1, 3, 1},  {IOTSEC_CBOR_ARRAY, 1, 2, 4, 3},
        {IOTSEC_CBOR_UINT, 1, 2, 5, 1},  {IOTSEC_CBOR_TSTR, 1, 3, 6, 1},
        {IOTSEC_CBOR_TSTR, 1, 1, 10, 1}, {IOTSEC_CBOR_SIMPLE, 1, IOTSEC_CBOR_TRUE, 12, 1},
    };
    /* the same map, keys out of order: the scanner gives up, the general
     * path lists it */
    static const uint8_t unsorted[] = {0xa2, 0x61, 'x', 0xf5, 0x01, 0x82, 0x02, 0x63, 'a', 'b', 'c'};
    /* [_ 1, (_ h'00')] */
    static const uint8_t indef[] = {0x9f, 0x01, 0x5f, 0x41, 0x00, 0xff, 0xff};
    struct iotsec_cbor_token tok[16];
    size_t n, off, i;
    unsigned flags;

    for (flags = 0; flags <= IOTSEC_CBOR_SEQUENCE; flags += IOTSEC_CBOR_SEQUENCE) {
        CHECK_ERR(iotsec_cbor_tokens(doc, sizeof(doc), flags, tok, 16, &n, NULL), IOTSEC_OK);
        CHECK(n == 8);
        for (i = 0; i < 8 && i < n; i++)
            CHECK_MSG(tok[i].type == want[i].type && tok[i].head == want[i].head &&
                          tok[i].val == want[i].val && tok[i].at == doc + want[i].at &&
                          tok[i].size == want[i].size,
                      "flags %u, token %zu: type %u val %llu at %td size %u head %u", flags, i,
                      tok[i].type, (unsigned long long)tok[i].val, tok[i].at - doc, tok[i].size,
                      tok[i].head);
        /* a list shorter than the document: the count all the same */
        CHECK_ERR(iotsec_cbor_tokens(doc, sizeof(doc), flags, tok, 7, &n, NULL),
                  IOTSEC_ERR_BUFFER_TOO_SMALL);
        CHECK(n == 8);
        CHECK_ERR(iotsec_cbor_tokens(doc, sizeof(doc), flags, NULL, 0, &n, NULL),
                  IOTSEC_ERR_BUFFER_TOO_SMALL);
        CHECK(n == 8);
    }
    CHECK_ERR(iotsec_cbor_tokens(unsorted, sizeof(unsorted), 0, tok, 16, &n, NULL), IOTSEC_OK);
    CHECK(n == 7 && tok[0].type == IOTSEC_CBOR_MAP && tok[0].size == 7 &&
          tok[1].type == IOTSEC_CBOR_TSTR && tok[3].type == IOTSEC_CBOR_UINT &&
          tok[4].type == IOTSEC_CBOR_ARRAY && tok[4].size == 3 && tok[6].at == unsorted + 7 &&
          tok[6].head == 1 && tok[6].val == 3);
    CHECK_ERR(iotsec_cbor_tokens(indef, sizeof(indef), 0, tok, 16, &n, NULL), IOTSEC_OK);
    CHECK(n == 4 && tok[0].type == IOTSEC_CBOR_ARRAY && tok[0].val == IOTSEC_CBOR_INDEFINITE &&
          tok[0].size == 4 && tok[2].type == IOTSEC_CBOR_BSTR &&
          tok[2].val == IOTSEC_CBOR_INDEFINITE && tok[2].size == 2 && tok[3].val == 1 &&
          tok[3].at == indef + 3 && tok[3].head == 1);
    /* a duplicate key and a malformed document: the validator's errors,
     * nothing listed */
    {
        static const uint8_t dup[] = {0xa2, 0x01, 0x00, 0x01, 0x00};
        static const uint8_t trunc[] = {0x82, 0x01, 0x62, 'a'};
        CHECK_ERR(iotsec_cbor_tokens(dup, sizeof(dup), 0, tok, 16, &n, &off),
                  IOTSEC_ERR_CBOR_DUPLICATE_KEY);
        CHECK(n == 0 && off == 3);
        CHECK_ERR(iotsec_cbor_tokens(trunc, sizeof(trunc), 0, tok, 16, &n, &off),
                  IOTSEC_ERR_CBOR_TRUNCATED);
        CHECK(n == 0 && off == 2);
        /* text keys of one length: equal, ascending, descending */
        EXPECT("a2616100616100", 0, IOTSEC_ERR_CBOR_DUPLICATE_KEY);
        EXPECT("a2616100616200", 0, IOTSEC_OK);
        EXPECT("a2616200616100", 0, IOTSEC_OK);
        EXPECT("a2616200616100", IOTSEC_CBOR_DETERMINISTIC, IOTSEC_ERR_CBOR_UNSORTED);
        /* what the scanner takes (build for speed) and what it leaves */
        SCANS("d82aa2018202636162636178f5", true); /* 42({1: [2, "abc"], "x": true}) */
        SCANS("a2616100616200", true);             /* text keys, ascending */
        SCANS("a3004101204102614103", true);       /* uint < nint < text keys */
        SCANS("fb3ff199999999999af8ff", false);    /* trailing bytes */
        SCANS("a2616200616100", false);            /* descending: the general loop */
        SCANS("a2616100616100", false);            /* a duplicate */
        SCANS("9f01ff", false);                    /* an indefinite length */
        SCANS("a1c10000", false);                  /* a tagged key */
        SCANS("f818", false);                      /* a reserved simple value */
        SCANS("62c328", false);                    /* invalid UTF-8 */
    }
    /* every Appendix F case: the validator's error, at its offset */
    for (i = 0; i < sizeof(appendix_f) / sizeof(appendix_f[0]); i++) {
        static uint8_t b[64];
        struct iotsec_cbor_dec d;
        size_t bl = test_unhex(appendix_f[i].hex, b, sizeof(b)), o1 = 0, o2 = 0;
        enum iotsec_err e1 = iotsec_cbor_dec_init(&d, b, bl, 0, &o1);
        CHECK_MSG(iotsec_cbor_tokens(b, bl, 0, tok, 16, &n, &o2) == e1 && o1 == o2 && n == 0,
                  "appendix F %s: tokens disagree", appendix_f[i].hex);
    }
}

int main(void)
{
    test_appendix_f();
    test_appendix_a();
    test_strictness();
    test_deterministic();
    test_limits();
    test_offsets();
    test_modes_agree();
    test_tokens();
    test_inline_agrees();
    test_chunks_and_keys();
    test_pull_api();
    test_encoder();
    test_random_roundtrip();
    test_random_mutations();
    test_float_property();
    return test_summary();
}
