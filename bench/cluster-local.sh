#!/usr/bin/env bash
# Three `quiver serve --cluster` processes (the real CLI, each with its own QUIVER_HOME) with their membership table
# in redis-server on loopback, driven only over HTTP by bench/cluster-local.mjs (node's fetch):
#  1. failover: create a distributed collection (6 shards, replication factor 2) through the first server; upsert
#     POINTS points in batches of 50 through the servers in turn, recording every acknowledged id; kill -9 the third
#     server a third of the way in; the ingest goes on through the other two (a failed batch is retried on the next
#     server); check that every acknowledged point is present (get by ids, count) and found first by an exact search
#     for its own vector, and which primaries moved; restart the third server with the same silo name and home; wait
#     until GET /collections/{name} shows every replica live at lag 0; check again through all three.
#  2. throughput over HTTP: upsert points/s and search queries/s through one server and spread over three, at RF 1 and
#     RF 2. All three servers share this machine, so the figures show what distribution costs, not a speed-up.
# Usage: bench/cluster-local.sh [POINTS]   (default 6000)
# Env:   DIMS=128 THROUGHPUT_POINTS=4000 QUERIES=500 (THROUGHPUT_POINTS=0 skips part 2)
# Needs redis-server (Debian: apt-get install -y redis-server) and node >= 18. Builds the CLI once through ./quiver
# (Release, artifacts/bin). Everything lives in a temp folder, removed at the end (KEEP=1 keeps it and says where).
set -euo pipefail
cd "$(dirname "$0")/.."
points=${1:-6000}
dims=${DIMS:-128}
throughput_points=${THROUGHPUT_POINTS:-4000}
queries=${QUERIES:-500}
command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install -y redis-server" >&2; exit 2; }
command -v node >/dev/null || { echo "node is missing: the HTTP client is bench/cluster-local.mjs (node >= 18)" >&2; exit 2; }

./quiver --version >/dev/null
quiver=artifacts/bin/quiver.dll
work=$(mktemp -d /tmp/quiver-cluster-local.XXXXXX)
# Ports from a random base, so two runs on one machine do not collide: HTTP base+1..3, silos +11..13, gateways +21..23.
base=$((20000 + (RANDOM % 4000) * 10))
redis_port=$base
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
client() { node bench/cluster-local.mjs "$@"; }
url() { echo "http://127.0.0.1:$((base + $1))"; }

redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)

start_server() {
  local i=$1 log=$2
  QUIVER_HOME="$work/home-$i" dotnet "$quiver" serve --port $((base + i)) --no-grpc --cluster --redis "127.0.0.1:$redis_port" \
    --silo-name "silo-$i" --silo-port $((base + 10 + i)) --gateway-port $((base + 20 + i)) >"$work/$log" 2>&1 &
  pids+=($!)
  eval "server_$i=$!"
}

await_ready() {
  local i=$1 started=$SECONDS
  until curl -sf "$(url "$i")/readyz" >/dev/null 2>&1; do
    if [ $((SECONDS - started)) -gt 120 ]; then
      echo "server $i not ready after 120 s; its log:" >&2
      tail -n 30 "$work/$2" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "server $i (silo-$i, $(url "$i")) ready after $((SECONDS - started)) s"
}

clock=$SECONDS
for i in 1 2 3; do start_server "$i" "server-$i.log"; done
for i in 1 2 3; do await_ready "$i" "server-$i.log"; done
all="$(url 1),$(url 2),$(url 3)"
client await-silos "$all" 3

status=0
# shellcheck disable=SC2154 # server_3 is set by start_server through eval
client ingest "$all" failover "$points" "$dims" "$work/acknowledged.txt" "$work/layout.json" "$server_3" $((points / 3))
echo "check with the third server down:"
client check "$(url 1),$(url 2)" failover "$dims" "$work/acknowledged.txt" "$work/layout.json" || status=1

echo "restarting the third server (silo-3, same QUIVER_HOME and ports)"
restart=$SECONDS
start_server 3 server-3-restarted.log
await_ready 3 server-3-restarted.log
client await-live "$(url 1)" failover
echo "silo-3 back and caught up $((SECONDS - restart)) s after its restart"
echo "check through all three servers:"
client check "$all" failover "$dims" "$work/acknowledged.txt" "$work/layout.json" || status=1

if [ "$throughput_points" -gt 0 ]; then
  client throughput "$all" "$throughput_points" "$dims" "$queries"
fi
echo "cluster-local: $(nproc) cores, $((SECONDS - clock)) s in all; $([ $status = 0 ] && echo "every check passed" || echo "a check FAILED")"
exit $status
