#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Measure iotsec's figures: callgrind instruction counts on x86-64 (-O2) and
# Cortex-M4 Thumb -Os code size. Instruction counts repeat exactly, so they
# are the figures to compare; the machine may be shared and noisy.
# usage: bench/run.sh [BUILD_DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
b=${1:-$top/build-bench}
calls=1001
cmake -S "$top" -B "$b" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" \
      -DIOTSEC_TESTS=OFF >/dev/null
cmake --build "$b" -j"$(nproc)" --target bench_cbor bench_cose bench_suit bench_eat >/dev/null
/usr/bin/python3 "$top/bench/gen_doc299.py" "$b/doc299.cbor"
"$b/bench/bench_cbor" "$b/doc299.cbor" 3 >/dev/null

ir() { # function -> instructions per call
    valgrind --tool=callgrind --callgrind-out-file="$b/cg.$1" --toggle-collect="$1" \
        "$b/bench/bench_cbor" "$b/doc299.cbor" $calls 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | awk -v c=$calls '{ printf "%d", $1 / c }'
}
items=101
echo "CBOR on doc299 (300 bytes, $items data items), x86-64 gcc -O2, callgrind:"
for fn in bench_validate bench_tokens bench_walk bench_encode; do
    n=$(ir $fn)
    printf '  %-16s %6d Ir/call  %5.1f Ir/item\n' "$fn" "$n" "$(echo "$n $items" | awk '{print $1/$2}')"
done
echo
echo "COSE_Sign1 ES256 verify, 116 bytes, x86-64 gcc -O2, callgrind ($calls calls):"
valgrind --tool=callgrind --callgrind-out-file="$b/cg.cose" --toggle-collect=bench_verify \
    "$b/bench/bench_cose" $calls >/dev/null 2>&1
/usr/bin/python3 "$top/bench/cg_split.py" "$b/cg.cose" $calls
echo
shared=${IOTSEC_SHARED:-$top/../shared}
v=$shared/vectors/suit
suit_calls=101
echo "SUIT: authenticate + validate + load + invoke of draft Example 0 (237 bytes, ES256), x86-64 gcc -O2, callgrind ($suit_calls calls):"
valgrind --tool=callgrind --callgrind-out-file="$b/cg.suit" --toggle-collect=bench_process \
    "$b/bench/bench_suit" "$v/manifest/ex0-secure-boot.signed.cbor" \
    "$v/keys/ietf-example-p256.pub.pem" $suit_calls >/dev/null 2>&1
/usr/bin/python3 "$top/bench/cg_split.py" "$b/cg.suit" $suit_calls
echo
echo "SUIT image digest throughput through the platform port (time: a ratio, not a figure):"
"$b/bench/bench_suit" digest 64 4
"$b/bench/bench_suit" digest 64 16
echo "  openssl speed -bytes 16384 sha256: $(openssl speed -bytes 16384 -seconds 2 sha256 2>/dev/null |
    awk '/^sha256/ { printf "%.0f MB/s", $2 / 1000 }')"
echo
eat_calls=101
echo "EAT creation on the device: build a typical claims set (nonce, ueid, oemid, hwmodel, swname,"
echo "swversion, oemboot, dbgstat, bootcount, iat, a 200-byte manifest, a measurement) and sign it ES256,"
echo "x86-64 gcc -O2, callgrind ($eat_calls calls):"
valgrind --tool=callgrind --callgrind-out-file="$b/cg.eat" --toggle-collect=bench_create \
    "$b/bench/bench_eat" $eat_calls >/dev/null 2>&1
/usr/bin/python3 "$top/bench/cg_split.py" "$b/cg.eat" $eat_calls
echo
echo "EAT verify throughput against the bare signature check (time: a ratio, not a figure):"
"$b/bench/bench_eat" throughput 2000
echo "  openssl speed -seconds 2 ecdsap256: $(openssl speed -seconds 2 ecdsap256 2>/dev/null |
    awk '/ecdsa \(nistp256\)/ { printf "%.0f verify/s, %.0f sign/s", $NF, $(NF-1) }')"
echo
"$top/bench/size_arm.sh" "$b/arm"
