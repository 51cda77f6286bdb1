import {describe, expect, it} from 'vitest'
import {contextGroups} from '../../../../src/pipeline/stages/context-groups.js'
import {mergeTopics} from '../../../../src/pipeline/stages/merge-topics.js'

describe('mergeTopics', () => {
  const embeddings = [[1, 0], [1, 0.1], [0.9, 0.2], [1, 0.05], [0, 1], [0.1, 1], [0.5, 0.5]].map((values) => Float32Array.from(values))

  it('merges topics whose mean embeddings reach the threshold into the larger one, and leaves outliers alone', () => {
    const assignments = Int32Array.from([0, 0, 1, 1, 2, 2, -1])
    expect([...mergeTopics(assignments, embeddings, 0.95)]).toEqual([0, 0, 0, 0, 2, 2, -1])
    // The input is not changed.
    expect([...assignments]).toEqual([0, 0, 1, 1, 2, 2, -1])
  })

  it('keeps dissimilar topics apart and merges nothing above 1', () => {
    const assignments = Int32Array.from([0, 0, 1, 1, 2, 2, -1])
    expect([...mergeTopics(assignments, embeddings, 1.01)]).toEqual([...assignments])
    expect([...mergeTopics(assignments, embeddings, 0.99)]).toEqual([0, 0, 1, 1, 2, 2, -1].map((topic) => (topic === 1 ? 0 : topic)))
  })
})

describe('contextGroups', () => {
  const sentences = [
    {componentOrder: 1, speakerType: 'Executives'},
    {componentOrder: 1, speakerType: 'Executives'},
    {componentOrder: 2, speakerType: 'Executives'},
    {componentOrder: 4, speakerType: 'Analysts'},
    {componentOrder: 5, speakerType: 'Executives'},
    {componentOrder: 6, speakerType: 'Executives'},
    {componentOrder: 8, speakerType: 'Analysts'},
    {componentOrder: 9, speakerType: 'Executives'},
  ]

  it('groups a question with the turns that answer it; prepared-remarks turns stay apart', () => {
    expect(contextGroups(sentences, 'exchange')).toEqual([1, 1, 2, 4, 4, 4, 8, 8])
  })

  it('groups by speaker turn when asked', () => {
    expect(contextGroups(sentences, 'turn')).toEqual([1, 1, 2, 4, 5, 6, 8, 9])
  })
})
