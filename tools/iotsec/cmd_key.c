/* SPDX-License-Identifier: Apache-2.0 */
/* iotsec key gen | pub | show */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "crypto/crypto.h"
#include "iotsec/cose.h"

static const char key_help[] =
    "Usage: iotsec key <command> [options]\n"
    "\n"
    "Make and inspect keys. Every command that takes a key accepts PEM\n"
    "(PKCS#8, SEC1 or SubjectPublicKeyInfo) and COSE_Key (RFC 9052 section 7).\n"
    "\n"
    "Commands:\n"
    "  gen    generate a key for an algorithm\n"
    "  pub    extract the public key of a key pair\n"
    "  show   describe a key\n"
    "\n"
    "Run 'iotsec key <command> --help' for the options of a command.\n";

static const char gen_help[] =
    "Usage: iotsec key gen --alg ALG [--crv CRV] [--kid KID] [--format pem|cose|raw] -o FILE\n"
    "\n"
    "Generate a fresh key for the COSE algorithm ALG. The file is created with\n"
    "mode 0600.\n"
    "\n"
    "Options:\n"
    "  --alg ALG      signature: ES256 ES384 ES512 ESP256 ESP384 ESP512 EdDSA Ed25519\n"
    "                 key agreement: ECDH-ES+HKDF-256 ECDH-ES+A128KW ... (P-256 unless --crv)\n"
    "                 symmetric: A128KW A192KW A256KW A128GCM A256GCM HMAC256/256 HS384\n"
    "                 HS512 AES-CCM-16-64-128 ... ChaCha20/Poly1305 A128CTR A128CBC ...\n"
    "  --crv CRV      curve for key agreement: P-256 P-384 P-521 X25519 X448;\n"
    "                 Ed448 for EdDSA\n"
    "  --kid KID      key identifier (text) stored in a COSE_Key\n"
    "  --format FMT   pem (default for key pairs: PKCS#8), cose (COSE_Key, default\n"
    "                 for symmetric keys) or raw (symmetric keys only)\n"
    "  -o FILE        output file (standard output only when it is not a terminal)\n";

static const char pub_help[] =
    "Usage: iotsec key pub [--format pem|cose] [-o OUT] FILE\n"
    "\n"
    "Write the public key of the key pair in FILE: SubjectPublicKeyInfo PEM or a\n"
    "COSE_Key without its private part. The default format is the input's.\n";

static const char show_help[] =
    "Usage: iotsec key show FILE\n"
    "\n"
    "Describe a key: type, curve, algorithm, kid, whether it holds a private part,\n"
    "and its public COSE_Key in diagnostic notation.\n";

enum key_format { FMT_DEFAULT, FMT_PEM, FMT_COSE, FMT_RAW };

static int parse_format(const char *cmd, const char *s, enum key_format *f)
{
    if (strcmp(s, "pem") == 0)
        *f = FMT_PEM;
    else if (strcmp(s, "cose") == 0)
        *f = FMT_COSE;
    else if (strcmp(s, "raw") == 0)
        *f = FMT_RAW;
    else
        return cli_usage_error(cmd, "unknown key format '%s' (pem, cose or raw)", s);
    return CLI_OK;
}

/* Write @p key in @p fmt to @p path. */
static int write_key(const char *path, const struct iotsec_key *key, bool with_private,
                     enum key_format fmt, const uint8_t *kid, size_t kid_len)
{
    struct cli_buf out = {0};
    enum iotsec_err err;
    int rc;

    if (fmt == FMT_PEM) {
        size_t n = 0;
        cli_buf_reserve(&out, 4096);
        err = iotsec_key_to_pem(key, with_private, (char *)out.p, out.cap, &n);
        if (err != IOTSEC_OK) {
            cli_buf_free(&out);
            return cli_fail(cli_exit_for(err), "cannot write PEM: %s", iotsec_err_str(err));
        }
        out.len = n;
    } else if (fmt == FMT_RAW) {
        cli_buf_put(&out, key->k, key->k_len);
    } else {
        struct iotsec_cbor_enc e;
        struct iotsec_cbuf res;
        iotsec_cbor_enc_init(&e, NULL, 0);
        iotsec_cose_key_encode(&e, key, with_private, kid, kid_len);
        cli_buf_reserve(&out, e.len);
        iotsec_cbor_enc_init(&e, out.p, out.cap);
        iotsec_cose_key_encode(&e, key, with_private, kid, kid_len);
        err = iotsec_cbor_enc_finish(&e, &res);
        if (err != IOTSEC_OK) {
            cli_buf_free(&out);
            return cli_fail(cli_exit_for(err), "cannot encode COSE_Key: %s", iotsec_err_str(err));
        }
        out.len = res.len;
    }
    rc = cli_write(path, out.p, out.len, with_private);
    cli_buf_free(&out);
    return rc;
}

static bool curve_fits(const struct cli_alg *a, int32_t crv)
{
    switch (a->id) {
    case -7: case -9: return crv == IOTSEC_CRV_P256;
    case -35: case -51: return crv == IOTSEC_CRV_P384;
    case -36: case -52: return crv == IOTSEC_CRV_P521;
    case -8: return crv == IOTSEC_CRV_ED25519 || crv == IOTSEC_CRV_ED448;
    case -19: return crv == IOTSEC_CRV_ED25519;
    default: /* key agreement */
        return crv == IOTSEC_CRV_P256 || crv == IOTSEC_CRV_P384 || crv == IOTSEC_CRV_P521 ||
               crv == IOTSEC_CRV_X25519 || crv == IOTSEC_CRV_X448;
    }
}

static int key_gen(int argc, char **argv)
{
    const char *alg_name = NULL, *crv_name = NULL, *kid = NULL, *fmt_name = NULL, *out = NULL;
    const struct cli_alg *a;
    enum key_format fmt = FMT_DEFAULT;
    struct iotsec_key key;
    uint8_t secret[64];
    enum iotsec_err err;
    int i, r, rc;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(gen_help, stdout);
            return CLI_OK;
        }
        if ((r = cli_opt(argc, argv, &i, "--alg", &alg_name)) != 0 ||
            (r = cli_opt(argc, argv, &i, "--crv", &crv_name)) != 0 ||
            (r = cli_opt(argc, argv, &i, "--kid", &kid)) != 0 ||
            (r = cli_opt(argc, argv, &i, "--format", &fmt_name)) != 0 ||
            (r = cli_opt(argc, argv, &i, "-o", &out)) != 0) {
            if (r < 0)
                return cli_usage_error("key gen", "missing option value");
            continue;
        }
        return cli_usage_error("key gen", "unexpected argument '%s'", argv[i]);
    }
    if (alg_name == NULL)
        return cli_usage_error("key gen", "--alg is required");
    if ((a = cli_alg_by_name(alg_name)) == NULL)
        return cli_fail(CLI_UNSUPPORTED, "unknown or unsupported algorithm '%s'", alg_name);
    if (fmt_name != NULL && (rc = parse_format("key gen", fmt_name, &fmt)) != CLI_OK)
        return rc;

    if (a->kty == IOTSEC_KTY_SYMMETRIC) {
        if (crv_name != NULL)
            return cli_usage_error("key gen", "--crv does not apply to %s, a symmetric algorithm",
                                   a->name);
        if (fmt == FMT_PEM)
            return cli_usage_error("key gen", "a symmetric key cannot be written as PEM; use "
                                              "--format cose or raw");
        if ((err = iotsec_crypto_random(secret, a->key_len)) != IOTSEC_OK)
            return cli_fail(CLI_IO, "no randomness: %s", iotsec_err_str(err));
        iotsec_key_init_symmetric(&key, secret, a->key_len);
        if (fmt == FMT_DEFAULT)
            fmt = FMT_COSE;
    } else {
        int32_t crv = a->crv;
        if (crv_name != NULL && (crv = cli_crv_by_name(crv_name)) == 0)
            return cli_fail(CLI_UNSUPPORTED, "unknown curve '%s'", crv_name);
        if (!curve_fits(a, crv))
            return cli_usage_error("key gen", "curve %s does not fit algorithm %s",
                                   cli_crv_name(crv), a->name);
        if (fmt == FMT_RAW)
            return cli_usage_error("key gen", "--format raw is for symmetric keys only");
        if ((err = iotsec_key_generate(&key, crv)) != IOTSEC_OK)
            return cli_fail(cli_exit_for(err), "cannot generate a %s key: %s", cli_crv_name(crv),
                            iotsec_err_str(err));
        if (fmt == FMT_DEFAULT)
            fmt = FMT_PEM;
    }
    key.alg = a->id;
    if (kid != NULL && fmt != FMT_COSE)
        fprintf(stderr, "iotsec: note: %s files cannot hold a kid; use --format cose to keep it\n",
                fmt == FMT_PEM ? "PEM" : "raw");
    rc = write_key(out, &key, true, fmt, (const uint8_t *)kid, kid ? strlen(kid) : 0);
    iotsec_key_free(&key);
    iotsec_wipe(secret, sizeof(secret));
    return rc;
}

static int key_pub(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *fmt_name = NULL;
    enum key_format fmt = FMT_DEFAULT;
    struct cli_key k;
    int i, r, rc;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(pub_help, stdout);
            return CLI_OK;
        }
        if ((r = cli_opt(argc, argv, &i, "--format", &fmt_name)) != 0 ||
            (r = cli_opt(argc, argv, &i, "-o", &out)) != 0) {
            if (r < 0)
                return cli_usage_error("key pub", "missing option value");
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage_error("key pub", "unknown option %s", argv[i]);
        if (in != NULL)
            return cli_usage_error("key pub", "more than one key file");
        in = argv[i];
    }
    if (in == NULL)
        return cli_usage_error("key pub", "a key FILE is required");
    if (fmt_name != NULL && (rc = parse_format("key pub", fmt_name, &fmt)) != CLI_OK)
        return rc;
    if (fmt == FMT_RAW)
        return cli_usage_error("key pub", "a public key has no raw format; use pem or cose");
    if ((rc = cli_key_load(in, &k)) != CLI_OK)
        return rc;
    if (k.key.kty == IOTSEC_KTY_SYMMETRIC) {
        rc = cli_fail(CLI_REJECT, "%s is a symmetric key: it has no public part", in);
    } else {
        if (fmt == FMT_DEFAULT)
            fmt = k.from_pem ? FMT_PEM : FMT_COSE;
        rc = write_key(out, &k.key, false, fmt, k.kid.p, k.kid.len);
    }
    cli_key_free(&k);
    return rc;
}

static int key_show(int argc, char **argv)
{
    struct cli_key k;
    struct iotsec_cbor_enc e;
    struct iotsec_cbor_dec d;
    struct iotsec_cbuf res;
    uint8_t enc[512];
    char diag[2048];
    const struct cli_alg *a;
    int rc;

    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(show_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    if (argc > 2)
        return cli_usage_error("key show", "more than one key file");
    if ((rc = cli_key_load(argv[1], &k)) != CLI_OK)
        return rc;
    a = k.key.alg != 0 ? cli_alg_by_id(k.key.alg) : NULL;
    printf("type:      %s\n", k.key.kty == IOTSEC_KTY_EC2   ? "EC2"
                              : k.key.kty == IOTSEC_KTY_OKP ? "OKP"
                                                            : "Symmetric");
    if (k.key.kty == IOTSEC_KTY_SYMMETRIC)
        printf("length:    %zu bits\n", k.key.k_len * 8);
    else
        printf("curve:     %s\n", cli_crv_name(k.key.crv));
    if (k.key.alg != 0)
        printf("algorithm: %s (%d)\n", a ? a->name : "unknown", (int)k.key.alg);
    if (k.kid.len != 0)
        printf("kid:       %.*s\n", (int)k.kid.len, (const char *)k.kid.p);
    printf("private:   %s\n", k.key.has_private ? "yes" : "no");
    if (k.key.kty != IOTSEC_KTY_SYMMETRIC) {
        iotsec_cbor_enc_init(&e, enc, sizeof(enc));
        iotsec_cose_key_encode(&e, &k.key, false, k.kid.len ? k.kid.p : NULL, k.kid.len);
        if (iotsec_cbor_enc_finish(&e, &res) == IOTSEC_OK &&
            iotsec_cbor_dec_init(&d, res.ptr, res.len, 0, NULL) == IOTSEC_OK &&
            iotsec_cbor_diag(&d, diag, sizeof(diag), NULL) == IOTSEC_OK)
            printf("public:    %s\n", diag);
    }
    cli_key_free(&k);
    return CLI_OK;
}

int cmd_key(int argc, char **argv)
{
    static const struct cli_verb verbs[] = {{"gen", key_gen}, {"pub", key_pub}, {"show", key_show}};

    return cli_dispatch("key", key_help, verbs, sizeof(verbs) / sizeof(verbs[0]), argc, argv);
}
