#!/usr/bin/env bash
# Offline breach corpus benchmark (issue 3, "Performance"); figures go to BENCHMARKS.md.
#
#   benches/hibp/run.sh [SCRATCH_DIR]          # from the repository root; default /work/hibp-bench
#   LINES=1e7 QUERIES=1e6 BSEARCH=1e5 REPEAT=3 KEEP=1 benches/hibp/run.sh /work/hibp-bench
#   (NO_BUILD=1 skips `cargo build` and uses target/release/kensa and the newest hibp_lookup)
#
# In SCRATCH_DIR (outside the repository; needs about 1.1 * 60 bytes per line free, ~6.5 GB for
# 1e8 lines) it makes, with the bench target `hibp_lookup` (benches/hibp_lookup.rs):
#   corpus.txt  LINES synthetic NT hashes, uniform, sorted, `HASH:COUNT\r\n`, uppercase hex
#               (as the Pwned Passwords downloader writes them), default 1e8 (~4 GB);
#   audit.pwdump QUERIES pwdump lines (default 1e6), half of them hashes of the corpus;
# then measures, in one run, each step from a cold page cache (`sync; echo 3 >
# /proc/sys/vm/drop_caches`, needs root; when that is refused every figure is warm and the table
# says so) and again warm:
#   (a) cat corpus.txt > /dev/null
#   (b) kensa hibp index corpus.txt -o corpus.idx        (wall time, peak RSS via /usr/bin/time -v)
#   (c) batched lookup of the QUERIES hashes through the index (OfflineSource::lookup, timed in
#       process, peak RSS = VmHWM) vs cat corpus.idx > /dev/null
#   (d) the same batched lookup on corpus.txt directly
#   (e) baseline: one binary search per query with pread on corpus.txt (DSInternals' approach),
#       for BSEARCH queries (default 1e5), extrapolated linearly to QUERIES
# Steps (a)-(c) are measured REPEAT times (default 3) as back-to-back pairs, see below.
# It prints a table (also written to SCRATCH_DIR/results.txt, kept). The corpus, audit and index
# are deleted at the end unless KEEP=1. About 5 minutes for 1e8 lines on 2 cores.
set -euo pipefail

DIR=${1:-/work/hibp-bench}
LINES=${LINES:-1e8}
QUERIES=${QUERIES:-1e6}
BSEARCH=${BSEARCH:-1e5}
KEEP=${KEEP:-0}
REPEAT=${REPEAT:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

case "$(realpath -m "$DIR")/" in
"$ROOT"/*) echo "run.sh: the scratch directory must be outside the repository" >&2; exit 2 ;;
esac
mkdir -p "$DIR"
DIR=$(realpath "$DIR")
lines_n=$(python3 -c "print(int(float('$LINES')))")
need_kb=$((lines_n * 66 / 1000))
free_kb=$(df -Pk "$DIR" | awk 'NR==2 {print $4}')
if [ "$free_kb" -lt "$need_kb" ]; then
	echo "run.sh: $DIR has $((free_kb / 1048576)) GiB free, needs about $((need_kb / 1048576)) GiB" >&2
	exit 2
fi

if [ "${NO_BUILD:-0}" = 1 ]; then # use the binaries already built
	BENCH=$(ls -t "$ROOT"/target/release/deps/hibp_lookup-* | grep -v '\.d$' | head -1)
else
	echo "== building (release)" >&2
	(cd "$ROOT" && cargo build --release --bin kensa -q)
	BENCH=$(cd "$ROOT" && cargo bench --bench hibp_lookup --no-run 2>&1 |
		sed -n 's/.*Executable .*(\(.*hibp_lookup-[0-9a-f]*\)).*/\1/p' | tail -1)
	BENCH="$ROOT/$BENCH"
fi
KENSA="$ROOT/target/release/kensa"
[ -x "$BENCH" ] && [ -x "$KENSA" ] || { echo "run.sh: build failed" >&2; exit 1; }

CORPUS="$DIR/corpus.txt"
AUDIT="$DIR/audit.pwdump"
IDX="$DIR/corpus.idx"
OUT="$DIR/results.txt"

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }
CACHE=cold
drop() {
	sync
	if [ "$CACHE" = cold ] && ! { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
		CACHE=warm
		echo "run.sh: cannot drop the page cache (not root?): all figures are warm" >&2
	fi
}
timed_cat() { # prints seconds
	local t0 t1
	t0=$(now)
	cat "$1" >/dev/null
	t1=$(now)
	secs "$t0" "$t1"
}

# What the figures depend on: cores, kernel, disk read-ahead, and whether a DAMON scheme pages
# out cold memory (it makes the cost of a cold read vary from minute to minute).
dev=$(df -P "$DIR" | awk 'NR==2 {print $1}' | sed 's#/dev/##; s/[0-9]*$//')
damon=$(cat /sys/kernel/mm/damon/admin/kdamonds/0/contexts/0/schemes/0/action 2>/dev/null || echo none)
MACHINE="$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, Linux $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), read_ahead_kb=$(cat /sys/block/"$dev"/queue/read_ahead_kb 2>/dev/null || echo ?), DAMON scheme: $damon"
echo "== machine: $MACHINE" >&2
echo "== generating $LINES lines, $QUERIES queries in $DIR" >&2
rm -f "$CORPUS" "$AUDIT" "$IDX"
t0=$(now)
GEN=$("$BENCH" gen "$CORPUS" "$AUDIT" "$LINES" "$QUERIES")
t1=$(now)
sync
t2=$(now)
echo "$GEN" >&2
gen_secs=$(secs "$t0" "$t2")
corpus_bytes=$(stat -c %s "$CORPUS")

# Steps (a)-(c) run REPEAT times, each a pair measured back to back from a cold cache (cat,
# then the kensa step), because on a virtual machine the cost of a cold read varies several
# fold from one minute to the next; the table gives medians, ranges and per-pair ratios.
CAT_C=""
IDX_S=""
index_rss_kib=0
for i in $(seq 1 "$REPEAT"); do
	echo "== (a) cat corpus, (b) kensa hibp index: pair $i of $REPEAT" >&2
	drop
	CAT_C="$CAT_C $(timed_cat "$CORPUS")"
	rm -f "$IDX"
	drop
	t0=$(now)
	/usr/bin/time -v "$KENSA" hibp index "$CORPUS" -o "$IDX" --no-progress 2>"$DIR/index.time" >&2
	t1=$(now)
	IDX_S="$IDX_S $(secs "$t0" "$t1")"
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DIR/index.time")
	[ "$rss" -gt "$index_rss_kib" ] && index_rss_kib=$rss
done
cat "$CORPUS" >/dev/null
cat_corpus_warm=$(timed_cat "$CORPUS")
idx_bytes=$(stat -c %s "$IDX")

CATIDX_C=""
L_IDX_COLD=""
for i in $(seq 1 "$REPEAT"); do
	echo "== (c) cat index, lookup through the index: pair $i of $REPEAT" >&2
	drop
	CATIDX_C="$CATIDX_C $(timed_cat "$IDX")"
	drop
	l=$("$BENCH" lookup "$IDX" "$AUDIT")
	echo "$l" >&2
	L_IDX_COLD="$L_IDX_COLD$l|"
done
# Warm, REPEAT back-to-back pairs too (a warm run takes a tenth of a second: one run is noise).
cat "$IDX" >/dev/null
CATIDX_W=""
L_IDX_WARM=""
for i in $(seq 1 "$REPEAT"); do
	CATIDX_W="$CATIDX_W $(timed_cat "$IDX")"
	l=$("$BENCH" lookup "$IDX" "$AUDIT")
	echo "$l" >&2
	L_IDX_WARM="$L_IDX_WARM$l|"
done

echo "== (d) lookup on the sorted text" >&2
drop
L_TXT_COLD=$("$BENCH" lookup "$CORPUS" "$AUDIT")
echo "$L_TXT_COLD" >&2
cat "$CORPUS" >/dev/null
L_TXT_WARM=$("$BENCH" lookup "$CORPUS" "$AUDIT")
echo "$L_TXT_WARM" >&2

echo "== (e) one binary search per query (pread), $BSEARCH queries" >&2
drop
B_COLD=$("$BENCH" bsearch "$CORPUS" "$AUDIT" "$BSEARCH")
echo "$B_COLD" >&2
cat "$CORPUS" >/dev/null
B_WARM=$("$BENCH" bsearch "$CORPUS" "$AUDIT" "$BSEARCH")
echo "$B_WARM" >&2

python3 - "$OUT" <<EOF
import statistics, sys
def kv(s):
    return dict(p.split('=', 1) for p in s.split()[1:])
def nums(s):
    return [float(x) for x in s.split()]
def med(v):
    return statistics.median(v)
def rng(v, unit=' s'):
    m = f'{med(v):.2f}{unit}'
    return m if len(v) == 1 else f'{m} ({min(v):.2f}-{max(v):.2f})'
lics = [kv(x) for x in """$L_IDX_COLD""".split('|') if x.strip()]
liws = [kv(x) for x in """$L_IDX_WARM""".split('|') if x.strip()]
li_w = [float(x['secs']) for x in liws]
liw = sorted(liws, key=lambda x: float(x['secs']))[len(liws) // 2]
ltc, ltw = kv("""$L_TXT_COLD"""), kv("""$L_TXT_WARM""")
bc, bw = kv("""$B_COLD"""), kv("""$B_WARM""")
g = kv("""$GEN""")
q = int(liw['queries'])
cache = "$CACHE"
rows = []
def row(step, cold, warm, note=''):
    rows.append((step, cold, warm, note))
cat_c, idx_s, catidx_c = nums("$CAT_C"), nums("$IDX_S"), nums("$CATIDX_C")
li_c = [float(x['secs']) for x in lics]
catidx_w = nums("$CATIDX_W")
cw, iw = float("$cat_corpus_warm"), med(catidx_w)
n = len(cat_c)
row(f'(a) cat corpus.txt ({$corpus_bytes / 1e9:.2f} GB)', rng(cat_c), f'{cw:.2f} s',
    f'{$corpus_bytes / 1e6 / med(cat_c):.0f} MB/s cold (median of {n})')
row('(b) kensa hibp index', rng(idx_s), '-',
    f"{rng([b / a for a, b in zip(cat_c, idx_s)], 'x')} cat (cold, per pair); peak RSS {int('$index_rss_kib') / 1024:.0f} MiB; index {$idx_bytes / 1e9:.2f} GB")
row('    cat corpus.idx', rng(catidx_c), rng(catidx_w), '')
row(f'(c) batched lookup, index, {q} queries', rng(li_c), rng(li_w),
    f"{rng([b / a for a, b in zip(catidx_c, li_c)], 'x')} cold / {rng([b / max(a, 0.001) for a, b in zip(catidx_w, li_w)], 'x')} warm, cat of the index (per pair); "
    f"found {liw['found']}, errors {max(int(x['errors']) for x in lics + [liw])}; pages read {liw['pages']}; "
    f"peak RSS {max(int(x['hwm_kib']) for x in lics) / 1024:.0f} / {max(int(x['hwm_kib']) for x in liws) / 1024:.0f} MiB (cold / warm, highest of the runs)")
row(f'(d) batched lookup, sorted text, {q} queries', f"{float(ltc['secs']):.2f} s", f"{float(ltw['secs']):.2f} s",
    f"{float(ltc['secs']) / med(cat_c):.2f}x / {float(ltw['secs']) / max(cw, 0.001):.2f}x cat of the text (cold median / warm); "
    f"found {ltc['found']}, errors {ltc['errors']}; pages read {ltw['pages']}; peak RSS {int(ltc['hwm_kib']) / 1024:.0f} / {int(ltw['hwm_kib']) / 1024:.0f} MiB")
nb = int(bc['queries'])
ext_c, ext_w = float(bc['secs']) * q / nb, float(bw['secs']) * q / nb
row(f'(e) binary search per query, {nb} queries', f"{float(bc['secs']):.2f} s", f"{float(bw['secs']):.2f} s",
    f"{bc['reads_per_query']} preads/query; found {bc['found']}")
row(f'    (e) extrapolated to {q} queries (x{q // nb})', f'{ext_c:.1f} s', f'{ext_w:.1f} s', '')
row('speed-up (c) over (e)', f"{ext_c / med(li_c):.0f}x", f"{ext_w / float(liw['secs']):.0f}x", 'target >= 10x')
row('speed-up (d) over (e)', f"{ext_c / float(ltc['secs']):.0f}x", f"{ext_w / float(ltw['secs']):.0f}x", '')
cold = f'cold (page cache dropped before each step; median (min-max) of {n} pairs)' if cache == 'cold' else 'WARM (could not drop the page cache)'
lines = ["machine: $MACHINE", f"corpus: {g['lines']} lines, {$corpus_bytes} bytes, generated in $gen_secs s; audit: {g['queries']} NT hashes, {g['present']} present",
         '', f'| step | {cold} | warm | notes |', '|---|---|---|---|']
lines += [f'| {a} | {b} | {c} | {d} |' for a, b, c, d in rows]
text = '\n'.join(lines) + '\n'
print(text)
open(sys.argv[1], 'w').write(text)
EOF

if [ "$KEEP" != 1 ]; then
	rm -f "$CORPUS" "$AUDIT" "$IDX"
	echo "(scratch files deleted; results kept in $OUT; KEEP=1 keeps them)" >&2
fi
