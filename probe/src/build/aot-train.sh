#!/usr/bin/env bash
# Builds lib/pxc-probe.aot, the distribution's JDK AOT cache (docs/footprint.md), at package time:
# a short training run of the distribution itself, through its own launcher (so the JVM flags and
# the class path are the ones every later start uses), with static targets on loopback and, when
# the test classes are there, Kubernetes discovery against the mock API server; the JVM writes
# the cache when it exits. The cache is then checked by a start with -XX:AOTMode=on.
#
#   aot-train.sh DIST_DIR [TEST_CLASSES_DIR CLASSES_DIR TEST_DEPENDENCIES_CLASSPATH_FILE]
#
# Fail-safe: whatever goes wrong, it says why, leaves no cache (the launcher then starts without
# one) and exits 0, so that it never fails the build. Everything listens on 127.0.0.1; every
# process it starts is ended by PID; it takes about 10-20 s and is bounded at about 2 minutes.
# AOT_KEEP_WORK=1 keeps its work directory (configuration, logs) for a look afterwards.
set -uo pipefail

dist=${1:?usage: aot-train.sh DIST_DIR [TEST_CLASSES_DIR CLASSES_DIR TEST_DEPENDENCIES_CLASSPATH_FILE]}
test_classes=${2:-}
classes=${3:-}
test_cp_file=${4:-}
aot=$dist/lib/pxc-probe.aot
work=$(mktemp -d "${TMPDIR:-/tmp}/pxc-probe-aot.XXXXXX")
agent_pid="" mock_pid=""

say() { echo "pxc-probe AOT cache: $*"; }

stop_pid() { # SIGTERM, then SIGKILL after $2 s; also ends the JVM's cache-assembling child
  local pid=$1 wait_s=$2 i child
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < wait_s * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do kill -9 "$child" 2>/dev/null; done
    kill -9 "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
}

cleanup() {
  stop_pid "$agent_pid" 1
  [ -n "$mock_pid" ] && { exec 3>&- 2>/dev/null; stop_pid "$mock_pid" 5; }
  [ -n "${AOT_KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

give_up() {
  say "not built: $*"
  for f in "$work"/*.log; do [ -s "$f" ] && { echo "--- last lines of $(basename "$f"):"; tail -n 15 "$f"; }; done
  rm -f "$aot" "$aot.jars" "$aot.config"
  exit 0
}

http_get() { # $1: port, $2: path; prints the response (HTTP/1.0: the agent closes when done)
  timeout 5 bash -c 'exec 9<>"/dev/tcp/127.0.0.1/$0" && printf "GET %s HTTP/1.0\r\nAccept-Encoding: %s\r\n\r\n" "$1" "$2" >&9 && cat <&9' \
    "$1" "$2" "${3:-identity}" 2>/dev/null
}

free_port() { # a TCP port on 127.0.0.1 that nothing listens on right now
  local p i
  for ((i = 0; i < 50; i++)); do
    p=$((20000 + RANDOM % 30000))
    (exec 9<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  return 1
}

[ -x "$dist/bin/pxc-probe" ] && [ -x "$dist/runtime/bin/java" ] || give_up "no distribution at $dist"
rm -f "$aot" "$aot.jars" "$aot.config"

# the mock API server, on the distribution's runtime but in a JVM of its own
kube_yaml=""
if [ -f "$test_classes/io/pxcprobe/discovery/kubernetes/FootprintMockApi.class" ] && [ -s "$test_cp_file" ]; then
  mkfifo "$work/mock.in"
  "$dist/runtime/bin/java" -Xmx128m -cp "$test_classes:$classes:$(cat "$test_cp_file")" \
    io.pxcprobe.discovery.kubernetes.FootprintMockApi "$work" 2 3 90 <"$work/mock.in" >"$work/mock.log" 2>&1 &
  mock_pid=$!
  exec 3>"$work/mock.in"
  for ((i = 0; i < 300; i++)); do
    grep -q READY "$work/mock.log" 2>/dev/null && break
    kill -0 "$mock_pid" 2>/dev/null || break
    sleep 0.1
  done
  if grep -q READY "$work/mock.log" 2>/dev/null; then
    kube_yaml="  kubernetes: {enabled: true, kubeconfig: $work/kubeconfig, watchClusters: true}"
  else
    say "training without Kubernetes discovery: the mock API server did not start"
    tail -n 5 "$work/mock.log"
  fi
else
  say "training without Kubernetes discovery: no test classes (built with -Dmaven.test.skip?)"
fi
[ -n "$kube_yaml" ] || kube_yaml="  kubernetes: {enabled: false}"

port=$(free_port) || give_up "no free port"
closed=$(free_port) || give_up "no free port"
cat >"$work/agent.yaml" <<YAML
node: aot-training
http: {bind: 127.0.0.1, port: $port}
probes:
  tcp:
    interval: 500ms
    timeout: 300ms
    ports:
      gcomm: {port: $port, expect: listening}
      ist: {port: $closed, expect: reachable}
  dns:
    interval: 500ms
    timeout: 300ms
    resolvers: ["127.0.0.1:$closed"]
discovery:
$kube_yaml
  static:
    clusters:
      - namespace: training
        name: t1
        members:
          - {pod: t1-pxc-0, address: 127.0.0.1, dnsName: t1-pxc-0.t1-pxc.training.svc.cluster.local}
YAML

# the class path order the launcher uses; it starts with the cache only while lib/ matches this
(cd "$dist/lib" && LC_ALL=C && for j in *.jar; do printf '%s:' "$j"; done; echo) >"$aot.jars"

started=$(date +%s)
PXC_PROBE_JAVA_OPTS="-XX:AOTCacheOutput=$aot" "$dist/bin/pxc-probe" --config "$work/agent.yaml" >"$work/agent.log" 2>&1 &
agent_pid=$!

# every code path of a normal start: first probes of each kind, discovery in sync, each endpoint
trained=no
for ((i = 0; i < 200; i++)); do
  kill -0 "$agent_pid" 2>/dev/null || give_up "the training run exited early"
  metrics=$(http_get "$port" /metrics)
  if grep -q '^pxc_probe_tcp_probes_total{' <<<"$metrics" && grep -q '^pxc_probe_dns_lookups_total{' <<<"$metrics" \
    && { [[ $kube_yaml == *"enabled: false"* ]] || { grep -q '^pxc_probe_discovery_up{source="kubernetes".* 1' <<<"$metrics" \
         && grep -q '^pxc_probe_tcp_probes_total{cluster="cluster1"' <<<"$metrics"; }; }; then
    trained=yes
    break
  fi
  sleep 0.1
done
[ "$trained" = yes ] || give_up "the training run did not probe within 20 s"
for path in /targets "/targets?format=json" /healthz /readyz "/probe?cluster=t1&pod=t1-pxc-0" /metrics; do
  http_get "$port" "$path" >/dev/null
done
http_get "$port" /metrics gzip >/dev/null

# the JVM writes the cache on exit, assembling it in a child JVM: give it time, but not forever
stop_pid "$agent_pid" 90
agent_pid=""
[ -s "$aot" ] || give_up "the JVM wrote no cache"

check=$(PXC_PROBE_AOT=on PXC_PROBE_JAVA_OPTS="-XX:AOTMode=on -Xlog:class+load=info" timeout 60 "$dist/bin/pxc-probe" --version 2>&1)
if ! grep -q 'io.pxcprobe.Main source: shared objects file' <<<"$check"; then
  echo "$check" | grep -v 'class,load' >"$work/check.log"
  give_up "a start with -XX:AOTMode=on did not use it"
fi
say "$aot ($(( $(stat -c %s "$aot") / 1048576 )) MiB, $(grep -c 'source: shared objects file' <<<"$check") classes at start, trained in $(( $(date +%s) - started )) s)"
