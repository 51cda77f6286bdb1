import {existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'

describe('a run the executor refuses', () => {
  it('writes no run record, so it never shows as stalled with a resume that fails again', async () => {
    const {file} = sampleSubset({firms: 2, quarters: ['2024Q1']})
    const root = temporaryFolder('ftm-refused-')
    // Batch containers cannot reach a local directory: refused before anything is submitted (no AWS call is made).
    const result = await runCli(['run', '--executor', 'batch', '--source', file, '--root', root], {environment: {AWS_REGION: 'us-east-1', FTM_BATCH__ENDPOINT: ''}})
    expect(result.exitCode, result.stderr).toBe(2)
    expect(result.stderr).toContain('Batch containers cannot read or write the local directory')
    const runs = path.join(root, 'runs')
    expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([])
    const listed = await runCli(['runs', '--root', root])
    expect(listed.stdout).toContain('No runs under')
  })
})
