#!/usr/bin/env bash
# tests/slurm/run.sh [JEUGDFLOW_BINARY]   (default: target/release/jeugdflow)
#
# The README's Slurm job-array recipe, end to end, on a real single-node Slurm: starts munged,
# slurmctld and slurmd (Debian's munge and slurm-wlm, installed with apt-get when missing and
# this is root), bound to 127.0.0.1 on free ports, with every config, key, state, spool and
# log file in a temporary folder and a fresh munge key. Submits
# scenarios/cluster/slurm-array.sh, the very file the README shows, as a 4-task array of the
# shipped capacity-x-hiring sweep at 3 replications, and the merge as a job that depends on it,
# as the README does; compares the merged folder, byte for byte and recursively, with
# `jeugdflow sweep` of the same file on this machine; then deletes a shard and resubmits with
# `--resume` (the README's answer to a failed task) and compares again. Only the manifests'
# wall time and thread count may differ. Every daemon and job it started is stopped and the
# temporary folder removed on exit, also on failure or Ctrl-C.
#
# If Slurm cannot run here it prints `SKIPPED: <reason>` and exits 0, or exits 1 when
# JEUGDFLOW_REQUIRE_SLURM=1. Any other failure exits 1.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
export PATH="$PATH:/usr/sbin:/sbin" # the daemons live in sbin
shards=4
reps=3
script=scenarios/cluster/slurm-array.sh
sweep=scenarios/sweeps/capacity-x-hiring.toml

say() { echo "slurm test: $*"; }
fail() {
    echo "slurm test: FAILED: $*" >&2
    exit 1
}
skip() {
    if [ "${JEUGDFLOW_REQUIRE_SLURM:-0}" = "1" ]; then
        fail "Slurm cannot run here (and JEUGDFLOW_REQUIRE_SLURM=1): $*"
    fi
    echo "SKIPPED: $*"
    exit 0
}

bin="${1:-target/release/jeugdflow}"
[ -x "$bin" ] || fail "no jeugdflow binary at '$bin' (build it with cargo build --release, or pass its path)"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

# The README must show the very script this test submits.
readme_block="$(awk -v want="# $script: " '
    /^```/ { if (inblock) { if (found) { printf "%s", block; exit } inblock = 0; block = "" }
             else { inblock = 1; found = 0 } next }
    inblock { block = block $0 "\n"; if (index($0, want) == 1) found = 1 }
' "$repo/README.md")"
[ -n "$readme_block" ] || fail "README.md shows no block holding $script"
[ "$readme_block" = "$(cat "$repo/$script")" ] \
    || fail "README.md's copy of $script differs from the file: $(diff <(echo "$readme_block") "$repo/$script" || true)"

# --- Slurm and munge installed? ---------------------------------------------------------
needed="munged slurmctld slurmd sbatch squeue scontrol scancel sinfo"
missing() { for c in $needed; do command -v "$c" >/dev/null 2>&1 || echo "$c"; done; }
if [ -n "$(missing)" ]; then
    if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
        skip "$(missing | tr '\n' ' ')not installed, and installing slurm-wlm and munge needs root and apt-get"
    fi
    say "installing slurm-wlm and munge with apt-get"
    apt_log="$(mktemp)"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge \
        || { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge; }; } \
        >"$apt_log" 2>&1; then
        reason="apt-get install slurm-wlm munge failed: $(tail -n 3 "$apt_log" | tr '\n' ' ')"
        rm -f "$apt_log"
        skip "$reason"
    fi
    rm -f "$apt_log"
    [ -z "$(missing)" ] || skip "after installing slurm-wlm and munge, still missing: $(missing | tr '\n' ' ')"
fi
[ "$(id -u)" = "0" ] || skip "slurmd must run as root to start jobs, and this is uid $(id -u)"
say "$(slurmctld -V), $(munged -V 2>&1 | head -n 1)"

# --- a temporary cluster ----------------------------------------------------------------
tmp="$(mktemp -d /tmp/jeugdflow-slurm.XXXXXX)"
chmod 755 "$tmp" # munged wants every directory above its socket searchable by all
pids=()
ctld_pid=""
jobs_submitted=()

cleanup() {
    local rc=$?
    set +e
    cd /
    if [ "${#jobs_submitted[@]}" -gt 0 ] && kill -0 "$ctld_pid" 2>/dev/null; then
        timeout 5 scancel "${jobs_submitted[@]}" >/dev/null 2>&1
        for _ in $(seq 1 50); do
            [ -z "$(timeout 5 squeue -h -j "$(IFS=,; echo "${jobs_submitted[*]}")" 2>/dev/null)" ] && break
            sleep 0.2
        done
    fi
    # the daemons (slurmd, slurmctld, munged: reverse order of start)
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null; done
    for p in "${pids[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null
    done
    # anything left that runs inside our folder (a job's processes, a slurmstepd)
    for d in /proc/[0-9]*; do
        case "$(readlink "$d/cwd" 2>/dev/null)" in "$tmp" | "$tmp"/*) kill -9 "${d#/proc/}" 2>/dev/null ;; esac
    done
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port [TAKEN]: a TCP port nothing uses on this machine (nor TAKEN)
free_port() {
    local p
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 40000))
        [ "$p" != "${1:-}" ] || continue
        if command -v ss >/dev/null 2>&1; then
            [ -z "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ] || continue
        elif (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            continue
        fi
        echo "$p"
        return
    done
    fail "no free TCP port found"
}
ctld_port="$(free_port)"
slurmd_port="$(free_port "$ctld_port")"
node="$(uname -n)"
node="${node%%.*}" # the short host name: slurmctld runs only where SlurmctldHost names
cpus="$(nproc)"

mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/log" "$tmp/bin" "$tmp/work"
chmod 700 "$tmp/state" "$tmp/spool"
head -c 1024 /dev/urandom >"$tmp/munge/munge.key"
chmod 400 "$tmp/munge/munge.key"
export SLURM_CONF="$tmp/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=jeugdflow-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
PlugStackConfig=$tmp/plugstack.conf
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
: >"$tmp/plugstack.conf"

log_tail() { tail -n 5 "$1" 2>/dev/null | tr '\n' ' '; }

munged --foreground --socket="$tmp/munge/munge.socket" --key-file="$tmp/munge/munge.key" \
    --log-file="$tmp/log/munged.log" --pid-file="$tmp/munge/munged.pid" \
    --seed-file="$tmp/munge/munged.seed" >>"$tmp/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do [ -S "$tmp/munge/munge.socket" ] && break; kill -0 "${pids[0]}" 2>/dev/null || break; sleep 0.1; done
[ -S "$tmp/munge/munge.socket" ] || skip "munged did not start: $(log_tail "$tmp/log/munged.out") $(log_tail "$tmp/log/munged.log")"

slurmctld -D -i -f "$SLURM_CONF" >>"$tmp/log/slurmctld.out" 2>&1 &
ctld_pid=$!
pids+=($!)
slurmd -D -N "$node" -f "$SLURM_CONF" >>"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)

# wait for the node to be idle
state=""
for _ in $(seq 1 150); do
    for p in "${pids[@]}"; do
        kill -0 "$p" 2>/dev/null \
            || skip "a Slurm daemon exited at start: slurmctld: $(log_tail "$tmp/log/slurmctld.log") slurmd: $(log_tail "$tmp/log/slurmd.log")"
    done
    state="$(sinfo -h -n "$node" -o %T 2>/dev/null || true)"
    [ "$state" = "idle" ] && break
    sleep 0.2
done
[ "$state" = "idle" ] \
    || skip "the node is '${state:-unknown}' 30 s after start: slurmctld: $(log_tail "$tmp/log/slurmctld.log") slurmd: $(log_tail "$tmp/log/slurmd.log")"
say "Slurm up on 127.0.0.1 (node $node, $cpus CPUs, ports $ctld_port/$slurmd_port) in $SECONDS s"

# --- the recipe -------------------------------------------------------------------------
# The job runs where it was submitted: a copy of the scenarios, with jeugdflow on PATH.
cp -r "$repo/scenarios" "$tmp/work/"
ln -s "$bin" "$tmp/bin/jeugdflow"
export PATH="$tmp/bin:$PATH"
cd "$tmp/work"

# submit_and_wait [ARGS for the script]: the README's two commands, then wait for both jobs
# and check that Slurm ran every task and the merge to completion.
submit_and_wait() {
    array="$(sbatch --parsable --array=1-$shards --cpus-per-task=1 "$script" "$@")"
    array="${array%%;*}"
    jobs_submitted+=("$array")
    merge="$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes \
        --job-name=jeugdflow-merge --wrap 'jeugdflow merge shards/* --out output/capacity-x-hiring')"
    merge="${merge%%;*}"
    jobs_submitted+=("$merge")
    say "submitted array job $array ($shards tasks of $script $*) and merge job $merge (afterok:$array)"
    # a failed array cancels the merge (--kill-on-invalid-dep), so both leave the queue
    local deadline=$((SECONDS + 300))
    while [ -n "$(squeue -h -j "$array,$merge" 2>/dev/null)" ]; do
        [ "$SECONDS" -lt "$deadline" ] || fail "jobs still queued or running after 300 s: $(squeue -j "$array,$merge")"
        sleep 0.5
    done
    local states merge_state k
    states="$(scontrol -o show job "$array" | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' \n' ' ')"
    if [ "$states" != " $shards JobState=COMPLETED " ]; then
        show_logs
        fail "the array's tasks ended as:$states(want $shards COMPLETED)"
    fi
    merge_state="$(scontrol -o show job "$merge" | grep -o 'JobState=[A-Z_]*')"
    [ "$merge_state" = "JobState=COMPLETED" ] || { show_logs; fail "the merge job ended as $merge_state"; }
    for k in $(seq 1 "$shards"); do
        [ -e "slurm-${array}_$k.out" ] || { show_logs; fail "array task $k left no slurm-${array}_$k.out"; }
    done
    [ -s output/capacity-x-hiring/sweep.csv ] || { show_logs; fail "the merge job wrote no output/capacity-x-hiring/sweep.csv"; }
    say "array and merge completed at $SECONDS s"
}
show_logs() {
    for f in slurm-*.out; do [ -e "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }; done
    echo "--- slurmctld.log"
    tail -n 20 "$tmp/log/slurmctld.log"
}
# same_as_single: output/capacity-x-hiring equals single/capacity-x-hiring, byte for byte,
# recursively, but for the manifests' wall time and thread count (compared on copies)
same_as_single() {
    rm -rf "$tmp/cmp"
    mkdir "$tmp/cmp"
    cp -r single/capacity-x-hiring "$tmp/cmp/single"
    cp -r output/capacity-x-hiring "$tmp/cmp/slurm"
    find "$tmp/cmp" -name manifest.json -exec sed -i -E \
        's/"(wall_seconds|wall_time_s|threads|events_per_second)": [^,}]*/"\1": X/' {} +
    if ! diff -r "$tmp/cmp/single" "$tmp/cmp/slurm" >"$tmp/diff.txt"; then
        head -n 60 "$tmp/diff.txt" >&2
        fail "the merged Slurm sweep differs from the single-machine sweep (above)"
    fi
}

jeugdflow sweep "$sweep" --reps "$reps" --quiet --out single/capacity-x-hiring
files="$(find single/capacity-x-hiring -type f | wc -l)"
[ "$files" -ge 20 ] || fail "the single-machine sweep wrote only $files files"

submit_and_wait --reps "$reps"
for k in $(seq 1 "$shards"); do
    # every shard holds a scenario, run with the job's --cpus-per-task as --threads
    grep -q '"threads": 1,' "shards/$k"/*/manifest.json \
        || fail "shards/$k holds no scenario run with 1 thread"
done
same_as_single
say "the merged folder equals the single-machine sweep ($files files) at $SECONDS s"

# A lost task, recovered as the README says: the array again with --resume.
rm -rf shards/2
touch -d '2000-01-01' shards/1/*/summary.csv
submit_and_wait --reps "$reps" --resume
[ -d shards/2 ] || fail "the resubmitted array did not write shards/2 again"
if [ -n "$(find shards/1 -name summary.csv -newermt '2000-01-02')" ]; then
    fail "--resume ran shard 1's complete scenarios again"
fi
same_as_single
say "PASSED: the README's Slurm recipe ($shards array tasks + merge, and a lost task resumed) equals the single-machine sweep byte for byte, but the manifests' wall time and threads, in $SECONDS s"
