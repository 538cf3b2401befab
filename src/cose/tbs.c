/* SPDX-License-Identifier: Apache-2.0 */
/* The to-be-processed structures of RFC 9052, produced into a sink. */
#include <string.h>

#include "cose_int.h"

static void put_buf(struct sink *s, const uint8_t *p, size_t n)
{
    if (n > s->cap - s->len) {
        s->err = IOTSEC_ERR_BUFFER_TOO_SMALL;
        return;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
}

/* The buffer and hash sinks set only the fields their put function and
 * their users read: clearing the whole struct (hash and cipher contexts)
 * would cost more than the structure it carries. */
void cose_sink_buf(struct sink *s, uint8_t *buf, size_t cap)
{
    s->put = put_buf;
    s->buf = buf;
    s->cap = cap;
    s->len = 0;
    /* no working memory given */
    s->err = buf != NULL ? IOTSEC_OK : IOTSEC_ERR_BUFFER_TOO_SMALL;
}

static void put_hash(struct sink *s, const uint8_t *p, size_t n)
{
    s->err = iotsec_crypto_hash_update(&s->hash, p, n);
}

enum iotsec_err cose_sink_hash(struct sink *s, int32_t hash_alg)
{
    s->put = put_hash;
    s->err = IOTSEC_OK;
    return iotsec_crypto_hash_init(&s->hash, hash_alg);
}

static void put_hmac(struct sink *s, const uint8_t *p, size_t n)
{
    s->err = iotsec_crypto_hmac_update(&s->hash, p, n);
}

enum iotsec_err cose_sink_hmac(struct sink *s, int32_t hash_alg, const struct iotsec_key *key)
{
    memset(s, 0, sizeof(*s));
    s->put = put_hmac;
    return iotsec_crypto_hmac_init(&s->hash, hash_alg, key);
}

/* AES-CBC-MAC: run CBC over whole blocks as they fill; remember the last
 * ciphertext block, which after zero padding is the MAC (RFC 9053 3.2). */
static void put_cbcmac(struct sink *s, const uint8_t *p, size_t n)
{
    uint8_t out[32];
    size_t got;

    while (n > 0 && s->err == IOTSEC_OK) {
        size_t take = 16 - s->fill < n ? 16 - s->fill : n;
        memcpy(s->block + s->fill, p, take);
        s->fill += take;
        p += take;
        n -= take;
        if (s->fill == 16) {
            s->err = iotsec_crypto_cipher_update(&s->cipher, s->block, 16, out, sizeof(out), &got);
            if (got >= 16)
                memcpy(s->mac, out + got - 16, 16);
            s->fill = 0;
        }
    }
}

enum iotsec_err cose_sink_cbcmac(struct sink *s, int32_t cbc_alg, const struct iotsec_key *key)
{
    static const uint8_t zero_iv[16];

    memset(s, 0, sizeof(*s));
    s->put = put_cbcmac;
    return iotsec_crypto_cipher_init(&s->cipher, cbc_alg, key, zero_iv, 16, 0);
}

enum iotsec_err cose_sink_cbcmac_finish(struct sink *s, uint8_t mac[16])
{
    static const uint8_t zeros[16];
    uint8_t out[32];
    size_t n;
    enum iotsec_err err;

    /* zero padding to a whole block; then the seam's own PKCS#7 block
     * comes out of finish and is ignored */
    if (s->err == IOTSEC_OK && s->fill != 0)
        cose_sink_put(s, zeros, 16 - s->fill);
    err = iotsec_crypto_cipher_finish(&s->cipher, out, sizeof(out), &n, NULL, 0);
    if (s->err != IOTSEC_OK)
        err = s->err;
    memcpy(mac, s->mac, 16);
    iotsec_wipe(s, sizeof(*s));
    iotsec_wipe(out, sizeof(out));
    return err;
}

void cose_sink_put(struct sink *s, const uint8_t *p, size_t n)
{
    if (s->err == IOTSEC_OK && n != 0)
        s->put(s, p, n);
}

/* Write the head of a CBOR item (RFC 8949 section 3) of major type @p major
 * and argument @p v, in the shortest form that the to-be-processed
 * structures require (RFC 9052 section 9), then, when @p p is not NULL, the
 * @p v bytes at @p p (a string's content). */
void cose_sink_item(struct sink *s, unsigned major, const void *p, size_t v)
{
    uint8_t h[1 + sizeof(size_t)];
    unsigned ai = (unsigned)v, n = 0; /* n argument bytes follow */
    size_t x = v;

    if (v >= 24) {
        /* 1, 2, 4 or 8 bytes: additional information 24 to 27 */
        for (n = 1, ai = 24; n < sizeof(size_t) && v >> 8 * n != 0; n *= 2)
            ai++;
    }
    h[0] = (uint8_t)(major << 5 | ai);
    for (ai = n; ai > 0; ai--, x >>= 8)
        h[ai] = (uint8_t)x;
    cose_sink_put(s, h, n + 1u);
    if (p != NULL)
        cose_sink_put(s, p, v);
}

void cose_sig_structure(struct sink *s, const struct cose_sig *t, const struct iotsec_cbuf *aad)
{
    const struct iotsec_cbuf *part[5] = {&t->body_prot, t->sign_prot, aad, &t->payload, t->other};
    size_t i;

    /* the array head, then the context's head and its (under 24) bytes */
    cose_sink_put(s, (const uint8_t *)t->context, 2u + ((unsigned char)t->context[1] & 31u));
    for (i = 0; i < 5; i++) {
        if (part[i] == NULL)
            continue;
        if (i == 4)
            cose_sink_item(s, 4, NULL, 1); /* other_fields: an array of one bstr */
        cose_sink_item(s, 2, part[i]->ptr, part[i]->len);
    }
}

void cose_mac_structure(struct sink *s, const char *context, struct iotsec_cbuf prot,
                        struct iotsec_cbuf aad, struct iotsec_cbuf payload)
{
    cose_sink_item(s, 4, NULL, 4);
    cose_sink_tstr(s, context);
    cose_sink_bstr(s, prot);
    cose_sink_bstr(s, aad);
    cose_sink_bstr(s, payload);
}

void cose_enc_structure(struct sink *s, const char *context, struct iotsec_cbuf prot,
                        struct iotsec_cbuf aad)
{
    cose_sink_item(s, 4, NULL, 3);
    cose_sink_tstr(s, context);
    cose_sink_bstr(s, prot);
    cose_sink_bstr(s, aad);
}

void cose_sink_head(struct sink *s, unsigned major, uint64_t v)
{
    uint8_t h[9];

    cose_sink_put(s, h, iotsec_cbor_head_encode(h, major, v));
}
