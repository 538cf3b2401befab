#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""RFC 8949 Appendix A vectors through the iotsec CLI.

Data: $IOTSEC_SHARED/vectors/cbor/appendix_a.json (see the README.md next to
it). For every vector:
  * `iotsec cbor check` accepts it -- except f818 (simple(24) in the two-byte
    form), which RFC 8949 section 3.3 makes not well-formed: exit 1, naming
    byte offset 0;
  * `iotsec cbor diag` prints the vector's "diagnostic" string, or (for
    "decoded" vectors that round-trip) the Appendix A rendering of the decoded
    value; indefinite-length "decoded" vectors print with "_" markers, so for
    those `to-json` is compared instead;
  * `iotsec cbor to-json --compact` gives back the decoded value;
  * `iotsec cbor from-json` of the decoded value reproduces the bytes exactly
    (preferred serialization) for round-trip vectors.

Integers beyond 64 bits: CBOR can only carry them as bignums (tags 2 and 3),
and a byte-accurate diagnostic shows the tag, e.g. 2(h'010000000000000000').
RFC 8949 Appendix A writes the number 18446744073709551616 instead; the
CBOR-EDN draft reads a big integer literal as that same bignum, so both are
the same item. This test expects the tag form, the one that names what is
actually encoded (and that the peer test uses for every tag).
"""
import json
import math
import os
import subprocess
import sys

BIN = os.environ.get("IOTSEC_BIN", "iotsec")
SHARED = os.environ.get("IOTSEC_SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
VECTORS = os.path.join(SHARED, "vectors", "cbor", "appendix_a.json")

NOT_WELL_FORMED = {"f818"}  # RFC 8949 section 3.3 / Appendix F

passed = 0
failed = 0


def ok(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)
    return cond


def run(args, data):
    p = subprocess.run([BIN] + args, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    return p.returncode, p.stdout, p.stderr


# ---- Appendix A style diagnostic notation of a JSON-decoded value ----

def diag_float(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    r = repr(x)  # shortest round-trip digits, plain for exponents -4..15
    if "e" in r:
        mant, exp = r.split("e")
        if "." not in mant:
            mant += ".0"
        return mant + "e" + exp
    return r


def diag_int(n):
    if -(1 << 64) <= n < (1 << 64):
        return str(n)
    tag, mag = (2, n) if n >= 0 else (3, -1 - n)
    return "%d(h'%s')" % (tag, mag.to_bytes((mag.bit_length() + 7) // 8, "big").hex())


def diag(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return diag_int(v)
    if isinstance(v, float):
        return diag_float(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(diag(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(diag(k) + ": " + diag(x) for k, x in v.items()) + "}"
    raise TypeError(type(v))


def same(a, b):
    """Strict equality: int and float are different, -0.0 is not 0.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a.keys()) == list(b.keys()) and all(same(a[k], b[k]) for k in a)
    return a == b


def main():
    with open(VECTORS, "rb") as f:
        vectors = json.load(f)
    ok(len(vectors) == 82, "expected 82 Appendix A vectors, found %d" % len(vectors))
    # Sanity of this test's own renderer against the Appendix A spellings.
    ok(diag_float(1e300) == "1.0e+300", "renderer: 1e300 -> %s" % diag_float(1e300))
    ok(diag_float(5.960464477539063e-08) == "5.960464477539063e-08", "renderer: half subnormal")
    ok(diag_float(100000.0) == "100000.0", "renderer: 100000.0")

    for v in vectors:
        hexs = v["hex"]
        data = bytes.fromhex(hexs)
        tag = "vector %s" % hexs

        rc, out, err = run(["cbor", "check"], data)
        if hexs in NOT_WELL_FORMED:
            ok(rc == 1, "%s: check must exit 1 (not well-formed), got %d" % (tag, rc))
            ok(b"byte offset 0" in err, "%s: message must name byte offset 0: %r" % (tag, err))
            ok(err.startswith(b"iotsec: ") and out == b"", "%s: error belongs on stderr: %r %r" % (tag, out, err))
            rc, out, err = run(["cbor", "diag"], data)
            ok(rc == 1 and out == b"" and b"byte offset 0" in err,
               "%s: diag must refuse it too: rc=%d %r %r" % (tag, rc, out, err))
            continue
        ok(rc == 0, "%s: check exit %d: %s" % (tag, rc, err.decode(errors="replace").strip()))

        rc, out, err = run(["cbor", "diag"], data)
        text = out.decode("utf-8", errors="replace")
        if text.endswith("\n"):
            text = text[:-1]
        if not ok(rc == 0, "%s: diag exit %d: %s" % (tag, rc, err.decode(errors="replace").strip())):
            continue
        if "diagnostic" in v:
            ok(text == v["diagnostic"], "%s: diag %r, expected %r" % (tag, text, v["diagnostic"]))
            continue

        dec = v["decoded"]
        if v["roundtrip"]:
            want = diag(dec)
            ok(text == want, "%s: diag %r, expected %r" % (tag, text, want))
        else:
            # indefinite lengths: the diagnostic shows them with "_"
            ok("_" in text, "%s: indefinite-length item printed without '_': %r" % (tag, text))

        rc, out, err = run(["cbor", "to-json", "--compact"], data)
        if ok(rc == 0, "%s: to-json exit %d: %s" % (tag, rc, err.decode(errors="replace").strip())):
            try:
                got = json.loads(out.decode("utf-8"))
                ok(same(got, dec), "%s: to-json %r, expected %r" % (tag, out, dec))
            except ValueError as e:
                ok(False, "%s: to-json output is not JSON (%s): %r" % (tag, e, out))

        if v["roundtrip"]:
            doc = json.dumps(dec, ensure_ascii=False)
            # json.dumps keeps floats floats ("1.0", "100000.0", "1e+300") and ints ints
            if isinstance(dec, (int, float)) and not isinstance(dec, bool):
                ok(("." in doc or "e" in doc) == isinstance(dec, float),
                   "%s: json.dumps changed the number kind: %s" % (tag, doc))
            rc, out, err = run(["cbor", "from-json"], doc.encode("utf-8"))
            ok(rc == 0 and out == data,
               "%s: from-json %s gave rc=%d %s, expected %s (%s)" % (tag, doc, rc, out.hex(), hexs,
                                                                    err.decode(errors="replace").strip()))

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
