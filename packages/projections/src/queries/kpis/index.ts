export type { BacklogFigures } from './backlog';
export { backlogOn } from './backlog';
export type { KeyedDay, KeyedRange, KpiFilter, KpiScope } from './common';
export { type FillRateFigures, fillRateByRange, type OnTimeFigures, onTimeByRange } from './fulfilment';
export {
  type AgedReceivablesRow,
  agedReceivables,
  type DsoFigures,
  dsoByRange,
  type OpenInvoiceRow,
  openInvoices,
  RECEIVABLES_GROUPS,
  type ReceivablesGroup,
  receivablesOn,
} from './receivables';
export { type ReviewAutomationFigures, reviewAutomationByRange } from './review';
export { SALES_KPI_DIMENSIONS, type SalesKpiDimension, type SalesKpiFilter, type SalesKpiRow, salesByRange } from './sales';
export { type SalesBreakdown, type SalesBreakdownQuery, type SalesBreakdownRow, salesBreakdown } from './sales-breakdown';
export { KPI_METRICS, type KpiMetric, type KpiSeries, type KpiSeriesQuery, kpiSeries, kpiSeriesProblems, type SeriesPoint } from './series';
export {
  STOCK_SERIES_GROUPS,
  type StockAlertFigures,
  type StockHistoryPoint,
  type StockHistoryQuery,
  type StockSeriesGroup,
  stockAlertFigures,
  stockHistory,
} from './stock';
export {
  type Compared,
  type ComparedPerCurrency,
  type CurrencySales,
  type KpiSummary,
  type KpiSummaryQuery,
  kpiSummary,
  type SalesComparison,
} from './summary';
