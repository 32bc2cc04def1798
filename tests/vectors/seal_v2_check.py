#!/usr/bin/python3
"""Independent check of the sealed-bid format v2 (docs/sealed-bid-format.md).

Written from the document alone, with hashlib and the `cryptography` package
(X25519, HKDF, AES-GCM); Shamir over GF(2^8) by hand. It shares no code with
core/seal/. It seals the four vectors of §12 with the counting randomness,
compares every value with tests/vectors/seal_v2_vectors.txt (made by the C++
implementation), then opens each sealed file through every path its policy has
(the bidder's key; custodians' per-lot keys) and checks what it holds.

Usage: seal_v2_check.py VECTORS_FILE   (exit status 0 when everything matches)
"""
import hashlib
import struct
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SUITE = "BO1-X25519-HKDF-SHA256-AES256GCM"
MAGIC = b"BIDOPEN-SEALED\n2\n"
BIDDER, QUORUM, ANY, BOTH = 1, 2, 3, 4
BIDDER_KEY, CUSTODIAN_SHARE = 1, 2
DECIMAL, INT, TEXT, DATE = 1, 2, 3, 4
MAX_CANONICAL = {DECIMAL: 41, INT: 20, TEXT: 1000, DATE: 10}


# --- §3 byte helpers -------------------------------------------------------
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


def labelled_hash(label, *fields):
    return sha256(lp(label) + b"".join(lp(f) for f in fields))


def hkdf(ikm, salt, info):
    return HKDF(hashes.SHA256(), 32, salt or None, info).derive(ikm)


def derive(secret, label, ctx):  # §4: HKDF(s, no salt, LP(label) || LP(ctx_hash))
    return hkdf(secret, b"", lp(label) + lp(ctx))


def x25519_pub(priv):
    return X25519PrivateKey.from_private_bytes(priv).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def x25519(priv, pub):
    return X25519PrivateKey.from_private_bytes(priv).exchange(
        X25519PublicKey.from_public_bytes(pub))


# --- deterministic protobuf (§3) ------------------------------------------
def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def field(num, value):
    if value in (0, b"", "", None):
        return b""
    if isinstance(value, int):
        return varint(num << 3) + varint(value)
    if isinstance(value, str):
        value = value.encode()
    return varint(num << 3 | 2) + varint(len(value)) + value


def encode_recipient(r):
    return (field(1, r["kind"]) + field(2, r["fp"]) + field(3, r["x"]) + field(4, r["pub"]) +
            field(5, r.get("epub", b"")) + field(6, r.get("share_commitment", b"")) +
            field(7, r.get("wrapped", b"")))


def encode_header(h):
    return (field(1, SUITE) + field(2, h["bid_id"]) + field(3, h["tender"]) + field(4, h["lot"]) +
            field(5, h["bidder"]) + field(6, h["policy"]) + field(7, h["threshold"]) +
            field(8, h["chunk_size"]) + field(9, h["values_size"]) +
            field(10, h["plaintext_size"]) +
            b"".join(field(11, encode_recipient(r)) for r in h["recipients"]) +
            field(12, h.get("secret_commitment", b"")) +
            field(13, h.get("bidder_part_commitment", b"")) +
            field(14, h.get("quorum_part_commitment", b"")) +
            field(15, h.get("values_commitment", b"")))


# --- §4 context, commitments ----------------------------------------------
def ctx_hash(h):
    b = (lp("bidopen/v2/context") + lp(SUITE) + lp(h["bid_id"]) + lp(h["tender"]) +
         lp(u32(h["lot"])) + lp(h["bidder"]) + lp(u32(h["policy"])) + lp(u32(h["threshold"])) +
         lp(u32(h["chunk_size"])) + lp(u32(h["values_size"])) + lp(u64(h["plaintext_size"])))
    for r in h["recipients"]:
        b += lp(u32(r["kind"])) + lp(u32(r["x"])) + lp(r["fp"]) + lp(r["pub"])
    return sha256(b)


def unwrapped_hash(h):
    bare = dict(h, recipients=[dict(r, wrapped=b"") for r in h["recipients"]])
    return labelled_hash("bidopen/v2/header-unwrapped", encode_header(bare))


def header_hash(header_bytes):
    return labelled_hash("bidopen/v2/header", header_bytes)


# --- Shamir over GF(2^8), AES polynomial (§4) -------------------------------
def gf_mul(a, b):
    r = 0
    for _ in range(8):
        if b & 1:
            r ^= a
        a = (a << 1) ^ (0x11B if a & 0x80 else 0)
        b >>= 1
    return r


def gf_inv(a):
    r = 1
    for _ in range(254):  # a^254 = a^-1
        r = gf_mul(r, a)
    return r


def shamir_split(secret, k, n, coeffs):
    shares = []
    for x in range(1, n + 1):
        y = bytearray()
        for j, s in enumerate(secret):
            c = coeffs[j * (k - 1):(j + 1) * (k - 1)]
            acc = 0
            for d in range(len(c), 0, -1):
                acc = gf_mul(acc, x) ^ c[d - 1]
            y.append(gf_mul(acc, x) ^ s)
        shares.append((x, bytes(y)))
    return shares


def shamir_combine(shares):
    out = bytearray(len(shares[0][1]))
    for i, (xi, yi) in enumerate(shares):
        li = 1  # Lagrange basis at 0: prod x_j / (x_j - x_i); minus is XOR
        for j, (xj, _) in enumerate(shares):
            if j != i:
                li = gf_mul(li, gf_mul(xj, gf_inv(xj ^ xi)))
        for b in range(len(out)):
            out[b] ^= gf_mul(li, yi[b])
    return bytes(out)


def shamir_eval(shares, x):
    """f(x) for the polynomial through `shares`: Lagrange basis at x, prod (x - x_j) / (x_i - x_j)."""
    out = bytearray(len(shares[0][1]))
    for i, (xi, yi) in enumerate(shares):
        li = 1
        for j, (xj, _) in enumerate(shares):
            if j != i:
                li = gf_mul(li, gf_mul(x ^ xj, gf_inv(xi ^ xj)))
        for b in range(len(out)):
            out[b] ^= gf_mul(li, yi[b])
    return bytes(out)


# --- §4 wrapping ------------------------------------------------------------
def wrap_ad(ctx, unwrapped, r):
    return (lp("bidopen/v2/wrap") + lp(ctx) + lp(unwrapped) + lp(u32(r["kind"])) +
            lp(u32(r["x"])) + lp(r["fp"]) + lp(r["pub"]))


def wrap(ctx, unwrapped, r, e_priv, secret):
    ad = wrap_ad(ctx, unwrapped, r)
    key = hkdf(x25519(e_priv, r["pub"]), r["epub"] + r["pub"], ad)
    return AESGCM(key).encrypt(bytes(12), secret, ad)


def unwrap(ctx, unwrapped, r, priv):
    ad = wrap_ad(ctx, unwrapped, r)
    key = hkdf(x25519(priv, r["epub"]), r["epub"] + x25519_pub(priv), ad)
    return AESGCM(key).decrypt(bytes(12), r["wrapped"], ad)


# --- §6 plaintext -----------------------------------------------------------
def values_section_size(form):
    return 4 + sum(8 + len(name) + MAX_CANONICAL[t] for name, t in form)


def values_encoding(values):
    return b"".join(lp(n) + lp(v) for n, v in values)


def document_table(docs):
    return u32(len(docs)) + b"".join(lp(name) + u64(len(data)) for name, data in docs)


class Counter:
    def __init__(self):
        self.i = 0

    def __call__(self, n):
        out = bytes((self.i + k) % 256 for k in range(n))
        self.i += n
        return out


def chunks(plain, chunk):
    full = len(plain) // chunk
    return [plain[i * chunk:(i + 1) * chunk] for i in range(full)] + [plain[full * chunk:]]


def seal(policy, tender, lot, bidder_fp, bidder_pub, custodians, k, form, values, docs, chunk,
         rnd, share_hook=None):
    h = {"tender": tender, "lot": lot, "bidder": bidder_fp, "policy": policy,
         "threshold": 0 if policy == BIDDER else k, "chunk_size": chunk}
    h["bid_id"] = rnd(16)
    h["values_size"] = values_section_size(form)
    h["plaintext_size"] = (h["values_size"] + len(document_table(docs)) +
                           sum(len(d) + 32 for _, d in docs))
    recipients = []
    if policy != QUORUM:
        recipients.append({"kind": BIDDER_KEY, "fp": bidder_fp, "x": 0, "pub": bidder_pub})
    if policy != BIDDER:
        for i, (fp, pub) in enumerate(custodians):
            recipients.append({"kind": CUSTODIAN_SHARE, "fp": fp, "x": i + 1, "pub": pub})
    h["recipients"] = recipients
    ctx = ctx_hash(h)
    s = rnd(32)
    s_b = s_q = s
    if policy == BOTH:
        s_b = rnd(32)
        s_q = bytes(a ^ b for a, b in zip(s, s_b))
    shares = []
    if policy != BIDDER:
        shares = shamir_split(s_q, k, len(custodians), rnd((k - 1) * 32))
        if share_hook:  # a dishonest sealer's shares (main's self-check)
            shares = share_hook(shares)
    e_privs = []
    for r in recipients:
        e_privs.append(rnd(32))
        r["epub"] = x25519_pub(e_privs[-1])
    h["secret_commitment"] = labelled_hash("bidopen/v2/secret", ctx, s)
    if policy == BOTH:
        h["bidder_part_commitment"] = labelled_hash("bidopen/v2/bidder-part", ctx, s_b)
        h["quorum_part_commitment"] = labelled_hash("bidopen/v2/quorum-part", ctx, s_q)
    for r in recipients:
        if r["kind"] == CUSTODIAN_SHARE:
            r["share_commitment"] = labelled_hash("bidopen/v2/share", ctx, u32(r["x"]),
                                                  shares[r["x"] - 1][1])
    r_v = derive(s, "bidopen/v2/values-key", ctx)
    enc = values_encoding(values)
    h["values_commitment"] = labelled_hash("bidopen/v2/values", ctx, r_v, enc)
    unwrapped = unwrapped_hash(h)
    for r, e in zip(recipients, e_privs):
        secret = s_b if r["kind"] == BIDDER_KEY else shares[r["x"] - 1][1]
        r["wrapped"] = wrap(ctx, unwrapped, r, e, secret)
    header = encode_header(h)
    plain = ((lp(enc) + bytes(h["values_size"] - 4 - len(enc))) + document_table(docs) +
             b"".join(d for _, d in docs) + b"".join(sha256(d) for _, d in docs))
    assert len(plain) == h["plaintext_size"]
    key = derive(s, "bidopen/v2/payload", ctx)
    pieces = chunks(plain, chunk)
    ad = header_hash(header)
    payload = b"".join(
        AESGCM(key).encrypt(bytes(7) + struct.pack(">IB", i, i == len(pieces) - 1), p, ad)
        for i, p in enumerate(pieces))
    file = MAGIC + u32(len(header)) + header + payload
    return {"header": header, "header_hash": ad, "ctx_hash": ctx, "unwrapped_hash": unwrapped,
            "secret": s, "payload_key": key, "values_key": r_v, "file": file,
            "file_sha256": sha256(file)}, h


# --- opening (§5, §6) -------------------------------------------------------
def open_file(file, h, s, form):
    """Decrypts `file` with the bid secret s and checks everything; returns values, docs."""
    ctx = ctx_hash(h)
    assert labelled_hash("bidopen/v2/secret", ctx, s) == h["secret_commitment"]
    assert file[:17] == MAGIC
    hlen = struct.unpack(">I", file[17:21])[0]
    header = file[21:21 + hlen]
    assert header == encode_header(h)
    chunk, size = h["chunk_size"], h["plaintext_size"]
    n = size // chunk + 1
    assert len(file) == 21 + hlen + size + 16 * n, "file length differs from the header's"
    key, ad, at, plain = derive(s, "bidopen/v2/payload", ctx), header_hash(header), 21 + hlen, b""
    for i in range(n):
        want = (chunk if i < n - 1 else size % chunk) + 16
        nonce = bytes(7) + struct.pack(">IB", i, i == n - 1)
        plain += AESGCM(key).decrypt(nonce, file[at:at + want], ad)
        at += want
    vs = h["values_size"]
    elen = struct.unpack(">I", plain[:4])[0]
    enc = plain[4:4 + elen]
    assert plain[4 + elen:vs] == bytes(vs - 4 - elen), "values padding"
    r_v = derive(s, "bidopen/v2/values-key", ctx)
    assert labelled_hash("bidopen/v2/values", ctx, r_v, enc) == h["values_commitment"]
    values, p = [], 0
    while p < len(enc):
        nl = struct.unpack(">I", enc[p:p + 4])[0]
        name = enc[p + 4:p + 4 + nl].decode()
        p += 4 + nl
        vl = struct.unpack(">I", enc[p:p + 4])[0]
        values.append((name, enc[p + 4:p + 4 + vl].decode()))
        p += 4 + vl
    assert [n for n, _ in values] == [n for n, _ in form][:len(values)]
    at = vs
    count = struct.unpack(">I", plain[at:at + 4])[0]
    at += 4
    table = []
    for _ in range(count):
        nl = struct.unpack(">I", plain[at:at + 4])[0]
        name = plain[at + 4:at + 4 + nl].decode()
        dsize = struct.unpack(">Q", plain[at + 4 + nl:at + 12 + nl])[0]
        table.append((name, dsize))
        at += 12 + nl
    docs = []
    for name, dsize in table:
        docs.append((name, plain[at:at + dsize]))
        at += dsize
    for name, data in docs:
        assert plain[at:at + 32] == sha256(data), "document hash " + name
        at += 32
    assert at == len(plain)
    return values, docs


def quorum_secret(h, releases):
    """Per-lot private keys (x -> priv) of custodians: check, unwrap, check every share
    commitment against the polynomial of the first k, interpolate (§5)."""
    ctx, unwrapped, shares = ctx_hash(h), unwrapped_hash(h), []
    for r in h["recipients"]:
        if r["kind"] != CUSTODIAN_SHARE or r["x"] not in releases:
            continue
        priv = releases[r["x"]]
        assert x25519_pub(priv) == r["pub"], "the custodian's released key is not its key"
        y = unwrap(ctx, unwrapped, r, priv)
        assert labelled_hash("bidopen/v2/share", ctx, u32(r["x"]), y) == r["share_commitment"]
        shares.append((r["x"], y))
    k = h["threshold"]
    assert len(shares) >= k, "fewer than k shares released"
    for r in h["recipients"]:  # every commitment, released or not, is of f(x)
        if r["kind"] == CUSTODIAN_SHARE:
            y = shamir_eval(shares[:k], r["x"])
            assert labelled_hash("bidopen/v2/share", ctx, u32(r["x"]), y) == \
                r["share_commitment"], "share %d off the polynomial" % r["x"]
    part = shamir_combine(shares[:k])
    label = "bidopen/v2/quorum-part" if h["policy"] == BOTH else "bidopen/v2/secret"
    want = h["quorum_part_commitment"] if h["policy"] == BOTH else h["secret_commitment"]
    assert labelled_hash(label, ctx, part) == want
    return part


def bidder_secret(h, priv):
    r = h["recipients"][0]
    return unwrap(ctx_hash(h), unwrapped_hash(h), r, priv)


# --- §12 inputs -------------------------------------------------------------
def hexsha(s):
    return hashlib.sha256(s.encode()).hexdigest()


BIDDER_PRIV = bytes.fromhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
CUSTODIAN_PRIVS = [
    bytes.fromhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"),
    sha256(b"custodian 2"), sha256(b"custodian 3")]
FORM = [("price", DECIMAL), ("duration_days", INT)]
VALUES = [("price", "1234.50"), ("duration_days", "90")]


def inputs(policy):
    docs = [("offer.txt", b"bidopen test vector\n")]
    if policy == ANY:
        docs.append(("licence.bin", bytes(i % 251 for i in range(1200))))
    custodians = [] if policy == BIDDER else [
        (hexsha("custodian %d certificate" % (i + 1)), x25519_pub(p))
        for i, p in enumerate(CUSTODIAN_PRIVS)]
    return dict(policy=policy, tender="T-2026-0001", lot=1, bidder_fp=hexsha("bidder certificate"),
                bidder_pub=x25519_pub(BIDDER_PRIV), custodians=custodians, k=2, form=FORM,
                values=VALUES, docs=docs, chunk=1024)


def read_vectors(path):
    vectors, current = {}, None
    for line in open(path):
        parts = line.split()
        if len(parts) != 2 or parts[0].startswith("#"):
            continue
        if parts[0] == "vector":
            current = vectors.setdefault(parts[1], {})
        else:
            current[parts[0]] = parts[1]
    return vectors


def main(path):
    stored = read_vectors(path)
    failures = 0
    for name, policy in (("BIDDER", BIDDER), ("QUORUM", QUORUM), ("ANY", ANY), ("BOTH", BOTH)):
        args = inputs(policy)
        got, h = seal(rnd=Counter(), **args)
        for key, value in got.items():
            if stored[name][key] != value.hex():
                print("MISMATCH %s %s" % (name, key))
                failures += 1
        paths = {}
        if policy in (BIDDER, ANY):
            paths["bidder"] = bidder_secret(h, BIDDER_PRIV)
        if policy in (QUORUM, ANY):
            paths["custodians 1, 3"] = quorum_secret(h, {1: CUSTODIAN_PRIVS[0], 3: CUSTODIAN_PRIVS[2]})
            paths["custodians 1, 2, 3"] = quorum_secret(h, dict(enumerate(CUSTODIAN_PRIVS, 1)))
        if policy == BOTH:
            s_b = bidder_secret(h, BIDDER_PRIV)
            assert labelled_hash("bidopen/v2/bidder-part", ctx_hash(h), s_b) == \
                h["bidder_part_commitment"]
            s_q = quorum_secret(h, {2: CUSTODIAN_PRIVS[1], 3: CUSTODIAN_PRIVS[2]})
            paths["bidder and custodians 2, 3"] = bytes(a ^ b for a, b in zip(s_b, s_q))
        for how, s in paths.items():
            values, docs = open_file(got["file"], h, s, FORM)
            if values != VALUES or docs != args["docs"]:
                print("WRONG CONTENTS %s via %s" % (name, how))
                failures += 1
            else:
                print("ok %s: reproduced, opened via %s" % (name, how))
    failures += off_polynomial_refused()
    failures += lot_key_signature(path.replace("seal_v2_vectors.txt", "lot_key_vector.txt"))
    return 1 if failures else 0


def lot_key_signature(path):
    """§4.5: the signing input of a per-lot key, and the custodian's signature over it."""
    from cryptography.hazmat.primitives.asymmetric import ec
    v = read_vectors(path)["LOT_KEY"]
    fp = bytes.fromhex(v["fingerprint"])
    pub = x25519_pub(bytes.fromhex(v["private_key"]))
    if pub.hex() != v["public_key"]:
        print("MISMATCH LOT_KEY public_key")
        return 1
    signing_input = lp("bidopen/v2/lot-key") + lp(fp) + lp(pub)
    if signing_input.hex() != v["signing_input"]:
        print("MISMATCH LOT_KEY signing_input")
        return 1
    signer = serialization.load_der_public_key(bytes.fromhex(v["signer_spki"]))
    signer.verify(bytes.fromhex(v["signature"]), signing_input, ec.ECDSA(hashes.SHA256()))
    try:
        signer.verify(bytes.fromhex(v["signature"]), signing_input[:-1] + b"\x00",
                      ec.ECDSA(hashes.SHA256()))
        print("NOT REFUSED: LOT_KEY signature over another key")
        return 1
    except Exception:
        print("ok LOT_KEY: signing input reproduced, signature verifies, another key's does not")
        return 0


def off_polynomial_refused():
    """§5: share 3 sealed off the polynomial is refused from releases {1, 2} too."""
    def off(shares):
        x, y = shares[2]
        return shares[:2] + [(x, bytes([y[0] ^ 1]) + y[1:])]
    _, h = seal(rnd=Counter(), share_hook=off, **inputs(QUORUM))
    try:
        quorum_secret(h, {1: CUSTODIAN_PRIVS[0], 2: CUSTODIAN_PRIVS[1]})
    except AssertionError as e:
        if str(e) == "share 3 off the polynomial":
            print("ok QUORUM: share 3 off the polynomial, refused from releases 1, 2")
            return 0
    print("NOT REFUSED: share 3 off the polynomial, releases 1, 2")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
