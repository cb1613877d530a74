export type { EventStoreDbEventStore, EventStoreDbEventStoreOptions } from './adapters/eventstoredb';
export { connectEventStoreDb } from './adapters/eventstoredb-connect';
export { MemoryEventStore } from './adapters/memory';
export { PostgresEventStore, type PostgresEventStoreOptions } from './adapters/postgres';
export { migrateEventStore } from './adapters/postgres-schema';
export {
  chainDetail,
  type HistoryEntry,
  historyEntry,
  type StoreAnchor,
  type StoreProblem,
  type StoreVerification,
  type StreamHistory,
  streamHistory,
  type VerifyStoreOptions,
  verifyStore,
} from './audit';
export {
  BUNDLE_FORMAT,
  type BundleEvent,
  type BundleHeader,
  type BundleKeys,
  type BundleManifest,
  type BundleProblem,
  type BundleVerification,
  type ExportSelection,
  keyIdOf,
  readPublicKey,
  verifyBundle,
} from './audit-bundle';
export { type CsvEvent, EVENTS_CSV_HEADER, eventCsvRow, ORDER_LINES_CSV_HEADER, OrderLinesCsv } from './audit-csv';
export { type ExportOptions, exportBundle } from './audit-export';
export { type AuditSample, drawSample, type SampledOrder, sampleRank, type TrailEntry } from './audit-sample';
export {
  type AsOf,
  aggregateOfStream,
  foldSteps,
  parseAsOfPosition,
  parseAsOfTime,
  type StateAsOf,
  type StateStep,
  stateAsJson,
  stateAsOf,
  stateSteps,
  withinCut,
} from './audit-state';
export { type AuditTotals, TotalsCalculator, type TotalsFinding } from './audit-totals';
export {
  AggregateCache,
  type CommandAccepted,
  type CommandContext,
  type HandleOptions,
  handleCommand,
  invalidCommand,
  type Loaded,
  loadAggregate,
} from './command-handler';
export * from './errors';
export { type ChainProblem, type ChainVerification, ChainVerifier, canonicalJson, contentHash, linkHash, verifyChain } from './hash-chain';
export { eventIdFor, newId, uuidV5 } from './ids';
export { evolveRecorded, type LoadedLatest, loadLatest, SNAPSHOT_EVERY } from './load';
export * from './port';
export { MemorySnapshotStore, PostgresSnapshotStore } from './snapshots';
export { commandLine, type DataFolderHolder, DataFolderInUse, dataFolderHolder } from './sql/data-folder-lock';
export { type Database, type DatabaseConfig, openDatabase, preparedStatement, redactUrl } from './sql/database';
export { type HoldingTransaction, oldestOpenTransaction } from './sql/held-back';
export { PGliteDialect } from './sql/pglite-dialect';
export { recordSchemaHashes, type SchemaPart, type SetupFunction, schemaHashes, schemaIsCurrent, setupStatements } from './sql/schema-hash';
export { isDatabaseUnavailable } from './sql/unavailable';
export { commitUnitOfWork, decidePart, partAccepted, retryUnit, type UnitPart } from './unit-of-work';
