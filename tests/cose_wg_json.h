/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Access to the cose-wg/Examples JSON vectors for test_cose_wg.
 *
 * A vector is turned into CBOR by the CLI's JSON parser and then read only
 * through the iotsec pull decoder, so the runner exercises our own decoder
 * on ~300 real documents. JSON objects keep their key order in the CBOR.
 *
 * Also here: the vectors' JOSE-style names (algorithms, header parameters),
 * JWK keys turned into struct iotsec_key, and header maps re-encoded as
 * COSE header buckets for byte-exact reproduction.
 */
#ifndef IOTSEC_TEST_COSE_WG_JSON_H
#define IOTSEC_TEST_COSE_WG_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "iotsec/cbor.h"
#include "iotsec/key.h"

/* ---- documents and JSON navigation ---- */

/* One vector: the CBOR form of the JSON, and a cursor on its top object. */
struct wg_doc {
    struct cli_buf cbor;
    struct iotsec_cbor_dec top; /* entered top-level object */
};

/* Read and convert @p path. On failure *why says what went wrong. */
bool wg_doc_load(const char *path, struct wg_doc *doc, const char **why);
void wg_doc_free(struct wg_doc *doc);

/*
 * An "object" below is an entered map cursor (as from iotsec_cbor_enter_map)
 * that has not been advanced: lookups never consume it, so one object can be
 * queried any number of times.
 */
bool wg_find(const struct iotsec_cbor_dec *obj, const char *key, struct iotsec_cbor_dec *val);
bool wg_has(const struct iotsec_cbor_dec *obj, const char *key);
/* Enter the value @p val (a one-item cursor) as an object or an array. */
bool wg_as_obj(const struct iotsec_cbor_dec *val, struct iotsec_cbor_dec *obj);
bool wg_as_arr(const struct iotsec_cbor_dec *val, struct iotsec_cbor_dec *items, size_t *n);
/* obj[key] as an object, an array, a text string, an integer; obj[key] == true. */
bool wg_obj(const struct iotsec_cbor_dec *obj, const char *key, struct iotsec_cbor_dec *child);
bool wg_arr(const struct iotsec_cbor_dec *obj, const char *key, struct iotsec_cbor_dec *items,
            size_t *n);
bool wg_str(const struct iotsec_cbor_dec *obj, const char *key, struct iotsec_cbuf *s);
bool wg_int(const struct iotsec_cbor_dec *obj, const char *key, int64_t *v);
bool wg_true(const struct iotsec_cbor_dec *obj, const char *key);
/* Iterate: the next entry of an object (key must be text) or item of an array. */
bool wg_next_entry(struct iotsec_cbor_dec *it, struct iotsec_cbuf *key, struct iotsec_cbor_dec *val);
bool wg_next_item(struct iotsec_cbor_dec *it, struct iotsec_cbor_dec *val);
/* @p s equals the NUL-terminated @p lit. */
bool wg_eq(struct iotsec_cbuf s, const char *lit);

/* ---- byte arena ---- */

/*
 * Bytes that must live as long as one vector is processed: decoded hex and
 * base64url, encoded header maps. Symmetric keys borrow from it, so it is a
 * fixed block that never moves; wg_arena_reset() empties it per vector.
 */
struct wg_arena {
    uint8_t *p;
    size_t len, cap;
};
const uint8_t *wg_put(struct wg_arena *a, const void *p, size_t n);
void wg_arena_reset(struct wg_arena *a);
/* Decode hex / unpadded base64url text into the arena. */
bool wg_hex(struct wg_arena *a, struct iotsec_cbuf text, struct iotsec_cbuf *out);
bool wg_b64url(struct wg_arena *a, struct iotsec_cbuf text, struct iotsec_cbuf *out);
/*
 * The bytes a vector gives for @p name in @p obj: obj[name] as UTF-8 text
 * (how "kid", "salt", "apu_id", ... are sent as bstr), or obj[name "_hex"]
 * decoded. Returns false when neither is present or the hex is invalid.
 */
bool wg_bytes(struct wg_arena *a, const struct iotsec_cbor_dec *obj, const char *name,
              struct iotsec_cbuf *out);

/* ---- names ---- */

/* COSE algorithm id of a vector's algorithm name ("ES256", "ECDH-SS-A128KW",
 * "AES-CCM-16-128/64", ...). Integers are not names: see wg_alg_value(). */
bool wg_alg_by_name(struct iotsec_cbuf name, int64_t *id);
/* An "alg" value: a known text name or an integer. */
bool wg_alg_value(const struct iotsec_cbor_dec *val, int64_t *id);
/* A printable name for @p id (the vectors' spelling where there is one). */
const char *wg_alg_name(int64_t id);

/* ---- keys ---- */

enum wg_key_rc {
    WG_KEY_OK = 0,
    WG_KEY_UNSUPPORTED, /* a key type iotsec has no handle for (RSA, HSS-LMS) */
    WG_KEY_BAD          /* the JWK could not be read or imported */
};

struct wg_key {
    struct iotsec_key key;
    struct iotsec_cbuf kid; /* the JWK's "kid" as UTF-8 bytes, or kid_hex; {NULL,0} if none */
    bool loaded;            /* key is usable (and must be freed) */
    bool has_private;       /* the private part was imported */
};

/*
 * Build a key from a JWK object: kty "EC" / "OKP" with crv, x, y, d (base64url)
 * or x_hex, y_hex, d_hex; kty "oct" with k or k_hex. @p with_private false
 * leaves d out (a verifier's view of the key). On WG_KEY_UNSUPPORTED or
 * WG_KEY_BAD *why holds a sentence; with WG_KEY_BAD from the library, *err
 * (may be NULL) its error.
 */
enum wg_key_rc wg_key_from_jwk(struct wg_arena *a, const struct iotsec_cbor_dec *jwk,
                               bool with_private, struct wg_key *k, const char **why,
                               enum iotsec_err *err);
/*
 * Build a key pair from the private scalar @p d alone (an ephemeral key
 * replayed from rng_stream). EC2 keys need x and y, which only a scalar
 * multiplication gives, so the scalar is wrapped in a SEC1 ECPrivateKey
 * without its optional publicKey and imported through iotsec_key_from_pem:
 * the backend computes the public point.
 */
enum wg_key_rc wg_key_from_d(int32_t kty, int32_t crv, struct iotsec_cbuf d, struct wg_key *k,
                             const char **why, enum iotsec_err *err);
void wg_key_free(struct wg_key *k);
/* Length of a private scalar (and EC coordinate) on @p crv; 0 if unknown. */
size_t wg_crv_len(int32_t crv);

/* ---- header buckets ---- */

#define WG_MAX_HDR 24

/* One header parameter: an integer label (tlabel.ptr NULL) or a text label,
 * and its value as one encoded CBOR item. */
struct wg_hdr_item {
    int64_t label;
    struct iotsec_cbuf tlabel;
    struct iotsec_cbuf value;
};

struct wg_hdr_list {
    struct wg_hdr_item item[WG_MAX_HDR];
    size_t n;
};

/*
 * Convert a JSON header object ("protected" or "unprotected") into COSE
 * parameters in the object's order: alg->1 (id), crit->2 (labels),
 * ctyp->3, kid->4 (bstr of the text), IV_hex->5, partialIV_hex->6,
 * epk->-1 and spk->-2 (COSE_Key, public part), spk_kid->-3, salt->-20,
 * apu_id/apu_nonce/apu_other->-21/-22/-23, apv_*->-24/-25/-26,
 * x5bag->32, x5chain->33, x5t->34, any *_hex variant as decoded bytes, and
 * unknown names as text labels with their JSON value. Returns false with
 * *why when a name or value cannot be mapped (e.g. a compressed point).
 */
bool wg_hdr_from_json(struct wg_arena *a, const struct iotsec_cbor_dec *obj,
                      struct wg_hdr_list *l, const char **why);
/* The COSE label of a vector's header parameter name; false if unknown. */
bool wg_param_label(struct iotsec_cbuf name, int64_t *label);
/* Append one parameter. */
bool wg_hdr_add(struct wg_hdr_list *l, int64_t label, struct iotsec_cbuf value);
/* Index of integer label @p label in @p l, or -1. */
int wg_hdr_index(const struct wg_hdr_list *l, int64_t label);
/*
 * Reorder @p l to the key order of the encoded map @p map (an entered map
 * cursor). Fails with *why (a static buffer) when the two do not hold the
 * same labels.
 */
bool wg_hdr_reorder(struct wg_hdr_list *l, const struct iotsec_cbor_dec *map, const char **why);
/* Encode @p l as a CBOR map into the arena. An empty list gives {NULL, 0}. */
bool wg_hdr_encode(struct wg_arena *a, const struct wg_hdr_list *l, struct iotsec_cbuf *out);
/* Encode @p key (public part) as a COSE_Key into the arena. */
bool wg_cose_key(struct wg_arena *a, const struct iotsec_key *key, struct iotsec_cbuf *out);

#endif
