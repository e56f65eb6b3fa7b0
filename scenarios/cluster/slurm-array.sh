#!/bin/bash
# scenarios/cluster/slurm-array.sh: the shipped sweep as a Slurm job array, task K of N
# running shard K/N into shards/K. Submit it from the folder that holds scenarios/ (a job
# runs where it was submitted); arguments after the script go to `jeugdflow sweep`, and
# sbatch options override the lines below (N is the array's size, at most the sweep's
# number of scenarios, 8 here).
#SBATCH --job-name=jeugdflow-sweep
#SBATCH --array=1-8
#SBATCH --cpus-per-task=4
#SBATCH --time=01:00:00
set -euo pipefail
jeugdflow sweep scenarios/sweeps/capacity-x-hiring.toml \
  --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" \
  --threads "${SLURM_CPUS_PER_TASK:-1}" --out "shards/${SLURM_ARRAY_TASK_ID}" --quiet "$@"
