// Prints QPS at recall@10 targets (interpolated along each ef sweep), build time and memory, with ratios.
// Usage: node bench/ann-report.mjs quiver.json quiver-1thread.json peer.json
import fs from 'node:fs';
const [quiver, quiver1, peer] = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));

// QPS at a recall target: linear interpolation between the two sweep points around it (null when never reached).
function qpsAt(run, target) {
  const s = [...run.sweep].sort((a, b) => a.recall - b.recall || b.qps - a.qps);
  for (let i = 0; i < s.length; i++) {
    if (s[i].recall >= target) {
      if (i === 0) return s[i].qps;
      const a = s[i - 1], b = s[i];
      const t = (target - a.recall) / (b.recall - a.recall || 1);
      return a.qps + t * (b.qps - a.qps);
    }
  }
  return null;
}

const fmt = (x) => (x == null ? 'n/a' : Math.round(x).toLocaleString('en-US'));
const ratio = (a, b) => (a == null || b == null ? 'n/a' : (a / b).toFixed(2) + 'x');
console.log(`\n${quiver.dataset}: ${quiver.n.toLocaleString('en-US')} x ${quiver.dimensions}, M=${quiver.m}, efConstruction=${quiver.ef_construction}, k=10, single-threaded search`);
console.log('recall@10   quiver q/s   hnswlib q/s   quiver/hnswlib');
for (const target of [0.9, 0.95, 0.99]) {
  const q = qpsAt(quiver, target), p = qpsAt(peer, target);
  console.log(`${target.toFixed(2).padEnd(10)}  ${fmt(q).padStart(11)}  ${fmt(p).padStart(12)}  ${ratio(q, p).padStart(14)}`);
}
console.log(`build: quiver ${quiver.build_seconds.toFixed(1)} s on ${quiver.threads} threads, ${quiver1.build_seconds.toFixed(1)} s on 1; hnswlib ${peer.build_seconds.toFixed(1)} s on ${peer.threads}` +
  ` -> quiver/hnswlib ${ratio(quiver.build_seconds, peer.build_seconds)} (2 threads), ${ratio(quiver1.build_seconds, peer.build_seconds)} (1 thread)`);
console.log(`index memory: quiver ${(quiver.index_bytes / 1048576).toFixed(0)} MiB (managed heap growth), hnswlib ${(peer.index_bytes / 1048576).toFixed(0)} MiB (RSS growth);` +
  ` peak RSS quiver ${(quiver.peak_working_set_bytes / 1048576).toFixed(0)} MiB, hnswlib ${(peer.peak_working_set_bytes / 1048576).toFixed(0)} MiB`);
if (quiver.filtered) {
  console.log(`filtered search (quiver, ef ${quiver.filtered[0].ef ?? 64} widened by the filter's inverse share, random integer field; exact top-10 among allowed rows):`);
  for (const f of quiver.filtered) {
    console.log(`  selectivity ${(100 * f.selectivity).toFixed(1).padStart(5)}%  ${String(f.allowed).padStart(7)} rows  recall@10 ${f.recall.toFixed(4)}  ${fmt(f.qps).padStart(8)} q/s`);
  }
}
