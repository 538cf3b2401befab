/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec suit <verb>: the verb table of the 'suit' noun, and 'process',
 * which runs an envelope on a device directory through the Linux platform
 * (port/platform/linux/suit_linux.h). The host verbs (create, sign, sever,
 * show, verify) live in cmd_suit_host.c.
 *
 * process turns the processor's outcome (iotsec/suit.h: reason, error,
 * failing section, command, component, offset) into one sentence and an
 * exit status, and asks the platform for the part only it knows (why a
 * fetch failed, the installed sequence number).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/crypto.h"
#include "iotsec/suit.h"
#include "platform/linux/suit_linux.h"
#include "suit_host.h"

#define SUIT_MAX_KEYS 32
#define SUIT_SCRATCH 4096

static const char suit_help[] =
    "Usage: iotsec suit <command> [options]\n"
    "\n"
    "Make, check and run SUIT envelopes (draft-ietf-suit-manifest).\n"
    "\n"
    "Commands:\n" SUIT_HOST_HELP_LINES
    "  process  run an envelope on a device directory: update, invoke\n"
    "\n"
    "Run 'iotsec suit <command> --help' for the options of a command.\n";

static const char process_help[] =
    "Usage: iotsec suit process ENVELOPE --key KEY [--key KEY ...] --device DIR\n"
    "                           [--procedure update|invoke|all|uninstall] [--report FILE]\n"
    "                           [--report-key KEY] [--report-nonce HEX]\n"
    "                           [--report-capabilities] [--decrypt-key KEY ...]\n"
    "\n"
    "Run the SUIT envelope in ENVELOPE ('-': standard input) on the device kept in\n"
    "the directory DIR: DIR/device.json names the device (vendor-id, class-id,\n"
    "device-id) and its components, each a file in DIR (see\n"
    "port/platform/linux/suit_linux.h). Nothing in the envelope is used before it\n"
    "authenticates against the --key trust anchors.\n"
    "\n"
    "The update procedure (dependency-resolution, payload-fetch,\n"
    "candidate-verification, install) runs dry first, then for real with every\n"
    "write staged, and commits the components and the new sequence number\n"
    "together; a crash leaves each component whole, and the next run finishes\n"
    "the commit. The invoke procedure (validate, load, invoke) then boots the\n"
    "image, which DIR/invoked.log records. A manifest that fails anywhere\n"
    "changes nothing. Running a manifest that is installed already (same\n"
    "digest, e.g. again after an interrupted run) skips its update.\n"
    "\n"
    "Images are fetched from http(s):// (libcurl), coap:// and coaps:// (libcoap;\n"
    "coaps uses the PSK identity in IOTSEC_COAP_PSK_ID and the key, in hex, in\n"
    "IOTSEC_COAP_PSK) and file:///path URIs, or taken from the envelope (#name).\n"
    "\n"
    "On success prints the installed sequence number, the components written and\n"
    "those invoked. On failure prints the reason with the section, command,\n"
    "component and offset where it happened.\n"
    "\n"
    "Options:\n"
    "  --key KEY          trust anchor: public key (PEM or COSE_Key), or the shared\n"
    "                     secret of a COSE_Mac0; repeat for several\n"
    "  --device DIR       the device directory\n"
    "  --procedure P      update, invoke, or all (the default: the update, when the\n"
    "                     manifest has one, then invoke); or uninstall (the\n"
    "                     manifest's uninstall sequence, committed like an update)\n"
    "  --report FILE      write a SUIT_Report (draft-ietf-suit-report) in CBOR, on\n"
    "                     success and on failure\n"
    "  --report-key KEY   sign the report (private key: COSE_Sign1) or MAC it\n"
    "                     (symmetric key: COSE_Mac0, HMAC 256/256), making it\n"
    "                     application/suit-report+cose; the key's COSE_Key kid is\n"
    "                     sent\n"
    "  --report-nonce HEX the requester's nonce, carried in the report\n"
    "  --report-capabilities\n"
    "                     add the capability report: the commands, parameters,\n"
    "                     algorithms and components this device supports\n"
    "  --decrypt-key KEY  key for encrypted payloads: an AES key-wrap key or an\n"
    "                     ECDH private key (its COSE_Key kid is used); repeatable\n"
    "\n"
    "Exit status: 0 done; 1 refused (authentication, rollback, a failed\n"
    "condition, malformed envelope); 2 usage; 3 unsupported; 4 I/O (fetch,\n"
    "storage).\n";

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static const char *section_name(int64_t s)
{
    switch (s) {
    case IOTSEC_SUIT_SHARED_SEQUENCE: return "the shared sequence";
    case IOTSEC_SUIT_VALIDATE: return "validate";
    case IOTSEC_SUIT_LOAD: return "load";
    case IOTSEC_SUIT_INVOKE: return "invoke";
    case IOTSEC_SUIT_DEPENDENCY_RESOLUTION: return "dependency-resolution";
    case IOTSEC_SUIT_PAYLOAD_FETCH: return "payload-fetch";
    case IOTSEC_SUIT_CANDIDATE_VERIFICATION: return "candidate-verification";
    case IOTSEC_SUIT_INSTALL: return "install";
    case IOTSEC_SUIT_UNINSTALL: return "uninstall";
    default: return "an unknown section";
    }
}

static const char *command_name(int64_t c)
{
    static const struct {
        int64_t id;
        const char *name;
    } names[] = {
        {1, "vendor-identifier"},      {2, "class-identifier"},   {3, "image-match"},
        {4, "use-before"},             {5, "component-slot"},     {6, "check-content"},
        {7, "dependency-integrity"},   {8, "is-dependency"},      {11, "process-dependency"},
        {12, "set-component-index"},   {14, "abort"},             {15, "try-each"},
        {18, "write"},                 {19, "set-parameters"},    {20, "override-parameters"},
        {21, "fetch"},                 {22, "copy"},              {23, "invoke"},
        {24, "device-identifier"},     {25, "image-not-match"},   {26, "minimum-battery"},
        {27, "update-authorized"},     {28, "version"},           {29, "wait"},
        {31, "swap"},                  {32, "run-sequence"},      {33, "unlink"},
        {34, "override-multiple"},     {35, "copy-params"},
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].id == c)
            return names[i].name;
    return c < 0 ? "a custom command" : "an unknown command";
}

/* ------------------------------------------------------------------ */
/* process                                                             */
/* ------------------------------------------------------------------ */

struct process_args {
    const char *envelope, *device, *procedure, *report, *report_key, *report_nonce;
    bool capabilities;
    const char *keys[SUIT_MAX_KEYS], *dkeys[SUIT_MAX_KEYS];
    size_t n_keys, n_dkeys;
};

/* Returns CLI_OK; -1 after printing help; or CLI_USAGE. */
static int process_parse(const char *cmd, int argc, char **argv, struct process_args *a)
{
    int i, r;

    memset(a, 0, sizeof(*a));
    for (i = 1; i < argc; i++) {
        const struct cli_optdef vopts[] = {{"--device", &a->device, true},
                                           {"--procedure", &a->procedure, true},
                                           {"--report", &a->report, true},
                                           {"--report-key", &a->report_key, true},
                                           {"--report-nonce", &a->report_nonce, true}};

        if (cli_help(argv[i], process_help))
            return -1;
        if (strcmp(argv[i], "--report-capabilities") == 0) {
            a->capabilities = true;
            continue;
        }
        r = cli_opt_list(cmd, argc, argv, &i, "--key", true, a->keys, &a->n_keys, SUIT_MAX_KEYS);
        if (r == 0)
            r = cli_opt_list(cmd, argc, argv, &i, "--decrypt-key", true, a->dkeys, &a->n_dkeys,
                             SUIT_MAX_KEYS);
        if (r == 0)
            r = cli_opt_once(cmd, argc, argv, &i, vopts, sizeof(vopts) / sizeof(vopts[0]));
        if (r < 0)
            return CLI_USAGE;
        if (r > 0)
            continue;
        if ((r = cli_operand(cmd, argv[i], "envelope", &a->envelope)) != CLI_OK)
            return r;
    }
    return CLI_OK;
}

/*
 * The SUIT_Report as application/suit-report+cose: a COSE_Sign1 (or, with a
 * symmetric key, a COSE_Mac0 with HMAC 256/256) whose payload is the report,
 * alg protected and the key's kid unprotected.
 */
/* The algorithm that protects a report with @p k, 0 when @p k cannot. */
static int32_t report_alg(const struct cli_key *k)
{
    const struct iotsec_key *key = &k->key;
    bool sym = key->kty == IOTSEC_KTY_SYMMETRIC;
    int32_t alg = key->alg != 0 ? key->alg
                  : sym         ? IOTSEC_ALG_HMAC256
                                : cli_sig_alg_for_key(key, false);

    if (alg == 0 || (!sym && (!cli_sig_alg_fits(alg, key) || !key->has_private)) ||
        (sym && !(alg >= IOTSEC_ALG_HMAC256_64 && alg <= IOTSEC_ALG_HMAC512)))
        return 0;
    return alg;
}

static int protect_report(struct iotsec_cbuf rep, const struct cli_key *k, struct cli_buf *out)
{
    const struct iotsec_key *key = &k->key;
    bool sym = key->kty == IOTSEC_KTY_SYMMETRIC;
    int32_t alg = report_alg(k);
    struct cli_hdr hdr = {{0}, {0}};
    struct cli_buf scratch = {0};
    struct iotsec_cose_signer_in signer;
    struct iotsec_cose_hdr_in hin;
    struct iotsec_cose_opts o;
    struct iotsec_cbuf msg;
    struct iotsec_buf ob;
    enum iotsec_err err;
    size_t cap = rep.len + 512 + k->kid.len;
    int tries;

    if (alg == 0)
        return cli_fail(CLI_USAGE, "--report-key cannot sign or MAC the report");
    cli_hdr_build(&hdr, alg, true, cli_key_kid(k));
    hin = cli_hdr_in(&hdr);
    memset(&o, 0, sizeof(o));
    cli_buf_reserve(&scratch, rep.len + 4096); /* EdDSA: the Sig_structure */
    o.scratch.ptr = scratch.p;
    o.scratch.len = scratch.cap;
    signer.hdr = hin;
    signer.key = key;
    for (tries = 0; tries < 4; tries++) {
        out->len = 0;
        cli_buf_reserve(out, cap);
        ob.ptr = out->p;
        ob.len = out->cap;
        err = sym ? iotsec_cose_mac0(ob, &msg, &hin, key, rep, &o)
                  : iotsec_cose_sign1(ob, &msg, &signer, rep, &o);
        if (err != IOTSEC_ERR_BUFFER_TOO_SMALL)
            break;
        cap *= 4;
    }
    cli_hdr_free(&hdr);
    cli_buf_free(&scratch);
    if (err != IOTSEC_OK)
        return cli_fail(cli_exit_for(err), "cannot %s the SUIT report: %s", sym ? "MAC" : "sign",
                        iotsec_err_str(err));
    memmove(out->p, msg.ptr, msg.len);
    out->len = msg.len;
    return CLI_OK;
}

/* The SUIT_Report of @p ctx into @p path, protected with @p key (may be NULL),
 * with the nonce and capability report that @p a asks for. */
static int write_report(const char *path, const struct iotsec_suit_ctx *ctx,
                        const struct suit_linux *dev, const struct cli_key *key,
                        const struct process_args *a)
{
    size_t cap = 1024 + dev->n_records * 64, i;
    struct iotsec_suit_report_opts o;
    struct cli_buf nonce = {0};
    struct iotsec_cbuf *comps = calloc(dev->n_comp + 1, sizeof(*comps));
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf out;
    struct cli_buf cose = {0};
    enum iotsec_err err;
    uint8_t *buf = NULL;
    int rc;

    if (comps == NULL)
        return cli_fail(CLI_IO, "out of memory");
    memset(&o, 0, sizeof(o));
    if (a->report_nonce != NULL) {
        (void)cli_hex_decode(a->report_nonce, &nonce); /* checked before the run */
        o.nonce = (struct iotsec_cbuf){nonce.p, nonce.len};
    }
    o.capabilities = a->capabilities;
    for (i = 0; i < dev->n_comp; i++)
        if (dev->comp[i].listed)
            comps[o.n_components++] = (struct iotsec_cbuf){dev->comp[i].id, dev->comp[i].id_len};
    o.components = comps;
    for (;;) {
        uint8_t *nb = realloc(buf, cap);
        if (nb == NULL) {
            free(buf);
            free(comps);
            cli_buf_free(&nonce);
            return cli_fail(CLI_IO, "out of memory");
        }
        buf = nb;
        iotsec_cbor_enc_init(&e, buf, cap);
        err = iotsec_suit_report_encode(&e, ctx, &o, dev->records, dev->n_records);
        if (err == IOTSEC_OK)
            err = iotsec_cbor_enc_finish(&e, &out);
        if (err != IOTSEC_ERR_BUFFER_TOO_SMALL || e.len <= cap)
            break;
        cap = e.len;
    }
    free(comps);
    cli_buf_free(&nonce);
    if (err != IOTSEC_OK) {
        free(buf);
        return cli_fail(CLI_IO, "cannot encode the SUIT report: %s", iotsec_err_str(err));
    }
    if (key != NULL) {
        rc = protect_report(out, key, &cose);
        if (rc == CLI_OK)
            rc = cli_write(path, cose.p, cose.len, false);
    } else {
        rc = cli_write(path, out.ptr, out.len, false);
    }
    cli_buf_free(&cose);
    free(buf);
    return rc;
}

/* The exit status of a processing error. */
static int process_exit(enum iotsec_err err)
{
    int rc;

    if (err == IOTSEC_ERR_BAD_STATE) /* rollback: a refusal, not a misuse */
        return CLI_REJECT;
    rc = cli_exit_for(err);
    return rc == CLI_USAGE ? CLI_REJECT : rc;
}

/* Why authentication (or decoding the envelope) failed. */
static const char *auth_detail(const struct iotsec_suit_ctx *ctx)
{
    switch (ctx->err) {
    case IOTSEC_ERR_VERIFY_FAILED:
        return ctx->m.auth_blocks == 0
                   ? "the envelope is not signed: its authentication wrapper holds no COSE block"
                   : "no authentication block verifies with the given --key (wrong key, or the "
                     "envelope was altered)";
    case IOTSEC_ERR_NOT_FOUND:
        return "no --key fits the envelope's authentication blocks (algorithm, key type or kid)";
    case IOTSEC_ERR_DIGEST_MISMATCH:
        return "the manifest or a severable member does not match its authenticated digest";
    default:
        return iotsec_err_str(ctx->err);
    }
}

/* Does the manifest have an update procedure (a member of it, severed or not)? */
static bool has_update(const struct iotsec_suit_manifest *m)
{
    static const int64_t keys[] = {IOTSEC_SUIT_DEPENDENCY_RESOLUTION, IOTSEC_SUIT_PAYLOAD_FETCH,
                                   IOTSEC_SUIT_CANDIDATE_VERIFICATION, IOTSEC_SUIT_INSTALL};
    struct iotsec_cbor_dec d, map, v;
    size_t i;

    if (iotsec_cbor_dec_init(&d, m->manifest.ptr, m->manifest.len, 0, NULL) != IOTSEC_OK)
        return true; /* let the processor say what is wrong */
    (void)iotsec_cbor_skip_tag(&d, IOTSEC_SUIT_TAG_MANIFEST);
    if (iotsec_cbor_enter_map(&d, &map, NULL) != IOTSEC_OK)
        return true;
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (iotsec_cbor_map_find_int(&map, keys[i], &v) == IOTSEC_OK)
            return true;
    return false;
}

/* Print why processing failed; returns the exit status. */
static int process_failed(const struct iotsec_suit_ctx *ctx, struct suit_linux *dev,
                          unsigned procs)
{
    int rc = process_exit(ctx->err);
    const char *what = procs == IOTSEC_SUIT_PROC_UNINSTALL ? "uninstall"
                       : (procs & IOTSEC_SUIT_PROC_UPDATE) &&
                               ctx->fail_section != IOTSEC_SUIT_VALIDATE &&
                               ctx->fail_section != IOTSEC_SUIT_LOAD &&
                               ctx->fail_section != IOTSEC_SUIT_INVOKE
                           ? "update"
                           : "invoke";
    const char *verdict = rc == CLI_REJECT ? "refused" : rc == CLI_UNSUPPORTED ? "not possible"
                                                                               : "failed";
    const char *reason = iotsec_suit_reason_str(ctx->reason);
    const char *why = suit_linux_error(dev);
    struct cli_buf t = {0};
    uint64_t installed = 0;
    bool same;

    cli_buf_printf(&t, "%s %s: ", what, verdict);
    if (ctx->err == IOTSEC_ERR_BAD_STATE && ctx->fail_section == 0) {
        (void)suit_linux_installed(dev, ctx->m.component_id, ctx->m.digest, &installed, &same);
        cli_buf_printf(&t, "sequence number %" PRIu64 " is %s installed %" PRIu64
                           " (rollback refused)",
                       ctx->m.sequence_number,
                       (procs & IOTSEC_SUIT_PROC_UPDATE) ? "not greater than" : "older than",
                       installed);
    } else if (ctx->fail_section == 0) {
        cli_buf_printf(&t, "%s: %s", reason,
                       ctx->reason == IOTSEC_SUIT_REASON_COMPONENT_UNSUPPORTED
                           ? "the manifest names a component that is not in device.json"
                       : ctx->m.manifest.ptr == NULL ? auth_detail(ctx)
                                                     : iotsec_err_str(ctx->err));
    } else if (ctx->fail_section == IOTSEC_SUIT_UNINSTALL && ctx->fail_command == 0 &&
               ctx->err == IOTSEC_ERR_UNSUPPORTED) {
        cli_buf_printf(&t, "the manifest has no uninstall sequence");
    } else {
        cli_buf_printf(&t, "%s: ", reason);
        if (ctx->fail_command != 0)
            cli_buf_printf(&t, "%s on component %zu in ", command_name(ctx->fail_command),
                           ctx->fail_component);
        cli_buf_printf(&t, "%s (offset %zu)", section_name(ctx->fail_section), ctx->fail_offset);
        switch (ctx->fail_command) {
        case IOTSEC_SUIT_COND_VENDOR_ID:
        case IOTSEC_SUIT_COND_CLASS_ID:
        case IOTSEC_SUIT_COND_DEVICE_ID:
            if (ctx->err == IOTSEC_ERR_VERIFY_FAILED)
                cli_buf_printf(&t, ": the manifest is for another %s",
                               ctx->fail_command == IOTSEC_SUIT_COND_VENDOR_ID  ? "vendor"
                               : ctx->fail_command == IOTSEC_SUIT_COND_CLASS_ID ? "device class"
                                                                                : "device");
            break;
        case IOTSEC_SUIT_COND_IMAGE_MATCH:
            if (ctx->err == IOTSEC_ERR_VERIFY_FAILED)
                cli_buf_printf(&t, ": the image does not match its digest");
            break;
        default:
            break;
        }
        if (why[0] != '\0' && (rc == CLI_IO || ctx->fail_command == IOTSEC_SUIT_DIR_FETCH ||
                               ctx->err == IOTSEC_ERR_LIMIT))
            cli_buf_printf(&t, ": %s", why);
        else if (ctx->err == IOTSEC_ERR_NOT_FOUND &&
                 (ctx->fail_command == IOTSEC_SUIT_DIR_FETCH ||
                  ctx->fail_command == IOTSEC_SUIT_DIR_WRITE ||
                  ctx->fail_command == IOTSEC_SUIT_DIR_COPY))
            cli_buf_printf(&t, ": the envelope lacks the integrated payload, or the payload is "
                               "encrypted and no --decrypt-key opens it");
        else if (ctx->err != IOTSEC_ERR_VERIFY_FAILED)
            cli_buf_printf(&t, " (%s)", iotsec_err_str(ctx->err));
    }
    /* update then invoke: the update stays installed when the invoke fails */
    if (strcmp(what, "invoke") == 0 && (procs & IOTSEC_SUIT_PROC_UPDATE) &&
        suit_linux_installed(dev, ctx->m.component_id, ctx->m.digest, &installed, &same) ==
            IOTSEC_OK &&
        same && installed == ctx->m.sequence_number)
        cli_buf_printf(&t, "; the update to sequence number %" PRIu64 " was installed",
                       installed);
    rc = cli_fail(rc, "%s", (const char *)t.p);
    cli_buf_free(&t);
    return rc;
}

/* What a successful run did, on standard output. */
static void process_summary(const struct iotsec_suit_ctx *ctx, const struct suit_linux *dev,
                            unsigned procs, bool already, bool had_seq, uint64_t was)
{
    size_t i, n;

    if (dev->recovered)
        printf("finished an interrupted update first\n");
    if (already)
        printf("manifest sequence number %" PRIu64 " is installed already: nothing to update\n",
               ctx->m.sequence_number);
    if (procs & IOTSEC_SUIT_PROC_UPDATE) {
        printf("installed manifest sequence number %" PRIu64, ctx->m.sequence_number);
        if (had_seq)
            printf(" (was %" PRIu64 ")", was);
        for (i = n = 0; i < dev->n_comp; i++) {
            const struct suit_linux_component *c = &dev->comp[i];
            if (c->committed)
                printf("%s %s (%" PRIu64 " bytes)", n++ ? "," : "; wrote", c->path,
                       c->committed_len);
            else if (c->removed)
                printf("%s removed %s", n++ ? "," : ";", c->path);
        }
        if (n == 0)
            printf("; no component changed");
        printf("\n");
    }
    if (procs & IOTSEC_SUIT_PROC_UNINSTALL) {
        for (i = n = 0; i < dev->n_comp; i++)
            if (dev->comp[i].removed)
                printf("%s %s", n++ ? "," : "uninstalled: removed", dev->comp[i].path);
        printf("%s\n", n ? "" : "uninstalled: no component changed");
    }
    if (procs & IOTSEC_SUIT_PROC_INVOKE) {
        for (i = n = 0; i < dev->n_comp; i++)
            if (dev->comp[i].invoked)
                printf("%s %s", n++ ? "," : "invoked", dev->comp[i].path);
        printf("%s\n", n ? "" : "invoked nothing");
    }
}

static int suit_process(int argc, char **argv)
{
    const char *cmd = "suit process";
    struct process_args a;
    struct cli_keyset anchors = {0}, dkeys = {0};
    struct cli_key rkey;
    struct cli_buf env = {0};
    struct suit_linux dev;
    struct iotsec_suit_platform plat;
    struct iotsec_suit_ctx *ctx = NULL;
    struct iotsec_buf scratch = {NULL, SUIT_SCRATCH};
    char derr[512];
    unsigned procs = IOTSEC_SUIT_PROC_UPDATE | IOTSEC_SUIT_PROC_INVOKE;
    uint64_t was = 0;
    bool opened = false, already = false, had_seq = false, same = false, have_rkey = false;
    enum iotsec_err err;
    size_t i, stdin_users = 0;
    int rc = process_parse(cmd, argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if (a.envelope == NULL)
        return cli_usage_error(cmd, "no envelope given");
    if (a.n_keys == 0)
        return cli_usage_error(cmd, "--key is required: the envelope must authenticate");
    if (a.device == NULL)
        return cli_usage_error(cmd, "--device DIR is required");
    if (a.report_key != NULL && a.report == NULL)
        return cli_usage_error(cmd, "--report-key protects the report: give --report FILE too");
    if ((a.report_nonce != NULL || a.capabilities) && a.report == NULL)
        return cli_usage_error(cmd, "--report-nonce and --report-capabilities go into the report: "
                                    "give --report FILE too");
    if (a.report_nonce != NULL) {
        struct cli_buf nb = {0};
        bool ok = cli_hex_decode(a.report_nonce, &nb) && nb.len > 0;
        cli_buf_free(&nb);
        if (!ok)
            return cli_usage_error(cmd, "--report-nonce takes the requester's nonce in hex");
    }
    if (a.procedure != NULL) {
        if (strcmp(a.procedure, "update") == 0)
            procs = IOTSEC_SUIT_PROC_UPDATE;
        else if (strcmp(a.procedure, "invoke") == 0)
            procs = IOTSEC_SUIT_PROC_INVOKE;
        else if (strcmp(a.procedure, "uninstall") == 0)
            procs = IOTSEC_SUIT_PROC_UNINSTALL;
        else if (strcmp(a.procedure, "all") != 0)
            return cli_usage_error(cmd, "--procedure is update, invoke, all or uninstall, not '%s'",
                                   a.procedure);
    }
    stdin_users += strcmp(a.envelope, "-") == 0 ? 1u : 0u;
    for (i = 0; i < a.n_keys; i++)
        stdin_users += strcmp(a.keys[i], "-") == 0 ? 1u : 0u;
    for (i = 0; i < a.n_dkeys; i++)
        stdin_users += strcmp(a.dkeys[i], "-") == 0 ? 1u : 0u;
    stdin_users += a.report_key != NULL && strcmp(a.report_key, "-") == 0 ? 1u : 0u;
    if (stdin_users > 1)
        return cli_usage_error(cmd, "only one input can come from standard input");

    if ((rc = cli_read(a.envelope, &env)) != CLI_OK ||
        (rc = cli_keyset_load(a.keys, a.n_keys, &anchors)) != CLI_OK ||
        (rc = cli_keyset_load(a.dkeys, a.n_dkeys, &dkeys)) != CLI_OK)
        goto out;
    if (a.report_key != NULL) {
        have_rkey = true;
        if ((rc = cli_key_load(a.report_key, &rkey)) != CLI_OK)
            goto out;
        if (rkey.key.kty != IOTSEC_KTY_SYMMETRIC && !rkey.key.has_private) {
            rc = cli_usage_error(cmd, "--report-key %s holds only a public key; signing the "
                                      "report needs the private key",
                                 a.report_key);
            goto out;
        }
        if (report_alg(&rkey) == 0) {
            rc = cli_usage_error(cmd, "--report-key %s can neither sign (P-256, P-384, P-521, "
                                      "Ed25519, Ed448) nor MAC (HMAC) the report",
                                 a.report_key);
            goto out;
        }
    }
    ctx = malloc(sizeof(*ctx));
    scratch.ptr = malloc(SUIT_SCRATCH);
    if (ctx == NULL || scratch.ptr == NULL) {
        rc = cli_fail(CLI_IO, "out of memory");
        goto out;
    }
    if ((err = suit_linux_open(&dev, a.device, derr, sizeof(derr))) != IOTSEC_OK) {
        rc = cli_fail(process_exit(err), "%s", derr);
        goto out;
    }
    opened = true;
    suit_linux_platform(&dev, &plat);
    plat.trust_anchors = &anchors.set;
    plat.decryption_keys = a.n_dkeys != 0 ? &dkeys.set : NULL;

    /*
     * The manifest's digest is kept with its sequence number, so that the
     * same manifest run again (say after a crash past its commit point) is
     * recognised as installed rather than refused as a rollback.
     */
    memset(ctx, 0, sizeof(*ctx));
    if (iotsec_suit_authenticate(env.p, env.len, &anchors.set, scratch, &ctx->m) == IOTSEC_OK) {
        if (a.procedure == NULL && !has_update(&ctx->m))
            procs &= ~IOTSEC_SUIT_PROC_UPDATE; /* "all": the update when there is one */
        suit_linux_expect_manifest(&dev, ctx->m.component_id, ctx->m.digest);
        had_seq = suit_linux_installed(&dev, ctx->m.component_id, ctx->m.digest, &was, &same) ==
                  IOTSEC_OK;
        if ((procs & IOTSEC_SUIT_PROC_UPDATE) && had_seq && same &&
            was == ctx->m.sequence_number) {
            already = true;
            procs &= ~IOTSEC_SUIT_PROC_UPDATE;
        }
    }
    if (procs != 0) {
        err = iotsec_suit_process(ctx, &plat, env.p, env.len, procs, scratch);
    } else {
        /* nothing to run: the report says so, about this manifest */
        ctx->plat = &plat;
        ctx->err = err = IOTSEC_OK;
    }
    if (a.report != NULL &&
        (rc = write_report(a.report, ctx, &dev, have_rkey ? &rkey : NULL, &a)) != CLI_OK)
        goto out;
    if (err != IOTSEC_OK) {
        rc = process_failed(ctx, &dev, procs);
        goto out;
    }
    process_summary(ctx, &dev, procs, already, had_seq, was);
    rc = CLI_OK;
out:
    if (opened)
        suit_linux_close(&dev);
    cli_keyset_free(&anchors);
    cli_keyset_free(&dkeys);
    if (have_rkey)
        cli_key_free(&rkey);
    cli_buf_free(&env);
    if (ctx != NULL)
        iotsec_wipe(ctx, sizeof(*ctx));
    free(ctx);
    if (scratch.ptr != NULL)
        iotsec_wipe(scratch.ptr, SUIT_SCRATCH);
    free(scratch.ptr);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The noun                                                            */
/* ------------------------------------------------------------------ */

/* see cli.h */
int cmd_suit(int argc, char **argv)
{
    static const struct cli_verb verbs[] = {
        {"create", suit_create}, {"sign", suit_sign},     {"sever", suit_sever},
        {"show", suit_show},     {"verify", suit_verify}, {"process", suit_process},
        {"report", suit_report},
    };

    return cli_dispatch("suit", suit_help, verbs, sizeof(verbs) / sizeof(verbs[0]), argc, argv);
}
