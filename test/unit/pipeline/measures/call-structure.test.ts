import {describe, expect, it} from 'vitest'
import {callStructure, componentRole} from '../../../../src/pipeline/measures/call-structure.js'
import type {FirmTranscript} from '../../../../src/sources/transcript-source.js'

const call = (components: [speakerType: string, text: string, componentType?: string][]): FirmTranscript => ({
  firmId: '1',
  firmName: 'Test Firm',
  transcriptId: '9',
  callDate: '2024-02-01T00:00:00.000Z',
  components: components.map(([speakerType, text, componentType], componentOrder) => ({componentOrder, speakerType, text, ...(componentType ? {componentType} : {})})),
})

const sections = (transcript: FirmTranscript): string[] => [...callStructure(transcript).components.values()].map((place) => `${place.role}/${place.section}`)

describe('callStructure', () => {
  it("splits a call without component types at the operator's Q&A announcement", () => {
    const transcript = call([
      ['Operator', "Welcome to the call. After the speakers' remarks, there will be a question-and-answer session."],
      ['Executives', 'Revenue grew in every segment.'],
      ['Operator', 'We will now begin the question-and-answer session. Our first question comes from Jane Doe.'],
      ['Analysts', 'Can you talk about pricing?'],
      ['Executives', 'Pricing held up well.'],
    ])
    expect(sections(transcript)).toEqual(['operator/presentation', 'management/presentation', 'operator/qa', 'analyst/qa', 'management/qa'])
    expect(callStructure(transcript).qaRule).toBe('operator_announcement')
  })

  it('starts the Q&A at the first analyst turn when no operator announces it', () => {
    const transcript = call([
      ['Executives', 'Good morning and thank you for joining us.'],
      ['Executives', 'Margins expanded again.'],
      ['Analysts', 'What drove the margin?'],
      ['Executives', 'Mostly mix.'],
      ['Operator', 'This concludes the call.'],
    ])
    expect(sections(transcript)).toEqual(['management/presentation', 'management/presentation', 'analyst/qa', 'management/qa', 'operator/qa'])
    expect(callStructure(transcript).qaRule).toBe('first_analyst')
  })

  it('keeps a call without questions all presentation', () => {
    const transcript = call([
      ['Operator', 'Welcome to the update call.'],
      ['Executives', 'We closed the acquisition this week.'],
      ['Operator', 'This concludes today\u2019s call.'],
    ])
    expect(sections(transcript)).toEqual(['operator/presentation', 'management/presentation', 'operator/presentation'])
    expect(callStructure(transcript).qaRule).toBe('no_qa')
  })

  it("follows WRDS's component types where the source has them, even against the split; closing remarks stay in the Q&A", () => {
    const transcript = call([
      ['Executives', 'Revenue grew.', 'Presenter Speech'],
      ['Attendees', 'A question from the floor about dividends.', 'Question'],
      ['Executives', 'We plan to raise it.', 'Answer'],
      ['Operator', 'That was the last question.', 'Question and Answer Operator Message'],
      ['Executives', 'Thank you all for joining us.', 'Presenter Speech'],
    ])
    expect(sections(transcript)).toEqual(['management/presentation', 'other/qa', 'management/qa', 'operator/qa', 'management/qa'])
    expect(callStructure(transcript).qaRule).toBe('component_type')
  })

  it('uses the split for components whose type is missing in a partly typed call', () => {
    const transcript = call([
      ['Executives', 'Revenue grew.', 'Presenter Speech'],
      ['Executives', 'Costs fell.'],
      ['Analysts', 'Why did costs fall?'],
      ['Executives', 'Freight.', 'Answer'],
    ])
    expect(sections(transcript)).toEqual(['management/presentation', 'management/presentation', 'analyst/qa', 'management/qa'])
  })
})

describe('componentRole', () => {
  it('maps WRDS speaker types, and the component type when the speaker type is empty', () => {
    const role = (speakerType: string, componentType?: string): string => componentRole({componentOrder: 0, text: '', speakerType, componentType})
    expect([role('Executives'), role('Analysts'), role('Operator'), role('Attendees'), role('Shareholders')]).toEqual(['management', 'analyst', 'operator', 'other', 'other'])
    expect([role('', 'Question'), role('', 'Answer'), role('', 'Presentation Operator Message'), role('')]).toEqual(['analyst', 'management', 'operator', 'other'])
  })
})
