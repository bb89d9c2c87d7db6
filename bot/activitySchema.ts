import { z } from 'zod';

const account = z.object({ id: z.string().min(1).max(512), name: z.string().max(512).optional(), aadObjectId: z.string().max(128).optional() }).loose();

/**
 * The shape an incoming Bot Framework activity must have before the adapter sees it. The SDK's own
 * checks throw on some malformed bodies instead of answering 400, so the edge checks first.
 */
const incomingActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
    conversation: z.object({ id: z.string().min(1).max(1024) }).loose(),
    from: account,
    recipient: account,
    text: z.string().max(28_000).optional(),
    locale: z.string().max(64).optional(),
  })
  .loose();

/** Lists what is wrong with a request body, in a form fit for a 400 answer (no echo of the input). */
export function activityProblems(body: unknown): string[] {
  const parsed = incomingActivitySchema.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
}
