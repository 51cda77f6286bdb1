import {describe, expect, it} from 'vitest'
import {JobJournal, type JournalEntry, partitionJobId} from '../../../../executors/batch/job-journal.js'
import {openStorage} from '../../../../src/storage/open-storage.js'
import type {Storage} from '../../../../src/storage/storage.js'
import {temporaryFolder} from '../../../support/sample-subset.js'

type Detail = Parameters<JobJournal['noteStreams']>[1]
const detail = (fields: Partial<Detail>): Detail => fields as Detail
const entry = (jobId: string, submittedAt: string, partitions = [0, 1]): JournalEntry => ({jobId, jobName: `ftm-r-2024Q1`, quarter: '2024Q1', partitions, array: partitions.length > 1, submittedAt, streams: {}})

/** Local storage that counts its writes. */
function countingStorage(): {storage: Storage; writes: () => number} {
  const storage = openStorage(temporaryFolder())
  let writes = 0
  const write = storage.write.bind(storage)
  storage.write = async (key, data) => {
    writes++
    await write(key, data)
  }
  return {storage, writes: () => writes}
}

describe('the Batch job journal', () => {
  it('lists a run\'s jobs in submission order and maps partitions to child ids', async () => {
    const {storage} = countingStorage()
    const journal = new JobJournal(storage)
    await journal.add('r', entry('bbb', '2026-12-02T01:00:02.000Z'))
    await journal.add('r', entry('aaa', '2026-12-02T01:00:01.000Z', [3]))
    const entries = await new JobJournal(storage).entries('r')
    expect(entries.map((item) => item.jobId)).toEqual(['aaa', 'bbb'])
    expect(partitionJobId(entries[1]!, 1)).toBe('bbb:1')
    expect(partitionJobId(entries[0]!, 3)).toBe('aaa')
    expect(partitionJobId(entries[0]!, 0)).toBeUndefined()
    expect(await journal.entries('other')).toEqual([])
  })

  it('keeps every attempt\'s stream Batch showed, and writes only when one is new', async () => {
    const {storage, writes} = countingStorage()
    await new JobJournal(storage).add('r', entry('job', '2026-12-02T01:00:00.000Z'))
    const journal = new JobJournal(storage)
    const before = writes()
    await journal.noteStreams('r', detail({jobId: 'job:1', status: 'RUNNING', attempts: [], container: {logStreamName: 's/1'}}))
    await journal.noteStreams('r', detail({jobId: 'job:1', status: 'RUNNING', attempts: [], container: {logStreamName: 's/1'}}))
    expect(writes()).toBe(before + 1)
    await journal.noteStreams('r', detail({jobId: 'job:1', status: 'SUCCEEDED', attempts: [{container: {logStreamName: 's/1'}}, {container: {logStreamName: 's/2'}}]}))
    await journal.noteStreams('r', detail({jobId: 'unknown', status: 'RUNNING', attempts: [], container: {logStreamName: 'x'}}))
    expect(writes()).toBe(before + 2)
    const [saved] = await new JobJournal(storage).entries('r')
    expect(saved!.streams).toEqual({'job:1': ['s/1', 's/2']})
  })
})
