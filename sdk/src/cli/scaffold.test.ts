import { describe, expect, it } from 'vitest';
import {
  pluginIdProblem,
  renderTemplate,
  scaffoldDevDependencies,
  scaffoldFiles,
  scaffoldNames,
  suggestId,
} from './scaffold.js';
import { sdkPackage } from './sdk-package.js';

describe('plugin ids', () => {
  it('accepts ids the manifest accepts', () => {
    for (const id of ['abc', 'hello-world', 'my-plugin-2', 'a'.repeat(40)])
      expect(pluginIdProblem(id)).toBeUndefined();
  });

  it('says what is wrong with an id the manifest refuses', () => {
    expect(pluginIdProblem('ab')).toContain('it has 2 characters');
    expect(pluginIdProblem('a'.repeat(41))).toContain('it has 41 characters');
    expect(pluginIdProblem('2fa')).toContain('does not start with a lower-case letter');
    expect(pluginIdProblem('My-Plugin')).toContain('does not start with a lower-case letter');
    expect(pluginIdProblem('hello-')).toContain('ends with a dash');
    expect(pluginIdProblem('hello_world')).toContain('characters other than');
    expect(pluginIdProblem('kernel')).toContain('is reserved');
    expect(pluginIdProblem('pg-stats')).toContain('is reserved');
  });

  it('suggests a valid id for what was typed', () => {
    expect(suggestId('My Plugin')).toBe('my-plugin');
    expect(suggestId('helloWorld')).toBe('hello-world');
    expect(suggestId('2nd_Try!')).toBe('nd-try');
    expect(suggestId('Café Crème')).toBe('cafe-creme');
  });
});

describe('scaffold names', () => {
  it('derives the display name, schema, widget class and element from the id', () => {
    expect(scaffoldNames('hello-world')).toEqual({
      id: 'hello-world',
      name: 'Hello World',
      schema: 'hello_world',
      widgetClass: 'HelloWorldWidget',
      element: 'hello-world-widget',
    });
    // The manifest's element pattern has no empty segments.
    expect(scaffoldNames('ab--cd').element).toBe('ab-cd-widget');
    expect(scaffoldNames('abc').element).toBe('abc-widget');
    // Display names keep the usual spelling of acronyms; the code names stay plain.
    expect(scaffoldNames('hello-grpc-widget')).toMatchObject({
      name: 'Hello gRPC Widget',
      widgetClass: 'HelloGrpcWidgetWidget',
    });
  });
});

describe('templates', () => {
  it('replaces known placeholders and keeps i18n parameters', () => {
    expect(renderTemplate('{{id}}: {{count}} {{constructor}}', { id: 'x' })).toBe(
      'x: {{count}} {{constructor}}',
    );
  });

  it('pins the versions the contract names, and assemblyscript only for WASM', () => {
    expect(scaffoldDevDependencies('wasm', '1.2.3')).toEqual({
      '@goatflow/kernel': '^1.2.3',
      '@goatflow/sdk': '^1.2.3',
      assemblyscript: '0.28.20',
      vitest: '4.1.12',
    });
    expect(Object.keys(scaffoldDevDependencies('grpc', '1.2.3'))).toEqual([
      '@goatflow/kernel',
      '@goatflow/sdk',
      'vitest',
    ]);
  });

  for (const runtime of ['wasm', 'grpc'] as const) {
    it(`renders the ${runtime} layout with every placeholder filled`, () => {
      const sdk = sdkPackage();
      const files = scaffoldFiles(sdk.templatesDir, runtime, scaffoldNames('hello-world'), sdk.version);
      const common = [
        '.gitignore',
        'README.md',
        'i18n/en.json',
        'migrations/0001_init.sql',
        'package.json',
        'src/plugin.ts',
        'test/plugin.test.ts',
        'tsconfig.json',
        'web/hello-world-widget.ts',
      ];
      const own =
        runtime === 'wasm'
          ? ['asconfig.json', 'assembly/index.ts', 'assembly/tsconfig.json']
          : ['src/handlers/hello.ts', 'src/main.ts', 'src/settings.ts'];
      expect([...files.keys()].sort()).toEqual([...common, ...own].sort());
      for (const [file, text] of files) {
        const left = [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);
        // Only the i18n parameter of the widget's count text is meant to stay.
        expect(
          left.every((p) => p === 'count'),
          `${file}: ${left.join(', ')}`,
        ).toBe(true);
      }
      const pkg = JSON.parse(files.get('package.json')!) as Record<string, Record<string, string>>;
      expect(pkg.name).toBe('hello-world');
      expect(pkg.scripts).toEqual({
        build: 'goatflow-plugin build',
        validate: 'goatflow-plugin validate',
        test: 'vitest run',
        pack: 'goatflow-plugin pack',
        dev: 'goatflow-plugin dev',
      });
      expect(pkg.devDependencies).toEqual(scaffoldDevDependencies(runtime, sdk.version));
      const plugin = files.get('src/plugin.ts')!;
      expect(plugin).toContain("id: 'hello-world'");
      expect(plugin).toContain(`runtime: '${runtime}'`);
      expect(plugin).toContain("module: 'assets/hello-world-widget.js'");
      expect(files.get('web/hello-world-widget.ts')).toContain(
        "customElements.define('hello-world-widget', HelloWorldWidget)",
      );
      expect(files.get('test/plugin.test.ts')).toContain("get('/api/plugins/hello-world/hello')");
      JSON.parse(files.get('i18n/en.json')!);
      if (runtime === 'wasm') JSON.parse(files.get('asconfig.json')!);
    });
  }
});
