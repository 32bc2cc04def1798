-- Event time only moves forward (docs/protocol.md, "Event time"): the time of
-- the newest event, in microseconds since 1970 UTC, read and written under the
-- log_head row lock by every replica. NULL for a log from before this
-- migration: the next append reads its last event instead.
ALTER TABLE log_head ADD COLUMN last_time_us bigint;

-- Revoked client certificates (CertificateRevoked events): a query table, the
-- fold rebuilds it. state is the serialized bidopen.v1.Revocation.
CREATE TABLE revoked_certificates (
  fingerprint text PRIMARY KEY,
  state bytea NOT NULL
);

-- The application role (0008) rebuilds it with the other query tables and
-- rewrites a row when a revocation is folded again.
GRANT SELECT, INSERT, UPDATE, DELETE ON revoked_certificates TO bidopen_app;
