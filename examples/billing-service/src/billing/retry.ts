// Retry helpers for outgoing HTTP calls. The client decides what is retryable; this
// module only decides when to try again.

export interface RetryPolicy {
  /** Total tries, including the first one. */
  maxAttempts: number;
  /** Delay before try n+1 is n * stepMs. */
  stepMs: number;
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Delay before the retry that follows failed attempt `attempt` (1-based). */
export function linearDelay(attempt: number, stepMs: number): number {
  return attempt * stepMs;
}

/**
 * Calls `fn` until it succeeds, `isRetryable` says no, or the attempts run out.
 * The last error is rethrown unchanged.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  isRetryable: (err: unknown) => boolean,
  sleep: Sleep = realSleep,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= policy.maxAttempts || !isRetryable(err)) throw err;
      await sleep(linearDelay(attempt, policy.stepMs));
    }
  }
}
