export { PromptVault, type CacheOptions, type GetPromptOptions, type PromptVaultOptions } from './client.js';
export { PromptVaultError, RenderError } from './errors.js';
export { Prompt, type PromptSource } from './prompt.js';
export type { UsageFlushResult, UsageOptions } from './usage.js';
export {
  extractVariables,
  parseTemplate,
  renderTemplate,
  type RenderResult,
  type Segment,
} from './variables.js';
export type {
  FieldError,
  Problem,
  PromptMetadata,
  RuntimePrompt,
  UsageEvent,
  UsageResponse,
  VariableDefinition,
} from './types.js';
export type { components, paths, operations } from './generated/openapi.js';
