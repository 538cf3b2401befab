/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one-pass token list of a document (iotsec_cbor_tokens()) and, when
 * built for speed, the fast path of strict validation.
 *
 * The fast scanner accepts only what it can prove valid in the default
 * mode: definite lengths, complete heads, UTF-8 text, map keys that are
 * untagged integers or definite-length strings in strictly ascending
 * order (so no two are equal). At anything else (an error, an indefinite
 * length, a key out of order, a tagged or container key, nesting deeper
 * than its stack) it gives up, and the general validator of validate.c
 * checks the input from the start, so that every error is found and
 * reported by that one loop.
 */
#include <string.h>

#include "cbor_int.h"

/* The order of keys the scanner accepts: by major type (0..3), then by
 * argument, then, for strings of one length, by content. This is the
 * order key_cmp() of validate.c gives such keys, and equal keys compare
 * equal under it. */

#if CBOR_SCAN
#define SCAN_DEPTH (IOTSEC_MAX_CBOR_DEPTH < 16 ? IOTSEC_MAX_CBOR_DEPTH : 16)
#define SCAN_GIVE_UP ((size_t)-1)

/* An open container: where the level it is an item of goes on, and, for
 * a map, its greatest key so far. */
struct scan_frame {
    const void *cont;              /* where that level goes on once the container is done */
    size_t left;                   /* that level's items (entries, in a map) left, counting it */
    struct iotsec_cbor_token *tok; /* the container's token */
    const uint8_t *kp;             /* the greatest key: its content (strings) */
    uint64_t karg;                 /* its argument */
    int kcls;                      /* its major type; -1 before the first key */
};

/* The scanner, twice: to validate only, and to list the tokens too. */
#define SCAN_FN scan_valid
#define SCAN_TOKENS 0
#include "scan_loop.h"
#define SCAN_FN scan_tokens
#define SCAN_TOKENS 1
#include "scan_loop.h"

bool cbor_scan_valid(const uint8_t *buf, size_t len)
{
    return scan_valid(buf, len, NULL) != SCAN_GIVE_UP;
}
#endif

/* see iotsec/cbor.h */
enum iotsec_err iotsec_cbor_tokens(const uint8_t *buf, size_t len, unsigned flags,
                                   struct iotsec_cbor_token *tok, size_t cap, size_t *n,
                                   size_t *err_off)
{
    /* one cursor per level, and the token of each open container */
    struct iotsec_cbor_dec st[IOTSEC_MAX_CBOR_DEPTH + 2];
    size_t open[IOTSEC_MAX_CBOR_DEPTH + 1];
    size_t sp = 0, count = 0;
    enum iotsec_err err;

    *n = 0;
#if CBOR_SCAN
    if (flags == 0 && tok != NULL && cap >= len) {
        size_t k = scan_tokens(buf, len, tok);
        if (k != SCAN_GIVE_UP) {
            *n = k;
            if (err_off != NULL)
                *err_off = 0;
            return IOTSEC_OK;
        }
        /* the scanner gave up: the general loop decides, without scanning
         * again as iotsec_cbor_dec_init() would */
        err = cbor_validate(&st[0], buf, len, flags, err_off);
    } else
#endif
    {
        err = iotsec_cbor_dec_init(&st[0], buf, len, flags, err_off);
    }
    if (err != IOTSEC_OK)
        return err;
    if (len > UINT32_MAX)
        return IOTSEC_ERR_LIMIT; /* (a size must fit in 32 bits) */
    /* valid: read it through the pull decoder */
    for (;;) {
        struct iotsec_cbor_item it;

        if (iotsec_cbor_get_item(&st[sp], &it, &st[sp + 1]) != IOTSEC_OK) {
            if (sp == 0)
                break;
            (void)iotsec_cbor_leave(&st[sp - 1], &st[sp]); /* (read to its end) */
            sp--;
            if (open[sp] < cap)
                tok[open[sp]].size = (uint32_t)(count - open[sp]);
            continue;
        }
        if (count < cap) {
            const uint8_t *at = buf + it.offset;
            uint64_t arg;
            tok[count].val = it.val;
            tok[count].at = at;
            tok[count].size = 1;
            tok[count].type = (uint8_t)it.type;
            tok[count].head = (uint8_t)(iotsec_cbor_head(at, &arg) - at);
        }
        if (it.container)
            open[sp++] = count;
        count++;
    }
    *n = count;
    return count <= cap ? IOTSEC_OK : IOTSEC_ERR_BUFFER_TOO_SMALL;
}
