// Drives a Quiver server with the official, unchanged OpenAI and Qdrant JavaScript clients and prints what they
// got back as one JSON object, for a test (or a person) to check.
// usage: node check.mjs --url http://127.0.0.1:6333 [--key KEY] --model NAME
import OpenAI from 'openai';
import { QdrantClient } from '@qdrant/js-client-rest';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, i, all) => (i % 2 === 0 ? [...pairs, [value.replace(/^--/, ''), all[i + 1]]] : pairs), []));
const url = args.url;
const key = args.key;
const model = args.model;
const out = {};

// OpenAI: the client asks for base64 by default and decodes it; also float, arrays and dimensions.
const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: key ?? 'none', maxRetries: 0 });
const one = await openai.embeddings.create({ model, input: 'the whale swims' });
out.openai_single = { model: one.model, dims: one.data[0].embedding.length, vector: one.data[0].embedding, usage: one.usage };
const many = await openai.embeddings.create({ model, input: ['the whale swims', 'a cat sat on the mat'], encoding_format: 'float' });
out.openai_many = many.data.map((d) => ({ index: d.index, vector: d.embedding }));
const short = await openai.embeddings.create({ model, input: 'the whale swims', dimensions: 8 });
out.openai_dims = short.data[0].embedding.length;
out.openai_models = (await openai.models.list()).data.map((m) => m.id).sort();
try {
  await openai.embeddings.create({ model: 'no-such-model', input: 'x' });
  out.openai_missing = 'no error';
} catch (e) {
  out.openai_missing = { status: e.status, code: e.code, param: e.param };
}

// Qdrant: create, upsert, index, filter, search, query, scroll, count, retrieve, payload, delete.
const qdrant = new QdrantClient({ url, apiKey: key, checkCompatibility: true });
const name = 'js_client_check';
if ((await qdrant.collectionExists(name)).exists) await qdrant.deleteCollection(name);
out.created = await qdrant.createCollection(name, { vectors: { size: 4, distance: 'Cosine' } });
const points = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, vector: [1, i % 5, (i % 3) - 1, i / 10], payload: { colour: i % 2 ? 'red' : 'blue', n: i } }));
out.upsert = await qdrant.upsert(name, { wait: true, points });
out.upsert_uuid = await qdrant.upsert(name, { wait: true, points: [{ id: '5c56c793-69f3-4fbf-87e6-c4bf54c28c26', vector: [0, 1, 0, 0], payload: { colour: 'green' } }] });
out.index = await qdrant.createPayloadIndex(name, { field_name: 'colour', field_schema: 'keyword', wait: true });
const info = await qdrant.getCollection(name);
out.info = { points: info.points_count, size: info.config.params.vectors.size, distance: info.config.params.vectors.distance };
out.collections = (await qdrant.getCollections()).collections.map((c) => c.name);
const red = { must: [{ key: 'colour', match: { value: 'red' } }] };
// 1.19 dropped search() for query(); older clients call POST /points/search, which Quiver also serves.
out.search = (await qdrant.query(name, { query: [1, 2, 0, 1], limit: 5, filter: red, with_payload: true })).points;
out.query = (await qdrant.query(name, { query: [1, 2, 0, 1], limit: 3, filter: { must: [{ key: 'n', range: { gte: 10 } }] }, with_payload: true })).points;
out.count_red = (await qdrant.count(name, { filter: red, exact: true })).count;
const scrolled = [];
let offset;
do {
  const page = await qdrant.scroll(name, { limit: 7, offset, with_payload: false });
  scrolled.push(...page.points.map((p) => p.id));
  offset = page.next_page_offset ?? undefined;
} while (offset !== undefined);
out.scrolled = scrolled;
out.retrieve = await qdrant.retrieve(name, { ids: [3, 4], with_vector: true });
await qdrant.setPayload(name, { payload: { checked: true }, points: [3], wait: true });
out.after_set = (await qdrant.retrieve(name, { ids: [3] }))[0].payload;
await qdrant.delete(name, { points: [1, 2], wait: true });
await qdrant.delete(name, { filter: { must: [{ key: 'colour', match: { value: 'green' } }] }, wait: true });
out.count_after_delete = (await qdrant.count(name)).count;
try {
  await qdrant.upsert(name, { wait: true, points: [{ id: 99, vector: [1, 2] }] });
  out.bad_upsert = 'no error';
} catch (e) {
  out.bad_upsert = { status: e.status, message: String(e.data?.status?.error ?? e.message) };
}
out.deleted = await qdrant.deleteCollection(name);
console.log(JSON.stringify(out));
