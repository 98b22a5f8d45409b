import { ActivatedRouteSnapshot } from '@angular/router';
import { isFocusedRoute } from './shell';

const route = (data: Record<string, unknown>, child?: ActivatedRouteSnapshot) =>
  ({ data, firstChild: child ?? null }) as unknown as ActivatedRouteSnapshot;

describe('isFocusedRoute', () => {
  it('reads `focused` from the deepest active route only', () => {
    expect(isFocusedRoute(route({}, route({}, route({ focused: true }))))).toBe(true);
    expect(isFocusedRoute(route({ focused: true }, route({})))).toBe(false);
    expect(isFocusedRoute(route({}))).toBe(false);
  });
});
