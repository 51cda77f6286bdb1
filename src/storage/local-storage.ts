import {randomBytes} from 'node:crypto'
import {copyFile, link, mkdir, readdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import type {Storage} from './storage.js'

/** Marks temporary files of atomic writes; listing skips them. */
const temporaryMarker = '.ftm-tmp-'

/** Storage in a local directory. Writes go to a temporary file first and are renamed into place. */
export class LocalStorage implements Storage {
  readonly uri: string

  constructor(directory: string) {
    this.uri = path.resolve(directory)
  }

  localPath(key: string): string {
    const resolved = path.resolve(this.uri, ...key.split('/'))
    if (resolved !== this.uri && !resolved.startsWith(this.uri + path.sep)) {
      throw new Error(`Storage key "${key}" leaves the storage root ${this.uri}`)
    }
    return resolved
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.localPath(key))
    } catch (error) {
      if (isMissing(error)) return undefined
      throw error
    }
  }

  async write(key: string, data: Uint8Array | string): Promise<void> {
    await this.replace(key, (temporary) => writeFile(temporary, data))
  }

  async putFile(key: string, localFile: string): Promise<void> {
    await this.replace(key, async (temporary) => {
      try {
        await rename(localFile, temporary)
      } catch {
        await copyFile(localFile, temporary)
      }
    })
  }

  async getFile(key: string, localFile: string): Promise<boolean> {
    try {
      await copyFile(this.localPath(key), localFile)
      return true
    } catch (error) {
      if (isMissing(error)) return false
      throw error
    }
  }

  async list(prefix: string): Promise<string[]> {
    const slash = prefix.lastIndexOf('/')
    const folder = slash === -1 ? '' : prefix.slice(0, slash)
    const keys: string[] = []
    await this.walk(folder, keys)
    return keys.filter((key) => key.startsWith(prefix)).sort()
  }

  async remove(key: string): Promise<void> {
    await rm(this.localPath(key), {force: true})
  }

  async createIfAbsent(key: string, data: Uint8Array | string): Promise<boolean> {
    // The content goes to a temporary file first; link() then puts it in place only if the name is free (EEXIST
    // otherwise), so the winner's file is never seen half-written, unlike an O_EXCL create that is then filled.
    const target = this.localPath(key)
    await mkdir(path.dirname(target), {recursive: true})
    const temporary = `${target}${temporaryMarker}${randomBytes(4).toString('hex')}`
    try {
      await writeFile(temporary, data, {flag: 'wx'})
      await link(temporary, target)
      return true
    } catch (error) {
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'EEXIST') return false
      throw error
    } finally {
      await rm(temporary, {force: true})
    }
  }

  async removeTemporaryFiles(folder: string): Promise<void> {
    const directory = this.localPath(folder)
    const entries = await readdir(directory, {withFileTypes: true}).catch(() => [])
    const temporaries = entries.filter((entry) => entry.isFile() && entry.name.includes(temporaryMarker))
    await Promise.all(temporaries.map((entry) => rm(path.join(directory, entry.name), {force: true})))
  }

  private async replace(key: string, fill: (temporary: string) => Promise<void>): Promise<void> {
    const target = this.localPath(key)
    await mkdir(path.dirname(target), {recursive: true})
    const temporary = `${target}${temporaryMarker}${randomBytes(4).toString('hex')}`
    try {
      await fill(temporary)
      await rename(temporary, target)
    } catch (error) {
      await rm(temporary, {force: true})
      throw error
    }
  }

  private async walk(folder: string, keys: string[]): Promise<void> {
    const entries = await readdir(this.localPath(folder), {withFileTypes: true}).catch((error: unknown) => {
      if (isMissing(error)) return []
      throw error
    })
    for (const entry of entries) {
      const key = folder ? `${folder}/${entry.name}` : entry.name
      if (entry.isDirectory()) await this.walk(key, keys)
      else if (entry.isFile() && !entry.name.includes(temporaryMarker)) keys.push(key)
    }
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR')
}
