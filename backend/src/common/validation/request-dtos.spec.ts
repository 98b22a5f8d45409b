import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `@IsOptional()` lets `null` through to the services; request DTOs say `@Optional()` (may be
 * absent) or `@Nullable()` (null clears the field, where the contract says so) instead.
 */
describe('request DTOs', () => {
  const modules = join(__dirname, '../../modules');
  const files = readdirSync(modules, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      const dir = join(modules, d.name, 'dto');
      try {
        return readdirSync(dir).map((f) => join(dir, f));
      } catch {
        return [];
      }
    })
    .filter((f) => f.endsWith('.ts'));

  it('exist (the scan looks in the right place)', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [f.slice(modules.length + 1)]))('%s does not use @IsOptional()', (file) => {
    expect(readFileSync(join(modules, file), 'utf8')).not.toMatch(/\bIsOptional\b/);
  });
});
