#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Cortex-M4 code size of libiotsec, crypto excluded:
#  - object text of the portable core (arm-none-eabi-gcc -Os -mcpu=cortex-m4 -mthumb);
#  - linked size of each probe in bench/arm/ (gc-sections, newlib-nano), summed
#    from the link map over iotsec's own objects.
# usage: bench/size_arm.sh [OUTDIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/arm}
mkdir -p "$out/obj"
CC=arm-none-eabi-gcc
CFLAGS="-std=c11 -Os -mcpu=cortex-m4 -mthumb -ffunction-sections -fdata-sections -Wall -Wextra -Wconversion -Wshadow -Werror -I$top/include -I$top/port"

if ! command -v $CC >/dev/null; then
    echo "size_arm: $CC not found (Debian package gcc-arm-none-eabi)" >&2
    exit 1
fi

objs=()
for src in "$top"/src/*/*.c; do
    mod=$(basename "$(dirname "$src")")
    o="$out/obj/${mod}_$(basename "${src%.c}").o"
    $CC $CFLAGS -c "$src" -o "$o"
    objs+=("$o")
done
echo "Thumb -Os object text (library core, crypto excluded):"
arm-none-eabi-size -t "${objs[@]}" | awk 'NR > 1 { n = split($6, a, "/"); printf "  %7d  %s\n", $1, (a[n] == "(TOTALS)" ? "total" : a[n]) }'

for probe in "$top"/bench/arm/*.c; do
    name=$(basename "${probe%.c}")
    $CC $CFLAGS -c "$probe" -o "$out/$name.o"
    $CC -mcpu=cortex-m4 -mthumb --specs=nano.specs --specs=nosys.specs \
        -Wl,--gc-sections -Wl,-Map="$out/$name.map" -Wl,--unresolved-symbols=ignore-all \
        "$out/$name.o" "${objs[@]}" -o "$out/$name.elf"
    /usr/bin/python3 "$top/bench/mapsize.py" "$out/$name.map" "$out/obj" > "$out/$name.size"
    echo "Linked Thumb -Os size, probe $name (iotsec code only):"
    cat "$out/$name.size"
done
if [ -f "$out/size_suit_process.elf" ]; then
    ram=$(arm-none-eabi-nm -S "$out/size_suit_process.elf" | awk '$4 == "suit_ctx" { print $2 }')
    echo "SUIT processor context RAM (struct iotsec_suit_ctx, Cortex-M4): $((16#$ram)) bytes"
fi
