/**
 * An organization's competency requirements: a name in every language, the number of people required and the
 * qualifying credential codes. Managed from the command line and the admin endpoint, listed in chat.
 */
import { z } from 'zod';
import type { CompetencyRequirement } from '../../rules/index.js';
import type { Ledger } from '../../storage/index.js';
import { notifyOrganizationChanged, stageOrganizationChange, type OnOrganizationChanged } from '../organizationEvents.js';
import { stageAudit } from './audit.js';

const name = z.string().trim().min(1).max(300);

/** A requirement as an admin writes it (JSON on the endpoint and the command line). */
export const requirementInputSchema = z.strictObject({
  /** A short stable id, e.g. `azure-infra`. */
  id: z.string().trim().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case kebab-case').max(64),
  /** The competency the credentials name in their `competency` column. */
  competency: z.string().trim().min(1).max(200),
  /** Display names per language; any may be left out (people then read another language's, or the id made readable). */
  names: z.strictObject({ en: name.optional(), 'zh-CN': name.optional(), fr: name.optional() }).default({}),
  requiredPeople: z.number().int().min(1).max(10_000),
  credentialCodes: z.array(z.string().trim().min(1).max(50)).max(500).default([]),
});

/** A requirement as an admin writes it. */
export type RequirementInput = z.output<typeof requirementInputSchema>;

/** A whole set of requirements (the endpoint's PUT body, the CLI's file): replaces the organization's list. */
export const requirementSetSchema = z
  .strictObject({ requirements: z.array(requirementInputSchema).max(500) })
  .refine((s) => new Set(s.requirements.map((r) => r.id)).size === s.requirements.length, { message: 'requirement ids must be unique' });

/** A requirement's display names, by language; any may be missing. */
export type RequirementNames = { readonly en?: string; readonly 'zh-CN'?: string; readonly fr?: string };

/** A requirement with its names. */
export interface NamedRequirement extends CompetencyRequirement {
  readonly names: RequirementNames;
}

/** The requirement's own id without its organization prefix (`tenant/azure-infra` → `azure-infra`). */
export function shortRequirementId(requirement: { readonly id: string; readonly tenantId: string }): string {
  return requirement.id.startsWith(`${requirement.tenantId}/`) ? requirement.id.slice(requirement.tenantId.length + 1) : requirement.id;
}

/** A kebab-case key made readable: `modern-work` → `Modern work`. */
export function humanizeKey(key: string): string {
  const words = key.replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  return words === '' ? key : words.charAt(0).toLocaleUpperCase('en') + words.slice(1);
}

/**
 * The name people read for a requirement in `locale`: its name in that language, else in English, else in any
 * language it has one in; only a requirement with no name at all shows its competency (else its id), made readable.
 */
export function requirementDisplayName(
  requirement: { readonly id: string; readonly tenantId: string; readonly names?: RequirementNames; readonly competency?: string },
  locale: string,
): string {
  const names = requirement.names ?? {};
  const own = (names as Record<string, string | undefined>)[locale];
  return own ?? names.en ?? names.fr ?? names['zh-CN'] ?? humanizeKey(requirement.competency ?? shortRequirementId(requirement));
}

/**
 * The name of a requirement (by its ledger key) in `locale`, read when a card is drawn: a requirement renamed since
 * shows its new name, and one removed since shows its id made readable.
 */
export async function requirementNameIn(ledger: Ledger, tenantId: string, requirementKeyOrId: string, locale: string, competency?: string): Promise<string> {
  const names = (await ledger.get('requirementNames', requirementKeyOrId))?.names ?? {};
  return requirementDisplayName({ id: requirementKeyOrId, tenantId, names, ...(competency ? { competency } : {}) }, locale);
}

/** The outcome of a change. */
export interface RequirementChange {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
}

/** Collaborators of the requirements service. */
export interface RequirementsServiceDeps {
  readonly ledger: Ledger;
  readonly clock: () => Date;
  readonly onOrganizationChanged?: OnOrganizationChanged;
  readonly onHookError?: (error: unknown) => void;
}

/** The ledger key of an organization's requirement (ids are per organization). */
function requirementKey(tenantId: string, id: string): string {
  return `${tenantId}/${id}`;
}

/** Reads and changes competency requirements. */
export class RequirementsService {
  constructor(private readonly deps: RequirementsServiceDeps) {}

  /** An organization's requirements with their names, by id. */
  async list(tenantId: string): Promise<NamedRequirement[]> {
    const named: NamedRequirement[] = [];
    // In id order, the index's.
    for (const { record: r } of await this.deps.ledger.findBy('requirements', 'byTenant', [tenantId])) {
      const names: RequirementNames = (await this.deps.ledger.get('requirementNames', r.id))?.names ?? {};
      named.push({ ...r, names });
    }
    return named;
  }

  /** Adds or replaces some requirements (`replaceAll`: and deletes the organization's others), in one transaction. */
  async upsert(tenantId: string, inputs: readonly RequirementInput[], actorId: string, replaceAll = false): Promise<RequirementChange> {
    const now = this.deps.clock();
    const change = await this.deps.ledger.transact(async (tx): Promise<RequirementChange> => {
      let created = 0;
      let updated = 0;
      let deleted = 0;
      const keep = new Set<string>();
      for (const input of inputs) {
        const key = requirementKey(tenantId, input.id);
        keep.add(key);
        const record: CompetencyRequirement = { id: key, tenantId, competency: input.competency, requiredPeople: input.requiredPeople, credentialCodes: [...input.credentialCodes] };
        const existing = await tx.get('requirements', key);
        const names = (await tx.get('requirementNames', key))?.names;
        if (existing && JSON.stringify(existing) === JSON.stringify(record) && JSON.stringify(names) === JSON.stringify(input.names)) continue;
        if (existing) updated += 1;
        else created += 1;
        tx.put('requirements', key, record);
        tx.put('requirementNames', key, { tenantId, names: input.names });
        stageAudit(tx, { tenantId, actorId, action: 'requirement.set', target: input.id, outcome: 'done', detail: { requiredPeople: input.requiredPeople } }, now);
      }
      if (replaceAll) {
        for (const { record: r } of await tx.findBy('requirements', 'byTenant', [tenantId])) {
          if (keep.has(r.id)) continue;
          tx.delete('requirements', r.id);
          tx.delete('requirementNames', r.id);
          stageAudit(tx, { tenantId, actorId, action: 'requirement.delete', target: r.id.slice(tenantId.length + 1), outcome: 'done' }, now);
          deleted += 1;
        }
      }
      if (created + updated + deleted === 0) stageAudit(tx, { tenantId, actorId, action: 'requirement.set', outcome: 'unchanged' }, now);
      else stageOrganizationChange(tx, tenantId, 'requirement-change', now);
      return { created, updated, deleted };
    });
    if (change.created + change.updated + change.deleted > 0) {
      await notifyOrganizationChanged(this.deps.onOrganizationChanged, tenantId, 'requirement-change', this.deps.onHookError);
    }
    return change;
  }

  /** One requirement of an organization by its short id, with its names. */
  async get(tenantId: string, id: string): Promise<NamedRequirement | undefined> {
    const key = requirementKey(tenantId, id);
    const record = await this.deps.ledger.get('requirements', key);
    return record && { ...record, names: (await this.deps.ledger.get('requirementNames', key))?.names ?? {} };
  }

  /** Deletes one requirement; false when there was none. */
  async remove(tenantId: string, id: string, actorId: string): Promise<boolean> {
    const now = this.deps.clock();
    const key = requirementKey(tenantId, id);
    const removed = await this.deps.ledger.transact(async (tx) => {
      const existing = await tx.get('requirements', key);
      stageAudit(tx, { tenantId, actorId, action: 'requirement.delete', target: id, outcome: existing ? 'done' : 'not-found' }, now);
      if (!existing) return false;
      tx.delete('requirements', key);
      tx.delete('requirementNames', key);
      stageOrganizationChange(tx, tenantId, 'requirement-change', now);
      return true;
    });
    if (removed) await notifyOrganizationChanged(this.deps.onOrganizationChanged, tenantId, 'requirement-change', this.deps.onHookError);
    return removed;
  }
}
