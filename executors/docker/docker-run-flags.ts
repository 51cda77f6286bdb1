import type {ExecutorRunFlag} from '../../src/core/executor-plugin.js'

/** `--gpus`, shared by the container executors (local, ec2). */
export const gpusFlag: ExecutorRunFlag = {name: 'gpus', configKey: 'docker.gpus', description: 'local/ec2: GPUs for worker containers: all, none, N or device=0,2 (default all)'}

/** `--image`, shared by the container executors (local, ec2). */
export const imageFlag: ExecutorRunFlag = {name: 'image', configKey: 'docker.image', description: 'local/ec2: the worker image (default ftm-pipeline:latest)'}
