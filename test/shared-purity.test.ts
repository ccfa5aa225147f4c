/**
 * shared/ is the pure core both the client and the server run: no I/O of any kind. This parses every
 * non-test file in shared/ and fails on an import outside the allowed pure packages, or on a reference
 * to a global that does I/O or reads the clock (the clock is injected: `now` is always passed in).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), '../shared');

const ALLOWED_PACKAGES = [/^yjs$/, /^lib0(\/[\w./-]+)?$/, /^valibot$/, /^date-fns$/, /^date-fns-tz$/];

/** Globals that reach outside the process's memory (network, storage, DOM, process, modules). */
const FORBIDDEN_GLOBALS = new Set([
  'window',
  'document',
  'navigator',
  'globalThis',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'EventSource',
  'BroadcastChannel',
  'Worker',
  'SharedWorker',
  'indexedDB',
  'localStorage',
  'sessionStorage',
  'caches',
  'chrome',
  'process',
  'require',
  'Buffer',
  '__dirname',
  '__filename',
]);

interface Violation {
  line: number;
  what: string;
}

function isAllowedSpecifier(specifier: string, file: string): boolean {
  if (specifier.startsWith('./') || specifier.startsWith('../')) {
    const target = resolve(dirname(file), specifier);
    return !relative(SHARED, target).startsWith('..');
  }
  return ALLOWED_PACKAGES.some((pattern) => pattern.test(specifier));
}

/** An identifier that names something rather than referring to a variable in scope. */
function isNotAReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
  if (ts.isQualifiedName(parent) && parent.right === node) return true;
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isGetAccessor(parent) ||
      ts.isSetAccessor(parent) ||
      ts.isEnumMember(parent)) &&
    parent.name === node
  )
    return true;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return true;
  if ((ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) && parent.propertyName === node) return true;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return true;
  return false;
}

/** Every import and global use that would make `source` impure. */
function findImpurities(source: string, file: string): Violation[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const violations: Violation[] = [];
  const report = (node: ts.Node, what: string) =>
    violations.push({ line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1, what });
  const checkSpecifier = (node: ts.Node, specifier: ts.Expression | undefined) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return report(node, 'an import whose module is not a string literal');
    if (!isAllowedSpecifier(specifier.text, file)) report(node, `imports "${specifier.text}"`);
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || (ts.isExportDeclaration(node) && node.moduleSpecifier)) checkSpecifier(node, node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      checkSpecifier(node, node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) checkSpecifier(node, node.argument.literal as ts.Expression);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) checkSpecifier(node, node.arguments[0]);
    else if (ts.isIdentifier(node) && FORBIDDEN_GLOBALS.has(node.text) && !isNotAReference(node))
      report(node, `uses the global "${node.text}"`);
    else if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Date' &&
      node.name.text === 'now'
    )
      report(node, 'reads the clock (Date.now): pass `now` in');
    else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Date' &&
      (node.arguments?.length ?? 0) === 0
    )
      report(node, 'reads the clock (new Date()): pass `now` in');
    else if (ts.isIdentifier(node) && node.text === 'performance' && !isNotAReference(node)) report(node, 'reads the clock (performance)');
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return violations;
}

function sharedSourceFiles(directory = SHARED): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sharedSourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('shared/ imports nothing that does I/O', () => {
  const files = sharedSourceFiles();

  test('finds the core modules', () => {
    const names = files.map((file) => relative(SHARED, file));
    for (const core of ['rules.ts', 'publications.ts', 'schema.ts', 'reconcile.ts', 'protocol.ts', 'index.ts'])
      expect(names).toContain(core);
  });

  test.each(files.map((file) => ({ file: relative(SHARED, file), path: file })))('shared/$file is pure', ({ path }) => {
    expect(findImpurities(readFileSync(path, 'utf8'), path)).toEqual([]);
  });
});

describe('the purity check itself catches what it must', () => {
  const file = join(SHARED, 'example.ts');
  test.each([
    { source: `import { WebSocket } from 'ws';`, what: 'imports "ws"' },
    { source: `import Dexie from 'dexie';`, what: 'imports "dexie"' },
    { source: `import { readFileSync } from 'node:fs';`, what: 'imports "node:fs"' },
    { source: `import fs from 'fs';`, what: 'imports "fs"' },
    { source: `export * from 'y-websocket';`, what: 'imports "y-websocket"' },
    { source: `import '../client/core/api.ts';`, what: 'imports "../client/core/api.ts"' },
    { source: `const m = await import('node:path');`, what: 'imports "node:path"' },
    { source: `const name = 'ws'; const m = await import(name);`, what: 'an import whose module is not a string literal' },
    { source: `type T = import('dexie').Table;`, what: 'imports "dexie"' },
    { source: `import x = require('ws');`, what: 'imports "ws"' },
    { source: `const fs = require('fs');`, what: 'uses the global "require"' },
    { source: `window.alert('x');`, what: 'uses the global "window"' },
    { source: `const title = document.title;`, what: 'uses the global "document"' },
    { source: `export const load = () => fetch('/api/me');`, what: 'uses the global "fetch"' },
    { source: `indexedDB.open('packs');`, what: 'uses the global "indexedDB"' },
    { source: `localStorage.setItem('k', 'v');`, what: 'uses the global "localStorage"' },
    { source: `const port = process.env.PORT;`, what: 'uses the global "process"' },
    { source: `const g = globalThis.fetch;`, what: 'uses the global "globalThis"' },
    { source: `export const api = { fetch };`, what: 'uses the global "fetch"' },
    { source: `const now = Date.now();`, what: 'reads the clock (Date.now): pass `now` in' },
    { source: `const now = new Date();`, what: 'reads the clock (new Date()): pass `now` in' },
  ])('flags: $source', ({ source, what }) => {
    expect(findImpurities(source, file).map((violation) => violation.what)).toContain(what);
  });

  test('accepts pure code that merely uses the same words as names', () => {
    const source = `
      import * as Y from 'yjs';
      import * as encoding from 'lib0/encoding';
      import * as v from 'valibot';
      import { formatInTimeZone } from 'date-fns-tz';
      import { addDays } from 'date-fns';
      import { limits } from './limits.ts';
      import type { Release } from './model.ts';
      export interface Options { window: number; fetch?: boolean; document: string }
      const options = { window: 3, document: 'd', process: 'p' };
      export const at = (release: { document: string }, now: Date) => [release.document, options.window, new Date(now.getTime()), new Date(Date.UTC(2026, 0, 1))];
    `;
    expect(findImpurities(source, file)).toEqual([]);
  });
});
