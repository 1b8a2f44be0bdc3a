#!/usr/bin/env bash
# Run an OutlierAtlas study as a Slurm job array, then merge, render and check.
#
#   examples/slurm-array.sh [STUDY] [SHARDS]      # submits the array and a dependent merge job
#
# Each array task i runs `build --shard i/N` into shards/shard-i, seeded with the unit cache of
# the last merged run (results/.cache), so unchanged units are not recomputed. The merge job
# combines the shards into results/ (equal to an unsharded run), renders site/ and compares
# with the previous results kept in baseline/ (`check` exits 1 on a regression).
# One huge model can instead split its windows: `analyze --shard i/N` per task, then `merge`.
set -euo pipefail

STUDY=${1:-atlas.yaml}
SHARDS=${2:-8}
ATLAS=${ATLAS:-.build/release/outlier-atlas}
RUN_ID=${RUN_ID:-$(date -u +%Y-%m-%dT%H%M)}

case "${ATLAS_STAGE:-submit}" in
submit)
    array=$(sbatch --parsable --job-name=atlas --array=0-$((SHARDS - 1)) --cpus-per-task=4 --time=04:00:00 \
        --export=ALL,ATLAS_STAGE=shard,RUN_ID="$RUN_ID" "$0" "$STUDY" "$SHARDS")
    sbatch --job-name=atlas-merge --dependency=afterok:"$array" --cpus-per-task=1 --time=00:30:00 \
        --export=ALL,ATLAS_STAGE=merge,RUN_ID="$RUN_ID" "$0" "$STUDY" "$SHARDS"
    ;;
shard)
    i=$SLURM_ARRAY_TASK_ID
    out=shards/shard-$i
    rm -rf "$out" && mkdir -p "$out"
    if [ -d results/.cache ]; then cp -r results/.cache "$out/.cache"; fi
    "$ATLAS" build "$STUDY" --shard "$i/$SHARDS" --results "$out" --threads "${SLURM_CPUS_PER_TASK:-1}" \
        --run-id "$RUN_ID" --no-site --json
    ;;
merge)
    rm -rf baseline
    if [ -d results ]; then cp -r results baseline; fi
    "$ATLAS" merge shards/shard-* --out results --json
    "$ATLAS" render results --out site
    if [ -d baseline ]; then "$ATLAS" check --baseline baseline --current results --study "$STUDY"; fi
    ;;
esac
