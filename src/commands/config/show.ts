import {type ConfigReport, describeConfig} from '../../core/config/describe-config.js'
import {exitCodeHelp} from '../../base/exit-codes.js'
import {FtmCommand, loadCommandConfig} from '../../ui/base-command.js'
import {configFlags, rootFlag} from '../../ui/common-flags.js'
import {cellText, formatTable} from '../../ui/format-table.js'

export default class ConfigShow extends FtmCommand {
  static override summary = 'Print the resolved configuration and where each value came from (secrets masked).'
  static override description = `Layers: built-in defaults < ftm.config.json (and its --profile) < FTM_ environment variables < flags. Keys or variables whose names hold key, secret, password, token or credentials are shown as ****.

Exit codes:
${exitCodeHelp({0: 'configuration shown', 1: '-'})}`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --profile batch --json']

  static override flags = {...configFlags, ...rootFlag}

  async run(): Promise<ConfigReport> {
    const {flags} = await this.parse(ConfigShow)
    const resolved = loadCommandConfig({
      configFile: flags.config,
      profile: flags.profile,
      assignments: flags.set,
      flags: {values: flags.root ? {root: flags.root} : {}, names: {root: '--root'}},
    })
    const report = describeConfig(resolved, process.env)
    if (!this.jsonEnabled()) {
      this.log(`Config file: ${report.configFile ?? '(none found)'}${report.profile ? `, profile ${report.profile}` : ''}\n`)
      this.log(formatTable(['key', 'value', 'from'], report.entries.map((entry) => [entry.key, cellText(entry.value), entry.origin]), 80))
      if (report.environment.length > 0) {
        this.log('\nOther variables in the environment:')
        this.log(formatTable(['variable', 'value'], report.environment.map((entry) => [entry.name, entry.value]), 80))
      }
    }
    return report
  }
}
