import enAdmin from './en/admin.json' with { type: 'json' };
import enAlerts from './en/alerts.json' with { type: 'json' };
import enCommon from './en/common.json' with { type: 'json' };
import enEmployee from './en/employee.json' with { type: 'json' };
import enSignin from './en/signin.json' with { type: 'json' };
import frAdmin from './fr/admin.json' with { type: 'json' };
import frAlerts from './fr/alerts.json' with { type: 'json' };
import frCommon from './fr/common.json' with { type: 'json' };
import frEmployee from './fr/employee.json' with { type: 'json' };
import frSignin from './fr/signin.json' with { type: 'json' };
import zhAdmin from './zh-CN/admin.json' with { type: 'json' };
import zhAlerts from './zh-CN/alerts.json' with { type: 'json' };
import zhCommon from './zh-CN/common.json' with { type: 'json' };
import zhEmployee from './zh-CN/employee.json' with { type: 'json' };
import zhSignin from './zh-CN/signin.json' with { type: 'json' };
import type { Locale } from './locale.js';

/**
 * Every interface string, per locale and namespace, bundled at build time so the bot reads no files at
 * run time: `common` (menu, help, language, errors, FAQ cards), `employee` (link, unlink, status), `signin`
 * (the sign-in pages and outcomes), `admin` (the admin workspace), `alerts` (competency alerts). FAQ
 * content is loaded by the FAQ service.
 */
export const resources = {
  en: { common: enCommon, employee: enEmployee, signin: enSignin, admin: enAdmin, alerts: enAlerts },
  'zh-CN': { common: zhCommon, employee: zhEmployee, signin: zhSignin, admin: zhAdmin, alerts: zhAlerts },
  fr: { common: frCommon, employee: frEmployee, signin: frSignin, admin: frAdmin, alerts: frAlerts },
} as const satisfies Record<Locale, Record<string, unknown>>;

/** The namespaces every locale must have. */
export const NAMESPACES = ['common', 'employee', 'signin', 'admin', 'alerts'] as const;
