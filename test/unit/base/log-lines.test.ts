import {describe, expect, it} from 'vitest'
import {atLeast, createLogger, parseLogLine} from '../../../src/base/log-lines.js'

const at = new Date('2026-12-02T06:50:01.234Z')

/** A logger writing into an array. */
function capture(json: boolean, secrets: string[] = []): {log: ReturnType<typeof createLogger>; lines: string[]} {
  const lines: string[] = []
  return {log: createLogger({write: (text) => lines.push(text), json, secrets, now: () => at}), lines}
}

describe('the worker log lines', () => {
  it('writes JSON lines off a terminal: time, level and message, one line even for a stack trace', () => {
    const {log, lines} = capture(true)
    log('ftm worker: done')
    log('ftm worker: failed: Error: boom\n    at model (firm.ts:1)', 'error')
    expect(lines).toEqual([
      '{"time":"2026-12-02T06:50:01.234Z","level":"info","msg":"ftm worker: done"}\n',
      '{"time":"2026-12-02T06:50:01.234Z","level":"error","msg":"ftm worker: failed: Error: boom\\n    at model (firm.ts:1)"}\n',
    ])
  })

  it('writes readable lines on a terminal, and reads both kinds back', () => {
    const {log, lines} = capture(false)
    log('ftm worker: warning: 3 rows without a date', 'warn')
    expect(lines).toEqual(['2026-12-02T06:50:01.234Z WARN  ftm worker: warning: 3 rows without a date\n'])
    expect(parseLogLine(lines[0]!.trimEnd())).toEqual({time: '2026-12-02T06:50:01.234Z', level: 'warn', message: 'ftm worker: warning: 3 rows without a date'})
    expect(parseLogLine('{"time":"2026-12-02T06:50:01.234Z","level":"error","msg":"x"}')).toEqual({time: '2026-12-02T06:50:01.234Z', level: 'error', message: 'x'})
  })

  it('keeps any other line as it is, counted as info', () => {
    for (const line of ['plain text from an older worker', '{"not": "ours"}', '{broken']) expect(parseLogLine(line)).toEqual({message: line})
    expect(atLeast({message: 'old'}, 'info')).toBe(true)
    expect(atLeast({message: 'old'}, 'warn')).toBe(false)
    expect(atLeast({level: 'error', message: 'x'}, 'warn')).toBe(true)
  })

  it('never writes a secret value, in either form', () => {
    for (const json of [true, false]) {
      const {log, lines} = capture(json, ['sk-live-123456', ''])
      log('calling http://llm with key sk-live-123456 failed')
      expect(lines.join('')).not.toContain('sk-live-123456')
      expect(lines.join('')).toContain('with key **** failed')
    }
  })
})
