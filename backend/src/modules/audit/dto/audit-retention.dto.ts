import { IsInt, Max, Min, ValidateIf } from 'class-validator';

export class UpdateAuditRetentionDto {
  /**
   * Days to keep audit events (1–36500), at most the plan's bound; `null` = the plan's maximum
   * (everything, on plans without a bound). Required: send `null` explicitly.
   */
  @ValidateIf((_object, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(36500)
  days: number | null;
}
