/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UUIDs (RFC 9562): the Appendix A examples, the SUIT vendor and class IDs
 * of draft-ietf-suit-manifest's examples, parse/format round trips, and the
 * text forms the strict parser must refuse.
 */
#include <string.h>

#include "crypto/crypto.h"
#include "iotsec/uuid.h"
#include "test_util.h"

static void check_v5(const uint8_t ns[16], const char *name, const char *want)
{
    uint8_t u[16];
    char text[37];

    iotsec_uuid_v5(u, ns, (const uint8_t *)name, strlen(name));
    iotsec_uuid_format(u, text);
    CHECK_MSG(strcmp(text, want) == 0, "UUIDv5(\"%s\") = %s, want %s", name, text, want);
    CHECK(iotsec_uuid_version(u) == 5);
}

static void test_v5(void)
{
    uint8_t vendor[16], klass[16];

    /* RFC 9562 Appendix A.4: DNS name space, "www.example.com" */
    check_v5(IOTSEC_UUID_NS_DNS, "www.example.com", "2ed6657d-e927-568b-95e1-2665a8aea6a2");

    /* draft-ietf-suit-manifest: vendor-id = UUIDv5(DNS, vendor domain) */
    check_v5(IOTSEC_UUID_NS_DNS, "arm.com", "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe");
    /* class-id = UUIDv5(vendor-id, class-specific information): the
     * examples' class-id is the vendor's UUIDv5 of "suit", the model-info
     * that Example 2's component text carries */
    CHECK(iotsec_uuid_parse("fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe", vendor));
    check_v5(vendor, "suit", "1492af14-2569-5e48-bf42-9b2d51f2ab45");
    /* other names must give other IDs */
    iotsec_uuid_v5(klass, vendor, (const uint8_t *)"Suit", 4);
    CHECK(iotsec_uuid_parse("1492af14-2569-5e48-bf42-9b2d51f2ab45", vendor));
    CHECK(memcmp(klass, vendor, 16) != 0);

    /* a second published pair (the Nordic SUIT documentation's example) */
    check_v5(IOTSEC_UUID_NS_DNS, "nordicsemi.com", "7617daa5-71fd-5a85-8f94-e28d735ce9f4");
    CHECK(iotsec_uuid_parse("7617daa5-71fd-5a85-8f94-e28d735ce9f4", vendor));
    check_v5(vendor, "nRF54H20_sample_app", "08c1b599-55e8-5fbc-9e76-7bc29ce1b04d");

    /* the empty name is a valid name (SHA-1 of the name space alone) */
    check_v5(IOTSEC_UUID_NS_DNS, "", "4ebd0208-8328-5d69-8c44-ec50939c0967");
    /* URL name space */
    check_v5(IOTSEC_UUID_NS_URL, "https://www.example.com/",
             "3d3ed9d2-aa3d-5fa6-90e8-ed662e90f559");
}

static void test_v4(void)
{
    uint8_t a[16], b[16];
    unsigned i, same = 0;

    for (i = 0; i < 64; i++) {
        CHECK_ERR(iotsec_uuid_v4(a), IOTSEC_OK);
        CHECK(iotsec_uuid_version(a) == 4);
        CHECK((a[8] & 0xc0) == 0x80); /* variant 10xx */
        CHECK_ERR(iotsec_uuid_v4(b), IOTSEC_OK);
        same += memcmp(a, b, 16) == 0;
    }
    CHECK(same == 0);
    /* RFC 9562 Appendix A.3's example has version 4 and the variant bits */
    CHECK(iotsec_uuid_parse("919108f7-52d1-4320-9bac-f847db4148a8", a));
    CHECK(iotsec_uuid_version(a) == 4 && (a[8] & 0xc0) == 0x80);
}

static void test_v7(void)
{
    /* RFC 9562 Appendix A.6: 2022-02-22 19:22:22 UTC = 0x017F22E279B0 ms,
     * UUID 017F22E2-79B0-7CC3-98C4-DC0C0C07398F; its random bits cannot be
     * reproduced, its timestamp, version and variant can */
    uint8_t want[16], u[16], v[16];
    uint64_t ms = 0x017F22E279B0ull;

    CHECK(ms == 1645557742000ull);
    CHECK(iotsec_uuid_parse("017F22E2-79B0-7CC3-98C4-DC0C0C07398F", want));
    CHECK_ERR(iotsec_uuid_v7(u, ms), IOTSEC_OK);
    CHECK_MEM(u, 6, want, 6);
    CHECK(iotsec_uuid_version(u) == 7);
    CHECK((u[8] & 0xc0) == 0x80);
    CHECK(iotsec_uuid_version(want) == 7 && (want[8] & 0xc0) == 0x80);
    /* later milliseconds sort later */
    CHECK_ERR(iotsec_uuid_v7(v, ms + 1), IOTSEC_OK);
    CHECK(memcmp(u, v, 16) < 0);
    /* random bits differ between two UUIDs of the same millisecond */
    CHECK_ERR(iotsec_uuid_v7(v, ms), IOTSEC_OK);
    CHECK(memcmp(u, v, 16) != 0 && memcmp(u, v, 6) == 0);
    /* the largest 48-bit time and the epoch itself */
    CHECK_ERR(iotsec_uuid_v7(u, 0xffffffffffffull), IOTSEC_OK);
    CHECK(u[0] == 0xff && u[5] == 0xff);
    CHECK_ERR(iotsec_uuid_v7(u, 0), IOTSEC_OK);
    CHECK(u[0] == 0 && u[5] == 0 && iotsec_uuid_version(u) == 7);
    /* beyond 48 bits: refused, output zero */
    CHECK_ERR(iotsec_uuid_v7(u, 1ull << 48), IOTSEC_ERR_INVALID_ARG);
    memset(v, 0, 16);
    CHECK_MEM(u, 16, v, 16);
}

static void test_text(void)
{
    static const char *const good[] = {
        "00000000-0000-0000-0000-000000000000", /* Nil */
        "ffffffff-ffff-ffff-ffff-ffffffffffff", /* Max */
        "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe",
        "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    };
    static const char *const bad[] = {
        "",
        "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ff",    /* 35 characters */
        "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe0",  /* 37 characters */
        "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe ",  /* trailing space */
        " fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe",  /* leading space */
        "fa6b4a53d5ad5fdfbe9de663e4d41ffe",       /* no hyphens */
        "fa6b4a53-d5ad5-fdf-be9d-e663e4d41ffe",   /* hyphen misplaced */
        "fa6b4a5-3d5ad-5fdf-be9d-e663e4d41ffe",   /* hyphen misplaced */
        "fa6b4a53_d5ad_5fdf_be9d_e663e4d41ffe",   /* not hyphens */
        "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffg",   /* not hex */
        "fa6b4a53-d5ad-5fdf-be9d-e663e4d41f+e",   /* not hex */
        "{fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe}", /* braces */
        "urn:uuid:fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe", /* URN prefix */
        "fa6b4a53-d5ad-5fdf-be9d-e663e4d41f-e",   /* extra hyphen */
        "0x6b4a53-d5ad-5fdf-be9d-e663e4d41ffe",   /* 0x prefix */
    };
    uint8_t u[16], keep[16];
    char text[37];
    size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        CHECK_MSG(iotsec_uuid_parse(good[i], u), "parse %s", good[i]);
        iotsec_uuid_format(u, text);
        CHECK_MSG(strcmp(text, good[i]) == 0, "round trip %s -> %s", good[i], text);
    }
    /* case-insensitive on input, lowercase on output */
    CHECK(iotsec_uuid_parse("FA6B4A53-D5AD-5FDF-BE9D-E663E4D41FFE", u));
    iotsec_uuid_format(u, text);
    CHECK(strcmp(text, "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe") == 0);
    CHECK(iotsec_uuid_parse("Fa6b4A53-d5AD-5fdf-BE9d-e663e4d41fFE", keep));
    CHECK_MEM(u, 16, keep, 16);
    CHECK(u[0] == 0xfa && u[15] == 0xfe);
    /* refused text leaves the output untouched */
    memset(keep, 0xa5, 16);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memcpy(u, keep, 16);
        CHECK_MSG(!iotsec_uuid_parse(bad[i], u), "accepted \"%s\"", bad[i]);
        CHECK_MEM(u, 16, keep, 16);
    }
    CHECK(!iotsec_uuid_parse(NULL, u));
    /* every byte value round-trips */
    for (i = 0; i < 16; i++)
        keep[i] = (uint8_t)(i * 17 + 3);
    iotsec_uuid_format(keep, text);
    CHECK(strlen(text) == IOTSEC_UUID_TEXT_LEN);
    CHECK(iotsec_uuid_parse(text, u));
    CHECK_MEM(u, 16, keep, 16);
}

static void test_sha1(void)
{
    /* the seam's SHA-1 (FIPS 180-4 "abc"), which v5 rests on */
    static const uint8_t abc[] = {0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
                                  0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d};
    uint8_t md[IOTSEC_MAX_HASH];
    size_t n = 0;

    CHECK(iotsec_crypto_hash_len(IOTSEC_ALG_SHA1) == 20);
    CHECK_ERR(iotsec_crypto_hash(IOTSEC_ALG_SHA1, (const uint8_t *)"abc", 3, md, sizeof(md), &n),
              IOTSEC_OK);
    CHECK_MEM(md, n, abc, sizeof(abc));
}

int main(void)
{
    test_sha1();
    test_v5();
    test_v4();
    test_v7();
    test_text();
    return test_summary();
}
