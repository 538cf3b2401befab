/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host side of 'iotsec suit': making, signing, severing, showing and
 * checking SUIT envelopes (cmd_suit_host.c). The 'suit' noun's verb table
 * (cmd_suit.c) dispatches to these; each takes the verb's own argv (argv[0]
 * is the verb) and returns the tool's exit status (cli.h).
 */
#ifndef IOTSEC_SUIT_HOST_H
#define IOTSEC_SUIT_HOST_H

/* iotsec suit create INPUT.json [-o ENVELOPE] [--key KEY ...] [--encrypt-key KEY] ... */
int suit_create(int argc, char **argv);
/* iotsec suit sign ENVELOPE --key KEY [--key KEY ...] [--alg ALG] [-o OUT] */
int suit_sign(int argc, char **argv);
/* iotsec suit sever ENVELOPE [--member NAME ...] [-o OUT] */
int suit_sever(int argc, char **argv);
/* iotsec suit show ENVELOPE [--diag] */
int suit_show(int argc, char **argv);
/* iotsec suit verify ENVELOPE --key KEY [--key KEY ...] */
int suit_verify(int argc, char **argv);

/* iotsec suit report show REPORT [--key KEY ...] [--envelope ENVELOPE] (cmd_suit_report.c) */
int suit_report(int argc, char **argv);

/*
 * Names from draft-ietf-suit-manifest, as 'suit show' prints them
 * ("install", "condition-image-match", "vendor-id", "sha-256"); NULL when
 * the value has none.
 */
const char *suit_member_name(int64_t key);
const char *suit_command_name(int64_t id);
const char *suit_param_name(int64_t id);
const char *suit_digest_name(int64_t alg);

/* One line each, for the noun's help text. */
#define SUIT_HOST_HELP_LINES                                                        \
    "  create   build an envelope from a JSON description (suit-tool format)\n"    \
    "  sign     add COSE_Sign1/COSE_Mac0 authentication blocks\n"                  \
    "  sever    remove severable members (their digests stay in the manifest)\n"   \
    "  show     print an envelope as a named tree, or --diag\n"                    \
    "  verify   check authenticity and the digests of present severable members\n"    \
    "  report   show a SUIT_Report (draft-ietf-suit-report), checking its COSE\n"    \
    "           signature or MAC\n"

#endif
