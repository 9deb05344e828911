#!/usr/bin/env bash
# SYN mode vs connect mode, same JVM, same target, same run:
#   1. RTT measured by each mode against an injected delay of the server's SYN-ACKs (NFQUEUE
#      user-space delayer: this kernel has no sch_netem),
#   2. CPU time of the probing process per 1,000 probes,
#   3. what the wire and the server see (tcpdump, ss, retransmissions, conntrack) for SYN probes.
# The target is a listener in a network namespace this script creates (198.18.0.0/15 veth pair);
# nothing leaves the machine. Needs root. Everything is removed on exit.
# Knobs: DELAYS_MS="0 5 20" RTT_PROBES=300 CPU_PROBES=5000 CONCURRENCY=32
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
DELAYS_MS=${DELAYS_MS:-"0 5 20"}
RTT_PROBES=${RTT_PROBES:-300}
CPU_PROBES=${CPU_PROBES:-5000}
CONCURRENCY=${CONCURRENCY:-32}
PORT=4567
QUEUE=$((1000 + RANDOM % 30000))
SUFFIX=$(printf '%05x' $((RANDOM * 32 + RANDOM % 32)))
NS=pxsynb-$SUFFIX
HVETH=pxbh$SUFFIX
OCTET=$((1 + RANDOM % 254))
HOST_IP=198.18.$OCTET.1
NS_IP=198.18.$OCTET.2
WORK=$(mktemp -d /tmp/pxsyn-bench.XXXXXX)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  ip link del "$HVETH" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== build"
(cd "$ROOT" && mvn -B -q -pl probe -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null)
gcc -O2 -Wall -o "$WORK/nfq-delay" "$HERE/nfq-delay.c" -lnetfilter_queue
JAVA=$(ls -d /usr/lib/jvm/temurin-2*-jdk-amd64 2>/dev/null | sort -V | tail -1)/bin/java
printf '<configuration><root level="WARN"/></configuration>\n' > "$WORK/logback.xml"
CP="$ROOT/probe/target/test-classes:$ROOT/probe/target/classes:$(cat "$WORK/cp.txt")"
bench() {
  "$JAVA" --enable-native-access=ALL-UNNAMED -Djna.tmpdir="$WORK/jna" -Xmx256m -Dlogback.configurationFile="$WORK/logback.xml" \
      -cp "$CP" io.pxcprobe.probe.syn.SynBenchmark "$NS_IP" "$PORT" "$@"
}

echo "== namespace $NS ($NS_IP), listener on $PORT"
ip netns add "$NS"
ip link add "$HVETH" type veth peer name eth0 netns "$NS"
ip addr add "$HOST_IP/24" dev "$HVETH"
ip link set "$HVETH" up
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" ip addr add "$NS_IP/24" dev eth0
ip netns exec "$NS" ip link set eth0 up
# accepts, so connect-mode probes never fill the backlog; closes late (the prober's RST comes first,
# as with Galera, which never closes a probe connection before it is reset)
ip netns exec "$NS" timeout 1800 python3 -c "
import collections, socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', $PORT)); s.listen(4096)
held = collections.deque()
while True:
    held.append(s.accept()[0])
    if len(held) > 500:
        held.popleft().close()
" & PIDS+=($!)
sleep 0.5

uname -r; nproc; "$JAVA" -version 2>&1 | head -1
for delay in $DELAYS_MS; do
  echo "== RTT with the server's SYN-ACKs delayed by ${delay} ms"
  if [ "$delay" != 0 ]; then
    ip netns exec "$NS" timeout 600 "$WORK/nfq-delay" "$QUEUE" "$delay" 590 & DELAYER=$!
    PIDS+=($DELAYER)
    sleep 0.3
    ip netns exec "$NS" iptables -A OUTPUT -p tcp --sport "$PORT" --tcp-flags SYN,ACK SYN,ACK \
        -j NFQUEUE --queue-num "$QUEUE"
  fi
  bench "delay=${delay}ms" "$RTT_PROBES" 0 1
  if [ "$delay" != 0 ]; then
    ip netns exec "$NS" iptables -D OUTPUT -p tcp --sport "$PORT" --tcp-flags SYN,ACK SYN,ACK \
        -j NFQUEUE --queue-num "$QUEUE"
    kill "$DELAYER"; wait "$DELAYER" 2>/dev/null || true
  fi
done

echo "== CPU per 1,000 probes (no delay; 3 alternating rounds of $CPU_PROBES per mode, $CONCURRENCY in flight)"
bench "cpu" 0 "$CPU_PROBES" "$CONCURRENCY"

echo "== wire: 5 SYN probes as the server sees them (conntrack active in the server namespace)"
ip netns exec "$NS" iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
RETRANS0=$(ip netns exec "$NS" awk '/^Tcp:/ {n++; if (n==2) print $13}' /proc/net/snmp)
ip netns exec "$NS" timeout 60 tcpdump -nn -i eth0 -c 200 "tcp port $PORT" -w "$WORK/wire.pcap" 2>/dev/null & PIDS+=($!)
sleep 1
bench wire 5 0 1 syn-only
sleep 1
kill "${PIDS[-1]}" 2>/dev/null || true; wait "${PIDS[-1]}" 2>/dev/null || true
tcpdump -nn -r "$WORK/wire.pcap" 2>/dev/null | awk '{print $3, $4, $5, $6, $7, $8, $9}' > "$WORK/wire.txt" || true
echo "packets: $(wc -l < "$WORK/wire.txt"); by flags:"
awk '{print $5}' "$WORK/wire.txt" | sort | uniq -c
tail -6 "$WORK/wire.txt"
echo "half-open (SYN-RECV) on the server now: $(ip netns exec "$NS" ss -Htan state syn-recv | wc -l)"
RETRANS1=$(ip netns exec "$NS" awk '/^Tcp:/ {n++; if (n==2) print $13}' /proc/net/snmp)
echo "server retransmitted segments during the wire phase: $((RETRANS1 - RETRANS0))"
echo "server conntrack entries for port $PORT (state, timeout s):"
ip netns exec "$NS" conntrack -L -p tcp --dport "$PORT" 2>/dev/null | awk '{print $4, $3}' | sort | uniq -c || true
