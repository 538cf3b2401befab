/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iotsec/cose.h"

int cli_exit_for(enum iotsec_err err)
{
    if (err == IOTSEC_OK)
        return CLI_OK;
    if (iotsec_err_is_malformed(err) || iotsec_err_is_verify(err) || err == IOTSEC_ERR_TOO_DEEP ||
        err == IOTSEC_ERR_LIMIT)
        return CLI_REJECT;
    if (iotsec_err_is_unsupported(err))
        return CLI_UNSUPPORTED;
    if (iotsec_err_is_misuse(err))
        return CLI_USAGE;
    return CLI_IO;
}

bool cli_quiet;

__attribute__((format(printf, 1, 0))) static void vmsg(const char *fmt, va_list ap)
{
    if (cli_quiet)
        return;
    fputs("iotsec: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int cli_fail(int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
    return code;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'iotsec %s --help'.\n", cmd);
    return CLI_USAGE;
}

void cli_buf_reserve(struct cli_buf *b, size_t extra)
{
    size_t want = b->len + extra;

    if (want <= b->cap)
        return;
    if (want < 256)
        want = 256;
    if (want < b->cap * 2)
        want = b->cap * 2;
    b->p = realloc(b->p, want);
    if (b->p == NULL) {
        fputs("iotsec: out of memory\n", stderr);
        exit(CLI_IO);
    }
    b->cap = want;
}

void cli_buf_put(struct cli_buf *b, const void *p, size_t n)
{
    cli_buf_reserve(b, n + 1);
    if (n != 0)
        memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0; /* keep text NUL-terminated for convenience */
}

void cli_buf_puts(struct cli_buf *b, const char *s)
{
    cli_buf_put(b, s, strlen(s));
}

void cli_buf_vprintf(struct cli_buf *b, const char *fmt, va_list ap)
{
    va_list aq;
    int n;

    /* one pass to size the text, one to write it: each needs its own list */
    va_copy(aq, ap);
    n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        return;
    cli_buf_reserve(b, (size_t)n + 1);
    vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void cli_buf_printf(struct cli_buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cli_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void cli_buf_free(struct cli_buf *b)
{
    if (b->p != NULL) {
        memset(b->p, 0, b->cap); /* buffers may have held key material */
        free(b->p);
    }
    b->p = NULL;
    b->len = b->cap = 0;
}

int cli_read(const char *path, struct cli_buf *out)
{
    FILE *f = stdin;
    bool is_stdin = path == NULL || strcmp(path, "-") == 0;

    out->len = 0;
    if (!is_stdin && (f = fopen(path, "rb")) == NULL)
        return cli_fail(CLI_IO, "cannot open %s: %s", path, strerror(errno));
    for (;;) {
        size_t n;
        cli_buf_reserve(out, 65536);
        n = fread(out->p + out->len, 1, out->cap - out->len - 1, f);
        out->len += n;
        if (n == 0)
            break;
    }
    out->p[out->len] = 0;
    if (ferror(f)) {
        int e = errno;
        if (!is_stdin)
            fclose(f);
        return cli_fail(CLI_IO, "cannot read %s: %s", is_stdin ? "standard input" : path,
                        strerror(e));
    }
    if (!is_stdin)
        fclose(f);
    return CLI_OK;
}

int cli_write(const char *path, const void *p, size_t n, bool secret)
{
    int fd;
    const uint8_t *q = p;
    bool is_stdout = path == NULL || strcmp(path, "-") == 0;

    if (is_stdout) {
        fd = STDOUT_FILENO;
        if (secret && isatty(fd))
            return cli_fail(CLI_USAGE, "refusing to print a private key to a terminal; use -o FILE");
    } else {
        /* create with the final mode so a secret is never world-readable */
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, secret ? 0600 : 0644);
        if (fd < 0)
            return cli_fail(CLI_IO, "cannot create %s: %s", path, strerror(errno));
        if (secret && fchmod(fd, 0600) != 0) {
            close(fd);
            return cli_fail(CLI_IO, "cannot set mode 0600 on %s: %s", path, strerror(errno));
        }
    }
    while (n > 0) {
        ssize_t w = write(fd, q, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (!is_stdout)
                close(fd);
            return cli_fail(CLI_IO, "cannot write %s: %s", is_stdout ? "standard output" : path,
                            strerror(errno));
        }
        q += w;
        n -= (size_t)w;
    }
    if (!is_stdout && close(fd) != 0)
        return cli_fail(CLI_IO, "cannot write %s: %s", path, strerror(errno));
    return CLI_OK;
}

int cli_opt(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);

    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "iotsec: option %s needs a value\n", name);
        return -1;
    }
    *value = argv[++*i];
    return 1;
}

bool cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "help") == 0;
}

bool cli_help(const char *arg, const char *help)
{
    if (!cli_is_help(arg))
        return false;
    fputs(help, stdout);
    return true;
}

int cli_dispatch(const char *noun, const char *help, const struct cli_verb *verbs, size_t n,
                 int argc, char **argv)
{
    size_t i;

    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    for (i = 0; i < n; i++)
        if (strcmp(argv[1], verbs[i].name) == 0)
            return verbs[i].fn(argc - 1, argv + 1);
    return cli_usage_error(noun, "unknown command '%s %s'", noun, argv[1]);
}

/* After cli_opt() said a value is missing: point to the command's help. */
static int opt_missing(const char *cmd)
{
    fprintf(stderr, "Try 'iotsec %s --help'.\n", cmd);
    return -1;
}

int cli_opt_once(const char *cmd, int argc, char **argv, int *i, const struct cli_optdef *defs,
                 size_t n)
{
    const char *v = NULL;
    size_t j;
    int r;

    for (j = 0; j < n; j++) {
        if ((r = cli_opt(argc, argv, i, defs[j].name, &v)) == 0)
            continue;
        if (r < 0)
            return opt_missing(cmd);
        if (!defs[j].applies) {
            (void)cli_usage_error(cmd, "option %s does not apply to 'iotsec %s'", defs[j].name,
                                  cmd);
            return -1;
        }
        if (*defs[j].slot != NULL) {
            (void)cli_usage_error(cmd, "option %s given twice", defs[j].name);
            return -1;
        }
        *defs[j].slot = v;
        return 1;
    }
    return 0;
}

int cli_opt_list(const char *cmd, int argc, char **argv, int *i, const char *name, bool applies,
                 const char **list, size_t *n, size_t max)
{
    const char *v = NULL;
    int r = cli_opt(argc, argv, i, name, &v);

    if (r == 0)
        return 0;
    if (r < 0)
        return opt_missing(cmd);
    if (!applies) {
        (void)cli_usage_error(cmd, "option %s does not apply to 'iotsec %s'", name, cmd);
        return -1;
    }
    if (*n == max) {
        (void)cli_usage_error(cmd, "at most %zu keys", max);
        return -1;
    }
    list[(*n)++] = v;
    return 1;
}

int cli_operand(const char *cmd, const char *arg, const char *what, const char **slot)
{
    if (arg[0] == '-' && arg[1] != '\0')
        return cli_usage_error(cmd, "unknown option %s", arg);
    if (*slot != NULL)
        return cli_usage_error(cmd, "more than one %s", what);
    *slot = arg;
    return CLI_OK;
}

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void cli_b64url_encode(struct cli_buf *out, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i + 2 < n; i += 3) {
        char c[4] = {b64url[p[i] >> 2], b64url[(p[i] & 3) << 4 | p[i + 1] >> 4],
                     b64url[(p[i + 1] & 15) << 2 | p[i + 2] >> 6], b64url[p[i + 2] & 63]};
        cli_buf_put(out, c, 4);
    }
    if (n - i == 1) {
        char c[2] = {b64url[p[i] >> 2], b64url[(p[i] & 3) << 4]};
        cli_buf_put(out, c, 2);
    } else if (n - i == 2) {
        char c[3] = {b64url[p[i] >> 2], b64url[(p[i] & 3) << 4 | p[i + 1] >> 4],
                     b64url[(p[i + 1] & 15) << 2]};
        cli_buf_put(out, c, 3);
    }
}

bool cli_b64url_decode(const char *s, size_t n, struct cli_buf *out)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        const char *q = s[i] ? strchr(b64url, s[i]) : NULL;
        if (q == NULL)
            return false; /* also rejects '=' padding and the '+' '/' alphabet */
        acc = acc << 6 | (uint32_t)(q - b64url);
        bits += 6;
        if (bits >= 8) {
            uint8_t b = (uint8_t)(acc >> (bits - 8));
            cli_buf_put(out, &b, 1);
            bits -= 8;
        }
    }
    /* a lone sixth of a byte, or non-zero padding bits, is not canonical */
    return bits < 6 && (acc & ((1u << bits) - 1u)) == 0;
}

bool cli_hex_decode(const char *s, struct cli_buf *out)
{
    int hi = -1;

    for (; *s; s++) {
        int v;
        if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' || *s == ':')
            continue;
        if (*s >= '0' && *s <= '9')
            v = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            v = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'F')
            v = *s - 'A' + 10;
        else
            return false;
        if (hi < 0) {
            hi = v;
        } else {
            uint8_t b = (uint8_t)(hi << 4 | v);
            cli_buf_put(out, &b, 1);
            hi = -1;
        }
    }
    return hi < 0;
}

void cli_hex_encode(struct cli_buf *out, const uint8_t *p, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        char c[2] = {hx[p[i] >> 4], hx[p[i] & 15]};
        cli_buf_put(out, c, 2);
    }
}

struct iotsec_cbuf cli_cbuf(const struct cli_buf *b)
{
    struct iotsec_cbuf c = {b->p, b->len};

    return c;
}

void cli_put_diag(struct cli_buf *t, struct iotsec_cbor_dec *d)
{
    struct iotsec_cbor_dec one;
    struct iotsec_cbuf span;
    size_t n = 0;

    if (iotsec_cbor_get_span(d, &span) != IOTSEC_OK ||
        iotsec_cbor_dec_init(&one, span.ptr, span.len, 0, NULL) != IOTSEC_OK)
        return;
    (void)iotsec_cbor_diag(&one, NULL, 0, &n);
    cli_buf_reserve(t, n + 1);
    if (iotsec_cbor_diag(&one, (char *)t->p + t->len, n + 1, &n) == IOTSEC_OK)
        t->len += n;
}

static const struct {
    const char *name;
    int32_t crv;
} curves[] = {
    {"P-256", IOTSEC_CRV_P256},     {"P-384", IOTSEC_CRV_P384},   {"P-521", IOTSEC_CRV_P521},
    {"X25519", IOTSEC_CRV_X25519},  {"X448", IOTSEC_CRV_X448},    {"Ed25519", IOTSEC_CRV_ED25519},
    {"Ed448", IOTSEC_CRV_ED448},
};

const char *cli_crv_name(int32_t crv)
{
    size_t i;

    for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
        if (curves[i].crv == crv)
            return curves[i].name;
    return "unknown curve";
}

int32_t cli_crv_by_name(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
        if (strcasecmp(curves[i].name, name) == 0)
            return curves[i].crv;
    return 0;
}

/* COSE algorithm names as the IANA registry spells them, then short aliases. */
static const struct cli_alg algs[] = {
    {"ES256", -7, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, 0},
    {"ES384", -35, IOTSEC_KTY_EC2, IOTSEC_CRV_P384, 0},
    {"ES512", -36, IOTSEC_KTY_EC2, IOTSEC_CRV_P521, 0},
    {"ESP256", -9, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, 0},
    {"ESP384", -51, IOTSEC_KTY_EC2, IOTSEC_CRV_P384, 0},
    {"ESP512", -52, IOTSEC_KTY_EC2, IOTSEC_CRV_P521, 0},
    {"EdDSA", -8, IOTSEC_KTY_OKP, IOTSEC_CRV_ED25519, 0},
    {"Ed25519", -19, IOTSEC_KTY_OKP, IOTSEC_CRV_ED25519, 0},
    {"ECDH-ES+HKDF-256", -25, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, 0},
    {"ECDH-ES+HKDF-512", -26, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, 0},
    {"ECDH-SS+HKDF-256", -27, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, 0},
    {"ECDH-SS+HKDF-512", -28, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, 0},
    {"ECDH-ES+A128KW", -29, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, 0},
    {"ECDH-ES+A192KW", -30, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, 0},
    {"ECDH-ES+A256KW", -31, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, 0},
    {"ECDH-SS+A128KW", -32, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, 0},
    {"ECDH-SS+A192KW", -33, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, 0},
    {"ECDH-SS+A256KW", -34, IOTSEC_KTY_EC2, IOTSEC_CRV_P256, 0},
    {"A128KW", -3, IOTSEC_KTY_SYMMETRIC, 0, 16},
    {"A192KW", -4, IOTSEC_KTY_SYMMETRIC, 0, 24},
    {"A256KW", -5, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"direct", -6, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"direct+HKDF-SHA-256", -10, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"direct+HKDF-SHA-512", -11, IOTSEC_KTY_SYMMETRIC, 0, 64},
    {"direct+HKDF-AES-128", -12, IOTSEC_KTY_SYMMETRIC, 0, 16},
    {"direct+HKDF-AES-256", -13, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"A128GCM", 1, IOTSEC_KTY_SYMMETRIC, 0, 16},
    {"A192GCM", 2, IOTSEC_KTY_SYMMETRIC, 0, 24},
    {"A256GCM", 3, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"HMAC 256/64", 4, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"HMAC 256/256", 5, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"HMAC 384/384", 6, IOTSEC_KTY_SYMMETRIC, 0, 48},
    {"HMAC 512/512", 7, IOTSEC_KTY_SYMMETRIC, 0, 64},
    {"AES-MAC 128/64", 14, IOTSEC_KTY_SYMMETRIC, 0, 16},
    {"AES-MAC 256/64", 15, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"AES-MAC 128/128", 25, IOTSEC_KTY_SYMMETRIC, 0, 16},
    {"AES-MAC 256/128", 26, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"AES-CCM-16-64-128", 10, IOTSEC_KTY_SYMMETRIC, 0, 16},
    {"AES-CCM-16-64-256", 11, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"AES-CCM-64-64-128", 12, IOTSEC_KTY_SYMMETRIC, 0, 16},
    {"AES-CCM-64-64-256", 13, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"AES-CCM-16-128-128", 30, IOTSEC_KTY_SYMMETRIC, 0, 16},
    {"AES-CCM-16-128-256", 31, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"AES-CCM-64-128-128", 32, IOTSEC_KTY_SYMMETRIC, 0, 16},
    {"AES-CCM-64-128-256", 33, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"ChaCha20/Poly1305", 24, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"A128CTR", -65534, IOTSEC_KTY_SYMMETRIC, 0, 16},
    {"A192CTR", -65533, IOTSEC_KTY_SYMMETRIC, 0, 24},
    {"A256CTR", -65532, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"A128CBC", -65531, IOTSEC_KTY_SYMMETRIC, 0, 16},
    {"A192CBC", -65530, IOTSEC_KTY_SYMMETRIC, 0, 24},
    {"A256CBC", -65529, IOTSEC_KTY_SYMMETRIC, 0, 32},
    /* aliases, accepted on input only */
    {"HS256", 5, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"HS384", 6, IOTSEC_KTY_SYMMETRIC, 0, 48},
    {"HS512", 7, IOTSEC_KTY_SYMMETRIC, 0, 64},
    {"HMAC256/64", 4, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"HMAC256/256", 5, IOTSEC_KTY_SYMMETRIC, 0, 32},
    {"HMAC384/384", 6, IOTSEC_KTY_SYMMETRIC, 0, 48},
    {"HMAC512/512", 7, IOTSEC_KTY_SYMMETRIC, 0, 64},
    {"ChaCha20-Poly1305", 24, IOTSEC_KTY_SYMMETRIC, 0, 32},
};

const struct cli_alg *cli_alg_by_name(const char *name)
{
    size_t i;
    char *end;
    long id;

    for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
        if (strcasecmp(algs[i].name, name) == 0)
            return &algs[i];
    /* a numeric COSE identifier is accepted too */
    id = strtol(name, &end, 10);
    if (*name != '\0' && *end == '\0')
        return cli_alg_by_id((int32_t)id);
    return NULL;
}

const struct cli_alg *cli_alg_by_id(int32_t id)
{
    size_t i;

    for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
        if (algs[i].id == id)
            return &algs[i];
    return NULL;
}

const char *cli_alg_name(int64_t id)
{
    const struct cli_alg *a;

    if (id < INT32_MIN || id > INT32_MAX)
        return NULL;
    a = cli_alg_by_id((int32_t)id);
    return a != NULL ? a->name : NULL;
}

const char *cli_alg_name_or(int64_t id, const char *other)
{
    const char *n = cli_alg_name(id);

    return n != NULL ? n : other;
}

void cli_put_alg(struct cli_buf *t, int64_t id)
{
    const char *n = cli_alg_name(id);

    if (n != NULL)
        cli_buf_printf(t, "%s (%lld)", n, (long long)id);
    else
        cli_buf_printf(t, "%lld (unknown algorithm)", (long long)id);
}

bool cli_is_sig_alg(int32_t a)
{
    return a == IOTSEC_ALG_ES256 || a == IOTSEC_ALG_ES384 || a == IOTSEC_ALG_ES512 ||
           a == IOTSEC_ALG_ESP256 || a == IOTSEC_ALG_ESP384 || a == IOTSEC_ALG_ESP512 ||
           a == IOTSEC_ALG_EDDSA || a == IOTSEC_ALG_ED25519;
}

bool cli_sig_alg_fits(int32_t a, const struct iotsec_key *k)
{
    switch (a) {
    case IOTSEC_ALG_ES256:
    case IOTSEC_ALG_ESP256:
        return k->kty == IOTSEC_KTY_EC2 && k->crv == IOTSEC_CRV_P256;
    case IOTSEC_ALG_ES384:
    case IOTSEC_ALG_ESP384:
        return k->kty == IOTSEC_KTY_EC2 && k->crv == IOTSEC_CRV_P384;
    case IOTSEC_ALG_ES512:
    case IOTSEC_ALG_ESP512:
        return k->kty == IOTSEC_KTY_EC2 && k->crv == IOTSEC_CRV_P521;
    case IOTSEC_ALG_EDDSA:
        return k->kty == IOTSEC_KTY_OKP &&
               (k->crv == IOTSEC_CRV_ED25519 || k->crv == IOTSEC_CRV_ED448);
    case IOTSEC_ALG_ED25519:
        return k->kty == IOTSEC_KTY_OKP && k->crv == IOTSEC_CRV_ED25519;
    default:
        return false;
    }
}

int32_t cli_sig_alg_for_key(const struct iotsec_key *k, bool fully_specified)
{
    if (k->kty == IOTSEC_KTY_EC2) {
        switch (k->crv) {
        case IOTSEC_CRV_P256: return fully_specified ? IOTSEC_ALG_ESP256 : IOTSEC_ALG_ES256;
        case IOTSEC_CRV_P384: return fully_specified ? IOTSEC_ALG_ESP384 : IOTSEC_ALG_ES384;
        case IOTSEC_CRV_P521: return fully_specified ? IOTSEC_ALG_ESP512 : IOTSEC_ALG_ES512;
        default: return 0;
        }
    }
    if (k->kty == IOTSEC_KTY_OKP && (k->crv == IOTSEC_CRV_ED25519 || k->crv == IOTSEC_CRV_ED448))
        return IOTSEC_ALG_EDDSA;
    return 0;
}

bool cli_is_agreement_key(const struct iotsec_key *k)
{
    return k->kty == IOTSEC_KTY_EC2 ||
           (k->kty == IOTSEC_KTY_OKP && (k->crv == IOTSEC_CRV_X25519 || k->crv == IOTSEC_CRV_X448));
}

int32_t cli_kw_alg_for_key(const struct iotsec_key *k)
{
    if (k->kty == IOTSEC_KTY_SYMMETRIC)
        return k->k_len == 16   ? IOTSEC_ALG_A128KW
               : k->k_len == 24 ? IOTSEC_ALG_A192KW
               : k->k_len == 32 ? IOTSEC_ALG_A256KW
                                : 0;
    return cli_is_agreement_key(k) ? IOTSEC_ALG_ECDH_ES_A128KW : 0;
}

static bool has_prefix(const uint8_t *p, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);

    while (n > 0 && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) {
        p++;
        n--;
    }
    return n >= k && memcmp(p, prefix, k) == 0;
}

int cli_key_load(const char *path, struct cli_key *k)
{
    struct iotsec_cbor_dec d;
    struct iotsec_cbuf kid;
    enum iotsec_err err;
    int rc;

    memset(k, 0, sizeof(*k));
    if ((rc = cli_read(path, &k->storage)) != CLI_OK)
        return rc;
    if (has_prefix(k->storage.p, k->storage.len, "-----BEGIN")) {
        err = iotsec_key_from_pem(&k->key, (const char *)k->storage.p, k->storage.len);
        if (err != IOTSEC_OK)
            return cli_fail(cli_exit_for(err), "%s: cannot load PEM key: %s", path,
                            iotsec_err_str(err));
        k->from_pem = true;
        return CLI_OK;
    }
    err = iotsec_cbor_dec_init(&d, k->storage.p, k->storage.len, 0, NULL);
    if (err == IOTSEC_OK && iotsec_cbor_peek_type(&d) == IOTSEC_CBOR_MAP) {
        err = iotsec_cose_key_decode(&d, &k->key, &kid);
        if (err != IOTSEC_OK)
            return cli_fail(cli_exit_for(err), "%s: not a usable COSE_Key: %s", path,
                            iotsec_err_str(err));
        if (kid.ptr != NULL)
            cli_buf_put(&k->kid, kid.ptr, kid.len);
        return CLI_OK;
    }
    if (k->storage.len == 16 || k->storage.len == 24 || k->storage.len == 32 ||
        k->storage.len == 48 || k->storage.len == 64) {
        iotsec_key_init_symmetric(&k->key, k->storage.p, k->storage.len);
        return CLI_OK;
    }
    return cli_fail(CLI_REJECT,
                    "%s is not a key: expected PEM, a COSE_Key, or 16, 24, 32, 48 or 64 raw bytes",
                    path);
}

void cli_key_free(struct cli_key *k)
{
    iotsec_key_free(&k->key);
    cli_buf_free(&k->storage);
    cli_buf_free(&k->kid);
}

struct iotsec_cbuf cli_key_kid(const struct cli_key *k)
{
    struct iotsec_cbuf kid = {NULL, 0};

    if (k->kid.len != 0) {
        kid.ptr = k->kid.p;
        kid.len = k->kid.len;
    }
    return kid;
}

struct iotsec_cbuf cli_kid_for(const char *text, const struct cli_key *k)
{
    struct iotsec_cbuf kid;

    if (text == NULL)
        return cli_key_kid(k);
    kid.ptr = (const uint8_t *)text;
    kid.len = strlen(text);
    return kid;
}

int cli_keyset_load(const char *const *paths, size_t n, struct cli_keyset *ks)
{
    size_t i;
    int rc;

    memset(ks, 0, sizeof(*ks));
    ks->k = calloc(n ? n : 1, sizeof(*ks->k));
    ks->e = calloc(n ? n : 1, sizeof(*ks->e));
    if (ks->k == NULL || ks->e == NULL)
        return cli_fail(CLI_IO, "out of memory");
    ks->set.entries = ks->e;
    for (i = 0; i < n; i++) {
        ks->set.n = i + 1; /* what cli_keyset_free() releases: a failed load holds memory too */
        if ((rc = cli_key_load(paths[i], &ks->k[i])) != CLI_OK)
            return rc;
        ks->e[i].key = &ks->k[i].key;
        ks->e[i].kid = cli_key_kid(&ks->k[i]);
    }
    return CLI_OK;
}

void cli_keyset_free(struct cli_keyset *ks)
{
    size_t i;

    for (i = 0; ks->k != NULL && i < ks->set.n; i++)
        cli_key_free(&ks->k[i]);
    free(ks->k);
    free(ks->e);
    memset(ks, 0, sizeof(*ks));
}

/* An encoded map of {1: alg} (when @p alg != 0) and {4: kid} (when kid.ptr). */
static void hdr_map(struct cli_buf *b, int64_t alg, struct iotsec_cbuf kid)
{
    struct iotsec_cbor_enc e;
    struct iotsec_cbuf res;
    size_t n = (alg != 0 ? 1u : 0u) + (kid.ptr != NULL ? 1u : 0u), pass;

    b->len = 0;
    if (n == 0)
        return;
    for (pass = 0; pass < 2; pass++) {
        /* first pass sizes, second writes */
        iotsec_cbor_enc_init(&e, pass ? b->p : NULL, pass ? b->cap : 0);
        iotsec_cbor_enc_map(&e, n);
        if (alg != 0) {
            iotsec_cbor_enc_uint(&e, IOTSEC_COSE_HDR_ALG);
            iotsec_cbor_enc_int(&e, alg);
        }
        if (kid.ptr != NULL) {
            iotsec_cbor_enc_uint(&e, IOTSEC_COSE_HDR_KID);
            iotsec_cbor_enc_bstr(&e, kid.ptr, kid.len);
        }
        if (pass == 0)
            cli_buf_reserve(b, e.len);
    }
    if (iotsec_cbor_enc_finish(&e, &res) == IOTSEC_OK)
        b->len = res.len;
}

void cli_hdr_build(struct cli_hdr *h, int64_t alg, bool alg_protected, struct iotsec_cbuf kid)
{
    const struct iotsec_cbuf none = {NULL, 0};

    hdr_map(&h->prot, alg_protected ? alg : 0, none);
    hdr_map(&h->unprot, alg_protected ? 0 : alg, kid);
}

struct iotsec_cose_hdr_in cli_hdr_in(const struct cli_hdr *h)
{
    struct iotsec_cose_hdr_in in;

    in.prot.ptr = h->prot.len ? h->prot.p : NULL;
    in.prot.len = h->prot.len;
    in.unprot.ptr = h->unprot.len ? h->unprot.p : NULL;
    in.unprot.len = h->unprot.len;
    return in;
}

void cli_hdr_free(struct cli_hdr *h)
{
    cli_buf_free(&h->prot);
    cli_buf_free(&h->unprot);
}
