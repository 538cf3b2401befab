# SPDX-License-Identifier: Apache-2.0
# What the CLI test scripts (t_*.sh) share; each sources it first. Sourcing
# it makes a scratch directory, $TMP, removed on exit, and changes into it:
# paths relative to the script must be made before.
#
# Env: IOTSEC_BIN (the built CLI; a relative path still works from $TMP).
# shellcheck shell=bash

BIN=${IOTSEC_BIN:-iotsec}
case $BIN in */*) BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN") ;; esac
PASS=0
FAIL=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1

# check DESCRIPTION COMMAND...: count COMMAND's success
check() {
    local what=$1
    shift
    if "$@"; then
        PASS=$((PASS + 1))
    else
        FAIL=$((FAIL + 1))
        echo "FAIL: $what"
    fi
}

# run ARGS...: run iotsec, stdin from $IN (default /dev/null); sets RC, out.txt
# and err.txt
IN=/dev/null
run() {
    "$BIN" "$@" <"$IN" >out.txt 2>err.txt
    RC=$?
}
rc_is() { [ "$RC" -eq "$1" ]; }
out_has() { grep -q -F -- "$1" out.txt; }
err_has() { grep -q -F -- "$1" err.txt; }
out_empty() { [ ! -s out.txt ]; }
err_empty() { [ ! -s err.txt ]; }
# an error: nothing on stdout, the first line on stderr starts "iotsec: "
is_error() { out_empty && [ -s err.txt ] && head -n1 err.txt | grep -q '^iotsec: '; }

# expect_rc CODE LABEL ARGS...: $RUN (default run) ARGS exits CODE, and for
# errors the message is on stderr only
expect_rc() {
    local code=$1 label=$2
    shift 2
    "${RUN:-run}" "$@"
    check "$label: exit $RC, expected $code ($(head -c 300 err.txt))" rc_is "$code"
    if [ "$code" -ne 0 ]; then
        check "$label: error message belongs on stderr with 'iotsec: '" is_error
    fi
}

# summary: the last line, "N passed, N failed"; false when a check failed
summary() {
    echo "$PASS passed, $FAIL failed"
    [ "$FAIL" -eq 0 ]
}
