export { type ConformanceHarness, runConformanceSuite } from '../conformance';
export { startEsdbTestServer } from '../esdb-server';
export { type PrivateCluster, privateClusterUnavailable, startPrivateCluster } from './cluster';
export { onEveryDatabase, type TestDatabase } from './databases';
export { createTestDatabase, POSTGRES_REQUIRED, postgresAvailable, TEST_DATABASE_URL, terminateBackends } from './postgres';
