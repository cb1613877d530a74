export { DELETED_STREAM, EventLog, type StoredEvent } from './log';
export { type EsdbTestServer, type EsdbTestServerOptions, startEsdbTestServer } from './server';
export { SERVER_VERSION } from './server-features';
