#!/usr/bin/env node
/**
 * Complete package-lock.json with the platform builds of optional native packages that this
 * machine's npm registry mirror does not carry (it serves only linux builds), so that `npm ci`
 * accepts the lock everywhere (npm bug npm/cli#9846: `npm install` leaves them out, `npm ci` then
 * reports them missing). The entries carry os/cpu, so npm never fetches them on other platforms.
 * Run after `npm install` changes the lock: node scripts/lockfile-platforms.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORMS = { 'darwin-arm64': ['darwin', 'arm64'], 'darwin-x64': ['darwin', 'x64'], 'linux-arm': ['linux', 'arm'], 'linux-arm64': ['linux', 'arm64'], 'linux-x64': ['linux', 'x64'], 'win32-x64': ['win32', 'x64'] };
const FAMILIES = [{ parent: 'node_modules/msgpackr-extract', scope: '@msgpackr-extract/msgpackr-extract-' }];

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
let added = 0;
for (const { parent, scope } of FAMILIES) {
  const p = lock.packages[parent];
  if (!p) continue;
  for (const [name, version] of Object.entries(p.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key] || !name.startsWith(scope)) continue;
    const [os, cpu] = PLATFORMS[name.slice(scope.length)] ?? [];
    if (!os) continue;
    lock.packages[key] = { version, cpu: [cpu], license: 'MIT', optional: true, os: [os] };
    added++;
  }
}
const entries = Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0));
lock.packages = Object.fromEntries(entries);
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entr${added === 1 ? 'y' : 'ies'} added`);
