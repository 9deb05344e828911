#!/usr/bin/env bash
# The hostile-conditions soak (not a test): the packaged agent probes N targets whose SYNs are all
# dropped (a partition: every probe times out, exactly when the agent matters), at a 1 s interval,
# while slowloris connections, malformed requests, /targets reads and full /metrics scrapes hit its
# HTTP port; RSS, descriptors and threads are sampled from /proc.
#   probe/bench/soak/run.sh [targets=2000] [minutes=10] [mode=connect|syn] [interval=1s]
# The targets are 198.19.0.0/16 addresses routed into a network namespace this script creates,
# whose raw PREROUTING drops them; nothing leaves the machine. Needs root. Everything it made is
# removed on exit. Samples go to probe/target/soak/<mode>-<targets>/soak.csv.
set -euo pipefail
cd "$(dirname "$0")/../../.."
targets=${1:-2000}; minutes=${2:-10}; mode=${3:-connect}; interval=${4:-1s}
[ "$(id -u)" = 0 ] || { echo "soak: needs root (network namespace, iptables)" >&2; exit 2; }
[ "$targets" -le 60000 ] || { echo "soak: at most 60000 targets (198.19.0.0/16)" >&2; exit 2; }
case "$mode" in connect | syn) ;; *) echo "soak: mode is connect or syn" >&2; exit 2 ;; esac

if [ ! -x probe/target/pxc-probe/bin/pxc-probe ]; then
  mvn -B -q -pl probe -am package -DskipTests -Dmaven.test.skip.exec=true >/dev/null
fi
mvn -B -q -pl probe -am test-compile >/dev/null
dist=probe/target/pxc-probe
out=$PWD/probe/target/soak/$mode-$targets
rm -rf "$out"; mkdir -p "$out"

suffix=$(printf '%05x' $((RANDOM * 32 + RANDOM % 32)))
ns=pxsoak-$suffix; hveth=pxsh$suffix; octet=$((1 + RANDOM % 254))
host_ip=198.18.$octet.1; ns_ip=198.18.$octet.2
agent_pid=""
cleanup() {
  if [ -n "$agent_pid" ]; then kill "$agent_pid" 2>/dev/null || true; wait "$agent_pid" 2>/dev/null || true; fi
  ip route del 198.19.0.0/16 via "$ns_ip" 2>/dev/null || true
  ip link del "$hveth" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT

ip netns add "$ns"
ip link add "$hveth" type veth peer name eth0 netns "$ns"
ip addr add "$host_ip/30" dev "$hveth"; ip link set "$hveth" up
ip -n "$ns" addr add "$ns_ip/30" dev eth0; ip -n "$ns" link set eth0 up; ip -n "$ns" link set lo up
ip route add 198.19.0.0/16 via "$ns_ip"
ip netns exec "$ns" iptables -t raw -A PREROUTING -d 198.19.0.0/16 -j DROP

http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 19797)
{
  printf 'node: soak\nhttp: {bind: 127.0.0.1, port: %s}\n' "$http_port"
  printf 'probes:\n  tcp:\n    interval: %s\n    timeout: 800ms\n    ports:\n      gcomm: {port: 4567, expect: listening, mode: %s}\n' "$interval" "$mode"
  printf 'discovery:\n  kubernetes: {enabled: false}\n  static:\n    clusters:\n      - namespace: db\n        name: soak\n        members:\n'
  for i in $(seq 0 $((targets - 1))); do
    printf '          - {pod: soak-pxc-%d, address: 198.19.%d.%d}\n' "$i" $((i / 250)) $((i % 250 + 1))
  done
} >"$out/agent.yaml"

env -i PATH=/usr/bin:/bin "$dist/bin/pxc-probe" --config "$out/agent.yaml" >"$out/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
  kill -0 "$agent_pid" || { cat "$out/agent.log" >&2; exit 1; }
  sleep 0.2
done

echo "soak: $targets targets, SYNs dropped, $mode mode, interval $interval, $minutes min; agent pid $agent_pid on :$http_port"
cp=$(cd "$dist/lib" && for j in *.jar; do printf '%s:' "$PWD/$j"; done)
"$dist/runtime/bin/java" -Xmx512m -cp "$PWD/probe/target/test-classes:$PWD/testkit/target/classes:$cp" io.pxcprobe.bench.Soak \
  "$agent_pid" "$http_port" $((minutes * 60)) 30 "$out" | tee "$out/summary.txt"
kill -0 "$agent_pid" || { echo "soak: the agent ended" >&2; exit 1; }
echo "soak: agent log lines at WARN or above: $(grep -cE ' (WARN|ERROR) ' "$out/agent.log" || true)"
