import {type Hook, toConfiguredId} from '@oclif/core'
import askWhatWasMeant from '@oclif/plugin-not-found'
import {closestMatch} from '../base/closest-match.js'
import {ExitCode} from '../base/exit-codes.js'

/**
 * oclif's command_not_found hook: on a terminal, @oclif/plugin-not-found asks "Did you mean …?" and runs the answer;
 * elsewhere (scripts, CI) the error itself names the closest command, since nobody is there to answer a prompt.
 */
const commandNotFound: Hook.CommandNotFound = async function (options) {
  if (process.stdin.isTTY) return askWhatWasMeant.call(this, options)
  const visible = options.config.commands.filter((command) => !command.hidden).map((command) => command.id)
  const closest = closestMatch(options.id, visible)
  const typed = toConfiguredId(options.id, options.config)
  const hint = closest ? `Did you mean \`${options.config.bin} ${toConfiguredId(closest, options.config)}\`? ` : ''
  this.error(`"${typed}" is not a ${options.config.bin} command. ${hint}Run \`${options.config.bin} help\` for the list.`, {exit: ExitCode.usage})
}

export default commandNotFound
