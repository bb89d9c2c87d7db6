import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assertProductionSignIn, ConfigError, loadConfig } from '../../../bot/config.js';
import { DevProviderInProductionError, startDevIdentityProvider } from '../../../bot/signin/devIdp/devIdentityProvider.js';
import { silentLogger } from '../../../bot/logger.js';
import { loadSignInSecret, SECRET_FILE } from '../../../bot/signin/signInSetup.js';
import { createI18n } from '../../../locales/i18n.js';
import { translatorFor } from '../../../locales/translate.js';

const production = { MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppTenantId: '72f988bf-0000-0000-0000-000000000001' };

describe('sign-in configuration', () => {
  it('defaults to the development provider on port 3979 and a loopback public URL on the bot’s port', () => {
    const config = loadConfig({ PORT: '4000' });
    assert.equal(config.signIn.publicBaseUrl, 'http://127.0.0.1:4000');
    assert.equal(config.signIn.oidc, undefined);
    assert.equal(config.signIn.devIdpPort, 3979);
    assert.equal(config.signIn.secret, undefined);
  });

  it('reads the issuer, client, MCID claim and secret, and drops a trailing slash from the public URL', () => {
    const config = loadConfig({
      PUBLIC_BASE_URL: 'https://bot.contoso.com/',
      OIDC_ISSUER: 'https://login.example.com/tenant/v2.0',
      OIDC_CLIENT_ID: 'client',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_MCID_CLAIM: 'mcid',
      SIGNIN_SECRET: 'z'.repeat(40),
    });
    assert.equal(config.signIn.publicBaseUrl, 'https://bot.contoso.com');
    assert.deepEqual(config.signIn.oidc, { issuer: 'https://login.example.com/tenant/v2.0', clientId: 'client', clientSecret: 'secret' });
    assert.equal(config.signIn.mcidClaim, 'mcid');
  });

  for (const [what, env, variable] of [
    ['a plain-http issuer off loopback', { OIDC_ISSUER: 'http://login.example.com', OIDC_CLIENT_ID: 'c' }, 'OIDC_ISSUER'],
    ['an issuer without a client id', { OIDC_ISSUER: 'https://login.example.com' }, 'OIDC_CLIENT_ID'],
    ['a client id without an issuer', { OIDC_CLIENT_ID: 'c' }, 'OIDC_ISSUER'],
    ['a short sign-in secret', { SIGNIN_SECRET: 'short' }, 'SIGNIN_SECRET'],
    ['a public URL that is not http(s)', { PUBLIC_BASE_URL: 'ftp://bot.example.com' }, 'PUBLIC_BASE_URL'],
    ['a public URL with a query', { PUBLIC_BASE_URL: 'https://bot.example.com/?x=1' }, 'PUBLIC_BASE_URL'],
  ] as const) {
    it(`refuses ${what}`, () => {
      assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith(variable)));
    });
  }

  it('refuses a production configuration without an issuer or without an https public URL, naming both', () => {
    assert.throws(
      () => assertProductionSignIn(loadConfig(production)),
      (error: unknown) =>
        error instanceof ConfigError &&
        /OIDC_ISSUER: .*development identity provider never runs in production/.test(error.message) &&
        /PUBLIC_BASE_URL/.test(error.message),
    );
    const ok = loadConfig({ ...production, PUBLIC_BASE_URL: 'https://bot.contoso.com', OIDC_ISSUER: 'https://login.example.com', OIDC_CLIENT_ID: 'c' });
    assert.doesNotThrow(() => assertProductionSignIn(ok));
    assert.doesNotThrow(() => assertProductionSignIn(loadConfig({})));
  });

  it('stops `npm start` with that message when MicrosoftAppId is set and no issuer is', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'mcid-start-'));
    try {
      const entry = fileURLToPath(new URL('../../../bot/index.ts', import.meta.url));
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
      const result = spawnSync(process.execPath, ['--import', tsx, entry], {
        cwd,
        env: { PATH: process.env.PATH, ...production, DATA_DIR: path.join(cwd, 'data'), LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, /OIDC_ISSUER: is required when MicrosoftAppId is set: the development identity provider never runs in production/);
      assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, 'a message, not a stack trace');
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});

describe('the development identity provider', () => {
  it('refuses to start when the bot has an app id (production)', async () => {
    const i18n = await createI18n();
    await assert.rejects(
      startDevIdentityProvider({
        port: 0,
        redirectUris: ['http://127.0.0.1:1/signin/callback'],
        mcidClaim: 'mcid',
        botAppId: 'app',
        translate: (locale) => translatorFor(i18n, locale),
        logger: silentLogger(),
      }),
      DevProviderInProductionError,
    );
  });

  it('listens on 127.0.0.1 only and serves a standard discovery document', async () => {
    const i18n = await createI18n();
    const provider = await startDevIdentityProvider({
      port: 0,
      redirectUris: ['http://127.0.0.1:1/signin/callback'],
      mcidClaim: 'mcid',
      translate: (locale) => translatorFor(i18n, locale),
      logger: silentLogger(),
    });
    try {
      assert.match(provider.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
      const discovery = (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      assert.equal(discovery.issuer, provider.issuer);
      assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
      assert.equal(discovery.claims_parameter_supported, true);
    } finally {
      await provider.close();
    }
  });
});

describe('the generated sign-in secret', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mcid-secret-'));
  });
  afterEach(async () => rm(dataDir, { recursive: true, force: true }));

  it('is generated once in the data directory, readable by its owner only, and kept', async () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    const first = await loadSignInSecret(config, silentLogger());
    const second = await loadSignInSecret(config, silentLogger());
    assert.equal(first, second);
    assert.ok(first.length >= 32);
    assert.equal((await stat(path.join(dataDir, SECRET_FILE))).mode & 0o777, 0o600);
  });

  it('is made owner-only again if its permissions were loosened', async () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    await loadSignInSecret(config, silentLogger());
    await chmod(path.join(dataDir, SECRET_FILE), 0o644);
    await loadSignInSecret(config, silentLogger());
    assert.equal((await stat(path.join(dataDir, SECRET_FILE))).mode & 0o777, 0o600);
  });

  it('is not generated when SIGNIN_SECRET is configured', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, SIGNIN_SECRET: 'q'.repeat(32) });
    assert.equal(await loadSignInSecret(config, silentLogger()), 'q'.repeat(32));
    await assert.rejects(readFile(path.join(dataDir, SECRET_FILE)));
  });
});
