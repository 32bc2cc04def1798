#include "client/key_list.h"

#include "bidopen/v1/identity.grpc.pb.h"
#include "client/connection.h"
#include "core/status_macros.h"

namespace bidopen::client {

absl::StatusOr<std::vector<v1::RegisteredKey>> ListAllKeys(const Session& s, v1::Role role) {
  auto stub = v1::IdentityService::NewStub(s.channel);
  v1::ListKeysRequest req;
  req.set_role(role);
  std::vector<v1::RegisteredKey> keys;
  for (;;) {
    v1::ListKeysResponse page;
    BO_RETURN_IF_ERROR(s.Check(stub->ListKeys(CallContext().get(), req, &page)));
    for (v1::RegisteredKey& k : *page.mutable_keys()) keys.push_back(std::move(k));
    if (page.next_page_token().empty()) return keys;
    req.set_page_token(page.next_page_token());
  }
}

}  // namespace bidopen::client
