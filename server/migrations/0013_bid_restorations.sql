-- Re-supplied sealed files (review 4 R5; docs/protocol.md "Re-supplying a
-- sealed file"): primary data next to the log, as bids is. A bidder whose
-- stored file the opening's start found altered uploads it again during the
-- decryption window; the bytes go to a new bid_uploads row (committed once
-- their SHA-256 is the signed one) and this row makes it the bid's stored file,
-- in the commit that appends BidFileRestored. The altered upload stays as it
-- was (evidence). The application role only inserts and reads.
CREATE TABLE bid_restorations (
  seq bigint PRIMARY KEY REFERENCES bids (seq),  -- the bid's BidSubmitted event
  upload_id bigint NOT NULL UNIQUE REFERENCES bid_uploads (id),
  restored_seq bigint NOT NULL  -- its BidFileRestored event
);

GRANT SELECT, INSERT ON bid_restorations TO bidopen_app;
