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
cmake --build "$bdir" -j"$(nproc)" --target fuzz_cbor_decode fuzz_cose_key fuzz_cose_decode fuzz_json >/dev/null

corpus="$bdir/corpus"
rm -rf "$corpus"
mkdir -p "$corpus/cbor" "$corpus/cose_key" "$corpus/cose" "$corpus/json"
/usr/bin/python3 - "$shared" "$corpus" <<'PY'
import json, os, sys
shared, corpus = sys.argv[1], sys.argv[2]
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
open(os.path.join(corpus, "json", "obj"), "w").write('{"a": [1, -2, 3.5, "x\\u00fc", null, true], "b": {"c": 18446744073709551616}}')
PY

status=0
for t in cbor_decode:cbor cose_key:cose_key cose_decode:cose json:json; do
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
