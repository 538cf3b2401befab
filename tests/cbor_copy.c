/* SPDX-License-Identifier: Apache-2.0 */
#include "cbor_copy.h"

#include <string.h>

enum iotsec_err cbor_copy(const struct iotsec_cbor_dec *d, struct iotsec_cbor_enc *e,
                          int keep_float_width)
{
    struct iotsec_cbor_dec st[IOTSEC_MAX_CBOR_DEPTH + 2];
    int indef[IOTSEC_MAX_CBOR_DEPTH + 2];
    unsigned sp = 0;
    enum iotsec_err err;

    st[0] = *d;
    indef[0] = 0;
    for (;;) {
        struct iotsec_cbor_item it;
        struct iotsec_cbor_dec *c = &st[sp];

        if (iotsec_cbor_at_end(c)) {
            if (sp == 0)
                return IOTSEC_OK;
            if (indef[sp])
                iotsec_cbor_enc_break(e);
            if ((err = iotsec_cbor_leave(&st[sp - 1], c)) != IOTSEC_OK)
                return err;
            sp--;
            continue;
        }
        if ((err = iotsec_cbor_peek(c, &it)) != IOTSEC_OK)
            return err;
        switch (it.type) {
        case IOTSEC_CBOR_UINT:
            iotsec_cbor_enc_uint(e, it.val);
            break;
        case IOTSEC_CBOR_NINT:
            iotsec_cbor_enc_nint(e, it.val);
            break;
        case IOTSEC_CBOR_TAG: {
            uint64_t t;
            if ((err = iotsec_cbor_get_tag(c, &t)) != IOTSEC_OK)
                return err;
            iotsec_cbor_enc_tag(e, t);
            continue;
        }
        case IOTSEC_CBOR_SIMPLE:
            iotsec_cbor_enc_simple(e, (uint8_t)it.val);
            break;
        case IOTSEC_CBOR_FLOAT:
            if (keep_float_width) {
                iotsec_cbor_enc_float_bits(e, it.val, it.float_size);
            } else {
                double v;
                if ((err = iotsec_cbor_get_double(c, &v)) != IOTSEC_OK)
                    return err;
                iotsec_cbor_enc_double(e, v);
                continue;
            }
            break;
        case IOTSEC_CBOR_BSTR:
        case IOTSEC_CBOR_TSTR:
            if (it.val != IOTSEC_CBOR_INDEFINITE) {
                if (it.type == IOTSEC_CBOR_BSTR)
                    iotsec_cbor_enc_bstr(e, it.str.ptr, it.str.len);
                else
                    iotsec_cbor_enc_tstr(e, (const char *)it.str.ptr, it.str.len);
                break;
            }
            /* fall through */
        case IOTSEC_CBOR_ARRAY:
        case IOTSEC_CBOR_MAP:
            if (sp + 1 >= IOTSEC_MAX_CBOR_DEPTH + 2)
                return IOTSEC_ERR_TOO_DEEP;
            indef[sp + 1] = it.val == IOTSEC_CBOR_INDEFINITE;
            if (indef[sp + 1])
                iotsec_cbor_enc_indef(e, it.type);
            else if (it.type == IOTSEC_CBOR_ARRAY)
                iotsec_cbor_enc_array(e, (size_t)it.val);
            else
                iotsec_cbor_enc_map(e, (size_t)it.val);
            if (it.type == IOTSEC_CBOR_ARRAY)
                err = iotsec_cbor_enter_array(c, &st[sp + 1], NULL);
            else if (it.type == IOTSEC_CBOR_MAP)
                err = iotsec_cbor_enter_map(c, &st[sp + 1], NULL);
            else
                err = iotsec_cbor_enter_string(c, &st[sp + 1]);
            if (err != IOTSEC_OK)
                return err;
            sp++;
            continue;
        default:
            return IOTSEC_ERR_CBOR_TYPE;
        }
        if ((err = iotsec_cbor_skip(c)) != IOTSEC_OK)
            return err;
    }
}
