import { Body, Controller, Delete, Get, HttpCode, Param, PipeTransform, Put } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { AppException } from '../../common/errors/domain.exception';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { MODEL_ID } from './dto/run.dto';
import { ModelPriceResponseDto, SetModelPriceDto } from './dto/model-price.dto';
import { ModelPricesService } from './model-prices.service';

const MODEL_MESSAGE = 'model must be a model id of 1–200 characters (letters, digits and . _ : / @ -)';

/** The `:model` route parameter: a model id as runs accept it (400 with a field error otherwise). */
class ModelIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !MODEL_ID.test(value))
      throw new AppException('validation_failed', MODEL_MESSAGE, {
        errors: [{ field: 'model', message: MODEL_MESSAGE }],
      });
    return value;
  }
}

const ModelParam = () => Param('model', new ModelIdPipe());

const MODEL_PARAM = ApiParam({
  name: 'model',
  description:
    'A model id: a catalogue model (`GET /models`) or any model name an OpenAI-compatible endpoint serves (`/` encoded as `%2F`).',
  schema: { type: 'string', minLength: 1, maxLength: 200, pattern: MODEL_ID.source },
});

/**
 * The organization's own model prices (OWNER, ADMIN): they replace the catalogue's list price of a
 * model from the moment they are set, for estimates, runs, evaluations, test runs and usage events;
 * what was costed before keeps its cost (docs/playground.md, "Prices").
 */
@ApiTags('model-prices')
@TenantScoped({ param: 'id' })
@CheckPolicies((a) => a.can('manage', 'ProviderKey'))
@Controller('organizations/:id/model-prices')
export class ModelPricesController {
  constructor(private readonly prices: ModelPricesService) {}

  /** The organization's prices in force, by model id, with when each took effect and the catalogue price. */
  @Get()
  @ApiProblems(400, 401, 403, 404)
  list(@CurrentCaller() caller: Caller, @UuidParam('id') _id: string): Promise<ModelPriceResponseDto[]> {
    return this.prices.list(caller);
  }

  /**
   * Sets the organization's price of a model (USD per million tokens, 0–1,000,000 each) from now
   * on; a new price replaces the previous one from now on, and usage already costed keeps its cost.
   * Audited as `organization.model_price_set`.
   */
  @Put(':model')
  @MODEL_PARAM
  @ApiProblems(400, 401, 403, 404)
  set(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') _id: string,
    @ModelParam() model: string,
    @Body() dto: SetModelPriceDto,
  ): Promise<ModelPriceResponseDto> {
    return this.prices.set(caller, model, dto);
  }

  /**
   * Back to the catalogue price (or, outside the catalogue, no price) from now on; usage costed
   * with the organization's price keeps that cost. 404 when the organization has no price of its
   * own for the model. Audited as `organization.model_price_removed`.
   */
  @Delete(':model')
  @HttpCode(204)
  @MODEL_PARAM
  @ApiProblems(400, 401, 403, 404)
  remove(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') _id: string,
    @ModelParam() model: string,
  ): Promise<void> {
    return this.prices.remove(caller, model);
  }
}
