import {randomBytes} from 'node:crypto'
import {createReadStream, createWriteStream} from 'node:fs'
import {mkdir, rename, rm} from 'node:fs/promises'
import path from 'node:path'
import type {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import type {S3Client} from '@aws-sdk/client-s3'
import type {S3Settings} from './storage-schema.js'
import {UserError} from '../base/errors.js'
import {explainS3Error, isMissingObject, s3ErrorCode} from './s3-errors.js'
import type {Storage} from './storage.js'

/** One object of a listing with what tells whether a copy of it is current. */
export interface ObjectInfo {
  key: string
  size: number
  etag: string
  /** When the object was last written (HeadObject's LastModified), where the call returns it. */
  lastModified?: string
}

/** The SDK, loaded on first use so that commands on local storage never load it (it costs ~0.4 s per start). */
interface Connection {
  sdk: typeof import('@aws-sdk/client-s3')
  upload: typeof import('@aws-sdk/lib-storage')
  client: S3Client
}

/** Parts of multipart uploads: S3's minimum is 5 MiB; Parquet chunks above this go up in parallel parts. */
const partSize = 8 * 1024 * 1024

/** Splits `s3://bucket/prefix` into bucket and prefix (no leading or trailing slash). */
export function parseS3Uri(uri: string): {bucket: string; prefix: string} {
  const match = /^s3:\/\/([^/?#]+)\/?([^?#]*)$/i.exec(uri.trim())
  if (!match || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(match[1]!)) {
    throw new UserError(`${uri} is not an S3 location ftm can use.`, 'Write it as s3://bucket or s3://bucket/prefix (lowercase bucket name).')
  }
  return {bucket: match[1]!, prefix: match[2]!.replace(/^\/+|\/+$/g, '')}
}

/**
 * Storage in an S3 bucket under a prefix. Objects appear whole or not at all (S3 writes are atomic), so there
 * are no temporary objects; the SDK retries transient errors with backoff.
 */
export class S3Storage implements Storage {
  readonly uri: string
  readonly bucket: string
  readonly prefix: string
  private readonly settings: S3Settings
  private connection?: Promise<Connection>

  /** `pageSize` limits keys per listing request (S3's default is 1000); tests use it to exercise pagination. */
  constructor(uri: string, settings: S3Settings, private readonly pageSize?: number) {
    const {bucket, prefix} = parseS3Uri(uri)
    this.bucket = bucket
    this.prefix = prefix
    this.uri = `s3://${bucket}${prefix ? `/${prefix}` : ''}`
    this.settings = settings
  }

  localPath(): undefined {
    return undefined
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    const {client, sdk} = await this.connect()
    try {
      const response = await client.send(new sdk.GetObjectCommand({Bucket: this.bucket, Key: this.objectKey(key)}))
      return await response.Body!.transformToByteArray()
    } catch (error) {
      if (isMissingObject(error)) return undefined
      throw explainS3Error(error, 'read', this.location(key))
    }
  }

  async write(key: string, data: Uint8Array | string): Promise<void> {
    const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    const {client, sdk} = await this.connect()
    try {
      await client.send(new sdk.PutObjectCommand({Bucket: this.bucket, Key: this.objectKey(key), Body: body, ContentLength: body.byteLength}))
    } catch (error) {
      throw explainS3Error(error, 'write', this.location(key))
    }
  }

  async createIfAbsent(key: string, data: Uint8Array | string): Promise<boolean> {
    const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    const {client, sdk} = await this.connect()
    try {
      // S3's conditional write: 412 when the key exists, 409 when another conditional write of it is in flight.
      await client.send(new sdk.PutObjectCommand({Bucket: this.bucket, Key: this.objectKey(key), Body: body, ContentLength: body.byteLength, IfNoneMatch: '*'}))
      return true
    } catch (error) {
      if (isConditionLost(error)) return false
      throw explainS3Error(error, 'write', this.location(key))
    }
  }

  async putFile(key: string, localFile: string): Promise<void> {
    const {client, upload: lib} = await this.connect()
    const upload = new lib.Upload({
      client,
      params: {Bucket: this.bucket, Key: this.objectKey(key), Body: createReadStream(localFile)},
      partSize,
      queueSize: 4,
      leavePartsOnError: false,
    })
    try {
      await upload.done()
    } catch (error) {
      throw explainS3Error(error, 'upload', this.location(key))
    }
  }

  async getFile(key: string, localFile: string): Promise<boolean> {
    return (await this.download(key, localFile)) !== undefined
  }

  /** Downloads an object into a local file (atomically); its ETag and size, or undefined when it does not exist. */
  async download(key: string, localFile: string): Promise<Omit<ObjectInfo, 'key'> | undefined> {
    let response
    const {client, sdk} = await this.connect()
    try {
      response = await client.send(new sdk.GetObjectCommand({Bucket: this.bucket, Key: this.objectKey(key)}))
    } catch (error) {
      if (isMissingObject(error)) return undefined
      throw explainS3Error(error, 'read', this.location(key))
    }
    await mkdir(path.dirname(localFile), {recursive: true})
    const temporary = `${localFile}.ftm-tmp-${randomBytes(4).toString('hex')}`
    try {
      await pipeline(response.Body as Readable, createWriteStream(temporary))
      await rename(temporary, localFile)
    } catch (error) {
      await rm(temporary, {force: true})
      throw explainS3Error(error, 'download', this.location(key))
    }
    return {size: response.ContentLength ?? 0, etag: response.ETag ?? ''}
  }

  /** An object's size and ETag, or undefined when it does not exist. */
  async describe(key: string): Promise<ObjectInfo | undefined> {
    const {client, sdk} = await this.connect()
    try {
      const head = await client.send(new sdk.HeadObjectCommand({Bucket: this.bucket, Key: this.objectKey(key)}))
      return {key, size: head.ContentLength ?? 0, etag: head.ETag ?? '', lastModified: head.LastModified?.toISOString()}
    } catch (error) {
      if (isMissingObject(error)) return undefined
      throw explainS3Error(error, 'read', this.location(key))
    }
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.listDetailed(prefix)).map((object) => object.key)
  }

  /** Every object under a prefix with its size and ETag, sorted by key; follows pagination. */
  async listDetailed(prefix: string): Promise<ObjectInfo[]> {
    const objects: ObjectInfo[] = []
    let token: string | undefined
    const root = this.prefix ? `${this.prefix}/` : ''
    const {client, sdk} = await this.connect()
    do {
      let page
      try {
        page = await client.send(new sdk.ListObjectsV2Command({Bucket: this.bucket, Prefix: root + prefix, ContinuationToken: token, MaxKeys: this.pageSize}))
      } catch (error) {
        throw explainS3Error(error, 'list', this.location(prefix))
      }
      for (const object of page.Contents ?? []) {
        if (object.Key) objects.push({key: object.Key.slice(root.length), size: object.Size ?? 0, etag: object.ETag ?? ''})
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  }

  async remove(key: string): Promise<void> {
    const {client, sdk} = await this.connect()
    try {
      await client.send(new sdk.DeleteObjectCommand({Bucket: this.bucket, Key: this.objectKey(key)}))
    } catch (error) {
      if (isMissingObject(error)) return
      throw explainS3Error(error, 'remove', this.location(key))
    }
  }

  async removeTemporaryFiles(): Promise<void> {
    // S3 writes are atomic and failed multipart uploads abort themselves: nothing partial is ever visible.
  }

  /** Closes the client's connections. */
  async close(): Promise<void> {
    const connection = await this.connection?.catch(() => undefined)
    connection?.client.destroy()
    this.connection = undefined
  }

  private connect(): Promise<Connection> {
    this.connection ??= (async () => {
      const [sdk, upload] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')])
      const client = new sdk.S3Client({
        region: this.settings.region ?? 'us-east-1',
        endpoint: this.settings.endpoint,
        forcePathStyle: this.settings.forcePathStyle,
        followRegionRedirects: true,
        maxAttempts: this.settings.maxAttempts,
      })
      return {sdk, upload, client}
    })()
    return this.connection
  }

  private objectKey(key: string): string {
    if (key.split('/').some((part) => part === '..' || part === '.')) throw new Error(`Storage key "${key}" leaves the storage root ${this.uri}`)
    return this.prefix ? `${this.prefix}/${key}` : key
  }

  private location(key: string): string {
    return `${this.uri}/${key}`
  }
}

/** True when a conditional write lost: the key exists (412 PreconditionFailed) or another one won the race (409). */
function isConditionLost(error: unknown): boolean {
  const status = (error as {$metadata?: {httpStatusCode?: number}})?.$metadata?.httpStatusCode
  const code = s3ErrorCode(error)
  return status === 412 || status === 409 || code === 'PreconditionFailed' || code === 'ConditionalRequestConflict'
}
