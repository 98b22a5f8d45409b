import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  Max,
  Min,
} from 'class-validator';
import { Optional } from '../../../common/validation/optional';

export const DEFAULT_THRESHOLDS = [50, 80, 100];

/** What every budget sets: the organization's and a collection's. */
export class BudgetLimitsDto {
  /** The monthly budget in US dollars (calendar month, UTC), more than 0 and at most 10,000,000. */
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(10_000_000)
  monthlyLimitUsd: number;

  /** Percentages of the budget that send a warning once per month (default 50, 80, 100). */
  @Optional()
  @ApiProperty({ example: DEFAULT_THRESHOLDS, type: [Number] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique({ message: 'thresholds must not repeat a value' })
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(1000, { each: true })
  thresholds?: number[];

  /**
   * Refuse runs, comparisons, test runs and evaluations (403 `budget_exceeded`) once the budget is
   * spent: of every prompt for the organization's budget; of the collection's prompts (and those of
   * its sub-collections) for a collection's.
   */
  @Optional()
  @IsBoolean()
  hardStop?: boolean;
}

export class PutBudgetDto extends BudgetLimitsDto {
  /** E-mail last month's usage report (PDF) to the OWNERs on the 1st of each month. */
  @Optional()
  @IsBoolean()
  monthlyReport?: boolean;
}

export class BudgetResponseDto {
  /** The monthly budget in US dollars; null while none is set. */
  @ApiProperty({ type: Number, nullable: true })
  monthlyLimitUsd: number | null;
  thresholds: number[];
  hardStop: boolean;
  monthlyReport: boolean;
  /** Cost recorded this calendar month (UTC). */
  spentUsd: number;
  /** spentUsd as a percentage of the budget (two decimals); null without a budget. */
  @ApiProperty({ type: Number, nullable: true })
  percent: number | null;
  /** The thresholds crossed this month, ascending (each was notified once). */
  crossed: number[];
}

export class PutCollectionBudgetDto extends BudgetLimitsDto {}

export class CollectionBudgetResponseDto {
  @ApiProperty({ format: 'uuid' })
  collectionId: string;
  /** The collection's current name. */
  collectionName: string;
  /** The monthly budget in US dollars. */
  monthlyLimitUsd: number;
  thresholds: number[];
  hardStop: boolean;
  /** This calendar month's (UTC) cost of the prompts now in the collection or its sub-collections. */
  spentUsd: number;
  /** spentUsd as a percentage of the budget (two decimals). */
  percent: number;
  /** The thresholds crossed this month, ascending (each was notified once). */
  crossed: number[];
}

export class CollectionBudgetListDto {
  /** Every collection budget of the organization, by collection name. */
  items: CollectionBudgetResponseDto[];
}
