#!/usr/bin/env bash
# The probe budget's fan-in (not a test): N simulated agents' schedules, built by the agent's own
# planning code (ProbePlan, FanIn, Phases; no JVM per agent), against T PXC pods x 3 ports, started
# over a rolling minute. Prints, per case, the interval in force and the probes a second that reach
# one pod's port (mean, worst second, worst interval-long window), beside the same agents without a
# budget, computed in the same run.
#   probe/bench/fanin/run.sh [agents=200,1000] [pods=30] [budget=20] [minutes=10]
set -euo pipefail
cd "$(dirname "$0")/../../.."
agents=${1:-200,1000}; pods=${2:-30}; budget=${3:-20}; minutes=${4:-10}
if [ ! -x probe/target/pxc-probe/bin/pxc-probe ]; then
  mvn -B -q -pl probe -am package -DskipTests -Dmaven.test.skip.exec=true >/dev/null
fi
mvn -B -q -pl probe -am test-compile >/dev/null
dist=probe/target/pxc-probe
exec env PXC_PROBE_MAIN_CLASS=io.pxcprobe.bench.FanInBench PXC_PROBE_EXTRA_CLASSPATH="$PWD/probe/target/test-classes" \
  "$dist/bin/pxc-probe" "$agents" "$pods" "$budget" "$minutes"
