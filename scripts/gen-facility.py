#!/usr/bin/env python3
"""Generate a large made-up facility for kensa: how the reports scale and print.

Usage:
    python3 scripts/gen-facility.py OUT_DIR [--accounts N] [--seed S]
    kensa audit --manifest OUT_DIR/audit.toml --hibp off --out OUT_DIR/report

Writes into OUT_DIR (created if missing), the same bytes for the same N and seed:
  audit.toml          the manifest: facility 「架空総合病院」, two vendors (MedNet Systems for emr01
                      and pacs01, NetCare for net), the domain and the PACS managed by the hospital
                      or a vendor as real facilities split them
  ad01-ntds.txt       secretsdump-style NTDS output (DOMAIN\\user:rid:lm:nt::: (status=...)) with
                      about 85% of the accounts, some disabled, a few machine accounts ($)
  ad01-policy.toml    kensa's own policy file for the domain (8 characters, 90 days: fails 2-⑦)
  pacs01-sam.txt      a SAM dump (user:rid:lm:nt:::) of the PACS server
  inventory.csv       the vendors' device/application list: system,account,password,mfa
  cracked.potfile     a hashcat pot file (nthash:plain) recovering most of the NT hashes; the
                      strong random passwords stay unrecovered (kensa reports them unverified)

N (default 2000) is the number of accounts over all systems. Passwords are mostly weak made-up
words (names, seasons, the facility's name with a year), some shared across accounts and
systems, a few strong random ones. NT hashes are MD4 of the UTF-16LE password, computed by the
pure-Python MD4 below (hashlib's md4 is missing where OpenSSL 3 disables legacy digests).
Python 3 standard library only. Every name and password here is fictitious.
"""

import argparse
import os
import random
import struct

# --- MD4 (RFC 1320) ----------------------------------------------------------------------------

MASK = 0xFFFFFFFF


def _rotl(x, n):
    x &= MASK
    return ((x << n) | (x >> (32 - n))) & MASK


def md4(data: bytes) -> bytes:
    """MD4 digest of `data` (RFC 1320)."""
    msg = bytearray(data)
    bit_len = (8 * len(data)) & 0xFFFFFFFFFFFFFFFF
    msg.append(0x80)
    while len(msg) % 64 != 56:
        msg.append(0)
    msg += struct.pack("<Q", bit_len)
    a, b, c, d = 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476

    def f(x, y, z):
        return (x & y) | (~x & z)

    def g(x, y, z):
        return (x & y) | (x & z) | (y & z)

    def h(x, y, z):
        return x ^ y ^ z

    for off in range(0, len(msg), 64):
        x = struct.unpack("<16I", bytes(msg[off : off + 64]))
        aa, bb, cc, dd = a, b, c, d
        for i in (0, 4, 8, 12):
            a = _rotl(a + f(b, c, d) + x[i], 3)
            d = _rotl(d + f(a, b, c) + x[i + 1], 7)
            c = _rotl(c + f(d, a, b) + x[i + 2], 11)
            b = _rotl(b + f(c, d, a) + x[i + 3], 19)
        for i in (0, 1, 2, 3):
            a = _rotl(a + g(b, c, d) + x[i] + 0x5A827999, 3)
            d = _rotl(d + g(a, b, c) + x[i + 4] + 0x5A827999, 5)
            c = _rotl(c + g(d, a, b) + x[i + 8] + 0x5A827999, 9)
            b = _rotl(b + g(c, d, a) + x[i + 12] + 0x5A827999, 13)
        for i in (0, 2, 1, 3):
            a = _rotl(a + h(b, c, d) + x[i] + 0x6ED9EBA1, 3)
            d = _rotl(d + h(a, b, c) + x[i + 8] + 0x6ED9EBA1, 9)
            c = _rotl(c + h(d, a, b) + x[i + 4] + 0x6ED9EBA1, 11)
            b = _rotl(b + h(c, d, a) + x[i + 12] + 0x6ED9EBA1, 15)
        a, b, c, d = (a + aa) & MASK, (b + bb) & MASK, (c + cc) & MASK, (d + dd) & MASK
    return struct.pack("<4I", a, b, c, d)


def nthash(password: str) -> str:
    return md4(password.encode("utf-16-le")).hex()


# Known answers: RFC 1320's test suite and the NT hash of "password".
assert md4(b"").hex() == "31d6cfe0d16ae931b73c59d7e0c089c0"
assert md4(b"abc").hex() == "a448017aaf21d8525fc10ae87aa6729d"
assert md4(b"message digest").hex() == "d9130a8164549fe818874806e1c7014b"
assert nthash("password") == "8846f7eaee8fb117ad06bdd830b7586c"

EMPTY_LM = "aad3b435b51404eeaad3b435b51404ee"

# --- made-up people and passwords -------------------------------------------------------------

SURNAMES = [
    "sato", "suzuki", "takahashi", "tanaka", "ito", "watanabe", "yamamoto", "nakamura",
    "kobayashi", "kato", "yoshida", "yamada", "sasaki", "yamaguchi", "matsumoto", "inoue",
    "kimura", "hayashi", "shimizu", "yamazaki", "mori", "abe", "ikeda", "hashimoto", "ishikawa",
    "ogawa", "okada", "goto", "hasegawa", "murakami", "kondo", "ishii", "saito", "sakamoto",
]
GIVEN = ["taro", "hanako", "ken", "yui", "sho", "mai", "ryo", "aya", "jun", "emi", "dai", "rin"]
WORDS = ["sakura", "haru", "natsu", "aki", "fuyu", "kasou", "byoin", "nurse", "doctor", "iryo"]
SHARED = ["Kasou2025!", "Welcome1", "kasou123", "Byoin#2024", "P@ssw0rd"]
FACILITY = "架空総合病院"


def weak_password(rnd: random.Random, user: str) -> str:
    """A made-up weak password of the kinds found in real audits."""
    kind = rnd.randrange(10)
    if kind < 3:
        return rnd.choice(SHARED)
    if kind < 5:
        return user.split("_")[0].capitalize() + str(rnd.randrange(1970, 2026))
    if kind < 7:
        return rnd.choice(WORDS) + str(rnd.randrange(100, 10000))
    if kind < 8:
        return rnd.choice(WORDS).capitalize() + rnd.choice("!#$") + str(rnd.randrange(10, 99))
    if kind < 9:
        return "".join(rnd.choice("abcdefghjkmnpqrstuvwxyz0123456789") for _ in range(9))
    return rnd.choice(WORDS) + rnd.choice(WORDS)


def strong_password(rnd: random.Random) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%&*+-=?@"
    return "".join(rnd.choice(alphabet) for _ in range(16))


def user_names(rnd: random.Random, n: int) -> list:
    names, seen = [], set()
    while len(names) < n:
        name = f"{rnd.choice(SURNAMES)}_{rnd.choice(GIVEN)}"
        if name in seen:
            name = f"{name}{len(names)}"
        seen.add(name)
        names.append(name)
    return names


def write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(out: str, n: int, seed: int) -> None:
    rnd = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    n_ad = n * 85 // 100
    n_pacs = n * 5 // 100
    n_emr = n * 7 // 100
    n_net = max(n - n_ad - n_pacs - n_emr, 1)
    pot = {}

    def password(user: str) -> str:
        return strong_password(rnd) if rnd.random() < 0.08 else weak_password(rnd, user)

    def crack(nt: str, plain: str) -> None:
        # The strong random passwords are the ones a cracking run does not recover.
        if len(plain) < 16:
            pot[nt] = plain

    # ad01: the domain, secretsdump output.
    lines = [
        "Impacket v0.12.0 - Copyright Fortra, LLC and its affiliated companies ",
        "",
        "[*] Dumping Domain Credentials (domain\\uid:rid:lmhash:nthash)",
        "[*] Reading and decrypting hashes from ntds.dit ",
    ]
    admin = "Kasou2025!"
    lines.append(f"Administrator:500:{EMPTY_LM}:{nthash(admin)}::: (status=Enabled)")
    crack(nthash(admin), admin)
    lines.append(f"krbtgt:502:{EMPTY_LM}:{nthash(strong_password(rnd))}::: (status=Disabled)")
    machines = max(n_ad // 100, 1)
    for i, user in enumerate(user_names(rnd, n_ad - 2 - machines)):
        pw = password(user)
        nt = nthash(pw)
        crack(nt, pw)
        status = "Disabled" if rnd.random() < 0.04 else "Enabled"
        lines.append(f"KASOU\\{user}:{1100 + i}:{EMPTY_LM}:{nt}::: (status={status})")
    for i in range(machines):
        nt = nthash(strong_password(rnd) + strong_password(rnd))
        lines.append(f"PC{i + 1:03d}$:{5000 + i}:{EMPTY_LM}:{nt}::: (status=Enabled)")
    write(os.path.join(out, "ad01-ntds.txt"), "\n".join(lines) + "\n")
    write(
        os.path.join(out, "ad01-policy.toml"),
        'min_length = 8\nrequire = ["letter", "digit"]\nmax_age_days = 90\nmfa = false\n',
    )

    # pacs01: a SAM dump from the vendor-run PACS server.
    lines = []
    for i, user in enumerate(["Administrator"] + [f"pacs{i:03d}" for i in range(1, n_pacs)]):
        pw = admin if i == 0 else password(user)
        nt = nthash(pw)
        crack(nt, pw)
        lines.append(f"{user}:{500 if i == 0 else 1000 + i}:{EMPTY_LM}:{nt}:::")
    write(os.path.join(out, "pacs01-sam.txt"), "\n".join(lines) + "\n")

    # emr01 (MedNet Systems) and net (NetCare): the vendors' plaintext list.
    rows = ["system,account,password,mfa"]
    for user in ["admin"] + [f"emr-{u}" for u in user_names(rnd, n_emr - 1)]:
        pw = password(user)
        rows.append(f"emr01,{user},{pw},{'true' if rnd.random() < 0.1 else 'false'}")
    for i in range(n_net):
        device = f"{rnd.choice(['sw', 'rt', 'ap', 'fw'])}{i + 1:03d}-admin"
        pw = rnd.choice(["admin", "NetCare01", "Kasou2025!", strong_password(rnd)])
        rows.append(f"net,{device},{pw},false")
    write(os.path.join(out, "inventory.csv"), "\n".join(rows) + "\n")

    write(
        os.path.join(out, "cracked.potfile"),
        "".join(f"{nt}:{plain}\n" for nt, plain in sorted(pot.items())),
    )
    write(
        os.path.join(out, "audit.toml"),
        f"""# Made-up facility of {n} accounts, generated by scripts/gen-facility.py (seed {seed}).
facility = "{FACILITY}"
edition = "R7"
checked_on = "2026-11-24"
target_date = "2027-03-31"
context_words = ["kasou", "byoin"]
inputs = ["inventory.csv", "cracked.potfile"]

[[system]]
id = "ad01"
name = "院内ドメイン"
kind = "server"
managed_by = "institution"
inputs = ["ad01-ntds.txt", "ad01-policy.toml"]

[[system]]
id = "pacs01"
name = "画像管理サーバ (PACS)"
kind = "server"
managed_by = "vendor"
vendor = "MedNet Systems"
inputs = ["pacs01-sam.txt"]

[[system]]
id = "emr01"
name = "電子カルテ"
kind = "application"
managed_by = "vendor"
vendor = "MedNet Systems"

[[system]]
id = "net"
name = "院内ネットワーク機器"
kind = "network_device"
managed_by = "vendor"
vendor = "NetCare"
""",
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out", help="directory to write the facility into")
    p.add_argument("--accounts", type=int, default=2000, help="number of accounts (default 2000)")
    p.add_argument("--seed", type=int, default=14, help="random seed (default 14)")
    args = p.parse_args()
    if args.accounts < 20:
        p.error("--accounts must be at least 20")
    generate(args.out, args.accounts, args.seed)


if __name__ == "__main__":
    main()
