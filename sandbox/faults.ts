// Faults a sandbox carrier injects, so tests can drive every failure an adapter must survive.
// Deterministic on purpose: a fault fires on the next N matching calls (`times`), and an error
// rate (`probability` below 1) draws from a seeded generator, so a run repeats exactly.
import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import { mulberry32 } from '../lib/random';

/** Builds the schema of one fault; `operations` are the carrier's call names (token, ship, …). */
export function faultSchema(operations: readonly [string, ...string[]]) {
  const base = z.object({
    /** Only calls to these operations; every call to the carrier when absent. */
    on: z.array(z.enum(operations)).min(1).optional(),
    /** The next N matching calls; every matching call until cleared when absent. */
    times: z.number().int().min(1).optional(),
    /** Share of matching calls that fault (an error rate), drawn from `seed`. */
    probability: z.number().min(0).max(1).default(1),
    seed: z.number().int().default(1),
  });
  return z.discriminatedUnion('kind', [
    base.extend({ kind: z.literal('latency'), ms: z.number().int().min(1).max(120_000) }),
    base.extend({ kind: z.literal('error'), status: z.number().int().min(500).max(599).default(500) }),
    base.extend({ kind: z.literal('rate-limit'), retryAfterSeconds: z.number().int().min(0).max(3600).default(1) }),
    base.extend({ kind: z.literal('hang') }),
    base.extend({ kind: z.literal('down') }),
    base.extend({ kind: z.literal('malformed'), variant: z.enum(['invalid-json', 'wrong-shape']).default('invalid-json') }),
    base.extend({ kind: z.literal('lose-response') }),
  ]);
}

export type Fault = z.infer<ReturnType<typeof faultSchema>>;

interface Rule {
  fault: Fault;
  remaining: number;
  random: () => number;
}

/** The faults configured for one carrier, consumed call by call. */
export class FaultPlan {
  private rules: Rule[] = [];

  add(fault: Fault): void {
    this.rules.push({ fault, remaining: fault.times ?? Infinity, random: mulberry32(fault.seed) });
  }

  clear(): void {
    this.rules = [];
  }

  list(): Array<Fault & { remaining: number | null }> {
    return this.rules.map((r) => ({ ...r.fault, remaining: Number.isFinite(r.remaining) ? r.remaining : null }));
  }

  /** What happens to this call: added latency, then at most one failure (the first rule that fires). */
  draw(operation: string): { delayMs: number; failure?: Fault } {
    let delayMs = 0;
    let failure: Fault | undefined;
    for (const rule of this.rules) {
      const { fault } = rule;
      if (fault.on && !fault.on.includes(operation)) continue;
      if (failure && fault.kind !== 'latency') continue; // one failure per call; later rules keep their count
      if (rule.random() >= fault.probability) continue;
      rule.remaining -= 1;
      if (fault.kind === 'latency') delayMs += fault.ms;
      else failure = fault;
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return { delayMs, failure };
  }
}

/** Writes an error in the carrier's own body shape. */
export type ErrorWriter = (res: Response, status: number, message: string) => void;

/** Middleware that applies the plan to one operation before the carrier's own handler runs. */
export function injectFaults(plan: FaultPlan, operation: string, writeError: ErrorWriter): RequestHandler {
  return async (req, res, next) => {
    const { delayMs, failure } = plan.draw(operation);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    switch (failure?.kind) {
      case undefined:
        next();
        return;
      case 'error':
        writeError(res, failure.status, 'internal server error (injected)');
        return;
      case 'down':
        writeError(res, 503, 'service unavailable (injected: carrier down)');
        return;
      case 'rate-limit':
        res.set('Retry-After', String(failure.retryAfterSeconds));
        writeError(res, 429, 'rate limit exceeded (injected)');
        return;
      case 'hang':
        return; // never answer: the client's own timeout must end the call
      case 'malformed':
        // A 200 whose body is cut off mid-JSON, or valid JSON in a shape no client expects.
        res
          .status(200)
          .type('application/json')
          .send(failure.variant === 'invalid-json' ? '{"response": {"status": ' : '{"unexpected": ["shape"]}');
        return;
      case 'lose-response':
        // The operation runs (a shipment IS created), then the connection drops before any reply.
        res.send = (() => {
          req.socket.destroy();
          return res;
        }) as typeof res.send;
        next();
        return;
    }
  };
}
