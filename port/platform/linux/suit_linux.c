/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Linux SUIT platform: components are files in a device directory,
 * staged in DIR/.suit/staging and committed through a journal so that a
 * crash leaves each component whole (see suit_linux.h for the layout and
 * the commit protocol). Fetch goes through libcurl (http, https), libcoap
 * (coap, coaps) or the file system (file).
 */
#include "suit_linux.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <coap3/coap.h>
#include <curl/curl.h>

#include "cli.h"
#include "iotsec/uuid.h"

/* staged state of a component */
enum { ST_CLEAN, ST_STAGED, ST_REMOVED };

#define DEFAULT_FETCH_TIMEOUT 30L            /* seconds without progress */
#define DEFAULT_MAX_IMAGE ((uint64_t)1 << 30) /* bytes */
#define JOURNAL_MAGIC "iotsec-suit-journal 1"
#define STATE_MAGIC "iotsec-suit-state 1"

static bool curl_started, coap_started;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

__attribute__((format(printf, 2, 3))) static void errf(struct suit_linux *dev, const char *fmt,
                                                        ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(dev->err, sizeof(dev->err), fmt, ap);
    va_end(ap);
}

/* The crash hook: die right after the Nth durable step, as kill -9 would. */
static void durable(struct suit_linux *dev)
{
    if (dev->crash_at > 0 && ++dev->steps == dev->crash_at)
        _exit(9);
}

static void hex_of(char *out, const uint8_t *p, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = hx[p[i] >> 4];
        out[2 * i + 1] = hx[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode @p n hex digits of @p s into @p out (@p cap bytes). */
static bool unhex(const char *s, size_t n, uint8_t *out, size_t cap, size_t *len)
{
    size_t i;

    if (n % 2 != 0 || n / 2 > cap)
        return false;
    for (i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return true;
}

static int write_all(int fd, const void *p, size_t n)
{
    const uint8_t *q = p;

    while (n > 0) {
        ssize_t w = write(fd, q, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        q += w;
        n -= (size_t)w;
    }
    return 0;
}

/* All of file @p name under @p dirfd, NUL-terminated (malloc'd); NULL with
 * errno set on failure. */
static char *slurp_at(int dirfd, const char *name, size_t *len)
{
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
    size_t cap = 4096, n = 0;
    char *b;

    if (fd < 0)
        return NULL;
    if ((b = malloc(cap)) == NULL) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        ssize_t r;
        if (n + 1 == cap) {
            char *nb = cap > (1u << 20) ? NULL : realloc(b, cap * 2);
            if (nb == NULL) {
                free(b);
                close(fd);
                errno = EFBIG;
                return NULL;
            }
            b = nb;
            cap *= 2;
        }
        r = read(fd, b + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(b);
            close(fd);
            errno = e;
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    b[n] = '\0';
    *len = n;
    return b;
}

/* fsync the directory holding @p path (relative to @p dirfd). */
static int fsync_parent(int dirfd, const char *path)
{
    const char *slash = strrchr(path, '/');
    int fd, rc;

    if (slash == NULL) {
        fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    } else {
        char *d = strndup(path, (size_t)(slash - path));
        if (d == NULL)
            return -1;
        fd = openat(dirfd, d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        free(d);
    }
    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/*
 * A component path from device.json or a journal: relative, no empty, "."
 * or ".." segment. Only the port's own dependency files may live in .suit/.
 */
static bool path_ok(const char *p, bool internal)
{
    const char *s = p;

    if (*p == '\0' || *p == '/')
        return false;
    if (!internal && (strncmp(p, ".suit/", 6) == 0 || strcmp(p, ".suit") == 0 ||
                      strcmp(p, "device.json") == 0 || strcmp(p, "invoked.log") == 0))
        return false;
    while (*s != '\0') {
        const char *e = strchr(s, '/');
        size_t n = e != NULL ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return false;
        s += n;
        if (*s == '/')
            s++;
    }
    return p[strlen(p) - 1] != '/';
}

/* "root" or the manifest-component-id in hex. */
static bool manifest_key(struct iotsec_cbuf mid, char *out)
{
    if (mid.len == 0) {
        strcpy(out, "root");
        return true;
    }
    if (mid.len > SUIT_LINUX_MAX_ID)
        return false;
    hex_of(out, mid.ptr, mid.len);
    return true;
}

/* Create DIR/.suit (and make its name durable) when it is not there. */
static enum iotsec_err ensure_suit_dir(struct suit_linux *dev)
{
    if (dev->sfd >= 0)
        return IOTSEC_OK;
    if (mkdirat(dev->dfd, ".suit", 0755) != 0 && errno != EEXIST) {
        errf(dev, "cannot create %s/.suit: %s", dev->dir, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    dev->sfd = openat(dev->dfd, ".suit", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dev->sfd < 0 || fsync(dev->dfd) != 0) {
        errf(dev, "cannot open %s/.suit: %s", dev->dir, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    return IOTSEC_OK;
}

static enum iotsec_err ensure_staging(struct suit_linux *dev)
{
    enum iotsec_err err;

    if (dev->stfd >= 0)
        return IOTSEC_OK;
    if ((err = ensure_suit_dir(dev)) != IOTSEC_OK)
        return err;
    if (mkdirat(dev->sfd, "staging", 0755) != 0 && errno != EEXIST) {
        errf(dev, "cannot create %s/.suit/staging: %s", dev->dir, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    dev->stfd = openat(dev->sfd, "staging", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dev->stfd < 0) {
        errf(dev, "cannot open %s/.suit/staging: %s", dev->dir, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    return IOTSEC_OK;
}

/*
 * Remove every file in the staging directory, then the directory and
 * DIR/.suit when they are empty, so that an abandoned update leaves no
 * trace in a directory that had none.
 */
static void tidy(struct suit_linux *dev)
{
    if (dev->stfd >= 0) {
        int fd = dup(dev->stfd);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *de;
        if (d != NULL) {
            while ((de = readdir(d)) != NULL)
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, ".."))
                    (void)unlinkat(dev->stfd, de->d_name, 0);
            closedir(d);
        } else if (fd >= 0) {
            close(fd);
        }
        close(dev->stfd);
        dev->stfd = -1;
        (void)unlinkat(dev->sfd, "staging", AT_REMOVEDIR);
    }
    if (dev->sfd >= 0) {
        (void)unlinkat(dev->sfd, "journal.tmp", 0);
        (void)unlinkat(dev->sfd, "state.tmp", 0);
        if (unlinkat(dev->dfd, ".suit", AT_REMOVEDIR) == 0) {
            close(dev->sfd);
            dev->sfd = -1;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Installed sequence numbers: DIR/.suit/state                         */
/* ------------------------------------------------------------------ */

/* Parse "<key> <seq> <digest|->" into @p m. */
static bool parse_manifest_line(char *line, struct suit_linux_manifest *m)
{
    char *save = NULL, *key, *seq, *dig, *end;
    unsigned long long v;

    key = strtok_r(line, " ", &save);
    seq = strtok_r(NULL, " ", &save);
    dig = strtok_r(NULL, " ", &save);
    if (key == NULL || seq == NULL || dig == NULL || strtok_r(NULL, " ", &save) != NULL ||
        strlen(key) >= sizeof(m->key) || strlen(dig) >= sizeof(m->digest) || *seq < '0' ||
        *seq > '9')
        return false;
    errno = 0;
    v = strtoull(seq, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    strcpy(m->key, key);
    m->seq = (uint64_t)v;
    strcpy(m->digest, strcmp(dig, "-") == 0 ? "" : dig);
    return true;
}

static enum iotsec_err load_state(struct suit_linux *dev)
{
    char *text, *line, *save = NULL;
    size_t len, n = 0;

    dev->n_installed = 0;
    if (dev->sfd < 0)
        return IOTSEC_OK;
    if ((text = slurp_at(dev->sfd, "state", &len)) == NULL) {
        if (errno == ENOENT)
            return IOTSEC_OK;
        errf(dev, "cannot read %s/.suit/state: %s", dev->dir, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        if (n++ == 0) {
            if (strcmp(line, STATE_MAGIC) == 0)
                continue;
        } else if (dev->n_installed < SUIT_LINUX_MAX_MANIFESTS &&
                   parse_manifest_line(line, &dev->installed[dev->n_installed])) {
            dev->n_installed++;
            continue;
        }
        errf(dev, "%s/.suit/state line %zu is not understood", dev->dir, n);
        free(text);
        return IOTSEC_ERR_MALFORMED;
    }
    free(text);
    return IOTSEC_OK;
}

/* Write small file @p name in DIR/.suit atomically and durably. */
static enum iotsec_err put_suit_file(struct suit_linux *dev, const char *name, const char *data,
                                     size_t n)
{
    char tmp[64];
    int fd;

    snprintf(tmp, sizeof(tmp), "%s.tmp", name);
    fd = openat(dev->sfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write_all(fd, data, n) != 0 || fsync(fd) != 0) {
        errf(dev, "cannot write %s/.suit/%s: %s", dev->dir, tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        return IOTSEC_ERR_IO;
    }
    close(fd);
    durable(dev);
    if (renameat(dev->sfd, tmp, dev->sfd, name) != 0) {
        errf(dev, "cannot rename %s/.suit/%s: %s", dev->dir, tmp, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    durable(dev);
    if (fsync(dev->sfd) != 0) {
        errf(dev, "cannot sync %s/.suit: %s", dev->dir, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    durable(dev);
    return IOTSEC_OK;
}

static enum iotsec_err save_state(struct suit_linux *dev)
{
    char *buf = NULL;
    size_t len = 0, i;
    FILE *m = open_memstream(&buf, &len);
    enum iotsec_err err;

    if (m == NULL) {
        errf(dev, "out of memory");
        return IOTSEC_ERR_IO;
    }
    fprintf(m, "%s\n", STATE_MAGIC);
    for (i = 0; i < dev->n_installed; i++)
        fprintf(m, "%s %llu %s\n", dev->installed[i].key,
                (unsigned long long)dev->installed[i].seq,
                dev->installed[i].digest[0] != '\0' ? dev->installed[i].digest : "-");
    fclose(m);
    err = put_suit_file(dev, "state", buf, len);
    free(buf);
    return err;
}

static struct suit_linux_manifest *manifest_find(struct suit_linux_manifest *set, size_t n,
                                                 const char *key)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(set[i].key, key) == 0)
            return &set[i];
    return NULL;
}

/* ------------------------------------------------------------------ */
/* The journal                                                         */
/* ------------------------------------------------------------------ */

/* Decode a hex-encoded path from a journal line; NULL if it is not one. */
static char *journal_path(const char *hex)
{
    size_t n = strlen(hex), len;
    char *p = malloc(n / 2 + 1);

    if (p == NULL || !unhex(hex, n, (uint8_t *)p, n / 2, &len)) {
        free(p);
        return NULL;
    }
    p[len] = '\0';
    if (strlen(p) != len || !path_ok(p, true)) {
        free(p);
        return NULL;
    }
    return p;
}

/*
 * Finish the commit the journal describes: it is idempotent, so a crash in
 * here is mended by running it again. Every line is checked before any is
 * applied: a journal that does not parse is reported, never half-applied.
 */
static enum iotsec_err roll_forward(struct suit_linux *dev)
{
    char *text, *line, *save = NULL, **lines = NULL;
    size_t len, n = 0, i, cap = 0;
    enum iotsec_err err = IOTSEC_ERR_MALFORMED;
    int stfd = -1;
    bool seqs = false;

    if (dev->sfd < 0)
        return IOTSEC_OK;
    if ((text = slurp_at(dev->sfd, "journal", &len)) == NULL) {
        if (errno == ENOENT)
            return IOTSEC_OK;
        errf(dev, "cannot read %s/.suit/journal: %s", dev->dir, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        if (n == cap) {
            char **nl = realloc(lines, (cap = cap ? cap * 2 : 16) * sizeof(*lines));
            if (nl == NULL)
                goto bad;
            lines = nl;
        }
        lines[n++] = line;
    }
    if (n < 2 || strcmp(lines[0], JOURNAL_MAGIC) != 0 || strcmp(lines[n - 1], "end") != 0)
        goto bad;
    /* check everything first */
    for (i = 1; i + 1 < n; i++) {
        char buf[1024], *a, *b, *p;
        struct suit_linux_manifest m;
        if (strncmp(lines[i], "rename ", 7) == 0) {
            a = lines[i] + 7;
            b = strchr(a, ' ');
            if (b == NULL || (size_t)(b - a) > 2 * SUIT_LINUX_MAX_ID || b == a ||
                strspn(a, "0123456789abcdef") != (size_t)(b - a) ||
                (p = journal_path(b + 1)) == NULL)
                goto bad;
            free(p);
        } else if (strncmp(lines[i], "unlink ", 7) == 0) {
            if ((p = journal_path(lines[i] + 7)) == NULL)
                goto bad;
            free(p);
        } else if (strncmp(lines[i], "seq ", 4) == 0) {
            if (strlen(lines[i] + 4) >= sizeof(buf))
                goto bad;
            strcpy(buf, lines[i] + 4);
            if (!parse_manifest_line(buf, &m))
                goto bad;
            seqs = true;
        } else {
            goto bad;
        }
    }

    /* apply */
    stfd = openat(dev->sfd, "staging", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for (i = 1; i + 1 < n; i++) {
        char *name, *path;
        if (strncmp(lines[i], "rename ", 7) == 0) {
            name = lines[i] + 7;
            *strchr(name, ' ') = '\0';
            path = journal_path(name + strlen(name) + 1);
            if (path == NULL)
                goto bad;
            /* a missing staged file was renamed by an earlier attempt */
            if (stfd >= 0 && renameat(stfd, name, dev->dfd, path) != 0 && errno != ENOENT) {
                errf(dev, "cannot install %s/%s: %s", dev->dir, path, strerror(errno));
                free(path);
                err = IOTSEC_ERR_IO;
                goto out;
            }
            durable(dev);
        } else if (strncmp(lines[i], "unlink ", 7) == 0) {
            path = journal_path(lines[i] + 7);
            if (path == NULL)
                goto bad;
            if (unlinkat(dev->dfd, path, 0) != 0 && errno != ENOENT) {
                errf(dev, "cannot remove %s/%s: %s", dev->dir, path, strerror(errno));
                free(path);
                err = IOTSEC_ERR_IO;
                goto out;
            }
            durable(dev);
        } else {
            continue;
        }
        if (fsync_parent(dev->dfd, path) != 0 && errno != ENOENT) {
            errf(dev, "cannot sync the directory of %s/%s: %s", dev->dir, path, strerror(errno));
            free(path);
            err = IOTSEC_ERR_IO;
            goto out;
        }
        durable(dev);
        free(path);
    }
    if (seqs) {
        for (i = 1; i + 1 < n; i++) {
            struct suit_linux_manifest m, *have;
            if (strncmp(lines[i], "seq ", 4) != 0 || !parse_manifest_line(lines[i] + 4, &m))
                continue;
            have = manifest_find(dev->installed, dev->n_installed, m.key);
            if (have == NULL) {
                if (dev->n_installed == SUIT_LINUX_MAX_MANIFESTS) {
                    errf(dev, "more than %d manifests to keep sequence numbers for",
                         SUIT_LINUX_MAX_MANIFESTS);
                    err = IOTSEC_ERR_LIMIT;
                    goto out;
                }
                have = &dev->installed[dev->n_installed++];
            }
            *have = m;
        }
        if ((err = save_state(dev)) != IOTSEC_OK)
            goto out;
    }
    if (unlinkat(dev->sfd, "journal", 0) != 0) {
        errf(dev, "cannot remove %s/.suit/journal: %s", dev->dir, strerror(errno));
        err = IOTSEC_ERR_IO;
        goto out;
    }
    durable(dev);
    if (fsync(dev->sfd) != 0) {
        errf(dev, "cannot sync %s/.suit: %s", dev->dir, strerror(errno));
        err = IOTSEC_ERR_IO;
        goto out;
    }
    durable(dev);
    err = IOTSEC_OK;
    goto out;
bad:
    errf(dev, "%s/.suit/journal is damaged; the interrupted update cannot be finished "
              "(restore the components and remove the journal)", dev->dir);
    err = IOTSEC_ERR_MALFORMED;
out:
    if (stfd >= 0)
        close(stfd);
    free(lines);
    free(text);
    return err;
}

/* ------------------------------------------------------------------ */
/* Components                                                          */
/* ------------------------------------------------------------------ */

static struct suit_linux_component *find(struct suit_linux *dev, struct iotsec_cbuf id)
{
    size_t i;

    for (i = 0; i < dev->n_comp; i++)
        if (dev->comp[i].id_len == id.len && memcmp(dev->comp[i].id, id.ptr, id.len) == 0)
            return &dev->comp[i];
    return NULL;
}

static struct suit_linux_component *add_comp(struct suit_linux *dev, const uint8_t *id,
                                             size_t len)
{
    struct suit_linux_component *c;

    if (dev->n_comp == SUIT_LINUX_MAX_COMPONENTS || len > SUIT_LINUX_MAX_ID || len == 0)
        return NULL;
    c = &dev->comp[dev->n_comp++];
    memset(c, 0, sizeof(*c));
    memcpy(c->id, id, len);
    c->id_len = len;
    hex_of(c->hex, id, len);
    c->wfd = c->rfd = -1;
    return c;
}

/*
 * A component to store into: one of device.json, or a dependency (trust
 * domains) that the manifest writes, kept as DIR/.suit/<hex>.
 */
static struct suit_linux_component *storage(struct suit_linux *dev, struct iotsec_cbuf id)
{
    struct suit_linux_component *c = find(dev, id);
    char *path;

    if (c != NULL)
        return c;
    if (id.len > SUIT_LINUX_MAX_ID || (path = malloc(2 * id.len + 8)) == NULL ||
        (c = add_comp(dev, id.ptr, id.len)) == NULL) {
        errf(dev, "no room for another component");
        return NULL;
    }
    snprintf(path, 2 * id.len + 8, ".suit/%s", c->hex);
    c->path = path;
    return c;
}

static void drop_reader(struct suit_linux_component *c)
{
    if (c->rfd >= 0)
        close(c->rfd);
    c->rfd = -1;
}

static void drop_writer(struct suit_linux_component *c)
{
    if (c->wfd >= 0)
        close(c->wfd);
    c->wfd = -1;
}

/* A descriptor on the component's current content (staged or installed). */
static int reader(struct suit_linux *dev, struct suit_linux_component *c, enum iotsec_err *err)
{
    if (c->rfd >= 0)
        return c->rfd;
    if (c->state == ST_REMOVED) {
        *err = IOTSEC_ERR_NOT_FOUND;
        return -1;
    }
    if (c->state == ST_STAGED)
        c->rfd = openat(dev->stfd, c->hex, O_RDONLY | O_CLOEXEC);
    else
        c->rfd = openat(dev->dfd, c->path, O_RDONLY | O_CLOEXEC);
    if (c->rfd < 0) {
        if (errno == ENOENT) {
            *err = IOTSEC_ERR_NOT_FOUND;
        } else {
            errf(dev, "cannot open %s: %s", c->path, strerror(errno));
            *err = IOTSEC_ERR_IO;
        }
    }
    return c->rfd;
}

/* ------------------------------------------------------------------ */
/* The platform functions                                              */
/* ------------------------------------------------------------------ */

static bool lx_has_component(void *ctx, struct iotsec_cbuf id)
{
    struct suit_linux_component *c = find(ctx, id);

    return c != NULL && c->listed;
}

static enum iotsec_err lx_size(void *ctx, struct iotsec_cbuf id, uint64_t *size)
{
    struct suit_linux *dev = ctx;
    struct suit_linux_component *c = find(dev, id);
    enum iotsec_err err = IOTSEC_OK;
    struct stat st;
    int fd;

    if (c == NULL)
        return IOTSEC_ERR_NOT_FOUND;
    if ((fd = reader(dev, c, &err)) < 0)
        return err;
    if (fstat(fd, &st) != 0) {
        errf(dev, "cannot stat %s: %s", c->path, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    *size = (uint64_t)st.st_size;
    return IOTSEC_OK;
}

static enum iotsec_err lx_read(void *ctx, struct iotsec_cbuf id, uint64_t off, uint8_t *buf,
                               size_t len, size_t *got)
{
    struct suit_linux *dev = ctx;
    struct suit_linux_component *c = find(dev, id);
    enum iotsec_err err = IOTSEC_OK;
    ssize_t r;
    int fd;

    if (c == NULL)
        return IOTSEC_ERR_NOT_FOUND;
    if ((fd = reader(dev, c, &err)) < 0)
        return err;
    do
        r = pread(fd, buf, len, (off_t)off);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        errf(dev, "cannot read %s: %s", c->path, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    *got = (size_t)r;
    return IOTSEC_OK;
}

static enum iotsec_err begin_staging(struct suit_linux *dev, struct suit_linux_component *c)
{
    struct stat st;
    enum iotsec_err err;

    if ((err = ensure_staging(dev)) != IOTSEC_OK)
        return err;
    drop_reader(c);
    drop_writer(c);
    c->wfd = openat(dev->stfd, c->hex, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (c->wfd < 0) {
        errf(dev, "cannot stage %s: %s", c->path, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    /* the new image keeps the permissions of the one it replaces */
    if (fstatat(dev->dfd, c->path, &st, 0) == 0)
        (void)fchmod(c->wfd, st.st_mode & 07777);
    c->state = ST_STAGED;
    c->staged_len = 0;
    return IOTSEC_OK;
}

static enum iotsec_err stage_bytes(struct suit_linux *dev, struct suit_linux_component *c,
                                   const void *p, size_t n)
{
    if (c->wfd < 0)
        return IOTSEC_ERR_BAD_STATE;
    if (n > dev->max_image_size - c->staged_len) {
        errf(dev, "the image for %s is larger than max-image-size (%llu bytes)", c->path,
             (unsigned long long)dev->max_image_size);
        return IOTSEC_ERR_LIMIT;
    }
    if (write_all(c->wfd, p, n) != 0) {
        errf(dev, "cannot write the staged image for %s: %s", c->path, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    c->staged_len += n;
    return IOTSEC_OK;
}

static enum iotsec_err end_staging(struct suit_linux *dev, struct suit_linux_component *c)
{
    int fd = c->wfd;

    c->wfd = -1;
    if (fd >= 0 && close(fd) != 0) {
        errf(dev, "cannot write the staged image for %s: %s", c->path, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    return IOTSEC_OK;
}

static enum iotsec_err lx_write_begin(void *ctx, struct iotsec_cbuf id)
{
    struct suit_linux *dev = ctx;
    struct suit_linux_component *c = storage(dev, id);

    return c != NULL ? begin_staging(dev, c) : IOTSEC_ERR_LIMIT;
}

static enum iotsec_err lx_write(void *ctx, struct iotsec_cbuf id, const uint8_t *p, size_t n)
{
    struct suit_linux *dev = ctx;
    struct suit_linux_component *c = find(dev, id);

    return c != NULL ? stage_bytes(dev, c, p, n) : IOTSEC_ERR_BAD_STATE;
}

static enum iotsec_err lx_write_end(void *ctx, struct iotsec_cbuf id)
{
    struct suit_linux *dev = ctx;
    struct suit_linux_component *c = find(dev, id);

    return c != NULL ? end_staging(dev, c) : IOTSEC_ERR_BAD_STATE;
}

/* Copy the current content of @p c into staging file @p name; *absent when
 * @p c has none. */
static enum iotsec_err snapshot(struct suit_linux *dev, struct suit_linux_component *c,
                                const char *name, bool *absent)
{
    enum iotsec_err err = IOTSEC_OK;
    uint8_t *buf;
    off_t off = 0;
    int in = reader(dev, c, &err), out;

    *absent = false;
    if (in < 0) {
        *absent = err == IOTSEC_ERR_NOT_FOUND;
        return *absent ? IOTSEC_OK : err;
    }
    if ((buf = malloc(65536)) == NULL) {
        errf(dev, "out of memory");
        return IOTSEC_ERR_IO;
    }
    out = openat(dev->stfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0)
        err = IOTSEC_ERR_IO;
    while (err == IOTSEC_OK) {
        ssize_t r = pread(in, buf, 65536, off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 || (r > 0 && write_all(out, buf, (size_t)r) != 0))
            err = IOTSEC_ERR_IO;
        if (r <= 0)
            break;
        off += r;
    }
    if (err != IOTSEC_OK)
        errf(dev, "cannot copy %s for a swap: %s", c->path, strerror(errno));
    if (out >= 0 && close(out) != 0 && err == IOTSEC_OK) {
        errf(dev, "cannot copy %s for a swap: %s", c->path, strerror(errno));
        err = IOTSEC_ERR_IO;
    }
    free(buf);
    return err;
}

/* Make the snapshot @p tmp the staged content of @p c (or stage a removal). */
static enum iotsec_err take_snapshot(struct suit_linux *dev, struct suit_linux_component *c,
                                     const char *tmp, bool absent)
{
    drop_reader(c);
    drop_writer(c);
    if (absent) {
        (void)unlinkat(dev->stfd, c->hex, 0);
        c->state = ST_REMOVED;
        return IOTSEC_OK;
    }
    if (renameat(dev->stfd, tmp, dev->stfd, c->hex) != 0) {
        errf(dev, "cannot stage the swap of %s: %s", c->path, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    c->state = ST_STAGED;
    return IOTSEC_OK;
}

static enum iotsec_err lx_swap(void *ctx, struct iotsec_cbuf a, struct iotsec_cbuf b)
{
    struct suit_linux *dev = ctx;
    struct suit_linux_component *ca = storage(dev, a), *cb = storage(dev, b);
    char ta[sizeof(ca->hex) + 8], tb[sizeof(cb->hex) + 8];
    bool a_absent, b_absent;
    enum iotsec_err err;

    if (ca == NULL || cb == NULL)
        return IOTSEC_ERR_LIMIT;
    if (ca == cb)
        return IOTSEC_OK;
    if ((err = ensure_staging(dev)) != IOTSEC_OK)
        return err;
    snprintf(ta, sizeof(ta), "%s.swap", ca->hex); /* a's new content: b's */
    snprintf(tb, sizeof(tb), "%s.swap", cb->hex);
    if ((err = snapshot(dev, cb, ta, &b_absent)) != IOTSEC_OK ||
        (err = snapshot(dev, ca, tb, &a_absent)) != IOTSEC_OK)
        return err;
    if ((err = take_snapshot(dev, ca, ta, b_absent)) != IOTSEC_OK)
        return err;
    return take_snapshot(dev, cb, tb, a_absent);
}

static enum iotsec_err lx_unlink(void *ctx, struct iotsec_cbuf id)
{
    struct suit_linux *dev = ctx;
    struct suit_linux_component *c = storage(dev, id);

    if (c == NULL)
        return IOTSEC_ERR_LIMIT;
    drop_reader(c);
    drop_writer(c);
    if (c->state == ST_STAGED)
        (void)unlinkat(dev->stfd, c->hex, 0);
    c->state = ST_REMOVED;
    return IOTSEC_OK;
}

static void lx_abort(void *ctx)
{
    struct suit_linux *dev = ctx;
    size_t i;

    for (i = 0; i < dev->n_comp; i++) {
        drop_reader(&dev->comp[i]);
        drop_writer(&dev->comp[i]);
        dev->comp[i].state = ST_CLEAN;
    }
    dev->n_staged = 0;
    tidy(dev);
}

static enum iotsec_err lx_commit(void *ctx)
{
    struct suit_linux *dev = ctx;
    char *buf = NULL, *path_hex = NULL;
    size_t len = 0, i, todo = 0;
    FILE *m;
    enum iotsec_err err;

    for (i = 0; i < dev->n_comp; i++)
        todo += dev->comp[i].state != ST_CLEAN ? 1u : 0u;
    if (todo == 0 && dev->n_staged == 0)
        return IOTSEC_OK;
    if ((err = ensure_suit_dir(dev)) != IOTSEC_OK)
        return err;
    if ((m = open_memstream(&buf, &len)) == NULL) {
        errf(dev, "out of memory");
        return IOTSEC_ERR_IO;
    }
    fprintf(m, "%s\n", JOURNAL_MAGIC);
    /* 1. the staged files, durable */
    for (i = 0; i < dev->n_comp && err == IOTSEC_OK; i++) {
        struct suit_linux_component *c = &dev->comp[i];
        size_t pl = strlen(c->path);
        char *ph = realloc(path_hex, 2 * pl + 1);
        if (ph == NULL) {
            errf(dev, "out of memory");
            err = IOTSEC_ERR_IO;
            break;
        }
        path_hex = ph;
        hex_of(path_hex, (const uint8_t *)c->path, pl);
        drop_reader(c);
        if (c->state == ST_STAGED) {
            int fd;
            if ((err = end_staging(dev, c)) != IOTSEC_OK)
                break;
            fd = openat(dev->stfd, c->hex, O_RDONLY | O_CLOEXEC);
            if (fd < 0 || fsync(fd) != 0) {
                errf(dev, "cannot sync the staged image for %s: %s", c->path, strerror(errno));
                err = IOTSEC_ERR_IO;
            }
            if (fd >= 0)
                close(fd);
            durable(dev);
            fprintf(m, "rename %s %s\n", c->hex, path_hex);
        } else if (c->state == ST_REMOVED) {
            fprintf(m, "unlink %s\n", path_hex);
        }
    }
    for (i = 0; i < dev->n_staged; i++)
        fprintf(m, "seq %s %llu %s\n", dev->staged[i].key, (unsigned long long)dev->staged[i].seq,
                dev->staged[i].digest[0] != '\0' ? dev->staged[i].digest : "-");
    fprintf(m, "end\n");
    fclose(m);
    free(path_hex);
    if (err == IOTSEC_OK && dev->stfd >= 0) {
        if (fsync(dev->stfd) != 0) {
            errf(dev, "cannot sync %s/.suit/staging: %s", dev->dir, strerror(errno));
            err = IOTSEC_ERR_IO;
        }
        durable(dev);
    }
    /* 2. the journal: once it is in place, the update has happened */
    if (err == IOTSEC_OK)
        err = put_suit_file(dev, "journal", buf, len);
    free(buf);
    if (err != IOTSEC_OK)
        return err; /* the processor aborts: nothing changed */
    /* 3. and 4. */
    err = roll_forward(dev);
    for (i = 0; i < dev->n_comp; i++) {
        struct suit_linux_component *c = &dev->comp[i];
        if (err == IOTSEC_OK && c->state == ST_STAGED) {
            c->committed = true;
            c->committed_len = c->staged_len;
        } else if (err == IOTSEC_OK && c->state == ST_REMOVED) {
            c->removed = true;
        }
        c->state = ST_CLEAN;
    }
    dev->n_staged = 0;
    /* the journal stays when rolling forward failed: the next open finishes it */
    return err;
}

/* ------------------------------------------------------------------ */
/* Fetch                                                               */
/* ------------------------------------------------------------------ */

struct sink {
    struct suit_linux *dev;
    struct suit_linux_component *c;
    enum iotsec_err err;
};

static size_t curl_sink(char *p, size_t size, size_t nmemb, void *arg)
{
    struct sink *s = arg;
    size_t n = size * nmemb;

    s->err = stage_bytes(s->dev, s->c, p, n);
    return s->err == IOTSEC_OK ? n : 0;
}

static enum iotsec_err fetch_http(struct suit_linux *dev, struct sink *s, const char *uri)
{
    char eb[CURL_ERROR_SIZE];
    const char *ca = getenv("IOTSEC_CA_FILE");
    CURLcode rc;
    CURL *h;
    long status = 0;

    if (!curl_started) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            errf(dev, "cannot start libcurl");
            return IOTSEC_ERR_IO;
        }
        curl_started = true;
    }
    if ((h = curl_easy_init()) == NULL) {
        errf(dev, "cannot start libcurl");
        return IOTSEC_ERR_IO;
    }
    eb[0] = '\0';
    curl_easy_setopt(h, CURLOPT_URL, uri);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, dev->fetch_timeout);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, dev->fetch_timeout);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, dev->fetch_timeout * 20);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, eb);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "iotsec-suit");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, curl_sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
    if (ca != NULL && *ca != '\0')
        curl_easy_setopt(h, CURLOPT_CAINFO, ca);
    rc = curl_easy_perform(h);
    (void)curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    if (rc == CURLE_OK)
        return IOTSEC_OK;
    if (s->err != IOTSEC_OK)
        return s->err; /* the sink said why */
    if (rc == CURLE_HTTP_RETURNED_ERROR)
        errf(dev, "fetching %s: the server answered HTTP status %ld", uri, status);
    else
        errf(dev, "fetching %s: %s", uri, eb[0] != '\0' ? eb : curl_easy_strerror(rc));
    return IOTSEC_ERR_IO;
}

/* libcoap logs through a function without context: one fetch at a time. */
static char *coap_log_dst;
static size_t coap_log_cap;

static void coap_log_sink(coap_log_t level, const char *message)
{
    size_t n;

    if (level > LOG_WARNING || coap_log_dst == NULL || coap_log_dst[0] != '\0')
        return;
    snprintf(coap_log_dst, coap_log_cap, "%s", message);
    n = strlen(coap_log_dst);
    while (n > 0 && (coap_log_dst[n - 1] == '\n' || coap_log_dst[n - 1] == ' '))
        coap_log_dst[--n] = '\0';
}

struct coap_job {
    struct sink *s;
    uint64_t next;      /* offset of the next byte expected */
    bool done, failed;
    char why[200];
    coap_tick_t last;   /* last progress */
};

static coap_response_t coap_on_response(coap_session_t *session, const coap_pdu_t *sent,
                                        const coap_pdu_t *received, const coap_mid_t mid)
{
    struct coap_job *job = coap_session_get_app_data(session);
    coap_pdu_code_t code = coap_pdu_get_code(received);
    const uint8_t *data;
    size_t len, offset, total;
    coap_block_b_t block;

    (void)sent;
    (void)mid;
    if (job == NULL || job->done)
        return COAP_RESPONSE_OK;
    coap_ticks(&job->last);
    if (COAP_RESPONSE_CLASS(code) != 2) {
        snprintf(job->why, sizeof(job->why), "the server answered %u.%02u",
                 (unsigned)COAP_RESPONSE_CLASS(code), (unsigned)(code & 0x1f));
        job->failed = job->done = true;
        return COAP_RESPONSE_OK;
    }
    if (coap_get_data_large(received, &len, &data, &offset, &total) && len != 0) {
        if (offset > job->next) {
            snprintf(job->why, sizeof(job->why), "a block arrived out of order");
            job->failed = job->done = true;
            return COAP_RESPONSE_OK;
        }
        if (offset + len > job->next) { /* skip what a repeated block already gave */
            size_t skip = (size_t)(job->next - offset);
            job->s->err = stage_bytes(job->s->dev, job->s->c, data + skip, len - skip);
            if (job->s->err != IOTSEC_OK) {
                job->failed = job->done = true;
                return COAP_RESPONSE_OK;
            }
            job->next = offset + len;
        }
    }
    if (!coap_get_block_b(session, received, COAP_OPTION_BLOCK2, &block) || !block.m)
        job->done = true;
    return COAP_RESPONSE_OK;
}

static void coap_on_nack(coap_session_t *session, const coap_pdu_t *sent,
                         const coap_nack_reason_t reason, const coap_mid_t mid)
{
    struct coap_job *job = coap_session_get_app_data(session);
    static const char *const why[] = {"no answer after all retransmissions",
                                      "the request could not be delivered",
                                      "the server reset the exchange", "the DTLS handshake failed",
                                      "the server is unreachable (ICMP)"};

    (void)sent;
    (void)mid;
    if (job == NULL || job->done)
        return;
    snprintf(job->why, sizeof(job->why), "%s",
             (unsigned)reason < sizeof(why) / sizeof(why[0]) ? why[reason] : "the request failed");
    job->failed = job->done = true;
}

static int coap_on_event(coap_session_t *session, const coap_event_t event)
{
    struct coap_job *job = coap_session_get_app_data(session);

    if (job != NULL && !job->done &&
        (event == COAP_EVENT_DTLS_ERROR || event == COAP_EVENT_DTLS_CLOSED ||
         event == COAP_EVENT_SESSION_FAILED || event == COAP_EVENT_TCP_FAILED)) {
        snprintf(job->why, sizeof(job->why), "%s",
                 event == COAP_EVENT_DTLS_ERROR || event == COAP_EVENT_DTLS_CLOSED
                     ? "the DTLS session failed (wrong PSK identity or key?)"
                     : "the session failed");
        job->failed = job->done = true;
    }
    return 0;
}

/* Uri-Path or Uri-Query options from @p s into @p ol. */
static bool coap_split_into(coap_optlist_t **ol, const uint8_t *s, size_t n, bool query)
{
    uint8_t buf[1024], *p = buf;
    size_t buflen = sizeof(buf);
    int k;

    if (n == 0)
        return true;
    k = query ? coap_split_query(s, n, buf, &buflen) : coap_split_path(s, n, buf, &buflen);
    if (k < 0)
        return false;
    while (k-- > 0) {
        coap_insert_optlist(ol, coap_new_optlist(query ? COAP_OPTION_URI_QUERY
                                                       : COAP_OPTION_URI_PATH,
                                                 coap_opt_length(p), coap_opt_value(p)));
        p += coap_opt_size(p);
    }
    return true;
}

static enum iotsec_err fetch_coap(struct suit_linux *dev, struct sink *s, const char *uri)
{
    struct coap_job job;
    coap_uri_t u;
    coap_address_t dst;
    coap_context_t *ctx = NULL;
    coap_session_t *session = NULL;
    coap_optlist_t *ol = NULL;
    coap_pdu_t *pdu;
    coap_tick_t start, now;
    struct addrinfo hints, *ai = NULL;
    uint8_t token[8], psk[64];
    size_t tlen, psk_len = 0;
    char host[256];
    enum iotsec_err err = IOTSEC_ERR_IO;
    int rc;

    memset(&job, 0, sizeof(job));
    job.s = s;
    if (coap_split_uri((const uint8_t *)uri, strlen(uri), &u) < 0 ||
        (u.scheme != COAP_URI_SCHEME_COAP && u.scheme != COAP_URI_SCHEME_COAPS) ||
        u.host.length == 0 || u.host.length >= sizeof(host)) {
        errf(dev, "fetching %s: not a coap:// or coaps:// URI libcoap understands", uri);
        return IOTSEC_ERR_IO;
    }
    if (!coap_started) {
        coap_startup();
        coap_set_log_handler(coap_log_sink);
        coap_set_log_level(LOG_WARNING);
        coap_started = true;
    }
    memcpy(host, u.host.s, u.host.length);
    host[u.host.length] = '\0';
    if (host[0] == '[' && host[u.host.length - 1] == ']') { /* an IPv6 literal */
        memmove(host, host + 1, u.host.length - 2);
        host[u.host.length - 2] = '\0';
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    if ((rc = getaddrinfo(host, NULL, &hints, &ai)) != 0 || ai == NULL ||
        ai->ai_addrlen > sizeof(dst.addr)) {
        errf(dev, "fetching %s: cannot resolve %s: %s", uri, host,
             rc != 0 ? gai_strerror(rc) : "no address");
        if (ai != NULL)
            freeaddrinfo(ai);
        return IOTSEC_ERR_IO;
    }
    coap_address_init(&dst);
    dst.size = ai->ai_addrlen;
    memcpy(&dst.addr, ai->ai_addr, ai->ai_addrlen);
    coap_address_set_port(&dst, u.port);
    freeaddrinfo(ai);

    coap_log_dst = job.why;
    coap_log_cap = sizeof(job.why);
    if ((ctx = coap_new_context(NULL)) == NULL) {
        snprintf(job.why, sizeof(job.why), "cannot start libcoap");
        goto out;
    }
    coap_context_set_block_mode(ctx, COAP_BLOCK_USE_LIBCOAP);
    coap_register_response_handler(ctx, coap_on_response);
    coap_register_nack_handler(ctx, coap_on_nack);
    coap_register_event_handler(ctx, coap_on_event);
    if (u.scheme == COAP_URI_SCHEME_COAPS) {
        const char *id = getenv("IOTSEC_COAP_PSK_ID"), *key = getenv("IOTSEC_COAP_PSK");
        coap_dtls_cpsk_t setup;
        if (!coap_dtls_is_supported()) {
            snprintf(job.why, sizeof(job.why), "this libcoap has no DTLS");
            goto out;
        }
        if (id == NULL || key == NULL || *id == '\0' ||
            !unhex(key, strlen(key), psk, sizeof(psk), &psk_len) || psk_len == 0) {
            snprintf(job.why, sizeof(job.why),
                     "coaps needs IOTSEC_COAP_PSK_ID (identity) and IOTSEC_COAP_PSK (key in hex)");
            goto out;
        }
        memset(&setup, 0, sizeof(setup));
        setup.version = COAP_DTLS_CPSK_SETUP_VERSION;
        setup.psk_info.identity.s = (const uint8_t *)id;
        setup.psk_info.identity.length = strlen(id);
        setup.psk_info.key.s = psk;
        setup.psk_info.key.length = psk_len;
        session = coap_new_client_session_psk2(ctx, NULL, &dst, COAP_PROTO_DTLS, &setup);
    } else {
        session = coap_new_client_session(ctx, NULL, &dst, COAP_PROTO_UDP);
    }
    if (session == NULL) {
        if (job.why[0] == '\0')
            snprintf(job.why, sizeof(job.why), "cannot open a session");
        goto out;
    }
    coap_session_set_app_data(session, &job);
    pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, coap_new_message_id(session),
                        coap_session_max_pdu_size(session));
    if (pdu == NULL) {
        snprintf(job.why, sizeof(job.why), "cannot build the request");
        goto out;
    }
    coap_session_new_token(session, &tlen, token);
    if (!coap_add_token(pdu, tlen, token) ||
        !coap_split_into(&ol, u.path.s, u.path.length, false) ||
        !coap_split_into(&ol, u.query.s, u.query.length, true) ||
        (ol != NULL && !coap_add_optlist_pdu(pdu, &ol))) {
        coap_delete_pdu(pdu);
        snprintf(job.why, sizeof(job.why), "cannot build the request");
        goto out;
    }
    if (coap_send(session, pdu) == COAP_INVALID_MID) {
        if (job.why[0] == '\0')
            snprintf(job.why, sizeof(job.why), "cannot send the request");
        goto out;
    }
    coap_ticks(&start);
    job.last = start;
    while (!job.done) {
        if (coap_io_process(ctx, 250) < 0) {
            snprintf(job.why, sizeof(job.why), "network error");
            job.failed = true;
            break;
        }
        coap_ticks(&now);
        if (now - job.last > (coap_tick_t)dev->fetch_timeout * COAP_TICKS_PER_SECOND ||
            now - start > (coap_tick_t)dev->fetch_timeout * 20 * COAP_TICKS_PER_SECOND) {
            snprintf(job.why, sizeof(job.why), "timed out after %ld s without progress",
                     dev->fetch_timeout);
            job.failed = true;
            break;
        }
    }
    if (!job.failed)
        err = IOTSEC_OK;
    else if (s->err != IOTSEC_OK)
        err = s->err;
out:
    coap_log_dst = NULL;
    if (ol != NULL)
        coap_delete_optlist(ol);
    if (session != NULL) {
        coap_session_set_app_data(session, NULL);
        coap_session_release(session);
    }
    if (ctx != NULL)
        coap_free_context(ctx);
    memset(psk, 0, sizeof(psk));
    if (err == IOTSEC_ERR_IO)
        errf(dev, "fetching %s: %s", uri, job.why[0] != '\0' ? job.why : "failed");
    return err;
}

static enum iotsec_err fetch_file(struct suit_linux *dev, struct sink *s, const char *uri)
{
    const char *p = uri + 7; /* after "file://" */
    char *path, *q;
    uint8_t *buf;
    int fd;

    if (strncmp(p, "localhost/", 10) == 0)
        p += 9;
    if (*p != '/') {
        errf(dev, "fetching %s: a file URI needs an absolute path (file:///path)", uri);
        return IOTSEC_ERR_IO;
    }
    if ((path = malloc(strlen(p) + 1)) == NULL) {
        errf(dev, "out of memory");
        return IOTSEC_ERR_IO;
    }
    for (q = path; *p != '\0'; p++) { /* percent-decoding */
        if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
            *q++ = (char)(hexval(p[1]) << 4 | hexval(p[2]));
            p += 2;
        } else {
            *q++ = *p;
        }
    }
    *q = '\0';
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || (buf = malloc(65536)) == NULL) {
        errf(dev, "fetching %s: cannot open %s: %s", uri, path, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(path);
        return IOTSEC_ERR_IO;
    }
    for (;;) {
        ssize_t r = read(fd, buf, 65536);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            errf(dev, "fetching %s: cannot read %s: %s", uri, path, strerror(errno));
            s->err = IOTSEC_ERR_IO;
        }
        if (r <= 0 || (s->err = stage_bytes(dev, s->c, buf, (size_t)r)) != IOTSEC_OK)
            break;
    }
    free(buf);
    free(path);
    close(fd);
    return s->err;
}

static enum iotsec_err lx_fetch(void *ctx, struct iotsec_cbuf id, struct iotsec_cbuf uri)
{
    struct suit_linux *dev = ctx;
    struct suit_linux_component *c = storage(dev, id);
    struct sink s;
    enum iotsec_err err;
    char *u;

    if (c == NULL)
        return IOTSEC_ERR_LIMIT;
    if (memchr(uri.ptr, '\0', uri.len) != NULL ||
        (u = strndup((const char *)uri.ptr, uri.len)) == NULL) {
        errf(dev, "the URI is not a string");
        return IOTSEC_ERR_IO;
    }
    if (strncasecmp(u, "http://", 7) != 0 && strncasecmp(u, "https://", 8) != 0 &&
        strncasecmp(u, "coap://", 7) != 0 && strncasecmp(u, "coaps://", 8) != 0 &&
        strncasecmp(u, "file://", 7) != 0) {
        errf(dev, "cannot fetch %s: this device fetches http, https, coap, coaps and file URIs",
             u);
        free(u);
        return IOTSEC_ERR_UNSUPPORTED;
    }
    if ((err = begin_staging(dev, c)) != IOTSEC_OK) {
        free(u);
        return err;
    }
    s.dev = dev;
    s.c = c;
    s.err = IOTSEC_OK;
    if (strncasecmp(u, "http", 4) == 0)
        err = fetch_http(dev, &s, u);
    else if (strncasecmp(u, "coap", 4) == 0)
        err = fetch_coap(dev, &s, u);
    else
        err = fetch_file(dev, &s, u);
    free(u);
    if (err == IOTSEC_OK)
        err = end_staging(dev, c);
    return err; /* on failure the processor aborts, which drops the partial file */
}

/* ------------------------------------------------------------------ */
/* Invoke, sequence numbers, update management, records                */
/* ------------------------------------------------------------------ */

static enum iotsec_err lx_invoke(void *ctx, struct iotsec_cbuf id, struct iotsec_cbuf args)
{
    struct suit_linux *dev = ctx;
    struct suit_linux_component *c = find(dev, id);
    char *line;
    size_t n = 2 * id.len + 2 * args.len + 4;
    int fd;

    if (c == NULL)
        return IOTSEC_ERR_NOT_FOUND;
    if ((line = malloc(n)) == NULL) {
        errf(dev, "out of memory");
        return IOTSEC_ERR_IO;
    }
    hex_of(line, id.ptr, id.len);
    strcat(line, " ");
    if (args.len != 0)
        hex_of(line + strlen(line), args.ptr, args.len);
    else
        strcat(line, "-");
    strcat(line, "\n");
    fd = openat(dev->dfd, "invoked.log", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || write_all(fd, line, strlen(line)) != 0) {
        errf(dev, "cannot log the invocation in %s/invoked.log: %s", dev->dir, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(line);
        return IOTSEC_ERR_IO;
    }
    close(fd);
    free(line);
    c->invoked = true;
    return IOTSEC_OK;
}

static enum iotsec_err lx_get_sequence(void *ctx, struct iotsec_cbuf mid, uint64_t *seq)
{
    struct suit_linux *dev = ctx;
    struct suit_linux_manifest *m;
    char key[2 * SUIT_LINUX_MAX_ID + 1];

    if (!manifest_key(mid, key) ||
        (m = manifest_find(dev->installed, dev->n_installed, key)) == NULL)
        return IOTSEC_ERR_NOT_FOUND;
    *seq = m->seq;
    return IOTSEC_OK;
}

static enum iotsec_err lx_set_sequence(void *ctx, struct iotsec_cbuf mid, uint64_t seq)
{
    struct suit_linux *dev = ctx;
    struct suit_linux_manifest *m;
    char key[2 * SUIT_LINUX_MAX_ID + 1];

    if (!manifest_key(mid, key)) {
        errf(dev, "a manifest-component-id longer than %d bytes", SUIT_LINUX_MAX_ID);
        return IOTSEC_ERR_LIMIT;
    }
    if ((m = manifest_find(dev->staged, dev->n_staged, key)) == NULL) {
        if (dev->n_staged == SUIT_LINUX_MAX_MANIFESTS) {
            errf(dev, "more than %d manifests in one update", SUIT_LINUX_MAX_MANIFESTS);
            return IOTSEC_ERR_LIMIT;
        }
        m = &dev->staged[dev->n_staged++];
    }
    strcpy(m->key, key);
    m->seq = seq;
    strcpy(m->digest, strcmp(dev->expect.key, key) == 0 ? dev->expect.digest : "");
    return IOTSEC_OK;
}

static enum iotsec_err lx_component_slot(void *ctx, struct iotsec_cbuf id, uint64_t *slot)
{
    struct suit_linux_component *c = find(ctx, id);

    if (c == NULL || !c->has_slot)
        return IOTSEC_ERR_UNSUPPORTED; /* no "slot" in device.json */
    *slot = c->slot;
    return IOTSEC_OK;
}

static enum iotsec_err lx_battery(void *ctx, uint64_t *percent)
{
    *percent = ((struct suit_linux *)ctx)->battery;
    return IOTSEC_OK;
}

static enum iotsec_err lx_now(void *ctx, uint64_t *seconds)
{
    struct suit_linux *dev = ctx;
    time_t t;

    if (dev->has_time) {
        *seconds = dev->time;
        return IOTSEC_OK;
    }
    if ((t = time(NULL)) == (time_t)-1 || t < 0)
        return IOTSEC_ERR_IO;
    *seconds = (uint64_t)t;
    return IOTSEC_OK;
}

static enum iotsec_err lx_update_authorized(void *ctx, int64_t priority)
{
    (void)priority;
    return ((struct suit_linux *)ctx)->authorized ? IOTSEC_OK : IOTSEC_ERR_VERIFY_FAILED;
}

static void lx_record(void *ctx, const struct iotsec_suit_record *r)
{
    struct suit_linux *dev = ctx;

    if (dev->n_records == dev->cap_records) {
        size_t cap = dev->cap_records ? dev->cap_records * 2 : 64;
        struct iotsec_suit_record *nr = cap > (1u << 20) ? NULL
                                                         : realloc(dev->records, cap * sizeof(*nr));
        if (nr == NULL)
            return; /* a report without the rest of the records beats none */
        dev->records = nr;
        dev->cap_records = cap;
    }
    dev->records[dev->n_records++] = *r;
}

/* ------------------------------------------------------------------ */
/* device.json                                                         */
/* ------------------------------------------------------------------ */

static bool get_uuid(struct iotsec_cbor_dec *map, const char *key, uint8_t out[16], bool *present)
{
    struct iotsec_cbor_dec v;
    struct iotsec_cbuf s;
    char text[IOTSEC_UUID_TEXT_LEN + 1];

    *present = iotsec_cbor_map_find_tstr(map, key, strlen(key), &v) == IOTSEC_OK;
    if (!*present)
        return true;
    if (iotsec_cbor_get_tstr(&v, &s) != IOTSEC_OK || s.len != IOTSEC_UUID_TEXT_LEN)
        return false;
    memcpy(text, s.ptr, s.len);
    text[s.len] = '\0';
    return iotsec_uuid_parse(text, out);
}

static bool get_uint(struct iotsec_cbor_dec *map, const char *key, uint64_t *out, bool *present)
{
    struct iotsec_cbor_dec v;

    *present = iotsec_cbor_map_find_tstr(map, key, strlen(key), &v) == IOTSEC_OK;
    return !*present || iotsec_cbor_get_uint(&v, out) == IOTSEC_OK;
}

/* One entry of "components". */
static enum iotsec_err parse_component(struct suit_linux *dev, struct iotsec_cbor_dec *entry,
                                       size_t index)
{
    struct iotsec_cbor_dec m, v, parts;
    struct iotsec_cbuf s;
    struct iotsec_cbor_enc e;
    struct suit_linux_component *c;
    uint8_t id[SUIT_LINUX_MAX_ID], part[SUIT_LINUX_MAX_ID];
    struct iotsec_cbuf enc;
    size_t n, len;
    uint64_t slot = 0;
    bool has_slot;

    if (iotsec_cbor_enter_map(entry, &m, NULL) != IOTSEC_OK)
        goto bad;
    if (iotsec_cbor_map_find_tstr(&m, "id", 2, &v) != IOTSEC_OK ||
        iotsec_cbor_enter_array(&v, &parts, &n) != IOTSEC_OK || n == IOTSEC_CBOR_INDEFINITE)
        goto bad;
    iotsec_cbor_enc_init(&e, id, sizeof(id));
    iotsec_cbor_enc_array(&e, n);
    while (!iotsec_cbor_at_end(&parts)) {
        if (iotsec_cbor_get_tstr(&parts, &s) != IOTSEC_OK ||
            !unhex((const char *)s.ptr, s.len, part, sizeof(part), &len))
            goto bad;
        iotsec_cbor_enc_bstr(&e, part, len);
    }
    if (iotsec_cbor_enc_finish(&e, &enc) != IOTSEC_OK) {
        errf(dev, "%s/device.json: the id of component %zu is longer than %d bytes encoded",
             dev->dir, index, SUIT_LINUX_MAX_ID);
        return IOTSEC_ERR_LIMIT;
    }
    if (find(dev, enc) != NULL) {
        errf(dev, "%s/device.json: component %zu has the same id as another", dev->dir, index);
        return IOTSEC_ERR_MALFORMED;
    }
    if (iotsec_cbor_map_find_tstr(&m, "path", 4, &v) != IOTSEC_OK ||
        iotsec_cbor_get_tstr(&v, &s) != IOTSEC_OK || memchr(s.ptr, '\0', s.len) != NULL)
        goto bad;
    if (!get_uint(&m, "slot", &slot, &has_slot))
        goto bad;
    if ((c = add_comp(dev, enc.ptr, enc.len)) == NULL) {
        errf(dev, "%s/device.json: more than %d components", dev->dir, SUIT_LINUX_MAX_COMPONENTS);
        return IOTSEC_ERR_LIMIT;
    }
    if ((c->path = strndup((const char *)s.ptr, s.len)) == NULL)
        return IOTSEC_ERR_IO;
    if (!path_ok(c->path, false)) {
        errf(dev, "%s/device.json: component %zu: path '%s' must be relative to the device "
                  "directory, without '..', and not one of its own files",
             dev->dir, index, c->path);
        return IOTSEC_ERR_MALFORMED;
    }
    c->listed = true;
    c->has_slot = has_slot;
    c->slot = slot;
    iotsec_cbor_skip_rest(&m);
    return IOTSEC_OK;
bad:
    errf(dev, "%s/device.json: component %zu needs \"id\" (an array of hex strings), \"path\" "
              "(a string) and, optionally, \"slot\" (an unsigned integer)",
         dev->dir, index);
    return IOTSEC_ERR_MALFORMED;
}

static enum iotsec_err parse_device(struct suit_linux *dev)
{
    struct cli_buf cb = {0};
    struct iotsec_cbor_dec d, m, v, comps;
    enum iotsec_err err = IOTSEC_ERR_MALFORMED;
    char *text;
    size_t len, i;
    uint64_t u;
    bool present, b;

    if ((text = slurp_at(dev->dfd, "device.json", &len)) == NULL) {
        errf(dev, "cannot read %s/device.json: %s", dev->dir, strerror(errno));
        return IOTSEC_ERR_IO;
    }
    if (cli_json_to_cbor(text, len, &cb, false) != CLI_OK) {
        errf(dev, "%s/device.json is not valid JSON (the reason is above)", dev->dir);
        goto out;
    }
    if (iotsec_cbor_dec_init(&d, cb.p, cb.len, 0, NULL) != IOTSEC_OK ||
        iotsec_cbor_enter_map(&d, &m, NULL) != IOTSEC_OK) {
        errf(dev, "%s/device.json is not a JSON object", dev->dir);
        goto out;
    }
    if (!get_uuid(&m, "vendor-id", dev->vendor_id, &present) || !present ||
        !get_uuid(&m, "class-id", dev->class_id, &b) || !b) {
        errf(dev, "%s/device.json needs \"vendor-id\" and \"class-id\", each a UUID "
                  "(8-4-4-4-12 hex digits)",
             dev->dir);
        goto out;
    }
    if (!get_uuid(&m, "device-id", dev->device_id, &dev->has_device_id)) {
        errf(dev, "%s/device.json: \"device-id\" is not a UUID", dev->dir);
        goto out;
    }
    if (iotsec_cbor_map_find_tstr(&m, "components", 10, &v) != IOTSEC_OK ||
        iotsec_cbor_enter_array(&v, &comps, NULL) != IOTSEC_OK) {
        errf(dev, "%s/device.json needs \"components\", an array", dev->dir);
        goto out;
    }
    for (i = 0; !iotsec_cbor_at_end(&comps); i++) {
        struct iotsec_cbor_dec one = comps;
        one.left = 1;
        if ((err = parse_component(dev, &one, i)) != IOTSEC_OK)
            goto out;
        (void)iotsec_cbor_skip(&comps);
    }
    err = IOTSEC_ERR_MALFORMED;
    if (!get_uint(&m, "battery", &dev->battery, &dev->has_battery) || dev->battery > 100 ||
        !get_uint(&m, "time", &dev->time, &dev->has_time) ||
        !get_uint(&m, "max-image-size", &dev->max_image_size, &present) ||
        !get_uint(&m, "fetch-timeout", &u, &b) || (b && (u == 0 || u > 3600))) {
        errf(dev, "%s/device.json: \"battery\" (0-100), \"time\", \"max-image-size\" and "
                  "\"fetch-timeout\" (1-3600) are unsigned integers",
             dev->dir);
        goto out;
    }
    if (!present)
        dev->max_image_size = DEFAULT_MAX_IMAGE;
    dev->fetch_timeout = b ? (long)u : DEFAULT_FETCH_TIMEOUT;
    if (iotsec_cbor_map_find_tstr(&m, "update-authorized", 17, &v) == IOTSEC_OK) {
        if (iotsec_cbor_get_bool(&v, &dev->authorized) != IOTSEC_OK) {
            errf(dev, "%s/device.json: \"update-authorized\" is true or false", dev->dir);
            goto out;
        }
        dev->has_authorized = true;
    }
    err = IOTSEC_OK;
out:
    cli_buf_free(&cb);
    free(text);
    return err;
}

/* ------------------------------------------------------------------ */
/* The device                                                          */
/* ------------------------------------------------------------------ */

/* see suit_linux.h */
enum iotsec_err suit_linux_open(struct suit_linux *dev, const char *dir, char *err, size_t errlen)
{
    const char *crash = getenv("IOTSEC_SUIT_LINUX_CRASH_AT");
    enum iotsec_err e = IOTSEC_ERR_IO;

    memset(dev, 0, sizeof(*dev));
    dev->dfd = dev->sfd = dev->stfd = -1;
    dev->max_image_size = DEFAULT_MAX_IMAGE;
    dev->fetch_timeout = DEFAULT_FETCH_TIMEOUT;
    if (crash != NULL)
        dev->crash_at = strtol(crash, NULL, 10);
    if ((dev->dir = strdup(dir)) == NULL) {
        errf(dev, "out of memory");
        goto fail;
    }
    dev->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dev->dfd < 0) {
        errf(dev, "cannot open the device directory %s: %s", dir, strerror(errno));
        goto fail;
    }
    if (flock(dev->dfd, LOCK_EX | LOCK_NB) != 0) {
        errf(dev, errno == EWOULDBLOCK ? "the device directory %s is busy: another process is "
                                         "updating it"
                                       : "cannot lock the device directory %s",
             dir);
        goto fail;
    }
    dev->sfd = openat(dev->dfd, ".suit", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dev->sfd >= 0)
        dev->stfd = openat(dev->sfd, "staging", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if ((e = load_state(dev)) != IOTSEC_OK)
        goto fail;
    /* finish an interrupted commit before anything else */
    if (dev->sfd >= 0 && faccessat(dev->sfd, "journal", F_OK, 0) == 0) {
        if ((e = roll_forward(dev)) != IOTSEC_OK)
            goto fail;
        dev->recovered = true;
    }
    tidy(dev); /* staging files of an update that never reached its journal */
    if ((e = parse_device(dev)) != IOTSEC_OK)
        goto fail;
    return IOTSEC_OK;
fail:
    if (err != NULL && errlen != 0)
        snprintf(err, errlen, "%s", dev->err);
    suit_linux_close(dev);
    return e;
}

/* see suit_linux.h */
void suit_linux_platform(struct suit_linux *dev, struct iotsec_suit_platform *p)
{
    memset(p, 0, sizeof(*p));
    p->ctx = dev;
    p->vendor_id = (struct iotsec_cbuf){dev->vendor_id, 16};
    p->class_id = (struct iotsec_cbuf){dev->class_id, 16};
    if (dev->has_device_id)
        p->device_id = (struct iotsec_cbuf){dev->device_id, 16};
    p->has_component = lx_has_component;
    p->read = lx_read;
    p->size = lx_size;
    p->write_begin = lx_write_begin;
    p->write = lx_write;
    p->write_end = lx_write_end;
    p->swap = lx_swap;
    p->unlink = lx_unlink;
    p->commit = lx_commit;
    p->abort = lx_abort;
    p->component_slot = lx_component_slot;
    p->fetch = lx_fetch;
    p->invoke = lx_invoke;
    p->get_sequence = lx_get_sequence;
    p->set_sequence = lx_set_sequence;
    p->now = lx_now;
    if (dev->has_battery)
        p->battery = lx_battery;
    if (dev->has_authorized)
        p->update_authorized = lx_update_authorized;
    p->record = lx_record;
}

/* see suit_linux.h */
void suit_linux_close(struct suit_linux *dev)
{
    size_t i;

    if (dev->dfd >= 0)
        lx_abort(dev);
    for (i = 0; i < dev->n_comp; i++)
        free(dev->comp[i].path);
    if (dev->sfd >= 0)
        close(dev->sfd);
    if (dev->dfd >= 0)
        close(dev->dfd); /* releases the lock */
    free(dev->records);
    free(dev->dir);
    dev->records = NULL;
    dev->dir = NULL;
    dev->n_comp = 0;
    dev->sfd = dev->dfd = -1;
    if (curl_started) {
        curl_global_cleanup();
        curl_started = false;
    }
    if (coap_started) {
        coap_cleanup();
        coap_started = false;
    }
}

/* see suit_linux.h */
const char *suit_linux_error(const struct suit_linux *dev)
{
    return dev->err;
}

/* see suit_linux.h */
void suit_linux_expect_manifest(struct suit_linux *dev, struct iotsec_cbuf manifest_id,
                                struct iotsec_cbuf digest)
{
    memset(&dev->expect, 0, sizeof(dev->expect));
    if (!manifest_key(manifest_id, dev->expect.key))
        return;
    if (digest.len <= SUIT_LINUX_MAX_DIGEST)
        hex_of(dev->expect.digest, digest.ptr, digest.len);
}

/* see suit_linux.h */
enum iotsec_err suit_linux_installed(const struct suit_linux *dev,
                                     struct iotsec_cbuf manifest_id, struct iotsec_cbuf digest,
                                     uint64_t *seq, bool *same)
{
    char key[2 * SUIT_LINUX_MAX_ID + 1], hex[2 * SUIT_LINUX_MAX_DIGEST + 1];
    size_t i;

    *same = false;
    if (!manifest_key(manifest_id, key))
        return IOTSEC_ERR_NOT_FOUND;
    for (i = 0; i < dev->n_installed; i++) {
        if (strcmp(dev->installed[i].key, key) != 0)
            continue;
        *seq = dev->installed[i].seq;
        if (digest.len != 0 && digest.len <= SUIT_LINUX_MAX_DIGEST) {
            hex_of(hex, digest.ptr, digest.len);
            *same = strcmp(hex, dev->installed[i].digest) == 0;
        }
        return IOTSEC_OK;
    }
    return IOTSEC_ERR_NOT_FOUND;
}
