/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SUIT command interpreter (draft-ietf-suit-manifest-34 section 6,
 * trust domains, firmware encryption, update management). Iterative: an
 * explicit frame stack carries try-each and run-sequence, so nesting is
 * bounded by IOTSEC_MAX_SUIT_NESTING and no recursion happens.
 */
#include <stddef.h>
#include <string.h>

#include "suit_int.h"

/* Is component @p c a dependency (trust domains)? Constant false when
 * built without trust domains, so that their paths are left out. */
#define IS_DEPENDENCY(ctx, c) (IOTSEC_SUIT_TRUST_DOMAINS && (((ctx)->is_dependency >> (c)) & 1u))

/* ---- parameters ---- */

int suit_param_slot(int64_t label)
{
    static const int8_t map[31] = {
        -1, P_VENDOR_ID, P_CLASS_ID, P_IMAGE_DIGEST, P_USE_BEFORE, P_COMPONENT_SLOT, -1, -1, -1,
        -1, -1, -1, P_STRICT_ORDER, P_SOFT_FAILURE, P_IMAGE_SIZE, -1, -1, -1, P_CONTENT,
        P_ENCRYPTION_INFO, -1, P_URI, P_SOURCE_COMPONENT, P_INVOKE_ARGS, P_DEVICE_ID,
        P_FETCH_ARGS, P_MINIMUM_BATTERY, P_UPDATE_PRIORITY, P_VERSION, P_WAIT_INFO,
        P_COMPONENT_METADATA};

    return label >= 0 && label < 31 ? map[label] : -1;
}

/* A one-item cursor on parameter @p slot of component @p c, if set. */
SUIT_OUTLINE static bool param(const struct iotsec_suit_ctx *ctx, size_t c, int slot,
                               struct iotsec_cbor_dec *v)
{
    const uint8_t *at = ctx->param[c][slot];

    if (at == NULL)
        return false;
    /* a dependency may hold values its dependent set, in the dependent's envelope */
    if (IOTSEC_SUIT_TRUST_DOMAINS && ctx->outer.ptr != NULL && at >= ctx->outer.ptr &&
        at < ctx->outer.ptr + ctx->outer.len)
        suit_item(v, &ctx->outer, at);
    else
        suit_item(v, &ctx->m.envelope, at);
    return true;
}

static bool param_bstr(const struct iotsec_suit_ctx *ctx, size_t c, int slot,
                       struct iotsec_cbuf *b)
{
    struct iotsec_cbor_dec v;

    return param(ctx, c, slot, &v) && iotsec_cbor_get_bstr(&v, b) == IOTSEC_OK;
}

static bool param_uint(const struct iotsec_suit_ctx *ctx, size_t c, int slot, uint64_t *u)
{
    struct iotsec_cbor_dec v;

    return param(ctx, c, slot, &v) && iotsec_cbor_get_uint(&v, u) == IOTSEC_OK;
}

/*
 * Set parameters from the map that is the next item of @p d, for the
 * components in @p comps; the map is consumed from @p d (so that it is
 * walked once, not skipped first and walked again). @p only_unset
 * implements set-parameters (trust domains): keep values already set.
 * Unknown non-negative labels are unsupported; custom (negative) ones are
 * ignored unless the platform handles custom commands.
 */
static enum iotsec_err set_params(struct iotsec_suit_ctx *ctx, struct iotsec_cbor_dec *d,
                                  uint32_t comps, bool only_unset)
{
    struct iotsec_cbor_dec e;

    if (iotsec_cbor_enter_map(d, &e, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    for (;;) {
        int64_t label;
        const uint8_t *value;
        uint32_t left;
        int slot;
        size_t c;
        enum iotsec_err err = iotsec_cbor_get_int(&e, &label);

        if (err == IOTSEC_ERR_CBOR_END)
            break; /* every entry done */
        if (err != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        value = e.p;
        (void)iotsec_cbor_skip(&e);
        slot = suit_param_slot(label);
        if (slot < 0) {
            if (label < 0)
                continue; /* custom parameter: meaningful only to custom commands */
            return IOTSEC_ERR_UNSUPPORTED;
        }
        for (c = 0, left = comps; left != 0; c++, left >>= 1)
            if ((left & 1u) && (!only_unset || ctx->param[c][slot] == NULL))
                ctx->param[c][slot] = value;
    }
    return iotsec_cbor_leave(d, &e);
}

/* ---- storage helpers (through the platform, streaming via scratch) ---- */

/*
 * Read component @p c (@p size bytes) through scratch, as much at a time as
 * fits, into hash @p h, or else comparing it with @p cmp (a difference
 * fails the condition). A platform that returns nothing fails.
 */
static enum iotsec_err scan(struct iotsec_suit_ctx *ctx, size_t c, uint64_t size,
                            struct iotsec_crypto_hash_ctx *h, const uint8_t *cmp)
{
    const struct iotsec_suit_platform *p = ctx->plat;
    uint64_t off;
    size_t got;

    for (off = 0; off < size; off += got) {
        size_t want = size - off < ctx->scratch.len ? (size_t)(size - off) : ctx->scratch.len;
        enum iotsec_err err = p->read(p->ctx, ctx->comp[c], off, ctx->scratch.ptr, want, &got);
        if (err == IOTSEC_OK && got == 0)
            err = IOTSEC_ERR_IO;
        if (err == IOTSEC_OK) {
            if (h != NULL)
                err = iotsec_crypto_hash_update(h, ctx->scratch.ptr, got);
            else if (iotsec_ct_memcmp(ctx->scratch.ptr, cmp + off, got) != 0)
                err = IOTSEC_ERR_VERIFY_FAILED;
        }
        if (err != IOTSEC_OK)
            return err;
    }
    return IOTSEC_OK;
}

/* The size of component @p c, which is to be read: a platform that cannot
 * tell it or read it does not support that. */
static enum iotsec_err readable_size(struct iotsec_suit_ctx *ctx, size_t c, uint64_t *size)
{
    const struct iotsec_suit_platform *p = ctx->plat;

    if (p->size == NULL || p->read == NULL)
        return IOTSEC_ERR_UNSUPPORTED;
    return p->size(p->ctx, ctx->comp[c], size);
}

/* Hash component @p c (or, for a dependency, nothing: see image_match). */
static enum iotsec_err hash_component(struct iotsec_suit_ctx *ctx, size_t c, int32_t alg,
                                      uint64_t expect_size, bool check_size, uint8_t *out,
                                      size_t *out_len)
{
    const struct iotsec_suit_platform *p = ctx->plat;
    struct iotsec_crypto_hash_ctx h;
    uint64_t size;
    enum iotsec_err err;

    /* the platform knows the digest of what it holds (not of what this
     * run wrote); the size, when given, is checked either way */
    if (p->digest != NULL && !((ctx->written >> c) & 1u)) {
        if (check_size && p->size != NULL) {
            if ((err = p->size(p->ctx, ctx->comp[c], &size)) != IOTSEC_OK)
                return err;
            if (size != expect_size)
                return IOTSEC_ERR_DIGEST_MISMATCH;
        }
        return p->digest(p->ctx, ctx->comp[c], alg, out, out_len);
    }
    if ((err = readable_size(ctx, c, &size)) != IOTSEC_OK)
        return err;
    if (check_size && size != expect_size)
        return IOTSEC_ERR_DIGEST_MISMATCH;
    if ((err = iotsec_crypto_hash_init(&h, alg)) != IOTSEC_OK)
        return err;
    if ((err = scan(ctx, c, size, &h, NULL)) != IOTSEC_OK) {
        iotsec_crypto_hash_abort(&h);
        return err;
    }
    return iotsec_crypto_hash_finish(&h, out, IOTSEC_MAX_HASH, out_len);
}

#if IOTSEC_SUIT_TRUST_DOMAINS
/*
 * Read dependency @p c's envelope into the top of scratch; @p rest (may be
 * NULL) is what remains for the work done on it.
 */
static enum iotsec_err dep_envelope(struct iotsec_suit_ctx *ctx, size_t c, struct iotsec_cbuf *env,
                                    struct iotsec_buf *rest)
{
    const struct iotsec_suit_platform *p = ctx->plat;
    uint64_t size, off = 0;
    uint8_t *at;
    enum iotsec_err err;

    if (p->size == NULL || p->read == NULL)
        return IOTSEC_ERR_UNSUPPORTED;
    if ((err = p->size(p->ctx, ctx->comp[c], &size)) != IOTSEC_OK)
        return err;
    if (size + 256 > ctx->scratch.len)
        return IOTSEC_ERR_LIMIT; /* a dependency must fit in scratch with room to work */
    at = ctx->scratch.ptr + ctx->scratch.len - (size_t)size;
    while (off < size) {
        size_t got;
        if ((err = p->read(p->ctx, ctx->comp[c], off, at + off, (size_t)(size - off), &got)) !=
                IOTSEC_OK ||
            got == 0)
            return err != IOTSEC_OK ? err : IOTSEC_ERR_IO;
        off += got;
    }
    env->ptr = at;
    env->len = (size_t)size;
    if (rest != NULL) {
        rest->ptr = ctx->scratch.ptr;
        rest->len = ctx->scratch.len - (size_t)size;
    }
    return IOTSEC_OK;
}

/* The digest a dependency is known by: over its bstr-wrapped manifest. */
static enum iotsec_err dep_digest(struct iotsec_suit_ctx *ctx, size_t c, int32_t alg, uint8_t *out,
                                  size_t *out_len, uint64_t *env_len)
{
    struct iotsec_cbor_dec d, e, v;
    struct iotsec_cbuf env, span;
    enum iotsec_err err;

    if ((err = dep_envelope(ctx, c, &env, NULL)) != IOTSEC_OK)
        return err;
    *env_len = env.len;
    if (iotsec_cbor_dec_init(&d, env.ptr, env.len, 0, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_VERIFY_FAILED;
    suit_skip_tag(&d, IOTSEC_SUIT_TAG_ENVELOPE);
    if (iotsec_cbor_enter_map(&d, &e, NULL) != IOTSEC_OK ||
        iotsec_cbor_map_find_int(&e, IOTSEC_SUIT_MANIFEST, &v) != IOTSEC_OK ||
        suit_major(&v) != IOTSEC_CBOR_BSTR || iotsec_cbor_get_span(&v, &span) != IOTSEC_OK)
        return IOTSEC_ERR_VERIFY_FAILED;
    return iotsec_crypto_hash(alg, span.ptr, span.len, out, IOTSEC_MAX_HASH, out_len);
}
#endif

/* condition-image-match for component @p c. */
SUIT_OUTLINE static enum iotsec_err image_match(struct iotsec_suit_ctx *ctx, size_t c)
{
    uint8_t h[IOTSEC_MAX_HASH];
    struct iotsec_cbuf digest, want;
    uint64_t size = 0;
    size_t hl;
    int32_t alg;
    enum iotsec_err err;
    bool has_size;

    if (!param_bstr(ctx, c, P_IMAGE_DIGEST, &digest))
        return IOTSEC_ERR_MALFORMED; /* image-digest is required here */
    if ((err = suit_digest_parse(digest, &alg, &want)) != IOTSEC_OK)
        return err;
    has_size = param_uint(ctx, c, P_IMAGE_SIZE, &size);
    if (ctx->dry_run && ((ctx->written >> c) & 1u)) {
        if (IS_DEPENDENCY(ctx, c))
            ctx->dependency_checked |= 1u << c;
        return IOTSEC_OK; /* its content is written later in this run */
    }
#if IOTSEC_SUIT_TRUST_DOMAINS
    if ((ctx->is_dependency >> c) & 1u) {
        /* a dependency is known by its manifest digest; a match is its
         * integrity check, whichever condition asked (trust domains 6.2) */
        uint64_t env_len;
        err = dep_digest(ctx, c, alg, h, &hl, &env_len);
        if (err == IOTSEC_OK && has_size && env_len != size)
            return IOTSEC_ERR_VERIFY_FAILED;
        if (err == IOTSEC_OK && hl == want.len && iotsec_ct_memcmp(h, want.ptr, hl) == 0) {
            ctx->dependency_checked |= 1u << c;
            return IOTSEC_OK;
        }
    } else
#endif
    {
        err = hash_component(ctx, c, alg, size, has_size, h, &hl);
    }
    if (err == IOTSEC_ERR_NOT_FOUND)
        return IOTSEC_ERR_VERIFY_FAILED; /* an empty component matches nothing */
    if (err == IOTSEC_ERR_DIGEST_MISMATCH)
        return IOTSEC_ERR_VERIFY_FAILED;
    if (err != IOTSEC_OK)
        return err;
    /* a digest of another length (a platform hook's) matches nothing */
    return hl == want.len && iotsec_ct_memcmp(h, want.ptr, hl) == 0 ? IOTSEC_OK
                                                                     : IOTSEC_ERR_VERIFY_FAILED;
}

/*
 * Decrypting writer: the content key comes from the encryption-info
 * (a COSE_Encrypt with detached ciphertext) and the platform's keys; the
 * content streams through the seam's cipher. AES-GCM's tag is checked at
 * the end; the staged output is then committed only if everything passed.
 */
struct dec_state {
    struct iotsec_crypto_cipher_ctx cipher;
    struct iotsec_key cek_key;
    uint8_t cek[32];
    uint8_t tag[16];
    size_t tag_len;
    bool active;
};

/* Is @p ds decrypting? Constant false when built without firmware
 * encryption, so that the decrypting paths are left out. */
#define DECRYPTING(ds) (IOTSEC_SUIT_ENCRYPTION && (ds)->active)

#if IOTSEC_SUIT_ENCRYPTION
static enum iotsec_err decrypt_setup(struct iotsec_suit_ctx *ctx, struct iotsec_cbuf info,
                                     struct dec_state *ds, uint64_t *ct_len)
{
    static const uint8_t other[] = "SUIT Payload Encryption";
    struct iotsec_cose_msg m;
    struct iotsec_cose_opts o;
    struct iotsec_cose_result r;
    uint8_t aad[128];
    size_t kl, al;
    enum iotsec_err err;

    if (ctx->plat->decryption_keys == NULL)
        return IOTSEC_ERR_NOT_FOUND;
    if ((err = iotsec_cose_decode(info.ptr, info.len, IOTSEC_COSE_ENCRYPT, NULL, 0, &m)) !=
        IOTSEC_OK)
        return err;
    if (m.content.ptr != NULL)
        return IOTSEC_ERR_MALFORMED; /* the ciphertext is the payload, detached */
    memset(&o, 0, sizeof(o));
    o.kdf.pub_other.ptr = other; /* draft-ietf-suit-firmware-encryption: SuppPubInfo other */
    o.kdf.pub_other.len = sizeof(other) - 1;
    o.scratch = ctx->scratch;
    if ((err = iotsec_cose_recipient_key(&m, ctx->plat->decryption_keys, &o, m.hdr.alg, ds->cek,
                                         sizeof(ds->cek), &kl, &r)) != IOTSEC_OK)
        return err;
    iotsec_key_init_symmetric(&ds->cek_key, ds->cek, kl);
    if (m.hdr.iv.ptr == NULL)
        return IOTSEC_ERR_MALFORMED;
    ds->tag_len = iotsec_crypto_aead_tag_len((int32_t)m.hdr.alg);
    if (ds->tag_len != 0 && (m.hdr.alg < IOTSEC_ALG_A128GCM || m.hdr.alg > IOTSEC_ALG_A256GCM))
        return IOTSEC_ERR_UNSUPPORTED_ALG; /* streaming AEAD: AES-GCM only */
    if (ds->tag_len == 0 && (m.hdr.alg < IOTSEC_ALG_A128CTR || m.hdr.alg > IOTSEC_ALG_A256CTR))
        return IOTSEC_ERR_UNSUPPORTED_ALG; /* AES-CTR without a tag; CBC is not a SUIT mode */
    if ((err = iotsec_crypto_cipher_init(&ds->cipher, (int32_t)m.hdr.alg, &ds->cek_key,
                                         m.hdr.iv.ptr, m.hdr.iv.len, 1)) != IOTSEC_OK)
        return err;
    ds->active = true;
    if (ds->tag_len != 0) {
        /* AAD = Enc_structure ["Encrypt", protected, h''] */
        struct iotsec_cbor_enc e;
        struct iotsec_cbuf enc;
        iotsec_cbor_enc_init(&e, aad, sizeof(aad));
        iotsec_cbor_enc_array(&e, 3);
        iotsec_cbor_enc_text(&e, "Encrypt");
        iotsec_cbor_enc_bstr(&e, m.hdr.prot_map.p != NULL ? m.hdr.prot.ptr : NULL,
                             m.hdr.prot_map.p != NULL ? m.hdr.prot.len : 0);
        iotsec_cbor_enc_bstr(&e, NULL, 0);
        if ((err = iotsec_cbor_enc_finish(&e, &enc)) != IOTSEC_OK)
            return err;
        al = enc.len;
        if ((err = iotsec_crypto_cipher_aad(&ds->cipher, aad, al)) != IOTSEC_OK)
            return err;
        if (*ct_len < ds->tag_len)
            return IOTSEC_ERR_MALFORMED;
        *ct_len -= ds->tag_len; /* the tag trails the ciphertext */
    }
    return IOTSEC_OK;
}
#endif

static enum iotsec_err decrypt_begin(struct iotsec_suit_ctx *ctx, size_t c, struct dec_state *ds,
                                     uint64_t *ct_len)
{
    struct iotsec_cbuf info;

    /* built without firmware encryption, @p ds is never read (DECRYPTING) */
    if (IOTSEC_SUIT_ENCRYPTION)
        memset(ds, 0, sizeof(*ds));
    if (!param_bstr(ctx, c, P_ENCRYPTION_INFO, &info)) /* plaintext, unless set otherwise */
        return ctx->param[c][P_ENCRYPTION_INFO] == NULL ? IOTSEC_OK : IOTSEC_ERR_MALFORMED;
#if IOTSEC_SUIT_ENCRYPTION
    return decrypt_setup(ctx, info, ds, ct_len);
#else
    (void)ct_len;
    return IOTSEC_ERR_UNSUPPORTED; /* built without firmware encryption */
#endif
}

static void decrypt_abort(struct dec_state *ds)
{
    if (DECRYPTING(ds))
        iotsec_crypto_cipher_abort(&ds->cipher);
    if (IOTSEC_SUIT_ENCRYPTION) /* it holds the content key */
        iotsec_wipe(ds, sizeof(*ds));
}

/* Source of bytes for a write: content in the manifest, or a component. */
struct source {
    struct iotsec_cbuf mem; /* when the source is in memory */
    bool from_comp;
    size_t comp;
};

static enum iotsec_err src_read(struct iotsec_suit_ctx *ctx, const struct source *s, uint64_t off,
                                uint8_t *buf, size_t len, size_t *got)
{
#if IOTSEC_SUIT_OPTIONAL_COMMANDS
    if (s->from_comp) /* copy */
        return ctx->plat->read(ctx->plat->ctx, ctx->comp[s->comp], off, buf, len, got);
#else
    (void)ctx;
#endif
    /* (stage() never reads past the content: off <= s->mem.len) */
    *got = s->mem.len - (size_t)off < len ? s->mem.len - (size_t)off : len;
    memcpy(buf, s->mem.ptr + off, *got);
    return IOTSEC_OK;
}

/*
 * Stage @p total bytes from @p s into component @p c, decrypting when the
 * component has encryption-info. Half of scratch holds input, half output.
 */
static enum iotsec_err stage(struct iotsec_suit_ctx *ctx, size_t c, const struct source *s,
                             uint64_t total)
{
    const struct iotsec_suit_platform *p = ctx->plat;
    struct dec_state ds;
    size_t half = (ctx->scratch.len / 2) & ~(size_t)15;
    uint8_t *in = ctx->scratch.ptr, *out = ctx->scratch.ptr + half;
    uint64_t off = 0, ct_len = total;
    enum iotsec_err err;

    /* (scratch holds at least 256 bytes, see iotsec_suit_process() and
     * process_dependency(): half is 128 or more) */
    if (p->write_begin == NULL || p->write == NULL || p->write_end == NULL)
        return IOTSEC_ERR_UNSUPPORTED;
    if ((err = decrypt_begin(ctx, c, &ds, &ct_len)) != IOTSEC_OK)
        goto out;
    if ((err = p->write_begin(p->ctx, ctx->comp[c])) != IOTSEC_OK)
        goto out;
    while (off < ct_len) {
        size_t want = ct_len - off < half - 16 ? (size_t)(ct_len - off) : half - 16, got, n;
        if ((err = src_read(ctx, s, off, in, want, &got)) != IOTSEC_OK)
            goto out;
        if (got == 0) {
            err = IOTSEC_ERR_IO;
            goto out;
        }
        if (DECRYPTING(&ds)) {
            if ((err = iotsec_crypto_cipher_update(&ds.cipher, in, got, out, half, &n)) !=
                IOTSEC_OK)
                goto out;
            err = p->write(p->ctx, ctx->comp[c], out, n);
        } else {
            err = p->write(p->ctx, ctx->comp[c], in, got);
        }
        if (err != IOTSEC_OK)
            goto out;
        off += got;
    }
    if (DECRYPTING(&ds)) {
        size_t n, got;
        if (ds.tag_len != 0 &&
            ((err = src_read(ctx, s, ct_len, ds.tag, ds.tag_len, &got)) != IOTSEC_OK ||
             got != ds.tag_len)) {
            err = err != IOTSEC_OK ? err : IOTSEC_ERR_MALFORMED;
            goto out;
        }
        ds.active = false; /* finish releases the context */
        err = iotsec_crypto_cipher_finish(&ds.cipher, out, half, &n, ds.tag_len ? ds.tag : NULL,
                                          ds.tag_len);
        if (err == IOTSEC_OK && n != 0)
            err = p->write(p->ctx, ctx->comp[c], out, n);
        if (err != IOTSEC_OK)
            goto out;
    }
    err = p->write_end(p->ctx, ctx->comp[c]);
out:
    decrypt_abort(&ds);
    iotsec_wipe(ctx->scratch.ptr, ctx->scratch.len);
    return err;
}

#if IOTSEC_SUIT_TRUST_DOMAINS
static enum iotsec_err process_dependency(struct iotsec_suit_ctx *ctx, size_t c);
#endif
static enum iotsec_err step(struct iotsec_suit_ctx *ctx, int key, bool keep);
static enum iotsec_err load_components(struct iotsec_suit_ctx *ctx);

/* ---- the interpreter ---- */

enum frame_kind { F_SEQ, F_TRY, F_LOOP };

struct frame {
    struct iotsec_cbor_dec cmds;    /* F_SEQ: commands; F_TRY: branches; F_LOOP: the argument */
    enum frame_kind kind;
    bool soft;                      /* F_SEQ: soft-failure in effect */
    bool nil_ok;                    /* F_TRY: the branch list ends with nil */
    int cmd;                        /* F_LOOP: try-each or run-sequence */
    uint32_t todo, saved;           /* F_LOOP: components still to run, the saved index set */
};

struct machine {
    size_t sp;                      /* (first: small offsets reach it) */
    const uint8_t *seq_base;        /* for record offsets */
    /* one sequence, and a try-each or run-sequence, per level of nesting;
     * without those commands nothing nests */
    struct frame f[IOTSEC_SUIT_OPTIONAL_COMMANDS ? IOTSEC_MAX_SUIT_NESTING * 2 + 2 : 1];
};

static void record(struct iotsec_suit_ctx *ctx, const struct machine *mc, const uint8_t *at,
                   size_t c, int64_t cmd, enum iotsec_err err)
{
    struct iotsec_suit_record r;

    if (ctx->plat->record == NULL)
        return;
    r.dependency = ctx->depth != 0 ? (int32_t)ctx->dependency : -1;
    r.section = ctx->section;
    r.offset = (size_t)(at - mc->seq_base);
    r.component = c;
    r.command = cmd;
    r.err = err;
    r.dry_run = ctx->dry_run;
    ctx->plat->record(ctx->plat->ctx, &r);
}

/* A cleared frame of @p kind on top of @p mc; NULL when nesting is too deep. */
static struct frame *push_frame(struct machine *mc, enum frame_kind kind)
{
    struct frame *f;

    if (mc->sp + 1 >= sizeof(mc->f) / sizeof(mc->f[0]))
        return NULL;
    f = &mc->f[++mc->sp];
    *f = (struct frame){.kind = kind};
    return f;
}

/* Push a sequence given as a bstr holding a command array. @p valid: the
 * bstr's content passed iotsec_cbor_dec_init() earlier in this call. */
static enum iotsec_err push_seq(struct machine *mc, struct iotsec_cbuf seq, bool soft, bool valid)
{
    struct frame *f;
    struct iotsec_cbor_dec d;
    enum iotsec_err err = IOTSEC_OK;

    if ((f = push_frame(mc, F_SEQ)) == NULL)
        return IOTSEC_ERR_LIMIT;
    f->soft = soft;
    if (valid)
        suit_item(&d, &seq, seq.ptr);
    else
        err = iotsec_cbor_dec_init(&d, seq.ptr, seq.len, 0, NULL);
    if (err == IOTSEC_OK && iotsec_cbor_enter_array(&d, &f->cmds, NULL) != IOTSEC_OK)
        err = IOTSEC_ERR_MALFORMED;
    if (err != IOTSEC_OK)
        mc->sp--;
    return err;
}

#if IOTSEC_SUIT_OPTIONAL_COMMANDS
/* Start the next try-each branch of frame @p t; false when none is left. */
static enum iotsec_err next_branch(struct machine *mc, bool *started)
{
    struct frame *t = &mc->f[mc->sp];
    struct iotsec_cbuf seq;

    *started = false;
    if (iotsec_cbor_at_end(&t->cmds))
        return IOTSEC_OK;
    if (iotsec_cbor_get_bstr(&t->cmds, &seq) != IOTSEC_OK) {
        /* a trailing nil makes the try-each succeed when no branch did */
        if (*t->cmds.p != SUIT_CBOR_NULL)
            return IOTSEC_ERR_MALFORMED;
        (void)iotsec_cbor_skip(&t->cmds); /* (not at the end: the nil is there) */
        if (!iotsec_cbor_at_end(&t->cmds))
            return IOTSEC_ERR_MALFORMED;
        t->nil_ok = true;
        return IOTSEC_OK;
    }
    *started = true;
    return push_seq(mc, seq, true, false); /* soft-failure defaults to true in a branch */
}

/* Run the body of try-each / run-sequence at argument cursor @p arg. */
static enum iotsec_err start_body(struct machine *mc, int cmd, struct iotsec_cbor_dec arg)
{
    if (cmd == IOTSEC_SUIT_DIR_RUN_SEQUENCE) {
        struct iotsec_cbuf seq;
        if (iotsec_cbor_get_bstr(&arg, &seq) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        /* a sub-sequence keeps the soft-failure of the sequence it runs in */
        return push_seq(mc, seq, mc->f[mc->sp].soft, false);
    } else {
        struct frame *t;
        bool started;
        enum iotsec_err err;
        if ((t = push_frame(mc, F_TRY)) == NULL)
            return IOTSEC_ERR_LIMIT;
        if (iotsec_cbor_enter_array(&arg, &t->cmds, NULL) != IOTSEC_OK) {
            mc->sp--;
            return IOTSEC_ERR_MALFORMED;
        }
        if ((err = next_branch(mc, &started)) != IOTSEC_OK)
            return err;
        if (!started && !t->nil_ok)
            return IOTSEC_ERR_MALFORMED; /* try-each needs at least one branch */
        return IOTSEC_OK;
    }
}

/* The source-component parameter of component @p c (copy, swap): set, an
 * index of this manifest, and not @p c itself; else -1. */
SUIT_OUTLINE static int source_index(const struct iotsec_suit_ctx *ctx, size_t c)
{
    uint64_t src;

    return param_uint(ctx, c, P_SOURCE_COMPONENT, &src) && src < ctx->n_index && src != c
               ? (int)src
               : -1;
}
#endif /* IOTSEC_SUIT_OPTIONAL_COMMANDS */

/*
 * condition-version (update management): the version parameter is
 * [type, [+int]] with type 1 greater, 2 greater-equal, 3 equal,
 * 4 lesser-equal, 5 lesser. The component's version is compared element by
 * element over the length of the longer list, a missing element counting
 * as 0 (so 1.2 equals 1.2.0).
 */
#if IOTSEC_SUIT_UPDATE_MANAGEMENT
#define SUIT_VERSION_PARTS 8
static enum iotsec_err version_match(struct iotsec_suit_ctx *ctx, size_t c)
{
    const struct iotsec_suit_platform *p = ctx->plat;
    int64_t have[SUIT_VERSION_PARTS], want[SUIT_VERSION_PARTS];
    struct iotsec_cbor_dec v, a, vals;
    size_t nh = 0, nw = 0, i;
    int64_t type;
    int cmp = 0;
    enum iotsec_err err;

    if (!param(ctx, c, P_VERSION, &v) || iotsec_cbor_enter_array(&v, &a, NULL) != IOTSEC_OK ||
        iotsec_cbor_get_int(&a, &type) != IOTSEC_OK || type < 1 || type > 5 ||
        iotsec_cbor_enter_array(&a, &vals, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    while (!iotsec_cbor_at_end(&vals)) {
        if (nw == SUIT_VERSION_PARTS)
            return IOTSEC_ERR_LIMIT;
        if (iotsec_cbor_get_int(&vals, &want[nw++]) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
    }
    if (nw == 0)
        return IOTSEC_ERR_MALFORMED; /* [+int] */
    if (p->version == NULL)
        return IOTSEC_ERR_UNSUPPORTED;
    if ((err = p->version(p->ctx, ctx->comp[c], have, SUIT_VERSION_PARTS, &nh)) != IOTSEC_OK)
        return err == IOTSEC_ERR_NOT_FOUND ? IOTSEC_ERR_VERIFY_FAILED : err;
    if (nh > SUIT_VERSION_PARTS)
        return IOTSEC_ERR_IO;
    for (i = 0; i < SUIT_VERSION_PARTS && cmp == 0 && (i < nh || i < nw); i++) {
        int64_t h = i < nh ? have[i] : 0, w = i < nw ? want[i] : 0;
        cmp = h < w ? -1 : h > w;
    }
    switch (type) {
    case 1: return cmp > 0 ? IOTSEC_OK : IOTSEC_ERR_VERIFY_FAILED;
    case 2: return cmp >= 0 ? IOTSEC_OK : IOTSEC_ERR_VERIFY_FAILED;
    case 3: return cmp == 0 ? IOTSEC_OK : IOTSEC_ERR_VERIFY_FAILED;
    case 4: return cmp <= 0 ? IOTSEC_OK : IOTSEC_ERR_VERIFY_FAILED;
    default: return cmp < 0 ? IOTSEC_OK : IOTSEC_ERR_VERIFY_FAILED;
    }
}
#endif

/* What kind of command a command number is (IANA "SUIT Commands"). */
#define K_COND 1u   /* a condition */
#define K_SHARED 2u /* allowed in the shared sequence (manifest section 6.5) */
#define K_ONCE 4u   /* a directive that acts once, not on each selected component */
/* Above those bits: which case of act() runs a condition or a directive
 * that acts on each selected component (0: none, unsupported). Dense
 * numbers keep act()'s jump table short; those every build has come
 * first. */
enum act_id {
    A_NONE,
    A_VENDOR_ID,
    A_CLASS_ID,
    A_DEVICE_ID,
    A_IMAGE_MATCH,
    A_COMPONENT_SLOT,
    A_CHECK_CONTENT,
    A_ABORT,
    A_WRITE,
    A_COPY,
    A_FETCH,
    A_SWAP,
    A_INVOKE,
    A_IMAGE_NOT_MATCH,
    A_USE_BEFORE,
    A_MINIMUM_BATTERY,
    A_UPDATE_AUTHORIZED,
    A_VERSION,
    A_IS_DEPENDENCY,
    A_DEPENDENCY_INTEGRITY,
    A_PROCESS_DEPENDENCY,
    A_UNLINK,
    A_WAIT
};
#define K_ACT(a) ((unsigned)(a) << 3)
#define K_CONDITION(a) (K_COND | K_SHARED | K_ACT(a))

SUIT_OUTLINE static unsigned command_kind(int cmd)
{
    static const uint8_t kind[36] = {
        [IOTSEC_SUIT_COND_VENDOR_ID] = K_CONDITION(A_VENDOR_ID),
        [IOTSEC_SUIT_COND_CLASS_ID] = K_CONDITION(A_CLASS_ID),
        [IOTSEC_SUIT_COND_IMAGE_MATCH] = K_CONDITION(A_IMAGE_MATCH),
        [IOTSEC_SUIT_COND_USE_BEFORE] = K_CONDITION(A_USE_BEFORE),
        [IOTSEC_SUIT_COND_COMPONENT_SLOT] = K_CONDITION(A_COMPONENT_SLOT),
        [IOTSEC_SUIT_COND_CHECK_CONTENT] = K_CONDITION(A_CHECK_CONTENT),
        [IOTSEC_SUIT_COND_DEPENDENCY_INTEGRITY] = K_CONDITION(A_DEPENDENCY_INTEGRITY),
        [IOTSEC_SUIT_COND_IS_DEPENDENCY] = K_CONDITION(A_IS_DEPENDENCY),
        [IOTSEC_SUIT_COND_ABORT] = K_CONDITION(A_ABORT),
        [IOTSEC_SUIT_COND_DEVICE_ID] = K_CONDITION(A_DEVICE_ID),
        [IOTSEC_SUIT_COND_IMAGE_NOT_MATCH] = K_CONDITION(A_IMAGE_NOT_MATCH),
        [IOTSEC_SUIT_COND_MINIMUM_BATTERY] = K_CONDITION(A_MINIMUM_BATTERY),
        [IOTSEC_SUIT_COND_UPDATE_AUTHORIZED] = K_CONDITION(A_UPDATE_AUTHORIZED),
        [IOTSEC_SUIT_COND_VERSION] = K_CONDITION(A_VERSION),
        [IOTSEC_SUIT_DIR_PROCESS_DEPENDENCY] = K_ACT(A_PROCESS_DEPENDENCY),
        [IOTSEC_SUIT_DIR_WRITE] = K_ACT(A_WRITE),
        [IOTSEC_SUIT_DIR_FETCH] = K_ACT(A_FETCH),
        [IOTSEC_SUIT_DIR_COPY] = K_ACT(A_COPY),
        [IOTSEC_SUIT_DIR_INVOKE] = K_ACT(A_INVOKE),
        [IOTSEC_SUIT_DIR_WAIT] = K_ACT(A_WAIT),
        [IOTSEC_SUIT_DIR_SWAP] = K_ACT(A_SWAP),
        [IOTSEC_SUIT_DIR_UNLINK] = K_ACT(A_UNLINK),
        [IOTSEC_SUIT_DIR_SET_COMPONENT_INDEX] = K_SHARED | K_ONCE,
        [IOTSEC_SUIT_DIR_TRY_EACH] = K_SHARED,
        [IOTSEC_SUIT_DIR_RUN_SEQUENCE] = K_SHARED,
        [IOTSEC_SUIT_DIR_OVERRIDE_PARAMETERS] = K_SHARED | K_ONCE,
        [IOTSEC_SUIT_DIR_SET_PARAMETERS] = K_SHARED | K_ONCE,
        [IOTSEC_SUIT_DIR_OVERRIDE_MULTIPLE] = K_SHARED | K_ONCE,
        [IOTSEC_SUIT_DIR_COPY_PARAMS] = K_SHARED | K_ONCE,
    };

    return cmd >= 0 && cmd < 36 ? kind[cmd] : 0u;
}

/* A component index argument: uint, true, or an array of uints. */
static enum iotsec_err select_components(struct iotsec_suit_ctx *ctx, struct iotsec_cbor_dec *arg)
{
    uint64_t i;
    struct iotsec_cbor_dec a = *arg; /* one uint: read from a copy of @p arg */
    uint32_t set = 0;

    if (*arg->p == SUIT_CBOR_TRUE) {
        ctx->selected = (uint32_t)((1ull << ctx->n_index) - 1u);
        return IOTSEC_OK;
    }
    /* (false, like any other item that is neither a uint nor an array, is
     * malformed) */
    if (suit_major(arg) != IOTSEC_CBOR_UINT && iotsec_cbor_enter_array(arg, &a, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    while (iotsec_cbor_get_uint(&a, &i) == IOTSEC_OK) {
        if (i >= ctx->n_index)
            return IOTSEC_ERR_MALFORMED;
        set |= 1u << i;
    }
    /* (@p arg is not read again: an array need not be left) */
    if (!iotsec_cbor_at_end(&a) || set == 0)
        return IOTSEC_ERR_MALFORMED;
    ctx->selected = set;
    return IOTSEC_OK;
}

/* write / copy / fetch (@p a: A_WRITE, A_COPY or A_FETCH) into component @p c. */
static enum iotsec_err put_content(struct iotsec_suit_ctx *ctx, int a, size_t c)
{
    const struct iotsec_suit_platform *p = ctx->plat;
    struct source s;
    uint64_t total = 0;
#if IOTSEC_SUIT_OPTIONAL_COMMANDS || IOTSEC_SUIT_INTEGRATED_PAYLOADS
    enum iotsec_err err;
#endif

    memset(&s, 0, sizeof(s));
    if (IS_DEPENDENCY(ctx, c) && a != A_FETCH)
        return IOTSEC_ERR_MALFORMED;
    switch (a) {
#if IOTSEC_SUIT_OPTIONAL_COMMANDS
    case A_WRITE:
        if (!param_bstr(ctx, c, P_CONTENT, &s.mem))
            return IOTSEC_ERR_MALFORMED;
        total = s.mem.len;
        break;
    case A_COPY: {
        int src = source_index(ctx, c);
        if (src < 0)
            return IOTSEC_ERR_MALFORMED;
        s.from_comp = true;
        s.comp = (size_t)src;
        if (ctx->dry_run)
            break;
        if ((err = readable_size(ctx, s.comp, &total)) != IOTSEC_OK)
            return err;
        break;
    }
#endif
    default: { /* fetch */
        struct iotsec_cbuf uri;
        struct iotsec_cbor_dec v;
        if (!param(ctx, c, P_URI, &v) || iotsec_cbor_get_tstr(&v, &uri) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        if (uri.len > 0 && uri.ptr[0] == '#') {
#if IOTSEC_SUIT_INTEGRATED_PAYLOADS
            /* an integrated payload travels inside this (authenticated) envelope */
            if ((err = suit_integrated(&ctx->m, uri, &s.mem)) != IOTSEC_OK)
                return err;
            total = s.mem.len;
            break;
#else
            return IOTSEC_ERR_UNSUPPORTED;
#endif
        }
        if (p->fetch == NULL)
            return IOTSEC_ERR_UNSUPPORTED;
        if (ctx->dry_run)
            break;
        ctx->written |= 1u << c;
        return p->fetch(p->ctx, ctx->comp[c], uri);
    }
    }
    ctx->written |= 1u << c; /* the real run marks it too: see procedure() */
    if (ctx->dry_run)
        return IOTSEC_OK;
    return stage(ctx, c, &s, total);
}

/* Leave a single-pass invoke procedure for the dry-run-first one: something
 * ran that the single pass cannot hold back (see procedure()). */
static enum iotsec_err restart(struct iotsec_suit_ctx *ctx)
{
    ctx->restart = true;
    return IOTSEC_ERR_BAD_STATE;
}

/* One directive that acts once, not per component (K_ONCE).
 * @p arg: a cursor whose next item is the argument (for set- and
 * override-parameters, the sequence's own cursor: see set_params()). */
static enum iotsec_err directive(struct iotsec_suit_ctx *ctx, int cmd,
                                 struct iotsec_cbor_dec *arg)
{
    switch (cmd) {
    case IOTSEC_SUIT_DIR_SET_COMPONENT_INDEX:
        return select_components(ctx, arg);
    case IOTSEC_SUIT_DIR_OVERRIDE_PARAMETERS:
        return set_params(ctx, arg, ctx->selected, false);
    case IOTSEC_SUIT_DIR_SET_PARAMETERS:
        return set_params(ctx, arg, ctx->selected, true);
#if IOTSEC_SUIT_UPDATE_MANAGEMENT
    case IOTSEC_SUIT_DIR_OVERRIDE_MULTIPLE: {
        /* {component index: {params}} */
        struct iotsec_cbor_dec m = *arg, e;
        uint64_t idx;
        enum iotsec_err err;
        if (iotsec_cbor_enter_map(&m, &e, NULL) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        while (!iotsec_cbor_at_end(&e)) {
            if (iotsec_cbor_get_uint(&e, &idx) != IOTSEC_OK || idx >= ctx->n_index)
                return IOTSEC_ERR_MALFORMED;
            if ((err = set_params(ctx, &e, 1u << idx, false)) != IOTSEC_OK)
                return err;
        }
        return IOTSEC_OK;
    }
    case IOTSEC_SUIT_DIR_COPY_PARAMS: {
        /* {source index: [+ parameter label]} into the selected components */
        struct iotsec_cbor_dec m = *arg, e, l;
        uint64_t src;
        int64_t label;
        size_t c;
        if (iotsec_cbor_enter_map(&m, &e, NULL) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        while (!iotsec_cbor_at_end(&e)) {
            if (iotsec_cbor_get_uint(&e, &src) != IOTSEC_OK || src >= ctx->n_index ||
                iotsec_cbor_enter_array(&e, &l, NULL) != IOTSEC_OK)
                return IOTSEC_ERR_MALFORMED;
            while (iotsec_cbor_get_int(&l, &label) == IOTSEC_OK) {
                int slot = suit_param_slot(label);
                if (slot < 0)
                    return IOTSEC_ERR_UNSUPPORTED;
                for (c = 0; c < ctx->n_index; c++)
                    if ((ctx->selected >> c) & 1u)
                        ctx->param[c][slot] = ctx->param[src][slot];
            }
            if (iotsec_cbor_leave(&e, &l) != IOTSEC_OK)
                return IOTSEC_ERR_MALFORMED;
        }
        return IOTSEC_OK;
    }
#endif
    default:
        break;
    }

    /* the others act on each selected component: see run() */
    return ctx->selected == 0 ? IOTSEC_ERR_MALFORMED : IOTSEC_ERR_UNSUPPORTED;
}

/* Start component @p c with its invoke-args, if any. */
static enum iotsec_err invoke(struct iotsec_suit_ctx *ctx, size_t c)
{
    struct iotsec_cbuf args = {NULL, 0};

    (void)param_bstr(ctx, c, P_INVOKE_ARGS, &args);
    return ctx->plat->invoke(ctx->plat->ctx, ctx->comp[c], args);
}

/* Compare an identity parameter with the device's. */
static enum iotsec_err check_identity(const struct iotsec_suit_ctx *ctx, size_t c, int a)
{
    /* by act_id from A_VENDOR_ID: the parameter, the platform's value */
    static const uint8_t slot[3] = {P_VENDOR_ID, P_CLASS_ID, P_DEVICE_ID};
    static const uint8_t at[3] = {offsetof(struct iotsec_suit_platform, vendor_id),
                                  offsetof(struct iotsec_suit_platform, class_id),
                                  offsetof(struct iotsec_suit_platform, device_id)};
    struct iotsec_cbuf want, mine;

    a -= A_VENDOR_ID;
    memcpy(&mine, (const uint8_t *)ctx->plat + at[a], sizeof(mine));
    if (!param_bstr(ctx, c, slot[a], &want))
        return IOTSEC_ERR_MALFORMED; /* the parameter must be set (and a bstr) */
    return mine.len == want.len && mine.len != 0 && memcmp(mine.ptr, want.ptr, want.len) == 0
               ? IOTSEC_OK
               : IOTSEC_ERR_VERIFY_FAILED;
}

/*
 * One condition, or one directive that acts on each selected component
 * (@p a: its enum act_id), on component @p c. One switch for both: run()
 * walks the selected components once for either.
 */
SUIT_OUTLINE static enum iotsec_err act(struct iotsec_suit_ctx *ctx, int a, size_t c)
{
    const struct iotsec_suit_platform *p = ctx->plat;
#if IOTSEC_SUIT_OPTIONAL_COMMANDS || IOTSEC_SUIT_UPDATE_MANAGEMENT
    uint64_t want, have; /* a condition's value, and the device's */
    enum iotsec_err err;
#endif

    switch (a) {
    case A_VENDOR_ID:
    case A_CLASS_ID:
#if IOTSEC_SUIT_OPTIONAL_COMMANDS
    case A_DEVICE_ID:
#endif
        return check_identity(ctx, c, a);
    case A_IMAGE_MATCH:
        return image_match(ctx, c);
#if IOTSEC_SUIT_UPDATE_MANAGEMENT
    case A_IMAGE_NOT_MATCH:
        err = image_match(ctx, c);
        if (err == IOTSEC_OK)
            return ctx->dry_run && ((ctx->written >> c) & 1u) ? IOTSEC_OK
                                                              : IOTSEC_ERR_VERIFY_FAILED;
        return err == IOTSEC_ERR_VERIFY_FAILED ? IOTSEC_OK : err;
#endif
#if IOTSEC_SUIT_OPTIONAL_COMMANDS
    case A_COMPONENT_SLOT:
        if (!param_uint(ctx, c, P_COMPONENT_SLOT, &want))
            return IOTSEC_ERR_MALFORMED;
        if (p->component_slot == NULL)
            return IOTSEC_ERR_UNSUPPORTED;
        if ((err = p->component_slot(p->ctx, ctx->comp[c], &have)) != IOTSEC_OK)
            return err;
        return have == want ? IOTSEC_OK : IOTSEC_ERR_VERIFY_FAILED;
    case A_CHECK_CONTENT: {
        struct iotsec_cbuf content;
        uint64_t size;
        if (!param_bstr(ctx, c, P_CONTENT, &content))
            return IOTSEC_ERR_MALFORMED;
        if (ctx->dry_run && ((ctx->written >> c) & 1u))
            return IOTSEC_OK;
        if ((err = readable_size(ctx, c, &size)) != IOTSEC_OK)
            return err == IOTSEC_ERR_NOT_FOUND ? IOTSEC_ERR_VERIFY_FAILED : err;
        if (size != content.len)
            return IOTSEC_ERR_VERIFY_FAILED;
        return scan(ctx, c, size, NULL, content.ptr);
    }
    case A_ABORT:
        return IOTSEC_ERR_VERIFY_FAILED;
#endif
#if IOTSEC_SUIT_UPDATE_MANAGEMENT
    case A_USE_BEFORE:
        if (!param_uint(ctx, c, P_USE_BEFORE, &want))
            return IOTSEC_ERR_MALFORMED;
        if (p->now == NULL)
            return IOTSEC_ERR_UNSUPPORTED;
        if ((err = p->now(p->ctx, &have)) != IOTSEC_OK)
            return err;
        return have < want ? IOTSEC_OK : IOTSEC_ERR_VERIFY_FAILED;
    case A_MINIMUM_BATTERY:
        if (!param_uint(ctx, c, P_MINIMUM_BATTERY, &want))
            return IOTSEC_ERR_MALFORMED;
        if (p->battery == NULL)
            return IOTSEC_ERR_UNSUPPORTED;
        if ((err = p->battery(p->ctx, &have)) != IOTSEC_OK)
            return err;
        return have >= want ? IOTSEC_OK : IOTSEC_ERR_VERIFY_FAILED;
    case A_UPDATE_AUTHORIZED: {
        struct iotsec_cbor_dec v;
        int64_t prio = 0;
        if (param(ctx, c, P_UPDATE_PRIORITY, &v) && iotsec_cbor_get_int(&v, &prio) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        if (p->update_authorized == NULL)
            return IOTSEC_ERR_UNSUPPORTED;
        return p->update_authorized(p->ctx, prio);
    }
    case A_VERSION:
        return version_match(ctx, c);
#endif
#if IOTSEC_SUIT_TRUST_DOMAINS
    case A_IS_DEPENDENCY:
        return (ctx->is_dependency >> c) & 1u ? IOTSEC_OK : IOTSEC_ERR_VERIFY_FAILED;
    case A_DEPENDENCY_INTEGRITY:
        if (!((ctx->is_dependency >> c) & 1u))
            return IOTSEC_ERR_MALFORMED;
        return image_match(ctx, c);
#endif
#if IOTSEC_SUIT_OPTIONAL_COMMANDS
    case A_WRITE:
    case A_COPY:
#endif
    case A_FETCH:
        return put_content(ctx, a, c);
#if IOTSEC_SUIT_TRUST_DOMAINS
    case A_PROCESS_DEPENDENCY:
        if (ctx->hold_invoke)
            return restart(ctx); /* a dependency may invoke: run dry first */
        return process_dependency(ctx, c);
#endif
#if IOTSEC_SUIT_OPTIONAL_COMMANDS
    case A_SWAP: {
        int src = source_index(ctx, c);
        if (src < 0)
            return IOTSEC_ERR_MALFORMED;
        if (p->swap == NULL)
            return IOTSEC_ERR_UNSUPPORTED;
        ctx->written |= (1u << c) | (1u << src);
        return ctx->dry_run ? IOTSEC_OK : p->swap(p->ctx, ctx->comp[c], ctx->comp[src]);
    }
#endif
    case A_INVOKE: {
        if (p->invoke == NULL)
            return IOTSEC_ERR_UNSUPPORTED;
        if (ctx->hold_invoke) {
            if (ctx->held != 0)
                return restart(ctx); /* a second invoke */
            ctx->held = (uint8_t)(c + 1); /* performed when all has passed */
            return IOTSEC_OK;
        }
        return ctx->dry_run ? IOTSEC_OK : invoke(ctx, c);
    }
#if IOTSEC_SUIT_TRUST_DOMAINS
    case A_UNLINK:
        if (p->unlink == NULL)
            return IOTSEC_ERR_UNSUPPORTED;
        ctx->written |= 1u << c;
        return ctx->dry_run ? IOTSEC_OK : p->unlink(p->ctx, ctx->comp[c]);
#endif
#if IOTSEC_SUIT_UPDATE_MANAGEMENT
    case A_WAIT: {
        struct iotsec_cbor_dec v;
        struct iotsec_cbuf w = {NULL, 0};
        if (param(ctx, c, P_WAIT_INFO, &v))
            (void)iotsec_cbor_get_span(&v, &w);
        if (p->wait == NULL)
            return IOTSEC_ERR_UNSUPPORTED;
        return ctx->dry_run ? IOTSEC_OK : p->wait(p->ctx, w);
    }
#endif
    default:
        return IOTSEC_ERR_UNSUPPORTED;
    }
}

#if IOTSEC_SUIT_OPTIONAL_COMMANDS
/*
 * Unwind after a failure. A condition that fails under soft-failure ends
 * the innermost try-each branch, which then tries its next branch. A
 * try-each whose branches all failed (and that does not end with nil)
 * fails in turn, softly if the sequence holding it is soft. Anything else
 * fails the whole run. Returns IOTSEC_OK when execution can go on.
 */
SUIT_OUTLINE static enum iotsec_err fail(struct iotsec_suit_ctx *ctx, struct machine *mc,
                                         enum iotsec_err err, bool soft_ok)
{
    while (soft_ok) {
        struct frame *f;
        bool started;
        enum iotsec_err e2;
        size_t i;

        while (mc->sp > 0 && mc->f[mc->sp].kind != F_TRY) {
            if (mc->f[mc->sp].kind == F_LOOP)
                ctx->selected = mc->f[mc->sp].saved;
            mc->sp--;
        }
        f = &mc->f[mc->sp];
        if (f->kind != F_TRY)
            return err;
        if ((e2 = next_branch(mc, &started)) != IOTSEC_OK)
            return e2;
        if (started)
            return IOTSEC_OK;
        mc->sp--; /* the try-each is over */
        if (f->nil_ok)
            return IOTSEC_OK;
        /* every branch failed: the try-each failed where it stood */
        soft_ok = false;
        for (i = mc->sp + 1; i-- > 0;)
            if (mc->f[i].kind == F_SEQ) {
                soft_ok = mc->f[i].soft;
                break;
            }
    }
    return err;
}
#endif

/*
 * Run the command sequence in @p seq (a bstr's content). @p bit is its bit
 * in ctx->checked: a sequence runs at every step (shared) or in both runs
 * of a procedure, and its content is validated the first time only.
 */
static enum iotsec_err run(struct iotsec_suit_ctx *ctx, struct iotsec_cbuf seq, bool shared,
                           uint32_t bit)
{
    struct machine mc;
    const uint8_t *at;
    int64_t cmd;
    enum iotsec_err err;

    mc.seq_base = seq.ptr;
    mc.sp = (size_t)-1; /* push_seq pre-increments */
    if ((err = push_seq(&mc, seq, false, (ctx->checked & bit) != 0)) != IOTSEC_OK)
        return err;
    ctx->checked |= bit;

    for (;;) {
        struct frame *f = &mc.f[mc.sp];
        struct iotsec_cbor_dec arg;
        int op; /* the command for dispatch: see below */
        unsigned kind;
        bool params;

#if IOTSEC_SUIT_OPTIONAL_COMMANDS
        if (f->kind == F_LOOP) {
            /* run the body once per component of the index set */
            size_t c;
            if (f->todo == 0) {
                ctx->selected = f->saved;
                mc.sp--;
                continue;
            }
            for (c = 0; !((f->todo >> c) & 1u); c++)
                ;
            f->todo &= ~(1u << c);
            ctx->selected = 1u << c;
            if ((err = start_body(&mc, f->cmd, f->cmds)) != IOTSEC_OK)
                return err;
            continue;
        }
        if (f->kind == F_TRY) {
            /* a branch finished without failing: the try-each is done */
            mc.sp--;
            continue;
        }
#endif
        at = f->cmds.p;
        if ((err = iotsec_cbor_get_int(&f->cmds, &cmd)) == IOTSEC_ERR_CBOR_END) {
            /* the sequence is done */
            if (mc.sp == 0)
                return IOTSEC_OK;
            mc.sp--;
            continue;
        }
        if (err != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        /* every command iotsec knows is below 64: dispatch on a narrow
         * number (cheaper on 32-bit cores); 64 stands for unknown ones,
         * and negative (custom) commands keep their own path */
        op = cmd < 0 ? -1 : cmd < 64 ? (int)cmd : 64;
        arg = f->cmds;
        arg.left = 1;
        /* the argument must be there; set_params() consumes its map from
         * the sequence itself, every other argument is stepped over here */
        params = op == IOTSEC_SUIT_DIR_OVERRIDE_PARAMETERS || op == IOTSEC_SUIT_DIR_SET_PARAMETERS;
        if (params ? iotsec_cbor_at_end(&f->cmds) : iotsec_cbor_skip(&f->cmds) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        if (ctx->held != 0 || (cmd < 0 && ctx->hold_invoke))
            return restart(ctx); /* a command after invoke, or a custom one */

        kind = command_kind(op);
        if (shared && !(kind & K_SHARED)) {
            err = IOTSEC_ERR_MALFORMED; /* the shared sequence has no side effects */
#if IOTSEC_SUIT_OPTIONAL_COMMANDS
        } else if (op == IOTSEC_SUIT_DIR_TRY_EACH || op == IOTSEC_SUIT_DIR_RUN_SEQUENCE) {
            struct frame *l;
            if ((ctx->selected & (ctx->selected - 1)) == 0) { /* none or one component */
                err = start_body(&mc, op, arg);
            } else if ((l = push_frame(&mc, F_LOOP)) == NULL) {
                return IOTSEC_ERR_LIMIT;
            } else {
                l->cmd = op;
                l->cmds = arg;
                l->todo = ctx->selected;
                l->saved = ctx->selected;
                err = IOTSEC_OK;
            }
            record(ctx, &mc, at, 0, cmd, err);
            if (err != IOTSEC_OK)
                return err;
            continue;
#endif
        } else if (kind & K_ONCE) {
            err = directive(ctx, op, params ? &f->cmds : &arg);
            record(ctx, &mc, at, 0, cmd, err);
        } else if (cmd < 0) {
            struct iotsec_cbuf a;
            (void)iotsec_cbor_get_span(&arg, &a);
            /* (the shared sequence refused it above) */
            err = ctx->plat->custom != NULL
                      ? ctx->plat->custom(ctx->plat->ctx, cmd, a, ctx->dry_run)
                      : IOTSEC_ERR_UNSUPPORTED;
            record(ctx, &mc, at, 0, cmd, err);
        } else {
            /* a condition is recorded per component, any other command once */
            size_t c;
            err = ctx->selected == 0 ? IOTSEC_ERR_MALFORMED : IOTSEC_OK;
            for (c = 0; c < ctx->n_index && err == IOTSEC_OK; c++)
                if ((ctx->selected >> c) & 1u) {
                    err = act(ctx, (int)(kind >> 3), c);
                    if (kind & K_COND)
                        record(ctx, &mc, at, c, cmd, err);
                }
            if (!(kind & K_COND)) {
                if (err == IOTSEC_OK && ctx->held != 0 && op == IOTSEC_SUIT_DIR_INVOKE)
                    ctx->held_offset = (size_t)(at - mc.seq_base);
                record(ctx, &mc, at, 0, cmd, err);
            }
#if IOTSEC_SUIT_OPTIONAL_COMMANDS
            else if (err == IOTSEC_ERR_VERIFY_FAILED) {
                /* a failed condition: soft inside a try-each branch, unless
                 * soft-failure was set to false there */
                struct iotsec_cbor_dec sv;
                bool soft = f->soft;
                if (c > 0 && param(ctx, c - 1, P_SOFT_FAILURE, &sv) && *sv.p == SUIT_CBOR_FALSE)
                    soft = false;
                if ((err = fail(ctx, &mc, err, soft)) != IOTSEC_OK)
                    goto failed;
                continue;
            }
#endif
        }
        if (err != IOTSEC_OK)
            goto failed;
    }
failed: /* where the run stopped */
    ctx->fail_command = cmd;
    ctx->fail_offset = (size_t)(at - mc.seq_base);
    return err;
}

/* ctx->checked: bit k for the sequence of manifest member k (7 .. 24), bit 0
 * (no manifest member) for the shared sequence */
#define CHECKED_SHARED 1u

/* One step of a procedure: cleared parameters (unless @p keep), the shared
 * sequence, then @p key (a sequence member; absent: nothing to do). */
SUIT_OUTLINE static enum iotsec_err step(struct iotsec_suit_ctx *ctx, int key, bool keep)
{
    struct iotsec_cbuf seq;
    enum iotsec_err err;

    err = suit_member(&ctx->m, key, &seq);
    if (err == IOTSEC_ERR_NOT_FOUND) {
        if ((ctx->m.severed >> key) & 1u)
            return IOTSEC_ERR_NOT_FOUND; /* severed: the procedure cannot run */
        return IOTSEC_OK;
    }
    if (err != IOTSEC_OK)
        return err;
    if (!keep) /* rows past n_index are never set */
        memset(ctx->param, 0, ctx->n_index * sizeof(ctx->param[0]));
    ctx->selected = ctx->n_index == 1 ? 1u : 0u;
    ctx->section = IOTSEC_SUIT_SHARED_SEQUENCE;
    if (ctx->m.shared.ptr != NULL &&
        (err = run(ctx, ctx->m.shared, true, CHECKED_SHARED)) != IOTSEC_OK)
        return err;
    ctx->section = key;
    return run(ctx, seq, false, 1u << key);
}

/* The components (and dependencies) of the manifest. */
static enum iotsec_err load_components(struct iotsec_suit_ctx *ctx)
{
    struct iotsec_cbor_dec comps, ca;
    struct iotsec_cbuf span;
    size_t i;

    /* components > 0 means authentication found the components array */
    if (ctx->m.components == 0 || ctx->m.components > IOTSEC_MAX_SUIT_COMPONENTS)
        return ctx->m.components == 0 ? IOTSEC_ERR_MALFORMED : IOTSEC_ERR_LIMIT;
    suit_item(&comps, &ctx->m.common, ctx->m.components_at);
    if (iotsec_cbor_enter_array(&comps, &ca, NULL) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    for (i = 0; i < ctx->m.components; i++) {
        struct iotsec_cbor_dec id = ca, parts;
        struct iotsec_cbuf b;
        if (iotsec_cbor_enter_array(&id, &parts, NULL) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        while (iotsec_cbor_get_bstr(&parts, &b) == IOTSEC_OK)
            ;
        (void)iotsec_cbor_get_span(&ca, &span); /* (i < m.components: it is there) */
        if (!iotsec_cbor_at_end(&parts) || span.len > UINT16_MAX)
            return IOTSEC_ERR_MALFORMED;
        ctx->comp[i] = span;
    }
    ctx->n_index = ctx->m.components;
    /* trust domains: dependencies are indices named in common[1], each
     * identified by its dependency-prefix; they extend the index space */
    if (ctx->m.dependencies_at != NULL) {
#if !IOTSEC_SUIT_TRUST_DOMAINS
        return IOTSEC_ERR_UNSUPPORTED; /* built without trust domains */
#else
        struct iotsec_cbor_dec deps, de;
        uint64_t idx = 0; /* a key that is not a uint is malformed */
        suit_item(&deps, &ctx->m.common, ctx->m.dependencies_at);
        if (iotsec_cbor_enter_map(&deps, &de, NULL) != IOTSEC_OK)
            return IOTSEC_ERR_MALFORMED;
        while (!iotsec_cbor_at_end(&de)) {
            struct iotsec_cbor_dec meta, prefix;
            if (iotsec_cbor_get_uint(&de, &idx) != IOTSEC_OK || idx >= IOTSEC_MAX_SUIT_COMPONENTS ||
                idx < ctx->m.components || (ctx->is_dependency >> idx) & 1u)
                return idx >= IOTSEC_MAX_SUIT_COMPONENTS ? IOTSEC_ERR_LIMIT : IOTSEC_ERR_MALFORMED;
            if (iotsec_cbor_enter_map(&de, &meta, NULL) != IOTSEC_OK)
                return IOTSEC_ERR_MALFORMED;
            if (iotsec_cbor_map_find_int(&meta, 1, &prefix) != IOTSEC_OK ||
                iotsec_cbor_peek_type(&prefix) != IOTSEC_CBOR_ARRAY ||
                iotsec_cbor_get_span(&prefix, &span) != IOTSEC_OK || span.len > UINT16_MAX)
                return IOTSEC_ERR_MALFORMED;
            iotsec_cbor_skip_rest(&meta);
            (void)iotsec_cbor_leave(&de, &meta);
            ctx->is_dependency |= 1u << idx;
            ctx->comp[idx] = span;
            if (idx + 1 > ctx->n_index)
                ctx->n_index = (size_t)idx + 1;
        }
        /* (components fill the indices below m.components, so only
         * dependencies can leave a hole) */
        for (i = 0; i < ctx->n_index; i++)
            if (ctx->comp[i].ptr == NULL)
                return IOTSEC_ERR_MALFORMED; /* a hole in the index space */
#endif
    }
    /* (dependencies come after the components: none is checked here) */
    for (i = 0; i < ctx->m.components; i++)
        if (ctx->plat->has_component != NULL &&
            !ctx->plat->has_component(ctx->plat->ctx, ctx->comp[i]))
            return IOTSEC_ERR_UNSUPPORTED; /* this device has no such component */
    return IOTSEC_OK;
}

#if IOTSEC_SUIT_TRUST_DOMAINS
/*
 * process-dependency (trust domains): authenticate the dependency's
 * envelope, which must have passed dependency-integrity, and run its
 * shared sequence and the same section as the one running here. One level
 * only (see iotsec/suit.h).
 */
static enum iotsec_err process_dependency(struct iotsec_suit_ctx *ctx, size_t c)
{
    struct iotsec_suit_ctx sub;
    struct iotsec_cbuf env;
    struct iotsec_buf rest;
    uint64_t installed = 0;
    enum iotsec_err err;

    if (!((ctx->is_dependency >> c) & 1u))
        return IOTSEC_ERR_MALFORMED;
    if (!((ctx->dependency_checked >> c) & 1u))
        return IOTSEC_ERR_MALFORMED; /* integrity first (trust domains 6.2) */
    if (ctx->depth >= 1)
        return IOTSEC_ERR_LIMIT;
    if (ctx->dry_run && ((ctx->written >> c) & 1u))
        return IOTSEC_OK; /* arrives later in this run */
    if ((err = dep_envelope(ctx, c, &env, &rest)) != IOTSEC_OK)
        return err;
    memset(&sub, 0, sizeof(sub));
    sub.plat = ctx->plat;
    sub.scratch = rest;
    sub.depth = (uint8_t)(ctx->depth + 1);
    sub.dependency = (uint8_t)c; /* (c < IOTSEC_MAX_SUIT_COMPONENTS) */
    sub.dry_run = ctx->dry_run;
    if ((err = iotsec_suit_authenticate(env.ptr, env.len, ctx->plat->trust_anchors, rest,
                                        &sub.m)) != IOTSEC_OK)
        return err;
    if ((err = load_components(&sub)) != IOTSEC_OK)
        return err;
    {
        /* lockstep processing: the dependent's parameters for a component
         * carry into the dependency (which may override them) */
        size_t i, j;
        sub.outer = ctx->m.envelope;
        for (i = 0; i < sub.n_index; i++)
            for (j = 0; j < ctx->n_index; j++)
                if (sub.comp[i].len == ctx->comp[j].len &&
                    memcmp(sub.comp[i].ptr, ctx->comp[j].ptr, ctx->comp[j].len) == 0)
                    memcpy(sub.param[i], ctx->param[j], sizeof(sub.param[i]));
    }
    if (ctx->plat->get_sequence != NULL &&
        ctx->plat->get_sequence(ctx->plat->ctx, sub.m.component_id, &installed) == IOTSEC_OK &&
        sub.m.sequence_number < installed)
        return IOTSEC_ERR_BAD_STATE; /* a dependency may not roll back either */
    err = step(&sub, ctx->section, true);
    if (err == IOTSEC_OK && !ctx->dry_run && ctx->section == IOTSEC_SUIT_INSTALL &&
        ctx->plat->set_sequence != NULL)
        err = ctx->plat->set_sequence(ctx->plat->ctx, sub.m.component_id, sub.m.sequence_number);
    return err;
}
#endif

SUIT_OUTLINE static enum iotsec_suit_reason reason_of(enum iotsec_err err, bool authenticated)
{
    if (!authenticated) {
        if (err == IOTSEC_ERR_NOT_FOUND)
            return IOTSEC_SUIT_REASON_UNAUTHORISED; /* no trust anchor fits */
        if (iotsec_err_is_malformed(err))
            return IOTSEC_SUIT_REASON_CBOR_PARSE;
        if (err == IOTSEC_ERR_UNSUPPORTED_ALG)
            return IOTSEC_SUIT_REASON_ALG_UNSUPPORTED;
        if (err == IOTSEC_ERR_UNSUPPORTED)
            return IOTSEC_SUIT_REASON_COSE_UNSUPPORTED;
        return IOTSEC_SUIT_REASON_UNAUTHORISED;
    }
    switch (err) {
    case IOTSEC_OK: return IOTSEC_SUIT_REASON_OK;
    case IOTSEC_ERR_VERIFY_FAILED:
    case IOTSEC_ERR_DIGEST_MISMATCH: return IOTSEC_SUIT_REASON_CONDITION_FAILED;
    case IOTSEC_ERR_UNSUPPORTED: return IOTSEC_SUIT_REASON_COMMAND_UNSUPPORTED;
    case IOTSEC_ERR_BAD_STATE: return IOTSEC_SUIT_REASON_UNAUTHORISED;
    case IOTSEC_ERR_NOT_FOUND: /* no decryption key, no such integrated payload */
        return IOTSEC_SUIT_REASON_OPERATION_FAILED;
    default:
        return iotsec_err_is_malformed(err) ? IOTSEC_SUIT_REASON_CBOR_PARSE
                                            : IOTSEC_SUIT_REASON_OPERATION_FAILED;
    }
}

/*
 * Run the steps of one procedure, dry then for real.
 *
 * The invoke procedure first tries a single pass (@p single): its writes
 * (load) are staged like all writes, and its invoke is held back until
 * every command has passed, so a failure anywhere still changes nothing,
 * as with a dry run, while each image is hashed once. A command the
 * single pass cannot hold back (anything after the invoke, a second
 * invoke, process-dependency, a custom command) aborts it and the
 * procedure runs again, dry first.
 */
static enum iotsec_err procedure(struct iotsec_suit_ctx *ctx, const uint8_t *steps, size_t n,
                                 bool single)
{
    enum iotsec_err err;
    int pass;
    size_t i;

    ctx->hold_invoke = single;
again:
    err = IOTSEC_OK;
    ctx->held = 0;
    ctx->restart = false;
    for (pass = ctx->hold_invoke ? 1 : 0; pass < 2 && err == IOTSEC_OK; pass++) {
        ctx->dry_run = pass == 0;
        ctx->written = 0;
        ctx->dependency_checked = 0;
        for (i = 0; i < n && err == IOTSEC_OK; i++) {
            err = step(ctx, steps[i], false);
            if (err != IOTSEC_OK) {
                size_t c;
                ctx->fail_section = ctx->section; /* shared, or the step's own */
                for (c = 0; c < IOTSEC_MAX_SUIT_COMPONENTS && !((ctx->selected >> c) & 1u); c++)
                    ;
                ctx->fail_component = c;
            }
        }
    }
    ctx->hold_invoke = false;
    if (ctx->restart) {
        if (ctx->plat->abort != NULL)
            ctx->plat->abort(ctx->plat->ctx); /* drop what the single pass staged */
        ctx->fail_section = ctx->fail_command = 0;
        ctx->fail_offset = ctx->fail_component = 0;
        goto again; /* dry first: hold_invoke is now false */
    }
    /* what the invoke procedure loaded is kept (committed) before the
     * held invoke starts it; the update procedure commits with its
     * sequence number in iotsec_suit_process() */
    if (err == IOTSEC_OK && single && ctx->written != 0 && ctx->plat->commit != NULL)
        err = ctx->plat->commit(ctx->plat->ctx);
    if (err == IOTSEC_OK && ctx->held != 0) {
        size_t c = (size_t)ctx->held - 1;
        err = invoke(ctx, c);
        if (err != IOTSEC_OK) {
            ctx->fail_section = IOTSEC_SUIT_INVOKE;
            ctx->fail_command = IOTSEC_SUIT_DIR_INVOKE;
            ctx->fail_offset = ctx->held_offset;
            ctx->fail_component = c;
        }
    }
    return err;
}

/* see iotsec/suit.h */
enum iotsec_err iotsec_suit_process(struct iotsec_suit_ctx *ctx,
                                    const struct iotsec_suit_platform *plat, const uint8_t *env,
                                    size_t len, unsigned procedures, struct iotsec_buf scratch)
{
    static const uint8_t update[] = {IOTSEC_SUIT_DEPENDENCY_RESOLUTION, IOTSEC_SUIT_PAYLOAD_FETCH,
                                     IOTSEC_SUIT_CANDIDATE_VERIFICATION, IOTSEC_SUIT_INSTALL};
    static const uint8_t invoke[] = {IOTSEC_SUIT_VALIDATE, IOTSEC_SUIT_LOAD, IOTSEC_SUIT_INVOKE};
    enum iotsec_err err;
    uint64_t installed = 0;

    memset(ctx, 0, offsetof(struct iotsec_suit_ctx, param)); /* param: see iotsec/suit.h */
    ctx->plat = plat;
    ctx->scratch = scratch;
    if (scratch.ptr == NULL || scratch.len < 256) {
        ctx->err = IOTSEC_ERR_BUFFER_TOO_SMALL;
        ctx->reason = IOTSEC_SUIT_REASON_OPERATION_FAILED;
        return ctx->err;
    }
    err = iotsec_suit_authenticate(env, len, plat->trust_anchors, scratch, &ctx->m);
    if (err != IOTSEC_OK) {
        ctx->err = err;
        ctx->reason = reason_of(err, false);
        return err;
    }
    if ((err = load_components(ctx)) != IOTSEC_OK) {
        ctx->reason = err == IOTSEC_ERR_UNSUPPORTED ? IOTSEC_SUIT_REASON_COMPONENT_UNSUPPORTED
                                                    : IOTSEC_SUIT_REASON_CBOR_PARSE;
        goto out;
    }

    /* anti-rollback: a newer manifest installs; the installed one may boot */
    if (plat->get_sequence != NULL &&
        (err = plat->get_sequence(plat->ctx, ctx->m.component_id, &installed)) != IOTSEC_OK &&
        err != IOTSEC_ERR_NOT_FOUND)
        goto out;
    err = IOTSEC_OK;
    if (((procedures & IOTSEC_SUIT_PROC_UPDATE) && ctx->m.sequence_number <= installed &&
         installed != 0) ||
        ctx->m.sequence_number < installed) {
        err = IOTSEC_ERR_BAD_STATE;
        ctx->reason = IOTSEC_SUIT_REASON_UNAUTHORISED;
        goto out;
    }

    if (procedures & IOTSEC_SUIT_PROC_UPDATE) {
        struct iotsec_cbuf dummy;
        if (suit_member(&ctx->m, IOTSEC_SUIT_INSTALL, &dummy) != IOTSEC_OK &&
            suit_member(&ctx->m, IOTSEC_SUIT_PAYLOAD_FETCH, &dummy) != IOTSEC_OK) {
            /* nothing to install: severed, or a boot-only manifest */
            err = ((ctx->m.severed >> IOTSEC_SUIT_INSTALL) & 1u) ? IOTSEC_ERR_NOT_FOUND
                                                      : IOTSEC_ERR_UNSUPPORTED;
            ctx->reason = ((ctx->m.severed >> IOTSEC_SUIT_INSTALL) & 1u)
                              ? IOTSEC_SUIT_REASON_SEVERING_UNSUPPORTED
                              : IOTSEC_SUIT_REASON_OPERATION_FAILED;
            ctx->fail_section = IOTSEC_SUIT_INSTALL;
            goto out;
        }
        if ((err = procedure(ctx, update, 4, false)) != IOTSEC_OK)
            goto out;
        if (plat->set_sequence != NULL &&
            (err = plat->set_sequence(plat->ctx, ctx->m.component_id, ctx->m.sequence_number)) !=
                IOTSEC_OK)
            goto out;
        if (plat->commit != NULL && (err = plat->commit(plat->ctx)) != IOTSEC_OK)
            goto out;
    }
    if (procedures & IOTSEC_SUIT_PROC_INVOKE) {
        if ((err = procedure(ctx, invoke, 3, true)) != IOTSEC_OK)
            goto out;
    }
    if (procedures & IOTSEC_SUIT_PROC_UNINSTALL) {
        static const uint8_t uninstall[] = {IOTSEC_SUIT_UNINSTALL};
        struct iotsec_cbuf dummy;
        /* the uninstall sequence belongs to trust domains */
        if (!IOTSEC_SUIT_TRUST_DOMAINS ||
            suit_member(&ctx->m, IOTSEC_SUIT_UNINSTALL, &dummy) != IOTSEC_OK) {
            err = IOTSEC_ERR_UNSUPPORTED; /* the manifest does not say how */
            ctx->reason = IOTSEC_SUIT_REASON_OPERATION_FAILED;
            ctx->fail_section = IOTSEC_SUIT_UNINSTALL;
            goto out;
        }
        /* (present: checked above) */
        if ((err = procedure(ctx, uninstall, 1, false)) != IOTSEC_OK)
            goto out;
        if (plat->commit != NULL && (err = plat->commit(plat->ctx)) != IOTSEC_OK)
            goto out;
    }
out:
    ctx->err = err;
    if (err != IOTSEC_OK) {
        if (ctx->reason == IOTSEC_SUIT_REASON_OK)
            ctx->reason = reason_of(err, true);
        if (plat->abort != NULL)
            plat->abort(plat->ctx);
    }
    return err;
}

/* see iotsec/suit.h */
const char *iotsec_suit_reason_str(enum iotsec_suit_reason reason)
{
    static const char *const s[] = {
        "success",
        "the envelope or manifest is not valid CBOR of the right shape",
        "the COSE structure is not supported",
        "an algorithm is not supported",
        "not authorised: authentication failed or rollback refused",
        "a command is not supported",
        "a component is not supported by this device",
        "a component may not be changed by this manifest",
        "a parameter is not supported",
        "a severed section was needed",
        "a condition failed",
        "an operation failed",
        "invoke pending",
    };
    return (unsigned)reason < sizeof(s) / sizeof(s[0]) ? s[reason] : "unknown reason";
}
