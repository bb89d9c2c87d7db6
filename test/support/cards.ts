/** Every piece of text a person can read in the Adaptive Cards of an activity: TextBlock texts, fact titles and values, button titles. */
export function cardTexts(activity: Record<string, unknown>): string[] {
  const texts: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    for (const key of ['text', 'title', 'value', 'label', 'placeholder']) {
      if (typeof record[key] === 'string') texts.push(record[key]);
    }
    Object.values(record).forEach(visit);
  };
  const attachments = (activity.attachments as Array<{ content?: unknown }> | undefined) ?? [];
  attachments.forEach((a) => visit(a.content));
  return texts;
}

/** The data of every Action.Submit button in an activity's cards. */
export function submitActions(activity: Record<string, unknown>): Array<{ title: string; data: unknown }> {
  const actions: Array<{ title: string; data: unknown }> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Submit') actions.push({ title: String(record.title), data: record.data });
    Object.values(record).forEach(visit);
  };
  ((activity.attachments as Array<{ content?: unknown }> | undefined) ?? []).forEach((a) => visit(a.content));
  return actions;
}

/** The Action.OpenUrl buttons of the cards of one or more activities, in order. */
export function openUrls(...activities: ReadonlyArray<Record<string, unknown>>): Array<{ title: string; url: string }> {
  const found: Array<{ title: string; url: string }> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.OpenUrl') found.push({ title: String(record.title), url: String(record.url) });
    Object.values(record).forEach(visit);
  };
  for (const activity of activities) visit((activity.attachments as Array<{ content?: unknown }> | undefined)?.map((a) => a.content));
  return found;
}
