// The opening the permit test files share: the demo's permit basics before their tests, and the permits they
// held released after them (so that no crew member or machine stays booked for the next file).
import { before, after } from 'node:test';
import { permitBasics, releasePermits } from './lib.mjs';

/** Registers the file's before/after hooks; `ready(basics)` receives permitBasics() (it may be async).
 * Returns the array the tests push their permit ids into. */
export function permitTestSetup(ready) {
  const held = [];
  before(async () => ready(await permitBasics()));
  after(() => releasePermits(held));
  return held;
}
