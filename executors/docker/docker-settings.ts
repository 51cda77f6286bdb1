import {z} from 'zod'

/** `all`, `none`, a count such as `2`, or `device=0,2`. */
export const gpusPattern = /^(all|none|[1-9]\d*|device=[\w-]+(,[\w-]+)*)$/

/** Settings of the container executors (local Docker, ec2 over SSH): the `docker` section. */
export const dockerSettingsSchema = z.strictObject({
  image: z.string().min(1).describe('the pipeline image the local and ec2 executors run (built by `ftm image build`)'),
  gpus: z
    .string()
    .regex(gpusPattern, 'expected all, none, a count such as 2, or device=0,2')
    .describe('GPUs for worker containers: all, none, a count N, or device=0,2 (with --parallel, one GPU per container)'),
  host: z.string().describe('ec2: the Docker host, ssh://user@host[:port] (empty: the local engine)'),
  sshKey: z.string().describe('ec2: private key file for the SSH connection (empty: the SSH agent in SSH_AUTH_SOCK)'),
  network: z.string().min(1).describe('Docker network mode of worker containers (host: workers reach services on localhost)'),
  stopTimeout: z.number().int().min(1).max(3600).describe('seconds a cancelled container gets to commit its checkpoint before SIGKILL'),
  preflight: z.boolean().describe('check Docker, the image and the GPUs before a local or ec2 run starts containers'),
})

export type DockerSettings = z.infer<typeof dockerSettingsSchema>

/** Defaults: the image `ftm image build` tags, every GPU, the host network. */
export const defaultDockerSettings: DockerSettings = {
  image: 'ftm-pipeline:latest',
  gpus: 'all',
  host: '',
  sshKey: '',
  network: 'host',
  stopTimeout: 60,
  preflight: true,
}
