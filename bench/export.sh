#!/usr/bin/env bash
# Bulk export in bounded memory: `quiver export` of collections of 10,000 and 100,000 random 384-d points (with
# payloads and texts) to JSONL, .npy and Parquet; peak RSS (GNU time) and time for each. Memory should not grow with
# the collection: the exporter holds --batch points (8,192 by default) at a time.
# Usage: bench/export.sh [points ...]   (default: 10000 100000 200000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 200000)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export QUIVER_HOME="$work/home"
mkdir -p "$QUIVER_HOME/collections" "$work/out"
dotnet build bench/Quiver.Bench -c Release -v q -nologo > /dev/null
./quiver --help > /dev/null   # builds the CLI once, outside the measurements
for n in "${sizes[@]}"; do
  dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll export-fixture --collections "$QUIVER_HOME/collections" --name "p$n" --points "$n"
done
printf '%-10s %-8s %12s %10s %14s\n' points format "MB written" seconds "peak RSS MB"
for n in "${sizes[@]}"; do
  for format in jsonl npy parquet; do
    out="$work/out/p$n.$format"
    /usr/bin/time -f '%M %e' -o "$work/time" ./quiver export -c "p$n" -o "$out" > /dev/null 2> "$work/err" || { cat "$work/err"; exit 1; }
    read -r rss_kb seconds < "$work/time"
    bytes=$(cat "$work/out/p$n".* 2>/dev/null | wc -c)
    printf '%-10s %-8s %12.1f %10s %14.0f\n' "$n" "$format" "$(echo "$bytes / 1000000" | bc -l)" "$seconds" "$(echo "$rss_kb / 1024" | bc -l)"
    rm -f "$work/out/p$n".*
  done
done
