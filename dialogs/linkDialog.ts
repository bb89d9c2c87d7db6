import { TextPrompt, WaterfallDialog, type DialogTurnResult, type PromptValidatorContext, type WaterfallStepContext } from 'botbuilder-dialogs';
import {
  accountKindCard,
  alreadyLinkedCard,
  boundElsewhereCard,
  confirmAccountCard,
  moveCard,
  notRegisteredCard,
  otherAccountCard,
  signInCard,
  waitCard,
} from '../cards/employee.js';
import { mainMenuCard } from '../cards/index.js';
import type { AccountKind } from '../rules/index.js';
import { normalizeAccountId, type LinkCheck } from '../services/associations/associations.js';
import { accountKindNamed, yesNo } from './recognizers/answerWords.js';
import { CardAnswerPrompt } from './cardAnswerPrompt.js';
import { DialogIds } from './dialogIds.js';
import { messageReferenceOf, timeZoneOf } from './teams/activity.js';
import type { Actor } from '../services/actor.js';
import { InterruptibleDialog, type EmployeeFlowDeps } from './interruptibleDialog.js';
import { turnLanguage } from './turnLanguage.js';

/** What the link flow keeps between turns (in the dialog state, so it survives a restart). */
interface LinkValues {
  kind?: AccountKind;
  /** "Use another MCID": ask for a new account id instead of offering the one given before. */
  another?: boolean;
  /** The MCID the request itself named ("link my MCID 12345678"): used instead of asking for it. */
  given?: string;
  accountId?: string;
  move?: boolean;
}

/**
 * Link an account: choose its kind, check the rules (registered user, known account, wait, already linked, move),
 * then hand over to sign-in with a deep link; the sign-in callback completes the link.
 */
export class LinkDialog extends InterruptibleDialog {
  protected override readonly helpKey = 'flow.helpLink';

  constructor(deps: EmployeeFlowDeps) {
    super(DialogIds.link, deps);
    this.addDialog(
      new CardAnswerPrompt<AccountKind>(DialogIds.linkKindPrompt, (intent) => {
        if (intent?.kind === 'flow-answer' && intent.action.action === 'link.kind') return intent.action.kind;
        return intent?.kind === 'unknown' ? accountKindNamed(intent.text) : undefined;
      }),
    );
    this.addDialog(
      new CardAnswerPrompt<boolean | string>(DialogIds.linkConfirmAccountPrompt, (intent, options) => {
        const { nonce, kind } = options.validations as { nonce: string; kind: AccountKind };
        if (intent?.kind === 'flow-answer') return intent.action.action === 'link.account' && intent.action.nonce === nonce ? intent.action.keep : undefined;
        if (intent?.kind !== 'unknown') return undefined;
        // "yes" keeps it, "no" asks for another, and typing another account id is giving it at once.
        return yesNo(intent.text) ?? normalizeAccountId(kind, intent.text);
      }),
    );
    this.addDialog(new TextPrompt(DialogIds.linkAccountPrompt, validAccountId));
    this.addDialog(
      new CardAnswerPrompt<boolean>(DialogIds.linkMovePrompt, (intent, options) => {
        const nonce = (options.validations as { nonce?: string } | undefined)?.nonce;
        if (intent?.kind === 'flow-answer') return intent.action.action === 'link.move' && intent.action.nonce === nonce ? true : undefined;
        return intent?.kind === 'unknown' ? yesNo(intent.text) : undefined;
      }),
    );
    this.addDialog(
      new WaterfallDialog(DialogIds.linkWaterfall, [
        this.askKindStep.bind(this),
        this.confirmAccountStep.bind(this),
        this.askAccountStep.bind(this),
        this.checkStep.bind(this),
        this.signInStep.bind(this),
      ]),
    );
    this.initialDialogId = DialogIds.linkWaterfall;
  }

  private async askKindStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (!(await this.identify(step.context))) return step.endDialog();
    const mcid = (step.options as { mcid?: unknown } | undefined)?.mcid;
    if (typeof mcid === 'string' && normalizeAccountId('learn', mcid) !== undefined) {
      // An MCID is a Microsoft Learn account id: the kind is known, and the id is not asked again.
      (step.values as LinkValues).given = normalizeAccountId('learn', mcid);
      return step.next('learn');
    }
    const another = (step.options as { another?: AccountKind } | undefined)?.another;
    if (another !== undefined) {
      (step.values as LinkValues).another = true;
      return step.next(another);
    }
    const { t } = turnLanguage(step.context);
    return step.prompt(DialogIds.linkKindPrompt, {
      prompt: { attachments: [accountKindCard(t)] },
      retryPrompt: { text: t('employee:kind.retry') },
    });
  }

  /**
   * Checks the link, and when the person gave an account id before that was never proven by signing in (and nothing of
   * this kind is linked for them here), asks whether to link that one or give another: a typo is never final. Ends with
   * `false` to ask for an account id, `true` to keep the one given, a typed account id, or the check to act upon.
   */
  private async confirmAccountStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const kind = step.result as AccountKind;
    const values = step.values as LinkValues;
    values.kind = kind;
    const identity = await this.identify(step.context);
    if (!identity) return step.endDialog();
    const check = await this.deps.associations.checkLink({ ...identity, kind });
    if (check.kind === 'needs-account') return step.next(values.given ?? false);
    if (check.kind === 'not-registered' || check.kind === 'already-linked') return step.next(check);
    if (values.another) return step.next(false);
    const given = await this.deps.associations.changeableAccount({ ...identity, kind });
    if (given === undefined) return step.next(check);
    // The message named the MCID to use: that one is taken, as if typed at the confirmation.
    if (values.given !== undefined) return step.next(values.given === given ? true : values.given);
    const { t } = turnLanguage(step.context);
    const nonce = this.deps.newNonce();
    return step.prompt(DialogIds.linkConfirmAccountPrompt, {
      prompt: { attachments: [confirmAccountCard(t, { kind, accountId: given, nonce })] },
      retryPrompt: { text: t('employee:confirmAccount.retry') },
      validations: { nonce, kind },
    });
  }

  /** Asks for the account id when the person never gave one for this kind, or wants to give another. */
  private async askAccountStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as LinkValues;
    const kind = values.kind!;
    if (step.result !== false && step.result !== true) return step.next(step.result);
    const identity = await this.identify(step.context);
    if (!identity) return step.endDialog();
    // Keeping the account given before: the rules are checked again now, in this turn.
    if (step.result === true) return step.next(await this.deps.associations.checkLink({ ...identity, kind }));
    const { t } = turnLanguage(step.context);
    return step.prompt(DialogIds.linkAccountPrompt, {
      prompt: t(`employee:askAccount.${kind}`),
      retryPrompt: t(`employee:askAccount.${kind}Retry`),
      validations: { kind },
    });
  }

  private async checkStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as LinkValues;
    const kind = values.kind!;
    const identity = await this.identify(step.context);
    if (!identity) return step.endDialog();
    let check = step.result as LinkCheck | string;
    if (typeof check === 'string') {
      const accountId = normalizeAccountId(kind, check)!;
      const remembered = await this.deps.associations.rememberAccount({ ...identity, kind, accountId });
      const { t } = turnLanguage(step.context);
      if (remembered.kind === 'bound-to-another-person') return this.finish(step, boundElsewhereCard(t, { kind, accountId }));
      if (remembered.kind === 'fixed') {
        // Proven by a sign-in in the meantime: that one stays, and the link goes on with it.
        await step.context.sendActivity(t('employee:confirmAccount.fixed', { account: t(`employee:account.${kind}`), accountId: remembered.accountId }));
      }
      check = await this.deps.associations.checkLink({ ...identity, kind });
    }
    return this.onCheck(step, identity, kind, check);
  }

  private async onCheck(step: WaterfallStepContext, identity: Actor, kind: AccountKind, check: LinkCheck): Promise<DialogTurnResult> {
    const values = step.values as LinkValues;
    const { t } = turnLanguage(step.context);
    const locale = this.cardLocale(step.context);
    const { policy } = this.deps.associations;
    switch (check.kind) {
      case 'not-registered':
        return this.finish(step, notRegisteredCard(t));
      case 'needs-account':
        // The account was recorded a moment ago in this very turn; only a concurrent change can get here.
        throw new Error(`link: no ${kind} account recorded for ${identity.personId} after asking for it`);
      case 'wait':
        return this.finish(step, waitCard(locale, check, policy, this.deps.reminders !== undefined));
      case 'already-linked':
        return this.finish(step, alreadyLinkedCard(locale, check.association));
      case 'refused':
        return this.finish(
          step,
          check.reason === 'person-has-another-account' ? otherAccountCard(t, kind) : boundElsewhereCard(t, { kind, accountId: check.accountId }),
        );
      case 'move': {
        values.accountId = check.accountId;
        values.move = true;
        const nonce = this.deps.newNonce();
        return step.prompt(DialogIds.linkMovePrompt, {
          prompt: { attachments: [moveCard(t, { kind, accountId: check.accountId, quota: check.quota, nonce }, policy)] },
          retryPrompt: { text: t('employee:move.retry') },
          validations: { nonce },
        });
      }
      case 'ready':
        values.accountId = check.accountId;
        values.move = false;
        return step.next(true);
    }
  }

  /** Sends the sign-in card with the deep link, or stops when the person declined the move. */
  private async signInStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as LinkValues;
    const { t, locale } = turnLanguage(step.context);
    if (step.result !== true) {
      await step.context.sendActivity({ text: t('employee:flow.cancelled'), attachments: [mainMenuCard(t)] });
      return step.endDialog();
    }
    const identity = await this.identify(step.context);
    if (!identity) return step.endDialog();
    const kind = values.kind!;
    const accountId = values.accountId!;
    const url = await this.deps.signInLinks.createLink({
      personId: identity.personId,
      tenantId: identity.tenantId,
      kind,
      accountId,
      conversation: messageReferenceOf(step.context.activity),
      locale,
      timeZone: timeZoneOf(step.context.activity),
    });
    const organization = await this.deps.organizationName?.(identity.tenantId);
    return this.finish(step, signInCard(t, { kind, accountId, url, move: values.move === true, organization }, this.deps.associations.policy));
  }

  private async finish(step: WaterfallStepContext, card: ReturnType<typeof signInCard>): Promise<DialogTurnResult> {
    await step.context.sendActivity({ attachments: [card] });
    return step.endDialog();
  }
}

/** Accepts typed text that can be an account id of the kind asked for (a lenient format check). */
async function validAccountId(prompt: PromptValidatorContext<string>): Promise<boolean> {
  const kind = (prompt.options.validations as { kind: AccountKind }).kind;
  return prompt.recognized.succeeded && normalizeAccountId(kind, prompt.recognized.value ?? '') !== undefined;
}
