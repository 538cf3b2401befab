/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "crypto/crypto.h"
#include "iotsec/uuid.h"

const uint8_t iotsec_uuid_ns_dns[16] = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                        0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
const uint8_t iotsec_uuid_ns_url[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                        0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
const uint8_t iotsec_uuid_ns_oid[16] = {0x6b, 0xa7, 0xb8, 0x12, 0x9d, 0xad, 0x11, 0xd1,
                                        0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
const uint8_t iotsec_uuid_ns_x500[16] = {0x6b, 0xa7, 0xb8, 0x14, 0x9d, 0xad, 0x11, 0xd1,
                                         0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

/* Version in the top nibble of octet 6, variant 0b10 in the top bits of
 * octet 8 (RFC 9562 sections 4.1 and 4.2). */
static void set_version(uint8_t u[16], unsigned version)
{
    u[6] = (uint8_t)((u[6] & 0x0f) | (version << 4));
    u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
}

/* see iotsec/uuid.h */
void iotsec_uuid_v5(uint8_t out[16], const uint8_t ns[16], const uint8_t *name, size_t len)
{
    struct iotsec_crypto_hash_ctx h;
    uint8_t md[IOTSEC_MAX_HASH];
    size_t n = 0;

    memset(out, 0, 16);
    /* SHA-1 only because RFC 9562 section 5.5 defines v5 with it */
    if (iotsec_crypto_hash_init(&h, IOTSEC_ALG_SHA1) != IOTSEC_OK)
        return;
    if (iotsec_crypto_hash_update(&h, ns, 16) != IOTSEC_OK ||
        iotsec_crypto_hash_update(&h, name, len) != IOTSEC_OK) {
        iotsec_crypto_hash_abort(&h);
        return;
    }
    if (iotsec_crypto_hash_finish(&h, md, sizeof(md), &n) != IOTSEC_OK || n < 16)
        return;
    memcpy(out, md, 16);
    set_version(out, 5);
}

/* see iotsec/uuid.h */
enum iotsec_err iotsec_uuid_v4(uint8_t out[16])
{
    if (iotsec_crypto_random(out, 16) != IOTSEC_OK) {
        memset(out, 0, 16);
        return IOTSEC_ERR_CRYPTO;
    }
    set_version(out, 4);
    return IOTSEC_OK;
}

/* see iotsec/uuid.h */
enum iotsec_err iotsec_uuid_v7(uint8_t out[16], uint64_t unix_ms)
{
    int i;

    memset(out, 0, 16);
    if (unix_ms >> 48 != 0)
        return IOTSEC_ERR_INVALID_ARG;
    if (iotsec_crypto_random(out + 6, 10) != IOTSEC_OK) {
        memset(out, 0, 16);
        return IOTSEC_ERR_CRYPTO;
    }
    for (i = 0; i < 6; i++)
        out[i] = (uint8_t)(unix_ms >> (40 - 8 * i));
    set_version(out, 7);
    return IOTSEC_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* see iotsec/uuid.h */
bool iotsec_uuid_parse(const char *text, uint8_t out[16])
{
    uint8_t u[16];
    size_t i, k = 0;

    if (text == NULL)
        return false;
    for (i = 0; i < IOTSEC_UUID_TEXT_LEN; i++) {
        int hi, lo;
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-')
                return false;
            continue;
        }
        /* a NUL here stops at the first hexval() */
        if ((hi = hexval(text[i])) < 0 || (lo = hexval(text[i + 1])) < 0)
            return false;
        u[k++] = (uint8_t)(hi << 4 | lo);
        i++;
    }
    if (text[IOTSEC_UUID_TEXT_LEN] != '\0')
        return false;
    memcpy(out, u, 16);
    return true;
}

/* see iotsec/uuid.h */
void iotsec_uuid_format(const uint8_t u[16], char out[37])
{
    static const char hx[] = "0123456789abcdef";
    size_t i, k = 0;

    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[k++] = '-';
        out[k++] = hx[u[i] >> 4];
        out[k++] = hx[u[i] & 15];
    }
    out[k] = '\0';
}
