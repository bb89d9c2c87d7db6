/**
 * Who may manage an organization's alerts: the `manage-alerts` capability (a Global or Partner admin), asked of the
 * admin workspace's people service, so alerts are authorized on the same path as every admin command.
 */
import type { Policy } from '../../rules/index.js';
import type { Ledger } from '../../storage/index.js';
import { can } from '../admin/access.js';
import { PeopleService } from '../admin/people.js';

/** Who holds which role in an organization. */
export type RoleLookup = Pick<PeopleService, 'roleOf'>;

/** What the check needs: the people service (configured bootstrap admins included), else the stored roles only. */
export interface AlertAdminDeps {
  readonly ledger: Ledger;
  readonly policy: Policy;
  readonly clock: () => Date;
  readonly people?: RoleLookup;
}

/** A check of whether a person may manage their organization's alerts. */
export function alertAdminCheck(deps: AlertAdminDeps): (tenantId: string, personId: string) => Promise<boolean> {
  const people = deps.people ?? new PeopleService({ ledger: deps.ledger, policy: deps.policy, clock: deps.clock });
  return async (tenantId, personId) => can(await people.roleOf(tenantId, personId), 'manage-alerts');
}
