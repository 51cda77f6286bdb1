import {describe, expect, it} from 'vitest'
import {mapJobIds, themesSubmission} from '../../../../executors/batch/themes-submission.js'
import {defaultConfig} from '../../../../src/core/config/schema.js'
import type {JobHandle} from '../../../../src/core/executor.js'
import type {RunRecord} from '../../../../src/core/run-record.js'

const handle = (quarter: string, partition: number, id: string): JobHandle => ({executor: 'batch', runId: 'r', quarter, partition, id})
const run = {id: '20261128-143205-7f3a', config: defaultConfig, jobs: []} as unknown as RunRecord

describe('the Batch submission of a quarter reduce', () => {
  it('waits for each map job of the quarter once: an array job counts once, other quarters not at all', () => {
    const handles = [handle('2024Q1', 0, 'a:0'), handle('2024Q1', 1, 'a:1'), handle('2024Q1', 2, 'b'), handle('2024Q2', 0, 'c:0')]
    expect(mapJobIds(handles, '2024Q1')).toEqual(['a', 'b'])
    const input = themesSubmission(run, '2024Q1', 's3://bucket/runs/x/run.json', mapJobIds(handles, '2024Q1'))
    expect(input.dependsOn).toEqual([{jobId: 'a'}, {jobId: 'b'}])
    expect(input.arrayProperties).toBeUndefined()
    expect(input.jobName).toBe('ftm-20261128-143205-7f3a-2024Q1-themes')
  })

  it("refuses more map jobs than Batch's 20 dependencies, with what to do instead", () => {
    const ids = Array.from({length: 21}, (_, index) => `job-${index}`)
    expect(() => themesSubmission(run, '2024Q1', '/tmp/runs/x/run.json', ids)).toThrow(/Batch allows 20/)
  })
})
