#!/usr/bin/env bash
# Hostile-input check of the release binary (issue 11): every case the hostile test found, run
# against `target/release/kensa`, each printed as HELD or BROKEN with what was seen.
#
#   benches/hostile/run.sh            # from the repository root; exit 1 if any case is broken
#
# Needs python3 (benches/hostile/server.py plays the misbehaving range API on 127.0.0.1) and
# coreutils `timeout`. Every server listens on 127.0.0.1 only; nothing leaves the machine.
set -uo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -q || exit 2
K=$PWD/target/release/kensa
W=$(mktemp -d)
# The servers run in command substitutions, so they are not jobs of this shell: their PIDs go to a file.
stop_servers() { [ -f "$W/pids" ] && xargs -r kill <"$W/pids" 2>/dev/null; rm -f "$W/pids"; }
trap 'stop_servers; rm -rf "$W"' EXIT
broken=0
held() { printf 'HELD    %-34s %s\n' "$1" "$2"; }
broke() { printf 'BROKEN  %-34s %s\n' "$1" "$2"; broken=1; }
# no_leak NAME SECRET FILE...: the secret appears in none of the files.
no_leak() {
    local name=$1 secret=$2; shift 2
    if grep -rlaF -- "$secret" "$@" >/dev/null 2>&1; then
        broke "$name" "'$secret' found in $(grep -rlaF -- "$secret" "$@" | head -1)"
    else
        held "$name" "not in stderr or any report"
    fi
}
audit() { # DIR ARGS...: kensa audit into DIR/out, stderr to DIR/err, exit code to DIR/rc
    local d=$1; shift
    mkdir -p "$d"
    ( cd "$d" && timeout "${LIMIT:-120}" "$K" audit --no-progress -q --format all --out out "$@" 2>err; echo $? >rc )
}
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
serve() { # MODE -> prints URL; starts the server in the background
    local p o
    p=$(port); o=$(port)
    # stdout to /dev/null: the command substitution must not wait for the server.
    python3 benches/hostile/server.py "$1" "$p" "$o" >/dev/null 2>>"$W/server-$1.log" &
    echo $! >>"$W/pids"
    if [ "$1" = redirect ]; then
        python3 benches/hostile/server.py found "$o" >/dev/null 2>>"$W/server-found.log" &
        echo $! >>"$W/pids"
    fi
    sleep 0.3
    echo "http://127.0.0.1:$p"
}
# jq-free JSON checks: py DIR 'expression over d (evidence.json)' -> prints the value
py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1]+'/out/evidence.json')); print($2)" "$1"; }
start=$(date +%s)

# --- 1. Secrets in the wrong fields: never echoed -------------------------------------------------
d=$W/inv-mfa; mkdir -p "$d"
printf 'system,account,password,mfa\nrouter,admin,Hx7!kq2Lw9Zp,LeakTokInvMfa!9\n' >"$d/inv.csv"
audit "$d" --hibp off inventory:inv.csv
no_leak "inventory mfa cell" 'LeakTokInvMfa!9' "$d/err" "$d/out"
d=$W/ht-scheme; mkdir -p "$d"
printf 'alice:$apr1$saltsalt$yAAkm4libquA.ZWLHbSBq/\nbob:$Winter$2024\n' >"$d/ht.txt"
audit "$d" --hibp off htpasswd:ht.txt
no_leak "htpasswd hash field = plaintext" 'Winter' "$d/err" "$d/out"
d=$W/ldif-scheme; mkdir -p "$d"
printf 'dn: uid=carol,ou=people,dc=koro\nuid: carol\nuserPassword: {Summer}2024!\n\n' >"$d/u.ldif"
audit "$d" --hibp off ldif:u.ldif
no_leak "LDIF {Scheme} = plaintext" 'Summer' "$d/err" "$d/out"

# --- 2. Cost bombs: a hash whose one try is over the budget is not tried ---------------------------
d=$W/cost; mkdir -p "$d"
H='$2b$20$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ0123.'
S='$6$rounds=999999999$saltsalt$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./abcdefghijklmnopqrstuv'
printf 'root:%s:19000:0:99999:7:::\nops:%s:19000:0:99999:7:::\n' "$H" "$S" >"$d/shadow"
printf '%s:Winter2024\n%s:Winter2024\n' "$H" "$S" >"$d/pot"
t0=$(date +%s); LIMIT=60 audit "$d" --hibp off --potfile pot shadow:shadow; t=$(( $(date +%s) - t0 ))
tries=$(py "$d" "sum(a['salted']['tries'] for a in d['accounts'] if a.get('salted'))" 2>/dev/null)
if [ "$(cat "$d/rc")" != 124 ] && [ "$tries" = 0 ]; then
    held "bcrypt cost 20 + rounds=999999999" "done in ${t} s, 0 tries, $(py "$d" "sorted({str(a['salted'].get('skipped')) for a in d['accounts']})")"
else broke "bcrypt cost 20 + rounds=999999999" "rc $(cat "$d/rc"), ${t} s, tries ${tries:-?}"; fi

# A pot file naming one slow (but admitted) hash on 1,000 lines: only what its budget buys is tried.
d=$W/pot-repeat; mkdir -p "$d"
H12='$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ0123.'
printf 'nurse:%s:19000:0:99999:7:::\n' "$H12" >"$d/shadow"
for i in $(seq 1000); do printf '%s:guess-%d\n' "$H12" "$i"; done >"$d/pot"
t0=$(date +%s); LIMIT=120 audit "$d" --hibp off --potfile pot shadow:shadow; t=$(( $(date +%s) - t0 ))
sk=$(py "$d" "d['recovery']['potfile_lines_skipped']" 2>/dev/null); rj=$(py "$d" "d['recovery']['potfile_lines_rejected']" 2>/dev/null)
if [ "$(cat "$d/rc")" != 124 ] && [ "${sk:-0}" -gt 900 ]; then
    held "1,000 pot lines for one bcrypt cost 12" "${t} s: ${rj} tried, ${sk} skipped (over the budget per hash)"
else broke "1,000 pot lines for one bcrypt cost 12" "rc $(cat "$d/rc"), ${t} s, tried ${rj:-?}, skipped ${sk:-?}"; fi

# --- 3. A breach API that hangs, floods or redirects: prompt, and never "not found" ------------------
# 100 accounts with distinct NT hashes = 100 prefixes (no plaintext known: every lookup is by hash).
python3 - "$W/sam100.txt" <<'PY'
import hashlib, sys
with open(sys.argv[1], "w") as f:
    for i in range(100):
        h = hashlib.sha256(b"kensa-hostile-%d" % i).hexdigest()[:32]
        f.write("user%03d:%d:aad3b435b51404eeaad3b435b51404ee:%s:::\n" % (i, 1000 + i, h))
PY
for mode in hang flood redirect loop; do
    d=$W/net-$mode; mkdir -p "$d"; cp "$W/sam100.txt" "$d/sam.txt"
    url=$(serve "$mode")
    t0=$(date +%s); LIMIT=300 audit "$d" --hibp online --hibp-url "$url" --hibp-deadline 60s sam.txt; t=$(( $(date +%s) - t0 ))
    st=$(py "$d" "sorted({a['breach']['status'] for a in d['accounts']})" 2>/dev/null)
    nf=$(py "$d" "sum(a['breach']['status'] in ('not_found','found') for a in d['accounts'])" 2>/dev/null)
    rss=$(grep -h "$mode" "$W/server-$mode.log" | wc -l)
    if [ "$(cat "$d/rc")" = 2 ] && [ "$st" = "['error']" ] && [ "$nf" = 0 ]; then
        held "range API: $mode" "exit 2 in ${t} s, every lookup an error, ${rss} requests; $(grep -m1 -o 'given up.\{0,60\}\|no answer.\{0,60\}' "$d/err" | head -1)"
    else broke "range API: $mode" "rc $(cat "$d/rc") in ${t} s, statuses ${st:-?}, found/not_found ${nf:-?}"; fi
done
stop_servers

# --- 4. A report write that fails half-way: the previous set stays whole -------------------------
d=$W/halfway; mkdir -p "$d"
printf 'alice:1001:aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c:::\n' >"$d/sam.txt"
audit "$d" --hibp off sam.txt
before=$(cd "$d/out" && sha256sum evidence.* | sha256sum)
# The file-size limit makes the bigger reports fail with EFBIG mid-write (SIGXFSZ ignored).
(cd "$d" && trap '' XFSZ && ulimit -f 8 && "$K" audit --no-progress -q --format all --out out --hibp off sam.txt 2>err2; echo $? >rc2)
after=$(cd "$d/out" && sha256sum evidence.* | sha256sum)
extra=$(find "$d/out" -mindepth 1 -name '.kensa-*' | wc -l)
if [ "$(cat "$d/rc2")" = 2 ] && [ "$before" = "$after" ] && [ "$extra" = 0 ]; then
    held "report write fails half-way" "exit 2, previous set byte-identical, nothing staged left"
else broke "report write fails half-way" "rc $(cat "$d/rc2"), set changed: $([ "$before" = "$after" ] && echo no || echo yes), leftovers $extra"; fi

# --- 5. Input edge cases ---------------------------------------------------------------------------
d=$W/utf16-nobom; mkdir -p "$d"
printf '[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nMinimumPasswordLength = 14\r\nPasswordComplexity = 1\r\nMaximumPasswordAge = 42\r\n[Version]\r\nsignature="$CHICAGO$"\r\nRevision=1\r\n' |
    iconv -f UTF-8 -t UTF-16LE >"$d/sec.inf"
cp "$W/halfway/sam.txt" "$d/"; audit "$d" --hibp off sec.inf sam.txt
ml=$(py "$d" "[p['effective'].get('min_length') for p in d['policies']]" 2>/dev/null)
if echo "$ml" | grep -q 14; then held "UTF-16LE secedit without BOM" "min_length read: $ml"
else broke "UTF-16LE secedit without BOM" "policies min_length $ml, complete $(py "$d" "d['complete']" 2>/dev/null)"; fi

d=$W/nul; mkdir -p "$d"
printf 'ad\000min:1001:aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c:::\n' >"$d/sam.txt"
audit "$d" --hibp off sam.txt
if python3 - "$d/out" <<'PY'
import sys, pathlib, zipfile
bad = [p.name for p in pathlib.Path(sys.argv[1]).glob("evidence.*") if p.suffix != ".xlsx" and b"\0" in p.read_bytes()]
x = pathlib.Path(sys.argv[1], "evidence.xlsx")
if x.exists():
    z = zipfile.ZipFile(x)
    bad += [n for n in z.namelist() if b"\0" in z.read(n)]
sys.exit(1 if bad else 0)
PY
then held "NUL byte in an account name" "no raw NUL in any report"
else broke "NUL byte in an account name" "raw NUL written (rc $(cat "$d/rc"))"; fi

d=$W/fifo; mkdir -p "$d"; mkfifo "$d/sam.txt"
t0=$(date +%s); LIMIT=10 audit "$d" --hibp off sam.txt; t=$(( $(date +%s) - t0 ))
if [ "$(cat "$d/rc")" = 2 ] && [ ! -e "$d/out" ]; then held "FIFO as input" "exit 2 in ${t} s: $(head -1 "$d/err" | cut -c1-110)"
else broke "FIFO as input" "rc $(cat "$d/rc") after ${t} s"; fi

d=$W/outfile; mkdir -p "$d"; cp "$W/halfway/sam.txt" "$d/"
(cd "$d" && echo keep >report && timeout 10 "$K" audit -q --hibp off --out report sam.txt 2>err; echo $? >rc)
if [ "$(cat "$d/rc")" = 2 ] && [ "$(cat "$d/report")" = keep ]; then held "--out names a file" "exit 2 before the audit: $(head -c 100 "$d/err")"
else broke "--out names a file" "rc $(cat "$d/rc")"; fi

d=$W/mostly-bad; mkdir -p "$d"
{ for i in 1 2 3; do echo "garbage line $i"; done
  echo 'alice:1001:aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c:::'; } >"$d/sam.txt"
audit "$d" --hibp off sam.txt
n=$(py "$d" "len(d['accounts'])" 2>/dev/null); e=$(py "$d" "len(d['input_errors'])" 2>/dev/null)
if [ "$n" = 1 ] && [ "$e" = 3 ]; then held "3 of 4 lines malformed" "1 account audited, 3 input errors with file:line"
else broke "3 of 4 lines malformed" "accounts ${n:-?}, input errors ${e:-?}"; fi

d=$W/quoted; mkdir -p "$d"
printf 'PASS_MAX_DAYS\t"45"\nPASS_MIN_DAYS 1\n' >"$d/login.defs"; cp "$W/halfway/sam.txt" "$d/"
audit "$d" --hibp off login.defs:login.defs
v=$(py "$d" "[p['effective'].get('max_age_days') for p in d['policies']]" 2>/dev/null)
if echo "$v" | grep -q 45 && [ "$(py "$d" "len(d['input_errors'])")" = 0 ]; then held 'PASS_MAX_DAYS "45"' "max_age_days $v"
else broke 'PASS_MAX_DAYS "45"' "max_age_days $v, errors $(py "$d" "d['input_errors']" 2>/dev/null)"; fi

d=$W/empty; mkdir -p "$d"; : >"$d/sam.txt"
audit "$d" --hibp off pwdump:sam.txt
a8=$(py "$d" "[i['answer'] for i in d['items'] if i['item']=='2-8']" 2>/dev/null)
if ! echo "$a8" | grep -q "'no'"; then held "empty input" "2-⑧ answer $a8"
else broke "empty input" "2-⑧ answered $a8"; fi

d=$W/ldif-plain; mkdir -p "$d"
printf 'dn: uid=dave,ou=people,dc=koro\nuid: dave\nuserPassword: Xk3!vL9#qTz2wRp\n\n' >"$d/u.ldif"
audit "$d" --hibp off ldif:u.ldif
c=$(py "$d" "sorted({f['code'] for a in d['accounts'] for f in a['findings']})" 2>/dev/null)
if echo "$c" | grep -q PLAINTEXT_STORED; then held "cleartext userPassword in LDIF" "codes $c"
else broke "cleartext userPassword in LDIF" "codes $c"; fi

echo "hostile: $(( $(date +%s) - start )) s in all; $([ $broken = 0 ] && echo 'every case held' || echo 'SOME CASES BROKE')"
exit $broken
