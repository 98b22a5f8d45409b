import { costUsd, countInputTokens, openaiEncoding } from './cost';
import { catalogueModel, MODEL_CATALOGUE, PRICES_AS_OF } from './models.catalogue';

describe('cost arithmetic', () => {
  it('is tokens × price per million, input and output each at their price', () => {
    const gpt4o = catalogueModel('gpt-4o')!;
    expect(costUsd(gpt4o, 1_000_000, 0)).toBe(2.5);
    expect(costUsd(gpt4o, 0, 1_000_000)).toBe(10);
    expect(costUsd(gpt4o, 12, 5)).toBe(0.00008); // (12 × 2.5 + 5 × 10) / 1e6
    expect(costUsd(catalogueModel('claude-opus-4-1'), 1234, 567)).toBe(0.061035); // (1234 × 15 + 567 × 75) / 1e6
  });

  it('rounds to 10 decimal places (what runs.cost_usd keeps) and prices unknown models at 0', () => {
    expect(costUsd({ inputPerMTokUsd: 0.1, outputPerMTokUsd: 0.2 }, 1, 2)).toBe(0.0000005);
    expect(costUsd(undefined, 1_000_000, 1_000_000)).toBe(0);
  });

  it('prices with an organization price as it is stored (6 decimal places, 0 to 1,000,000 per million)', () => {
    // (3333 × 0.123456 + 777 × 7.654321) / 1e6 = 0.006358886265 → 10 decimal places.
    expect(costUsd({ inputPerMTokUsd: 0.123456, outputPerMTokUsd: 7.654321 }, 3333, 777)).toBe(0.0063588863);
    // The smallest price there is, on one token: below 10 decimal places, so 0.
    expect(costUsd({ inputPerMTokUsd: 0.000001, outputPerMTokUsd: 0 }, 1, 0)).toBe(0);
    // The highest price on a whole context window stays exact.
    expect(costUsd({ inputPerMTokUsd: 1_000_000, outputPerMTokUsd: 1_000_000 }, 1_047_576, 200_000)).toBe(
      1_247_576,
    );
    // A free model (a self-hosted one priced at 0) costs nothing, whatever the tokens.
    expect(costUsd({ inputPerMTokUsd: 0, outputPerMTokUsd: 0 }, 5_000_000, 5_000_000)).toBe(0);
  });

  it('prices input and output separately, so an override of one side changes only its share', () => {
    const list = catalogueModel('gpt-4o-mini')!; // 0.15 / 0.6
    const override = { inputPerMTokUsd: list.inputPerMTokUsd, outputPerMTokUsd: 0.3 };
    expect(costUsd(list, 2000, 1000)).toBe(0.0009); // 0.0003 + 0.0006
    expect(costUsd(override, 2000, 1000)).toBe(0.0006); // 0.0003 + 0.0003
  });
});

describe('token counting', () => {
  const SENTENCE =
    'Schreibe eine freundliche Antwort an Ann über die Rechnung. こんにちは世界、お元気ですか？';

  it('uses o200k_base for the GPT-4o, GPT-4.1, GPT-5 and o-series families, cl100k_base for GPT-4', () => {
    for (const id of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1-nano', 'gpt-5', 'gpt-5-mini', 'o3', 'o4-mini'])
      expect([id, openaiEncoding(id)]).toEqual([id, 'o200k_base']);
    expect(openaiEncoding('gpt-4-turbo')).toBe('cl100k_base');
    expect(openaiEncoding('gpt-3.5-turbo')).toBe('cl100k_base');
    expect(openaiEncoding('llama3')).toBeUndefined();
  });

  it('counts exactly with the real tokenizer (22 tokens in o200k_base, 27 in cl100k_base)', () => {
    expect(countInputTokens('openai', 'gpt-4o', SENTENCE)).toEqual({ tokens: 22, exact: true });
    expect(countInputTokens('openai', 'gpt-4-turbo', SENTENCE)).toEqual({ tokens: 27, exact: true });
  });

  it('approximates other providers by characters per token', () => {
    expect(countInputTokens('anthropic', 'claude-haiku-4-5', 'x'.repeat(35))).toEqual({
      tokens: 10,
      exact: false,
    });
    expect(countInputTokens('google', 'gemini-2.5-flash', 'x'.repeat(41))).toEqual({
      tokens: 11,
      exact: false,
    });
    expect(countInputTokens('google', 'gemini-2.5-flash', '😀😀😀😀')).toEqual({ tokens: 1, exact: false });
    expect(countInputTokens('openai-compatible', 'llama3', 'abcdefgh')).toEqual({ tokens: 2, exact: false });
  });
});

describe('the catalogue', () => {
  it('has unique ids, positive prices and a date', () => {
    expect(new Set(MODEL_CATALOGUE.map((m) => m.id)).size).toBe(MODEL_CATALOGUE.length);
    for (const m of MODEL_CATALOGUE) {
      expect(m.inputPerMTokUsd).toBeGreaterThan(0);
      expect(m.outputPerMTokUsd).toBeGreaterThanOrEqual(m.inputPerMTokUsd);
      expect(m.contextWindow).toBeGreaterThan(0);
    }
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
