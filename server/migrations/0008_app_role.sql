-- Least privilege (docs/operations.md "Database roles"). Migrations run as the
-- owner role, which owns every table; bidopend serves as the application role
-- bidopen_app, which gets only what server/store needs: it appends to the log
-- and never changes it, and being no owner it cannot ALTER a table or disable
-- the append-only triggers. deploy/ creates both roles before migrating.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bidopen_app') THEN
    RAISE EXCEPTION 'role bidopen_app does not exist: create the application role first (docs/operations.md, "Database roles")';
  END IF;
  -- No one else may connect (PUBLIC could by default).
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO bidopen_app', current_database());
END $$;

-- The log and its Merkle tree: appended and read, never changed.
GRANT SELECT, INSERT ON events, merkle_nodes, tree_heads TO bidopen_app;
GRANT SELECT, UPDATE ON log_head, projection_state TO bidopen_app;

-- Query tables: written with their event, emptied and rebuilt by the projector.
GRANT SELECT, INSERT, UPDATE, DELETE ON tenders, bid_states, party_keys TO bidopen_app;
GRANT SELECT, INSERT, DELETE ON bid_statements TO bidopen_app;

-- Uploads and bids (primary data): what was uploaded and by whom is never rewritten.
GRANT SELECT, INSERT ON bid_uploads, bids TO bidopen_app;
GRANT UPDATE (received, header_sha256, state, deadline_us) ON bid_uploads TO bidopen_app;
GRANT USAGE ON SEQUENCE bid_uploads_id_seq TO bidopen_app;
GRANT UPDATE (withdrawal) ON bids TO bidopen_app;
GRANT SELECT, INSERT, DELETE ON bid_chunks TO bidopen_app;

-- bidopend checks at start-up that every migration it knows was applied.
GRANT SELECT ON schema_migrations TO bidopen_app;

-- Tables of later migrations (made by the role that runs them): read and
-- append by default; a migration grants UPDATE or DELETE where the server
-- needs them, and tests/pg/db_roles_test.cc lists every table's grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO bidopen_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO bidopen_app;
