/**
 * Tables of the SQLite storage. Timestamps are epoch ms (REAL: the library's are fractional);
 * bodies are JSON text. `PRAGMA user_version` marks the layout so a later change can migrate.
 *
 * Version 2: a conference belongs to its app (the key is app and conference ID, so one app
 * cannot take another's conference ID) and a fabric to its user's ucID (the key is ucID and
 * connection ID, so one user's events never touch another's fabric or series).
 */
export const SCHEMA_VERSION = 4;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS conferences (
  app_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  first_seen REAL NOT NULL,
  last_seen REAL NOT NULL,
  PRIMARY KEY (app_id, conference_id)
);
CREATE TABLE IF NOT EXISTS users (
  uc_id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  device_id TEXT,
  endpoint_info TEXT,
  joined_at REAL NOT NULL,
  UNIQUE (app_id, conference_id, user_id),
  FOREIGN KEY (app_id, conference_id) REFERENCES conferences (app_id, conference_id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS fabrics (
  uc_id TEXT NOT NULL REFERENCES users (uc_id) ON DELETE CASCADE,
  connection_id TEXT NOT NULL,
  app_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  remote_id TEXT,
  state TEXT NOT NULL,
  first_seen REAL NOT NULL,
  last_seen REAL NOT NULL,
  setup_at REAL,
  setup_delay_ms REAL,
  ice_gathering_delay_ms REAL,
  ice_connectivity_delay_ms REAL,
  terminated_at REAL,
  failures TEXT NOT NULL DEFAULT '[]',
  sending_batches INTEGER NOT NULL DEFAULT 0,
  report_batches INTEGER NOT NULL DEFAULT 0,
  raw_base INTEGER,
  PRIMARY KEY (uc_id, connection_id)
);
CREATE INDEX IF NOT EXISTS fabrics_by_conference ON fabrics (conference_id, app_id);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  uc_id TEXT NOT NULL,
  connection_id TEXT,
  event_type TEXT NOT NULL,
  suffix TEXT NOT NULL,
  timestamp REAL NOT NULL,
  received_at REAL NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_conference ON events (conference_id, id);
CREATE INDEX IF NOT EXISTS events_by_fabric ON events (conference_id, connection_id, id);
CREATE INDEX IF NOT EXISTS events_by_type ON events (conference_id, event_type, id);
CREATE INDEX IF NOT EXISTS events_by_arrival ON events (received_at);
CREATE TABLE IF NOT EXISTS stats_batches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  uc_id TEXT NOT NULL,
  connection_id TEXT,
  kind TEXT NOT NULL,
  timestamp REAL NOT NULL,
  received_at REAL NOT NULL,
  stats TEXT NOT NULL,
  body TEXT NOT NULL,
  raw BLOB,
  raw_base INTEGER
);
CREATE INDEX IF NOT EXISTS stats_by_fabric ON stats_batches (conference_id, connection_id, kind, id);
CREATE INDEX IF NOT EXISTS stats_by_user ON stats_batches (uc_id, connection_id, kind, id);
CREATE INDEX IF NOT EXISTS stats_by_arrival ON stats_batches (received_at);
CREATE TABLE IF NOT EXISTS series (
  batch_id INTEGER PRIMARY KEY REFERENCES stats_batches (id) ON DELETE CASCADE,
  app_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  uc_id TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  timestamp REAL NOT NULL,
  bitrate_in_bps REAL,
  bitrate_out_bps REAL,
  packets_lost REAL,
  jitter_ms REAL,
  rtt_ms REAL
);
CREATE INDEX IF NOT EXISTS series_by_fabric ON series (conference_id, connection_id, batch_id);
CREATE TABLE IF NOT EXISTS logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id TEXT,
  user_id TEXT,
  version TEXT,
  event_type TEXT NOT NULL,
  data TEXT,
  received_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS logs_by_arrival ON logs (received_at);
`;

/**
 * Version 1 → 2, in one transaction (foreign keys off): the old tables are renamed, the new
 * ones created, the rows copied with their app and ucID, the old tables dropped.
 */
export const MIGRATE_1_TO_2_SQL: string = `
DROP INDEX IF EXISTS events_by_conference;
DROP INDEX IF EXISTS events_by_fabric;
DROP INDEX IF EXISTS events_by_type;
DROP INDEX IF EXISTS stats_by_fabric;
DROP INDEX IF EXISTS series_by_fabric;
ALTER TABLE conferences RENAME TO v1_conferences;
ALTER TABLE users RENAME TO v1_users;
ALTER TABLE fabrics RENAME TO v1_fabrics;
ALTER TABLE events RENAME TO v1_events;
ALTER TABLE stats_batches RENAME TO v1_stats_batches;
ALTER TABLE series RENAME TO v1_series;
${SCHEMA_SQL.replace(/CREATE TABLE IF NOT EXISTS logs[\s\S]*?\);/, '')}
INSERT INTO conferences (app_id, conference_id, first_seen, last_seen) SELECT app_id, conference_id, first_seen, last_seen FROM v1_conferences;
INSERT INTO users (uc_id, app_id, conference_id, user_id, device_id, endpoint_info, joined_at)
  SELECT u.uc_id, c.app_id, u.conference_id, u.user_id, u.device_id, u.endpoint_info, u.joined_at FROM v1_users u JOIN v1_conferences c USING (conference_id);
INSERT INTO fabrics (uc_id, connection_id, app_id, conference_id, remote_id, state, first_seen, last_seen, setup_at, setup_delay_ms, ice_gathering_delay_ms, ice_connectivity_delay_ms, terminated_at, failures)
  SELECT f.uc_id, f.connection_id, c.app_id, f.conference_id, f.remote_id, f.state, f.first_seen, f.last_seen, f.setup_at, f.setup_delay_ms, f.ice_gathering_delay_ms, f.ice_connectivity_delay_ms, f.terminated_at, f.failures
  FROM v1_fabrics f JOIN v1_conferences c USING (conference_id);
INSERT INTO events (id, app_id, conference_id, uc_id, connection_id, event_type, suffix, timestamp, received_at, body)
  SELECT e.id, c.app_id, e.conference_id, e.uc_id, e.connection_id, e.event_type, e.suffix, e.timestamp, e.received_at, e.body FROM v1_events e JOIN v1_conferences c USING (conference_id);
INSERT INTO stats_batches (id, app_id, conference_id, uc_id, connection_id, kind, timestamp, received_at, stats, body)
  SELECT b.id, c.app_id, b.conference_id, b.uc_id, b.connection_id, b.kind, b.timestamp, b.received_at, b.stats, b.body FROM v1_stats_batches b JOIN v1_conferences c USING (conference_id);
INSERT INTO series (batch_id, app_id, conference_id, uc_id, connection_id, timestamp, bitrate_in_bps, bitrate_out_bps, packets_lost, jitter_ms, rtt_ms)
  SELECT s.batch_id, b.app_id, s.conference_id, b.uc_id, s.connection_id, s.timestamp, s.bitrate_in_bps, s.bitrate_out_bps, s.packets_lost, s.jitter_ms, s.rtt_ms FROM v1_series s JOIN stats_batches b ON b.id = s.batch_id;
DROP TABLE v1_series;
DROP TABLE v1_stats_batches;
DROP TABLE v1_events;
DROP TABLE v1_fabrics;
DROP TABLE v1_users;
DROP TABLE v1_conferences;
`;

/**
 * Version 2 → 3: per fabric, how many stats batches showed RTP sent and how many carried RTCP
 * receiver reports (remote-inbound-rtp), for the "no receiver reports" flag.
 */
export const MIGRATE_2_TO_3_SQL: string = `
ALTER TABLE fabrics ADD COLUMN sending_batches INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fabrics ADD COLUMN report_batches INTEGER NOT NULL DEFAULT 0;
`;

/**
 * Version 3 → 4: a stats batch may be kept as its exact text, deflated (`raw`, with `stats` and
 * `body` left empty), against the dictionary of its fabric's first batch (`raw_base`, also on
 * the fabric). Rows of earlier versions keep their JSON columns and read as before.
 */
export const MIGRATE_3_TO_4_SQL: string = `
ALTER TABLE stats_batches ADD COLUMN raw BLOB;
ALTER TABLE stats_batches ADD COLUMN raw_base INTEGER;
ALTER TABLE fabrics ADD COLUMN raw_base INTEGER;
`;
