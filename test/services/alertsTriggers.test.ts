import assert from 'node:assert/strict';
import { defaultPolicy } from '../../rules/index.js';
import type { ChangeCause } from '../../services/alerts.js';
import { AlertingAssociationService } from '../../services/alertsTriggers.js';
import { createMemoryLedger, personKey } from '../../storage/index.js';
import { ALERT_NOW, seedAlertOrg } from '../support/alertFixtures.js';

describe('AlertingAssociationService', () => {
  async function setUp() {
    const ledger = createMemoryLedger();
    await seedAlertOrg(ledger);
    await ledger.transact((tx) => tx.put('people', personKey('tenant-b', 'p0b'), { id: 'p0b', tenantId: 'tenant-b', displayName: 'Person Zero', role: 'member' }));
    const calls: [string, ChangeCause][] = [];
    let fail = false;
    const errors: unknown[] = [];
    const alerts = {
      async reevaluate(tenantId: string, cause: ChangeCause) {
        calls.push([tenantId, cause]);
        if (fail) throw new Error('store down');
        return { transitions: [], alerts: [], deliveries: 0 };
      },
    };
    let n = 0;
    const service = new AlertingAssociationService({ ledger, policy: defaultPolicy, clock: () => ALERT_NOW, newId: () => `id-${++n}` }, alerts, (e) => errors.push(e));
    return { ledger, service, calls, errors, failNext: () => (fail = true) };
  }

  it('re-evaluates the organization after an unlink, and not after an unlink that changed nothing', async () => {
    const { service, calls } = await setUp();
    const outcome = await service.unlink({ personId: 'p0', tenantId: 'tenant-contoso', kind: 'learn', nonce: 'nonce-0001' });
    assert.equal(outcome.kind, 'unlinked');
    assert.equal((await service.unlink({ personId: 'p0', tenantId: 'tenant-contoso', kind: 'learn', nonce: 'nonce-0001' })).kind, 'already-done');
    assert.deepEqual(calls, [['tenant-contoso', 'unlink']]);
  });

  it('re-evaluates both organizations when a link moves an MCID', async () => {
    const { service, calls } = await setUp();
    const outcome = await service.completeLink({ personId: 'p0b', tenantId: 'tenant-b', kind: 'learn', accountId: 'tenant-contoso-M0' });
    assert.equal(outcome.kind, 'linked');
    assert.deepEqual(calls, [['tenant-b', 'link'], ['tenant-contoso', 'move']]);
  });

  it('keeps the unlink when the re-evaluation fails, and reports the failure', async () => {
    const { service, ledger, errors, failNext } = await setUp();
    failNext();
    const outcome = await service.unlink({ personId: 'p0', tenantId: 'tenant-contoso', kind: 'learn', nonce: 'nonce-0002' });
    assert.equal(outcome.kind, 'unlinked');
    assert.ok(ledger.get('associations', 'tenant-contoso-a0')?.end);
    assert.equal(errors.length, 1);
  });
});
