#!/usr/bin/env python3
"""The house drawn from the code: which source folder includes which (app/<folder>, ui/<folder>).
Fails when two folders reach each other (a cycle), or when app/ includes anything of ui/.
Usage: house.py SOURCE_ROOT [--print]"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else '.'
edges = {}
for top in ('app', 'ui'):
    for folder, _, files in os.walk(os.path.join(root, top)):
        rel = os.path.relpath(folder, os.path.join(root, top)).split(os.sep)[0]
        source = f'{top}/{rel}'
        for name in files:
            if not name.endswith(('.h', '.cpp')):
                continue
            with open(os.path.join(folder, name), encoding='utf-8') as f:
                for line in f:
                    m = re.match(r'#include "([^"]+)"', line)
                    if not m:
                        continue
                    for where in ('app', 'ui'):
                        if os.path.exists(os.path.join(root, where, m.group(1))):
                            target = f'{where}/{m.group(1).split("/")[0]}'
                            if target != source:
                                edges.setdefault(source, set()).add(target)
                            break

problems = [f'{a} includes {b}' for a, bs in edges.items() if a.startswith('app/') for b in bs if b.startswith('ui/')]
for a in sorted(edges):
    for b in sorted(edges[a]):
        seen, stack = set(), [(b, [a, b])]
        while stack:
            node, path = stack.pop()
            if node == a:
                problems.append('cycle: ' + ' -> '.join(path))
                break
            if node not in seen:
                seen.add(node)
                stack.extend((n, path + [n]) for n in edges.get(node, ()))
if '--print' in sys.argv:
    for a in sorted(edges):
        print(a, '->', ' '.join(sorted(edges[a])))
for p in problems:
    print(p)
print(f'{len(edges)} folders, {sum(map(len, edges.values()))} edges, {len(problems)} problems')
sys.exit(1 if problems else 0)
