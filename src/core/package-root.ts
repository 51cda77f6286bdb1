import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

/** The folder of ftm's package.json, found upward from this file (works from src/ and from dist/). */
export const packageRoot: string = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)))

/** ftm's version, from its package.json. */
export const ftmVersion: string = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {version: string}).version

function findPackageRoot(start: string): string {
  for (let directory = start; ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'package.json')) && existsSync(path.join(directory, '.oclifrc'))) return directory
    if (path.dirname(directory) === directory) throw new Error(`ftm's package.json was not found above ${start}`)
  }
}
