#!/usr/bin/env bash
# Footprint of pxc-probe with Kubernetes discovery on: RSS and time from launch to the first probe,
# against fabric8's mock API server holding 3 clusters x 3 PXC pods on loopback addresses.
#
#   probe/bench/footprint/footprint.sh [--mode agent|discovery] [--seconds N] [--runs N]
#                                      [--drop JAR-GLOB ...] [--java-opts "..."]
#
#   --mode agent      the distribution as shipped (bin/pxc-probe); first probe = first
#                     pxc_probe_tcp_probes_total sample on /metrics (default)
#   --mode discovery  the same launcher, runtime, flags and lib/, but a main that runs only
#                     KubernetesDiscovery and one TCP connect: the fabric8 client's share
#   --drop GLOB       remove jars matching GLOB from lib/ first (e.g. 'kubernetes-model-apps-*'),
#                     to measure a dependency exclusion before putting it in the pom
#   --seconds N       RSS is sampled N seconds after launch (default 60)
#   --aot             first a training run that writes a JDK 25 AOT cache (-XX:AOTCacheOutput),
#                     then the measured runs use it (-XX:AOTCache): what a cache built at
#                     package time would give
#
# Needs: mvn -pl probe -am package -DskipTests (builds the distribution and the test classes: the mock API server and
# the discovery-only main are test classes). Everything listens on 127.0.0.1; every process started
# here is ended by PID on exit.
set -euo pipefail
# as in a pod, where the launcher's PXC_PROBE_AOT=auto uses the AOT cache (bin/pxc-probe)
export PXC_PROBE_AOT=${PXC_PROBE_AOT:-on}

mode=agent seconds=60 runs=3 java_opts="" drops=() aot=false
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) mode=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --drop) drops+=("$2"); shift 2 ;;
    --java-opts) java_opts=$2; shift 2 ;;
    --aot) aot=true; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/../../.." && pwd)
dist=$root/probe/target/pxc-probe
tests=$root/probe/target/test-classes
[ -x "$dist/bin/pxc-probe" ] || { echo "no distribution: run mvn -pl probe -am package -DskipTests" >&2; exit 2; }
[ -f "$tests/io/pxcprobe/discovery/kubernetes/FootprintMockApi.class" ] || { echo "no test classes: run mvn -pl probe -am package -DskipTests" >&2; exit 2; }
jdk=$(ls -d /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*-2[5-9]-* 2>/dev/null | head -1)
[ -n "$jdk" ] || jdk=${JAVA_HOME:?no JDK 25 found: set JAVA_HOME}

work=$(mktemp -d /tmp/pxc-probe-footprint.XXXXXX)
mock_pid="" probe_pid=""
cleanup() {
  [ -n "$probe_pid" ] && kill "$probe_pid" 2>/dev/null || true
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true
  exec 3>&- 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT  # so that a kill still runs cleanup (bash skips the EXIT trap on a fatal signal)

cp_file=$work/test-classpath
(cd "$root" && mvn -B -q -pl probe -am compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null)

# the mock API server, in its own JVM so that it costs the measured process nothing
mkfifo "$work/mock.in"
"$jdk/bin/java" -Xmx256m -cp "$tests:$root/probe/target/classes:$(cat "$cp_file")" \
  io.pxcprobe.discovery.kubernetes.FootprintMockApi "$work" 3 3 $(( (seconds + 30) * runs + 120 )) \
  <"$work/mock.in" >"$work/mock.out" 2>"$work/mock.err" &
mock_pid=$!
exec 3>"$work/mock.in"
for _ in $(seq 1 300); do grep -q READY "$work/mock.out" 2>/dev/null && break; sleep 0.1; done
grep -q READY "$work/mock.out" || { echo "mock API server did not start:" >&2; tail -20 "$work/mock.err" >&2; exit 1; }
kubeconfig=$work/kubeconfig

# a copy of the distribution whose lib/ can lose jars; the runtime image is shared
mkdir -p "$work/dist/bin"
ln -s "$dist/runtime" "$work/dist/runtime"
cp -a "$dist/lib" "$work/dist/lib"
for g in "${drops[@]}"; do rm -f "$work/dist/lib/"$g; done
if [ "$mode" = discovery ]; then
  # a jar, not the directory: an AOT cache accepts only jars on the class path
  (cd "$tests" && "$jdk/bin/jar" cf "$work/dist/lib/footprint-main.jar" io/pxcprobe/discovery/kubernetes/FootprintDiscoveryOnly*.class \
      io/pxcprobe/discovery/kubernetes/PxcPods.class)
  sed -e "s#io.pxcprobe.Main#io.pxcprobe.discovery.kubernetes.FootprintDiscoveryOnly#" \
      "$dist/bin/pxc-probe" >"$work/dist/bin/pxc-probe"
else
  cp "$dist/bin/pxc-probe" "$work/dist/bin/pxc-probe"
fi
chmod +x "$work/dist/bin/pxc-probe"

now_ms() { date +%s%3N; }

launch() { # $1: extra JVM options; $2: seconds a discovery-only run stays up
  if [ "$mode" = discovery ]; then
    PXC_PROBE_JAVA_OPTS="$java_opts $1" "$work/dist/bin/pxc-probe" "$kubeconfig" "$2" >"$work/probe.out" 2>"$work/probe.err" &
  else
    PXC_PROBE_JAVA_OPTS="$java_opts $1" "$work/dist/bin/pxc-probe" --config "$work/agent.yaml" >"$work/probe.out" 2>"$work/probe.err" &
  fi
  probe_pid=$!
}

port=$((20000 + RANDOM % 20000))
cat >"$work/agent.yaml" <<YAML
node: footprint
http:
  bind: 127.0.0.1
  port: $port
discovery:
  kubernetes:
    enabled: true
    kubeconfig: $kubeconfig
YAML

aot_opts=""
if [ "$aot" = true ]; then
  launch "-XX:AOTCacheOutput=$work/app.aot" 5
  # the cache is written when the JVM exits: the discovery-only main exits by itself, the agent on SIGTERM
  [ "$mode" = agent ] && { sleep 10; kill "$probe_pid" 2>/dev/null || true; }
  for _ in $(seq 1 120); do kill -0 "$probe_pid" 2>/dev/null || break; sleep 0.5; done
  kill "$probe_pid" 2>/dev/null || true; wait "$probe_pid" 2>/dev/null || true; probe_pid=""
  [ -f "$work/app.aot" ] || { echo "no AOT cache written" >&2; cat "$work/probe.err" "$work/probe.out" | tail -n 8 >&2; exit 1; }
  aot_opts="-XX:AOTCache=$work/app.aot"
fi

echo "| run | mode | first probe (ms) | RSS at ${seconds} s (MiB) | peak RSS (MiB) | classes | dropped |"
echo "|---|---|---|---|---|---|---|"
for run in $(seq 1 "$runs"); do
  start=$(now_ms)
  launch "$aot_opts" "$seconds"
  first="" classes="-"
  deadline=$(( start + 30000 ))
  while [ -z "$first" ] && [ "$(now_ms)" -lt "$deadline" ] && kill -0 "$probe_pid" 2>/dev/null; do
    if [ "$mode" = discovery ]; then
      grep -q first_probe_ms "$work/probe.out" && first=$(( $(now_ms) - start ))
    elif curl -fs "http://127.0.0.1:$port/metrics" 2>/dev/null | grep -c '^pxc_probe_tcp_probes_total{' >/dev/null; then
      # grep -c reads to the end: grep -q would stop early, and under pipefail curl's broken pipe fails the test
      first=$(( $(now_ms) - start ))
    fi
    [ -z "$first" ] && sleep 0.02
  done
  if [ -z "$first" ]; then
    echo "run $run: no first probe within 30 s" >&2; cat "$work/probe.err" "$work/probe.out" | tail -n 20 >&2
    kill "$probe_pid" 2>/dev/null || true; wait "$probe_pid" 2>/dev/null || true; probe_pid=""
    exit 1
  fi
  [ "$mode" = discovery ] && classes=$(sed -n 's/.*classes=\([0-9]*\).*/\1/p' "$work/probe.out" | head -1)
  sleep_until=$(( start + seconds * 1000 ))
  while [ "$(now_ms)" -lt "$sleep_until" ] && kill -0 "$probe_pid" 2>/dev/null; do sleep 0.5; done
  rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$probe_pid/status" 2>/dev/null || echo "-")
  hwm=$(awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$probe_pid/status" 2>/dev/null || echo "-")
  kill "$probe_pid" 2>/dev/null || true; wait "$probe_pid" 2>/dev/null || true; probe_pid=""
  echo "| $run | $mode$([ "$aot" = true ] && echo ", AOT cache") | $first | $rss | $hwm | $classes | ${drops[*]:-none} |"
done
