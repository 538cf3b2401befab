/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared plumbing of the iotsec command-line tool: exit codes, messages,
 * input/output, option scanning, growable buffers, encodings, key files.
 * The tool may allocate; the library it drives never does.
 */
#ifndef IOTSEC_CLI_H
#define IOTSEC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iotsec/cbor.h"
#include "iotsec/key.h"

/* Exit statuses, the same for every command. */
enum cli_exit {
    CLI_OK = 0,          /* success */
    CLI_REJECT = 1,      /* input rejected: malformed, failed verification or check */
    CLI_USAGE = 2,       /* usage error */
    CLI_UNSUPPORTED = 3, /* unsupported feature or algorithm */
    CLI_IO = 4           /* I/O or system error */
};

/* When set, cli_fail() and cli_usage_error() print nothing (fuzzing). */
extern bool cli_quiet;

/* The exit status that matches a library error. */
int cli_exit_for(enum iotsec_err err);

/* "iotsec: <message>" on stderr; returns @p code so callers can `return cli_fail(...)`. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A usage error: the message and a hint to --help. Returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A growable byte buffer. */
struct cli_buf {
    uint8_t *p;
    size_t len;
    size_t cap;
};
void cli_buf_reserve(struct cli_buf *b, size_t extra);
void cli_buf_put(struct cli_buf *b, const void *p, size_t n);
void cli_buf_puts(struct cli_buf *b, const char *s);
void cli_buf_printf(struct cli_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_buf_free(struct cli_buf *b);

/* Read all of @p path ("-" or NULL: stdin). On failure prints the reason and returns CLI_IO. */
int cli_read(const char *path, struct cli_buf *out);
/* Write @p n bytes to @p path (NULL or "-": stdout). @p secret creates the
 * file with mode 0600 (and refuses to write a secret to a terminal). */
int cli_write(const char *path, const void *p, size_t n, bool secret);

/*
 * Option scanning. cli_opt() matches argv[*i] against @p name ("--alg"),
 * accepting "--alg VALUE" and "--alg=VALUE"; on a match it stores the value
 * in *value, advances *i past it and returns 1. A missing value is a usage
 * error: it prints and returns -1.
 */
int cli_opt(int argc, char **argv, int *i, const char *name, const char **value);
bool cli_is_help(const char *arg);

/* Encodings. cli_b64url_decode returns false on invalid input. */
void cli_b64url_encode(struct cli_buf *out, const uint8_t *p, size_t n);
bool cli_b64url_decode(const char *s, size_t n, struct cli_buf *out);
bool cli_hex_decode(const char *s, struct cli_buf *out);
void cli_hex_encode(struct cli_buf *out, const uint8_t *p, size_t n);

/*
 * Key files: PEM (PKCS#8, SEC1, SubjectPublicKeyInfo), COSE_Key (CBOR), or
 * raw symmetric key bytes (16, 24, 32 or 64 bytes that are not a COSE_Key).
 * The loaded key borrows from @p storage for symmetric keys, so keep it
 * alive while the key is in use. @p kid (may be NULL) receives a COSE_Key
 * kid. Prints the reason on failure and returns the exit status.
 */
struct cli_key {
    struct iotsec_key key;
    struct cli_buf storage;
    struct cli_buf kid;
    bool from_pem;
};
int cli_key_load(const char *path, struct cli_key *k);
void cli_key_free(struct cli_key *k);

/* Algorithm names (COSE registry spellings) and their identifiers. */
struct cli_alg {
    const char *name;
    int32_t id;
    int32_t kty;     /* key type it needs */
    int32_t crv;     /* default curve for generation (0: symmetric) */
    size_t key_len;  /* symmetric key length in bytes */
};
const struct cli_alg *cli_alg_by_name(const char *name);
const struct cli_alg *cli_alg_by_id(int32_t id);
const char *cli_crv_name(int32_t crv);
int32_t cli_crv_by_name(const char *name);

/* Subcommand entry points. */
int cmd_cbor(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_cose(int argc, char **argv);
int cmd_suit(int argc, char **argv);

/* JSON <-> CBOR (json.c). On failure they print the reason and return the exit status. */
/* @p det sorts map keys as RFC 8949 4.2.1 deterministic encoding requires. */
int cli_json_to_cbor(const char *text, size_t len, struct cli_buf *out, bool det);
int cli_cbor_to_json(const struct iotsec_cbor_dec *d, struct cli_buf *out, bool pretty);

#endif
