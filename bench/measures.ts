// CPU per firm with and without the research measures (call structure, tone, risk, taxonomy), side by side.
//   npx tsx bench/measures.ts [--firms 20] [--source fixtures/sample/transcripts.csv] [--quarter 2024Q1]
// Each firm is modeled once; then its measures are computed and its rows written to Parquet twice, without the
// measure columns and with them. CPU is the process's (user + system), robust to other processes on the cores.
import {rmSync} from 'node:fs'
import {parseArgs} from 'node:util'
import {defaultConfig} from '../src/core/config/schema.js'
import {createEmbedder} from '../src/pipeline/embedding/create-embedder.js'
import {measureFirm} from '../src/pipeline/measures/firm-measures.js'
import {loadMeasures} from '../src/pipeline/measures/load-measures.js'
import {modelFirm} from '../src/pipeline/model-firm.js'
import {modeledFirmRows} from '../src/pipeline/output/firm-rows.js'
import {firmMeasureColumns, sentenceMeasureColumns, topicMeasureColumns} from '../src/pipeline/output/measure-columns.js'
import {ParquetWriter} from '../src/pipeline/output/parquet-writer.js'
import {tableColumns, type TableRows} from '../src/pipeline/output/table-columns.js'
import {CsvSource} from '../src/sources/csv-source.js'

const {values} = parseArgs({
  options: {
    firms: {type: 'string', default: '20'},
    source: {type: 'string', default: 'fixtures/sample/transcripts.csv'},
    quarter: {type: 'string', default: '2024Q1'},
  },
})
const config = defaultConfig.pipeline
const source = new CsvSource(values.source)
const firms = (await source.listFirms(values.quarter)).slice(0, Number(values.firms))
const embedder = await createEmbedder(config.embedding)
const writer = await ParquetWriter.open()

const cpuMs = (): number => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}
const loadStart = cpuMs()
const context = (await loadMeasures(config.measures, embedder))!
const loadMs = cpuMs() - loadStart

const measureNames = {
  firms: new Set(firmMeasureColumns.map((column) => column.name)),
  topics: new Set(topicMeasureColumns.map((column) => column.name)),
  sentences: new Set(sentenceMeasureColumns.map((column) => column.name)),
}
async function write(rows: TableRows, withMeasures: boolean, name: string): Promise<void> {
  for (const table of ['firms', 'topics', 'sentences'] as const) {
    const columns = tableColumns[table].filter((column) => withMeasures || !measureNames[table].has(column.name))
    rmSync(await writer.writeRows(columns, rows[table], `${name}-${table}.parquet`))
  }
}

interface FirmCost {
  sentences: number
  model: number
  measures: number
  writeWithout: number
  writeWith: number
}
const costs: FirmCost[] = []
const context0 = {runId: 'bench', quarter: values.quarter, partition: 0, firmName: '', attempt: 1}
for (const firm of firms) {
  const transcript = (await source.fetchFirm(firm.id, values.quarter))!
  const start = cpuMs()
  const model = await modelFirm(transcript, config, embedder)
  const modeled = cpuMs()
  const measures = {...measureFirm(transcript, model, context), ms: 0}
  const measured = cpuMs()
  const rowContext = {...context0, firmId: firm.id}
  await write(modeledFirmRows(rowContext, transcript, model, 0, 0), false, `${firm.id}-without`)
  const writtenWithout = cpuMs()
  await write(modeledFirmRows(rowContext, transcript, model, 0, 0, measures), true, `${firm.id}-with`)
  const writtenWith = cpuMs()
  costs.push({sentences: model.sentences.length, model: modeled - start, measures: measured - modeled, writeWithout: writtenWithout - measured, writeWith: writtenWith - writtenWithout})
}
await writer.close()
await source.close()

const median = (numbers: number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
const sum = (numbers: number[]): number => numbers.reduce((total, value) => total + value, 0)
const without = costs.map((cost) => cost.model + cost.writeWithout)
const withMeasures = costs.map((cost) => cost.model + cost.measures + cost.writeWith)
const fixed = (value: number, digits = 1): string => value.toFixed(digits)
console.log(`Measures CPU on ${costs.length} firms of ${values.source} (${values.quarter}), median sentences ${median(costs.map((cost) => cost.sentences))}, embedder ${embedder.name}`)
console.log('')
console.log('| CPU ms per firm | median | mean |')
console.log('|---|---|---|')
console.log(`| model (preprocess … keywords) | ${fixed(median(costs.map((cost) => cost.model)))} | ${fixed(sum(costs.map((cost) => cost.model)) / costs.length)} |`)
console.log(`| measures (structure, tone, risk, taxonomy) | ${fixed(median(costs.map((cost) => cost.measures)), 2)} | ${fixed(sum(costs.map((cost) => cost.measures)) / costs.length, 2)} |`)
console.log(`| Parquet rows without measure columns | ${fixed(median(costs.map((cost) => cost.writeWithout)))} | ${fixed(sum(costs.map((cost) => cost.writeWithout)) / costs.length)} |`)
console.log(`| Parquet rows with measure columns | ${fixed(median(costs.map((cost) => cost.writeWith)))} | ${fixed(sum(costs.map((cost) => cost.writeWith)) / costs.length)} |`)
console.log(`| **firm without measures** | ${fixed(median(without))} | ${fixed(sum(without) / costs.length)} |`)
console.log(`| **firm with measures** | ${fixed(median(withMeasures))} | ${fixed(sum(withMeasures) / costs.length)} |`)
console.log('')
console.log(`Extra CPU with measures: ${fixed((100 * (sum(withMeasures) - sum(without))) / sum(without))}% of the total, median per firm ${fixed(100 * median(costs.map((cost, index) => (withMeasures[index]! - without[index]!) / without[index]!)))}%.`)
console.log(`Once per worker: loading the lexicons and embedding the taxonomy, ${fixed(loadMs)} ms CPU.`)
