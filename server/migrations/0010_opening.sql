-- The opening (docs/protocol.md "Opening"; issue 11).

-- Every release (KeyReleased event), accepted or not: primary data next to the
-- log, which holds only the hash of what was released. `sealed` is the
-- released bytes encrypted at rest under the server's --release-key (a file
-- outside the database): AES-256-GCM, nonce ‖ ciphertext ‖ tag, associated
-- data "bidopen/at-rest/release" ‖ seq (server/opening/at_rest.h).
CREATE TABLE releases (
  seq bigint PRIMARY KEY,  -- its KeyReleased event
  tender_id text NOT NULL,
  lot integer NOT NULL,
  kind integer NOT NULL,      -- bidopen.v1.ReleaseKind
  bid bigint NOT NULL,        -- the bidder's bid; 0 for a custodian
  share_x integer NOT NULL,   -- the custodian's share; 0 for a bidder
  releaser text NOT NULL,     -- certificate fingerprint
  accepted boolean NOT NULL,
  sealed bytea NOT NULL
);
CREATE INDEX releases_by_lot ON releases (tender_id, lot, seq);

-- What the server read from a bid it opened (the secret that opens it, its
-- values and r_v, its documents with their SHA-256), encrypted at rest as
-- above with "bidopen/at-rest/opened" ‖ seq. Never plaintext in the database.
CREATE TABLE opened_bids (
  seq bigint PRIMARY KEY,  -- the bid's BidSubmitted event
  tender_id text NOT NULL,
  lot integer NOT NULL,
  sealed bytea NOT NULL
);

-- A query table (the fold rebuilds it): each lot's opening time, whether it
-- starts itself, and where its opening stands, so the server finds the lots
-- it must start or finish without reading every tender.
CREATE TABLE lot_schedule (
  tender_id text NOT NULL,
  lot integer NOT NULL,
  opening_us bigint NOT NULL,     -- Unix µs
  auto_start boolean NOT NULL,
  status integer NOT NULL,        -- bidopen.v1.LotStatus
  window_end_us bigint NOT NULL,  -- Unix µs once started; 0 before
  PRIMARY KEY (tender_id, lot)
);
CREATE INDEX lot_schedule_due ON lot_schedule (status, opening_us);

GRANT SELECT, INSERT, UPDATE, DELETE ON lot_schedule TO bidopen_app;
