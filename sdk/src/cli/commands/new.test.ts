import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { memoryIo, removeTempDirs, tempDir } from '../project.test-util.js';

afterAll(removeTempDirs);

describe('goatflow-plugin new', () => {
  it('scaffolds into ./<name> and says what to do next', async () => {
    const cwd = tempDir();
    const io = memoryIo(cwd);
    expect(await runCli(['new', 'hello-world', '--runtime', 'grpc'], io)).toBe(0);
    expect(io.stdout).toMatch(/^✓ created hello-world \(grpc\) in hello-world: 12 files\n/);
    expect(io.stdout).toContain('  cd hello-world\n  npm install\n');
    const dir = path.join(cwd, 'hello-world');
    expect(fs.existsSync(path.join(dir, 'src/main.ts'))).toBe(true);
    expect(fs.existsSync(path.join(dir, '.gitignore'))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'src/plugin.ts'), 'utf8')).toContain("runtime: 'grpc'");
  });

  it('scaffolds into --dir, which may exist when empty', async () => {
    const dir = tempDir();
    const io = memoryIo(tempDir());
    expect(await runCli(['new', 'hello-wasm2', '--runtime', 'wasm', '--dir', dir], io)).toBe(0);
    expect(fs.existsSync(path.join(dir, 'assembly/index.ts'))).toBe(true);
  });

  it('refuses an invalid or reserved id with a suggestion, a missing runtime and a folder in use', async () => {
    const cwd = tempDir();
    const bad = memoryIo(cwd);
    expect(await runCli(['new', 'My Plugin', '--runtime', 'wasm'], bad)).toBe(1);
    expect(bad.stderr).toContain('goatflow-plugin new: "My Plugin" cannot be a plugin id');
    expect(bad.stderr).toContain('→ try goatflow-plugin new my-plugin\n');

    const reserved = memoryIo(cwd);
    expect(await runCli(['new', 'kernel', '--runtime', 'wasm'], reserved)).toBe(1);
    expect(reserved.stderr).toContain('"kernel" is reserved');

    const noRuntime = memoryIo(cwd);
    expect(await runCli(['new', 'hello-x'], noRuntime)).toBe(1);
    expect(noRuntime.stderr).toContain('--runtime is required');

    const badRuntime = memoryIo(cwd);
    expect(await runCli(['new', 'hello-x', '--runtime', 'jvm'], badRuntime)).toBe(1);
    expect(badRuntime.stderr).toContain('--runtime must be wasm or grpc, not "jvm"');

    fs.mkdirSync(path.join(cwd, 'taken'));
    fs.writeFileSync(path.join(cwd, 'taken', 'x'), '');
    const taken = memoryIo(cwd);
    expect(await runCli(['new', 'taken', '--runtime', 'wasm'], taken)).toBe(1);
    expect(taken.stderr).toContain('already exists and is not an empty folder');
    expect(fs.readdirSync(cwd).sort()).toEqual(['taken']);
  });
});
