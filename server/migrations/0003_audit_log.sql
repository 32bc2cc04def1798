-- The verifiable audit log (docs/audit-log.md): every event is a leaf of one
-- RFC 9162 Merkle tree. merkle_nodes holds every complete (perfect) subtree
-- hash: level 0 are the leaf hashes, level L index i covers leaves
-- [i * 2^L, (i + 1) * 2^L). Written in the transaction of the events they cover.
CREATE TABLE merkle_nodes (
  level smallint NOT NULL CHECK (level >= 0 AND level < 64),
  idx bigint NOT NULL CHECK (idx >= 0),
  hash bytea NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, idx)
);

-- Signed tree heads: the checkpoint text and the log key's signature over it.
CREATE TABLE tree_heads (
  size bigint PRIMARY KEY CHECK (size >= 0),
  root bytea NOT NULL CHECK (length(root) = 32),
  checkpoint text NOT NULL,
  signature bytea NOT NULL
);
