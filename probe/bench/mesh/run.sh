#!/usr/bin/env bash
# /cluster's fan-out benchmark (not a test): one real agent asks N answering agents on loopback
# (127.3.0.0/16) and merges their answers; prints the median and worst time per N, per agent and as
# a ratio to N = 1, beside a direct GET of one agent's /targets measured in the same run.
#   probe/bench/mesh/run.sh [counts=1,10,100,500] [rounds=7] [pods=3]
set -euo pipefail
cd "$(dirname "$0")/../../.."
counts=${1:-1,10,100,500}; rounds=${2:-7}; pods=${3:-3}
if [ ! -x probe/target/pxc-probe/bin/pxc-probe ]; then
  mvn -B -q -pl probe -am package -DskipTests -Dmaven.test.skip.exec=true >/dev/null
fi
mvn -B -q -pl probe -am test-compile >/dev/null
dist=probe/target/pxc-probe
exec env PXC_PROBE_MAIN_CLASS=io.pxcprobe.bench.MeshBench PXC_PROBE_EXTRA_CLASSPATH="$PWD/probe/target/test-classes" \
  "$dist/bin/pxc-probe" "$counts" "$rounds" "$pods"
