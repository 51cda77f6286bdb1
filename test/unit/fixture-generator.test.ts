import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'csv-parse/sync'
import {afterAll, describe, expect, it} from 'vitest'
import type {GenerateOptions, TranscriptRow} from '../../fixtures/generator/index.js'
import {
  formatQuarter,
  generateTranscripts,
  LABEL_COLUMNS,
  NO_TOPIC,
  quarterOfDate,
  splitSentences,
  TOPICS,
  TRANSCRIPT_COLUMNS,
  writeTranscriptFiles,
  writeTranscriptsCsv,
} from '../../fixtures/generator/index.js'
import {Random} from '../../fixtures/generator/random.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'ftm-fixture-generator-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

const options: GenerateOptions = {firms: 12, quarters: ['2024Q4', '2024Q1', '2024Q2'], seed: 11, minSentences: 120, maxSentences: 260}
const generated = generateTranscripts(options)

function componentKey(transcriptid: number | string, componentorder: number | string): string {
  return `${transcriptid}:${componentorder}`
}

describe('fixture generator', () => {
  it('is deterministic: the same options give identical rows, labels and files', () => {
    const again = generateTranscripts(options)
    expect(again.rows).toEqual(generated.rows)
    expect(again.labels).toEqual(generated.labels)

    writeTranscriptFiles(options, join(scratch, 'first'))
    writeTranscriptFiles(options, join(scratch, 'second'))
    for (const file of ['transcripts.csv', 'labels.csv']) {
      expect(readFileSync(join(scratch, 'second', file)).equals(readFileSync(join(scratch, 'first', file)))).toBe(true)
    }
  })

  it('gives different output for a different seed', () => {
    const other = generateTranscripts({...options, seed: options.seed + 1})
    expect(other.rows.map((row) => row.componenttext)).not.toEqual(generated.rows.map((row) => row.componenttext))
    expect(other.rows.map((row) => row.companyid)).not.toEqual(generated.rows.map((row) => row.companyid))
  })

  it('keeps the first firms identical when more firms are requested', () => {
    const larger = generateTranscripts({...options, firms: options.firms + 5})
    expect(larger.rows.slice(0, generated.rows.length)).toEqual(generated.rows)
  })

  it('round-trips tricky componenttext through CSV (quotes, commas, newlines)', () => {
    const tricky = [
      'He said "hello, world" and left.',
      'Line one.\nLine two, with a comma.',
      '"Starts and ends with quotes"',
      'Windows\r\nline ending and a trailing space ',
      '  leading spaces, "", and ""double"" quotes',
      '',
    ]
    const rows: TranscriptRow[] = tricky.map((componenttext, componentorder) => ({
      companyid: 123456,
      companyname: 'Northwind Semiconductor, Inc.',
      transcriptid: 987654,
      componentorder,
      componenttext,
      mostimportantdateutc: '2024-05-02 21:00:00',
      speakertypename: 'Executives',
    }))
    const path = join(scratch, 'tricky.csv')
    writeTranscriptsCsv(path, rows)
    const parsed = parse(readFileSync(path, 'utf8'), {columns: true}) as Array<Record<string, string>>
    expect(parsed.map((record) => record.componenttext)).toEqual(tricky)
    expect(parsed.map((record) => record.companyname)).toEqual(rows.map((row) => row.companyname))
  })

  it('writes files with the exact columns whose parsed content equals the in-memory rows', () => {
    const directory = join(scratch, 'columns')
    writeTranscriptFiles(options, directory)
    const transcriptsText = readFileSync(join(directory, 'transcripts.csv'), 'utf8')
    const labelsText = readFileSync(join(directory, 'labels.csv'), 'utf8')
    expect(transcriptsText.split('\n')[0]).toBe(TRANSCRIPT_COLUMNS.join(','))
    expect(labelsText.split('\n')[0]).toBe(LABEL_COLUMNS.join(','))
    expect(TRANSCRIPT_COLUMNS).toEqual(['companyid', 'companyname', 'transcriptid', 'componentorder', 'componenttext', 'mostimportantdateutc', 'speakertypename'])
    expect(LABEL_COLUMNS).toEqual(['companyid', 'transcriptid', 'componentorder', 'sentence_in_component', 'topic'])

    const transcripts = parse(transcriptsText, {columns: true}) as Array<Record<string, string>>
    expect(transcripts).toEqual(generated.rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, String(value)]))))
    const labels = parse(labelsText, {columns: true}) as Array<Record<string, string>>
    expect(labels).toHaveLength(generated.labels.length)
    // The generated text itself exercises quoting: quotes, commas and newlines all occur.
    expect(generated.rows.some((row) => row.componenttext.includes('"'))).toBe(true)
    expect(generated.rows.some((row) => row.componenttext.includes('\n'))).toBe(true)
  })

  it('dates every call inside its named quarter, 3 to 8 weeks after the previous quarter ended', () => {
    expect(generated.calls).toHaveLength(options.firms * options.quarters.length)
    for (const call of generated.calls) {
      expect(call.mostimportantdateutc).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
      expect(formatQuarter(quarterOfDate(call.mostimportantdateutc))).toBe(call.quarter)
      const quarterStart = Date.UTC(Number(call.quarter.slice(0, 4)), (Number(call.quarter.slice(5)) - 1) * 3, 1)
      const days = (Date.parse(`${call.mostimportantdateutc.replace(' ', 'T')}Z`) - quarterStart) / 86_400_000
      expect(days).toBeGreaterThanOrEqual(21)
      expect(days).toBeLessThan(60)
    }
    for (const row of generated.rows) {
      const call = generated.calls.find((candidate) => candidate.transcriptid === row.transcriptid)
      expect(row.mostimportantdateutc).toBe(call?.mostimportantdateutc)
    }
    expect(new Set(generated.calls.map((call) => call.quarter))).toEqual(new Set(['2024Q1', '2024Q2', '2024Q4']))
  })

  it('has stable six-digit company ids, unique transcript ids and contiguous component orders', () => {
    const idsByName = new Map<string, Set<number>>()
    for (const call of generated.calls) {
      expect(String(call.companyid)).toMatch(/^\d{6}$/)
      idsByName.set(call.companyname, (idsByName.get(call.companyname) ?? new Set()).add(call.companyid))
    }
    expect(idsByName.size).toBe(options.firms)
    for (const ids of idsByName.values()) expect(ids.size).toBe(1)
    expect(new Set(generated.calls.map((call) => call.transcriptid)).size).toBe(generated.calls.length)

    const orders = new Map<number, number[]>()
    for (const row of generated.rows) {
      expect(['Operator', 'Executives', 'Analysts']).toContain(row.speakertypename)
      orders.set(row.transcriptid, [...(orders.get(row.transcriptid) ?? []), row.componentorder])
    }
    for (const list of orders.values()) expect(list).toEqual(list.map((_value, index) => index))
    const firstRowOfCall = generated.rows.filter((row) => row.componentorder === 0)
    for (const row of firstRowOfCall) expect(row.speakertypename).toBe('Operator')
  })

  it('labels exactly the sentences of existing components', () => {
    const sentenceCounts = new Map<string, number>()
    for (const row of generated.rows) {
      sentenceCounts.set(componentKey(row.transcriptid, row.componentorder), splitSentences(row.componenttext).length)
      expect(row.componenttext).not.toMatch(/\bInc\./)
    }
    const seen = new Map<string, number[]>()
    const topicKeys = new Set([...TOPICS.map((topic) => topic.key), NO_TOPIC])
    for (const label of generated.labels) {
      const key = componentKey(label.transcriptid, label.componentorder)
      expect(sentenceCounts.has(key)).toBe(true)
      expect(topicKeys.has(label.topic)).toBe(true)
      seen.set(key, [...(seen.get(key) ?? []), label.sentence_in_component])
    }
    expect(seen.size).toBe(sentenceCounts.size)
    for (const [key, indexes] of seen) {
      expect(indexes).toEqual(Array.from({length: sentenceCounts.get(key) ?? -1}, (_value, index) => index))
    }
  })

  it('plants at least 3 topics with at least 5 sentences in every call, within the sentence bounds', () => {
    for (const call of generated.calls) {
      expect(call.sentences).toBeGreaterThanOrEqual(options.minSentences)
      expect(call.sentences).toBeLessThanOrEqual(options.maxSentences)
      expect(call.topics.length).toBeGreaterThanOrEqual(4)
      expect(call.topics.length).toBeLessThanOrEqual(7)
      const planted = Object.entries(call.sentencesByTopic).filter(([topic, count]) => topic !== NO_TOPIC && count >= 5)
      expect(planted.length).toBeGreaterThanOrEqual(3)
      expect((call.sentencesByTopic[NO_TOPIC] ?? 0) > 0).toBe(true)
    }
  })

  it('varies topic vocabulary: sentences of one topic share some but not all words', () => {
    const stopWords = new Set('the a an and of to in our we is are was for on with as that at by from this be it its has have which more than about into us you your'.split(' '))
    const words = (sentence: string) => new Set((sentence.toLowerCase().match(/[a-z][a-z'-]+/g) ?? []).filter((word) => !stopWords.has(word)))
    const jaccard = (left: Set<string>, right: Set<string>) => {
      let shared = 0
      for (const word of left) if (right.has(word)) shared++
      return shared / Math.max(1, left.size + right.size - shared)
    }
    const sentencesOf = new Map<string, string[]>()
    const textByComponent = new Map(generated.rows.map((row) => [componentKey(row.transcriptid, row.componentorder), splitSentences(row.componenttext)]))
    for (const label of generated.labels) {
      const sentence = textByComponent.get(componentKey(label.transcriptid, label.componentorder))?.[label.sentence_in_component]
      if (sentence !== undefined) sentencesOf.set(label.topic, [...(sentencesOf.get(label.topic) ?? []), sentence])
    }
    const plantedTopics = [...sentencesOf.keys()].filter((topic) => topic !== NO_TOPIC)
    expect(plantedTopics.length).toBeGreaterThanOrEqual(15)
    const documentFrequency = new Map<string, Set<string>>()
    for (const topic of plantedTopics) {
      for (const sentence of sentencesOf.get(topic) ?? []) {
        for (const word of words(sentence)) documentFrequency.set(word, (documentFrequency.get(word) ?? new Set()).add(topic))
      }
    }
    // Generic business words are shared by many topics, so no single word separates them.
    for (const word of ['quarter', 'year', 'growth', 'customers']) {
      expect(documentFrequency.get(word)?.size ?? 0, word).toBeGreaterThanOrEqual(Math.floor(plantedTopics.length / 2))
    }
    for (const topic of plantedTopics) {
      const sentences = (sentencesOf.get(topic) ?? []).slice(0, 40)
      if (sentences.length < 20) continue
      expect(new Set(sentences).size / sentences.length, topic).toBeGreaterThan(0.8)
      const own = sentences.map(words)
      const others = plantedTopics.filter((other) => other !== topic).flatMap((other) => (sentencesOf.get(other) ?? []).slice(0, 10)).map(words)
      let within = 0
      let withinPairs = 0
      for (let left = 0; left < own.length; left++) {
        for (let right = left + 1; right < own.length; right++) {
          within += jaccard(own[left] as Set<string>, own[right] as Set<string>)
          withinPairs++
        }
      }
      let across = 0
      for (const mine of own) for (const theirs of others) across += jaccard(mine, theirs)
      const withinMean = within / withinPairs
      const acrossMean = across / (own.length * others.length)
      expect(withinMean, topic).toBeGreaterThan(2 * acrossMean)
      expect(withinMean, topic).toBeLessThan(0.5)
    }
  })

  it('rejects invalid options', () => {
    expect(() => generateTranscripts({...options, quarters: ['2024Q5']})).toThrow(/quarter/)
    expect(() => generateTranscripts({...options, minSentences: 10})).toThrow(/minSentences/)
    expect(() => generateTranscripts({...options, maxSentences: 100})).toThrow(/maxSentences/)
    expect(() => generateTranscripts({...options, firms: 0})).toThrow(/firms/)
  })

  it('uses a seeded PRNG that repeats exactly', () => {
    const first = new Random(42)
    const second = new Random(42)
    const draws = Array.from({length: 5}, () => first.next())
    expect(Array.from({length: 5}, () => second.next())).toEqual(draws)
    expect(draws.every((value) => value >= 0 && value < 1)).toBe(true)
  })

  it('matches the committed sample in fixtures/sample byte for byte', () => {
    const sample = join(root, 'fixtures', 'sample')
    const readme = readFileSync(join(sample, 'README.md'), 'utf8')
    expect(readme).toContain(
      'npx tsx fixtures/generate.ts --firms 40 --quarters 2024Q1,2024Q2 --seed 7 --min-sentences 120 --max-sentences 260 --out fixtures/sample',
    )
    const directory = join(scratch, 'sample')
    writeTranscriptFiles({firms: 40, quarters: ['2024Q1', '2024Q2'], seed: 7, minSentences: 120, maxSentences: 260}, directory)
    for (const file of ['transcripts.csv', 'labels.csv']) {
      expect(readFileSync(join(directory, file)).equals(readFileSync(join(sample, file))), file).toBe(true)
    }
  })
})
