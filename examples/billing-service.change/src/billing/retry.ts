// Retry helpers for outgoing HTTP calls. The client decides what is retryable; this
// module only decides when to try again.

export interface RetryPolicy {
  /** Total tries, including the first one. */
  maxAttempts: number;
  /** Upper bound of the first wait; doubles with every attempt. */
  baseDelayMs: number;
  /** No wait is ever longer than this. */
  maxDelayMs: number;
}

export type Sleep = (ms: number) => Promise<void>;

/** A source of numbers in [0, 1), Math.random by default. */
export type Random = () => number;

export type Verdict = { retry: false } | { retry: true; minDelayMs?: number };

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wait before the retry that follows failed attempt `attempt` (1-based): full jitter over
 * an exponential ceiling, raised to `minDelayMs` when the server asked for it.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: Random = Math.random, minDelayMs = 0): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.min(policy.maxDelayMs, Math.max(jittered, minDelayMs));
}

/**
 * Calls `fn` until it succeeds, `classify` says fail, or the attempts run out.
 * The last error is rethrown unchanged; there is no wait after the last attempt.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  classify: (err: unknown) => Verdict,
  sleep: Sleep = realSleep,
  random: Random = Math.random,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const verdict = classify(err);
      if (attempt >= policy.maxAttempts || !verdict.retry) throw err;
      await sleep(backoffDelay(attempt, policy, random, verdict.minDelayMs));
    }
  }
}
