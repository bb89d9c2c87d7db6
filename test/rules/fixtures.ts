/** Builders for rule tests: explicit UTC instants and records with readable defaults. */
import type { Association, AssociationRequest, CompetencyRequirement, Credential } from '../../rules/index.js';

/** An instant from an ISO 8601 string, which must say `Z` so that no test depends on the machine's time zone. */
export function at(iso: string): Date {
  if (!iso.endsWith('Z')) throw new Error(`write instants in UTC: ${iso}`);
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`not an instant: ${iso}`);
  return date;
}

/** A Microsoft Learn association of MCID `M1` by Alice in organization A, unless overridden. */
export function association(id: string, start: string, overrides: Partial<Association> = {}): Association {
  return { id, personId: 'alice', tenantId: 'A', kind: 'learn', accountId: 'M1', start: at(start), ...overrides };
}

/** The same association ended at `end` for `reason`. */
export function ended(a: Association, end: string, endReason: Association['endReason'] = 'unlinked'): Association {
  return { ...a, end: at(end), endReason };
}

/** Alice (registered, asking for herself) links MCID `M1` to organization A, unless overridden. */
export function linkRequest(overrides: Partial<AssociationRequest> = {}): AssociationRequest {
  return { personId: 'alice', tenantId: 'A', kind: 'learn', accountId: 'M1', actorPersonId: 'alice', isRegisteredUser: true, ...overrides };
}

/** Someone at organization B (a new work account) links MCID `M1`, i.e. moves it from A. */
export const moveToB = linkRequest({ personId: 'alice-b', tenantId: 'B', actorPersonId: 'alice-b' });

/** An exam under MCID `M1`, imported by organization A, that counts toward Azure, unless overridden. */
export function credential(id: string, passed: string, overrides: Partial<Credential> = {}): Credential {
  return {
    id,
    tenantId: 'A',
    kind: 'learn',
    accountId: 'M1',
    type: 'certification',
    code: 'AZ-104',
    title: 'Microsoft Certified: Azure Administrator Associate',
    passed: at(passed),
    competencies: ['Azure'],
    ...overrides,
  };
}

/** Organization A needs `requiredPeople` people with an Azure credential. */
export function requirement(requiredPeople: number, overrides: Partial<CompetencyRequirement> = {}): CompetencyRequirement {
  return { id: 'req-azure', tenantId: 'A', competency: 'Azure', requiredPeople, credentialCodes: [], ...overrides };
}
