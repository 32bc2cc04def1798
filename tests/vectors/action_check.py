#!/usr/bin/python3
"""Independent check of a signed action (docs/protocol.md, "Signed actions").

Written from the document alone, with the `cryptography` package; it shares no
code with core/. From the vector's fields of an AmendLotRequest it:

  1. encodes the request deterministically (protobuf wire format, fields in
     field-number order, defaults left out: tender_id = 1, lot = 2,
     submission_deadline = 3 as a Timestamp {seconds = 1, nanos = 2},
     reason = 5) and compares it with the vector's bytes;
  2. builds the message its maker signs, LP("bidopen/v1/action") ||
     LP(method) || i64(signed_at in microseconds) || LP(request);
  3. verifies the ECDSA P-256 / SHA-256 signature over it with the maker's
     certificate -- and that it does not verify for another method, another
     signed_at or another reason.

The vector (tests/vectors/action_vector.txt) is made by
tests/unit/action_vector_test.cc.

Usage: action_check.py VECTOR_FILE   (exit status 0 when every check holds)
"""
import struct
import sys

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec


def lp(b):
    if isinstance(b, str):
        b = b.encode()
    return struct.pack(">I", len(b)) + b


def varint(n):
    out = b""
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out += bytes([byte | 0x80])
        else:
            return out + bytes([byte])


def field_varint(number, value):  # wire type 0; a default (0) is left out
    return varint(number << 3) + varint(value) if value else b""


def field_bytes(number, value):  # wire type 2; an empty value is left out
    if isinstance(value, str):
        value = value.encode()
    return varint((number << 3) | 2) + varint(len(value)) + value if value else b""


def amend_request(v):
    deadline = field_varint(1, int(v["deadline_seconds"])) + field_varint(2, int(v["deadline_nanos"]))
    return (field_bytes(1, v["tender_id"]) + field_varint(2, int(v["lot"])) +
            varint((3 << 3) | 2) + varint(len(deadline)) + deadline + field_bytes(5, v["reason"]))


def action_message(method, signed_at_micros, request):
    return lp("bidopen/v1/action") + lp(method) + struct.pack(">q", signed_at_micros) + lp(request)


def verifies(cert, signature, message):
    try:
        cert.public_key().verify(signature, message, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


def main(path):
    v = {}
    for line in open(path, encoding="utf-8"):
        key, _, rest = line.rstrip("\n").partition(" ")
        if key:
            v[key] = rest
    failures = []

    def check(ok, what):
        print(("ok " if ok else "FAILED ") + what)
        if not ok:
            failures.append(what)

    request = amend_request(v)
    check(request.hex() == v["request"], "the request's deterministic encoding, built from its fields")
    at = int(v["signed_at_micros"])
    message = action_message(v["method"], at, request)
    check(message.hex() == v["input"], "the message its maker signs")
    cert = x509.load_pem_x509_certificate(bytes.fromhex(v["certificate"]))
    signature = bytes.fromhex(v["signature"])
    check(verifies(cert, signature, message), "the signature verifies with the maker's certificate")
    check(not verifies(cert, signature,
                       action_message("/bidopen.v1.TenderService/CancelTender", at, request)),
          "and not for another method")
    check(not verifies(cert, signature, action_message(v["method"], at + 1, request)),
          "nor for another signed_at")
    other = amend_request({**v, "reason": v["reason"] + "!"})
    check(not verifies(cert, signature, action_message(v["method"], at, other)),
          "nor for another reason")
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
