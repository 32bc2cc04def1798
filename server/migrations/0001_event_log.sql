-- The installation-wide, append-only event log (design.md §2).
-- seq is gapless and in commit order: every append holds the row lock on
-- log_head from reading the next seq until commit.
CREATE TABLE log_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  size bigint NOT NULL CHECK (size >= 0)
);
INSERT INTO log_head (size) VALUES (0);

CREATE TABLE events (
  seq bigint PRIMARY KEY CHECK (seq >= 0),
  tender_id text NOT NULL DEFAULT '',
  kind text NOT NULL,
  body bytea NOT NULL  -- the serialized bidopen.v1.Event; the audit log hashes these bytes
);
CREATE INDEX events_by_tender ON events (tender_id, seq) WHERE tender_id <> '';

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events is append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
