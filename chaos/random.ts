// A seeded generator, so a chaos run with the same --seed makes the same orders, faults and
// moments (the machine's timing still varies: what the seed fixes is the plan, not the race).
import { mulberry32 } from '../lib/random';

export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A number in [min, max). */
  between(min: number, max: number): number;
  /** A generator of its own, for one part of the run, so adding draws elsewhere changes nothing here. */
  fork(label: string): Random;
}

function hash(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

export function seededRandom(seed: number): Random {
  const next = mulberry32(seed);
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    between: (min, max) => min + next() * (max - min),
    fork: (label) => seededRandom((seed ^ hash(label)) >>> 0),
  };
  return random;
}
