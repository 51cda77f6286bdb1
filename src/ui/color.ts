/** True when output to this stream may be coloured: a terminal, NO_COLOR unset, TERM not dumb. */
export function colorEnabled(stream: NodeJS.WriteStream = process.stdout, environment: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && environment.NO_COLOR === undefined && environment.TERM !== 'dumb'
}

const codes = {green: 32, red: 31, yellow: 33, gray: 90, cyan: 36} as const

/** Colours a word by what it says (succeeded green, failed red, …) when colour is enabled. */
export function colorPhase(text: string, enabled: boolean): string {
  if (!enabled) return text
  const color = /succeeded|done|ok/.test(text) ? 'green' : /failed|stalled/.test(text) ? 'red' : /running/.test(text) ? 'cyan' : /cancelled|pending/.test(text) ? 'yellow' : undefined
  return color ? `\x1b[${codes[color]}m${text}\x1b[0m` : text
}
