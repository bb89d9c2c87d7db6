import { z } from 'zod';

/**
 * A confirmation card's one-use token (unlink, account change, an admin's deletion): the dialog makes it, the card
 * carries it, and the service records it as used, so a second click of the same card does nothing.
 */
export const nonceSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'expected a nonce');
