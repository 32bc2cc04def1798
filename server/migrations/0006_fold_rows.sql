-- The fold's state in the query tables (core/opening/fold.h), split so that
-- an append rewrites only the rows its event changes: tenders.state is now a
-- bidopen.fold.Tender (lots and their bid counts, no bids), and each bid has
-- its own row. Projector version 2 rebuilds them from the log at start-up.
ALTER TABLE tenders ADD COLUMN last_seq bigint NOT NULL DEFAULT 0;  -- the next append's tender_prev - 1

CREATE TABLE bid_states (
  seq bigint PRIMARY KEY,  -- of the bid's BidSubmitted event
  tender_id text NOT NULL,
  lot integer NOT NULL,
  status smallint NOT NULL,  -- bidopen.v1.BidStatus
  state bytea NOT NULL       -- serialized bidopen.fold.Bid
);
CREATE INDEX bid_states_by_lot ON bid_states (tender_id, lot, seq);

-- Which bid is live, replaced or withdrawn is the fold's to say: the bids
-- table keeps only what the log must not show before the opening (who holds
-- which bid, the receipts).
DROP INDEX bids_live;
ALTER TABLE bids DROP COLUMN state;
CREATE INDEX bids_newest ON bids (tender_id, lot, bidder, seq);
