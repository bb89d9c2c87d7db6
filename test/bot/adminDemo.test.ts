import assert from 'node:assert/strict';
import { defaultPolicy } from '../../rules/index.js';
import { SkillsReportService } from '../../services/admin/skillsReport.js';
import { createMemoryLedger } from '../../storage/index.js';
import { loadDemo, withRelativeDates } from '../../scripts/demo.js';

const now = new Date('2026-03-02T09:00:00Z');

describe('the demo organization', () => {
  it('writes demo dates relative to the day it starts', () => {
    assert.equal(withRelativeDates('a,@-1d,@+30d,@+0d', now), 'a,2026-03-01,2026-04-01,2026-03-02');
  });

  it('loads people, linked MCIDs, credentials and requirements that show every status, and loads again without change', async () => {
    const ledger = createMemoryLedger();
    const { tenantId, roster } = await loadDemo(ledger, now);
    assert.equal(tenantId, 'demo-contoso');
    assert.ok(roster.some((m) => m.email === 'sofia@contoso.example'), 'someone to add in chat');
    const statuses = await new SkillsReportService({ ledger, policy: defaultPolicy, clock: () => now }).status(tenantId);
    assert.deepEqual(statuses.map((s) => [s.requirement.competency, s.status]), [['azure', 'at-risk'], ['data-ai', 'not-met'], ['modern-work', 'met'], ['security', 'at-risk']]);
    const snapshot = async () => JSON.stringify(await Promise.all((['people', 'associations', 'credentials', 'requirements'] as const).map((c) => ledger.scan(c))));
    const before = await snapshot();
    await loadDemo(ledger, now);
    assert.equal(await snapshot(), before);
  });
});
