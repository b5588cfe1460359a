// Defaults for the billing client. Callers may override any of them per client.

export interface BillingConfig {
  baseUrl: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /** How many times a failed request is tried in total (1 = no retry). */
  maxAttempts: number;
  /** Upper bound of the first retry wait, in milliseconds; doubles per attempt. */
  baseDelayMs: number;
  /** Cap on any single retry wait, in milliseconds. */
  maxDelayMs: number;
}

export const DEFAULT_BILLING_CONFIG: BillingConfig = {
  baseUrl: 'https://api.ledgerly.example/v2',
  timeoutMs: 10_000,
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
};

export function billingConfig(overrides: Partial<BillingConfig> = {}): BillingConfig {
  const config = { ...DEFAULT_BILLING_CONFIG, ...overrides };
  if (!Number.isInteger(config.maxAttempts) || config.maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${config.maxAttempts}`);
  }
  if (config.baseDelayMs < 0 || config.maxDelayMs < config.baseDelayMs) {
    throw new RangeError('retry delays must satisfy 0 <= baseDelayMs <= maxDelayMs');
  }
  return config;
}
