/** How much of an alert fits on one card: the people named (the rest are counted) and the credentials listed for each. */
const MAX_PEOPLE = 20;
const MAX_CREDENTIALS_PER_PERSON = 10;

/** The people involved in an alert as one card can show them: the first ones, each with their first credentials, and how many more. */
export function alertCardBudget<P extends { readonly credentials: readonly unknown[] }>(involved: readonly P[]): { involved: P[]; moreInvolved: number } {
  return {
    involved: involved.slice(0, MAX_PEOPLE).map((p) => ({ ...p, credentials: p.credentials.slice(0, MAX_CREDENTIALS_PER_PERSON) })),
    moreInvolved: Math.max(0, involved.length - MAX_PEOPLE),
  };
}
