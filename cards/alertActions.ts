import { z } from 'zod';

/** An alert id as the alert service makes it: 32 lower-case hex digits. */
const alertId = z.string().regex(/^[0-9a-f]{32}$/, 'expected an alert id');

/** "Acknowledge" on an alert card: the alert; the conversation and the person come from the activity. */
export const alertAck = z.object({ action: z.literal('alert.ack'), alert: alertId });

/** "Open the status card" on an alert card: the requirement, within the clicker's own organization. */
export const alertStatus = z.object({ action: z.literal('alert.status'), requirement: z.string().trim().min(1).max(200) });
