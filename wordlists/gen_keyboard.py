#!/usr/bin/env python3
"""Generate wordlists/keyboard.txt: keyboard walks of length 4..12 on US and JIS layouts and the keypad.

Usage: python3 wordlists/gen_keyboard.py > wordlists/keyboard.txt

Walks produced (each also reversed where that is a walk too):
  * straight runs along a row (US and JIS rows, plus their shifted forms), length 4..12;
  * column walks: each column top-down ("1qaz") or bottom-up ("zaq1"), and runs of adjacent columns
    concatenated ("1qaz2wsx", "qazwsx", "zaq1xsw2"), with and without the digit row;
  * zig-zags between two adjacent rows ("1q2w3e4r", "q1w2e3r4", "qawsedrf");
  * numeric keypad rows, columns, snakes and their concatenations ("7410", "147258369", "123654789").
Most likely walks come first: short classic walks are listed at the top.
"""

US = ["1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./"]
US_SHIFT = ["!@#$%^&*()_+", "QWERTYUIOP{}", 'ASDFGHJKL:"', "ZXCVBNM<>?"]
JIS = ["1234567890-^\\", "qwertyuiop@[", "asdfghjkl;:]", "zxcvbnm,./\\"]
JIS_SHIFT = ["!\"#$%&'()", "QWERTYUIOP`{", "ASDFGHJKL+*}", "ZXCVBNM<>?_"]
KEYPAD = ["789", "456", "123", "0"]

CLASSIC = [
    "qwerty", "qwertyuiop", "asdfgh", "asdfghjkl", "zxcvbn", "zxcvbnm", "qazwsx", "1qaz2wsx",
    "1qaz2wsx3edc", "!qaz@wsx", "!qaz2wsx", "1q2w3e4r", "1q2w3e", "1q2w3e4r5t", "q1w2e3r4",
    "zaq12wsx", "zaq1xsw2", "qweasd", "qweasdzxc", "asdzxc", "qwe123", "123qwe", "1qazxsw2",
    "qwer1234", "1234qwer", "asdf1234", "zxcv1234", "qweasdzxc123", "poiuytrewq", "lkjhgfdsa",
    "mnbvcxz", "7410", "8520", "9630", "0147", "147258369", "123654789", "789456123", "741852963",
    "159753", "1590", "2580", "3690", "0258", "147852369", "1478963", "7896321", "963852741",
]


def runs(row, lo=4, hi=12):
    for n in range(lo, min(hi, len(row)) + 1):
        for i in range(len(row) - n + 1):
            s = row[i : i + n]
            yield s
            yield s[::-1]


def columns(rows):
    width = min(len(r) for r in rows)
    return ["".join(r[c] for r in rows) for c in range(width)]


def column_walks(rows, lo=4, hi=12):
    for use in (rows, rows[1:]):  # with and without the digit row
        cols = columns(use)
        for down in (True, False):
            parts = [c if down else c[::-1] for c in cols]
            for start in range(len(parts)):
                acc = ""
                for p in parts[start:]:
                    acc += p
                    if len(acc) > hi:
                        break
                    if len(acc) >= lo:
                        yield acc


def zigzags(a, b, lo=4, hi=12):
    for first, second in ((a, b), (b, a)):
        z = "".join(x + y for x, y in zip(first, second))
        for n in range(lo, hi + 1):
            for i in range(0, len(z) - n + 1, 2):
                yield z[i : i + n]


def keypad():
    rows, cols = KEYPAD[:3], columns(KEYPAD[:3])
    out = []
    for seqs in (rows, cols):
        out += [s for s in seqs] + [s[::-1] for s in seqs]
    out += [c + "0" for c in ("741", "852", "963")] + ["0" + c for c in ("147", "258", "369")]
    out += [r for r in runs("7410")] + [r for r in runs("8520")] + [r for r in runs("9630")]
    import itertools

    for seqs in (rows, cols, [r[::-1] for r in rows], [c[::-1] for c in cols]):
        for perm in itertools.permutations(seqs):
            out.append("".join(perm))
        # snakes: alternate direction
        for order in (seqs, seqs[::-1]):
            out.append("".join(s if i % 2 == 0 else s[::-1] for i, s in enumerate(order)))
            out.append("".join(s[::-1] if i % 2 == 0 else s for i, s in enumerate(order)))
    return [w for w in out if len(w) >= 4]


def main():
    words = list(CLASSIC)
    for layout in (US, JIS, US_SHIFT, JIS_SHIFT):
        for row in layout:
            words += runs(row)
        words += column_walks(layout)
        for a, b in zip(layout, layout[1:]):
            words += zigzags(a, b)
    words += keypad()
    seen, out = set(), []
    for w in words:
        if 4 <= len(w) <= 12 and w not in seen:
            seen.add(w)
            out.append(w)
    print("\n".join(out))


if __name__ == "__main__":
    main()
