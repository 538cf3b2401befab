#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The main job: build iotsec and walk through what it does today, ending in
# a secure update of a simulated device over HTTP on loopback.
# (It grows into the end-to-end update-and-attestation demo as modules land.)
# usage: scripts/demo.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh" build
cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$top/build" -j"$(nproc)" --target iotsec_cli >/dev/null
iotsec="$top/build/iotsec"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
expect_fail() { # show a command that must be refused, and its exit status
    printf '\n\033[1m$ %s\033[0m\n' "$*"
    set +e
    "$@"
    local rc=$?
    set -e
    echo "(exit status $rc)"
    [ $rc -ne 0 ]
}

echo "== 1. Keys for a device fleet: a signing key pair and a key-wrap key"
step "$iotsec" key gen --alg ES256 -o signer.pem
step ls -l signer.pem
step "$iotsec" key pub signer.pem -o signer.pub.pem
step "$iotsec" key gen --alg ESP256 --kid fw-signer-1 --format cose -o signer.cose
step "$iotsec" key show signer.cose
step "$iotsec" key gen --alg A128KW --kid kek-1 -o kek.cose
step "$iotsec" key show kek.cose

echo
echo "== 2. CBOR: strict, deterministic, inspectable"
cat > claims.json <<'JSON'
{"iss": "https://vendor.example", "ueid": "AaCgoaKjpKWmp6ipqqusra6v", "bootcount": 42,
 "swversion": ["1.0.2", 16384], "oemboot": true, "measurement": 3.5}
JSON
step "$iotsec" cbor from-json --deterministic claims.json -o claims.cbor
step "$iotsec" cbor diag claims.cbor
step "$iotsec" cbor check --deterministic claims.cbor
step "$iotsec" cbor to-json claims.cbor
step "$iotsec" key pub signer.cose -o signer.pub.cose
step "$iotsec" cbor diag signer.pub.cose

echo
echo "== 3. COSE: a signed and an encrypted update payload"
head -c 4096 /dev/urandom > firmware.bin
step "$iotsec" cose sign --key signer.cose firmware.bin -o firmware.cose
step "$iotsec" cose show firmware.cose
step "$iotsec" cose verify --key signer.pub.cose firmware.cose -o firmware.verified
step cmp firmware.bin firmware.verified
step "$iotsec" key gen --alg ECDH-ES+A128KW --kid device-7 --format cose -o device.cose
step "$iotsec" key pub device.cose -o device.pub.cose
step "$iotsec" cose encrypt --recipient device.pub.cose --recipient kek.cose firmware.bin -o firmware.enc
step "$iotsec" cose show firmware.enc
step "$iotsec" cose decrypt --key device.cose firmware.enc -o firmware.dec
step "$iotsec" cose decrypt --key kek.cose firmware.enc -o firmware.dec2
step cmp firmware.bin firmware.dec
cp firmware.cose tampered.cose
printf '\x00' | dd of=tampered.cose bs=1 seek=40 conv=notrunc 2>/dev/null
expect_fail "$iotsec" cose verify --key signer.pub.cose tampered.cose -o should-not-exist
step test ! -e should-not-exist

echo
echo "== 4. Bad input is refused with the offset and the rule broken"
printf '\xa2\x01\x02\x01\x03' > dup.cbor
expect_fail "$iotsec" cbor check dup.cbor
printf '\x62\xc3\x28' > utf8.cbor
expect_fail "$iotsec" cbor diag utf8.cbor
printf '\x18\x17' > long.cbor
expect_fail "$iotsec" cbor check --deterministic long.cbor
echo '{"a": 1, "a": 2}' > dup.json
expect_fail "$iotsec" cbor from-json dup.json
expect_fail "$iotsec" key gen --alg RS256 -o x.pem

echo
echo "== 5. SUIT: a manufacturer signs an update, a device installs it and boots it"
head -c 3000 /dev/urandom > fw-v1.bin
cat > v1.json <<'JSON'
{"manifest-version": 1, "manifest-sequence-number": 1,
 "components": [{"install-id": ["00"], "vendor-domain": "vendor.example", "class-name": "sensor-v1",
                 "file": "fw-v1.bin", "uri": "#fw", "bootable": true}]}
JSON
step cat v1.json
step "$iotsec" suit create v1.json --key signer.pem -o v1.suit
step "$iotsec" suit show v1.suit
step "$iotsec" suit verify --key signer.pub.pem v1.suit
# the device: its identity (vendor-domain and class-name give these UUIDv5s) and one slot
mkdir dev
printf 'factory image' > dev/slot-a.bin
cat > dev/device.json <<'JSON'
{"vendor-id": "bcc16965-6f3a-5338-9d83-d8b565c63bc7",
 "class-id": "61cc488c-8e47-57ee-aa88-23f9c1ed13f1",
 "components": [{"id": ["00"], "path": "slot-a.bin"}]}
JSON
step "$iotsec" suit process v1.suit --key signer.pub.pem --device dev --report report1.cbor
step cmp fw-v1.bin dev/slot-a.bin
step cat dev/invoked.log
step "$iotsec" cbor diag report1.cbor

echo
echo "== 6. Version 2 over HTTP (a server on 127.0.0.1), then what a device refuses"
mkdir www
head -c 65536 /dev/urandom > www/fw-v2.bin
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/bin/python3 -m http.server --bind 127.0.0.1 --directory www "$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do
    /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break
    sleep 0.1
done
sed -e 's/"manifest-sequence-number": 1/"manifest-sequence-number": 2/' \
    -e "s|\"file\": \"fw-v1.bin\", \"uri\": \"#fw\"|\"file\": \"www/fw-v2.bin\", \"uri\": \"http://127.0.0.1:$port/fw-v2.bin\"|" \
    v1.json > v2.json
step cat v2.json
step "$iotsec" suit create v2.json --key signer.pem -o v2.suit
step "$iotsec" suit process v2.suit --key signer.pub.pem --device dev
step cmp www/fw-v2.bin dev/slot-a.bin
before=$(cd dev && sha256sum slot-a.bin .suit/* 2>/dev/null | sha256sum)
expect_fail "$iotsec" suit process v1.suit --key signer.pub.pem --device dev --procedure update
cp v2.suit tampered.suit
printf '\x00' | dd of=tampered.suit bs=1 seek=150 conv=notrunc 2>/dev/null
expect_fail "$iotsec" suit process tampered.suit --key signer.pub.pem --device dev
expect_fail "$iotsec" suit process v2.suit --key device.pub.cose --device dev
sed -e 's/"manifest-sequence-number": 2/"manifest-sequence-number": 3/' v2.json > v3.json
step "$iotsec" suit create v3.json --key signer.pem -o v3.suit
head -c 65536 /dev/urandom > www/fw-v2.bin   # the server now serves something else
expect_fail "$iotsec" suit process v3.suit --key signer.pub.pem --device dev
after=$(cd dev && sha256sum slot-a.bin .suit/* 2>/dev/null | sha256sum)
echo "device storage unchanged by the refused manifests: $([ "$before" = "$after" ] && echo yes || echo NO)"
[ "$before" = "$after" ]

echo
echo "== 7. Attestation: the device proves what it runs, a verifier appraises it"
step "$iotsec" key gen --alg ES256 -o att.pem
step "$iotsec" key pub att.pem -o att.pub.pem
nonce=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')   # the verifier's challenge
b64url() { base64 -w0 "$1" | tr '+/' '-_' | tr -d '='; }
cat > evidence.json <<JSON
{"ueid": "AQEjRWeJq83vASNFZ4mrze8", "oemid": 32473, "hwmodel": "c2Vuc29yLXYx",
 "swname": "sensor firmware", "swversion": ["2.0.0", 16384], "oemboot": true,
 "dbgstat": "disabled-permanently", "bootcount": 12,
 "manifests": [[65000, "$(b64url v2.suit)"]]}
JSON
step "$iotsec" eat create --claims evidence.json --key att.pem --nonce "$nonce" -o token.cwt
step "$iotsec" eat show token.cwt
cat > reference.json <<JSON
{"policy-id": "urn:example:sensor-v1", "oemid": 32473, "swname": "sensor firmware",
 "swversion": ["2.0.0"], "dbgstat": "disabled-permanently", "oemboot": true,
 "manifests": [{"sha-256": "$(sha256sum v2.suit | cut -d' ' -f1)"}],
 "suit-sequence-number": {"min": 2}}
JSON
step "$iotsec" eat verify token.cwt --key att.pub.pem --nonce "$nonce" --profile constrained \
    --reference reference.json
# a replayed token (another challenge) and a device running old firmware are refused
expect_fail "$iotsec" eat verify token.cwt --key att.pub.pem --nonce 00112233445566778899aabbccddeeff
sed -e "s/$(b64url v2.suit)/$(b64url v1.suit)/" -e 's/"2.0.0", 16384/"1.0.0", 16384/' \
    evidence.json > old.json
step "$iotsec" eat create --claims old.json --key att.pem --nonce "$nonce" -o old.cwt
expect_fail "$iotsec" eat verify old.cwt --key att.pub.pem --nonce "$nonce" --reference reference.json

echo
echo "demo complete: iotsec $("$iotsec" --version | cut -d' ' -f2)"
