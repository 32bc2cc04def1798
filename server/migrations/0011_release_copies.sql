-- Release rows are no longer unique by seq (review 3, F9). The application
-- role can INSERT into releases, so a unique seq let a DBA alone censor every
-- release: rows inserted ahead at seqs the log had not reached made the
-- server's own INSERT fail, and the release with its KeyReleased event was
-- rolled back, unlogged. Now the server's row is stored next to any row found
-- at its seq (bidopend prints an ALARM: nobody else writes there), and a
-- release whose stored copy went missing or was altered is stored again when
-- its releaser re-supplies it (docs/protocol.md "Lost releases"). Readers take,
-- per seq, a row that opens under the at-rest key (whose associated data binds
-- the seq) and hashes to the event's material_sha256; rows are still never
-- updated or deleted by the application role.
ALTER TABLE releases DROP CONSTRAINT releases_pkey;
CREATE INDEX releases_by_seq ON releases (seq);
