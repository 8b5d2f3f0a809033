#!/usr/bin/env python3
"""Deterministic test data for the side-by-side benchmarks (benches/hashcat, benches/scale).

    gen.py OUT_DIR [--accounts 100000] [--words 1000000] [--weak 0.10] [--seed 1]
                   [--corpus LINES --corpus-present 0.05]

Writes into OUT_DIR:
  ntds.txt     ACCOUNTS secretsdump lines `bench.local\\first.lastNNNNNNN:RID:<empty LM>:NT:::`
  list.txt     WORDS distinct lowercase words of 5-10 letters (random letters), one per line
  planted.tsv  the weak accounts: `account<TAB>rule<TAB>word` (rule in hashcat syntax)
  gen.json     the counts (accounts, words, weak planted, per rule, corpus lines, seed)
  corpus.txt   only with --corpus: LINES `HASH:COUNT\\r\\n` lines, uppercase hex, sorted by hash
               (as the Pwned Passwords downloader writes them), holding the NT hashes of
               round(ACCOUNTS * --corpus-present) accounts drawn at random (weak or not) plus
               random hashes.

A fraction --weak of the accounts gets the password `rule(word)` for a random word of list.txt
and one of the rules below, each a line of hashcat's best64.rule AND a variant kensa's light
rules try for every wordlist word (as-is / lower / Capitalised / UPPER, each followed by nothing,
1, 123, !, 1!, 123! or a year 2015-2030). Every list word is lower case, so `T0` (toggle the
first letter) gives exactly kensa's Capitalised form. Weak passwords are distinct. The other
accounts get random 14-character passwords over 62 letters and digits (no wordlist can reach
them). The same seed gives byte-identical files.
"""

import argparse
import json
import os
import random
import string
import sys
import time

RULES = [
    (":", lambda w: w),
    ("u", lambda w: w.upper()),
    ("T0", lambda w: w[:1].swapcase() + w[1:]),
    ("$1", lambda w: w + "1"),
    ("$1 $2 $3", lambda w: w + "123"),
]

EMPTY_LM = "aad3b435b51404eeaad3b435b51404ee"


def nt_hasher():
    """NT = MD4(UTF-16LE): hashlib if OpenSSL offers MD4, else pycryptodome(x), else pure Python."""
    import hashlib

    try:
        hashlib.new("md4", b"")
        return lambda pw: hashlib.new("md4", pw.encode("utf-16le")).hexdigest()
    except ValueError:
        pass
    for mod in ("Crypto.Hash.MD4", "Cryptodome.Hash.MD4"):
        try:
            md4 = __import__(mod, fromlist=["new"])
            return lambda pw: md4.new(pw.encode("utf-16le")).hexdigest()
        except ImportError:
            pass
    print("gen.py: no MD4 in hashlib or pycryptodome; using pure Python (slow)", file=sys.stderr)
    return lambda pw: md4_py(pw.encode("utf-16le")).hex()


def md4_py(msg):
    """RFC 1320 MD4, for machines without any MD4 library."""
    mask = 0xFFFFFFFF

    def rol(x, n):
        x &= mask
        return ((x << n) | (x >> (32 - n))) & mask

    n = len(msg)
    msg = msg + b"\x80" + b"\x00" * ((55 - n) % 64) + (n * 8).to_bytes(8, "little")
    a, b, c, d = 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476
    for off in range(0, len(msg), 64):
        x = [int.from_bytes(msg[off + 4 * i : off + 4 * i + 4], "little") for i in range(16)]
        aa, bb, cc, dd = a, b, c, d
        for i in (0, 4, 8, 12):
            a = rol(a + ((b & c) | (~b & d)) + x[i], 3)
            d = rol(d + ((a & b) | (~a & c)) + x[i + 1], 7)
            c = rol(c + ((d & a) | (~d & b)) + x[i + 2], 11)
            b = rol(b + ((c & d) | (~c & a)) + x[i + 3], 19)
        for i in (0, 1, 2, 3):
            a = rol(a + ((b & c) | (b & d) | (c & d)) + x[i] + 0x5A827999, 3)
            d = rol(d + ((a & b) | (a & c) | (b & c)) + x[i + 4] + 0x5A827999, 5)
            c = rol(c + ((d & a) | (d & b) | (a & b)) + x[i + 8] + 0x5A827999, 9)
            b = rol(b + ((c & d) | (c & a) | (d & a)) + x[i + 12] + 0x5A827999, 13)
        for i in (0, 2, 1, 3):
            a = rol(a + (b ^ c ^ d) + x[i] + 0x6ED9EBA1, 3)
            d = rol(d + (a ^ b ^ c) + x[i + 8] + 0x6ED9EBA1, 9)
            c = rol(c + (d ^ a ^ b) + x[i + 4] + 0x6ED9EBA1, 11)
            b = rol(b + (c ^ d ^ a) + x[i + 12] + 0x6ED9EBA1, 15)
        a, b, c, d = (a + aa) & mask, (b + bb) & mask, (c + cc) & mask, (d + dd) & mask
    return b"".join(v.to_bytes(4, "little") for v in (a, b, c, d))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--weak", type=float, default=0.10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", type=int, default=0, help="lines of corpus.txt (0: none)")
    ap.add_argument("--corpus-present", type=float, default=0.05)
    a = ap.parse_args()
    if md4_py(b"a\x00").hex() != "186cb09181e2c2ecaac768c47c729904":
        sys.exit("gen.py: MD4 self-test failed")
    t0 = time.time()
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    nt = nt_hasher()
    if nt("a") != "186cb09181e2c2ecaac768c47c729904":
        sys.exit("gen.py: NT self-test failed")

    # Word list: distinct lowercase words of 5-10 letters, in generation order.
    lower = string.ascii_lowercase
    seen = set()
    words = []
    while len(words) < a.words:
        w = "".join(rng.choices(lower, k=rng.randint(5, 10)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    seen = None
    with open(os.path.join(a.out, "list.txt"), "w", newline="\n") as f:
        f.write("\n".join(words))
        f.write("\n")

    # Account names: first.last + serial (distinct), like a directory export.
    firsts = ["".join(rng.choices(lower, k=rng.randint(3, 8))).capitalize() for _ in range(500)]
    lasts = ["".join(rng.choices(lower, k=rng.randint(4, 9))).capitalize() for _ in range(2000)]
    n_weak = round(a.accounts * a.weak)
    weak_idx = set(rng.sample(range(a.accounts), n_weak))
    alnum = string.ascii_letters + string.digits
    used = set()
    per_rule = {r: 0 for r, _ in RULES}
    hashes = []
    with open(os.path.join(a.out, "ntds.txt"), "w", newline="\n") as fn, open(
        os.path.join(a.out, "planted.tsv"), "w", newline="\n"
    ) as fp:
        for i in range(a.accounts):
            name = f"{rng.choice(firsts)}.{rng.choice(lasts)}{i:07d}"
            if i in weak_idx:
                while True:
                    w = words[rng.randrange(len(words))]
                    rule, fun = RULES[rng.randrange(len(RULES))]
                    pw = fun(w)
                    if pw not in used:
                        break
                used.add(pw)
                per_rule[rule] += 1
                fp.write(f"{name}\t{rule}\t{w}\n")
            else:
                pw = "".join(rng.choices(alnum, k=14))
            h = nt(pw)
            hashes.append(h)
            fn.write(f"bench.local\\{name}:{1000 + i}:{EMPTY_LM}:{h}:::\n")

    corpus_present = 0
    if a.corpus:
        n_present = min(round(a.accounts * a.corpus_present), a.corpus)
        present = {int(hashes[j], 16) for j in rng.sample(range(a.accounts), n_present)}
        corpus_present = len(present)
        # random 128-bit values: a collision among 1e8 of them has a probability below 1e-20
        vals = list(present)
        vals.extend(rng.getrandbits(128) for _ in range(a.corpus - len(vals)))
        vals.sort()
        with open(os.path.join(a.out, "corpus.txt"), "w", newline="") as f:
            step = 100_000
            for k in range(0, len(vals), step):
                # the count: 1-4096, from the hash itself (deterministic, skewed to small values)
                f.write("".join(f"{v:032X}:{1 + ((v & 0xFFF) * (v >> 116)) // 4096}\r\n" for v in vals[k : k + step]))
        vals = None

    info = {
        "seed": a.seed,
        "accounts": a.accounts,
        "words": len(words),
        "weak_planted": n_weak,
        "weak_per_rule": per_rule,
        "corpus_lines": a.corpus,
        "corpus_present_accounts": corpus_present,
        "seconds": round(time.time() - t0, 2),
    }
    with open(os.path.join(a.out, "gen.json"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    print(json.dumps(info))


if __name__ == "__main__":
    main()
