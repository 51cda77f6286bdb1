import {defineExecutorPlugin} from '../../src/core/executor-plugin.js'
import {batchSettingsSchema, defaultBatchSettings} from './batch-settings.js'
import {defaultInfraSettings, infraSettingsSchema} from './infra/infra-settings.js'

/** The batch executor: AWS Batch Spot jobs that go on when the CLI exits; `infra` is the stack `ftm batch infra` writes. */
export const batchExecutorPlugin = defineExecutorPlugin({
  name: 'batch',
  capabilities: {remote: true, detached: true},
  create: async (context) => new (await import('./batch-executor.js')).BatchExecutor(context),
  settings: {batch: batchSettingsSchema, infra: infraSettingsSchema},
  settingsDefaults: {batch: defaultBatchSettings, infra: defaultInfraSettings},
  estimate: {hourlyPrice: 0.16, startupSeconds: 60, overheadFactor: 2.3, billing: 'partition'},
  runFlags: [],
})
