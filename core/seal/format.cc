#include "core/seal/format.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace bidopen::seal {

absl::Status CheckSuite(absl::string_view suite) {
  if (suite == kSuiteX25519Aes) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("sealed bid uses suite \"", suite,
                                                 "\"; this build knows only ", kSuiteX25519Aes));
}

absl::StatusOr<std::string> DrawRandom(const RandomFn& random, size_t n) {
  std::string bytes = random(n);
  if (bytes.size() != n)
    return absl::InternalError(
        absl::StrCat("random source gave ", bytes.size(), " bytes; asked for ", n));
  return bytes;
}

void AppendU32(std::string* out, uint32_t v) {
  const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                         static_cast<char>(v >> 8), static_cast<char>(v)};
  out->append(bytes, 4);
}

uint32_t ReadU32(absl::string_view bytes) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  return v;
}

std::string EncodeDeterministic(const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

}  // namespace bidopen::seal
