import type { TurnContext } from 'botbuilder';
import { alertCard, competencyStatusCard, formatAlertDate } from '../../cards/alert.js';
import { noticeCard } from '../../cards/index.js';
import type { Locale } from '../../locales/locale.js';
import type { Actor } from '../../services/actor.js';
import type { AlertSubscriptions, TargetListing } from '../../services/alerts/subscriptions.js';
import type { AlertCommand } from '../recognizers/alertCommand.js';
import { conversationIdOf, identityOf, isOutsideTeams, referenceOf, scopeOf, teamChannelOf } from '../teams/activity.js';
import { turnLanguage, type TurnLanguage } from '../turnLanguage.js';

/** What the alert commands need from the composition root. */
export interface AlertCommandsDeps {
  readonly alerts: AlertSubscriptions;
  readonly defaultTenantId: string;
  readonly languageFor: (locale: Locale) => TurnLanguage;
  /** Identities from Teams only (the bot is authenticated); otherwise also the channel's user id (local development). */
  readonly teamsOnly?: boolean;
  /** A requirement's display name in a language (by its key), so cards never show the raw key. */
  readonly requirementName?: (tenantId: string, requirementId: string, locale: Locale, competency: string) => Promise<string>;
}

/** The admin side of alerts inside a turn: subscribe, unsubscribe, list, acknowledge, open the status card. */
export class AlertCommands {
  constructor(private readonly deps: AlertCommandsDeps) {}

  /** Runs one alert command in the current turn. */
  async run(context: TurnContext, command: AlertCommand): Promise<void> {
    const { t } = turnLanguage(context);
    const identity = identityOf(context.activity, this.deps.defaultTenantId, this.deps.teamsOnly);
    if (!identity) {
      await context.sendActivity(isOutsideTeams(context.activity, this.deps.teamsOnly ?? false) ? t('teamsOnly') : t('alerts:commands.noIdentity'));
      return;
    }
    const actor: Actor = identity;
    switch (command.name) {
      case 'on': {
        const outcome = await this.deps.alerts.subscribe(actor, this.subscriptionTarget(context));
        const key = outcome === 'not-admin' ? 'notAdmin' : outcome === 'subscribed' ? 'subscribed' : 'alreadySubscribed';
        await context.sendActivity(t(`alerts:commands.${key}`));
        return;
      }
      case 'off': {
        const outcome = await this.deps.alerts.unsubscribe(actor, conversationIdOf(context.activity));
        const key = outcome === 'not-admin' ? 'notAdmin' : outcome === 'unsubscribed' ? 'unsubscribed' : 'notSubscribed';
        await context.sendActivity(t(`alerts:commands.${key}`));
        return;
      }
      case 'list': {
        const outcome = await this.deps.alerts.listTargets(actor);
        if (outcome.kind === 'not-admin') await context.sendActivity(t('alerts:commands.notAdmin'));
        else await context.sendActivity({ attachments: [this.listCard(context, outcome.targets)] });
        return;
      }
      case 'ack':
        await this.acknowledge(context, actor, command.alertId);
        return;
      case 'status': {
        const outcome = await this.deps.alerts.requirementStatus(actor, command.requirementId);
        if (outcome.kind === 'not-admin') await context.sendActivity(t('alerts:commands.notAdmin'));
        else if (outcome.kind === 'unknown') await context.sendActivity(t('alerts:commands.statusUnknown'));
        else {
          const { locale } = turnLanguage(context);
          const competency = (await this.deps.requirementName?.(actor.tenantId, outcome.state.requirementId, locale, outcome.state.competency)) ?? outcome.state.competency;
          await context.sendActivity({ attachments: [competencyStatusCard(t, locale, { ...outcome.state, competency })] });
        }
        return;
      }
    }
  }

  /** Records the acknowledgement and updates the card in place, in the conversation's alert language, for everyone. */
  private async acknowledge(context: TurnContext, actor: Actor, alertId: string): Promise<void> {
    const { t } = turnLanguage(context);
    const outcome = await this.deps.alerts.acknowledge(actor, alertId, conversationIdOf(context.activity));
    if (outcome.kind === 'not-admin') {
      await context.sendActivity(t('alerts:commands.ackNotAdmin'));
      return;
    }
    if (outcome.kind === 'unknown-alert') {
      await context.sendActivity(t('alerts:commands.ackUnknown'));
      return;
    }
    const { row, alert } = outcome;
    const activityId = row.activityId ?? context.activity.replyToId;
    const cardLanguage = this.deps.languageFor(row.locale);
    const competency = (await this.deps.requirementName?.(alert.tenantId, alert.requirementId, row.locale, alert.competency)) ?? alert.competency;
    const card = alertCard(cardLanguage.t, row.locale, row.alertId, { ...alert, competency }, row.acknowledged);
    if (!activityId) {
      await context.sendActivity({ attachments: [card] });
      return;
    }
    await context.updateActivity({ type: 'message', id: activityId, attachments: [card] });
  }

  /** The conversation this turn happens in, as a subscription target. */
  private subscriptionTarget(context: TurnContext) {
    const { activity } = context;
    const scope = scopeOf(activity);
    const conversationId = conversationIdOf(activity);
    // Every team has a "General" channel (Teams leaves its name out): the list names the team too.
    const { teamId, teamName, channelName } = teamChannelOf(activity);
    return {
      conversationId,
      scope,
      ...(teamId ? { teamId } : {}),
      ...(channelName ? { name: channelName } : {}),
      ...(teamName && scope === 'channel' ? { teamName } : {}),
      locale: turnLanguage(context).locale,
      reference: referenceOf(activity),
    };
  }

  private listCard(context: TurnContext, targets: readonly TargetListing[]) {
    const { t, locale } = turnLanguage(context);
    if (targets.length === 0) return noticeCard(t, { title: t('alerts:commands.listTitle'), text: t('alerts:commands.listEmpty') });
    const lines = targets.map((target) => {
      const name =
        target.scope === 'personal'
          ? t('alerts:commands.personalChat', { name: target.subscribedBy })
          : target.teamName
            ? t('alerts:commands.teamChannel', { team: target.teamName, channel: target.name ?? t('alerts:commands.generalChannel') })
            : (target.name ?? t('alerts:commands.unnamedChannel'));
      const parts = [
        target.deadSince
          ? t('alerts:commands.listItemDead', { name, date: formatAlertDate(target.deadSince, locale) })
          : t('alerts:commands.listItem', { name, by: target.subscribedBy, date: formatAlertDate(target.subscribedAt, locale) }),
      ];
      if (target.failedDeliveries > 0) parts.push(t('alerts:commands.listFailed', { count: target.failedDeliveries }));
      if (target.pendingDeliveries > 0) parts.push(t('alerts:commands.listPending', { count: target.pendingDeliveries }));
      return `- ${parts.join(' · ')}`;
    });
    return noticeCard(t, { title: t('alerts:commands.listTitle'), text: lines.join('\n') });
  }
}
