import { strongestRole } from '../../authz/roles';
import { ROLES, type Role } from '../../common/context/request-context';
import type { SsoAttributeMapping } from './entities/sso-settings.entity';

/** The parts of a validated SAML profile that identity mapping reads. */
export interface SamlAttributes {
  nameID?: string;
  nameIDFormat?: string;
  attributes?: Record<string, unknown>;
}

export interface SamlIdentity {
  /** Lower-cased; empty when the assertion carries none. */
  email: string;
  name: string;
  /** Values of the mapped role attribute (an attribute may be multi-valued). */
  roleValues: string[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const values = (attributes: Record<string, unknown>, name: string): string[] => {
  const raw = attributes[name];
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return list
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim())
    .filter(Boolean);
};

/**
 * Reads e-mail, name and role values from a validated assertion with the organization's mapping.
 * The e-mail falls back to an e-mail-shaped NameID; the name to the e-mail's local part.
 */
export function readIdentity(profile: SamlAttributes, mapping: SsoAttributeMapping): SamlIdentity {
  const attributes = profile.attributes ?? {};
  const fromAttribute = values(attributes, mapping.email)[0];
  const candidate =
    fromAttribute ?? (profile.nameID && EMAIL.test(profile.nameID.trim()) ? profile.nameID.trim() : '');
  const email = EMAIL.test(candidate) ? candidate.toLowerCase() : '';
  const name =
    mapping.name
      .split(/\s+/)
      .filter(Boolean)
      .map((attr) => values(attributes, attr)[0])
      .filter(Boolean)
      .join(' ')
      .slice(0, 200) || email.split('@')[0];
  const roleValues = mapping.role ? values(attributes, mapping.role) : [];
  return { email, name, roleValues };
}

/** The strongest role any of the values maps to, or the default role when none maps. */
export function mapRole(
  roleValues: string[],
  settings: { roleMapping: Record<string, Role>; defaultRole: Role },
): Role {
  const mapped = roleValues
    .map((v) => (Object.hasOwn(settings.roleMapping, v) ? settings.roleMapping[v] : undefined))
    .filter((r): r is Role => !!r && ROLES.includes(r));
  return strongestRole(mapped, settings.defaultRole);
}
