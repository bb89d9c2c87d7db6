import { DEFAULT_LOCALE, type Locale } from './locale.js';

/** The supported language that a BCP-47 tag (as Teams sends it in `activity.locale`) asks for, or undefined. */
export function matchSupportedLocale(tag: string | undefined): Locale | undefined {
  if (!tag) return undefined;
  // Intl.Locale is costly for what it does; clients send a handful of tags, so each is resolved once.
  if (resolvedTags.has(tag)) return resolvedTags.get(tag);
  const locale = resolveTag(tag);
  if (resolvedTags.size < MAX_RESOLVED_TAGS) resolvedTags.set(tag, locale);
  return locale;
}

/** Tags already resolved; bounded, since the tag comes from the activity. */
const resolvedTags = new Map<string, Locale | undefined>();
const MAX_RESOLVED_TAGS = 256;

function resolveTag(tag: string): Locale | undefined {
  let parsed: Intl.Locale;
  try {
    // Intl.Locale canonicalises case ('zh-cn', 'EN-us'); underscores are not BCP-47 but some clients send them.
    parsed = new Intl.Locale(tag.trim().replace(/_/g, '-'));
  } catch {
    return undefined;
  }
  switch (parsed.language) {
    case 'en':
      return 'en';
    case 'fr':
      return 'fr';
    case 'zh':
      // maximize() adds the likely script from CLDR: zh, zh-CN, zh-SG → Hans; zh-TW, zh-HK, zh-MO → Hant.
      // We only have Simplified Chinese. A reader who asked for Traditional Chinese reads another script and
      // regional vocabulary, so we do not impose Simplified on them: they get the default, and can still pick
      // 中文（简体） themselves in the language picker.
      return parsed.maximize().script === 'Hans' ? 'zh-CN' : undefined;
    default:
      return undefined;
  }
}

/** The language of this turn: the person's stored choice, else what Teams says their client uses, else English. */
export function resolveTurnLocale(stored: Locale | undefined, activityLocale: string | undefined): Locale {
  return stored ?? matchSupportedLocale(activityLocale) ?? DEFAULT_LOCALE;
}
