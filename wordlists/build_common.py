#!/usr/bin/env python3
"""Build wordlists/common.txt from two licensed lists, most frequent first.

Usage (see SOURCES.md):
  apt-get install john-data
  (cd /tmp && npm pack @zxcvbn-ts/language-common && tar xzf zxcvbn-ts-language-common-*.tgz)
  python3 wordlists/build_common.py /usr/share/john/password.lst /tmp/package/src/passwords.json > wordlists/common.txt

The two frequency-ordered lists are interleaved by relative rank (an entry at 10% of one list sits
next to entries at 10% of the other), de-duplicated case-sensitively (first occurrence kept) and
capped at CAP entries. Entries with whitespace, control characters or non-ASCII bytes are dropped.
"""
import json
import sys

CAP = 30000


def ok(w):
    return 0 < len(w) <= 64 and all(33 <= ord(c) < 127 for c in w)


def main():
    john_path, zx_path = sys.argv[1], sys.argv[2]
    with open(john_path, encoding="latin-1") as f:
        john = [l.rstrip("\r\n") for l in f if not l.startswith("#!comment")]
    with open(zx_path, encoding="utf-8") as f:
        zx = json.load(f)
    john = [w for w in john if ok(w)]
    zx = [w for w in zx if ok(w)]
    # relative rank merge: key = rank / length (the zxcvbn list counted up to CAP); john first on ties
    ranked = [(i / len(john), 0, i, w) for i, w in enumerate(john)]
    ranked += [(i / min(len(zx), CAP), 1, i, w) for i, w in enumerate(zx)]
    ranked.sort()
    seen, out = set(), []
    for _, _, _, w in ranked:
        if w in seen:
            continue
        seen.add(w)
        out.append(w)
        if len(out) >= CAP:
            break
    sys.stdout.write("\n".join(out) + "\n")
    print(f"john={len(john)} zxcvbn={len(zx)} written={len(out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
