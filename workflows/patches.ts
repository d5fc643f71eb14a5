// Every patch in the workflow code, one line each (docs/upgrading.md, "The patch lifecycle").
// A behaviour change that would alter the commands of an order already open goes behind
// patched(id): orders started before the release keep the old path on replay, new ones take the
// new path. Each entry says when it landed and when its old path can go: once no order started
// before that release can still be open (an order lives until its return window closes, plus the
// return parcel's journey), deprecatePatch(id) replaces patched(id), and a release later both go.
export const PATCHES = {
  /**
   * Landed in 0.2.0 (issue 16, defect 4): a cancel that lost to the pick-up scan is forgotten, so
   * a later return is not cancelled by it and the parcel can continue as new again. Old path
   * removable once no order started under 0.1.x is open.
   */
  lostCancelForgotten: 'lost-cancel-forgotten',
} as const;
