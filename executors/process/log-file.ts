import {open} from 'node:fs/promises'
import {poll} from '../../src/core/poll.js'

/**
 * Yields a log file's lines; with `stillWriting`, keeps reading what is appended until it says the writer has
 * finished (then reads the rest). A missing file is an empty log until it appears.
 */
export async function* followLogFile(file: string, stillWriting?: () => Promise<boolean>): AsyncIterable<string> {
  let offset = 0
  let partial = ''
  const readMore = async (): Promise<string[]> => {
    const handle = await open(file, 'r').catch(() => undefined)
    if (!handle) return []
    try {
      const {size} = await handle.stat()
      if (size <= offset) return []
      const buffer = Buffer.alloc(size - offset)
      const {bytesRead} = await handle.read(buffer, 0, buffer.length, offset)
      offset += bytesRead
      const lines = (partial + buffer.subarray(0, bytesRead).toString('utf8')).split('\n')
      partial = lines.pop() ?? ''
      return lines
    } finally {
      await handle.close()
    }
  }
  yield* await readMore()
  if (stillWriting) {
    let batch: string[] = []
    let writing = true
    while (writing) {
      await poll(async () => {
        writing = await stillWriting()
        batch = await readMore()
        return batch.length > 0 || !writing
      }, {interval: 250})
      yield* batch
    }
  }
  if (partial) yield partial
}
