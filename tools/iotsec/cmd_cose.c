/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec cose sign | verify | mac | encrypt | decrypt | show
 *
 * The library (iotsec/cose.h) takes header buckets as encoded maps and
 * allocates nothing. This file makes the choices a user should not have to:
 * which algorithm a key implies, where each header goes (alg protected, kid
 * unprotected; RFC 9053 wants key-wrap and direct recipients' protected
 * bucket empty), how large the output and scratch buffers must be, and which
 * sentence and exit status each library error deserves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "crypto/crypto.h"
#include "iotsec/cose.h"

/* One key file per key set entry; more is a typo rather than a need. */
#define COSE_MAX_KEYS 32

static const char cose_help[] =
    "Usage: iotsec cose <command> [options]\n"
    "\n"
    "Create, check and inspect COSE messages (RFC 9052, RFC 9053, RFC 9459).\n"
    "Keys are PEM, COSE_Key or raw symmetric key files; a COSE_Key's alg binds the\n"
    "key to that algorithm and its kid names it.\n"
    "\n"
    "Commands:\n"
    "  sign     sign a payload: COSE_Sign1, or COSE_Sign with several --key\n"
    "  verify   check a COSE_Sign1, COSE_Sign, COSE_Mac0 or COSE_Mac\n"
    "  mac      MAC a payload: COSE_Mac0, or COSE_Mac with --recipient\n"
    "  encrypt  encrypt a payload: COSE_Encrypt0, or COSE_Encrypt with --recipient\n"
    "  decrypt  decrypt a COSE_Encrypt0 or COSE_Encrypt\n"
    "  show     print a message's structure and headers without checking it\n"
    "\n"
    "Run 'iotsec cose <command> --help' for the options of a command.\n";

static const char sign_help[] =
    "Usage: iotsec cose sign --key KEY [--key KEY ...] [--alg ALG] [--kid KID]\n"
    "                        [--detached] [--aad FILE] [--untagged] [-o OUT] [IN]\n"
    "\n"
    "Sign the payload in IN (default: standard input). One --key writes a\n"
    "COSE_Sign1; several write a COSE_Sign with one signature per key, in order.\n"
    "Each signer's algorithm is its key's COSE_Key alg, else the curve's: P-256\n"
    "ES256, P-384 ES384, P-521 ES512, Ed25519 and Ed448 EdDSA. alg goes in the\n"
    "signer's protected bucket, kid in its unprotected bucket.\n"
    "\n"
    "Options:\n"
    "  --key KEY     private key (PEM or COSE_Key); repeat for COSE_Sign\n"
    "  --alg ALG     signature algorithm for every signer (ES256 ES384 ES512 ESP256\n"
    "                ESP384 ESP512 EdDSA Ed25519); it must fit each key\n"
    "  --kid KID     key identifier (text) to send; default: the COSE_Key kid.\n"
    "                Only with one --key\n"
    "  --detached    leave the payload out of the message (nil)\n"
    "  --aad FILE    external additional authenticated data\n"
    "  --untagged    do not write the COSE CBOR tag\n"
    "  -o OUT        output file (default: standard output)\n";

static const char verify_help[] =
    "Usage: iotsec cose verify --key KEY [--key KEY ...] [--payload FILE]\n"
    "                          [--aad FILE] [--type TYPE] [-o PAYLOAD] [IN]\n"
    "\n"
    "Check the COSE_Sign1, COSE_Sign, COSE_Mac0 or COSE_Mac in IN (default:\n"
    "standard input) against a key set: each --key file is one entry, known by\n"
    "its COSE_Key kid (a key without a kid is tried for any kid). A COSE_Sign\n"
    "verifies when one of its signatures does; a COSE_Mac's MAC key comes from\n"
    "the first recipient a key unlocks.\n"
    "\n"
    "On success prints a line such as\n"
    "  verified: COSE_Sign1, ES256, signer 0, key 1 (kid 'x')\n"
    "to standard output (to standard error when -o - sends the payload there) and\n"
    "exits 0. Exit 1 when nothing verifies, no key fits, or the message is\n"
    "malformed; the payload is then not written. An encrypted message (COSE_Encrypt0,\n"
    "COSE_Encrypt) is a usage error (exit 2): use 'iotsec cose decrypt'.\n"
    "\n"
    "Options:\n"
    "  --key KEY       public key, or shared secret for MACs; repeat for a key set\n"
    "  --payload FILE  the payload of a message that carries nil (detached)\n"
    "  --aad FILE      external additional authenticated data\n"
    "  --type TYPE     sign1, sign, mac0 or mac: the type of an untagged message\n"
    "  -o PAYLOAD      write the verified payload to PAYLOAD ('-': standard output)\n";

static const char mac_help[] =
    "Usage: iotsec cose mac (--key KEY | --recipient KEY ...) [--alg ALG] [--kid KID]\n"
    "                       [--detached] [--aad FILE] [--untagged] [-o OUT] [IN]\n"
    "\n"
    "MAC the payload in IN (default: standard input). --key writes a COSE_Mac0 with\n"
    "the symmetric key as the MAC key. --recipient writes a COSE_Mac whose random\n"
    "MAC key is wrapped for each recipient as 'iotsec cose encrypt' does.\n"
    "\n"
    "Options:\n"
    "  --key KEY        symmetric MAC key\n"
    "  --recipient KEY  recipient key (symmetric key-wrap key, or EC2/OKP public key)\n"
    "  --alg ALG        MAC algorithm: HMAC 256/64, HMAC 256/256 (HS256, the default\n"
    "                   unless the key's COSE_Key alg says otherwise), HMAC 384/384,\n"
    "                   HMAC 512/512, AES-MAC 128/64, AES-MAC 256/64, AES-MAC 128/128,\n"
    "                   AES-MAC 256/128\n"
    "  --kid KID        kid (text) to send; default: the COSE_Key kid. One key only\n"
    "  --detached       leave the payload out of the message (nil)\n"
    "  --aad FILE       external additional authenticated data\n"
    "  --untagged       do not write the COSE CBOR tag\n"
    "  -o OUT           output file (default: standard output)\n";

static const char encrypt_help[] =
    "Usage: iotsec cose encrypt (--key KEY | --recipient KEY ...) [--alg ALG]\n"
    "                           [--kid KID] [--aad FILE] [--untagged]\n"
    "                           [--detached --ciphertext-out FILE]\n"
    "                           [--allow-unauthenticated] [-o OUT] [IN]\n"
    "\n"
    "Encrypt the payload in IN (default: standard input).\n"
    "\n"
    "--key writes a COSE_Encrypt0 with the symmetric key as the content key; the\n"
    "algorithm is the key's COSE_Key alg, else A128GCM, A192GCM or A256GCM by\n"
    "key length.\n"
    "\n"
    "--recipient (repeatable) writes a COSE_Encrypt with a random content key\n"
    "(default algorithm A128GCM) made available to each recipient:\n"
    "  16, 24 or 32-byte symmetric key  A128KW, A192KW, A256KW\n"
    "  EC2 or X25519/X448 key            ECDH-ES+A128KW\n"
    "unless the key's COSE_Key alg names another key-wrap or key-agreement\n"
    "algorithm. A direct mode (direct, direct+HKDF-*, ECDH-ES+HKDF-*) derives the\n"
    "content key for its one recipient, so it allows no other. The recipient's\n"
    "kid comes from its COSE_Key.\n"
    "\n"
    "A128CTR ... A256CBC (RFC 9459) authenticate nothing and are refused (exit 3)\n"
    "unless --allow-unauthenticated says that something else, such as a signature\n"
    "over a digest of the payload, authenticates it.\n"
    "\n"
    "Options:\n"
    "  --key KEY                  symmetric content-encryption key\n"
    "  --recipient KEY            recipient key; repeat for several recipients\n"
    "  --alg ALG                  content algorithm: A128GCM A192GCM A256GCM\n"
    "                             AES-CCM-16-64-128 ... ChaCha20/Poly1305, A128CTR ...\n"
    "  --kid KID                  kid (text) to send; default: the COSE_Key kid.\n"
    "                             One key or recipient only\n"
    "  --aad FILE                 external additional authenticated data\n"
    "  --detached                 leave the ciphertext out of the message (nil) ...\n"
    "  --ciphertext-out FILE      ... and write it to FILE (required with --detached)\n"
    "  --allow-unauthenticated    allow AES-CTR and AES-CBC\n"
    "  --untagged                 do not write the COSE CBOR tag\n"
    "  -o OUT                     output file (default: standard output)\n";

static const char decrypt_help[] =
    "Usage: iotsec cose decrypt --key KEY [--key KEY ...] [--aad FILE]\n"
    "                           [--ciphertext FILE] [--allow-unauthenticated]\n"
    "                           [--type encrypt0|encrypt] [-o OUT] [IN]\n"
    "\n"
    "Decrypt the COSE_Encrypt0 or COSE_Encrypt in IN (default: standard input).\n"
    "Keys form a key set as for 'verify': content keys for COSE_Encrypt0;\n"
    "key-wrap keys, shared secrets or private EC2/OKP keys for COSE_Encrypt's\n"
    "recipients. The plaintext is written (to OUT, created with mode 0600, or to\n"
    "standard output) only after the tag verified; a line naming the recipient\n"
    "and key goes to standard output when -o names a file, else to standard error.\n"
    "Exit 1 when the tag or key unwrap fails or no key fits; a signed or MACed\n"
    "message is a usage error (exit 2).\n"
    "\n"
    "Options:\n"
    "  --key KEY                  key set entry; repeat for several\n"
    "  --aad FILE                 external additional authenticated data\n"
    "  --ciphertext FILE          the ciphertext of a message that carries nil\n"
    "  --allow-unauthenticated    accept AES-CTR and AES-CBC (RFC 9459), which prove\n"
    "                             nothing about the plaintext\n"
    "  --type TYPE                encrypt0 or encrypt: the type of an untagged message\n"
    "  -o OUT                     plaintext file (default: standard output)\n";

static const char show_help[] =
    "Usage: iotsec cose show [--type TYPE] [-o OUT] [IN]\n"
    "\n"
    "Print the structure of the COSE message in IN (default: standard input):\n"
    "its type and tag, each bucket's headers by name, algorithms by name,\n"
    "payload or ciphertext length (or 'detached'), signature or tag length, and\n"
    "each signer or recipient, indented. Nothing is verified or decrypted. Exit 1\n"
    "when the input does not decode as a COSE message.\n"
    "\n"
    "Options:\n"
    "  --type TYPE  sign1, sign, mac0, mac, encrypt0 or encrypt: the type of an\n"
    "               untagged message\n"
    "  -o OUT       write to OUT instead of standard output\n";

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static const struct {
    const char *opt, *name;
    enum iotsec_cose_type type;
    uint64_t tag;
} msg_types[] = {
    {"sign1", "COSE_Sign1", IOTSEC_COSE_SIGN1, IOTSEC_COSE_TAG_SIGN1},
    {"sign", "COSE_Sign", IOTSEC_COSE_SIGN, IOTSEC_COSE_TAG_SIGN},
    {"mac0", "COSE_Mac0", IOTSEC_COSE_MAC0, IOTSEC_COSE_TAG_MAC0},
    {"mac", "COSE_Mac", IOTSEC_COSE_MAC, IOTSEC_COSE_TAG_MAC},
    {"encrypt0", "COSE_Encrypt0", IOTSEC_COSE_ENCRYPT0, IOTSEC_COSE_TAG_ENCRYPT0},
    {"encrypt", "COSE_Encrypt", IOTSEC_COSE_ENCRYPT, IOTSEC_COSE_TAG_ENCRYPT},
};

static const char *type_name(enum iotsec_cose_type t)
{
    size_t i;

    for (i = 0; i < sizeof(msg_types) / sizeof(msg_types[0]); i++)
        if (msg_types[i].type == t)
            return msg_types[i].name;
    return "unknown COSE message";
}

static const char *tag_type_name(uint64_t tag)
{
    size_t i;

    for (i = 0; i < sizeof(msg_types) / sizeof(msg_types[0]); i++)
        if (msg_types[i].tag == tag)
            return msg_types[i].name;
    return NULL;
}

/* Parse --alg: a registry name or number. Unknown is exit 3, as for key gen. */
static int parse_alg(const char *s, int32_t *id)
{
    const struct cli_alg *a = cli_alg_by_name(s);

    if (a != NULL) {
        *id = a->id;
        return CLI_OK;
    }
    return cli_fail(CLI_UNSUPPORTED, "unknown or unsupported algorithm '%s'", s);
}

/* ------------------------------------------------------------------ */
/* Algorithm classes                                                   */
/* ------------------------------------------------------------------ */

static bool is_mac_alg(int32_t a)
{
    return (a >= IOTSEC_ALG_HMAC256_64 && a <= IOTSEC_ALG_HMAC512) ||
           a == IOTSEC_ALG_AES_MAC_128_64 || a == IOTSEC_ALG_AES_MAC_256_64 ||
           a == IOTSEC_ALG_AES_MAC_128_128 || a == IOTSEC_ALG_AES_MAC_256_128;
}

static bool is_unauth_alg(int64_t a)
{
    return a >= IOTSEC_ALG_A128CTR && a <= IOTSEC_ALG_A256CBC;
}

static bool is_content_alg(int32_t a)
{
    return (a >= IOTSEC_ALG_A128GCM && a <= IOTSEC_ALG_A256GCM) ||
           (a >= IOTSEC_ALG_AES_CCM_16_64_128 && a <= IOTSEC_ALG_AES_CCM_64_64_256) ||
           (a >= IOTSEC_ALG_AES_CCM_16_128_128 && a <= IOTSEC_ALG_AES_CCM_64_128_256) ||
           a == IOTSEC_ALG_CHACHA20_POLY1305 || is_unauth_alg(a);
}

/* Bytes of key a MAC or content algorithm needs; 0 when any length will do
 * (HMAC) or the algorithm is unknown. */
static size_t alg_key_len(int32_t a)
{
    const struct cli_alg *ca;

    switch (a) {
    case IOTSEC_ALG_AES_MAC_128_64:
    case IOTSEC_ALG_AES_MAC_128_128:
        return 16;
    case IOTSEC_ALG_AES_MAC_256_64:
    case IOTSEC_ALG_AES_MAC_256_128:
        return 32;
    default:
        if (a >= IOTSEC_ALG_HMAC256_64 && a <= IOTSEC_ALG_HMAC512)
            return 0;
        ca = cli_alg_by_id(a);
        return ca != NULL ? ca->key_len : 0;
    }
}

/* How a recipient algorithm gets the content key (RFC 9053 section 6). */
enum ralg_kind {
    R_NONE,
    R_KW,             /* AES key wrap with the symmetric key */
    R_DIRECT,         /* the symmetric key is the content key */
    R_DIRECT_HKDF,    /* content key derived from a shared secret */
    R_ECDH_ES_DIRECT, /* content key derived from ECDH with an ephemeral key */
    R_ECDH_ES_KW,     /* ECDH-ES derives a key-wrap key */
    R_ECDH_SS         /* static-static: needs the sender's own key */
};

static enum ralg_kind ralg_kind(int32_t a)
{
    switch (a) {
    case IOTSEC_ALG_A128KW:
    case IOTSEC_ALG_A192KW:
    case IOTSEC_ALG_A256KW:
        return R_KW;
    case IOTSEC_ALG_DIRECT:
        return R_DIRECT;
    case IOTSEC_ALG_DIRECT_HKDF_SHA256:
    case IOTSEC_ALG_DIRECT_HKDF_SHA512:
    case IOTSEC_ALG_DIRECT_HKDF_AES128:
    case IOTSEC_ALG_DIRECT_HKDF_AES256:
        return R_DIRECT_HKDF;
    case IOTSEC_ALG_ECDH_ES_HKDF_256:
    case IOTSEC_ALG_ECDH_ES_HKDF_512:
        return R_ECDH_ES_DIRECT;
    case IOTSEC_ALG_ECDH_ES_A128KW:
    case IOTSEC_ALG_ECDH_ES_A192KW:
    case IOTSEC_ALG_ECDH_ES_A256KW:
        return R_ECDH_ES_KW;
    case IOTSEC_ALG_ECDH_SS_HKDF_256:
    case IOTSEC_ALG_ECDH_SS_HKDF_512:
    case IOTSEC_ALG_ECDH_SS_A128KW:
    case IOTSEC_ALG_ECDH_SS_A192KW:
    case IOTSEC_ALG_ECDH_SS_A256KW:
        return R_ECDH_SS;
    default:
        return R_NONE;
    }
}

static const char *key_kind(const struct iotsec_key *k)
{
    return k->kty == IOTSEC_KTY_SYMMETRIC ? "symmetric" : cli_crv_name(k->crv);
}

/* ------------------------------------------------------------------ */
/* Arguments                                                           */
/* ------------------------------------------------------------------ */

enum {
    O_KEY = 1u << 0,
    O_RECIPIENT = 1u << 1,
    O_ALG = 1u << 2,
    O_KID = 1u << 3,
    O_DETACHED = 1u << 4,
    O_AAD = 1u << 5,
    O_UNTAGGED = 1u << 6,
    O_PAYLOAD = 1u << 7,
    O_TYPE = 1u << 8,
    O_CIPHERTEXT = 1u << 9,
    O_CT_OUT = 1u << 10,
    O_ALLOW_UNAUTH = 1u << 11,
    O_OUT = 1u << 12
};

struct cose_args {
    const char *cmd; /* "cose sign", for messages */
    const char *in, *out, *alg, *kid, *aad, *payload, *ciphertext, *ct_out, *type;
    const char *keys[COSE_MAX_KEYS];
    size_t n_keys;
    const char *recips[COSE_MAX_KEYS];
    size_t n_recips;
    bool detached, untagged, allow_unauth;
};

/*
 * Scan argv for the options in @p allowed. Returns CLI_OK; -1 after
 * printing @p help (the caller exits 0); or CLI_USAGE.
 */
static int parse_args(const char *cmd, const char *help, unsigned allowed, int argc, char **argv,
                      struct cose_args *a)
{
    int i, r;

    memset(a, 0, sizeof(*a));
    a->cmd = cmd;
    for (i = 1; i < argc; i++) {
        const struct cli_optdef vopts[] = {
            {"--alg", &a->alg, (allowed & O_ALG) != 0},
            {"--kid", &a->kid, (allowed & O_KID) != 0},
            {"--aad", &a->aad, (allowed & O_AAD) != 0},
            {"--payload", &a->payload, (allowed & O_PAYLOAD) != 0},
            {"--type", &a->type, (allowed & O_TYPE) != 0},
            {"--ciphertext", &a->ciphertext, (allowed & O_CIPHERTEXT) != 0},
            {"--ciphertext-out", &a->ct_out, (allowed & O_CT_OUT) != 0},
            {"-o", &a->out, (allowed & O_OUT) != 0},
        };
        const char *arg = argv[i];

        if (cli_help(arg, help))
            return -1;
        r = cli_opt_once(cmd, argc, argv, &i, vopts, sizeof(vopts) / sizeof(vopts[0]));
        if (r == 0)
            r = cli_opt_list(cmd, argc, argv, &i, "--key", (allowed & O_KEY) != 0, a->keys,
                             &a->n_keys, COSE_MAX_KEYS);
        if (r == 0)
            r = cli_opt_list(cmd, argc, argv, &i, "--recipient", (allowed & O_RECIPIENT) != 0,
                             a->recips, &a->n_recips, COSE_MAX_KEYS);
        if (r < 0)
            return CLI_USAGE;
        if (r > 0)
            continue;
        if (strcmp(arg, "--detached") == 0 && (allowed & O_DETACHED))
            a->detached = true;
        else if (strcmp(arg, "--untagged") == 0 && (allowed & O_UNTAGGED))
            a->untagged = true;
        else if (strcmp(arg, "--allow-unauthenticated") == 0 && (allowed & O_ALLOW_UNAUTH))
            a->allow_unauth = true;
        else if ((r = cli_operand(cmd, arg, "input file", &a->in)) != CLI_OK)
            return r;
    }
    return CLI_OK;
}

/* NULL and "-" name standard input (or output). */
static bool is_std(const char *path)
{
    return path == NULL || strcmp(path, "-") == 0;
}

/* Standard input can be read once: refuse two inputs that both want it. */
static int check_stdin(const struct cose_args *a)
{
    const char *named[] = {a->aad, a->payload, a->ciphertext};
    size_t i, n = is_std(a->in) ? 1u : 0u;

    for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        n += named[i] != NULL && strcmp(named[i], "-") == 0 ? 1u : 0u;
    for (i = 0; i < a->n_keys; i++)
        n += strcmp(a->keys[i], "-") == 0 ? 1u : 0u;
    for (i = 0; i < a->n_recips; i++)
        n += strcmp(a->recips[i], "-") == 0 ? 1u : 0u;
    if (n > 1)
        return cli_usage_error(a->cmd, "only one input can come from standard input (the "
                                       "message or payload defaults to it; name a FILE)");
    return CLI_OK;
}

/* --type NAME; @p allowed is a mask of (1 << enum iotsec_cose_type). */
static int parse_type(const struct cose_args *a, unsigned allowed, enum iotsec_cose_type *t)
{
    size_t i;

    *t = IOTSEC_COSE_UNKNOWN;
    if (a->type == NULL)
        return CLI_OK;
    for (i = 0; i < sizeof(msg_types) / sizeof(msg_types[0]); i++)
        if (strcmp(a->type, msg_types[i].opt) == 0 && (allowed & (1u << msg_types[i].type))) {
            *t = msg_types[i].type;
            return CLI_OK;
        }
    return cli_usage_error(a->cmd, "--type %s is not a message type this command takes",
                           a->type);
}

/* ------------------------------------------------------------------ */
/* Keys and headers                                                    */
/* ------------------------------------------------------------------ */

/* 'text' when the kid is printable ASCII, else h'hex'. */
static void put_kid(struct cli_buf *t, struct iotsec_cbuf kid)
{
    size_t i;
    bool text = kid.len != 0;

    for (i = 0; i < kid.len && text; i++)
        text = kid.ptr[i] >= 0x20 && kid.ptr[i] < 0x7f && kid.ptr[i] != '\'';
    if (text) {
        cli_buf_printf(t, "'%.*s'", (int)kid.len, (const char *)kid.ptr);
    } else {
        cli_buf_puts(t, "h'");
        cli_hex_encode(t, kid.ptr, kid.len);
        cli_buf_puts(t, "'");
    }
}

/* Read an optional file (NULL: absent, nothing read). */
static int read_opt(const char *path, struct cli_buf *b)
{
    return path != NULL ? cli_read(path, b) : CLI_OK;
}

/* Read the payload (IN) and --aad of a command that makes a message, and
 * start its options with what they and the flags say. */
static int read_inputs(const struct cose_args *a, struct cli_buf *payload, struct cli_buf *aad,
                       struct iotsec_cose_opts *o)
{
    int rc;

    if ((rc = cli_read(a->in, payload)) != CLI_OK || (rc = read_opt(a->aad, aad)) != CLI_OK)
        return rc;
    memset(o, 0, sizeof(*o));
    o->external_aad = cli_cbuf(aad);
    o->detach = a->detached;
    o->untagged = a->untagged;
    return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* Output and scratch buffers                                          */
/* ------------------------------------------------------------------ */

/*
 * Creating a message needs an output buffer and, for EdDSA, large AAD and
 * detached ciphertext, scratch memory. Sizes are estimated generously; the
 * library says IOTSEC_ERR_BUFFER_TOO_SMALL without saying which buffer, so
 * both grow and the operation is repeated (it is stateless: a retry draws a
 * fresh IV, CEK or ephemeral key, which is fine).
 */
struct work {
    struct cli_buf out, scratch;
    size_t out_cap, scratch_cap;
    int tries;
};

static void work_init(struct work *w, size_t out_cap, size_t scratch_cap)
{
    memset(w, 0, sizeof(*w));
    w->out_cap = out_cap;
    w->scratch_cap = scratch_cap;
}

/* Make room; fill the buffers of @p o. */
static struct iotsec_buf work_prepare(struct work *w, struct iotsec_cose_opts *o)
{
    struct iotsec_buf out;

    cli_buf_reserve(&w->out, w->out_cap);
    cli_buf_reserve(&w->scratch, w->scratch_cap);
    o->scratch.ptr = w->scratch.p;
    o->scratch.len = w->scratch.cap;
    out.ptr = w->out.p;
    out.len = w->out.cap;
    return out;
}

/* After a call: true when it should be repeated with larger buffers. */
static bool work_retry(struct work *w, enum iotsec_err err)
{
    if (err != IOTSEC_ERR_BUFFER_TOO_SMALL || ++w->tries > 4)
        return false;
    w->out_cap *= 4;
    w->scratch_cap *= 4;
    return true;
}

static void work_free(struct work *w)
{
    cli_buf_free(&w->out);
    cli_buf_free(&w->scratch);
}

/* ------------------------------------------------------------------ */
/* sign                                                                */
/* ------------------------------------------------------------------ */

/* The signature algorithm for key @p k: --alg, its COSE_Key alg, or its curve's. */
static int pick_sig_alg(const char *cmd, const struct cli_key *k, const char *path,
                        int32_t override, int32_t *alg)
{
    const struct iotsec_key *key = &k->key;
    int32_t want = override;
    const char *an;

    if (key->kty == IOTSEC_KTY_SYMMETRIC)
        return cli_usage_error(cmd, "%s is a symmetric key, which cannot sign; use 'iotsec cose "
                                    "mac' for a shared secret", path);
    if (want == 0)
        want = key->alg != 0 ? key->alg : cli_sig_alg_for_key(key, false);
    if (want == 0)
        return cli_usage_error(cmd, "%s is a %s key, which cannot sign", path, key_kind(key));
    an = cli_alg_name_or(want, "an unknown algorithm");
    if (!cli_is_sig_alg(want))
        return cli_usage_error(cmd, "%s is bound to %s (its COSE_Key alg), which is not a "
                                    "signature algorithm", path, an);
    if (key->alg != 0 && key->alg != want)
        return cli_usage_error(cmd, "%s is bound to %s (its COSE_Key alg) and may not sign with "
                                    "%s", path,
                               cli_alg_name_or(key->alg, "another algorithm"), an);
    if (!cli_sig_alg_fits(want, key))
        return cli_usage_error(cmd, "%s does not fit %s, a %s key", an, path, key_kind(key));
    if (!key->has_private)
        return cli_usage_error(cmd, "%s holds only a public key; signing needs the private key",
                               path);
    *alg = want;
    return CLI_OK;
}

static int cose_sign(int argc, char **argv)
{
    const char *cmd = "cose sign";
    struct cose_args a;
    struct cli_keyset kr = {0};
    struct cli_hdr *hdrs = NULL;
    struct iotsec_cose_signer_in *signers = NULL;
    /* COSE_Sign body buckets: empty, each signer protects its own alg */
    const struct iotsec_cose_hdr_in body = {{NULL, 0}, {NULL, 0}};
    struct cli_buf payload = {0}, aad = {0};
    struct work w;
    struct iotsec_cose_opts o;
    struct iotsec_cbuf msg = {NULL, 0};
    enum iotsec_err err;
    int32_t override = 0;
    size_t i, kids = 0;
    int rc = parse_args(cmd, sign_help, O_KEY | O_ALG | O_KID | O_DETACHED | O_AAD | O_UNTAGGED |
                        O_OUT, argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if (a.n_keys == 0)
        return cli_usage_error(cmd, "--key is required");
    if (a.kid != NULL && a.n_keys > 1)
        return cli_usage_error(cmd, "--kid names one key; with several --key options each "
                                    "signer's kid comes from its COSE_Key");
    if (a.alg != NULL && (rc = parse_alg(a.alg, &override)) != CLI_OK)
        return rc;
    if (override != 0 && !cli_is_sig_alg(override))
        return cli_usage_error(cmd, "%s is not a signature algorithm", a.alg);
    if ((rc = check_stdin(&a)) != CLI_OK)
        return rc;

    work_init(&w, 0, 0);
    if ((rc = cli_keyset_load(a.keys, a.n_keys, &kr)) != CLI_OK)
        goto out;
    hdrs = calloc(a.n_keys, sizeof(*hdrs));
    signers = calloc(a.n_keys, sizeof(*signers));
    if (hdrs == NULL || signers == NULL) {
        rc = cli_fail(CLI_IO, "out of memory");
        goto out;
    }
    for (i = 0; i < a.n_keys; i++) {
        int32_t alg = 0;
        struct iotsec_cbuf kid = cli_kid_for(a.kid, &kr.k[i]);
        if ((rc = pick_sig_alg(cmd, &kr.k[i], a.keys[i], override, &alg)) != CLI_OK)
            goto out;
        cli_hdr_build(&hdrs[i], alg, true, kid);
        signers[i].hdr = cli_hdr_in(&hdrs[i]);
        signers[i].key = &kr.k[i].key;
        kids += kid.len;
    }
    if ((rc = read_inputs(&a, &payload, &aad, &o)) != CLI_OK)
        goto out;
    /* EdDSA builds the whole Sig_structure (headers, AAD, payload) in scratch */
    work_init(&w, payload.len + kids + 1024 + a.n_keys * 512, payload.len + aad.len + 4096);
    do {
        struct iotsec_buf ob = work_prepare(&w, &o);
        if (a.n_keys == 1)
            err = iotsec_cose_sign1(ob, &msg, &signers[0], cli_cbuf(&payload), &o);
        else
            err = iotsec_cose_sign(ob, &msg, &body, signers, a.n_keys, cli_cbuf(&payload), &o);
    } while (work_retry(&w, err));
    if (err != IOTSEC_OK) {
        rc = cli_fail(cli_exit_for(err), "cannot sign: %s", iotsec_err_str(err));
        goto out;
    }
    rc = cli_write(a.out, msg.ptr, msg.len, false);
out:
    for (i = 0; hdrs != NULL && i < a.n_keys; i++)
        cli_hdr_free(&hdrs[i]);
    free(hdrs);
    free(signers);
    cli_keyset_free(&kr);
    cli_buf_free(&payload);
    cli_buf_free(&aad);
    work_free(&w);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Receiving: decode, verify, decrypt                                  */
/* ------------------------------------------------------------------ */

/* The outermost tag of a COSE message (under a CWT tag), 0 if none. */
static uint64_t outer_tag(const struct cli_buf *in)
{
    struct iotsec_cbor_dec d;
    uint64_t tag = 0;

    if (iotsec_cbor_dec_init(&d, in->p, in->len, 0, NULL) != IOTSEC_OK)
        return 0;
    (void)iotsec_cbor_skip_tag(&d, IOTSEC_COSE_TAG_CWT);
    if (iotsec_cbor_get_tag(&d, &tag) != IOTSEC_OK)
        return 0;
    return tag;
}

/* Decode the message in @p in as type @p expect (UNKNOWN: by its tag). */
static int decode_msg(const char *cmd, const struct cli_buf *in, enum iotsec_cose_type expect,
                      const struct iotsec_cose_label *understood, size_t n_understood,
                      struct iotsec_cose_msg *m)
{
    struct iotsec_cbor_dec d;
    size_t off = 0;
    uint64_t tag;
    const char *tn;
    enum iotsec_err err = iotsec_cbor_dec_init(&d, in->p, in->len, 0, &off);

    if (err == IOTSEC_ERR_CBOR_EMPTY)
        return cli_fail(CLI_REJECT, "input is empty: no COSE message");
    if (err != IOTSEC_OK)
        return cli_fail(CLI_REJECT, "not a COSE message: invalid CBOR at byte offset %zu: %s",
                        off, iotsec_err_str(err));
    tag = outer_tag(in);
    tn = tag_type_name(tag);
    /* not self-describing: the input, not the command line, lacks something */
    if (tag == 0 && expect == IOTSEC_COSE_UNKNOWN)
        return cli_fail(CLI_REJECT, "the input carries no COSE tag; if it is an untagged "
                                    "message, name its type with --type (see 'iotsec %s --help')",
                        cmd);
    if (tag != 0 && tn == NULL)
        return cli_fail(CLI_REJECT, "not a COSE message: tag %llu is not a COSE message tag",
                        (unsigned long long)tag);
    if (tn != NULL && expect != IOTSEC_COSE_UNKNOWN && strcmp(tn, type_name(expect)) != 0)
        return cli_fail(CLI_REJECT, "the message is a %s (tag %llu), not the %s that --type "
                                    "names", tn, (unsigned long long)tag, type_name(expect));
    err = iotsec_cose_decode(in->p, in->len, expect, understood, n_understood, m);
    if (err == IOTSEC_ERR_UNSUPPORTED)
        return cli_fail(CLI_UNSUPPORTED, "the %s carries a critical header parameter iotsec does "
                                         "not understand", tn ? tn : type_name(expect));
    if (err != IOTSEC_OK)
        return cli_fail(err == IOTSEC_ERR_UNSUPPORTED_ALG ? CLI_UNSUPPORTED : CLI_REJECT,
                        "not a valid %s: %s", tn ? tn : type_name(expect), iotsec_err_str(err));
    return CLI_OK;
}

/* Read and decode the message of verify or decrypt: --type among @p types. */
static int receive(const struct cose_args *a, unsigned types, struct cli_buf *in,
                   struct iotsec_cose_msg *m)
{
    enum iotsec_cose_type expect;
    int rc;

    if ((rc = parse_type(a, types, &expect)) != CLI_OK || (rc = check_stdin(a)) != CLI_OK ||
        (rc = cli_read(a->in, in)) != CLI_OK)
        return rc;
    return decode_msg(a->cmd, in, expect, NULL, 0, m);
}

/* The content (payload or ciphertext, @p what) comes from the message or,
 * when it is detached, from option @p opt (@p path): never both. */
static int check_detached(const char *cmd, const struct iotsec_cose_msg *m, const char *path,
                          const char *what, const char *opt)
{
    if (m->content.ptr == NULL && path == NULL)
        return cli_usage_error(cmd, "the message's %s is detached (nil); give it with %s FILE",
                               what, opt);
    if (m->content.ptr != NULL && path != NULL)
        return cli_usage_error(cmd, "the message carries its %s; %s is only for a detached %s",
                               what, opt, what);
    return CLI_OK;
}

/* The line that says what authenticated, e.g. "verified: COSE_Sign1, ES256,
 * signer 0, key 1 (kid 'x')". */
static void result_line(struct cli_buf *t, const char *what, const struct iotsec_cose_msg *m,
                        const struct iotsec_cose_result *r, const struct cli_keyset *kr)
{
    const char *an = cli_alg_name(r->alg);

    cli_buf_printf(t, "%s: %s, ", what, type_name(m->type));
    if (an != NULL)
        cli_buf_puts(t, an);
    else
        cli_buf_printf(t, "alg %lld", (long long)r->alg);
    if (m->type == IOTSEC_COSE_SIGN1 || m->type == IOTSEC_COSE_SIGN)
        cli_buf_printf(t, ", signer %zu", r->signer);
    else if (m->type == IOTSEC_COSE_MAC || m->type == IOTSEC_COSE_ENCRYPT)
        cli_buf_printf(t, ", recipient %zu", r->signer);
    cli_buf_printf(t, ", key %zu", r->key);
    if (r->key < kr->set.n && kr->e[r->key].kid.len != 0) {
        cli_buf_puts(t, " (kid ");
        put_kid(t, kr->e[r->key].kid);
        cli_buf_puts(t, ")");
    }
    cli_buf_puts(t, "\n");
}

static int cose_verify(int argc, char **argv)
{
    const char *cmd = "cose verify";
    struct cose_args a;
    struct cli_keyset kr = {0};
    struct cli_buf in = {0}, payload = {0}, aad = {0}, line = {0};
    struct iotsec_cose_msg m;
    struct iotsec_cose_opts o;
    struct iotsec_cose_result r;
    struct work w;
    enum iotsec_err err;
    bool is_mac;
    int rc = parse_args(cmd, verify_help, O_KEY | O_PAYLOAD | O_AAD | O_TYPE | O_OUT, argc,
                        argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if (a.n_keys == 0)
        return cli_usage_error(cmd, "--key is required");
    work_init(&w, 0, 0);
    if ((rc = receive(&a, 1u << IOTSEC_COSE_SIGN1 | 1u << IOTSEC_COSE_SIGN |
                              1u << IOTSEC_COSE_MAC0 | 1u << IOTSEC_COSE_MAC,
                      &in, &m)) != CLI_OK)
        goto out;
    if (m.type == IOTSEC_COSE_ENCRYPT0 || m.type == IOTSEC_COSE_ENCRYPT) {
        rc = cli_usage_error(cmd, "the message is a %s, which is encrypted, not signed or MACed; "
                                  "use 'iotsec cose decrypt'", type_name(m.type));
        goto out;
    }
    if ((rc = check_detached(cmd, &m, a.payload, "payload", "--payload")) != CLI_OK ||
        (rc = cli_keyset_load(a.keys, a.n_keys, &kr)) != CLI_OK ||
        (rc = read_opt(a.payload, &payload)) != CLI_OK || (rc = read_opt(a.aad, &aad)) != CLI_OK)
        goto out;

    memset(&o, 0, sizeof(o));
    o.external_aad = cli_cbuf(&aad);
    if (a.payload != NULL)
        o.detached = cli_cbuf(&payload);
    work_init(&w, 1, in.len + payload.len + aad.len + 4096);
    do {
        (void)work_prepare(&w, &o);
        err = iotsec_cose_verify(&m, &kr.set, &o, &r);
    } while (work_retry(&w, err));

    is_mac = m.type == IOTSEC_COSE_MAC0 || m.type == IOTSEC_COSE_MAC;
    switch (err) {
    case IOTSEC_OK:
        break;
    case IOTSEC_ERR_VERIFY_FAILED:
        rc = cli_fail(CLI_REJECT, "verification failed: %s", is_mac
                          ? "the MAC tag does not match (wrong key, or the message, payload or "
                            "AAD was altered)"
                          : "no signature verifies with the given keys (wrong key, or the "
                            "message, payload or AAD was altered)");
        goto out;
    case IOTSEC_ERR_DECRYPT_FAILED:
        rc = cli_fail(CLI_REJECT, "verification failed: no key unwraps the MAC key of a "
                                  "recipient");
        goto out;
    case IOTSEC_ERR_NOT_FOUND:
        rc = cli_fail(CLI_REJECT, "verification failed: no key in the key set fits the %s "
                                  "(algorithm, key type or kid)", type_name(m.type));
        goto out;
    case IOTSEC_ERR_UNSUPPORTED_ALG:
        rc = cli_fail(CLI_UNSUPPORTED, "cannot verify: the %s uses an algorithm this build does "
                                       "not support", type_name(m.type));
        goto out;
    default:
        rc = cli_fail(cli_exit_for(err), "cannot verify the %s: %s", type_name(m.type),
                      iotsec_err_str(err));
        goto out;
    }
    result_line(&line, "verified", &m, &r, &kr);
    /* stdout carries the payload when -o - asks for it, so the line moves aside */
    if (a.out != NULL && strcmp(a.out, "-") == 0)
        fputs((const char *)line.p, stderr);
    else
        fputs((const char *)line.p, stdout);
    fflush(stdout);
    if (a.out != NULL)
        rc = cli_write(a.out, r.payload.ptr, r.payload.len, false);
out:
    cli_keyset_free(&kr);
    cli_buf_free(&in);
    cli_buf_free(&payload);
    cli_buf_free(&aad);
    cli_buf_free(&line);
    work_free(&w);
    return rc;
}

static int cose_decrypt(int argc, char **argv)
{
    const char *cmd = "cose decrypt";
    struct cose_args a;
    struct cli_keyset kr = {0};
    struct cli_buf in = {0}, ct = {0}, aad = {0}, line = {0};
    struct iotsec_cose_msg m;
    struct iotsec_cose_opts o;
    struct iotsec_cose_result r;
    struct iotsec_buf ob;
    struct work w;
    enum iotsec_err err;
    size_t ct_len;
    bool to_stdout;
    int rc = parse_args(cmd, decrypt_help, O_KEY | O_AAD | O_CIPHERTEXT | O_ALLOW_UNAUTH |
                        O_TYPE | O_OUT, argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if (a.n_keys == 0)
        return cli_usage_error(cmd, "--key is required");
    work_init(&w, 0, 0);
    if ((rc = receive(&a, 1u << IOTSEC_COSE_ENCRYPT0 | 1u << IOTSEC_COSE_ENCRYPT, &in, &m)) !=
        CLI_OK)
        goto out;
    if (m.type != IOTSEC_COSE_ENCRYPT0 && m.type != IOTSEC_COSE_ENCRYPT) {
        rc = cli_usage_error(cmd, "the message is a %s, which is signed or MACed, not "
                                  "encrypted; use 'iotsec cose verify'", type_name(m.type));
        goto out;
    }
    if (is_unauth_alg(m.hdr.alg) && !a.allow_unauth) {
        rc = cli_fail(CLI_UNSUPPORTED, "the %s uses %s, which does not authenticate the content "
                                       "(RFC 9459); pass --allow-unauthenticated only if "
                                       "something else, such as a signed manifest, does",
                      type_name(m.type), cli_alg_name(m.hdr.alg));
        goto out;
    }
    if ((rc = check_detached(cmd, &m, a.ciphertext, "ciphertext", "--ciphertext")) != CLI_OK ||
        (rc = cli_keyset_load(a.keys, a.n_keys, &kr)) != CLI_OK ||
        (rc = read_opt(a.ciphertext, &ct)) != CLI_OK || (rc = read_opt(a.aad, &aad)) != CLI_OK)
        goto out;

    memset(&o, 0, sizeof(o));
    o.external_aad = cli_cbuf(&aad);
    o.allow_unauth = a.allow_unauth;
    if (a.ciphertext != NULL)
        o.detached = cli_cbuf(&ct);
    ct_len = a.ciphertext != NULL ? ct.len : m.content.len;
    /* the plaintext is never longer than the ciphertext */
    work_init(&w, ct_len + 16, in.len + aad.len + 4096);
    do {
        ob = work_prepare(&w, &o);
        err = iotsec_cose_decrypt(&m, &kr.set, &o, ob, &r);
    } while (work_retry(&w, err));

    switch (err) {
    case IOTSEC_OK:
        break;
    case IOTSEC_ERR_DECRYPT_FAILED:
        rc = cli_fail(CLI_REJECT, "decryption failed: authentication tag or key unwrap check "
                                  "failed (wrong key, or the message, ciphertext or AAD was "
                                  "altered); nothing was written");
        goto out;
    case IOTSEC_ERR_NOT_FOUND:
        rc = cli_fail(CLI_REJECT, "decryption failed: no key in the key set fits the %s "
                                  "(algorithm, key type, length or kid)", type_name(m.type));
        goto out;
    case IOTSEC_ERR_UNSUPPORTED_ALG:
        rc = cli_fail(CLI_UNSUPPORTED, "cannot decrypt: the %s uses an algorithm this build does "
                                       "not support", type_name(m.type));
        goto out;
    case IOTSEC_ERR_INVALID_ARG:
        if (is_unauth_alg(m.hdr.alg) && aad.len != 0) {
            rc = cli_usage_error(cmd, "%s authenticates nothing, so it cannot take --aad",
                                 cli_alg_name(m.hdr.alg));
            goto out;
        }
        /* fall through */
    default:
        rc = cli_fail(cli_exit_for(err), "cannot decrypt the %s: %s", type_name(m.type),
                      iotsec_err_str(err));
        goto out;
    }
    if (is_unauth_alg(r.alg))
        fprintf(stderr, "iotsec: note: %s does not authenticate; trust this plaintext only as "
                        "far as something else authenticated the message\n", cli_alg_name(r.alg));
    result_line(&line, "decrypted", &m, &r, &kr);
    to_stdout = is_std(a.out);
    fputs((const char *)line.p, to_stdout ? stderr : stdout);
    fflush(stdout);
    /* the plaintext was confidential: its file is created 0600 */
    rc = cli_write(a.out, r.payload.ptr, r.payload.len, !to_stdout);
out:
    cli_keyset_free(&kr);
    cli_buf_free(&in);
    cli_buf_free(&ct);
    cli_buf_free(&aad);
    cli_buf_free(&line);
    work_free(&w);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Recipients (encrypt and mac)                                        */
/* ------------------------------------------------------------------ */

/* The recipient algorithm for key @p k: its COSE_Key alg, else by key type. */
static int pick_recipient_alg(const char *cmd, const struct cli_key *k, const char *path,
                              size_t n_recips, int32_t *alg)
{
    const struct iotsec_key *key = &k->key;
    enum ralg_kind kind;
    int32_t want;

    want = key->alg != 0 ? key->alg : cli_kw_alg_for_key(key);
    if (want == 0 && key->kty == IOTSEC_KTY_SYMMETRIC)
        return cli_usage_error(cmd, "%s holds a %zu-byte key; a key-wrap key has 16, 24 or 32 "
                                    "bytes", path, key->k_len);
    if (want == 0)
        return cli_usage_error(cmd, "%s is a %s key, which signs; a recipient needs a "
                                    "symmetric key or a P-256, P-384, P-521, X25519 or X448 key",
                               path, key_kind(key));
    kind = ralg_kind(want);
    if (kind == R_NONE)
        return cli_usage_error(cmd, "%s is bound to %s (its COSE_Key alg), which is not a "
                                    "key-wrap or key-agreement algorithm", path,
                               cli_alg_name_or(want, "an unknown algorithm"));
    if (kind == R_ECDH_SS)
        return cli_fail(CLI_UNSUPPORTED, "%s is bound to %s: static-static key agreement needs "
                                         "the sender's own key, which 'iotsec cose' does not "
                                         "take", path, cli_alg_name(want));
    if ((kind == R_ECDH_ES_DIRECT || kind == R_ECDH_ES_KW) != cli_is_agreement_key(key))
        return cli_usage_error(cmd, "%s does not fit %s, a %s key", cli_alg_name(want), path,
                               key_kind(key));
    if (kind == R_KW && key->k_len != cli_alg_by_id(want)->key_len)
        return cli_usage_error(cmd, "%s needs a %zu-byte key; %s holds %zu bytes",
                               cli_alg_name(want), cli_alg_by_id(want)->key_len, path, key->k_len);
    if ((kind == R_DIRECT || kind == R_DIRECT_HKDF || kind == R_ECDH_ES_DIRECT) && n_recips > 1)
        return cli_usage_error(cmd, "%s (from %s) is a direct mode: it derives the content key "
                                    "for this one recipient, so no other recipient can be added",
                               cli_alg_name(want), path);
    *alg = want;
    return CLI_OK;
}

/* Recipient headers and inputs for the --recipient keys. */
struct recipients {
    struct cli_keyset kr;
    struct cli_hdr *hdrs;
    struct iotsec_cose_recipient_in *in;
    size_t n, overhead;
};

/* Bytes of the content key (MAC key or CEK) that @p content_alg uses. */
static size_t content_key_len(int32_t content_alg)
{
    switch (content_alg) {
    case IOTSEC_ALG_HMAC256_64:
    case IOTSEC_ALG_HMAC256:
        return 32;
    case IOTSEC_ALG_HMAC384:
        return 48;
    case IOTSEC_ALG_HMAC512:
        return 64;
    default:
        return alg_key_len(content_alg);
    }
}

static int recipients_build(const struct cose_args *a, int32_t content_alg,
                            struct recipients *rs)
{
    size_t i;
    int rc;

    memset(rs, 0, sizeof(*rs));
    if ((rc = cli_keyset_load(a->recips, a->n_recips, &rs->kr)) != CLI_OK)
        return rc;
    rs->n = a->n_recips;
    rs->hdrs = calloc(rs->n, sizeof(*rs->hdrs));
    rs->in = calloc(rs->n, sizeof(*rs->in));
    if (rs->hdrs == NULL || rs->in == NULL)
        return cli_fail(CLI_IO, "out of memory");
    for (i = 0; i < rs->n; i++) {
        struct iotsec_cbuf kid = cli_kid_for(a->kid, &rs->kr.k[i]);
        enum ralg_kind kind;
        int32_t alg = 0;
        if ((rc = pick_recipient_alg(a->cmd, &rs->kr.k[i], a->recips[i], rs->n, &alg)) !=
            CLI_OK)
            return rc;
        kind = ralg_kind(alg);
        if (kind == R_DIRECT && rs->kr.k[i].key.k_len != content_key_len(content_alg))
            return cli_usage_error(a->cmd, "direct uses %s itself as the content key, but %s "
                                           "needs %zu bytes and the key holds %zu",
                                   a->recips[i], cli_alg_name(content_alg),
                                   content_key_len(content_alg), rs->kr.k[i].key.k_len);
        /* RFC 9053 6.1.1 and 6.2.1: direct and key-wrap recipients leave the
         * protected bucket empty; the key-agreement ones protect alg */
        cli_hdr_build(&rs->hdrs[i], alg, kind != R_KW && kind != R_DIRECT, kid);
        rs->in[i].hdr = cli_hdr_in(&rs->hdrs[i]);
        rs->in[i].key = &rs->kr.k[i].key;
        rs->overhead += 512 + kid.len; /* wrapped key, ephemeral COSE_Key, headers */
    }
    return CLI_OK;
}

static void recipients_free(struct recipients *rs)
{
    size_t i;

    for (i = 0; rs->hdrs != NULL && i < rs->n; i++)
        cli_hdr_free(&rs->hdrs[i]);
    free(rs->hdrs);
    free(rs->in);
    cli_keyset_free(&rs->kr);
}

/*
 * mac and encrypt take one --key for the message @p single (COSE_Mac0,
 * COSE_Encrypt0) or --recipient keys for @p multi, whose kids come from
 * their COSE_Keys.
 */
static int check_key_or_recipients(const struct cose_args *a, const char *single,
                                   const char *multi)
{
    if ((a->n_keys == 0) == (a->n_recips == 0))
        return cli_usage_error(a->cmd, "give either --key (%s) or --recipient (%s)", single,
                               multi);
    if (a->n_keys > 1)
        return cli_usage_error(a->cmd, "%s takes one --key; use --recipient for several "
                                       "recipients", single);
    if (a->kid != NULL && a->n_recips > 1)
        return cli_usage_error(a->cmd, "--kid names one key; with several recipients each kid "
                                       "comes from its COSE_Key");
    return CLI_OK;
}

/* The body's headers, alg protected: with one key its kid too, else the
 * recipients' own layers. */
static int body_build(const struct cose_args *a, const struct cli_keyset *kr, int32_t alg,
                      struct cli_hdr *hdr, struct recipients *rs)
{
    const struct iotsec_cbuf none = {NULL, 0};
    int rc;

    if (a->n_keys == 1) {
        cli_hdr_build(hdr, alg, true, cli_kid_for(a->kid, &kr->k[0]));
        return CLI_OK;
    }
    if ((rc = recipients_build(a, alg, rs)) != CLI_OK)
        return rc;
    cli_hdr_build(hdr, alg, true, none);
    return CLI_OK;
}

/* Say why creating a message failed. */
static int create_failed(const char *what, enum iotsec_err err)
{
    if (err == IOTSEC_ERR_KEY_USAGE)
        return cli_fail(CLI_USAGE, "cannot %s: a key does not fit its algorithm (%s)", what,
                        iotsec_err_str(err));
    return cli_fail(cli_exit_for(err), "cannot %s: %s", what, iotsec_err_str(err));
}

/* ------------------------------------------------------------------ */
/* mac                                                                 */
/* ------------------------------------------------------------------ */

/*
 * The last word on a MAC or content algorithm @p want for symmetric key
 * @p key: a key bound to an algorithm (its COSE_Key alg) takes no other, and
 * the key must have the length @p want needs (HMAC takes any).
 */
static int sym_alg_fits(const char *cmd, const struct iotsec_key *key, const char *path,
                        int32_t want, int32_t *alg)
{
    size_t kl = alg_key_len(want);

    if (key->alg != 0 && key->alg != want)
        return cli_usage_error(cmd, "%s is bound to %s (its COSE_Key alg) and may not be used "
                                    "with %s", path,
                               cli_alg_name_or(key->alg, "another algorithm"),
                               cli_alg_name(want));
    if (kl != 0 && kl != key->k_len)
        return cli_usage_error(cmd, "%s needs a %zu-byte key; %s holds %zu bytes",
                               cli_alg_name(want), kl, path, key->k_len);
    *alg = want;
    return CLI_OK;
}

static int pick_mac_alg(const char *cmd, const struct iotsec_key *key, const char *path,
                        int32_t override, int32_t *alg)
{
    int32_t want = override;

    if (key->kty != IOTSEC_KTY_SYMMETRIC)
        return cli_usage_error(cmd, "%s is a %s key; COSE_Mac0 needs a shared symmetric key "
                                    "(use --recipient for a public key)", path, key_kind(key));
    if (want == 0)
        want = key->alg != 0 ? key->alg : IOTSEC_ALG_HMAC256;
    if (!is_mac_alg(want))
        return cli_usage_error(cmd, "%s is bound to %s (its COSE_Key alg), which is not a MAC "
                                    "algorithm", path,
                               cli_alg_name_or(want, "an unknown algorithm"));
    return sym_alg_fits(cmd, key, path, want, alg);
}

static int cose_mac(int argc, char **argv)
{
    const char *cmd = "cose mac";
    struct cose_args a;
    struct cli_keyset kr = {0};
    struct recipients rs;
    struct cli_hdr hdr = {{0}, {0}};
    struct iotsec_cose_hdr_in hin;
    struct cli_buf payload = {0}, aad = {0};
    struct iotsec_cose_opts o;
    struct iotsec_cbuf msg = {NULL, 0};
    struct work w;
    enum iotsec_err err;
    int32_t override = 0, alg = IOTSEC_ALG_HMAC256;
    int rc = parse_args(cmd, mac_help, O_KEY | O_RECIPIENT | O_ALG | O_KID | O_DETACHED | O_AAD |
                        O_UNTAGGED | O_OUT, argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if ((rc = check_key_or_recipients(&a, "COSE_Mac0", "COSE_Mac")) != CLI_OK)
        return rc;
    if (a.alg != NULL && (rc = parse_alg(a.alg, &override)) != CLI_OK)
        return rc;
    if (override != 0 && !is_mac_alg(override))
        return cli_usage_error(cmd, "%s is not a MAC algorithm", a.alg);
    if ((rc = check_stdin(&a)) != CLI_OK)
        return rc;

    memset(&rs, 0, sizeof(rs));
    work_init(&w, 0, 0);
    if (a.n_keys == 1) {
        if ((rc = cli_keyset_load(a.keys, 1, &kr)) != CLI_OK ||
            (rc = pick_mac_alg(cmd, &kr.k[0].key, a.keys[0], override, &alg)) != CLI_OK)
            goto out;
    } else if (override != 0) {
        alg = override;
    }
    if ((rc = body_build(&a, &kr, alg, &hdr, &rs)) != CLI_OK)
        goto out;
    hin = cli_hdr_in(&hdr);
    if ((rc = read_inputs(&a, &payload, &aad, &o)) != CLI_OK)
        goto out;
    work_init(&w, payload.len + hdr.unprot.len + rs.overhead + 1024, aad.len + 4096);
    do {
        struct iotsec_buf ob = work_prepare(&w, &o);
        if (a.n_keys == 1)
            err = iotsec_cose_mac0(ob, &msg, &hin, &kr.k[0].key, cli_cbuf(&payload), &o);
        else
            err = iotsec_cose_mac(ob, &msg, &hin, rs.in, rs.n, cli_cbuf(&payload), &o);
    } while (work_retry(&w, err));
    if (err != IOTSEC_OK) {
        rc = create_failed("MAC", err);
        goto out;
    }
    rc = cli_write(a.out, msg.ptr, msg.len, false);
out:
    cli_hdr_free(&hdr);
    cli_keyset_free(&kr);
    recipients_free(&rs);
    cli_buf_free(&payload);
    cli_buf_free(&aad);
    work_free(&w);
    return rc;
}

/* ------------------------------------------------------------------ */
/* encrypt                                                             */
/* ------------------------------------------------------------------ */

/* The content algorithm for COSE_Encrypt0 with key @p key. */
static int pick_content_alg(const char *cmd, const struct iotsec_key *key, const char *path,
                            int32_t override, int32_t *alg)
{
    int32_t want = override;

    if (key->kty != IOTSEC_KTY_SYMMETRIC)
        return cli_usage_error(cmd, "%s is a %s key; COSE_Encrypt0 uses a symmetric content key "
                                    "(use --recipient for a public key)", path, key_kind(key));
    if (want == 0 && key->alg != 0)
        want = key->alg;
    if (want == 0) {
        want = key->k_len == 16   ? IOTSEC_ALG_A128GCM
               : key->k_len == 24 ? IOTSEC_ALG_A192GCM
               : key->k_len == 32 ? IOTSEC_ALG_A256GCM
                                  : 0;
        if (want == 0)
            return cli_usage_error(cmd, "%s holds a %zu-byte key; name the algorithm with --alg",
                                   path, key->k_len);
    }
    if (!is_content_alg(want))
        return cli_usage_error(cmd, "%s is bound to %s (its COSE_Key alg), which is not a content "
                                    "encryption algorithm%s", path,
                               cli_alg_name_or(want, "an unknown algorithm"),
                               ralg_kind(want) != R_NONE ? "; use it with --recipient" : "");
    /* every content algorithm needs a key of one length (alg_key_len() is not 0) */
    return sym_alg_fits(cmd, key, path, want, alg);
}

static int cose_encrypt(int argc, char **argv)
{
    const char *cmd = "cose encrypt";
    struct cose_args a;
    struct cli_keyset kr = {0};
    struct recipients rs;
    struct cli_hdr hdr = {{0}, {0}};
    struct iotsec_cose_hdr_in hin;
    struct cli_buf payload = {0}, aad = {0}, ct = {0};
    size_t ct_len = 0;
    struct iotsec_cose_opts o;
    struct iotsec_cbuf msg = {NULL, 0};
    struct work w;
    enum iotsec_err err;
    int32_t override = 0, alg = IOTSEC_ALG_A128GCM;
    int rc = parse_args(cmd, encrypt_help, O_KEY | O_RECIPIENT | O_ALG | O_KID | O_AAD |
                        O_DETACHED | O_CT_OUT | O_UNTAGGED | O_ALLOW_UNAUTH | O_OUT, argc, argv,
                        &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if ((rc = check_key_or_recipients(&a, "COSE_Encrypt0", "COSE_Encrypt")) != CLI_OK)
        return rc;
    if (a.ct_out != NULL && is_std(a.ct_out) && is_std(a.out))
        return cli_usage_error(cmd, "the message and the ciphertext cannot both go to standard "
                                    "output; name a file with -o or --ciphertext-out");
    if (a.detached != (a.ct_out != NULL))
        return cli_usage_error(cmd, a.detached ? "--detached needs --ciphertext-out FILE for the "
                                                 "ciphertext"
                                               : "--ciphertext-out goes with --detached");
    if (a.alg != NULL && (rc = parse_alg(a.alg, &override)) != CLI_OK)
        return rc;
    if (override != 0 && !is_content_alg(override))
        return cli_usage_error(cmd, "%s is not a content encryption algorithm%s", a.alg,
                               ralg_kind(override) != R_NONE
                                   ? " (recipient algorithms come from the recipient keys)"
                                   : "");
    if ((rc = check_stdin(&a)) != CLI_OK)
        return rc;

    memset(&rs, 0, sizeof(rs));
    work_init(&w, 0, 0);
    if (a.n_keys == 1) {
        if ((rc = cli_keyset_load(a.keys, 1, &kr)) != CLI_OK ||
            (rc = pick_content_alg(cmd, &kr.k[0].key, a.keys[0], override, &alg)) != CLI_OK)
            goto out;
    } else if (override != 0) {
        alg = override;
    }
    if (is_unauth_alg(alg) && !a.allow_unauth) {
        rc = cli_fail(CLI_UNSUPPORTED, "%s does not authenticate the content (RFC 9459): anyone "
                                       "can alter the ciphertext undetected; pass "
                                       "--allow-unauthenticated only if something else, such as "
                                       "a signed manifest, authenticates it", cli_alg_name(alg));
        goto out;
    }
    if (is_unauth_alg(alg) && a.aad != NULL) {
        rc = cli_usage_error(cmd, "%s authenticates nothing, so it cannot take --aad",
                             cli_alg_name(alg));
        goto out;
    }
    if ((rc = body_build(&a, &kr, alg, &hdr, &rs)) != CLI_OK)
        goto out;
    hin = cli_hdr_in(&hdr);
    if ((rc = read_inputs(&a, &payload, &aad, &o)) != CLI_OK)
        goto out;
    o.allow_unauth = a.allow_unauth;
    /* a detached ciphertext has its own buffer: plaintext plus at most one
     * block of tag or padding */
    if (a.detached) {
        cli_buf_reserve(&ct, payload.len + 16);
        o.detached_out.ptr = ct.p;
        o.detached_out.len = ct.cap;
        o.detached_len = &ct_len;
    }
    /* scratch holds the Enc_structure when headers and AAD are large */
    work_init(&w, payload.len + hdr.unprot.len + rs.overhead + 1024,
              payload.len + aad.len + 4096);
    do {
        struct iotsec_buf ob = work_prepare(&w, &o);
        if (a.n_keys == 1)
            err = iotsec_cose_encrypt0(ob, &msg, &hin, &kr.k[0].key, cli_cbuf(&payload), &o);
        else
            err = iotsec_cose_encrypt(ob, &msg, &hin, rs.in, rs.n, cli_cbuf(&payload), &o);
    } while (work_retry(&w, err));
    if (err != IOTSEC_OK) {
        rc = create_failed("encrypt", err);
        goto out;
    }
    rc = cli_write(a.out, msg.ptr, msg.len, false);
    if (rc == CLI_OK && a.detached)
        rc = cli_write(a.ct_out, ct.p, ct_len, false);
out:
    cli_hdr_free(&hdr);
    cli_keyset_free(&kr);
    recipients_free(&rs);
    cli_buf_free(&payload);
    cli_buf_free(&aad);
    cli_buf_free(&ct);
    work_free(&w);
    return rc;
}

/* ------------------------------------------------------------------ */
/* show                                                                */
/* ------------------------------------------------------------------ */

static const struct {
    int64_t label;
    const char *name;
} hdr_names[] = {
    {IOTSEC_COSE_HDR_CRIT, "crit"},
    {IOTSEC_COSE_HDR_CONTENT_TYPE, "content type"},
    {IOTSEC_COSE_HDR_IV, "IV"},
    {IOTSEC_COSE_HDR_PARTIAL_IV, "partial IV"},
    {IOTSEC_COSE_HDR_COUNTER_SIGNATURE, "countersignature (RFC 8152)"},
    {IOTSEC_COSE_HDR_COUNTER_SIGNATURE0, "countersignature0 (RFC 8152)"},
    {IOTSEC_COSE_HDR_KID_CONTEXT, "kid context"},
    {IOTSEC_COSE_HDR_COUNTER_SIGNATURE_V2, "countersignature"},
    {IOTSEC_COSE_HDR_COUNTER_SIGNATURE0_V2, "countersignature0"},
    {IOTSEC_COSE_HDR_CWT_CLAIMS, "CWT claims"},
    {IOTSEC_COSE_HDR_X5BAG, "x5bag"},
    {IOTSEC_COSE_HDR_X5CHAIN, "x5chain"},
    {IOTSEC_COSE_HDR_X5T, "x5t"},
    {IOTSEC_COSE_HDR_X5U, "x5u"},
    {IOTSEC_COSE_HDR_EPHEMERAL_KEY, "ephemeral key"},
    {IOTSEC_COSE_HDR_STATIC_KEY, "static key"},
    {IOTSEC_COSE_HDR_STATIC_KEY_ID, "static key id"},
    {IOTSEC_COSE_HDR_SALT, "salt"},
    {IOTSEC_COSE_HDR_PARTY_U_ID, "PartyU identity"},
    {IOTSEC_COSE_HDR_PARTY_U_NONCE, "PartyU nonce"},
    {IOTSEC_COSE_HDR_PARTY_U_OTHER, "PartyU other"},
    {IOTSEC_COSE_HDR_PARTY_V_ID, "PartyV identity"},
    {IOTSEC_COSE_HDR_PARTY_V_NONCE, "PartyV nonce"},
    {IOTSEC_COSE_HDR_PARTY_V_OTHER, "PartyV other"},
};

/*
 * show displays, it does not process: a layer whose crit names labels iotsec
 * does not understand is still worth printing. The labels crit names in a
 * protected bucket become "understood" for the display-only decode, and the
 * layer gets a note that verify and decrypt will refuse it.
 */
struct crit_set {
    struct iotsec_cose_label l[IOTSEC_MAX_COSE_CRIT];
    char *text[IOTSEC_MAX_COSE_CRIT];
    size_t n;
};

static void crit_collect(struct crit_set *cs, struct iotsec_cbuf prot)
{
    struct iotsec_cbor_dec d, m, v, a;

    if (prot.len == 0 || iotsec_cbor_dec_init(&d, prot.ptr, prot.len, 0, NULL) != IOTSEC_OK ||
        iotsec_cbor_enter_map(&d, &m, NULL) != IOTSEC_OK ||
        iotsec_cbor_map_find_int(&m, IOTSEC_COSE_HDR_CRIT, &v) != IOTSEC_OK ||
        iotsec_cbor_enter_array(&v, &a, NULL) != IOTSEC_OK)
        return;
    while (!iotsec_cbor_at_end(&a) && cs->n < IOTSEC_MAX_COSE_CRIT) {
        struct iotsec_cose_label *l = &cs->l[cs->n];
        struct iotsec_cbuf s;
        memset(l, 0, sizeof(*l));
        if (iotsec_cbor_get_int(&a, &l->num) == IOTSEC_OK) {
            cs->n++;
        } else if (iotsec_cbor_get_tstr(&a, &s) == IOTSEC_OK) {
            if ((cs->text[cs->n] = strndup((const char *)s.ptr, s.len)) == NULL)
                return;
            l->text = cs->text[cs->n++];
        } else {
            (void)iotsec_cbor_skip(&a);
        }
    }
}

static void crit_free(struct crit_set *cs)
{
    size_t i;

    for (i = 0; i < cs->n; i++)
        free(cs->text[i]);
    memset(cs, 0, sizeof(*cs));
}

static void show_crit_note(struct cli_buf *t, int indent)
{
    cli_buf_printf(t, "%*snote: crit names a label iotsec does not process; verify and decrypt "
                      "will refuse this layer\n", indent, "");
}

/* One header parameter: label at @p e, then its value (both consumed). */
static void show_param(struct cli_buf *t, struct iotsec_cbor_dec *e, int indent)
{
    struct iotsec_cbor_dec v;
    struct iotsec_cbuf s;
    int64_t label, alg;
    size_t i;

    cli_buf_printf(t, "%*s", indent, "");
    if (iotsec_cbor_peek_type(e) == IOTSEC_CBOR_TSTR ||
        iotsec_cbor_get_int(e, &label) != IOTSEC_OK) {
        cli_buf_puts(t, "label ");
        cli_put_diag(t, e);
        cli_buf_puts(t, ": ");
        cli_put_diag(t, e);
    } else if (label == IOTSEC_COSE_HDR_ALG) {
        cli_buf_puts(t, "alg: ");
        v = *e;
        if (iotsec_cbor_get_int(&v, &alg) == IOTSEC_OK) {
            cli_put_alg(t, alg);
            *e = v;
        } else {
            cli_put_diag(t, e);
        }
    } else if (label == IOTSEC_COSE_HDR_KID) {
        cli_buf_puts(t, "kid: ");
        v = *e;
        cli_put_diag(t, e);
        if (iotsec_cbor_get_bstr(&v, &s) == IOTSEC_OK) {
            bool text = s.len != 0;
            for (i = 0; i < s.len && text; i++)
                text = s.ptr[i] >= 0x20 && s.ptr[i] < 0x7f && s.ptr[i] != '"' && s.ptr[i] != '\\';
            if (text)
                cli_buf_printf(t, " (\"%.*s\")", (int)s.len, (const char *)s.ptr);
        }
    } else {
        const char *name = NULL;
        for (i = 0; i < sizeof(hdr_names) / sizeof(hdr_names[0]) && name == NULL; i++)
            if (hdr_names[i].label == label)
                name = hdr_names[i].name;
        if (name != NULL)
            cli_buf_printf(t, "%s: ", name);
        else
            cli_buf_printf(t, "label %lld: ", (long long)label);
        cli_put_diag(t, e);
    }
    cli_buf_puts(t, "\n");
}

/* A bucket: "protected: (empty)" or its parameters one per line. */
static void show_bucket(struct cli_buf *t, const char *name, const struct iotsec_cbor_dec *map,
                        int indent)
{
    struct iotsec_cbor_dec m = *map, e;

    if (m.p == NULL || iotsec_cbor_enter_map(&m, &e, NULL) != IOTSEC_OK ||
        iotsec_cbor_at_end(&e)) {
        cli_buf_printf(t, "%*s%s: (empty)\n", indent, "", name);
        return;
    }
    cli_buf_printf(t, "%*s%s:\n", indent, "", name);
    while (!iotsec_cbor_at_end(&e))
        show_param(t, &e, indent + 2);
}

static void show_hdr(struct cli_buf *t, const struct iotsec_cose_hdr *h, int indent)
{
    show_bucket(t, "protected", &h->prot_map, indent);
    show_bucket(t, "unprotected", &h->unprot_map, indent);
}

static void show_len(struct cli_buf *t, const char *what, struct iotsec_cbuf b, int indent)
{
    if (b.ptr == NULL)
        cli_buf_printf(t, "%*s%s: detached (nil)\n", indent, "", what);
    else
        cli_buf_printf(t, "%*s%s: %zu bytes\n", indent, "", what, b.len);
}

/*
 * The signatures or recipients array at @p list, indented. Recipients may
 * carry recipients of their own (up to the library's depth limit). Returns
 * the first problem found, IOTSEC_OK when every element decoded.
 */
static enum iotsec_err show_list(struct cli_buf *t, struct iotsec_cbor_dec list, bool signers,
                                 int indent, int depth)
{
    struct iotsec_cbor_dec l;
    enum iotsec_err bad = IOTSEC_OK;
    size_t i, count = 0;

    if (depth > IOTSEC_MAX_COSE_RECIPIENT_DEPTH)
        return IOTSEC_ERR_TOO_DEEP;
    if (iotsec_cbor_enter_array(&list, &l, &count) != IOTSEC_OK)
        return IOTSEC_ERR_MALFORMED;
    cli_buf_printf(t, "%*s%s: %zu\n", indent, "", signers ? "signatures" : "recipients", count);
    for (i = 0; !iotsec_cbor_at_end(&l); i++) {
        struct iotsec_cbor_dec s;
        struct iotsec_cose_hdr h;
        struct iotsec_cbuf b = {NULL, 0};
        enum iotsec_err err;
        size_t n = 0;
        uint8_t simple;
        bool lenient;

        cli_buf_printf(t, "%*s%s %zu:\n", indent, "", signers ? "signer" : "recipient", i);
        if (iotsec_cbor_enter_array(&l, &s, &n) != IOTSEC_OK ||
            (signers ? n != 3 : n != 3 && n != 4)) {
            cli_buf_printf(t, "%*snot a COSE_%s\n", indent + 2, "",
                           signers ? "Signature" : "recipient");
            if (bad == IOTSEC_OK)
                bad = IOTSEC_ERR_MALFORMED;
            (void)iotsec_cbor_skip(&l);
            continue;
        }
        {
            struct iotsec_cbor_dec c = s;
            struct iotsec_cbuf prot;
            struct crit_set cs;
            memset(&cs, 0, sizeof(cs));
            lenient = false;
            err = iotsec_cose_hdr_decode(&c, &h, NULL, 0);
            if (err == IOTSEC_ERR_UNSUPPORTED) {
                c = s;
                if (iotsec_cbor_get_bstr(&c, &prot) == IOTSEC_OK)
                    crit_collect(&cs, prot);
                c = s;
                err = iotsec_cose_hdr_decode(&c, &h, cs.l, cs.n);
                lenient = err == IOTSEC_OK;
            }
            crit_free(&cs);
            if (err == IOTSEC_OK)
                s = c;
        }
        if (err != IOTSEC_OK) {
            cli_buf_printf(t, "%*sheaders rejected: %s\n", indent + 2, "", iotsec_err_str(err));
            if (bad == IOTSEC_OK)
                bad = err;
            iotsec_cbor_skip_rest(&s);
            (void)iotsec_cbor_leave(&l, &s);
            continue;
        }
        show_hdr(t, &h, indent + 2);
        if (lenient)
            show_crit_note(t, indent + 2);
        if (iotsec_cbor_get_bstr(&s, &b) == IOTSEC_OK) {
            if (signers)
                cli_buf_printf(t, "%*ssignature: %zu bytes\n", indent + 2, "", b.len);
            else if (b.len == 0)
                cli_buf_printf(t, "%*sencrypted key: empty (direct)\n", indent + 2, "");
            else
                cli_buf_printf(t, "%*sencrypted key: %zu bytes\n", indent + 2, "", b.len);
        } else if (!signers && iotsec_cbor_get_simple(&s, &simple) == IOTSEC_OK &&
                   simple == IOTSEC_CBOR_NULL) {
            cli_buf_printf(t, "%*sencrypted key: nil\n", indent + 2, "");
        } else {
            cli_buf_printf(t, "%*s%s is not a byte string\n", indent + 2, "",
                           signers ? "signature" : "encrypted key");
            if (bad == IOTSEC_OK)
                bad = IOTSEC_ERR_MALFORMED;
            iotsec_cbor_skip_rest(&s);
        }
        if (!signers && n == 4 && !iotsec_cbor_at_end(&s)) {
            /* a cursor on just the nested array, from its own bytes */
            struct iotsec_cbuf span;
            struct iotsec_cbor_dec sub;
            if (iotsec_cbor_get_span(&s, &span) == IOTSEC_OK &&
                iotsec_cbor_dec_init(&sub, span.ptr, span.len, 0, NULL) == IOTSEC_OK)
                err = show_list(t, sub, false, indent + 2, depth + 1);
            else
                err = IOTSEC_ERR_MALFORMED;
            if (err != IOTSEC_OK && bad == IOTSEC_OK)
                bad = err;
        }
        iotsec_cbor_skip_rest(&s);
        (void)iotsec_cbor_leave(&l, &s);
    }
    return bad;
}

static int cose_show(int argc, char **argv)
{
    const char *cmd = "cose show";
    struct cose_args a;
    struct cli_buf in = {0}, t = {0};
    struct iotsec_cose_msg m;
    enum iotsec_cose_type expect;
    enum iotsec_err bad = IOTSEC_OK;
    struct crit_set cs;
    bool lenient;
    int rc = parse_args(cmd, show_help, O_TYPE | O_OUT, argc, argv, &a);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if ((rc = parse_type(&a, 0x7eu, &expect)) != CLI_OK)
        return rc;
    memset(&cs, 0, sizeof(cs));
    if ((rc = cli_read(a.in, &in)) != CLI_OK)
        goto out;
    {
        /* the body's protected bucket, to learn what its crit names */
        struct iotsec_cbor_dec d, arr;
        struct iotsec_cbuf prot;
        uint64_t tag;
        if (iotsec_cbor_dec_init(&d, in.p, in.len, 0, NULL) == IOTSEC_OK) {
            (void)iotsec_cbor_skip_tag(&d, IOTSEC_COSE_TAG_CWT);
            if (iotsec_cbor_peek_type(&d) == IOTSEC_CBOR_TAG)
                (void)iotsec_cbor_get_tag(&d, &tag);
            if (iotsec_cbor_enter_array(&d, &arr, NULL) == IOTSEC_OK &&
                iotsec_cbor_get_bstr(&arr, &prot) == IOTSEC_OK)
                crit_collect(&cs, prot);
        }
    }
    lenient = cs.n != 0 && iotsec_cose_decode(in.p, in.len, expect, NULL, 0, &m) ==
                               IOTSEC_ERR_UNSUPPORTED;
    /* show decodes to display, never to trust: any refusal is "input rejected" */
    if ((rc = decode_msg(cmd, &in, expect, lenient ? cs.l : NULL, lenient ? cs.n : 0, &m)) !=
        CLI_OK) {
        rc = rc == CLI_UNSUPPORTED ? CLI_REJECT : rc;
        goto out;
    }
    cli_buf_puts(&t, type_name(m.type));
    if (m.tag != 0)
        cli_buf_printf(&t, " (tag %llu%s)\n", (unsigned long long)m.tag,
                       m.cwt ? ", inside CWT tag 61" : "");
    else
        cli_buf_printf(&t, " (untagged%s)\n", m.cwt ? ", inside CWT tag 61" : "");
    show_hdr(&t, &m.hdr, 2);
    if (lenient)
        show_crit_note(&t, 2);
    switch (m.type) {
    case IOTSEC_COSE_SIGN1:
        show_len(&t, "payload", m.content, 2);
        cli_buf_printf(&t, "  signature: %zu bytes\n", m.sig.len);
        break;
    case IOTSEC_COSE_SIGN:
        show_len(&t, "payload", m.content, 2);
        bad = show_list(&t, m.list, true, 2, 0);
        break;
    case IOTSEC_COSE_MAC0:
        show_len(&t, "payload", m.content, 2);
        cli_buf_printf(&t, "  tag: %zu bytes\n", m.sig.len);
        break;
    case IOTSEC_COSE_MAC:
        show_len(&t, "payload", m.content, 2);
        cli_buf_printf(&t, "  tag: %zu bytes\n", m.sig.len);
        bad = show_list(&t, m.list, false, 2, 0);
        break;
    case IOTSEC_COSE_ENCRYPT0:
        show_len(&t, "ciphertext", m.content, 2);
        break;
    case IOTSEC_COSE_ENCRYPT:
        show_len(&t, "ciphertext", m.content, 2);
        bad = show_list(&t, m.list, false, 2, 0);
        break;
    default:
        break;
    }
    rc = cli_write(a.out, t.p, t.len, false);
    if (rc == CLI_OK && bad != IOTSEC_OK)
        rc = cli_fail(CLI_REJECT, "the %s has a malformed %s: %s", type_name(m.type),
                      m.type == IOTSEC_COSE_SIGN ? "signer" : "recipient", iotsec_err_str(bad));
out:
    crit_free(&cs);
    cli_buf_free(&in);
    cli_buf_free(&t);
    return rc;
}

/* see cli.h */
int cmd_cose(int argc, char **argv)
{
    static const struct cli_verb verbs[] = {
        {"sign", cose_sign},       {"verify", cose_verify},   {"mac", cose_mac},
        {"encrypt", cose_encrypt}, {"decrypt", cose_decrypt}, {"show", cose_show},
    };

    return cli_dispatch("cose", cose_help, verbs, sizeof(verbs) / sizeof(verbs[0]), argc, argv);
}
