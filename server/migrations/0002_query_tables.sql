-- Query tables: projections of the event log, written in the same transaction
-- as the event they come from. They can always be rebuilt from events.
CREATE TABLE projection_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version integer NOT NULL,
  applied_size bigint NOT NULL
);
INSERT INTO projection_state (version, applied_size) VALUES (0, 0);

CREATE TABLE tenders (
  id text PRIMARY KEY,
  title text NOT NULL,
  agency_fingerprint text NOT NULL,
  cancelled boolean NOT NULL,
  created_seq bigint NOT NULL UNIQUE,
  updated_seq bigint NOT NULL,
  state bytea NOT NULL  -- serialized bidopen.v1.Tender, the fold of its events
);

CREATE TABLE party_keys (
  fingerprint text PRIMARY KEY,
  role integer NOT NULL,
  organization text NOT NULL,
  state bytea NOT NULL  -- serialized bidopen.v1.RegisteredKey
);
CREATE INDEX party_keys_by_role ON party_keys (role);
