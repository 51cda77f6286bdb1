import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import type {MeasuresConfig} from '../../core/config/measures-schema.js'
import {UserError} from '../../base/errors.js'
import type {Embedder} from '../embedding/embedder.js'
import type {MeasureContext} from './firm-measures.js'
import {builtinLexicons, combineLexicons, parseLexicon} from './lexicon.js'
import {defaultTaxonomy, parseTaxonomy, prepareTaxonomy} from './taxonomy.js'

/** Loads the lexicons and the taxonomy once per worker and embeds the subjects; undefined when measures are off. */
export async function loadMeasures(config: MeasuresConfig, embedder: Embedder): Promise<MeasureContext | undefined> {
  if (!config.enabled) return undefined
  const user = await Promise.all(config.lexicons.map(async (file) => parseLexicon(await readDataFile(file, 'lexicon'), file)))
  const subjects = config.taxonomy ? parseTaxonomy(await readDataFile(config.taxonomy, 'taxonomy'), config.taxonomy) : defaultTaxonomy()
  return {lexicon: combineLexicons(builtinLexicons(), user), taxonomy: await prepareTaxonomy(subjects, embedder), minSubjectScore: config.minSubjectScore}
}

/** Reads and checks the user's lexicon and taxonomy files before a run is planned, so a bad file fails at once. */
export async function checkMeasureFiles(config: MeasuresConfig | undefined): Promise<void> {
  if (!config?.enabled) return
  for (const file of config.lexicons) parseLexicon(await readDataFile(file, 'lexicon'), file)
  if (config.taxonomy) parseTaxonomy(await readDataFile(config.taxonomy, 'taxonomy'), config.taxonomy)
}

/** A user's data file: a local path, or an s3:// object read through the local cache. */
async function readDataFile(file: string, what: 'lexicon' | 'taxonomy'): Promise<string> {
  const key = what === 'lexicon' ? 'pipeline.measures.lexicons' : 'pipeline.measures.taxonomy'
  if (file.startsWith('s3://')) {
    const {S3Storage} = await import('../../storage/s3-storage.js')
    const {cachedFile} = await import('../../storage/local-cache.js')
    const {s3SettingsFromEnvironment} = await import('../../storage/storage-schema.js')
    const slash = file.lastIndexOf('/')
    const storage = new S3Storage(file.slice(0, slash), s3SettingsFromEnvironment(process.env))
    if (!(await storage.describe(file.slice(slash + 1)))) throw new UserError(`The ${what} ${file} (${key}) does not exist.`, 'Check the bucket and key, and that the AWS credentials here may read it.')
    return readFile((await cachedFile(storage, file.slice(slash + 1))).file, 'utf8')
  }
  if (!existsSync(file)) {
    throw new UserError(
      `The ${what} ${file} (${key}) does not exist on this machine.`,
      'Give a path the worker can read; on Docker, EC2 or Batch put the file on S3 and give its s3:// address.',
    )
  }
  return readFile(file, 'utf8')
}
