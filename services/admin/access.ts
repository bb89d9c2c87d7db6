/**
 * Who may do what in the admin workspace. One table, read by the chat commands, so that every command checks the
 * role from the store against the speaker's identity the same way.
 */
import type { Role } from '../../rules/index.js';

/** An admin capability. */
export type AdminCapability =
  | 'menu'
  | 'manage-roles'
  | 'add-users'
  | 'list-users'
  | 'delete-accounts'
  | 'view-requirements'
  | 'view-status'
  | 'view-report'
  | 'view-audit'
  | 'manage-alerts'
  | 'rename-organization'
  | 'manage-requirements'
  | 'view-faq-feedback';

const ANY_ADMIN: readonly Role[] = ['global-admin', 'partner-admin', 'account-admin'];

/** The roles that hold each capability. */
export const CAPABILITIES: Readonly<Record<AdminCapability, readonly Role[]>> = {
  menu: ANY_ADMIN,
  'manage-roles': ['global-admin'],
  'add-users': ['global-admin', 'account-admin'],
  'list-users': ['global-admin', 'account-admin'],
  // Rule 6: only a Global admin deletes a work account.
  'delete-accounts': ['global-admin'],
  'view-requirements': ANY_ADMIN,
  'view-status': ['global-admin', 'partner-admin'],
  'view-report': ['global-admin', 'partner-admin'],
  'view-audit': ['global-admin'],
  // Subscribing conversations to competency alerts, listing them, acknowledging an alert, its status card.
  'manage-alerts': ['global-admin', 'partner-admin'],
  // The name every member reads on their cards and on the sign-in page.
  'rename-organization': ['global-admin'],
  // Defining, changing and removing requirements in chat, as the command line and the endpoint do.
  'manage-requirements': ['global-admin', 'partner-admin'],
  'view-faq-feedback': ['global-admin', 'partner-admin'],
};

/** True when `role` holds `capability`. */
export function can(role: Role, capability: AdminCapability): boolean {
  return CAPABILITIES[capability].includes(role);
}

/**
 * The views whose every opening is audited, not only a refusal: they show the organization's standing, its
 * credentials and its people's feedback. The other views (the menu, roles, pending users, the audit log itself) and
 * the changes (audited with their outcome by the service that makes them) are not recorded on authorization.
 */
const AUDITED_WHEN_ALLOWED: ReadonlySet<string> = new Set(['requirements.view', 'status.view', 'report.view', 'faq-feedback.view']);

/** True when allowing `action` writes an audit line of its own. */
export function isAuditedWhenAllowed(action: string): boolean {
  return AUDITED_WHEN_ALLOWED.has(action);
}
