import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BillingClient, BillingError, formatAmount } from '../src/billing/client.ts';

function fakeFetch(responses: { status: number; body: unknown }[]) {
  const calls: string[] = [];
  const impl = (async (url: string | URL | Request) => {
    calls.push(String(url));
    const next = responses.shift() ?? { status: 500, body: {} };
    return new Response(JSON.stringify(next.body), { status: next.status });
  }) as typeof fetch;
  return { impl, calls };
}

const noSleep = async () => {};

describe('BillingClient', () => {
  it('creates a charge', async () => {
    const { impl, calls } = fakeFetch([{ status: 200, body: { id: 'ch_1', status: 'succeeded' } }]);
    const client = new BillingClient({ apiKey: 'k', fetch: impl, sleep: noSleep });
    const charge = await client.createCharge('cus_1', 1250);
    assert.equal(charge.id, 'ch_1');
    assert.deepEqual(calls, ['https://api.ledgerly.example/v2/charges']);
  });

  it('retries a 503 and then succeeds', async () => {
    const { impl, calls } = fakeFetch([
      { status: 503, body: {} },
      { status: 200, body: { id: 'inv_9' } },
    ]);
    const client = new BillingClient({ apiKey: 'k', fetch: impl, sleep: noSleep });
    assert.equal((await client.getInvoice('inv_9')).id, 'inv_9');
    assert.equal(calls.length, 2);
  });

  it('does not retry a 402', async () => {
    const { impl, calls } = fakeFetch([{ status: 402, body: { code: 'card_declined' } }]);
    const client = new BillingClient({ apiKey: 'k', fetch: impl, sleep: noSleep });
    await assert.rejects(client.createCharge('cus_1', 100), (e: unknown) => e instanceof BillingError && e.code === 'card_declined');
    assert.equal(calls.length, 1);
  });
});

describe('formatAmount', () => {
  it('formats cents', () => {
    assert.equal(formatAmount(1234, 'EUR'), 'EUR 12.34');
    assert.equal(formatAmount(-5, 'USD'), 'USD -0.05');
  });
});
