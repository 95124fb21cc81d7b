export const PLUGIN_ID = 'change-notices';

/** Domain events emitted on strapi.eventHub; notices and search consume them. */
export const EVENTS = {
  versionRecorded: 'change-notices.version.recorded',
  standingChanged: 'change-notices.standing.changed',
  claimPropagated: 'change-notices.claim.propagated',
} as const;
