#!/usr/bin/env node
// The public API of @goatflow/sdk, recorded in sdk/api/<entry>.api.md: one report per entry point of the
// package's exports that has a `@goatflow/source` condition (`.`, `./grpc`, `./widget`, `./testing`; an entry whose
// source does not exist yet is left out). A report lists every export of the entry, sorted by name, as the
// declaration a user of the published package sees (the emitted .d.ts, without comments), then the SDK's own
// declarations those exports refer to without exporting them (they are part of the API all the same). A
// declaration that another entry exports is named, not repeated.
//
// Usage: node scripts/api-report.mjs           writes the reports (`npm run api-report`)
//        node scripts/api-report.mjs --check   exits 1 when a report differs from the API (a step of `npm test`)
//
// The TypeScript compiler API does the work: the SDK's declarations are emitted in memory (nothing is written to
// sdk/dist), then read back as a second program whose type checker lists each entry's exports.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sdkDir = path.join(root, 'sdk');
// --record-dir=<dir> reads (and writes) the record elsewhere: for the test that proves --check fails on a stale one.
const recordArg = process.argv.find((a) => a.startsWith('--record-dir='));
const reportDir = recordArg
  ? path.resolve(recordArg.slice('--record-dir='.length))
  : path.join(sdkDir, 'api');
const check = process.argv.includes('--check');
const pkg = JSON.parse(fs.readFileSync(path.join(sdkDir, 'package.json'), 'utf8'));
const SOURCE_CONDITION = '@goatflow/source';

/** `.` → `sdk`, `./grpc` → `grpc`: the report's file name (without `.api.md`). */
const reportName = (subpath) => (subpath === '.' ? 'sdk' : subpath.slice(2).replaceAll('/', '-'));
/** `.` → `@goatflow/sdk`, `./grpc` → `@goatflow/sdk/grpc`. */
const specifier = (subpath) => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);
const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function fail(message) {
  process.stderr.write(`api-report: ${message}\n`);
  process.exit(2);
}

function formatDiagnostics(diagnostics) {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  });
}

// The entry points, from the package's exports.
const entries = [];
for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
  if (typeof target !== 'object' || target === null || typeof target[SOURCE_CONDITION] !== 'string') continue;
  const source = path.resolve(sdkDir, target[SOURCE_CONDITION]);
  if (!fs.existsSync(source)) {
    process.stderr.write(
      `api-report: ${specifier(subpath)} is skipped: ${path.relative(root, source)} does not exist\n`,
    );
    continue;
  }
  entries.push({ subpath, source });
}
entries.sort((a, b) => byText(a.subpath, b.subpath));

// 1. The SDK's declarations, emitted in memory with the options of its build (sdk/tsconfig.build.json).
const config = ts.getParsedCommandLineOfConfigFile(path.join(sdkDir, 'tsconfig.build.json'), undefined, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => fail(formatDiagnostics([d])),
});
if (config.errors.length) fail(formatDiagnostics(config.errors));
const outDir = config.options.outDir;
const buildProgram = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const errors = ts
  .getPreEmitDiagnostics(buildProgram)
  .filter((d) => d.category === ts.DiagnosticCategory.Error);
if (errors.length) fail(`the SDK does not compile, so its API cannot be read:\n${formatDiagnostics(errors)}`);
const declarations = new Map();
const emitted = buildProgram.emit(
  undefined,
  (file, text) => declarations.set(path.resolve(file), text),
  undefined,
  true,
);
if (emitted.diagnostics.length) fail(formatDiagnostics(emitted.diagnostics));

/** The declaration file of an SDK source file: sdk/src/grpc/index.ts → sdk/dist/grpc/index.d.ts. */
function declarationOf(source) {
  const relative = path.relative(config.options.rootDir ?? path.join(sdkDir, 'src'), source);
  return path.join(outDir, relative.replace(/\.ts$/, '.d.ts'));
}
for (const entry of entries) {
  entry.declarationFile = declarationOf(entry.source);
  if (!declarations.has(entry.declarationFile)) fail(`no declarations were emitted for ${entry.source}`);
}

// 2. Those declarations as a program of their own. The source condition is dropped so that a self-reference
// (`@goatflow/sdk/...`) resolves to the declarations, as it does for a user of the package.
const options = { ...config.options, noEmit: true, customConditions: undefined };
const host = ts.createCompilerHost(options, true);
const readFile = host.readFile.bind(host);
const fileExists = host.fileExists.bind(host);
const getSourceFile = host.getSourceFile.bind(host);
host.readFile = (file) => declarations.get(path.resolve(file)) ?? readFile(file);
host.fileExists = (file) => declarations.has(path.resolve(file)) || fileExists(file);
host.getSourceFile = (file, languageVersion, onError, shouldCreate) => {
  const text = declarations.get(path.resolve(file));
  return text === undefined
    ? getSourceFile(file, languageVersion, onError, shouldCreate)
    : ts.createSourceFile(file, text, languageVersion, true);
};
const program = ts.createProgram({
  rootNames: entries.map((e) => e.declarationFile),
  options,
  host,
});
const checker = program.getTypeChecker();
const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

const isSdkFile = (file) => declarations.has(path.resolve(file));
/** The package a dependency's declaration file belongs to: …/node_modules/@grpc/grpc-js/… → @grpc/grpc-js. */
function packageOf(file) {
  const parts = file
    .split(/[\\/]node_modules[\\/]/)
    .pop()
    .split(/[\\/]/);
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}
const resolveAlias = (symbol) =>
  symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;

/** The statement to print for a declaration: a variable's whole `declare const x: T;`. */
function statementOf(declaration) {
  if (ts.isVariableDeclaration(declaration)) return declaration.parent.parent;
  return declaration;
}

/** Whether a class member is private (`private x` or `#x`): no user can reach it, so it is not API. */
const isPrivate = (member) =>
  (member.name !== undefined && ts.isPrivateIdentifier(member.name)) ||
  (ts.canHaveModifiers(member) &&
    (ts.getModifiers(member) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword));

/** One declaration, printed without comments, private members, and `export`, `default` or `declare`. */
function print(node) {
  const sourceFile = node.getSourceFile();
  if (ts.isClassDeclaration(node) && node.members.some(isPrivate)) {
    node = ts.factory.updateClassDeclaration(
      node,
      node.modifiers,
      node.name,
      node.typeParameters,
      node.heritageClauses,
      node.members.filter((m) => !isPrivate(m)),
    );
  }
  const text = printer.printNode(ts.EmitHint.Unspecified, node, sourceFile);
  return text.replace(/^(export\s+)?(default\s+)?(declare\s+)?/, '');
}

/** The SDK's declarations (sorted by file and position) of a symbol. */
function sdkDeclarations(symbol) {
  return (symbol.declarations ?? [])
    .filter((d) => isSdkFile(d.getSourceFile().fileName))
    .sort(
      (a, b) => byText(a.getSourceFile().fileName, b.getSourceFile().fileName) || a.getStart() - b.getStart(),
    );
}

/** Whether a symbol is declared at the top level of an SDK module (not a type parameter, member or local). */
const isTopLevel = (symbol) =>
  sdkDeclarations(symbol).some((d) => {
    const parent = statementOf(d).parent;
    return parent !== undefined && (ts.isSourceFile(parent) || ts.isModuleBlock(parent));
  });

/** The SDK symbols the given nodes refer to by name in type positions, `extends` and `typeof`. */
function referencedSymbols(nodes) {
  const found = new Set();
  const visit = (node) => {
    let name;
    if (ts.isTypeReferenceNode(node)) name = node.typeName;
    else if (ts.isExpressionWithTypeArguments(node)) name = node.expression;
    else if (ts.isTypeQueryNode(node)) name = node.exprName;
    else if (ts.isImportTypeNode(node)) name = node.qualifier;
    if (name) {
      const last = ts.isQualifiedName(name)
        ? name.right
        : ts.isPropertyAccessExpression(name)
          ? name.name
          : name;
      const symbol = checker.getSymbolAtLocation(last);
      if (symbol) {
        const target = resolveAlias(symbol);
        if (isTopLevel(target)) found.add(target);
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const node of nodes) visit(node);
  return found;
}

// Who exports what: an internal declaration that another entry exports is named rather than printed again.
for (const entry of entries) {
  const sourceFile = program.getSourceFile(entry.declarationFile);
  const moduleSymbol = sourceFile && checker.getSymbolAtLocation(sourceFile);
  if (!moduleSymbol) fail(`${specifier(entry.subpath)} exports nothing`);
  entry.exports = checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => ({ name: symbol.getName(), target: resolveAlias(symbol) }))
    .sort((a, b) => byText(a.name, b.name));
}
const exportedBy = new Map();
for (const entry of entries) {
  for (const { target } of entry.exports) if (!exportedBy.has(target)) exportedBy.set(target, entry.subpath);
}

/** The lines of one exported symbol. */
function exportLines(name, target, seen) {
  const declared = sdkDeclarations(target);
  if (!target.declarations?.length) fail(`cannot resolve the export ${name} (does its module compile?)`);
  if (declared.length === 0) {
    // A re-export from a dependency (zod's `z`, say): the package is named, its API is its own.
    const file = target.declarations?.[0]?.getSourceFile().fileName;
    const from = file ? packageOf(file) : 'unknown';
    const original = target.getName();
    if (target.flags & ts.SymbolFlags.Module && target.declarations?.every(ts.isSourceFile)) {
      return [`export * as ${name} from '${from}';`];
    }
    return [`export { ${original === name ? name : `${original} as ${name}`} } from '${from}';`];
  }
  if (declared.every(ts.isSourceFile)) {
    // `export * as ns from './module.js'`: the module's exports, as a namespace.
    const members = checker
      .getExportsOfModule(target)
      .map((s) => ({ name: s.getName(), target: resolveAlias(s) }))
      .sort((a, b) => byText(a.name, b.name))
      .flatMap((m) => exportLines(m.name, m.target, seen));
    return [`export namespace ${name} {`, ...members.map((l) => `    ${l}`), '}'];
  }
  const statements = [...new Set(declared.map(statementOf))];
  for (const statement of statements) seen.push(statement);
  const declaredName = target.getName();
  if (declaredName === name) return statements.map((s) => `export ${print(s)}`);
  return [...statements.map(print), `export { ${declaredName} as ${name} };`];
}

function report(entry) {
  const exported = new Set(entry.exports.map((e) => e.target));
  const printedStatements = [];
  const blocks = entry.exports.map(({ name, target }) =>
    exportLines(name, target, printedStatements).join('\n'),
  );

  // The SDK's declarations that the exports refer to without exporting them, transitively.
  const internal = new Map();
  let frontier = printedStatements;
  while (frontier.length) {
    const next = [];
    for (const symbol of referencedSymbols(frontier)) {
      if (exported.has(symbol) || internal.has(symbol)) continue;
      const elsewhere = exportedBy.get(symbol);
      if (elsewhere !== undefined && elsewhere !== entry.subpath) {
        internal.set(symbol, [`// ${symbol.getName()}: exported by ${specifier(elsewhere)}`]);
        continue;
      }
      const statements = [...new Set(sdkDeclarations(symbol).map(statementOf))];
      internal.set(symbol, statements.map(print));
      next.push(...statements);
    }
    frontier = next;
  }
  const internalBlocks = [...internal.entries()]
    .map(([symbol, lines]) => ({
      key: `${symbol.getName()}\0${path.relative(outDir, sdkDeclarations(symbol)[0].getSourceFile().fileName)}`,
      text: lines.join('\n'),
    }))
    .sort((a, b) => byText(a.key, b.key))
    .map((b) => b.text);

  const name = specifier(entry.subpath);
  return [
    `# API report: \`${name}\``,
    '',
    `The public API of \`${name}\` as its declarations show it to a user of the package. Generated by`,
    '`npm run api-report` (scripts/api-report.mjs); do not edit. `npm test` fails when the API differs from this',
    'record: when the change is intended, regenerate the file and commit it with the change.',
    '',
    '```ts',
    blocks.join('\n\n'),
    ...(internalBlocks.length
      ? ['', '// Not exported by this entry point, but part of its API:', '', internalBlocks.join('\n\n')]
      : []),
    '```',
    '',
  ].join('\n');
}

const wanted = new Map(entries.map((e) => [`${reportName(e.subpath)}.api.md`, report(e)]));
const entryOf = new Map(entries.map((e) => [`${reportName(e.subpath)}.api.md`, specifier(e.subpath)]));
const existing = fs.existsSync(reportDir)
  ? fs.readdirSync(reportDir).filter((f) => f.endsWith('.api.md'))
  : [];

if (!check) {
  fs.mkdirSync(reportDir, { recursive: true });
  for (const file of existing) if (!wanted.has(file)) fs.rmSync(path.join(reportDir, file));
  let written = 0;
  for (const [file, text] of wanted) {
    const target = path.join(reportDir, file);
    if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text) continue;
    fs.writeFileSync(target, text);
    written++;
  }
  process.stdout.write(`api-report: ${wanted.size} reports in sdk/api, ${written} updated\n`);
  process.exit(0);
}

/** The lines removed and added between two texts (a longest-common-subsequence line diff). */
function diff(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push(`  - ${a[i++]}`);
    } else {
      out.push(`  + ${b[j++]}`);
    }
  }
  return out;
}

const problems = [];
for (const [file, text] of wanted) {
  const target = path.join(reportDir, file);
  if (!fs.existsSync(target)) {
    problems.push(`${entryOf.get(file)}: sdk/api/${file} is missing (a new entry point?)`);
  } else {
    const recorded = fs.readFileSync(target, 'utf8');
    if (recorded !== text) {
      const lines = diff(recorded, text);
      const shown = lines.slice(0, 40);
      if (lines.length > shown.length) shown.push(`  … and ${lines.length - shown.length} more lines`);
      problems.push(
        `${entryOf.get(file)}: its API changed, sdk/api/${file} is out of date (- recorded, + now):\n${shown.join('\n')}`,
      );
    }
  }
}
for (const file of existing) {
  if (!wanted.has(file)) {
    problems.push(
      `sdk/api/${file} records an entry point the package no longer has (or whose source is missing)`,
    );
  }
}
if (problems.length) {
  process.stderr.write(
    `The public API of @goatflow/sdk differs from its record:\n\n${problems.join('\n\n')}\n\n` +
      'If the change is intended, update the record with `npm run api-report` (node scripts/api-report.mjs) ' +
      'and commit sdk/api/ with it; otherwise undo the change to the API.\n',
  );
  process.exit(1);
}
process.stdout.write(`api-report: the ${wanted.size} reports in sdk/api match the API\n`);
