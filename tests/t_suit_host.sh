#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The host-side SUIT verbs (create, sign, sever, show, verify):
#  - verify accepts every signed or MACed envelope of the draft vectors
#    (manifest, trust-domains, encryption) and refuses unsigned, tampered and
#    wrongly keyed ones with the reason;
#  - create reproduces the draft's Appendix B examples byte for byte from
#    their suit-tool JSON inputs;
#  - create -> sign -> verify, sever -> verify, show and show --diag;
#  - encryption (AES-KW and ECDH-ES, AES-GCM and AES-CTR);
#  - an independent check with python3-cbor2/-cryptography that our
#    signatures, MACs, digests and ciphertexts are what the drafts say.
#
# Exit statuses: 0 ok; 1 input rejected; 2 usage; 3 unsupported; 4 I/O.
# Env: IOTSEC_BIN (the built CLI), IOTSEC_SHARED (the shared vectors),
# IOTSEC_BUILD (the build tree, for its tests/suit_host_run device runner).
# shellcheck disable=SC2016
set -u

SHARED=${IOTSEC_SHARED:-$(dirname "$0")/../../shared}
SHARED=$(cd "$SHARED" && pwd)
PY=/usr/bin/python3
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

V=$SHARED/vectors/suit
M=$V/manifest
K=$V/keys

# suit VERB ARGS...: run 'iotsec suit'; sets RC, out.txt, err.txt
suit() {
    run suit "$@"
    # a sanitizer's report (ASan exits 1 too) must not pass for a refusal
    if grep -q 'Sanitizer\|runtime error' err.txt; then
        FAIL=$((FAIL + 1))
        echo "FAIL: suit $*: sanitizer report: $(grep -m1 'Sanitizer\|runtime error' err.txt)"
    fi
}
# expect_rc CODE LABEL VERB ARGS...: the suit verb VERB
RUN=suit

# flip IN OUT WHAT: copy IN with one bit flipped in the manifest, the
# signature (last byte of the first COSE block) or a severable member
flip() {
    "$PY" - "$1" "$2" "$3" <<'EOF'
import sys, cbor2
b = bytearray(open(sys.argv[1], "rb").read())
env = cbor2.loads(bytes(b)).value
what = sys.argv[3]
if what == "manifest":
    i = b.find(env[3]) + len(env[3]) - 1
elif what == "signature":
    auth = cbor2.loads(env[2])
    i = b.find(auth[1]) + len(auth[1]) - 1
else:
    i = b.find(env[int(what)]) + 10
b[i] ^= 0x01
open(sys.argv[2], "wb").write(bytes(b))
EOF
}

HAVE_PY=0
if "$PY" -c 'import cbor2, cryptography' 2>/dev/null; then
    HAVE_PY=1
fi

# the HMAC and KEK keys of the encryption drafts (keys.json), raw and COSE_Key
printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' >hmac.key
printf 'aaaaaaaaaaaaaaaa' >kek.key
if [ "$HAVE_PY" -eq 1 ]; then
    "$PY" - <<'EOF'
import cbor2
open("hmac.cose", "wb").write(cbor2.dumps({1: 4, 3: 5, -1: b"a" * 32}))
open("kek.cose", "wb").write(cbor2.dumps({1: 4, 2: b"kid-1", -1: b"a" * 16}))
EOF
fi

# ---------------------------------------------------------------- help and usage

for verb in create sign sever show verify; do
    suit "$verb" --help
    check "'suit $verb --help': exit 0 with Usage: on stdout" eval 'rc_is 0 && out_has "Usage:"'
done
expect_rc 2 "create without input" create
expect_rc 2 "create with an unknown option" create x.json --frobnicate
expect_rc 2 "sign without --key" sign "$M/ex0-secure-boot.unsigned.cbor"
expect_rc 2 "verify without --key" verify "$M/ex0-secure-boot.signed.cbor"
expect_rc 2 "create --compat with an unknown tool" create "$M/ex0-secure-boot.suit-tool-input.json" --compat other
expect_rc 4 "create from a missing file" create missing.json
expect_rc 4 "verify with a missing key file" verify "$M/ex0-secure-boot.signed.cbor" --key missing.pem
printf '{"manifest-sequence-number": 1, "components": [' >bad.json
expect_rc 1 "create from malformed JSON" create bad.json
printf '{"manifest-sequence-number": 1, "components": [{"install-id": ["00"]}]}' >nodigest.json
expect_rc 1 "create: a component without digest or file" create nodigest.json
check "create: the reason names install-digest" err_has "install-digest or file"
printf 'not cbor' >junk.bin
expect_rc 1 "verify of a non-envelope" verify junk.bin --key "$K/ietf-example-p256.pub.pem"
expect_rc 1 "show of a non-envelope" show junk.bin

# ---------------------------------------------------------------- verify the vectors

IETF=$K/ietf-example-p256.pub.pem
for f in "$M"/*.signed*.cbor "$V"/trust-domains/*.cbor "$V"/encryption/suit-manifest-es-ecdh-content.signed.cbor; do
    expect_rc 0 "verify $(basename "$f")" verify "$f" --key "$IETF"
    check "verify $(basename "$f"): says verified" out_has "verified: SUIT envelope"
done
expect_rc 0 "verify the ES-DH dependency (outer signer)" verify \
    "$V/encryption/suit-manifest-es-ecdh-dependency.signed.cbor" --key "$K/enc-dependency-signer-p256.pub.pem"
expect_rc 1 "the ES-DH dependency's outer envelope is not signed by the IETF key" verify \
    "$V/encryption/suit-manifest-es-ecdh-dependency.signed.cbor" --key "$IETF"
for f in "$V"/encryption/suit-manifest-aes-kw*.signed.cbor; do
    expect_rc 0 "verify $(basename "$f") (COSE_Mac0, raw key)" verify "$f" --key hmac.key
    check "$(basename "$f"): names HMAC 256/256" out_has "COSE_Mac0 HMAC 256/256 (5)"
    if [ "$HAVE_PY" -eq 1 ]; then
        expect_rc 0 "verify $(basename "$f") (COSE_Mac0, COSE_Key)" verify "$f" --key hmac.cose
    fi
done
expect_rc 0 "a key set of several anchors" verify "$M/ex3-ab-images.signed.cbor" \
    --key "$K/enc-dependency-signer-p256.pub.pem" --key hmac.key --key "$IETF"
check "the message names the key that verified" out_has "ietf-example-p256.pub.pem"
expect_rc 1 "wrong key" verify "$M/ex0-secure-boot.signed.cbor" --key "$K/enc-dependency-signer-p256.pub.pem"
check "wrong key: the reason" err_has "no authentication block verifies"
for f in "$M"/*unsigned*.cbor; do
    expect_rc 1 "verify $(basename "$f") (unsigned)" verify "$f" --key "$IETF"
    check "$(basename "$f"): the reason says unsigned" err_has "unsigned envelope"
done
suit verify "$M/ex2-severed-fields.signed-severed.cbor" --key "$IETF"
check "severed envelope verifies and says severed ($(cat out.txt))" eval 'rc_is 0 && out_has "install severed" && out_has "text severed"'
suit verify "$M/ex2-severed-fields.signed-full.cbor" --key "$IETF"
check "full envelope: members present" eval 'rc_is 0 && out_has "install present (digest matches)"'

flip "$M/ex1-download-install.signed.cbor" flip-m.cbor manifest
expect_rc 1 "a flipped manifest byte" verify flip-m.cbor --key "$IETF"
check "flipped manifest: the reason" err_has "the manifest does not match the digest"
flip "$M/ex1-download-install.signed.cbor" flip-s.cbor signature
expect_rc 1 "a flipped signature byte" verify flip-s.cbor --key "$IETF"
flip "$M/ex2-severed-fields.signed-full.cbor" flip-t.cbor 23
expect_rc 1 "a flipped byte in the text member" verify flip-t.cbor --key "$IETF"
check "flipped member: the reason names text" err_has "the text member does not match"
flip "$M/ex2-severed-fields.signed-full.cbor" flip-i.cbor 20
expect_rc 1 "a flipped byte in the install member" verify flip-i.cbor --key "$IETF"
check "flipped member: the reason names install" err_has "the install member does not match"

# ---------------------------------------------------------------- create: the draft's examples

for ex in ex0-secure-boot ex1-download-install ex3-ab-images ex4-load-external ex5-two-images; do
    expect_rc 0 "create $ex" create "$M/$ex.suit-tool-input.json" -o "$ex.cbor"
    check "create $ex: byte for byte the draft's unsigned envelope" cmp -s "$ex.cbor" "$M/$ex.unsigned.cbor"
done
# Example 2: suit-tool drops model-info and component-version from the text
expect_rc 0 "create ex2 --compat suit-tool" create --compat suit-tool \
    "$M/ex2-severed-fields.suit-tool-input.json" -o ex2.cbor
expect_rc 0 "sever ex2" sever ex2.cbor -o ex2-severed.cbor
check "create+sever ex2: byte for byte the draft's unsigned severed envelope" \
    cmp -s ex2-severed.cbor "$M/ex2-severed-fields.unsigned-severed.cbor"
expect_rc 0 "create ex2 (draft text keys)" create "$M/ex2-severed-fields.suit-tool-input.json" -o ex2-draft.cbor
suit show ex2-draft.cbor
check "ex2 without --compat keeps model-info and component-version" \
    eval 'out_has "model-info (4): \"suit\"" && out_has "component-version (6): \"v1.0.1\""'
if [ "$HAVE_PY" -eq 1 ]; then
    "$PY" - "$M" >py-ex2.txt 2>&1 <<'EOF'
import sys, cbor2
M = sys.argv[1]
ours = cbor2.loads(open("ex2.cbor", "rb").read()).value
full = cbor2.loads(open(M + "/ex2-severed-fields.signed-full.cbor", "rb").read()).value
assert ours[3] == full[3] and ours[20] == full[20] and ours[23] == full[23]
# the draft's signature verifies over our manifest: graft it
graft = cbor2.dumps(cbor2.CBORTag(107, {2: full[2], 3: ours[3], 20: ours[20], 23: ours[23]}))
open("ex2-graft.cbor", "wb").write(graft)
print("ex2 members ok")
EOF
    check "ex2 --compat: manifest, install and text members equal the signed-full vector" grep -qx "ex2 members ok" py-ex2.txt
    expect_rc 0 "the draft's ex2 signature verifies over our manifest" verify ex2-graft.cbor --key "$IETF"
fi

# vendor-domain and class-name give the examples' UUIDs (UUIDv5 of "arm.com" and "suit")
sed -e 's/"vendor-id" : "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"/"vendor-domain": "arm.com"/' \
    -e 's/"class-id" : "1492af14-2569-5e48-bf42-9b2d51f2ab45"/"class-name": "suit"/' \
    "$M/ex0-secure-boot.suit-tool-input.json" >ex0-domain.json
check "the domain variant of ex0 has no UUIDs left" eval '! grep -q fa6b4a53 ex0-domain.json'
expect_rc 0 "create ex0 from vendor-domain and class-name" create ex0-domain.json -o ex0-domain.cbor
check "vendor-domain/class-name: the same envelope as the explicit UUIDs" cmp -s ex0-domain.cbor "$M/ex0-secure-boot.unsigned.cbor"
sed -e 's/"class-id" : "1492af14-2569-5e48-bf42-9b2d51f2ab45"/"class-id": "1492af14-2569-5e48-bf42-9b2d51f2ab45", "class-name": "other"/' \
    "$M/ex0-secure-boot.suit-tool-input.json" >ex0-mismatch.json
expect_rc 1 "class-id that is not UUIDv5(vendor, class-name)" create ex0-mismatch.json -o x.cbor

# ---------------------------------------------------------------- create -> sign -> verify

"$BIN" key gen --alg ES384 -o p384.pem 2>/dev/null && "$BIN" key pub p384.pem -o p384.pub.pem 2>/dev/null
"$BIN" key gen --alg EdDSA -o ed.pem 2>/dev/null && "$BIN" key pub ed.pem -o ed.pub.pem 2>/dev/null
check "test keys generated" eval '[ -s p384.pub.pem ] && [ -s ed.pub.pem ]'
head -c 5000 /dev/urandom >fw.bin
head -c 1200 /dev/urandom >fw2.bin
cat >app.json <<'EOF'
{
    "manifest-version": 1,
    "manifest-sequence-number": 42,
    "reference-uri": "https://example.com/app.suit",
    "severable": true,
    "components": [
        {
            "install-id": ["00"],
            "vendor-domain": "example.com",
            "class-name": "thermostat-rev-b",
            "file": "fw.bin",
            "uri": "https://example.com/fw.bin",
            "bootable": true,
            "description": {"en-US": {"component-description": "application", "vendor-domain": "example.com"}}
        },
        {
            "install-id": [{"text": "config"}],
            "file": "fw2.bin",
            "uri": "#config"
        }
    ],
    "description": {"en-US": {"manifest-description": "iotsec test manifest"}}
}
EOF
expect_rc 0 "create app.json" create app.json -o app.cbor
expect_rc 1 "an unsigned creation does not verify" verify app.cbor --key "$IETF"
suit show app.cbor
check "show: envelope and wrapper" eval 'out_has "SUIT_Envelope (tag 107)" && out_has "authentication-wrapper (2):" && out_has "the envelope is unsigned"'
check "show: manifest fields" eval 'out_has "manifest-sequence-number (2): 42" && out_has "reference-uri (4)" && out_has "common (3):"'
check "show: components" eval "out_has \"component 0: [h'00']\" && out_has \"component 1: ['config']\""
check "show: parameters" eval 'out_has "image-digest (3): sha-256 (-16)" && out_has "image-size (14): 5000" && out_has "vendor-id (1): "'
check "show: commands" eval 'out_has "condition-vendor-identifier (1)" && out_has "directive-fetch (21)" && out_has "directive-invoke (23)"'
check "show: severable install present" eval 'out_has "install (20): severable, digest sha-256" && out_has "member present (digest matches)"'
check "show: text" eval 'out_has "manifest-description (1): \"iotsec test manifest\"" && out_has "component-description (5)"'
check "show: the integrated payload" out_has '"#config": integrated payload, 1200 bytes'
VENDOR=$("$PY" -c 'import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, "example.com"))')
check "show: vendor-id is UUIDv5(DNS, example.com) = $VENDOR" out_has "vendor-id (1): $VENDOR"

IETF_PRIV=$K/ietf-example-p256.priv.pem
expect_rc 0 "sign with the P-256 key (ESP256 by default)" sign app.cbor --key "$IETF_PRIV" -o app-p256.cbor
expect_rc 0 "verify ESP256" verify app-p256.cbor --key "$IETF"
check "ESP256 (-9) is the default alg" out_has "COSE_Sign1 ESP256 (-9)"
expect_rc 0 "sign with --alg ES256" sign app.cbor --key "$IETF_PRIV" --alg ES256 -o app-es256.cbor
expect_rc 0 "verify ES256" verify app-es256.cbor --key "$IETF"
check "--alg ES256 writes -7" out_has "COSE_Sign1 ES256 (-7)"
expect_rc 0 "sign with P-384" sign app.cbor --key p384.pem -o app-p384.cbor
expect_rc 0 "verify P-384" verify app-p384.cbor --key p384.pub.pem
check "P-384 signs ESP384" out_has "ESP384 (-51)"
expect_rc 0 "sign with Ed25519" sign app.cbor --key ed.pem -o app-ed.cbor
expect_rc 0 "verify EdDSA" verify app-ed.cbor --key ed.pub.pem
check "Ed25519 signs EdDSA" out_has "EdDSA (-8)"
expect_rc 0 "MAC with a symmetric key" sign app.cbor --key hmac.key -o app-mac.cbor
expect_rc 0 "verify COSE_Mac0" verify app-mac.cbor --key hmac.key
check "symmetric keys MAC with HMAC 256/256" out_has "COSE_Mac0 HMAC 256/256 (5)"
expect_rc 1 "the MAC does not verify with another secret" verify app-mac.cbor --key kek.key
expect_rc 2 "signing with a public key" sign app.cbor --key "$IETF" -o x.cbor
expect_rc 2 "--alg ES384 does not fit a P-256 key" sign app.cbor --key "$IETF_PRIV" --alg ES384 -o x.cbor
expect_rc 0 "create --key signs in one step" create app.json --key "$IETF_PRIV" -o app-signed.cbor
expect_rc 0 "verify the one-step envelope" verify app-signed.cbor --key "$IETF"
# the optional SHAKE digests: images and manifest under SHAKE256
"$PY" -c 'import json; j = json.load(open("app.json")); j["digest-algorithm"] = "shake256"; json.dump(j, open("app-shake.json", "w"))'
expect_rc 0 "create with digest-algorithm shake256" create app-shake.json --key "$IETF_PRIV" -o app-shake.cbor
expect_rc 0 "verify the SHAKE256 envelope" verify app-shake.cbor --key "$IETF"
suit show app-shake.cbor
check "show: SHAKE256 image digests" out_has "image-digest (3): shake256 (-45)"
expect_rc 0 "sign with two keys" sign app.cbor --key "$IETF_PRIV" --key ed.pem -o app-two.cbor
expect_rc 0 "two blocks: the first key alone" verify app-two.cbor --key "$IETF"
expect_rc 0 "two blocks: the second key alone" verify app-two.cbor --key ed.pub.pem
check "two blocks: the second verified" out_has "authentication block 2 of 2"
expect_rc 0 "sign keeps existing blocks" sign app-p256.cbor --key hmac.key -o app-add.cbor
suit show app-add.cbor
check "sign appended a block after the old one" eval 'out_has "block 1: COSE_Sign1" && out_has "block 2: COSE_Mac0"'
expect_rc 0 "the old block still verifies" verify app-add.cbor --key "$IETF"
expect_rc 0 "the new block verifies" verify app-add.cbor --key hmac.key
expect_rc 0 "re-sign the draft's signed ex0" sign "$M/ex0-secure-boot.signed.cbor" --key ed.pem -o ex0-resigned.cbor
expect_rc 0 "the draft's ES256 block is kept" verify ex0-resigned.cbor --key "$IETF"

# ---------------------------------------------------------------- sever

expect_rc 0 "sever text only" sever app-p256.cbor --member text -o app-notext.cbor
expect_rc 0 "verify after severing text" verify app-notext.cbor --key "$IETF"
check "text severed, install present" eval 'out_has "text severed" && out_has "install present"'
expect_rc 0 "sever everything severable" sever app-p256.cbor -o app-severed.cbor
expect_rc 0 "verify the severed envelope" verify app-severed.cbor --key "$IETF"
suit show app-severed.cbor
check "show marks install severed" out_has "install (20): severable, digest sha-256 (-16)"
check "show marks members severed" out_has "; member severed"
check "severing keeps integrated payloads" out_has '"#config": integrated payload'
check "the severed envelope is smaller" eval '[ "$(wc -c <app-severed.cbor)" -lt "$(wc -c <app-p256.cbor)" ]'
expect_rc 0 "sever an integrated payload by name" sever app-p256.cbor --member '#config' -o app-nocfg.cbor
expect_rc 0 "verify without the integrated payload" verify app-nocfg.cbor --key "$IETF"
expect_rc 1 "sever a member the manifest lacks" sever "$M/ex0-secure-boot.signed.cbor" --member install -o x.cbor
expect_rc 2 "an unknown member name" sever app.cbor --member validate -o x.cbor
expect_rc 0 "sever the draft's ex2" sever "$M/ex2-severed-fields.signed-full.cbor" -o ex2-sev.cbor
check "severing the draft's ex2 gives its signed-severed vector" cmp -s ex2-sev.cbor "$M/ex2-severed-fields.signed-severed.cbor"

# ---------------------------------------------------------------- show

suit show "$M/ex3-ab-images.signed.cbor"
check "show ex3: try-each and slots" eval 'out_has "directive-try-each (15): 2 branches" && out_has "condition-component-slot (5): policy 5" && out_has "component-slot (5): 1"'
check "show ex3: the COSE block and its alg" out_has "block 1: COSE_Sign1 (tag 18), alg ES256 (-7), payload detached"
check "show ex3: vendor and class ids" eval 'out_has "vendor-id (1): fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe" && out_has "class-id (2): 1492af14-2569-5e48-bf42-9b2d51f2ab45"'
suit show "$M/ex4-load-external.signed.cbor"
check "show ex4: sections and source components" eval 'out_has "load (8):" && out_has "payload-fetch (16):" && out_has "source-component (22): 1 [h'"'"'02'"'"']"'
suit show "$M/ex2-severed-fields.signed-severed.cbor"
check "show ex2 severed: install and text severed" eval 'out_has "install (20): severable" && [ "$(grep -c "member severed" out.txt)" -eq 2 ]'
suit show "$V/trust-domains/example2_integrated.cbor"
check "show trust-domains example 2: dependencies and the integrated dependency" \
    eval 'out_has "dependencies (1)" && out_has "(a SUIT envelope: an integrated dependency)" && out_has "directive-process-dependency (11)"'
suit show "$V/encryption/suit-manifest-es-ecdh-content.signed.cbor"
check "show the ES-DH example: encryption-info summarised" \
    eval 'out_has "encryption-info (19): COSE_Encrypt, content alg A128GCM (1)" && out_has "alg ECDH-ES+A128KW (-29), kid '"'"'kid-2'"'"', ephemeral key"'
check "show the ES-DH example: content and write" eval 'out_has "content (18): 46 bytes" && out_has "directive-write (18)"'
suit show "$V/encryption/suit-manifest-aes-kw.signed.cbor"
check "show the AES-KW example: COSE_Mac0" out_has "COSE_Mac0 (tag 17), alg HMAC 256/256 (5)"
suit show --diag "$M/ex1-download-install.signed.cbor"
check "show --diag: tag, nested bstr .cbor expanded" eval 'rc_is 0 && out_has "107(" && out_has "<< [" && out_has "18(" && out_has "\"http://example.com/file.bin\""'

# ---------------------------------------------------------------- encryption

printf 'This is a real firmware image.' >plain.bin
cat >enc.json <<'EOF'
{
    "manifest-version": 1,
    "manifest-sequence-number": 3,
    "components": [
        {
            "install-id": [{"text": "plaintext-firmware"}],
            "download-id": [{"text": "encrypted-firmware"}],
            "install-on-download": false,
            "vendor-domain": "example.com",
            "class-name": "enc-test",
            "file": "fw.bin",
            "uri": "#encrypted"
        },
        {
            "install-id": ["02"],
            "download-id": ["03"],
            "install-on-download": false,
            "file": "plain.bin",
            "uri": "coaps://example.com/encrypted-firmware",
            "encrypted-file": "remote.enc"
        }
    ]
}
EOF
if [ "$HAVE_PY" -eq 1 ]; then
    "$PY" - "$K/keys.json" <<'EOF'
import sys, json
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import serialization
k = json.load(open(sys.argv[1]))["enc-ecdh-recipient-p256"]
pub = ec.EllipticCurvePublicNumbers(int(k["x"], 16), int(k["y"], 16), ec.SECP256R1()).public_key()
open("ecdh-recipient.pub.pem", "wb").write(pub.public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
EOF
fi
# name | --encrypt-key | --encrypt-alg
encspecs=(
    "kw-gcm|kek.key|A128GCM"
    "kw-ctr|kek.key|A128CTR"
    "esdh-gcm|ecdh-recipient.pub.pem|A128GCM"
    "esdh-ctr|ecdh-recipient.pub.pem|A128CTR"
)
for spec in "${encspecs[@]}"; do
    IFS='|' read -r name key alg <<<"$spec"
    [ -s "$key" ] || continue
    rm -f remote.enc
    expect_rc 0 "create encrypted ($name)" create enc.json --encrypt-key "$key" --encrypt-alg "$alg" \
        --encrypt-kid kid-1 --key "$IETF_PRIV" -o "enc-$name.cbor"
    check "$name: the remote ciphertext was written" test -s remote.enc
    cp remote.enc "remote-$name.enc"
    expect_rc 0 "verify encrypted ($name)" verify "enc-$name.cbor" --key "$IETF"
    suit show "enc-$name.cbor"
    check "$name: show summarises the encryption-info" eval 'out_has "encryption-info (19): COSE_Encrypt, content alg $alg" && out_has "kid '"'"'kid-1'"'"'"'
    check "$name: decrypt by copy from the download component" eval 'out_has "directive-copy (22)" && out_has "source-component (22): 1 ['"'"'encrypted-firmware'"'"']"'
done
expect_rc 1 "an encrypted image needs a download component" create app.json --encrypt-key kek.key -o x.cbor
check "the reason names download-id" err_has "download-id"
expect_rc 3 "--encrypt-alg must be GCM or CTR" create enc.json --encrypt-key kek.key --encrypt-alg A128CBC -o x.cbor
expect_rc 2 "--encrypt-key with a signing-only key" create enc.json --encrypt-key ed.pub.pem -o x.cbor

# ---------------------------------------------------------------- run on a device

# What create writes must run: the library's processor on the in-memory
# device of tests/suit_mem.c (update, then invoke).
RUNNER=${IOTSEC_BUILD:-$(dirname "$BIN")}/tests/suit_host_run
sha() { sha256sum "$1" | cut -d' ' -f1; }
if [ -x "$RUNNER" ]; then
    run_dev() {
        "$RUNNER" "$@" >out.txt 2>err.txt
        RC=$?
        if grep -q 'Sanitizer\|runtime error' err.txt; then
            FAIL=$((FAIL + 1))
            echo "FAIL: suit_host_run $*: sanitizer report"
        fi
    }
    run_dev app-p256.cbor --anchor "$IETF" --vendor-domain example.com --class-name thermostat-rev-b \
        --uri "https://example.com/fw.bin=fw.bin"
    check "app: update and invoke succeed on the device ($(head -n1 out.txt))" rc_is 0
    check "app: component 0 holds fw.bin" out_has "component 0: 5000 bytes sha256 $(sha fw.bin)"
    check "app: component 1 holds the integrated payload" out_has "component 1: 1200 bytes sha256 $(sha fw2.bin)"
    check "app: the bootable component was invoked" out_has "invoked 1"
    run_dev app-p256.cbor --anchor "$IETF" --vendor-domain example.com --class-name other-class \
        --uri "https://example.com/fw.bin=fw.bin"
    check "app: another class is refused ($(head -n1 out.txt))" eval 'rc_is 1 && out_has "component 0: 0 bytes"'
    run_dev app-severed.cbor --anchor "$IETF" --vendor-domain example.com --class-name thermostat-rev-b \
        --uri "https://example.com/fw.bin=fw.bin"
    check "app severed: no update without the install member ($(head -n1 out.txt))" eval 'rc_is 1 && out_has "component 0: 0 bytes"'
    if [ "$HAVE_PY" -eq 1 ]; then
        "$PY" - "$K/keys.json" <<'EOF'
import sys, json
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import serialization
k = json.load(open(sys.argv[1]))["enc-ecdh-recipient-p256"]
priv = ec.derive_private_key(int(k["d"], 16), ec.SECP256R1())
open("ecdh-recipient.priv.pem", "wb").write(priv.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
EOF
    fi
    for spec in "${encspecs[@]}"; do
        IFS='|' read -r name key alg <<<"$spec"
        [ -s "enc-$name.cbor" ] || continue
        dkey=kek.key
        [ "$key" = kek.key ] || dkey=ecdh-recipient.priv.pem
        run_dev "enc-$name.cbor" --anchor "$IETF" --decrypt-key "$dkey" --vendor-domain example.com \
            --class-name enc-test --uri "coaps://example.com/encrypted-firmware=remote-$name.enc"
        check "enc-$name: the device decrypts both images ($(head -n1 out.txt))" \
            eval 'rc_is 0 && out_has "component 0: 5000 bytes sha256 $(sha fw.bin)" && out_has "component 2: 30 bytes sha256 $(sha plain.bin)"'
    done
    run_dev enc-kw-gcm.cbor --anchor "$IETF" --decrypt-key hmac.key --vendor-domain example.com \
        --class-name enc-test --uri "coaps://example.com/encrypted-firmware=remote-kw-gcm.enc"
    check "enc-kw-gcm: a wrong key-encryption key decrypts nothing ($(head -n1 out.txt))" eval 'rc_is 1 && out_has "component 0: 0 bytes"'
else
    echo "SKIP: $RUNNER not built"
fi

# ---------------------------------------------------------------- independent check (python3-cbor2/-cryptography)

if [ "$HAVE_PY" -eq 1 ]; then
    cat >pycheck.py <<'EOF'
"""Check envelopes the way verify_vectors.py does: SUIT_Digest over the
bstr-wrapped manifest, each COSE block over the encoded SUIT_Digest
(detached), severable members against their digests; and decrypt the
encrypted images (draft-ietf-suit-firmware-encryption)."""
import sys, json, hashlib, hmac
import cbor2
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

def digest(alg, b):
    """SUIT_Digest bytes by COSE id; SHAKE at the lengths COSE fixes."""
    if alg in (-18, -45):
        return (hashlib.shake_128 if alg == -18 else hashlib.shake_256)(b).digest(32 if alg == -18 else 64)
    return {-16: hashlib.sha256, -43: hashlib.sha384, -44: hashlib.sha512}[alg](b).digest()
ECDSA = {-7: hashes.SHA256, -9: hashes.SHA256, -35: hashes.SHA384, -51: hashes.SHA384}

def check_envelope(path, pubs, secrets):
    t = cbor2.loads(open(path, "rb").read())
    assert t.tag == 107
    env = t.value
    assert list(env.keys())[:2] == [2, 3], "the wrapper precedes the manifest"
    auth = cbor2.loads(env[2])
    alg, dg = cbor2.loads(auth[0])
    assert digest(alg, cbor2.dumps(env[3])) == dg, "manifest digest"
    assert len(auth) > 1, "unsigned"
    for blk in auth[1:]:
        s = cbor2.loads(blk)
        prot, unprot, payload, sig = s.value
        assert payload is None, "detached payload"
        a = cbor2.loads(prot)[1]
        if s.tag == 18:
            tbs = cbor2.dumps(["Signature1", prot, b"", auth[0]])
            ok = False
            for pub in pubs:
                try:
                    if a in ECDSA:
                        n = len(sig) // 2
                        der = encode_dss_signature(int.from_bytes(sig[:n], "big"), int.from_bytes(sig[n:], "big"))
                        pub.verify(der, tbs, ec.ECDSA(ECDSA[a]()))
                    else:
                        assert a in (-8, -19)
                        pub.verify(sig, tbs)
                    ok = True
                    break
                except Exception:
                    pass
            assert ok, "signature alg %d" % a
        else:
            assert s.tag == 17 and a == 5
            tbs = cbor2.dumps(["MAC0", prot, b"", auth[0]])
            assert any(hmac.new(k, tbs, hashlib.sha256).digest() == sig for k in secrets), "MAC"
    man = cbor2.loads(env[3])
    for k in (15, 16, 20, 23):
        if isinstance(man.get(k), list):
            malg, md = man[k]
            if k in env:
                assert digest(malg, cbor2.dumps(env[k])) == md, "member %d digest" % k
    return env, man

def seq_params(seq):
    """Override-parameter maps of a sequence, flattened (one component)."""
    out = {}
    cmds = cbor2.loads(seq)
    for i in range(0, len(cmds), 2):
        if cmds[i] == 20:
            out.update(cmds[i + 1])
    return out

def cmd_params(seq, index):
    """Override-parameters that follow set-component-index `index`."""
    cmds, cur, out = cbor2.loads(seq), None, {}
    for i in range(0, len(cmds), 2):
        if cmds[i] == 12:
            cur = cmds[i + 1]
        elif cmds[i] == 20 and cur == index:
            out.update(cmds[i + 1])
    return out

def decrypt(info, ct, kek=None, priv=None):
    enc = cbor2.loads(info).value
    rec = enc[3][0]
    ralg = (cbor2.loads(rec[0]) if rec[0] else rec[1]).get(1)
    if ralg == -3:
        assert rec[0] == b""
        cek = aes_key_unwrap(kek, rec[2])
    else:
        assert ralg == -29
        epk = rec[1][-1]
        pub = ec.EllipticCurvePublicNumbers(int.from_bytes(epk[-2], "big"), int.from_bytes(epk[-3], "big"), ec.SECP256R1()).public_key()
        ctx = cbor2.dumps([-3, [None] * 3, [None] * 3, [128, rec[0], b"SUIT Payload Encryption"]])
        cek = aes_key_unwrap(HKDF(hashes.SHA256(), 16, None, ctx).derive(priv.exchange(ec.ECDH(), pub)), rec[2])
    prot = enc[0]
    alg = (cbor2.loads(prot).get(1) if prot else None) or enc[1].get(1)
    iv = enc[1][5]
    assert enc[2] is None, "detached ciphertext"
    if alg == 1:
        assert prot != b""
        return AESGCM(cek).decrypt(iv, ct, cbor2.dumps(["Encrypt", prot, b""]))
    assert alg == -65534 and prot == b"" and len(iv) == 16
    d = Cipher(algorithms.AES(cek), modes.CTR(iv)).decryptor()
    return d.update(ct) + d.finalize()

mode = sys.argv[1]
if mode == "sig":
    path, keys = sys.argv[2], sys.argv[3:]
    pubs = [load_pem_public_key(open(k, "rb").read()) for k in keys if k.endswith(".pem")]
    secrets = [open(k, "rb").read() for k in keys if not k.endswith(".pem")]
    env, man = check_envelope(path, pubs, secrets)
    print("ok", path)
elif mode == "files":
    # app.json: digests and sizes of the image files, the integrated payload
    env, man = check_envelope(sys.argv[2], [load_pem_public_key(open(sys.argv[3], "rb").read())], [])
    common = cbor2.loads(man[3])
    shared = common[4]
    fw, fw2 = open("fw.bin", "rb").read(), open("fw2.bin", "rb").read()
    p0, p1 = cmd_params(shared, 0), cmd_params(shared, 1)
    assert cbor2.loads(p0[3]) == [-16, hashlib.sha256(fw).digest()] and p0[14] == len(fw)
    assert cbor2.loads(p1[3]) == [-16, hashlib.sha256(fw2).digest()] and p1[14] == len(fw2)
    import uuid
    assert p0[1] == uuid.uuid5(uuid.NAMESPACE_DNS, "example.com").bytes
    assert p0[2] == uuid.uuid5(uuid.UUID(bytes=p0[1]), "thermostat-rev-b").bytes
    assert env["#config"] == fw2
    assert common[2] == [[b"\x00"], [b"config"]]
    print("files ok")
else:
    # encrypted envelopes: decrypt both images and check every digest
    path, secret = sys.argv[2], sys.argv[3]
    keys = json.load(open(sys.argv[4]))
    kek = bytes.fromhex(keys["enc-a128kw-kek"]["k_hex"])
    priv = ec.derive_private_key(int(keys["enc-ecdh-recipient-p256"]["d"], 16), ec.SECP256R1())
    env, man = check_envelope(path, [load_pem_public_key(open(sys.argv[5], "rb").read())], [])
    common = cbor2.loads(man[3])
    ids = common[2]
    fetch, install, shared = man[16], man[20], common[4]
    for inst, dl, ct, plain in ((0, 1, env["#encrypted"], open("fw.bin", "rb").read()),
                                (2, 3, open(secret, "rb").read(), open("plain.bin", "rb").read())):
        info = cmd_params(install, inst)[19]
        assert cmd_params(install, inst)[22] == dl
        assert cbor2.loads(cmd_params(shared, inst)[3])[1] == hashlib.sha256(plain).digest()
        fp = cmd_params(fetch, dl)
        assert cbor2.loads(fp[3])[1] == hashlib.sha256(ct).digest() and fp[14] == len(ct)
        assert decrypt(info, ct, kek, priv) == plain
    assert ids[0] == [b"plaintext-firmware"] and ids[1] == [b"encrypted-firmware"]
    print("decrypt ok")
EOF
    for f in app-p256.cbor app-es256.cbor app-p384.cbor app-ed.cbor app-two.cbor app-signed.cbor app-severed.cbor app-notext.cbor app-shake.cbor; do
        pubs="$IETF p384.pub.pem ed.pub.pem"
        # shellcheck disable=SC2086
        "$PY" pycheck.py sig "$f" $pubs >py.txt 2>&1
        check "python3-cryptography verifies $f ($(tail -n1 py.txt))" grep -q "^ok " py.txt
    done
    "$PY" pycheck.py sig app-mac.cbor hmac.key >py.txt 2>&1
    check "python3 verifies the COSE_Mac0 ($(tail -n1 py.txt))" grep -q "^ok " py.txt
    "$PY" pycheck.py sig app-add.cbor "$IETF" hmac.key >py.txt 2>&1
    check "python3 verifies the appended blocks ($(tail -n1 py.txt))" grep -q "^ok " py.txt
    "$PY" pycheck.py files app-p256.cbor "$IETF" >py.txt 2>&1
    check "python3: image digests, sizes, UUIDv5 ids, integrated payload ($(tail -n1 py.txt))" grep -qx "files ok" py.txt
    for spec in "${encspecs[@]}"; do
        IFS='|' read -r name key alg <<<"$spec"
        "$PY" pycheck.py enc "enc-$name.cbor" "remote-$name.enc" "$K/keys.json" "$IETF" >py.txt 2>&1
        check "python3 decrypts both images of enc-$name.cbor ($(tail -n1 py.txt))" grep -qx "decrypt ok" py.txt
    done
else
    echo "SKIP: python3 cbor2/cryptography not available"
fi

summary
