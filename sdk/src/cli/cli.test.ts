import { describe, expect, it } from 'vitest';
import { COMMANDS, runCli } from './cli.js';
import { memoryIo } from './project.test-util.js';
import { sdkPackage } from './sdk-package.js';

describe('runCli', () => {
  it('lists the commands with --help (exit 0) and without a command (exit 1)', async () => {
    const help = memoryIo('/');
    expect(await runCli(['--help'], help)).toBe(0);
    for (const name of ['new', 'build', 'validate', 'pack', 'dev'])
      expect(help.stdout).toContain(`  ${name} `);
    expect(await runCli([], memoryIo('/'))).toBe(1);
  });

  it('prints every command’s --help and exits 0', async () => {
    for (const command of COMMANDS) {
      const io = memoryIo('/');
      expect(await runCli([command.spec.name, '--help'], io)).toBe(0);
      expect(io.stdout).toMatch(new RegExp(`^Usage: goatflow-plugin ${command.spec.name}`));
    }
  });

  it('says dev needs the plugin in the kernel’s plugin folder', async () => {
    const io = memoryIo('/');
    await runCli(['dev', '--help'], io);
    expect(io.stdout).toContain('GOATFLOW_PLUGIN_DIR');
    expect(io.stdout).toContain('GOATFLOW_ADMIN_PASSWORD');
  });

  it('prints the version', async () => {
    const io = memoryIo('/');
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.stdout).toBe(`${sdkPackage().version}\n`);
  });

  it('names an unknown command and an unknown option, exiting 1', async () => {
    const unknown = memoryIo('/');
    expect(await runCli(['publish'], unknown)).toBe(1);
    expect(unknown.stderr).toBe(
      'goatflow-plugin: unknown command "publish"\n  → the commands are new, build, validate, pack, dev; goatflow-plugin --help explains them\n',
    );
    const option = memoryIo('/');
    expect(await runCli(['build', '--watch'], option)).toBe(1);
    expect(option.stderr).toContain("goatflow-plugin build: Unknown option '--watch'");
    expect(option.stderr).toContain('→ run goatflow-plugin build --help to see the usage');
  });

  it('refuses a folder that is not a plugin project', async () => {
    const io = memoryIo('/');
    expect(await runCli(['validate', '--dir', '/'], io)).toBe(1);
    expect(io.stderr).toContain(
      'is not a plugin project: it has neither src/plugin.ts nor goatflow-plugin.json',
    );
  });
});
