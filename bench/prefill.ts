/** Conversation and user state shaped as this bot stores it, for people `from` … `to - 1` who talked to it before. */
export function prefillItems(from: number, to: number): Record<string, Record<string, unknown>> {
  const items: Record<string, Record<string, unknown>> = {};
  for (let i = from; i < to; i++) {
    const hex = i.toString(16).padStart(8, '0');
    items[`msteams/conversations/a:1${hex}personal-chat-with-the-bot-${hex}`] = {
      dialogState: { dialogStack: [] },
      eTag: `${hex}-0000-4000-8000-000000000000`,
    };
    items[`msteams/users/29:1${hex}aad-object-${hex}-1111-4222-8333`] = {
      locale: ['en', 'fr', 'zh-CN'][i % 3],
      eTag: `${hex}-1111-4000-8000-000000000000`,
    };
  }
  return items;
}
