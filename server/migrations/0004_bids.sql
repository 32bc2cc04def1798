-- Sealed bids (docs/protocol.md "Submitting a bid"). These tables are primary
-- data next to the event log, not projections: bid events carry no bidder
-- identity, so who submitted what cannot be rebuilt from the events alone.

-- One resumable upload of one sealed file by one bidder for one lot. `received`
-- is the durable offset: it grows in the same statement that stores a chunk.
CREATE TABLE bid_uploads (
  id bigserial PRIMARY KEY,
  tender_id text NOT NULL,
  lot integer NOT NULL,
  bidder text NOT NULL,
  size bigint NOT NULL CHECK (size > 0),
  ciphertext_sha256 bytea NOT NULL,
  received bigint NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= size),
  header_sha256 bytea,  -- set once the header arrived and fitted the lot
  -- open: taking chunks; committed: a bid; discarded: partial at the deadline;
  -- abandoned: replaced by an upload of another file before it completed.
  state text NOT NULL DEFAULT 'open'
    CHECK (state IN ('open', 'committed', 'discarded', 'abandoned')),
  deadline_us bigint NOT NULL,  -- the lot's deadline when the upload started (Unix µs)
  started timestamptz NOT NULL DEFAULT now()
);
-- At most one upload in progress per bidder and lot.
CREATE UNIQUE INDEX bid_uploads_open ON bid_uploads (tender_id, lot, bidder)
  WHERE state = 'open';
CREATE INDEX bid_uploads_by_deadline ON bid_uploads (deadline_us) WHERE state = 'open';

CREATE TABLE bid_chunks (
  upload_id bigint NOT NULL REFERENCES bid_uploads (id) ON DELETE CASCADE,
  pos bigint NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (upload_id, pos)
);
-- Ciphertext does not compress: store it out of line without trying.
ALTER TABLE bid_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- Every committed bid, by the seq of its BidSubmitted event.
CREATE TABLE bids (
  seq bigint PRIMARY KEY,
  tender_id text NOT NULL,
  lot integer NOT NULL,
  bidder text NOT NULL,
  upload_id bigint NOT NULL UNIQUE REFERENCES bid_uploads (id),
  state text NOT NULL CHECK (state IN ('live', 'replaced', 'withdrawn')),
  ciphertext_sha256 bytea NOT NULL,
  receipt bytea NOT NULL,  -- serialized bidopen.v1.Receipt of the submission
  withdrawal bytea         -- and of the withdrawal, once withdrawn
);
CREATE UNIQUE INDEX bids_live ON bids (tender_id, lot, bidder) WHERE state = 'live';
CREATE INDEX bids_by_bidder ON bids (bidder, tender_id);
