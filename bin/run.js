#!/usr/bin/env node
import {execute} from '@oclif/core'

// ftm supports Node 20 (package.json engines); the AWS SDK's notice that later SDK releases will need Node 22 says
// nothing the user can act on and would be printed by every S3 command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

await execute({dir: import.meta.url})
