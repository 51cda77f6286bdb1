import type {PartitionPhase, PartitionProgress} from '../core/progress.js'
import {writeProgress} from '../core/progress.js'
import type {Storage} from '../storage/storage.js'

/** Keeps a partition's progress file up to date without writing it more than about once a second. */
export class ProgressReporter {
  private lastWrite = 0

  constructor(
    private readonly storage: Storage,
    readonly progress: PartitionProgress,
    private readonly minimumIntervalMs = 1000,
  ) {}

  /** Counts a finished firm. */
  async firmFinished(failed: boolean): Promise<void> {
    this.progress.firmsProcessed++
    if (failed) this.progress.firmsFailed++
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
  }

  private async write(force: boolean): Promise<void> {
    const now = Date.now()
    if (!force && now - this.lastWrite < this.minimumIntervalMs) return
    this.lastWrite = now
    const elapsedSeconds = (now - Date.parse(this.progress.startedAt)) / 1000
    this.progress.rate = elapsedSeconds > 0 ? this.progress.firmsProcessed / elapsedSeconds : 0
    this.progress.updatedAt = new Date(now).toISOString()
    await writeProgress(this.storage, this.progress)
  }
}
