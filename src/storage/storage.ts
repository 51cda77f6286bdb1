/**
 * Where a run keeps everything: run record, manifests, progress, logs and the Parquet tables.
 * Keys are relative, '/'-separated paths under the storage root.
 */
export interface Storage {
  /** The root as the user wrote it, normalised (an absolute path or an s3:// URI). */
  readonly uri: string
  /** The object's bytes, or undefined when it does not exist. */
  read(key: string): Promise<Uint8Array | undefined>
  /** Writes an object atomically: readers see the old or the new content, never a part. */
  write(key: string, data: Uint8Array | string): Promise<void>
  /** Stores a local file under key, atomically. */
  putFile(key: string, localFile: string): Promise<void>
  /** Every key under a prefix (recursively), sorted. */
  list(prefix: string): Promise<string[]>
  /** Removes an object; removing a missing object is not an error. */
  remove(key: string): Promise<void>
  /** The local file path of a key when the storage is a local directory, so readers can open it directly. */
  localPath(key: string): string | undefined
  /** Fetches an object into a local file; false when it does not exist. */
  getFile(key: string, localFile: string): Promise<boolean>
  /** Removes what writers that died mid-write left in a folder (no-op where writes cannot be partial). */
  removeTemporaryFiles(folder: string): Promise<void>
  /**
   * Writes an object only if none exists under key, atomically: of two writers at the same moment exactly one
   * gets true, and readers see the winner's whole content. False when the key already existed.
   */
  createIfAbsent(key: string, data: Uint8Array | string): Promise<boolean>
}

/** Reads and parses a JSON object; undefined when it does not exist. */
export async function readJson<T>(storage: Storage, key: string): Promise<T | undefined> {
  const bytes = await storage.read(key)
  if (bytes === undefined) return undefined
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T
}

/** Writes a JSON object atomically, pretty-printed so people can read it. */
export async function writeJson(storage: Storage, key: string, value: unknown): Promise<void> {
  await storage.write(key, `${JSON.stringify(value, null, 2)}\n`)
}
