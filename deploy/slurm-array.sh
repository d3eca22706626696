#!/usr/bin/env bash
# foilopt dataset generation on Slurm: one array task per job, each computing its block of shards
# with `foilopt dataset --shard auto` (index = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN, count =
# SLURM_ARRAY_TASK_COUNT; use a contiguous --array=0-(JOBS-1) range). Tasks write into one shared
# directory and always pass --resume, so a requeued or resubmitted task continues from its last
# checkpointed chunk. See docs/dataset.md.
#
#   deploy/slurm-array.sh submit          submits the array (JOBS tasks) and a merge job that runs
#                                         when every task has succeeded (afterok dependency)
#   sbatch --array=0-15 deploy/slurm-array.sh   the array alone (then: deploy/slurm-array.sh merge)
#
# Settings (environment, with defaults):
#   DATASET_N=1000000  DATASET_SEED=1  DATASET_OUT=$PWD/dataset  DATASET_CONFIG=  (a config JSON)
#   JOBS=16            FOILOPT=foilopt (the command, e.g. "npx foilopt" or "node /path/bin/foilopt.js")
#   DATASET_EXTRA_ARGS=  (more arguments for `foilopt dataset`)
#
#SBATCH --job-name=foilopt-dataset
#SBATCH --cpus-per-task=8
#SBATCH --mem=4G
#SBATCH --time=24:00:00
#SBATCH --requeue
#SBATCH --output=foilopt-dataset-%A_%a.log
set -euo pipefail

DATASET_N=${DATASET_N:-1000000}
DATASET_SEED=${DATASET_SEED:-1}
DATASET_OUT=${DATASET_OUT:-$PWD/dataset}
DATASET_CONFIG=${DATASET_CONFIG:-}
JOBS=${JOBS:-16}
FOILOPT=${FOILOPT:-foilopt}
export DATASET_N DATASET_SEED DATASET_OUT DATASET_CONFIG JOBS FOILOPT

config_args=()
if [[ -n "$DATASET_CONFIG" ]]; then config_args=(--config "$DATASET_CONFIG"); fi
read -r -a extra_args <<<"${DATASET_EXTRA_ARGS:-}"

case "${1:-run}" in
  submit)
    # the array, then the merge once all tasks succeeded
    array_id=$(sbatch --parsable --array="0-$((JOBS - 1))" --export=ALL "$0" run)
    merge_id=$(sbatch --parsable --dependency="afterok:${array_id}" --job-name=foilopt-dataset-merge \
      --cpus-per-task=1 --time=02:00:00 --output=foilopt-dataset-merge-%j.log --export=ALL "$0" merge)
    echo "submitted array job ${array_id} (${JOBS} tasks) and merge job ${merge_id}"
    ;;
  merge)
    # shellcheck disable=SC2086
    $FOILOPT dataset merge "$DATASET_OUT" --out "$DATASET_OUT"
    $FOILOPT dataset info "$DATASET_OUT"
    ;;
  run)
    if [[ -z "${SLURM_ARRAY_TASK_ID:-}" ]]; then
      echo "slurm-array.sh: not running as an array task (submit with: $0 submit, or sbatch --array=0-$((JOBS - 1)) $0)" >&2
      exit 2
    fi
    # shellcheck disable=SC2086
    exec $FOILOPT dataset --n "$DATASET_N" --seed "$DATASET_SEED" --out "$DATASET_OUT" \
      --shard auto --resume --workers "${SLURM_CPUS_PER_TASK:-1}" \
      ${config_args[@]+"${config_args[@]}"} ${extra_args[@]+"${extra_args[@]}"}
    ;;
  *)
    echo "usage: $0 [submit | run | merge]" >&2
    exit 2
    ;;
esac
