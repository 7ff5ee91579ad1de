/**
 * Every symbol the SDK exports has TSDoc: the published package is read by people who never see this repo.
 * Walks each public entry with the TypeScript compiler and lists the exports without a doc comment.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ENTRIES = ['index.ts', 'grpc/index.ts', 'widget/index.ts', 'testing/index.ts', 'openapi/index.ts'];
const srcDir = fileURLToPath(new URL('.', import.meta.url));

describe('the public API', () => {
  it('documents every exported symbol', () => {
    const files = ENTRIES.map((e) => `${srcDir}${e}`).filter((f) => existsSync(f));
    const program = ts.createProgram(files, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      skipLibCheck: true,
      noEmit: true,
    });
    const checker = program.getTypeChecker();
    const undocumented: string[] = [];
    for (const file of files) {
      const source = program.getSourceFile(file);
      const moduleSymbol = source && checker.getSymbolAtLocation(source);
      if (!moduleSymbol) continue;
      for (const exported of checker.getExportsOfModule(moduleSymbol)) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        // Re-exports of other packages (zod's `z`) carry their own documentation.
        const declaration = symbol.declarations?.[0];
        if (!declaration || declaration.getSourceFile().fileName.includes('/node_modules/')) continue;
        if (symbol.getDocumentationComment(checker).length === 0) {
          undocumented.push(`${file.slice(srcDir.length)}: ${exported.name}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  }, 60_000);
});
