/**
 * Turns Docker's multiplexed log stream (8-byte frame headers: stream type, 3 zero bytes, big-endian length,
 * then the payload; used when a container has no TTY) into text lines, stdout and stderr in arrival order.
 */
export async function* splitLogFrames(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncIterable<string> {
  let pending: Buffer = Buffer.alloc(0)
  let text = ''
  for await (const chunk of chunks) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
    while (pending.length >= 8) {
      const multiplexed = pending[0]! <= 2 && pending[1] === 0 && pending[2] === 0 && pending[3] === 0
      if (!multiplexed) {
        // A TTY container: the stream is raw text.
        text += pending.toString('utf8')
        pending = Buffer.alloc(0)
        break
      }
      const length = pending.readUInt32BE(4)
      if (pending.length < 8 + length) break
      text += pending.subarray(8, 8 + length).toString('utf8')
      pending = pending.subarray(8 + length)
    }
    const lines = text.split('\n')
    text = lines.pop()!
    for (const line of lines) yield line.replace(/\r$/, '')
  }
  if (pending.length > 0) text += pending.toString('utf8')
  if (text) yield text
}
