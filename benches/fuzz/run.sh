#!/usr/bin/env bash
# Fuzz campaign over every parser (issue 10, point 7); the counts go to BENCHMARKS.md.
#
#   benches/fuzz/run.sh                         # from the repository root: 1e6 executions per target
#   EXECS=1e5 SEED=7 benches/fuzz/run.sh        # shorter, or another seed
#   benches/fuzz/run.sh --target ldif           # extra arguments go to the harness
#
# Builds the bench target `fuzz` (benches/fuzz/main.rs, release profile) and runs it under
# `nice -n 10` (the machine is shared). Every target gets EXECS executions (the index build a
# tenth: each build writes an 8 MiB table); the harness prints, per target, the executions,
# seconds, executions per second, corpus size and distinct behaviours, then every finding with
# its shrunk input as hex (also written to target/fuzz/). Exit 1 on a new finding, 0 otherwise.
# The table is also written to target/fuzz/results.txt with the machine and the command.
set -euo pipefail
cd "$(dirname "$0")/../.."

EXECS=${EXECS:-1e6}
SEED=${SEED:-1}
mkdir -p target/fuzz
{
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "# nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "# nice -n 10 cargo bench --bench fuzz -- --execs $EXECS --seed $SEED $*"
} | tee target/fuzz/results.txt
nice -n 10 cargo bench --bench fuzz -- --execs "$EXECS" --seed "$SEED" "$@" 2>&1 |
    tee -a target/fuzz/results.txt
exit "${PIPESTATUS[0]}"
