import type {FirmTranscript} from '../../sources/transcript-source.js'

/** A capitalised word of a name: "Sofia", "O'Neil", "Mary-Kate". */
const namePart = String.raw`[A-Z][a-z]*(?:['’-][A-Z]?[a-z]+)*`
/** A full name: two or three capitalised words, optionally with a middle initial ("John A. Smith"). */
const fullName = String.raw`${namePart}(?: [A-Z]\.)?(?: ${namePart}){1,2}`

/** Phrases that introduce a person in an earnings call: the operator's and the host's introductions. */
const introductions = [
  String.raw`(?:comes|come|is) from(?: the line of)?`,
  String.raw`(?:line|question) of`,
  String.raw`(?:over|back|it|call) to`,
  String.raw`(?:joined|introduced|hosted) by`,
  String.raw`(?:[Jj]oining|[Ww]ith) (?:me|us)(?: today| on the call| on today's call| here)?(?: (?:are|is))?`,
  String.raw`(?:[Ii]ntroduce|[Ww]elcome|[Hh]and it over to|[Pp]ass it to)`,
  String.raw`(?:[Mm]y name is|[Tt]his is|[Ii] am|I'm)`,
]
const introducedName = new RegExp(String.raw`(?:${introductions.join('|')}) (${fullName})\b`, 'g')
/** "Carlos Haddad, our Chief Executive Officer" or "Dana Novak, Head of Investor Relations". */
const roles = 'Chief|President|Head|Vice|Senior|Executive|Director|General|Group|Treasurer|Controller|Chairman|Chair|CEO|CFO|COO|CTO'
const describedName = new RegExp(String.raw`\b(${fullName}), (?:(?:our|the|who is|who is our) )?(?:[A-Za-z]+ )?(?:${roles})\b`, 'g')
/** Thanks or greetings to someone by first name: "Thanks, Sofia," / "Yes, thank you, Priya." / "Hi, Mark." */
const salutation = new RegExp(String.raw`\b(?:[Tt]hanks|[Tt]hank you|[Hh]i|[Hh]ello|[Hh]ey)(?: (?:so|very) much)?,? (${namePart})(?: ${namePart})?[,.!?]`, 'g')
/** Capitalised words that follow "thanks" but are not people. */
const notNames = new Set(['operator', 'everyone', 'everybody', 'all', 'again', 'you', 'guys', 'team', 'and', 'for', 'so', 'very'])

/**
 * The lowercase words of the people named in a call: full names from the operator's and host's introductions
 * ("over to Sofia Kowalski", "comes from Jane Doe with ..."), names followed by a role ("Carlos Haddad, our CEO")
 * and first names in thanks and greetings ("Thanks, Sofia,"). Wink's lite English model has no PERSON entity,
 * so this transcript-level gazetteer is what keeps speaker names out of keywords.
 */
export function personNameWords(transcript: FirmTranscript): Set<string> {
  const words = new Set<string>()
  const add = (name: string): void => {
    for (const part of name.split(/[ .]+/)) {
      const lower = part.toLowerCase()
      if (part.length > 1 && !notNames.has(lower)) words.add(lower)
    }
  }
  for (const component of transcript.components) {
    for (const pattern of [introducedName, describedName, salutation]) {
      for (const match of component.text.matchAll(pattern)) add(match[1]!)
    }
  }
  return words
}

/** True when a token is a capitalised occurrence of a name word (so "Grace" goes, "grace period" stays). */
export function isPersonName(tokenText: string, nameWords: ReadonlySet<string>): boolean {
  return /^[A-Z]/.test(tokenText) && nameWords.has(tokenText.toLowerCase())
}
