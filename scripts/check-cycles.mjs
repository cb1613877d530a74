// Fails when files in packages/ import each other in a circle. Every import counts, `import type` and re-exports included:
// a circle of types is still a circle a reader has to hold in their head, and the next value import turns it into a
// load-order bug. Relative imports resolve to files; `@dms/<package>` resolves to that package's src/index.ts (and
// `@dms/<package>/testing` to its exports entry), so a circle through a package's public face is found too.
// Usage: node scripts/check-cycles.mjs   (prints each circle, exits 1 if there is one)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'packages');
const SKIP = new Set(['node_modules', 'dist', 'public', '.vite']);

const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });

/** `@dms/x` and `@dms/x/sub` as the file they name, from the package's exports map. */
const workspaceEntry = (specifier) => {
  const m = /^@dms\/([a-z-]+)(\/.*)?$/.exec(specifier);
  if (!m) return undefined;
  const dir = join(packagesDir, m[1]);
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  const exportsMap = JSON.parse(readFileSync(manifest, 'utf8')).exports ?? {};
  const target = exportsMap[m[2] ? `.${m[2]}` : '.'];
  return typeof target === 'string' ? join(dir, target) : undefined;
};

const resolveRelative = (from, specifier) => {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, base.replace(/\.js$/, '.ts'), join(base, 'index.ts'), join(base, 'index.tsx')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
};

const importsOf = (file) => {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const specifiers = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers.map((s) => (s.startsWith('.') ? resolveRelative(file, s) : workspaceEntry(s))).filter((target) => target !== undefined && target !== file);
};

/** Strongly connected components with more than one file (Tarjan). */
export const cyclesIn = (graph) => {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const connect = (v) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), indices.get(w)));
    }
    if (low.get(v) === indices.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) connect(v);
  return components;
};

/** One shortest circle through the first file of a component, to show rather than just name the files. */
const circleThrough = (graph, component) => {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        for (let p = previous.get(v); p !== null; p = previous.get(p)) path.unshift(p);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return component;
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const graph = new Map();
  for (const pkg of readdirSync(packagesDir)) {
    if (!existsSync(join(packagesDir, pkg, 'package.json'))) continue;
    for (const file of files(join(packagesDir, pkg))) graph.set(file, [...new Set(importsOf(file))]);
  }
  const cycles = cyclesIn(graph);
  const show = (f) => relative(root, f);
  for (const component of cycles) {
    console.error(`import cycle among ${component.length} files: ${circleThrough(graph, component).map(show).join(' -> ')}`);
    if (component.length > 2) console.error(`  (all in the circle: ${component.map(show).join(', ')})`);
  }
  if (cycles.length > 0) {
    console.error(`${cycles.length} import cycle(s) in packages/; see scripts/check-cycles.mjs`);
    process.exit(1);
  }
  console.log(`no import cycles among ${graph.size} files in packages/`);
}
