import assert from 'node:assert/strict';
import path from 'node:path';
import { ConfigError, describeConfig, loadConfig, loadDemoConfig } from '../../bot/config.js';
import { createCloudAdapter } from '../../bot/createBot.js';

describe('loadConfig', () => {
  it('runs with no variables at all: no authentication, port 3978, ./data, loopback only', () => {
    const config = loadConfig({}, '/srv/bot');
    assert.equal(config.botAuth.appId, undefined);
    assert.equal(config.botAuth.appType, undefined, 'no registration, no type: the SDK runs unauthenticated');
    assert.equal(config.port, 3978);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.dataDir, path.resolve('/srv/bot', './data'));
    assert.equal(config.defaultTenantId, 'local-tenant');
    assert.equal(config.logLevel, 'info');
  });

  it('treats empty variables as unset, as .env files often leave them', () => {
    const config = loadConfig({ MicrosoftAppId: '', MicrosoftAppPassword: '  ', PORT: '4000' });
    assert.equal(config.botAuth.appId, undefined);
    assert.equal(config.port, 4000);
  });

  it('listens on every interface once the bot is authenticated', () => {
    const config = loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', MicrosoftAppTenantId: 'tenant-1' });
    assert.equal(config.host, '0.0.0.0');
  });

  it('takes a bot as single-tenant unless told otherwise, as Azure registers new bots since July 2025', () => {
    const config = loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', MicrosoftAppTenantId: 'tenant-1' });
    assert.deepEqual([config.botAuth.appType, config.botAuth.tenantId], ['SingleTenant', 'tenant-1']);
    assert.throws(() => loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' }), /MicrosoftAppTenantId: is required for a SingleTenant bot \(the default type; MicrosoftAppType=MultiTenant/);
    const older = loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', MicrosoftAppType: 'MultiTenant' });
    assert.equal(older.botAuth.appType, 'MultiTenant');
    // .env.example names SingleTenant with the app id left empty: local use, unauthenticated, must still start.
    assert.equal(loadConfig({ MicrosoftAppType: 'SingleTenant', MicrosoftAppId: '' }).botAuth.appType, undefined);
    assert.doesNotThrow(() => createCloudAdapter(loadConfig({ MicrosoftAppType: 'SingleTenant', MicrosoftAppId: '' })));
  });

  it('lists every bad variable in one error', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', MicrosoftAppType: 'Shared' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const names = error.problems.map((p) => p.split(':')[0]);
        assert.deepEqual(names.sort(), ['LOG_LEVEL', 'MicrosoftAppType', 'PORT']);
        assert.match(error.message, /^Invalid configuration:\n {2}- /);
        return true;
      },
    );
  });

  it('refuses an app id without its password, and a single-tenant app without its tenant', () => {
    assert.throws(() => loadConfig({ MicrosoftAppId: 'app' }), /MicrosoftAppPassword: is required/);
    assert.throws(
      () => loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'SingleTenant' }),
      /MicrosoftAppTenantId: is required for a SingleTenant bot/,
    );
  });

  it('refuses a port outside 0-65535 (0 picks a free port)', () => {
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
  });

  it('never puts the password in the loggable summary', () => {
    const summary = JSON.stringify(describeConfig(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 's3cr3t-value', MicrosoftAppTenantId: 'tenant-1' })));
    assert.doesNotMatch(summary, /s3cr3t-value/);
    assert.match(summary, /SingleTenant app app/);
  });

  it('selects PostgreSQL with DATABASE_URL, requires the shared signing secrets then, and never logs its password', () => {
    const secrets = { SIGNIN_SECRET: 's'.repeat(32), REPORT_SECRET: 'r'.repeat(32) };
    const config = loadConfig({ DATABASE_URL: 'postgres://bot:pa55word@db.internal:6432/mcid', ...secrets });
    assert.equal(config.databaseUrl, 'postgres://bot:pa55word@db.internal:6432/mcid');
    const summary = JSON.stringify(describeConfig(config));
    assert.match(summary, /PostgreSQL db\.internal:6432\/mcid/);
    assert.doesNotMatch(summary, /pa55word/);
    assert.equal(loadConfig({}).databaseUrl, undefined);
    assert.match(JSON.stringify(describeConfig(loadConfig({}))), /embedded/);
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://db/x', ...secrets }), /DATABASE_URL: must be a postgres/);
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'postgresql://db/x' }),
      (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith('SIGNIN_SECRET')) && error.problems.some((p) => p.startsWith('REPORT_SECRET')),
    );
  });
});

describe('loadDemoConfig', () => {
  it('keeps the demo in ./data-demo apart from ./data, with local-user as its only admin, when nothing is set', () => {
    const demo = loadDemoConfig({}, '/srv/bot');
    assert.equal(demo.dataDir, path.resolve('/srv/bot', './data-demo'));
    assert.equal(demo.botDataDir, path.resolve('/srv/bot', './data'));
    assert.deepEqual(demo.adminIds, []);
    assert.equal(demo.apiToken, undefined);
    assert.deepEqual([demo.port, demo.devIdpPort, demo.logLevel], [3978, 3979, 'info']);
  });

  it('reads the extra admins, the ports, the log level and the API token, and ignores the Bot Framework settings', () => {
    const demo = loadDemoConfig({
      DEMO_DATA_DIR: '/tmp/demo', DEMO_ADMIN_IDS: ' emu-1 , emu-2 ', PORT: '4000', DEV_IDP_PORT: '0', LOG_LEVEL: 'warn',
      ADMIN_API_TOKEN: 't'.repeat(32), MicrosoftAppId: 'app',
    });
    assert.equal(demo.dataDir, '/tmp/demo');
    assert.deepEqual(demo.adminIds, ['emu-1', 'emu-2']);
    assert.deepEqual([demo.port, demo.devIdpPort, demo.logLevel, demo.apiToken], [4000, 0, 'warn', 't'.repeat(32)]);
  });

  it('lists every bad demo variable in one error', () => {
    assert.throws(
      () => loadDemoConfig({ DEMO_ADMIN_IDS: 'a b;c', PORT: 'eighty', ADMIN_API_TOKEN: 'short' }),
      (error: unknown) => error instanceof ConfigError && error.problems.map((p) => p.split(':')[0]).sort().join() === 'ADMIN_API_TOKEN,DEMO_ADMIN_IDS,PORT',
    );
  });
});
