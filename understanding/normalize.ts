/**
 * The one text normalisation of the bot: every typed command, answer word and question is compared in this form.
 * Full-width letters become ASCII, accents and case go, Teams' @mentions and punctuation become spaces.
 */
export function normalize(text: string): string {
  return text
    .normalize('NFKC') // full-width Latin and digits typed with a Chinese IME become ASCII
    .replace(/<at>[^<]*<\/at>/g, ' ') // Teams puts the bot's @mention in channel messages
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The words of normalized text: Latin words as they are, and each Han character on its own (Chinese has no
 * spaces; the character n-grams carry the longer words).
 */
export function words(normalized: string): string[] {
  return normalized.match(/\p{Script=Han}|[^\s\p{Script=Han}]+/gu) ?? [];
}
