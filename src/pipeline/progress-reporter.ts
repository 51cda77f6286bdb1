import type {PartitionPhase, PartitionProgress} from '../core/progress.js'
import {writeProgress} from '../core/progress.js'
import type {Storage} from '../storage/storage.js'

/**
 * Keeps a partition's progress file up to date without writing it more often than `minimumIntervalMs` (each write
 * is a PUT on S3). Commits and phase changes write at once; a skipped update is written when the interval is up,
 * so the file never lags by more than one interval.
 */
export class ProgressReporter {
  private lastWrite = 0
  private trailing?: NodeJS.Timeout
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly storage: Storage,
    readonly progress: PartitionProgress,
    private readonly minimumIntervalMs = 1000,
  ) {}

  /** Counts a finished firm, and its topics by where their labels came from. */
  async firmFinished(failed: boolean, labelSources: readonly unknown[] = []): Promise<void> {
    this.progress.firmsProcessed++
    if (failed) this.progress.firmsFailed++
    const labeled = (this.progress.topicsLabeled ??= {llm: 0, keywords: 0})
    for (const source of labelSources) labeled[source === 'llm' ? 'llm' : 'keywords']++
    await this.write(false)
  }

  /** Counts a committed chunk. */
  async committed(firms: number): Promise<void> {
    this.progress.firmsCommitted += firms
    this.progress.chunksCommitted++
    await this.write(true)
  }

  /** Sets the phase (and, when the worker ends, its exit code and reason) and writes at once. */
  async phase(phase: PartitionPhase, details: {exitCode?: number; reason?: string} = {}): Promise<void> {
    this.progress.phase = phase
    Object.assign(this.progress, details)
    await this.write(true)
    if (phase !== 'running' && phase !== 'starting') clearTimeout(this.trailing)
  }

  private async write(force: boolean): Promise<void> {
    const wait = this.lastWrite + this.minimumIntervalMs - Date.now()
    if (!force && wait > 0) {
      this.trailing ??= setTimeout(() => {
        this.trailing = undefined
        void this.write(true).catch(() => undefined)
      }, wait).unref()
      return
    }
    clearTimeout(this.trailing)
    this.trailing = undefined
    this.lastWrite = Date.now()
    const elapsedSeconds = (this.lastWrite - Date.parse(this.progress.startedAt)) / 1000
    this.progress.rate = elapsedSeconds > 0 ? this.progress.firmsProcessed / elapsedSeconds : 0
    this.progress.updatedAt = new Date(this.lastWrite).toISOString()
    // Writes go one after another, so a late write never replaces a newer one.
    const snapshot = structuredClone(this.progress)
    const next = this.writing.catch(() => undefined).then(() => writeProgress(this.storage, snapshot))
    this.writing = next
    await next
  }
}
