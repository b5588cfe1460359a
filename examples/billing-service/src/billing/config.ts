// Defaults for the billing client. Callers may override any of them per client.

export interface BillingConfig {
  baseUrl: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /** How many times a failed request is tried in total (1 = no retry). */
  maxAttempts: number;
  /** Delay added per attempt by the linear schedule, in milliseconds. */
  retryStepMs: number;
}

export const DEFAULT_BILLING_CONFIG: BillingConfig = {
  baseUrl: 'https://api.ledgerly.example/v2',
  timeoutMs: 10_000,
  maxAttempts: 3,
  retryStepMs: 250,
};

export function billingConfig(overrides: Partial<BillingConfig> = {}): BillingConfig {
  const config = { ...DEFAULT_BILLING_CONFIG, ...overrides };
  if (!Number.isInteger(config.maxAttempts) || config.maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${config.maxAttempts}`);
  }
  return config;
}
