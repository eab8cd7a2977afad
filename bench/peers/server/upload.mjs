// PUTs each line of a bodies file (from bodies.mjs points) to URL, in order; fails on the first non-2xx answer.
// node upload.mjs <url> <bodies>
import fs from 'node:fs';

const [url, file] = process.argv.slice(2);
for (const body of fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length)) {
  const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
}
