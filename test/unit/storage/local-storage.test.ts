import {mkdtempSync, readdirSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {readJson} from '../../../src/storage/storage.js'
import {LocalStorage} from '../../../src/storage/local-storage.js'
import {openStorage} from '../../../src/storage/open-storage.js'
import {describeStorageContract} from '../../support/storage-contract.js'

const newStorage = (): LocalStorage => new LocalStorage(mkdtempSync(path.join(os.tmpdir(), 'ftm-storage-')))

describeStorageContract('LocalStorage', newStorage)

describe('LocalStorage', () => {
  it('creates a file only when it is absent: of 20 writers at the same moment exactly one wins, whole', async () => {
    const storage = newStorage()
    const results = await Promise.all(Array.from({length: 20}, (_, writer) => storage.createIfAbsent('runs/r/claim.json', `{"writer":${writer}}`)))
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(await readJson(storage, 'runs/r/claim.json')).toEqual({writer: results.indexOf(true)})
    expect(await storage.createIfAbsent('runs/r/claim.json', '{"writer":99}')).toBe(false)
    expect(await readJson(storage, 'runs/r/claim.json')).toEqual({writer: results.indexOf(true)})
    expect(readdirSync(storage.localPath('runs/r'))).toEqual(['claim.json'])
  })

  it('replaces files whole and leaves no temporary files behind', async () => {
    const storage = newStorage()
    await storage.write('a/b.json', 'first')
    await storage.write('a/b.json', 'second')
    expect(readdirSync(storage.localPath('a'))).toEqual(['b.json'])
  })

  it('hides and cleans temporary files of writers that died mid-write', async () => {
    const storage = newStorage()
    await storage.write('t/done.parquet', 'x')
    writeFileSync(`${storage.localPath('t/part.parquet')}.ftm-tmp-dead`, 'partial')
    expect(await storage.list('t/')).toEqual(['t/done.parquet'])
    await storage.removeTemporaryFiles('t')
    expect(readdirSync(storage.localPath('t'))).toEqual(['done.parquet'])
  })

  it('refuses keys that leave the root', () => {
    expect(() => newStorage().localPath('../outside')).toThrow(/leaves the storage root/)
  })
})

describe('openStorage', () => {
  it('opens a local directory and explains roots it cannot use yet', () => {
    expect(openStorage('relative/out').uri).toBe(path.resolve('relative/out'))
    expect(openStorage('s3://bucket/prefix').uri).toBe('s3://bucket/prefix')
    expect(() => openStorage('gs://bucket')).toThrow(/scheme ftm does not know/)
  })
})
