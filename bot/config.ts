import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An unset variable and an empty one mean the same: not configured. */
const optionalText = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().optional());

const envSchema = z
  .object({
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MicrosoftAppTenantId: optionalText,
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: optionalText,
    DATA_DIR: z.string().trim().min(1).default('./data'),
    DEFAULT_TENANT_ID: z.string().trim().min(1).max(128).default('local-tenant'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.MicrosoftAppId && env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required when MicrosoftAppId is set' });
    }
    if (env.MicrosoftAppType === 'SingleTenant' && env.MicrosoftAppId && !env.MicrosoftAppTenantId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: 'is required for a SingleTenant bot' });
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
    readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    readonly tenantId?: string;
  };
  readonly port: number;
  /** Interface to listen on: loopback unless the bot is authenticated or HOST says otherwise. */
  readonly host: string;
  readonly dataDir: string;
  /** Organization used for people who talk to the bot outside Teams (Emulator, Web Chat). */
  readonly defaultTenantId: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
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
      appType: e.MicrosoftAppType,
      tenantId: e.MicrosoftAppTenantId,
    },
    port: e.PORT,
    // An unauthenticated bot must not be reachable from other machines.
    host: e.HOST ?? (e.MicrosoftAppId ? '0.0.0.0' : '127.0.0.1'),
    dataDir: path.resolve(cwd, e.DATA_DIR),
    defaultTenantId: e.DEFAULT_TENANT_ID,
    logLevel: e.LOG_LEVEL,
  };
}

/** A one-line summary of the configuration that is safe to log (no secrets). */
export function describeConfig(config: AppConfig): Record<string, unknown> {
  return {
    auth: config.botAuth.appId ? `${config.botAuth.appType} app ${config.botAuth.appId}` : 'none (local development)',
    listen: `${config.host}:${config.port}`,
    dataDir: config.dataDir,
    defaultTenantId: config.defaultTenantId,
    logLevel: config.logLevel,
  };
}
