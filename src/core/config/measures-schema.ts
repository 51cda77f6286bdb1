import {z} from 'zod'

/** The research measures: call structure, tone and risk from word lists, and subjects from a fixed taxonomy. */
export const measuresSchema = z.strictObject({
  enabled: z.boolean().describe('compute section, role, tone, risk and taxonomy measures for each sentence, topic and call'),
  lexicons: z
    .array(z.string().min(1))
    .describe('word lists (path or s3://): word,category CSVs or the Loughran-McDonald master dictionary; a category given here replaces the built-in one'),
  taxonomy: z.string().describe('the subjects file (path or s3://); empty: the built-in earnings-call taxonomy'),
  minSubjectScore: z.number().min(0).max(1).describe("a topic whose best subject has less of its c-TF-IDF weight on the subject's seed words gets no subject"),
  continuityMinSimilarity: z.number().min(-1).max(1).describe("ftm inspect's topic_continuity: least embedding cosine that links a topic to one of the firm's previous quarter"),
})

/** The measures' settings (`pipeline.measures`). */
export type MeasuresConfig = z.infer<typeof measuresSchema>

/** On, with the built-in lexicons and taxonomy. */
export const defaultMeasures: MeasuresConfig = {enabled: true, lexicons: [], taxonomy: '', minSubjectScore: 0.02, continuityMinSimilarity: 0.6}
