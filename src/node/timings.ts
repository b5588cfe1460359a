// Opt-in phase timings for profiling (`SPECGATE_TIMINGS=1`): one stderr line per mark, in
// milliseconds since the process started. Costs one property read when off (perf_hooks is
// not even loaded then).
const on = !!process.env.SPECGATE_TIMINGS;

/** Writes `[specgate +123.4 ms] label` to stderr when timings are on. */
export function mark(label: string): void {
  if (on) process.stderr.write(`[specgate +${performance.now().toFixed(1)} ms] ${label}\n`);
}
