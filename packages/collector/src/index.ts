export { createCollector, proxyConfigFor, DATA_FILE_NAME, type Collector, type ProxyConfig } from './server.js';
export {
  parseAppSecret,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_TOKEN_TTL_SECONDS,
  isLoopbackHost,
  type AppCredentials,
  type CollectorLogger,
  type CollectorOptions,
  type VerifyToken,
} from './options.js';
export { createSqliteStorage, type SqliteStorageOptions } from './storage/sqlite-storage.js';
export { createPostgresStorage, type PostgresStorageOptions } from './storage/postgres-storage.js';
export type * from './storage/storage.js';
export { StorageFullError } from './storage/storage.js';
export { deriveSeriesPoint, summarizeStats, type DeriveInput, type StatsSummary } from './derive-series.js';
export { fabricChangeFor, nextFabricState, type FabricChange } from './fabric-state.js';
export { QUERY_ROUTES } from './query-api.js';
export {
  IMPAIRMENT_THRESHOLDS,
  summarizeConference,
  summarizeFabric,
  type ConferenceFabricSummary,
  type FabricData,
  type FabricSummary,
  type ImpairedSpan,
  type ImpairmentCause,
  type Spread,
  type UserFabricSummaries,
} from './fabric-summary.js';
export type { ConferenceSummaryAnswer } from './query-api-types.js';
