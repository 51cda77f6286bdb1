// Writes the hand-written corpus's (or, with --generated, the realistic generator's) sentences as the pipeline sees them, with their hand labels, context groups and
// the offline embeddings (word vectors and TF-IDF + SVD of the keyword terms, before context mixing), for
// bench/quality-peers.py to cluster with the methods a researcher would try instead of ftm's.
//   npx tsx bench/quality-dump.ts [--generated] [--out test-output/bench-quality/corpus-vectors.json]
// --generated: the 8 realistic-shape calls bench/quality.ts scores (seed 5, 150-600 sentences).
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {parseArgs} from 'node:util'
import {defaultConfig} from '../src/core/config/schema.js'
import {createEmbedder} from '../src/pipeline/embedding/create-embedder.js'
import {contextGroups} from '../src/pipeline/stages/context-groups.js'
import {preprocess} from '../src/pipeline/stages/preprocess.js'
import {writeTranscriptFiles} from '../fixtures/generator/index.js'
import {loadLabelledCalls} from './quality-scores.js'

const {values} = parseArgs({options: {generated: {type: 'boolean', default: false}, out: {type: 'string', default: 'test-output/bench-quality/corpus-vectors.json'}}})
let folder = path.join(import.meta.dirname, '..', 'fixtures', 'quality-corpus')
if (values.generated) {
  folder = path.join(path.dirname(values.out), 'realistic')
  writeTranscriptFiles({firms: 8, quarters: ['2024Q1'], seed: 5, minSentences: 150, maxSentences: 600, shape: 'realistic'}, folder)
}
const data = await loadLabelledCalls(values.generated ? 'generated, realistic shape' : 'hand-written corpus', folder)
const pipeline = defaultConfig.pipeline
const wordVectors = await createEmbedder({...pipeline.embedding, backend: 'word-vectors'})
const tfidfSvd = await createEmbedder({...pipeline.embedding, backend: 'tfidf-svd'})
const calls = []
for (const call of data.calls) {
  const sentences = preprocess(call, pipeline)
  const terms = sentences.map((sentence) => sentence.terms.join(' '))
  calls.push({
    transcriptId: call.transcriptId,
    truth: sentences.map((sentence) => data.topics.get(`${call.transcriptId}/${sentence.componentOrder}/${sentence.sentenceInComponent}`) ?? 'none'),
    exchange: contextGroups(sentences, 'exchange'),
    wordVectors: (await wordVectors.embed(terms)).map((vector) => Array.from(vector, (value) => Number(value.toFixed(6)))),
    tfidfSvd: (await tfidfSvd.embed(terms)).map((vector) => Array.from(vector, (value) => Number(value.toFixed(6)))),
  })
}
mkdirSync(path.dirname(values.out), {recursive: true})
writeFileSync(values.out, JSON.stringify(calls))
console.error(`${calls.length} calls written to ${values.out}`)
