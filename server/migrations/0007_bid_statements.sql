-- Every signed statement a tender's bid events used (by its SHA-256): a
-- statement acts once (docs/state.md). A query table: the fold rebuilds it.
CREATE TABLE bid_statements (
  tender_id text NOT NULL,
  statement_sha256 bytea NOT NULL,
  seq bigint NOT NULL,  -- the event that first used it
  PRIMARY KEY (tender_id, statement_sha256)
);
