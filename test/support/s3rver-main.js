// Runs s3rver in its own process: its ListObjectsV2 continuation tokens use DES, which Node's OpenSSL 3 only offers
// with --openssl-legacy-provider. Prints {"port": N} once listening, then one line per request it receives.
// Its writes are made atomic and `If-None-Match: *` honoured, as on real S3 (s3rver-atomic.js).
import {createRequire} from 'node:module'
import {conditionalWrites, makeStoreAtomic} from './s3rver-atomic.js'

const S3rver = createRequire(import.meta.url)('s3rver')
const [directory, ...buckets] = process.argv.slice(2)
const server = new S3rver({address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({name}))})
makeStoreAtomic(server.store)
// Koa composes its middleware when it starts listening: this one runs before s3rver's routes.
server.middleware.unshift(conditionalWrites(server.store))
const address = await server.run()
server.httpServer.on('request', (request) => process.stdout.write(`request ${request.method} ${request.url}\n`))
process.stdout.write(`${JSON.stringify({port: address.port})}\n`)
process.on('SIGTERM', () => server.close().then(() => process.exit(0)))
