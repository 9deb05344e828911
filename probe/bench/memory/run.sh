#!/usr/bin/env bash
# The agent's memory at N targets (not a test), in three runs of the packaged agent, one after the
# other, each scraped in full every 15 s (OpenMetrics, gzip) as Prometheus would:
#   healthy      static discovery, every target accepts the handshake
#   partition    the same agent and config, every SYN dropped: every probe a timeout
#   kubernetes   the same targets found through Kubernetes discovery (fabric8's mock API server in
#                CRUD mode, in its own JVM), healthy; its DNS checks go to a loopback port where
#                nothing answers
# PXC_PROBE_AOT decides the AOT cache (default: off, and on for the kubernetes run, as the launcher
# decides in a pod).
# Prints RSS at the end of each window (VmRSS), its peak (VmHWM), anonymous and file-backed
# parts, probes/s and the outcome shares; with --nmt also the JVM's own account (Native Memory
# Tracking: heap, class metadata, code, threads, symbols), which itself costs about 2 MiB.
#   probe/bench/memory/run.sh [--targets 1000] [--seconds 120] [--interval 1s] [--timeout 800ms]
#                             [--runs healthy,partition,kubernetes] [--nmt] [--java-opts "..."]
# The targets are addresses in 198.18.200.0/21 routed into a network namespace this script makes:
# a local route there makes every address answer, one listener accepts and closes on port 4567,
# and for the partition its raw PREROUTING drops the SYNs. Nothing leaves the machine. Needs root.
# Everything it made is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../../.."
targets=1000 seconds=120 interval=1s timeout=800ms runs=healthy,partition,kubernetes nmt=false java_opts=""
while [ $# -gt 0 ]; do
  case "$1" in
    --targets) targets=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --nmt) nmt=true; shift ;;
    --java-opts) java_opts=$2; shift 2 ;;
    *) echo "memory: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "memory: needs root (network namespace, iptables)" >&2; exit 2; }
[ "$targets" -ge 1 ] && [ "$targets" -le 2000 ] || { echo "memory: 1 to 2000 targets (198.18.200.0/21)" >&2; exit 2; }
[ "$seconds" -ge 30 ] && [ "$seconds" -le 3600 ] || { echo "memory: 30 to 3600 seconds" >&2; exit 2; }

dist=probe/target/pxc-probe
tests=probe/target/test-classes
[ -x "$dist/bin/pxc-probe" ] || { echo "no distribution: run mvn -B -pl probe -am package -DskipTests" >&2; exit 2; }
[ -f "$tests/io/pxcprobe/discovery/kubernetes/FootprintMockApi.class" ] || { echo "no test classes: run mvn -B -pl probe -am test-compile" >&2; exit 2; }
jdk=$(ls -d /usr/lib/jvm/temurin-2[5-9]* 2>/dev/null | head -1)
[ -n "$jdk" ] || jdk=${JAVA_HOME:?no JDK 25 found: set JAVA_HOME}

suffix=$(printf '%05x' $((RANDOM * 32 + RANDOM % 32)))
ns=pxmem-$suffix hveth=pxmh$suffix net=198.18.200.0/21
host_ip=198.18.199.1 ns_ip=198.18.199.2
work=$(mktemp -d /tmp/pxc-probe-memory.XXXXXX)
agent_pid="" listener_pid="" mock_pid=""
stop() { # $1: pid
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  stop "$agent_pid"; stop "$listener_pid"; stop "$mock_pid"
  exec 3>&- 2>/dev/null || true
  ip route del "$net" via "$ns_ip" 2>/dev/null || true
  ip link del "$hveth" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

if [ -n "$(ip route show "$net")" ] || [ -n "$(ip route show 198.18.199.0/30)" ]; then
  echo "memory: $net or 198.18.199.0/30 is routed already (another run?)" >&2; exit 1
fi
ip netns add "$ns"
ip link add "$hveth" type veth peer name eth0 netns "$ns"
ip addr add "$host_ip/30" dev "$hveth"; ip link set "$hveth" up
ip -n "$ns" addr add "$ns_ip/30" dev eth0; ip -n "$ns" link set eth0 up; ip -n "$ns" link set lo up
ip -n "$ns" route add local "$net" dev lo
ip netns exec "$ns" sysctl -qw net.core.somaxconn=4096
ip route add "$net" via "$ns_ip"
# one listener for every address of the namespace: accept, close
ip netns exec "$ns" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 4567)); s.listen(4096)
while True:
    c, _ = s.accept(); c.close()
' &
listener_pid=$!

address() { # the i-th target, from 198.18.200.1
  local n=$(( (200 << 8) + 1 + $1 ))
  echo "198.18.$(( n >> 8 )).$(( n & 255 ))"
}
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
common="node: memory
http: {bind: 127.0.0.1, port: $http_port}
probes:
  tcp:
    interval: $interval
    timeout: $timeout
    ports:
      gcomm: {port: 4567, expect: listening}"
{
  echo "$common"
  printf 'discovery:\n  kubernetes: {enabled: false}\n  static:\n    clusters:\n      - namespace: db\n        name: c1\n        members:\n'
  for i in $(seq 0 $((targets - 1))); do printf '          - {pod: c1-pxc-%d, address: %s}\n' "$i" "$(address "$i")"; done
} >"$work/static.yaml"

metric_sum() { # $1: file, $2: series name prefix
  awk -v p="$2" 'index($0, p) == 1 { s += $NF } END { printf "%d", s }' "$1"
}

measure() { # $1: run name, $2: config, $3: PXC_PROBE_AOT
  local cfg=$2 opts="$java_opts"
  [ "$nmt" = true ] && opts="$opts -XX:NativeMemoryTracking=summary"
  env -i PATH=/usr/bin:/bin PXC_PROBE_AOT="$3" PXC_PROBE_JAVA_OPTS="$opts" \
    "$dist/bin/pxc-probe" --config "$cfg" >"$work/$1.log" 2>&1 &
  agent_pid=$!
  for _ in $(seq 1 150); do
    curl -fs "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
    kill -0 "$agent_pid" 2>/dev/null || { tail -20 "$work/$1.log" >&2; exit 1; }
    sleep 0.2
  done
  local start end first=""
  start=$(date +%s)
  end=$((start + seconds))
  while [ "$(date +%s)" -lt "$end" ]; do
    sleep 15
    kill -0 "$agent_pid" 2>/dev/null || { echo "memory: the agent ended" >&2; tail -20 "$work/$1.log" >&2; exit 1; }
    curl -fs --compressed -m 10 -H 'Accept: application/openmetrics-text;version=1.0.0' \
      "http://127.0.0.1:$http_port/metrics" -o "$work/scrape.txt" || echo "memory: a scrape failed" >&2
    # probes/s over the window after the first scrape (the first results and warm-up before it)
    [ -z "$first" ] && { first=$(metric_sum "$work/scrape.txt" pxc_probe_tcp_probes_total); first_t=$(date +%s); }
  done
  local status=/proc/$agent_pid/status
  local rss hwm anon file
  rss=$(awk '/^VmRSS/ {printf "%.1f", $2/1024}' "$status"); hwm=$(awk '/^VmHWM/ {printf "%.1f", $2/1024}' "$status")
  anon=$(awk '/^RssAnon/ {printf "%.1f", $2/1024}' "$status"); file=$(awk '/^RssFile/ {printf "%.1f", $2/1024}' "$status")
  curl -fs -m 10 "http://127.0.0.1:$http_port/metrics" -o "$work/last.txt"
  local now probes opened timeouts
  now=$(date +%s)
  probes=$(metric_sum "$work/last.txt" pxc_probe_tcp_probes_total)
  opened=$(awk 'index($0, "pxc_probe_tcp_probes_total{") == 1 && /result="open"/ { s += $NF } END { printf "%d", s }' "$work/last.txt")
  timeouts=$(awk 'index($0, "pxc_probe_tcp_probes_total{") == 1 && /result="timeout"/ { s += $NF } END { printf "%d", s }' "$work/last.txt")
  local nmt_line=""
  if [ "$nmt" = true ]; then
    nmt_line=$("$jdk/bin/jcmd" "$agent_pid" VM.native_memory summary scale=KB | awk '
      /^Total:/ { sub(/.*committed=/, ""); sub(/KB.*/, ""); printf "total %.1f", $0 / 1024 }
      /^-/ && /committed=/ { name = $0; sub(/^- */, "", name); sub(/ *\(.*/, "", name); c = $0; sub(/.*committed=/, "", c); sub(/KB.*/, "", c)
        if (c + 0 >= 512) printf ", %s %.1f", name, c / 1024 }')
  fi
  stop "$agent_pid"; agent_pid=""
  printf '| %s | %s | %s | %s | %s | %s | %s | %.0f | %d %% | %d %% |%s\n' "$1" "$3" "$targets" "$rss" "$hwm" "$anon" "$file" \
    "$(awk -v p="$probes" -v f="$first" -v s=$((now - first_t)) 'BEGIN { print (p - f) / (s > 0 ? s : 1) }')" $((opened * 100 / (probes > 0 ? probes : 1))) \
    $((timeouts * 100 / (probes > 0 ? probes : 1))) "${nmt_line:+ $nmt_line |}"
}

echo "memory: $targets targets at $interval (timeout $timeout), ${seconds} s a run, scraped every 15 s; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| run | AOT cache | targets | RSS MiB | peak MiB | anon MiB | file MiB | probes/s | open | timeout |$([ "$nmt" = true ] && echo " NMT committed MiB |")"
echo "|---|---|---|---|---|---|---|---|---|---|$([ "$nmt" = true ] && echo "---|")"
for run in ${runs//,/ }; do
  case "$run" in
    healthy) measure healthy "$work/static.yaml" "${PXC_PROBE_AOT:-off}" ;;
    partition)
      ip netns exec "$ns" iptables -t raw -A PREROUTING -d "$net" -p tcp --syn -j DROP
      measure partition "$work/static.yaml" "${PXC_PROBE_AOT:-off}"
      ip netns exec "$ns" iptables -t raw -D PREROUTING -d "$net" -p tcp --syn -j DROP ;;
    kubernetes)
      if [ -z "$mock_pid" ]; then
        cp_file=$work/test-classpath
        mvn -B -q -o -pl probe dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
        mkfifo "$work/mock.in"
        per=$(( (targets + 9) / 10 ))
        "$jdk/bin/java" -Xmx512m -cp "$tests:probe/target/classes:testkit/target/classes:$(cat "$cp_file")" \
          io.pxcprobe.discovery.kubernetes.FootprintMockApi "$work/kube" 10 "$per" $((seconds + 600)) "$(address 0)" \
          <"$work/mock.in" >"$work/mock.out" 2>"$work/mock.err" &
        mock_pid=$!
        exec 3>"$work/mock.in"
        for _ in $(seq 1 600); do grep -q READY "$work/mock.out" 2>/dev/null && break; sleep 0.1; done
        grep -q READY "$work/mock.out" || { echo "mock API server did not start:" >&2; tail -20 "$work/mock.err" >&2; exit 1; }
      fi
      dns_port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
      {
        echo "$common"
        printf '  dns: {resolvers: ["127.0.0.1:%s"]}\n' "$dns_port"
        printf 'discovery:\n  kubernetes:\n    enabled: true\n    kubeconfig: %s\n' "$(sed -n 's/^READY //p' "$work/mock.out")"
      } >"$work/kube.yaml"
      # in a pod the launcher uses the AOT cache (PXC_PROBE_AOT=auto sees KUBERNETES_SERVICE_HOST)
      measure kubernetes "$work/kube.yaml" "${PXC_PROBE_AOT:-on}" ;;
    *) echo "memory: unknown run $run" >&2; exit 2 ;;
  esac
done
