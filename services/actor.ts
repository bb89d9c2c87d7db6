/**
 * The two words for people that every room shares. A person is a work account in one organization; the person
 * speaking to the bot is the actor. Both come from the activity (or another verified source), never from card data.
 */

/** A person: a work account in one organization. */
export interface PersonRef {
  readonly tenantId: string;
  readonly personId: string;
}

/** Someone speaking to the bot: identity from the activity, never from card data, with the name Teams shows. */
export interface Actor extends PersonRef {
  readonly displayName?: string;
}
