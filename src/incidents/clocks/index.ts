// INC-9: the incident clocks' public surface — profiles, validation, computeClocks and the types.
export * from './types.ts';
export { computeClocks, nextDeadline, overdueClocks, escalationTargets, isOpen, sortEvents, WARN_FRACTION } from './clocks.ts';
export { BUILT_IN_PROFILES, DEFAULT_PROFILE_ID, DRILL_PROFILE_ID, TW_CS, NIS2_ART23, GDPR_ART33, TW_CS_DRILL } from './profiles/index.ts';
export { EVENT_KINDS, INCIDENT_ROLES, IMPACT_LEVELS, isEventKind, isRole, isLevel } from './kinds.ts';
export { addCalendarMonthsTaipei } from './time.ts';
export { validateProfile, PROFILE_LIMITS, type ProfileError, type ProfileErrorCode, type ProfileValidation } from './validate.ts';
export { clockMessages } from './messages.ts';
