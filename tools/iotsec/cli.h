/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared plumbing of the iotsec command-line tool: exit codes, messages,
 * input/output, option scanning, verb dispatch, growable buffers, encodings,
 * key files and key sets, COSE header buckets, algorithm names and choices.
 * The tool may allocate; the library it drives never does.
 */
#ifndef IOTSEC_CLI_H
#define IOTSEC_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iotsec/cbor.h"
#include "iotsec/cose.h"
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
void cli_buf_vprintf(struct cli_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
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
/* When @p arg asks for help, print @p help to standard output and return true. */
bool cli_help(const char *arg, const char *help);

/*
 * Value options of a command that takes several, each at most once:
 * argv[*i] is matched against every name as cli_opt() does and the value
 * stored in *slot. Returns 1 on a match, 0 when none matches, or -1 after a
 * usage error was printed (a missing value, an option given twice, or one
 * whose @p applies is false).
 */
struct cli_optdef {
    const char *name;
    const char **slot;
    bool applies; /* false: "does not apply to 'iotsec CMD'" */
};
int cli_opt_once(const char *cmd, int argc, char **argv, int *i, const struct cli_optdef *defs,
                 size_t n);
/*
 * A repeatable value option (--key FILE ...): its values go to list[*n], at
 * most @p max of them ("at most MAX keys"). Returns as cli_opt_once() does.
 */
int cli_opt_list(const char *cmd, int argc, char **argv, int *i, const char *name, bool applies,
                 const char **list, size_t *n, size_t max);
/*
 * An argument that none of a command's options took: the one operand (an
 * input file, say) into *slot. Returns CLI_OK, or the usage error for an
 * unknown option or a second operand ("more than one @p what").
 */
int cli_operand(const char *cmd, const char *arg, const char *what, const char **slot);

/* Encodings. cli_b64url_decode returns false on invalid input. */
void cli_b64url_encode(struct cli_buf *out, const uint8_t *p, size_t n);
bool cli_b64url_decode(const char *s, size_t n, struct cli_buf *out);
bool cli_hex_decode(const char *s, struct cli_buf *out);
void cli_hex_encode(struct cli_buf *out, const uint8_t *p, size_t n);

/* The bytes of @p b as the library takes them (no copy). */
struct iotsec_cbuf cli_cbuf(const struct cli_buf *b);
/* Diagnostic notation (RFC 8949 section 8) of the next item of @p d, which
 * is consumed; nothing is written when it does not decode. */
void cli_put_diag(struct cli_buf *t, struct iotsec_cbor_dec *d);

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
/* The COSE_Key kid of @p k, or {NULL, 0} when it has none. */
struct iotsec_cbuf cli_key_kid(const struct cli_key *k);
/* The kid to send for one key: @p text (a --kid option) when given, else its COSE_Key kid. */
struct iotsec_cbuf cli_kid_for(const char *text, const struct cli_key *k);

/*
 * Key files as a COSE key set (iotsec/cose.h): one entry per file, known by
 * its COSE_Key kid (a key without one is tried for any kid). On failure
 * prints the reason and returns the exit status. cli_keyset_free() releases
 * what was loaded, after a failure too; a zeroed cli_keyset is empty.
 */
struct cli_keyset {
    struct cli_key *k;
    struct iotsec_cose_keyset_entry *e;
    struct iotsec_cose_keyset set; /* set.n counts the files loaded so far */
};
int cli_keyset_load(const char *const *paths, size_t n, struct cli_keyset *ks);
void cli_keyset_free(struct cli_keyset *ks);

/*
 * The header buckets of one COSE layer, encoded: alg (when not 0) in the
 * protected or the unprotected bucket, the kid (when kid.ptr is not NULL)
 * in the unprotected one.
 */
struct cli_hdr {
    struct cli_buf prot, unprot;
};
void cli_hdr_build(struct cli_hdr *h, int64_t alg, bool alg_protected, struct iotsec_cbuf kid);
/* The buckets as the library takes them; an empty one is {NULL, 0}. */
struct iotsec_cose_hdr_in cli_hdr_in(const struct cli_hdr *h);
void cli_hdr_free(struct cli_hdr *h);

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
/* The registry name of COSE algorithm @p id, or NULL when iotsec has none. */
const char *cli_alg_name(int64_t id);
/* cli_alg_name(), or @p other (say "another algorithm") when there is none. */
const char *cli_alg_name_or(int64_t id, const char *other);
/* "ES256 (-7)", or "-65536 (unknown algorithm)". */
void cli_put_alg(struct cli_buf *t, int64_t id);

/* Signature algorithms (ES*, ESP*, EdDSA, Ed25519), and whether @p a fits
 * key @p k by its type and curve. */
bool cli_is_sig_alg(int32_t a);
bool cli_sig_alg_fits(int32_t a, const struct iotsec_key *k);
/*
 * The signature algorithm that key @p k's curve implies, 0 for none: ES256,
 * ES384, ES512 for P-256, P-384, P-521, or with @p fully_specified ESP256,
 * ESP384, ESP512; EdDSA for Ed25519 and Ed448.
 */
int32_t cli_sig_alg_for_key(const struct iotsec_key *k, bool fully_specified);
/* Can @p k take part in ECDH: an EC2 key, or an X25519 or X448 one? */
bool cli_is_agreement_key(const struct iotsec_key *k);
/*
 * The key-wrap recipient algorithm that key @p k implies, 0 for none:
 * A128KW, A192KW or A256KW for a 16, 24 or 32-byte symmetric key,
 * ECDH-ES+A128KW for a key-agreement key.
 */
int32_t cli_kw_alg_for_key(const struct iotsec_key *k);

/*
 * A noun's verbs. cli_dispatch() runs the one argv[1] names with the verb's
 * own argv (argv[0] is the verb). Without a verb it prints @p help to
 * standard error (a usage error), with --help to standard output.
 */
struct cli_verb {
    const char *name;
    int (*fn)(int argc, char **argv);
};
int cli_dispatch(const char *noun, const char *help, const struct cli_verb *verbs, size_t n,
                 int argc, char **argv);

/* Subcommand entry points. */
int cmd_cbor(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_cose(int argc, char **argv);
int cmd_suit(int argc, char **argv);
int cmd_eat(int argc, char **argv);

/* JSON <-> CBOR (json.c). On failure they print the reason and return the exit status. */
/* @p det sorts map keys as RFC 8949 4.2.1 deterministic encoding requires. */
int cli_json_to_cbor(const char *text, size_t len, struct cli_buf *out, bool det);
int cli_cbor_to_json(const struct iotsec_cbor_dec *d, struct cli_buf *out, bool pretty);

/*
 * A JSON writer for reports (json.c): values are written in order, commas
 * and two-space indentation come by themselves. Keys and strings are
 * escaped; byte strings go out as base64url without padding (the JSON
 * convention of RFC 8949 6.1 and of RFC 9711's JSON claims).
 */
struct cli_jw {
    struct cli_buf *o;
    unsigned depth;
    bool need_comma; /* the open container has an element already */
    bool after_key;  /* a key was written; its value comes next */
};
void cli_jw_init(struct cli_jw *w, struct cli_buf *o);
void cli_jw_begin(struct cli_jw *w, char open); /* '{' or '[' */
void cli_jw_end(struct cli_jw *w, char close);  /* '}' or ']' */
void cli_jw_key(struct cli_jw *w, const char *key);
void cli_jw_keyn(struct cli_jw *w, const char *key, size_t n);
void cli_jw_str(struct cli_jw *w, const char *s);
void cli_jw_strn(struct cli_jw *w, const char *s, size_t n);
void cli_jw_b64(struct cli_jw *w, const uint8_t *p, size_t n);
void cli_jw_hex(struct cli_jw *w, const uint8_t *p, size_t n);
void cli_jw_int(struct cli_jw *w, int64_t v);
/* A registered value: its @p name as a string, or the number @p v when it has none (NULL). */
void cli_jw_name_or_int(struct cli_jw *w, const char *name, int64_t v);
void cli_jw_uint(struct cli_jw *w, uint64_t v);
void cli_jw_bool(struct cli_jw *w, bool v);
void cli_jw_null(struct cli_jw *w);
/*
 * The next item of @p d (consumed) as JSON, whatever it holds: byte strings
 * as base64url, integer map keys as decimal strings, and what JSON cannot
 * carry (tags, undefined, other simple values, non-finite floats, other map
 * keys) as a string of its diagnostic notation. Nesting is bounded by the
 * validated input's depth.
 */
void cli_jw_cbor(struct cli_jw *w, struct iotsec_cbor_dec *d);

#endif
