#!/usr/bin/env bash
# Snapshot and restore of a collection of N random 384-d points with payloads and texts (flat index; default
# 100,000): `quiver collections snapshot` (SQLite online backup + index snapshot + SHA-256 manifest, one tar) and
# `quiver collections restore` (unpack, verify every SHA-256, swap in), timed from each command's own --json
# "seconds" (process start excluded), against a peer doing the same file work without checksums in the same round:
# sqlite3's .backup (the same online backup API) then tar of the copy and the index file, synced to disk as Quiver's
# snapshot is; restore against tar x and sync.
# Rounds alternate Quiver and the peer; the table gives each round and the median ratio.
# Usage: bench/snapshot.sh [POINTS] [ROUNDS]   (default: 100000 3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
points="${1:-100000}"
rounds="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export QUIVER_HOME="$work/home"
mkdir -p "$QUIVER_HOME/collections" "$work/out"
dotnet build bench/Quiver.Bench -c Release -v q -nologo > /dev/null
./quiver --help > /dev/null   # builds the CLI once, outside the measurements
dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll export-fixture --collections "$QUIVER_HOME/collections" --name big --points "$points" --flush true
folder="$QUIVER_HOME/collections/big"
test -f "$folder/index.qhns" || { echo "no index snapshot in $folder" >&2; exit 1; }

now() { date +%s.%N; }
seconds_of() { sed -n 's/.*"seconds": \([0-9.eE+-]*\).*/\1/p' "$1"; }
printf '%-6s %12s %12s %12s %8s %12s %12s %8s\n' round "snapshot MB" "snapshot s" "peer s" ratio "restore s" "peer s" ratio
snap_ratios=()
restore_ratios=()
for r in $(seq 1 "$rounds"); do
  ./quiver collections snapshot big -o "$work/out/q$r.snapshot" --json > "$work/snap.json"
  q_snap=$(seconds_of "$work/snap.json")
  start=$(now)
  sqlite3 "$folder/collection.db" ".backup '$work/out/peer.db'"
  tar cf "$work/out/p$r.tar" -C "$work/out" peer.db -C "$folder" index.qhns
  sync -f "$work/out/p$r.tar"
  p_snap=$(echo "$(now) - $start" | bc -l)
  rm -f "$work/out/peer.db"

  ./quiver collections restore "$work/out/q$r.snapshot" --name "restored$r" --json > "$work/restore.json"
  q_restore=$(seconds_of "$work/restore.json")
  mkdir -p "$work/peer$r"
  start=$(now)
  tar xf "$work/out/p$r.tar" -C "$work/peer$r"
  sync -f "$work/peer$r/peer.db"
  p_restore=$(echo "$(now) - $start" | bc -l)

  mb=$(echo "$(stat -c %s "$work/out/q$r.snapshot") / 1000000" | bc -l)
  snap_ratio=$(echo "$q_snap / $p_snap" | bc -l)
  restore_ratio=$(echo "$q_restore / $p_restore" | bc -l)
  snap_ratios+=("$snap_ratio")
  restore_ratios+=("$restore_ratio")
  printf '%-6s %12.1f %12.2f %12.2f %8.2f %12.2f %12.2f %8.2f\n' "$r" "$mb" "$q_snap" "$p_snap" "$snap_ratio" "$q_restore" "$p_restore" "$restore_ratio"
  rm -rf "$work/peer$r" "$work/out/p$r.tar" "$work/out/q$r.snapshot"
  ./quiver collections delete "restored$r" > /dev/null
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo "points: $points; collection files: $(du -sm "$folder" | cut -f1) MB"
printf 'median ratio to the peer: snapshot %.2f, restore %.2f\n' "$(median "${snap_ratios[@]}")" "$(median "${restore_ratios[@]}")"
