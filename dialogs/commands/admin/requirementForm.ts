/**
 * The requirement editor's text fields: read into a requirement the service accepts, or which fields are wrong; and
 * the form that edits an existing requirement.
 */
import { requirementInputSchema, shortRequirementId, type NamedRequirement, type RequirementInput } from '../../../services/admin/requirements.js';
import type { RequirementForm } from '../../recognizers/adminCommand.js';

/** The limits the editor's error messages state (the requirement schema's own bounds). */
export const FORM_LIMITS = { max: 10_000, idMax: 64, nameMax: 300, competencyMax: 200, codeMax: 50, codesMax: 500 } as const;

/** The fields of the editor that a check can find wrong, each with its own localized message. */
export type FormField = 'id' | 'names' | 'competency' | 'required' | 'codes';

/** The editor's text fields read into a requirement, or which fields are wrong. */
export function checkRequirementForm(form: RequirementForm): { kind: 'ok'; input: RequirementInput } | { kind: 'invalid'; fields: FormField[] } {
  const trimmed = (text: string) => text.replace(/\s+/g, ' ').trim();
  const id = (form.editing ?? form.id).trim().toLowerCase();
  const required = form.requiredPeople.trim();
  const codes = form.codes
    .split(/[,;，；\s]+/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const names = Object.fromEntries(
    ([['en', form.nameEn], ['fr', form.nameFr], ['zh-CN', form.nameZh]] as const).map(([l, v]) => [l, trimmed(v)] as const).filter(([, v]) => v !== ''),
  );
  const candidate = {
    id,
    competency: trimmed(form.competency),
    names,
    // Only whole numbers typed as digits: "3", not "3.5", "three" or "1e3".
    requiredPeople: /^\d{1,6}$/.test(required) ? Number(required) : Number.NaN,
    credentialCodes: codes,
  };
  const parsed = requirementInputSchema.safeParse(candidate);
  const wrong = new Set<FormField>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const first = String(issue.path[0] ?? '');
      wrong.add(first === 'requiredPeople' ? 'required' : first === 'credentialCodes' ? 'codes' : first === 'names' ? 'names' : first === 'competency' ? 'competency' : 'id');
    }
  }
  // A requirement needs a name people can read in at least one language.
  if (Object.keys(names).length === 0) wrong.add('names');
  if (wrong.size > 0 || !parsed.success) return { kind: 'invalid', fields: (['id', 'names', 'competency', 'required', 'codes'] as const).filter((f) => wrong.has(f)) };
  return { kind: 'ok', input: parsed.data };
}

/** The editor's fields for a new requirement. */
export function emptyForm(): RequirementForm {
  return { id: '', competency: '', requiredPeople: '', codes: '', nameEn: '', nameFr: '', nameZh: '' };
}

/** The editor's fields filled in with an existing requirement (its id fixed: it is being edited). */
export function formOf(r: NamedRequirement): RequirementForm {
  return {
    id: shortRequirementId(r),
    editing: shortRequirementId(r),
    competency: r.competency,
    requiredPeople: String(r.requiredPeople),
    codes: r.credentialCodes.join(', '),
    nameEn: r.names.en ?? '',
    nameFr: r.names.fr ?? '',
    nameZh: r.names['zh-CN'] ?? '',
  };
}
