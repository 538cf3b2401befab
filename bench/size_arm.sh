#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Cortex-M4 code size of libiotsec, crypto excluded:
#  - object text of the portable core (arm-none-eabi-gcc -Os -mcpu=cortex-m4 -mthumb);
#  - linked size of each probe in bench/arm/ (gc-sections, newlib-nano), summed
#    from the link map over iotsec's own objects;
#  - the SUIT processor built for the manifest draft's conformance set only;
#  - the SUIT processor context's RAM.
# usage: bench/size_arm.sh [OUTDIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/arm}
CC=arm-none-eabi-gcc
CFLAGS="-std=c11 -Os -mcpu=cortex-m4 -mthumb -ffunction-sections -fdata-sections -Wall -Wextra -Wconversion -Wshadow -Werror -I$top/include -I$top/port"

if ! command -v $CC >/dev/null; then
    echo "size_arm: $CC not found (Debian package gcc-arm-none-eabi)" >&2
    exit 1
fi

# compile_core OBJDIR [FLAGS...]: the library core into OBJDIR; sets objs
compile_core() {
    local dir=$1 src mod o
    shift
    mkdir -p "$dir"
    objs=()
    for src in "$top"/src/*/*.c; do
        mod=$(basename "$(dirname "$src")")
        o="$dir/${mod}_$(basename "${src%.c}").o"
        $CC $CFLAGS "$@" -c "$src" -o "$o"
        objs+=("$o")
    done
}

# link_probe PROBE.c NAME OBJDIR [FLAGS...]: link a probe against objs, print its size
link_probe() {
    local probe=$1 name=$2 dir=$3
    shift 3
    $CC $CFLAGS "$@" -c "$probe" -o "$out/$name.o"
    $CC -mcpu=cortex-m4 -mthumb --specs=nano.specs --specs=nosys.specs \
        -Wl,--gc-sections -Wl,-Map="$out/$name.map" -Wl,--unresolved-symbols=ignore-all \
        "$out/$name.o" "${objs[@]}" -o "$out/$name.elf"
    /usr/bin/python3 "$top/bench/mapsize.py" "$out/$name.map" "$dir" > "$out/$name.size"
    cat "$out/$name.size"
}

compile_core "$out/obj"
echo "Thumb -Os object text (library core, crypto excluded):"
arm-none-eabi-size -t "${objs[@]}" | awk 'NR > 1 { n = split($6, a, "/"); printf "  %7d  %s\n", $1, (a[n] == "(TOTALS)" ? "total" : a[n]) }'

for probe in "$top"/bench/arm/*.c; do
    name=$(basename "${probe%.c}")
    echo "Linked Thumb -Os size, probe $name (iotsec code only):"
    link_probe "$probe" "$name" "$out/obj"
done

# The SUIT processor for the manifest draft's conformance set (section 8.5):
# signatures only, no firmware encryption, trust domains, update management
# or MAC authentication, and no deterministic-mode CBOR decoding (which no
# device-side module asks for). The COSE_Sign1 verify probe is linked again
# from the same objects: the figure for a device build.
min=(-DIOTSEC_SUIT_ENCRYPTION=0 -DIOTSEC_SUIT_TRUST_DOMAINS=0 -DIOTSEC_SUIT_UPDATE_MANAGEMENT=0
     -DIOTSEC_COSE_VERIFY_MAC=0 -DIOTSEC_COSE_VERIFY_SIGN=0 -DIOTSEC_CBOR_DETERMINISTIC_DECODE=0)
compile_core "$out/obj-min" "${min[@]}"
echo "Linked Thumb -Os size, probe size_cose_sign1_verify in the device build (${min[*]}):"
link_probe "$top/bench/arm/size_cose_sign1_verify.c" size_cose_sign1_verify_min "$out/obj-min" "${min[@]}"
echo "Linked Thumb -Os size, SUIT processor for the conformance set (${min[*]}):"
link_probe "$top/bench/arm/size_suit_process.c" size_suit_min "$out/obj-min" "${min[@]}"

# The minimal processor of the manifest draft's Implementation Conformance
# Matrix (section 8.5): the same build without the commands the matrix marks
# OPTIONAL, and without integrated payloads (the matrix asks for fetch, which
# goes to the platform; images carried in the envelope are beyond it).
req=("${min[@]}" -DIOTSEC_SUIT_OPTIONAL_COMMANDS=0 -DIOTSEC_SUIT_INTEGRATED_PAYLOADS=0)
compile_core "$out/obj-req" "${req[@]}"
echo "Linked Thumb -Os size, SUIT processor for the REQUIRED rows of the conformance matrix (${req[*]}):"
link_probe "$top/bench/arm/size_suit_process.c" size_suit_req "$out/obj-req" "${req[@]}"

ram=$(arm-none-eabi-nm -S "$out/size_suit_process.elf" | awk '$4 == "suit_ctx" { print $2 }')
echo "SUIT processor context RAM (struct iotsec_suit_ctx, Cortex-M4): $((16#$ram)) bytes"
