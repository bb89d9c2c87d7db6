import { z } from 'zod';

const account = z.object({ id: z.string().min(1).max(512), name: z.string().max(512).optional(), aadObjectId: z.string().max(128).optional() }).loose();

/**
 * The shape an incoming Bot Framework activity must have before the adapter sees it. The SDK's own
 * checks throw on some malformed bodies instead of answering 400, so the edge checks first. Exported for the test
 * that holds `activityProblems`'s shortcut to it.
 */
export const incomingActivitySchema = z
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
  if (surelyValid(body)) return [];
  const parsed = incomingActivitySchema.safeParse(body);
  if (parsed.success && typeof (body as { serviceUrl: unknown }).serviceUrl === 'string') acceptedServiceUrl((body as { serviceUrl: string }).serviceUrl);
  return parsed.success ? [] : parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
}

/**
 * Service URLs the schema accepted, most recent last (a bot hears from a handful of Teams regions). Parsing the URL
 * and copying the loose objects was most of the schema's cost; a body whose service URL is here is checked by
 * `surelyValid` alone.
 */
const serviceUrls = new Set<string>();
const SERVICE_URLS_KEPT = 64;

function acceptedServiceUrl(url: string): void {
  serviceUrls.delete(url);
  serviceUrls.add(url);
  if (serviceUrls.size > SERVICE_URLS_KEPT) serviceUrls.delete(serviceUrls.values().next().value!);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown, min: number, max: number): boolean => typeof value === 'string' && value.length >= min && value.length <= max;
const isOptionalText = (value: unknown, max: number): boolean => value === undefined || isText(value, 0, max);
const isAccount = (value: unknown): boolean =>
  isObject(value) && isText(value.id, 1, 512) && isOptionalText(value.name, 512) && isOptionalText(value.aadObjectId, 128);

/**
 * The schema's own checks written out, with the service URL looked up among those the schema already accepted: true
 * only for a body the schema accepts (each test is as strict as the schema's), so the common body skips zod; any
 * other body, well formed or not, goes to the schema, which decides and words the problems.
 */
function surelyValid(body: unknown): boolean {
  return (
    isObject(body) &&
    isText(body.type, 1, 64) &&
    isOptionalText(body.id, 512) &&
    isText(body.channelId, 1, 64) &&
    typeof body.serviceUrl === 'string' &&
    serviceUrls.has(body.serviceUrl) &&
    isObject(body.conversation) &&
    isText(body.conversation.id, 1, 1024) &&
    isAccount(body.from) &&
    isAccount(body.recipient) &&
    isOptionalText(body.text, 28_000) &&
    isOptionalText(body.locale, 64)
  );
}
