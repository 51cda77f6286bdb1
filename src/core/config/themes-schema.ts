import {z} from 'zod'

const positiveInteger = z.number().int().positive()

/** Cross-firm themes: the reduce step that clusters a quarter's firm topics (ftm themes). */
export const themesSchema = z.strictObject({
  enabled: z.boolean().describe('run `ftm themes` for each quarter at the end of `ftm run`'),
  umap: z.strictObject({
    nNeighbors: z.number().int().min(2),
    nComponents: z.number().int().min(1).max(100),
    minDist: z.number().min(0).max(1),
    nEpochs: z.number().int().min(0).describe('layout epochs; 0 chooses by input size as umap-js does'),
    seed: z.number().int(),
  }),
  hdbscan: z.strictObject({
    minClusterSize: z.number().int().min(2).describe('fewest topics in a theme (capped at a quarter of the topics for small inputs)'),
    minSamples: positiveInteger,
    selection: z.enum(['leaf', 'eom']),
  }),
  minTopics: z.number().int().min(2).describe('quarters with fewer firm topics get no themes'),
  minFirms: z.number().int().min(2).describe('a theme must span at least this many firms'),
  maxFirmShare: z.number().gt(0).max(1).describe('drop a theme where one firm holds more than this share of its topics'),
  topKeywords: positiveInteger.describe('keywords kept per theme'),
  topFirms: positiveInteger.describe('firms listed per theme, most topics first'),
})

export type ThemesConfig = z.infer<typeof themesSchema>

/** The team's production settings for cross-firm themes. */
export const defaultThemes: ThemesConfig = {
  enabled: false,
  umap: {nNeighbors: 30, nComponents: 15, minDist: 0.025, nEpochs: 200, seed: 42},
  hdbscan: {minClusterSize: 20, minSamples: 6, selection: 'eom'},
  minTopics: 10,
  minFirms: 2,
  maxFirmShare: 0.4,
  topKeywords: 10,
  topFirms: 5,
}
