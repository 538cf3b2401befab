/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run an envelope made by 'iotsec suit create' through the library's SUIT
 * processor on the in-memory device of tests/suit_mem.c, so that
 * t_suit_host.sh can show that what create writes is what a device runs:
 *
 *   suit_host_run ENVELOPE --anchor KEY [--decrypt-key KEY]
 *                 [--vendor-domain NAME --class-name NAME] [--uri URI=FILE ...]
 *
 * Every component of common.components starts empty; --uri serves a remote
 * payload. The update procedure, then the invoke procedure, run; the output
 * says how it went and, per component, its size and SHA-256:
 *   processed: success
 *   component 0: 5000 bytes sha256 ab12...
 *   invoked 1
 * Exit 0 when both procedures succeed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/crypto.h"
#include "iotsec/suit.h"
#include "iotsec/uuid.h"
#include "suit_mem.h"

#define RUN_MAX_URIS MEM_URIS

int main(int argc, char **argv)
{
    static struct mem_dev dev;
    static struct iotsec_suit_ctx ctx;
    static uint8_t scratch[4096];
    static struct cli_key anchor, dec;
    struct cli_buf env = {0}, files[RUN_MAX_URIS];
    struct iotsec_suit_platform plat;
    struct iotsec_cose_keyset_entry te, de;
    struct iotsec_cose_keyset ts, ds;
    struct iotsec_suit_manifest m;
    struct iotsec_cbor_dec d, cm, c, a;
    struct iotsec_buf sb = {scratch, sizeof(scratch)};
    const char *anchor_path = NULL, *dec_path = NULL, *vendor = NULL, *klass = NULL, *v = NULL;
    uint8_t vid[16], cid[16];
    enum iotsec_err err;
    size_t i, nfiles = 0;
    int rc = 1;

    memset(files, 0, sizeof(files));
    if (argc < 2 || cli_read(argv[1], &env) != CLI_OK)
        return 2;
    for (i = 2; i < (size_t)argc; i++) {
        int k = (int)i, r;
        if ((r = cli_opt(argc, argv, &k, "--anchor", &anchor_path)) == 0 &&
            (r = cli_opt(argc, argv, &k, "--decrypt-key", &dec_path)) == 0 &&
            (r = cli_opt(argc, argv, &k, "--vendor-domain", &vendor)) == 0 &&
            (r = cli_opt(argc, argv, &k, "--class-name", &klass)) == 0 &&
            (r = cli_opt(argc, argv, &k, "--uri", &v)) == 0)
            r = -1;
        if (r < 0)
            return 2;
        if (strncmp(argv[i], "--uri", 5) == 0) {
            const char *eq = strchr(v, '=');
            if (eq == NULL || nfiles == RUN_MAX_URIS ||
                cli_read(eq + 1, &files[nfiles]) != CLI_OK)
                return 2;
            dev.uris[nfiles].uri = strndup(v, (size_t)(eq - v));
            dev.uris[nfiles].data = files[nfiles].p;
            dev.uris[nfiles].len = files[nfiles].len;
            dev.n_uris = ++nfiles;
        }
        i = (size_t)k;
    }
    if (anchor_path == NULL || cli_key_load(anchor_path, &anchor) != CLI_OK ||
        (dec_path != NULL && cli_key_load(dec_path, &dec) != CLI_OK))
        return 2;
    te.key = &anchor.key;
    te.kid.ptr = NULL;
    te.kid.len = 0;
    ts.entries = &te;
    ts.n = 1;
    de.key = &dec.key;
    de.kid.ptr = NULL; /* tried for any kid */
    de.kid.len = 0;
    ds.entries = &de;
    ds.n = 1;

    mem_platform(&plat, &dev);
    if (vendor != NULL && klass != NULL) {
        iotsec_uuid_v5(vid, IOTSEC_UUID_NS_DNS, (const uint8_t *)vendor, strlen(vendor));
        iotsec_uuid_v5(cid, vid, (const uint8_t *)klass, strlen(klass));
        plat.vendor_id.ptr = vid;
        plat.vendor_id.len = 16;
        plat.class_id.ptr = cid;
        plat.class_id.len = 16;
    }
    plat.trust_anchors = &ts;
    plat.decryption_keys = dec_path != NULL ? &ds : NULL;

    /* one empty device component per manifest component */
    if ((err = iotsec_suit_authenticate(env.p, env.len, &ts, sb, &m)) != IOTSEC_OK) {
        printf("processed: %s\n", iotsec_err_str(err));
        goto out;
    }
    if (iotsec_cbor_dec_init(&d, m.manifest.ptr, m.manifest.len, 0, NULL) != IOTSEC_OK ||
        iotsec_cbor_enter_map(&d, &cm, NULL) != IOTSEC_OK ||
        iotsec_cbor_map_find_int(&cm, IOTSEC_SUIT_COMMON, &c) != IOTSEC_OK) {
        printf("processed: no common section\n");
        goto out;
    }
    {
        struct iotsec_cbuf common, id;
        struct iotsec_cbor_dec cd, cmap, comps;
        static const uint8_t none[1];
        if (iotsec_cbor_get_bstr(&c, &common) != IOTSEC_OK ||
            iotsec_cbor_dec_init(&cd, common.ptr, common.len, 0, NULL) != IOTSEC_OK ||
            iotsec_cbor_enter_map(&cd, &cmap, NULL) != IOTSEC_OK ||
            iotsec_cbor_map_find_int(&cmap, IOTSEC_SUIT_COMPONENTS, &comps) != IOTSEC_OK ||
            iotsec_cbor_enter_array(&comps, &a, NULL) != IOTSEC_OK)
            goto out;
        while (iotsec_cbor_get_span(&a, &id) == IOTSEC_OK && dev.n < MEM_COMPS)
            mem_add(&dev, id.ptr, id.len, none, 0);
    }

    err = iotsec_suit_process(&ctx, &plat, env.p, env.len, IOTSEC_SUIT_PROC_UPDATE, sb);
    if (err == IOTSEC_OK)
        err = iotsec_suit_process(&ctx, &plat, env.p, env.len, IOTSEC_SUIT_PROC_INVOKE, sb);
    printf("processed: %s", iotsec_err_str(err));
    if (err != IOTSEC_OK)
        printf(" (%s; section %lld, command %lld, component %zu)",
               iotsec_suit_reason_str(ctx.reason), (long long)ctx.fail_section,
               (long long)ctx.fail_command, ctx.fail_component);
    printf("\n");
    for (i = 0; i < dev.n; i++) {
        uint8_t h[32];
        size_t hl = 0, j;
        (void)iotsec_crypto_hash(IOTSEC_ALG_SHA256, dev.c[i].data, dev.c[i].len, h, sizeof(h),
                                 &hl);
        printf("component %zu: %zu bytes sha256 ", i, dev.c[i].len);
        for (j = 0; j < hl; j++)
            printf("%02x", h[j]);
        printf("\n");
    }
    printf("invoked %u\n", dev.invokes);
    rc = err == IOTSEC_OK ? 0 : 1;
out:
    for (i = 0; i < nfiles; i++) {
        free((void *)dev.uris[i].uri);
        cli_buf_free(&files[i]);
    }
    cli_key_free(&anchor);
    cli_key_free(&dec);
    cli_buf_free(&env);
    return rc;
}
