#!/usr/bin/env bash
# Builds the MPI binding with warnings as errors and runs its checks as separate launches, each
# under `timeout` (a collective that does not match waits forever):
#   1. curvature-mpi-check at -np 1, 2 and 3 (3 oversubscribes a 2-core machine);
#   2. a rank that kills itself mid-solve: the job must end, non-zero, well inside its timeout,
#      with the launcher naming the rank;
#   3. the example executable's replicated L-BFGS solve and mini-batch Hessian-free training at
#      -np 2 (ranks agree bit for bit);
#   4. the DocC warnings check of the CurvatureMPI module.
# Transports: shared memory and self only. Usage: scripts/run-tests.sh (needs mpirun and mpi.h).
set -uo pipefail
cd "$(dirname "$0")/.."
if ! command -v mpirun >/dev/null 2>&1; then
  echo "mpirun not found: install an MPI (Debian: libopenmpi-dev openmpi-bin)" >&2
  exit 1
fi
# Open MPI refuses to run as root without these (CI runs as root); MPICH ignores them.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
if mpirun --version 2>/dev/null | grep -q "Open MPI) 4"; then
  export OMPI_MCA_btl=self,vader
elif mpirun --version 2>/dev/null | grep -q "Open MPI"; then
  export OMPI_MCA_btl=self,sm
fi
swift build -Xswiftc -warnings-as-errors || exit 1
bin=$(swift build --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
record() {  # record NAME STATUS(0 = pass) [DETAIL]
  if [ "$2" = 0 ]; then
    passed=$((passed + 1)); echo "PASS: $1"
  else
    failed=$((failed + 1)); echo "FAIL: $1 ${3:-}"
  fi
}

for np in 1 2 3; do
  timeout 300 mpirun -np "$np" "$bin/curvature-mpi-check" >"$work/check$np" 2>&1
  status=$?
  cat "$work/check$np"
  record "curvature-mpi-check at -np $np" "$status" "(exit status $status)"
done

start=$(date +%s)
timeout 60 mpirun -np 2 "$bin/curvature-mpi-check" --die-rank 1 >"$work/die" 2>&1
status=$?
elapsed=$(($(date +%s) - start))
cat "$work/die"
if [ "$status" = 124 ]; then
  record "a dead rank ends the job" 1 "(hung until the 60 s timeout)"
elif [ "$status" = 0 ]; then
  record "a dead rank ends the job" 1 "(the job exited 0)"
elif ! grep -q "rank 1" "$work/die"; then
  record "a dead rank ends the job" 1 "(no message names rank 1)"
else
  record "a dead rank ends the job (exit status $status after ${elapsed} s)" 0
fi

example() {  # example NAME ARGUMENTS...: the example executable at -np 2, ranks agreeing
  local name=$1
  shift
  timeout 120 mpirun -np 2 "$bin/curvature-mpi" "$@" >"$work/$name" 2>&1
  local status=$?
  cat "$work/$name"
  if [ "$status" = 0 ] && grep -q "ranks agree bit for bit: yes" "$work/$name"; then
    record "curvature-mpi $name at -np 2" 0
  else
    record "curvature-mpi $name at -np 2" 1 "(exit status $status)"
  fi
}
example solve solve --samples 20000 --features 20
example train train --optimizer hf --passes 5

../../scripts/check-docs.sh Integrations/CurvatureMPI CurvatureMPI
record "CurvatureMPI documentation without DocC warnings" $?

echo "MPI checks: $passed passed, $failed failed"
[ "$failed" = 0 ]
