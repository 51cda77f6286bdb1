import type {FirmTranscript, TranscriptComponent} from '../../sources/transcript-source.js'

/** Where in the call a component was spoken. */
export type Section = 'presentation' | 'qa'

/** Who spoke a component. */
export type Role = 'management' | 'analyst' | 'operator' | 'other'

/** How the call's Q&A was found: WRDS's component types, the first analyst turn, the operator's announcement, or none. */
export type QaRule = 'component_type' | 'first_analyst' | 'operator_announcement' | 'no_qa'

/** The section and role of each component of a call, by component order. */
export interface CallStructure {
  components: Map<number, {section: Section; role: Role}>
  qaRule: QaRule
}

const roleOfSpeakerType: Record<string, Role> = {
  executives: 'management',
  executive: 'management',
  management: 'management',
  'corporate participants': 'management',
  'corporate participant': 'management',
  presenter: 'management',
  analysts: 'analyst',
  analyst: 'analyst',
  operator: 'operator',
}

const sectionOfComponentType: Record<string, Section> = {
  'presenter speech': 'presentation',
  'presentation operator message': 'presentation',
  question: 'qa',
  answer: 'qa',
  'question and answer operator message': 'qa',
}

const roleOfComponentType: Record<string, Role> = {
  'presenter speech': 'management',
  'presentation operator message': 'operator',
  question: 'analyst',
  answer: 'management',
  'question and answer operator message': 'operator',
}

/** An operator opening the Q&A: "we will now begin the question-and-answer session", "our first question comes from". */
const qaAnnouncement = /\b(question[- ]and[- ]answer|q ?& ?a)\b|\bfirst question\b|\bopen (up )?the (call|line|floor) (for|to) questions\b/i

/**
 * The role of a component: from speakertypename (Executives → management, Analysts → analyst, Operator → operator,
 * anything else, such as Attendees or Shareholders → other); when the speaker type is empty, from the component type.
 */
export function componentRole(component: TranscriptComponent): Role {
  const speakerType = component.speakerType.trim().toLowerCase()
  if (speakerType) return roleOfSpeakerType[speakerType] ?? 'other'
  return roleOfComponentType[component.componentType?.trim().toLowerCase() ?? ''] ?? 'other'
}

/**
 * The section and role of every component. A component whose WRDS component type says its section keeps it. The
 * others follow the split of the call: the Q&A starts at the first analyst turn, or at an operator turn after
 * management has spoken that announces the questions, whichever comes first; a call with neither has no Q&A.
 * Once the Q&A has begun, every later component is in it (closing remarks included).
 */
export function callStructure(transcript: FirmTranscript): CallStructure {
  const ordered = [...transcript.components].sort((a, b) => a.componentOrder - b.componentOrder)
  const roles = ordered.map(componentRole)
  const typed = ordered.map((component) => sectionOfComponentType[component.componentType?.trim().toLowerCase() ?? ''])
  let qaStart = ordered.length
  let qaRule: QaRule = 'no_qa'
  let managementSpoke = false
  for (let index = 0; index < ordered.length; index++) {
    if (roles[index] === 'analyst') {
      qaStart = index
      qaRule = 'first_analyst'
      break
    }
    if (roles[index] === 'operator' && managementSpoke && qaAnnouncement.test(ordered[index]!.text)) {
      qaStart = index
      qaRule = 'operator_announcement'
      break
    }
    if (roles[index] === 'management') managementSpoke = true
  }
  if (typed.length > 0 && typed.every((section) => section !== undefined)) qaRule = typed.includes('qa') ? 'component_type' : 'no_qa'
  const components = new Map<number, {section: Section; role: Role}>()
  let inQa = false
  ordered.forEach((component, index) => {
    // Once the Q&A has begun the call stays in it: closing remarks that WRDS types as Presenter Speech are Q&A.
    const section: Section = inQa ? 'qa' : (typed[index] ?? (index >= qaStart ? 'qa' : 'presentation'))
    inQa = section === 'qa'
    components.set(component.componentOrder, {section, role: roles[index]!})
  })
  return {components, qaRule}
}
