import {mkdtemp, readdir, rm, stat} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {isProcessAlive} from '../../core/run/process-liveness.js'

/** Staging folders are named ftm-parquet-<pid>-XXXXXX, so a later worker can tell whose they are. */
const stagingPrefix = 'ftm-parquet-'

/** Folders of the old naming (no pid) are removed once this old: no worker stages a chunk for an hour. */
const unnamedFolderAgeMs = 60 * 60 * 1000

/** Makes this process's staging folder for Parquet files on their way to storage. */
export async function makeStagingFolder(parent: string = os.tmpdir()): Promise<string> {
  return mkdtemp(path.join(parent, `${stagingPrefix}${process.pid}-`))
}

/**
 * Removes staging folders that SIGKILLed workers left behind: those whose process is gone, and unnamed ones older
 * than an hour. Best effort: a folder that cannot be removed is left for the next start. Returns what it removed.
 */
export async function removeAbandonedStagingFolders(parent: string = os.tmpdir(), options: {isAlive?: (pid: number) => boolean; now?: number} = {}): Promise<string[]> {
  const isAlive = options.isAlive ?? isProcessAlive
  const now = options.now ?? Date.now()
  const names = await readdir(parent).catch(() => [] as string[])
  const removed: string[] = []
  for (const name of names.filter((entry) => entry.startsWith(stagingPrefix))) {
    const folder = path.join(parent, name)
    const pid = /^ftm-parquet-(\d+)-/.exec(name)?.[1]
    const abandoned = pid === undefined ? now - ((await stat(folder).catch(() => undefined))?.mtimeMs ?? now) > unnamedFolderAgeMs : !isAlive(Number(pid))
    if (!abandoned) continue
    await rm(folder, {recursive: true, force: true}).then(() => removed.push(folder), () => undefined)
  }
  return removed
}
