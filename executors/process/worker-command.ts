import {cliInvocation} from '../../src/core/cli-invocation.js'

/** How to start `ftm worker` in a child process (the built CLI, or the sources through tsx when running from them). */
export function workerCommand(): {file: string; arguments: string[]} {
  return cliInvocation(['worker'])
}
