// BillingClient: the one place that talks to the Ledgerly billing API.

import { billingConfig, type BillingConfig } from './config.ts';
import { realSleep, withRetry, type Sleep } from './retry.ts';

export interface Charge {
  id: string;
  customerId: string;
  amountCents: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed' | 'refunded';
}

export interface Invoice {
  id: string;
  customerId: string;
  totalCents: number;
  lines: { description: string; amountCents: number }[];
}

export class BillingError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'BillingError';
  }
}

export interface BillingClientOptions extends Partial<BillingConfig> {
  apiKey: string;
  fetch?: typeof fetch;
  sleep?: Sleep;
}

export class BillingClient {
  private readonly config: BillingConfig;
  private readonly apiKey: string;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: Sleep;

  constructor(options: BillingClientOptions) {
    const { apiKey, fetch: fetchImpl, sleep, ...overrides } = options;
    if (!apiKey) throw new Error('BillingClient needs an apiKey');
    this.config = billingConfig(overrides);
    this.apiKey = apiKey;
    this.fetchImpl = fetchImpl ?? fetch;
    this.sleep = sleep ?? realSleep;
  }

  createCharge(customerId: string, amountCents: number, currency = 'EUR', idempotencyKey?: string): Promise<Charge> {
    return this.request<Charge>('POST', '/charges', { customerId, amountCents, currency }, idempotencyKey);
  }

  refundCharge(chargeId: string, idempotencyKey?: string): Promise<Charge> {
    return this.request<Charge>('POST', `/charges/${encodeURIComponent(chargeId)}/refund`, {}, idempotencyKey);
  }

  getInvoice(invoiceId: string): Promise<Invoice> {
    return this.request<Invoice>('GET', `/invoices/${encodeURIComponent(invoiceId)}`);
  }

  private async request<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const policy = { maxAttempts: this.config.maxAttempts, stepMs: this.config.retryStepMs };
    return withRetry(
      async () => {
        const headers: Record<string, string> = {
          authorization: `Bearer ${this.apiKey}`,
          'content-type': 'application/json',
        };
        if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
        const res = await this.fetchImpl(this.config.baseUrl + path, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.config.timeoutMs),
        });
        if (!res.ok) {
          const detail = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
          throw new BillingError(detail.message ?? `billing API answered ${res.status}`, res.status, detail.code ?? 'unknown');
        }
        return (await res.json()) as T;
      },
      policy,
      (err) => err instanceof BillingError && err.status >= 500,
      this.sleep,
    );
  }
}

/** Formats an amount in cents for logs and e-mails: 1234, 'EUR' -> 'EUR 12.34'. */
export function formatAmount(amountCents: number, currency: string): string {
  const sign = amountCents < 0 ? '-' : '';
  const abs = Math.abs(amountCents);
  return `${currency} ${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
