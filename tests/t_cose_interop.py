#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""COSE interoperability: iotsec against an independent peer, both ways.

The peer is written here from RFC 9052, RFC 9053 and RFC 9338 on top of
python3-cryptography and python3-cbor2 (Debian packages, installed for
/usr/bin/python3 only); it shares no code with iotsec. The iotsec side is
tests/cose_tool.c, a small program over the public iotsec API, run in batch
mode (one process for many operations).

For every case one side creates and the other verifies or decrypts, with
random payloads and external AAD, and the outcome is checked: the payload
bytes are equal, the right key and signer are reported, and messages the
peer tampered with are rejected by iotsec (and, as a check of the peer
itself, messages tampered with after iotsec made them are rejected by the
peer). Covered:
  COSE_Sign1   ES256, ES384, ES512 (P-521), ESP256 (-9), EdDSA (Ed25519);
               with and without kid, attached and detached payload
  COSE_Sign    two signers, ES256 + EdDSA
  COSE_Mac0    HMAC 256/256, 256/64, 384/384, 512/512
  COSE_Encrypt0  A128GCM, A256GCM, ChaCha20/Poly1305, AES-CCM-16-64-128,
               AES-CCM-64-128-256
  COSE_Encrypt A128KW, A192KW; ECDH-ES+A128KW on P-256, P-521 and X25519;
               ECDH-ES+A256KW on P-384; ECDH-ES+HKDF-256 (direct) on P-256
               and X25519; with and without HKDF salt (-20) and PartyU nonce
               (-22); two recipients (A128KW + ECDH-ES+A128KW) each way. For
               the iotsec-made ECDH messages the peer also re-derives with
               deliberately wrong COSE_KDF_Context variants, which must all
               fail, so the context iotsec used is exactly RFC 9053 5.2:
               [AlgorithmID, [nil, nil, nil], [nil, nil, nil],
                [keyDataLength in bits, recipient protected bstr]]
               (PartyU nonce in place of the middle nil when sent).
  COSE_Mac     A256KW recipient, HMAC 256/256
  RFC 9338     CounterSignatureV2 (header 11) on COSE_Sign1: iotsec adds /
               peer verifies, peer adds / iotsec verifies (one, and an array
               of two); peer adds CounterSignature0V2 (header 12) / iotsec
               verifies with a key bound to its alg; iotsec adds to a Sign1
               whose unprotected map has an indefinite length
Some payloads are 70000 bytes, some AADs several hundred, so that iotsec's
stack buffers are too small and the caller's scratch memory is used. Every
iotsec-made message must be exactly one CBOR item.
A second, optional peer, ruby-cose (Debian ruby-cose, RFC 8152, verify-only),
also checks the iotsec-made Sign1 (ES256/384/512), Sign and Mac0 messages;
that part is skipped with a note when ruby-cose is not installed.
Before that, the peer checks itself against a few cose-wg examples from
$IOTSEC_SHARED/vectors/cose-wg-examples (skipped with a note if absent), so
that a disagreement can be blamed on the right side.

Environment: IOTSEC_BUILD (build dir; cose_tool is taken from
$IOTSEC_BUILD/tests/cose_tool, or compiled into a temporary directory from
tests/cose_tool.c and $IOTSEC_BUILD/libiotsec.a when that is missing),
IOTSEC_SHARED, IOTSEC_PEER_SEED (payload/AAD randomness), IOTSEC_KEEP_TMP=1
keeps the work directory; -v lists the checks that pass too. Prints one
line per failure and ends with "N passed, N failed"; exits 1 on any failure.
"""
import base64
import hmac as std_hmac
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

import cbor2
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, x25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature, encode_dss_signature)
from cryptography.hazmat.primitives.ciphers.aead import (
    AESCCM, AESGCM, ChaCha20Poly1305)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.keywrap import (
    InvalidUnwrap, aes_key_unwrap, aes_key_wrap)

from checks import Checks

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("IOTSEC_BUILD", os.path.join(HERE, "..", "build"))
SHARED = os.environ.get("IOTSEC_SHARED", os.path.join(HERE, "..", "..", "shared"))
SEED = int(os.environ.get("IOTSEC_PEER_SEED", "9052"))
rng = random.Random(SEED)

# iotsec error codes (include/iotsec/common.h)
ERR_VERIFY_FAILED = 96
ERR_DECRYPT_FAILED = 97

CHECKS = Checks()
check = CHECKS.check


class PeerReject(Exception):
    """The peer refused a message (bad signature, tag, structure...)."""


# ---------------------------------------------------------------------------
# The peer: COSE from RFC 9052/9053/9338
# ---------------------------------------------------------------------------
def enc(x):
    return cbor2.dumps(x)


CURVES = {1: (ec.SECP256R1, 32), 2: (ec.SECP384R1, 48), 3: (ec.SECP521R1, 66)}
CRV_X25519, CRV_ED25519 = 4, 6

# signature alg -> (curve id, hash, coordinate size); EdDSA: curve 6, no hash
SIG_ALGS = {
    -7: (1, hashes.SHA256, 32),   # ES256
    -9: (1, hashes.SHA256, 32),   # ESP256 (RFC 9864)
    -35: (2, hashes.SHA384, 48),  # ES384
    -36: (3, hashes.SHA512, 66),  # ES512
    -8: (CRV_ED25519, None, 32),  # EdDSA
}
# MAC alg -> (hash, tag length)
MAC_ALGS = {4: (hashes.SHA256, 8), 5: (hashes.SHA256, 32),
            6: (hashes.SHA384, 48), 7: (hashes.SHA512, 64)}
MAC_KEY_LEN = {4: 32, 5: 32, 6: 48, 7: 64}
# AEAD alg -> (kind, key length, nonce length, tag length)
AEAD_ALGS = {1: ("gcm", 16, 12, 16), 3: ("gcm", 32, 12, 16),
             24: ("chacha", 32, 12, 16),
             10: ("ccm", 16, 13, 8),    # AES-CCM-16-64-128: L=16 -> 13-byte nonce
             33: ("ccm", 32, 7, 16)}    # AES-CCM-64-128-256: L=64 -> 7-byte nonce
KW_ALGS = {-3: 16, -4: 24, -5: 32}
# ECDH-ES recipient alg -> key wrap alg (None: direct, the HKDF output is the CEK)
ECDH_ES_ALGS = {-25: None, -29: -3, -30: -4, -31: -5}


def content_key_len(alg):
    if alg in AEAD_ALGS:
        return AEAD_ALGS[alg][1]
    return MAC_KEY_LEN[alg]


class Key:
    """A peer key: EC2 (P-256/384/521), OKP (Ed25519, X25519) or symmetric."""

    def __init__(self, crv=None, priv=None, pub=None, k=None, kid=None):
        self.crv, self.priv, self.pub, self.k, self.kid = crv, priv, pub, k, kid

    @staticmethod
    def generate(crv, kid=None):
        if crv in CURVES:
            priv = ec.generate_private_key(CURVES[crv][0]())
        elif crv == CRV_ED25519:
            priv = ed25519.Ed25519PrivateKey.generate()
        elif crv == CRV_X25519:
            priv = x25519.X25519PrivateKey.generate()
        else:
            raise ValueError(crv)
        return Key(crv, priv, priv.public_key(), kid=kid)

    @staticmethod
    def symmetric(n, kid=None):
        return Key(k=os.urandom(n), kid=kid)

    def public(self):
        return Key(self.crv, None, self.pub, self.k, self.kid)

    def cose(self, private=True, with_kid=True):
        """COSE_Key map (RFC 9052 section 7, RFC 9053 section 7)."""
        m = {}
        if self.k is not None:
            m[1] = 4
        elif self.crv in CURVES:
            m[1] = 2
        else:
            m[1] = 1
        if with_kid and self.kid is not None:
            m[2] = self.kid
        if self.k is not None:
            m[-1] = self.k
            return m
        m[-1] = self.crv
        raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
        if self.crv in CURVES:
            n = CURVES[self.crv][1]
            nums = self.pub.public_numbers()
            m[-2] = nums.x.to_bytes(n, "big")
            m[-3] = nums.y.to_bytes(n, "big")
            if private and self.priv is not None:
                m[-4] = self.priv.private_numbers().private_value.to_bytes(n, "big")
        else:
            m[-2] = self.pub.public_bytes(*raw)
            if private and self.priv is not None:
                m[-4] = self.priv.private_bytes(serialization.Encoding.Raw,
                                                serialization.PrivateFormat.Raw,
                                                serialization.NoEncryption())
        return m

    @staticmethod
    def from_cose(m):
        """Import a COSE_Key map (public or private)."""
        kty = m.get(1)
        if kty == 4:
            return Key(k=m[-1], kid=m.get(2))
        crv = m.get(-1)
        if kty == 2 and crv in CURVES:
            curve, n = CURVES[crv]
            x, y = m.get(-2), m.get(-3)
            if not isinstance(x, bytes) or not isinstance(y, bytes) or len(x) != n or len(y) != n:
                raise PeerReject("EC2 key: x and y must be %d-byte bstrs" % n)
            pub = ec.EllipticCurvePublicNumbers(int.from_bytes(x, "big"),
                                                int.from_bytes(y, "big"),
                                                curve()).public_key()
            priv = None
            if -4 in m:
                priv = ec.derive_private_key(int.from_bytes(m[-4], "big"), curve())
            return Key(crv, priv, pub, kid=m.get(2))
        if kty == 1 and crv in (CRV_X25519, CRV_ED25519):
            mod = x25519.X25519PrivateKey if crv == CRV_X25519 else ed25519.Ed25519PrivateKey
            pmod = x25519.X25519PublicKey if crv == CRV_X25519 else ed25519.Ed25519PublicKey
            priv = mod.from_private_bytes(m[-4]) if -4 in m else None
            pub = pmod.from_public_bytes(m[-2]) if -2 in m else priv.public_key()
            return Key(crv, priv, pub, kid=m.get(2))
        raise PeerReject("unsupported COSE_Key %r" % (m,))


def sig_sign(alg, key, tbs):
    crv, h, n = SIG_ALGS[alg]
    if crv != key.crv:
        raise ValueError("key does not fit alg %d" % alg)
    if h is None:
        return key.priv.sign(tbs)
    r, s = decode_dss_signature(key.priv.sign(tbs, ec.ECDSA(h())))
    return r.to_bytes(n, "big") + s.to_bytes(n, "big")   # RFC 9053 2.1: r || s


def sig_verify(alg, key, tbs, sig):
    if alg not in SIG_ALGS:
        raise PeerReject("unsupported signature alg %r" % (alg,))
    crv, h, n = SIG_ALGS[alg]
    if crv != key.crv:
        raise PeerReject("key does not fit alg %d" % alg)
    try:
        if h is None:
            key.pub.verify(sig, tbs)
        else:
            if len(sig) != 2 * n:
                raise PeerReject("ECDSA signature of %d bytes, want %d" % (len(sig), 2 * n))
            der = encode_dss_signature(int.from_bytes(sig[:n], "big"),
                                       int.from_bytes(sig[n:], "big"))
            key.pub.verify(der, tbs, ec.ECDSA(h()))
    except InvalidSignature:
        raise PeerReject("bad signature")


def mac_tag(alg, k, data):
    h, tl = MAC_ALGS[alg]
    m = hmac.HMAC(k, h())
    m.update(data)
    return m.finalize()[:tl]


def aead(alg, k):
    kind, kl, _, tl = AEAD_ALGS[alg]
    if len(k) != kl:
        raise PeerReject("content key of %d bytes for alg %d" % (len(k), alg))
    if kind == "gcm":
        return AESGCM(k)
    if kind == "ccm":
        return AESCCM(k, tag_length=tl)
    return ChaCha20Poly1305(k)


def ecdh(priv_key, pub_key):
    if priv_key.crv in CURVES:
        return priv_key.priv.exchange(ec.ECDH(), pub_key.pub)  # x coordinate, fixed size
    return priv_key.priv.exchange(pub_key.pub)


def kdf_context(alg_id, key_len, rprot, variant=None, u=None, v=None):
    """COSE_KDF_Context (RFC 9053 section 5.2) with nothing known to both
    sides out of band: PartyUInfo/PartyVInfo [identity, nonce, other] from
    the headers -21..-26, else nil; SuppPubInfo [keyDataLength in bits, the
    recipient's protected bucket as a bstr (h'' when empty)].
    `variant` builds plausible wrong contexts for the exactness check."""
    u = list(u or [None, None, None])
    v = list(v or [None, None, None])
    pub = [key_len * 8, rprot]
    if variant == "length-in-bytes":
        pub = [key_len, rprot]
    elif variant == "party-empty-bstr":
        u = [b"" if x is None else x for x in u]
        v = [b"" if x is None else x for x in v]
    elif variant == "party-omitted":
        u, v = [], []
    elif variant == "no-protected":
        pub = [key_len * 8]
    elif variant == "protected-as-map":
        pub = [key_len * 8, cbor2.loads(rprot) if rprot else {}]
    elif variant == "empty-protected-as-a0":
        pub = [key_len * 8, rprot or b"\xa0"]
    elif variant is not None and variant.startswith("alg-id="):
        alg_id = int(variant[7:])
    return enc([alg_id, u, v, pub])


def hkdf256(secret, info, n, salt=None):
    return HKDF(algorithm=hashes.SHA256(), length=n, salt=salt, info=info).derive(secret)


def tbs_prot(p):
    """A protected bucket as it enters a to-be-processed structure."""
    return b"" if p in (b"", b"\xa0") else p


def trailing(msg):
    """Bytes left after the first CBOR item of msg (cbor2.loads ignores them);
    None when msg does not decode at all."""
    d = cbor2.CBORDecoder(io.BytesIO(msg))
    try:
        d.decode()
    except Exception:  # noqa: BLE001 - any decode failure
        return None
    return msg[d.fp.tell():]


def parse(msg, tag, n_items):
    """Decode a tagged COSE message; return (array, protected map, unprotected map)."""
    try:
        t = cbor2.loads(msg)
    except Exception as e:  # noqa: BLE001 - any decode failure is a rejection
        raise PeerReject("CBOR: %s" % e)
    if trailing(msg) != b"":
        raise PeerReject("bytes follow the message")
    if not isinstance(t, cbor2.CBORTag) or t.tag != tag:
        raise PeerReject("want tag %d" % tag)
    a = t.value
    if not isinstance(a, list) or len(a) != n_items:
        raise PeerReject("want an array of %d" % n_items)
    ph, uh = layer_headers(a)
    return a, ph, uh


def layer_headers(a):
    p, u = a[0], a[1]
    if not isinstance(p, bytes) or not isinstance(u, dict):
        raise PeerReject("header buckets")
    ph = cbor2.loads(p) if p else {}
    if not isinstance(ph, dict):
        raise PeerReject("protected bucket is not a map")
    if set(ph) & set(u):
        raise PeerReject("label in both buckets")
    return ph, u


def hdr(ph, uh, label):
    return ph[label] if label in ph else uh.get(label)


def headers(alg, kid=None, extra=None):
    u = {}
    if kid is not None:
        u[4] = kid
    if extra:
        u.update(extra)
    return enc({1: alg}), u


# ---- Sign1 / Sign -----------------------------------------------------------
def p_sign1(alg, key, payload, aad, kid=None, detach=False, indef_unprot=False):
    """COSE_Sign1; indef_unprot sends the unprotected map with an indefinite
    length (RFC 9052 section 9 restricts only the to-be-signed structures to
    definite lengths, so a message may do this)."""
    p, u = headers(alg, kid)
    sig = sig_sign(alg, key, enc(["Signature1", p, aad, payload]))
    if indef_unprot:
        um = b"\xbf" + b"".join(enc(k) + enc(v) for k, v in u.items()) + b"\xff"
        return b"\xd2\x84" + enc(p) + um + enc(None if detach else payload) + enc(sig)
    return enc(cbor2.CBORTag(18, [p, u, None if detach else payload, sig]))


def v_sign1(msg, key, aad, detached=None):
    a, ph, uh = parse(msg, 18, 4)
    payload = a[2] if a[2] is not None else detached
    if payload is None:
        raise PeerReject("detached payload not supplied")
    sig_verify(hdr(ph, uh, 1), key, enc(["Signature1", tbs_prot(a[0]), aad, payload]), a[3])
    return payload


def p_sign(signers, payload, aad, body_prot=b""):
    sigs = []
    for alg, key, kid in signers:
        sp, su = headers(alg, kid)
        sigs.append([sp, su, sig_sign(alg, key, enc(["Signature", body_prot, sp, aad, payload]))])
    return enc(cbor2.CBORTag(98, [body_prot, {}, payload, sigs]))


def v_sign(msg, keys, aad):
    """Verify every signature i with keys[i]; return the payload."""
    a, ph, uh = parse(msg, 98, 4)
    sigs = a[3]
    if not isinstance(sigs, list) or len(sigs) != len(keys):
        raise PeerReject("want %d signatures" % len(keys))
    for s, key in zip(sigs, keys):
        sph, suh = layer_headers(s)
        tbs = enc(["Signature", tbs_prot(a[0]), tbs_prot(s[0]), aad, a[2]])
        sig_verify(hdr(sph, suh, 1), key, tbs, s[2])
    return a[2]


# ---- Countersignature V2 (RFC 9338) on COSE_Sign1 -----------------------------
def countersign_tbs(body_prot, cs_prot, aad, payload, sig):
    return enc(["CounterSignatureV2", tbs_prot(body_prot), tbs_prot(cs_prot), aad, payload, [sig]])


def p_countersign(msg, alg, key, aad, kid=None):
    a, ph, uh = parse(msg, 18, 4)
    cp, cu = headers(alg, kid)
    cs = sig_sign(alg, key, countersign_tbs(a[0], cp, aad, a[2], a[3]))
    uh = dict(uh)
    uh[11] = [cp, cu, cs]
    return enc(cbor2.CBORTag(18, [a[0], uh, a[2], a[3]]))


def p_countersign_many(msg, signers, aad):
    """Several full countersignatures, sent as an array of them (RFC 9338 3.1)."""
    a, ph, uh = parse(msg, 18, 4)
    cs = []
    for alg, key, kid in signers:
        cp, cu = headers(alg, kid)
        cs.append([cp, cu, sig_sign(alg, key, countersign_tbs(a[0], cp, aad, a[2], a[3]))])
    uh = dict(uh)
    uh[11] = cs
    return enc(cbor2.CBORTag(18, [a[0], uh, a[2], a[3]]))


def p_countersign0(msg, alg, key, aad):
    """Abbreviated countersignature V2 (header 12): the signature alone, over
    ["CounterSignature0V2", body_protected, external_aad, payload, [signature]]."""
    a, ph, uh = parse(msg, 18, 4)
    tbs = enc(["CounterSignature0V2", tbs_prot(a[0]), aad, a[2], [a[3]]])
    uh = dict(uh)
    uh[12] = sig_sign(alg, key, tbs)
    return enc(cbor2.CBORTag(18, [a[0], uh, a[2], a[3]]))


def v_countersign(msg, key, aad):
    a, ph, uh = parse(msg, 18, 4)
    if 11 not in uh:
        raise PeerReject("no countersignature (label 11)")
    cs = uh[11]
    many = cs if cs and isinstance(cs[0], list) else [cs]
    for c in many:
        if not isinstance(c, list) or len(c) != 3:
            raise PeerReject("COSE_Countersignature is not [prot, unprot, sig]")
        cph, cuh = layer_headers(c)
        sig_verify(hdr(cph, cuh, 1), key, countersign_tbs(a[0], c[0], aad, a[2], a[3]), c[2])
    return a


# ---- Mac0 / Mac ----------------------------------------------------------------
def p_mac0(alg, key, payload, aad, kid=None):
    p, u = headers(alg, kid)
    return enc(cbor2.CBORTag(17, [p, u, payload, mac_tag(alg, key.k, enc(["MAC0", p, aad, payload]))]))


def v_mac0(msg, key, aad):
    a, ph, uh = parse(msg, 17, 4)
    alg = hdr(ph, uh, 1)
    if alg not in MAC_ALGS:
        raise PeerReject("unsupported MAC alg %r" % alg)
    if not hmac_eq(mac_tag(alg, key.k, enc(["MAC0", tbs_prot(a[0]), aad, a[2]])), a[3]):
        raise PeerReject("bad MAC tag")
    return a[2]


def hmac_eq(x, y):
    return isinstance(y, bytes) and std_hmac.compare_digest(x, y)


def p_mac(alg, payload, aad, kek, kw_alg, kid=None):
    mk = os.urandom(MAC_KEY_LEN[alg])
    p = enc({1: alg})
    tag = mac_tag(alg, mk, enc(["MAC", p, aad, payload]))
    # AES key wrap recipient: protected bucket empty (RFC 9053 6.2.1)
    rec = [b"", {1: kw_alg, **({4: kid} if kid is not None else {})}, aes_key_wrap(kek.k, mk)]
    return enc(cbor2.CBORTag(97, [p, {}, payload, tag, [rec]]))


def v_mac(msg, key, aad):
    a, ph, uh = parse(msg, 97, 5)
    alg = hdr(ph, uh, 1)
    if alg not in MAC_ALGS:
        raise PeerReject("unsupported MAC alg %r" % alg)
    mk = recipient_key(a[4], key, alg)
    if not hmac_eq(mac_tag(alg, mk, enc(["MAC", tbs_prot(a[0]), aad, a[2]])), a[3]):
        raise PeerReject("bad MAC tag")
    return a[2]


# ---- Encrypt0 / Encrypt ----------------------------------------------------------
def p_encrypt0(alg, key, pt, aad, kid=None):
    iv = os.urandom(AEAD_ALGS[alg][2])
    p, u = headers(alg, kid, {5: iv})
    return enc(cbor2.CBORTag(16, [p, u, aead(alg, key.k).encrypt(iv, pt, enc(["Encrypt0", p, aad]))]))


def content_decrypt(context, a, ph, uh, k, aad):
    alg = hdr(ph, uh, 1)
    if alg not in AEAD_ALGS:
        raise PeerReject("unsupported content alg %r" % alg)
    iv = hdr(ph, uh, 5)
    if not isinstance(iv, bytes) or len(iv) != AEAD_ALGS[alg][2]:
        raise PeerReject("IV missing or of the wrong size")
    try:
        return aead(alg, k).decrypt(iv, a[2], enc([context, tbs_prot(a[0]), aad]))
    except InvalidTag:
        raise PeerReject("bad AEAD tag")


def d_encrypt0(msg, key, aad):
    a, ph, uh = parse(msg, 16, 3)
    return content_decrypt("Encrypt0", a, ph, uh, key.k, aad)


def eph_cose(eph):
    """An ephemeral key as sent in header -1: public parts only, no kid."""
    return eph.public().cose(private=False, with_kid=False)


def make_recipient(content_alg, rkey, ralg, kid=None, rprot_alg=True, salt=None, unonce=None, cek=None):
    """One COSE_recipient: A*KW (rkey = KEK), ECDH-ES+HKDF-256 direct or
    ECDH-ES+A*KW (rkey = the recipient's public key). Returns (recipient,
    CEK): key wrap modes wrap `cek`, direct mode derives it."""
    kl = content_key_len(content_alg)
    ru = {4: kid} if kid is not None else {}
    if salt is not None:
        ru[-20] = salt
    if unonce is not None:
        ru[-22] = unonce
    if ralg in KW_ALGS:
        # AES key wrap: protected bucket empty (RFC 9053 6.2.1)
        return [b"", {1: ralg, **ru}, aes_key_wrap(rkey.k, cek)], cek
    if ralg not in ECDH_ES_ALGS:
        raise ValueError(ralg)
    eph = Key.generate(rkey.crv)
    if rprot_alg:
        rp = enc({1: ralg})
    else:
        rp, ru = b"", {1: ralg, **ru}
    ru = {-1: eph_cose(eph), **ru}
    secret = ecdh(eph, rkey)
    u = [None, unonce, None]
    kw = ECDH_ES_ALGS[ralg]
    if kw is None:
        cek = hkdf256(secret, kdf_context(content_alg, kl, rp, u=u), kl, salt)
        return [rp, ru, b""], cek                       # direct: zero-length ciphertext
    kek = hkdf256(secret, kdf_context(kw, KW_ALGS[kw], rp, u=u), KW_ALGS[kw], salt)
    return [rp, ru, aes_key_wrap(kek, cek)], cek


def p_encrypt(alg, pt, aad, rkey, ralg, kid=None, rprot_alg=True, salt=None, unonce=None):
    """COSE_Encrypt with one recipient (see make_recipient)."""
    rec, cek = make_recipient(alg, rkey, ralg, kid, rprot_alg, salt, unonce,
                              os.urandom(content_key_len(alg)))
    return p_encrypt_with(alg, pt, aad, cek, [rec])


def p_encrypt_with(alg, pt, aad, cek, recipients):
    iv = os.urandom(AEAD_ALGS[alg][2])
    p, u = headers(alg, None, {5: iv})
    ct = aead(alg, cek).encrypt(iv, pt, enc(["Encrypt", p, aad]))
    return enc(cbor2.CBORTag(96, [p, u, ct, recipients]))


def recipient_key(recipients, key, content_alg, variant=None, info=None, index=None):
    """The content key from the single recipient, or recipients[index], with
    the peer's `key`: the KEK for A*KW, the recipient's private key for
    ECDH-ES."""
    if not isinstance(recipients, list) or not recipients:
        raise PeerReject("no recipients")
    if index is None and len(recipients) != 1:
        raise PeerReject("want one recipient, got %d" % len(recipients))
    if index is not None and index >= len(recipients):
        raise PeerReject("want at least %d recipients" % (index + 1))
    r = recipients[index or 0]
    if not isinstance(r, list) or len(r) != 3:
        raise PeerReject("COSE_recipient is not [prot, unprot, ciphertext]")
    rph, ruh = layer_headers(r)
    ralg = hdr(rph, ruh, 1)
    kl = content_key_len(content_alg)
    if info is not None:
        info["ralg"], info["rprot"], info["runprot"] = ralg, r[0], ruh
    try:
        if ralg in KW_ALGS:
            return unwrap(key.k, r[2], kl)
        if ralg in ECDH_ES_ALGS:
            epk = hdr(rph, ruh, -1)
            if not isinstance(epk, dict):
                raise PeerReject("ECDH-ES without an ephemeral key (-1)")
            if info is not None:
                info["epk"] = epk
            secret = ecdh(key, Key.from_cose(epk))
            salt = hdr(rph, ruh, -20)
            u = [hdr(rph, ruh, lab) for lab in (-21, -22, -23)]
            v = [hdr(rph, ruh, lab) for lab in (-24, -25, -26)]
            kw = ECDH_ES_ALGS[ralg]
            if kw is None:
                if r[2] != b"":
                    raise PeerReject("direct key agreement with a non-empty ciphertext")
                return hkdf256(secret, kdf_context(content_alg, kl, r[0], variant, u, v), kl, salt)
            kek = hkdf256(secret, kdf_context(kw, KW_ALGS[kw], r[0], variant, u, v), KW_ALGS[kw], salt)
            return unwrap(kek, r[2], kl)
    except ValueError as e:
        raise PeerReject("key: %s" % e)
    raise PeerReject("unsupported recipient alg %r" % (ralg,))


def unwrap(kek, wrapped, kl):
    if not isinstance(wrapped, bytes):
        raise PeerReject("wrapped key is not a bstr")
    try:
        cek = aes_key_unwrap(kek, wrapped)
    except InvalidUnwrap:
        raise PeerReject("AES key unwrap failed")
    if len(cek) != kl:
        raise PeerReject("unwrapped key of %d bytes, want %d" % (len(cek), kl))
    return cek


def d_encrypt(msg, key, aad, variant=None, info=None, index=None):
    a, ph, uh = parse(msg, 96, 4)
    cek = recipient_key(a[3], key, hdr(ph, uh, 1), variant, info, index)
    return content_decrypt("Encrypt", a, ph, uh, cek, aad)


# ---------------------------------------------------------------------------
# Second peer: ruby-cose (Debian ruby-cose 1.2.0, cedarcode/cose-ruby). It can
# only verify (Sign1 and Sign with ES256/384/512, Mac0 with HMAC), so it
# checks iotsec-made messages only, and it picks keys by kid. Its
# COSE::Key::EC2#to_pkey fails on OpenSSL 3 ("pkeys are immutable"), so EC
# keys are handed to it as SubjectPublicKeyInfo DER (OpenSSL::PKey::EC,
# which its ECDSA accepts) with the kid attached; Mac0 keys are COSE_Keys.
# ---------------------------------------------------------------------------
RUBY_SCRIPT = r"""
require "cose"
require "openssl"
File.readlines(ARGV[0]).each do |line|
  id, kind, msgf, keyf, aadf, kidhex = line.split
  begin
    kid = kidhex == "-" ? nil : [kidhex].pack("H*")
    if kind == "mac0"
      key = COSE::Key.deserialize(File.binread(keyf))
    else
      key = OpenSSL::PKey.read(File.binread(keyf))
      key.define_singleton_method(:kid) { kid }
    end
    aad = File.binread(aadf)
    cls = { "sign1" => COSE::Sign1, "sign" => COSE::Sign, "mac0" => COSE::Mac0 }.fetch(kind)
    m = cls.deserialize(File.binread(msgf))
    m.verify(key, aad) or raise "verify returned false"
    puts "#{id} ok #{m.payload.unpack1('H*')}"
  rescue StandardError => e
    puts "#{id} fail #{e.class}: #{e.message.gsub(/\s+/, ' ')}"
  end
end
"""


def spki(key):
    return key.pub.public_bytes(serialization.Encoding.DER,
                                serialization.PublicFormat.SubjectPublicKeyInfo)


def ruby_peer(jobs, tmp):
    """jobs: (name, kind, msg, key bytes, kid, aad, payload or None to expect
    a rejection); key bytes are SPKI DER for sign1/sign, a COSE_Key for
    mac0. Skipped, with a note, when ruby-cose is not installed."""
    ruby = shutil.which("ruby")
    if ruby is None or subprocess.run([ruby, "-e", 'require "cose"'], capture_output=True).returncode != 0:
        print("note: ruby-cose not installed (Debian package ruby-cose); second-peer checks skipped")
        return
    if not jobs:
        return
    script = os.path.join(tmp, "ruby_peer.rb")
    with open(script, "w") as f:
        f.write(RUBY_SCRIPT)
    lines = []
    for i, (name, kind, msg, keyb, kid, aad, pl) in enumerate(jobs):
        paths = []
        for stem, data in (("msg", msg), ("key", keyb), ("aad", aad)):
            paths.append(os.path.join(tmp, "ruby-%d.%s" % (i, stem)))
            with open(paths[-1], "wb") as f:
                f.write(data)
        lines.append("r%d %s %s %s\n" % (i, kind, " ".join(paths), kid.hex() if kid else "-"))
    jf = os.path.join(tmp, "ruby_jobs.txt")
    with open(jf, "w") as f:
        f.writelines(lines)
    p = subprocess.run([ruby, script, jf], capture_output=True, text=True, timeout=120)
    out = {}
    for line in p.stdout.splitlines():
        parts = line.split(" ", 2)
        if len(parts) >= 2:
            out[parts[0]] = parts[1:]
    for i, (name, kind, msg, keyb, kid, aad, pl) in enumerate(jobs):
        r = out.get("r%d" % i)
        name = "iotsec->ruby-cose " + name
        if r is None:
            check(name, False, "no answer from ruby (exit %d): %s" % (p.returncode, p.stderr.strip()[-300:]))
        elif pl is None:
            check(name, r[0] == "fail", "ruby-cose accepted a tampered message")
        else:
            got = r[1] if len(r) > 1 else ""
            check(name, r[0] == "ok" and got == pl.hex(), "ruby-cose: %s" % " ".join(r)[:300])


# ---------------------------------------------------------------------------
# Peer self-check against cose-wg examples
# ---------------------------------------------------------------------------
def b64u(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def jwk_key(j):
    def part(n):
        if n + "_hex" in j:
            return bytes.fromhex(j[n + "_hex"])
        return b64u(j[n]) if n in j else None
    kid = j.get("kid", "").encode() or None
    if j["kty"] == "oct":
        return Key(k=part("k"), kid=kid)
    crv = {"P-256": 1, "P-384": 2, "P-521": 3, "X25519": 4, "Ed25519": 6}[j["crv"]]
    m = {1: 2 if j["kty"] == "EC" else 1, -1: crv, -2: part("x")}
    if j["kty"] == "EC":
        m[-3] = part("y")
    if part("d") is not None:
        m[-4] = part("d")
    return Key.from_cose(m)


def peer_selfcheck():
    base = os.path.join(SHARED, "vectors", "cose-wg-examples")
    if not os.path.isdir(base):
        print("note: %s absent; peer self-check against cose-wg examples skipped" % base)
        return
    cases = [
        ("ecdsa-examples/ecdsa-sig-01.json", "sign0"),    # Sign1 ES256
        ("ecdsa-examples/ecdsa-sig-03.json", "sign0"),    # Sign1 ES512
        ("eddsa-examples/eddsa-sig-01.json", "sign0"),    # Sign1 EdDSA Ed25519
        ("hmac-examples/HMac-enc-01.json", "mac0"),       # Mac0 HMAC 256/256
        ("hmac-examples/HMac-enc-05.json", "mac0"),       # Mac0 HMAC 256/64
        ("hmac-examples/HMac-enc-02.json", "mac0"),       # Mac0 HMAC 384/384
        ("hmac-examples/HMac-enc-03.json", "mac0"),       # Mac0 HMAC 512/512
        ("aes-gcm-examples/aes-gcm-enc-01.json", "encrypted"),  # A128GCM
        ("aes-gcm-examples/aes-gcm-enc-03.json", "encrypted"),  # A256GCM
        ("aes-ccm-examples/aes-ccm-enc-01.json", "encrypted"),  # AES-CCM-16-64-128
        ("aes-ccm-examples/aes-ccm-enc-08.json", "encrypted"),  # AES-CCM-64-128-256
        ("chacha-poly-examples/chacha-poly-enc-01.json", "encrypted"),
        ("aes-wrap-examples/aes-wrap-128-04.json", "enveloped"),  # A128KW
        ("aes-wrap-examples/aes-wrap-256-03.json", "mac"),        # A256KW + HS512
        ("ecdh-wrap-examples/p256-wrap-128-01.json", "enveloped"),  # ECDH-ES+A128KW
        ("ecdh-direct-examples/p256-hkdf-256-01.json", "enveloped"),  # ECDH-ES+HKDF-256
        ("X25519-tests/x25519-hkdf-256-direct.json", "enveloped"),
    ]
    for rel, kind in cases:
        name = "peer-selfcheck %s" % rel
        path = os.path.join(base, rel)
        if not os.path.exists(path):
            check(name, False, "vector missing")
            continue
        with open(path) as f:
            v = json.load(f)
        i = v["input"]
        pt = bytes.fromhex(i["plaintext_hex"]) if "plaintext_hex" in i else i["plaintext"].encode()
        layer = i[kind]
        aad = bytes.fromhex(layer.get("external", ""))
        msg = bytes.fromhex(v["output"]["cbor"])
        try:
            if kind == "sign0":
                got = v_sign1(msg, jwk_key(layer["key"]), aad)
            else:
                key = jwk_key(layer["recipients"][0]["key"])
                if kind == "mac0":
                    got = v_mac0(msg, key, aad)
                elif kind == "encrypted":
                    got = d_encrypt0(msg, key, aad)
                elif kind == "mac":
                    got = v_mac(msg, key, aad)
                else:
                    got = d_encrypt(msg, key, aad)
            check(name, got == pt, "content differs")
        except (PeerReject, KeyError, ValueError) as e:
            check(name, False, "peer rejects: %s" % e)
    # the context of p256-hkdf-256-01 as the vector gives it
    check("peer-selfcheck kdf_context",
          kdf_context(1, 16, bytes.fromhex("A1013818")) ==
          bytes.fromhex("840183F6F6F683F6F6F682188044A1013818"))


# ---------------------------------------------------------------------------
# The iotsec side: cose_tool in batch mode
# ---------------------------------------------------------------------------
def find_tool(tmp):
    tool = os.path.join(BUILD, "tests", "cose_tool")
    if os.access(tool, os.X_OK):
        return tool
    lib = os.path.join(BUILD, "libiotsec.a")
    src = os.path.join(HERE, "cose_tool.c")
    root = os.path.dirname(HERE)
    out = os.path.join(tmp, "cose_tool")
    cmd = ["cc", "-std=c11", "-I", os.path.join(root, "include"), "-I", os.path.join(root, "port"),
           src, lib, "-lcrypto", "-o", out]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        # a library built with IOTSEC_SANITIZE needs the sanitizer runtimes
        p = subprocess.run(cmd + ["-fsanitize=address,undefined"], capture_output=True, text=True)
    if p.returncode != 0:
        print("FAIL cannot build cose_tool: %s" % (p.stderr.strip() or p.stdout.strip()))
        return None
    print("note: %s not built; compiled %s by hand" % (tool, src))
    return out


class Result:
    def __init__(self, status, code=None, fields=None, text=""):
        self.status, self.code, self.fields, self.text = status, code, fields or {}, text

    def __repr__(self):
        if self.status == "ok":
            return "ok %s" % self.fields
        return "%s %s %s" % (self.status, self.code if self.code is not None else "", self.text)


class Tool:
    def __init__(self, path, tmp):
        self.path, self.tmp = path, tmp
        self.jobs = {}
        self.batches = 0

    def add(self, *words, **opts):
        jid = "j%d" % (len(self.jobs) + 1)
        line = [str(w) for w in words]
        for k, v in opts.items():
            if v is None or v is False:
                continue
            line.append(k if v is True else "%s=%s" % (k, v))
        self.jobs[jid] = line
        return jid

    @staticmethod
    def parse_line(line):
        parts = line.split(" ", 3)
        if len(parts) < 2:
            return None, None
        jid, st = parts[0], parts[1]
        if st == "ok":
            f = dict(w.split("=", 1) for w in line.split()[2:] if "=" in w)
            return jid, Result("ok", fields=f)
        if st == "err" and len(parts) >= 3:
            return jid, Result("err", int(parts[2]), text=parts[3] if len(parts) > 3 else "")
        return jid, Result(st, text=" ".join(parts[2:]))

    def run(self):
        """Run every pending job; return {id: Result}."""
        self.batches += 1
        pending = self.jobs
        self.jobs = {}
        jf = os.path.join(self.tmp, "jobs%d.txt" % self.batches)
        with open(jf, "w") as f:
            for jid, words in pending.items():
                f.write("%s %s\n" % (jid, " ".join(words)))
        p = subprocess.run([self.path, "batch", jf], capture_output=True, text=True, timeout=300)
        # 0 even when operations fail; 2 for a malformed job; anything else
        # (a crash, or a sanitizer's leak report) is a failure of its own
        check("cose_tool batch %d exit status" % self.batches, p.returncode == 0,
              "exit %d; stderr: %s" % (p.returncode, p.stderr.strip()[-800:]))
        res = {}
        for line in p.stdout.splitlines():
            jid, r = self.parse_line(line)
            if jid in pending:
                res[jid] = r
        missing = [j for j in pending if j not in res]
        if missing:
            print("note: cose_tool batch %d exited %d after %d of %d jobs; running the rest one by one"
                  % (self.batches, p.returncode, len(res), len(pending)))
        for jid in missing:
            q = subprocess.run([self.path] + pending[jid], capture_output=True, text=True, timeout=60)
            _, r = self.parse_line(q.stdout.strip().splitlines()[-1]) if q.stdout.strip() else (None, None)
            if r is None or q.returncode < 0:
                r = Result("crash", q.returncode,
                           text="cose_tool %s died (status %d)" % (" ".join(pending[jid]), q.returncode))
            res[jid] = r
        return res


# ---------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------
def rand_bytes(lo, hi):
    return rng.randbytes(rng.randint(lo, hi))


PAYLOAD_LENS = [0, 1, 15, 16, 17, 64, 255, 256, 1000, 1500]


BIG = 70000   # a 4-byte bstr head, and more than any stack buffer of iotsec


def rand_payload(n=None):
    if n is None:
        n = rng.choice(PAYLOAD_LENS + [rng.randint(0, 2000)] * 4)
    return rng.randbytes(n)


def flip(b, idx):
    """Copy of bytes b with one bit flipped at idx (negative counts from the end)."""
    b = bytearray(b)
    b[idx] ^= 0x01
    return bytes(b)


def tweak(msg, path, idx=0):
    """Copy of a tagged message with one bit flipped at byte idx of the bstr
    at `path` (indices from the message array down); h'' becomes h'01'."""
    t = cbor2.loads(msg)
    node = t.value
    for i in path[:-1]:
        node = node[i]
    b = node[path[-1]]
    node[path[-1]] = flip(b, idx) if b else b"\x01"
    return enc(t)


def reencode(msg, f):
    """Decode a tagged message, let f edit its array, encode it again."""
    t = cbor2.loads(msg)
    f(t.value)
    return enc(t)


class Work:
    def __init__(self, tmp):
        self.tmp = tmp
        self.n = 0

    def path(self, stem):
        self.n += 1
        return os.path.join(self.tmp, "%04d-%s" % (self.n, stem))

    def file(self, stem, data):
        p = self.path(stem)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def key(self, key, private=True):
        return self.file("key.cbor", enc(key.cose(private=private)))

    @staticmethod
    def read(p):
        try:
            with open(p, "rb") as f:
                return f.read()
        except OSError:
            return None


def tool_ok(name, r):
    return check(name, r is not None and r.status == "ok", "iotsec: %r" % (r,))


def tool_rejects(name, r, lo=96, hi=127):
    return check(name, r is not None and r.status == "err" and lo <= r.code <= hi,
                 "iotsec should reject with a verification error (%d..%d), got %r" % (lo, hi, r))


def peer_ok(name, f):
    """Run the peer step f(); a PeerReject is a failure. Returns f's value or None."""
    try:
        return f()
    except PeerReject as e:
        check(name, False, "peer rejects iotsec's message: %s" % e)
    except Exception as e:  # noqa: BLE001 - report anything the peer trips over
        check(name, False, "peer error: %s: %s" % (type(e).__name__, e))
    return None


def peer_rejects(name, f):
    try:
        f()
        check(name, False, "peer accepted a tampered message (peer is not checking)")
    except PeerReject:
        check(name, True)
    except Exception as e:  # noqa: BLE001
        check(name, False, "peer error: %s: %s" % (type(e).__name__, e))


def hexs(b):
    return b.hex() if b is not None else None


def main():
    tmp = tempfile.mkdtemp(prefix="cose_interop.")
    try:
        tool_path = find_tool(tmp)
        if tool_path is None:
            check("cose_tool", False, "not available")
            return
        peer_selfcheck()
        run_cases(Tool(tool_path, tmp), Work(tmp))
    finally:
        if os.environ.get("IOTSEC_KEEP_TMP"):
            print("note: work directory kept: %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


SIGN1 = [(-7, "ES256", 1), (-35, "ES384", 2), (-36, "ES512", 3), (-9, "ESP256", 1),
         (-8, "EdDSA", CRV_ED25519)]
MAC0 = [(5, "HMAC256/256"), (4, "HMAC256/64"), (6, "HMAC384/384"), (7, "HMAC512/512")]
ENC0 = [(1, "A128GCM"), (3, "A256GCM"), (24, "ChaCha20/Poly1305"), (10, "AES-CCM-16-64-128"),
        (33, "AES-CCM-64-128-256")]
# (name, content alg, recipient alg, curve or None for A128KW, recipient alg
#  unprotected?, extra recipient headers: salt (-20), PartyU nonce (-22))
ENCRYPT = [
    ("A128KW", 1, -3, None, True, {}),
    ("ECDH-ES+A128KW P-256", 3, -29, 1, False, {}),
    ("ECDH-ES+A128KW P-256 alg unprotected", 10, -29, 1, True, {}),
    ("ECDH-ES+A128KW X25519", 24, -29, CRV_X25519, False, {}),
    ("ECDH-ES+A128KW X25519 PartyU nonce", 1, -29, CRV_X25519, False, {"unonce": 16}),
    ("ECDH-ES+HKDF-256 P-256", 1, -25, 1, False, {}),
    ("ECDH-ES+HKDF-256 P-256 salt+PartyU nonce", 3, -25, 1, False, {"salt": 32, "unonce": 8}),
    ("ECDH-ES+HKDF-256 X25519", 33, -25, CRV_X25519, False, {}),
    # beyond the brief, cheap: the other key wrap sizes and curves
    ("A192KW", 10, -4, None, True, {}),
    ("ECDH-ES+A256KW P-384", 3, -31, 2, False, {}),
    ("ECDH-ES+A128KW P-521", 1, -29, 3, False, {}),
]
KDF_VARIANTS = ["length-in-bytes", "party-empty-bstr", "party-omitted", "no-protected",
                "protected-as-map", "empty-protected-as-a0"]


def run_cases(tool, w):
    later = []          # checks to run once the batch has been run

    n_aad = [0]

    def aad():
        # mostly short; every fourth one long enough that the Enc_structure
        # and EdDSA Sig_structure no longer fit iotsec's stack buffers
        n_aad[0] += 1
        a = rand_bytes(300, 900) if n_aad[0] % 4 == 0 else rand_bytes(1, 40)
        return a, w.file("aad", a)

    # ---------------- COSE_Sign1 ----------------
    sign1_made = {}
    ruby_jobs = []
    for alg, an, crv in SIGN1:
        key = Key.generate(crv)
        decoy = Key.generate(crv)
        for with_kid in (True, False):
            for detach in (False, True):
                big = (alg == -8 and with_kid and not detach) or (alg == -7 and not with_kid and detach)
                tag = "sign1 %s %s %s%s" % (an, "kid" if with_kid else "no-kid",
                                            "detached" if detach else "attached", " %d-byte payload" % BIG if big else "")
                kid = ("kid-%s" % an).encode() if with_kid else None
                # iotsec -> peer
                pl, (ad, adf) = rand_payload(BIG if big else None), aad()
                out = w.path("sign1.cose")
                j = tool.add("sign1", alg, w.key(key), w.file("payload", pl), out,
                             kid=hexs(kid), aad=adf, detach=detach)

                def c_i2p(j=j, out=out, pl=pl, ad=ad, kid=kid, detach=detach, alg=alg, key=key, tag=tag):
                    name = "iotsec->peer " + tag
                    if not tool_ok(name + " create", RES[j]):
                        return
                    msg = w.read(out)
                    got = peer_ok(name, lambda: v_sign1(msg, key.public(), ad, pl if detach else None))
                    if got is None:
                        return
                    check(name, got == pl, "payload differs")
                    a, ph, uh = parse(msg, 18, 4)
                    check(name + " headers", a[0] == enc({1: alg}) and uh == ({4: kid} if kid else {}),
                          "protected %s unprotected %r" % (a[0].hex(), uh))
                    check(name + " payload slot", (a[2] is None) == detach,
                          "detach=%s but the payload slot holds %r" % (detach, type(a[2]).__name__))
                    peer_rejects(name + " [peer sanity: flipped signature]",
                                 lambda: v_sign1(tweak(msg, (3,), -1),
                                                 key.public(), ad, pl if detach else None))
                    if kid is not None and not detach:
                        sign1_made[alg] = (msg, key, ad, pl)
                    if alg in (-7, -35, -36) and not detach:   # what ruby-cose knows
                        der = spki(key)
                        ruby_jobs.append((tag, "sign1", msg, der, kid, ad, pl))
                        ruby_jobs.append((tag + " tamper: flipped signature", "sign1",
                                          tweak(msg, (3,), 2), der, kid, ad, None))
                later.append(c_i2p)

                # peer -> iotsec
                pl, (ad, adf) = rand_payload(BIG if big else None), aad()
                dkid = b"decoy" if with_kid else None
                decoy.kid, key.kid = dkid, kid
                msg = p_sign1(alg, key, pl, ad, kid, detach)
                keys = "%s,%s" % (w.key(decoy, False), w.key(key, False))
                det = w.file("detached", pl) if detach else None
                outp = w.path("payload.out")
                mf = w.file("sign1.cose", msg)
                j = tool.add("verify", mf, keys, aad=adf, detached=det, out=outp)
                tampers = []
                name = "peer->iotsec " + tag
                # tampering, judged by iotsec
                if not detach:
                    tampers.append(("flipped signature", tool.add(
                        "verify", w.file("t.cose", tweak(msg, (3,), 0)),
                        keys, aad=adf)))
                    tampers.append(("flipped payload byte", tool.add(
                        "verify", w.file("t.cose", tweak(msg, (2,), 0)),
                        keys, aad=adf)))
                else:
                    tampers.append(("other detached payload", tool.add(
                        "verify", mf, keys, aad=adf, detached=w.file("d", pl + b"\x00"))))
                tampers.append(("other external_aad", tool.add(
                    "verify", mf, keys, aad=w.file("aad", ad + b"\x00"), detached=det)))
                if with_kid:
                    # the kid names the decoy's entry: the right key must not be tried
                    k2 = "%s,%s" % (w.key(Key(decoy.crv, None, decoy.pub, kid=kid), False),
                                    w.key(Key(key.crv, None, key.pub, kid=b"other"), False))
                    tampers.append(("kid names the wrong key", tool.add(
                        "verify", mf, k2, aad=adf, detached=det)))

                def c_p2i(j=j, outp=outp, pl=pl, alg=alg, name=name, tampers=tampers):
                    r = RES[j]
                    if tool_ok(name, r):
                        check(name + " result", r.fields.get("key") == "1" and r.fields.get("alg") == str(alg),
                              "want key=1 alg=%d, got %r" % (alg, r.fields))
                        check(name + " payload", w.read(outp) == pl, "payload bytes differ")
                    for what, tj in tampers:
                        tool_rejects(name + " tamper: " + what, RES[tj])
                later.append(c_p2i)
                key.kid = decoy.kid = None

    # ---------------- COSE_Sign, two signers ----------------
    es, ed = Key.generate(1), Key.generate(CRV_ED25519)
    pl, (ad, adf) = rand_payload(), aad()
    out = w.path("sign.cose")
    j = tool.add("sign", w.file("payload", pl), out, aad=adf,
                 signer="-7,%s,%s" % (w.key(es), b"es".hex()))
    # two signer= options: Tool.add takes keywords once, so append by hand
    tool.jobs[j].append("signer=-8,%s,%s" % (w.key(ed), b"ed".hex()))

    def c_sign_i2p(j=j, out=out, pl=pl, ad=ad, es=es, ed=ed):
        name = "iotsec->peer sign ES256+EdDSA"
        if not tool_ok(name + " create", RES[j]):
            return
        msg = w.read(out)
        got = peer_ok(name, lambda: v_sign(msg, [es.public(), ed.public()], ad))
        if got is not None:
            check(name, got == pl, "payload differs")
            a, _, _ = parse(msg, 98, 4)
            check(name + " signer kids", [s[1].get(4) for s in a[3]] == [b"es", b"ed"],
                  repr([s[1] for s in a[3]]))
            peer_rejects(name + " [peer sanity: flipped 2nd signature]",
                         lambda: v_sign(tweak(msg, (3, 1, 2), 5),
                                        [es.public(), ed.public()], ad))
            ruby_jobs.append(("sign ES256 signer of ES256+EdDSA", "sign", msg, spki(es), b"es", ad, pl))
            ruby_jobs.append(("sign ES256 signer tamper: other external_aad", "sign", msg, spki(es), b"es",
                              ad + b"?", None))
    later.append(c_sign_i2p)

    pl, (ad, adf) = rand_payload(), aad()
    msg = p_sign([(-7, es, b"es"), (-8, ed, b"ed")], pl, ad)
    mf = w.file("sign.cose", msg)
    es.kid, ed.kid = b"es", b"ed"
    kes, ked = w.key(es, False), w.key(ed, False)
    es.kid = ed.kid = None
    outp = w.path("payload.out")
    j_es = tool.add("verify", mf, kes, aad=adf, out=outp)
    j_ed = tool.add("verify", mf, ked, aad=adf)
    bad0 = w.file("t.cose", tweak(msg, (3, 0, 2), 7))
    j_t_es = tool.add("verify", bad0, kes, aad=adf)
    j_t_both = tool.add("verify", bad0, "%s,%s" % (kes, ked), aad=adf)
    j_t_aad = tool.add("verify", mf, "%s,%s" % (kes, ked), aad=w.file("aad", ad + b"!"))

    def c_sign_p2i(pl=pl, outp=outp):
        name = "peer->iotsec sign ES256+EdDSA"
        r = RES[j_es]
        if tool_ok(name + " ES256 signer", r):
            check(name + " ES256 signer index", r.fields.get("signer") == "0", repr(r))
            check(name + " payload", w.read(outp) == pl)
        r = RES[j_ed]
        if tool_ok(name + " EdDSA signer", r):
            check(name + " EdDSA signer index", r.fields.get("signer") == "1", repr(r))
        tool_rejects(name + " tamper: flipped ES256 signature, ES256 key", RES[j_t_es])
        r = RES[j_t_both]
        if tool_ok(name + " flipped ES256 signature, both keys: EdDSA still verifies", r):
            check(name + " flipped ES256 signature: signer is 1", r.fields.get("signer") == "1", repr(r))
        tool_rejects(name + " tamper: other external_aad", RES[j_t_aad])
    later.append(c_sign_p2i)

    # ---------------- COSE_Mac0 ----------------
    for alg, an in MAC0:
        key = Key.symmetric(MAC_KEY_LEN[alg])
        pl, (ad, adf) = rand_payload(), aad()
        out = w.path("mac0.cose")
        kid = ("mac-%s" % an).encode()
        j = tool.add("mac0", alg, w.key(key), w.file("payload", pl), out, kid=kid.hex(), aad=adf)

        def c_i2p(j=j, out=out, pl=pl, ad=ad, key=key, an=an, alg=alg, kid=kid):
            name = "iotsec->peer mac0 " + an
            if not tool_ok(name + " create", RES[j]):
                return
            msg = w.read(out)
            got = peer_ok(name, lambda: v_mac0(msg, key, ad))
            if got is not None:
                check(name, got == pl, "payload differs")
                a, ph, uh = parse(msg, 17, 4)
                check(name + " tag length", len(a[3]) == MAC_ALGS[alg][1], "tag of %d bytes" % len(a[3]))
                check(name + " headers", a[0] == enc({1: alg}) and uh == {4: kid}, repr(uh))
                peer_rejects(name + " [peer sanity: flipped tag]",
                             lambda: v_mac0(tweak(msg, (3,), 0), key, ad))
                km = key.cose()
                km[2] = kid
                ruby_jobs.append(("mac0 " + an, "mac0", msg, enc(km), kid, ad, pl))
                ruby_jobs.append(("mac0 %s tamper: flipped tag" % an, "mac0",
                                  tweak(msg, (3,), 1), enc(km), kid, ad, None))
        later.append(c_i2p)

        pl, (ad, adf) = rand_payload(), aad()
        msg = p_mac0(alg, key, pl, ad)
        decoy = Key.symmetric(MAC_KEY_LEN[alg])
        keys = "%s,%s" % (w.key(decoy), w.key(key))
        outp = w.path("payload.out")
        j = tool.add("verify", w.file("mac0.cose", msg), keys, aad=adf, out=outp)
        jt = tool.add("verify", w.file("t.cose", tweak(msg, (3,), -1)),
                      keys, aad=adf)
        ja = tool.add("verify", w.file("t.cose", msg), keys, aad=w.file("aad", ad[:-1]))

        def c_p2i(j=j, jt=jt, ja=ja, outp=outp, pl=pl, an=an):
            name = "peer->iotsec mac0 " + an
            if tool_ok(name, RES[j]):
                check(name + " key index", RES[j].fields.get("key") == "1", repr(RES[j]))
                check(name + " payload", w.read(outp) == pl)
            tool_rejects(name + " tamper: flipped tag", RES[jt])
            tool_rejects(name + " tamper: other external_aad", RES[ja])
        later.append(c_p2i)

    # ---------------- COSE_Mac, A256KW recipient ----------------
    kek = Key.symmetric(32)
    pl, (ad, adf) = rand_payload(), aad()
    out = w.path("mac.cose")
    j = tool.add("mac", 5, w.file("payload", pl), out, aad=adf,
                 recipient="-5,%s,%s" % (w.key(kek), b"kek-256".hex()), runprot=True)

    def c_mac_i2p(j=j, out=out, pl=pl, ad=ad, kek=kek):
        name = "iotsec->peer mac HMAC256/256 A256KW"
        if not tool_ok(name + " create", RES[j]):
            return
        msg = w.read(out)
        got = peer_ok(name, lambda: v_mac(msg, kek, ad))
        if got is not None:
            check(name, got == pl, "payload differs")
            a, _, _ = parse(msg, 97, 5)
            r = a[4][0]
            check(name + " recipient headers", r[0] == b"" and r[1] == {1: -5, 4: b"kek-256"} and len(r[2]) == 40,
                  "recipient %r" % (r,))
            peer_rejects(name + " [peer sanity: flipped wrapped key]",
                         lambda: v_mac(tweak(msg, (4, 0, 2), 3), kek, ad))
    later.append(c_mac_i2p)

    pl, (ad, adf) = rand_payload(), aad()
    msg = p_mac(5, pl, ad, kek, -5, b"kek-256")
    kek.kid = b"kek-256"
    kf = w.key(kek)
    kek.kid = None
    outp = w.path("payload.out")
    j = tool.add("verify", w.file("mac.cose", msg), kf, aad=adf, out=outp)
    jt = tool.add("verify", w.file("t.cose", tweak(msg, (3,), 9)), kf, aad=adf)
    jw = tool.add("verify", w.file("t.cose", tweak(msg, (4, 0, 2), 0)),
                  kf, aad=adf)

    def c_mac_p2i(j=j, jt=jt, jw=jw, outp=outp, pl=pl):
        name = "peer->iotsec mac HMAC256/256 A256KW"
        if tool_ok(name, RES[j]):
            check(name + " payload", w.read(outp) == pl)
        tool_rejects(name + " tamper: flipped tag", RES[jt])
        tool_rejects(name + " tamper: flipped wrapped key", RES[jw])
    later.append(c_mac_p2i)

    # ---------------- COSE_Encrypt0 ----------------
    for alg, an in ENC0:
        key = Key.symmetric(AEAD_ALGS[alg][1])
        if alg in (3, 24):
            an += " %d-byte plaintext" % BIG
        pt, (ad, adf) = rand_payload(BIG if alg in (3, 24) else None), aad()
        out = w.path("enc0.cose")
        kid = ("cek-%d" % alg).encode()
        j = tool.add("encrypt0", alg, w.key(key), w.file("pt", pt), out, kid=kid.hex(), aad=adf)

        def c_i2p(j=j, out=out, pt=pt, ad=ad, key=key, an=an, alg=alg, kid=kid):
            name = "iotsec->peer encrypt0 " + an
            if not tool_ok(name + " create", RES[j]):
                return
            msg = w.read(out)
            got = peer_ok(name, lambda: d_encrypt0(msg, key, ad))
            if got is not None:
                check(name, got == pt, "plaintext differs")
                a, ph, uh = parse(msg, 16, 3)
                check(name + " headers", a[0] == enc({1: alg}) and set(uh) == {4, 5} and uh[4] == kid
                      and len(uh[5]) == AEAD_ALGS[alg][2], repr(uh))
                check(name + " ciphertext length", len(a[2]) == len(pt) + AEAD_ALGS[alg][3])
                peer_rejects(name + " [peer sanity: flipped ciphertext]",
                             lambda: d_encrypt0(tweak(msg, (2,), 0), key, ad))
        later.append(c_i2p)

        pt, (ad, adf) = rand_payload(BIG if alg in (3, 24) else None), aad()
        msg = p_encrypt0(alg, key, pt, ad)
        keys = "%s,%s" % (w.key(Key.symmetric(AEAD_ALGS[alg][1])), w.key(key))
        outp = w.path("pt.out")
        j = tool.add("decrypt", w.file("enc0.cose", msg), keys, outp, aad=adf)
        jt = tool.add("decrypt", w.file("t.cose", tweak(msg, (2,), -1)),
                      keys, w.path("x"), aad=adf)
        ja = tool.add("decrypt", w.file("t.cose", msg), keys, w.path("x"), aad=w.file("aad", b"x" + ad))

        def c_p2i(j=j, jt=jt, ja=ja, outp=outp, pt=pt, an=an):
            name = "peer->iotsec encrypt0 " + an
            if tool_ok(name, RES[j]):
                check(name + " key index", RES[j].fields.get("key") == "1", repr(RES[j]))
                check(name + " plaintext", w.read(outp) == pt, "plaintext bytes differ")
            tool_rejects(name + " tamper: flipped ciphertext", RES[jt])
            tool_rejects(name + " tamper: other external_aad", RES[ja])
        later.append(c_p2i)

    # ---------------- COSE_Encrypt ----------------
    for rname, alg, ralg, crv, runprot, extra in ENCRYPT:
        ex = {k: os.urandom(n) for k, n in extra.items()}
        if crv is None:
            rkey = Key.symmetric(KW_ALGS[ralg])
        else:
            rkey = Key.generate(crv)
        rkid = ("rcpt-%d" % abs(ralg)).encode()
        pt, (ad, adf) = rand_payload(), aad()
        out = w.path("enc.cose")
        # iotsec gets the KEK, or only the recipient's public key
        j = tool.add("encrypt", alg, w.file("pt", pt), out, aad=adf, runprot=runprot,
                     recipient="%d,%s,%s" % (ralg, w.key(rkey, private=crv is None), rkid.hex()),
                     **{k: b.hex() for k, b in ex.items()})

        def c_i2p(j=j, out=out, pt=pt, ad=ad, rkey=rkey, rname=rname, alg=alg, ralg=ralg, crv=crv,
                  runprot=runprot, rkid=rkid, ex=ex):
            name = "iotsec->peer encrypt %s %s" % (rname, dict(ENC0).get(alg, alg))
            if not tool_ok(name + " create", RES[j]):
                return
            msg = w.read(out)
            info = {}
            got = peer_ok(name, lambda: d_encrypt(msg, rkey, ad, None, info))
            if got is None:
                return
            check(name, got == pt, "plaintext differs")
            want_prot = b"" if runprot else enc({1: ralg})
            check(name + " recipient protected", info.get("rprot") == want_prot,
                  "got %r" % (info.get("rprot"),))
            ru = info.get("runprot", {})
            check(name + " recipient salt/PartyU nonce", ru.get(-20) == ex.get("salt") and
                  ru.get(-22) == ex.get("unonce"), "got %r" % (ru,))
            if crv is None:
                return
            # the ephemeral key: a public COSE_Key of the recipient's curve, no d
            epk = info.get("epk", {})
            want = {1, -1, -2, -3} if crv in CURVES else {1, -1, -2}
            check(name + " ephemeral COSE_Key", set(epk) == want and epk[1] == (2 if crv in CURVES else 1)
                  and epk[-1] == crv, "got %r" % (epk,))
            check(name + " ephemeral key has no private part", -4 not in epk)
            # COSE_KDF_Context exactness: each wrong variant must fail
            for var in KDF_VARIANTS:
                if var == "empty-protected-as-a0" and info.get("rprot"):
                    continue
                peer_rejects(name + " KDF context variant %s must not match" % var,
                             lambda: d_encrypt(msg, rkey, ad, var))
            wrong_id = alg if ECDH_ES_ALGS[ralg] is not None else ralg
            peer_rejects(name + " KDF context with AlgorithmID %d must not match" % wrong_id,
                         lambda: d_encrypt(msg, rkey, ad, "alg-id=%d" % wrong_id))
        later.append(c_i2p)

        # peer -> iotsec
        pt, (ad, adf) = rand_payload(), aad()
        msg = p_encrypt(alg, pt, ad, rkey if crv is None else rkey.public(), ralg, rkid,
                        rprot_alg=not runprot, **ex)
        rkey.kid = rkid
        kf = w.key(rkey)                        # the KEK, or the recipient's private key
        rkey.kid = None
        outp = w.path("pt.out")
        mf = w.file("enc.cose", msg)
        j = tool.add("decrypt", mf, kf, outp, aad=adf)
        tam = [("flipped ciphertext", tool.add(
            "decrypt", w.file("t.cose", tweak(msg, (2,), 0)), kf, w.path("x"), aad=adf)),
            ("other external_aad", tool.add("decrypt", mf, kf, w.path("x"), aad=w.file("aad", ad + ad)))]
        if ECDH_ES_ALGS.get(ralg, -3) is not None:
            tam.append(("flipped wrapped key", tool.add(
                "decrypt", w.file("t.cose", tweak(msg, (3, 0, 2), -2)),
                kf, w.path("x"), aad=adf)))
        if crv is not None:
            other = Key.generate(crv)
            tam.append(("other ephemeral key", tool.add(
                "decrypt", w.file("t.cose", reencode(msg, lambda v: v[3][0][1].__setitem__(-1, eph_cose(other)))),
                kf, w.path("x"), aad=adf)))

        def c_p2i(j=j, tam=tam, outp=outp, pt=pt, rname=rname, alg=alg):
            name = "peer->iotsec encrypt %s %s" % (rname, dict(ENC0).get(alg, alg))
            if tool_ok(name, RES[j]):
                check(name + " plaintext", w.read(outp) == pt, "plaintext bytes differ")
            for what, tj in tam:
                tool_rejects(name + " tamper: " + what, RES[tj])
        later.append(c_p2i)

    # ---------------- COSE_Encrypt, two recipients ----------------
    # iotsec -> peer: A128KW and ECDH-ES+A128KW (P-256); each recipient's
    # key alone must give the plaintext
    kek, ec_r = Key.symmetric(16), Key.generate(1)
    pt, (ad, adf) = rand_payload(), aad()
    out = w.path("enc2.cose")
    j = tool.add("encrypt", 3, w.file("pt", pt), out, aad=adf, runprot=True,
                 recipient="-3,%s,%s" % (w.key(kek), b"kw".hex()))
    tool.jobs[j].append("recipient=-29,%s,%s" % (w.key(ec_r, private=False), b"ec".hex()))

    def c_enc2_i2p(j=j, out=out, pt=pt, ad=ad, kek=kek, ec_r=ec_r):
        name = "iotsec->peer encrypt A256GCM, recipients A128KW + ECDH-ES+A128KW P-256"
        if not tool_ok(name + " create", RES[j]):
            return
        msg = w.read(out)
        for idx, k, what in ((0, kek, "A128KW"), (1, ec_r, "ECDH-ES+A128KW")):
            got = peer_ok(name + " via " + what, lambda: d_encrypt(msg, k, ad, index=idx))
            if got is not None:
                check(name + " via " + what, got == pt, "plaintext differs")
        a, _, _ = parse(msg, 96, 4)
        check(name + " recipient kids", [r[1].get(4) for r in a[3]] == [b"kw", b"ec"], repr(a[3]))
    later.append(c_enc2_i2p)

    # peer -> iotsec: ECDH-ES+A128KW (X25519) for someone else, then A128KW
    kek, other = Key.symmetric(16), Key.generate(CRV_X25519)
    pt, (ad, adf) = rand_payload(), aad()
    cek = os.urandom(16)
    r0, _ = make_recipient(1, other.public(), -29, b"someone", cek=cek)
    r1, _ = make_recipient(1, kek, -3, None, cek=cek)
    msg = p_encrypt_with(1, pt, ad, cek, [r0, r1])
    mf = w.file("enc2.cose", msg)
    outp, outp2 = w.path("pt.out"), w.path("pt.out")
    j_kek = tool.add("decrypt", mf, w.key(kek), outp, aad=adf)
    j_x = tool.add("decrypt", mf, w.key(other), outp2, aad=adf)
    j_none = tool.add("decrypt", mf, w.key(Key.symmetric(16)), w.path("x"), aad=adf)

    def c_enc2_p2i(pt=pt, outp=outp, outp2=outp2, j_kek=j_kek, j_x=j_x, j_none=j_none):
        name = "peer->iotsec encrypt A128GCM, recipients ECDH-ES+A128KW X25519 + A128KW"
        r = RES[j_kek]
        if tool_ok(name + " with the A128KW key", r):
            check(name + " with the A128KW key: recipient 1", r.fields.get("signer") == "1", repr(r))
            check(name + " with the A128KW key: plaintext", w.read(outp) == pt)
        r = RES[j_x]
        if tool_ok(name + " with the X25519 key", r):
            check(name + " with the X25519 key: recipient 0", r.fields.get("signer") == "0", repr(r))
            check(name + " with the X25519 key: plaintext", w.read(outp2) == pt)
        tool_rejects(name + " with an unrelated KEK", RES[j_none])
    later.append(c_enc2_p2i)

    # ---------------- Countersignature V2: iotsec adds ----------------
    cs_cases = []
    for cs_alg, cs_name, cs_crv, indef in [(-8, "EdDSA", CRV_ED25519, False), (-7, "ES256", 1, False),
                                           (-7, "ES256", 1, True)]:
        signer = Key.generate(1)
        csk = Key.generate(cs_crv)
        pl, (ad, adf) = rand_payload(), aad()
        base = p_sign1(-7, signer, pl, ad, b"body-signer", indef_unprot=indef)
        out = w.path("cs.cose")
        j = tool.add("countersign", w.file("sign1.cose", base), cs_alg, w.key(csk), out,
                     kid=b"counter".hex(), aad=adf)

        def c_cs_i2p(j=j, out=out, base=base, csk=csk, signer=signer, ad=ad, pl=pl, cs_name=cs_name,
                     indef=indef):
            name = "iotsec->peer countersignV2 %s on Sign1 ES256%s" % (
                cs_name, " with an indefinite-length unprotected map" if indef else "")
            if not tool_ok(name + " create", RES[j]):
                return
            msg = w.read(out)
            rest = trailing(msg)
            if not check(name + " output is one CBOR item", rest == b"",
                         "iotsec returned OK but %d bytes follow the first item (%s...); message %s..."
                         % (len(rest or b""), (rest or b"").hex()[:24], msg.hex()[:80])):
                return
            a = peer_ok(name, lambda: v_countersign(msg, csk.public(), ad))
            if a is None:
                return
            check(name, True)
            b0 = cbor2.loads(base).value
            check(name + " body unchanged", a[0] == b0[0] and a[2] == b0[2] and a[3] == b0[3]
                  and {k: v for k, v in a[1].items() if k != 11} == b0[1], "protected/payload/signature changed")
            check(name + " countersigner kid", a[1][11][1] == {4: b"counter"}, repr(a[1][11][1]))
            got = peer_ok(name + " Sign1 still verifies", lambda: v_sign1(msg, signer.public(), ad))
            check(name + " Sign1 still verifies", got == pl)
            peer_rejects(name + " [peer sanity: flipped countersignature]",
                         lambda: v_countersign(tweak(msg, (1, 11, 2), 1),
                                               csk.public(), ad))
        later.append(c_cs_i2p)
        if not indef:
            cs_cases.append((cs_alg, cs_name, cs_crv))

    # ---------------- run batch 1 ----------------
    global RES
    RES = tool.run()
    for f in later:
        f()
    later = []
    ruby_peer(ruby_jobs, w.tmp)

    # ---------------- Countersignature V2: peer adds (to iotsec's Sign1 and its own) -------------
    targets = []
    if -7 in sign1_made:
        targets.append(("iotsec-made Sign1 ES256",) + sign1_made[-7])
    else:
        check("peer->iotsec countersignV2", False, "no iotsec-made ES256 Sign1 to countersign")
    s = Key.generate(CRV_ED25519)
    pl, (ad, _) = rand_payload(), aad()
    targets.append(("peer-made Sign1 EdDSA", p_sign1(-8, s, pl, ad), s, ad, pl))
    for tname, base, bkey, ad, pl in targets:
        adf = w.file("aad", ad)
        for cs_alg, cs_name, cs_crv in cs_cases:
            csk = Key.generate(cs_crv)
            msg = p_countersign(base, cs_alg, csk, ad, b"cs-peer")
            mf = w.file("cs.cose", msg)
            csk.kid = b"cs-peer"
            kf = w.key(csk, False)
            csk.kid = None
            j = tool.add("countersign-verify", mf, kf, aad=adf)
            js = tool.add("verify", mf, w.key(bkey, False), aad=adf)
            jt = tool.add("countersign-verify",
                          w.file("t.cose", tweak(msg, (1, 11, 2), 0)),
                          kf, aad=adf)
            ja = tool.add("countersign-verify", mf, kf, aad=w.file("aad", ad + b"."))
            jw = tool.add("countersign-verify", mf, w.key(Key.generate(cs_crv), False), aad=adf)

            def c_cs_p2i(j=j, js=js, jt=jt, ja=ja, jw=jw, tname=tname, cs_name=cs_name):
                name = "peer->iotsec countersignV2 %s on %s" % (cs_name, tname)
                tool_ok(name, RES[j])
                tool_ok(name + ": Sign1 itself still verifies", RES[js])
                tool_rejects(name + " tamper: flipped countersignature", RES[jt])
                tool_rejects(name + " tamper: other external_aad", RES[ja])
                tool_rejects(name + " tamper: another countersigner key", RES[jw])
            later.append(c_cs_p2i)

        # two countersignatures in the array form; iotsec holds the 2nd key only
        k1, k2 = Key.generate(CRV_ED25519), Key.generate(1)
        msg = p_countersign_many(base, [(-8, k1, b"cs1"), (-7, k2, b"cs2")], ad)
        j = tool.add("countersign-verify", w.file("cs.cose", msg), w.key(k2, False), aad=adf)
        jt = tool.add("countersign-verify", w.file("t.cose", tweak(msg, (1, 11, 1, 2), 3)),
                      w.key(k2, False), aad=adf)
        # abbreviated form (header 12): alg and key come from a key bound to ES256
        k0 = Key.generate(1)
        msg0 = p_countersign0(base, -7, k0, ad)
        m0 = k0.public().cose(private=False)
        m0[3] = -7
        kf0 = w.file("key.cbor", enc(m0))
        j0 = tool.add("countersign-verify", w.file("cs0.cose", msg0), kf0, aad=adf)
        j0t = tool.add("countersign-verify", w.file("t.cose", tweak(msg0, (1, 12), 0)), kf0, aad=adf)
        j0a = tool.add("countersign-verify", w.file("cs0.cose", msg0), kf0, aad=w.file("aad", b""))

        def c_cs_more(j=j, jt=jt, j0=j0, j0t=j0t, j0a=j0a, tname=tname):
            name = "peer->iotsec countersignV2 array of 2 (EdDSA, ES256) on %s" % tname
            if tool_ok(name, RES[j]):
                check(name + ": 2nd countersignature matched", RES[j].fields.get("signer") == "1", repr(RES[j]))
            tool_rejects(name + " tamper: flipped 2nd countersignature", RES[jt])
            name = "peer->iotsec countersign0V2 (header 12) ES256 on %s" % tname
            tool_ok(name, RES[j0])
            tool_rejects(name + " tamper: flipped signature", RES[j0t])
            tool_rejects(name + " tamper: other external_aad", RES[j0a])
        later.append(c_cs_more)

    RES = tool.run()
    for f in later:
        f()


RES = {}


if __name__ == "__main__":
    main()
    sys.exit(CHECKS.summary())
