/** A capability's maturity, as its document's `status` field states it. */
export const STATUSES = ['planned', 'in_progress', 'implemented'] as const;
export type CapabilityStatus = (typeof STATUSES)[number];
