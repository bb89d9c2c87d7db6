/**
 * Re-evaluation after an employee's own change (issue 4's unlink and link, including a move that ends another
 * organization's association). The association service has no change hook of its own yet, so the composition root
 * uses this subclass in its place; once it gains one (`onOrganizationChanged` in its deps, as the admin services have),
 * this file can go. Re-evaluating twice is harmless: the same state never alerts twice.
 */
import { AssociationService, type AssociationServiceDeps, type LinkOutcome, type UnlinkOutcome } from './associations.js';
import type { AlertService, ChangeCause } from './alerts.js';

/** The association service, re-evaluating the organizations an unlink or a link changed, after the change committed. */
export class AlertingAssociationService extends AssociationService {
  constructor(
    deps: AssociationServiceDeps,
    private readonly alerts: Pick<AlertService, 'reevaluate'>,
    /** A failed re-evaluation never undoes the person's change; it is reported here (and the daily sweep catches up). */
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    super(deps);
  }

  override async unlink(input: Parameters<AssociationService['unlink']>[0]): Promise<UnlinkOutcome> {
    const outcome = await super.unlink(input);
    if (outcome.kind === 'unlinked') await this.reevaluate(input.tenantId, 'unlink');
    return outcome;
  }

  override async completeLink(input: Parameters<AssociationService['completeLink']>[0]): Promise<LinkOutcome> {
    const outcome = await super.completeLink(input);
    if (outcome.kind === 'linked') {
      await this.reevaluate(input.tenantId, 'link');
      if (outcome.ended && outcome.ended.tenantId !== input.tenantId) await this.reevaluate(outcome.ended.tenantId, 'move');
    }
    return outcome;
  }

  private async reevaluate(tenantId: string, cause: ChangeCause): Promise<void> {
    try {
      await this.alerts.reevaluate(tenantId, cause);
    } catch (error) {
      this.onError(error);
    }
  }
}
