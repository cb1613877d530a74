import type { Role } from '@dms/domain';

/**
 * What a route needs, as `<area>:<action>`. Every route declares one in `config.permission` (or `config.public: true`);
 * the one authorization hook checks it against the caller's role, and the app refuses to start with a route that
 * declares neither.
 */
export const PERMISSIONS = [
  'partners:read',
  'partners:write',
  'catalogue:read',
  'catalogue:write',
  'orders:read',
  'orders:place',
  'orders:write',
  'billing:write',
  'stock:read',
  'stock:write',
  'agreements:read',
  'agreements:write',
  'settlements:read',
  'settlements:write',
  'reports:read',
  'tax:write',
  'performance:read',
  'performance:write',
  'performance:respond',
  'commissions:read',
  'threads:read',
  'threads:write',
  'resources:read',
  'resources:write',
  'resources:acknowledge',
  'resources:report',
  'audit:read',
  'operations:read',
  'operations:write',
  'access:manage',
  'account:read',
  'account:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_ALL = PERMISSIONS.filter((p) => p.endsWith(':read') && p !== 'account:read');
/** What everyone who is signed in may do: see who they are (`/auth/me`) and change their own password. */
const OWN_ACCOUNT: Permission[] = ['account:read', 'account:write'];

/**
 * The role matrix. A dealer's permissions are always scoped to its own partner: queries filter by it in SQL, and another
 * dealer's resource answers 404. `performance:respond` is what a dealer does on its own review (feedback, the actions it
 * owns, its order plan); `performance:write` the manufacturer's side of a review. A dealer never reads commissions. The
 * resource library: `resources:write` manages it (admin, sales), `resources:acknowledge` is a dealer's "I have read it",
 * `resources:report` who has and has not acknowledged (staff and auditors).
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  sales: [
    ...READ_ALL,
    ...OWN_ACCOUNT,
    'partners:write',
    'catalogue:write',
    'orders:place',
    'orders:write',
    'stock:write',
    'agreements:write',
    'threads:write',
    'performance:write',
    'performance:respond',
    'resources:write',
    'resources:report',
  ],
  finance: [...READ_ALL, ...OWN_ACCOUNT, 'billing:write', 'settlements:write', 'tax:write', 'threads:write', 'resources:report'],
  auditor: [...READ_ALL, ...OWN_ACCOUNT, 'resources:report'],
  dealer: [
    'partners:read',
    'catalogue:read',
    'orders:read',
    'orders:place',
    'stock:read',
    'agreements:read',
    'settlements:read',
    'reports:read',
    'performance:read',
    'performance:respond',
    'threads:read',
    'threads:write',
    'resources:read',
    'resources:acknowledge',
    ...OWN_ACCOUNT,
  ],
  system: PERMISSIONS,
};

export const allows = (role: Role, permission: Permission): boolean => ROLE_PERMISSIONS[role].includes(permission);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route needs; see `PERMISSIONS`. */
    permission?: Permission;
    /** Reachable without authentication (health, docs). */
    public?: boolean;
  }
}
