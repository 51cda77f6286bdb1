import type {WorkerConfig} from '../core/config/schema.js'

/** What AWS says in a Spot interruption notice. */
export interface SpotNotice {
  action: string
  time: string
}

export interface SpotWatchOptions {
  endpoint: string
  intervalMs: number
  onNotice: (notice: SpotNotice) => void
  log: (line: string) => void
}

/** True when the worker should poll for Spot notices: `on`, or `auto` inside AWS Batch or ECS. */
export function shouldWatchSpot(config: WorkerConfig, environment: NodeJS.ProcessEnv): boolean {
  if (config.spotWatch !== 'auto') return config.spotWatch === 'on'
  return Boolean(environment.AWS_BATCH_JOB_ID || environment.ECS_CONTAINER_METADATA_URI_V4 || environment.AWS_EXECUTION_ENV?.startsWith('AWS_ECS'))
}

/**
 * Polls the EC2 instance metadata service (IMDSv2, falling back to v1) for a Spot interruption notice, which AWS
 * posts two minutes before it reclaims the instance. Calls onNotice once; returns a function that stops polling.
 */
export function watchSpotNotice(options: SpotWatchOptions): () => void {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  const base = options.endpoint.replace(/\/$/, '')
  const check = async (): Promise<void> => {
    try {
      const notice = await fetchNotice(base)
      if (notice && !stopped) {
        stopped = true
        options.log(`ftm worker: Spot interruption notice (${notice.action} at ${notice.time}); committing finished firms and stopping`)
        options.onNotice(notice)
        return
      }
    } catch {
      // The metadata service did not answer this time; the next poll tries again.
    }
    if (!stopped) timer = setTimeout(() => void check(), options.intervalMs).unref()
  }
  void check()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}

async function fetchNotice(base: string): Promise<SpotNotice | undefined> {
  const headers: Record<string, string> = {}
  const token = await fetch(`${base}/latest/api/token`, {
    method: 'PUT',
    headers: {'X-aws-ec2-metadata-token-ttl-seconds': '300'},
    signal: AbortSignal.timeout(2000),
  }).catch(() => undefined)
  if (token?.ok) headers['X-aws-ec2-metadata-token'] = await token.text()
  const response = await fetch(`${base}/latest/meta-data/spot/instance-action`, {headers, signal: AbortSignal.timeout(2000)})
  if (response.status !== 200) return undefined
  const body = (await response.json()) as Partial<SpotNotice>
  return body.action ? {action: body.action, time: body.time ?? ''} : undefined
}
