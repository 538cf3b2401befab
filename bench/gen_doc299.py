#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Generate the CBOR decoding benchmark document ("doc299").

An EAT-like claims set (RFC 9711 claim keys): a 17-entry top-level map with
integer labels from 1 up to 273 and -70000, nesting to depth 3, mixing text
and byte strings, unsigned and negative integers, booleans, arrays and maps.
It is fixed (no randomness) so every run measures the same bytes. Keys are
written in deterministic (RFC 8949 4.2.1) order.

usage: gen_doc299.py OUT.cbor
"""
import sys

import cbor2


def doc():
    return {
        1: "https://iss.example",                      # iss
        6: 1700000000,                                  # iat
        10: bytes(range(0x10, 0x20)),                   # eat_nonce (16 bytes)
        256: b"\x01" + bytes(range(0xa0, 0xb0)),        # ueid (RAND, 17 bytes)
        258: b"\x00\x1b\x63",                           # oemid (OUI)
        259: b"model-x",                                # hwmodel
        260: ["1.3.4", 1],                              # hwversion
        261: 86400,                                     # uptime
        262: True,                                      # oemboot
        263: 2,                                         # dbgstat
        264: {1: 52, 2: -1, 3: 100, 4: 5, 5: 10, 6: 90},  # location
        266: {                                          # submods
            "radio": {270: "modem", 263: 3, 259: b"lte-m1", 261: 12},
            "tee": {270: "op-tee", 262: True, 267: 7, 258: 12345},
        },
        267: 42,                                        # bootcount
        270: "iotsec-agent",                            # swname
        271: ["1.0.2", 16384],                          # swversion
        273: [[258, b"\xa1\x01\x02"], [258, b"\xa1\x03\x04"], [1, -2, -300, 4000, 5, 6],
              [7, 8, 9, 10]],
        -70000: [False, None, -1, "x", {"k": b"\x00", "m": 1}, 65535, -65536, "vendor"],
    }


def count_items(v):
    if isinstance(v, dict):
        return 1 + sum(count_items(k) + count_items(x) for k, x in v.items())
    if isinstance(v, list):
        return 1 + sum(count_items(x) for x in v)
    return 1


def depth(v):
    if isinstance(v, dict):
        return 1 + max([depth(x) for x in v.values()] + [0])
    if isinstance(v, list):
        return 1 + max([depth(x) for x in v] + [0])
    return 0


if __name__ == "__main__":
    d = doc()
    data = cbor2.dumps(d, canonical=True)
    with open(sys.argv[1], "wb") as f:
        f.write(data)
    print(f"doc299: {len(data)} bytes, {count_items(d)} data items, "
          f"{len(d)} top-level entries, depth {depth(d)}", file=sys.stderr)
