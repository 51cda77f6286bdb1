import {randomBytes} from 'node:crypto'
import {UserError} from '../base/errors.js'

const runIdPattern = /^\d{8}-\d{6}-[0-9a-f]{4}$/

/** A new run id: sortable by start time (UTC) with a random suffix, e.g. `20261128-143205-7f3a`. */
export function newRunId(now: Date = new Date(), suffix: string = randomBytes(2).toString('hex')): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${stamp}-${suffix}`
}

/** Checks a run id given by a user or found in an environment variable. */
export function assertRunId(value: string): string {
  if (!runIdPattern.test(value)) {
    throw new UserError(`"${value}" is not a run id.`, 'Run ids look like 20261128-143205-7f3a; `ftm runs` lists them.')
  }
  return value
}
