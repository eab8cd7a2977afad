// The HTTP client of bench/cluster-local.sh: it talks to `quiver serve --cluster` servers only through Qdrant's REST
// routes, as any client of the cluster would. Modes:
//   await-silos  SERVERS N            until the first server sees N silos (a probe collection with RF N is accepted)
//   ingest       SERVERS NAME POINTS DIMS ACKED LAYOUT KILL_PID KILL_AT
//                creates NAME (6 shards, RF 2), upserts POINTS points in batches of 50 through the servers in turn,
//                appends every acknowledged id to ACKED, and kill -9s KILL_PID once KILL_AT ids are acknowledged (the
//                layout just before the kill goes to LAYOUT); a batch that fails is retried on the next server
//   check        SERVERS NAME DIMS ACKED LAYOUT
//                every acknowledged id is present (get by ids, count) and each sampled point's own vector finds it
//                first by exact search; prints the replicas and the primaries that moved since LAYOUT
//   await-live   SERVERS NAME         until GET /collections/NAME shows every replica live at lag 0
//   throughput   SERVERS POINTS DIMS QUERIES
//                upsert points/s and search queries/s through one server and spread over all, at RF 1 and RF 2, against
//                an ordinary single-node collection on the first server as the peer
// SERVERS is a comma-separated list of base URLs (http://127.0.0.1:PORT). Vectors follow from point ids (a seeded
// generator), so the check needs nothing from the ingest but the acknowledged ids.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

const Shards = 6;
const Batch = 50;

// mulberry32: a small seeded generator, so a point's vector is a function of its id.
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vector(id, dims, salt = 0) {
  const next = generator((id * 2654435761) ^ salt);
  return Array.from({ length: dims }, () => Math.round((next() * 2 - 1) * 1e6) / 1e6);
}

async function call(server, method, path, body) {
  const response = await fetch(server + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = { status: { error: text } };
  }
  return { status: response.status, json };
}

// A call that must succeed: anything else stops the run with what the server said.
async function must(server, method, path, body) {
  const { status, json } = await call(server, method, path, body);
  if (status !== 200) {
    throw new Error(`${method} ${server}${path}: HTTP ${status}: ${JSON.stringify(json.status ?? json)}`);
  }
  return json.result;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (start) => (performance.now() - start) / 1000;
const servers = (list) => list.split(',').filter((s) => s.length > 0);

async function createDistributed(server, name, dims, replicationFactor) {
  await must(server, 'PUT', `/collections/${name}`, {
    vectors: { size: dims, distance: 'Cosine' },
    shard_number: Shards,
    replication_factor: replicationFactor,
  });
}

function primaries(layout) {
  const byShard = new Map();
  for (const r of layout.quiver.replicas) {
    if (r.primary) byShard.set(r.shard, r.silo);
  }
  return byShard;
}

function printReplicas(layout) {
  const shards = new Map();
  for (const r of layout.quiver.replicas) {
    const line = `${r.silo} ${r.state}${r.primary ? ' (primary)' : ''} op ${r.operation ?? '?'} lag ${r.lag ?? '?'}`;
    shards.set(r.shard, [...(shards.get(r.shard) ?? []), line]);
  }
  for (const [shard, lines] of [...shards].sort((a, b) => a[0] - b[0])) {
    console.log(`  shard ${shard}: ${lines.join('; ')}`);
  }
}

async function awaitSilos([list, count]) {
  const [first] = servers(list);
  const start = performance.now();
  for (;;) {
    const { status, json } = await call(first, 'PUT', '/collections/silo-probe', {
      vectors: { size: 2, distance: 'Cosine' },
      shard_number: 1,
      replication_factor: Number(count),
    }).catch((e) => ({ status: 0, json: { status: { error: String(e.cause ?? e) } } }));
    if (status === 200) {
      console.log(`cluster: ${first} sees ${count} silos after ${seconds(start).toFixed(1)} s`);
      return 0;
    }
    if (seconds(start) > 120) {
      console.error(`cluster: ${first} still refuses a collection with replication factor ${count} after 120 s: ${JSON.stringify(json.status)}`);
      return 1;
    }
    await sleep(500);
  }
}

async function ingest([list, name, points, dims, acked, layoutFile, killPid, killAt]) {
  const urls = servers(list);
  [points, dims, killAt] = [Number(points), Number(dims), Number(killAt)];
  await createDistributed(urls[0], name, dims, 2);
  writeFileSync(acked, '');
  const down = new Set();
  let acknowledged = 0;
  let killed = false;
  let retries = 0;
  let slowest = { seconds: 0, batch: -1 };
  let turn = 0;
  const start = performance.now();
  for (let first = 0; first < points; first += Batch) {
    const ids = Array.from({ length: Math.min(Batch, points - first) }, (_, i) => first + i);
    const body = { points: ids.map((id) => ({ id, vector: vector(id, dims), payload: { n: id } })) };
    for (let attempt = 0; ; attempt++) {
      const live = urls.filter((u) => !down.has(u));
      if (live.length === 0) throw new Error(`batch at ${first}: every server refused the connection`);
      const server = live[turn++ % live.length];
      const sent = performance.now();
      let outcome;
      try {
        const { status, json } = await call(server, 'PUT', `/collections/${name}/points?wait=true`, body);
        outcome = status === 200 ? 'ok' : `HTTP ${status}: ${json.status?.error ?? JSON.stringify(json.status)}`;
        if (status >= 400 && status < 500 && status !== 429) {
          throw new Error(`batch at ${first} refused by ${server} as a client error: ${outcome}`);
        }
      } catch (e) {
        if (e.message?.startsWith('batch at')) throw e;
        // A refused connection: the server is gone, and the ingest goes on through the others. Any other failure
        // of the call (a reset, a timeout) is retried on the next server but does not rule this one out.
        outcome = `connection failed (${e.cause?.code ?? e.message})`;
        if (e.cause?.code === 'ECONNREFUSED') down.add(server);
      }
      const took = seconds(sent);
      if (took > slowest.seconds) slowest = { seconds: took, batch: first, server, outcome };
      if (outcome === 'ok') break;
      retries++;
      console.log(`ingest: batch at ${first} failed on ${server} after ${took.toFixed(1)} s (${outcome}); retrying on the next server`);
      if (attempt >= 20) throw new Error(`batch at ${first} failed 20 times; last: ${outcome}`);
      await sleep(Math.min(2000, 100 * 2 ** attempt));
    }
    appendFileSync(acked, ids.join('\n') + '\n');
    acknowledged += ids.length;
    if (!killed && acknowledged >= killAt) {
      writeFileSync(layoutFile, JSON.stringify(await must(urls[0], 'GET', `/collections/${name}`)));
      process.kill(Number(killPid), 'SIGKILL');
      killed = true;
      console.log(`ingest: kill -9 ${killPid} (the third server) after ${acknowledged} acknowledged points, ${seconds(start).toFixed(1)} s in`);
    }
  }
  const total = seconds(start);
  console.log(`ingest: ${acknowledged} of ${points} points acknowledged in ${total.toFixed(1)} s (${(acknowledged / total).toFixed(0)} points/s), ` +
    `${retries} batch retries; slowest call ${slowest.seconds.toFixed(1)} s (batch at ${slowest.batch} on ${slowest.server}: ${slowest.outcome})`);
  return 0;
}

async function check([list, name, dims, acked, layoutFile]) {
  const urls = servers(list);
  dims = Number(dims);
  const ids = readFileSync(acked, 'utf8').split('\n').filter((l) => l.length > 0).map(Number);
  const start = performance.now();
  let present = 0;
  let turn = 0;
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const found = await must(urls[turn++ % urls.length], 'POST', `/collections/${name}/points`, { ids: chunk, with_payload: true });
    const wanted = new Set(chunk);
    present += found.filter((p) => wanted.has(p.id) && p.payload?.n === p.id).length;
  }
  const counts = await Promise.all(urls.map((u) => must(u, 'POST', `/collections/${name}/points/count`, {})));
  // Every 97th acknowledged point: its own vector must find it first.
  const sampled = ids.filter((_, i) => i % 97 === 0);
  let first = 0;
  const misses = [];
  for (const id of sampled) {
    const hits = await must(urls[turn++ % urls.length], 'POST', `/collections/${name}/points/search`, {
      vector: vector(id, dims), limit: 1, params: { exact: true },
    });
    if (hits.length === 1 && hits[0].id === id) first++;
    else misses.push(`${id} -> ${JSON.stringify(hits[0] ?? null)}`);
  }
  const layout = await must(urls[0], 'GET', `/collections/${name}`);
  const before = primaries(JSON.parse(readFileSync(layoutFile, 'utf8')));
  const moved = [...primaries(layout)].filter(([shard, silo]) => before.get(shard) !== silo)
    .map(([shard, silo]) => `shard ${shard} ${before.get(shard)} -> ${silo}`);
  console.log(`check through ${urls.length} server(s): ${ids.length} acknowledged, ${present} present (get by ids, payload intact), ` +
    `${ids.length - present} missing; count ${counts.map((c) => c.count).join(' / ')}; ${first} of ${sampled.length} sampled found first by exact search; ` +
    `${seconds(start).toFixed(1)} s`);
  console.log(`  status ${layout.status}, silos ${layout.quiver.silos.join(', ')}; primaries moved since the kill: ${moved.length === 0 ? 'none' : moved.join(', ')}`);
  printReplicas(layout);
  for (const miss of misses.slice(0, 5)) console.log(`  not first: ${miss}`);
  return present === ids.length && first === sampled.length && counts.every((c) => c.count >= ids.length) ? 0 : 1;
}

async function awaitLive([list, name]) {
  const [server] = servers(list);
  const start = performance.now();
  let last = '';
  for (;;) {
    const layout = await must(server, 'GET', `/collections/${name}`).catch((e) => ({ error: e.message }));
    if (layout.quiver) {
      const replicas = layout.quiver.replicas;
      const waiting = replicas.filter((r) => r.state !== 'live' || r.lag !== 0);
      if (waiting.length === 0) {
        console.log(`await-live: all ${replicas.length} replicas live at lag 0 after ${seconds(start).toFixed(1)} s`);
        return 0;
      }
      last = waiting.map((r) => `shard ${r.shard} on ${r.silo}: ${r.state}, lag ${r.lag ?? '?'}`).join('; ');
    } else {
      last = layout.error;
    }
    if (seconds(start) > 180) {
      console.error(`await-live: not every replica is live at lag 0 after 180 s: ${last}`);
      return 1;
    }
    await sleep(500);
  }
}

// Runs the calls with `concurrency` in flight; each call picks its server by its index.
async function run(count, concurrency, one) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < count; i = next++) await one(i);
  }));
}

async function throughput([list, points, dims, queries]) {
  const urls = servers(list);
  [points, dims, queries] = [Number(points), Number(dims), Number(queries)];
  const concurrency = 4;
  const batch = 100;
  const rounds = 5;
  const queryVectors = Array.from({ length: queries }, (_, i) => vector(i, dims, 0x51ed));
  console.log(`throughput: ${points} points of ${dims} dims in batches of ${batch}, ${queries} queries (k = 10), ${concurrency} requests in flight, ` +
    `${rounds} interleaved rounds; distributed collections have ${Shards} shards`);
  // The peer: an ordinary single-node collection on the first server, through the same routes.
  const setups = [
    { label: 'single-node collection, 1 server', name: 'throughput-single', rf: 0, spread: 1 },
    { label: `RF 1, through 1 server`, name: 'throughput-rf1-over1', rf: 1, spread: 1 },
    { label: `RF 1, spread over ${urls.length} servers`, name: 'throughput-rf1-spread', rf: 1, spread: urls.length },
    { label: `RF 2, through 1 server`, name: 'throughput-rf2-over1', rf: 2, spread: 1 },
    { label: `RF 2, spread over ${urls.length} servers`, name: 'throughput-rf2-spread', rf: 2, spread: urls.length },
  ];
  for (const setup of setups) {
    if (setup.rf === 0) await must(urls[0], 'PUT', `/collections/${setup.name}`, { vectors: { size: dims, distance: 'Cosine' } });
    else await createDistributed(urls[0], setup.name, dims, setup.rf);
    setup.pick = (i) => urls[i % setup.spread];
    setup.upsertSeconds = 0;
    setup.searchRates = [];
  }
  // The machine is shared, so the setups take turns: each round writes the next slice of the points to every
  // collection in turn, then each round times the queries on every collection in turn; load from elsewhere falls on
  // all of them alike.
  const batches = Math.ceil(points / batch);
  for (let round = 0; round < rounds; round++) {
    const [from, to] = [Math.floor((round * batches) / rounds), Math.floor(((round + 1) * batches) / rounds)];
    for (const setup of setups) {
      const start = performance.now();
      await run(to - from, concurrency, async (j) => {
        const b = from + j;
        const ids = Array.from({ length: Math.min(batch, points - b * batch) }, (_, i) => b * batch + i);
        await must(setup.pick(b), 'PUT', `/collections/${setup.name}/points?wait=true`, { points: ids.map((id) => ({ id, vector: vector(id, dims) })) });
      });
      setup.upsertSeconds += seconds(start);
    }
  }
  const search = (setup) => (i) => must(setup.pick(i), 'POST', `/collections/${setup.name}/points/search`, { vector: queryVectors[i], limit: 10 });
  // Each replica builds its in-memory index on its first search: one untimed pass warms them all.
  for (const setup of setups) await run(queries, concurrency, search(setup));
  for (let round = 0; round < rounds; round++) {
    for (const setup of setups) {
      const start = performance.now();
      await run(queries, concurrency, search(setup));
      setup.searchRates.push(queries / seconds(start));
    }
  }
  const [peer] = setups;
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  for (const setup of setups) {
    setup.upserts = points / setup.upsertSeconds;
    setup.searches = median(setup.searchRates);
    console.log(`${setup.label.padEnd(33)}: upsert ${setup.upserts.toFixed(0).padStart(6)} points/s (${(setup.upserts / peer.upserts).toFixed(2)}x), ` +
      `search ${setup.searches.toFixed(0).padStart(5)} queries/s (${(setup.searches / peer.searches).toFixed(2)}x; rounds ${setup.searchRates.map((r) => r.toFixed(0)).join(', ')})`);
  }
  return 0;
}

const modes = { 'await-silos': awaitSilos, ingest, check, 'await-live': awaitLive, throughput };
const [mode, ...rest] = process.argv.slice(2);
if (!modes[mode]) {
  console.error(`usage: node bench/cluster-local.mjs ${Object.keys(modes).join('|')} ARGS (see the top of this file)`);
  process.exit(2);
}
process.exitCode = await modes[mode](rest);
