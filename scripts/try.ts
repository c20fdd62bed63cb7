import { readFileSync } from 'node:fs';
import { extractRecord } from '../src/extractor.js';
for (const f of process.argv.slice(2)) {
  const r = await extractRecord(readFileSync(f), { uri: f });
  const vals = Object.entries(r.values);
  console.log(`== ${f}: ${r.status} ${r.template} ${r.agency} ${r.year} fields=${vals.length}`);
  for (const i of r.issues) console.log(`   [${i.severity}] ${i.code}: ${i.message.slice(0, 300)}`);
  console.log('   ' + vals.filter(([, v]) => v !== 0).map(([k, v]) => `${k.replace('applications.', '')}=${v}`).join('  '));
}
