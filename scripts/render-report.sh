#!/usr/bin/env bash
# Renders a kensa evidence.html in a real headless browser (Debian's chromium), to check how it
# looks and prints, and to make the report sample for the README.
#
# Usage:
#   scripts/render-report.sh EVIDENCE.html OUT.png [OUT.pdf]
#
#   EVIDENCE.html  the report to render (e.g. out/evidence.html)
#   OUT.png        screenshot of the first screen, 1240x1754 pixels (A4 portrait at 150 dpi);
#                  set WINDOW=WIDTHxHEIGHT to change the size (e.g. WINDOW=1240x1400)
#   OUT.pdf        optional: the whole report printed to PDF with the report's own @page rules (A4)
#
# Installs chromium and fonts-noto-cjk with apt-get when missing (needs root). Chromium runs with
# a throw-away profile, no network services and no sandbox (root in a container has none).
# Environment: CHROMIUM=/path/to/chromium to use another binary.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
html=$1
png=$2
pdf=${3:-}
window=${WINDOW:-1240x1754}
[ -f "$html" ] || { echo "render-report: no such file: $html" >&2; exit 1; }
case "$window" in
    [0-9]*x[0-9]*) ;;
    *) echo "render-report: WINDOW must be WIDTHxHEIGHT, got $window" >&2; exit 2 ;;
esac

need=()
chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
    chromium=$(command -v chromium || command -v chromium-browser || true)
    [ -n "$chromium" ] || need+=(chromium)
fi
if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    need+=(fonts-noto-cjk)
fi
if [ ${#need[@]} -gt 0 ]; then
    echo "render-report: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
    chromium=${CHROMIUM:-$(command -v chromium)}
fi

abs() { (cd "$(dirname "$1")" && printf '%s/%s' "$(pwd)" "$(basename "$1")"); }
url="file://$(abs "$html")"
png=$(abs "$png")
[ -n "$pdf" ] && pdf=$(abs "$pdf")

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
run() {
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-dev-shm-usage --hide-scrollbars --force-device-scale-factor=1 \
        --user-data-dir="$profile" "$@" "$url" 2>"$profile/chromium.log" || {
        echo "render-report: chromium failed:" >&2
        tail -20 "$profile/chromium.log" >&2
        return 1
    }
}

run --screenshot="$png" --window-size="${window/x/,}"
[ -s "$png" ] || { echo "render-report: no screenshot written" >&2; exit 1; }
echo "$png"
if [ -n "$pdf" ]; then
    run --print-to-pdf="$pdf" --no-pdf-header-footer
    [ -s "$pdf" ] || { echo "render-report: no PDF written" >&2; exit 1; }
    echo "$pdf"
fi
