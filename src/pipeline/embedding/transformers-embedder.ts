import {existsSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {UserError} from '../../base/errors.js'
import type {EmbeddingConfig} from '../../core/config/embedding-schema.js'
import type {Embedder} from './embedder.js'

type FeatureExtractor = (texts: string[], options: {pooling: 'mean'; normalize: boolean}) => Promise<{data: ArrayLike<number>; dims: number[]; dispose?: () => void}>

/** Where models are looked up (and downloaded to, when allowed) unless pipeline.embedding.modelCache says otherwise. */
export function defaultModelCache(): string {
  return path.join(os.homedir(), '.cache', 'ftm', 'models')
}

/** True when `model` names a folder on disk rather than a hub id. */
function isFolder(model: string): boolean {
  return path.isAbsolute(model) || model.startsWith('.') || existsSync(path.join(model, 'config.json'))
}

/**
 * A sentence-transformer in ONNX form run by transformers.js (onnxruntime-node): masked mean pooling and L2
 * normalisation, as sentence-transformers does for all-MiniLM-L6-v2. `model` is a local folder (config.json,
 * tokenizer.json, onnx/model.onnx) or a hub id looked up in the model cache, downloaded only when
 * allowRemoteModels is true.
 */
export class TransformersEmbedder implements Embedder {
  private constructor(
    readonly name: string,
    readonly dimensions: number,
    private readonly extractor: FeatureExtractor,
    private readonly batchSize: number,
  ) {}

  /** Loads the model once; throws UserError when it cannot be found or run on the device. */
  static async load(options: Pick<EmbeddingConfig, 'model' | 'device' | 'dtype' | 'allowRemoteModels' | 'modelCache' | 'batchSize'>): Promise<TransformersEmbedder> {
    const transformers = await import('@huggingface/transformers')
    const local = isFolder(options.model)
    const folder = local ? path.resolve(options.model) : undefined
    const cache = options.modelCache || defaultModelCache()
    transformers.env.allowLocalModels = true
    transformers.env.allowRemoteModels = !local && options.allowRemoteModels
    transformers.env.localModelPath = folder ? path.dirname(folder) : cache
    transformers.env.cacheDir = cache
    const id = folder ? path.basename(folder) : options.model
    let extractor: FeatureExtractor
    try {
      extractor = (await transformers.pipeline('feature-extraction', id, {
        device: options.device,
        dtype: options.dtype,
        local_files_only: !transformers.env.allowRemoteModels,
      })) as unknown as FeatureExtractor
    } catch (error) {
      const where = folder ?? path.join(cache, options.model)
      const hint =
        options.device === 'cuda'
          ? 'device cuda needs the CUDA build of onnxruntime-node (the GPU image); use pipeline.embedding.device=cpu elsewhere.'
          : local || !options.allowRemoteModels
            ? `Put the model there (config.json, tokenizer.json, onnx/model${options.dtype === 'fp32' ? '' : '_<dtype>'}.onnx), point pipeline.embedding.model at a model folder, or set pipeline.embedding.allowRemoteModels=true to download a hub id.`
            : 'Check the model id and the network, or download the model folder and point pipeline.embedding.model at it.'
      throw new UserError(`The embedding model ${options.model} cannot be loaded from ${where} on ${options.device}: ${(error as Error).message}`, hint, {cause: error})
    }
    const probe = await extractor(['probe'], {pooling: 'mean', normalize: true})
    const dimensions = probe.dims.at(-1)!
    probe.dispose?.()
    return new TransformersEmbedder(`transformers:${options.model}`, dimensions, extractor, options.batchSize)
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const result: Float32Array[] = []
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize)
      const output = await this.extractor(batch, {pooling: 'mean', normalize: true})
      const width = output.dims.at(-1)!
      for (let row = 0; row < batch.length; row++) result.push(Float32Array.from({length: width}, (_, column) => output.data[row * width + column]!))
      output.dispose?.()
    }
    return result
  }
}
