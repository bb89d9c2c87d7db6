import { z } from 'zod';

/** A person an admin acts on (a Teams object id); never the actor, whose identity comes from the activity. */
const personRef = z.string().trim().min(1).max(200).regex(/^[\w.:@-]+$/, 'expected a person id');

/** The admin views a button can open. */
export const adminViews = ['menu', 'roles', 'pending-users', 'requirements', 'status', 'report', 'audit'] as const;

/** Opens an admin view (the same as typing its command). */
export const adminOpen = z.object({ action: z.literal('admin.open'), view: z.enum(adminViews) });
/** Reminds a registered person who never linked. */
export const adminRemind = z.object({ action: z.literal('admin.remind'), personId: personRef });
/** A confirmation card's one-use token (as the employee flows' nonces). */
const nonce = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'expected a nonce');

/** Confirms the deletion of a departed person's work account; the nonce makes the confirmation work once. */
export const adminDeleteConfirm = z.object({ action: z.literal('admin.deleteAccount.confirm'), personId: personRef, nonce });
