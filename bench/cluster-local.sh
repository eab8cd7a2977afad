#!/usr/bin/env bash
# A local three-silo Quiver cluster with its membership table in Redis on loopback, and the failover check the issue
# asks for: kill -9 one silo during an ingest, then check that every acknowledged point is present and searchable.
#   bench/cluster-local.sh [points]      (default 6000)
# Needs redis-server (Debian: apt-get install -y redis-server). Everything lives in a temp folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
points=${1:-6000}
work=$(mktemp -d /tmp/quiver-cluster-local.XXXXXX)
redis_port=$((20000 + RANDOM % 10000))
command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install -y redis-server" >&2; exit 2; }

dotnet build -c Release bench/Quiver.Cluster.Bench -v q -nologo >/dev/null
bench=bench/Quiver.Cluster.Bench/bin/Release/net10.0/Quiver.Cluster.Bench.dll
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

touch "$work/acknowledged.txt"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
redis="127.0.0.1:$redis_port"
sleep 1

for i in 1 2 3; do
  dotnet "$bench" silo "silo-$i" $((11110 + i)) $((30000 + i)) "$redis" "$work/data" >"$work/silo-$i.log" 2>&1 &
  pids+=($!)
  eval "silo_$i=$!"
done
sleep 8

dotnet "$bench" ingest "$redis" "$work/acknowledged.txt" "$points" &
ingest=$!
pids+=($ingest)
# Kill the third silo once a third of the points are acknowledged.
while [ "$(wc -l <"$work/acknowledged.txt" 2>/dev/null || echo 0)" -lt $((points / 3)) ]; do sleep 0.2; done
echo "kill -9 silo-3 after $(wc -l <"$work/acknowledged.txt") acknowledged points"
kill -9 "$silo_3"
wait "$ingest"

dotnet "$bench" verify "$redis" "$work/acknowledged.txt"
echo "restarting silo-3"
dotnet "$bench" silo silo-3 11113 30003 "$redis" "$work/data" >"$work/silo-3b.log" 2>&1 &
pids+=($!)
sleep 15
dotnet "$bench" verify "$redis" "$work/acknowledged.txt"
