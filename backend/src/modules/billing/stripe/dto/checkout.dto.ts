import { IsIn } from 'class-validator';
import {
  BILLING_INTERVALS,
  PURCHASABLE_PLANS,
  type BillingInterval,
  type PurchasablePlan,
} from '../../plans';

export class CheckoutDto {
  /** The plan to buy (Enterprise is arranged with sales). */
  @IsIn(PURCHASABLE_PLANS)
  plan: PurchasablePlan;

  /** Billed monthly or yearly. */
  @IsIn(BILLING_INTERVALS)
  interval: BillingInterval;
}
