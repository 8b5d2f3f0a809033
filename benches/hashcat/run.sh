#!/usr/bin/env bash
# kensa side by side with hashcat (NTLM, dictionary + best64 rules) on the same synthetic domain.
#
#   benches/hashcat/run.sh WORK_DIR [KENSA_BIN]        # from anywhere; see README.md
#
#   WORK_DIR   scratch directory outside the repository (data, outputs, logs, results.txt)
#   KENSA_BIN  default: target/release/kensa of this repository
#
# Environment:
#   ACCOUNTS=100000  WORDS=1000000  WEAK=0.10  SEED=1   the data (benches/hashcat/gen.py)
#   REPEAT=3         timed runs of each command, alternating (hashcat best64, kensa, hashcat straight)
#   KENSA_TIMEOUT=   seconds after which a kensa run is stopped and recorded as not finished
#                    (default: none); after one such run kensa is not run again
#   PYTHON=python3   interpreter for gen.py (MD4 from hashlib, else pycryptodome, else pure Python)
#   HASHCAT=hashcat  RULES=/usr/share/hashcat/rules/best64.rule
#   STRAIGHT=1       also time hashcat without rules (reference; 0 skips it)
#
# Data (gen.py, seeded, byte-identical for the same seed; reused when the parameters match):
# ACCOUNTS secretsdump NT lines, a WORDS-word list of lowercase words, and WEAK of the accounts
# with `rule(word)` where rule is one of `:`, `u`, `T0`, `$1`, `$1 $2 $3` (each a line of
# best64.rule and a variant kensa's light rules try for every wordlist word); the others have
# random 14-character passwords.
# Commands (one untimed hashcat warm-up first: PoCL compiles the kernels on the first run of a
# mode, ~35-50 s, and hashcat builds its dictionary cache for the list):
#   hashcat -m 1000 -a 0 -r RULES --potfile-disable -O -w 3 --outfile WORK/hc.out --outfile-format 2
#           --session kensa-bench --quiet WORK/ntds.txt WORK/list.txt              (each run)
#   kensa audit WORK/ntds.txt --no-default-wordlists --wordlist WORK/list.txt --hibp off -q
#           --out WORK/kensa-report
#   (STRAIGHT=1) the hashcat command without -r, outfile WORK/hc-straight.out
# each under /usr/bin/time -v. Prints the machine, median (min-max) wall time and highest peak
# RSS of each, the ratio kensa/hashcat, and the weak accounts planted vs found by each (hashcat:
# plains in its outfile that are planted passwords; kensa: evidence.json accounts with
# plaintext_known that are planted accounts), plus anything either found that was not planted.
set -euo pipefail

die() { echo "hashcat/run.sh: $*" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 WORK_DIR [KENSA_BIN]"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(realpath -m "$1")
KENSA=$(realpath -m "${2:-$ROOT/target/release/kensa}")
ACCOUNTS=${ACCOUNTS:-100000}
WORDS=${WORDS:-1000000}
WEAK=${WEAK:-0.10}
SEED=${SEED:-1}
REPEAT=${REPEAT:-3}
KENSA_TIMEOUT=${KENSA_TIMEOUT:-}
PYTHON=${PYTHON:-python3}
HASHCAT=${HASHCAT:-hashcat}
RULES=${RULES:-/usr/share/hashcat/rules/best64.rule}
STRAIGHT=${STRAIGHT:-1}

command -v "$HASHCAT" >/dev/null || die "$HASHCAT not found (apt-get install hashcat pocl-opencl-icd)"
[ -f "$RULES" ] || die "rule file $RULES not found"
[ -x "$KENSA" ] || die "kensa binary $KENSA not found (cargo build --release, or give KENSA_BIN)"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || die "REPEAT must be a positive integer"
[ -z "$KENSA_TIMEOUT" ] || [[ "$KENSA_TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "KENSA_TIMEOUT must be whole seconds"
# the planted rules must be lines of the rule file, or hashcat cannot find those accounts
for r in ':' 'u' 'T0' '$1' '$1 $2 $3'; do
	grep -qxF -- "$r" "$RULES" || die "rule '$r' is not a line of $RULES"
done
case "$WORK/" in "$ROOT"/*) die "WORK_DIR must be outside the repository" ;; esac
mkdir -p "$WORK"
RESULTS="$WORK/results.txt"
: >"$RESULTS"
say() { printf '%s\n' "$*" | tee -a "$RESULTS"; }

KTO=()
[ -z "$KENSA_TIMEOUT" ] || KTO=(timeout "$KENSA_TIMEOUT")

mem_gib=$(awk '/MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
say "machine: $(nproc) cores, $model, $mem_gib GiB RAM, $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
dev=$("$HASHCAT" -I 2>/dev/null | sed -n 's/^ *Name\.*: //p' | sed -n 2p || true)
say "hashcat: $("$HASHCAT" --version) on ${dev:-?}; kensa: $("$KENSA" --version 2>&1 | head -1) ($KENSA, sha256 $(sha256sum "$KENSA" | cut -c1-12); the scripts at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))"

# ---- data ------------------------------------------------------------------------------------
stamp="accounts=$ACCOUNTS words=$WORDS weak=$WEAK seed=$SEED gen.py=$(sha256sum "$HERE/gen.py" | cut -c1-16)"
if [ -f "$WORK/stamp" ] && [ "$(cat "$WORK/stamp")" = "$stamp" ] && [ -s "$WORK/ntds.txt" ]; then
	say "data: reused $WORK ($stamp): $(tr -d '\n ' <"$WORK/gen.json")"
else
	rm -f "$WORK/stamp" "$WORK/ntds.txt" "$WORK/list.txt" "$WORK/planted.tsv" "$WORK/gen.json"
	"$PYTHON" "$HERE/gen.py" "$WORK" --accounts "$ACCOUNTS" --words "$WORDS" --weak "$WEAK" --seed "$SEED" >/dev/null
	echo "$stamp" >"$WORK/stamp"
	say "data: $PYTHON $HERE/gen.py $WORK --accounts $ACCOUNTS --words $WORDS --weak $WEAK --seed $SEED"
	say "      $(tr -d '\n ' <"$WORK/gen.json")"
fi
NTDS="$WORK/ntds.txt"
LIST="$WORK/list.txt"

time_fields() { # /usr/bin/time -v output -> "wall-seconds peak-kib cpu-seconds (user+sys)"
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; w = s }
		/User time \(seconds\)|System time \(seconds\)/ { c += $2 }
		/Maximum resident set size/ { r = $2 } END { printf "%.2f %d %.2f\n", w, r, c }' "$1"
}

HC_COMMON=(-m 1000 -a 0 --potfile-disable -O -w 3 --outfile-format 2 --session kensa-bench --quiet)
# hc_run LABEL OUTFILE [EXTRA ARGS...]: one timed hashcat run; sets S, R, C (wall s, peak KiB,
# CPU s). Exit 0 = all cracked, 1 = exhausted: both fine.
hc_run() {
	local label=$1 out=$2
	shift 2
	rm -f "$out"
	local rc=0
	/usr/bin/time -v -o "$WORK/time-$label.txt" "$HASHCAT" "${HC_COMMON[@]}" "$@" --outfile "$out" \
		"$NTDS" "$LIST" </dev/null >"$WORK/log-$label.txt" 2>&1 || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "hashcat/run.sh: hashcat failed (exit $rc), see $WORK/log-$label.txt:" >&2
		tail -5 "$WORK/log-$label.txt" >&2
		exit 1
	fi
	[ -f "$out" ] || : >"$out"
	read -r S R C < <(time_fields "$WORK/time-$label.txt")
}
# kensa_run LABEL: one timed kensa audit into WORK/kensa-report; sets S (wall s or dnf), R, C.
kensa_run() {
	local label=$1 out="$WORK/kensa-report"
	rm -rf "$out"
	local rc=0
	/usr/bin/time -v -o "$WORK/time-$label.txt" "${KTO[@]}" "$KENSA" audit "$NTDS" --no-default-wordlists \
		--wordlist "$LIST" --hibp off -q --out "$out" >"$WORK/log-$label.txt" 2>&1 || rc=$?
	read -r S R C < <(time_fields "$WORK/time-$label.txt")
	if [ "$rc" = 124 ]; then
		S=dnf
	elif [ "$rc" -gt 2 ] || [ ! -f "$out/evidence.json" ]; then
		echo "hashcat/run.sh: kensa failed (exit $rc), see $WORK/log-$label.txt:" >&2
		tail -5 "$WORK/log-$label.txt" >&2
		exit 1
	fi
}
stats() {
	python3 -c '
import statistics, sys
v = [float(x) for x in sys.argv[1:] if x != "dnf"]
d = sum(1 for x in sys.argv[1:] if x == "dnf")
if not v:
    print("did not finish"); sys.exit()
s = f"{statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f}, n={len(v)})"
print(s + (f", {d} not finished" if d else ""))' "$@"
}
med() { python3 -c 'import statistics, sys; v = [float(x) for x in sys.argv[1:] if x != "dnf"]; print(statistics.median(v) if v else "nan")' "$@"; }
maxmib() { python3 -c 'import sys; v = [int(x) for x in sys.argv[1:] if x]; print(max(v) // 1024 if v else 0)' "$@"; }

RULED=(-r "$RULES")
say "  hashcat: $HASHCAT ${HC_COMMON[*]} -r $RULES --outfile $WORK/hc.out $NTDS $LIST"
say "  kensa:   ${KTO[*]:+${KTO[*]} }$KENSA audit $NTDS --no-default-wordlists --wordlist $LIST --hibp off -q --out $WORK/kensa-report"
[ "$STRAIGHT" = 0 ] || say "  hashcat straight: the hashcat command without -r, --outfile $WORK/hc-straight.out"

hc_run warmup "$WORK/hc-warmup.out" "${RULED[@]}"
say "  warm-up hashcat run (kernel build, dictionary cache): $S s"
[ "$STRAIGHT" = 0 ] || hc_run warmup-straight "$WORK/hc-warmup.out"

h_t=() h_r=() h_c=() k_t=() k_r=() k_c=() s_t=() s_r=() s_c=()
kensa_stop=0
for i in $(seq 1 "$REPEAT"); do
	hc_run "hashcat-$i" "$WORK/hc.out" "${RULED[@]}"
	h_t+=("$S") h_r+=("$R") h_c+=("$C")
	line="  run $i: hashcat $S s (CPU $C s, $((R / 1024)) MiB)"
	if [ "$kensa_stop" = 0 ]; then
		kensa_run "kensa-$i"
		k_t+=("$S") k_r+=("$R") k_c+=("$([ "$S" = dnf ] && echo dnf || echo "$C")")
		if [ "$S" = dnf ]; then
			line+=", kensa did not finish in $KENSA_TIMEOUT s ($((R / 1024)) MiB when stopped; not run again)"
			kensa_stop=1
		else
			line+=", kensa $S s (CPU $C s, $((R / 1024)) MiB)"
		fi
	fi
	if [ "$STRAIGHT" != 0 ]; then
		hc_run "straight-$i" "$WORK/hc-straight.out"
		s_t+=("$S") s_r+=("$R") s_c+=("$C")
		line+=", hashcat straight $S s (CPU $C s, $((R / 1024)) MiB)"
	fi
	say "$line"
done

# ---- what each found ---------------------------------------------------------------------------
found() { # prints "planted found_hc extra_hc found_straight extra_straight found_kensa extra_kensa"
	python3 - "$WORK" <<'EOF'
import json, os, sys
w = sys.argv[1]
fun = {":": lambda s: s, "u": str.upper, "T0": lambda s: s[:1].swapcase() + s[1:],
       "$1": lambda s: s + "1", "$1 $2 $3": lambda s: s + "123"}
planted = {}
for line in open(f"{w}/planted.tsv", encoding="utf-8"):
    acc, rule, word = line.rstrip("\n").split("\t")
    planted[acc] = fun[rule](word)
plains = set(planted.values())
out = [len(planted)]
for f in ("hc.out", "hc-straight.out"):
    p = f"{w}/{f}"
    got = set(open(p, encoding="utf-8", errors="replace").read().split("\n")) - {""} if os.path.exists(p) else set()
    out += [len(got & plains), len(got - plains)] if os.path.exists(p) else ["-", "-"]
ev = f"{w}/kensa-report/evidence.json"
if os.path.exists(ev):
    known = {a["account"] for a in json.load(open(ev, encoding="utf-8"))["accounts"] if a["plaintext_known"]}
    out += [len(known & planted.keys()), len(known - planted.keys())]
else:
    out += ["-", "-"]
print(*out)
EOF
}
read -r planted f_hc x_hc f_st x_st f_k x_k < <(found)
say ""
say "| command | wall s, median (min-max) | CPU s (user+sys), median | peak RSS MiB (highest) | weak found / planted | found, not planted |"
say "|---|---|---|---|---|---|"
say "| hashcat best64 | $(stats "${h_t[@]}") | $(stats "${h_c[@]}") | $(maxmib "${h_r[@]}") | $f_hc / $planted | $x_hc |"
say "| kensa | $(stats "${k_t[@]}") | $(stats "${k_c[@]}") | $(maxmib "${k_r[@]}") | $f_k / $planted | $x_k |"
[ "$STRAIGHT" = 0 ] || say "| hashcat straight (no rules) | $(stats "${s_t[@]}") | $(stats "${s_c[@]}") | $(maxmib "${s_r[@]}") | $f_st / $planted | $x_st |"
hm=$(med "${h_t[@]}")
km=$(med "${k_t[@]}")
if [ "$km" = nan ]; then
	say "ratio kensa/hashcat best64 (median wall): n/a, kensa did not finish in $KENSA_TIMEOUT s (> $(python3 -c "print(f'{$KENSA_TIMEOUT / $hm:.1f}')")x)"
else
	say "ratio kensa/hashcat best64 (median wall): $(python3 -c "print(f'{$km / $hm:.2f}')")x; median CPU: $(python3 -c "print(f'{$(med "${k_c[@]}") / $(med "${h_c[@]}"):.2f}')")x"
fi
say ""
say "load at the end: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min; other jobs on the machine skew the times)"
say "results: $RESULTS"
