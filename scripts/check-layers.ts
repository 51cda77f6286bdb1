// The layering of the house (design.md, docs/decisions.md "issue 18"): which folder may import which, and no import
// cycles. Run by `npm run lint` (tsx scripts/check-layers.ts); exits 1 and names each broken rule.
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import ts from 'typescript'

/** One relative import: its file, its target (as a .ts path) and how it imports. */
export interface ImportEdge {
  from: string
  to: string
  kind: 'static' | 'type' | 'dynamic'
}

/** An import across layers the table does not grant, allowed for a reason. */
export interface AllowedCrossing {
  from: RegExp
  to: RegExp
  /** Only as `await import(...)`, so that the importer's other users never load the target. */
  dynamicOnly?: boolean
  why: string
}

/** Each layer and the layers it may import (besides itself and packages). */
export const layerTable: Record<string, string[]> = {
  base: [],
  storage: ['base'],
  sources: ['base', 'storage'],
  core: ['base', 'storage', 'sources'],
  executors: ['core', 'base', 'storage', 'sources'],
  pipeline: ['core', 'base', 'storage', 'sources'],
  inspect: ['core', 'base', 'storage', 'sources'],
  ui: ['core', 'base', 'storage', 'sources', 'inspect'],
  commands: ['ui', 'core', 'base', 'storage', 'sources', 'pipeline', 'inspect'],
  // Outside the product: the wire-level fakes and the benchmarks may use all of it, but never the tests' support.
  fakes: ['commands', 'ui', 'core', 'base', 'storage', 'sources', 'pipeline', 'inspect', 'executors'],
  bench: ['fakes', 'commands', 'ui', 'core', 'base', 'storage', 'sources', 'pipeline', 'inspect', 'executors'],
}

/** Imports across layers that the table does not grant, each with its reason. */
export const allowedCrossings: AllowedCrossing[] = [
  {from: /^src\/core\/executor-registry\.ts$/, to: /^executors\/[^/]+\/index\.ts$/, why: 'the registry is where the core learns the executors, from their plug-ins'},
  {from: /^src\/commands\//, to: /^executors\//, dynamicOnly: true, why: "an executor's own commands (batch, image, doctor) load its tools only when they run"},
  {from: /^src\/pipeline\//, to: /^src\/inspect\/committed-files\.ts$/, why: 'the themes step reads which chunks are committed as readers do'},
  {from: /^src\/inspect\//, to: /^src\/pipeline\/output\//, why: 'the views read the tables the pipeline writes, by their columns'},
  {from: /^src\/core\/run\/committed-firms\.ts$/, to: /^src\/pipeline\/output\/parquet-writer\.ts$/, dynamicOnly: true, why: "a run's ledger reads the committed firm ids with the pipeline's own Parquet reader, loaded only when there are chunks"},
  {from: /^src\/core\/run\/retry-failed\.ts$/, to: /^src\/pipeline\/output\/parquet-writer\.ts$/, dynamicOnly: true, why: '--retry-failed rewrites committed firms chunks with the pipeline\'s own Parquet writer, loaded only when there are chunks'},
]

/** The layer of a repository path: a folder under src/, or executors, fakes, bench, test. */
export function layerOf(file: string): string | undefined {
  for (const top of ['executors', 'fakes', 'bench', 'test']) if (file.startsWith(`${top}/`)) return top
  const match = /^src\/([^/]+)\//.exec(file)
  return match ? match[1] : undefined
}

/** Every relative import of some TypeScript files: its target, and whether it is type-only or dynamic. */
export function importEdges(root: string, files: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = []
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.Latest, true)
    const add = (specifier: string, kind: ImportEdge['kind']): void => {
      if (!specifier.startsWith('.')) return
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.js$/, '.ts')
      edges.push({from: file, to: target, kind})
    }
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text, isTypeOnlyImport(node) ? 'type' : 'static')
      else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text, node.isTypeOnly ? 'type' : 'static')
      else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) add(node.arguments[0].text, 'dynamic')
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return edges
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause
  if (!clause) return false
  if (clause.isTypeOnly) return true
  const bindings = clause.namedBindings
  return !clause.name && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly)
}

/** The imports that break the layer table, type-only ones included (a type is a dependency too). */
export function layerViolations(edges: readonly ImportEdge[], table = layerTable, crossings = allowedCrossings): ImportEdge[] {
  return edges.filter(({from, to, kind}) => {
    const fromLayer = layerOf(from)
    const toLayer = layerOf(to)
    if (!fromLayer || !toLayer || fromLayer === toLayer) return false
    if (table[fromLayer]?.includes(toLayer)) return false
    return !crossings.some((crossing) => crossing.from.test(from) && crossing.to.test(to) && (!crossing.dynamicOnly || kind === 'dynamic'))
  })
}

/** Cycles of static value imports (what runs at load time; type-only and dynamic imports make none), each once. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>()
  for (const {from, to, kind} of edges) {
    if (kind !== 'static') continue
    next.set(from, [...(next.get(from) ?? []), to])
  }
  const cycles: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (file: string): void => {
    state.set(file, 'open')
    stack.push(file)
    for (const target of next.get(file) ?? []) {
      if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target])
      else if (!state.has(target)) visit(target)
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of [...next.keys()].sort()) if (!state.has(file)) visit(file)
  return cycles
}

/** The TypeScript files of the layers (src, executors, fakes, bench), as git lists them (tracked and new). */
export function layeredFiles(root: string): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'executors', 'fakes', 'bench'], {cwd: root, encoding: 'utf8'})
  return [...new Set(listed.split('\n'))].filter((file) => file.endsWith('.ts'))
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  const edges = importEdges(root, layeredFiles(root))
  const problems = [
    ...layerViolations(edges).map(({from, to}) => `${from} imports ${to}: ${layerOf(from)} may import only ${layerTable[layerOf(from) ?? '']?.join(', ') || 'nothing else'} (scripts/check-layers.ts)`),
    ...importCycles(edges).map((cycle) => `import cycle: ${cycle.join(' -> ')}`),
  ]
  for (const problem of problems) console.error(problem)
  if (problems.length > 0) process.exit(1)
  console.log(`layers: ${edges.length} imports, no broken layer, no cycle`)
}
