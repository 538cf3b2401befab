#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Sum the code and read-only data that a GNU ld map file attributes to
objects under OBJDIR (the linked footprint of those objects after
--gc-sections). usage: mapsize.py MAP OBJDIR"""
import os
import re
import sys

mapfile, objdir = sys.argv[1], os.path.abspath(sys.argv[2])
per = {}
pending = None
in_discard = False
line_re = re.compile(r"^\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S+\.o)\s*$")
with open(mapfile) as f:
    for line in f:
        if line.startswith("Discarded input sections"):
            in_discard = True
            continue
        if line.startswith("Memory Configuration") or line.startswith("Linker script and memory map"):
            in_discard = False
            continue
        if in_discard:
            continue
        m = re.match(r"^ (\.(?:text|rodata)\S*)(.*)$", line)
        if m:
            rest = m.group(2)
            if rest.strip():
                m2 = re.match(r"^\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S+\.o)\s*$", rest)
                if m2:
                    size, obj = int(m2.group(2), 16), m2.group(3)
                    if os.path.abspath(obj).startswith(objdir):
                        per[os.path.basename(obj)] = per.get(os.path.basename(obj), 0) + size
                pending = None
            else:
                pending = m.group(1)
            continue
        if pending:
            m2 = line_re.match(line)
            if m2:
                size, obj = int(m2.group(2), 16), m2.group(3)
                if os.path.abspath(obj).startswith(objdir):
                    per[os.path.basename(obj)] = per.get(os.path.basename(obj), 0) + size
            pending = None
for name in sorted(per):
    print(f"    {per[name]:6d}  {name}")
print(f"  linked total: {sum(per.values())} bytes")
