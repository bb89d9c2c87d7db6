import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { nothingToUnlinkCard, unlinkConfirmCard, unlinkedCard } from '../cards/employee.js';
import { mainMenuCard, noticeCard } from '../cards/index.js';
import type { AccountKind } from '../rules/index.js';
import { accountKindNamed, yesNo } from './recognizers/answerWords.js';
import { CardAnswerPrompt } from './cardAnswerPrompt.js';
import { DialogIds } from './dialogIds.js';
import type { Intent } from './recognizers/intents.js';
import { InterruptibleDialog, type EmployeeFlowDeps } from './interruptibleDialog.js';
import { turnLanguage } from './turnLanguage.js';

/** The confirmation the unlink card waits for: which account, under which card nonce; or false for "no". */
type UnlinkAnswer = { kind: AccountKind; nonce: string } | false;

/** What the confirmation prompt expects, kept in its options so that it survives a restart. */
interface UnlinkExpectation {
  nonce: string;
  kinds: AccountKind[];
}

/** Unlink one's own account: show what is linked here, confirm, end it through the service, show the consequences. */
export class UnlinkDialog extends InterruptibleDialog {
  protected override readonly helpKey = 'flow.helpUnlink';

  constructor(deps: EmployeeFlowDeps) {
    super(DialogIds.unlink, deps);
    this.addDialog(new CardAnswerPrompt<UnlinkAnswer>(DialogIds.unlinkConfirmPrompt, (intent, options) => recognize(intent, options.validations as UnlinkExpectation)));
    this.addDialog(new WaterfallDialog(DialogIds.unlinkWaterfall, [this.confirmStep.bind(this), this.unlinkStep.bind(this)]));
    this.initialDialogId = DialogIds.unlinkWaterfall;
  }

  private async confirmStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const identity = await this.identify(step.context);
    if (!identity) return step.endDialog();
    const { t } = turnLanguage(step.context);
    const linked = await this.deps.associations.linkedAccounts(identity);
    if (linked.length === 0) {
      await step.context.sendActivity({ attachments: [nothingToUnlinkCard(t)] });
      return step.endDialog();
    }
    const nonce = this.deps.newNonce();
    const expectation: UnlinkExpectation = { nonce, kinds: linked.map((a) => a.kind) };
    return step.prompt(DialogIds.unlinkConfirmPrompt, {
      prompt: { attachments: [unlinkConfirmCard(this.cardLocale(step.context), linked, nonce)] },
      retryPrompt: { text: t('employee:unlink.retry') },
      validations: expectation,
    });
  }

  private async unlinkStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as UnlinkAnswer;
    const { t } = turnLanguage(step.context);
    if (answer === false) {
      await step.context.sendActivity({ text: t('employee:flow.cancelled'), attachments: [mainMenuCard(t)] });
      return step.endDialog();
    }
    const identity = await this.identify(step.context);
    if (!identity) return step.endDialog();
    const outcome = await this.deps.associations.unlink({ ...identity, kind: answer.kind, nonce: answer.nonce });
    switch (outcome.kind) {
      case 'unlinked':
        await step.context.sendActivity({
          attachments: [unlinkedCard(this.cardLocale(step.context), { ended: outcome.ended[0]!, creditUntil: outcome.creditUntil }, this.deps.associations.policy)],
        });
        break;
      case 'already-done':
        await step.context.sendActivity({ attachments: [noticeCard(t, { title: t('employee:unlink.doneTitle'), text: t('employee:unlink.alreadyDone'), backToMenu: true })] });
        break;
      case 'not-linked':
        await step.context.sendActivity({ attachments: [nothingToUnlinkCard(t)] });
        break;
    }
    return step.endDialog();
  }
}

/** A button of this very card (same nonce, a kind it offered), or typed: yes (when one account is linked), a kind's name, or no. */
function recognize(intent: Intent | undefined, expected: UnlinkExpectation): UnlinkAnswer | undefined {
  if (intent?.kind === 'flow-answer') {
    const { action } = intent;
    const matches = action.action === 'unlink.confirm' && action.nonce === expected.nonce && expected.kinds.includes(action.kind);
    return matches ? { kind: action.kind, nonce: action.nonce } : undefined;
  }
  if (intent?.kind !== 'unknown') return undefined;
  const yes = yesNo(intent.text);
  if (yes === false) return false;
  if (yes === true) return expected.kinds.length === 1 ? { kind: expected.kinds[0]!, nonce: expected.nonce } : undefined;
  const kind = accountKindNamed(intent.text);
  return kind !== undefined && expected.kinds.includes(kind) ? { kind, nonce: expected.nonce } : undefined;
}
