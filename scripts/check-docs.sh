#!/usr/bin/env bash
# Builds the DocC documentation of the library targets with the toolchain's `docc` (no plugin
# needed) and fails when DocC reports a warning. Usage: scripts/check-docs.sh [DIR MODULE...]
# checks this package's library modules, or the given modules of the package in DIR (the nested
# MPI package: scripts/check-docs.sh Integrations/CurvatureMPI CurvatureMPI).
set -euo pipefail
cd "$(dirname "$0")/.."
modules=(Curvature CurvatureAutodiff CurvatureProblems)
if [ $# -gt 0 ]; then
  cd "$1"
  shift
  modules=("$@")
fi
if ! command -v docc >/dev/null 2>&1; then
  echo "docc not found in the toolchain; skipping the documentation check"
  exit 0
fi
# `dump-symbol-graph` builds with every package trait enabled (Swift 6.3), so the SystemLAPACK
# trait's headers must be present: install them when possible, otherwise say what is missing.
cblas=$(find /usr/include -maxdepth 2 -name cblas.h -print -quit 2>/dev/null || true)
if [ $# -eq 0 ] && { [ ! -e /usr/include/lapacke.h ] || [ -z "$cblas" ]; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenblas-dev liblapacke-dev >/dev/null
  else
    echo "the docs check builds every trait: install libopenblas-dev and liblapacke-dev first" >&2
    exit 1
  fi
fi
swift package dump-symbol-graph >/dev/null
graphs=$(find .build -type d -name symbolgraph | head -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for module in "${modules[@]}"; do
  mkdir -p "$work/$module/graphs"
  cp "$graphs/$module".symbols.json "$work/$module/graphs/"
  cp "$graphs/$module"@*.symbols.json "$work/$module/graphs/" 2>/dev/null || true
  catalog="Sources/$module/$module.docc"
  args=()
  [ -d "$catalog" ] && args+=("$catalog")
  docc convert "${args[@]}" --additional-symbol-graph-dir "$work/$module/graphs" \
    --fallback-display-name "$module" --fallback-bundle-identifier "org.curvature.$module" \
    --output-path "$work/$module/out" --analyze >"$work/$module/log" 2>&1 || status=1
  warnings=$(grep -c "warning:" "$work/$module/log" || true)
  echo "$module: $warnings DocC warnings"
  if [ "$warnings" != "0" ]; then
    grep -A3 "warning:" "$work/$module/log" | grep -E "warning:|-->" | head -n 80
    status=1
  fi
done
exit $status
