import type { Activity } from 'botbuilder';

let counter = 0;

/** Options for a test activity: who sends it, where, in which language. */
export interface ActivityOptions {
  readonly locale?: string;
  readonly serviceUrl?: string;
  readonly conversationId?: string;
  readonly channelId?: string;
  readonly personId?: string;
  readonly tenantId?: string;
}

/** A Teams-shaped activity as the Bot Connector would post it to /api/messages. */
export function teamsActivity(fields: Partial<Activity>, options: ActivityOptions = {}): Partial<Activity> {
  const personId = options.personId ?? 'aad-person-1';
  const tenantId = options.tenantId ?? 'tenant-contoso';
  const channelId = options.channelId ?? 'msteams';
  counter += 1;
  return {
    id: `incoming-${counter}`,
    channelId,
    serviceUrl: options.serviceUrl ?? 'https://smba.example.invalid/',
    timestamp: new Date('2026-03-02T09:00:00Z'),
    conversation: { id: options.conversationId ?? `a:personal-${personId}`, conversationType: 'personal', isGroup: false, name: '', tenantId },
    from: { id: `29:${personId}`, name: 'Test Person', aadObjectId: personId },
    recipient: { id: '28:bot', name: 'MCID Link Assistant' },
    channelData: { tenant: { id: tenantId } },
    ...(options.locale ? { locale: options.locale } : {}),
    ...fields,
  };
}

/** A typed message. */
export function message(text: string, options?: ActivityOptions): Partial<Activity> {
  return teamsActivity({ type: 'message', text }, options);
}

/** An Action.Submit from an Adaptive Card: a message with a value and no text. */
export function cardSubmit(value: unknown, options?: ActivityOptions): Partial<Activity> {
  return teamsActivity({ type: 'message', value }, options);
}

/** The event Teams sends when the app is installed for a person or a team. */
export function installationAdded(options?: ActivityOptions): Partial<Activity> {
  return teamsActivity({ type: 'installationUpdate', action: 'add' }, options);
}
