/** One row per notification raised; who it reaches is in its audience columns. */
export interface NotificationsTable {
  notification_id: string;
  topic: string;
  audience_kind: 'role' | 'dealer' | 'dealers';
  role: string | null;
  region: string | null;
  partner_id: string | null;
  label: string | null;
  /** For the `dealers` audience: the targeting (JSON arrays of tiers, regions, partner ids) as it was when raised. */
  target_tiers: string | null;
  target_regions: string | null;
  target_partners: string | null;
  title_zh: string;
  title_en: string;
  subject_stream: string;
  link: string;
  raised_at: string;
  /** Global position of `NotificationRaised`: the inbox's order and cursor. */
  position: string;
}

/** Who has read which notification (each person for themselves). */
export interface NotificationReadsTable {
  notification_id: string;
  reader_id: string;
  read_at: string;
}
