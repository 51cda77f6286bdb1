import {Args, Flags} from '@oclif/core'
import {UserError} from '../base/errors.js'
import {loadCommandConfig} from './base-command.js'

/** Flags that choose the configuration, shared by the commands that read it. */
export const configFlags = {
  config: Flags.string({char: 'c', description: 'configuration file (default: ftm.config.json found upward)'}),
  profile: Flags.string({description: 'a profile of the configuration file (profiles.<name>), also FTM_PROFILE'}),
  set: Flags.string({description: 'any configuration value, e.g. --set parallel=4', multiple: true}),
}

/** The output root flag. */
export const rootFlag = {
  root: Flags.string({char: 'r', description: 'output root (default ./ftm-output)'}),
}

/** A run chosen by id (an argument) or --latest; the two exclude each other. */
export const runArgument = {
  run: Args.string({description: 'run id, e.g. 20261128-143205-7f3a (`ftm runs` lists them)'}),
}

/** --run: the run by id, the same as the [RUN] argument (one way to name a run in every command). */
export const runFlag = {
  run: Flags.string({description: 'run id, the same as the [RUN] argument (`ftm runs` lists them)'}),
}

/** The run id a command was given, as its [RUN] argument or --run; two different ones are a user error. */
export function givenRunId(argument: string | undefined, flag: string | undefined): string | undefined {
  if (argument && flag && argument !== flag) throw new UserError(`Two runs were given: ${argument} and --run ${flag}.`, 'Name the run once: as the argument or with --run.')
  return argument ?? flag
}

/** --latest: the newest run under the root. */
export const latestFlag = {
  latest: Flags.boolean({description: 'the newest run under the root (instead of a run id)'}),
}

/** The storage root the flags, config file, profile and environment resolve to. */
export function rootFromFlags(flags: {root?: string; config?: string; profile?: string}): string {
  const {config} = loadCommandConfig({configFile: flags.config, profile: flags.profile, flags: {values: flags.root ? {root: flags.root} : {}, names: {root: '--root'}}})
  return config.root
}

/** The flags that locate a run's root: --root, --config, --profile. */
export const locateFlags = {
  ...rootFlag,
  config: configFlags.config,
  profile: configFlags.profile,
}
