/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec suit report show: a SUIT_Report (draft-ietf-suit-report-22) as
 * JSON with its members, sections, parameters and reasons named.
 *
 *   SUIT_Report = { 99: [uri, SUIT_Digest], ?2: nonce, 3: [* SUIT_Record /
 *                   system-property-claims], 4: true / {5: code,
 *                   6: SUIT_Record, 7: reason}, * extensions }
 *   SUIT_Record = [[* uint], section, offset, component-index, {params}]
 *
 * The report comes plain (CBOR) or as application/suit-report+cose (CoAP
 * Content-Format 270): a COSE_Sign1 or COSE_Mac0 whose payload is the
 * report. With --key the COSE layer must verify before anything is shown;
 * without it the report is shown and marked unverified.
 *
 * A record names a place in the manifest (section and byte offset), not the
 * command that failed there; with --envelope the command is read from the
 * manifest at that offset, after checking that the envelope holds the
 * manifest the report is about (its SUIT_Digest).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/crypto.h"
#include "iotsec/suit.h"
#include "suit_host.h"

#define REPORT_MAX_KEYS 32

#define R_NONCE 2
#define R_RECORDS 3
#define R_RESULT 4
#define R_RESULT_CODE 5
#define R_RESULT_RECORD 6
#define R_RESULT_REASON 7
#define R_CAPABILITIES 8
#define R_REFERENCE 99

static const char report_help[] =
    "Usage: iotsec suit report <command> [options]\n"
    "\n"
    "SUIT_Reports (draft-ietf-suit-report): what a manifest processor did.\n"
    "\n"
    "Commands:\n"
    "  show   print a report as JSON, checking its COSE signature or MAC\n"
    "\n"
    "Run 'iotsec suit report show --help' for its options.\n";

static const char show_help[] =
    "Usage: iotsec suit report show [REPORT] [--key KEY ...] [--envelope ENVELOPE]\n"
    "\n"
    "Print the SUIT_Report in REPORT (default: standard input) as JSON: its\n"
    "protection, the manifest it is about (reference URI and digest), the nonce,\n"
    "each record (manifest id, section by name, offset, component index, measured\n"
    "parameters by name) and the result: \"success\", or the error code, reason\n"
    "and the record where processing stopped.\n"
    "\n"
    "A report may be plain CBOR or a COSE_Sign1 or COSE_Mac0 around it\n"
    "(application/suit-report+cose). With --key the signature or MAC must verify\n"
    "(exit 1 otherwise); without --key a protected report is shown with\n"
    "\"verified\": false.\n"
    "\n"
    "Options:\n"
    "  --key KEY            public key, or the shared secret of a COSE_Mac0; repeat\n"
    "  --envelope ENVELOPE  the SUIT envelope the report is about: each record is\n"
    "                       given the name of the command at its offset\n";

static const char *const reason_names[] = {
    "ok",
    "cbor-parse",
    "cose-unsupported",
    "alg-unsupported",
    "unauthorised",
    "command-unsupported",
    "component-unsupported",
    "component-unauthorised",
    "parameter-unsupported",
    "severing-unsupported",
    "condition-failed",
    "operation-failed",
    "invoke-pending",
};

/* ------------------------------------------------------------------ */
/* The envelope, to name commands                                      */
/* ------------------------------------------------------------------ */

struct envelope {
    struct iotsec_cbor_dec env_map, man_map, common_map;
    struct iotsec_cbuf manifest_bstr; /* the encoded bstr, head included */
    bool have_common;
};

static bool envelope_open(const struct cli_buf *b, struct envelope *ev)
{
    struct iotsec_cbor_dec d, v, c;
    struct iotsec_cbuf man, common;

    memset(ev, 0, sizeof(*ev));
    if (iotsec_cbor_dec_init(&d, b->p, b->len, 0, NULL) != IOTSEC_OK)
        return false;
    (void)iotsec_cbor_skip_tag(&d, IOTSEC_SUIT_TAG_ENVELOPE);
    if (iotsec_cbor_enter_map(&d, &ev->env_map, NULL) != IOTSEC_OK ||
        iotsec_cbor_map_find_int(&ev->env_map, IOTSEC_SUIT_MANIFEST, &v) != IOTSEC_OK)
        return false;
    c = v;
    if (iotsec_cbor_get_span(&c, &ev->manifest_bstr) != IOTSEC_OK ||
        iotsec_cbor_get_bstr(&v, &man) != IOTSEC_OK ||
        iotsec_cbor_dec_init(&d, man.ptr, man.len, 0, NULL) != IOTSEC_OK)
        return false;
    (void)iotsec_cbor_skip_tag(&d, IOTSEC_SUIT_TAG_MANIFEST);
    if (iotsec_cbor_enter_map(&d, &ev->man_map, NULL) != IOTSEC_OK)
        return false;
    if (iotsec_cbor_map_find_int(&ev->man_map, IOTSEC_SUIT_COMMON, &v) == IOTSEC_OK &&
        iotsec_cbor_get_bstr(&v, &common) == IOTSEC_OK &&
        iotsec_cbor_dec_init(&d, common.ptr, common.len, 0, NULL) == IOTSEC_OK &&
        iotsec_cbor_enter_map(&d, &ev->common_map, NULL) == IOTSEC_OK)
        ev->have_common = true;
    return true;
}

/* The command sequence of @p section: in the manifest, or severed into the envelope. */
static bool envelope_sequence(const struct envelope *ev, int64_t section, struct iotsec_cbuf *seq)
{
    struct iotsec_cbor_dec v;

    if (section == IOTSEC_SUIT_SHARED_SEQUENCE)
        return ev->have_common &&
               iotsec_cbor_map_find_int(&ev->common_map, IOTSEC_SUIT_SHARED_SEQUENCE, &v) ==
                   IOTSEC_OK &&
               iotsec_cbor_get_bstr(&v, seq) == IOTSEC_OK;
    if (iotsec_cbor_map_find_int(&ev->man_map, section, &v) == IOTSEC_OK &&
        iotsec_cbor_get_bstr(&v, seq) == IOTSEC_OK)
        return true;
    return iotsec_cbor_map_find_int(&ev->env_map, section, &v) == IOTSEC_OK &&
           iotsec_cbor_get_bstr(&v, seq) == IOTSEC_OK;
}

/* The command whose label starts at @p off of the sequence: an integer head. */
static bool command_at(struct iotsec_cbuf seq, uint64_t off, int64_t *cmd)
{
    static const uint8_t extra[4] = {1, 2, 4, 8};
    uint64_t v = 0;
    unsigned major, ai, i;
    size_t at;

    if (off >= seq.len)
        return false;
    at = (size_t)off;
    major = seq.ptr[at] >> 5;
    ai = seq.ptr[at] & 31u;
    if (major > 1 || ai > 27)
        return false;
    if (ai < 24) {
        v = ai;
    } else {
        if (seq.len - at - 1 < extra[ai - 24])
            return false;
        for (i = 0; i < extra[ai - 24]; i++)
            v = v << 8 | seq.ptr[at + 1 + i];
    }
    if (v > INT64_MAX)
        return false;
    *cmd = major == 0 ? (int64_t)v : -1 - (int64_t)v;
    return true;
}

/* ------------------------------------------------------------------ */
/* Printing                                                            */
/* ------------------------------------------------------------------ */

static void put_uuid_or_bytes(struct cli_jw *w, struct iotsec_cbuf b)
{
    struct cli_buf t = {0};
    size_t i;

    if (b.len != 16) {
        cli_jw_hex(w, b.ptr, b.len);
        return;
    }
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            cli_buf_put(&t, "-", 1);
        cli_hex_encode(&t, b.ptr + i, 1);
    }
    cli_jw_strn(w, (const char *)t.p, t.len);
    cli_buf_free(&t);
}

/* A SUIT_Digest [alg, bytes] (consumed). */
static void put_digest(struct cli_jw *w, struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_dec c = *d, a;
    struct iotsec_cbuf bytes;
    int64_t alg;
    size_t n = 0;

    if (iotsec_cbor_enter_array(&c, &a, &n) != IOTSEC_OK || n != 2 ||
        iotsec_cbor_get_int(&a, &alg) != IOTSEC_OK ||
        iotsec_cbor_get_bstr(&a, &bytes) != IOTSEC_OK) {
        cli_jw_cbor(w, d);
        return;
    }
    (void)iotsec_cbor_leave(&c, &a);
    *d = c;
    cli_jw_begin(w, '{');
    cli_jw_key(w, "algorithm");
    cli_jw_name_or_int(w, suit_digest_name(alg), alg);
    cli_jw_key(w, "digest");
    cli_jw_hex(w, bytes.ptr, bytes.len);
    cli_jw_end(w, '}');
}

/* SUIT_Parameters (consumed): names, UUIDs for the identity parameters. */
static void put_params(struct cli_jw *w, struct iotsec_cbor_dec *d, int64_t skip_key)
{
    struct iotsec_cbor_dec m, k;
    int64_t key;

    if (iotsec_cbor_enter_map(d, &m, NULL) != IOTSEC_OK) {
        cli_jw_cbor(w, d);
        return;
    }
    cli_jw_begin(w, '{');
    while (!iotsec_cbor_at_end(&m)) {
        struct iotsec_cbuf b;
        const char *name;
        k = m;
        if (iotsec_cbor_get_int(&k, &key) != IOTSEC_OK) {
            (void)iotsec_cbor_skip(&m);
            (void)iotsec_cbor_skip(&m);
            continue;
        }
        m = k;
        if (key == skip_key) {
            (void)iotsec_cbor_skip(&m);
            continue;
        }
        name = suit_param_name(key);
        if (name != NULL) {
            cli_jw_key(w, name);
        } else {
            char num[24];
            snprintf(num, sizeof(num), "%lld", (long long)key);
            cli_jw_key(w, num);
        }
        k = m;
        if ((key == IOTSEC_SUIT_PARAM_VENDOR_ID || key == IOTSEC_SUIT_PARAM_CLASS_ID ||
             key == IOTSEC_SUIT_PARAM_DEVICE_ID) &&
            iotsec_cbor_get_bstr(&k, &b) == IOTSEC_OK) {
            put_uuid_or_bytes(w, b);
            m = k;
        } else if (key == IOTSEC_SUIT_PARAM_IMAGE_DIGEST &&
                   iotsec_cbor_get_bstr(&k, &b) == IOTSEC_OK) {
            struct iotsec_cbor_dec dd;
            if (iotsec_cbor_dec_init(&dd, b.ptr, b.len, 0, NULL) == IOTSEC_OK)
                put_digest(w, &dd);
            else
                cli_jw_hex(w, b.ptr, b.len);
            m = k;
        } else {
            cli_jw_cbor(w, &m);
        }
    }
    (void)iotsec_cbor_leave(d, &m);
    cli_jw_end(w, '}');
}

/* A SUIT_Record (consumed); false when it is not one. */
static bool put_record(struct cli_jw *w, struct iotsec_cbor_dec *d, const struct envelope *ev)
{
    struct iotsec_cbor_dec c = *d, a, ids;
    int64_t section, cmd;
    uint64_t off, comp;
    size_t n = 0;
    struct iotsec_cbuf seq;
    const char *sn;

    if (iotsec_cbor_enter_array(&c, &a, &n) != IOTSEC_OK || n < 5 ||
        iotsec_cbor_peek_type(&a) != IOTSEC_CBOR_ARRAY)
        return false;
    ids = a;
    (void)iotsec_cbor_skip(&a);
    if (iotsec_cbor_get_int(&a, &section) != IOTSEC_OK ||
        iotsec_cbor_get_uint(&a, &off) != IOTSEC_OK ||
        iotsec_cbor_get_uint(&a, &comp) != IOTSEC_OK ||
        iotsec_cbor_peek_type(&a) != IOTSEC_CBOR_MAP)
        return false;
    cli_jw_begin(w, '{');
    cli_jw_key(w, "manifest-id");
    cli_jw_cbor(w, &ids);
    cli_jw_key(w, "section");
    sn = section == 0 ? "none" /* outside any command sequence */
         : section == IOTSEC_SUIT_SHARED_SEQUENCE ? "shared-sequence"
                                                  : suit_member_name(section);
    cli_jw_name_or_int(w, sn, section);
    cli_jw_key(w, "section-key");
    cli_jw_int(w, section);
    cli_jw_key(w, "offset");
    cli_jw_uint(w, off);
    cli_jw_key(w, "component-index");
    cli_jw_uint(w, comp);
    if (ev != NULL && section != 0 && envelope_sequence(ev, section, &seq) &&
        command_at(seq, off, &cmd)) {
        cli_jw_key(w, "command");
        cli_jw_name_or_int(w, suit_command_name(cmd), cmd);
    }
    cli_jw_key(w, "properties");
    put_params(w, &a, 0);
    if (!iotsec_cbor_at_end(&a)) {
        cli_jw_key(w, "extensions");
        cli_jw_begin(w, '[');
        while (!iotsec_cbor_at_end(&a))
            cli_jw_cbor(w, &a);
        cli_jw_end(w, ']');
    }
    cli_jw_end(w, '}');
    (void)iotsec_cbor_leave(&c, &a);
    *d = c;
    return true;
}

/* system-property-claims {0: component-id, + SUIT_Parameters} (consumed). */
static void put_system_properties(struct cli_jw *w, struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_dec m = *d, v;

    if (iotsec_cbor_enter_map(&m, &v, NULL) == IOTSEC_OK) {
        struct iotsec_cbor_dec id;
        if (iotsec_cbor_map_find_int(&v, 0, &id) == IOTSEC_OK) {
            cli_jw_begin(w, '{');
            cli_jw_key(w, "system-component-id");
            cli_jw_cbor(w, &id);
            cli_jw_key(w, "properties");
            put_params(w, d, 0);
            cli_jw_end(w, '}');
            return;
        }
    }
    put_params(w, d, 0);
}

/* The report map at @p d; false (with @p why) when it is not a SUIT_Report. */
static bool put_report(struct cli_jw *w, struct iotsec_cbor_dec *d, const struct envelope *ev,
                       struct cli_buf *why)
{
    struct iotsec_cbor_dec m, v, a, r;
    struct iotsec_cbuf s;
    uint64_t reason;
    int64_t code;
    bool b;

    if (iotsec_cbor_enter_map(d, &m, NULL) != IOTSEC_OK) {
        cli_buf_puts(why, "not a SUIT_Report: the report must be a CBOR map");
        return false;
    }
    if (iotsec_cbor_map_find_int(&m, R_REFERENCE, &v) != IOTSEC_OK ||
        iotsec_cbor_map_find_int(&m, R_RECORDS, &a) != IOTSEC_OK ||
        iotsec_cbor_map_find_int(&m, R_RESULT, &r) != IOTSEC_OK) {
        cli_buf_puts(why, "not a SUIT_Report: suit-reference (99), suit-report-records (3) and "
                          "suit-report-result (4) are required");
        return false;
    }
    cli_jw_key(w, "reference");
    {
        struct iotsec_cbor_dec ref;
        size_t n = 0;
        if (iotsec_cbor_enter_array(&v, &ref, &n) == IOTSEC_OK && n == 2 &&
            iotsec_cbor_get_tstr(&ref, &s) == IOTSEC_OK) {
            cli_jw_begin(w, '{');
            cli_jw_key(w, "manifest-uri");
            cli_jw_strn(w, (const char *)s.ptr, s.len);
            cli_jw_key(w, "manifest-digest");
            put_digest(w, &ref);
            cli_jw_end(w, '}');
        } else {
            cli_jw_cbor(w, &v);
        }
    }
    if (iotsec_cbor_map_find_int(&m, R_NONCE, &v) == IOTSEC_OK) {
        cli_jw_key(w, "nonce");
        cli_jw_cbor(w, &v);
    }
    cli_jw_key(w, "records");
    {
        struct iotsec_cbor_dec l;
        if (iotsec_cbor_enter_array(&a, &l, NULL) != IOTSEC_OK) {
            cli_jw_cbor(w, &a);
        } else {
            cli_jw_begin(w, '[');
            while (!iotsec_cbor_at_end(&l)) {
                if (iotsec_cbor_peek_type(&l) == IOTSEC_CBOR_MAP)
                    put_system_properties(w, &l);
                else if (!put_record(w, &l, ev))
                    cli_jw_cbor(w, &l);
            }
            cli_jw_end(w, ']');
        }
    }
    cli_jw_key(w, "result");
    if (iotsec_cbor_get_bool(&r, &b) == IOTSEC_OK && b) {
        cli_jw_str(w, "success");
    } else {
        struct iotsec_cbor_dec res;
        if (iotsec_cbor_enter_map(&r, &res, NULL) != IOTSEC_OK) {
            cli_jw_cbor(w, &r);
        } else {
            cli_jw_begin(w, '{');
            if (iotsec_cbor_map_find_int(&res, R_RESULT_CODE, &v) == IOTSEC_OK &&
                iotsec_cbor_get_int(&v, &code) == IOTSEC_OK) {
                /* the processor's internal code, "not intended for interoperability" */
                cli_jw_key(w, "code");
                cli_jw_int(w, code);
            }
            if (iotsec_cbor_map_find_int(&res, R_RESULT_REASON, &v) == IOTSEC_OK &&
                iotsec_cbor_get_uint(&v, &reason) == IOTSEC_OK) {
                cli_jw_key(w, "reason");
                if (reason < sizeof(reason_names) / sizeof(reason_names[0]))
                    cli_jw_str(w, reason_names[reason]);
                else
                    cli_jw_uint(w, reason);
                cli_jw_key(w, "reason-text");
                cli_jw_str(w, iotsec_suit_reason_str((enum iotsec_suit_reason)reason));
            }
            if (iotsec_cbor_map_find_int(&res, R_RESULT_RECORD, &v) == IOTSEC_OK) {
                cli_jw_key(w, "record");
                if (!put_record(w, &v, ev))
                    cli_jw_cbor(w, &v);
            }
            cli_jw_end(w, '}');
            iotsec_cbor_skip_rest(&res);
        }
    }
    if (iotsec_cbor_map_find_int(&m, R_CAPABILITIES, &v) == IOTSEC_OK) {
        cli_jw_key(w, "capability-report");
        cli_jw_cbor(w, &v);
    }
    iotsec_cbor_skip_rest(&m);
    (void)iotsec_cbor_leave(d, &m);
    return true;
}

/* ------------------------------------------------------------------ */
/* show                                                                */
/* ------------------------------------------------------------------ */

static int report_show(int argc, char **argv)
{
    const char *cmd = "suit report show";
    const char *in_path = NULL, *env_path = NULL, *keys[REPORT_MAX_KEYS];
    struct cli_keyset ks = {0};
    struct cli_buf in = {0}, env = {0}, out = {0}, why = {0}, scratch = {0};
    struct iotsec_cbor_dec d;
    struct iotsec_cbuf report;
    struct iotsec_cose_msg msg;
    struct envelope ev;
    struct cli_jw w;
    size_t n_keys = 0, off = 0;
    uint64_t tag = 0;
    bool cose = false, verified = false;
    enum iotsec_err err;
    int i, r, rc = CLI_OK;

    for (i = 1; i < argc; i++) {
        const struct cli_optdef vopts[] = {{"--envelope", &env_path, true}};
        if (cli_help(argv[i], show_help))
            return CLI_OK;
        r = cli_opt_once(cmd, argc, argv, &i, vopts, 1);
        if (r == 0)
            r = cli_opt_list(cmd, argc, argv, &i, "--key", true, keys, &n_keys, REPORT_MAX_KEYS);
        if (r < 0)
            return CLI_USAGE;
        if (r == 0 && (rc = cli_operand(cmd, argv[i], "report", &in_path)) != CLI_OK)
            return rc;
    }
    if ((rc = cli_read(in_path, &in)) != CLI_OK ||
        (n_keys != 0 && (rc = cli_keyset_load(keys, n_keys, &ks)) != CLI_OK) ||
        (env_path != NULL && (rc = cli_read(env_path, &env)) != CLI_OK))
        goto out;
    if (env_path != NULL && !envelope_open(&env, &ev)) {
        rc = cli_fail(CLI_REJECT, "%s is not a SUIT envelope", env_path);
        goto out;
    }

    err = iotsec_cbor_dec_init(&d, in.p, in.len, 0, &off);
    if (err != IOTSEC_OK) {
        rc = cli_fail(CLI_REJECT, "not a SUIT_Report: %s at byte offset %zu",
                      err == IOTSEC_ERR_CBOR_EMPTY ? "the input is empty" : iotsec_err_str(err),
                      off);
        goto out;
    }
    report.ptr = in.p;
    report.len = in.len;
    if (iotsec_cbor_peek_type(&d) == IOTSEC_CBOR_TAG || iotsec_cbor_peek_type(&d) ==
                                                           IOTSEC_CBOR_ARRAY) {
        struct iotsec_cbor_dec c = d;
        (void)iotsec_cbor_get_tag(&c, &tag);
        err = iotsec_cose_decode(in.p, in.len, tag != 0 ? IOTSEC_COSE_UNKNOWN : IOTSEC_COSE_SIGN1,
                                 NULL, 0, &msg);
        if (err == IOTSEC_OK && msg.type != IOTSEC_COSE_SIGN1 && msg.type != IOTSEC_COSE_MAC0)
            err = IOTSEC_ERR_MALFORMED;
        if (err != IOTSEC_OK || msg.content.ptr == NULL) {
            rc = cli_fail(CLI_REJECT, "not a SUIT_Report: neither a CBOR map nor a COSE_Sign1 or "
                                      "COSE_Mac0 holding one (%s)",
                          err != IOTSEC_OK ? iotsec_err_str(err) : "the payload is detached");
            goto out;
        }
        cose = true;
        report = msg.content;
    }
    if (n_keys != 0 && !cose) {
        rc = cli_fail(CLI_REJECT, "the report is plain CBOR: nothing authenticates it, and --key "
                                  "asks for a COSE_Sign1 or COSE_Mac0 (application/"
                                  "suit-report+cose)");
        goto out;
    }
    if (cose && n_keys != 0) {
        struct iotsec_cose_opts o;
        struct iotsec_cose_result res;
        bool mac = msg.type == IOTSEC_COSE_MAC0;
        memset(&o, 0, sizeof(o));
        cli_buf_reserve(&scratch, in.len + 4096);
        o.scratch.ptr = scratch.p;
        o.scratch.len = scratch.cap;
        err = iotsec_cose_verify(&msg, &ks.set, &o, &res);
        if (err == IOTSEC_ERR_NOT_FOUND) {
            rc = cli_fail(CLI_REJECT, "wrong key: no --key fits the report's %s (algorithm, key "
                                      "type or kid)",
                          mac ? "COSE_Mac0" : "COSE_Sign1");
            goto out;
        }
        if (err != IOTSEC_OK) {
            rc = cli_fail(err == IOTSEC_ERR_VERIFY_FAILED ? CLI_REJECT : cli_exit_for(err),
                          "the report's %s does not verify: %s", mac ? "MAC" : "signature",
                          err == IOTSEC_ERR_VERIFY_FAILED
                              ? "it was altered, or made with a key other than the given ones"
                              : iotsec_err_str(err));
            goto out;
        }
        verified = true;
    }
    if (iotsec_cbor_dec_init(&d, report.ptr, report.len, 0, &off) != IOTSEC_OK) {
        rc = cli_fail(CLI_REJECT, "not a SUIT_Report: the COSE payload is not valid CBOR");
        goto out;
    }
    if (env_path != NULL) {
        /* the report must be about this envelope's manifest */
        struct iotsec_cbor_dec m, v, ref, dg;
        struct iotsec_cbuf bytes;
        int64_t alg;
        uint8_t got[64];
        size_t glen = 0;
        struct iotsec_cbor_dec c = d;
        bool same = iotsec_cbor_enter_map(&c, &m, NULL) == IOTSEC_OK &&
                    iotsec_cbor_map_find_int(&m, R_REFERENCE, &v) == IOTSEC_OK &&
                    iotsec_cbor_enter_array(&v, &ref, NULL) == IOTSEC_OK &&
                    iotsec_cbor_skip(&ref) == IOTSEC_OK &&
                    iotsec_cbor_enter_array(&ref, &dg, NULL) == IOTSEC_OK &&
                    iotsec_cbor_get_int(&dg, &alg) == IOTSEC_OK &&
                    iotsec_cbor_get_bstr(&dg, &bytes) == IOTSEC_OK && alg >= INT32_MIN &&
                    iotsec_crypto_hash((int32_t)alg, ev.manifest_bstr.ptr, ev.manifest_bstr.len,
                                       got, sizeof(got), &glen) == IOTSEC_OK &&
                    glen == bytes.len && memcmp(got, bytes.ptr, glen) == 0;
        if (!same) {
            rc = cli_fail(CLI_REJECT, "%s does not hold the manifest this report is about (its "
                                      "SUIT_Digest differs)",
                          env_path);
            goto out;
        }
    }

    cli_jw_init(&w, &out);
    cli_jw_begin(&w, '{');
    cli_jw_key(&w, "protection");
    cli_jw_str(&w, !cose ? "none" : msg.type == IOTSEC_COSE_SIGN1 ? "COSE_Sign1" : "COSE_Mac0");
    if (cose) {
        cli_jw_key(&w, "alg");
        cli_jw_name_or_int(&w, cli_alg_name(msg.hdr.alg), msg.hdr.alg);
        if (msg.hdr.kid.ptr != NULL) {
            cli_jw_key(&w, "kid");
            cli_jw_b64(&w, msg.hdr.kid.ptr, msg.hdr.kid.len);
        }
        cli_jw_key(&w, "verified");
        cli_jw_bool(&w, verified);
    }
    if (!put_report(&w, &d, env_path != NULL ? &ev : NULL, &why)) {
        rc = cli_fail(CLI_REJECT, "%s", (const char *)why.p);
        goto out;
    }
    cli_jw_end(&w, '}');
    if ((rc = cli_write(NULL, out.p, out.len, false)) == CLI_OK && cose && !verified)
        fprintf(stderr, "iotsec: note: the report's %s was not checked; give --key to check it\n",
                msg.type == IOTSEC_COSE_SIGN1 ? "signature" : "MAC");
out:
    cli_keyset_free(&ks);
    cli_buf_free(&in);
    cli_buf_free(&env);
    cli_buf_free(&out);
    cli_buf_free(&why);
    cli_buf_free(&scratch);
    return rc;
}

/* see suit_host.h */
int suit_report(int argc, char **argv)
{
    static const struct cli_verb verbs[] = {{"show", report_show}};

    return cli_dispatch("suit report", report_help, verbs, 1, argc, argv);
}
