import type { Role } from '../shared/ids';

/**
 * An order's review was decided automatically when the approval or rejection was recorded by the system (the automated
 * review), and by a person otherwise (a reviewer working the queue, or staff deciding directly).
 */
export const decidedAutomatically = (actor: { readonly role: Role | string }): boolean => actor.role === 'system';
