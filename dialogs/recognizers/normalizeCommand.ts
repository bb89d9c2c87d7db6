import { normalize } from '../../understanding/index.js';

/** Lower-cases, removes accents and punctuation, and folds white space, so "Aide !" reads as "aide" (the one normalisation). */
export function normalizeCommand(text: string): string {
  return normalize(text);
}
