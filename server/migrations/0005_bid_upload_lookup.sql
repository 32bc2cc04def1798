-- The newest upload of a bidder for a lot, in any state (LatestUpload): the
-- partial index of 0004 covers open uploads only.
CREATE INDEX bid_uploads_by_bidder ON bid_uploads (tender_id, lot, bidder, id);
