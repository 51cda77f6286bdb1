import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {type ImportEdge, importCycles, importEdges, layeredFiles, layerViolations} from '../../../scripts/check-layers.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const edge = (from: string, to: string, kind: ImportEdge['kind'] = 'static'): ImportEdge => ({from, to, kind})

describe('the layers of the house', () => {
  it('hold in this tree: no broken layer and no import cycle', () => {
    const edges = importEdges(root, layeredFiles(root))
    expect(edges.length).toBeGreaterThan(100)
    expect(layerViolations(edges).map(({from, to}) => `${from} -> ${to}`)).toEqual([])
    expect(importCycles(edges)).toEqual([])
  })

  it('refuse storage and sources reaching up, the pipeline reaching an executor, and core reaching past the plug-ins', () => {
    const broken = [
      edge('src/storage/s3-storage.ts', 'src/core/config/schema.ts', 'type'),
      edge('src/sources/csv-source.ts', 'src/core/partition.ts'),
      edge('src/pipeline/worker.ts', 'executors/process/worker-command.ts'),
      edge('src/core/run/start-run.ts', 'executors/batch/batch-executor.ts', 'dynamic'),
      edge('src/core/executor-registry.ts', 'executors/batch/batch-executor.ts'),
      edge('executors/batch/submission.ts', 'src/pipeline/worker.ts'),
      edge('src/base/errors.ts', 'src/core/layout.ts'),
      edge('src/commands/run.ts', 'executors/batch/setup.ts'),
      edge('bench/scale.ts', 'test/support/cli.ts'),
      edge('fakes/fake-batch/server.ts', 'test/support/cli.ts'),
      edge('src/pipeline/worker.ts', 'fakes/fake-chat-server.ts'),
    ]
    expect(layerViolations(broken)).toEqual(broken)
  })

  it('grant what the table and its listed crossings allow', () => {
    const allowed = [
      edge('src/sources/remote-file-source.ts', 'src/storage/s3-storage.ts'),
      edge('src/core/executor-registry.ts', 'executors/batch/index.ts'),
      edge('src/commands/batch/setup.ts', 'executors/batch/setup.ts', 'dynamic'),
      edge('executors/batch/setup.ts', 'src/base/errors.ts'),
      edge('src/commands/run.ts', 'src/pipeline/worker.ts'),
      edge('bench/naming.ts', 'fakes/fake-chat-server.ts'),
      edge('fakes/fake-chat-server.ts', 'src/pipeline/model-firm.ts'),
    ]
    expect(layerViolations(allowed)).toEqual([])
  })

  it('find cycles of static imports only', () => {
    expect(importCycles([edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts'), edge('c.ts', 'a.ts')])).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']])
    expect(importCycles([edge('a.ts', 'b.ts'), edge('b.ts', 'a.ts', 'type')])).toEqual([])
    expect(importCycles([edge('a.ts', 'b.ts'), edge('b.ts', 'a.ts', 'dynamic')])).toEqual([])
  })

  it('read imports as static, type-only or dynamic from the source text', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'ftm-layers-'))
    mkdirSync(path.join(directory, 'src', 'core'), {recursive: true})
    writeFileSync(
      path.join(directory, 'src', 'core', 'a.ts'),
      [
        "import {b} from './b.js'",
        "import type {C} from '../storage/c.js'",
        "import {type D} from './d.js'",
        "export {e} from './e.js'",
        "import {z} from 'zod'",
        "const lazy = () => import('../../executors/x/index.js')",
      ].join('\n'),
    )
    expect(importEdges(directory, ['src/core/a.ts'])).toEqual([
      edge('src/core/a.ts', 'src/core/b.ts'),
      edge('src/core/a.ts', 'src/storage/c.ts', 'type'),
      edge('src/core/a.ts', 'src/core/d.ts', 'type'),
      edge('src/core/a.ts', 'src/core/e.ts'),
      edge('src/core/a.ts', 'executors/x/index.ts', 'dynamic'),
    ])
  })
})
