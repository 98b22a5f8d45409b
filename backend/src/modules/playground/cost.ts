import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
/**
 * Cost: tokens × price per million tokens / 1 000 000, input and output each at their price (the
 * organization's price in force, `ModelPricesService.priceOf`), rounded to 10 decimal places (what
 * `runs.cost_usd` keeps, and what the usage statement computes in SQL) so sums of floats do not
 * show noise. Models without a price (free-form ids on OpenAI-compatible endpoints) cost 0.
 */
export function costUsd(
  model: { inputPerMTokUsd: number; outputPerMTokUsd: number } | undefined,
  inputTokens: number,
  outputTokens: number,
): number {
  if (!model) return 0;
  const micro = inputTokens * model.inputPerMTokUsd + outputTokens * model.outputPerMTokUsd;
  return Math.round((micro / 1_000_000) * 1e10) / 1e10;
}

/** Output tokens an estimate assumes when the prompt's metadata has no `maxTokens`. */
export const DEFAULT_ESTIMATED_OUTPUT_TOKENS = 500;

/** Characters per token of the approximation for models without a local tokenizer. */
export const APPROX_CHARS_PER_TOKEN: Record<'anthropic' | 'google' | 'other', number> = {
  // Claude's tokenizer yields somewhat more tokens than OpenAI's on English text.
  anthropic: 3.5,
  google: 4,
  other: 4,
};

/**
 * The tokenizer encoding of an OpenAI model: `o200k_base` for the GPT-4o, GPT-4.1, GPT-5 and
 * o-series families, `cl100k_base` for GPT-4 and GPT-3.5; undefined for anything else.
 */
export function openaiEncoding(modelId: string): 'o200k_base' | 'cl100k_base' | undefined {
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o)/.test(modelId)) return 'o200k_base';
  if (/^(gpt-4|gpt-3\.5)/.test(modelId)) return 'cl100k_base';
  return undefined;
}

/**
 * Input tokens of a text for a model: exact for OpenAI models (their real BPE encoding through
 * `gpt-tokenizer`; the text itself, without the 3–7 tokens of chat message framing), otherwise
 * ceil(characters / chars-per-token) and `exact: false`.
 */
export function countInputTokens(
  provider: string,
  modelId: string,
  text: string,
): { tokens: number; exact: boolean } {
  const encoding =
    provider === 'openai' || provider === 'openai-compatible' ? openaiEncoding(modelId) : undefined;
  if (encoding === 'o200k_base') return { tokens: countO200k(text), exact: true };
  if (encoding === 'cl100k_base') return { tokens: countCl100k(text), exact: true };
  const per =
    provider === 'anthropic'
      ? APPROX_CHARS_PER_TOKEN.anthropic
      : provider === 'google'
        ? APPROX_CHARS_PER_TOKEN.google
        : APPROX_CHARS_PER_TOKEN.other;
  // Characters as code points, so an emoji counts once.
  return { tokens: Math.ceil([...text].length / per), exact: false };
}
