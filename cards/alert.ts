import type { Attachment } from 'botbuilder';
import { formatDateTime } from '../locales/formatDate.js';
import { formatNumber } from '../locales/formatNumber.js';
import type { Locale } from '../locales/locale.js';
import type { Translate } from '../locales/translate.js';
import { PARTNER_LINKS } from '../rules/index.js';
import type { Button } from './actions.js';
import { renderCard } from './render.js';
import alertTemplate from './templates/alert.json' with { type: 'json' };

/** A competency status. */
type AlertStatus = 'met' | 'at-risk' | 'not-met';

/** A person named on an alert card. */
interface AlertCardPerson {
  readonly name: string;
  readonly credentials: readonly { readonly code: string; readonly title: string }[];
  readonly change: 'stops' | 'stopped';
  readonly at?: Date;
  readonly reason?: 'association-ended' | 'credential-expires';
  readonly endReason?: 'unlinked' | 'moved' | 'account-deleted';
}

/** What an alert card shows (the alert service's stored alert has these fields). */
export interface AlertCardData {
  readonly requirementId: string;
  readonly kind: 'at-risk' | 'not-met' | 'all-clear';
  readonly cause: string;
  readonly competency: string;
  readonly required: number;
  readonly current: number;
  readonly lowest: number;
  readonly effectiveAt: Date;
  readonly involved: readonly AlertCardPerson[];
  readonly moreInvolved: number;
}

/** What the status card shows: a requirement's last evaluation. */
export interface StatusCardData {
  readonly requirementId: string;
  readonly status: AlertStatus;
  readonly competency: string;
  readonly required: number;
  readonly current: number;
  readonly lowest: number;
  readonly changesAt: Date | null;
  readonly evaluatedAt: Date;
}

interface Line {
  text: string;
  weight: 'Default' | 'Bolder';
  subtle: boolean;
}

interface AlertTemplateData {
  title: string;
  color: 'Attention' | 'Warning' | 'Good' | 'Default';
  requirement: string;
  summary: string;
  facts: { title: string; value: string }[];
  lines: Line[];
  buttons: Button[];
  partnerCenterLabel: string;
  partnerCenterUrl: string;
}

/** A date as people of `locale` write it, in UTC (a channel has no single time zone; the card says so). */
export function formatAlertDate(date: Date, locale: Locale): string {
  return formatDateTime(locale, date, { dateStyle: 'long', timeZone: 'UTC' });
}

const COLORS = { 'at-risk': 'Warning', 'not-met': 'Attention', 'all-clear': 'Good' } as const;

/**
 * The alert card (at-risk, not-met) or the short all-clear, in one language: the requirement, required vs. current vs.
 * after pending changes, who and which credentials, the effective date, and Acknowledge / status / Partner Center.
 * `acknowledged` replaces the Acknowledge button with who acknowledged and when.
 */
export function alertCard(
  t: Translate,
  locale: Locale,
  alertId: string,
  alert: AlertCardData,
  acknowledged?: { readonly name: string; readonly at: Date },
): Attachment {
  const date = (d: Date) => formatAlertDate(d, locale);
  const n = (x: number) => formatNumber(locale, x);
  const lines: Line[] = [];
  const facts: { title: string; value: string }[] = [
    { title: t('alerts:card.required'), value: n(alert.required) },
    { title: t('alerts:card.current'), value: n(alert.current) },
  ];
  if (alert.kind !== 'all-clear') {
    facts.push({ title: t('alerts:card.after'), value: n(alert.lowest) });
    facts.push({ title: t('alerts:card.effective'), value: date(alert.effectiveAt) });
    if (alert.involved.length > 0) {
      lines.push({ text: t('alerts:card.people'), weight: 'Bolder', subtle: false });
      for (const person of alert.involved) {
        const credentials = person.credentials.map((c) => (c.code ? `${c.code} ${c.title}` : c.title)).join(', ');
        const reason = person.endReason ? t(`alerts:reason.${person.endReason}`) : person.reason ? t(`alerts:reason.${person.reason}`) : '';
        lines.push({
          text:
            person.change === 'stops' && person.at
              ? t('alerts:card.personStops', { name: person.name || t('alerts:card.formerMember'), credentials, date: date(person.at), reason })
              : t('alerts:card.personStopped', { name: person.name || t('alerts:card.formerMember'), credentials }),
          weight: 'Default',
          subtle: false,
        });
      }
      if (alert.moreInvolved > 0) lines.push({ text: t('alerts:card.more', { count: n(alert.moreInvolved) }), weight: 'Default', subtle: true });
    }
  }
  lines.push({ text: t('alerts:card.cause', { cause: t(`alerts:cause.${alert.cause}`) }), weight: 'Default', subtle: true });
  if (acknowledged) lines.push({ text: t('alerts:card.acknowledged', { name: acknowledged.name, date: date(acknowledged.at) }), weight: 'Bolder', subtle: false });
  lines.push({ text: t('alerts:card.dateNote'), weight: 'Default', subtle: true });

  const buttons: Button[] = [];
  if (alert.kind !== 'all-clear' && !acknowledged) buttons.push({ label: t('alerts:card.acknowledge'), payload: { action: 'alert.ack', alert: alertId } });
  buttons.push({ label: t('alerts:card.openStatus'), payload: { action: 'alert.status', requirement: alert.requirementId } });

  const data: AlertTemplateData = {
    title: t(`alerts:card.title.${alert.kind}`, { competency: alert.competency }),
    color: COLORS[alert.kind],
    requirement: t('alerts:card.requirement', { competency: alert.competency, required: n(alert.required) }),
    summary:
      alert.kind === 'all-clear'
        ? t('alerts:card.summary.all-clear', { current: n(alert.current), required: n(alert.required) })
        : t(`alerts:card.summary.${alert.kind}`, { date: date(alert.effectiveAt) }),
    facts,
    lines,
    buttons,
    partnerCenterLabel: t('alerts:card.openPartnerCenter'),
    partnerCenterUrl: PARTNER_LINKS.competencies,
  };
  return renderCard(alertTemplate, data);
}

/** The status card of one requirement: its last evaluation, with the same numbers as the alert card. */
export function competencyStatusCard(t: Translate, locale: Locale, state: StatusCardData): Attachment {
  const date = (d: Date) => formatAlertDate(d, locale);
  const n = (x: number) => formatNumber(locale, x);
  const facts = [
    { title: t('alerts:card.required'), value: n(state.required) },
    { title: t('alerts:card.current'), value: n(state.current) },
    { title: t('alerts:card.after'), value: n(state.lowest) },
  ];
  if (state.status === 'at-risk' && state.changesAt) facts.push({ title: t('alerts:card.effective'), value: date(state.changesAt) });
  const data: AlertTemplateData = {
    title: t('alerts:card.title.status', { competency: state.competency }),
    color: state.status === 'met' ? 'Good' : state.status === 'at-risk' ? 'Warning' : 'Attention',
    requirement: t('alerts:card.requirement', { competency: state.competency, required: n(state.required) }),
    summary: t('alerts:card.summary.status', { date: date(state.evaluatedAt), status: t(`alerts:card.status.${state.status}`) }),
    facts,
    lines: [{ text: t('alerts:card.dateNote'), weight: 'Default', subtle: true }],
    buttons: [],
    partnerCenterLabel: t('alerts:card.openPartnerCenter'),
    partnerCenterUrl: PARTNER_LINKS.competencies,
  };
  return renderCard(alertTemplate, data);
}
