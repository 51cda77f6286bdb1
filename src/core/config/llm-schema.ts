import {z} from 'zod'

const positiveInteger = z.number().int().positive()

/**
 * Topic naming through an OpenAI-compatible chat completions endpoint (llm). The API key is never configuration:
 * only the NAME of the environment variable that holds it is.
 */
export const llmSchema = z
  .strictObject({
    baseUrl: z
      .string()
      .refine((value) => value === '' || /^https?:\/\/[^\s/]+/.test(value), 'an http(s) URL such as http://vllm:8000/v1, or empty')
      .describe('base URL of an OpenAI-compatible server, e.g. http://vllm:8000/v1 (empty: keyword labels only)'),
    model: z.string().describe('the model name sent with each request (required when baseUrl is set)'),
    apiKeyVariable: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as FTM_LLM_API_KEY')
      .describe('name of the environment variable that holds the API key (unset variable: no Authorization header)'),
    concurrency: positiveInteger.max(64).describe('requests in flight at once per worker'),
    requestsPerMinute: z.number().int().min(0).describe('most requests started per minute per worker (0: no limit)'),
    timeoutSeconds: z.number().positive().describe('per-request timeout'),
    retries: z.number().int().min(0).max(10).describe('retries of a request on 429, 5xx, timeouts and connection errors'),
    backoffSeconds: z.number().min(0).describe('first retry delay; doubles each retry, with jitter; a longer Retry-After wins'),
    maxTopicsPerRequest: positiveInteger.describe('topics named in one request; more are split into several requests'),
    sentencesPerTopic: z.number().int().min(0).max(10).describe('representative sentences per topic in the prompt'),
    responseFormat: z.enum(['json_schema', 'json_object', 'none']).describe('structured output requested from the server'),
    temperature: z.number().min(0).max(2),
    onFailure: z
      .enum(['fallback', 'fail'])
      .describe('when the endpoint keeps failing for a firm: fallback (keyword labels, firm ok) or fail (firm fails with llm_error, counted by the circuit breaker)'),
    whenAllFallback: z
      .enum(['fail', 'warn'])
      .describe('when llm.baseUrl is set but no topic of the run got an LLM label: fail (the run ends with exit 1) or warn (exit 0); both say so'),
  })
  .refine((llm) => llm.baseUrl === '' || llm.model.trim() !== '', {path: ['model'], message: 'a model name (the one the server serves) when llm.baseUrl is set'})

export type LlmConfig = z.infer<typeof llmSchema>

/** Defaults: no endpoint, so topics get keyword labels until llm.baseUrl and llm.model are set. */
export const defaultLlm: LlmConfig = {
  baseUrl: '',
  model: '',
  apiKeyVariable: 'FTM_LLM_API_KEY',
  concurrency: 4,
  requestsPerMinute: 500,
  timeoutSeconds: 60,
  retries: 4,
  backoffSeconds: 1,
  maxTopicsPerRequest: 40,
  sentencesPerTopic: 3,
  responseFormat: 'json_schema',
  temperature: 0,
  onFailure: 'fallback',
  whenAllFallback: 'fail',
}
