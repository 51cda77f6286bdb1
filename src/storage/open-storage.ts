import {UserError} from '../core/errors.js'
import {LocalStorage} from './local-storage.js'
import type {Storage} from './storage.js'

/** Opens the storage a root URI names: `s3://bucket/prefix` or a local directory. */
export function openStorage(root: string): Storage {
  if (/^s3:\/\//i.test(root)) {
    throw new UserError(
      `The storage root ${root} is on S3, which this version of ftm cannot write yet.`,
      'Use a local directory for --root (e.g. --root ./ftm-output).',
    )
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(root)) {
    throw new UserError(`The storage root ${root} uses a scheme ftm does not know.`, 'Use a local directory or an s3://bucket/prefix URI.')
  }
  return new LocalStorage(root)
}
