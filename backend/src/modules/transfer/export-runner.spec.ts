import { VersionsInOrder } from './export-runner';
import type { ExportVersionRow } from './exports.repository';

const version = (promptId: string, n: number) => ({ prompt_id: promptId, version: n }) as ExportVersionRow;
const id = (i: number) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

describe('VersionsInOrder', () => {
  it('hands each batch of prompts its versions, across fetches, keeping what lies beyond for the next', async () => {
    // Prompts 1..7 by id; prompt 3 has none, prompt 5 has five (more than one fetch).
    const all = [1, 1, 2, 4, 5, 5, 5, 5, 5, 6, 7, 7].map((p, i, list) =>
      version(id(p), list.slice(0, i).filter((q) => q === p).length + 1),
    );
    const fetched: number[] = [];
    let at = 0;
    const versions = new VersionsInOrder(async (limit) => {
      fetched.push(limit);
      const rows = all.slice(at, at + limit);
      at += rows.length;
      return rows;
    }, 3);
    const byPrompt = (m: Map<string, ExportVersionRow[]>) =>
      Object.fromEntries([...m].map(([k, v]) => [parseInt(k.slice(0, 8), 16), v.map((x) => x.version)]));

    expect(byPrompt(await versions.upTo(id(2)))).toEqual({ 1: [1, 2], 2: [1] });
    expect(byPrompt(await versions.upTo(id(3)))).toEqual({});
    expect(byPrompt(await versions.upTo(id(5)))).toEqual({ 4: [1], 5: [1, 2, 3, 4, 5] });
    expect(byPrompt(await versions.upTo(id(7)))).toEqual({ 6: [1], 7: [1, 2] });
    // Exhausted: asked once more, then never again.
    expect(byPrompt(await versions.upTo(id(9)))).toEqual({});
    expect(byPrompt(await versions.upTo(id(10)))).toEqual({});
    expect(fetched).toEqual([3, 3, 3, 3, 3]);
  });

  it('orders uuid text as PostgreSQL orders uuids (hex digits before letters)', async () => {
    const a = '9fffffff-ffff-4fff-bfff-ffffffffffff';
    const b = 'a0000000-0000-4000-8000-000000000000';
    let rows = [version(a, 1), version(b, 1)];
    const versions = new VersionsInOrder(async () => {
      const out = rows;
      rows = [];
      return out;
    }, 10);
    expect([...(await versions.upTo(a)).keys()]).toEqual([a]);
    expect([...(await versions.upTo(b)).keys()]).toEqual([b]);
  });
});
