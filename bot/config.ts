import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An absolute http(s) URL without query or fragment, returned without its trailing slash. */
const webUrl = z
  .string()
  .refine((text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol), 'must be an http or https URL')
  .refine((text) => !URL.canParse(text) || (new URL(text).search === '' && new URL(text).hash === ''), 'must have no query or fragment')
  .transform((text) => text.replace(/\/+$/, ''));

/** Whether a URL's host is this machine (127.0.0.1, ::1 or localhost). */
function isLoopbackUrl(text: string): boolean {
  return ['127.0.0.1', '[::1]', 'localhost'].includes(new URL(text).hostname);
}

/** An unset variable and an empty one mean the same: not configured. */
const optionalText = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().optional());

const envSchema = z
  .object({
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    // Single-tenant by default: Azure creates no new multi-tenant bot registrations since 31 July 2025.
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant'),
    MicrosoftAppTenantId: optionalText,
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: optionalText,
    DATA_DIR: z.string().trim().min(1).default('./data'),
    DATABASE_URL: optionalText.pipe(
      z
        .string()
        .refine((text) => URL.canParse(text) && /^postgres(?:ql)?:$/.test(new URL(text).protocol), 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    DEFAULT_TENANT_ID: z.string().trim().min(1).max(128).default('local-tenant'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    PUBLIC_BASE_URL: optionalText.pipe(webUrl.optional()),
    OIDC_ISSUER: optionalText.pipe(webUrl.optional()),
    OIDC_CLIENT_ID: optionalText,
    OIDC_CLIENT_SECRET: optionalText,
    OIDC_MCID_CLAIM: optionalText.pipe(z.string().regex(/^[\w.:/-]{1,200}$/, 'is not a claim name').optional()),
    OIDC_PU_CLAIM: optionalText.pipe(z.string().regex(/^[\w.:/-]{1,200}$/, 'is not a claim name').optional()),
    SIGNIN_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    DEV_IDP_PORT: z.coerce.number().int().min(0).max(65535).default(3979),
    BOOTSTRAP_ADMINS: optionalText.pipe(
      z
        .string()
        .regex(/^[\w.:-]{1,200}(?:\s*,\s*[\w.:-]{1,200})*$/, 'must be a comma-separated list of Teams AAD object ids')
        .optional(),
    ),
    ADMIN_API_TOKEN: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    REPORT_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  })
  .superRefine((env, ctx) => {
    if (env.MicrosoftAppId && env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required when MicrosoftAppId is set' });
    }
    if (env.MicrosoftAppType === 'SingleTenant' && env.MicrosoftAppId && !env.MicrosoftAppTenantId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: 'is required for a SingleTenant bot (the default type; MicrosoftAppType=MultiTenant for an older multi-tenant registration)' });
    }
    if (env.OIDC_ISSUER && !env.OIDC_CLIENT_ID) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_CLIENT_ID'], message: 'is required when OIDC_ISSUER is set' });
    }
    if (!env.OIDC_ISSUER && (env.OIDC_CLIENT_ID || env.OIDC_CLIENT_SECRET)) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER'], message: 'is required when OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is set' });
    }
    if (env.OIDC_ISSUER && !env.OIDC_ISSUER.startsWith('https://') && !isLoopbackUrl(env.OIDC_ISSUER)) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER'], message: 'must be https (plain http only on loopback)' });
    }
    // Instances that share a database must sign with the same secrets; one generated per data folder would differ.
    if (env.DATABASE_URL && !env.SIGNIN_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SIGNIN_SECRET'], message: 'is required when DATABASE_URL is set (every instance must sign with the same secret)' });
    }
    if (env.DATABASE_URL && !env.REPORT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['REPORT_SECRET'], message: 'is required when DATABASE_URL is set (every instance must sign with the same secret)' });
    }
    if (!env.MicrosoftAppId && env.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppId'], message: 'is required when MicrosoftAppPassword is set' });
    }
  });

/** The bot's settings, read once from the environment at start-up. */
export interface AppConfig {
  /** Bot Framework credentials; `appId` undefined means no authentication (local and Emulator use). */
  readonly botAuth: {
    readonly appId?: string;
    readonly appPassword?: string;
    /**
     * The registration's type; undefined without an app id (no registration: the SDK then runs unauthenticated, which
     * it allows only when no type other than MultiTenant is named).
     */
    readonly appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    readonly tenantId?: string;
  };
  readonly port: number;
  /** Interface to listen on: loopback unless the bot is authenticated or HOST says otherwise. */
  readonly host: string;
  readonly dataDir: string;
  /** PostgreSQL, shared by every instance; undefined: the embedded store in `dataDir`. */
  readonly databaseUrl?: string;
  /** Organization used for people who talk to the bot outside Teams (Emulator, Web Chat). */
  readonly defaultTenantId: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** The sign-in that completes a link (OpenID Connect). */
  readonly signIn: SignInConfig;
  /** The admin workspace (README, "Admin workspace"). */
  readonly admin: AdminConfig;
}

/** Admin settings: the first Global admins, the admin endpoint's token, the secret of report download links. */
interface AdminConfig {
  /** Teams AAD object ids that are Global admins by configuration, in every organization they speak from. */
  readonly bootstrapAdmins: readonly string[];
  /** Bearer token of the admin HTTP endpoint; undefined: the endpoint is disabled. */
  readonly apiToken?: string;
  /** Secret of the signed skills-report links; undefined: one is generated once and kept in the data directory. */
  readonly reportSecret?: string;
}

/** Sign-in settings: where browsers reach the bot, the identity provider, the ticket secret. */
interface SignInConfig {
  /** The bot's address as a browser reaches it, without a trailing slash (links and the OpenID redirect URI). */
  readonly publicBaseUrl: string;
  /** The OpenID provider; undefined: the development provider is started (never with `MicrosoftAppId`). */
  readonly oidc?: { readonly issuer: string; readonly clientId: string; readonly clientSecret?: string };
  /** The ID-token claim that carries the MCID, when the provider has one. */
  readonly mcidClaim?: string;
  /** The ID-token claim that must equal the Partner University address being linked (`OIDC_PU_CLAIM`, default `email`). */
  readonly universityClaim: string;
  /** Secret for tickets and cookies; undefined: one is generated once and kept in the data directory. */
  readonly secret?: string;
  /** Port of the development identity provider (loopback only); 0 picks a free one. */
  readonly devIdpPort: number;
}

/** Thrown when the environment is invalid; its message lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment into an `AppConfig`, or throws a `ConfigError` naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`));
  }
  const e = parsed.data;
  return {
    botAuth: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      appType: e.MicrosoftAppId ? e.MicrosoftAppType : undefined,
      tenantId: e.MicrosoftAppTenantId,
    },
    port: e.PORT,
    // An unauthenticated bot must not be reachable from other machines.
    host: e.HOST ?? (e.MicrosoftAppId ? '0.0.0.0' : '127.0.0.1'),
    dataDir: path.resolve(cwd, e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    defaultTenantId: e.DEFAULT_TENANT_ID,
    logLevel: e.LOG_LEVEL,
    signIn: {
      publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://127.0.0.1:${e.PORT}`,
      oidc: e.OIDC_ISSUER ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID!, clientSecret: e.OIDC_CLIENT_SECRET } : undefined,
      mcidClaim: e.OIDC_MCID_CLAIM,
      universityClaim: e.OIDC_PU_CLAIM ?? 'email',
      secret: e.SIGNIN_SECRET,
      devIdpPort: e.DEV_IDP_PORT,
    },
    admin: {
      bootstrapAdmins: e.BOOTSTRAP_ADMINS ? e.BOOTSTRAP_ADMINS.split(',').map((id) => id.trim()) : [],
      apiToken: e.ADMIN_API_TOKEN,
      reportSecret: e.REPORT_SECRET,
    },
  };
}

/**
 * Refuses to start sign-in in a production configuration (a `MicrosoftAppId`) without a real identity provider or
 * without an https public address: the development identity provider never runs in production. Called at start-up.
 */
export function assertProductionSignIn(config: AppConfig): void {
  if (!config.botAuth.appId) return;
  const problems: string[] = [];
  if (!config.signIn.oidc) {
    problems.push('OIDC_ISSUER: is required when MicrosoftAppId is set: the development identity provider never runs in production');
  }
  if (!config.signIn.publicBaseUrl.startsWith('https://')) {
    problems.push('PUBLIC_BASE_URL: must be an https URL when MicrosoftAppId is set (sign-in links and cookies)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** A one-line summary of the configuration that is safe to log (no secrets). */
export function describeConfig(config: AppConfig): Record<string, unknown> {
  return {
    auth: config.botAuth.appId ? `${config.botAuth.appType} app ${config.botAuth.appId}` : 'none (local development)',
    listen: `${config.host}:${config.port}`,
    dataDir: config.dataDir,
    store: config.databaseUrl ? `PostgreSQL ${describeDatabase(config.databaseUrl)}` : 'embedded (lowdb files in the data directory)',
    defaultTenantId: config.defaultTenantId,
    logLevel: config.logLevel,
    signIn: {
      publicBaseUrl: config.signIn.publicBaseUrl,
      identityProvider: config.signIn.oidc?.issuer ?? `development provider on 127.0.0.1:${config.signIn.devIdpPort}`,
      mcidClaim: config.signIn.mcidClaim ?? (config.signIn.oidc ? 'none (bound on first sign-in)' : 'mcid (development provider)'),
      universityClaim: config.signIn.universityClaim,
      secret: config.signIn.secret ? 'configured' : 'generated in the data directory',
    },
    admin: {
      bootstrapAdmins: config.admin.bootstrapAdmins.length,
      endpoint: config.admin.apiToken ? 'enabled' : 'disabled (no ADMIN_API_TOKEN)',
      reportSecret: config.admin.reportSecret ? 'configured' : 'generated in the data directory',
    },
  };
}

/** A Microsoft Entra application (client) id: the Teams app id and the bot id of the package. */
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const packageEnvSchema = z.object({
  MicrosoftAppId: optionalText.pipe(z.string().regex(GUID, 'must be the bot\'s Microsoft Entra app id (a GUID)').optional()),
  PUBLIC_BASE_URL: optionalText.pipe(webUrl.optional()),
  TEAMS_APP_PUBLISHER: optionalText.pipe(z.string().max(32, 'must be at most 32 characters').optional()),
  TEAMS_APP_WEBSITE_URL: optionalText.pipe(webUrl.optional()),
  TEAMS_APP_PRIVACY_URL: optionalText.pipe(webUrl.optional()),
  TEAMS_APP_TERMS_URL: optionalText.pipe(webUrl.optional()),
});

/** What the Teams app package is made from: the bot's app id, its public address and the publisher's pages. */
export interface PackageConfig {
  /** The bot's Microsoft Entra app id, used as the Teams app id and the bot id. */
  readonly appId: string;
  /** The bot's https address; its host is the package's only valid domain. */
  readonly publicBaseUrl: string;
  readonly developer: { readonly name: string; readonly websiteUrl: string; readonly privacyUrl: string; readonly termsOfUseUrl: string };
}

/**
 * Reads what `npm run package` needs, or throws a `ConfigError` naming every missing or bad variable. The client
 * secret is not needed: a package carries no secret.
 */
export function loadPackageConfig(env: NodeJS.ProcessEnv): PackageConfig {
  const parsed = packageEnvSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const e = parsed.success ? parsed.data : undefined;
  if (e && !e.MicrosoftAppId) {
    problems.push('MicrosoftAppId: is required to build the Teams app package (the bot\'s app id from its Azure Bot registration)');
  }
  if (e && !e.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL: is required to build the Teams app package (its host is the valid domain)');
  for (const [name, value] of Object.entries({ PUBLIC_BASE_URL: e?.PUBLIC_BASE_URL, TEAMS_APP_WEBSITE_URL: e?.TEAMS_APP_WEBSITE_URL, TEAMS_APP_PRIVACY_URL: e?.TEAMS_APP_PRIVACY_URL, TEAMS_APP_TERMS_URL: e?.TEAMS_APP_TERMS_URL })) {
    if (value && !value.startsWith('https://')) problems.push(`${name}: must be an https URL in a Teams app package`);
  }
  if (problems.length > 0 || !e) throw new ConfigError(problems);
  const base = e.PUBLIC_BASE_URL!;
  return {
    appId: e.MicrosoftAppId!.toLowerCase(),
    publicBaseUrl: base,
    developer: {
      name: e.TEAMS_APP_PUBLISHER ?? 'MCID Link Assistant',
      websiteUrl: e.TEAMS_APP_WEBSITE_URL ?? base,
      privacyUrl: e.TEAMS_APP_PRIVACY_URL ?? e.TEAMS_APP_WEBSITE_URL ?? base,
      termsOfUseUrl: e.TEAMS_APP_TERMS_URL ?? e.TEAMS_APP_WEBSITE_URL ?? base,
    },
  };
}

const chatEnvSchema = z.object({
  PORT: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
});

/** What `npm run chat` takes from the environment: the port `npm start` listens on, when PORT sets one. */
export interface ChatConfig {
  readonly port?: number;
}

/** Reads the chat's settings, or throws a `ConfigError` for a PORT that `npm start` would refuse as well. */
export function loadChatConfig(env: NodeJS.ProcessEnv): ChatConfig {
  const parsed = chatEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  // Port 0 has the bot pick a free port, which the chat cannot know: it falls back to the default then.
  return parsed.data.PORT === undefined || parsed.data.PORT === 0 ? {} : { port: parsed.data.PORT };
}

const demoEnvSchema = z.object({
  DEMO_DATA_DIR: z.string().trim().min(1).default('./data-demo'),
  DEMO_ADMIN_IDS: envSchema.shape.BOOTSTRAP_ADMINS,
  DATA_DIR: envSchema.shape.DATA_DIR,
  PORT: envSchema.shape.PORT,
  DEV_IDP_PORT: envSchema.shape.DEV_IDP_PORT,
  LOG_LEVEL: envSchema.shape.LOG_LEVEL,
  ADMIN_API_TOKEN: envSchema.shape.ADMIN_API_TOKEN,
});

/** What `npm run demo` takes from the environment; it never reads the Bot Framework or identity-provider settings. */
export interface DemoConfig {
  /** The demo's own data directory (absolute). */
  readonly dataDir: string;
  /** The bot's real data directory (absolute), which the demo refuses to use. */
  readonly botDataDir: string;
  /** Teams or Emulator user ids made Global admins of the demo organization, besides `local-user`. */
  readonly adminIds: readonly string[];
  /** The admin API token; unset: the demo keeps one in its data directory. */
  readonly apiToken?: string;
  readonly port: number;
  readonly devIdpPort: number;
  readonly logLevel: (typeof LOG_LEVELS)[number];
}

/** Reads the demo's settings, or throws a `ConfigError` naming every bad variable. */
export function loadDemoConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): DemoConfig {
  const parsed = demoEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const e = parsed.data;
  return {
    dataDir: path.resolve(cwd, e.DEMO_DATA_DIR),
    botDataDir: path.resolve(cwd, e.DATA_DIR),
    adminIds: (e.DEMO_ADMIN_IDS ?? '').split(',').map((id) => id.trim()).filter(Boolean),
    apiToken: e.ADMIN_API_TOKEN,
    port: e.PORT,
    devIdpPort: e.DEV_IDP_PORT,
    logLevel: e.LOG_LEVEL,
  };
}

/** A database URL without its credentials: host, port and database name. */
function describeDatabase(url: string): string {
  const { hostname, port, pathname } = new URL(url);
  return `${hostname}:${port || '5432'}${pathname || '/'}`;
}
