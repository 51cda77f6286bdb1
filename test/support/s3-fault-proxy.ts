import {randomBytes} from 'node:crypto'
import {createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

/** What the proxy does to a request instead of forwarding it. */
export type S3Fault = 'internal-error' | 'slow-down' | 'reset' | 'stall'

/** A fault for the next `count` requests (default: until healed) that match a method and a path (the decoded URL). */
export interface FaultRule {
  fault: S3Fault
  count?: number
  method?: string
  path?: RegExp
}

/** One request the proxy saw: decoded URL, and the fault it got, if any. */
export interface ProxiedRequest {
  method: string
  url: string
  fault?: S3Fault
}

/** S3's own error bodies for the two server-side faults. */
const errorBodies: Record<'internal-error' | 'slow-down', {status: number; code: string; message: string}> = {
  'internal-error': {status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.'},
  'slow-down': {status: 503, code: 'SlowDown', message: 'Please reduce your request rate.'},
}

/**
 * A wire-level fault injector in front of the tests' S3 server: it forwards every request unchanged (the host header
 * too, so SigV4 signatures still verify) unless a rule matches, and then answers 500 InternalError or 503 SlowDown
 * with S3's XML error body, resets the connection, or holds the request until `heal()`. Clients (the real SDK, the
 * built CLI and its workers) point FTM_S3_ENDPOINT at `endpoint`.
 */
export class S3FaultProxy {
  readonly requests: ProxiedRequest[] = []
  private rules: (FaultRule & {left: number})[] = []
  private stalled: (() => void)[] = []

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
    readonly endpoint: string,
  ) {}

  /** Starts a proxy on a free port of 127.0.0.1 that forwards to `target` (the S3 server's endpoint). */
  static async start(target: string): Promise<S3FaultProxy> {
    const started: {proxy?: S3FaultProxy} = {}
    const server = createServer((request, response) => started.proxy!.handle(request, response))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    started.proxy = new S3FaultProxy(server, new URL(target), `http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    return started.proxy
  }

  /** Adds a fault rule; rules are tried in the order they were added. */
  inject(rule: FaultRule): void {
    this.rules.push({...rule, left: rule.count ?? Number.POSITIVE_INFINITY})
  }

  /** Drops every rule and lets stalled requests through. */
  heal(): void {
    this.rules = []
    for (const release of this.stalled.splice(0)) release()
  }

  /** How many requests got a fault so far (optionally of one kind). */
  faulted(fault?: S3Fault): number {
    return this.requests.filter((entry) => entry.fault !== undefined && (fault === undefined || entry.fault === fault)).length
  }

  async stop(): Promise<void> {
    this.heal()
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = decodeURIComponent(request.url ?? '/')
    const method = request.method ?? 'GET'
    const rule = this.rules.find((candidate) => candidate.left > 0 && (!candidate.method || candidate.method === method) && (!candidate.path || candidate.path.test(url)))
    if (rule) rule.left--
    this.requests.push({method, url, fault: rule?.fault})
    if (rule?.fault === 'reset') {
      request.socket.destroy()
      return
    }
    if (rule?.fault === 'stall') {
      this.stalled.push(() => this.forward(request, response))
      return
    }
    if (rule) {
      // The body is read first, as S3 does before it answers, so the client sees the answer and not a broken pipe.
      const {status, code, message} = errorBodies[rule.fault]
      request.resume()
      request.once('end', () => {
        const id = randomBytes(8).toString('hex').toUpperCase()
        response.writeHead(status, {'content-type': 'application/xml', 'x-amz-request-id': id})
        response.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${id}</RequestId></Error>`)
      })
      return
    }
    this.forward(request, response)
  }

  private forward(request: IncomingMessage, response: ServerResponse): void {
    const upstream = httpRequest(
      {host: this.target.hostname, port: this.target.port, method: request.method, path: request.url, headers: request.headers},
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      },
    )
    upstream.once('error', () => request.socket.destroy())
    request.pipe(upstream)
  }
}
