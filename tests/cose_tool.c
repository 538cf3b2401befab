/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cose_tool - the iotsec side of the COSE interoperability test
 * (tests/t_cose_interop.py). Not a test itself: it creates, verifies and
 * decrypts COSE messages through the public iotsec API only, with keys
 * read from COSE_Key files, so that a peer written independently can
 * check them and hand back its own.
 *
 * usage: cose_tool OP ARGS... [name=value ...]   one operation
 *        cose_tool batch JOBFILE                 one "ID OP ARGS..." a line
 *
 * Every operation prints one line: "ID ok ..." or "ID err N text" (N is
 * the enum iotsec_err value), or "ID usage text" for a malformed job. In
 * single mode ID is "-" and the exit status is 0 (ok), 1 (err) or 2.
 *
 * Operations (KEY is a COSE_Key file, KEYS a comma-separated list of
 * them; the kid a key set entry is known by is the COSE_Key kid):
 *   sign1 ALG KEY PAYLOAD OUT            [kid=HEX] [aad=F] [detach]
 *   sign PAYLOAD OUT signer=ALG,KEY[,KIDHEX] ...          [aad=F] [detach]
 *   mac0 ALG KEY PAYLOAD OUT             [kid=HEX] [aad=F]
 *   mac ALG PAYLOAD OUT recipient=RALG,KEY[,KIDHEX] ...   [aad=F] [runprot]
 *   encrypt0 ALG KEY PLAINTEXT OUT       [kid=HEX] [aad=F]
 *   encrypt ALG PLAINTEXT OUT recipient=RALG,KEY[,KIDHEX] ... [aad=F] [runprot]
 *                                        [salt=HEX] [unonce=HEX]
 *   verify MSG KEYS                      [aad=F] [detached=F] [out=F]
 *   decrypt MSG KEYS OUT                 [aad=F]
 *   countersign MSG ALG KEY OUT          [kid=HEX] [aad=F]
 *   countersign-verify MSG KEYS          [aad=F]
 * Headers: the protected bucket is {1: ALG}; kid goes unprotected
 * ({4: kid}). A recipient's alg is protected, or with `runprot` unprotected
 * (its protected bucket then is h''); salt= and unonce= add the HKDF salt
 * (-20) and PartyU nonce (-22) to its unprotected bucket. These apply to
 * every recipient= given. Messages read
 * must be tagged. verify/countersign-verify print
 * "signer=I key=K alg=A len=L"; decrypt writes the plaintext to OUT.
 */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iotsec/cose.h"

#define MAX_ARGS 16
#define MAX_KEYS 8
#define SLACK 8192

struct blob {
    uint8_t *p;
    size_t len;
};

struct keyfile {
    struct blob file; /* symmetric keys borrow their bytes from here */
    struct iotsec_key key;
    struct iotsec_cbuf kid;
};

struct job {
    const char *id;
    int argc;           /* positional arguments, op first */
    char *argv[MAX_ARGS];
    int nopt;
    char *opt[MAX_ARGS]; /* name=value or bare flag */
};

static int read_blob(const char *path, struct blob *b)
{
    FILE *f = fopen(path, "rb");
    long n;

    b->p = NULL;
    b->len = 0;
    if (f == NULL)
        return -1;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return -1;
    }
    b->p = malloc((size_t)n + 1); /* never NULL for an empty file */
    if (b->p == NULL || fread(b->p, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(b->p);
        b->p = NULL;
        return -1;
    }
    fclose(f);
    b->len = (size_t)n;
    return 0;
}

static int write_file(const char *path, const uint8_t *p, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok;

    if (f == NULL)
        return -1;
    ok = fwrite(p, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static int unhex(const char *s, uint8_t *out, size_t cap, size_t *len)
{
    size_t n = strlen(s), i;

    if (n % 2 != 0 || n / 2 > cap)
        return -1;
    for (i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (uint8_t)v;
    }
    *len = n / 2;
    return 0;
}

/* Option value, "" for a bare flag present, NULL when absent. */
static const char *opt(const struct job *j, const char *name)
{
    size_t n = strlen(name);
    int i;

    for (i = 0; i < j->nopt; i++) {
        if (strncmp(j->opt[i], name, n) != 0)
            continue;
        if (j->opt[i][n] == '=')
            return j->opt[i] + n + 1;
        if (j->opt[i][n] == '\0')
            return "";
    }
    return NULL;
}

static void key_release(struct keyfile *k)
{
    iotsec_key_free(&k->key);
    free(k->file.p);
    memset(k, 0, sizeof(*k));
}

static enum iotsec_err key_load(const char *path, struct keyfile *k)
{
    struct iotsec_cbor_dec d;
    enum iotsec_err err;

    memset(k, 0, sizeof(*k));
    if (read_blob(path, &k->file) != 0)
        return IOTSEC_ERR_IO;
    err = iotsec_cbor_dec_init(&d, k->file.p, k->file.len, 0, NULL);
    if (err == IOTSEC_OK)
        err = iotsec_cose_key_decode(&d, &k->key, &k->kid);
    if (err != IOTSEC_OK) {
        free(k->file.p);
        k->file.p = NULL;
    }
    return err;
}

/* A comma-separated list of key files into a key set. */
static enum iotsec_err keys_load(char *list, struct keyfile *kf, struct iotsec_cose_keyset_entry *e,
                                 size_t *n)
{
    char *save = NULL, *tok;
    enum iotsec_err err;

    *n = 0;
    for (tok = strtok_r(list, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        if (*n == MAX_KEYS)
            return IOTSEC_ERR_LIMIT;
        if ((err = key_load(tok, &kf[*n])) != IOTSEC_OK)
            return err;
        e[*n].key = &kf[*n].key;
        e[*n].kid = kf[*n].kid;
        (*n)++;
    }
    return IOTSEC_OK;
}

/* Encoded header maps: {1: alg} and/or {4: kid}, and for recipients the
 * salt (-20) and PartyU nonce (-22) when given. */
struct hdrbuf {
    uint8_t prot[32], unprot[256];
    struct iotsec_cose_hdr_in in;
};

static int make_hdr(struct hdrbuf *h, long long alg, int alg_unprot, const char *kidhex,
                    const char *salthex, const char *noncehex)
{
    uint8_t kid[64], salt[64], nonce[64];
    size_t kl = 0, sl = 0, nl = 0, n = 0;
    struct iotsec_cbor_enc e;

    memset(h, 0, sizeof(*h));
    if ((kidhex != NULL && unhex(kidhex, kid, sizeof(kid), &kl) != 0) ||
        (salthex != NULL && unhex(salthex, salt, sizeof(salt), &sl) != 0) ||
        (noncehex != NULL && unhex(noncehex, nonce, sizeof(nonce), &nl) != 0))
        return -1;
    if (!alg_unprot) {
        iotsec_cbor_enc_init(&e, h->prot, sizeof(h->prot));
        iotsec_cbor_enc_map(&e, 1);
        iotsec_cbor_enc_uint(&e, IOTSEC_COSE_HDR_ALG);
        iotsec_cbor_enc_int(&e, alg);
        if (iotsec_cbor_enc_finish(&e, &h->in.prot) != IOTSEC_OK)
            return -1;
    }
    n = (alg_unprot ? 1u : 0u) + (kidhex != NULL ? 1u : 0u) + (salthex != NULL ? 1u : 0u) +
        (noncehex != NULL ? 1u : 0u);
    if (n != 0) {
        iotsec_cbor_enc_init(&e, h->unprot, sizeof(h->unprot));
        iotsec_cbor_enc_map(&e, n);
        if (alg_unprot) {
            iotsec_cbor_enc_uint(&e, IOTSEC_COSE_HDR_ALG);
            iotsec_cbor_enc_int(&e, alg);
        }
        if (kidhex != NULL) {
            iotsec_cbor_enc_uint(&e, IOTSEC_COSE_HDR_KID);
            iotsec_cbor_enc_bstr(&e, kid, kl);
        }
        if (salthex != NULL) {
            iotsec_cbor_enc_int(&e, IOTSEC_COSE_HDR_SALT);
            iotsec_cbor_enc_bstr(&e, salt, sl);
        }
        if (noncehex != NULL) {
            iotsec_cbor_enc_int(&e, IOTSEC_COSE_HDR_PARTY_U_NONCE);
            iotsec_cbor_enc_bstr(&e, nonce, nl);
        }
        if (iotsec_cbor_enc_finish(&e, &h->in.unprot) != IOTSEC_OK)
            return -1;
    }
    return 0;
}

/* "ALG,KEYFILE[,KIDHEX]" into its parts (in place). */
static int split_party(char *s, long long *alg, char **key, char **kid)
{
    char *c1 = strchr(s, ','), *c2;

    if (c1 == NULL)
        return -1;
    *c1 = '\0';
    *alg = strtoll(s, NULL, 10);
    *key = c1 + 1;
    c2 = strchr(*key, ',');
    *kid = NULL;
    if (c2 != NULL) {
        *c2 = '\0';
        *kid = c2 + 1;
    }
    return 0;
}

/* Everything one job holds, released in one place. */
struct ctx {
    struct keyfile keys[MAX_KEYS];
    struct blob in, aad, det;
    uint8_t *out, *scratch;
    size_t out_cap, scratch_cap;
};

static void ctx_release(struct ctx *c)
{
    size_t i;

    for (i = 0; i < MAX_KEYS; i++)
        if (c->keys[i].file.p != NULL || c->keys[i].key.handle != NULL)
            key_release(&c->keys[i]);
    free(c->in.p);
    free(c->aad.p);
    free(c->det.p);
    free(c->out);
    free(c->scratch);
    memset(c, 0, sizeof(*c));
}

/* Read the main input, aad= and detached=, and size the buffers. */
static int ctx_inputs(struct ctx *c, const struct job *j, const char *input, struct iotsec_cose_opts *o)
{
    const char *a = opt(j, "aad"), *d = opt(j, "detached");

    if (input != NULL && read_blob(input, &c->in) != 0)
        return -1;
    if (a != NULL && read_blob(a, &c->aad) != 0)
        return -1;
    if (d != NULL && read_blob(d, &c->det) != 0)
        return -1;
    c->out_cap = c->in.len + c->det.len + SLACK;
    c->scratch_cap = c->in.len + c->det.len + c->aad.len + SLACK;
    c->out = malloc(c->out_cap);
    c->scratch = malloc(c->scratch_cap);
    if (c->out == NULL || c->scratch == NULL)
        return -1;
    memset(o, 0, sizeof(*o));
    o->scratch.ptr = c->scratch;
    o->scratch.len = c->scratch_cap;
    if (a != NULL) {
        o->external_aad.ptr = c->aad.p;
        o->external_aad.len = c->aad.len;
    }
    if (d != NULL) {
        o->detached.ptr = c->det.p;
        o->detached.len = c->det.len;
    }
    o->detach = opt(j, "detach") != NULL;
    return 0;
}

/* Run one job; print its result line. Returns 0 ok, 1 err, 2 usage. */
static int run(struct job *j)
{
    struct ctx c;
    struct iotsec_cose_opts o;
    struct iotsec_cbuf msg = {NULL, 0};
    struct iotsec_cose_keyset_entry ents[MAX_KEYS];
    struct iotsec_cose_keyset ks = {ents, 0};
    struct iotsec_cose_msg m;
    struct iotsec_cose_result r;
    struct hdrbuf h;
    const char *op = j->argv[0], *outpath = NULL, *why = NULL;
    enum iotsec_err err = IOTSEC_OK;
    int verified = 0, rc;

    memset(&c, 0, sizeof(c));
    memset(&r, 0, sizeof(r));
#define NEED(n)                                                                                    \
    do {                                                                                           \
        if (j->argc != (n) + 1) {                                                                  \
            why = "wrong argument count";                                                          \
            goto done;                                                                             \
        }                                                                                          \
    } while (0)
#define INPUTS(path)                                                                               \
    do {                                                                                           \
        if (ctx_inputs(&c, j, (path), &o) != 0) {                                                  \
            why = "cannot read an input";                                                          \
            goto done;                                                                             \
        }                                                                                          \
    } while (0)

    if (strcmp(op, "sign1") == 0 || strcmp(op, "mac0") == 0 || strcmp(op, "encrypt0") == 0) {
        /* OP ALG KEY INPUT OUT */
        long long alg;
        NEED(4);
        alg = strtoll(j->argv[1], NULL, 10);
        INPUTS(j->argv[3]);
        outpath = j->argv[4];
        if ((err = key_load(j->argv[2], &c.keys[0])) != IOTSEC_OK)
            goto done;
        if (make_hdr(&h, alg, 0, opt(j, "kid"), NULL, NULL) != 0) {
            why = "bad header";
            goto done;
        }
        if (op[0] == 's') {
            struct iotsec_cose_signer_in s = {h.in, &c.keys[0].key};
            err = iotsec_cose_sign1((struct iotsec_buf){c.out, c.out_cap}, &msg, &s,
                                    (struct iotsec_cbuf){c.in.p, c.in.len}, &o);
        } else if (op[0] == 'm') {
            err = iotsec_cose_mac0((struct iotsec_buf){c.out, c.out_cap}, &msg, &h.in,
                                   &c.keys[0].key, (struct iotsec_cbuf){c.in.p, c.in.len}, &o);
        } else {
            err = iotsec_cose_encrypt0((struct iotsec_buf){c.out, c.out_cap}, &msg, &h.in,
                                       &c.keys[0].key, (struct iotsec_cbuf){c.in.p, c.in.len}, &o);
        }
    } else if (strcmp(op, "sign") == 0) {
        /* sign PAYLOAD OUT signer=... */
        struct iotsec_cose_signer_in signers[MAX_KEYS];
        struct hdrbuf sh[MAX_KEYS];
        size_t n = 0;
        int i;
        NEED(2);
        INPUTS(j->argv[1]);
        outpath = j->argv[2];
        for (i = 0; i < j->nopt; i++) {
            long long alg;
            char *key, *kid;
            if (strncmp(j->opt[i], "signer=", 7) != 0)
                continue;
            if (n == MAX_KEYS || split_party(j->opt[i] + 7, &alg, &key, &kid) != 0 ||
                make_hdr(&sh[n], alg, 0, kid, NULL, NULL) != 0) {
                why = "bad signer";
                goto done;
            }
            if ((err = key_load(key, &c.keys[n])) != IOTSEC_OK)
                goto done;
            signers[n].hdr = sh[n].in;
            signers[n].key = &c.keys[n].key;
            n++;
        }
        {
            /* body: {3: 42} protected, so body_protected is not empty */
            static const uint8_t body_prot[] = {0xa1, 0x03, 0x18, 0x2a};
            struct iotsec_cose_hdr_in body = {{body_prot, sizeof(body_prot)}, {NULL, 0}};
            err = iotsec_cose_sign((struct iotsec_buf){c.out, c.out_cap}, &msg, &body, signers, n,
                                   (struct iotsec_cbuf){c.in.p, c.in.len}, &o);
        }
    } else if (strcmp(op, "mac") == 0 || strcmp(op, "encrypt") == 0) {
        /* OP ALG INPUT OUT recipient=RALG,KEY[,KID] ... */
        struct iotsec_cose_recipient_in rin[MAX_KEYS];
        struct hdrbuf rh[MAX_KEYS];
        size_t n = 0;
        int i;
        NEED(3);
        INPUTS(j->argv[2]);
        outpath = j->argv[3];
        for (i = 0; i < j->nopt; i++) {
            long long ralg;
            char *key, *kid;
            if (strncmp(j->opt[i], "recipient=", 10) != 0)
                continue;
            if (n == MAX_KEYS || split_party(j->opt[i] + 10, &ralg, &key, &kid) != 0 ||
                make_hdr(&rh[n], ralg, opt(j, "runprot") != NULL, kid, opt(j, "salt"),
                         opt(j, "unonce")) != 0) {
                why = "bad recipient";
                goto done;
            }
            if ((err = key_load(key, &c.keys[n])) != IOTSEC_OK)
                goto done;
            rin[n].hdr = rh[n].in;
            rin[n].key = &c.keys[n].key;
            rin[n].sender_key = NULL;
            n++;
        }
        if (make_hdr(&h, strtoll(j->argv[1], NULL, 10), 0, NULL, NULL, NULL) != 0) {
            why = "bad header";
            goto done;
        }
        if (op[0] == 'm')
            err = iotsec_cose_mac((struct iotsec_buf){c.out, c.out_cap}, &msg, &h.in, rin, n,
                                  (struct iotsec_cbuf){c.in.p, c.in.len}, &o);
        else
            err = iotsec_cose_encrypt((struct iotsec_buf){c.out, c.out_cap}, &msg, &h.in, rin, n,
                                      (struct iotsec_cbuf){c.in.p, c.in.len}, &o);
    } else if (strcmp(op, "verify") == 0 || strcmp(op, "countersign-verify") == 0) {
        NEED(2);
        INPUTS(j->argv[1]);
        if ((err = keys_load(j->argv[2], c.keys, ents, &ks.n)) != IOTSEC_OK)
            goto done;
        if ((err = iotsec_cose_decode(c.in.p, c.in.len, IOTSEC_COSE_UNKNOWN, NULL, 0, &m)) != IOTSEC_OK)
            goto done;
        if (op[6] == '\0')
            err = iotsec_cose_verify(&m, &ks, &o, &r);
        else
            err = iotsec_cose_countersign_verify(&m, &ks, &o, &r);
        verified = 1;
        if (err == IOTSEC_OK && opt(j, "out") != NULL &&
            write_file(opt(j, "out"), r.payload.ptr, r.payload.len) != 0)
            why = "cannot write the payload";
    } else if (strcmp(op, "decrypt") == 0) {
        NEED(3);
        INPUTS(j->argv[1]);
        if ((err = keys_load(j->argv[2], c.keys, ents, &ks.n)) != IOTSEC_OK)
            goto done;
        if ((err = iotsec_cose_decode(c.in.p, c.in.len, IOTSEC_COSE_UNKNOWN, NULL, 0, &m)) !=
            IOTSEC_OK)
            goto done;
        err = iotsec_cose_decrypt(&m, &ks, &o, (struct iotsec_buf){c.out, c.out_cap}, &r);
        verified = 1;
        if (err == IOTSEC_OK && write_file(j->argv[3], r.payload.ptr, r.payload.len) != 0)
            why = "cannot write the plaintext";
    } else if (strcmp(op, "countersign") == 0) {
        /* countersign MSG ALG KEY OUT */
        long long alg;
        NEED(4);
        INPUTS(j->argv[1]);
        alg = strtoll(j->argv[2], NULL, 10);
        outpath = j->argv[4];
        if ((err = key_load(j->argv[3], &c.keys[0])) != IOTSEC_OK)
            goto done;
        if (make_hdr(&h, alg, 0, opt(j, "kid"), NULL, NULL) != 0) {
            why = "bad header";
            goto done;
        }
        if ((err = iotsec_cose_decode(c.in.p, c.in.len, IOTSEC_COSE_UNKNOWN, NULL, 0, &m)) !=
            IOTSEC_OK)
            goto done;
        {
            struct iotsec_cose_signer_in s = {h.in, &c.keys[0].key};
            err = iotsec_cose_countersign((struct iotsec_buf){c.out, c.out_cap}, &msg, &m, &s, &o);
        }
    } else {
        why = "unknown operation";
    }
    if (err == IOTSEC_OK && why == NULL && outpath != NULL &&
        write_file(outpath, msg.ptr, msg.len) != 0)
        why = "cannot write the output";
done:
    if (why != NULL) {
        printf("%s usage %s: %s\n", j->id, op, why);
        rc = 2;
    } else if (err != IOTSEC_OK) {
        printf("%s err %d %s\n", j->id, (int)err, iotsec_err_str(err));
        rc = 1;
    } else if (verified) {
        printf("%s ok signer=%zu key=%zu alg=%lld len=%zu\n", j->id, r.signer, r.key,
               (long long)r.alg, r.payload.len);
        rc = 0;
    } else {
        printf("%s ok len=%zu\n", j->id, msg.len);
        rc = 0;
    }
    fflush(stdout);
    ctx_release(&c);
    return rc;
#undef NEED
#undef INPUTS
}

/* Split words into a job: positional arguments, then name=value / flags. */
static int parse(struct job *j, int n, char **w)
{
    int i;

    j->argc = 0;
    j->nopt = 0;
    for (i = 0; i < n; i++) {
        int is_opt = strchr(w[i], '=') != NULL || strcmp(w[i], "detach") == 0 ||
                     strcmp(w[i], "runprot") == 0;
        if (is_opt) {
            if (j->nopt == MAX_ARGS)
                return -1;
            j->opt[j->nopt++] = w[i];
        } else {
            if (j->argc == MAX_ARGS)
                return -1;
            j->argv[j->argc++] = w[i];
        }
    }
    return j->argc > 0 ? 0 : -1;
}

static int batch(const char *path)
{
    FILE *f = fopen(path, "r");
    static char line[8192];
    int worst = 0;

    if (f == NULL) {
        fprintf(stderr, "cose_tool: cannot open %s\n", path);
        return 2;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        char *w[2 * MAX_ARGS + 1], *save = NULL, *tok;
        struct job j;
        int n = 0, rc;

        for (tok = strtok_r(line, " \t\r\n", &save); tok != NULL && n < 2 * MAX_ARGS + 1;
             tok = strtok_r(NULL, " \t\r\n", &save))
            w[n++] = tok;
        if (n == 0 || w[0][0] == '#')
            continue;
        j.id = w[0];
        if (n < 2 || parse(&j, n - 1, w + 1) != 0) {
            printf("%s usage malformed job\n", w[0]);
            worst = 2;
            continue;
        }
        rc = run(&j);
        if (rc == 2)
            worst = 2;
    }
    fclose(f);
    return worst;
}

int main(int argc, char **argv)
{
    struct job j;

    if (argc == 3 && strcmp(argv[1], "batch") == 0)
        return batch(argv[2]);
    if (argc < 2 || parse(&j, argc - 1, argv + 1) != 0) {
        fprintf(stderr, "usage: cose_tool OP ARGS... | cose_tool batch JOBFILE\n");
        return 2;
    }
    j.id = "-";
    return run(&j);
}
