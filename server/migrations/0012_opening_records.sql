-- The signed opening records (开标记录表; docs/opening-hall.md "The record";
-- issue 12): the body the fold gives once a lot's opening closed, with the
-- signed tree head at close, signed by the log key. Not a query table (the
-- signature and the head are not in the log), and not trusted either: readers
-- take the first row whose signature verifies with the log key and whose body
-- equals the fold's record (server/store/record_rows.h); a row that does not
-- is ignored with an ALARM, and a record is made again. The application role
-- only inserts and reads.
CREATE TABLE opening_records (
  id bigserial PRIMARY KEY,
  tender_id text NOT NULL,
  lot integer NOT NULL,
  record bytea NOT NULL,     -- the deterministic OpeningRecordBody with closing_head
  signature bytea NOT NULL   -- the log key's, over RecordSigningInput(record)
);
CREATE INDEX opening_records_by_lot ON opening_records (tender_id, lot, id);

GRANT SELECT, INSERT ON opening_records TO bidopen_app;
GRANT USAGE ON SEQUENCE opening_records_id_seq TO bidopen_app;
