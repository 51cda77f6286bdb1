import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {defaultMeasures} from '../../../../src/core/config/measures-schema.js'
import {UserError} from '../../../../src/base/errors.js'
import type {Embedder} from '../../../../src/pipeline/embedding/embedder.js'
import {checkMeasureFiles, loadMeasures} from '../../../../src/pipeline/measures/load-measures.js'
import {temporaryFolder} from '../../../support/sample-subset.js'

/** Two dimensions are enough: the taxonomy's embeddings only break ties. */
const embedder: Embedder = {name: 'test', dimensions: 2, embed: async (texts) => texts.map((_, index) => Float32Array.from([1, index]))}

describe('loadMeasures', () => {
  it('is off when pipeline.measures.enabled is false', async () => {
    expect(await loadMeasures({...defaultMeasures, enabled: false}, embedder)).toBeUndefined()
  })

  it('loads the master dictionary and a taxonomy from user files', async () => {
    const folder = temporaryFolder()
    const taxonomy = path.join(folder, 'subjects.json')
    writeFileSync(taxonomy, JSON.stringify({subjects: [{key: 'tariffs', name: 'Tariffs', seedWords: ['tariff']}]}))
    const context = (await loadMeasures({...defaultMeasures, lexicons: ['fixtures/lexicons/loughran-mcdonald-master-sample.csv'], taxonomy}, embedder))!
    expect(context.taxonomy.subjects.map((subject) => subject.key)).toEqual(['tariffs'])
    expect([...context.lexicon.get('strong')!]).toEqual(['positive'])
    expect(context.lexicon.has('growth')).toBe(false)
    expect(context.minSubjectScore).toBe(defaultMeasures.minSubjectScore)
  })

  it('names the setting of a file that does not exist and says what to do', async () => {
    const load = loadMeasures({...defaultMeasures, lexicons: ['/nowhere/LM.csv']}, embedder)
    await expect(load).rejects.toThrow(UserError)
    await expect(loadMeasures({...defaultMeasures, lexicons: ['/nowhere/LM.csv']}, embedder)).rejects.toThrow(/pipeline\.measures\.lexicons/)
  })

  it('checks the files before a run is planned: a taxonomy that is not valid fails with its problem', async () => {
    const folder = temporaryFolder()
    const taxonomy = path.join(folder, 'subjects.json')
    writeFileSync(taxonomy, JSON.stringify({subjects: [{key: 'tariffs', name: 'Tariffs'}]}))
    await expect(checkMeasureFiles({...defaultMeasures, taxonomy})).rejects.toThrow(/neither a description nor seed words/)
    await expect(checkMeasureFiles({...defaultMeasures, lexicons: ['fixtures/lexicons/loughran-mcdonald-master-sample.csv']})).resolves.toBeUndefined()
  })
})
