#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Build SUIT envelopes for real images, independently of iotsec.

Written against draft-ietf-suit-manifest-34 with python3-cbor2 and
python3-cryptography only (the construction checked by
shared/vectors/suit/verify_vectors.py): the SUIT_Digest is SHA-256 over the
bstr-wrapped manifest, the COSE_Sign1 (ES256 or ESP256) or COSE_Mac0
(HMAC 256/256) signs that encoded SUIT_Digest as a detached payload with an
empty external AAD.

Each --component ID:IMAGE:URI adds a component (ID: hex of its one bstr,
e.g. 00 for [h'00']) whose image-digest and image-size come from the file
IMAGE, installed by fetching URI ("#name": the image travels in the envelope
under that key) then checked by image-match; validate checks every
component, invoke boots the first. With more than one component every
sequence starts with set-component-index. --encrypt-kek KEY (16 raw bytes)
encrypts integrated images as draft-ietf-suit-firmware-encryption does:
A128GCM content, its key wrapped with A128KW (kid "kid-1"), the
SUIT_Encryption_Info (a COSE_Encrypt with detached ciphertext) in parameter
19 next to the URI; the digest stays that of the plaintext.

usage: suit_gen.py --seq N --vendor UUID --class UUID
                   (--key PRIV.pem [--alg ES256|ESP256] | --mac-key FILE | --unsigned)
                   --component ID:IMAGE:URI [--component ...]
                   [--invoke-args HEX] [--no-invoke] [--reference-uri URI]
                   [--corrupt-signature] [--encrypt-kek KEY] [--uninstall] -o OUT
"""
import argparse
import hashlib
import hmac
import os
import sys
import uuid

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import aes_key_wrap

ALGS = {'ES256': -7, 'ESP256': -9}
SHA256 = -16


def bstr(item):
    """bstr .cbor item"""
    return cbor2.dumps(item)


def digest(data):
    return [SHA256, hashlib.sha256(data).digest()]


def encrypt(kek, plaintext):
    """(SUIT_Encryption_Info, ciphertext || tag): A128GCM, CEK wrapped by A128KW."""
    cek, iv = os.urandom(16), os.urandom(12)
    prot = cbor2.dumps({1: 1})  # A128GCM
    recipient = [b'', {1: -3, 4: b'kid-1'}, aes_key_wrap(kek, cek)]
    info = cbor2.dumps(cbor2.CBORTag(96, [prot, {5: iv}, None, [recipient]]))
    ct = AESGCM(cek).encrypt(iv, plaintext, cbor2.dumps(['Encrypt', prot, b'']))
    return info, ct


def build_manifest(a, comps):
    ids = [[bytes.fromhex(c['id'])] for c in comps]
    many = len(comps) > 1
    shared = []
    if many:
        shared += [12, True]
    shared += [20, {1: uuid.UUID(a.vendor).bytes, 2: uuid.UUID(a.class_).bytes},
               1, 15, 2, 15]
    for i, c in enumerate(comps):
        if many:
            shared += [12, i]
        shared += [20, {3: bstr(digest(c['image'])), 14: len(c['image'])}]
    install, validate = [], []
    for i, c in enumerate(comps):
        if many:
            install += [12, i]
            validate += [12, i]
        params = {21: c['uri']}
        if 'info' in c:
            params[19] = c['info']
        install += [20, params, 21, 2, 3, 15]
        validate += [3, 15]
    invoke = [12, 0] if many else []
    if a.invoke_args is not None:
        invoke += [20, {23: bytes.fromhex(a.invoke_args)}]
    invoke += [23, 2]
    m = {1: 1, 2: a.seq, 3: bstr({2: ids, 4: bstr(shared)})}
    if a.reference_uri:
        m[4] = a.reference_uri
    m[7] = bstr(validate)
    if not a.no_invoke:
        m[9] = bstr(invoke)
    m[20] = bstr(install)
    if a.uninstall:  # trust domains: unlink every component
        m[24] = bstr(([12, True] if many else []) + [33, 15])
    return cbor2.dumps(m)


def auth_block(a, suit_digest):
    if a.mac_key:
        key = open(a.mac_key, 'rb').read()
        prot = cbor2.dumps({1: 5})  # HMAC 256/256
        tag = hmac.new(key, cbor2.dumps(['MAC0', prot, b'', suit_digest]), hashlib.sha256).digest()
        if a.corrupt_signature:
            tag = bytes([tag[0] ^ 1]) + tag[1:]
        return cbor2.dumps(cbor2.CBORTag(17, [prot, {}, None, tag]))
    priv = serialization.load_pem_private_key(open(a.key, 'rb').read(), None)
    prot = cbor2.dumps({1: ALGS[a.alg]})
    der = priv.sign(cbor2.dumps(['Signature1', prot, b'', suit_digest]), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    sig = r.to_bytes(32, 'big') + s.to_bytes(32, 'big')
    if a.corrupt_signature:
        sig = bytes([sig[0] ^ 1]) + sig[1:]
    return cbor2.dumps(cbor2.CBORTag(18, [prot, {}, None, sig]))


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--seq', type=int, required=True)
    p.add_argument('--vendor', required=True)
    p.add_argument('--class', dest='class_', required=True)
    p.add_argument('--key')
    p.add_argument('--alg', default='ES256', choices=sorted(ALGS))
    p.add_argument('--mac-key')
    p.add_argument('--unsigned', action='store_true')
    p.add_argument('--component', action='append', required=True)
    p.add_argument('--invoke-args')
    p.add_argument('--no-invoke', action='store_true')
    p.add_argument('--reference-uri')
    p.add_argument('--corrupt-signature', action='store_true')
    p.add_argument('--encrypt-kek')
    p.add_argument('--uninstall', action='store_true')
    p.add_argument('-o', dest='out', required=True)
    a = p.parse_args()
    if not (a.key or a.mac_key or a.unsigned):
        p.error('one of --key, --mac-key, --unsigned is needed')
    comps = []
    for spec in a.component:
        cid, image, uri = spec.split(':', 2)
        comps.append({'id': cid, 'image': open(image, 'rb').read(), 'uri': uri})
        if a.encrypt_kek and uri.startswith('#'):
            comps[-1]['info'], comps[-1]['payload'] = encrypt(open(a.encrypt_kek, 'rb').read(),
                                                              comps[-1]['image'])

    manifest = build_manifest(a, comps)
    suit_digest = cbor2.dumps(digest(cbor2.dumps(manifest)))  # over the bstr-wrapped manifest
    wrapper = [suit_digest] if a.unsigned else [suit_digest, auth_block(a, suit_digest)]
    env = {2: cbor2.dumps(wrapper), 3: manifest}
    for c in comps:
        if c['uri'].startswith('#'):
            env[c['uri']] = c.get('payload', c['image'])
    with open(a.out, 'wb') as f:
        f.write(cbor2.dumps(cbor2.CBORTag(107, env)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
