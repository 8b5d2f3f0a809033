#!/usr/bin/env bash
# kensa at scale: one audit of 1,000,000 NT accounts with a 1,000,000-word list and an offline
# breach corpus index. Targets: under 60 s wall, peak RSS under 1 GiB (2-core machine).
#
#   benches/scale/run.sh WORK_DIR [KENSA_BIN]        # from anywhere; see README.md
#
#   WORK_DIR   scratch directory outside the repository (~0.6 GB for the defaults)
#   KENSA_BIN  default: target/release/kensa of this repository
#
# Environment:
#   ACCOUNTS=1000000 WORDS=1000000 WEAK=0.10 SEED=1   the audit (benches/hashcat/gen.py)
#   CORPUS=10000000  lines of the synthetic NTLM corpus; PRESENT=0.05 of the accounts are in it
#   REPEAT=1         timed audits
#   KENSA_TIMEOUT=   seconds after which an audit is stopped and recorded as not finished
#                    (default: none)
#   PYTHON=python3   interpreter for gen.py (MD4 from hashlib, else pycryptodome, else pure
#                    Python: about 26 s more per million accounts)
#
# Steps:
#   1. gen.py WORK --accounts ACCOUNTS --words WORDS --weak WEAK --seed SEED --corpus CORPUS
#      --corpus-present PRESENT: ntds.txt (secretsdump lines), list.txt, planted.tsv and
#      corpus.txt (`HASH:COUNT\r\n`, uppercase hex, sorted by hash, as the Pwned Passwords
#      downloader writes it) holding the NT hashes of round(ACCOUNTS * PRESENT) accounts
#      (reused when the parameters are unchanged)
#   2. KENSA_BIN hibp index WORK/corpus.txt -o WORK/corpus.kidx --no-progress   (timed)
#   3. KENSA_BIN audit WORK/ntds.txt --no-default-wordlists --wordlist WORK/list.txt
#        --hibp WORK/corpus.kidx -q --out WORK/kensa-report       (timed, REPEAT times)
# and prints the machine, wall time and peak RSS (/usr/bin/time -v) against the targets, and
# what the audit found: accounts with plaintext_known (planted weak ones / others), accounts
# found in the corpus (planted in it: round(ACCOUNTS * PRESENT)).
set -euo pipefail

die() { echo "scale/run.sh: $*" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 WORK_DIR [KENSA_BIN]"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GENPY="$ROOT/benches/hashcat/gen.py"
WORK=$(realpath -m "$1")
KENSA=$(realpath -m "${2:-$ROOT/target/release/kensa}")
ACCOUNTS=${ACCOUNTS:-1000000}
WORDS=${WORDS:-1000000}
WEAK=${WEAK:-0.10}
SEED=${SEED:-1}
CORPUS=${CORPUS:-10000000}
PRESENT=${PRESENT:-0.05}
REPEAT=${REPEAT:-1}
KENSA_TIMEOUT=${KENSA_TIMEOUT:-}
PYTHON=${PYTHON:-python3}

[ -f "$GENPY" ] || die "$GENPY not found"
[ -x "$KENSA" ] || die "kensa binary $KENSA not found (cargo build --release, or give KENSA_BIN)"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || die "REPEAT must be a positive integer"
[ -z "$KENSA_TIMEOUT" ] || [[ "$KENSA_TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "KENSA_TIMEOUT must be whole seconds"
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
say "kensa: $("$KENSA" --version 2>&1 | head -1) ($KENSA, sha256 $(sha256sum "$KENSA" | cut -c1-12); the scripts at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))"

time_fields() { # /usr/bin/time -v output -> "wall-seconds peak-kib cpu-seconds (user+sys)"
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; w = s }
		/User time \(seconds\)|System time \(seconds\)/ { c += $2 }
		/Maximum resident set size/ { r = $2 } END { printf "%.2f %d %.2f\n", w, r, c }' "$1"
}

# ---- 1. data -------------------------------------------------------------------------------------
stamp="accounts=$ACCOUNTS words=$WORDS weak=$WEAK seed=$SEED corpus=$CORPUS present=$PRESENT gen.py=$(sha256sum "$GENPY" | cut -c1-16)"
if [ -f "$WORK/stamp" ] && [ "$(cat "$WORK/stamp")" = "$stamp" ] && [ -s "$WORK/corpus.txt" ]; then
	say "data: reused $WORK ($stamp)"
else
	rm -f "$WORK/stamp" "$WORK/ntds.txt" "$WORK/list.txt" "$WORK/planted.tsv" "$WORK/gen.json" "$WORK/corpus.txt" "$WORK/corpus.kidx"
	t0=$(date +%s.%N)
	"$PYTHON" "$GENPY" "$WORK" --accounts "$ACCOUNTS" --words "$WORDS" --weak "$WEAK" --seed "$SEED" \
		--corpus "$CORPUS" --corpus-present "$PRESENT" >/dev/null
	t1=$(date +%s.%N)
	echo "$stamp" >"$WORK/stamp"
	say "data: $PYTHON $GENPY $WORK --accounts $ACCOUNTS --words $WORDS --weak $WEAK --seed $SEED --corpus $CORPUS --corpus-present $PRESENT"
	say "      $(python3 -c "print(f'{$t1 - $t0:.1f}')") s: $(tr -d '\n ' <"$WORK/gen.json")"
fi
say "      ntds.txt $(stat -c %s "$WORK/ntds.txt") bytes, list.txt $(stat -c %s "$WORK/list.txt") bytes, corpus.txt $(stat -c %s "$WORK/corpus.txt") bytes"

# ---- 2. index --------------------------------------------------------------------------------------
IDX="$WORK/corpus.kidx"
rm -f "$IDX"
/usr/bin/time -v -o "$WORK/time-index.txt" "$KENSA" hibp index "$WORK/corpus.txt" -o "$IDX" --no-progress \
	>"$WORK/log-index.txt" 2>&1 || { tail -5 "$WORK/log-index.txt" >&2; die "kensa hibp index failed"; }
read -r s r c < <(time_fields "$WORK/time-index.txt")
say "index: $KENSA hibp index $WORK/corpus.txt -o $IDX --no-progress"
say "       $s s (CPU $c s), peak RSS $((r / 1024)) MiB, index $(stat -c %s "$IDX") bytes"

# ---- 3. audit ----------------------------------------------------------------------------------------
say "audit: ${KTO[*]:+${KTO[*]} }$KENSA audit $WORK/ntds.txt --no-default-wordlists --wordlist $WORK/list.txt --hibp $IDX -q --out $WORK/kensa-report"
t_all=() r_all=()
for i in $(seq 1 "$REPEAT"); do
	rm -rf "$WORK/kensa-report"
	rc=0
	/usr/bin/time -v -o "$WORK/time-audit-$i.txt" "${KTO[@]}" "$KENSA" audit "$WORK/ntds.txt" --no-default-wordlists \
		--wordlist "$WORK/list.txt" --hibp "$IDX" -q --out "$WORK/kensa-report" >"$WORK/log-audit-$i.txt" 2>&1 || rc=$?
	read -r s r c < <(time_fields "$WORK/time-audit-$i.txt")
	if [ "$rc" = 124 ]; then
		say "  run $i: did not finish in $KENSA_TIMEOUT s (CPU $c s, peak RSS $((r / 1024)) MiB when stopped)"
		break
	elif [ "$rc" -gt 2 ] || [ ! -f "$WORK/kensa-report/evidence.json" ]; then
		tail -5 "$WORK/log-audit-$i.txt" >&2
		die "kensa audit failed (exit $rc), see $WORK/log-audit-$i.txt"
	fi
	t_all+=("$s") r_all+=("$r")
	say "  run $i: $s s (CPU $c s), peak RSS $((r / 1024)) MiB (exit $rc)"
done
if [ "${#t_all[@]}" -gt 0 ]; then
	python3 - "${t_all[*]}" "${r_all[*]}" <<'EOF' | tee -a "$RESULTS"
import statistics, sys
t = [float(x) for x in sys.argv[1].split()]
r = [int(x) for x in sys.argv[2].split()]
m, peak = statistics.median(t), max(r) / 1024
print(f"audit wall {m:.2f} s median ({min(t):.2f}-{max(t):.2f}, n={len(t)}): target < 60 s {'met' if m < 60 else 'NOT met'}")
print(f"audit peak RSS {peak:.0f} MiB (highest): target < 1024 MiB {'met' if peak < 1024 else 'NOT met'}")
EOF
	python3 - "$WORK" <<'EOF' | tee -a "$RESULTS"
import collections, json, sys
w = sys.argv[1]
g = json.load(open(f"{w}/gen.json"))
planted = {l.split("\t", 1)[0] for l in open(f"{w}/planted.tsv", encoding="utf-8")}
ev = json.load(open(f"{w}/kensa-report/evidence.json", encoding="utf-8"))
acc = ev["accounts"]
known = {a["account"] for a in acc if a["plaintext_known"]}
breach = collections.Counter(a["breach"]["status"] for a in acc)
print(f"found: plaintext_known {len(known)} (planted weak {len(known & planted)} of {len(planted)}, others {len(known - planted)}); "
      f"breach {dict(sorted(breach.items()))} (planted in the corpus: {g['corpus_present_accounts']}); "
      f"input errors {len(ev['input_errors'])}")
EOF
else
	say "audit: no run finished"
fi
say "load at the end: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min; other jobs on the machine skew the times)"
say "results: $RESULTS"
