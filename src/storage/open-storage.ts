import {s3SettingsFromEnvironment} from './storage-schema.js'
import {UserError} from '../base/errors.js'
import {LocalStorage} from './local-storage.js'
import {S3Storage} from './s3-storage.js'
import type {Storage} from './storage.js'

/** Opens the storage a root URI names: `s3://bucket/prefix` or a local directory. */
export function openStorage(root: string): Storage {
  if (/^s3:\/\//i.test(root)) return new S3Storage(root, s3SettingsFromEnvironment(process.env))
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(root)) {
    throw new UserError(`The storage root ${root} uses a scheme ftm does not know.`, 'Use a local directory or an s3://bucket/prefix URI.')
  }
  return new LocalStorage(root)
}
