#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Build the libFuzzer targets with clang (ASan + UBSan) and run each for a
# bounded time from a seed corpus made from the shared vectors.
# usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [BUILD_DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-20}
bdir=${2:-$top/build-fuzz}
shared=${IOTSEC_SHARED:-$top/../shared}

CC=clang cmake -S "$top" -B "$bdir" -DIOTSEC_FUZZ=ON -DIOTSEC_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$bdir" -j"$(nproc)" --target fuzz_cbor_decode fuzz_cose_key fuzz_cose_decode fuzz_suit fuzz_json \
    fuzz_hsslms fuzz_eat >/dev/null

corpus="$bdir/corpus"
rm -rf "$corpus"
mkdir -p "$corpus/cbor" "$corpus/cose_key" "$corpus/cose" "$corpus/suit" "$corpus/json" "$corpus/hsslms" \
    "$corpus/eat"
/usr/bin/python3 - "$shared" "$corpus" "$top" <<'PY'
import json, os, re, sys
shared, corpus, top = sys.argv[1], sys.argv[2], sys.argv[3]
vec = json.load(open(os.path.join(shared, "vectors/cbor/appendix_a.json")))
for i, v in enumerate(vec):
    b = bytes.fromhex(v["hex"])
    for flags in (0, 1, 2):
        open(os.path.join(corpus, "cbor", f"a{i}_{flags}"), "wb").write(bytes([flags]) + b)
    if "decoded" in v:
        open(os.path.join(corpus, "json", f"a{i}"), "w").write(json.dumps(v["decoded"]))
keys = [
    "a401022001215820" + "65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d"
    + "2258201e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c",
    "a301040258246d65726961646f632e6272616e64796275636b406275636b6c616e642e6578616d706c65"
    + "20582065eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d",
    "a3010402423131204e0102030405060708090a0b0c0d0e",
    "a4010120062158204d5e1b1a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
]
for i, k in enumerate(keys):
    open(os.path.join(corpus, "cose_key", f"k{i}"), "wb").write(bytes.fromhex(k))
types = {"sign0": 1, "sign": 2, "mac0": 3, "mac": 4, "encrypted": 5, "enveloped": 6}
root = os.path.join(shared, "vectors/cose-wg-examples")
for d, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".json"):
            continue
        try:
            v = json.load(open(os.path.join(d, f)))
            msg = bytes.fromhex(v["output"]["cbor"])
        except Exception:
            continue
        t = next((n for k, n in types.items() if k in v.get("input", {})), 0)
        open(os.path.join(corpus, "cose", f[:-5] + "_" + os.path.basename(d)), "wb").write(bytes([t]) + msg)
# HSS-LMS: n || public key (n bytes) || signature. RFC 8554 Test Cases 1
# and 2 as tests/test_hsslms.c types them in (Test Case 1 verifies against
# the target's fixed message), and the cose-wg hashsig signatures.
src = open(os.path.join(top, "tests/test_hsslms.c")).read()
def c_hex(name):
    m = re.search(r"static const char " + name + r"\[\] =(.*?);", src, re.S)
    return bytes.fromhex("".join(re.findall(r'"([0-9a-f]*)"', m.group(1))))
def hss_seed(name, pub, sig):
    open(os.path.join(corpus, "hsslms", name), "wb").write(bytes([len(pub)]) + pub + sig)
for tc in ("tc1", "tc2"):
    hss_seed(tc, c_hex(tc + "_pub"), c_hex(tc + "_sig"))
hss_seed("tc1_pub_only", c_hex("tc1_pub"), b"")
for f in ("hashsig-01.json", "hsssig-sig-01.json"):
    try:
        v = json.load(open(os.path.join(root, "hashsig", f)))
        keyholder = v["input"].get("sign0") or v["input"]["sign"]["signers"][0]
        pub = bytes.fromhex(keyholder["key"]["public"])
        msg = bytes.fromhex(v["output"]["cbor"])
        i = msg.rfind(b"\x59\x09\xd0")
        if i >= 0 and len(msg) == i + 3 + 0x9d0:
            hss_seed(f[:-5], pub, msg[i + 3:])
    except Exception:
        pass
import cbor2
for d, _, files in os.walk(os.path.join(shared, "vectors/suit")):
    for f in files:
        if not f.endswith(".cbor"):
            continue
        b = open(os.path.join(d, f), "rb").read()
        for mode in (0, 2, 4, 6):
            open(os.path.join(corpus, "suit", "env%d_" % mode + f), "wb").write(bytes([mode]) + b)
        try:
            env = cbor2.loads(b)
            env = env.value if isinstance(env, cbor2.CBORTag) else env
            for mode in (1, 3, 5, 7):
                open(os.path.join(corpus, "suit", "man%d_" % mode + f), "wb").write(bytes([mode]) + env[3])
        except Exception:
            pass
open(os.path.join(corpus, "json", "obj"), "w").write('{"a": [1, -2, 3.5, "x\\u00fc", null, true], "b": {"c": 18446744073709551616}}')
# EAT: mode byte (fuzz/fuzz_eat.c) || input. The RFC 9711 Appendix A
# vectors as claims sets, UCCS and tokens; each claims set also as a CWT
# in a COSE_Mac0 under the target's HMAC key (bytes 0..31, kid "k"), and
# A.2.2's bundle again with a main token under that key, so that seeds
# verify and the fuzzer reaches freshness, profile and digest checks.
import hashlib, hmac
hkey = bytes(range(32))
def mac0(payload):
    prot = bytes.fromhex("a10105")
    tbm = cbor2.dumps(["MAC0", prot, b"", payload])
    tag = hmac.new(hkey, tbm, hashlib.sha256).digest()
    return cbor2.dumps(cbor2.CBORTag(61, cbor2.CBORTag(17, [prot, {4: b"k"}, payload, tag])))
def eat_seed(name, b):
    for mode in (0, 1, 3, 5, 13, 29):
        open(os.path.join(corpus, "eat", "%s_%d" % (name, mode)), "wb").write(bytes([mode]) + b)
edir = os.path.join(shared, "vectors/eat/rfc9711")
hexes = {}
for f in sorted(os.listdir(edir)):
    if f.endswith(".hex"):
        b = bytes.fromhex(open(os.path.join(edir, f)).read().strip())
        hexes[f] = b
        eat_seed(f[:-4], b)
        if ".claims" in f or "main-claims" in f:
            eat_seed(f[:-4] + ".uccs", cbor2.dumps(cbor2.CBORTag(601, cbor2.loads(b))))
            eat_seed(f[:-4] + ".mac0", mac0(b))
try:
    deb = cbor2.loads(hexes["A.2.2-cbor-detached-eat-bundle.token.hex"])
    main = mac0(hexes["A.2.2-cbor-detached-eat-bundle.main-claims.hex"])
    eat_seed("A.2.2.mac0-bundle", cbor2.dumps(cbor2.CBORTag(602, [main, deb.value[1]])))
except Exception:
    pass
PY

status=0
for t in cbor_decode:cbor cose_key:cose_key cose_decode:cose suit:suit json:json hsslms:hsslms eat:eat; do
    target=${t%%:*}
    dir=${t##*:}
    work="$bdir/run-$target"
    mkdir -p "$work"
    cp -r "$corpus/$dir/." "$work/"
    echo "fuzz_$target: ${secs}s"
    if ! (cd "$bdir" && "./fuzz/fuzz_$target" -max_total_time="$secs" -max_len=4096 -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 "$work" 2>"$bdir/fuzz_$target.log"); then
        echo "fuzz_$target FAILED; see $bdir/fuzz_$target.log" >&2
        tail -40 "$bdir/fuzz_$target.log" >&2
        status=1
    else
        grep -E "stat::number_of_executed_units|cov:" "$bdir/fuzz_$target.log" | tail -2 | sed 's/^/  /'
    fi
done
exit $status
