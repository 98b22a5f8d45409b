import type { Caller } from '../../common/context/request-context';
import type { AuditService } from '../audit/audit.service';
import type { ModelPricesRepository, OrganizationPriceRow } from './model-prices.repository';
import { ModelPricesService } from './model-prices.service';
import { catalogueModel, MODEL_CATALOGUE, PRICES_AS_OF } from './models.catalogue';

const caller = { organizationId: 'o1', userId: 'u1' } as Caller;
const row = (input: string | null, output: string | null): OrganizationPriceRow => ({
  model: 'gpt-4o',
  effective_from: new Date('2026-01-01T00:00:00Z'),
  input_per_mtok_usd: input,
  output_per_mtok_usd: output,
  created_by: 'u1',
});

function setup(repo: Partial<ModelPricesRepository>) {
  const record = jest.fn();
  const service = new ModelPricesService(
    repo as ModelPricesRepository,
    { record } as unknown as AuditService,
  );
  return { service, record };
}

describe('ModelPricesService', () => {
  it('GET /models: the price in force per model, saying where it comes from, other fields as the catalogue has them', async () => {
    const pricesNow = jest.fn(
      async () =>
        new Map([['gpt-4o', { inputPerMTokUsd: 1, outputPerMTokUsd: 4, source: 'organization' as const }]]),
    );
    const { service } = setup({ pricesNow });
    const models = await service.models(caller);
    expect(pricesNow).toHaveBeenCalledWith(
      'o1',
      MODEL_CATALOGUE.map((m) => m.id),
    );
    expect(models).toHaveLength(MODEL_CATALOGUE.length);
    expect(models.find((m) => m.id === 'gpt-4o')).toEqual({
      ...catalogueModel('gpt-4o'),
      inputPerMTokUsd: 1,
      outputPerMTokUsd: 4,
      pricesAsOf: PRICES_AS_OF,
      priceSource: 'organization',
    });
    expect(models.find((m) => m.id === 'gpt-4o-mini')).toEqual({
      ...catalogueModel('gpt-4o-mini'),
      pricesAsOf: PRICES_AS_OF,
      priceSource: 'catalogue',
    });
  });

  it('at boot, hands every catalogue model’s list price as of PRICES_AS_OF to the repository, and audits nothing', async () => {
    const addCataloguePrices = jest.fn(async () => undefined);
    const { service, record } = setup({ addCataloguePrices });
    await service.onApplicationBootstrap();
    expect(addCataloguePrices).toHaveBeenCalledTimes(1);
    expect(addCataloguePrices).toHaveBeenCalledWith(
      PRICES_AS_OF,
      MODEL_CATALOGUE.map((m) => ({ model: m.id, input: m.inputPerMTokUsd, output: m.outputPerMTokUsd })),
    );
    expect(record).not.toHaveBeenCalled();
  });

  it('audits a change with the price before and after', async () => {
    const { service, record } = setup({
      latest: jest.fn(async () => row('2.000000', '8.000000')),
      add: jest.fn(async () => row('1.500000', '6.000000')),
    });
    const saved = await service.set(caller, 'gpt-4o', { inputPerMTokUsd: 1.5, outputPerMTokUsd: 6 });
    expect(saved).toEqual({
      model: 'gpt-4o',
      inputPerMTokUsd: 1.5,
      outputPerMTokUsd: 6,
      effectiveFrom: '2026-01-01T00:00:00.000Z',
      catalogue: { inputPerMTokUsd: 2.5, outputPerMTokUsd: 10 },
    });
    expect(record).toHaveBeenCalledWith({
      action: 'organization.model_price_set',
      target: { type: 'model_price', id: 'gpt-4o' },
      changes: {
        model: 'gpt-4o',
        before: { inputPerMTokUsd: 2, outputPerMTokUsd: 8 },
        after: { inputPerMTokUsd: 1.5, outputPerMTokUsd: 6 },
        effectiveFrom: '2026-01-01T00:00:00.000Z',
      },
    });
  });

  it('removes only a price in force: none, or a removal already, is 404 and writes nothing', async () => {
    for (const latest of [undefined, row(null, null)]) {
      const add = jest.fn();
      const { service, record } = setup({ latest: jest.fn(async () => latest), add });
      await expect(service.remove(caller, 'gpt-4o')).rejects.toMatchObject({ code: 'not_found' });
      expect(add).not.toHaveBeenCalled();
      expect(record).not.toHaveBeenCalled();
    }
  });
});
