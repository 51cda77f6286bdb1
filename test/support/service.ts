import {describe} from 'vitest'

/**
 * A describe block for tests that need a service (Docker, PostgreSQL, sshd, Chromium): skipped with the reason
 * when the service is missing, except under CI (CI=true), where a missing service fails the run.
 */
export function describeWithService(service: string, missingReason: string | undefined, name: string, body: () => void): void {
  if (missingReason === undefined) {
    describe(name, body)
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      throw new Error(`${service} is required under CI but unavailable: ${missingReason}. .ci/run must install and start it.`)
    })
  } else {
    describe.skip(`${name} (skipped: ${service} unavailable: ${missingReason})`, body)
  }
}
