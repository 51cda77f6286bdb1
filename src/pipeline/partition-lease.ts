import {randomUUID} from 'node:crypto'
import {readlinkSync} from 'node:fs'
import {hostname} from 'node:os'
import {ExitCode} from '../base/exit-codes.js'
import {systemClock, type Clock} from '../base/clock.js'
import {isProcessAlive} from '../core/run/process-liveness.js'
import {latestClaim, numberedClaimKey, takeClaim} from '../storage/numbered-claims.js'
import {type Storage, writeJson} from '../storage/storage.js'

/** One worker's claim on a partition, as stored (the numbered claim object, rewritten by its holder to renew it). */
export interface LeaseClaim {
  attemptId: string
  host: string
  /** The kernel's id of the process's pid namespace, so a pid is only checked where it means the same process. */
  pidNamespace?: string
  pid: number
  /** The Batch job (and attempt) the worker runs as, when it runs on Batch. */
  batchJob?: string
  takenAt: string
  /** Wall-clock time after which another worker may take the partition over unless the holder renewed it. */
  expiresAt: string
  /** Set when the holder ended: the next worker proceeds at once. */
  releasedAt?: string
}

/** How long a lease lasts and how long a worker waits for a partition another worker holds. */
export interface LeaseSettings {
  leaseExpirySeconds: number
  leaseWaitSeconds: number
}

/** The defaults, also for run records written before leases existed. */
export const defaultLeaseSettings: LeaseSettings = {leaseExpirySeconds: 90, leaseWaitSeconds: 300}

/** Where the lease's time comes from: wall-clock milliseconds (compared across hosts) and waits. */
export interface LeaseTime {
  wallNow: () => number
  sleep: Clock['sleep']
}

const systemTime: LeaseTime = {wallNow: () => Date.now(), sleep: systemClock.sleep}

/** The partition stayed held by another live worker for the whole wait (exit 4: not this partition's failure). */
export class PartitionBusyError extends Error {
  readonly exitCode = ExitCode.partitionBusy
  constructor(readonly holder: LeaseClaim, waitedSeconds: number) {
    super(`another worker holds this partition: ${describeHolder(holder)}; waited ${waitedSeconds} s (worker.leaseWaitSeconds) and stopped without touching its files`)
  }
}

/**
 * This worker no longer holds its partition: another took it over (exit 4), or the lease ran out because renewals
 * failed (exit 75: storage trouble, retried), so another may be taking it over. Nothing more may be cleaned or committed.
 */
export class LeaseLostError extends Error {
  readonly exitCode: number
  constructor(
    readonly takenOver: boolean,
    message: string,
  ) {
    super(message)
    this.exitCode = takenOver ? ExitCode.partitionBusy : ExitCode.transient
  }
}

/** Who holds a lease, in words. */
export function describeHolder(claim: LeaseClaim): string {
  const job = claim.batchJob ? `, Batch job ${claim.batchJob}` : ''
  return `attempt ${claim.attemptId} (pid ${claim.pid} on ${claim.host}${job}, lease until ${claim.expiresAt})`
}

/** True when a claim no longer holds its partition: released, expired, or its process is gone (checkable here only). */
export function isClaimFree(claim: LeaseClaim, wallNow: number): boolean {
  if (claim.releasedAt !== undefined || Date.parse(claim.expiresAt) <= wallNow) return true
  return claim.host === hostname() && claim.pidNamespace !== undefined && claim.pidNamespace === pidNamespace() && !isProcessAlive(claim.pid)
}

/**
 * Takes the partition's lease: the next numbered claim when the latest is free, else waits (polling at a quarter of
 * the expiry) up to leaseWaitSeconds for it to be released or to expire. Throws PartitionBusyError when the wait runs
 * out; returns undefined when the signal stopped the wait.
 */
export async function takePartitionLease(
  storage: Storage,
  prefix: string,
  settings: LeaseSettings,
  options: {signal: AbortSignal; log: (line: string) => void; environment?: NodeJS.ProcessEnv; time?: LeaseTime},
): Promise<PartitionLease | undefined> {
  const time = options.time ?? systemTime
  const expiryMs = settings.leaseExpirySeconds * 1000
  const deadline = time.wallNow() + settings.leaseWaitSeconds * 1000
  let announced = false
  for (;;) {
    const latest = await latestClaim<LeaseClaim>(storage, prefix)
    const holder = latest?.value
    if (!holder || isClaimFree(holder, time.wallNow())) {
      const generation = (latest?.generation ?? -1) + 1
      const claim = newClaim(time.wallNow(), expiryMs, options.environment ?? {})
      if (await takeClaim(storage, prefix, generation, claim)) return new PartitionLease(storage, prefix, generation, claim, expiryMs, time)
      continue // another worker took this number first: look at its claim
    }
    if (options.signal.aborted) return undefined
    const left = deadline - time.wallNow()
    if (left <= 0) throw new PartitionBusyError(holder, settings.leaseWaitSeconds)
    if (!announced) options.log(`ftm worker: another worker holds this partition: ${describeHolder(holder)}; waiting up to ${settings.leaseWaitSeconds} s for it to end or expire`)
    announced = true
    await time.sleep(Math.min(left, Math.max(50, expiryMs / 4)), options.signal)
  }
}

/**
 * A held partition lease. `confirm` (before clean-up and before each commit) and a timer every third of the expiry
 * check that no later claim exists and renew this one; a renewal that lands after the lease ran out counts as lost,
 * because a taker may already be cleaning up.
 */
export class PartitionLease {
  private lost?: LeaseLostError
  private timer?: NodeJS.Timeout
  private renewing: Promise<void> = Promise.resolve()

  constructor(
    private readonly storage: Storage,
    private readonly prefix: string,
    readonly generation: number,
    readonly claim: LeaseClaim,
    private readonly expiryMs: number,
    private readonly time: LeaseTime,
  ) {}

  private get key(): string {
    return numberedClaimKey(this.prefix, this.generation)
  }

  /** Renews every third of the expiry; `onLost` hears once when the lease turns out lost (to stop the loop). */
  keepRenewed(onLost: (error: LeaseLostError) => void, log: (line: string) => void): void {
    this.timer = setInterval(() => {
      void this.confirm().catch((error: unknown) => {
        if (error instanceof LeaseLostError) {
          clearInterval(this.timer)
          onLost(error)
        } else log(`ftm worker: could not renew the partition lease (${(error as Error).message}); retrying`)
      })
    }, this.expiryMs / 3)
    this.timer.unref()
  }

  /** Throws LeaseLostError unless this worker still holds the partition; renews the lease when it does. */
  async confirm(): Promise<void> {
    const run = this.renewing.then(() => this.check())
    this.renewing = run.catch(() => undefined)
    await run
  }

  /** Throws the LeaseLostError when the renewal timer found the lease lost. */
  assertHeld(): void {
    if (this.lost) throw this.lost
  }

  /** Marks the lease released so the next worker need not wait; does nothing when it was lost. */
  async release(): Promise<void> {
    clearInterval(this.timer)
    await this.renewing
    if (this.lost || !(await this.isLatest())) return
    await writeJson(this.storage, this.key, {...this.claim, releasedAt: new Date(this.time.wallNow()).toISOString()})
  }

  private async check(): Promise<void> {
    if (this.lost) throw this.lost
    if (!(await this.isLatest())) throw this.lose(true, 'another worker took this partition over; this one stops without cleaning or committing anything more')
    const expiresAt = Date.parse(this.claim.expiresAt)
    const renewed = {...this.claim, expiresAt: new Date(this.time.wallNow() + this.expiryMs).toISOString()}
    if (this.time.wallNow() < expiresAt) await writeJson(this.storage, this.key, renewed)
    if (this.time.wallNow() >= expiresAt) {
      throw this.lose(false, `the partition lease ran out (not renewed within worker.leaseExpirySeconds = ${this.expiryMs / 1000} s, storage slow or unreachable); another attempt may take the partition over`)
    }
    this.claim.expiresAt = renewed.expiresAt
  }

  private async isLatest(): Promise<boolean> {
    return (await latestClaim<LeaseClaim>(this.storage, this.prefix))?.generation === this.generation
  }

  private lose(takenOver: boolean, message: string): LeaseLostError {
    this.lost = new LeaseLostError(takenOver, message)
    return this.lost
  }
}

function newClaim(wallNow: number, expiryMs: number, environment: NodeJS.ProcessEnv): LeaseClaim {
  const batchJob = environment.AWS_BATCH_JOB_ID ? `${environment.AWS_BATCH_JOB_ID}${environment.AWS_BATCH_JOB_ATTEMPT ? ` attempt ${environment.AWS_BATCH_JOB_ATTEMPT}` : ''}` : undefined
  return {
    attemptId: randomUUID(),
    host: hostname(),
    pidNamespace: pidNamespace(),
    pid: process.pid,
    ...(batchJob ? {batchJob} : {}),
    takenAt: new Date(wallNow).toISOString(),
    expiresAt: new Date(wallNow + expiryMs).toISOString(),
  }
}

let namespace: string | null | undefined
function pidNamespace(): string | undefined {
  if (namespace === undefined) {
    try {
      namespace = readlinkSync('/proc/self/ns/pid')
    } catch {
      namespace = null
    }
  }
  return namespace ?? undefined
}
