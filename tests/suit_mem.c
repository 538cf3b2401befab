/* SPDX-License-Identifier: Apache-2.0 */
#include "suit_mem.h"

#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"

static struct mem_comp *find(struct mem_dev *d, struct iotsec_cbuf id)
{
    size_t i;

    for (i = 0; i < d->n; i++)
        if (d->c[i].id_len == id.len && memcmp(d->c[i].id, id.ptr, id.len) == 0)
            return &d->c[i];
    return NULL;
}

static bool has_component(void *ctx, struct iotsec_cbuf id)
{
    return find(ctx, id) != NULL;
}

static enum iotsec_err mem_size(void *ctx, struct iotsec_cbuf id, uint64_t *size)
{
    struct mem_comp *c = find(ctx, id);

    if (c == NULL)
        return IOTSEC_ERR_NOT_FOUND;
    *size = c->has_staged ? c->staged_len : c->len;
    return IOTSEC_OK;
}

static enum iotsec_err mem_read(void *ctx, struct iotsec_cbuf id, uint64_t off, uint8_t *buf,
                                size_t len, size_t *got)
{
    struct mem_comp *c = find(ctx, id);
    const uint8_t *src;
    size_t have;

    if (c == NULL)
        return IOTSEC_ERR_NOT_FOUND;
    src = c->has_staged ? c->staged : c->data;
    have = c->has_staged ? c->staged_len : c->len;
    if (off > have)
        return IOTSEC_ERR_IO;
    *got = have - (size_t)off < len ? have - (size_t)off : len;
    memcpy(buf, src + off, *got);
    return IOTSEC_OK;
}

static enum iotsec_err mem_write_begin(void *ctx, struct iotsec_cbuf id)
{
    struct mem_comp *c = find(ctx, id);

    if (c == NULL)
        return IOTSEC_ERR_NOT_FOUND;
    c->has_staged = 1;
    c->staged_len = 0;
    return IOTSEC_OK;
}

static enum iotsec_err mem_write(void *ctx, struct iotsec_cbuf id, const uint8_t *p, size_t n)
{
    struct mem_dev *d = ctx;
    struct mem_comp *c = find(d, id);

    if (c == NULL || !c->has_staged)
        return IOTSEC_ERR_BAD_STATE;
    if (n > MEM_CAP - c->staged_len)
        return IOTSEC_ERR_LIMIT;
    memcpy(c->staged + c->staged_len, p, n);
    c->staged_len += n;
    d->writes++;
    return IOTSEC_OK;
}

static enum iotsec_err mem_write_end(void *ctx, struct iotsec_cbuf id)
{
    return find(ctx, id) != NULL ? IOTSEC_OK : IOTSEC_ERR_NOT_FOUND;
}

static enum iotsec_err mem_swap(void *ctx, struct iotsec_cbuf a, struct iotsec_cbuf b)
{
    struct mem_comp *ca = find(ctx, a), *cb = find(ctx, b);
    static uint8_t tmp[MEM_CAP];
    size_t la, lb;

    if (ca == NULL || cb == NULL)
        return IOTSEC_ERR_NOT_FOUND;
    la = ca->has_staged ? ca->staged_len : ca->len;
    lb = cb->has_staged ? cb->staged_len : cb->len;
    memcpy(tmp, ca->has_staged ? ca->staged : ca->data, la);
    memmove(ca->staged, cb->has_staged ? cb->staged : cb->data, lb);
    memcpy(cb->staged, tmp, la);
    ca->staged_len = lb;
    cb->staged_len = la;
    ca->has_staged = cb->has_staged = 1;
    return IOTSEC_OK;
}

static enum iotsec_err mem_commit(void *ctx)
{
    struct mem_dev *d = ctx;
    size_t i;

    for (i = 0; i < d->n; i++) {
        if (d->c[i].has_staged) {
            memcpy(d->c[i].data, d->c[i].staged, d->c[i].staged_len);
            d->c[i].len = d->c[i].staged_len;
            d->c[i].has_staged = 0;
            d->c[i].use_digest = 0; /* new content: hash it from now on */
        }
    }
    if (d->has_staged_seq)
        d->seq = d->staged_seq;
    d->has_staged_seq = 0;
    d->commits++;
    return IOTSEC_OK;
}

static void mem_abort(void *ctx)
{
    struct mem_dev *d = ctx;
    size_t i;

    for (i = 0; i < d->n; i++)
        d->c[i].has_staged = 0;
    d->has_staged_seq = 0;
    d->aborts++;
}

static enum iotsec_err mem_digest(void *ctx, struct iotsec_cbuf id, int32_t alg, uint8_t *out,
                                  size_t *out_len)
{
    struct mem_comp *c = find(ctx, id);

    if (c == NULL)
        return IOTSEC_ERR_NOT_FOUND;
    if (c->use_digest && alg == IOTSEC_ALG_SHA256) {
        /* a stored digest, as a bootloader keeps one for an image it holds */
        memcpy(out, c->digest, 32);
        *out_len = 32;
        return IOTSEC_OK;
    }
    return iotsec_crypto_hash(alg, c->has_staged ? c->staged : c->data,
                              c->has_staged ? c->staged_len : c->len, out, IOTSEC_MAX_HASH,
                              out_len);
}

static enum iotsec_err mem_fetch(void *ctx, struct iotsec_cbuf id, struct iotsec_cbuf uri)
{
    struct mem_dev *d = ctx;
    size_t i;
    enum iotsec_err err;

    d->fetches++;
    snprintf(d->last_fetch, sizeof(d->last_fetch), "%.*s", (int)uri.len, (const char *)uri.ptr);
    for (i = 0; i < d->n_uris; i++) {
        if (strlen(d->uris[i].uri) == uri.len && memcmp(d->uris[i].uri, uri.ptr, uri.len) == 0) {
            if ((err = mem_write_begin(ctx, id)) != IOTSEC_OK)
                return err;
            if ((err = mem_write(ctx, id, d->uris[i].data, d->uris[i].len)) != IOTSEC_OK)
                return err;
            return mem_write_end(ctx, id);
        }
    }
    return IOTSEC_ERR_IO;
}

static enum iotsec_err mem_invoke(void *ctx, struct iotsec_cbuf id, struct iotsec_cbuf args)
{
    struct mem_dev *d = ctx;

    d->invokes++;
    d->last_invoked_len = id.len < sizeof(d->last_invoked) ? id.len : sizeof(d->last_invoked);
    memcpy(d->last_invoked, id.ptr, d->last_invoked_len);
    d->last_args_len = args.len < sizeof(d->last_args) ? args.len : sizeof(d->last_args);
    if (args.len != 0)
        memcpy(d->last_args, args.ptr, d->last_args_len);
    return IOTSEC_OK;
}

static enum iotsec_err mem_get_seq(void *ctx, struct iotsec_cbuf mid, uint64_t *seq)
{
    (void)mid;
    *seq = ((struct mem_dev *)ctx)->seq;
    return IOTSEC_OK;
}

static enum iotsec_err mem_set_seq(void *ctx, struct iotsec_cbuf mid, uint64_t seq)
{
    struct mem_dev *d = ctx;

    (void)mid;
    d->staged_seq = seq;
    d->has_staged_seq = 1;
    return IOTSEC_OK;
}

static enum iotsec_err mem_slot(void *ctx, struct iotsec_cbuf id, uint64_t *slot)
{
    struct mem_comp *c = find(ctx, id);

    if (c == NULL)
        return IOTSEC_ERR_NOT_FOUND;
    *slot = c->slot;
    return IOTSEC_OK;
}

static void mem_record(void *ctx, const struct iotsec_suit_record *r)
{
    struct mem_dev *d = ctx;

    d->records++;
    d->dry_records += r->dry_run;
    if (r->dependency >= 0) {
        d->dep_records++;
        d->last_dependency = r->dependency;
    }
}

static enum iotsec_err mem_unlink(void *ctx, struct iotsec_cbuf id)
{
    struct mem_comp *c = find(ctx, id);

    if (c == NULL)
        return IOTSEC_ERR_NOT_FOUND;
    c->has_staged = 1; /* staged removal: empty once committed */
    c->staged_len = 0;
    ((struct mem_dev *)ctx)->unlinks++;
    return IOTSEC_OK;
}

static enum iotsec_err mem_battery(void *ctx, uint64_t *percent)
{
    *percent = ((struct mem_dev *)ctx)->battery;
    return IOTSEC_OK;
}

static enum iotsec_err mem_now(void *ctx, uint64_t *seconds)
{
    *seconds = ((struct mem_dev *)ctx)->now;
    return IOTSEC_OK;
}

static enum iotsec_err mem_authorized(void *ctx, int64_t priority)
{
    return priority >= ((struct mem_dev *)ctx)->min_priority ? IOTSEC_OK
                                                             : IOTSEC_ERR_VERIFY_FAILED;
}

static enum iotsec_err mem_wait(void *ctx, struct iotsec_cbuf info)
{
    (void)info;
    ((struct mem_dev *)ctx)->waits++;
    return IOTSEC_OK;
}

static enum iotsec_err mem_version(void *ctx, struct iotsec_cbuf id, int64_t *parts, size_t max,
                                   size_t *n)
{
    struct mem_dev *d = ctx;
    size_t i;

    if (find(ctx, id) == NULL || d->n_version == 0)
        return IOTSEC_ERR_NOT_FOUND;
    for (i = 0; i < d->n_version && i < max; i++)
        parts[i] = d->version[i];
    *n = i;
    return IOTSEC_OK;
}

static enum iotsec_err mem_custom(void *ctx, int64_t command, struct iotsec_cbuf arg, bool dry)
{
    struct mem_dev *d = ctx;

    (void)arg;
    if (command != -1)
        return IOTSEC_ERR_UNSUPPORTED; /* only -1 is registered */
    d->customs++;
    d->custom_dry += dry;
    return IOTSEC_OK;
}

const uint8_t mem_example_vendor[16] = {0xfa, 0x6b, 0x4a, 0x53, 0xd5, 0xad, 0x5f, 0xdf,
                                         0xbe, 0x9d, 0xe6, 0x63, 0xe4, 0xd4, 0x1f, 0xfe};
const uint8_t mem_example_class[16] = {0x14, 0x92, 0xaf, 0x14, 0x25, 0x69, 0x5e, 0x48,
                                        0xbf, 0x42, 0x9b, 0x2d, 0x51, 0xf2, 0xab, 0x45};
const uint8_t mem_sample_digest[32] = {
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};

void mem_example_device(struct iotsec_suit_platform *p, struct mem_dev *dev)
{
    memset(dev, 0, sizeof(*dev));
    mem_platform(p, dev);
    p->vendor_id = (struct iotsec_cbuf){mem_example_vendor, 16};
    p->class_id = (struct iotsec_cbuf){mem_example_class, 16};
}

void mem_platform(struct iotsec_suit_platform *p, struct mem_dev *dev)
{
    memset(p, 0, sizeof(*p));
    p->ctx = dev;
    p->has_component = has_component;
    p->read = mem_read;
    p->size = mem_size;
    p->write_begin = mem_write_begin;
    p->write = mem_write;
    p->write_end = mem_write_end;
    p->swap = mem_swap;
    p->commit = mem_commit;
    p->abort = mem_abort;
    p->digest = mem_digest;
    p->component_slot = mem_slot;
    p->fetch = mem_fetch;
    p->invoke = mem_invoke;
    p->get_sequence = mem_get_seq;
    p->set_sequence = mem_set_seq;
    p->record = mem_record;
    p->unlink = mem_unlink;
    p->battery = mem_battery;
    p->now = mem_now;
    p->update_authorized = mem_authorized;
    p->wait = mem_wait;
    p->version = mem_version;
    p->custom = mem_custom;
}

struct mem_comp *mem_add(struct mem_dev *dev, const uint8_t *id, size_t id_len,
                         const uint8_t *data, size_t len)
{
    struct mem_comp *c = &dev->c[dev->n++];

    memset(c, 0, sizeof(*c));
    memcpy(c->id, id, id_len);
    c->id_len = id_len;
    if (len != 0)
        memcpy(c->data, data, len);
    c->len = len;
    return c;
}
