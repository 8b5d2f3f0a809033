#!/usr/bin/env bash
# kensa side by side with DPAT (github.com/clr2of8/DPAT) on DPAT's own generated sample domain.
#
#   benches/dpat/run.sh DPAT_DIR WORK_DIR [KENSA_BIN]      # from anywhere; see README.md
#
#   DPAT_DIR   a work tree of DPAT (dpat.py, sample_data/); fetched by you, never vendored here
#   WORK_DIR   scratch directory outside the repository (generated domain, reports, logs)
#   KENSA_BIN  default: target/release/kensa of this repository
#
# Environment:
#   DPAT_VENV=/work/dpat-venv  venv with pycryptodome (MD4 for dpat.py and the generator)
#   REPEAT=3        runs of each tool, alternating dpat.py, kensa, dpat.py, kensa, ...
#   SEED=1          random.seed() given to DPAT's gendata.py before it runs
#   N=0             last names used by the generator (0: all 88,799 of sample_data/base/last.txt;
#                   e.g. N=2000 for a smoke test)
#   MINLEN=8        dpat.py -p (minimum password length of the domain policy; required by dpat.py)
#   KENSA_TIMEOUT=  seconds after which a kensa run is stopped and recorded as not finished
#                   (default: none); after one such run kensa is not run again
#   MODE=all        all | domain (the generated domain only) | umlauts (sample_data/umlauts only)
#
# What it does (domain): runs DPAT's sample_data/base/gendata.py (a Python 2 script) under Python 3
# in WORK_DIR/gen with two mechanical source fixes made at run time (`print "..."` and
# `d.has_key(k)`), hashlib's md4 and binascii.hexlify patched (pycryptodome's MD4; hexlify
# returns str), random seeded with SEED, and sample_data/base/last_small.txt (which the script
# opens but DPAT does not ship) pointing at last.txt (its first N lines when N > 0). It writes
# customer.ntds (accounts + `_historyN` lines), hashcat.potfile and "Domain Admins.txt".
# Then it times, under /usr/bin/time -v, REPEAT times alternating:
#   printf 'n\n' | python dpat.py -n customer.ntds -c hashcat.potfile -p MINLEN
#   KENSA_BIN audit customer.ntds --potfile hashcat.potfile --hibp off --out WORK_DIR/kensa-report -q
# and prints the machine, the input sizes, median (min-max) wall time and peak RSS of each, the
# ratio kensa/dpat, and what each found: DPAT's summary table (cracked, LM-only cracked, LM
# hashes, duplicate hashes) and the accounts sharing an NT hash in its "all hashes" page, against
# kensa's evidence.json (accounts with plaintext_known, by recovered_by; reuse_groups members).
# Umlauts: kensa and dpat.py on sample_data/umlauts/customer.ntds with each of its pot files
# (hashcat.potfile, john.pot): pot lines kensa used vs rejected, accounts with a plaintext.
# Everything printed is also written to WORK_DIR/results.txt.
set -euo pipefail

die() { echo "dpat/run.sh: $*" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || die "usage: $0 DPAT_DIR WORK_DIR [KENSA_BIN]"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DPAT_DIR=$(realpath -m "$1")
WORK=$(realpath -m "$2")
KENSA=$(realpath -m "${3:-$ROOT/target/release/kensa}")
DPAT_VENV=${DPAT_VENV:-/work/dpat-venv}
REPEAT=${REPEAT:-3}
SEED=${SEED:-1}
N=${N:-0}
MINLEN=${MINLEN:-8}
KENSA_TIMEOUT=${KENSA_TIMEOUT:-}
MODE=${MODE:-all}
PY="$DPAT_VENV/bin/python"

[ -f "$DPAT_DIR/dpat.py" ] || die "$DPAT_DIR/dpat.py not found: give a work tree of github.com/clr2of8/DPAT (see benches/dpat/README.md)"
GENDATA="$DPAT_DIR/sample_data/base/gendata.py"
for f in "$GENDATA" "$DPAT_DIR/sample_data/base/first.txt" "$DPAT_DIR/sample_data/base/last.txt" \
	"$DPAT_DIR/sample_data/base/subset-rockyou.txt" "$DPAT_DIR/sample_data/umlauts/customer.ntds"; do
	[ -f "$f" ] || die "$f not found (incomplete DPAT checkout?)"
done
[ -x "$PY" ] || die "no venv at $DPAT_VENV: python3 -m venv $DPAT_VENV && $DPAT_VENV/bin/pip install pycryptodome (or set DPAT_VENV)"
"$PY" -c 'from Crypto.Hash import MD4' 2>/dev/null || die "$PY cannot import Crypto.Hash.MD4: $DPAT_VENV/bin/pip install pycryptodome"
[ -x "$KENSA" ] || die "kensa binary $KENSA not found (cargo build --release, or give KENSA_BIN)"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"
case "$MODE" in all | domain | umlauts) ;; *) die "MODE must be all, domain or umlauts" ;; esac
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || die "REPEAT must be a positive integer"
[[ "$N" =~ ^[0-9]+$ ]] || die "N must be a non-negative integer"
[ -z "$KENSA_TIMEOUT" ] || [[ "$KENSA_TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "KENSA_TIMEOUT must be whole seconds"
case "$WORK/" in "$ROOT"/*) die "WORK_DIR must be outside the repository" ;; esac
mkdir -p "$WORK"
RESULTS="$WORK/results.txt"
: >"$RESULTS"
say() { printf '%s\n' "$*" | tee -a "$RESULTS"; }

# dpat.py's lm2ntcrack (crack_it) calls hashlib.new('md4') with no fallback, and its
# username==password check tries hashlib first (printing a [DEBUG] line per failure before it
# falls back to pycryptodome). OpenSSL 3 keeps MD4 in its legacy provider: dpat.py runs with
# OPENSSL_CONF pointing at a file that activates it (the usual fix; dpat.py itself is unchanged).
OSSL_CNF="$WORK/openssl-legacy.cnf"
printf '%s\n' 'openssl_conf = openssl_init' '[openssl_init]' 'providers = provider_sect' \
	'[provider_sect]' 'default = default_sect' 'legacy = legacy_sect' '[default_sect]' 'activate = 1' \
	'[legacy_sect]' 'activate = 1' >"$OSSL_CNF"
OPENSSL_CONF="$OSSL_CNF" "$PY" -c "import hashlib; hashlib.new('md4')" 2>/dev/null ||
	die "hashlib has no md4 even with OpenSSL's legacy provider ($OSSL_CNF): dpat.py's lm2ntcrack would crash"

KTO=()
[ -z "$KENSA_TIMEOUT" ] || KTO=(timeout "$KENSA_TIMEOUT")

mem_gib=$(awk '/MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
say "machine: $(nproc) cores, $model, $mem_gib GiB RAM, $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
say "dpat: $(git -C "$DPAT_DIR" log -1 --format='%h %cs' 2>/dev/null || echo 'no git') ($DPAT_DIR), $("$PY" --version 2>&1), pycryptodome $("$PY" -c 'import Crypto; print(Crypto.__version__)')"
say "kensa: $("$KENSA" --version 2>&1 | head -1) ($KENSA, sha256 $(sha256sum "$KENSA" | cut -c1-12); the scripts at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))"

# /usr/bin/time -v output -> "wall-seconds peak-kib cpu-seconds (user+sys)"
time_fields() {
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; w = s }
		/User time \(seconds\)|System time \(seconds\)/ { c += $2 }
		/Maximum resident set size/ { r = $2 } END { printf "%.2f %d %.2f\n", w, r, c }' "$1"
}

# kensa_run LABEL OUTDIR ARGS... : one timed kensa audit; sets S (wall seconds, or dnf), R (peak KiB), C (CPU seconds).
# Exit codes 0, 1 (findings) and 2 with an evidence.json (incomplete: some input lines not read,
# listed in its input_errors) are success; 124 is the timeout.
kensa_run() {
	local label=$1 out=$2
	shift 2
	rm -rf "$out"
	local rc=0
	/usr/bin/time -v -o "$WORK/time-$label.txt" "${KTO[@]}" "$KENSA" audit "$@" --hibp off --out "$out" -q \
		>"$WORK/log-$label.txt" 2>&1 || rc=$?
	read -r S R C < <(time_fields "$WORK/time-$label.txt")
	if [ "$rc" = 124 ]; then
		S=dnf
	elif [ "$rc" -gt 2 ] || { [ "$rc" = 2 ] && [ ! -f "$out/evidence.json" ]; }; then
		echo "dpat/run.sh: kensa failed (exit $rc), see $WORK/log-$label.txt:" >&2
		tail -5 "$WORK/log-$label.txt" >&2
		exit 1
	fi
}

# dpat_run LABEL RUNDIR NTDS POT : one timed dpat.py run in RUNDIR (it writes "DPAT Report"
# there); sets S (wall seconds), R (peak KiB), C (CPU seconds).
# dpat.py ends by asking "Would you like to open the report now? [Y/n]": answer n on stdin.
dpat_run() {
	local label=$1 dir=$2 ntds=$3 pot=$4
	rm -rf "$dir"
	mkdir -p "$dir"
	local rc=0
	(cd "$dir" && printf 'n\n' | OPENSSL_CONF="$OSSL_CNF" /usr/bin/time -v -o "$WORK/time-$label.txt" \
		"$PY" "$DPAT_DIR/dpat.py" -n "$ntds" -c "$pot" -p "$MINLEN" >"$WORK/log-$label.txt" 2>&1) || rc=$?
	if [ "$rc" != 0 ]; then
		echo "dpat/run.sh: dpat.py failed (exit $rc), see $WORK/log-$label.txt:" >&2
		tail -5 "$WORK/log-$label.txt" >&2
		exit 1
	fi
	read -r S R C < <(time_fields "$WORK/time-$label.txt")
}

# Summaries of the two tools' outputs, as "key=value" lines.
dpat_summary() { # DIR of "DPAT Report"
	python3 - "$1" <<'EOF'
import html, re, sys, collections
d = sys.argv[1]
def rows(name):
    s = open(f"{d}/{name}", encoding="utf-8").read()
    body = s.split("<tbody>", 1)[1]
    return [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", r, re.S)]
            for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
summary = {r[2]: r[0] for r in rows("_DomainPasswordAuditReport.html")}
want = {"hashes": "Password Hashes", "unique_hashes": "Unique Password Hashes",
        "duplicate_hashes": "Duplicate Password Hashes Identified Through Audit",
        "cracked": "Passwords Discovered Through Cracking",
        "lm_only_cracked": "Passwords Only Cracked via LM Hash",
        "lm_hashes": "LM Hashes (Non-blank)"}
for k, v in want.items():
    print(f"{k}={summary.get(v, '?')}")
# all hashes.html: Username | Password | Password Length | NT Hash | Only LM Cracked (history excluded)
acc = rows("all hashes.html")
by_hash = collections.Counter(r[3] for r in acc)
empty = "31d6cfe0d16ae931b73c59d7e0c089c0"
shared = [n for h, n in by_hash.items() if n > 1 and h != empty]
print(f"accounts_sharing={sum(shared)}")
print(f"sharing_hashes={len(shared)}")
print(f"lm_only_rows={sum(1 for r in acc if r[4] == '1')}")
EOF
}

kensa_summary() { # evidence.json
	python3 - "$1" <<'EOF'
import json, sys, collections
ev = json.load(open(sys.argv[1], encoding="utf-8"))
acc = ev["accounts"]
hist = [a for a in acc if a.get("skip_reason") == "password_history"]
cur = [a for a in acc if a.get("skip_reason") != "password_history"]
known = [a for a in cur if a["plaintext_known"]]
by = collections.Counter(a.get("recovered_by") for a in known)
members = {(m["system"], m["account"]) for g in ev["reuse_groups"] for m in g["members"]}
print(f"accounts={len(cur)}")
print(f"history_skipped={len(hist)}")
print(f"other_skipped={sum(1 for a in cur if a['status'] == 'skipped')}")
print(f"plaintext_known={len(known)}")
print("by_method=" + ", ".join(f"{k} {v}" for k, v in sorted(by.items())))
print(f"history_plaintext_known={sum(1 for a in hist if a['plaintext_known'])}")
print(f"reuse_groups={len(ev['reuse_groups'])}")
print(f"reuse_members={len(members)}")
r = ev["recovery"]
print(f"pot_matched={r['potfile_lines_matched']}")
print(f"pot_rejected={r['potfile_lines_rejected']}")
errs = ev["input_errors"]
print(f"input_errors={len(errs)}" + (f" (first: {errs[0]['source']}: {errs[0]['message']})" if errs else ""))
EOF
}
kv() { sed -n "s/^$1=//p" <<<"$2"; }

stats() { # "v1 v2 ..." -> "median (min-max)" ; dnf counts as missing
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
maxof() { python3 -c 'import sys; v = [int(x) for x in sys.argv[1:] if x]; print(max(v) if v else 0)' "$@"; }

if [ "$MODE" != umlauts ]; then
	# ---- generate the domain with DPAT's own generator -------------------------------------
	GEN="$WORK/gen"
	stamp="seed=$SEED n=$N dpat=$(git -C "$DPAT_DIR" rev-parse HEAD 2>/dev/null || echo '?') gendata=$(sha256sum "$GENDATA" | cut -c1-16)"
	if [ -f "$GEN/stamp" ] && [ "$(cat "$GEN/stamp")" = "$stamp" ] && [ -s "$GEN/hashcat.potfile" ]; then
		say "generated domain: reused $GEN ($stamp)"
	else
		rm -rf "$GEN"
		mkdir -p "$GEN/sample_data/base"
		for f in first.txt subset-rockyou.txt; do ln -s "$DPAT_DIR/sample_data/base/$f" "$GEN/sample_data/base/$f"; done
		if [ "$N" = 0 ]; then
			ln -s "$DPAT_DIR/sample_data/base/last.txt" "$GEN/sample_data/base/last_small.txt"
		else
			head -n "$N" "$DPAT_DIR/sample_data/base/last.txt" >"$GEN/sample_data/base/last_small.txt"
		fi
		t0=$(date +%s.%N)
		(cd "$GEN" && "$PY" - "$SEED" "$GENDATA" >"$GEN/gendata.log" 2>&1 <<'EOF') || { tail -5 "$GEN/gendata.log" >&2; die "gendata.py failed"; }
# Runs DPAT's Python 2 gendata.py under Python 3: two mechanical source fixes, MD4 from
# pycryptodome (OpenSSL 3 has no md4 in hashlib), hexlify returning str, a seeded random.
import binascii, hashlib, random, re, sys
from Crypto.Hash import MD4
seed, path = int(sys.argv[1]), sys.argv[2]
_new, _hex = hashlib.new, binascii.hexlify
hashlib.new = lambda name, data=b"", **kw: MD4.new(data) if name.lower() == "md4" else _new(name, data, **kw)
binascii.hexlify = lambda b, *a: _hex(b, *a).decode()
src = open(path).read()
src, n1 = re.subn(r"(\w+)\.has_key\(([^()]*)\)", r"(\2 in \1)", src)
src, n2 = re.subn(r"^(\s*)print ([^(].*)$", r"\1print(\2)", src, flags=re.M)
if n1 != 3 or n2 != 1:
    sys.exit(f"gendata.py changed: expected 3 has_key and 1 print statement, found {n1} and {n2}")
random.seed(seed)
exec(compile(src, path, "exec"), {"__name__": "__main__"})
EOF
		t1=$(date +%s.%N)
		echo "$stamp" >"$GEN/stamp"
		say "generated domain: $GEN in $(python3 -c "print(f'{$t1 - $t0:.1f}')") s ($stamp; gendata.py under $("$PY" --version 2>&1))"
	fi
	NTDS="$GEN/customer.ntds"
	POT="$GEN/hashcat.potfile"
	read -r n_acc n_hist n_lm n_pot n_pot_nt n_pot_lm < <(python3 - "$NTDS" "$POT" <<'EOF'
import re, sys
acc = hist = lm = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    f = line.rstrip("\n").split(":")
    if len(f) < 4:
        continue
    if re.search(r"_history\d+$", f[0]):
        hist += 1
    else:
        acc += 1
        lm += f[2].lower() != "aad3b435b51404eeaad3b435b51404ee"
pot = nt = lmh = 0
for line in open(sys.argv[2], encoding="utf-8", errors="replace"):
    pot += 1
    h = line.split(":", 1)[0]
    nt += len(h) == 32
    lmh += len(h) == 16
print(acc, hist, lm, pot, nt, lmh)
EOF
)
	say "input: $NTDS: $n_acc accounts + $n_hist history lines, $n_lm accounts with a non-blank LM hash; $POT: $n_pot lines ($n_pot_nt NT, $n_pot_lm LM halves)"
	say "  dpat:  cd RUN && printf 'n\\n' | OPENSSL_CONF=$OSSL_CNF $PY $DPAT_DIR/dpat.py -n $NTDS -c $POT -p $MINLEN"
	say "  kensa: ${KTO[*]:+${KTO[*]} }$KENSA audit $NTDS --potfile $POT --hibp off --out $WORK/kensa-report -q"

	d_t=() d_r=() d_c=() k_t=() k_r=() k_c=()
	kensa_stop=0
	for i in $(seq 1 "$REPEAT"); do
		dpat_run "dpat-$i" "$WORK/dpat-run" "$NTDS" "$POT"
		d_t+=("$S") d_r+=("$R") d_c+=("$C")
		say "  run $i: dpat.py $S s (CPU $C s), $((R / 1024)) MiB"
		if [ "$kensa_stop" = 0 ]; then
			kensa_run "kensa-$i" "$WORK/kensa-report" "$NTDS" --potfile "$POT"
			k_t+=("$S") k_r+=("$R") k_c+=("$([ "$S" = dnf ] && echo dnf || echo "$C")")
			if [ "$S" = dnf ]; then
				say "  run $i: kensa did not finish in $KENSA_TIMEOUT s ($((R / 1024)) MiB when stopped); not run again"
				kensa_stop=1
			else
				say "  run $i: kensa $S s (CPU $C s), $((R / 1024)) MiB"
			fi
		fi
	done
	say ""
	say "| tool | wall s, median (min-max) | CPU s (user+sys), median | peak RSS MiB (highest) |"
	say "|---|---|---|---|"
	say "| dpat.py | $(stats "${d_t[@]}") | $(stats "${d_c[@]}") | $(($(maxof "${d_r[@]}") / 1024)) |"
	say "| kensa | $(stats "${k_t[@]}") | $(stats "${k_c[@]}") | $(($(maxof "${k_r[@]}") / 1024)) |"
	dm=$(med "${d_t[@]}")
	km=$(med "${k_t[@]}")
	if [ "$km" = nan ]; then
		say "ratio kensa/dpat (median wall): n/a, kensa did not finish in $KENSA_TIMEOUT s (> $(python3 -c "print(f'{$KENSA_TIMEOUT / $dm:.1f}')")x)"
	else
		say "ratio kensa/dpat (median wall): $(python3 -c "print(f'{$km / $dm:.2f}')")x; median CPU: $(python3 -c "print(f'{$(med "${k_c[@]}") / $(med "${d_c[@]}"):.2f}')")x"
	fi

	D=$(dpat_summary "$WORK/dpat-run/DPAT Report")
	say ""
	say "dpat.py (its summary table; current accounts, history excluded):"
	say "  password hashes $(kv hashes "$D"), unique $(kv unique_hashes "$D"), duplicate $(kv duplicate_hashes "$D")"
	say "  cracked $(kv cracked "$D") (of which only via LM, lm2ntcrack: $(kv lm_only_cracked "$D"); rows flagged in all hashes: $(kv lm_only_rows "$D")); non-blank LM hashes $(kv lm_hashes "$D")"
	say "  accounts sharing an NT hash with another (from 'all hashes', empty hash excluded): $(kv accounts_sharing "$D") in $(kv sharing_hashes "$D") hashes"
	if [ -f "$WORK/kensa-report/evidence.json" ] && [ "$km" != nan ]; then
		K=$(kensa_summary "$WORK/kensa-report/evidence.json")
		say "kensa (evidence.json):"
		say "  accounts $(kv accounts "$K") (+ $(kv history_skipped "$K") history lines skipped as password_history; other skipped $(kv other_skipped "$K"))"
		say "  plaintext_known $(kv plaintext_known "$K") (by recovered_by: $(kv by_method "$K")); history lines with a plaintext: $(kv history_plaintext_known "$K")"
		say "  reuse groups $(kv reuse_groups "$K") with $(kv reuse_members "$K") members"
		say "  pot lines used $(kv pot_matched "$K"), rejected $(kv pot_rejected "$K"); input errors $(kv input_errors "$K")"
		say "difference: cracked dpat - kensa = $(($(kv cracked "$D") - $(kv plaintext_known "$K"))); sharing dpat - kensa reuse members = $(($(kv accounts_sharing "$D") - $(kv reuse_members "$K")))"
	else
		say "kensa: no evidence.json (did not finish), no comparison of findings"
	fi
fi

if [ "$MODE" != domain ]; then
	# ---- DPAT's non-ASCII sample: sample_data/umlauts ----------------------------------------
	U="$DPAT_DIR/sample_data/umlauts"
	say ""
	say "umlauts: $U/customer.ntds ($(grep -c . "$U/customer.ntds") lines)"
	for pot in hashcat.potfile john.pot; do
		[ -f "$U/$pot" ] || continue
		kensa_run "umlauts-$pot" "$WORK/umlauts-$pot" "$U/customer.ntds" --potfile "$U/$pot"
		ks=$S
		dpat_run "dpat-umlauts-$pot" "$WORK/dpat-umlauts-$pot" "$U/customer.ntds" "$U/$pot"
		D=$(dpat_summary "$WORK/dpat-umlauts-$pot/DPAT Report")
		if [ "$ks" = dnf ]; then
			say "  $pot ($(grep -c . "$U/$pot") lines): kensa did not finish; dpat.py cracked $(kv cracked "$D")"
			continue
		fi
		K=$(kensa_summary "$WORK/umlauts-$pot/evidence.json")
		say "  $pot ($(grep -c . "$U/$pot") lines): kensa used $(kv pot_matched "$K"), rejected $(kv pot_rejected "$K"), input errors $(kv input_errors "$K"); accounts with a plaintext $(kv plaintext_known "$K") of $(kv accounts "$K") ($(kv by_method "$K")); dpat.py cracked $(kv cracked "$D") of $(kv hashes "$D")"
	done
	say "  (kensa: $KENSA audit $U/customer.ntds --potfile $U/POT --hibp off --out DIR -q)"
fi
say ""
say "load at the end: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min; other jobs on the machine skew the times)"
say "results: $RESULTS"
