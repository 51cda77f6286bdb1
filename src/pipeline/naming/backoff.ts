/** The longest wait between tries, whatever a server's Retry-After asks for. */
export const maxRetryWaitMs = 120_000

/** Milliseconds before retry number `retry` (0-based): base · 2^retry, jittered into [½, 1] of that, capped. */
export function backoffDelay(retry: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxRetryWaitMs, baseMs * 2 ** retry)
  return ceiling / 2 + (random() * ceiling) / 2
}

/** A Retry-After header (seconds or an HTTP date) in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined
  const text = header.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(maxRetryWaitMs, Number(text) * 1000)
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.min(maxRetryWaitMs, Math.max(0, date - now))
}
