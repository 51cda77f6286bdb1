import {randomUUID} from 'node:crypto'
import type {IncomingMessage, ServerResponse} from 'node:http'

/** An error the fake answers with, in the shape the SDK parses (x-amzn-ErrorType header and `__type`). */
export class FakeAwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message)
  }
}

/** A ClientException (HTTP 400), Batch's error for every caller mistake. */
export function clientError(message: string): FakeAwsError {
  return new FakeAwsError('ClientException', message)
}

/** Reads a request body as text. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Answers 200 with a JSON body. */
export function sendJson(response: ServerResponse, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body)
  response.writeHead(200, {'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': randomUUID()})
  response.end(text)
}

/** Answers an error the way AWS does. */
export function sendError(response: ServerResponse, error: FakeAwsError, contentType = 'application/json'): void {
  const text = JSON.stringify({__type: error.type, message: error.message})
  response.writeHead(error.status, {'Content-Type': contentType, 'X-Amzn-ErrorType': error.type, 'Content-Length': Buffer.byteLength(text)})
  response.end(text)
}

/** Opaque page tokens: the offset of the next item. */
export function page<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined, largest = 100): {items: T[]; nextToken?: string} {
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString('utf8')) : 0
  if (!Number.isInteger(start) || start < 0) throw clientError('Invalid nextToken')
  const size = Math.min(maxResults ?? largest, largest)
  const end = start + size
  return {items: items.slice(start, end), ...(end < items.length ? {nextToken: Buffer.from(String(end)).toString('base64url')} : {})}
}
