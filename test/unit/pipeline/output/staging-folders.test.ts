import {existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {makeStagingFolder, removeAbandonedStagingFolders} from '../../../../src/pipeline/output/staging-folders.js'

describe('Parquet staging folders', () => {
  it('are named after their process, and a later start removes those of dead processes only', async () => {
    // Given a temp folder with staging folders of a dead worker, of this (live) process, an old unnamed one and a stranger's
    const parent = mkdtempSync(path.join(os.tmpdir(), 'ftm-staging-test-'))
    const mine = await makeStagingFolder(parent)
    expect(path.basename(mine)).toMatch(new RegExp(`^ftm-parquet-${process.pid}-`))
    const dead = path.join(parent, 'ftm-parquet-999999999-abcdef')
    mkdirSync(dead)
    writeFileSync(path.join(dead, 'part-00000-00001.parquet'), 'half a file')
    const oldUnnamed = path.join(parent, 'ftm-parquet-Xy12ab')
    mkdirSync(oldUnnamed)
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000)
    utimesSync(oldUnnamed, twoHoursAgo, twoHoursAgo)
    const recentUnnamed = path.join(parent, 'ftm-parquet-Qz98cd')
    mkdirSync(recentUnnamed)
    const stranger = path.join(parent, 'other-tool-123')
    mkdirSync(stranger)
    // When the next worker starts
    const removed = await removeAbandonedStagingFolders(parent)
    // Then only the dead worker's and the old unnamed folder are gone
    expect(removed.sort()).toEqual([dead, oldUnnamed].sort())
    expect([mine, recentUnnamed, stranger].every((folder) => existsSync(folder))).toBe(true)
    expect(existsSync(dead) || existsSync(oldUnnamed)).toBe(false)
  })
})
