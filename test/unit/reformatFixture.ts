// Files before and after a formatter run (prettier, black, gofmt: written out as they print),
// with and without an edit, and rewrites that keep the identifiers, the order or the template
// of the file (reformatRewrite.test.ts).


/** A JavaScript module as written by hand: single quotes, no semicolons, four-space indents, long lines. */
export const JS_BEFORE = `import { readFile } from 'node:fs/promises'
import path from 'node:path'

const DEFAULTS = { retries: 3, delayMs: 200, factor: 2 }

export function backoff(attempt, opts = {}) {
    const { delayMs, factor } = { ...DEFAULTS, ...opts }
    return delayMs * Math.pow(factor, attempt)
}

export async function loadConfig(dir) {
    const file = path.join(dir, 'retry.json')
    let text
    try { text = await readFile(file, 'utf8') }
    catch (err) {
        if (err.code === 'ENOENT') return { ...DEFAULTS }
        throw err
    }
    const parsed = JSON.parse(text)
    return { retries: parsed.retries ?? DEFAULTS.retries, delayMs: parsed.delayMs ?? DEFAULTS.delayMs, factor: parsed.factor ?? DEFAULTS.factor }
}

export async function withRetry(fn, opts = {}) {
    const { retries } = { ...DEFAULTS, ...opts }
    let lastError
    for (let attempt = 0; attempt <= retries; attempt++) {
        try {
            return await fn(attempt)
        } catch (err) {
            lastError = err
            if (attempt === retries) break
            await new Promise(resolve => setTimeout(resolve, backoff(attempt, opts)))
        }
    }
    throw lastError
}

export function describe(opts) {
    const o = { ...DEFAULTS, ...opts }
    return 'retries=' + o.retries + ', delay=' + o.delayMs + 'ms, factor=' + o.factor
}
`;

/** JS_BEFORE through prettier, with a jitter option added (three lines). */
export const JS_PRETTIER_EDIT = `import { readFile } from "node:fs/promises";
import path from "node:path";

const DEFAULTS = { retries: 3, delayMs: 200, factor: 2, jitter: 0 };

export function backoff(attempt, opts = {}) {
  const { delayMs, factor } = { ...DEFAULTS, ...opts };
  const { jitter } = { ...DEFAULTS, ...opts };
  return delayMs * Math.pow(factor, attempt) + Math.random() * jitter;
}

export async function loadConfig(dir) {
  const file = path.join(dir, "retry.json");
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if (err.code === "ENOENT") return { ...DEFAULTS };
    throw err;
  }
  const parsed = JSON.parse(text);
  return {
    retries: parsed.retries ?? DEFAULTS.retries,
    delayMs: parsed.delayMs ?? DEFAULTS.delayMs,
    factor: parsed.factor ?? DEFAULTS.factor,
  };
}

export async function withRetry(fn, opts = {}) {
  const { retries } = { ...DEFAULTS, ...opts };
  let lastError;
  for (let attempt = 0; attempt <= retries; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      lastError = err;
      if (attempt === retries) break;
      await new Promise((resolve) => setTimeout(resolve, backoff(attempt, opts)));
    }
  }
  throw lastError;
}

export function describe(opts) {
  const o = { ...DEFAULTS, ...opts };
  return "retries=" + o.retries + ", delay=" + o.delayMs + "ms, factor=" + o.factor;
}
`;

/** JS_BEFORE rewritten, prettier style: the same names and strings, other logic (recursion, `catch`, `Object.fromEntries`). */
export const JS_LOGIC = `import { readFile } from "node:fs/promises";
import path from "node:path";

const DEFAULTS = { retries: 3, delayMs: 200, factor: 2 };

export function backoff(attempt, opts = {}) {
  const { delayMs, factor } = { ...DEFAULTS, ...opts };
  return Math.min(delayMs * factor ** attempt, 30_000);
}

export async function loadConfig(dir) {
  const file = path.join(dir, "retry.json");
  const text = await readFile(file, "utf8").catch((err) => {
    if (err.code !== "ENOENT") throw err;
    return "{}";
  });
  const parsed = JSON.parse(text);
  return Object.fromEntries(
    Object.entries(DEFAULTS).map(([key, value]) => [key, parsed[key] ?? value]),
  );
}

export async function withRetry(fn, opts = {}, attempt = 0) {
  const { retries } = { ...DEFAULTS, ...opts };
  try {
    return await fn(attempt);
  } catch (err) {
    if (attempt >= retries) throw err;
    await new Promise((resolve) => setTimeout(resolve, backoff(attempt, opts)));
    return withRetry(fn, opts, attempt + 1);
  }
}

export function describe(opts) {
  const o = { ...DEFAULTS, ...opts };
  return \`retries=\${o.retries}, delay=\${o.delayMs}ms, factor=\${o.factor}\`;
}
`;

/** JS_BEFORE through prettier, its functions in reverse order. */
export const JS_REORDERED = `import { readFile } from "node:fs/promises";
import path from "node:path";

const DEFAULTS = { retries: 3, delayMs: 200, factor: 2 };

export function describe(opts) {
  const o = { ...DEFAULTS, ...opts };
  return "retries=" + o.retries + ", delay=" + o.delayMs + "ms, factor=" + o.factor;
}

export async function withRetry(fn, opts = {}) {
  const { retries } = { ...DEFAULTS, ...opts };
  let lastError;
  for (let attempt = 0; attempt <= retries; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      lastError = err;
      if (attempt === retries) break;
      await new Promise((resolve) => setTimeout(resolve, backoff(attempt, opts)));
    }
  }
  throw lastError;
}

export async function loadConfig(dir) {
  const file = path.join(dir, "retry.json");
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if (err.code === "ENOENT") return { ...DEFAULTS };
    throw err;
  }
  const parsed = JSON.parse(text);
  return {
    retries: parsed.retries ?? DEFAULTS.retries,
    delayMs: parsed.delayMs ?? DEFAULTS.delayMs,
    factor: parsed.factor ?? DEFAULTS.factor,
  };
}

export function backoff(attempt, opts = {}) {
  const { delayMs, factor } = { ...DEFAULTS, ...opts };
  return delayMs * Math.pow(factor, attempt);
}
`;

/** Another module from the same template, prettier style: a rate limiter in place of the retries. */
export const JS_BOILERPLATE = `import { readFile } from "node:fs/promises";
import path from "node:path";

const DEFAULTS = { limit: 100, windowMs: 1000, burst: 10 };

export function refill(elapsed, opts = {}) {
  const { limit, windowMs } = { ...DEFAULTS, ...opts };
  return Math.floor((elapsed / windowMs) * limit);
}

export async function loadLimits(dir) {
  const file = path.join(dir, "limits.json");
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if (err.code === "ENOENT") return { ...DEFAULTS };
    throw err;
  }
  const parsed = JSON.parse(text);
  return {
    limit: parsed.limit ?? DEFAULTS.limit,
    windowMs: parsed.windowMs ?? DEFAULTS.windowMs,
    burst: parsed.burst ?? DEFAULTS.burst,
  };
}

export async function withLimit(fn, opts = {}) {
  const { limit, burst } = { ...DEFAULTS, ...opts };
  let tokens = burst;
  for (let call = 0; call < limit; call++) {
    if (tokens === 0) {
      await new Promise((resolve) => setTimeout(resolve, refill(call, opts)));
      tokens = burst;
    }
    tokens--;
    return await fn(call);
  }
  throw new Error("limit reached");
}

export function describe(opts) {
  const o = { ...DEFAULTS, ...opts };
  return "limit=" + o.limit + ", window=" + o.windowMs + "ms, burst=" + o.burst;
}
`;

/** A Python module as written by hand: single quotes, no spaces, one-line `if` bodies. */
export const PY_BEFORE = `import json,os
from dataclasses import dataclass,field

DEFAULTS={'retries':3,'delay':0.2,'factor':2}
@dataclass
class Policy:
    retries:int=3
    delay:float=0.2
    factor:float=2
    codes:list=field(default_factory=lambda:[500,502,503])
    def backoff(self,attempt):
        return self.delay*self.factor**attempt
    def should_retry(self,attempt,code):
        return attempt<self.retries and code in self.codes
def load_policy(path):
    if not os.path.exists(path): return Policy()
    with open(path,encoding='utf-8') as f:
        data=json.load(f)
    return Policy(retries=data.get('retries',DEFAULTS['retries']),delay=data.get('delay',DEFAULTS['delay']),factor=data.get('factor',DEFAULTS['factor']))
def run(fn,policy=None):
    policy=policy or Policy()
    attempt=0
    while True:
        try:
            return fn()
        except OSError as err:
            code=getattr(err,'errno',0)
            if not policy.should_retry(attempt,code): raise
            time.sleep(policy.backoff(attempt))
            attempt+=1
def describe(policy):
    return 'retries=%d delay=%.1fs factor=%g'%(policy.retries,policy.delay,policy.factor)
`;

/** PY_BEFORE through black, with the missing `import time` and a `max_delay` cap added. */
export const PY_BLACK_EDIT = `import json, os, time
from dataclasses import dataclass, field

DEFAULTS = {"retries": 3, "delay": 0.2, "factor": 2}


@dataclass
class Policy:
    retries: int = 3
    delay: float = 0.2
    factor: float = 2
    max_delay: float = 30.0
    codes: list = field(default_factory=lambda: [500, 502, 503])

    def backoff(self, attempt):
        return min(self.delay * self.factor**attempt, self.max_delay)

    def should_retry(self, attempt, code):
        return attempt < self.retries and code in self.codes


def load_policy(path):
    if not os.path.exists(path):
        return Policy()
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return Policy(
        retries=data.get("retries", DEFAULTS["retries"]),
        delay=data.get("delay", DEFAULTS["delay"]),
        factor=data.get("factor", DEFAULTS["factor"]),
    )


def run(fn, policy=None):
    policy = policy or Policy()
    attempt = 0
    while True:
        try:
            return fn()
        except OSError as err:
            code = getattr(err, "errno", 0)
            if not policy.should_retry(attempt, code):
                raise
            time.sleep(policy.backoff(attempt))
            attempt += 1


def describe(policy):
    return "retries=%d delay=%.1fs factor=%g" % (
        policy.retries,
        policy.delay,
        policy.factor,
    )
`;

/** PY_BEFORE rewritten, black style: the same names, other logic (a `for` loop, `**` unpacking, an f-string). */
export const PY_LOGIC = `import json, os
from dataclasses import dataclass, field

DEFAULTS = {"retries": 3, "delay": 0.2, "factor": 2}


@dataclass
class Policy:
    retries: int = 3
    delay: float = 0.2
    factor: float = 2
    codes: list = field(default_factory=lambda: [500, 502, 503])

    def backoff(self, attempt):
        return self.delay * self.factor**attempt

    def should_retry(self, attempt, code):
        return attempt < self.retries and code in self.codes


def load_policy(path):
    try:
        with open(path, encoding="utf-8") as f:
            return Policy(**{**DEFAULTS, **json.load(f)})
    except FileNotFoundError:
        return Policy()


def run(fn, policy=None):
    policy = policy or Policy()
    attempt = 0
    for attempt in range(policy.retries + 1):
        try:
            return fn()
        except OSError as err:
            if attempt == policy.retries or err.errno not in policy.codes:
                raise
            time.sleep(policy.backoff(attempt))


def describe(policy):
    return f"retries={policy.retries} delay={policy.delay:.1f}s factor={policy.factor:g}"
`;

/** A Go file as written by hand: two-space indents, no spaces around operators, `{` against the signature. */
export const GO_BEFORE = `package retry

import (
  "errors"
  "time"
)

type Policy struct{
  Retries int
  Delay time.Duration
  Factor float64
}

var ErrGaveUp=errors.New("retry: gave up")

func (p Policy) Backoff(attempt int) time.Duration{
  d:=float64(p.Delay)
  for i:=0;i<attempt;i++ { d*=p.Factor }
  return time.Duration(d)
}

func Do(p Policy, fn func(attempt int) error) error{
  var last error
  for attempt:=0;attempt<=p.Retries;attempt++ {
    if err:=fn(attempt);err==nil {
      return nil
    } else {
      last=err
    }
    if attempt<p.Retries { time.Sleep(p.Backoff(attempt)) }
  }
  return errors.Join(ErrGaveUp,last)
}

func Default() Policy{
  return Policy{Retries:3,Delay:200*time.Millisecond,Factor:2}
}
`;

/** GO_BEFORE through gofmt. */
export const GO_GOFMT = `package retry

import (
	"errors"
	"time"
)

type Policy struct {
	Retries int
	Delay   time.Duration
	Factor  float64
}

var ErrGaveUp = errors.New("retry: gave up")

func (p Policy) Backoff(attempt int) time.Duration {
	d := float64(p.Delay)
	for i := 0; i < attempt; i++ {
		d *= p.Factor
	}
	return time.Duration(d)
}

func Do(p Policy, fn func(attempt int) error) error {
	var last error
	for attempt := 0; attempt <= p.Retries; attempt++ {
		if err := fn(attempt); err == nil {
			return nil
		} else {
			last = err
		}
		if attempt < p.Retries {
			time.Sleep(p.Backoff(attempt))
		}
	}
	return errors.Join(ErrGaveUp, last)
}

func Default() Policy {
	return Policy{Retries: 3, Delay: 200 * time.Millisecond, Factor: 2}
}
`;

/** GO_GOFMT with a cap on the delay added (three lines). */
export const GO_GOFMT_EDIT = `package retry

import (
	"errors"
	"time"
)

type Policy struct {
	Retries int
	Delay   time.Duration
	Factor  float64
}

var ErrGaveUp = errors.New("retry: gave up")

func (p Policy) Backoff(attempt int) time.Duration {
	d := float64(p.Delay)
	for i := 0; i < attempt; i++ {
		d *= p.Factor
	}
	if max := 30 * time.Second; time.Duration(d) > max {
		return max
	}
	return time.Duration(d)
}

func Do(p Policy, fn func(attempt int) error) error {
	var last error
	for attempt := 0; attempt <= p.Retries; attempt++ {
		if err := fn(attempt); err == nil {
			return nil
		} else {
			last = err
		}
		if attempt < p.Retries {
			time.Sleep(p.Backoff(attempt))
		}
	}
	return errors.Join(ErrGaveUp, last)
}

func Default() Policy {
	return Policy{Retries: 3, Delay: 200 * time.Millisecond, Factor: 2}
}
`;
