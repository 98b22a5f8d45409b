import { randomBytes } from 'node:crypto';

/** URL-safe slug from a display name: lower case ASCII, digits and single dashes. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
  return slug || 'org';
}

/** A slug with a short random suffix, for generated names that must not collide. */
export function uniqueSlug(name: string): string {
  return `${slugify(name)}-${randomBytes(3).toString('hex')}`;
}
