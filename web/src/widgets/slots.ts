/**
 * The named widget slots the shell renders. Plugins address slots by these names, so they are part of the
 * plugin contract and must not be renamed casually.
 * @module
 */
export const SLOTS = {
  dashboardMain: 'dashboard.main',
  dashboardSide: 'dashboard.side',
} as const;

export type SlotName = (typeof SLOTS)[keyof typeof SLOTS];

export const SLOT_NAMES: readonly SlotName[] = Object.values(SLOTS);
