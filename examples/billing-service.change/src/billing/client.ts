// BillingClient: the one place that talks to the Ledgerly billing API.

import { randomUUID } from 'node:crypto';
import { billingConfig, type BillingConfig } from './config.ts';
import { realSleep, withRetry, type Random, type Sleep, type Verdict } from './retry.ts';

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
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'BillingError';
  }
}

/** Thrown when every attempt failed with a retryable failure. */
export class BillingRetryExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(`billing API still failing after ${attempts} attempts`, { cause: lastError });
    this.name = 'BillingRetryExhaustedError';
  }
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** Retry 429/502/503/504 and timeouts (honouring Retry-After); fail on everything else. */
export function classifyFailure(err: unknown): Verdict {
  if (err instanceof BillingError) {
    if (!RETRYABLE_STATUS.has(err.status)) return { retry: false };
    return { retry: true, minDelayMs: err.retryAfterMs };
  }
  if (err instanceof DOMException && err.name === 'TimeoutError') return { retry: true };
  return { retry: false };
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or bad. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface BillingClientOptions extends Partial<BillingConfig> {
  apiKey: string;
  fetch?: typeof fetch;
  sleep?: Sleep;
  random?: Random;
}

export class BillingClient {
  private readonly config: BillingConfig;
  private readonly apiKey: string;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: Sleep;
  private readonly random: Random;

  constructor(options: BillingClientOptions) {
    const { apiKey, fetch: fetchImpl, sleep, random, ...overrides } = options;
    if (!apiKey) throw new Error('BillingClient needs an apiKey');
    this.config = billingConfig(overrides);
    this.apiKey = apiKey;
    this.fetchImpl = fetchImpl ?? fetch;
    this.sleep = sleep ?? realSleep;
    this.random = random ?? Math.random;
  }

  createCharge(customerId: string, amountCents: number, currency = 'EUR', idempotencyKey = randomUUID()): Promise<Charge> {
    return this.request<Charge>('POST', '/charges', { customerId, amountCents, currency }, idempotencyKey);
  }

  refundCharge(chargeId: string, idempotencyKey?: string): Promise<Charge> {
    return this.request<Charge>('POST', `/charges/${encodeURIComponent(chargeId)}/refund`, {}, idempotencyKey);
  }

  getInvoice(invoiceId: string): Promise<Invoice> {
    return this.request<Invoice>('GET', `/invoices/${encodeURIComponent(invoiceId)}`);
  }

  private async request<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.config;
    let attempts = 0;
    const call = withRetry(
      async (attempt) => {
        attempts = attempt;
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
          const retryAfterMs = res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
          throw new BillingError(detail.message ?? `billing API answered ${res.status}`, res.status, detail.code ?? 'unknown', retryAfterMs);
        }
        return (await res.json()) as T;
      },
      { maxAttempts, baseDelayMs, maxDelayMs },
      classifyFailure,
      this.sleep,
      this.random,
    );
    try {
      return await call;
    } catch (err) {
      if (attempts >= maxAttempts && classifyFailure(err).retry) throw new BillingRetryExhaustedError(attempts, err);
      throw err;
    }
  }
}

/** Formats an amount in cents for logs and e-mails: 1234, 'EUR' -> 'EUR 12.34'. */
export function formatAmount(amountCents: number, currency: string): string {
  const sign = amountCents < 0 ? '-' : '';
  const abs = Math.abs(amountCents);
  return `${currency} ${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
