// How the chaos run measures orders stalling at a fault (chaos/stall.ts): the rate of status changes
// before and after it, the longest pause, and the time until half the rate is back.
import { stallAt } from '../../chaos/stall';

/** Status changes `perS` a second, evenly spread over [from, to). */
const steady = (from: number, to: number, perS: number): number[] =>
  Array.from({ length: Math.round((to - from) * perS) }, (_, i) => from + i / perS);

test('a fault that stops everything for 8 s: the rate drops, the pause and the stall are 8 s', () => {
  const times = [...steady(0, 100, 4), ...steady(108, 200, 4)];
  const stall = stallAt('frontend restarted', 100, times);
  expect(stall).toEqual({ what: 'frontend restarted', atS: 100, beforePerS: 4, afterPerS: 2.4, longestPauseS: 8, stalledS: 8 });
});

test('a fault that halves the rate briefly, or not at all, is no stall', () => {
  const times = [...steady(0, 100, 4), ...steady(100, 104, 2), ...steady(104, 200, 4)];
  expect(stallAt('history-1 SIGKILL', 100, times).stalledS).toBe(0);
  expect(stallAt('worker SIGKILL', 150, steady(0, 200, 4))).toMatchObject({ beforePerS: 4, afterPerS: 4, stalledS: 0 });
});

test('nothing flowing before the fault, or nothing back within two minutes: no stall can be told (null)', () => {
  expect(stallAt('matching SIGKILL', 10, steady(30, 60, 4)).stalledS).toBeNull();
  expect(stallAt('matching SIGKILL', 100, steady(0, 100, 4))).toMatchObject({ afterPerS: 0, longestPauseS: 20, stalledS: null });
});
