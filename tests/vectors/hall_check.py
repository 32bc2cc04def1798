#!/usr/bin/python3
"""Independent check of the live hall's announcement and a confirmation
(docs/opening-hall.md, "The announcement table" and "Confirming").

Written from the document alone, with hashlib and the `cryptography` package;
it shares no code with core/. From the vector's table fields (tender, lot,
form, failure, each bid's bidder, status, fault, consequence, reason and
values) it:

  1. builds the table's canonical bytes and compares them with the vector's;
  2. computes announcement_sha256 = H("bidopen/v1/announcement"; bytes);
  3. builds the message a bidder signs, LP("bidopen/v1/confirm") ||
     LP(tender_id) || u32(lot) || LP(announcement_sha256);
  4. checks the bidder's certificate: issued by the CA, its fingerprint (hex
     SHA-256 of its DER) is the first bid's bidder;
  5. verifies the ECDSA P-256 / SHA-256 signature over the message with it --
     and that a changed price, or a signature over another hash, does not;
  6. builds what the log key signs for an opening record,
     LP("bidopen/v1/record") || LP(record bytes), and verifies the vector's
     signature over it (signed here by the vector's one key), and not over a
     record changed by one byte.

The vector (tests/vectors/hall_vectors.txt) is made by
tests/unit/hall_vector_test.cc.

Usage: hall_check.py VECTORS_FILE   (exit status 0 when every check holds)
"""
import hashlib
import struct
import sys

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec


# --- docs/sealed-bid-format.md §3: byte helpers ------------------------------
def u32(n):
    return struct.pack(">I", n)


def u64(n):
    return struct.pack(">Q", n)


def lp(b):
    if isinstance(b, str):
        b = b.encode()
    return u32(len(b)) + b


def labelled(label, *fields):  # H(label; f1, f2, ...)
    return hashlib.sha256(lp(label) + b"".join(lp(f) for f in fields)).digest()


# --- docs/opening-hall.md: the announcement table ----------------------------
def table_bytes(t):
    out = lp(t["tender_id"]) + u32(t["lot"]) + lp(t["lot_title"])
    out += u32(len(t["form"]))
    for name, type_, unit in t["form"]:
        out += lp(name) + lp(type_) + lp(unit)
    out += lp(t["failure"]) + u32(len(t["bids"]))
    for b in t["bids"]:
        out += (u64(b["bid"]) + lp(b["fingerprint"]) + lp(b["organization"]) + lp(b["status"]) +
                lp(b["fault"]) + lp(b["consequence"]) + lp(b["reason"]))
        out += u32(len(b["values"]))
        for name, value in b["values"]:
            out += lp(name) + lp(value)
    return out


def announcement_sha256(t):
    return labelled("bidopen/v1/announcement", table_bytes(t))


def confirm_message(tender_id, lot, announcement_hash):
    return lp("bidopen/v1/confirm") + lp(tender_id) + u32(lot) + lp(announcement_hash)


# --- the vector ---------------------------------------------------------------
def read_vector(path):
    t = {"form": [], "bids": []}
    v = {}
    for line in open(path, encoding="utf-8"):
        key, _, rest = line.rstrip("\n").partition(" ")
        if key == "field":
            t["form"].append(tuple(rest.split("|")))
        elif key == "bid":
            t["bids"].append({"bid": int(rest), "values": []})
        elif key == "value":
            name, _, value = rest.partition("=")
            t["bids"][-1]["values"].append((name, value))
        elif key in ("fingerprint", "organization", "status", "fault", "consequence", "reason"):
            t["bids"][-1][key] = rest
        elif key in ("tender_id", "lot_title", "failure"):
            t[key] = rest
        elif key == "lot":
            t[key] = int(rest)
        elif key:
            v[key] = rest
    return t, v


def signature_verifies(cert, signature, message):
    try:
        cert.public_key().verify(signature, message, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


def main(path):
    t, v = read_vector(path)
    failures = []

    def check(ok, what):
        print(("ok " if ok else "FAILED ") + what)
        if not ok:
            failures.append(what)

    got = table_bytes(t)
    check(got.hex() == v["table"], "the table's canonical bytes, built from its fields")
    h = announcement_sha256(t)
    check(h.hex() == v["announcement_sha256"], "announcement_sha256 = H(\"bidopen/v1/announcement\"; bytes)")
    message = confirm_message(t["tender_id"], t["lot"], h)
    check(message.hex() == v["confirm_message"], "the message a bidder signs")

    ca = x509.load_pem_x509_certificate(bytes.fromhex(v["ca_pem"]))
    cert = x509.load_pem_x509_certificate(bytes.fromhex(v["certificate_pem"]))
    try:  # the CA's key signed the certificate's TBS part (works on older `cryptography`)
        ca.public_key().verify(cert.signature, cert.tbs_certificate_bytes,
                               ec.ECDSA(cert.signature_hash_algorithm))
        issued = cert.issuer == ca.subject
    except InvalidSignature:
        issued = False
    check(issued, "the bidder's certificate is issued by the CA")
    fingerprint = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
    check(fingerprint == t["bids"][0]["fingerprint"],
          "the certificate's fingerprint is the announced bidder's")
    signature = bytes.fromhex(v["signature"])
    check(signature_verifies(cert, signature, message),
          "the confirmation signature verifies with the bidder's certificate")

    # ... and nothing else does.
    changed = {**t, "bids": [dict(b) for b in t["bids"]]}
    changed["bids"][0]["values"] = [(n, "1234.49" if n == "price" else x)
                                    for n, x in t["bids"][0]["values"]]
    other = announcement_sha256(changed)
    check(other != h, "a changed price changes the announcement's hash")
    check(not signature_verifies(cert, signature, confirm_message(t["tender_id"], t["lot"], other)),
          "the signature does not verify over another announcement's hash")
    check(not signature_verifies(cert, signature, confirm_message(t["tender_id"], t["lot"] + 1, h)),
          "the signature does not verify for another lot")
    record = bytes.fromhex(v["record"])
    signing_input = lp("bidopen/v1/record") + lp(record)
    check(signing_input.hex() == v["record_signing_input"],
          "the record's signing input, LP(\"bidopen/v1/record\") || LP(record)")
    record_signature = bytes.fromhex(v["record_signature"])
    check(signature_verifies(cert, record_signature, signing_input),
          "the record's signature verifies over it")
    flipped = record[:-1] + bytes([record[-1] ^ 1])
    check(not signature_verifies(cert, record_signature,
                                 lp("bidopen/v1/record") + lp(flipped)),
          "and not over a record changed by one byte")
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
