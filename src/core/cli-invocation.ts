import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {packageRoot} from './package-root.js'

/**
 * How to start this CLI in a child process with the given arguments: the built bin/run.js, or the TypeScript
 * sources through tsx when this process itself runs from source (bin/dev.js, tests).
 */
export function cliInvocation(args: string[]): {file: string; arguments: string[]} {
  const fromSource = fileURLToPath(import.meta.url).endsWith('.ts')
  return fromSource
    ? {file: process.execPath, arguments: ['--import', 'tsx', path.join(packageRoot, 'bin', 'dev.js'), ...args]}
    : {file: process.execPath, arguments: [path.join(packageRoot, 'bin', 'run.js'), ...args]}
}
