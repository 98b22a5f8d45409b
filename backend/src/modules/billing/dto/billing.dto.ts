import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PLAN_NAMES, type PlanName } from '../plans';

export class ChangePlanDto {
  /** The plan to switch to: free, starter, pro or enterprise. A downgrade deletes nothing. */
  @ApiProperty({ enum: PLAN_NAMES })
  @IsIn(PLAN_NAMES)
  plan: PlanName;
}
