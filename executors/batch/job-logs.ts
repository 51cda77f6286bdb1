import {type CloudWatchLogsClient, GetLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import type {JobDetail} from '@aws-sdk/client-batch'
import {poll} from '../../src/core/poll.js'

/** The log stream of each attempt, in order; the attempt under way has its stream on the job's container. */
export function attemptStreams(detail: JobDetail): string[] {
  const streams = (detail.attempts ?? []).map((attempt) => attempt.container?.logStreamName).filter((name): name is string => Boolean(name))
  const current = detail.container?.logStreamName
  if ((detail.status === 'RUNNING' || detail.status === 'STARTING') && current && !streams.includes(current)) streams.push(current)
  return streams
}

/** Reads one stream from a forward token to its current end; returns the lines and the token to go on from. */
async function readStream(logs: CloudWatchLogsClient, group: string, stream: string, token: string | undefined): Promise<{lines: string[]; token: string | undefined}> {
  const lines: string[] = []
  for (;;) {
    const response = await logs
      .send(new GetLogEventsCommand({logGroupName: group, logStreamName: stream, startFromHead: true, nextToken: token}))
      .catch((error: {name?: string}) => {
        // A stream appears with its first event; until then there is nothing to read.
        if (error.name === 'ResourceNotFoundException') return undefined
        throw error
      })
    if (!response) return {lines, token}
    for (const event of response.events ?? []) lines.push(event.message ?? '')
    if (response.nextForwardToken === token || response.nextForwardToken === undefined) return {lines, token}
    token = response.nextForwardToken
  }
}

/**
 * A Batch job's log lines, attempt by attempt, each headed by its attempt number; with `follow`, keeps reading
 * (the one polling loop) until the job has finished and its last stream is drained. `remembered` are the streams to
 * read when Batch no longer knows the job.
 */
export async function* followJobLogs(
  logs: CloudWatchLogsClient,
  group: string,
  describe: () => Promise<JobDetail | undefined>,
  follow: boolean,
  remembered: readonly string[] = [],
): AsyncIterable<string> {
  const tokens = new Map<string, string | undefined>()
  let finished = false
  const readRound = async (): Promise<string[]> => {
    const detail = await describe()
    finished = !follow || !detail || detail.status === 'SUCCEEDED' || detail.status === 'FAILED'
    const lines: string[] = []
    if (!detail && remembered.length === 0 && tokens.size === 0) {
      lines.push(`(Batch no longer knows this job and ftm noted none of its log streams: look for them in the CloudWatch Logs group ${group})`)
    }
    // A job Batch has forgotten still has its streams in CloudWatch: the ones ftm noted while Batch knew it.
    for (const [index, stream] of (detail ? attemptStreams(detail) : remembered).entries()) {
      if (!tokens.has(stream)) lines.push(`--- attempt ${index + 1} (${stream}) ---`)
      const read = await readStream(logs, group, stream, tokens.get(stream))
      tokens.set(stream, read.token)
      lines.push(...read.lines)
    }
    return lines
  }
  while (!finished) {
    let batch: string[] = []
    await poll(async () => {
      batch = await readRound()
      return batch.length > 0 || finished
    }, {interval: 1000})
    yield* batch
  }
}
