import {appendFileSync, readFileSync, utimesSync, writeFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {isUserError} from '../../../../src/base/errors.js'
import {checkSourceUnchanged, fingerprintSource} from '../../../../src/core/run/source-fingerprint.js'
import {resumeRun} from '../../../../src/core/run/start-run.js'
import {s3SettingsFromEnvironment} from '../../../../src/storage/storage-schema.js'
import {S3Storage} from '../../../../src/storage/s3-storage.js'
import {writeRunRecord} from '../../../../src/core/run-record.js'
import {prepareRun} from '../../../support/prepared-run.js'
import {startS3Server} from '../../../support/s3-server.js'
import {sampleSubset, temporaryFolder} from '../../../support/sample-subset.js'

describe('source fingerprints', () => {
  it('the run record keeps the source file fingerprint, and a resume of a run without partition inputs stops when the file was truncated, naming the change', async () => {
    // Given a planned run over a CSV, recorded as a run from before partition inputs (its workers read the source)
    const {file} = sampleSubset({firms: 3, quarters: ['2024Q1']})
    const root = temporaryFolder()
    const {storage, record} = await prepareRun({source: file, root})
    expect(record.sourceFingerprint).toMatchObject({size: readFileSync(file).length})
    delete record.partitionInputs
    await writeRunRecord(storage, record)
    // When the CSV loses its last rows and the run is resumed
    const original = readFileSync(file)
    writeFileSync(file, original.subarray(0, original.length - 500))
    const refused = await resumeRun({root, runId: record.id}).catch((error: unknown) => error)
    // Then the resume stops with exit 2 before anything starts, saying what changed and what to do
    expect(isUserError(refused)).toBe(true)
    expect((refused as Error).message).toContain(`The source ${file} changed since run ${record.id} was planned: its size went from ${original.length} to ${original.length - 500} bytes`)
    expect((refused as {hint: string}).hint).toContain('Restore the file')
    expect((refused as {exitCode: number}).exitCode).toBe(2)
  })

  it('accepts a file only touched, and refuses one whose sampled content changed at the same size', async () => {
    const folder = temporaryFolder()
    const file = `${folder}/calls.csv`
    writeFileSync(file, 'companyid,componenttext\n1,hello\n')
    const recorded = (await fingerprintSource(file))!
    utimesSync(file, new Date('2030-01-01'), new Date('2030-01-01'))
    await expect(checkSourceUnchanged('r', file, recorded)).resolves.toBeUndefined()
    writeFileSync(file, 'companyid,componenttext\n2,hello\n')
    await expect(checkSourceUnchanged('r', file, recorded)).rejects.toThrow(/its content differs/)
    appendFileSync(file, 'x')
    await expect(checkSourceUnchanged('r', `${folder}/gone.csv`, recorded)).rejects.toThrow(/it is gone/)
    // A record without one (planned before fingerprints existed) is not checked.
    await expect(checkSourceUnchanged('r', file, undefined)).resolves.toBeUndefined()
  })

  it('an S3 source keeps the ETag, size and LastModified from HeadObject, and a changed object stops the resume', async () => {
    const server = await startS3Server(['ftm-test'])
    // The SDK reads the credentials from the process environment (s3rver's own account).
    const saved = {AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY}
    Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER'})
    try {
      const environment = {...process.env, ...server.environment}
      const storage = new S3Storage('s3://ftm-test/calls', s3SettingsFromEnvironment(environment))
      await storage.write('q1.csv', 'companyid,componenttext\n1,hello\n')
      const source = 's3://ftm-test/calls/q1.csv'
      const recorded = await fingerprintSource(source, [], environment)
      expect(recorded).toMatchObject({kind: 's3', size: 32, etag: expect.stringMatching(/^".+"$/), lastModified: expect.stringMatching(/^\d{4}-/)})
      // The same bytes written again keep the ETag: not a change.
      await storage.write('q1.csv', 'companyid,componenttext\n1,hello\n')
      await expect(checkSourceUnchanged('r', source, recorded, environment)).resolves.toBeUndefined()
      await storage.write('q1.csv', 'companyid,componenttext\n2,hello\n')
      const refused = (await checkSourceUnchanged('r', source, recorded, environment).catch((error: unknown) => error)) as Error & {hint: string; exitCode: number}
      expect(refused.exitCode).toBe(2)
      expect(refused.message).toContain(`The source ${source} changed since run r was planned: its ETag went from ${(recorded as {etag: string}).etag} to`)
      expect(refused.hint).toContain('Upload the object the run was planned from again')
      await storage.remove('q1.csv')
      await expect(checkSourceUnchanged('r', source, recorded, environment)).rejects.toThrow(/it is gone/)
      await storage.close()
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
      await server.stop()
    }
  })
})
