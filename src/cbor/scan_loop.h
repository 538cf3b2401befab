/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The loop of the fast scanner (see scan.c), included there once per
 * function: SCAN_FN is its name, SCAN_TOKENS whether it lists tokens.
 *
 * SCAN_FN(buf, len, tok) scans @p buf: when the input is valid and the
 * scanner handles it, the number of tokens (0 without SCAN_TOKENS), else
 * SCAN_GIVE_UP. With
 * SCAN_TOKENS, @p tok has room for @p len tokens (each takes at least one
 * byte of input) and receives them. A threaded loop: each initial byte
 * jumps to the code for its kind of item, and each level goes on where its
 * kind of container does (cont): after an item of an array, after a value
 * of a map, or at the end of the input.
 */
static size_t SCAN_FN(const uint8_t *buf, size_t len, struct iotsec_cbor_token *tok)
{
    /* every initial byte, where a value may stand */
    static const void *const vtab[256] = {
        [0x00 ... 0x17] = &&v_int_small, [0x18 ... 0x1b] = &&v_int,
        [0x20 ... 0x37] = &&v_int_small, [0x38 ... 0x3b] = &&v_int,
        [0x40 ... 0x57] = &&v_str_small, [0x58 ... 0x5b] = &&v_str,
        [0x60 ... 0x77] = &&v_str_small, [0x78 ... 0x7b] = &&v_str,
        [0x80 ... 0x97] = &&v_container_small, [0x98 ... 0x9b] = &&v_container,
        [0xa0 ... 0xb7] = &&v_container_small, [0xb8 ... 0xbb] = &&v_container,
        [0xc0 ... 0xd7] = &&v_tag, [0xd8 ... 0xdb] = &&v_tag,
        [0xe0 ... 0xf7] = &&v_simple_small, [0xf8] = &&v_simple,
        [0xf9 ... 0xfb] = &&v_float,
        /* additional information 28..31 (reserved, indefinite, break) */
        [0x1c ... 0x1f] = &&give_up, [0x3c ... 0x3f] = &&give_up, [0x5c ... 0x5f] = &&give_up,
        [0x7c ... 0x7f] = &&give_up, [0x9c ... 0x9f] = &&give_up, [0xbc ... 0xbf] = &&give_up,
        [0xdc ... 0xdf] = &&give_up, [0xfc ... 0xff] = &&give_up,
    };
    struct scan_frame st[SCAN_DEPTH + 1]; /* (one to spare: never empty) */
    struct scan_frame *f = st;
    const uint8_t *p = buf, *end = buf + len, *q;
    const void *cont = &&top_done;
    size_t left = 1;
    uint64_t arg;
    unsigned ib;

#if SCAN_TOKENS
    struct iotsec_cbor_token *t = tok; /* the next token */
/* A token for the item whose head [p, q) has type @p ty_ and argument @p v_. */
#define SCAN_EMIT(ty_, v_)                                                                        \
    do {                                                                                          \
        t->val = (v_);                                                                            \
        t->at = p;                                                                                \
        t->size = 1;                                                                              \
        t->type = (uint8_t)(ty_);                                                                 \
        t->head = (uint8_t)(q - p);                                                               \
        t++;                                                                                      \
    } while (0)
#else
#define SCAN_EMIT(ty_, v_) (void)0
    (void)tok;
#endif
/* The argument of the head at p whose additional information is 24..27
 * into arg, q past it; give up when the head is not complete. */
#define SCAN_ARG()                                                                                \
    do {                                                                                          \
        unsigned ai_ = ib & 31u;                                                                  \
        if ((size_t)(end - p) <= ((size_t)1 << (ai_ - 24)))                                       \
            goto give_up;                                                                         \
        q = cbor_head_arg(p + 1, ai_, &arg);                                                      \
    } while (0)

    if (len == 0 || len > UINT32_MAX)
        return SCAN_GIVE_UP; /* (a size must fit in 32 bits) */

value: /* an item where a value may stand */
    if (p == end)
        goto give_up;
    ib = *p;
    goto *vtab[ib];

key: /* a map key: an untagged integer or definite-length string greater
      * than the key before it, or give up */
    if (p == end)
        goto give_up;
    ib = *p;
    if (ib >= 0x80 || (ib & 31u) > 27)
        goto give_up;
    if ((ib & 31u) < 24) {
        arg = ib & 31u;
        q = p + 1;
    } else {
        SCAN_ARG();
    }
    /* (in a map: f - 1 is its frame) */
    if ((int)(ib >> 5) != f[-1].kcls) {
        if ((int)(ib >> 5) < f[-1].kcls)
            goto give_up;
    } else if (arg <= f[-1].karg) {
        if (arg < f[-1].karg || ib < 0x40)
            goto give_up;
        /* strings of one length: by content (and complete first) */
        if (arg > (uint64_t)(end - q) || memcmp(f[-1].kp, q, (size_t)arg) >= 0)
            goto give_up;
    }
    f[-1].kcls = (int)(ib >> 5);
    f[-1].karg = arg;
    f[-1].kp = q;
    SCAN_EMIT(ib >> 5, arg);
    if (ib >= 0x40) {
        if (arg > (uint64_t)(end - q) || (ib >= 0x60 && !cbor_text_ok(q, (size_t)arg)))
            goto give_up;
        q += (size_t)arg;
    }
    p = q;
    goto value;

v_int_small:
    q = p + 1;
    SCAN_EMIT(ib >> 5, ib & 31u);
    p = q;
    goto *cont;
v_int:
    SCAN_ARG();
    SCAN_EMIT(ib >> 5, arg);
    p = q;
    goto *cont;
v_str_small:
    q = p + 1;
    arg = ib & 31u;
    goto str;
v_str:
    SCAN_ARG();
str:
    if (arg > (uint64_t)(end - q) || (ib >= 0x60 && !cbor_text_ok(q, (size_t)arg)))
        goto give_up;
    SCAN_EMIT(ib >> 5, arg);
    p = q + (size_t)arg;
    goto *cont;
v_simple_small:
    q = p + 1;
    SCAN_EMIT(IOTSEC_CBOR_SIMPLE, ib & 31u);
    p = q;
    goto *cont;
v_simple:
    SCAN_ARG();
    if (arg < 32)
        goto give_up; /* a reserved simple value */
    SCAN_EMIT(IOTSEC_CBOR_SIMPLE, arg);
    p = q;
    goto *cont;
v_float:
    SCAN_ARG();
    SCAN_EMIT(IOTSEC_CBOR_FLOAT, arg);
    p = q;
    goto *cont;
v_tag: /* the tagged item takes the same place */
    if ((ib & 31u) < 24) {
        arg = ib & 31u;
        q = p + 1;
    } else {
        SCAN_ARG();
    }
    SCAN_EMIT(IOTSEC_CBOR_TAG, arg);
    p = q;
    goto value;
v_container_small:
    arg = ib & 31u;
    q = p + 1;
    goto container;
v_container:
    SCAN_ARG();
container:
    SCAN_EMIT(ib >> 5, arg);
    p = q;
    if (arg == 0)
        goto *cont;
    if (f == st + SCAN_DEPTH || arg > (uint64_t)(end - p))
        goto give_up; /* (an item takes a byte at least) */
    f->cont = cont;
    f->left = left;
#if SCAN_TOKENS
    f->tok = t - 1;
#endif
    f++;
    left = (size_t)arg;
    if (ib < 0xa0) {
        cont = &&array_next;
        goto value;
    }
    cont = &&map_next;
    f[-1].kcls = -1;
    goto key;

array_next: /* an item of an array is done */
    if (--left != 0)
        goto value;
    goto pop;
map_next: /* a value of a map is done */
    if (--left != 0)
        goto key;
pop: /* the container at f[-1] is done: an item of the level above */
    f--;
#if SCAN_TOKENS
    f->tok->size = (uint32_t)(t - f->tok);
#endif
    cont = f->cont;
    left = f->left;
    goto *cont;

top_done:
#if SCAN_TOKENS
    return p == end ? (size_t)(t - tok) : SCAN_GIVE_UP;
#else
    return p == end ? 0 : SCAN_GIVE_UP;
#endif
give_up:
    return SCAN_GIVE_UP;
#undef SCAN_EMIT
#undef SCAN_ARG
}
#undef SCAN_FN
#undef SCAN_TOKENS
