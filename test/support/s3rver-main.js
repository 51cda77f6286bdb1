// Runs s3rver in its own process: its ListObjectsV2 continuation tokens use DES, which Node's OpenSSL 3 only offers
// with --openssl-legacy-provider. Prints {"port": N} once listening, then one line per request it receives.
import {createRequire} from 'node:module'

const S3rver = createRequire(import.meta.url)('s3rver')
const [directory, ...buckets] = process.argv.slice(2)
const server = new S3rver({address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({name}))})
const address = await server.run()
server.httpServer.on('request', (request) => process.stdout.write(`request ${request.method} ${request.url}\n`))
process.stdout.write(`${JSON.stringify({port: address.port})}\n`)
process.on('SIGTERM', () => server.close().then(() => process.exit(0)))
