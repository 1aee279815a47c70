#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check that every #include in hook/ points down the house plan (README, "Where things go"):

    main.c -> cmd -> {oci, audit} -> trace -> recording -> hints -> profile -> base

A file may include headers of its own folder and of any folder below it; oci and audit are
side by side and may not include each other. Prints each include that points up or sideways
and exits 1 if there is one. libbpf (<bpf/...>) is the BPF user half's alone: trace/ is the only
folder that may include it, so recording/ and profile/ stay pure. libelf and capstone (the
container's binaries read for hints) are hints/'s alone."""
import os
import re
import sys

RANK = {'base': 0, 'profile': 1, 'hints': 2, 'recording': 3, 'trace': 4, 'oci': 5, 'audit': 5,
        'cmd': 6}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z]+)/([A-Za-z0-9_]+\.h)"')
LIBBPF = re.compile(r'^\s*#\s*include\s+<bpf/')
ELF_READERS = re.compile(r'^\s*#\s*include\s+<(capstone/|libelf\.h|gelf\.h)')

def folder_of(hook, path):
    rel = os.path.relpath(path, hook)
    head = rel.split(os.sep)[0]
    return head if head in RANK else None   # main.c is above everything

def main():
    hook = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'hook')
    bad = 0
    for dirpath, _, names in os.walk(hook):
        for name in sorted(names):
            if not name.endswith(('.c', '.h')):
                continue
            path = os.path.join(dirpath, name)
            here = folder_of(hook, path)
            with open(path, encoding='utf-8') as f:
                for lineno, line in enumerate(f, 1):
                    if LIBBPF.match(line) and here != 'trace':
                        print(f'hook/{os.path.relpath(path, hook)}:{lineno}: includes libbpf '
                              f'outside trace/ (only the BPF user half makes BPF calls)')
                        bad += 1
                    if ELF_READERS.match(line) and here != 'hints':
                        print(f'hook/{os.path.relpath(path, hook)}:{lineno}: includes libelf or '
                              f'capstone outside hints/ (only the hints read binaries)')
                        bad += 1
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    there = m.group(1)
                    rel = os.path.relpath(path, hook)
                    if there not in RANK:
                        print(f'hook/{rel}:{lineno}: includes "{there}/{m.group(2)}", '
                              f'which is in no folder of the plan')
                        bad += 1
                    elif here is not None and there != here and RANK[there] >= RANK[here]:
                        way = 'sideways' if RANK[there] == RANK[here] else 'up'
                        print(f'hook/{rel}:{lineno}: {here}/ includes {there}/{m.group(2)} '
                              f'({way}; dependencies must point down)')
                        bad += 1
    if bad:
        print(f'check-layers: {bad} include(s) against the house plan', file=sys.stderr)
        return 1
    return 0

if __name__ == '__main__':
    sys.exit(main())
