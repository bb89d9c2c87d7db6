import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { RosterLookup, RosterMember } from '../../dialogs/commands/admin/rosterLookup.js';
import { isTeams } from '../../dialogs/teams/activity.js';
import type { Logger } from '../logger.js';

/** Largest roster page Teams returns. */
const PAGE_SIZE = 500;
/** Rosters are read page by page; a very large tenant is not scanned beyond this many members. */
const MAX_MEMBERS = 20_000;

/** The roster of the conversation the admin writes in, from Teams (`TeamsInfo`); outside Teams it finds nobody. */
export class TeamsRoster implements RosterLookup {
  constructor(private readonly logger: Logger) {}

  async memberById(context: TurnContext, channelUserId: string): Promise<RosterMember | undefined> {
    if (!isTeams(context.activity)) return undefined;
    try {
      return toMember(await TeamsInfo.getMember(context, channelUserId));
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'roster: member lookup failed');
      return undefined;
    }
  }

  async memberByEmail(context: TurnContext, email: string): Promise<RosterMember | undefined> {
    if (!isTeams(context.activity)) return undefined;
    const wanted = email.toLowerCase();
    try {
      let token: string | undefined;
      let seen = 0;
      do {
        const page = await TeamsInfo.getPagedMembers(context, PAGE_SIZE, token);
        for (const m of page.members) {
          if (m.email?.toLowerCase() === wanted || m.userPrincipalName?.toLowerCase() === wanted) return toMember(m);
        }
        seen += page.members.length;
        token = page.continuationToken;
      } while (token && seen < MAX_MEMBERS);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'roster: member list failed');
    }
    return undefined;
  }
}

function toMember(m: { aadObjectId?: string; name?: string; email?: string; userPrincipalName?: string }): RosterMember | undefined {
  if (!m.aadObjectId) return undefined;
  return {
    aadObjectId: m.aadObjectId,
    name: m.name || m.email || m.aadObjectId,
    email: m.email ?? m.userPrincipalName,
    ...(m.userPrincipalName ? { userPrincipalName: m.userPrincipalName } : {}),
  };
}
