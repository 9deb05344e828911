#!/usr/bin/env bash
# The agent's throughput benchmark (not a test): N loopback targets probed by the packaged agent,
# then the bare reference loop at the same rate, both measured in this one run.
#   probe/bench/run.sh [targets=10000] [interval_ms=1000] [warmup_s=15] [measure_s=30] [scrape_s=30]
# Prints probes/s, CPU seconds per 1,000 probes, p50/p99 schedule lateness, skipped runs, RSS,
# the scrapes taken meanwhile (a full /metrics every scrape_s, as the chart has Prometheus do) and the
# agent/reference CPU ratio. Traffic stays on 127.1.0.0/16 (loopback). PXC_PROBE_JAVA_OPTS goes
# to both the agent and the reference; PXC_PROBE_BENCH_KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
targets=${1:-10000}; interval=${2:-1000}; warmup=${3:-15}; measure=${4:-30}; scrape=${5:-30}
if [ ! -x probe/target/pxc-probe/bin/pxc-probe ] || [ ! -d probe/target/test-classes/io/pxcprobe/bench ]; then
  mvn -B -q -pl probe -am package -DskipTests -Dmaven.test.skip.exec=true >/dev/null
fi
mvn -B -q -pl probe -am test-compile >/dev/null
dist=probe/target/pxc-probe
exec env PXC_PROBE_MAIN_CLASS=io.pxcprobe.bench.ProbeBench PXC_PROBE_EXTRA_CLASSPATH="$PWD/probe/target/test-classes" \
  "$dist/bin/pxc-probe" "$PWD/$dist" "$targets" "$interval" "$warmup" "$measure" "$PWD/probe/target/test-classes" "$scrape"
