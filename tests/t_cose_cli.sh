#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The 'iotsec cose' commands: sign/verify, mac, encrypt/decrypt round trips
# for each key kind, the failures that must be refused (wrong key, tampered
# signature, wrong detached payload or AAD), outputs that must not appear on
# failure, usage and unsupported exit codes, 'cose show', and independent
# checks: COSE WG vectors verified by the CLI, and the CLI's own messages
# checked by python3-cryptography.
#
# Exit statuses: 0 ok; 1 input rejected; 2 usage; 3 unsupported; 4 I/O.
# Env: IOTSEC_BIN (the built CLI), IOTSEC_SHARED (the shared vectors).
# Checks are written as single-quoted `eval` strings, expanded when they run.
# shellcheck disable=SC2016
set -u

SHARED=${IOTSEC_SHARED:-$(dirname "$0")/../../shared}
PY=/usr/bin/python3
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

absent() { [ ! -e "$1" ]; }

# flip IN OUT [POS]: copy IN to OUT with one bit of byte POS flipped (default:
# the last byte, which in COSE_Sign1, COSE_Sign and COSE_Mac0 is in the
# signature or tag; "payload": a byte inside the payload text)
flip() {
    "$PY" - "$1" "$2" "${3:--1}" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
pos = sys.argv[3]
i = b.find(b"This is the content.") + 5 if pos == "payload" else int(pos)
assert pos != "payload" or i >= 5
b[i] ^= 0x01
open(sys.argv[2], "wb").write(bytes(b))
EOF
}

printf 'This is the content.' >payload.txt
printf 'Another content.....' >other.txt
printf 'header-bound context' >aad.bin
printf 'different context...' >aad2.bin

# ---------------------------------------------------------------- help and usage

for args in "cose --help" "cose sign --help" "cose verify --help" "cose mac --help" \
    "cose encrypt --help" "cose decrypt --help" "cose show --help" "cose sign --key x --help"; do
    # shellcheck disable=SC2086
    run $args
    check "'iotsec $args': exit $RC, expected 0" rc_is 0
    check "'iotsec $args': Usage: on stdout" out_has "Usage:"
    check "'iotsec $args': nothing on stderr" err_empty
done
run --help
check "iotsec --help lists cose" out_has "cose"
run cose
check "'iotsec cose' without a verb: exit 2, usage on stderr" eval 'rc_is 2 && out_empty && err_has "Usage:"'
run cose verify --help
check "verify --help documents the exit status for encrypted messages" out_has "usage error (exit 2)"
expect_rc 2 "unknown cose verb" cose frobnicate
check "unknown cose verb: hint names 'iotsec cose --help'" grep -qx "Try 'iotsec cose --help'." err.txt

# ---------------------------------------------------------------- keys

# PEM key pairs and their public keys
for alg in ES256 ES384 EdDSA; do
    "$BIN" key gen --alg "$alg" -o "$alg.pem" 2>/dev/null
    "$BIN" key pub "$alg.pem" -o "$alg.pub.pem" 2>/dev/null
done
"$BIN" key gen --alg ES256 -o other.pem 2>/dev/null
"$BIN" key pub other.pem -o other.pub.pem 2>/dev/null
# COSE_Keys bound to their algorithm, with kids
"$BIN" key gen --alg ESP256 --kid esp --format cose -o ESP256.cose 2>/dev/null
"$BIN" key gen --alg ES256 --kid alice --format cose -o alice.cose 2>/dev/null
"$BIN" key gen --alg EdDSA --kid ed --format cose -o EdDSA.cose 2>/dev/null
"$BIN" key gen --alg ES256 --kid bob --format cose -o bob.cose 2>/dev/null
"$BIN" key gen --alg ES256 --kid carol --format cose -o carol.cose 2>/dev/null
for k in ESP256 alice EdDSA bob carol; do "$BIN" key pub "$k.cose" -o "$k.pub.cose" 2>/dev/null; done
# symmetric keys: COSE_Key (bound to an algorithm) and raw
"$BIN" key gen --alg HS256 --kid mk -o hs256.cose 2>/dev/null
"$BIN" key gen --alg HS256 -o hs256b.cose 2>/dev/null
"$BIN" key gen --alg A128GCM --kid g1 -o a128gcm.cose 2>/dev/null
"$BIN" key gen --alg A256GCM --format raw -o a256.raw 2>/dev/null
"$BIN" key gen --alg A128GCM --format raw -o a128.raw 2>/dev/null
"$BIN" key gen --alg A128GCM --format raw -o a128b.raw 2>/dev/null
"$BIN" key gen --alg A128KW --kid kw -o kw.cose 2>/dev/null
"$BIN" key gen --alg A128KW --kid kw -o kw-same-kid.cose 2>/dev/null
# key agreement: P-256 and X25519, COSE_Key with kid
"$BIN" key gen --alg ECDH-ES+A128KW --kid ec --format cose -o ecdh.cose 2>/dev/null
"$BIN" key gen --alg ECDH-ES+A128KW --crv X25519 --kid x --format cose -o x25519.cose 2>/dev/null
"$BIN" key gen --alg ECDH-ES+A128KW --kid ec2 --format cose -o ecdh2.cose 2>/dev/null
"$BIN" key pub ecdh.cose -o ecdh.pub.cose 2>/dev/null
"$BIN" key gen --alg ECDH-ES+HKDF-256 --kid hk --format cose -o hkdf.cose 2>/dev/null
check "test keys generated" eval '[ -s ES256.pem ] && [ -s ESP256.cose ] && [ -s x25519.cose ] && [ -s a256.raw ]'

# ---------------------------------------------------------------- sign / verify

# name | signing key | verifying key | expected alg
signspecs=(
    "ES256 PEM|ES256.pem|ES256.pub.pem|ES256"
    "ES384 PEM|ES384.pem|ES384.pub.pem|ES384"
    "EdDSA PEM|EdDSA.pem|EdDSA.pub.pem|EdDSA"
    "ESP256 COSE_Key|ESP256.cose|ESP256.pub.cose|ESP256"
    "ES256 COSE_Key|alice.cose|alice.pub.cose|ES256"
    "EdDSA COSE_Key|EdDSA.cose|EdDSA.pub.cose|EdDSA"
)
for spec in "${signspecs[@]}"; do
    IFS='|' read -r name skey vkey alg <<<"$spec"
    f=$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '_')
    run cose sign --key "$skey" payload.txt -o "$f.cbor"
    check "sign $name: exit $RC ($(cat err.txt))" eval 'rc_is 0 && out_empty && [ -s "$f.cbor" ]'
    run cose show "$f.cbor"
    check "show $name: COSE_Sign1 with alg $alg ($(head -c 200 out.txt))" eval \
        'rc_is 0 && out_has "COSE_Sign1 (tag 18)" && out_has "alg: $alg ("'
    rm -f "$f.out"
    run cose verify --key "$vkey" "$f.cbor" -o "$f.out"
    check "verify $name: exit $RC ($(cat err.txt))" eval 'rc_is 0 && out_has "verified: COSE_Sign1, $alg, signer 0, key 0"'
    check "verify $name -o: payload equals the input" cmp -s "$f.out" payload.txt
    # the private key verifies too (its public part is used)
    expect_rc 0 "verify $name with the private key" cose verify --key "$skey" "$f.cbor"
    expect_rc 1 "verify $name with a wrong key" cose verify --key other.pub.pem "$f.cbor"
    flip "$f.cbor" "$f.bad"
    rm -f "$f.out"
    expect_rc 1 "verify $name with a flipped signature bit" cose verify --key "$vkey" "$f.bad" -o "$f.out"
    check "verify $name tampered: no payload file written" absent "$f.out"
    flip "$f.cbor" "$f.bad2" payload
    expect_rc 1 "verify $name with a flipped payload bit" cose verify --key "$vkey" "$f.bad2"
done

# --alg overrides the curve's default and must fit the key
run cose sign --key ES256.pem --alg ESP256 payload.txt -o esp-pem.cbor
check "sign --alg ESP256 with a P-256 PEM key: exit $RC" rc_is 0
run cose verify --key ES256.pub.pem esp-pem.cbor
check "verify ESP256 message: exit $RC" eval 'rc_is 0 && out_has "ESP256"'
expect_rc 2 "sign --alg ES384 with a P-256 key" cose sign --key ES256.pem --alg ES384 payload.txt -o x.cbor
expect_rc 2 "sign --alg ES256 with a key bound to ESP256" cose sign --key ESP256.cose --alg ES256 payload.txt -o x.cbor
expect_rc 2 "sign --alg A128GCM (not a signature algorithm)" cose sign --key ES256.pem --alg A128GCM payload.txt -o x.cbor
expect_rc 3 "sign --alg ES999 (unknown)" cose sign --key ES256.pem --alg ES999 payload.txt -o x.cbor
expect_rc 2 "sign with a public key" cose sign --key ES256.pub.pem payload.txt -o x.cbor
expect_rc 2 "sign with a symmetric key" cose sign --key hs256.cose payload.txt -o x.cbor
expect_rc 2 "sign with an X25519 key" cose sign --key x25519.cose payload.txt -o x.cbor
check "failed sign commands leave no output" absent x.cbor

# kid: from the COSE_Key, or --kid
run cose show ES256_COSE_Key.cbor
check "show: kid from the COSE_Key, as bytes and text ($(cat out.txt))" eval \
    'rc_is 0 && out_has "kid: h'"'"'616c696365'"'"' (\"alice\")"'
check "show: alg in the protected bucket" eval 'grep -A1 "^  protected:" out.txt | grep -q "alg: ES256 (-7)"'
run cose sign --key ES256.pem --kid device-7 payload.txt -o kid.cbor
run cose show kid.cbor
check "show: --kid sent ($(cat out.txt))" eval 'out_has "COSE_Sign1" && out_has "ES256" && out_has "kid: h'"'"'6465766963652d37'"'"' (\"device-7\")"'
# a key set entry with a different kid is not tried
expect_rc 1 "verify: key set kid differs from the message kid" cose verify --key bob.pub.cose ES256_COSE_Key.cbor
check "verify with a non-matching kid says no key fits" err_has "no key in the key set fits"
run cose verify --key bob.pub.cose --key alice.pub.cose ES256_COSE_Key.cbor
check "verify picks the key by kid: key 1 (kid 'alice')" eval 'rc_is 0 && out_has "key 1 (kid '"'"'alice'"'"')"'

# COSE_Sign with two signers
run cose sign --key alice.cose --key bob.cose payload.txt -o two.cbor
check "sign with two keys: exit $RC ($(cat err.txt))" rc_is 0
run cose show two.cbor
check "show COSE_Sign: two signers with their kids" eval \
    'out_has "COSE_Sign (tag 98)" && out_has "signatures: 2" && out_has "signer 1:" && out_has "(\"bob\")"'
run cose verify --key alice.pub.cose two.cbor
check "COSE_Sign verifies with the first signer's key" eval 'rc_is 0 && out_has "verified: COSE_Sign, ES256, signer 0"'
run cose verify --key bob.pub.cose two.cbor
check "COSE_Sign verifies with the second signer's key" eval 'rc_is 0 && out_has "signer 1, key 0 (kid '"'"'bob'"'"')"'
expect_rc 1 "COSE_Sign with a third party's key" cose verify --key carol.pub.cose two.cbor
run cose sign --key alice.cose --key EdDSA.pem payload.txt -o mixed.cbor
run cose verify --key EdDSA.pub.pem mixed.cbor
check "COSE_Sign with ES256 and EdDSA signers, checked by the EdDSA key" eval 'rc_is 0 && out_has "EdDSA, signer 1"'
flip two.cbor two.bad
expect_rc 1 "COSE_Sign with a flipped bit in the last signature" cose verify --key bob.pub.cose two.bad
expect_rc 2 "--kid with two signers" cose sign --key alice.cose --key bob.cose --kid x payload.txt -o x.cbor

# detached payload
run cose sign --key ES256.pem --detached payload.txt -o det.cbor
check "sign --detached: exit $RC" rc_is 0
run cose show det.cbor
check "show: payload detached" out_has "payload: detached"
run cose verify --key ES256.pub.pem --payload payload.txt det.cbor -o det.out
check "verify --payload: exit $RC" eval 'rc_is 0 && cmp -s det.out payload.txt'
rm -f det.out
expect_rc 1 "verify with the wrong detached payload" cose verify --key ES256.pub.pem --payload other.txt det.cbor -o det.out
check "wrong detached payload: no payload file" absent det.out
expect_rc 2 "verify a detached message without --payload" cose verify --key ES256.pub.pem det.cbor
expect_rc 2 "--payload for a message that carries its payload" cose verify --key ES256.pub.pem --payload payload.txt ES256_PEM.cbor

# external AAD
for k in ES256 EdDSA; do
    run cose sign --key "$k.pem" --aad aad.bin payload.txt -o "aad-$k.cbor"
    check "sign $k --aad: exit $RC" rc_is 0
    expect_rc 0 "verify $k with the same AAD" cose verify --key "$k.pub.pem" --aad aad.bin "aad-$k.cbor"
    expect_rc 1 "verify $k with another AAD" cose verify --key "$k.pub.pem" --aad aad2.bin "aad-$k.cbor"
    expect_rc 1 "verify $k without the AAD" cose verify --key "$k.pub.pem" "aad-$k.cbor"
done

# EdDSA over a large payload and AAD (the Sig_structure is built in scratch)
head -c 300000 /dev/urandom >big.bin
run cose sign --key EdDSA.pem --aad big.bin big.bin -o big.cbor
check "EdDSA sign of 300 kB with 300 kB AAD: exit $RC ($(cat err.txt))" rc_is 0
run cose verify --key EdDSA.pub.pem --aad big.bin big.cbor -o big.out
check "EdDSA verify of 300 kB: exit $RC" eval 'rc_is 0 && cmp -s big.out big.bin'

# standard input and output
run cose sign --key ES256.pem -o stdin.cbor
check "sign with no IN reads standard input (empty payload)" rc_is 0
"$BIN" cose sign --key ES256.pem <payload.txt >piped.cbor 2>err.txt
RC=$?
check "sign from stdin to stdout" eval 'rc_is 0 && [ -s piped.cbor ]'
"$BIN" cose verify --key ES256.pub.pem -o - <piped.cbor >out.txt 2>err.txt
RC=$?
check "verify -o -: payload alone on stdout, result line on stderr" eval \
    'rc_is 0 && cmp -s out.txt payload.txt && err_has "verified: COSE_Sign1"'
expect_rc 2 "two inputs from standard input" cose verify --key ES256.pub.pem --aad - -

# untagged messages
run cose sign --key ES256.pem --untagged payload.txt -o untagged.cbor
check "sign --untagged: no tag" eval 'rc_is 0 && [ "$(head -c1 untagged.cbor | od -An -tx1 | tr -d " ")" = 84 ]'
expect_rc 1 "verify an untagged message without --type" cose verify --key ES256.pub.pem untagged.cbor
check "untagged: the message suggests --type" err_has "--type"
expect_rc 0 "verify an untagged message with --type sign1" cose verify --key ES256.pub.pem --type sign1 untagged.cbor
expect_rc 1 "verify a COSE_Sign1 as --type mac0" cose verify --key ES256.pub.pem --type mac0 ES256_PEM.cbor
expect_rc 2 "verify --type encrypt0" cose verify --key ES256.pub.pem --type encrypt0 ES256_PEM.cbor
expect_rc 2 "verify --type bogus" cose verify --key ES256.pub.pem --type bogus ES256_PEM.cbor
run cose show --type sign1 untagged.cbor
check "show --type sign1 of an untagged message" eval 'rc_is 0 && out_has "COSE_Sign1 (untagged)"'

# ---------------------------------------------------------------- mac

run cose mac --key hs256.cose payload.txt -o mac0.cbor
check "mac --key HS256: exit $RC ($(cat err.txt))" rc_is 0
run cose show mac0.cbor
check "show COSE_Mac0: alg and tag length" eval \
    'out_has "COSE_Mac0 (tag 17)" && out_has "alg: HMAC 256/256 (5)" && out_has "tag: 32 bytes"'
rm -f mac.out
run cose verify --key hs256.cose mac0.cbor -o mac.out
check "verify COSE_Mac0: exit $RC" eval 'rc_is 0 && out_has "verified: COSE_Mac0, HMAC 256/256, key 0 (kid '"'"'mk'"'"')" && cmp -s mac.out payload.txt'
rm -f mac.out
expect_rc 1 "verify COSE_Mac0 with a wrong key" cose verify --key hs256b.cose mac0.cbor -o mac.out
check "wrong MAC key: no payload file" absent mac.out
flip mac0.cbor mac0.bad
expect_rc 1 "verify COSE_Mac0 with a flipped tag bit" cose verify --key hs256.cose mac0.bad
run cose mac --key hs256.cose --aad aad.bin --detached payload.txt -o mac0d.cbor
expect_rc 0 "COSE_Mac0 detached with AAD" cose verify --key hs256.cose --aad aad.bin --payload payload.txt mac0d.cbor
expect_rc 1 "COSE_Mac0 with another AAD" cose verify --key hs256.cose --aad aad2.bin --payload payload.txt mac0d.cbor
expect_rc 2 "mac --alg ES256" cose mac --key hs256.cose --alg ES256 payload.txt -o x.cbor
expect_rc 2 "mac with an EC key" cose mac --key ES256.pem payload.txt -o x.cbor
run cose mac --key a256.raw --alg "HMAC 384/384" payload.txt -o hs384.cbor
check "mac --alg 'HMAC 384/384' with a raw key: exit $RC" rc_is 0
run cose verify --key a256.raw hs384.cbor
check "verify HMAC 384/384: exit $RC" eval 'rc_is 0 && out_has "HMAC 384/384"'
run cose mac --key a128.raw --alg "AES-MAC 128/64" payload.txt -o aesmac.cbor
check "mac --alg 'AES-MAC 128/64': exit $RC ($(cat err.txt))" rc_is 0
expect_rc 0 "verify AES-MAC 128/64" cose verify --key a128.raw aesmac.cbor
expect_rc 1 "verify AES-MAC 128/64 with a wrong key" cose verify --key a128b.raw aesmac.cbor

# COSE_Mac with recipients
run cose mac --recipient kw.cose --recipient ecdh.pub.cose payload.txt -o mac.cbor
check "mac --recipient A128KW --recipient ECDH: exit $RC ($(cat err.txt))" rc_is 0
run cose show mac.cbor
check "show COSE_Mac: two recipients" eval 'out_has "COSE_Mac (tag 97)" && out_has "recipients: 2" && out_has "ephemeral key: {"'
run cose verify --key kw.cose mac.cbor
check "verify COSE_Mac with the A128KW key" eval 'rc_is 0 && out_has "recipient 0"'
run cose verify --key ecdh.cose mac.cbor
check "verify COSE_Mac with the ECDH private key" eval 'rc_is 0 && out_has "recipient 1"'
expect_rc 1 "verify COSE_Mac with an unrelated ECDH key" cose verify --key ecdh2.cose mac.cbor
expect_rc 1 "verify COSE_Mac with a wrong A128KW key of the same kid" cose verify --key kw-same-kid.cose mac.cbor
expect_rc 2 "mac with both --key and --recipient" cose mac --key hs256.cose --recipient kw.cose payload.txt -o x.cbor

# ---------------------------------------------------------------- encrypt / decrypt

# COSE_Encrypt0
for spec in "a128gcm.cose|A128GCM" "a256.raw|A256GCM"; do
    IFS='|' read -r key alg <<<"$spec"
    run cose encrypt --key "$key" payload.txt -o "e0-$alg.cbor"
    check "encrypt --key $key: exit $RC ($(cat err.txt))" rc_is 0
    run cose show "e0-$alg.cbor"
    check "show COSE_Encrypt0 $alg: alg, IV and ciphertext length" eval \
        'out_has "COSE_Encrypt0 (tag 16)" && out_has "alg: $alg (" && out_has "IV: h'"'"'" && out_has "ciphertext: 36 bytes"'
    check "show COSE_Encrypt0 $alg: no plaintext in the message" eval '! grep -q "This is the content" "e0-$alg.cbor"'
    rm -f "e0-$alg.out"
    run cose decrypt --key "$key" "e0-$alg.cbor" -o "e0-$alg.out"
    check "decrypt $alg: exit $RC ($(cat err.txt))" eval 'rc_is 0 && cmp -s "e0-$alg.out" payload.txt'
    check "decrypt $alg: plaintext file mode 0600" eval '[ "$(stat -c %a "e0-$alg.out")" = 600 ]'
    flip "e0-$alg.cbor" "e0-$alg.bad"
    rm -f "e0-$alg.out"
    expect_rc 1 "decrypt $alg with a flipped ciphertext bit" cose decrypt --key "$key" "e0-$alg.bad" -o "e0-$alg.out"
    check "decrypt $alg tampered: no plaintext file" absent "e0-$alg.out"
    check "decrypt $alg tampered: the reason names the tag" err_has "decryption failed: authentication tag"
done
rm -f wrong.out
expect_rc 1 "decrypt COSE_Encrypt0 with a wrong key" cose decrypt --key a128b.raw e0-A128GCM.cbor -o wrong.out
check "wrong key: no plaintext file" absent wrong.out
run cose decrypt --key a128gcm.cose e0-A128GCM.cbor
check "decrypt to stdout: plaintext on stdout, result line on stderr" eval \
    'rc_is 0 && [ "$(cat out.txt)" = "This is the content." ] && err_has "decrypted: COSE_Encrypt0, A128GCM"'
run cose encrypt --key a128.raw --aad aad.bin payload.txt -o e0-aad.cbor
expect_rc 0 "decrypt with the same AAD" cose decrypt --key a128.raw --aad aad.bin e0-aad.cbor -o /dev/null
expect_rc 1 "decrypt with another AAD" cose decrypt --key a128.raw --aad aad2.bin e0-aad.cbor -o aadbad.out
check "AAD mismatch: no plaintext file" absent aadbad.out
expect_rc 2 "encrypt --key with a 32-byte key and --alg A128GCM" cose encrypt --key a256.raw --alg A128GCM payload.txt -o x.cbor
expect_rc 2 "encrypt --key with a key bound to A128KW" cose encrypt --key kw.cose payload.txt -o x.cbor
expect_rc 2 "encrypt --alg ES256" cose encrypt --key a128.raw --alg ES256 payload.txt -o x.cbor

# detached ciphertext
run cose encrypt --key a128.raw --detached --ciphertext-out ct.bin payload.txt -o e0d.cbor
check "encrypt --detached: exit $RC ($(cat err.txt))" eval 'rc_is 0 && [ "$(stat -c %s ct.bin)" = 36 ]'
run cose show e0d.cbor
check "show: ciphertext detached" out_has "ciphertext: detached"
run cose decrypt --key a128.raw --ciphertext ct.bin e0d.cbor -o e0d.out
check "decrypt --ciphertext: exit $RC" eval 'rc_is 0 && cmp -s e0d.out payload.txt'
flip ct.bin ct.bad 0
expect_rc 1 "decrypt a flipped detached ciphertext" cose decrypt --key a128.raw --ciphertext ct.bad e0d.cbor -o e0d.bad.out
check "flipped detached ciphertext: no plaintext file" absent e0d.bad.out
expect_rc 2 "decrypt a detached message without --ciphertext" cose decrypt --key a128.raw e0d.cbor
expect_rc 2 "encrypt --detached without --ciphertext-out" cose encrypt --key a128.raw --detached payload.txt -o x.cbor
expect_rc 2 "--ciphertext-out without --detached" cose encrypt --key a128.raw --ciphertext-out c.bin payload.txt -o x.cbor

# COSE_Encrypt with three recipients: A128KW, ECDH-ES P-256 and X25519
run cose encrypt --recipient kw.cose --recipient ecdh.pub.cose --recipient x25519.cose payload.txt -o env.cbor
check "encrypt --recipient x3: exit $RC ($(cat err.txt))" rc_is 0
run cose show env.cbor
check "show COSE_Encrypt: content alg and three recipients" eval \
    'out_has "COSE_Encrypt (tag 96)" && out_has "alg: A128GCM (1)" && out_has "recipients: 3"'
check "show COSE_Encrypt: A128KW recipient alg unprotected, kid" eval \
    'out_has "alg: A128KW (-3)" && out_has "kid: h'"'"'6b77'"'"' (\"kw\")"'
check "show COSE_Encrypt: ECDH recipient with its ephemeral key" eval \
    'out_has "alg: ECDH-ES+A128KW (-29)" && out_has "ephemeral key: {1: 1, -1: 4, -2: h'"'"'"'
i=0
for key in kw.cose ecdh.cose x25519.cose; do
    rm -f "env-$i.out"
    run cose decrypt --key "$key" env.cbor -o "env-$i.out"
    check "decrypt COSE_Encrypt with $key: exit $RC ($(cat err.txt))" eval \
        'rc_is 0 && cmp -s "env-$i.out" payload.txt && out_has "recipient $i, key 0"'
    i=$((i + 1))
done
run cose decrypt --key a128.raw --key ecdh2.cose --key x25519.cose env.cbor -o env-set.out
check "decrypt with a key set: the third key opens recipient 2" eval 'rc_is 0 && out_has "recipient 2, key 2"'
for key in ecdh2.cose kw-same-kid.cose a128gcm.cose; do
    rm -f env-bad.out
    expect_rc 1 "decrypt COSE_Encrypt with the unrelated key $key" cose decrypt --key "$key" env.cbor -o env-bad.out
    check "unrelated key $key: no plaintext file" absent env-bad.out
done
run cose encrypt --recipient kw.cose --alg A256GCM --aad aad.bin payload.txt -o env256.cbor
expect_rc 0 "COSE_Encrypt A256GCM with AAD" cose decrypt --key kw.cose --aad aad.bin env256.cbor -o /dev/null
expect_rc 1 "COSE_Encrypt A256GCM with another AAD" cose decrypt --key kw.cose --aad aad2.bin env256.cbor -o /dev/null
# direct key agreement: one recipient only
run cose encrypt --recipient hkdf.cose payload.txt -o envd.cbor
check "encrypt --recipient ECDH-ES+HKDF-256: exit $RC" eval 'rc_is 0'
run cose show envd.cbor
check "show: direct recipient has an empty encrypted key" out_has "encrypted key: empty (direct)"
run cose decrypt --key hkdf.cose envd.cbor -o envd.out
check "decrypt ECDH-ES+HKDF-256: exit $RC" eval 'rc_is 0 && cmp -s envd.out payload.txt'
"$BIN" key gen --alg direct --kid dk -o direct.cose 2>/dev/null
expect_rc 2 "direct recipient whose 32-byte key does not fit A128GCM" cose encrypt --recipient direct.cose payload.txt -o x.cbor
check "direct key length mismatch names both lengths" err_has "needs 16 bytes and the key holds 32"
run cose encrypt --recipient direct.cose --alg A256GCM payload.txt -o envdir.cbor
run cose decrypt --key direct.cose envdir.cbor -o envdir.out
check "COSE_Encrypt with a direct recipient (A256GCM): exit $RC" eval 'rc_is 0 && cmp -s envdir.out payload.txt'
expect_rc 2 "a direct-mode recipient with another recipient" cose encrypt --recipient kw.cose --recipient hkdf.cose payload.txt -o x.cbor
expect_rc 2 "recipient key that signs (Ed25519)" cose encrypt --recipient EdDSA.pem payload.txt -o x.cbor
expect_rc 2 "encrypt with both --key and --recipient" cose encrypt --key a128.raw --recipient kw.cose payload.txt -o x.cbor
expect_rc 2 "encrypt with neither --key nor --recipient" cose encrypt payload.txt -o x.cbor

# AES-CTR and AES-CBC authenticate nothing
expect_rc 3 "encrypt A128CTR without --allow-unauthenticated" cose encrypt --key a128.raw --alg A128CTR payload.txt -o ctr.cbor
check "A128CTR refusal says why" err_has "does not authenticate"
check "A128CTR refused: no output" absent ctr.cbor
run cose encrypt --key a128.raw --alg A128CTR --allow-unauthenticated payload.txt -o ctr.cbor
check "encrypt A128CTR --allow-unauthenticated: exit $RC" rc_is 0
expect_rc 3 "decrypt A128CTR without --allow-unauthenticated" cose decrypt --key a128.raw ctr.cbor -o ctr.out
check "A128CTR decrypt refused: no output" absent ctr.out
run cose decrypt --key a128.raw --allow-unauthenticated ctr.cbor -o ctr.out
check "decrypt A128CTR --allow-unauthenticated" eval 'rc_is 0 && cmp -s ctr.out payload.txt'
run cose encrypt --recipient kw.cose --alg A128CBC --allow-unauthenticated payload.txt -o cbc.cbor
run cose decrypt --key kw.cose --allow-unauthenticated cbc.cbor -o cbc.out
check "COSE_Encrypt A128CBC round trip" eval 'rc_is 0 && cmp -s cbc.out payload.txt'
expect_rc 2 "A128CTR with --aad" cose encrypt --key a128.raw --alg A128CTR --allow-unauthenticated --aad aad.bin payload.txt -o x.cbor

# wrong command for the message type
expect_rc 2 "verify a COSE_Encrypt0" cose verify --key a128.raw e0-aad.cbor
check "verify of COSE_Encrypt0 points to decrypt" err_has "cose decrypt"
expect_rc 2 "decrypt a COSE_Sign1" cose decrypt --key ES256.pem ES256_PEM.cbor
check "decrypt of COSE_Sign1 points to verify" err_has "cose verify"

# ---------------------------------------------------------------- show of bad input

printf 'not a COSE message at all' >garbage.bin
expect_rc 1 "show garbage" cose show garbage.bin
expect_rc 1 "show an empty file" cose show /dev/null
printf '\xc1\x01' >tag1.bin
expect_rc 1 "show a non-COSE tag" cose show tag1.bin
check "non-COSE tag: reason given" err_has "tag 1 is not a COSE message tag"
printf '\xd2\x83\x40\xa0\x40' >short.bin
expect_rc 1 "show a COSE_Sign1 with three items" cose show short.bin
head -c 40 ES256_PEM.cbor >trunc.bin
expect_rc 1 "show a truncated message" cose show trunc.bin
check "truncated message: byte offset in the reason" err_has "byte offset"
expect_rc 1 "verify garbage" cose verify --key ES256.pub.pem garbage.bin

# ---------------------------------------------------------------- usage and I/O

expect_rc 2 "sign without --key" cose sign payload.txt -o x.cbor
expect_rc 2 "verify without --key" cose verify ES256_PEM.cbor
expect_rc 2 "decrypt without --key" cose decrypt e0-aad.cbor
expect_rc 2 "unknown option" cose sign --key ES256.pem --bogus payload.txt
expect_rc 2 "option of another verb (--payload on sign)" cose sign --key ES256.pem --payload x payload.txt
expect_rc 2 "--key without a value" cose verify --key
expect_rc 2 "--alg given twice" cose sign --key ES256.pem --alg ES256 --alg ES256 payload.txt
expect_rc 2 "two input files" cose show a.cbor b.cbor
expect_rc 3 "encrypt --alg unknown" cose encrypt --key a128.raw --alg A999GCM payload.txt -o x.cbor
expect_rc 4 "missing input file" cose show "$TMP/does-not-exist"
expect_rc 4 "missing key file" cose verify --key "$TMP/does-not-exist" ES256_PEM.cbor
expect_rc 4 "unwritable output" cose sign --key ES256.pem payload.txt -o "$TMP/no/such/dir/x"
check "no stray output files from usage errors" absent x.cbor

# ---------------------------------------------------------------- independent checks

# COSE WG vectors: the key from the JSON as a COSE_Key made by cbor2
wg_vector() {
    "$PY" - "$1" "$2" <<'EOF'
import base64, json, sys
import cbor2
j = json.load(open(sys.argv[1]))
s = j["input"]["sign0"]
k = s["key"]
b = lambda v: base64.urlsafe_b64decode(v + "=" * (-len(v) % 4))
out = sys.argv[2]
open(out + ".cbor", "wb").write(bytes.fromhex(j["output"]["cbor"]))
open(out + ".key", "wb").write(cbor2.dumps({1: 2, -1: 1, -2: b(k["x"]), -3: b(k["y"])}))
open(out + ".aad", "wb").write(bytes.fromhex(s.get("external", "")))
EOF
}
V=$SHARED/vectors/cose-wg-examples/sign1-tests
if wg_vector "$V/sign-pass-02.json" pass02 && wg_vector "$V/sign-fail-02.json" fail02; then
    run cose verify --key pass02.key --aad pass02.aad pass02.cbor -o pass02.out
    check "COSE WG sign-pass-02 verifies: exit $RC ($(cat err.txt))" eval \
        'rc_is 0 && [ "$(cat pass02.out)" = "This is the content." ]'
    expect_rc 1 "COSE WG sign-pass-02 without its external AAD" cose verify --key pass02.key pass02.cbor
    expect_rc 1 "COSE WG sign-fail-02 (changed payload) is refused" cose verify --key fail02.key fail02.cbor
    run cose show pass02.cbor
    check "show COSE WG sign-pass-02" eval 'rc_is 0 && out_has "COSE_Sign1" && out_has "ES256" && out_has "kid: h'"'"'3131'"'"' (\"11\")"'
else
    check "COSE WG vectors readable from $V (python3 with cbor2)" false
fi

# python3-cryptography checks the CLI's own messages
if "$PY" -c 'import cbor2, cryptography' 2>/dev/null; then
    "$BIN" key gen --alg ES256 --kid py --format cose -o py.cose 2>/dev/null
    "$BIN" cose sign --key py.cose --aad aad.bin payload.txt -o py-sign1.cbor 2>/dev/null
    "$BIN" key gen --alg A128GCM --format raw -o py-gcm.raw 2>/dev/null
    "$BIN" cose encrypt --key py-gcm.raw --aad aad.bin payload.txt -o py-enc0.cbor 2>/dev/null
    "$BIN" cose encrypt --recipient kw.cose --alg A256GCM payload.txt -o py-enc.cbor 2>/dev/null
    "$PY" - <<'EOF' >py.txt 2>&1
import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap

payload = open("payload.txt", "rb").read()
aad = open("aad.bin", "rb").read()

# COSE_Sign1, ES256: Sig_structure verified with the key's x, y
key = cbor2.loads(open("py.cose", "rb").read())
msg = cbor2.loads(open("py-sign1.cbor", "rb").read())
assert msg.tag == 18, msg.tag
prot, unprot, pl, sig = msg.value
assert cbor2.loads(prot) == {1: -7}, prot
assert unprot == {4: b"py"}, unprot
assert pl == payload
pub = ec.EllipticCurvePublicNumbers(int.from_bytes(key[-2], "big"), int.from_bytes(key[-3], "big"),
                                    ec.SECP256R1()).public_key()
tbs = cbor2.dumps(["Signature1", prot, aad, payload])
pub.verify(encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")),
           tbs, ec.ECDSA(hashes.SHA256()))
print("sign1 ok")

# COSE_Encrypt0, A128GCM: Enc_structure as AAD
k = open("py-gcm.raw", "rb").read()
msg = cbor2.loads(open("py-enc0.cbor", "rb").read())
assert msg.tag == 16
prot, unprot, ct = msg.value
assert cbor2.loads(prot) == {1: 1}
pt = AESGCM(k).decrypt(unprot[5], ct, cbor2.dumps(["Encrypt0", prot, aad]))
assert pt == payload
print("encrypt0 ok")

# COSE_Encrypt, A128KW recipient (empty protected bucket) over A256GCM
kek = cbor2.loads(open("kw.cose", "rb").read())[-1]
msg = cbor2.loads(open("py-enc.cbor", "rb").read())
assert msg.tag == 96
prot, unprot, ct, recips = msg.value
assert len(recips) == 1
rprot, runprot, wrapped = recips[0]
assert rprot == b"" and runprot == {1: -3, 4: b"kw"}, (rprot, runprot)
cek = aes_key_unwrap(kek, wrapped)
assert len(cek) == 32
pt = AESGCM(cek).decrypt(unprot[5], ct, cbor2.dumps(["Encrypt", prot, b""]))
assert pt == payload
print("encrypt ok")
EOF
    check "python3-cryptography verifies the CLI's ES256 COSE_Sign1 ($(tail -n1 py.txt))" grep -qx "sign1 ok" py.txt
    check "python3-cryptography decrypts the CLI's A128GCM COSE_Encrypt0" grep -qx "encrypt0 ok" py.txt
    check "python3-cryptography unwraps the CLI's A128KW recipient and decrypts" grep -qx "encrypt ok" py.txt
else
    echo "SKIP: python3 cbor2/cryptography not available"
fi

summary
