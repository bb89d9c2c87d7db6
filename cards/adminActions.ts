import { z } from 'zod';
import { nonceSchema } from './actionFields.js';

/** A person an admin acts on (a Teams object id); never the actor, whose identity comes from the activity. */
const personRef = z.string().trim().min(1).max(200).regex(/^[\w.:@-]+$/, 'expected a person id');

/** The admin views a button can open. */
export const adminViews = ['menu', 'roles', 'pending-users', 'requirements', 'status', 'report', 'audit', 'faq-feedback'] as const;

/** Opens an admin view (the same as typing its command). */
export const adminOpen = z.object({ action: z.literal('admin.open'), view: z.enum(adminViews) });
/** Reminds a registered person who never linked. */
export const adminRemind = z.object({ action: z.literal('admin.remind'), personId: personRef });

/** Confirms the deletion of a departed person's work account; the nonce makes the confirmation work once. */
export const adminDeleteConfirm = z.object({ action: z.literal('admin.deleteAccount.confirm'), personId: personRef, nonce: nonceSchema });

/** A requirement's own id (without the organization), as the requirements service writes it: lower-case kebab-case. */
const requirementRef = z.string().max(64).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a requirement id');

/** Opens the requirement editor: empty for a new requirement, filled in for an existing one. */
export const adminRequirementEdit = z.object({ action: z.literal('admin.requirement.edit'), requirement: requirementRef.optional() });

/** A field of the editor as Teams submits it: text (a number input may arrive as a number); bounded, never trusted. */
const field = (max: number) => z.union([z.string().max(max), z.number().finite()]).optional();

/** The requirement editor's Save: the card's inputs merged into the payload by Teams; the service validates them. */
export const adminRequirementSave = z.object({
  action: z.literal('admin.requirement.save'),
  editing: requirementRef.optional(),
  reqId: field(200),
  reqCompetency: field(400),
  reqRequired: field(40),
  reqCodes: field(4000),
  reqNameEn: field(600),
  reqNameFr: field(600),
  reqNameZh: field(600),
});

/** Removes a requirement: first asks (`confirm: false`), then removes (`confirm: true`). */
export const adminRequirementRemove = z.object({ action: z.literal('admin.requirement.remove'), requirement: requirementRef, confirm: z.boolean() });
