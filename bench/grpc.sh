#!/usr/bin/env bash
# Search over gRPC (the official Qdrant .NET client, Qdrant.Client) against search over REST (HttpClient + JSON) on
# one `quiver serve` process, in the same run: the same 20,000 random 256-d points (Cosine), the same 1,000 queries,
# 10 hits with payload each. Latency one call at a time (p50/p90/p99), then throughput with CONCURRENCY calls in
# flight for SECONDS; REST and gRPC alternate over ROUNDS rounds. Prints JSON with gRPC/REST ratios.
# Usage: bench/grpc.sh [ROUNDS] [CONCURRENCY] [SECONDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-3}"
concurrency="${2:-16}"
seconds="${3:-10}"
out=bench/.cache/results/grpc
mkdir -p "$out"
./quiver --help > /dev/null   # builds artifacts/bin/quiver.dll when a source changed
dotnet build bench/Quiver.Bench -c Release -nologo -v quiet -tl:off > /dev/null
dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll grpc --rounds "$rounds" --concurrency "$concurrency" --seconds "$seconds" | tee "$out/grpc.json"
