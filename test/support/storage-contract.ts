import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {readJson, type Storage, writeJson} from '../../src/storage/storage.js'
import {temporaryFolder} from './sample-subset.js'

/**
 * The Storage contract every root keeps (src/storage/storage.ts), as one suite that each implementation's test
 * runs: `newStorage` gives an empty root each time it is called.
 */
export function describeStorageContract(name: string, newStorage: () => Storage): void {
  describe(`${name} keeps the Storage contract`, () => {
    it('writes, reads, lists recursively in order, and removes idempotently', async () => {
      const storage = newStorage()
      await writeJson(storage, 'runs/b/run.json', {id: 'b'})
      await storage.write('runs/a/run.json', '{"id":"a"}')
      await storage.write('other/file.txt', 'x')
      expect(await storage.list('runs/')).toEqual(['runs/a/run.json', 'runs/b/run.json'])
      expect(await readJson(storage, 'runs/b/run.json')).toEqual({id: 'b'})
      await storage.remove('runs/a/run.json')
      await storage.remove('runs/a/run.json')
      expect(await storage.read('runs/a/run.json')).toBeUndefined()
      expect(await storage.list('missing/')).toEqual([])
    })

    it('replaces a file whole', async () => {
      const storage = newStorage()
      await storage.write('a/b.json', 'first')
      await storage.write('a/b.json', 'second')
      expect(Buffer.from((await storage.read('a/b.json'))!).toString()).toBe('second')
      expect(await storage.list('a/')).toEqual(['a/b.json'])
    })

    it('puts a local file in place with putFile and copies it out with getFile', async () => {
      const storage = newStorage()
      const local = path.join(temporaryFolder(), 'chunk.parquet')
      writeFileSync(local, 'data')
      await storage.putFile('t/x.parquet', local)
      const copy = `${local}.copy`
      expect(await storage.getFile('t/x.parquet', copy)).toBe(true)
      expect(await storage.getFile('t/missing', copy)).toBe(false)
    })

    it('keeps committed files when temporary ones are cleaned, and refuses keys that leave the root', async () => {
      const storage = newStorage()
      await storage.write('t/done.parquet', 'x')
      await storage.removeTemporaryFiles('t')
      expect(await storage.list('t/')).toEqual(['t/done.parquet'])
      await expect(storage.write('../outside', 'x')).rejects.toThrow(/leaves the storage root/)
    })
  })
}
