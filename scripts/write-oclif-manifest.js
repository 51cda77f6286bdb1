#!/usr/bin/env node
// Writes oclif.manifest.json from the built commands (dist/), so that oclif finds a command and lists help without
// importing every command file: `ftm runs` then loads neither DuckDB nor the SDKs other commands use.
import {writeFileSync} from 'node:fs'
import {Plugin} from '@oclif/core'

const root = new URL('..', import.meta.url).pathname
const plugin = new Plugin({root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true})
await plugin.load()
const target = `${root}oclif.manifest.json`
writeFileSync(target, `${JSON.stringify(plugin.manifest, null, 2)}\n`)
console.log(`oclif manifest: ${Object.keys(plugin.manifest.commands).length} commands in ${target}`)
