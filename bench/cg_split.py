#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Split a callgrind profile of one operation into crypto and non-crypto
instructions, per call.

crypto     = inclusive cost of the crypto seam's entry points (iotsec_crypto_*)
             called from outside the seam
ecdsa      = inclusive cost of OpenSSL's EVP_PKEY_verify and EVP_PKEY_sign (the
             ECDSA math)
sha        = inclusive cost of OpenSSL's SHA*_Init/Update/Final (the hashing)
adapter    = crypto - ecdsa - sha: what the seam spends around OpenSSL
non-crypto = total - crypto: CBOR and COSE

usage: cg_split.py CALLGRIND_OUT CALLS
"""
import re
import subprocess
import sys

out, calls = sys.argv[1], int(sys.argv[2])
text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
                      capture_output=True, text=True, check=True).stdout
incl = {}
for line in text.splitlines():
    m = re.match(r"^\s*([\d,]+)\s+\([^)]*\)\s+\S*?:(\S+)", line)
    if m:
        incl[m.group(2)] = incl.get(m.group(2), 0) + int(m.group(1).replace(",", ""))
total = max(v for k, v in incl.items() if k.startswith("bench_") or k == "PROGRAM")
total = next((v for k, v in incl.items() if k.startswith("bench_")), total)
# seam entry points called by COSE (the seam does not call itself here)
crypto = sum(v for k, v in incl.items() if k.startswith("iotsec_crypto_"))
ecdsa = incl.get("EVP_PKEY_verify", 0) + incl.get("EVP_PKEY_sign", 0)
sha = sum(v for k, v in incl.items() if re.match(r"SHA(256|384|512)_(Init|Update|Final)$", k))
per = lambda v: v / calls
print(f"  total       {per(total):10.0f} Ir/call")
print(f"  crypto      {per(crypto):10.0f} Ir/call  (ECDSA {per(ecdsa):.0f}, SHA {per(sha):.0f}, "
      f"adapter {per(crypto - ecdsa - sha):.0f})")
print(f"  non-crypto  {per(total - crypto):10.0f} Ir/call")
