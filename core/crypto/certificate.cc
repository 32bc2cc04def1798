#include "core/crypto/certificate.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/strings/str_cat.h"
#include "core/crypto/ossl.h"
#include "core/crypto/sha256.h"
#include "core/opening/roles.h"

namespace bidopen::crypto {
namespace {

std::string NameEntry(X509_NAME* name, int nid) {
  int idx = X509_NAME_get_index_by_NID(name, nid, -1);
  if (idx < 0) return "";
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char* raw = nullptr;
  int len = ASN1_STRING_to_UTF8(&raw, data);
  OpensslBytesPtr utf8(raw);
  if (len < 0) return "";
  return std::string(reinterpret_cast<char*>(utf8.get()), len);
}

int CountOf(X509_NAME* name, int nid) {
  int n = 0;
  for (int idx = X509_NAME_get_index_by_NID(name, nid, -1); idx >= 0;
       idx = X509_NAME_get_index_by_NID(name, nid, idx))
    ++n;
  return n;
}

// A bidopen certificate names one party: exactly one O, CN and OU (the role),
// none empty. Two OUs would let the first decide the role silently.
absl::Status CheckSubject(X509_NAME* subject) {
  const struct {
    int nid;
    const char* name;
  } entries[] = {
      {NID_organizationName, "O"}, {NID_commonName, "CN"}, {NID_organizationalUnitName, "OU"}};
  for (const auto& e : entries) {
    const int n = CountOf(subject, e.nid);
    if (n != 1)
      return absl::UnauthenticatedError(absl::StrCat(
          "certificate subject has ", n, " ", e.name,
          " entries; a bidopen certificate has exactly one O, one CN and one OU (its role)"));
    if (NameEntry(subject, e.nid).empty())
      return absl::UnauthenticatedError(
          absl::StrCat("certificate subject has an empty ", e.name, "; it must name the party"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> DerOf(X509* cert) {
  int len = i2d_X509(cert, nullptr);
  if (len <= 0) return OpensslError("certificate DER");
  std::string der(len, '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  i2d_X509(cert, &p);
  return der;
}

// The party a certificate names, and its OU as written.
absl::StatusOr<v1::Party> NamedParty(absl::string_view pem, std::string* ou) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    ERR_clear_error();
    return absl::UnauthenticatedError("certificate does not parse as PEM X.509");
  }
  auto der = DerOf(cert.get());
  if (!der.ok()) return der.status();
  X509_NAME* subject = X509_get_subject_name(cert.get());
  if (absl::Status st = CheckSubject(subject); !st.ok()) return st;
  v1::Party party;
  party.set_fingerprint(Hex(Sha256(*der)));
  party.set_organization(NameEntry(subject, NID_organizationName));
  party.set_common_name(NameEntry(subject, NID_commonName));
  *ou = NameEntry(subject, NID_organizationalUnitName);
  party.set_role(RoleFromName(*ou));
  return party;
}

}  // namespace

absl::StatusOr<v1::Party> PartyFromPem(absl::string_view pem) {
  std::string ou;
  absl::StatusOr<v1::Party> party = NamedParty(pem, &ou);
  if (party.ok() && party->role() == v1::ROLE_UNSPECIFIED)
    return absl::UnauthenticatedError(
        absl::StrCat("certificate OU \"", ou,
                     "\" is not a bidopen role; expected bidder, agency, custodian, supervisor, "
                     "auditor or operator"));
  return party;
}

absl::StatusOr<v1::Party> AnyPartyFromPem(absl::string_view pem) {
  std::string ou;
  return NamedParty(pem, &ou);
}

absl::Status CheckValidAt(absl::string_view pem, absl::Time at) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    ERR_clear_error();
    return absl::UnauthenticatedError("certificate does not parse as PEM X.509");
  }
  time_t t = absl::ToTimeT(at);
  if (X509_cmp_time(X509_get0_notBefore(cert.get()), &t) > 0)
    return absl::UnauthenticatedError(
        absl::StrCat("your certificate is not valid yet at ", absl::FormatTime(at)));
  if (X509_cmp_time(X509_get0_notAfter(cert.get()), &t) < 0)
    return absl::UnauthenticatedError(
        absl::StrCat("your certificate expired before ", absl::FormatTime(at),
                     "; this connection outlived it: connect again with a valid certificate"));
  return absl::OkStatus();
}

}  // namespace bidopen::crypto
