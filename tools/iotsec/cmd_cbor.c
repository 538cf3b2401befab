/* SPDX-License-Identifier: Apache-2.0 */
/* iotsec cbor diag | check | from-json | to-json */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char cbor_help[] =
    "Usage: iotsec cbor <command> [options] [FILE]\n"
    "\n"
    "Inspect and convert CBOR (RFC 8949). FILE defaults to standard input ('-').\n"
    "\n"
    "Commands:\n"
    "  diag       print the diagnostic notation of one CBOR item\n"
    "  check      check that the input is well-formed (and deterministic, if asked)\n"
    "  from-json  convert JSON to CBOR\n"
    "  to-json    convert the JSON-compatible subset of CBOR to JSON\n"
    "\n"
    "Run 'iotsec cbor <command> --help' for the options of a command.\n";

static const char diag_help[] =
    "Usage: iotsec cbor diag [--sequence] [-o OUT] [FILE]\n"
    "\n"
    "Print the diagnostic notation (RFC 8949 section 8) of the CBOR item in FILE.\n"
    "The input is validated strictly first; on malformed input the command exits 1\n"
    "and names the byte offset and the rule broken.\n"
    "\n"
    "Options:\n"
    "  --sequence   the input is a CBOR sequence (RFC 8742) of zero or more items\n"
    "  -o OUT       write to OUT instead of standard output\n";

static const char check_help[] =
    "Usage: iotsec cbor check [--deterministic] [--sequence] [FILE]\n"
    "\n"
    "Exit 0 when FILE holds exactly one well-formed, valid CBOR item (valid UTF-8,\n"
    "no duplicate map keys, no trailing bytes), else exit 1 with the reason.\n"
    "\n"
    "Options:\n"
    "  --deterministic  also require RFC 8949 section 4.2.1 deterministic encoding:\n"
    "                   shortest heads and floats, no indefinite lengths, map keys\n"
    "                   in bytewise lexicographic order\n"
    "  --sequence       the input is a CBOR sequence (RFC 8742)\n";

static const char from_json_help[] =
    "Usage: iotsec cbor from-json [--deterministic] [-o OUT] [FILE]\n"
    "\n"
    "Convert one JSON value to CBOR. Integers become CBOR integers (bignums past\n"
    "64 bits), other numbers floats in their shortest exact form, strings text\n"
    "strings. Duplicate object keys, invalid UTF-8 and lone surrogates are refused.\n"
    "\n"
    "Options:\n"
    "  --deterministic  sort map keys as RFC 8949 section 4.2.1 requires (the rest of\n"
    "                   the output is deterministic already)\n"
    "  -o OUT           write to OUT instead of standard output\n";

static const char to_json_help[] =
    "Usage: iotsec cbor to-json [--compact] [-o OUT] [FILE]\n"
    "\n"
    "Convert one CBOR item to JSON (RFC 8949 section 6.1). Byte strings become\n"
    "base64url strings without padding; bignums become numbers. Items JSON cannot\n"
    "carry (other tags, undefined, NaN, infinities, non-text map keys) are refused\n"
    "with exit 1 and their offset.\n"
    "\n"
    "Options:\n"
    "  --compact  no indentation\n"
    "  -o OUT     write to OUT instead of standard output\n";

/* Validate @p in; on failure say where and why. */
static int validate(const struct cli_buf *in, unsigned flags, struct iotsec_cbor_dec *d)
{
    size_t off = 0;
    enum iotsec_err err = iotsec_cbor_dec_init(d, in->p, in->len, flags, &off);

    if (err == IOTSEC_OK)
        return CLI_OK;
    if (err == IOTSEC_ERR_CBOR_EMPTY)
        return cli_fail(CLI_REJECT, "input is empty: no CBOR item");
    return cli_fail(cli_exit_for(err), "invalid CBOR at byte offset %zu: %s", off,
                    iotsec_err_str(err));
}

struct cbor_args {
    const char *in, *out;
    bool deterministic, sequence, compact;
};

/* Parse the options common to the cbor commands; @p allowed lists which. */
static int parse_args(const char *cmd, const char *help, const char *allowed, int argc,
                      char **argv, struct cbor_args *a)
{
    int i, r;

    memset(a, 0, sizeof(*a));
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (cli_help(arg, help))
            return -1;
        if ((r = cli_opt(argc, argv, &i, "-o", &a->out)) != 0) {
            if (r < 0 || !strchr(allowed, 'o'))
                return cli_usage_error(cmd, "unexpected option %s", arg);
        } else if (strcmp(arg, "--deterministic") == 0 && strchr(allowed, 'd')) {
            a->deterministic = true;
        } else if (strcmp(arg, "--sequence") == 0 && strchr(allowed, 's')) {
            a->sequence = true;
        } else if (strcmp(arg, "--compact") == 0 && strchr(allowed, 'c')) {
            a->compact = true;
        } else if ((r = cli_operand(cmd, arg, "input file", &a->in)) != CLI_OK) {
            return r;
        }
    }
    return CLI_OK;
}

static int cbor_diag(int argc, char **argv)
{
    struct cbor_args a;
    struct cli_buf in = {0}, text = {0};
    struct iotsec_cbor_dec d;
    size_t n = 0;
    int rc = parse_args("cbor diag", diag_help, "os", argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if ((rc = cli_read(a.in, &in)) != CLI_OK ||
        (rc = validate(&in, a.sequence ? IOTSEC_CBOR_SEQUENCE : 0, &d)) != CLI_OK)
        goto out;
    (void)iotsec_cbor_diag(&d, NULL, 0, &n);
    cli_buf_reserve(&text, n + 2);
    (void)iotsec_cbor_diag(&d, (char *)text.p, text.cap, &text.len);
    cli_buf_put(&text, "\n", 1);
    rc = cli_write(a.out, text.p, text.len, false);
out:
    cli_buf_free(&in);
    cli_buf_free(&text);
    return rc;
}

static int cbor_check(int argc, char **argv)
{
    struct cbor_args a;
    struct cli_buf in = {0};
    struct iotsec_cbor_dec d;
    int rc = parse_args("cbor check", check_help, "ds", argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if ((rc = cli_read(a.in, &in)) == CLI_OK)
        rc = validate(&in,
                      (a.deterministic ? IOTSEC_CBOR_DETERMINISTIC : 0u) |
                          (a.sequence ? IOTSEC_CBOR_SEQUENCE : 0u),
                      &d);
    if (rc == CLI_OK)
        printf("%s: well-formed%s\n", a.in ? a.in : "-", a.deterministic ? " and deterministic" : "");
    cli_buf_free(&in);
    return rc;
}

static int cbor_from_json(int argc, char **argv)
{
    struct cbor_args a;
    struct cli_buf in = {0}, out = {0};
    int rc = parse_args("cbor from-json", from_json_help, "od", argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if ((rc = cli_read(a.in, &in)) == CLI_OK &&
        (rc = cli_json_to_cbor((const char *)in.p, in.len, &out, a.deterministic)) == CLI_OK)
        rc = cli_write(a.out, out.p, out.len, false);
    cli_buf_free(&in);
    cli_buf_free(&out);
    return rc;
}

static int cbor_to_json(int argc, char **argv)
{
    struct cbor_args a;
    struct cli_buf in = {0}, out = {0};
    struct iotsec_cbor_dec d;
    int rc = parse_args("cbor to-json", to_json_help, "oc", argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if ((rc = cli_read(a.in, &in)) == CLI_OK && (rc = validate(&in, 0, &d)) == CLI_OK &&
        (rc = cli_cbor_to_json(&d, &out, !a.compact)) == CLI_OK) {
        if (a.compact)
            cli_buf_put(&out, "\n", 1);
        rc = cli_write(a.out, out.p, out.len, false);
    }
    cli_buf_free(&in);
    cli_buf_free(&out);
    return rc;
}

int cmd_cbor(int argc, char **argv)
{
    static const struct cli_verb verbs[] = {{"diag", cbor_diag},
                                            {"check", cbor_check},
                                            {"from-json", cbor_from_json},
                                            {"to-json", cbor_to_json}};

    return cli_dispatch("cbor", cbor_help, verbs, sizeof(verbs) / sizeof(verbs[0]), argc, argv);
}
