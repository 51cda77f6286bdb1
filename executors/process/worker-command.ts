import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {packageRoot} from '../../src/core/package-root.js'

/**
 * How to start `ftm worker` in a child process: the built CLI, or the TypeScript sources through tsx when this
 * process itself runs from source (bin/dev.js, tests).
 */
export function workerCommand(): {file: string; arguments: string[]} {
  const fromSource = fileURLToPath(import.meta.url).endsWith('.ts')
  return fromSource
    ? {file: process.execPath, arguments: ['--import', 'tsx', path.join(packageRoot, 'bin', 'dev.js'), 'worker']}
    : {file: process.execPath, arguments: [path.join(packageRoot, 'bin', 'run.js'), 'worker']}
}
