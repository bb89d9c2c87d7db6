import { TurnContext, type Activity } from 'botbuilder';
import { alertCard, competencyStatusCard, formatAlertDate } from '../cards/alert.js';
import { noticeCard } from '../cards/index.js';
import type { Locale } from '../locales/locale.js';
import type { AlertService, TargetListing } from '../services/alerts.js';
import { boundedReference, channelConversationId, type ConversationScope } from '../services/conversationReferences.js';
import { identityOf, isOutsideTeams } from './identity.js';
import { turnLanguage, type TurnLanguage } from './turnLanguage.js';
import { normalize } from '../understanding/index.js';

/** What an admin asked of alerts, typed or from an alert card. */
export type AlertCommand =
  | { readonly name: 'on' }
  | { readonly name: 'off' }
  | { readonly name: 'list' }
  | { readonly name: 'ack'; readonly alertId: string }
  | { readonly name: 'status'; readonly requirementId: string };

/** Typed alert commands in the three languages, normalized as `normalize` (understanding/) does. */
const PHRASES: ReadonlyArray<readonly ['on' | 'off' | 'list', readonly string[]]> = [
  ['on', [
    'alerts on', 'alert on', 'turn alerts on', 'turn on alerts', 'enable alerts', 'subscribe to alerts', 'start alerts',
    'alertes on', 'alerte on', 'activer les alertes', 'activer alertes', 'active les alertes', 's abonner aux alertes', 'abonner aux alertes',
    '开启提醒', '打开提醒', '启用提醒', '订阅提醒', '开启警报', '打开警报', '订阅警报', '开启通知', '提醒 开',
  ]],
  ['off', [
    'alerts off', 'alert off', 'turn alerts off', 'turn off alerts', 'disable alerts', 'unsubscribe from alerts', 'stop alerts',
    'alertes off', 'alerte off', 'desactiver les alertes', 'desactiver alertes', 'desactive les alertes', 'se desabonner des alertes', 'arreter les alertes',
    '关闭提醒', '停用提醒', '取消订阅提醒', '取消提醒', '关闭警报', '取消订阅警报', '关闭通知', '提醒 关',
  ]],
  ['list', [
    'alerts', 'alert channels', 'alerts channels', 'list alert channels', 'alerts list', 'list alerts', 'where do alerts go', 'alerts status',
    'alertes', 'canaux d alerte', 'canaux des alertes', 'liste des alertes', 'lister les canaux d alerte', 'ou vont les alertes',
    '提醒频道', '警报频道', '提醒列表', '查看提醒频道', '提醒订阅', '提醒发到哪里',
  ]],
];

const LOOKUP = new Map(PHRASES.flatMap(([name, phrases]) => phrases.map((p) => [p, name] as const)));

/** Recognizes "alerts on", "alertes off", "提醒频道" and the like; undefined for anything else. */
export function recognizeAlertCommand(text: string): AlertCommand | undefined {
  const name = LOOKUP.get(normalize(text));
  return name ? { name } : undefined;
}

/** What the alert commands need from the composition root. */
export interface AlertCommandsDeps {
  readonly alerts: AlertService;
  readonly defaultTenantId: string;
  readonly languageFor: (locale: Locale) => TurnLanguage;
  /** Identities from Teams only (the bot is authenticated); otherwise also the channel's user id (local development). */
  readonly teamsOnly?: boolean;
  /** A requirement's display name in a language (by its key), so cards never show the raw key. */
  readonly requirementName?: (tenantId: string, requirementId: string, locale: Locale, competency: string) => Promise<string>;
}

interface TeamsChannelData {
  team?: { id?: unknown; name?: unknown };
  channel?: { id?: unknown; name?: unknown };
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
    const actor = { personId: identity.personId, tenantId: identity.tenantId, name: identity.displayName ?? identity.personId };
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
  private async acknowledge(context: TurnContext, actor: { personId: string; tenantId: string; name: string }, alertId: string): Promise<void> {
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
    const channelData = (activity.channelData ?? {}) as TeamsChannelData;
    const scope = scopeOf(activity);
    const conversationId = conversationIdOf(activity);
    const teamId = typeof channelData.team?.id === 'string' ? channelData.team.id : undefined;
    // Every team has a "General" channel (Teams leaves its name out): the list names the team too.
    const teamName = typeof channelData.team?.name === 'string' && channelData.team.name.trim() !== '' ? channelData.team.name.trim() : undefined;
    const channelName =
      typeof channelData.channel?.name === 'string' && channelData.channel.name.trim() !== '' ? channelData.channel.name.trim() : activity.conversation?.name || undefined;
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

/** The scope of the conversation an activity comes from. */
export function scopeOf(activity: Partial<Activity>): ConversationScope {
  const type = activity.conversation?.conversationType;
  return type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
}

/** The conversation to post to: a channel, not the thread of the message that asked. */
export function conversationIdOf(activity: Partial<Activity>): string {
  return channelConversationId(activity.conversation?.id ?? '');
}

/** The conversation reference to store, pointing at the conversation itself rather than at one message. */
export function referenceOf(activity: Partial<Activity>): Record<string, unknown> {
  const reference = TurnContext.getConversationReference(activity);
  delete reference.activityId;
  if (reference.conversation) reference.conversation = { ...reference.conversation, id: conversationIdOf(activity) };
  return boundedReference(JSON.parse(JSON.stringify(reference)) as Record<string, unknown>);
}
