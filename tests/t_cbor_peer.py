#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Cross-check the iotsec CBOR codec with an independent peer, cbor2.

Run with /usr/bin/python3 (python3-cbor2 is installed for it only).

a. cbor2 -> iotsec: seeded random Python values are encoded by cbor2 (plain,
   canonical=True, and a bytewise-sorted deterministic variant) and must be
   accepted by `iotsec cbor check`; `--deterministic` must accept exactly the
   encodings that equal the deterministic one; `iotsec cbor diag` must print
   this file's own rendering of the value and parse back to the same value;
   values in the JSON subset must come back from `iotsec cbor to-json`.
b. iotsec -> cbor2: seeded random JSON documents go through
   `iotsec cbor from-json`; cbor2.loads of the result must equal json.loads
   of the document, and the bytes must equal cbor2's preferred encoding.
c. Negative cases: duplicate keys, invalid UTF-8, truncated input: `check`
   exits exactly 1 and names the byte offset.

What cbor2 does (python3-cbor2 5.4.6 as Debian ships it; /usr/bin/python3
imports its C extension _cbor2, which replaces the pure-Python encoder):
  * canonical=True sorts map keys by (length of encoded key, encoded key),
    the RFC 7049 section 3.9 "length-first" order, NOT the RFC 8949 section
    4.2.1 bytewise-lexicographic order. E.g. keys -1 (0x20) and 100
    (0x18 0x64) come out as 20, 1864 where RFC 8949 wants 1864, 20. This is
    probed at start-up (CBOR2_LENGTH_FIRST). So a canonical=True encoding is
    RFC 8949-deterministic only when every map's keys sort the same both
    ways; this test builds its own bytewise-sorted variant through cbor2's
    `default` hook (dicts wrapped in BytewiseMap) and uses that as the
    deterministic reference.
  * Without canonical=True cbor2 writes every float as a double (0xfb),
    except NaN and the infinities, which are always half floats (f97e00,
    f97c00, f9fc00). canonical=True picks the shortest exact width.
  * The C extension's canonical=True float
    shortening misses half precision for the 2048 half-exact values with the
    largest half exponent, |x| in [32768, 65504]: 65504.0 comes out as
    fa477fe000 instead of f97bff (the pure-Python cbor2.encoder gets it
    right; both sort maps length-first).
    cbor2 canonical output holding such a float is therefore not RFC 8949
    preferred/deterministic; the references below patch those floats in
    through the `default` hook (PreferredFloat), and plain canonical=True
    comparisons are skipped for values holding one.
  * Integers beyond 64 bits become tags 2/3 with minimal-length magnitudes.
  * Tag 256 switches cbor2 to string references on encoding, so random tags
    avoid it; tags 2 and 3 are avoided too (bignum content rules).
"""
import base64
import concurrent.futures
import json
import math
import os
import random
import struct
import subprocess
import sys

import cbor2

BIN = os.environ.get("IOTSEC_BIN", "iotsec")
SEED = int(os.environ.get("IOTSEC_PEER_SEED", "8949"))
N_DOCS = int(os.environ.get("IOTSEC_PEER_DOCS", "300"))
MAX_DEPTH = 6

passed = 0
failed = 0


def record(fails, n_checks):
    global passed, failed
    for f in fails:
        print("FAIL: " + f)
    failed += len(fails)
    passed += n_checks - len(fails)


def run(args, data):
    p = subprocess.run([BIN] + args, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout, p.stderr


class Checker:
    """Collects checks for one document (run in a worker thread)."""

    def __init__(self, label):
        self.label = label
        self.n = 0
        self.fails = []

    def ok(self, cond, what):
        self.n += 1
        if not cond:
            self.fails.append("%s: %s" % (self.label, what))
        return cond


def first_diff(got, want, ctx=40):
    """The neighbourhood of the first difference of two strings."""
    i = next((k for k in range(min(len(got), len(want))) if got[k] != want[k]), min(len(got), len(want)))
    lo = max(0, i - ctx)
    return "at char %d\n   got  ...%s...\n   want ...%s..." % (i, got[lo:i + ctx], want[lo:i + ctx])


def short(b, n=120):
    h = b.hex() if isinstance(b, (bytes, bytearray)) else repr(b)
    return h if len(h) <= n else h[:n] + "..."


# ---------------------------------------------------------------------------
# cbor2 map ordering
# ---------------------------------------------------------------------------

def preferred_float(x):
    """RFC 8949 4.1 preferred serialization of a float (shortest exact width)."""
    if math.isnan(x):
        return b"\xf9\x7e\x00"
    for head, fmt in ((0xF9, ">e"), (0xFA, ">f")):
        try:
            b = struct.pack(fmt, x)
        except OverflowError:
            continue
        if struct.unpack(fmt, b)[0] == x:
            return bytes([head]) + b
    return b"\xfb" + struct.pack(">d", x)


def cbor2_float_ok(x):
    return cbor2.dumps(x, canonical=True) == preferred_float(x)


def floats_ok(v):
    """True when cbor2 canonical=True writes every float in v preferred."""
    if isinstance(v, float):
        return cbor2_float_ok(v)
    if isinstance(v, dict):
        return all(floats_ok(k) and floats_ok(x) for k, x in v.items())
    if isinstance(v, list):
        return all(floats_ok(x) for x in v)
    if isinstance(v, cbor2.CBORTag):
        return floats_ok(v.value)
    return True


class PreferredFloat:
    """A float that cbor2 would not shorten correctly (see above)."""

    def __init__(self, x):
        self.x = x


def enc_key(k):
    return cbor2.dumps(k, canonical=True)


class BytewiseMap:
    """A dict that cbor2 encodes with keys in RFC 8949 4.2.1 bytewise order."""

    def __init__(self, items):
        self.items = items


def bytewise_default(encoder, value):
    if isinstance(value, PreferredFloat):
        encoder.write(preferred_float(value.x))
        return
    if not isinstance(value, BytewiseMap):
        raise cbor2.CBOREncodeTypeError("cannot encode %r" % type(value))
    entries = sorted(((enc_key(k), v) for k, v in value.items), key=lambda e: e[0])
    encoder.encode_length(5, len(entries))
    for kb, v in entries:
        encoder.write(kb)
        encoder.encode(v)


class OrderedMap:
    """A dict that cbor2 encodes in insertion order even with canonical=True."""

    def __init__(self, items):
        self.items = items


def ordered_default(encoder, value):
    if isinstance(value, PreferredFloat):
        encoder.write(preferred_float(value.x))
        return
    if not isinstance(value, OrderedMap):
        raise cbor2.CBOREncodeTypeError("cannot encode %r" % type(value))
    encoder.encode_length(5, len(value.items))
    for k, v in value.items:
        encoder.encode(k)
        encoder.encode(v)


def wrap(v, cls):
    """v with dicts as cls and the floats cbor2 mis-shortens as PreferredFloat.
    Map keys are not wrapped (cbor2.dumps(key) sorts them): keep floats out of keys."""
    if isinstance(v, float) and not cbor2_float_ok(v):
        return PreferredFloat(v)
    if isinstance(v, dict):
        return cls([(k, wrap(x, cls)) for k, x in v.items()])
    if isinstance(v, list):
        return [wrap(x, cls) for x in v]
    if isinstance(v, cbor2.CBORTag):
        return cbor2.CBORTag(v.tag, wrap(v.value, cls))
    return v


def ordered_items(d, order):
    items = list(d.items())
    if order == "insertion":
        return items
    if order == "length-first":  # what cbor2 canonical=True does
        return sorted(items, key=lambda kv: (len(enc_key(kv[0])), enc_key(kv[0])))
    if order == "bytewise":  # RFC 8949 section 4.2.1
        return sorted(items, key=lambda kv: enc_key(kv[0]))
    raise ValueError(order)


def orders_agree(v):
    """True when every map in v sorts the same length-first and bytewise."""
    if isinstance(v, dict):
        if ordered_items(v, "length-first") != ordered_items(v, "bytewise"):
            return False
        return all(orders_agree(x) for x in v.values())
    if isinstance(v, list):
        return all(orders_agree(x) for x in v)
    if isinstance(v, cbor2.CBORTag):
        return orders_agree(v.value)
    return True


_probe = cbor2.dumps({-1: 0, 100: 0}, canonical=True)
CBOR2_LENGTH_FIRST = _probe == bytes.fromhex("a220001864 00".replace(" ", ""))
CBOR2_BYTEWISE = _probe == bytes.fromhex("a218640020 00".replace(" ", ""))
CANONICAL_ORDER = "length-first" if CBOR2_LENGTH_FIRST else "bytewise"

# ---------------------------------------------------------------------------
# Diagnostic notation: rendering and parsing
# ---------------------------------------------------------------------------

def diag_float(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    r = repr(x)  # shortest round-trip; plain notation for exponents -4..15
    if "e" in r:
        mant, exp = r.split("e")
        if "." not in mant:
            mant += ".0"
        return mant + "e" + exp
    return r


def diag_text(s):
    # JSON-style escaping: '"', '\' and the control characters (C0 and DEL)
    # as \u00xx; everything else, non-ASCII included, raw.
    out = ['"']
    for c in s:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append("\\u%04x" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def bignum(n):
    tag, mag = (2, n) if n >= 0 else (3, -1 - n)
    return tag, mag.to_bytes((mag.bit_length() + 7) // 8, "big")


def diag(v, order):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is cbor2.undefined:
        return "undefined"
    if isinstance(v, int):
        if -(1 << 64) <= v < (1 << 64):
            return str(v)
        tag, mag = bignum(v)
        return "%d(h'%s')" % (tag, mag.hex())
    if isinstance(v, float):
        return diag_float(v)
    if isinstance(v, bytes):
        return "h'%s'" % v.hex()
    if isinstance(v, str):
        return diag_text(v)
    if isinstance(v, list):
        return "[" + ", ".join(diag(x, order) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(diag(k, order) + ": " + diag(x, order) for k, x in ordered_items(v, order)) + "}"
    if isinstance(v, cbor2.CBORTag):
        return "%d(%s)" % (v.tag, diag(v.value, order))
    raise TypeError(type(v))


def model(v, order):
    """The CBOR data model of a Python value, as comparable tuples."""
    if v is None:
        return ("null",)
    if isinstance(v, bool):
        return ("bool", v)
    if v is cbor2.undefined:
        return ("undefined",)
    if isinstance(v, int):
        if -(1 << 64) <= v < (1 << 64):
            return ("int", v)
        tag, mag = bignum(v)
        return ("tag", tag, ("bytes", mag))
    if isinstance(v, float):
        return ("float", v)
    if isinstance(v, bytes):
        return ("bytes", v)
    if isinstance(v, str):
        return ("str", v)
    if isinstance(v, list):
        return ("array", [model(x, order) for x in v])
    if isinstance(v, dict):
        return ("map", [(model(k, order), model(x, order)) for k, x in ordered_items(v, order)])
    if isinstance(v, cbor2.CBORTag):
        return ("tag", v.tag, model(v.value, order))
    raise TypeError(type(v))


def model_eq(a, b):
    if a[0] != b[0]:
        return False
    if a[0] == "float":
        x, y = a[1], b[1]
        if math.isnan(x) or math.isnan(y):
            return math.isnan(x) and math.isnan(y)
        return x == y and math.copysign(1.0, x) == math.copysign(1.0, y)
    if a[0] == "array":
        return len(a[1]) == len(b[1]) and all(model_eq(x, y) for x, y in zip(a[1], b[1]))
    if a[0] == "map":
        return len(a[1]) == len(b[1]) and all(
            model_eq(k1, k2) and model_eq(v1, v2) for (k1, v1), (k2, v2) in zip(a[1], b[1]))
    if a[0] == "tag":
        return a[1] == b[1] and model_eq(a[2], b[2])
    return a == b


class DiagParser:
    """Parses the definite-length subset of diagnostic notation into model()."""

    def __init__(self, text):
        self.s = text
        self.i = 0

    def fail(self, what):
        raise ValueError("%s at %d in %r" % (what, self.i, self.s[:200]))

    def ws(self):
        while self.i < len(self.s) and self.s[self.i] in " \t\n":
            self.i += 1

    def expect(self, c):
        self.ws()
        if not self.s.startswith(c, self.i):
            self.fail("expected %r" % c)
        self.i += len(c)

    def peek(self, c):
        self.ws()
        return self.s.startswith(c, self.i)

    def parse(self):
        v = self.value()
        self.ws()
        if self.i != len(self.s):
            self.fail("trailing text")
        return v

    def value(self):
        self.ws()
        s, i = self.s, self.i
        for word, m in (("null", ("null",)), ("true", ("bool", True)), ("false", ("bool", False)),
                        ("undefined", ("undefined",)), ("NaN", ("float", math.nan)),
                        ("Infinity", ("float", math.inf)), ("-Infinity", ("float", -math.inf))):
            if s.startswith(word, i):
                self.i += len(word)
                return m
        if s.startswith("h'", i):
            j = s.index("'", i + 2)
            self.i = j + 1
            return ("bytes", bytes.fromhex(s[i + 2:j]))
        if s.startswith('"', i):
            j = i + 1
            while s[j] != '"':
                j += 2 if s[j] == "\\" else 1
            self.i = j + 1
            return ("str", json.loads(s[i:j + 1]))
        if s.startswith("[", i):
            self.i += 1
            items = []
            if not self.peek("]"):
                items.append(self.value())
                while self.peek(","):
                    self.i += 1
                    items.append(self.value())
            self.expect("]")
            return ("array", items)
        if s.startswith("{", i):
            self.i += 1
            items = []
            if not self.peek("}"):
                while True:
                    k = self.value()
                    self.expect(":")
                    items.append((k, self.value()))
                    if not self.peek(","):
                        break
                    self.i += 1
            self.expect("}")
            return ("map", items)
        j = i
        while j < len(s) and s[j] in "0123456789+-.eE":
            j += 1
        tok = s[i:j]
        if not tok:
            self.fail("unexpected character")
        self.i = j
        if s.startswith("(", j):
            self.i += 1
            inner = self.value()
            self.expect(")")
            return ("tag", int(tok), inner)
        if "." in tok or "e" in tok or "E" in tok:
            return ("float", float(tok))
        return ("int", int(tok))


# ---------------------------------------------------------------------------
# a. random Python values, cbor2 -> iotsec
# ---------------------------------------------------------------------------

TEXT_POOLS = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.,:;!?",
    "\"\\/'{}[]()",
    "äöüßéèçñøåÆ",
    "水日本語中文한국어ไทย",
    "\u20ac\u2603\u00a0\ufeff\ufffd",
    "\U0001f600\U0001f9ea\U00010151\U0010fffd",
    "\x00\x01\x07\t\n\r\x1b\x1f\x7f",
]


def gen_text(r, maxlen=12):
    n = r.choice([0, 1, 2, 3, r.randint(0, maxlen), r.randint(20, 40)])
    return "".join(r.choice(r.choice(TEXT_POOLS)) for _ in range(n))


def gen_int(r):
    k = r.random()
    if k < 0.35:
        return r.randint(-30, 30)
    if k < 0.55:
        b = r.choice([8, 16, 32, 64])
        edge = r.choice([(1 << b) - 1, 1 << (b - 1), 23, 24, 255, 256, 65535, 65536, (1 << 32) - 1, 1 << 32])
        return r.choice([edge, -edge, -edge - 1, min(edge + 1, (1 << 64) - 1)])
    if k < 0.9:
        return r.randint(-(1 << 64), (1 << 64) - 1)  # the full major type 0/1 range
    # beyond 64 bits: cbor2 writes bignums (tags 2 and 3)
    n = r.randint(1 << 64, 1 << r.randint(65, 200))
    return n if r.random() < 0.5 else -n - 1


def gen_float(r):
    k = r.random()
    if k < 0.25:  # exact in half precision
        while True:
            x = struct.unpack(">e", r.getrandbits(16).to_bytes(2, "big"))[0]
            if math.isfinite(x):
                return x
    if k < 0.45:  # exact in single precision
        while True:
            x = struct.unpack(">f", r.getrandbits(32).to_bytes(4, "big"))[0]
            if math.isfinite(x):
                return x
    if k < 0.7:  # any double
        while True:
            x = struct.unpack(">d", r.getrandbits(64).to_bytes(8, "big"))[0]
            if math.isfinite(x):
                return x
    if k < 0.85:
        return round(r.uniform(-1e6, 1e6), r.randint(0, 6))
    return r.choice([0.0, -0.0, 1.0, -1.5, 0.1, 1e300, -1e-300, 5e-324, 65504.0, 65505.0,
                     3.4028234663852886e38, 1e16, 1e15, 0.0001, 0.00001, 2.0 ** -24, 2.0 ** -14,
                     # powers of two whose shortest digits are not the correctly
                     # rounded ones at that length (asymmetric rounding interval)
                     2.0 ** -1017, 2.0 ** -957, 2.0 ** -808,
                     float("nan"), float("inf"), float("-inf")])


def gen_tag_number(r):
    while True:
        t = r.choice([r.randint(0, 23), r.randint(24, 255), r.randint(256, 65535),
                      r.randint(65536, (1 << 32) - 1), r.randint(1 << 32, (1 << 64) - 1),
                      0, 1, 24, 32, 55799, 18, 96, 98, 61])
        if t not in (2, 3, 256):
            return t


def gen_value(r, depth):
    leaf = depth >= MAX_DEPTH or r.random() < 0.45
    if leaf:
        k = r.randrange(9)
        if k == 0:
            return gen_int(r)
        if k == 1:
            return gen_float(r)
        if k == 2:
            return r.getrandbits(8 * (n := r.choice([0, 1, 4, r.randint(0, 40)]))).to_bytes(n, "big")
        if k in (3, 4):
            return gen_text(r)
        if k == 5:
            return r.choice([True, False])
        if k == 6:
            return None
        if k == 7:
            return r.randint(-24, 24)
        return cbor2.undefined if r.random() < 0.3 else gen_int(r)
    k = r.randrange(5)
    width = r.choice([0, 1, 2, 3, 4, r.randint(0, 8)])
    if k == 0 or k == 1:
        return [gen_value(r, depth + 1) for _ in range(width)]
    if k == 2:
        return {gen_text(r, 6): gen_value(r, depth + 1) for _ in range(width)}
    if k == 3:
        d = {}
        for _ in range(width):
            key = gen_int(r) if r.random() < 0.7 else gen_text(r, 4)
            d[key] = gen_value(r, depth + 1)
        return d
    return cbor2.CBORTag(gen_tag_number(r), gen_value(r, depth + 1))


def json_subset(v):
    """The to-json image of v, or raise ValueError when v is outside the subset."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if v is cbor2.undefined:
        raise ValueError("undefined")
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("non-finite")
        return v
    if isinstance(v, bytes):
        return base64.urlsafe_b64encode(v).rstrip(b"=").decode("ascii")
    if isinstance(v, list):
        return [json_subset(x) for x in v]
    if isinstance(v, dict):
        if not all(isinstance(k, str) for k in v):
            raise ValueError("non-text key")
        return {k: json_subset(x) for k, x in v.items()}
    raise ValueError("tag")


def same(a, b):
    """Strict equality of JSON-ish values: int vs float, -0.0 vs 0.0, key order."""
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


def check_python_value(idx, v):
    c = Checker("a#%d" % idx)
    plain = cbor2.dumps(v)
    canon = cbor2.dumps(v, canonical=True)
    det = cbor2.dumps(wrap(v, BytewiseMap), canonical=True, default=bytewise_default)

    encodings = [("plain", plain, "insertion"), ("canonical", canon, CANONICAL_ORDER), ("bytewise", det, "bytewise")]
    for name, data, order in encodings:
        rc, out, err = run(["cbor", "check"], data)
        c.ok(rc == 0, "%s: check exit %d (%s) on %s" % (name, rc, err.decode(errors="replace").strip(), short(data)))
        rc, out, err = run(["cbor", "check", "--deterministic"], data)
        # Deterministic encoding is unique, so exactly the bytes equal to the
        # bytewise-sorted preferred encoding must pass.
        want = 0 if data == det else 1
        c.ok(rc == want, "%s: check --deterministic exit %d, expected %d (%s) on %s" % (
            name, rc, want, err.decode(errors="replace").strip(), short(data)))
        if name == "canonical" and CBOR2_LENGTH_FIRST and orders_agree(v) and floats_ok(v):
            c.ok(data == det, "canonical=True differs from bytewise though map orders agree: %s vs %s" % (
                short(data), short(det)))
        rc, out, err = run(["cbor", "diag"], data)
        if not c.ok(rc == 0, "%s: diag exit %d (%s)" % (name, rc, err.decode(errors="replace").strip())):
            continue
        text = out.decode("utf-8", errors="replace")
        text = text[:-1] if text.endswith("\n") else text
        want_text = diag(v, order)
        c.ok(text == want_text, "%s: diag of %s differs %s" % (name, short(data, 60), first_diff(text, want_text)))
        try:
            parsed = DiagParser(text).parse()
            c.ok(model_eq(parsed, model(v, order)), "%s: diag does not parse back to the value: %s" % (name, text[:400]))
        except (ValueError, IndexError) as e:
            c.ok(False, "%s: diag does not parse: %s" % (name, e))

    try:
        jv = json_subset(v)
    except ValueError:
        jv = None
        rc, out, err = run(["cbor", "to-json", "--compact"], plain)
        c.ok(rc == 1 and b"offset" in err and out == b"",
             "to-json of a non-JSON item: rc=%d %r" % (rc, err[:200]))
    else:
        rc, out, err = run(["cbor", "to-json", "--compact"], plain)
        if c.ok(rc == 0, "to-json exit %d (%s) on %s" % (rc, err.decode(errors="replace").strip(), short(plain))):
            try:
                got = json.loads(out)
                c.ok(same(got, jv), "to-json %s, expected %s" % (out[:300], json.dumps(jv)[:300]))
            except ValueError as e:
                c.ok(False, "to-json output is not JSON (%s): %r" % (e, out[:300]))
    return c.fails, c.n


# ---------------------------------------------------------------------------
# b. random JSON documents, iotsec -> cbor2
# ---------------------------------------------------------------------------

def ws(r):
    return r.choice(["", "", "", " ", "\n", "\t", "  \r\n "])


def json_string(r, s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif o < 0x20:
            out.append(r.choice(["\\u%04x" % o, "\\u%04X" % o]) if ch not in "\n\t\r\b\f" or r.random() < 0.5
                       else {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}[ch])
        elif ch == "/" and r.random() < 0.5:
            out.append("\\/")
        elif o > 0x7F and r.random() < 0.3:
            if o >= 0x10000:
                hi = 0xD800 + ((o - 0x10000) >> 10)
                lo = 0xDC00 + ((o - 0x10000) & 0x3FF)
                out.append("\\u%04x\\u%04x" % (hi, lo))
            else:
                out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def json_number(r):
    k = r.random()
    if k < 0.3:
        return str(r.randint(-1000, 1000))
    if k < 0.45:
        return str(r.randint(-(1 << 64), (1 << 64) - 1))
    if k < 0.5:
        n = r.randint(1 << 64, 1 << r.randint(65, 300))
        return str(n if r.random() < 0.5 else -n)
    if k < 0.52:
        return r.choice(["-0", "0", "-1", str(1 << 64), str(-(1 << 64)), str(-(1 << 64) - 1), str((1 << 64) - 1)])
    while True:
        x = gen_float(r)
        if math.isfinite(x):
            break
    s = repr(x)
    if r.random() < 0.3 and "e" not in s and s.endswith(".0"):
        s = s[:-2] + r.choice(["e0", "E+0", ".000"])  # still a float in JSON
    elif r.random() < 0.2 and "e" in s:
        s = s.replace("e", "E")
    return s


def gen_json(r, depth):
    if depth >= MAX_DEPTH or r.random() < 0.4:
        k = r.randrange(6)
        if k < 2:
            return json_number(r)
        if k < 4:
            return json_string(r, gen_text(r))
        return r.choice(["true", "false", "null"])
    width = r.choice([0, 1, 2, 3, r.randint(0, 7)])
    if r.random() < 0.5:
        return "[" + ws(r) + ("," + ws(r)).join(gen_json(r, depth + 1) + ws(r) for _ in range(width)) + "]"
    keys = []
    while len(keys) < width:
        kk = gen_text(r, 5)
        if kk not in keys:
            keys.append(kk)
    members = [json_string(r, kk) + ws(r) + ":" + ws(r) + gen_json(r, depth + 1) + ws(r) for kk in keys]
    return "{" + ws(r) + ("," + ws(r)).join(members) + "}"


def keys_in_canonical_order(v):
    if isinstance(v, dict):
        if len(v) > 1 and list(v.items()) != ordered_items(v, CANONICAL_ORDER):
            return False
        return all(keys_in_canonical_order(x) for x in v.values())
    if isinstance(v, list):
        return all(keys_in_canonical_order(x) for x in v)
    return True


def check_json_doc(idx, text):
    c = Checker("b#%d" % idx)
    want = json.loads(text)
    rc, out, err = run(["cbor", "from-json"], text.encode("utf-8"))
    if not c.ok(rc == 0, "from-json exit %d (%s) on %s" % (rc, err.decode(errors="replace").strip(), text[:300])):
        return c.fails, c.n
    rc2, _, err2 = run(["cbor", "check"], out)
    c.ok(rc2 == 0, "from-json output fails check: %s" % err2.decode(errors="replace").strip())
    try:
        got = cbor2.loads(out)
        c.ok(same(got, want), "cbor2.loads(from-json) = %r, expected %r (doc %s)" % (
            repr(got)[:300], repr(want)[:300], text[:300]))
    except Exception as e:  # noqa: BLE001 - any decode failure is a test failure
        c.ok(False, "cbor2 cannot decode from-json output %s: %s" % (short(out), e))
    # Same preferred serialization as cbor2, map entries in document order.
    ref = cbor2.dumps(wrap(want, OrderedMap), canonical=True, default=ordered_default)
    c.ok(out == ref, "from-json bytes %s, cbor2 preferred encoding %s (doc %s)" % (short(out), short(ref), text[:200]))
    if keys_in_canonical_order(want) and floats_ok(want):
        canon = cbor2.dumps(want, canonical=True)
        c.ok(out == canon, "from-json bytes %s, cbor2 canonical %s" % (short(out), short(canon)))
    return c.fails, c.n


# ---------------------------------------------------------------------------
# c. negative cases
# ---------------------------------------------------------------------------

def negative_cases(r):
    cases = []  # (label, bytes)
    # duplicate keys, by hand
    cases += [
        ("dup text keys", b"\xa2\x61a\x01\x61a\x02"),
        ("dup int keys", b"\xa2\x01\x00\x01\x00"),
        ("dup int keys, one non-shortest", b"\xa2\x01\x00\x18\x01\x00"),
        ("dup int keys, non-shortest first", b"\xa2\x19\x00\x05\x00\x05\x01"),
        ("dup negative keys", b"\xa2\x20\x00\x20\x01"),
        ("dup byte-string keys", b"\xa2\x41\x00\x01\x41\x00\x02"),
        ("dup float keys", b"\xa2\xf9\x3c\x00\x01\xf9\x3c\x00\x02"),
        ("dup tagged keys", b"\xa2\xc1\x01\x01\xc1\x01\x02"),
        ("dup array keys", b"\xa2\x82\x01\x02\x00\x82\x01\x02\x00"),
        ("dup keys in indefinite map", b"\xbf\x61a\x01\x61a\x02\xff"),
        ("dup keys, text key with non-shortest length", b"\xa2\x61a\x01\x78\x01a\x02"),
        ("dup keys nested in cbor2 array", b"\x82\x01" + b"\xa2\x61a\x01\x61a\x02"),
        ("dup keys far apart", b"\xa4\x61a\x00\x61b\x00\x61c\x00\x61a\x00"),
        ("dup keys unsorted", b"\xa3\x03\x00\x01\x00\x03\x00"),
    ]
    # duplicate keys built from random cbor2-encoded entries
    for i in range(30):
        d = {}
        while len(d) < r.randint(1, 6):
            key = gen_int(r) if r.random() < 0.5 else gen_text(r, 5)
            d[key] = gen_value(r, MAX_DEPTH - 1)
        entries = [cbor2.dumps(k) + cbor2.dumps(v) for k, v in d.items()]
        dk = r.choice(list(d))
        entries.insert(r.randint(0, len(entries)), cbor2.dumps(dk) + cbor2.dumps(gen_value(r, MAX_DEPTH)))
        m = bytearray()
        n = len(entries)
        m += bytes([0xA0 | n]) if n < 24 else bytes([0xB8, n])
        for e in entries:
            m += e
        # [1, "x", {"k": <map with a duplicate key>}]
        doc = b"\x83\x01\x61x\xa1\x61k" + bytes(m)
        cases.append(("random dup key %d" % i, doc))
    # invalid UTF-8 patched into cbor2 output
    bad_seqs = [b"\xff", b"\xfe", b"\x80", b"\xc0\x80", b"\xc1\xbf", b"\xe0\x80\x80", b"\xed\xa0\x80",
                b"\xed\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xf0\x80\x80\x80", b"\xc3",
                b"\xe2\x82", b"\xc3\x28"]
    marker = "\u00a7\u00a7\u00a7\u00a7"  # 8 bytes of UTF-8: c2 a7 c2 a7 ...
    mb = marker.encode("utf-8")
    for i, bad in enumerate(bad_seqs):
        for where in ("value", "key", "tagged"):
            v = gen_value(r, MAX_DEPTH - 1)
            if where == "value":
                doc = cbor2.dumps([v, {"a": "x" + marker + "y"}, 7])
            elif where == "key":
                doc = cbor2.dumps({"ok": v, "k" + marker: 1})
            else:
                doc = cbor2.dumps(cbor2.CBORTag(1000, ["z" + marker]))
            pos = doc.index(mb)
            patched = bad + b"A" * (len(mb) - len(bad))
            cases.append(("invalid UTF-8 %s in %s" % (bad.hex(), where), doc[:pos] + patched + doc[pos + len(mb):]))
    # a character split across indefinite-length text chunks: each chunk must be valid UTF-8
    cases.append(("UTF-8 split across chunks", b"\x7f\x61\xc3\x61\xbc\xff"))
    # truncation: every non-empty proper prefix
    docs = [
        cbor2.dumps({"a": [1, 2.5, b"\x00\x01", "\u00fc\u6c34"], 1000: {"n": None, "t": True}}),
        cbor2.dumps([1 << 70, -(1 << 64), 1.1, cbor2.CBORTag(55799, {"x": [0, [], {}]})]),
        cbor2.dumps(gen_value(r, 3), canonical=True),
        bytes.fromhex("9f018202039f0405ffff"),
        bytes.fromhex("bf61610161629f0203ffff"),
        bytes.fromhex("5f42010243030405ff"),
    ]
    for j, doc in enumerate(docs):
        for k in range(1, len(doc)):
            cases.append(("truncated doc %d to %d of %d bytes" % (j, k, len(doc)), doc[:k]))
    return cases


def check_negative(label, data):
    c = Checker("c: " + label)
    rc, out, err = run(["cbor", "check"], data)
    c.ok(rc == 1, "check exit %d, expected 1 on %s" % (rc, short(data)))
    c.ok(b"byte offset" in err, "stderr names no byte offset: %r" % err[:200])
    c.ok(out == b"" and err.startswith(b"iotsec: "), "error output: stdout %r stderr %r" % (out[:100], err[:100]))
    return c.fails, c.n


# ---------------------------------------------------------------------------

def main():
    try:
        import importlib.metadata
        version = importlib.metadata.version("cbor2")
    except Exception:  # noqa: BLE001 - informative only
        version = "?"
    print("cbor2 %s (%s), canonical map order: %s" % (
        version, "C extension" if type(cbor2.dumps).__name__ == "builtin_function_or_method" else "pure Python",
        CANONICAL_ORDER))
    # Probe result is informative; both orders are handled, but it must be one of them.
    record([] if (CBOR2_LENGTH_FIRST or CBOR2_BYTEWISE) else
           ["probe: cbor2 canonical map order is neither length-first nor bytewise: %s" % _probe.hex()], 1)
    # This file's renderer must agree with Appendix A spellings.
    record([m for m, ok in (("renderer 1e300", diag_float(1e300) == "1.0e+300"),
                            ("renderer 2^-24", diag_float(2.0 ** -24) == "5.960464477539063e-08"),
                            ("renderer 1e16", diag_float(1e16) == "1.0e+16"),
                            ("renderer 1e15", diag_float(1e15) == "1000000000000000.0")) if not ok], 4)

    r = random.Random(SEED)
    values = [gen_value(r, 0) for _ in range(N_DOCS)]
    rb = random.Random(SEED + 1)
    docs = [gen_json(rb, 0) for _ in range(N_DOCS)]
    rc = random.Random(SEED + 2)
    neg = negative_cases(rc)

    workers = min(8, (os.cpu_count() or 2) * 2)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        for fails, n in pool.map(lambda a: check_python_value(*a), enumerate(values)):
            record(fails, n)
        for fails, n in pool.map(lambda a: check_json_doc(*a), enumerate(docs)):
            record(fails, n)
        for fails, n in pool.map(lambda a: check_negative(*a), neg):
            record(fails, n)
        # the empty input is rejected too (it has no item, so no offset to name)
        e_rc, _, e_err = run(["cbor", "check"], b"")
        record([] if e_rc == 1 and e_err.startswith(b"iotsec: ") else
               ["c: empty input: check exit %d %r" % (e_rc, e_err)], 1)

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
