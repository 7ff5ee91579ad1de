import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

describe('lockDataDir', () => {
  it('admits one holder, refuses a second, and frees the directory on release', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gf-lock-'));
    const lock = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    await lock.release();
    const again = await lockDataDir(dir);
    await again.release();
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gf-lock-'));
    fs.writeFileSync(path.join(dir, 'goatflow.lock'), '999999999');
    const lock = await lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'goatflow.lock'), 'utf8')).toBe(String(process.pid));
    await lock.release();
  });
});
