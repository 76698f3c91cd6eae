// The contract of the incident clocks (INC-9): deadline profiles are data, an incident is a
// list of timestamped events, and `computeClocks` (clocks.ts, a pure function) turns both into clocks.
// Storage, pages and escalation (src/incidents/*) only read these types; they never compute a deadline.

/* The clocks are also the timers of INC-6 and the drill time record of INC-7; those rules are named
   here, outside the opening comment, until the workflow that shows and escalates them is built. */

export type ImpactLevel = 1 | 2 | 3 | 4;

/** Who is responsible for meeting a clock, or who is told when it is breached (INC-8). */
export type IncidentRole =
  | 'security_contact'    // 資安聯絡人 of the affected agency: reports
  | 'competent_authority' // 主管機關 reviewers (資安審核人)
  | 'ciso'                // 資安長 of the competent authority
  | 'it_chief'            // 資訊主管
  | 'technical_centre'    // 技術服務中心: re-review, direct review, support
  | 'national_office';    // 資通安全防護組: statistics, major incidents

/** What can happen to an incident. Every event the workflow records has one of these kinds. */
export type IncidentEventKind =
  | 'aware'                // the agency became aware (發現/知悉): the time entered on the report
  | 'reported'             // the report was submitted on the platform
  | 'phone_reported'       // reported by phone to the technical centre while the network/power was down
  | 'backfilled'           // the agency back-filled a phone report on the platform
  | 'level_changed'        // a re-report or a reviewer changed the level (event.level = the new level)
  | 'reviewed'             // competent authority review done (may carry a level)
  | 'centre_reviewed'      // technical centre re-review (may carry a level)
  | 'centre_direct_review' // technical centre reviewed because the competent authority missed its deadline
  | 'forwarded'            // level 3–4 result forwarded to the national office and others
  | 'notified'             // CISO and IT chief notified
  | 'support_requested'
  | 'support_dispatched'
  | 'contained'            // damage control or recovery completed (損害控制或復原)
  | 'closure_submitted'    // closure report (結案報告) submitted
  | 'closure_approved'
  | 'closure_returned'     // added (INC-5): the competent authority sent the closure report back for changes
  | 'ci_notified'          // added (INC-2): the critical-infrastructure horizontal notice went out
  | 'investigation_submitted' // investigation report (調查、處理及改善報告)
  | 'personal_data_involved'  // starts profiles that only apply then (e.g. GDPR Art. 33)
  | 'drill_report_submitted'
  // Added with the built-in profiles (issue 12): the meeting events of NIS2 Art. 23, GDPR Art. 33 and drills.
  | 'early_warning_sent'          // NIS2 Art. 23(4)(a): early warning to the CSIRT / competent authority
  | 'incident_notification_sent'  // NIS2 Art. 23(4)(b): incident notification
  | 'final_report_submitted'      // NIS2 Art. 23(4)(d): final report
  | 'supervisory_authority_notified' // GDPR Art. 33(1): personal data breach notified
  | 'drill_completed';            // a drill (notification or social-engineering e-mail) ended

export interface IncidentEvent {
  kind: IncidentEventKind;
  at: Date;
  /** The level this event sets (reported, level_changed, reviewed, centre_reviewed, phone_reported). */
  level?: ImpactLevel;
  /** Free reason, e.g. why a submission was late or why the level changed. */
  reason?: string;
}

export interface LocalisedText { 'zh-TW': string; en: string }

/** One deadline of a profile: from an anchor event, within an offset that may depend on the level, met by an event. */
export interface DeadlineRule {
  id: string;                         // stable within the profile, e.g. 'review'
  label: LocalisedText;
  /** The clock starts at the first event of one of these kinds (e.g. ['aware']). */
  anchor: IncidentEventKind[];
  /** Minutes from the anchor; `byLevel` overrides for a level (the level in force when the clock is computed). */
  offsetMinutes: number;
  byLevel?: Partial<Record<ImpactLevel, number>>;
  /** The clock exists only at these levels (absent: all). */
  levels?: ImpactLevel[];
  /** The clock exists only when an event of this kind happened (e.g. 'support_requested', 'personal_data_involved'). */
  onlyIf?: IncidentEventKind;
  /** The first event of one of these kinds at or after the anchor meets the clock. */
  metBy: IncidentEventKind[];
  responsible: IncidentRole;
  /** Told at breach (escalation); absent: nobody beyond the responsible role. */
  escalateTo?: IncidentRole[];
  /** Added: a calendar offset in months (Asia/Taipei, Civil Code art. 121: the period ends at 24:00 of the
   *  same date N months later, or of that month's last day). When present it is used instead of
   *  `offsetMinutes`, which then holds the nominal length (30 days a month) for display and sorting. */
  offsetMonths?: number;
  /** Added: the clock starts no earlier than the first event that brought the level in force into
   *  `levels` (e.g. forward within 1 h of the review that raised the incident to level 3). */
  startsAtLevel?: boolean;
  /** Added: the clock starts no earlier than the `onlyIf` event (e.g. support requested after the re-review). */
  startsAtCondition?: boolean;
  /** Added: a late meeting must carry a reason (GDPR Art. 33(1): "accompanied by reasons for the delay"). */
  lateReasonRequired?: boolean;
}

export interface DeadlineProfile {
  id: string;                         // e.g. 'tw-cs-2021', 'nis2-art23', 'gdpr-art33'
  name: LocalisedText;
  /** Where the rules come from, shown to users. */
  source: LocalisedText;
  rules: DeadlineRule[];
}

export type ClockState =
  | 'running'   // open, before its warning point
  | 'warning'   // open, 75 % or more of its time elapsed
  | 'overdue'   // open, past due: escalate
  | 'met'       // met on time
  | 'late';     // met after its due time (the late reason is on the meeting event)

export interface Clock {
  profileId: string;
  ruleId: string;
  label: LocalisedText;
  anchorAt: Date;
  dueAt: Date;
  warnAt: Date;                       // 75 % of the way from anchor to due
  metAt: Date | null;
  state: ClockState;
  /** The level the offset was taken from. */
  level: ImpactLevel | null;
  responsible: IncidentRole;
  escalateTo: IncidentRole[];
  /** Added: the kind of the event that met the clock (null while open). */
  metByKind?: IncidentEventKind | null;
  /** Added: the reason carried by the meeting event when the clock is `late` (null otherwise or when none was given). */
  lateReason?: string | null;
  /** Added: true when the clock is `late`, its rule requires a reason and the meeting event carries none. */
  lateReasonMissing?: boolean;
}

/** Pure: every clock of every given profile for one incident's events, as seen at `now`. */
export type ComputeClocks = (profiles: DeadlineProfile[], events: IncidentEvent[], now: Date) => Clock[];
