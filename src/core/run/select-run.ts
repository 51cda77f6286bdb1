import {UserError} from '../../base/errors.js'
import {runsPrefix} from '../layout.js'
import {assertRunId} from '../run-id.js'
import type {Storage} from '../../storage/storage.js'

/** The ids of every run under a root, oldest first (ids sort by start time). */
export async function listRunIds(storage: Storage): Promise<string[]> {
  const ids = (await storage.list(runsPrefix)).map((key) => /^runs\/([^/]+)\/run\.json$/.exec(key)?.[1]).filter((id): id is string => Boolean(id))
  return ids.sort()
}

/**
 * The run a command is about: the id given, or the newest with --latest (or when `defaultLatest` and none is
 * given). An id and --latest together, or neither where one is required, are user errors.
 */
export async function selectRun(storage: Storage, choice: {runId?: string; latest?: boolean; defaultLatest: boolean; command: string}): Promise<string> {
  if (choice.runId && choice.latest) {
    throw new UserError(`Both a run id (${choice.runId}) and --latest were given.`, `Pass one: \`ftm ${choice.command} <run-id>\` or \`ftm ${choice.command} --latest\`.`)
  }
  if (choice.runId) return assertRunId(choice.runId)
  if (!choice.latest && !choice.defaultLatest) {
    throw new UserError(`Which run? ftm ${choice.command} needs a run id or --latest.`, `Pass one: \`ftm ${choice.command} <run-id>\` or \`ftm ${choice.command} --latest\`; \`ftm runs\` lists them.`)
  }
  const latest = (await listRunIds(storage)).at(-1)
  if (!latest) {
    throw new UserError(`There are no runs under ${storage.uri}.`, 'Start one with `ftm run`, or point --root at the output of an earlier run.')
  }
  return latest
}
