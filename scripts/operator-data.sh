#!/usr/bin/env bash
# Generates the operator's training data: two polar-mode datasets (docs/operator.md, models/README.md).
#   core  data/operator/core.json  attached-flow envelope users live in (alpha -6..14, Re 1.5e5..7e6, M <= 0.35, free transition)
#   full  data/operator/full.json  the whole default envelope (alpha -6..16, Re 5e4..1e7, M <= 0.5, 20 % tripped)
# Each is split into jobs of 6,000 cases (500 polars of 12 points); jobs run PARALLEL at a time, one
# worker each, interleaved core/full so that a partial run holds both; every job is resumable.
# Usage: scripts/operator-data.sh OUTDIR [PARALLEL] [JOBS_CORE] [JOBS_FULL]
#   OUTDIR/core and OUTDIR/full receive the shards; merge with `foilopt dataset merge`.
set -euo pipefail
out=${1:?usage: scripts/operator-data.sh OUTDIR [PARALLEL] [JOBS_CORE] [JOBS_FULL]}
par=${2:-2}
jc=${3:-24}
jf=${4:-16}
root=$(cd "$(dirname "$0")/.." && pwd)
foilopt="node $root/bin/foilopt.js"
jobs=()
ic=0; if_=0
while [ $ic -lt $jc ] || [ $if_ -lt $jf ]; do
  for _ in 1 2 3; do [ $ic -lt $jc ] && { jobs+=("core $ic $jc"); ic=$((ic+1)); }; done
  for _ in 1 2; do [ $if_ -lt $jf ] && { jobs+=("full $if_ $jf"); if_=$((if_+1)); }; done
done
run_job() {
  set -- $1
  local kind=$1 i=$2 j=$3 n seed
  if [ "$kind" = core ]; then n=$((j * 6000)); seed=101; else n=$((j * 6000)); seed=202; fi
  $foilopt dataset --n "$n" --seed "$seed" --config "$root/data/operator/$kind.json" \
    --out "$out/$kind" --shard "$i/$j" --workers 1 --resume --json > "$out/logs/$kind-$i.json" 2> "$out/logs/$kind-$i.err" \
    && echo "$(date -u +%H:%M:%S) done $kind $i/$j" || echo "$(date -u +%H:%M:%S) FAILED $kind $i/$j"
}
export -f run_job
export out root foilopt
mkdir -p "$out/logs"
printf '%s\n' "${jobs[@]}" | xargs -P "$par" -I{} bash -c 'run_job "{}"'
