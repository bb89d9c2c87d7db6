import { z } from 'zod';

/**
 * An instant: a `Date` in memory, an ISO-8601 string on disk; unlike `z.coerce.date()` it refuses null,
 * numbers and booleans in a file instead of turning them into 1970.
 */
export const instant = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((value) => new Date(value));
