#!/usr/bin/python3
"""Independent check of an opening's announced values (docs/audit-log.md,
"Checking announced values"; docs/sealed-bid-format.md §3, §4.1, §6.1).

Written from the documents alone, with hashlib and a minimal protobuf wire
reader; it shares no code with core/. Given what the log shows of one bid --
the BidSubmitted hashes, the BidRevealed pieces (header, statement, bidder,
nonce) and the DECRYPTED BidVerdict's values and values_key -- it checks, as an
auditor would:

  1. the nonce opens bidder_commitment for the revealed bidder;
  2. the revealed statement is the one whose SHA-256 the submission logged;
  3. the statement is a submission of that bidder for the header's tender and
     lot, and signs the revealed header (header_sha256 = its header hash);
  4. the header is canonical, and its ctx_hash (recomputed from its fields);
  5. the announced values, encoded, with values_key, open the header's
     values_commitment -- and a changed value, a changed order or another key
     do not.

The vector (tests/vectors/opening_vectors.txt) is made by
tests/unit/opening_vector_test.cc. seal_v2_check.py's header encoder, itself
written from the format page, re-encodes the parsed header as a second opinion.

With a second file (tests/vectors/release_vector.txt, made by
tests/unit/release_vector_test.cc) it also checks a signed release
(docs/protocol.md "Releasing"): the ReleaseSigningInput rebuilt from the
event's fields is the stored input, the releaser's certificate key signed it
(ECDSA P-256 / SHA-256, with python3-cryptography), material_sha256 is
H("bidopen/v2/released"; bytes) shaped, the cited checkpoint parses, and a
changed field no longer verifies.

Usage: opening_check.py VECTORS_FILE [RELEASE_VECTOR_FILE]
(exit status 0 when every check holds)
"""
import hashlib
import os
import struct
import sys

SUBMIT_PURPOSE = "bidopen/submit/v2"
BIDDER_KEY, CUSTODIAN_SHARE = 1, 2


# --- docs/sealed-bid-format.md §3: byte helpers ------------------------------
def u32(n):
    return struct.pack(">I", n)


def u64(n):
    return struct.pack(">Q", n)


def lp(b):
    if isinstance(b, str):
        b = b.encode()
    return u32(len(b)) + b


def sha256(b):
    return hashlib.sha256(b).digest()


def labelled(label, *fields):  # H(label; f1, f2, ...)
    return sha256(lp(label) + b"".join(lp(f) for f in fields))


# --- the protobuf wire format (varint and length-delimited fields only) ------
class WireError(Exception):
    pass


def read_varint(b, i):
    value, shift = 0, 0
    while True:
        if i >= len(b):
            raise WireError("a varint runs past the end")
        byte = b[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i
        if shift > 63:
            raise WireError("a varint longer than 10 bytes")


def read_fields(b):
    """[(number, value)] in wire order: int for varints, bytes otherwise."""
    out, i = [], 0
    while i < len(b):
        key, i = read_varint(b, i)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, i = read_varint(b, i)
        elif wire_type == 2:
            n, i = read_varint(b, i)
            if i + n > len(b):
                raise WireError(f"field {number} runs past the end")
            value, i = b[i:i + n], i + n
        else:
            raise WireError(f"field {number} has wire type {wire_type}, which these messages do not use")
        out.append((number, value))
    return out


def message(b, names, repeated=()):
    """Fields by name; canonical (ascending numbers, no default value) or WireError."""
    fields, last = {}, 0
    for number, value in read_fields(b):
        if number not in names:
            raise WireError(f"field {number} is not defined")
        if number < last or (number == last and number not in repeated):
            raise WireError(f"field {number} out of order or repeated")
        if value in (0, b""):
            raise WireError(f"field {number} set to its default value")
        last = number
        name = names[number]
        if number in repeated:
            fields.setdefault(name, []).append(value)
        else:
            fields[name] = value
    return fields


# docs/sealed-bid-format.md §3: bidopen.v1.SealedHeader and Recipient.
HEADER = {1: "suite", 2: "bid_id", 3: "tender_id", 4: "lot", 5: "bidder", 6: "policy",
          7: "threshold", 8: "chunk_size", 9: "values_size", 10: "plaintext_size",
          11: "recipients", 12: "secret_commitment", 13: "bidder_part_commitment",
          14: "quorum_part_commitment", 15: "values_commitment"}
RECIPIENT = {1: "kind", 2: "fingerprint", 3: "share_x", 4: "public_key",
             5: "ephemeral_public", 6: "share_commitment", 7: "wrapped"}
# proto/bidopen/v1/bid.proto: bidopen.v1.BidStatement.
STATEMENT = {1: "purpose", 2: "tender_id", 3: "lot", 4: "bidder", 5: "header_sha256",
             6: "ciphertext_sha256", 7: "size", 8: "client_nonce", 9: "bid_seq"}


def parse_header(b):
    h = message(b, HEADER, repeated=(11,))
    h["recipients"] = [message(r, RECIPIENT) for r in h.get("recipients", [])]
    return h


def ctx_hash(h):  # §4.1
    b = (lp("bidopen/v2/context") + lp(h["suite"]) + lp(h["bid_id"]) + lp(h["tender_id"]) +
         lp(u32(h["lot"])) + lp(h["bidder"]) + lp(u32(h["policy"])) +
         lp(u32(h.get("threshold", 0))) + lp(u32(h["chunk_size"])) +
         lp(u32(h["values_size"])) + lp(u64(h["plaintext_size"])))
    for r in h["recipients"]:
        b += (lp(u32(r["kind"])) + lp(u32(r.get("share_x", 0))) + lp(r["fingerprint"]) +
              lp(r["public_key"]))
    return sha256(b)


def header_hash(header_bytes):  # §4.1
    return labelled("bidopen/v2/header", header_bytes)


def bidder_commitment(fingerprint, nonce):  # events.proto, BidSubmitted
    return sha256(b"bidopen/bidder\0" + fingerprint.encode() + nonce)


def values_encoding(values):  # §6.1, in the lot's form order
    return b"".join(lp(name) + lp(value) for name, value in values)


def values_commitment(ctx, values_key, values):  # §6.1
    return labelled("bidopen/v2/values", ctx, values_key, values_encoding(values))


# --- the vector ---------------------------------------------------------------
def read_vector(path):
    v = {"values": []}
    for line in open(path, encoding="utf-8"):
        key, _, rest = line.rstrip("\n").partition(" ")
        if key == "value":
            name, _, value = rest.partition("=")
            v["values"].append((name, value))
        elif key:
            v[key] = rest
    return v


def second_opinion_encoding(h):
    """The header re-encoded by seal_v2_check.py's encoder (None if not importable)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        import seal_v2_check as other
    except ImportError:
        return None
    d = {"bid_id": h["bid_id"], "tender": h["tender_id"].decode(), "lot": h["lot"],
         "bidder": h["bidder"].decode(), "policy": h["policy"],
         "threshold": h.get("threshold", 0), "chunk_size": h["chunk_size"],
         "values_size": h["values_size"], "plaintext_size": h["plaintext_size"],
         "recipients": [{"kind": r["kind"], "fp": r["fingerprint"].decode(),
                         "x": r.get("share_x", 0), "pub": r["public_key"],
                         "epub": r.get("ephemeral_public", b""),
                         "share_commitment": r.get("share_commitment", b""),
                         "wrapped": r.get("wrapped", b"")} for r in h["recipients"]]}
    for name in ("secret_commitment", "bidder_part_commitment", "quorum_part_commitment",
                 "values_commitment"):
        d[name] = h.get(name, b"")
    return other.encode_header(d), other.ctx_hash(d)


# --- docs/protocol.md "Releasing": the releaser-signed release ---------------
RELEASE_LABEL = "bidopen/v2/release"


def release_signing_input(tender_id, lot, kind, bid, share_x, material_sha256, checkpoint):
    return (lp(RELEASE_LABEL) + lp(tender_id) + u32(lot) + u32(kind) + u64(bid) + u32(share_x) +
            lp(material_sha256) + lp(checkpoint))


def check_release(path, check):
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    v = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(" ")
            v[key] = value
    fields = dict(tender_id=v["tender_id"], lot=int(v["lot"]), kind=int(v["kind"]),
                  bid=int(v["bid"]), share_x=int(v["share_x"]),
                  material_sha256=bytes.fromhex(v["material_sha256"]),
                  checkpoint=bytes.fromhex(v["seen_checkpoint"]))
    data = release_signing_input(**fields)
    check(data.hex() == v["input"], "ReleaseSigningInput rebuilt from the fields is the stored input")
    lines = fields["checkpoint"].decode().split("\n")
    check(len(lines) == 5 and lines[4] == "" and lines[1].isdigit() and lines[3].startswith("time "),
          "the cited checkpoint has origin, size, root and time lines")
    check(len(fields["material_sha256"]) == 32, "material_sha256 is 32 bytes")
    cert = x509.load_pem_x509_certificate(bytes.fromhex(v["certificate"]))
    key = cert.public_key()
    signature = bytes.fromhex(v["signature"])

    def verifies(message):
        try:
            key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
            return True
        except InvalidSignature:
            return False

    check(isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1",
          "the releaser's certificate key is P-256")
    check(verifies(data), "the releaser's signature verifies over ReleaseSigningInput")
    for name, changed in (("share_x", fields["share_x"] + 1), ("bid", fields["bid"] + 1),
                          ("kind", 3 - fields["kind"]), ("lot", fields["lot"] + 1),
                          ("material_sha256", bytes(32)),
                          ("checkpoint", fields["checkpoint"].replace(b"\n41\n", b"\n42\n"))):
        other = dict(fields)
        other[name] = changed
        check(not verifies(release_signing_input(**other)),
              f"the signature does not verify with another {name}")


def main(path, release_path=None):
    v = read_vector(path)
    header = bytes.fromhex(v["header"])
    statement = bytes.fromhex(v["statement"])
    fp = v["bidder"]
    nonce = bytes.fromhex(v["nonce"])
    values_key = bytes.fromhex(v["values_key"])
    failures = []

    def check(ok, what):
        print(("ok " if ok else "FAILED ") + what)
        if not ok:
            failures.append(what)

    # 1, 2: the reveal opens what the submission logged.
    check(bidder_commitment(fp, nonce).hex() == v["bidder_commitment"],
          "the nonce opens bidder_commitment for the revealed bidder")
    check(sha256(statement).hex() == v["statement_sha256"],
          "the revealed statement is the one whose SHA-256 the submission logged")
    # 3: the statement signs this header for this bidder, tender and lot.
    s = message(statement, STATEMENT)
    h = parse_header(header)
    check(s["purpose"].decode() == SUBMIT_PURPOSE, "the statement is a submission")
    check(s["bidder"].decode() == fp and h["bidder"].decode() == fp,
          "the statement and the header name the revealed bidder")
    check(s["tender_id"] == h["tender_id"] and s["lot"] == h["lot"],
          "the statement and the header name the same tender and lot")
    check(header_hash(header).hex() == v["header_hash"] and
          s["header_sha256"] == header_hash(header),
          "the statement's header_sha256 is the revealed header's hash")
    # 4: the header's context.
    ctx = ctx_hash(h)
    check(ctx.hex() == v["ctx_hash"], "ctx_hash recomputed from the header's fields")
    other = second_opinion_encoding(h)
    if other is not None:
        check(other[0] == header and other[1] == ctx,
              "seal_v2_check.py re-encodes the parsed header to the same bytes and ctx_hash")
    # 5: the announced values open the header's values_commitment.
    values = v["values"]
    got = values_commitment(ctx, values_key, values)
    check(got == h["values_commitment"] and got.hex() == v["values_commitment"],
          "the announced values with values_key open the header's values_commitment: " +
          ", ".join(f"{n} = {x}" for n, x in values))
    # ... and nothing else does.
    changed = [(n, "1234.49" if n == "price" else x) for n, x in values]
    check(values_commitment(ctx, values_key, changed) != h["values_commitment"],
          "a changed price does not open it")
    check(values_commitment(ctx, values_key, values[::-1]) != h["values_commitment"],
          "the same values in another order do not open it")
    check(values_commitment(ctx, bytes(32), values) != h["values_commitment"],
          "another values_key does not open it")
    check(bidder_commitment(fp, bytes(len(nonce))).hex() != v["bidder_commitment"],
          "another nonce does not open bidder_commitment")
    try:
        message(header + bytes([0x08, 0x01]), HEADER, repeated=(11,))
        check(False, "a header with a field out of order (field 1 again at the end) is refused")
    except WireError:
        check(True, "a header with a field out of order (field 1 again at the end) is refused")
    if release_path is not None:
        check_release(release_path, check)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
