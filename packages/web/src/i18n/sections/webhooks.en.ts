/**
 * The console's webhooks screen: its messages come with its code, both languages (WebhooksPage.tsx), moved out of en.ts
 * because every first screen (the portal's too) downloaded them. Same rules as en.ts; zh-CN beside it.
 */
export const webhooks = {
  audience: 'For',
  everyone: 'All',
  events: 'Events',
  deliveries: 'Deliveries',
  counts: '{{delivered}} delivered · {{pending}} pending · {{failed}} failed',
  pause: 'Pause',
  resume: 'Resume',
  status: { active: 'Active', paused: 'Paused', removed: 'Removed' },
};
