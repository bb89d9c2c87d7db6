/**
 * Who an admin command is about: the person @mentioned (read from the activity's mention entities, never the bot),
 * or the e-mail address / UPN typed, looked up in the roster of the conversation and among the registered people.
 */
import type { TurnContext } from 'botbuilder';
import type { Member, PeopleService } from '../../../services/admin/people.js';
import type { AdminTarget } from '../../recognizers/adminCommand.js';
import { mentionsOf } from '../../teams/activity.js';
import type { RosterLookup } from './rosterLookup.js';

/** What a command's target turned out to be. */
export type TargetResolution =
  | { readonly kind: 'member'; readonly member: Member }
  /** An address found nowhere: the person may never have written to the bot, and a personal chat has no roster. */
  | { readonly kind: 'unknown-email'; readonly email: string }
  /** The command names nobody (no address, no mention other than the bot). */
  | { readonly kind: 'missing' }
  /** The person mentioned is unknown to Teams and the mention carries no Entra ID object id. */
  | { readonly kind: 'not-found'; readonly name: string };

/** Resolves command targets against the roster and the people registered in the organization. */
export class TargetResolver {
  constructor(private readonly deps: { readonly roster: RosterLookup; readonly people: Pick<PeopleService, 'findByEmail'> }) {}

  /** The person `target` names, in the organization `tenantId`, for the turn `context`. */
  async resolve(context: TurnContext, tenantId: string, target: AdminTarget): Promise<TargetResolution> {
    if (target.kind === 'email') {
      const found = await this.deps.roster.memberByEmail(context, target.email);
      if (found) return { kind: 'member', member: { personId: found.aadObjectId, displayName: found.name, email: found.email ?? target.email } };
      // Someone who left is no longer in the roster, but was registered with this address.
      const registered = await this.deps.people.findByEmail(tenantId, target.email);
      return registered ? { kind: 'member', member: registered } : { kind: 'unknown-email', email: target.email };
    }
    const mention = mentionsOf(context.activity)[0];
    if (target.kind === 'none' || !mention) return { kind: 'missing' };
    const found = await this.deps.roster.memberById(context, mention.mentioned.id);
    const aadObjectId = found?.aadObjectId ?? (mention.mentioned as { aadObjectId?: string }).aadObjectId;
    if (!aadObjectId) return { kind: 'not-found', name: mention.mentioned.name ?? '' };
    const displayName = found?.name || mention.mentioned.name || aadObjectId;
    return { kind: 'member', member: { personId: aadObjectId, displayName, email: found?.email } };
  }
}
