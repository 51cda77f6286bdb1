import {describe, expect, it} from 'vitest'
import {isUserError} from '../../../src/base/errors.js'
import {refuseFlagsIgnoredOnResume, runFlagsAsConfig} from '../../../src/ui/run-flags.js'
import {givenRunId} from '../../../src/ui/common-flags.js'

function messageOf(action: () => unknown): string {
  try {
    action()
  } catch (error) {
    if (isUserError(error)) return `${error.message} ${error.hint}`
    throw error
  }
  return ''
}

describe('ftm run flags', () => {
  it("map onto configuration keys, the executors' flags included, and remember which flag set each", () => {
    const {values, names} = runFlagsAsConfig({source: 'calls.csv', parallel: '4', 'checkpoint-interval': '10', gpus: 'device=0,2', host: 'ssh://u@h', image: 'img:1'})
    expect(values).toEqual({source: 'calls.csv', parallel: 4, worker: {checkpointInterval: 10}, docker: {gpus: 'device=0,2', host: 'ssh://u@h', image: 'img:1'}})
    expect(names).toMatchObject({'docker.gpus': '--gpus', 'docker.host': '--host', 'docker.image': '--image', 'worker.checkpointInterval': '--checkpoint-interval'})
    expect(runFlagsAsConfig({parallel: 'many'}).values).toEqual({parallel: 'many'})
  })

  it('refuse on --resume the flags a resumed run would ignore, naming them and what to do', () => {
    expect(messageOf(() => refuseFlagsIgnoredOnResume({resume: '20261128-143205-7f3a', root: 'out', parallel: '2'}))).toBe('')
    expect(messageOf(() => refuseFlagsIgnoredOnResume({resume: '20261128-143205-7f3a', executor: 'batch', source: 'calls.csv', set: ['parallel=2'], gpus: 'all'}))).toBe(
      '--resume continues run 20261128-143205-7f3a with the settings it started with, so it would ignore --source, --executor, --set, --gpus. ' +
        'Resume with only --root, --config, --profile, --parallel or --detach; or start a new run with those flags (without --resume).',
    )
    expect(messageOf(() => refuseFlagsIgnoredOnResume({resume: 'x', 'checkpoint-interval': '5', 'dry-run': true}))).toMatch(/ignore --checkpoint-interval, --dry-run\./)
  })
})

describe('a run named by argument or --run', () => {
  it('takes either, the same one twice, and refuses two different runs', () => {
    expect(givenRunId('a', undefined)).toBe('a')
    expect(givenRunId(undefined, 'b')).toBe('b')
    expect(givenRunId('a', 'a')).toBe('a')
    expect(givenRunId(undefined, undefined)).toBeUndefined()
    expect(messageOf(() => givenRunId('a', 'b'))).toBe('Two runs were given: a and --run b. Name the run once: as the argument or with --run.')
  })
})
