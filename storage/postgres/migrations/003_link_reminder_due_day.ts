/**
 * Link reminders are found through the day they may be sent (`dueDay`, which the ledger's schema derives from the
 * reminder's date, or from the end of a claim on it when that is later). Reminders stored before the field existed
 * get it here, once, so the expression index finds them without any instance rewriting every reminder at start.
 * Instants are stored as ISO strings, which compare in time order; the day is their first ten characters (UTC).
 */
export const sql = `
UPDATE records
SET doc = jsonb_set(doc, '{dueDay}', to_jsonb(left(
  CASE WHEN doc->>'claimedUntil' IS NOT NULL AND doc->>'claimedUntil' > doc->>'dueAt' THEN doc->>'claimedUntil' ELSE doc->>'dueAt' END,
  10)))
WHERE collection = 'linkReminders' AND NOT doc ? 'dueDay';
`;
