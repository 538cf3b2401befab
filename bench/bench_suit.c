/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SUIT benchmark: authenticate and run the invoke procedure (validate,
 * load, invoke) of draft-ietf-suit-manifest Example 0 (237 bytes, ES256),
 * as the anchors measured it: the platform does no I/O (the image digest
 * comes from the platform's digest hook, invoke records and returns).
 * Run under callgrind with --toggle-collect=bench_process; bench/run.sh
 * splits the count into crypto and non-crypto instructions.
 *
 * Second mode, image digest throughput through the platform port: a
 * manifest whose validate sequence is image-match over an image of MIB
 * MiB that the platform serves through read() in scratch-sized chunks,
 * timed against one SHA-256 of the same bytes through the crypto seam.
 * Time on a shared machine is noisy: the ratio is the figure.
 *
 * usage: bench_suit EXAMPLE0.cbor ANCHOR.pem [CALLS]
 *        bench_suit digest MIB SCRATCH_KIB
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/suit_env.h"
#include "../tests/suit_mem.h"
#include "crypto/crypto.h"
#include "iotsec/suit.h"


static struct mem_dev dev;
static struct iotsec_suit_ctx ctx;

__attribute__((noinline)) int bench_process(const uint8_t *env, size_t len,
                                            const struct iotsec_suit_platform *p, uint8_t *scratch,
                                            size_t scratch_len)
{
    return iotsec_suit_process(&ctx, p, env, len, IOTSEC_SUIT_PROC_INVOKE,
                               (struct iotsec_buf){scratch, scratch_len}) == IOTSEC_OK;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    static uint8_t buf[2][8192];
    static int which;
    uint8_t *b = buf[which++ & 1];

    if (f == NULL)
        return NULL;
    *len = fread(b, 1, sizeof(buf[0]), f);
    fclose(f);
    return b;
}

/* ---- digest throughput ---- */

static uint8_t *image;
static size_t image_len;

static bool img_has(void *c, struct iotsec_cbuf id)
{
    (void)c;
    (void)id;
    return true;
}

static enum iotsec_err img_size(void *c, struct iotsec_cbuf id, uint64_t *size)
{
    (void)c;
    (void)id;
    *size = image_len;
    return IOTSEC_OK;
}

static enum iotsec_err img_read(void *c, struct iotsec_cbuf id, uint64_t off, uint8_t *buf,
                                size_t len, size_t *got)
{
    (void)c;
    (void)id;
    if (off > image_len)
        return IOTSEC_ERR_IO;
    *got = len < image_len - off ? len : image_len - (size_t)off;
    memcpy(buf, image + off, *got);
    return IOTSEC_OK;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int bench_digest(size_t mib, size_t scratch_kib)
{
    static const uint8_t hkey[32] = {1, 2, 3};
    static uint8_t man[256], env[512];
    uint8_t h[32], seq[80], *scratch = malloc(scratch_kib * 1024);
    struct iotsec_cbor_enc s;
    struct iotsec_cbuf mb, sb;
    struct iotsec_key k;
    struct iotsec_cose_keyset_entry ke;
    struct iotsec_cose_keyset ks = {&ke, 1};
    struct iotsec_suit_platform p;
    size_t i, hl, n, mark, reps = 5;
    double t0, t_seam = 1e9, t_proc = 1e9;

    image_len = mib << 20;
    image = malloc(image_len);
    if (image == NULL || scratch == NULL)
        return 2;
    for (i = 0; i < image_len; i++)
        image[i] = (uint8_t)(i * 2654435761u >> 13);
    for (i = 0; i < reps; i++) { /* best of: the least disturbed run */
        t0 = seconds();
        (void)iotsec_crypto_hash(IOTSEC_ALG_SHA256, image, image_len, h, sizeof(h), &hl);
        if (seconds() - t0 < t_seam)
            t_seam = seconds() - t0;
    }
    /* validate = [override {3: digest, 14: size}, image-match] */
    iotsec_cbor_enc_init(&s, seq, sizeof(seq));
    iotsec_cbor_enc_array(&s, 4);
    iotsec_cbor_enc_uint(&s, 20);
    iotsec_cbor_enc_map(&s, 2);
    iotsec_cbor_enc_uint(&s, 3);
    mark = iotsec_cbor_enc_bstr_open(&s);
    iotsec_cbor_enc_array(&s, 2);
    iotsec_cbor_enc_int(&s, IOTSEC_ALG_SHA256);
    iotsec_cbor_enc_bstr(&s, h, hl);
    iotsec_cbor_enc_bstr_close(&s, mark);
    iotsec_cbor_enc_uint(&s, 14);
    iotsec_cbor_enc_uint(&s, image_len);
    iotsec_cbor_enc_uint(&s, 3);
    iotsec_cbor_enc_uint(&s, 15);
    (void)iotsec_cbor_enc_finish(&s, &sb);
    if ((mb.len = suit_env_manifest(1, IOTSEC_SUIT_VALIDATE, sb.ptr, sb.len, man, sizeof(man))) ==
        0)
        return 2;
    mb.ptr = man;
    iotsec_key_init_symmetric(&k, hkey, sizeof(hkey));
    if ((n = suit_env_wrap(mb.ptr, mb.len, &k, NULL, NULL, 0, env, sizeof(env))) == 0)
        return 2;
    ke.key = &k;
    ke.kid = (struct iotsec_cbuf){NULL, 0};
    memset(&p, 0, sizeof(p));
    p.trust_anchors = &ks;
    p.has_component = img_has;
    p.size = img_size;
    p.read = img_read;
    for (i = 0; i < reps; i++) {
        enum iotsec_err err;
        t0 = seconds();
        err = iotsec_suit_process(&ctx, &p, env, n, IOTSEC_SUIT_PROC_INVOKE,
                                  (struct iotsec_buf){scratch, scratch_kib * 1024});
        if (seconds() - t0 < t_proc)
            t_proc = seconds() - t0;
        if (err != IOTSEC_OK) {
            fprintf(stderr, "bench_suit: processing failed: %s\n", iotsec_err_str(err));
            return 1;
        }
    }
    image[image_len / 2] ^= 1; /* and the check is real */
    if (iotsec_suit_process(&ctx, &p, env, n, IOTSEC_SUIT_PROC_INVOKE,
                            (struct iotsec_buf){scratch, scratch_kib * 1024}) !=
        IOTSEC_ERR_VERIFY_FAILED)
        return 1;
    printf("image-match over %zu MiB, %zu KiB scratch: processor %.0f MB/s, one-shot SHA-256 "
           "%.0f MB/s, ratio %.3f\n",
           mib, scratch_kib, (double)image_len / t_proc / 1e6, (double)image_len / t_seam / 1e6,
           t_seam / t_proc);
    free(image);
    free(scratch);
    return 0;
}

int main(int argc, char **argv)
{
    static const uint8_t id00[] = {0x81, 0x41, 0x00};
    static uint8_t scratch[512];
    struct iotsec_suit_platform p;
    struct iotsec_key key;
    struct iotsec_cose_keyset_entry e;
    struct iotsec_cose_keyset ks = {&e, 1};
    struct mem_comp *c;
    size_t len, klen;
    uint8_t *env, *pem;
    long calls = argc > 3 ? atol(argv[3]) : 101, i, ok = 0;

    if (argc == 4 && strcmp(argv[1], "digest") == 0)
        return bench_digest((size_t)atol(argv[2]), (size_t)atol(argv[3]));

    if (argc < 3 || (env = slurp(argv[1], &len)) == NULL || (pem = slurp(argv[2], &klen)) == NULL ||
        iotsec_key_from_pem(&key, (const char *)pem, klen) != IOTSEC_OK) {
        fprintf(stderr, "usage: bench_suit EXAMPLE0.cbor ANCHOR.pem [CALLS]\n");
        return 2;
    }
    e.key = &key;
    e.kid.ptr = NULL;
    e.kid.len = 0;
    mem_platform(&p, &dev);
    p.record = NULL; /* the anchors report nothing either */
    p.vendor_id = (struct iotsec_cbuf){mem_example_vendor, 16};
    p.class_id = (struct iotsec_cbuf){mem_example_class, 16};
    p.trust_anchors = &ks;
    c = mem_add(&dev, id00, sizeof(id00), NULL, 0);
    memcpy(c->digest, mem_sample_digest, 32);
    c->use_digest = 1;
    c->len = 34768;
    /* warm-up, outside the collected function: the crypto backend's
     * one-time set-up is not part of processing a manifest */
    (void)iotsec_suit_process(&ctx, &p, env, len, IOTSEC_SUIT_PROC_INVOKE,
                              (struct iotsec_buf){scratch, sizeof(scratch)});
    dev.invokes = 0;
    for (i = 0; i < calls; i++)
        ok += bench_process(env, len, &p, scratch, sizeof(scratch));
    printf("example 0: %zu bytes, %ld of %ld processed, %u invokes; sizeof(struct iotsec_suit_ctx) = %zu\n",
           len, ok, calls, dev.invokes, sizeof(struct iotsec_suit_ctx));
    iotsec_key_free(&key);
    return ok == calls ? 0 : 1;
}
