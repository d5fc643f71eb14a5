// Each run takes its workflow's patches in its first workflow task (docs/upgrading.md, the traps):
// a patch the code asks for but its workflow's list misses is first taken wherever the code asks,
// which may be after a local activity, where a query makes live and replay disagree.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTRACT_PATCHES, ORDER_PATCHES, PATCHES, SHIPMENT_PATCHES } from '../../workflows/patches';
import { ROOT } from '../helpers/env';

/** The patches asked for in `files` (paths under workflows/), by value. */
function patchesAskedIn(files: string[]): string[] {
  const ids = files.flatMap((file) => [
    ...readFileSync(path.join(ROOT, 'workflows', file), 'utf8').matchAll(/(?:patched|taken)\(PATCHES\.(\w+)\)/g),
  ]);
  return [...new Set(ids.map(([, key]) => PATCHES[key as keyof typeof PATCHES]))].sort();
}

const under = (dir: string) => readdirSync(path.join(ROOT, 'workflows', dir)).map((file) => `${dir}/${file}`);

test('every patch the order asks for is taken at the start of its runs', () => {
  expect([...ORDER_PATCHES].sort()).toEqual(patchesAskedIn(['order.ts', ...under('order')]));
});

test('every patch a parcel asks for is taken at the start of its runs', () => {
  // The contract's patch is taken by a parcel on a marketplace's contract only, in its constructor: the first task.
  expect([...SHIPMENT_PATCHES, ...CONTRACT_PATCHES].sort()).toEqual(patchesAskedIn(['shipment.ts', ...under('shipment')]));
});

test('order and parcel code asks the patches of its run (RunPatches), never patched() itself', () => {
  // patched() asked mid-run would record a marker and an upsert per patch, and land the bundle's
  // marker after a local activity in a run older than it (docs/upgrading.md).
  const files = ['order.ts', ...under('order'), 'shipment.ts', ...under('shipment')];
  const asking = files.filter((file) => /\bpatched\(PATCHES/.test(readFileSync(path.join(ROOT, 'workflows', file), 'utf8')));
  expect(asking).toEqual([]);
});
