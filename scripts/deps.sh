#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Make sure the Debian 12 packages iotsec needs are installed. As root, the
# missing ones are installed with apt-get; otherwise they are listed and the
# script fails.
# usage: scripts/deps.sh [build|test]
set -euo pipefail
need=(cmake make gcc libc6-dev pkg-config libssl-dev openssl python3 python3-cbor2
      libcurl4-openssl-dev libcoap3-dev)
if [ "${1:-build}" = test ]; then
    need+=(clang libclang-rt-14-dev gcc-arm-none-eabi libnewlib-arm-none-eabi valgrind
           python3-cryptography ruby-cose libcoap3-bin)
fi
missing=()
for p in "${need[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "Installing missing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
