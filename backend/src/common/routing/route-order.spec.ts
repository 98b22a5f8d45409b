import express from 'express';
import request from 'supertest';
import { compareSpecificity, orderRoutesBySpecificity, specificityOf } from './route-order';

describe('route order', () => {
  it('ranks literal segments before parameters and parameters before wildcards', () => {
    expect(specificityOf('/api/v1/prompts/:id')).toEqual([0, 0, 0, 1]);
    expect(specificityOf('/files/{*path}')).toEqual([0, 2]);
    expect(compareSpecificity('/prompts/similar', '/prompts/:id')).toBeLessThan(0);
    expect(compareSpecificity('/prompts/by-slug/:slug', '/prompts/:id/versions')).toBeLessThan(0);
    expect(compareSpecificity('/prompts/:id/versions', '/prompts/:id/labels')).toBe(0);
  });

  it('lets the literal route win whatever order the routes were registered in', async () => {
    const app = express();
    const seen = (name: string) => (_req: express.Request, res: express.Response) => res.send(name);
    app.use((_req, res, next) => {
      res.setHeader('X-Middleware', 'ran');
      next();
    });
    // Nest registers route-bound middleware as routes of every method: they must not move.
    app.all('/prompts/{*rest}', (_req, res, next) => {
      res.setHeader('X-Route-Middleware', 'ran');
      next();
    });
    // The registration order an unlucky module import order would produce.
    app.get('/prompts/:id', seen('get-by-id'));
    app.get('/prompts/:id/versions', seen('versions'));
    app.get('/prompts/:id/comments', seen('comments'));
    app.get('/prompts/similar', seen('similar'));
    app.get('/prompts/by-slug/:slug', seen('by-slug'));
    app.post('/prompts/:id/favorite', seen('favorite'));

    orderRoutesBySpecificity(app.router);

    const get = (path: string) => request(app).get(path);
    await expect(get('/prompts/similar').then((r) => r.text)).resolves.toBe('similar');
    await expect(get('/prompts/by-slug/versions').then((r) => r.text)).resolves.toBe('by-slug');
    await expect(get('/prompts/by-slug/comments').then((r) => r.text)).resolves.toBe('by-slug');
    await expect(get('/prompts/123').then((r) => r.text)).resolves.toBe('get-by-id');
    await expect(get('/prompts/123/versions').then((r) => r.text)).resolves.toBe('versions');
    const favorite = await request(app).post('/prompts/by-slug/favorite');
    expect(favorite.text).toBe('favorite');
    // Middleware registered before the routes still runs first.
    expect(favorite.headers['x-middleware']).toBe('ran');
    expect(favorite.headers['x-route-middleware']).toBe('ran');
  });
});
