CREATE TABLE IF NOT EXISTS conferences (
  conference_id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL,
  first_seen REAL NOT NULL,
  last_seen REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
  uc_id TEXT PRIMARY KEY,
  conference_id TEXT NOT NULL REFERENCES conferences (conference_id),
  user_id TEXT NOT NULL,
  device_id TEXT,
  endpoint_info TEXT,
  joined_at REAL NOT NULL,
  UNIQUE (conference_id, user_id)
);
CREATE TABLE IF NOT EXISTS fabrics (
  conference_id TEXT NOT NULL REFERENCES conferences (conference_id),
  connection_id TEXT NOT NULL,
  uc_id TEXT NOT NULL REFERENCES users (uc_id),
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
  PRIMARY KEY (conference_id, connection_id)
);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  conference_id TEXT NOT NULL REFERENCES conferences (conference_id),
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
CREATE TABLE IF NOT EXISTS stats_batches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  conference_id TEXT NOT NULL REFERENCES conferences (conference_id),
  uc_id TEXT NOT NULL,
  connection_id TEXT,
  kind TEXT NOT NULL,
  timestamp REAL NOT NULL,
  received_at REAL NOT NULL,
  stats TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stats_by_fabric ON stats_batches (conference_id, connection_id, kind, id);
CREATE TABLE IF NOT EXISTS series (
  batch_id INTEGER PRIMARY KEY REFERENCES stats_batches (id),
  conference_id TEXT NOT NULL,
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
