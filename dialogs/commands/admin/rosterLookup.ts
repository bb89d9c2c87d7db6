import type { TurnContext } from 'botbuilder';

/** A member of the organization as the roster knows them. */
export interface RosterMember {
  /** The Entra ID object id: the person's identity (rule 1). */
  readonly aadObjectId: string;
  readonly name: string;
  readonly email?: string;
  /** The sign-in name (UPN), when Teams gives it and it differs from the e-mail address. */
  readonly userPrincipalName?: string;
}

/**
 * Resolves the people an admin names: a Teams mention (`mentioned.id` is the 29: channel id; `aadObjectId` may be
 * absent) or an e-mail / UPN, against the team roster. The Teams adapter is bot/admin/teamsRoster.ts; tests and the demo use doubles.
 */
export interface RosterLookup {
  /** The member behind a mention's channel id, or undefined when Teams does not know them. */
  memberById(context: TurnContext, channelUserId: string): Promise<RosterMember | undefined>;
  /** The member with this e-mail address or UPN (case-insensitive), or undefined. */
  memberByEmail(context: TurnContext, email: string): Promise<RosterMember | undefined>;
}
