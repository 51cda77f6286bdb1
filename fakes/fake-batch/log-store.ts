import {FakeAwsError, page} from './wire.js'

interface LogEvent {
  timestamp: number
  message: string
  ingestionTime: number
}

/** CloudWatch Logs as far as Batch workers and `ftm logs` use it: groups of streams of events (awsJson1_1). */
export class LogStore {
  private readonly streams = new Map<string, LogEvent[]>()

  /** Creates a stream (empty until its first event). */
  createStream(group: string, stream: string): void {
    if (!this.streams.has(`${group}\n${stream}`)) this.streams.set(`${group}\n${stream}`, [])
  }

  /** Appends one line to a stream. */
  append(group: string, stream: string, message: string, now = Date.now()): void {
    this.createStream(group, stream)
    this.streams.get(`${group}\n${stream}`)!.push({timestamp: now, message, ingestionTime: now})
  }

  /** The lines of a stream, for test assertions. */
  lines(group: string, stream: string): string[] {
    return (this.streams.get(`${group}\n${stream}`) ?? []).map((event) => event.message)
  }

  /** Answers one `Logs_20140328.<operation>` call. */
  handle(operation: string, body: Record<string, unknown>): unknown {
    if (operation === 'GetLogEvents') return this.getLogEvents(body)
    if (operation === 'FilterLogEvents') return this.filterLogEvents(body)
    throw new FakeAwsError('UnknownOperationException', `The fake does not implement ${operation}`)
  }

  /** Forward tokens `f/<index>`; the end is reached when the token returned equals the one sent. */
  private getLogEvents(body: Record<string, unknown>): unknown {
    const events = this.streams.get(`${body.logGroupName}\n${body.logStreamName}`)
    if (!events) throw new FakeAwsError('ResourceNotFoundException', 'The specified log stream does not exist.')
    const limit = Math.min(Number(body.limit ?? 10_000), 10_000)
    const token = typeof body.nextToken === 'string' ? body.nextToken : undefined
    let start: number
    if (token) {
      const match = /^[fb]\/(\d+)$/.exec(token)
      if (!match) throw new FakeAwsError('InvalidParameterException', 'The specified nextToken is invalid.')
      start = Number(match[1])
    } else {
      start = body.startFromHead ? 0 : Math.max(0, events.length - limit)
    }
    const end = Math.min(events.length, start + limit)
    return {events: events.slice(start, end), nextForwardToken: `f/${end}`, nextBackwardToken: `b/${start}`}
  }

  private filterLogEvents(body: Record<string, unknown>): unknown {
    const group = String(body.logGroupName)
    const names = body.logStreamNames as string[] | undefined
    const prefix = body.logStreamNamePrefix as string | undefined
    const all = [...this.streams.entries()]
      .map(([key, events]) => ({group: key.split('\n')[0]!, stream: key.split('\n')[1]!, events}))
      .filter((entry) => entry.group === group && (!names || names.includes(entry.stream)) && (!prefix || entry.stream.startsWith(prefix)))
      .flatMap((entry) => entry.events.map((event, index) => ({...event, logStreamName: entry.stream, eventId: `${entry.stream}/${index}`})))
      .sort((a, b) => a.timestamp - b.timestamp)
    const result = page(all, Number(body.limit ?? 10_000), body.nextToken as string | undefined, 10_000)
    return {events: result.items, ...(result.nextToken ? {nextToken: result.nextToken} : {})}
  }
}
