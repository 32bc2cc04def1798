-- Every signed statement a bid event used (by its SHA-256): a statement acts
-- once (docs/state.md). A query table: the fold rebuilds it from the events.
CREATE TABLE bid_statements (
  statement_sha256 bytea PRIMARY KEY,
  tender_id text NOT NULL,
  seq bigint NOT NULL  -- the event that used it
);
CREATE INDEX bid_statements_by_tender ON bid_statements (tender_id);
