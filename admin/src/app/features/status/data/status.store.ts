import { computed, inject, Injectable, signal } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { HealthResponse } from '../../../core/api/api-types';
import { ProblemError } from '../../../core/http/problem';
import { problemMessage, UNREACHABLE_MESSAGE } from '../../../core/http/problem.interceptor';
import { HealthApi } from './health.api';

export interface HealthCheckView {
  name: string;
  label: string;
  up: boolean;
  status: string;
  /** Everything the indicator reported besides its status, e.g. `driver: pglite`. */
  facts: { key: string; value: string }[];
}

/** Known checks first, in this order; anything else the server reports follows. */
const CHECK_ORDER = ['database', 'queue', 'search'];

function label(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1).replace(/[_-]+/g, ' ');
}

function format(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function toCheckViews(health: HealthResponse): HealthCheckView[] {
  const names = Object.keys(health.details ?? {}).sort((a, b) => {
    const ia = CHECK_ORDER.indexOf(a);
    const ib = CHECK_ORDER.indexOf(b);
    return (
      (ia === -1 ? CHECK_ORDER.length : ia) - (ib === -1 ? CHECK_ORDER.length : ib) || a.localeCompare(b)
    );
  });
  return names.map((name) => {
    const { status, ...rest } = health.details[name];
    return {
      name,
      label: label(name),
      up: status === 'up',
      status: String(status),
      facts: Object.entries(rest)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => ({ key, value: format(value) })),
    };
  });
}

function describe(error: unknown): string {
  if (error instanceof ProblemError) return problemMessage(error.problem);
  if (error instanceof HttpErrorResponse) {
    return error.status === 0
      ? UNREACHABLE_MESSAGE
      : `The server answered ${error.status} ${error.statusText}`.trim();
  }
  return 'The health report could not be read';
}

/** The report is for signed-in users unless the operator made it public (STATUS_PAGE_PUBLIC). */
function needsSignIn(error: unknown): boolean {
  const status =
    error instanceof ProblemError
      ? error.response.status
      : error instanceof HttpErrorResponse
        ? error.status
        : null;
  return status === 401;
}

type StatusState =
  | { kind: 'loading' }
  | { kind: 'loaded'; health: HealthResponse }
  | { kind: 'sign-in' }
  | { kind: 'error'; message: string };

/** State of the System status page; provided by the page so each visit starts fresh. */
@Injectable()
export class StatusStore {
  private readonly api = inject(HealthApi);
  private readonly state = signal<StatusState>({ kind: 'loading' });

  readonly loading = computed(() => this.state().kind === 'loading');
  readonly error = computed(() => {
    const state = this.state();
    return state.kind === 'error' ? state.message : null;
  });
  readonly health = computed(() => {
    const state = this.state();
    return state.kind === 'loaded' ? state.health : null;
  });
  readonly checks = computed(() => {
    const health = this.health();
    return health ? toCheckViews(health) : [];
  });
  readonly needsSignIn = computed(() => this.state().kind === 'sign-in');
  readonly allUp = computed(() => this.health()?.status === 'ok');

  load(): void {
    this.state.set({ kind: 'loading' });
    this.api.get().subscribe({
      next: (health) => this.state.set({ kind: 'loaded', health }),
      error: (error: unknown) =>
        this.state.set(
          needsSignIn(error) ? { kind: 'sign-in' } : { kind: 'error', message: describe(error) },
        ),
    });
  }
}
