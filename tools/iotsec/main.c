/* SPDX-License-Identifier: Apache-2.0 */
/* iotsec: the command-line tool of the iotsec toolkit. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef IOTSEC_VERSION
#define IOTSEC_VERSION "0.1.0"
#endif

static const char main_help[] =
    "Usage: iotsec <noun> <verb> [options]\n"
    "\n"
    "Security tooling for IoT devices: keys, CBOR, and (as they land) COSE, SUIT\n"
    "and attestation.\n"
    "\n"
    "Nouns:\n"
    "  cbor   inspect and convert CBOR: diag, check, from-json, to-json\n"
    "  key    make and inspect keys: gen, pub, show\n"
    "  cose   COSE messages: sign, verify, mac, encrypt, decrypt, show\n"
    "  suit   SUIT envelopes: create, sign, sever, show, verify, process\n"
    "\n"
    "Every command takes --help. Input comes from a FILE argument or '-' (standard\n"
    "input); output goes to -o FILE or standard output.\n"
    "\n"
    "Exit status: 0 success; 1 input rejected (malformed, failed verification or\n"
    "check); 2 usage error; 3 unsupported feature or algorithm; 4 I/O or system error.\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(main_help, stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1])) {
        fputs(main_help, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("iotsec %s\n", IOTSEC_VERSION);
        return CLI_OK;
    }
    if (strcmp(argv[1], "cbor") == 0)
        return cmd_cbor(argc - 1, argv + 1);
    if (strcmp(argv[1], "key") == 0)
        return cmd_key(argc - 1, argv + 1);
    if (strcmp(argv[1], "cose") == 0)
        return cmd_cose(argc - 1, argv + 1);
    if (strcmp(argv[1], "suit") == 0)
        return cmd_suit(argc - 1, argv + 1);
    if (strcmp(argv[1], "eat") == 0)
        return cmd_eat(argc - 1, argv + 1);
    fprintf(stderr, "iotsec: unknown command '%s'\nTry 'iotsec --help'.\n", argv[1]);
    return CLI_USAGE;
}
