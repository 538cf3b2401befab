/* SPDX-License-Identifier: Apache-2.0 */
/*
 * port/crypto/hsslms.c - HSS-LMS signature verification (RFC 8554), the
 * algorithm COSE names -46 (RFC 8778).
 *
 * Portable C11 over the crypto seam's SHA-256 only, so it works with every
 * backend: no allocation, no recursion, a few hundred bytes of stack. Verify
 * only: a device never signs with a stateful hash-based key.
 *
 * Parameter sets: LMS_SHA256_M32_H5..H25 (typecodes 5..9) with
 * LMOTS_SHA256_N32_W1..W8 (typecodes 1..4), mixed freely across the levels
 * of one HSS tree (RFC 8554 section 6). The SHA-256/192 and SHAKE sets of
 * RFC 9858 give IOTSEC_ERR_UNSUPPORTED_ALG.
 *
 * The input is untrusted: the whole structure is parsed and every length
 * checked before the first hash, with the exact total length required.
 * Results:
 *   IOTSEC_OK                  a valid signature
 *   IOTSEC_ERR_UNSUPPORTED_ALG an LMS or LM-OTS typecode this code does not
 *                              know, in the public key or in a public key
 *                              the signature carries
 *   IOTSEC_ERR_VERIFY_FAILED   anything else that is wrong: lengths, L out
 *                              of 1..8, Nspk != L-1, a typecode in a
 *                              signature that differs from its key's, q out
 *                              of range, a root that does not match
 *   IOTSEC_ERR_INVALID_ARG     NULL with a non-zero length
 *   IOTSEC_ERR_CRYPTO (or what the seam returns) when a hash call fails
 */
#include <string.h>

#include "crypto/crypto.h"

#define HSS_N 32             /* n = m = 32: SHA-256 output */
#define HSS_I_LEN 16         /* key pair identifier I */
#define HSS_MAX_LEVELS 8     /* RFC 8554 section 6: 1 <= L <= 8 */
/* u32str(lms type) || u32str(ots type) || I || T[1] */
#define HSS_LMS_PUB_LEN (4 + 4 + HSS_I_LEN + HSS_N)

/* Domain separators (RFC 8554) */
#define D_PBLC 0x8080u
#define D_MESG 0x8181u
#define D_LEAF 0x8282u
#define D_INTR 0x8383u

struct ots_param {
    uint32_t type;
    uint8_t w;  /* Winternitz parameter, bits per digit */
    uint16_t p; /* number of n-byte chains */
    uint8_t ls; /* left shift of the checksum */
};

/* RFC 8554 Table 1 (LM-OTS parameter sets) */
static const struct ots_param ots_params[] = {
    {1, 1, 265, 7}, /* LMOTS_SHA256_N32_W1 */
    {2, 2, 133, 6}, /* LMOTS_SHA256_N32_W2 */
    {3, 4, 67, 4},  /* LMOTS_SHA256_N32_W4 */
    {4, 8, 34, 0},  /* LMOTS_SHA256_N32_W8 */
};

static const struct ots_param *ots_by_type(uint32_t type)
{
    size_t i;

    for (i = 0; i < sizeof(ots_params) / sizeof(ots_params[0]); i++)
        if (ots_params[i].type == type)
            return &ots_params[i];
    return NULL;
}

/* RFC 8554 Table 2: LMS_SHA256_M32_H5..H25 are typecodes 5..9. Height
 * of the tree, 0 for a typecode this code does not support. */
static unsigned lms_height(uint32_t type)
{
    switch (type) {
    case 5: return 5;
    case 6: return 10;
    case 7: return 15;
    case 8: return 20;
    case 9: return 25;
    default: return 0;
    }
}

static uint32_t get_u32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
           (uint32_t)p[3];
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put_u16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* coef(S, i, w) of RFC 8554: the i-th w-bit digit of S,
 * most significant first. */
static unsigned coef(const uint8_t *s, unsigned i, unsigned w)
{
    unsigned per_byte = 8u / w;

    return ((unsigned)s[(i * w) / 8u] >> (8u - (w * (i % per_byte) + w))) & ((1u << w) - 1u);
}

/* Length of an LMS signature for the parameters of an LMS public key whose
 * typecodes are known to be supported. */
static size_t lms_sig_len(const struct ots_param *op, unsigned h)
{
    /* u32str(q) || ots_signature || u32str(lms type) || path[h] where
     * ots_signature = u32str(ots type) || C || y[p] */
    return 4u + (4u + HSS_N + (size_t)op->p * HSS_N) + 4u + (size_t)h * HSS_N;
}

/* Check the typecodes of an LMS public key that starts at @p key, with
 * @p avail bytes available, and that it is complete. */
static enum iotsec_err lms_pub_check(const uint8_t *key, size_t avail, const struct ots_param **op,
                                     unsigned *h)
{
    if (avail < 8)
        return IOTSEC_ERR_VERIFY_FAILED;
    *h = lms_height(get_u32(key));
    *op = ots_by_type(get_u32(key + 4));
    if (*h == 0 || *op == NULL)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    if (avail < HSS_LMS_PUB_LEN)
        return IOTSEC_ERR_VERIFY_FAILED;
    return IOTSEC_OK;
}

/* One level of the HSS chain, located by the parse pass. */
struct level {
    const uint8_t *key;  /* LMS public key, HSS_LMS_PUB_LEN bytes */
    const uint8_t *sig;  /* LMS signature, lms_sig_len() bytes */
    const struct ots_param *op;
    unsigned h;
};

/*
 * RFC 8554 Algorithm 4b: the candidate LM-OTS public key Kc
 * from the OTS signature (C at @p c, y[] at @p y) for @p msg under I, q.
 */
static enum iotsec_err ots_candidate(const struct ots_param *op, const uint8_t *id,
                                     const uint8_t *q, const uint8_t *c, const uint8_t *y,
                                     const uint8_t *msg, size_t msg_len, uint8_t *kc)
{
    struct iotsec_crypto_hash_ctx ctx;
    /* I || u32str(q) || u16str(i) || u8str(j) || tmp: one chain step */
    uint8_t buf[HSS_I_LEN + 4 + 2 + 1 + HSS_N];
    uint8_t qc[HSS_N + 2]; /* Q || Cksm(Q) */
    uint8_t tmp[HSS_N];
    const unsigned w = op->w, max = (1u << op->w) - 1u;
    unsigned i, j, a, sum = 0;
    size_t n;
    enum iotsec_err err;

    memcpy(buf, id, HSS_I_LEN);
    memcpy(buf + HSS_I_LEN, q, 4);

    /* Q = H(I || u32str(q) || u16str(D_MESG) || C || message) */
    put_u16(buf + HSS_I_LEN + 4, D_MESG);
    if ((err = iotsec_crypto_hash_init(&ctx, IOTSEC_ALG_SHA256)) != IOTSEC_OK)
        return err;
    if ((err = iotsec_crypto_hash_update(&ctx, buf, HSS_I_LEN + 4 + 2)) != IOTSEC_OK ||
        (err = iotsec_crypto_hash_update(&ctx, c, HSS_N)) != IOTSEC_OK ||
        (msg_len != 0 && (err = iotsec_crypto_hash_update(&ctx, msg, msg_len)) != IOTSEC_OK)) {
        iotsec_crypto_hash_abort(&ctx);
        return err;
    }
    if ((err = iotsec_crypto_hash_finish(&ctx, qc, HSS_N, &n)) != IOTSEC_OK)
        return err;
    if (n != HSS_N)
        return IOTSEC_ERR_CRYPTO;

    /* Cksm(Q) (Algorithm 2) */
    for (i = 0; i < HSS_N * 8u / w; i++)
        sum += max - coef(qc, i, w);
    put_u16(qc + HSS_N, (sum << op->ls) & 0xffffu);

    /* Kc = H(I || u32str(q) || u16str(D_PBLC) || z[0] || ... || z[p-1]) */
    if ((err = iotsec_crypto_hash_init(&ctx, IOTSEC_ALG_SHA256)) != IOTSEC_OK)
        return err;
    put_u16(buf + HSS_I_LEN + 4, D_PBLC);
    if ((err = iotsec_crypto_hash_update(&ctx, buf, HSS_I_LEN + 4 + 2)) != IOTSEC_OK)
        goto fail;
    for (i = 0; i < op->p; i++) {
        a = coef(qc, i, w);
        put_u16(buf + HSS_I_LEN + 4, i);
        memcpy(buf + HSS_I_LEN + 4 + 2 + 1, y + (size_t)i * HSS_N, HSS_N);
        for (j = a; j < max; j++) {
            /* tmp = H(I || u32str(q) || u16str(i) || u8str(j) || tmp) */
            buf[HSS_I_LEN + 4 + 2] = (uint8_t)j;
            if ((err = iotsec_crypto_hash(IOTSEC_ALG_SHA256, buf, sizeof(buf), tmp, sizeof(tmp),
                                          &n)) != IOTSEC_OK)
                goto fail;
            memcpy(buf + HSS_I_LEN + 4 + 2 + 1, tmp, HSS_N);
        }
        if ((err = iotsec_crypto_hash_update(&ctx, buf + HSS_I_LEN + 4 + 2 + 1, HSS_N)) !=
            IOTSEC_OK)
            goto fail;
    }
    if ((err = iotsec_crypto_hash_finish(&ctx, kc, HSS_N, &n)) != IOTSEC_OK)
        return err;
    return n == HSS_N ? IOTSEC_OK : IOTSEC_ERR_CRYPTO;
fail:
    iotsec_crypto_hash_abort(&ctx);
    return err;
}

/*
 * Verify one LMS signature whose structure (lengths, typecodes, q) the
 * parse pass has already checked: RFC 8554 Algorithm 6a gives the candidate
 * root Tc, which Algorithm 6 compares with T[1], here in constant time.
 */
static enum iotsec_err lms_verify(const struct level *lv, const uint8_t *msg, size_t msg_len)
{
    const uint8_t *id = lv->key + 8, *t1 = lv->key + 8 + HSS_I_LEN;
    const uint8_t *q = lv->sig, *c = lv->sig + 8, *y = lv->sig + 8 + HSS_N;
    const uint8_t *path = y + (size_t)lv->op->p * HSS_N + 4;
    /* I || u32str(r) || u16str(D) || left || right */
    uint8_t buf[HSS_I_LEN + 4 + 2 + 2 * HSS_N];
    uint8_t tmp[HSS_N];
    uint32_t r = ((uint32_t)1 << lv->h) + get_u32(q);
    unsigned i;
    size_t n;
    enum iotsec_err err;

    /* leaf: H(I || u32str(node_num) || u16str(D_LEAF) || Kc) */
    if ((err = ots_candidate(lv->op, id, q, c, y, msg, msg_len, buf + HSS_I_LEN + 4 + 2)) !=
        IOTSEC_OK)
        return err;
    memcpy(buf, id, HSS_I_LEN);
    put_u32(buf + HSS_I_LEN, r);
    put_u16(buf + HSS_I_LEN + 4, D_LEAF);
    if ((err = iotsec_crypto_hash(IOTSEC_ALG_SHA256, buf, HSS_I_LEN + 4 + 2 + HSS_N, tmp,
                                  sizeof(tmp), &n)) != IOTSEC_OK)
        return err;

    /* up the authentication path */
    put_u16(buf + HSS_I_LEN + 4, D_INTR);
    for (i = 0; r > 1; i++, r >>= 1) {
        const uint8_t *sib = path + (size_t)i * HSS_N;
        put_u32(buf + HSS_I_LEN, r >> 1);
        if (r & 1u) {
            memcpy(buf + HSS_I_LEN + 4 + 2, sib, HSS_N);
            memcpy(buf + HSS_I_LEN + 4 + 2 + HSS_N, tmp, HSS_N);
        } else {
            memcpy(buf + HSS_I_LEN + 4 + 2, tmp, HSS_N);
            memcpy(buf + HSS_I_LEN + 4 + 2 + HSS_N, sib, HSS_N);
        }
        if ((err = iotsec_crypto_hash(IOTSEC_ALG_SHA256, buf, sizeof(buf), tmp, sizeof(tmp),
                                      &n)) != IOTSEC_OK)
            return err;
    }
    return iotsec_ct_memcmp(tmp, t1, HSS_N) == 0 ? IOTSEC_OK : IOTSEC_ERR_VERIFY_FAILED;
}

/*
 * Parse an LMS signature for the key of @p lv at sig[*off..sig_len): check
 * it fits, its typecodes equal the key's and q is in range.
 */
static enum iotsec_err lms_sig_parse(struct level *lv, const uint8_t *sig, size_t sig_len,
                                     size_t *off)
{
    size_t len = lms_sig_len(lv->op, lv->h);
    const uint8_t *s;

    if (sig_len - *off < len)
        return IOTSEC_ERR_VERIFY_FAILED;
    s = sig + *off;
    /* q < 2^h; the OTS and LMS typecodes must be the key's (Algorithms
     * 4b and 6a) */
    if (get_u32(s) >= ((uint32_t)1 << lv->h) || get_u32(s + 4) != get_u32(lv->key + 4) ||
        get_u32(s + len - (size_t)lv->h * HSS_N - 4) != get_u32(lv->key))
        return IOTSEC_ERR_VERIFY_FAILED;
    lv->sig = s;
    *off += len;
    return IOTSEC_OK;
}

/* see port/crypto/crypto.h */
enum iotsec_err iotsec_hsslms_verify(const uint8_t *pub, size_t pub_len, const uint8_t *msg,
                                     size_t msg_len, const uint8_t *sig, size_t sig_len)
{
    struct level top, lv, next;
    uint32_t levels, i;
    size_t off;
    int pass;
    enum iotsec_err err;

    if ((pub == NULL && pub_len != 0) || (msg == NULL && msg_len != 0) ||
        (sig == NULL && sig_len != 0))
        return IOTSEC_ERR_INVALID_ARG;

    /* HSS public key: u32str(L) || LMS public key */
    if (pub_len < 4)
        return IOTSEC_ERR_VERIFY_FAILED;
    levels = get_u32(pub);
    if (levels < 1 || levels > HSS_MAX_LEVELS)
        return IOTSEC_ERR_VERIFY_FAILED;
    if ((err = lms_pub_check(pub + 4, pub_len - 4, &top.op, &top.h)) != IOTSEC_OK)
        return err;
    if (pub_len != 4 + HSS_LMS_PUB_LEN)
        return IOTSEC_ERR_VERIFY_FAILED;
    top.key = pub + 4;
    top.sig = NULL;

    /* HSS signature (RFC 8554): u32str(Nspk) || (sig[i] || pub[i+1])
     * for i < Nspk || sig[Nspk]. Pass 0 only parses, so that no hash is
     * spent on a malformed signature; pass 1 walks the same levels again
     * and verifies: each one signs the next level's public key, the last
     * one the message. Two walks keep the stack independent of L. */
    if (sig_len < 4 || get_u32(sig) != levels - 1)
        return IOTSEC_ERR_VERIFY_FAILED;
    for (pass = 0; pass < 2; pass++) {
        lv = top;
        off = 4;
        for (i = 0; i < levels; i++) {
            if ((err = lms_sig_parse(&lv, sig, sig_len, &off)) != IOTSEC_OK)
                return err;
            if (i + 1 == levels) {
                if (off != sig_len)
                    return IOTSEC_ERR_VERIFY_FAILED;
                if (pass == 1 && (err = lms_verify(&lv, msg, msg_len)) != IOTSEC_OK)
                    return err;
                break;
            }
            if ((err = lms_pub_check(sig + off, sig_len - off, &next.op, &next.h)) != IOTSEC_OK)
                return err;
            next.key = sig + off;
            next.sig = NULL;
            off += HSS_LMS_PUB_LEN;
            if (pass == 1 && (err = lms_verify(&lv, next.key, HSS_LMS_PUB_LEN)) != IOTSEC_OK)
                return err;
            lv = next;
        }
    }
    return IOTSEC_OK;
}
