#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The iotsec command-line contract: exit codes, where messages go, input and
# output plumbing, key generation (checked against openssl as the independent
# peer), JSON and CBOR conversion errors.
#
# Exit statuses: 0 ok; 1 input rejected; 2 usage; 3 unsupported; 4 I/O.
# Env: IOTSEC_BIN (the built CLI).
# Checks are written as single-quoted `eval` strings, expanded when they run.
# shellcheck disable=SC2016
set -u

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# put_in DATA: DATA into in.bin
# shellcheck disable=SC2059 # DATA is a printf format on purpose (\xNN escapes)
put_in() { printf "$1" >in.bin; }
# runin DATA ARGS...: like run with DATA (printf format) on stdin
runin() {
    put_in "$1"
    shift
    IN=in.bin run "$@"
}
# expect_rc_in DATA CODE LABEL ARGS...: expect_rc with DATA (printf format) on stdin
expect_rc_in() {
    put_in "$1"
    shift
    IN=in.bin expect_rc "$@"
}

# ---------------------------------------------------------------- usage

expect_rc 2 "unknown noun" frobnicate
expect_rc 2 "unknown cbor verb" cbor frobnicate
expect_rc 2 "unknown key verb" key frobnicate
expect_rc 2 "key gen without --alg" key gen -o k.pem
expect_rc 2 "--alg without a value" key gen --alg
expect_rc 2 "unknown cbor diag option" cbor diag --bogus
expect_rc 2 "unknown cbor check option" cbor check --compact
expect_rc 2 "unknown key gen option" key gen --alg ES256 --bogus
expect_rc 2 "unknown key pub option" key pub --bogus k.pem
expect_rc 2 "-o without a value" cbor diag -o
expect_rc 2 "two input files" cbor check a b
expect_rc 2 "key pub without FILE" key pub
expect_rc 2 "key show, two files" key show a b
expect_rc 2 "unknown key format" key gen --alg ES256 --format der -o k.pem
expect_rc 2 "raw public key" key pub --format raw k.pem

run frobnicate
check "unknown noun: hint names 'iotsec --help' ($(tail -n1 err.txt))" grep -qx "Try 'iotsec --help'." err.txt
run cbor frobnicate
check "unknown cbor verb: hint names 'iotsec cbor --help'" grep -qx "Try 'iotsec cbor --help'." err.txt

# no arguments at all: usage on stderr, exit 2
for args in "" "cbor" "key" "key show"; do
    # shellcheck disable=SC2086
    run $args
    check "'iotsec $args' without a verb/file: exit $RC, expected 2" rc_is 2
    check "'iotsec $args': usage on stderr, not stdout" eval 'out_empty && err_has "Usage:"'
done

# --help everywhere: exit 0, usage on stdout, nothing on stderr
for args in "--help" "-h" "help" "cbor --help" "cbor diag --help" "cbor check --help" \
    "cbor from-json --help" "cbor to-json --help" "key --help" "key gen --help" \
    "key pub --help" "key show --help" "cbor check --deterministic --help" "key gen --alg ES256 --help"; do
    # shellcheck disable=SC2086
    run $args
    check "'iotsec $args': exit $RC, expected 0" rc_is 0
    check "'iotsec $args': Usage: on stdout" out_has "Usage:"
    check "'iotsec $args': nothing on stderr" err_empty
done
run --version
check "--version: exit 0 and version on stdout" eval 'rc_is 0 && out_has "iotsec "'

# ---------------------------------------------------------------- unsupported

expect_rc 3 "unknown algorithm" key gen --alg ES999 -o k.pem
expect_rc 3 "unknown numeric algorithm" key gen --alg 12345 -o k.pem
expect_rc 3 "unknown curve" key gen --alg ECDH-ES+A128KW --crv P-999 -o k.pem

# ---------------------------------------------------------------- I/O

expect_rc 4 "missing file (cbor check)" cbor check "$TMP/does-not-exist"
expect_rc 4 "missing file (cbor diag)" cbor diag "$TMP/does-not-exist"
expect_rc 4 "missing file (key show)" key show "$TMP/does-not-exist"
expect_rc 4 "directory as input" cbor check "$TMP"
printf '\x01' >one.cbor
expect_rc 4 "unwritable output" cbor diag -o "$TMP/no/such/dir/out" one.cbor
if [ "$(id -u)" -ne 0 ]; then
    printf '\x01' >locked.cbor
    chmod 000 locked.cbor
    expect_rc 4 "unreadable file" cbor check locked.cbor
fi

# ---------------------------------------------------------------- malformed CBOR

expect_rc_in '\x18' 1 "truncated CBOR" cbor check
check "truncated CBOR names the byte offset" err_has "byte offset 0"
expect_rc_in '\x1c' 1 "reserved additional info" cbor check
expect_rc_in '\x01\x02' 1 "trailing bytes" cbor check
expect_rc_in '\x62\xc3\x28' 1 "invalid UTF-8" cbor check
expect_rc_in '\xa2\x01\x00\x01\x00' 1 "duplicate keys" cbor check
expect_rc_in '\x18' 1 "truncated CBOR (diag)" cbor diag
expect_rc_in '\x18' 1 "truncated CBOR (to-json)" cbor to-json
expect_rc_in '' 1 "empty input" cbor check

# ---------------------------------------------------------------- stdin, files, -o

printf '\x83\x01\x02\x03' >arr.cbor
run cbor diag arr.cbor
check "diag FILE" eval 'rc_is 0 && [ "$(cat out.txt)" = "[1, 2, 3]" ]'
IN=arr.cbor run cbor diag -
check "diag - (stdin)" eval 'rc_is 0 && [ "$(cat out.txt)" = "[1, 2, 3]" ]'
IN=arr.cbor run cbor diag
check "diag with no FILE reads stdin" eval 'rc_is 0 && [ "$(cat out.txt)" = "[1, 2, 3]" ]'
IN=arr.cbor run cbor diag -o diag.txt
check "diag -o FILE: nothing on stdout" eval 'rc_is 0 && out_empty && err_empty'
check "diag -o FILE writes the file" eval '[ "$(cat diag.txt)" = "[1, 2, 3]" ]'
run cbor diag -o=diag2.txt arr.cbor
check "diag -o=FILE" eval 'rc_is 0 && [ "$(cat diag2.txt)" = "[1, 2, 3]" ]'
IN=arr.cbor run cbor check -
check "check -: exit 0" rc_is 0
printf '{"a": [1, 2.5, "x"]}' >doc.json
run cbor from-json -o doc.cbor doc.json
check "from-json -o FILE: exit $RC, nothing on stdout" eval 'rc_is 0 && out_empty'
check "from-json -o FILE bytes" eval '[ "$(od -An -tx1 doc.cbor | tr -d " \n")" = "a161618301f941006178" ]'
IN=doc.json run cbor from-json -
check "from-json - (stdin)" eval 'rc_is 0 && cmp -s out.txt doc.cbor'
IN=doc.cbor run cbor to-json --compact
check "to-json --compact from stdin" eval 'rc_is 0 && [ "$(cat out.txt)" = "{\"a\":[1,2.5,\"x\"]}" ]'
run cbor to-json -o doc2.json doc.cbor
check "to-json -o FILE" eval 'rc_is 0 && out_empty && [ -s doc2.json ]'

# ---------------------------------------------------------------- from-json errors

for case in '{"a": 1, "a": 2}|duplicate key' '[1, 2,]|trailing comma in array' \
    '{"a": 1,}|trailing comma in object' '"\ud800"|lone high surrogate' '"\udc00"|lone low surrogate' \
    '"\ud800x"|high surrogate without low' '"\ud800\u0041"|high surrogate before a non-surrogate' \
    '01|leading zero' '[01]|leading zero in array' \
    '1 x|trailing garbage' '{} {}|two values' '[1, 2|unterminated array' "'a'|single quotes" \
    'NaN|NaN' '1e400|number beyond double range' '|empty input'; do
    doc=${case%|*}
    label=${case##*|}
    printf '%s' "$doc" >bad.json
    IN=bad.json run cbor from-json
    check "from-json $label ('$doc'): exit $RC, expected 1" rc_is 1
    check "from-json $label: 'JSON line' in the message ($(head -c 150 err.txt))" eval 'is_error && err_has "JSON line"'
done
printf '"\xff"' >bad.json
IN=bad.json run cbor from-json
check "from-json invalid UTF-8: exit $RC, expected 1" eval 'rc_is 1 && is_error'

# ---------------------------------------------------------------- to-json

expect_rc_in '\xc0\x60' 1 "to-json of tag 0" cbor to-json
check "to-json of a tag names the offset" err_has "offset"
expect_rc_in '\x82\x01\xc1\x01' 1 "to-json of a nested tag" cbor to-json --compact
check "to-json nested tag names offset 2" err_has "offset 2"
expect_rc_in '\xf7' 1 "to-json of undefined" cbor to-json
expect_rc_in '\xf9\x7e\x00' 1 "to-json of NaN" cbor to-json
expect_rc_in '\xa1\x01\x02' 1 "to-json of an integer map key" cbor to-json
runin '\xc2\x49\x01\x00\x00\x00\x00\x00\x00\x00\x00' cbor to-json --compact
check "to-json of bignum 2^64" eval 'rc_is 0 && [ "$(cat out.txt)" = "18446744073709551616" ]'
runin '\xc3\x49\x01\x00\x00\x00\x00\x00\x00\x00\x00' cbor to-json
check "to-json of bignum -2^64-1" eval 'rc_is 0 && [ "$(cat out.txt)" = "-18446744073709551617" ]'
runin '\x43\x01\x02\x03' cbor to-json --compact
check "to-json of bytes is base64url" eval 'rc_is 0 && [ "$(cat out.txt)" = "\"AQID\"" ]'

# ---------------------------------------------------------------- check --deterministic

expect_rc_in '\x18\x17' 1 "deterministic: 1817 is not shortest" cbor check --deterministic
expect_rc_in '\xa2\x02\x00\x01\x00' 1 "deterministic: unsorted keys" cbor check --deterministic
expect_rc_in '\x9f\xff' 1 "deterministic: indefinite length" cbor check --deterministic
expect_rc_in '\xfa\x3f\x80\x00\x00' 1 "deterministic: float not shortest" cbor check --deterministic
expect_rc_in '\xa2\x02\x00\x01\x00' 0 "unsorted keys are well-formed" cbor check
expect_rc_in '\xa2\x01\x00\x02\x00' 0 "deterministic: sorted keys" cbor check --deterministic
expect_rc_in '\xa2\x18\x64\x00\x20\x00' 0 "deterministic: bytewise order (100 before -1)" cbor check --deterministic
expect_rc_in '\xa2\x20\x00\x18\x64\x00' 1 "deterministic: length-first order is not RFC 8949" cbor check --deterministic

# ---------------------------------------------------------------- keys

hexof() { od -An -tx1 -v "$1" | tr -d ' \n'; }
kid=device-42
kidhex=$(printf '%s' "$kid" | od -An -tx1 -v | tr -d ' \n')
# alg name | COSE id | extra gen args | COSE kty | crv id
keyspecs=(
    "ES256|-7||2|1" "ES384|-35||2|2" "ES512|-36||2|3" "ESP256|-9||2|1" "ESP384|-51||2|2"
    "ESP512|-52||2|3" "EdDSA|-8||1|6" "Ed25519|-19||1|6" "ECDH-ES+A128KW|-29||2|1"
    "ECDH-ES+A128KW|-29|--crv X25519|1|4" "ECDH-ES+A128KW|-29|--crv P-384|2|2"
)
for spec in "${keyspecs[@]}"; do
    IFS='|' read -r alg id extra kty crv <<<"$spec"
    tag="$alg${extra:+ $extra}"
    f=$(printf '%s' "$tag" | tr -c 'A-Za-z0-9' '_')
    # shellcheck disable=SC2086
    run key gen --alg "$alg" $extra -o "$f.pem"
    check "key gen $tag: exit $RC" eval 'rc_is 0 && out_empty'
    check "key gen $tag: mode 0600" eval '[ "$(stat -c %a "$f.pem")" = 600 ]'
    check "key gen $tag: PKCS#8 PEM" grep -q -- "-----BEGIN PRIVATE KEY-----" "$f.pem"
    check "key gen $tag: openssl accepts the private key" openssl pkey -in "$f.pem" -noout
    run key pub "$f.pem" -o "$f.pub"
    check "key pub $tag: exit $RC" rc_is 0
    check "key pub $tag: SPKI PEM" grep -q -- "-----BEGIN PUBLIC KEY-----" "$f.pub"
    check "key pub $tag: openssl accepts the public key" openssl pkey -pubin -in "$f.pub" -noout
    openssl pkey -in "$f.pem" -pubout -out "$f.ossl.pub" 2>/dev/null
    check "key pub $tag: equals openssl pkey -pubout" cmp -s "$f.pub" "$f.ossl.pub"

    # COSE_Key with a kid
    # shellcheck disable=SC2086
    run key gen --alg "$alg" $extra --kid "$kid" --format cose -o "$f.cose"
    check "key gen $tag --format cose: exit $RC" rc_is 0
    check "key gen $tag --format cose: mode 0600" eval '[ "$(stat -c %a "$f.cose")" = 600 ]'
    run cbor check --deterministic "$f.cose"
    check "key gen $tag --format cose: deterministic CBOR ($(cat err.txt))" rc_is 0
    run cbor diag "$f.cose"
    check "COSE_Key $tag: kty $kty" out_has "{1: $kty, "
    check "COSE_Key $tag: kid as bytes" out_has "2: h'$kidhex'"
    check "COSE_Key $tag: alg $id" out_has "3: $id,"
    check "COSE_Key $tag: crv $crv" out_has "-1: $crv,"
    check "COSE_Key $tag: has d (-4)" out_has "-4: h'"
    run key pub "$f.cose" -o "$f.pub.cose"
    check "key pub $tag COSE: exit $RC" rc_is 0
    run cbor diag "$f.pub.cose"
    check "key pub $tag COSE: no private part (-4)" eval '! out_has "-4:"'
    check "key pub $tag COSE: kid kept" out_has "2: h'$kidhex'"
    run cbor check --deterministic "$f.pub.cose"
    check "key pub $tag COSE: deterministic" rc_is 0
    run key show "$f.cose"
    check "key show $tag COSE: exit $RC" eval 'rc_is 0 && out_has "private:   yes" && out_has "kid:       $kid"'
    # the PEM key as a COSE_Key: public part equals openssl's
    run key pub --format cose "$f.pem" -o "$f.pem.pub.cose"
    check "key pub --format cose $tag: exit $RC" rc_is 0
done

# symmetric keys
symspecs=("A128KW|-3|16" "A256GCM|3|32" "HS256|5|32" "ChaCha20/Poly1305|24|32" "A128CTR|-65534|16")
for spec in "${symspecs[@]}"; do
    IFS='|' read -r alg id len <<<"$spec"
    f=$(printf '%s' "$alg" | tr -c 'A-Za-z0-9' '_')
    run key gen --alg "$alg" --kid "$kid" -o "$f.cose"
    check "key gen $alg (default cose): exit $RC" rc_is 0
    check "key gen $alg: mode 0600" eval '[ "$(stat -c %a "$f.cose")" = 600 ]'
    run cbor check --deterministic "$f.cose"
    check "key gen $alg: deterministic COSE_Key" rc_is 0
    run cbor diag "$f.cose"
    check "COSE_Key $alg: kty 4, kid, alg $id ($(cat out.txt))" eval \
        'out_has "{1: 4, " && out_has "2: h'"'"'$kidhex'"'"'" && out_has "3: $id,"'
    check "COSE_Key $alg: k of $len bytes" grep -Eq -- "-1: h'[0-9a-f]{$((2 * len))}'" out.txt
    run key gen --alg "$alg" --format raw -o "$f.raw"
    check "key gen $alg --format raw: exit $RC" rc_is 0
    check "key gen $alg --format raw: $len bytes" eval '[ "$(stat -c %s "$f.raw")" = "$len" ]'
    check "key gen $alg --format raw: mode 0600" eval '[ "$(stat -c %a "$f.raw")" = 600 ]'
    expect_rc 2 "key gen $alg --format pem" key gen --alg "$alg" --format pem -o "$f.pem"
    check "key gen $alg --format pem: no file left" eval '[ ! -e "$f.pem" ]'
    expect_rc 1 "key pub of symmetric $alg" key pub "$f.cose"
    run key show "$f.raw"
    check "key show raw $alg: $((len * 8)) bits" eval 'rc_is 0 && out_has "length:    $((len * 8)) bits"'
done

# mismatched curves are usage errors
expect_rc 2 "ES256 --crv P-384" key gen --alg ES256 --crv P-384 -o x.pem
expect_rc 2 "ES384 --crv P-256" key gen --alg ES384 --crv P-256 -o x.pem
expect_rc 2 "EdDSA --crv X25519" key gen --alg EdDSA --crv X25519 -o x.pem
expect_rc 2 "Ed25519 --crv Ed448" key gen --alg Ed25519 --crv Ed448 -o x.pem
expect_rc 2 "ECDH-ES+A128KW --crv Ed25519" key gen --alg ECDH-ES+A128KW --crv Ed25519 -o x.pem
expect_rc 2 "A128KW --crv P-256" key gen --alg A128KW --crv P-256 -o x.cose
expect_rc 2 "ES256 --format raw" key gen --alg ES256 --format raw -o x.raw
check "no key file left behind by usage errors" eval '[ ! -e x.pem ] && [ ! -e x.cose ] && [ ! -e x.raw ]'

# a secret is created 0600 whatever the umask, also over an existing file
(umask 000 && "$BIN" key gen --alg ES256 -o umask.pem) 2>/dev/null
check "key gen under umask 000: mode 0600" eval '[ "$(stat -c %a umask.pem)" = 600 ]'
: >existing.pem
chmod 644 existing.pem
run key gen --alg ES256 -o existing.pem
check "key gen over an existing 0644 file: mode 0600" eval 'rc_is 0 && [ "$(stat -c %a existing.pem)" = 600 ]'
# to a pipe (not a terminal) a private key may go to stdout
"$BIN" key gen --alg ES256 2>/dev/null | head -n1 >first.txt
check "key gen to a pipe writes PEM to stdout" grep -qx -- "-----BEGIN PRIVATE KEY-----" first.txt

# keys made by openssl
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ossl-p256.pem 2>/dev/null
openssl genpkey -algorithm ed25519 -out ossl-ed25519.pem 2>/dev/null
openssl pkey -in ossl-p256.pem -pubout -outform DER -out ossl-p256.pub.der 2>/dev/null
openssl pkey -in ossl-ed25519.pem -pubout -outform DER -out ossl-ed25519.pub.der 2>/dev/null
openssl pkey -in ossl-p256.pem -pubout -out ossl-p256.pub.pem 2>/dev/null
run key show ossl-p256.pem
check "key show openssl P-256: exit $RC" eval 'rc_is 0 && out_has "curve:     P-256" && out_has "private:   yes"'
run key show ossl-ed25519.pem
check "key show openssl Ed25519: exit $RC" eval 'rc_is 0 && out_has "curve:     Ed25519" && out_has "private:   yes"'
run key show ossl-p256.pub.pem
check "key show openssl SPKI: public only" eval 'rc_is 0 && out_has "curve:     P-256" && out_has "private:   no"'
# x||y of P-256 are the last 64 bytes of the SPKI (uncompressed point); Ed25519's key the last 32
# shellcheck disable=SC2034 # both are used inside eval strings below
p256=$(hexof ossl-p256.pub.der) ed=$(hexof ossl-ed25519.pub.der)
run key pub --format cose ossl-p256.pem -o ossl-p256.cose
check "key pub --format cose openssl P-256: exit $RC" rc_is 0
run cbor diag ossl-p256.cose
check "openssl P-256 as COSE_Key: x and y match openssl ($(cat out.txt))" eval \
    'out_has "{1: 2, -1: 1, -2: h'"'"'${p256: -128:64}'"'"', -3: h'"'"'${p256: -64}'"'"'}"'
run cbor check --deterministic ossl-p256.cose
check "openssl P-256 as COSE_Key: deterministic" rc_is 0
run key pub --format cose ossl-ed25519.pem -o ossl-ed25519.cose
check "key pub --format cose openssl Ed25519: exit $RC" rc_is 0
run cbor diag ossl-ed25519.cose
check "openssl Ed25519 as COSE_Key: x matches openssl ($(cat out.txt))" eval \
    'out_has "{1: 1, -1: 6, -2: h'"'"'${ed: -64}'"'"'}"'
run key pub ossl-ed25519.pem -o ossl-ed25519.pub.pem
check "key pub openssl Ed25519 equals openssl -pubout" eval \
    'rc_is 0 && openssl pkey -in ossl-ed25519.pem -pubout 2>/dev/null | cmp -s - ossl-ed25519.pub.pem'
# a COSE_Key made from a PEM key loads back and gives the same SPKI
run key pub --format pem ossl-p256.cose -o roundtrip.pub.pem
check "COSE_Key -> PEM gives openssl's SPKI" eval 'rc_is 0 && cmp -s roundtrip.pub.pem ossl-p256.pub.pem'
# SEC1 ("EC PRIVATE KEY") from openssl
openssl ec -in ossl-p256.pem -out ossl-sec1.pem 2>/dev/null
run key show ossl-sec1.pem
check "key show SEC1 P-256" eval 'rc_is 0 && out_has "curve:     P-256"'
printf 'this is not a key' >junk.key  # 17 bytes: not a raw key length either
expect_rc 1 "key show of junk" key show junk.key

summary
