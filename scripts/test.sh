#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Build and run every test of iotsec:
#   1. gcc build with -Werror, all tests (unit, vectors, peers, CLI);
#   2. clang build for size (-Os) with -Werror, all tests;
#   3. ASan + UBSan build, all tests;
#   4. the C unit tests under valgrind memcheck;
#   5. every libFuzzer target for a bounded time;
#   6. the library core compiled with a plain `cc -c` and cross-compiled for
#      Cortex-M4 (arm-none-eabi-gcc -Os -mthumb), with its size.
# The last line is "N passed, N failed" over all tests and stages.
# usage: scripts/test.sh   (env: IOTSEC_SHARED, IOTSEC_FUZZ_SECONDS)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export IOTSEC_SHARED=${IOTSEC_SHARED:-$(cd "$top/.." && pwd)/shared}
fuzz_secs=${IOTSEC_FUZZ_SECONDS:-20}
jobs=$(nproc)
passed=0
failed=0
failures=()

"$top/scripts/deps.sh" test || exit 1
if [ ! -d "$IOTSEC_SHARED/vectors" ]; then
    echo "test: shared vectors not found at $IOTSEC_SHARED (set IOTSEC_SHARED)" >&2
    exit 1
fi

stage() { # name, then the command
    local name=$1
    shift
    echo
    echo "=== $name"
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures+=("$name")
    fi
}

# Run ctest in a build dir and count its tests into the totals.
ctest_in() {
    local dir=$1 out rc
    out=$(cd "$dir" && ctest --output-on-failure -j"$jobs" 2>&1)
    rc=$?
    echo "$out" | tail -n 40
    local total fails
    total=$(echo "$out" | sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' | tail -1)
    fails=$(echo "$out" | sed -n 's/.*, \([0-9]*\) tests failed out of.*/\1/p' | tail -1)
    if [ -n "$total" ]; then
        passed=$((passed + total - fails))
        failed=$((failed + fails))
        [ "$fails" -eq 0 ] || failures+=("ctest in $dir")
    else
        failed=$((failed + 1))
        failures+=("ctest in $dir")
    fi
    return $rc
}

build() { # dir, then cmake options
    local dir=$1
    shift
    cmake -S "$top" -B "$dir" -DIOTSEC_WERROR=ON "$@" >/dev/null &&
        cmake --build "$dir" -j"$jobs" 2>&1 | grep -E "warning|error|Error" ; test "${PIPESTATUS[0]}" -eq 0
}

echo "=== gcc build (-Werror) and tests"
if CC=gcc build "$top/build"; then ctest_in "$top/build"; else failed=$((failed + 1)); failures+=("gcc build"); fi

# clang builds for size (-Os), the way firmware is built: the codec's and the
# processor's compact code paths (__OPTIMIZE_SIZE__) are tested here, the
# fast ones in the gcc build.
echo "=== clang build for size (-Os, -Werror) and tests"
if CC=clang build "$top/build-clang" -DCMAKE_BUILD_TYPE=MinSizeRel; then ctest_in "$top/build-clang"; else failed=$((failed + 1)); failures+=("clang build"); fi

echo "=== ASan + UBSan build and tests"
if CC=clang build "$top/build-asan" -DIOTSEC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug; then
    ASAN_OPTIONS=detect_leaks=1 ctest_in "$top/build-asan"
else
    failed=$((failed + 1)); failures+=("asan build")
fi

valgrind_tests() {
    local t rc=0
    for t in "$top"/build/tests/test_*; do
        [ -x "$t" ] || continue
        echo "valgrind $(basename "$t")"
        valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
            "$t" >/dev/null || rc=1
    done
    return $rc
}
stage "valgrind memcheck of the unit tests" valgrind_tests

stage "libFuzzer targets, ${fuzz_secs}s each" "$top/scripts/fuzz.sh" "$fuzz_secs" "$top/build-fuzz"

plain_cc() {
    local d
    d=$(mktemp -d)
    (cd "$d" && cc -std=c11 -Wall -Wextra -Wconversion -Wshadow -Werror -I"$top/include" -I"$top/port" \
        -c "$top"/src/*/*.c) && echo "plain cc -c of src/*/*.c: ok"
    local rc=$?
    rm -rf "$d"
    return $rc
}
stage "library core with a plain cc -c" plain_cc
stage "Cortex-M4 cross-compile and size" "$top/bench/size_arm.sh" "$top/build/arm"

echo
if [ ${#failures[@]} -gt 0 ]; then
    printf 'failed: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
