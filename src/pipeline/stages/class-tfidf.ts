/**
 * Unigrams and n-grams up to `ngramMax` of a sentence's cleaned terms. An n-gram joins only terms that stood next
 * to each other in the sentence (`followsPrevious[i]`: term i came right after term i − 1; absent: all did), so
 * "6.8 gigawatts, up from 4.5 gigawatts" never gives "gigawatts gigawatts"; n-grams never cross sentences.
 */
export function ngrams(terms: readonly string[], ngramMax: number, followsPrevious?: readonly boolean[]): string[] {
  const result: string[] = []
  for (let size = 1; size <= ngramMax; size++) {
    for (let start = 0; start + size <= terms.length; start++) {
      let adjacent = true
      for (let offset = 1; offset < size && adjacent; offset++) adjacent = followsPrevious?.[start + offset] ?? true
      if (adjacent) result.push(terms.slice(start, start + size).join(' '))
    }
  }
  return result
}

/** BERTopic's ClassTfidfTransformer options. */
export interface ClassTfidfOptions {
  /** idf = ln((A + 1) / (f + 0.5)) instead of ln(1 + A / f); negative for terms more frequent than A + 0.5. */
  bm25Weighting?: boolean
  /** tf = √(row-normalised count) instead of the count share. */
  reduceFrequentWords?: boolean
}

/** c-TF-IDF over classes (topics), BERTopic's formula: tf = row-normalised counts, idf = ln(1 + A / f). */
export interface ClassTfidf {
  /** Terms kept, sorted alphabetically. */
  vocabulary: string[]
  /** idf per vocabulary term. */
  idf: Float64Array
  /** Score per class row and term. */
  scores: Float64Array[]
  /** Column of each term. */
  columns: Map<string, number>
}

/**
 * Computes c-TF-IDF. `classes[c]` holds class c's term counts. A term must occur in at least `minDf` classes
 * (BERTopic fits its vectorizer on one document per class); when that leaves nothing, every term is kept.
 */
export function classTfidf(classes: readonly Map<string, number>[], minDf: number, options: ClassTfidfOptions = {}): ClassTfidf {
  const documentFrequency = new Map<string, number>()
  for (const counts of classes) for (const term of counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1)
  let vocabulary = [...documentFrequency.keys()].filter((term) => documentFrequency.get(term)! >= minDf)
  if (vocabulary.length === 0) vocabulary = [...documentFrequency.keys()]
  vocabulary.sort()
  const columns = new Map(vocabulary.map((term, column) => [term, column]))

  const counts = classes.map((classCounts) => {
    const row = new Float64Array(vocabulary.length)
    for (const [term, count] of classCounts) {
      const column = columns.get(term)
      if (column !== undefined) row[column] = count
    }
    return row
  })
  const totalPerTerm = new Float64Array(vocabulary.length)
  let totalWords = 0
  for (const row of counts) {
    for (let column = 0; column < row.length; column++) totalPerTerm[column]! += row[column]!
    totalWords += row.reduce((sum, value) => sum + value, 0)
  }
  const averageWords = Math.trunc(totalWords / Math.max(1, counts.length))
  const idf = Float64Array.from(totalPerTerm, (total) => {
    if (total === 0) return 0
    return options.bm25Weighting ? Math.log((averageWords + 1) / (total + 0.5)) : Math.log(1 + averageWords / total)
  })
  const scores = counts.map((row) => {
    const sum = row.reduce((accumulator, value) => accumulator + value, 0)
    return Float64Array.from(row, (value, column) => {
      if (sum === 0) return 0
      const share = value / sum
      return (options.reduceFrequentWords ? Math.sqrt(share) : share) * idf[column]!
    })
  })
  return {vocabulary, idf, scores, columns}
}

/** The `count` best terms of a class row, best first; ties go alphabetically; zero scores never count. */
export function topTerms(model: ClassTfidf, row: number, count: number): {term: string; score: number}[] {
  const scores = model.scores[row]!
  return model.vocabulary
    .map((term, column) => ({term, score: scores[column]!}))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1))
    .slice(0, count)
}

/** Cosine similarity of a document's c-TF-IDF vector (l1 tf × idf) to a class row. */
export function similarityToClass(model: ClassTfidf, row: number, documentTerms: readonly string[]): number {
  const counts = new Map<number, number>()
  for (const term of documentTerms) {
    const column = model.columns.get(term)
    if (column !== undefined) counts.set(column, (counts.get(column) ?? 0) + 1)
  }
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0)
  if (total === 0) return 0
  const classRow = model.scores[row]!
  let dot = 0
  let documentNorm = 0
  for (const [column, count] of counts) {
    const weight = (count / total) * model.idf[column]!
    dot += weight * classRow[column]!
    documentNorm += weight * weight
  }
  const classNorm = Math.sqrt(classRow.reduce((sum, value) => sum + value * value, 0))
  return documentNorm > 0 && classNorm > 0 ? dot / (Math.sqrt(documentNorm) * classNorm) : 0
}
