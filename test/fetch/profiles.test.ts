/** Chromium profile folders of a worker that died are removed, as LibreOffice's are. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PROFILE } from '../../src/fetch/browser.js';
import { sweepDeadProcessDirs } from '../../src/temp-dirs.js';

describe('Chromium profiles', () => {
  it('those of processes that died are swept, those of live ones kept', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'nianbao-profiles-'));
    try {
      const dead = spawnSync('true').pid!;
      for (const name of [`nianbao-chromium-${dead}-a`, `nianbao-chromium-${process.pid}-b`, `nianbao-chromium-${process.ppid}-c`, 'nianbao-chromium-x1', `nianbao-lo-profile-${dead}-d`]) mkdirSync(join(tmp, name));
      expect(sweepDeadProcessDirs(CHROMIUM_PROFILE, tmp)).toEqual([`nianbao-chromium-${dead}-a`]);
      expect(readdirSync(tmp).sort()).toEqual([`nianbao-chromium-${process.pid}-b`, `nianbao-chromium-${process.ppid}-c`, 'nianbao-chromium-x1', `nianbao-lo-profile-${dead}-d`].sort());
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
