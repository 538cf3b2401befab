/* SPDX-License-Identifier: Apache-2.0 */
/* see suit_env.h */
#include "suit_env.h"

#include <string.h>

#include "crypto/crypto.h"

size_t suit_env_wrap(const uint8_t *man, size_t n, const struct iotsec_key *key,
                     const char *fw_name, const uint8_t *fw, size_t fw_len, uint8_t *out,
                     size_t cap)
{
    static const uint8_t mac_prot[] = {0xa1, 0x01, 0x05};  /* {1: 5} HMAC 256/256 */
    static const uint8_t sign_prot[] = {0xa1, 0x01, 0x28}; /* {1: -9} ESP256 */
    uint8_t hash[32], dig[48], cose[256], auth[320], head[9];
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf db, cb, ab, res;
    struct iotsec_cose_opts o;
    struct iotsec_crypto_hash_ctx hc;
    size_t hl, headlen;

    /* SUIT_Digest over the bstr-wrapped manifest, hashed without a copy */
    headlen = iotsec_cbor_head_encode(head, 2, n);
    if (iotsec_crypto_hash_init(&hc, IOTSEC_ALG_SHA256) != IOTSEC_OK ||
        iotsec_crypto_hash_update(&hc, head, headlen) != IOTSEC_OK ||
        iotsec_crypto_hash_update(&hc, man, n) != IOTSEC_OK ||
        iotsec_crypto_hash_finish(&hc, hash, sizeof(hash), &hl) != IOTSEC_OK)
        return 0;
    iotsec_cbor_enc_init(&e, dig, sizeof(dig));
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_int(&e, IOTSEC_ALG_SHA256);
    iotsec_cbor_enc_bstr(&e, hash, hl);
    if (iotsec_cbor_enc_finish(&e, &db) != IOTSEC_OK)
        return 0;
    memset(&o, 0, sizeof(o));
    o.detach = true;
    if (key->kty == IOTSEC_KTY_SYMMETRIC) {
        struct iotsec_cose_hdr_in h = {{mac_prot, sizeof(mac_prot)}, {NULL, 0}};
        if (iotsec_cose_mac0((struct iotsec_buf){cose, sizeof(cose)}, &cb, &h, key, db, &o) !=
            IOTSEC_OK)
            return 0;
    } else {
        struct iotsec_cose_signer_in s;
        s.hdr.prot = (struct iotsec_cbuf){sign_prot, sizeof(sign_prot)};
        s.hdr.unprot = (struct iotsec_cbuf){NULL, 0};
        s.key = key;
        if (iotsec_cose_sign1((struct iotsec_buf){cose, sizeof(cose)}, &cb, &s, db, &o) !=
            IOTSEC_OK)
            return 0;
    }
    iotsec_cbor_enc_init(&e, auth, sizeof(auth));
    iotsec_cbor_enc_array(&e, 2);
    iotsec_cbor_enc_bstr(&e, db.ptr, db.len);
    iotsec_cbor_enc_bstr(&e, cb.ptr, cb.len);
    if (iotsec_cbor_enc_finish(&e, &ab) != IOTSEC_OK)
        return 0;

    iotsec_cbor_enc_init(&e, out, cap);
    iotsec_cbor_enc_tag(&e, IOTSEC_SUIT_TAG_ENVELOPE);
    iotsec_cbor_enc_map(&e, fw_name != NULL ? 3 : 2);
    iotsec_cbor_enc_uint(&e, 2);
    iotsec_cbor_enc_bstr(&e, ab.ptr, ab.len);
    iotsec_cbor_enc_uint(&e, 3);
    iotsec_cbor_enc_bstr(&e, man, n);
    if (fw_name != NULL) {
        iotsec_cbor_enc_text(&e, fw_name);
        iotsec_cbor_enc_bstr(&e, fw, fw_len);
    }
    return iotsec_cbor_enc_finish(&e, &res) == IOTSEC_OK ? res.len : 0;
}

size_t suit_env_manifest(uint64_t seq, int64_t key, const uint8_t *cmds, size_t n, uint8_t *out,
                         size_t cap)
{
    static const uint8_t common[] = {0xa1, 0x02, 0x81, 0x81, 0x41, 0x00}; /* {2: [[h'00']]} */
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf mb;

    iotsec_cbor_enc_init(&e, out, cap);
    iotsec_cbor_enc_map(&e, 4);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_uint(&e, 1);
    iotsec_cbor_enc_uint(&e, 2);
    iotsec_cbor_enc_uint(&e, seq);
    iotsec_cbor_enc_uint(&e, 3);
    iotsec_cbor_enc_bstr(&e, common, sizeof(common));
    iotsec_cbor_enc_int(&e, key);
    iotsec_cbor_enc_bstr(&e, cmds, n);
    return iotsec_cbor_enc_finish(&e, &mb) == IOTSEC_OK ? mb.len : 0;
}

/* Does the int list under @p key of the capability report hold @p v? */
bool suit_env_cap_has(struct iotsec_cbuf caps, int64_t key, int64_t v)
{
    struct iotsec_cbor_dec d, m, l, a;
    int64_t x;

    /* the report must be deterministic; a build without deterministic-mode
     * decoding checks it strictly all the same */
    if (iotsec_cbor_dec_init(&d, caps.ptr, caps.len,
                             IOTSEC_CBOR_DETERMINISTIC_DECODE ? IOTSEC_CBOR_DETERMINISTIC : 0u,
                             NULL) != IOTSEC_OK ||
        iotsec_cbor_enter_map(&d, &m, NULL) != IOTSEC_OK ||
        iotsec_cbor_map_find_int(&m, key, &l) != IOTSEC_OK ||
        iotsec_cbor_enter_array(&l, &a, NULL) != IOTSEC_OK)
        return false;
    while (iotsec_cbor_get_int(&a, &x) == IOTSEC_OK)
        if (x == v)
            return true;
    return false;
}
