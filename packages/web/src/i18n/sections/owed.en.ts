/**
 * The portal's "What I owe" screen (the dealer's open invoices, dunning and credit; docs/receivables.md): its messages come
 * with its code, both languages (OwedPage.tsx), so that the portal's first screen does not carry them. Same rules as en.ts;
 * zh-CN beside it.
 */
export const owed = {
  title: 'What you owe',
  asOf: 'Today, {{date}}: what your company still owes the manufacturer, and its credit with it.',
  owedInAll: 'Owed in all',
  overdue: 'Overdue',
  overdueCount: 'Invoices overdue: {{count}}',
  noneOverdue: 'Nothing overdue',
  credit: 'Your credit',
  creditNote: 'Paid beyond your invoices; it pays your next invoices or is refunded',
  nextDue: 'Falls due next',
  nextDueOn: '{{amount}} on {{date}}',
  nothingDue: 'No due date ahead',
  invoices: 'Open invoices',
  noInvoices: 'You owe nothing: every invoice is paid.',
  invoice: 'Invoice {{invoice}}',
  order: 'Order {{order}}',
  dueOn: 'Due {{date}}',
  daysOverdue: 'Days overdue: {{count}}',
  notYetDue: 'Not yet due',
  ofInvoiced: 'of {{amount}} invoiced',
  instalments: 'Instalments',
  instalment: '{{date}}: {{owed}} of {{amount}}',
  nextInstalment: 'Next instalment: {{amount}} on {{date}}',
  level: 'Reminder level',
  levelNamed: 'Level {{level}}',
  levelNames: { reminder: 'Reminder', secondReminder: 'Second reminder', finalNotice: 'Final notice' },
  nextLevel: 'Reaches {{level}} on {{date}} if still unpaid',
  history: 'Payments and credit',
  noHistory: 'No payment recorded through your account yet.',
  kinds: { payment: 'Payment received', application: 'Credit applied', refund: 'Credit refunded', return: 'Returned to credit' },
  paidInvoices: 'Paid: {{invoices}}',
  returnedInvoices: 'Not paid, back to your credit: {{invoices}}',
  creditAfter: 'Credit after: {{amount}}',
};
