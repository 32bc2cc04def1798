// The one deterministic protobuf encoding of everything that is hashed or
// signed: events, sealed headers and manifests, statements, receipt bodies.
// Fields in field-number order, defaults left out (docs/sealed-bid-format.md
// "Deterministic protobuf").
#ifndef BIDOPEN_CORE_DETERMINISTIC_H_
#define BIDOPEN_CORE_DETERMINISTIC_H_

#include <google/protobuf/message_lite.h>

#include <string>

namespace bidopen {

std::string EncodeDeterministic(const google::protobuf::MessageLite& message);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_DETERMINISTIC_H_
