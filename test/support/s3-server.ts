import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

/** A real S3 HTTP server (s3rver) on 127.0.0.1 over a temporary directory, and what a client needs to reach it. */
export interface S3Server {
  endpoint: string
  /** Environment for the CLI, workers and S3Storage: endpoint, path style, region and s3rver's own credentials. */
  environment: Record<string, string>
  /** Every request the server received so far, as "METHOD /bucket/key?query". */
  requests: string[]
  stop(): Promise<void>
}

/** Starts s3rver in a child process on a free port of 127.0.0.1 with the given buckets. */
export async function startS3Server(buckets: string[] = ['ftm-test']): Promise<S3Server> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'ftm-s3rver-'))
  const main = fileURLToPath(new URL('s3rver-main.js', import.meta.url))
  const child = spawn(process.execPath, ['--openssl-legacy-provider', main, directory, ...buckets], {stdio: ['ignore', 'pipe', 'inherit']})
  const requests: string[] = []
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code} before listening`)))
    createInterface({input: child.stdout!}).on('line', (line) => {
      if (line.startsWith('request ')) requests.push(line.slice('request '.length))
      else if (line.startsWith('{')) resolve((JSON.parse(line) as {port: number}).port)
    })
  })
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    requests,
    environment: {
      FTM_S3_ENDPOINT: endpoint,
      FTM_S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: 'us-east-1',
      // s3rver's built-in account: it checks every request's signature against it.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      rmSync(directory, {recursive: true, force: true})
    },
  }
}
