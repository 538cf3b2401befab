#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""EAT and SUIT_Report interoperability: iotsec against an independent peer.

The peer is written here from RFC 9052/9053 (COSE_Sign1, COSE_Mac0), RFC
8392 (CWT) and RFC 9711 (EAT claim keys) on python3-cbor2 and
python3-cryptography; it shares no code with iotsec. Keys are made by the
peer and handed to iotsec as PEM (PKCS#8 / SubjectPublicKeyInfo) or raw
HMAC key files.

  iotsec -> peer  'iotsec eat create' tokens (ES256, ES384, EdDSA, HMAC
                  256/256; with and without kid, with the CWT tag) verify in
                  the peer: the Sig_structure / MAC_structure is rebuilt, ES*
                  signatures are r||s of the curve's size, the protected
                  bucket is {1: alg}, the kid travels unprotected, and every
                  claim has the RFC 9711 key and CBOR type the JSON asked for.
  peer -> iotsec  tokens the peer signs verify with 'iotsec eat verify'
                  (exit 0, an affirming EAR that echoes the nonce); the
                  peer's tampered tokens, tokens with another nonce and
                  tokens signed by another key are refused (exit 1).
  SUIT_Report     'iotsec suit process --report' on a device directory (the
                  envelopes made independently by tests/suit_gen.py), plain
                  and with --report-key (COSE_Sign1 and COSE_Mac0): the peer
                  decodes the report and checks the COSE layer itself, and
                  'iotsec suit report show' prints what the peer decoded.

Environment: IOTSEC_BIN (the CLI), IOTSEC_SHARED; -v lists passing checks.
Ends with "N passed, N failed"; exits 1 on any failure.
"""
import base64
import hashlib
import hmac as std_hmac
import json
import os
import shutil
import subprocess
import sys
import tempfile

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature, encode_dss_signature)

from checks import Checks

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("IOTSEC_BIN", os.path.join(HERE, "..", "build", "iotsec"))
SHARED = os.environ.get("IOTSEC_SHARED", os.path.join(HERE, "..", "..", "shared"))
CHECKS = Checks(detail_max=400)
check = CHECKS.check


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def unb64u(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def iotsec(*args):
    p = subprocess.run([BIN] + list(args), capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


# ---------------------------------------------------------------------------
# The peer: COSE_Sign1 / COSE_Mac0 (RFC 9052), algorithms (RFC 9053)
# ---------------------------------------------------------------------------
ES = {-7: (ec.SECP256R1, hashes.SHA256, 32), -35: (ec.SECP384R1, hashes.SHA384, 48)}
EDDSA = -8
HMAC256 = 5
TAG_SIGN1, TAG_MAC0, TAG_CWT = 18, 17, 61


class PeerReject(Exception):
    pass


class Key:
    def __init__(self, alg):
        self.alg = alg
        if alg in ES:
            self.priv = ec.generate_private_key(ES[alg][0]())
        elif alg == EDDSA:
            self.priv = ed25519.Ed25519PrivateKey.generate()
        else:
            self.priv = None
            self.k = os.urandom(32)
        self.pub = self.priv.public_key() if self.priv else None

    def write(self, d, stem):
        """Private and public files for iotsec."""
        if self.priv is None:
            p = os.path.join(d, stem + ".key")
            open(p, "wb").write(self.k)
            return p, p
        priv = os.path.join(d, stem + ".pem")
        pub = os.path.join(d, stem + ".pub.pem")
        open(priv, "wb").write(self.priv.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        open(pub, "wb").write(self.pub.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        return priv, pub

    def sign(self, tbs):
        if self.alg in ES:
            _, h, n = ES[self.alg]
            r, s = decode_dss_signature(self.priv.sign(tbs, ec.ECDSA(h())))
            return r.to_bytes(n, "big") + s.to_bytes(n, "big")
        if self.alg == EDDSA:
            return self.priv.sign(tbs)
        return std_hmac.new(self.k, tbs, hashlib.sha256).digest()

    def verify(self, tbs, sig):
        if self.alg in ES:
            _, h, n = ES[self.alg]
            if len(sig) != 2 * n:
                raise PeerReject("ECDSA signature is %d bytes, not r||s of %d" % (len(sig), 2 * n))
            der = encode_dss_signature(int.from_bytes(sig[:n], "big"), int.from_bytes(sig[n:], "big"))
            try:
                self.pub.verify(der, tbs, ec.ECDSA(h()))
            except InvalidSignature:
                raise PeerReject("bad signature")
        elif self.alg == EDDSA:
            try:
                self.pub.verify(sig, tbs)
            except InvalidSignature:
                raise PeerReject("bad signature")
        else:
            if not std_hmac.compare_digest(self.sign(tbs), sig):
                raise PeerReject("bad MAC")


def sig_structure(mac, prot, payload):
    return cbor2.dumps(["MAC0" if mac else "Signature1", prot, b"", payload])


def peer_make(key, claims, kid=None, cwt=False):
    prot = cbor2.dumps({1: key.alg})
    payload = cbor2.dumps(claims)
    mac = key.priv is None
    body = [prot, {4: kid} if kid is not None else {}, payload,
            key.sign(sig_structure(mac, prot, payload))]
    tok = cbor2.CBORTag(TAG_MAC0 if mac else TAG_SIGN1, body)
    return cbor2.dumps(cbor2.CBORTag(TAG_CWT, tok) if cwt else tok)


def peer_open(data, key):
    """Verify a token; returns (claims, protected map, unprotected map, cwt)."""
    item = cbor2.loads(data)
    if cbor2.dumps(item) != data:
        raise PeerReject("not exactly one item in preferred serialization")
    cwt = False
    if isinstance(item, cbor2.CBORTag) and item.tag == TAG_CWT:
        cwt, item = True, item.value
    mac = key.priv is None
    if not isinstance(item, cbor2.CBORTag) or item.tag != (TAG_MAC0 if mac else TAG_SIGN1):
        raise PeerReject("not a tagged COSE_%s" % ("Mac0" if mac else "Sign1"))
    prot, unprot, payload, sig = item.value
    ph = cbor2.loads(prot) if prot else {}
    if ph.get(1) != key.alg:
        raise PeerReject("protected alg %r, expected %r" % (ph.get(1), key.alg))
    key.verify(sig_structure(mac, prot, payload), sig)
    return cbor2.loads(payload), ph, unprot, cwt


def flip_in(data, needle):
    b = bytearray(data)
    i = b.find(needle)
    assert i >= 0
    b[i] ^= 1
    return bytes(b)


# ---------------------------------------------------------------------------
# iotsec -> peer
# ---------------------------------------------------------------------------
CLAIMS_JSON = {
    "eat_nonce": b64u(bytes(range(16))),
    "ueid": "AZj1Ck_2wFhhyIYNE6Y46g",
    "oemid": "iUgj",
    "hwmodel": "VJ3OzIuYfHN7ROQPfGNc6A",
    "hwversion": ["1.3.4", 1],
    "oemboot": True,
    "dbgstat": "disabled-permanently",
    "uptime": 3600,
    "swname": "Acme OS",
    "swversion": ["3.5.5", "semver"],
    "measurements": [[258, b64u(b"\xa1\x00\x01")]],
    "measres": [["Acme TEE", [["boot", "success"], ["app", "fail"]]]],
    "intuse": "pop",
    "location": {"latitude": 12.5, "longitude": -3, "age": 10},
    "eat_profile": "1.3.6.1.4.1.9999.1",
    "iat": 1700000000,
    "submods": {"fw": {"swname": "bootloader"}},
}
# what the claims must be in CBOR (RFC 9711 keys and types)
CLAIMS_CBOR = {
    10: bytes(range(16)),
    256: unb64u("AZj1Ck_2wFhhyIYNE6Y46g"),
    258: bytes.fromhex("894823"),
    259: unb64u("VJ3OzIuYfHN7ROQPfGNc6A"),
    260: ["1.3.4", 1],
    262: True,
    263: 3,
    261: 3600,
    270: "Acme OS",
    271: ["3.5.5", 16384],
    273: [[258, b"\xa1\x00\x01"]],
    274: [["Acme TEE", [["boot", 1], ["app", 2]]]],
    275: 5,
    264: {1: 12.5, 2: -3, 9: 10},
    265: bytes.fromhex("2b06010401ce0f01"),
    6: 1700000000,
    266: {"fw": {270: "bootloader"}},
}


def i2p(w):
    open(os.path.join(w, "claims.json"), "w").write(json.dumps(CLAIMS_JSON))
    cases = [("ES256", -7, None, False), ("ES384", -35, "p384-kid", True),
             ("EdDSA", EDDSA, "ed-kid", False), ("HMAC", HMAC256, "mac-kid", True)]
    for name, alg, kid, cwt in cases:
        key = Key(alg)
        priv, _ = key.write(w, "i2p-" + name)
        out = os.path.join(w, "i2p-%s.cbor" % name)
        args = ["eat", "create", "--claims", os.path.join(w, "claims.json"), "--key", priv, "-o", out]
        if kid:
            args += ["--kid", kid]
        if cwt:
            args += ["--cwt-tag"]
        rc, _, err = iotsec(*args)
        if not check("iotsec->peer %s: create exits 0" % name, rc == 0, err):
            continue
        tok = open(out, "rb").read()
        try:
            claims, ph, uh, was_cwt = peer_open(tok, key)
        except PeerReject as e:
            check("iotsec->peer %s: the peer verifies the token" % name, False, e)
            continue
        check("iotsec->peer %s: the peer verifies the token" % name, True)
        check("iotsec->peer %s: protected bucket is {1: alg}" % name, ph == {1: alg}, ph)
        check("iotsec->peer %s: kid unprotected" % name,
              (uh == {4: kid.encode()}) if kid else (uh == {}), uh)
        check("iotsec->peer %s: CWT tag as asked" % name, was_cwt == cwt)
        check("iotsec->peer %s: every claim has its RFC 9711 key and type" % name,
              claims == CLAIMS_CBOR, {k: (claims.get(k), v) for k, v in CLAIMS_CBOR.items()
                                      if claims.get(k) != v})
        item = cbor2.loads(tok)
        item = item.value if was_cwt else item
        check("iotsec->peer %s: the claims map is in the order the JSON gave" % name,
              list(cbor2.loads(item.value[2]).keys()) == list(CLAIMS_CBOR.keys()))
        bad = flip_in(tok, b"Acme OS")
        try:
            peer_open(bad, key)
            check("iotsec->peer %s: the peer refuses the token with a flipped byte" % name, False)
        except PeerReject:
            check("iotsec->peer %s: the peer refuses the token with a flipped byte" % name, True)


# ---------------------------------------------------------------------------
# peer -> iotsec
# ---------------------------------------------------------------------------
def p2i(w):
    nonce = os.urandom(32)
    now = 1700000300
    claims = {10: nonce, 256: b"\x01" + os.urandom(16), 258: 64242, 262: True, 263: 2,
              270: "Acme OS", 271: ["3.5.5"], 6: 1700000000, 4: 1800000000,
              -70000: "private claim, ignored"}
    ref = os.path.join(w, "ref.json")
    open(ref, "w").write(json.dumps({"swname": "Acme OS", "swversion": "3.5.5",
                                     "dbgstat": "disabled", "oemboot": True, "oemid": 64242}))
    cases = [("ES256", -7, b"dev-1", False), ("ES384", -35, None, True),
             ("EdDSA", EDDSA, None, False), ("HMAC", HMAC256, b"mac-1", False)]
    for name, alg, kid, cwt in cases:
        key = Key(alg)
        _, pub = key.write(w, "p2i-" + name)
        other = Key(alg)
        _, other_pub = other.write(w, "p2i-other-" + name)
        tok = peer_make(key, claims, kid=kid, cwt=cwt)
        path = os.path.join(w, "p2i-%s.cbor" % name)
        open(path, "wb").write(tok)
        rc, out, err = iotsec("eat", "verify", path, "--key", pub, "--nonce", nonce.hex(),
                              "--now", str(now), "--reference", ref)
        ok = check("peer->iotsec %s: eat verify exits 0" % name, rc == 0, err)
        if ok:
            ear = json.loads(out)
            check("peer->iotsec %s: affirming EAR echoing the nonce" % name,
                  ear["ear_status"] == "affirming" and ear["eat_nonce"] == b64u(nonce) and
                  ear["submods"]["EAT"]["ear_trustworthiness_vector"] ==
                  {"instance-identity": 2, "configuration": 2, "executables": 2, "hardware": 2},
                  ear)
        rc, out, err = iotsec("eat", "show", path)
        if check("peer->iotsec %s: eat show exits 0" % name, rc == 0, err):
            shown = json.loads(out)
            check("peer->iotsec %s: show names the claims" % name,
                  shown["claims"]["swname"] == "Acme OS" and shown["claims"]["dbgstat"] ==
                  "disabled-since-boot" and shown["claims"]["-70000"] == "private claim, ignored"
                  and shown["claims"]["eat_nonce"] == b64u(nonce) and shown["cwt_tag"] == cwt,
                  shown)
        bad = os.path.join(w, "p2i-%s-bad.cbor" % name)
        open(bad, "wb").write(flip_in(tok, b"Acme OS"))
        # (what, token, key, nonce, one of the reasons that must be given)
        for what, tok_path, vkey, n, reasons in [
                ("a tampered token", bad, pub, nonce, ["does not verify"]),
                ("another nonce", path, pub, os.urandom(16), ["wrong nonce"]),
                ("another key", path, other_pub, nonce, ["does not verify", "wrong key"])]:
            rc, _, err = iotsec("eat", "verify", tok_path, "--key", vkey, "--nonce", n.hex(),
                                "--now", str(now))
            check("peer->iotsec %s: %s is refused (exit 1)" % (name, what),
                  rc == 1 and any(r in err for r in reasons), err)
    # the peer's claims of the wrong type, well signed
    key = Key(-7)
    _, pub = key.write(w, "p2i-bad-claims")
    for what, bad_claims, want in [
            ("a 4-byte nonce", {10: b"\x00\x01\x02\x03"}, "eat_nonce (10)"),
            ("dbgstat 9", {10: nonce, 263: 9}, "dbgstat (263)"),
            ("swname as a number", {10: nonce, 270: 7}, "swname (270)")]:
        path = os.path.join(w, "p2i-badclaims.cbor")
        open(path, "wb").write(peer_make(key, bad_claims))
        rc, _, err = iotsec("eat", "verify", path, "--key", pub, "--now", str(now))
        check("peer->iotsec: %s is refused as malformed claims" % what,
              rc == 1 and "malformed claims" in err and want in err, err)


# ---------------------------------------------------------------------------
# SUIT_Report
# ---------------------------------------------------------------------------
VENDOR = "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
CLASS = "1492af14-2569-5e48-bf42-9b2d51f2ab45"


def suit_reports(w):
    keys = os.path.join(SHARED, "vectors", "suit", "keys")
    sig_priv = os.path.join(keys, "ietf-example-p256.priv.pem")
    sig_pub = os.path.join(keys, "ietf-example-p256.pub.pem")
    if not os.path.exists(sig_priv):
        print("SKIP: SUIT keys not found under %s" % keys)
        return
    dev = os.path.join(w, "dev")
    os.makedirs(dev)
    json.dump({"vendor-id": VENDOR, "class-id": CLASS,
               "components": [{"id": ["00"], "path": "slot-a.bin", "slot": 0}]},
              open(os.path.join(dev, "device.json"), "w"))
    open(os.path.join(dev, "slot-a.bin"), "wb").write(b"factory image")
    img = os.path.join(w, "img.bin")
    open(img, "wb").write(os.urandom(3000))

    def gen(seq, out, vendor=VENDOR):
        subprocess.run([sys.executable, os.path.join(HERE, "suit_gen.py"), "--seq", str(seq),
                        "--vendor", vendor, "--class", CLASS, "--key", sig_priv,
                        "--component", "00:%s:#fw" % img, "-o", out], check=True)
        return out

    def process(env, rep, *args):
        """suit process of env on the device, the report to rep: (rc, stderr)."""
        rc, _, err = iotsec("suit", "process", env, "--key", sig_pub, "--device", dev,
                            "--report", rep, *args)
        return rc, err

    def peer_report(rep, key, what, want_ph=None):
        """The SUIT_Report in the protected report rep when the peer verifies
        it (the check `what`, with the protected bucket want_ph when given);
        None when it does not."""
        try:
            report, ph, _, _ = peer_open(open(rep, "rb").read(), key)
        except PeerReject as e:
            check(what, False, e)
            return None
        check(what, want_ph is None or ph == want_ph, ph)
        return report

    good = gen(2, os.path.join(w, "good.cbor"))
    env = cbor2.loads(open(good, "rb").read()).value
    digest = hashlib.sha256(cbor2.dumps(env[3])).digest()

    # a signed report: the peer checks the COSE_Sign1 itself
    rkey = Key(-7)
    rpriv, rpub = rkey.write(w, "report-signer")
    rep = os.path.join(w, "rep-signed.cose")
    rc, err = process(good, rep, "--report-key", rpriv)
    check("suit process --report --report-key exits 0", rc == 0, err)
    data = open(rep, "rb").read()
    report = peer_report(rep, rkey, "signed report: the peer verifies the COSE_Sign1 (ES256 r||s)")
    if report is not None:
        check("signed report: the payload is the draft's SUIT_Report, success",
              report.get(4) is True and report.get(3) == [] and
              report.get(99) == ["", [-16, digest]], report)
    rc, out, err = iotsec("suit", "report", "show", rep, "--key", rpub, "--envelope", good)
    if check("suit report show --key (signed report) exits 0", rc == 0, err):
        shown = json.loads(out)
        check("report show: protection, verified, reference digest, success",
              shown["protection"] == "COSE_Sign1" and shown["verified"] is True and
              shown["reference"]["manifest-digest"] == {"algorithm": "sha-256",
                                                        "digest": digest.hex()} and
              shown["result"] == "success" and shown["records"] == [], shown)
    open(os.path.join(w, "rep-bad.cose"), "wb").write(flip_in(data, bytes([0xf5])))
    rc, _, err = iotsec("suit", "report", "show", os.path.join(w, "rep-bad.cose"), "--key", rpub)
    check("a signed report with a flipped byte is refused (exit 1)",
          rc == 1 and "does not verify" in err, err)
    other = Key(-7)
    _, opub = other.write(w, "report-other")
    rc, _, err = iotsec("suit", "report", "show", rep, "--key", opub)
    check("a signed report checked with another key is refused (exit 1)", rc == 1, err)

    # a MACed report of a failure
    mkey = Key(HMAC256)
    mpath, _ = mkey.write(w, "report-mac")
    bad = gen(3, os.path.join(w, "vendor.cbor"), vendor="11111111-2222-3333-4444-555555555555")
    rep = os.path.join(w, "rep-mac.cose")
    rc, err = process(bad, rep, "--report-key", mpath)
    check("suit process of another vendor's manifest is refused (exit 1)", rc == 1, err)
    report = peer_report(rep, mkey, "MACed report: the peer verifies the COSE_Mac0 (HMAC 256/256)",
                         {1: 5})
    rc, out, err = iotsec("suit", "report", "show", rep, "--key", mpath, "--envelope", bad)
    if check("suit report show --key (MACed failure report) exits 0", rc == 0, err) and report:
        shown = json.loads(out)
        rec = report[4][6]
        check("failure report: result code, reason, record as the peer decoded them",
              shown["result"]["code"] == report[4][5] and
              shown["result"]["reason"] == "condition-failed" and report[4][7] == 10 and
              shown["result"]["record"]["section-key"] == rec[1] and
              shown["result"]["record"]["offset"] == rec[2] and
              shown["result"]["record"]["component-index"] == rec[3], (shown, report))
        check("failure report: the section and (with --envelope) the command are named, and "
              "the measured vendor-id is a UUID",
              shown["result"]["record"]["section"] == "shared-sequence" and
              shown["result"]["record"]["command"] == "condition-vendor-identifier" and
              shown["result"]["record"]["properties"] == {"vendor-id": VENDOR}, shown)
        check("failure report: the records list holds the failed condition",
              len(shown["records"]) == len(report[3]) >= 1, shown)
    rc, _, err = iotsec("suit", "report", "show", rep, "--envelope", good)
    check("report show --envelope of another manifest is refused (exit 1)",
          rc == 1 and "does not hold the manifest" in err, err)

    # a plain report
    rep = os.path.join(w, "rep-plain.cbor")
    process(good, rep, "--procedure", "invoke")
    plain = cbor2.loads(open(rep, "rb").read())
    rc, out, err = iotsec("suit", "report", "show", rep)
    if check("suit report show (plain report) exits 0", rc == 0, err):
        shown = json.loads(out)
        check("plain report: protection none, as the peer decoded it",
              shown["protection"] == "none" and
              shown["reference"]["manifest-digest"]["digest"] == plain[99][1][1].hex() and
              (shown["result"] == "success") == (plain[4] is True), (shown, plain))
    rc, _, err = iotsec("suit", "report", "show", rep, "--key", rpub)
    check("a plain report with --key is refused: nothing authenticates it (exit 1)",
          rc == 1 and "plain CBOR" in err, err)


def main():
    if not os.path.exists(BIN):
        print("iotsec not found at %s" % BIN)
        print("0 passed, 1 failed")
        return 1
    w = tempfile.mkdtemp(prefix="eat-interop-")
    try:
        i2p(w)
        p2i(w)
        suit_reports(w)
    finally:
        if os.environ.get("IOTSEC_KEEP_TMP") != "1":
            shutil.rmtree(w, ignore_errors=True)
    return CHECKS.summary()


if __name__ == "__main__":
    sys.exit(main())
