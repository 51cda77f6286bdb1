import {s3SettingsFromEnvironment} from '../storage/storage-schema.js'
import {UserError} from '../base/errors.js'
import type {FirmRef} from './firm-ref.js'
import type {Quarter} from '../base/quarter.js'
import {cachedFile} from '../storage/local-cache.js'
import {type ObjectInfo, S3Storage} from '../storage/s3-storage.js'
import type {FirmTranscript, TranscriptSource} from './transcript-source.js'

/**
 * A transcripts file on S3 (`s3://bucket/path/calls.parquet`): fetched once into the local cache (reused while its
 * ETag is unchanged) and read by the file source for its format.
 */
export class RemoteFileSource implements TranscriptSource {
  private inner?: Promise<TranscriptSource>

  constructor(
    private readonly uri: string,
    private readonly open: (localFile: string) => TranscriptSource,
  ) {}

  async listQuarters(): Promise<Quarter[]> {
    return (await (await this.source()).listQuarters?.()) ?? []
  }

  async listFirms(quarter: Quarter): Promise<FirmRef[]> {
    return (await this.source()).listFirms(quarter)
  }

  async fetchFirm(firmId: string, quarter: Quarter): Promise<FirmTranscript | undefined> {
    return (await this.source()).fetchFirm(firmId, quarter)
  }

  async close(): Promise<void> {
    const inner = await this.inner?.catch(() => undefined)
    await inner?.close()
  }

  private source(): Promise<TranscriptSource> {
    this.inner ??= this.fetch()
    return this.inner
  }

  private async fetch(): Promise<TranscriptSource> {
    const {storage, key} = sourceObject(this.uri)
    if (!(await storage.describe(key))) {
      throw new UserError(`The source file ${this.uri} does not exist.`, 'Check the bucket and key, and that the AWS credentials here may read it.')
    }
    const {file} = await cachedFile(storage, key)
    return this.open(file)
  }
}

/** The bucket folder and key of an `s3://bucket/path/calls.csv` source. */
function sourceObject(uri: string, environment: NodeJS.ProcessEnv = process.env): {storage: S3Storage; key: string} {
  const slash = uri.lastIndexOf('/')
  return {storage: new S3Storage(uri.slice(0, slash), s3SettingsFromEnvironment(environment)), key: uri.slice(slash + 1)}
}

/** The S3 object a source names: its size, ETag and last write (one HeadObject), or undefined when it is gone. */
export async function describeSourceObject(uri: string, environment: NodeJS.ProcessEnv = process.env): Promise<ObjectInfo | undefined> {
  const {storage, key} = sourceObject(uri, environment)
  try {
    return await storage.describe(key)
  } finally {
    await storage.close()
  }
}
