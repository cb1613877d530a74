export { accessProjection } from './access';
export { type CalendarRun, runAgreementCalendar } from './agreement-calendar';
export { agreementsProjection } from './agreements';
export type * from './agreements-schema';
export { allProjections, allReactors } from './all';
export { auditSigningKeys } from './audit-signing';
export { AgreementCalendarSchedule, type CalendarScheduleOptions } from './calendar-schedule';
export { catalogueProjection } from './catalogue';
export { commissionsProjection } from './commissions';
export { plain, type RenderableEvent, type RenderedMessage, renderEvent, templatedEventTypes } from './connector-templates';
export {
  dingtalkSign,
  interpretRobotAnswer,
  openRobotCredentials,
  type RobotCredentials,
  type RobotKind,
  type RobotOutcome,
  robotCredentialsFingerprint,
  robotMessage,
  robotRequestUrl,
  sealRobotCredentials,
  splitRobotUrl,
} from './connectors';
export * from './content-store';
export * from './credentials';
export { kpiOrdersProjection } from './kpi-orders';
export type * from './kpis-schema';
export { defaultWorkerName, type LeasedWork, LeaseHolder, type LeaseOptions, leaseKey, leaseOwners } from './leases';
export { migrateReadModels } from './migrations';
export { notificationsProjection, notificationsReactor, raiseDueNotifications } from './notifications';
export type * from './notifications-schema';
export { orderReviewsProjection } from './order-reviews';
export { ordersProjection } from './orders';
export { partnersProjection } from './partners';
export { partnershipPolicies, partnershipProjections, partnershipReactors } from './partnership';
export { performanceProjection, performanceReactors, scorecardRow } from './performance';
export type * from './performance-schema';
export { type ScorecardProblem, type ScorecardVerification, verifyScorecards } from './performance-verify';
export { refreshPlannerStatistics } from './planner-statistics';
export { policyReactor } from './policy-reactor';
export { priceListsProjection } from './price-lists';
export { type Projection, upsertRows } from './projection';
export { promotionReactors, promotionsProjection } from './promotions';
export * from './queries/access';
export * from './queries/actors';
export * from './queries/agreements';
export * from './queries/catalogue';
export * from './queries/commissions';
export { InvalidCursor } from './queries/cursor';
export { type DealerAccountEntry, type DealerAccountView, dealerAccount } from './queries/dealer-account';
export { type DunningRow, dunningList, type OrderDunning, orderDunning } from './queries/dunning';
export { addMonths, type DemandForecastFilter, type DemandForecastRow, demandForecast } from './queries/forecast';
export * from './queries/kpis';
export { listNotifications, type NotificationView, notificationReachesReader, type Reader } from './queries/notifications';
export * from './queries/order-reviews';
export * from './queries/orders';
export * from './queries/partners';
export * from './queries/performance';
export * from './queries/price-lists';
export * from './queries/promotions';
export { QUERY_READ_MODELS, type QueryModule, readModelsOf } from './queries/read-models';
export { agedReceivablesAsOf, receivablesAsOf } from './queries/receivables-as-of';
export * from './queries/resources';
export { type SalesAsOfRow, salesByPartnerAsOf } from './queries/sales-as-of';
export * from './queries/sales-report';
export * from './queries/settlements';
export * from './queries/stock';
export { stockValuationAsOf } from './queries/stock-as-of';
export * from './queries/stock-ledger';
export * from './queries/stock-reservations';
export * from './queries/tax';
export * from './queries/threads';
export * from './queries/users';
export { type ReadModelVersionMap, ReadModelVersions } from './read-model-versions';
export { resourcesProjection } from './resources';
export type * from './resources-schema';
export { revenueSplitsProjection } from './revenue-splits';
export {
  type Logger,
  ProjectionRunner,
  type ProjectionStatus,
  type ProjectionVerification,
  type RebuildProgress,
  type RebuiltProjection,
  type RunnerOptions,
  type TableComparison,
} from './runner';
export { type DmsConfig, type DmsRuntime, loadConfig, openDms } from './runtime';
export * from './schema';
export { settlementsProjection } from './settlements';
export { stockProjections, stockReactors } from './stock';
export { stockDailyProjection } from './stock-daily';
export { stockLedgerProjection } from './stock-ledger';
export { stockLevelsProjection } from './stock-levels';
export { stockReservationsProjection } from './stock-reservations';
export type * from './stock-schema';
export { taxProjection } from './tax';
export { threadsProjection } from './threads';
export type * from './threads-schema';
export { usersProjection } from './users';
export {
  type DeliveryView,
  type DispatcherOptions,
  type DispatchResult,
  listWebhookDeliveries,
  listWebhooks,
  retryWebhookDelivery,
  secretFingerprint,
  signatureHeader,
  WebhookDispatcher,
  type WebhookPayload,
  type WebhookView,
  webhookOutbox,
  webhookSecret,
  webhookSigningKey,
} from './webhooks';
export type * from './webhooks-schema';
export { AGREEMENT_CALENDAR, WEBHOOK_DISPATCHER, type WorkerOptions, workerLeases } from './worker';
