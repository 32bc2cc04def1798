-- The opener folds the log's certificate revocations each time it reads a lot
-- (review 4 R7: from the log, not the revocations table a DBA could edit;
-- server/store/revocation_rows.cc). Without this index that read scans every
-- event of the installation on each release and each progress tick.
CREATE INDEX events_revocations ON events (seq) WHERE kind = 'certificate_revoked';
