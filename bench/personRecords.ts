import { z } from 'zod';

/** A ledger record shaped like a person (about 250 bytes of JSON), for the store benches. */
export const benchSchemas = {
  people: z.object({
    id: z.string(),
    tenantId: z.string(),
    aadObjectId: z.string(),
    displayName: z.string(),
    email: z.string(),
    mcid: z.string().nullable(),
    locale: z.string(),
    createdAt: z.coerce.date(),
    roles: z.array(z.string()),
  }),
};

/** Person `i` of `tenantId`; `version` changes the name, so that writing it again is a real change. */
export function benchPerson(i: number, version = 0, tenantId = 'contoso-tenant-01') {
  const hex = i.toString(16).padStart(8, '0');
  return {
    id: `person-${i}`,
    tenantId,
    aadObjectId: `${hex}-1111-4222-8333-${hex}0000`,
    displayName: `Person ${i}.${version}`,
    email: `person.${i}@contoso.example`,
    mcid: i % 3 === 0 ? null : `${1_000_000 + i}`,
    locale: ['en-US', 'zh-CN', 'fr-FR'][i % 3] ?? 'en-US',
    createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
    roles: ['member'],
  };
}

/** The nearest-rank percentile `p` (0–1) of `samples`. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}
