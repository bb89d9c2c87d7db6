import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { statusCard } from '../cards/employee.js';
import { DialogIds } from './dialogIds.js';
import { InterruptibleDialog, type EmployeeFlowDeps } from './interruptibleDialog.js';

/** My status (also "when can I link again?"): what is linked here and since when, the starts used, the next date, and credit dates. */
export class StatusDialog extends InterruptibleDialog {
  constructor(deps: EmployeeFlowDeps) {
    super(DialogIds.status, deps);
    this.addDialog(new WaterfallDialog(DialogIds.statusWaterfall, [this.showStep.bind(this)]));
    this.initialDialogId = DialogIds.statusWaterfall;
  }

  private async showStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const identity = await this.identify(step.context);
    if (!identity) return step.endDialog();
    const status = await this.deps.associations.status(identity);
    const organizationName = await this.deps.organizationName?.(identity.tenantId);
    const card = statusCard(this.cardLocale(step.context), { ...status, tenantId: identity.tenantId, organizationName }, this.deps.associations.policy, this.deps.clock());
    await step.context.sendActivity({ attachments: [card] });
    return step.endDialog();
  }
}
