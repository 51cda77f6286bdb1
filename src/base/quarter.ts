import {UserError} from './errors.js'

/** A calendar quarter such as `2024Q1`. */
export type Quarter = string

const quarterPattern = /^(\d{4})Q([1-4])$/

/** True when `value` is a quarter like `2024Q1`. */
export function isQuarter(value: string): boolean {
  return quarterPattern.test(value)
}

/** The quarter a date falls in (UTC). */
export function quarterOfDate(date: Date): Quarter {
  return `${date.getUTCFullYear()}Q${Math.floor(date.getUTCMonth() / 3) + 1}`
}

/** Parses `2024Q1`, lists `2024Q1,2024Q2` and ranges `2023Q1..2024Q4` (also mixed) into sorted unique quarters. */
export function parseQuarters(text: string): Quarter[] {
  const quarters = new Set<Quarter>()
  for (const part of text.split(',').map((piece) => piece.trim().toUpperCase()).filter(Boolean)) {
    const [start, end, ...rest] = part.split('..')
    if (!start || rest.length > 0 || !isQuarter(start) || (end !== undefined && !isQuarter(end))) {
      throw new UserError(
        `"${part}" is not a quarter or a range of quarters.`,
        'Write quarters as 2024Q1, lists as 2024Q1,2024Q2 and ranges as 2023Q1..2024Q4.',
      )
    }
    const last = end ?? start
    if (quarterIndex(last) < quarterIndex(start)) {
      throw new UserError(`The range "${part}" ends before it starts.`, `Write it as ${last}..${start}.`)
    }
    for (let index = quarterIndex(start); index <= quarterIndex(last); index++) quarters.add(quarterFromIndex(index))
  }
  if (quarters.size === 0) throw new UserError('No quarter was given.', 'Pass --quarters, e.g. --quarters 2024Q1.')
  return [...quarters].sort()
}

function quarterIndex(quarter: Quarter): number {
  const match = quarterPattern.exec(quarter)!
  return Number(match[1]) * 4 + Number(match[2]) - 1
}

function quarterFromIndex(index: number): Quarter {
  return `${Math.floor(index / 4)}Q${(index % 4) + 1}`
}
