#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 'iotsec eat create | show | verify' and the EAR it prints:
#  - usage errors exit 2;
#  - create -> show -> verify round trips with ES256, ES384, Ed25519 and HMAC
#    keys made by 'iotsec key gen', claims checked by name in the JSON;
#  - every refusal exits 1 with its own sentence: wrong nonce, expired, too
#    old, not yet valid, tampered token, wrong key, malformed claims (wrong
#    types and duplicate keys, in the JSON given to create and in the CBOR of
#    a signed token), the constrained profile;
#  - appraisal against reference values: affirming, warning and
#    contraindicated results, the SUIT manifest sequence number of an
#    envelope carried in the manifests claim;
#  - the RFC 9711 Appendix A examples through 'eat show', with claim values
#    asserted.
# JSON is read back with python3's json module.
#
# Env: IOTSEC_BIN (the built CLI), IOTSEC_SHARED (the shared vectors).
# shellcheck disable=SC2016
set -u

SHARED=${IOTSEC_SHARED:-$(dirname "$0")/../../shared}
HERE=$(cd "$(dirname "$0")" && pwd)
VEC=$(cd "$SHARED/vectors/eat/rfc9711" 2>/dev/null && pwd)
PY=/usr/bin/python3
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$HERE/lib.sh"

# jq-like: jget FILE PYEXPR prints the value of PYEXPR over the JSON in FILE
# as JSON (d is the document); "MISSING" when a key is absent.
jget() {
    "$PY" - "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
try:
    print(json.dumps(eval(sys.argv[2], {"d": d})))
except (KeyError, IndexError, TypeError):
    print("MISSING")
EOF
}
# json_is FILE PYEXPR EXPECTED-JSON
json_is() { [ "$(jget "$1" "$2")" = "$3" ]; }
b64u() { "$PY" -c 'import base64,sys; print(base64.urlsafe_b64encode(open(sys.argv[1],"rb").read()).rstrip(b"=").decode())' "$1"; }
hex2bin() { "$PY" -c 'import sys; open(sys.argv[2],"wb").write(bytes.fromhex(open(sys.argv[1]).read().strip()))' "$1" "$2"; }
# flip FILE OUT NEEDLE: OUT is FILE with the first byte of NEEDLE (text) changed
flip() {
    "$PY" -c '
import sys
b = bytearray(open(sys.argv[1], "rb").read())
i = b.find(sys.argv[3].encode())
assert i >= 0
b[i] ^= 1
open(sys.argv[2], "wb").write(b)' "$1" "$2" "$3"
}

NONCE=48df7b172d70b5a18935d0460a73dd71
NOW=1700000100
cat >claims.json <<'EOF'
{
  "eat_nonce": "AAECAwQFBgc",
  "ueid": "AZj1Ck_2wFhhyIYNE6Y46g",
  "oemid": 64242,
  "hwmodel": "VJ3OzIuYfHN7ROQPfGNc6A",
  "hwversion": ["1.3.4", "multipartnumeric"],
  "oemboot": true,
  "dbgstat": "disabled-since-boot",
  "location": {"latitude": 48.85, "longitude": 2.35, "timestamp": 1700000000},
  "uptime": 120,
  "bootcount": 7,
  "bootseed": "3q2-7w",
  "dloas": [["https://dloa.example", "platform-1"]],
  "swname": "Acme OS",
  "swversion": ["3.5.5", 1],
  "measurements": [[258, "oWNmb28YKg"]],
  "measres": [["Acme TEE", [["all", "success"]]]],
  "intuse": "registration",
  "eat_profile": "urn:ietf:rfc:rfc9711",
  "iss": "acme device",
  "sub": "dev-42",
  "aud": ["verifier.example"],
  "exp": 1900000000,
  "nbf": 1690000000,
  "iat": 1700000000,
  "cti": "AQID",
  "submods": {
    "board": {"oemid": "m--Hh-uhPiyPbny0sfRhmg", "hwmodel": "7oD1pmwfuXQpmaj9q5MIkw",
              "hwversion": ["2.0a", 2]},
    "tee": ["DIGEST", [-16, "q4b3ZWQ6q_0JyE7r4VC39hvCSATO516Qxfmcv4UP6AI"]]
  }
}
EOF

# ---- keys ----
"$BIN" key gen --alg ES256 --format cose --kid dev-p256 -o p256.key 2>/dev/null
"$BIN" key gen --alg ES384 --format cose --kid dev-p384 -o p384.key 2>/dev/null
"$BIN" key gen --alg EdDSA --format cose --kid dev-ed -o ed.key 2>/dev/null
"$BIN" key gen --alg HS256 --kid dev-mac -o mac.key 2>/dev/null
"$BIN" key gen --alg ES256 --format cose --kid other -o other.key 2>/dev/null
"$BIN" key gen --alg ES256 -o nokid.pem 2>/dev/null
for k in p256 p384 ed other; do "$BIN" key pub "$k.key" -o "$k.pub" 2>/dev/null; done
"$BIN" key pub nokid.pem -o nokid.pub.pem 2>/dev/null
check "iotsec key gen made the keys" eval '[ -s p256.pub ] && [ -s p384.pub ] && [ -s ed.pub ] && [ -s mac.key ] && [ -s nokid.pub.pem ]'

# ---- usage ----
run eat
check "eat without a command: usage error" eval 'rc_is 2 && err_has "Usage: iotsec eat"'
run eat --help
check "eat --help lists create, show, verify" eval 'rc_is 0 && out_has "create" && out_has "verify"'
run eat verify --help
check "eat verify --help exits 0" eval 'rc_is 0 && out_has "Usage: iotsec eat verify"'
expect_rc 2 "create without --claims" eat create --key p256.key
expect_rc 2 "create without --key" eat create --claims claims.json
expect_rc 2 "create with two --key" eat create --claims claims.json --key p256.key --key p384.key
expect_rc 2 "create with --nonce that is not hex" eat create --claims claims.json --key p256.key --nonce xyz
expect_rc 2 "create with a 4-byte --nonce" eat create --claims claims.json --key p256.key --nonce 01020304
check "create with a 4-byte --nonce: says 8 to 64 bytes" err_has "8 to 64 bytes"
expect_rc 2 "create with a public key" eat create --claims claims.json --key p256.pub
expect_rc 2 "create with an algorithm that does not fit the key" eat create --claims claims.json --key p256.key --alg ES384
expect_rc 2 "create with an unknown option" eat create --claims claims.json --key p256.key --frobnicate
expect_rc 2 "verify without a token" eat verify --key p256.pub
expect_rc 2 "verify without --key" eat verify x.cbor
expect_rc 2 "verify --profile other" eat verify x.cbor --key p256.pub --profile psa
expect_rc 2 "verify --max-age abc" eat verify x.cbor --key p256.pub --max-age abc
expect_rc 2 "verify --now -5" eat verify x.cbor --key p256.pub --now -5
expect_rc 4 "verify a missing token file" eat verify missing.cbor --key p256.pub
expect_rc 4 "show a missing file" eat show missing.cbor

# ---- round trips: create -> show -> verify ----
# roundtrip NAME KEY VERIFYKEY FORM ALG
roundtrip() {
    local name=$1 key=$2 vkey=$3 form=$4 alg=$5 kid=$6
    run eat create --claims claims.json --key "$key" --nonce "$NONCE" -o "tok-$name.cbor"
    check "$name: create exits 0 ($(head -c 300 err.txt))" rc_is 0
    run eat show "tok-$name.cbor"
    cp out.txt "show-$name.json"
    check "$name: show exits 0 ($(head -c 300 err.txt))" rc_is 0
    check "$name: show names the form $form and alg $alg" \
        eval 'json_is show-$name.json "d[\"form\"]" "\"$form\"" && json_is show-$name.json "d[\"alg\"]" "\"$alg\""'
    check "$name: show gives the kid" json_is "show-$name.json" 'd["kid_text"]' "\"$kid\""
    check "$name: --nonce replaced the file's eat_nonce (base64url)" \
        json_is "show-$name.json" 'd["claims"]["eat_nonce"]' '"SN97Fy1wtaGJNdBGCnPdcQ"'
    check "$name: claims by name: swname, dbgstat name, intuse name, hwversion" \
        eval 'json_is show-$name.json "d[\"claims\"][\"swname\"]" "\"Acme OS\"" &&
              json_is show-$name.json "d[\"claims\"][\"dbgstat\"]" "\"disabled-since-boot\"" &&
              json_is show-$name.json "d[\"claims\"][\"intuse\"]" "\"registration\"" &&
              json_is show-$name.json "d[\"claims\"][\"hwversion\"]" "[\"1.3.4\", 1]"'
    check "$name: byte strings as base64url (ueid, cti), location by name, submodules" \
        eval 'json_is show-$name.json "d[\"claims\"][\"ueid\"]" "\"AZj1Ck_2wFhhyIYNE6Y46g\"" &&
              json_is show-$name.json "d[\"claims\"][\"cti\"]" "\"AQID\"" &&
              json_is show-$name.json "d[\"claims\"][\"location\"][\"latitude\"]" "48.85" &&
              json_is show-$name.json "d[\"claims\"][\"submods\"][\"board\"][\"hwversion\"]" "[\"2.0a\", 2]" &&
              json_is show-$name.json "d[\"claims\"][\"submods\"][\"tee\"][0]" "\"DIGEST\"" &&
              json_is show-$name.json "d[\"claims\"][\"measres\"][0][1][0][1]" "\"success\""'
    run eat verify "tok-$name.cbor" --key "$vkey" --nonce "$NONCE" --now "$NOW"
    cp out.txt "ear-$name.json"
    check "$name: verify exits 0 ($(head -c 300 err.txt))" rc_is 0
    check "$name: the EAR is affirming, profile #03, instance-identity 2, the nonce echoed" \
        eval 'json_is ear-$name.json "d[\"ear_status\"]" "\"affirming\"" &&
              json_is ear-$name.json "d[\"eat_profile\"]" "\"tag:ietf.org,2026:rats/ear#03\"" &&
              json_is ear-$name.json "d[\"submods\"][\"EAT\"][\"ear_trustworthiness_vector\"]" "{\"instance-identity\": 2}" &&
              json_is ear-$name.json "d[\"eat_nonce\"]" "\"SN97Fy1wtaGJNdBGCnPdcQ\"" &&
              json_is ear-$name.json "d[\"iat\"]" "$NOW"'
}
roundtrip es256 p256.key p256.pub COSE_Sign1 ES256 dev-p256
roundtrip es384 p384.key p384.pub COSE_Sign1 ES384 dev-p384
roundtrip ed25519 ed.key ed.pub COSE_Sign1 EdDSA dev-ed
roundtrip hmac mac.key mac.key COSE_Mac0 "HMAC 256/256" dev-mac

# the claims show prints go back into create unchanged
"$PY" -c 'import json,sys; json.dump(json.load(open("show-es256.json"))["claims"], open("again.json","w"))'
run eat create --claims again.json --key p256.key -o again.cbor
run eat show again.cbor
cp out.txt show-again.json
check "show's claims JSON is create's input: the same claims come back" \
    eval '[ "$(jget show-again.json "d[\"claims\"]")" = "$(jget show-es256.json "d[\"claims\"]")" ]'

# --cwt-tag, --kid, --alg, a key without kid
run eat create --claims claims.json --key nokid.pem --kid "my kid" --alg ES256 --cwt-tag -o tagged.cbor
run eat show tagged.cbor
cp out.txt show-tagged.json
check "--cwt-tag: show says the CWT tag wraps the COSE_Sign1; --kid is sent" \
    eval 'json_is show-tagged.json "d[\"cwt_tag\"]" true && json_is show-tagged.json "d[\"kid_text\"]" "\"my kid\""'
check "--cwt-tag: the token starts with tag 61 then tag 18" \
    eval '[ "$(head -c 2 tagged.cbor | od -An -tx1 | tr -d " ")" = "d83d" ]'
run eat verify tagged.cbor --key nokid.pub.pem --now "$NOW"
check "a token in the CWT tag verifies (key without kid) ($(head -c 200 err.txt))" rc_is 0
check "without --nonce or --max-age verify warns that the token may be replayed" err_has "may be a replay"

# ---- refusals, each with its own reason ----
expect_rc 1 "wrong nonce" eat verify tok-es256.cbor --key p256.pub --nonce 00112233445566778899 --now "$NOW"
check "wrong nonce: says so" err_has "wrong nonce"
check "wrong nonce: no EAR on standard output" out_empty
expect_rc 1 "expired" eat verify tok-es256.cbor --key p256.pub --nonce "$NONCE" --now 1900000001
check "expired: names exp" err_has "the token has expired: exp 1900000000"
expect_rc 1 "too old for --max-age" eat verify tok-es256.cbor --key p256.pub --nonce "$NONCE" --now "$NOW" --max-age 60
check "too old: names iat and --max-age" eval 'err_has "too old: iat 1700000000" && err_has "--max-age 60"'
run eat verify tok-es256.cbor --key p256.pub --nonce "$NONCE" --now "$NOW" --max-age 600
check "--max-age that iat meets: exit 0 ($(head -c 200 err.txt))" rc_is 0
expect_rc 1 "not valid yet" eat verify tok-es256.cbor --key p256.pub --nonce "$NONCE" --now 1600000000
check "not valid yet: names nbf" err_has "not valid yet: nbf 1690000000"
flip tok-es256.cbor tampered.cbor "Acme OS"
expect_rc 1 "tampered token" eat verify tampered.cbor --key p256.pub --nonce "$NONCE" --now "$NOW"
check "tampered token: the signature does not verify" err_has "signature does not verify: the token was altered"
flip tok-hmac.cbor tampered-mac.cbor "Acme OS"
expect_rc 1 "tampered MACed token" eat verify tampered-mac.cbor --key mac.key --nonce "$NONCE" --now "$NOW"
check "tampered MACed token: the MAC does not verify" err_has "MAC does not verify"
expect_rc 1 "wrong key (another kid)" eat verify tok-es256.cbor --key other.pub --nonce "$NONCE" --now "$NOW"
check "wrong key: says so, with the token's algorithm and kid" eval 'err_has "wrong key" && err_has "ES256, kid '"'"'dev-p256'"'"'"'
expect_rc 1 "wrong key (another key type)" eat verify tok-es256.cbor --key ed.pub --nonce "$NONCE" --now "$NOW"
check "wrong key type: wrong key" err_has "wrong key"
expect_rc 1 "the constrained profile refuses a COSE_Mac0" eat verify tok-hmac.cbor --key mac.key --nonce "$NONCE" --now "$NOW" --profile constrained
check "constrained profile: says which rule" eval 'err_has "Constrained Device Standard Profile" && err_has "requires COSE_Sign1"'
run eat verify tok-es256.cbor --key p256.pub --nonce "$NONCE" --now "$NOW" --profile constrained
check "the constrained profile accepts an ES256 token with a nonce ($(head -c 200 err.txt))" rc_is 0
expect_rc 1 "not a token" eat verify claims.json --key p256.pub --now "$NOW"

# malformed claims in a signed token: signed with 'iotsec cose sign', so the
# signature is good and the claims are what is wrong
"$PY" -c 'import cbor2; open("wrongtype.bin","wb").write(cbor2.dumps({10: bytes(range(8)), 270: 5}))'
hex2bin <(echo "a30a4800010203040506071901 0e63414243 19010e63444546" | tr -d ' ') dupkey.bin
"$BIN" cose sign --key p256.key wrongtype.bin -o wrongtype.cbor 2>/dev/null
"$BIN" cose sign --key p256.key dupkey.bin -o dupkey.cbor 2>/dev/null
expect_rc 1 "claims of the wrong type" eat verify wrongtype.cbor --key p256.pub --now "$NOW"
check "wrong type: malformed claims, naming swname (270)" eval 'err_has "malformed claims" && err_has "swname (270)"'
expect_rc 1 "claims with a duplicate key (CBOR)" eat verify dupkey.cbor --key p256.pub --now "$NOW"
check "duplicate CBOR key: malformed claims, a claim key is repeated" \
    eval 'err_has "malformed claims" && err_has "claim key is repeated"'
run eat show dupkey.cbor
check "show of a token with a duplicate claim key: exit 1" eval 'rc_is 1 && err_has "claim key is repeated"'

# malformed claims given to create
# create_refuses LABEL CLAIMS-JSON [MESSAGE]: create refuses the claims (exit 1),
# saying MESSAGE when one is given
create_refuses() {
    printf '%s\n' "$2" >bad-claims.json
    expect_rc 1 "create: $1" eat create --claims bad-claims.json --key p256.key -o x.cbor
    if [ $# -gt 2 ]; then
        check "create: $1: says \"$3\"" err_has "$3"
    fi
}
create_refuses "a claim of the wrong type" '{"swname": 5}' "claim 'swname' must be text"
create_refuses "duplicate JSON member" '{"swname": "a", "swname": "b"}' "duplicate"
create_refuses "unknown claim" '{"swname": "a", "frobnicate": 1}' "unknown claim 'frobnicate'"
create_refuses "a 3-byte nonce" '{"eat_nonce": "AAEC"}' "must hold 8 to 64 bytes, not 3"
create_refuses "ueid that is not base64url" '{"ueid": "not base64url!"}'
create_refuses "swversion without swname" '{"swversion": ["1.0"]}' "needs claim 'swname'"
create_refuses "fractional iat" '{"iat": 1700000000.5}'
create_refuses "bad claim in a submodule" '{"submods": {"a": {"dbgstat": "sometimes"}}}' \
    "in submodule 'a'"
create_refuses "claims that are not an object" '[1, 2]'
check "a refused create writes no token" eval '[ ! -e x.cbor ]'

# ---- appraisal against reference values ----
# a SUIT envelope (sequence number 4) in the manifests claim
if "$PY" -c 'import cbor2, cryptography' 2>/dev/null; then
    head -c 500 /dev/urandom >img.bin
    "$PY" "$HERE/suit_gen.py" --seq 4 --vendor fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe \
        --class 1492af14-2569-5e48-bf42-9b2d51f2ab45 \
        --key "$SHARED/vectors/suit/keys/ietf-example-p256.priv.pem" \
        --component "00:img.bin:#fw" -o env.cbor
fi
ENV_B64=$(b64u env.cbor)
ENV_SHA=$(sha256sum env.cbor | cut -d' ' -f1)
MEAS_SHA=$("$PY" -c 'import hashlib,base64; print(hashlib.sha256(base64.urlsafe_b64decode("oWNmb28YKg==")).hexdigest())')
"$PY" - "$ENV_B64" <<'EOF'
import json, sys
c = json.load(open("claims.json"))
c["manifests"] = [[258, "oWNmb28YKg"], [1234, sys.argv[1]]]
json.dump(c, open("claims-suit.json", "w"))
c["dbgstat"] = "enabled"
json.dump(c, open("claims-debug.json", "w"))
c["dbgstat"] = "disabled-permanently"
c["oemboot"] = False
json.dump(c, open("claims-noboot.json", "w"))
EOF
run eat create --claims claims-suit.json --key p256.key --nonce "$NONCE" -o ev.cbor
run eat create --claims claims-debug.json --key p256.key --nonce "$NONCE" -o ev-debug.cbor
run eat create --claims claims-noboot.json --key p256.key --nonce "$NONCE" -o ev-noboot.cbor
cat >ref-good.json <<EOF
{"policy-id": "https://verifier.example/policy/7",
 "ueid": "AZj1Ck_2wFhhyIYNE6Y46g", "oemid": 64242, "hwmodel": "VJ3OzIuYfHN7ROQPfGNc6A",
 "hwversion": "1.3.4", "swname": "Acme OS", "swversion": ["3.5.4", "3.5.5"],
 "dbgstat": "disabled", "oemboot": true,
 "measurements": [{"sha-256": "$MEAS_SHA"}],
 "manifests": [{"sha-256": "$ENV_SHA"}],
 "suit-sequence-number": {"min": 3}}
EOF
run eat verify ev.cbor --key p256.pub --nonce "$NONCE" --now "$NOW" --reference ref-good.json
cp out.txt ear-good.json
check "reference met: exit 0 ($(head -c 300 err.txt))" rc_is 0
check "reference met: affirming, and every appraised claim is 2" \
    eval 'json_is ear-good.json "d[\"ear_status\"]" "\"affirming\"" &&
          json_is ear-good.json "d[\"submods\"][\"EAT\"][\"ear_trustworthiness_vector\"]" "{\"instance-identity\": 2, \"configuration\": 2, \"executables\": 2, \"hardware\": 2}"'
check "reference met: the policy id is reported" \
    json_is ear-good.json 'd["submods"]["EAT"]["ear_appraisal_policy_ids"]' '["https://verifier.example/policy/7"]'
check "reference met: the evidence nonce is in the appraisal" \
    json_is ear-good.json 'd["submods"]["EAT"]["eat_nonce"]' '"SN97Fy1wtaGJNdBGCnPdcQ"'
echo '{"suit-sequence-number": {"exact": 4}}' >ref-exact.json
run eat verify ev.cbor --key p256.pub --nonce "$NONCE" --now "$NOW" --reference ref-exact.json
check "SUIT sequence number exactly 4: exit 0 ($(head -c 300 err.txt))" rc_is 0

run eat verify ev-debug.cbor --key p256.pub --nonce "$NONCE" --now "$NOW" --reference ref-good.json
cp out.txt ear-debug.json
check "debugging enabled: exit 1" rc_is 1
check "debugging enabled: contraindicated, configuration 96, the EAR still printed" \
    eval 'json_is ear-debug.json "d[\"ear_status\"]" "\"contraindicated\"" &&
          json_is ear-debug.json "d[\"submods\"][\"EAT\"][\"ear_trustworthiness_vector\"][\"configuration\"]" 96'
check "debugging enabled: the reason on stderr" \
    eval 'err_has "not affirming (contraindicated)" && err_has "debugging is enabled"'
run eat verify ev-noboot.cbor --key p256.pub --nonce "$NONCE" --now "$NOW" --reference ref-good.json
cp out.txt ear-noboot.json
check "oemboot false: contraindicated, executables 96" \
    eval 'rc_is 1 && json_is ear-noboot.json "d[\"submods\"][\"EAT\"][\"ear_trustworthiness_vector\"][\"executables\"]" 96 && err_has "oemboot false"'
echo '{"suit-sequence-number": {"min": 5}}' >ref-newer.json
run eat verify ev.cbor --key p256.pub --nonce "$NONCE" --now "$NOW" --reference ref-newer.json
cp out.txt ear-newer.json
check "SUIT sequence number 4 below the minimum 5: warning, executables 32" \
    eval 'rc_is 1 && json_is ear-newer.json "d[\"ear_status\"]" "\"warning\"" &&
          json_is ear-newer.json "d[\"submods\"][\"EAT\"][\"ear_trustworthiness_vector\"][\"executables\"]" 32 &&
          err_has "sequence number 4 is below the minimum 5"'
echo '{"swname": "Other OS", "dbgstat": "disabled-permanently", "ueid": "AZj1Ck_2wFhhyIYNE6Y46w"}' >ref-other.json
run eat verify ev.cbor --key p256.pub --nonce "$NONCE" --now "$NOW" --reference ref-other.json
cp out.txt ear-other.json
check "other software, weaker debug state, other ueid: each claim gets its value" \
    eval 'rc_is 1 && json_is ear-other.json "d[\"submods\"][\"EAT\"][\"ear_trustworthiness_vector\"]" "{\"instance-identity\": 97, \"configuration\": 32, \"executables\": 33}" &&
          json_is ear-other.json "d[\"ear_status\"]" "\"contraindicated\""'
check "other software: every reason given" \
    eval 'err_has "the ueid is not the reference" && err_has "disabled-since-boot" && err_has "software '"'"'Acme OS'"'"' is not"'
echo '{"swnam": "Acme OS"}' >ref-typo.json
expect_rc 1 "a reference with an unknown member" eat verify ev.cbor --key p256.pub --nonce "$NONCE" --now "$NOW" --reference ref-typo.json
check "reference typo: names the member" err_has 'unknown member "swnam"'

# ---- RFC 9711 Appendix A through eat show ----
if [ -z "$VEC" ]; then
    echo "SKIP: $SHARED/vectors/eat/rfc9711 is missing"
else
    for f in "$VEC"/*claims.hex "$VEC"/*token.hex; do
        b=$(basename "$f" .hex)
        hex2bin "$f" "$b.cbor"
        run eat show "$b.cbor"
        cp out.txt "$b.json"
        check "RFC 9711 $b: eat show exits 0 ($(head -c 200 err.txt))" rc_is 0
    done
    hex2bin "$VEC/A.1.1-simple-tee.coswid.hex" coswid.cbor
    expect_rc 1 "a CoSWID (tag 1398229316) is not a token" eat show coswid.cbor
    check "A.1.1: claims set, eat_nonce, oemboot, dbgstat by name, a CoSWID manifest" \
        eval 'json_is A.1.1-simple-tee.claims.json "d[\"form\"]" "\"claims-set\"" &&
              json_is A.1.1-simple-tee.claims.json "d[\"claims\"][\"eat_nonce\"]" "\"SN97Fy1wtaGJNdBGCnPdcQ\"" &&
              json_is A.1.1-simple-tee.claims.json "d[\"claims\"][\"oemboot\"]" true &&
              json_is A.1.1-simple-tee.claims.json "d[\"claims\"][\"dbgstat\"]" "\"disabled-since-boot\"" &&
              json_is A.1.1-simple-tee.claims.json "d[\"claims\"][\"manifests\"][0][0]" 258'
    check "A.1.2: ueid, IEEE oemid, hwversion, iat, submodules board and device" \
        eval 'json_is A.1.2-submods-board-device.claims.json "d[\"claims\"][\"ueid\"]" "\"AZj1Ck_2wFhhyIYNE6Y46g\"" &&
              json_is A.1.2-submods-board-device.claims.json "d[\"claims\"][\"oemid\"]" "\"iUgj\"" &&
              json_is A.1.2-submods-board-device.claims.json "d[\"claims\"][\"hwversion\"]" "[\"1.3.4\", 1]" &&
              json_is A.1.2-submods-board-device.claims.json "d[\"claims\"][\"iat\"]" 1526542894 &&
              json_is A.1.2-submods-board-device.claims.json "d[\"claims\"][\"dbgstat\"]" "\"disabled-permanently\"" &&
              json_is A.1.2-submods-board-device.claims.json "d[\"claims\"][\"submods\"][\"board\"][\"hwversion\"]" "[\"2.0a\", 2]" &&
              json_is A.1.2-submods-board-device.claims.json "d[\"claims\"][\"submods\"][\"device\"][\"oemid\"]" 61234'
    check "A.1.3: a 12-byte nonce, PEN oemid 64242, hwversion 3.1" \
        eval 'json_is A.1.3-hw-block.claims.json "d[\"claims\"][\"eat_nonce\"]" "\"15uWTd1UccE5PIiI\"" &&
              json_is A.1.3-hw-block.claims.json "d[\"claims\"][\"oemid\"]" 64242 &&
              json_is A.1.3-hw-block.claims.json "d[\"claims\"][\"hwversion\"]" "[\"3.1\", 1]"'
    check "A.1.4: exp and iat, private claims -80000 and -80001, the HLOS submodule" \
        eval 'json_is A.1.4-key-store.claims.json "d[\"claims\"][\"exp\"]" 1634324274 &&
              json_is A.1.4-key-store.claims.json "d[\"claims\"][\"iat\"]" 1634317080 &&
              json_is A.1.4-key-store.claims.json "d[\"claims\"][\"-80000\"]" "\"fingerprint\"" &&
              json_is A.1.4-key-store.claims.json "d[\"claims\"][\"-80001\"][\"1\"]" 2 &&
              json_is A.1.4-key-store.claims.json "d[\"claims\"][\"submods\"][\"HLOS\"][\"oemboot\"]" true'
    check "A.1.5: measurements in the OS submodule" \
        eval 'json_is A.1.5-iot-sw-measurements.claims.json "d[\"claims\"][\"oemid\"]" "\"iUWt\"" &&
              json_is A.1.5-iot-sw-measurements.claims.json "d[\"claims\"][\"submods\"][\"OS\"][\"measurements\"][0][0]" 258 &&
              json_is A.1.5-iot-sw-measurements.claims.json "d[\"claims\"][\"submods\"][\"OS\"][\"dbgstat\"]" "\"disabled-since-boot\""'
    check "A.2.1: a COSE_Sign1 in the CWT tag, ES256, the A.1.3 claims" \
        eval 'json_is A.2.1-basic-cwt.token.json "d[\"form\"]" "\"COSE_Sign1\"" &&
              json_is A.2.1-basic-cwt.token.json "d[\"cwt_tag\"]" true &&
              json_is A.2.1-basic-cwt.token.json "d[\"alg\"]" "\"ES256\"" &&
              [ "$(jget A.2.1-basic-cwt.token.json "d[\"claims\"]")" = "$(jget A.1.3-hw-block.claims.json "d[\"claims\"]")" ]'
    check "A.2.2: a detached EAT bundle: main token with a DIGEST submodule, detached TEE claims" \
        eval 'json_is A.2.2-cbor-detached-eat-bundle.token.json "d[\"form\"]" "\"DEB\"" &&
              json_is A.2.2-cbor-detached-eat-bundle.token.json "d[\"main\"][\"form\"]" "\"COSE_Sign1\"" &&
              json_is A.2.2-cbor-detached-eat-bundle.token.json "d[\"main\"][\"claims\"][\"submods\"][\"TEE\"][1][0]" -16 &&
              json_is A.2.2-cbor-detached-eat-bundle.token.json "d[\"detached\"][\"TEE\"][\"dbgstat\"]" "\"disabled-since-boot\""'
    run eat verify "A.2.1-basic-cwt.token.cbor" --key p256.pub --now "$NOW"
    check "A.2.1 against a key that did not sign it: wrong key or no verification, exit 1" rc_is 1
fi

# an unprotected claims set with an unknown integer claim among known ones
"$PY" -c 'import cbor2; open("unknown.cbor", "wb").write(cbor2.dumps(cbor2.CBORTag(601,
    {10: b"12345678", -70000: 5, 270: "x"})))'
run eat show unknown.cbor
cp out.txt unknown.json
check "eat show: an unknown integer claim keeps its key and value, the next claim its name" \
    eval 'rc_is 0 && json_is unknown.json "d[\"claims\"][\"-70000\"]" 5 &&
          json_is unknown.json "d[\"claims\"][\"swname\"]" "\"x\""'

summary
