import {createHash} from 'node:crypto'
import {readJson, type Storage, writeJson} from '../../storage/storage.js'
import type {ChatRequest} from './chat-client.js'

/** The cache's folder at the storage root, shared by every run there so that a re-run does not pay twice. */
export const cacheFolder = 'llm-cache'

/** What a prompt gave: labels by topic id, or `split` when the answer was unusable (too long, malformed). */
export type CachedAnswer = {labels: Record<string, string>} | {split: true}

/**
 * Answers stored under a hash of the prompt's content (model, messages, limits, output format), so any firm whose
 * topics and sentences are unchanged is named again without a request, whatever run it is in.
 */
export class LabelCache {
  constructor(
    private readonly storage: Storage,
    private readonly model: string,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** The storage key of a request's answer. */
  keyOf(request: ChatRequest): string {
    const digest = createHash('sha256')
      .update(JSON.stringify({version: 1, model: this.model, request}))
      .digest('hex')
    return `${cacheFolder}/${digest.slice(0, 2)}/${digest}.json`
  }

  /** The stored answer, or undefined (also when the cache cannot be read: naming then asks the server). */
  async get(key: string): Promise<CachedAnswer | undefined> {
    try {
      const entry = await readJson<CachedAnswer>(this.storage, key)
      return entry && ('split' in entry || typeof entry.labels === 'object') ? entry : undefined
    } catch (error) {
      this.log(`llm cache: cannot read ${key}: ${(error as Error).message}`)
      return undefined
    }
  }

  /** Stores an answer; a failed write only costs a request later. */
  async put(key: string, answer: CachedAnswer): Promise<void> {
    try {
      await writeJson(this.storage, key, answer)
    } catch (error) {
      this.log(`llm cache: cannot write ${key}: ${(error as Error).message}`)
    }
  }
}
