import {appendFileSync, readFileSync, utimesSync, writeFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {isUserError} from '../../../../src/base/errors.js'
import {checkSourceUnchanged, fingerprintSource} from '../../../../src/core/run/source-fingerprint.js'
import {resumeRun} from '../../../../src/core/run/start-run.js'
import {writeRunRecord} from '../../../../src/core/run-record.js'
import {prepareRun} from '../../../support/prepared-run.js'
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
    // Database and S3 sources carry no fingerprint, and a record without one is not checked.
    expect(await fingerprintSource('wrds://user@host/db')).toBeUndefined()
    await expect(checkSourceUnchanged('r', file, undefined)).resolves.toBeUndefined()
  })
})
