import {readJson, type Storage} from './storage.js'

/**
 * Numbered claims: a folder of create-if-absent objects `<prefix>000000.json`, `<prefix>000001.json`… The latest
 * number is the current holder; taking over means creating the next number, which of two racers exactly one wins.
 * A dead holder never needs a stale-lock delete. Used by the monitor claim and the per-partition worker lease.
 */
export interface LatestClaim<T> {
  generation: number
  key: string
  /** Undefined when the object vanished between the listing and the read. */
  value: T | undefined
}

/** The key of claim number `generation` under a prefix. */
export function numberedClaimKey(prefix: string, generation: number): string {
  return `${prefix}${String(generation).padStart(6, '0')}.json`
}

/** The number of a claim's key; -1 when the key is not one. */
export function claimGeneration(key: string): number {
  return Number(/(\d+)\.json$/.exec(key)?.[1] ?? -1)
}

/** The highest-numbered claim under a prefix and its content, or undefined when none was ever taken. */
export async function latestClaim<T>(storage: Storage, prefix: string): Promise<LatestClaim<T> | undefined> {
  const keys = (await storage.list(prefix)).filter((key) => claimGeneration(key) >= 0)
  if (keys.length === 0) return undefined
  const key = keys.reduce((best, candidate) => (claimGeneration(candidate) > claimGeneration(best) ? candidate : best))
  return {generation: claimGeneration(key), key, value: await readJson<T>(storage, key)}
}

/** Takes claim number `generation`: true when this writer created it, false when another writer already had. */
export async function takeClaim(storage: Storage, prefix: string, generation: number, value: unknown): Promise<boolean> {
  return storage.createIfAbsent(numberedClaimKey(prefix, generation), `${JSON.stringify(value, null, 2)}\n`)
}
