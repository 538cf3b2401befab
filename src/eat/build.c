/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building a claims set on the device, and signing it. Claims go out in
 * the order the device puts them. The map head, whose size depends on the
 * claim count, is inserted in front at finish with one move of the body,
 * so the head is in preferred serialization and the buffer need hold no
 * more than the result. Each claim iotsec knows is checked as it is put;
 * the first problem sticks and finish reports it.
 */
#include <string.h>

#include "../cose/cose_int.h" /* cose_mac_tag_len: a token's size is known before it is signed */
#include "eat_int.h"

#define BIT(k) IOTSEC_EAT_BIT(k)
/* In b->present: dbgstat 3 was put (bits 52..63 belong to no claim). */
#define B_DBG_PERMANENT (1ull << 63)

/* see iotsec/eat.h */
void iotsec_eat_build_begin(struct iotsec_eat_builder *b, uint8_t *buf, size_t cap)
{
    iotsec_cbor_enc_init(&b->e, buf, cap);
    b->n = 0;
    b->present = 0;
    b->err = IOTSEC_OK;
}

/*
 * Start claim @p key, whose value the caller writes next, when @p ok says
 * the value fits the claim; else the builder fails. A claim iotsec knows
 * may be put once.
 */
static bool start(struct iotsec_eat_builder *b, int64_t key, bool ok)
{
    if (b->err != IOTSEC_OK)
        return false;
    if (eat_key_known(key)) {
        ok = ok && (b->present & BIT(key)) == 0;
        b->present |= BIT(key);
    }
    if (!ok) {
        b->err = IOTSEC_ERR_INVALID_ARG;
        return false;
    }
    iotsec_cbor_enc_int(&b->e, key);
    b->n++;
    return true;
}

/* see iotsec/eat.h */
void iotsec_eat_put_bstr(struct iotsec_eat_builder *b, int64_t key, const uint8_t *p, size_t n)
{
    bool ok;

    switch (key) {
    case IOTSEC_EAT_NONCE:
        ok = n >= 8 && n <= 64;
        break;
    case IOTSEC_EAT_UEID:
        ok = n >= 7 && n <= 33;
        break;
    case IOTSEC_EAT_OEMID:
        ok = n == 3 || n == 16;
        break;
    case IOTSEC_EAT_HWMODEL:
        ok = n >= 1 && n <= 32;
        break;
    case IOTSEC_EAT_PROFILE: /* an OID's bytes */
        ok = n >= 1;
        break;
    case IOTSEC_EAT_CTI:
    case IOTSEC_EAT_BOOTSEED:
        ok = true;
        break;
    default:
        ok = !eat_key_known(key);
        break;
    }
    if (start(b, key, ok && (p != NULL || n == 0)))
        iotsec_cbor_enc_bstr(&b->e, p, n);
}

/* see iotsec/eat.h */
void iotsec_eat_put_text(struct iotsec_eat_builder *b, int64_t key, const char *s, size_t n)
{
    bool ok;

    switch (key) {
    case IOTSEC_EAT_ISS:
    case IOTSEC_EAT_SUB:
    case IOTSEC_EAT_AUD:
    case IOTSEC_EAT_SWNAME:
        ok = true;
        break;
    case IOTSEC_EAT_PROFILE: /* a URI */
        ok = n >= 1;
        break;
    default:
        ok = !eat_key_known(key);
        break;
    }
    ok = ok && (s != NULL || n == 0) && iotsec_utf8_valid((const uint8_t *)s, n);
    if (start(b, key, ok))
        iotsec_cbor_enc_tstr(&b->e, s, n);
}

/* see iotsec/eat.h */
void iotsec_eat_put_uint(struct iotsec_eat_builder *b, int64_t key, uint64_t v)
{
    bool ok;

    switch (key) {
    case IOTSEC_EAT_UPTIME:
    case IOTSEC_EAT_BOOTCOUNT:
        ok = true;
        break;
    case IOTSEC_EAT_DBGSTAT:
        ok = v <= IOTSEC_EAT_DBG_DISABLED_FULLY_AND_PERMANENTLY;
        break;
    case IOTSEC_EAT_EXP:
    case IOTSEC_EAT_NBF:
    case IOTSEC_EAT_IAT:
    case IOTSEC_EAT_OEMID: /* a PEN */
    case IOTSEC_EAT_INTUSE:
        ok = v <= (uint64_t)INT64_MAX; /* what a receiver's int64_t holds */
        break;
    default:
        ok = !eat_key_known(key);
        break;
    }
    if (!start(b, key, ok))
        return;
    if (key == IOTSEC_EAT_DBGSTAT && v == IOTSEC_EAT_DBG_DISABLED_PERMANENTLY)
        b->present |= B_DBG_PERMANENT;
    iotsec_cbor_enc_uint(&b->e, v);
}

/* see iotsec/eat.h */
void iotsec_eat_put_int(struct iotsec_eat_builder *b, int64_t key, int64_t v)
{
    bool ok;

    if (v >= 0) {
        iotsec_eat_put_uint(b, key, (uint64_t)v);
        return;
    }
    switch (key) {
    case IOTSEC_EAT_EXP:
    case IOTSEC_EAT_NBF:
    case IOTSEC_EAT_IAT:
    case IOTSEC_EAT_INTUSE:
        ok = true;
        break;
    default: /* uptime, bootcount, dbgstat and a PEN (major type 0) are unsigned */
        ok = !eat_key_known(key);
        break;
    }
    if (start(b, key, ok))
        iotsec_cbor_enc_int(&b->e, v);
}

/* see iotsec/eat.h */
void iotsec_eat_put_bool(struct iotsec_eat_builder *b, int64_t key, bool v)
{
    if (start(b, key, key == IOTSEC_EAT_OEMBOOT || !eat_key_known(key)))
        iotsec_cbor_enc_bool(&b->e, v);
}

/* see iotsec/eat.h */
void iotsec_eat_put_version(struct iotsec_eat_builder *b, int64_t key, const char *version,
                            size_t n, int64_t scheme)
{
    bool ok = (key == IOTSEC_EAT_HWVERSION || key == IOTSEC_EAT_SWVERSION ||
               !eat_key_known(key)) &&
              (version != NULL || n == 0) && iotsec_utf8_valid((const uint8_t *)version, n);

    if (!start(b, key, ok))
        return;
    iotsec_cbor_enc_array(&b->e, scheme != 0 ? 2 : 1);
    iotsec_cbor_enc_tstr(&b->e, version, n);
    if (scheme != 0)
        iotsec_cbor_enc_int(&b->e, scheme);
}

/* see iotsec/eat.h */
void iotsec_eat_put_entries(struct iotsec_eat_builder *b, int64_t key,
                            const struct iotsec_eat_entry *entries, size_t n)
{
    bool ok = (key == IOTSEC_EAT_MANIFESTS || key == IOTSEC_EAT_MEASUREMENTS ||
               !eat_key_known(key)) &&
              n >= 1 && entries != NULL;
    size_t i;

    for (i = 0; ok && i < n; i++) {
        const struct iotsec_eat_entry *e = &entries[i];
        ok = e->content_format <= 65535 && (e->value.ptr != NULL || e->value.len == 0) &&
             (!e->text || iotsec_utf8_valid(e->value.ptr, e->value.len));
    }
    if (!start(b, key, ok))
        return;
    iotsec_cbor_enc_array(&b->e, n);
    for (i = 0; i < n; i++) {
        iotsec_cbor_enc_array(&b->e, 2);
        iotsec_cbor_enc_uint(&b->e, entries[i].content_format);
        if (entries[i].text)
            iotsec_cbor_enc_tstr(&b->e, (const char *)entries[i].value.ptr, entries[i].value.len);
        else
            iotsec_cbor_enc_bstr(&b->e, entries[i].value.ptr, entries[i].value.len);
    }
}

/* see iotsec/eat.h */
void iotsec_eat_put_raw(struct iotsec_eat_builder *b, int64_t key, const uint8_t *value, size_t n)
{
    struct iotsec_eat_claims tmp;
    /* one item, of the claim's type when iotsec knows the claim, and as
     * definite and short as the builder writes its own values */
    bool ok = value != NULL && eat_claim_check(key, value, n, &tmp) == IOTSEC_OK &&
              eat_preferred(value, n);

    if (!start(b, key, ok))
        return;
    if (key == IOTSEC_EAT_DBGSTAT && tmp.dbgstat == IOTSEC_EAT_DBG_DISABLED_PERMANENTLY)
        b->present |= B_DBG_PERMANENT;
    iotsec_cbor_enc_raw(&b->e, value, n);
}

/* Known claims in @p present (the private bit aside). */
static size_t known_count(uint64_t present)
{
    size_t n = 0;

    for (present &= ~B_DBG_PERMANENT; present != 0; present &= present - 1)
        n++;
    return n;
}

/* see iotsec/eat.h */
enum iotsec_err iotsec_eat_build_finish(struct iotsec_eat_builder *b, struct iotsec_cbuf *cs)
{
    struct iotsec_cbor_enc *e = &b->e;
    const uint64_t p = b->present;
    const size_t body = e->len;
    uint8_t head[9], *w;
    size_t hl;
    enum iotsec_err err;

    cs->ptr = NULL;
    cs->len = 0;
    /* RFC 9711 4.2.4, 4.2.5, 4.2.7, 4.2.8, 4.2.9.4: claims that need another */
    if (b->err == IOTSEC_OK &&
        (((p & (BIT(IOTSEC_EAT_HWMODEL) | BIT(IOTSEC_EAT_OEMBOOT) | B_DBG_PERMANENT)) &&
          !(p & BIT(IOTSEC_EAT_OEMID))) ||
         ((p & BIT(IOTSEC_EAT_HWVERSION)) && !(p & BIT(IOTSEC_EAT_HWMODEL))) ||
         ((p & BIT(IOTSEC_EAT_SWVERSION)) && !(p & BIT(IOTSEC_EAT_SWNAME)))))
        b->err = IOTSEC_ERR_INVALID_ARG;
    if (b->err != IOTSEC_OK)
        return b->err;
    hl = iotsec_cbor_head_encode(head, IOTSEC_CBOR_MAP, b->n);
    /* counts the length even when the buffer is short, for the caller */
    w = iotsec_cbor_enc_reserve(e, hl);
    if (w != NULL) {
        memmove(e->buf + hl, e->buf, body);
        memcpy(e->buf, head, hl);
    }
    if ((err = iotsec_cbor_enc_finish(e, cs)) != IOTSEC_OK)
        return err;
    /* A claim iotsec does not know cannot be told from a second one as it
     * is put; the validator finds a key that came twice. */
    if (cs->ptr != NULL && known_count(p) != b->n) {
        struct iotsec_cbor_dec d;
        if (iotsec_cbor_dec_init(&d, cs->ptr, cs->len, 0, NULL) != IOTSEC_OK) {
            cs->ptr = NULL;
            b->err = IOTSEC_ERR_INVALID_ARG;
            return b->err;
        }
    }
    b->err = IOTSEC_ERR_BAD_STATE; /* finished: further puts and finishes are refused */
    return IOTSEC_OK;
}

/* The algorithm for @p key when the caller names none. */
static int32_t default_alg(const struct iotsec_key *key)
{
    if (key->alg != 0)
        return key->alg;
    switch (key->kty) {
    case IOTSEC_KTY_SYMMETRIC:
        return IOTSEC_ALG_HMAC256;
    case IOTSEC_KTY_EC2:
        return key->crv == IOTSEC_CRV_P256   ? IOTSEC_ALG_ES256
               : key->crv == IOTSEC_CRV_P384 ? IOTSEC_ALG_ES384
               : key->crv == IOTSEC_CRV_P521 ? IOTSEC_ALG_ES512
                                             : 0;
    case IOTSEC_KTY_OKP:
        return key->crv == IOTSEC_CRV_ED25519 || key->crv == IOTSEC_CRV_ED448 ? IOTSEC_ALG_EDDSA
                                                                              : 0;
    default:
        return 0;
    }
}

/* Length of the signature or tag @p alg makes with @p key; 0 if unknown. */
static size_t sig_len(int32_t alg, const struct iotsec_key *key)
{
    size_t n;

    if (alg == IOTSEC_ALG_EDDSA)
        return key->crv == IOTSEC_CRV_ED448 ? 114 : 64;
    n = iotsec_crypto_sig_len(alg);
    return n != 0 ? n : cose_mac_tag_len(alg);
}

/* A byte string of @p n bytes, head included. */
static size_t bstr_size(size_t n)
{
    uint8_t h[9];

    return iotsec_cbor_head_encode(h, IOTSEC_CBOR_BSTR, n) + n;
}

/* see iotsec/eat.h */
enum iotsec_err iotsec_eat_sign(struct iotsec_buf out, struct iotsec_cbuf *token,
                                struct iotsec_cbuf cs, const struct iotsec_key *key, int32_t alg,
                                struct iotsec_cbuf kid, unsigned flags)
{
    /* the unprotected map lives as long as the signing: not in the block
     * that fills it */
    uint8_t prot[8], unprot[2 + 9 + IOTSEC_MAX_EAT_KID];
    const size_t pre = (flags & IOTSEC_EAT_SIGN_CWT_TAG) != 0 ? 2 : 0;
    struct iotsec_cose_signer_in s;
    struct iotsec_cose_opts o;
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf msg = {NULL, 0};
    size_t sl, need;
    enum iotsec_err err;

    token->ptr = NULL;
    token->len = 0;
    if (kid.len > IOTSEC_MAX_EAT_KID || (kid.ptr == NULL && kid.len != 0) ||
        (cs.ptr == NULL && cs.len != 0))
        return IOTSEC_ERR_INVALID_ARG;
    if (alg == 0 && (alg = default_alg(key)) == 0)
        return IOTSEC_ERR_UNSUPPORTED_KEY;
    /* protected {1: alg}; unprotected {4: kid}, or {} */
    iotsec_cbor_enc_init(&e, prot, sizeof(prot));
    iotsec_cbor_enc_map(&e, 1);
    iotsec_cbor_enc_uint(&e, IOTSEC_COSE_HDR_ALG);
    iotsec_cbor_enc_int(&e, alg);
    (void)iotsec_cbor_enc_finish(&e, &s.hdr.prot);
    s.hdr.unprot.ptr = NULL;
    s.hdr.unprot.len = 0;
    if (kid.len != 0) {
        iotsec_cbor_enc_init(&e, unprot, sizeof(unprot));
        iotsec_cbor_enc_map(&e, 1);
        iotsec_cbor_enc_uint(&e, IOTSEC_COSE_HDR_KID);
        iotsec_cbor_enc_bstr(&e, kid.ptr, kid.len);
        (void)iotsec_cbor_enc_finish(&e, &s.hdr.unprot);
    }
    s.key = key;

    /* The size is known before signing: a short buffer costs no signature.
     * tag(1) [prot, unprot, payload, signature] */
    if ((sl = sig_len(alg, key)) == 0)
        return IOTSEC_ERR_UNSUPPORTED_ALG;
    need = pre + 2 + bstr_size(s.hdr.prot.len) + (kid.len != 0 ? s.hdr.unprot.len : 1) +
           bstr_size(cs.len) + bstr_size(sl);
    token->len = need;
    if (out.ptr == NULL)
        return IOTSEC_OK;
    if (out.len < need)
        return IOTSEC_ERR_BUFFER_TOO_SMALL;

    memset(&o, 0, sizeof(o));
    /* EdDSA signs the whole Sig_structure, which is shorter than the token
     * (its "Signature1" is shorter than the signature): build it where the
     * token will go */
    o.scratch.ptr = out.ptr + pre;
    o.scratch.len = out.len - pre;
    if (key->kty == IOTSEC_KTY_SYMMETRIC)
        err = iotsec_cose_mac0((struct iotsec_buf){out.ptr + pre, out.len - pre}, &msg, &s.hdr,
                               key, cs, &o);
    else
        err = iotsec_cose_sign1((struct iotsec_buf){out.ptr + pre, out.len - pre}, &msg, &s, cs,
                                &o);
    if (err != IOTSEC_OK) {
        token->len = err == IOTSEC_ERR_BUFFER_TOO_SMALL ? pre + msg.len : 0;
        return err;
    }
    if (pre != 0)
        (void)iotsec_cbor_head_encode(out.ptr, IOTSEC_CBOR_TAG, IOTSEC_EAT_TAG_CWT);
    token->ptr = out.ptr;
    token->len = pre + msg.len;
    return IOTSEC_OK;
}
