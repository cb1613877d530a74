export { EventStoreDbEventStore } from '../../src/adapters/eventstoredb';
export { type ConformanceHarness, collect, newEvent, runConformanceSuite } from '../conformance';
export { type EsdbTestServer, startEsdbTestServer } from '../esdb-server';
export { type PrivateCluster, privateClusterUnavailable, startPrivateCluster } from './cluster';
export { onEveryDatabase, type TestDatabase } from './databases';
export {
  createTestDatabase,
  holdTransactionOpen,
  POSTGRES_REQUIRED,
  postgresAvailable,
  startBusyDatabase,
  TEST_DATABASE_URL,
  terminateBackends,
} from './postgres';
