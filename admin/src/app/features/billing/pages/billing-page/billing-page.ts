import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  linkedSignal,
  OnInit,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ActivatedRoute, Router } from '@angular/router';
import { filter } from 'rxjs';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { ProblemError } from '../../../../core/http/problem';
import { SessionStore } from '../../../../core/session/session.store';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { PlanCard } from '../../components/plan-card/plan-card';
import { UsageMeter } from '../../components/usage-meter/usage-meter';
import { BILLING_ERRORS } from '../../data/billing-errors';
import { BillingInterval, BillingLimits, BillingOverview, SubscriptionStatus } from '../../data/billing.api';
import { BillingStore } from '../../data/billing.store';
import { PLAN_OFFERS, PlanOffer, planRank, planTitle } from '../../data/plan-catalogue';
import { ActionError } from '../../../../shared/ui/action-error/action-error';

const STATUS_LABELS: Record<SubscriptionStatus, string> = {
  active: 'Active',
  trialing: 'Trialing',
  past_due: 'Past due',
  canceled: 'Canceled',
  none: 'No subscription',
};

const FALLBACK = 'Something went wrong. Please try again.';

/** What a plan card offers the OWNER: its button's text and what the button does. */
interface CardAction {
  label: string;
  run: () => void;
}

export function windowLabel(seconds: number): string {
  if (seconds === 3600) return 'per hour';
  if (seconds === 86_400) return 'per day';
  if (seconds % 86_400 === 0) return `per ${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return `per ${seconds / 3600} hours`;
  return `per ${seconds} seconds`;
}

export function versionHistoryLabel(limits: BillingLimits): string {
  const { versions, days } = limits.versionHistory;
  if (versions) return `Last ${versions} versions of each prompt`;
  if (days) return `Versions of the last ${days} days (and the current one)`;
  return 'Full history';
}

/**
 * The organization's plan: status and renewal, usage against each limit, and the plans to move
 * to. The OWNER upgrades through Stripe Checkout and manages the subscription in the Customer
 * Portal (without Stripe: switches the plan directly); other members see the same read-only.
 * Stripe sends the browser back to `?checkout=success|cancel`.
 */
@Component({
  selector: 'pv-billing-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    MatButton,
    MatButtonToggleGroup,
    MatButtonToggle,
    MatIcon,
    MatProgressBar,
    EmptyState,
    PlanCard,
    UsageMeter,
    ActionError,
  ],
  providers: [BillingStore],
  templateUrl: './billing-page.html',
  styleUrls: ['../../../../shared/ui/page/settings-page.scss', './billing-page.scss'],
})
export class BillingPage implements OnInit {
  protected readonly store = inject(BillingStore);
  protected readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly destroyRef = inject(DestroyRef);

  /** `?checkout=success|cancel`: where Stripe Checkout sent the browser back. */
  readonly checkout = input<string | undefined>();

  protected readonly offers = PLAN_OFFERS;
  protected readonly actionError = signal<string | null>(null);
  /** The interval the cards show: the subscription's, until the user toggles. */
  protected readonly interval = linkedSignal<BillingInterval>(() => this.store.state()?.interval ?? 'month');

  /** The plan whose limits apply now: Free after a downgrade, whatever was bought. */
  protected readonly currentPlan = computed(() => {
    const overview = this.store.state();
    if (!overview) return null;
    return this.store.downgraded() ? 'free' : overview.plan;
  });

  protected readonly loadError = computed(() => {
    const error = this.store.overview.error();
    if (!error) return null;
    // rxResource wraps what the stream threw; the problem is its cause.
    const cause = error instanceof ProblemError ? error : (error as { cause?: unknown }).cause;
    return describeFailure(cause ?? error, BILLING_ERRORS, 'The billing details could not be loaded.');
  });

  ngOnInit(): void {
    const outcome = this.checkout();
    if (outcome !== 'success' && outcome !== 'cancel') return;
    if (outcome === 'success') {
      this.snackBar.open('Payment received — your plan updates in a moment', 'Dismiss', { duration: 8000 });
      void this.followCheckout();
    } else {
      this.snackBar.open('Checkout canceled', 'Dismiss', { duration: 5000 });
    }
    // A reload must not announce the payment again.
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { checkout: null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  private async followCheckout(): Promise<void> {
    if (!(await this.store.followCheckout())) return;
    const plan = this.store.state()?.plan;
    if (plan)
      this.snackBar.open(`Your organization is now on the ${planTitle(plan)} plan`, undefined, {
        duration: 5000,
      });
  }

  protected statusLabel(status: SubscriptionStatus): string {
    return STATUS_LABELS[status];
  }

  protected planTitle(plan: string): string {
    return planTitle(plan);
  }

  protected windowLabel(seconds: number): string {
    return windowLabel(seconds);
  }

  protected versionHistory(limits: BillingLimits): string {
    return versionHistoryLabel(limits);
  }

  protected setInterval(value: BillingInterval): void {
    this.interval.set(value);
  }

  /** The Manage billing button: the OWNER, with Stripe, once there has been a subscription. */
  protected canOpenPortal(overview: BillingOverview): boolean {
    return this.store.canManage() && overview.stripeEnabled && overview.status !== 'none';
  }

  protected cardAction(offer: PlanOffer, overview: BillingOverview): CardAction | null {
    if (!this.store.canManage() || offer.name === 'enterprise' || offer.name === this.currentPlan()) {
      return null;
    }
    const plan = offer.name;
    if (!overview.stripeEnabled) {
      return { label: 'Switch to this plan', run: () => this.confirmSwitch(offer) };
    }
    // A subscription changes (or ends) in the Customer Portal; Checkout starts a new one.
    if (this.store.subscribed()) {
      const rank = planRank(plan) - planRank(overview.plan);
      return { label: rank > 0 ? 'Upgrade' : 'Downgrade', run: () => void this.openPortal() };
    }
    if (plan === 'free') return null;
    return { label: 'Upgrade', run: () => void this.startCheckout(plan) };
  }

  /** Why creation is refused after a downgrade, and that nothing was lost. */
  protected overLimitText(overview: BillingOverview): string {
    const count = (n: number) => n.toLocaleString('en-US');
    const over = this.store.overLimits();
    const has = over.map((o) => `${count(o.current)} ${o.limit}`).join(' and ');
    const allows = over.map((o) => `${count(o.max)} ${o.limit}`).join(', ');
    return (
      `Your organization has ${has}, more than the ${planTitle(this.currentPlan() ?? overview.plan)} plan ` +
      `allows (${allows}). Existing content stays and can be read and edited, but creation is paused ` +
      'until you upgrade or remove some.'
    );
  }

  protected cardNote(offer: PlanOffer): string | null {
    if (offer.name === 'enterprise')
      return 'Custom limits, invoicing and support: contact sales to set it up.';
    return null;
  }

  protected async openPortal(): Promise<void> {
    this.actionError.set(null);
    try {
      await this.store.openPortal();
    } catch (error) {
      this.actionError.set(`Could not open billing management: ${this.describe(error)}`);
    }
  }

  protected retry(): void {
    this.store.overview.reload();
  }

  private async startCheckout(plan: 'starter' | 'pro'): Promise<void> {
    this.actionError.set(null);
    try {
      await this.store.checkout(plan, this.interval());
    } catch (error) {
      this.actionError.set(`Could not start the checkout: ${this.describe(error)}`);
    }
  }

  private confirmSwitch(offer: PlanOffer): void {
    confirmAction(this.dialog, {
      title: `Switch to ${offer.title}?`,
      message:
        `Your organization moves to the ${offer.title} plan now, and its limits apply at once.\n` +
        'Nothing is deleted: content over a lower limit stays, but creating more is paused.',
      confirm: 'Switch plan',
    })
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe(() => void this.switchPlan(offer));
  }

  private async switchPlan(offer: PlanOffer): Promise<void> {
    this.actionError.set(null);
    try {
      await this.store.changePlan(offer.name);
      this.snackBar.open(`Your organization is now on the ${offer.title} plan`, undefined, {
        duration: 4000,
      });
    } catch (error) {
      this.actionError.set(`Could not switch to ${offer.title}: ${this.describe(error)}`);
    }
  }

  private describe(error: unknown): string {
    return describeFailure(error, BILLING_ERRORS, FALLBACK);
  }
}
