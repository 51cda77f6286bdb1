import {existsSync, readdirSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {isUserError} from '../../../src/base/errors.js'
import {PartitionInputSource, PartitionInputWriter} from '../../../src/sources/partition-input.js'
import type {FirmTranscript} from '../../../src/sources/transcript-source.js'
import {LocalStorage} from '../../../src/storage/local-storage.js'
import type {Storage} from '../../../src/storage/storage.js'
import {temporaryFolder} from '../../support/sample-subset.js'

const quarter = '2024Q1'
const key = 'runs/r1/inputs/2024Q1/part-00000.parquet'

/** Calls whose text and fields are everything a source can hand over. */
const edgeCalls: FirmTranscript[] = [
  {
    firmId: '9',
    firmName: 'Société Générale «SG» 株式会社',
    transcriptId: '1001',
    callDate: '2024-02-01T14:00:00.000Z',
    components: [
      {componentOrder: 0, text: 'Good morning, and welcome.', speakerType: 'Operator', componentType: 'Presenter Speech'},
      {componentOrder: 1, text: 'Line one\r\nline two\n\ttabbed, "quoted", \'single\', a,b;c', speakerType: 'Executives', componentType: 'Presentation Operator Message'},
      {componentOrder: 2, text: '', speakerType: '', componentType: 'Question'},
      {componentOrder: 7, text: 'Emoji 📈 and a lone replacement \uFFFD from a bad byte; nul \u0000 inside', speakerType: 'Analysts'},
      {componentOrder: 2_147_483_648, text: 'x'.repeat(200_000), speakerType: 'Executives', componentType: ''},
    ],
  },
  {firmId: '10', firmName: '', transcriptId: '1002', callDate: '2024-03-31T23:59:59.000Z', components: [{componentOrder: -1, text: 'Negative order.', speakerType: 'Executives'}]},
  {firmId: 'ABC-1', firmName: "O'Neil & Sons", transcriptId: 'T-3', callDate: '2024-01-02T00:00:00.000Z', components: [{componentOrder: 3, text: 'Ids need not be numbers.', speakerType: 'Executives'}]},
]

/** Many firms of many components: more rows than one Parquet row group holds. */
function manyCalls(firms: number, components: number): FirmTranscript[] {
  return Array.from({length: firms}, (_, firm) => ({
    firmId: String(firm + 1),
    firmName: `Firm ${firm + 1}`,
    transcriptId: String(50_000 + firm),
    callDate: `2024-02-${String((firm % 28) + 1).padStart(2, '0')}T15:30:00.000Z`,
    components: Array.from({length: components}, (_, order) => ({
      componentOrder: order,
      text: `Firm ${firm + 1} turn ${order}: revenue and margins.`,
      speakerType: order % 2 === 0 ? 'Executives' : 'Analysts',
      ...(order % 3 === 0 ? {} : {componentType: order % 3 === 1 ? 'Question' : 'Answer'}),
    })),
  }))
}

async function writeInput(storage: Storage, calls: readonly FirmTranscript[], firmIds = calls.map((call) => call.firmId)): Promise<void> {
  const byId = new Map(calls.map((call) => [call.firmId, call]))
  const writer = await PartitionInputWriter.open()
  try {
    await writer.write(storage, key, firmIds, async (firmId) => byId.get(firmId))
  } finally {
    await writer.close()
  }
}

/** A local root that says it has no local paths, so the reader takes the download path S3 takes. */
function remoteLike(storage: LocalStorage): Storage {
  return {
    uri: storage.uri,
    read: (name) => storage.read(name),
    write: (name, data) => storage.write(name, data),
    putFile: (name, file) => storage.putFile(name, file),
    list: (prefix) => storage.list(prefix),
    remove: (name) => storage.remove(name),
    localPath: () => undefined,
    getFile: (name, file) => storage.getFile(name, file),
    removeTemporaryFiles: (folder) => storage.removeTemporaryFiles(folder),
    createIfAbsent: (name, data) => storage.createIfAbsent(name, data),
  }
}

describe('partition inputs (written at plan time, read by the worker)', () => {
  it('give back every field of every call: ids, names, dates, component order, text, speaker and component type', async () => {
    const storage = new LocalStorage(temporaryFolder())
    await writeInput(storage, edgeCalls)
    const source = await PartitionInputSource.open(storage, key, quarter)
    try {
      for (const call of edgeCalls) expect(await source.fetchFirm(call.firmId, quarter)).toEqual(call)
      expect(await source.listFirms(quarter)).toEqual([
        {id: '9', name: 'Société Générale «SG» 株式会社'},
        {id: '10', name: ''},
        {id: 'ABC-1', name: "O'Neil & Sons"},
      ])
      expect(await source.fetchFirm('11', quarter)).toBeUndefined()
      expect(await source.fetchFirm('9', '2024Q2')).toBeUndefined()
      expect(await source.listFirms('2024Q2')).toEqual([])
    } finally {
      await source.close()
    }
  })

  it('return components in their order whatever order the source handed them in', async () => {
    const storage = new LocalStorage(temporaryFolder())
    const shuffled: FirmTranscript = {...edgeCalls[1]!, components: [3, 1, 2].map((order) => ({componentOrder: order, text: `t${order}`, speakerType: 'Executives'}))}
    await writeInput(storage, [shuffled])
    const source = await PartitionInputSource.open(storage, key, quarter)
    expect((await source.fetchFirm('10', quarter))!.components.map((component) => component.text)).toEqual(['t1', 't2', 't3'])
    await source.close()
  })

  it('hold many row groups and still give each firm exactly its own rows, from a download where the root is remote', async () => {
    const local = new LocalStorage(temporaryFolder())
    const calls = manyCalls(120, 40) // 4800 rows: three row groups
    await writeInput(local, calls)
    const before = new Set(readdirSync(os.tmpdir()).filter((name) => name.startsWith('ftm-input-')))
    const source = await PartitionInputSource.open(remoteLike(local), key, quarter)
    expect(source.localFile).not.toBe(local.localPath(key))
    expect(existsSync(source.localFile)).toBe(true)
    try {
      for (const call of [...calls].reverse()) expect(await source.fetchFirm(call.firmId, quarter)).toEqual(call)
    } finally {
      await source.close()
    }
    expect(existsSync(source.localFile)).toBe(false)
    expect(readdirSync(os.tmpdir()).filter((name) => name.startsWith('ftm-input-') && !before.has(name))).toEqual([])
  })

  it('write only the firms asked for, and skip a firm the source has no call for', async () => {
    const storage = new LocalStorage(temporaryFolder())
    await writeInput(storage, edgeCalls, ['10', 'ABC-1', 'missing'])
    const source = await PartitionInputSource.open(storage, key, quarter)
    expect((await source.listFirms(quarter)).map((firm) => firm.id)).toEqual(['10', 'ABC-1'])
    expect(await source.fetchFirm('9', quarter)).toBeUndefined()
    await source.close()
  })

  it('leave nothing in storage when the writer fails before storing, and a missing input is a UserError naming it', async () => {
    const storage = new LocalStorage(temporaryFolder())
    const writer = await PartitionInputWriter.open()
    await expect(writer.write(storage, key, ['1'], async () => Promise.reject(new Error('source down')))).rejects.toThrow('source down')
    await writer.close()
    expect(await storage.list('runs/')).toEqual([])
    for (const root of [storage, remoteLike(storage)]) {
      const error = await PartitionInputSource.open(root, key, quarter).catch((caught: unknown) => caught)
      expect(isUserError(error)).toBe(true)
      expect((error as Error).message).toContain(path.posix.join('runs/r1/inputs/2024Q1', 'part-00000.parquet'))
      expect((error as Error).message).toMatch(/is missing/)
    }
  })
})
