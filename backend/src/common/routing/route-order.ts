/**
 * Route precedence that does not depend on the order in which modules register their controllers.
 *
 * Express tries routes in registration order, and Nest registers them module by module. With
 * `/prompts/by-slug/:slug` (versions module) beside `/prompts/:id/comments` (collaboration) and
 * `/prompts/similar` (search) beside `/prompts/:id` (prompts), the answer would depend on the
 * import order of `app.module.ts`. After the application is initialized, the route layers are put
 * in order of specificity instead: at the first segment where two paths differ in kind, a literal
 * segment wins over a parameter, and a parameter over a wildcard (the rule the OpenAPI
 * specification gives for concrete versus templated paths, and the one Fastify's router applies).
 * Paths of the same shape keep their registration order. Middleware keeps its place, including
 * the middleware Nest registers as routes for every method (`all('/api/v1')`,
 * `all('/api/v1/{*path}')`): only handler routes of one method and no wildcard move.
 */

interface RouteLayer {
  route?: { path: string | string[]; methods?: Record<string, boolean> };
}

interface RouterLike {
  stack: RouteLayer[];
}

/** 0 literal, 1 parameter (`:id`, `{/:x}`), 2 wildcard (`*path`, `{*path}`). */
function segmentRank(segment: string): number {
  if (segment.startsWith('*') || segment.startsWith('{*')) return 2;
  if (segment.startsWith(':') || segment.startsWith('{')) return 1;
  return 0;
}

/** The kind of each segment of a route path, e.g. `/api/v1/prompts/:id` → [0, 0, 0, 1]. */
export function specificityOf(path: string): number[] {
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map(segmentRank);
}

/** Negative when `a` must be tried before `b`; 0 when their order does not matter. */
export function compareSpecificity(a: string, b: string): number {
  const ka = specificityOf(a);
  const kb = specificityOf(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    if (ka[i] !== kb[i]) return ka[i] - kb[i];
  }
  return ka.length - kb.length;
}

const pathOf = (layer: RouteLayer): string => {
  const path = layer.route!.path;
  return Array.isArray(path) ? path[0] : path;
};

/** A handler route: one method, no wildcard (Nest's middleware routes answer every method). */
function isHandlerRoute(layer: RouteLayer): boolean {
  const methods = layer.route?.methods;
  if (!methods || methods._all) return false;
  return Object.keys(methods).length === 1 && !specificityOf(pathOf(layer)).includes(2);
}

/** Reorders the handler routes of an Express router in place (stable; everything else stays put). */
export function orderRoutesBySpecificity(router: RouterLike): void {
  const slots: number[] = [];
  router.stack.forEach((layer, i) => {
    if (isHandlerRoute(layer)) slots.push(i);
  });
  const routes = slots
    .map((slot) => router.stack[slot])
    .map((layer, index) => ({ layer, index }))
    .sort((a, b) => compareSpecificity(pathOf(a.layer), pathOf(b.layer)) || a.index - b.index)
    .map(({ layer }) => layer);
  slots.forEach((slot, k) => (router.stack[slot] = routes[k]));
}
