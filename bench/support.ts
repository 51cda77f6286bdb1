// What the benchmarks share: where the repository is and a fresh temporary folder. Benchmarks import from src/,
// fakes/ (the wire-level fakes they share with the tests) and here, never from test/.
import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

/** The repository root. */
export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url))

/** A new empty folder under the system's temporary folder. */
export function temporaryFolder(prefix = 'ftm-bench-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix))
}
