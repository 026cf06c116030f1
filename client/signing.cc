#include "client/signing.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "client/password_prompt.h"
#include "client/status_util.h"
#include "client/time_format.h"

namespace cpc {

FlagSpec PasswordStdinFlag() {
  return {.name = kPasswordStdinFlag,
          .help = "read the password from the first line of stdin (scripts) instead of "
                  "asking on the terminal"};
}

absl::Status Sign(Invocation& in, absl::string_view what,
                  cpctrack::v1::SignatureRequest* signature) {
  const std::string& user = in.conn.options().user;
  if (user.empty()) {
    return absl::UnauthenticatedError("signing needs a session: log in first (`cpc login`)");
  }
  CPC_ASSIGN_OR_RETURN(std::string password,
                       ReadPassword(absl::StrCat("Signing ", what, " as ", user,
                                                 ". Password: "),
                                    in.args.Has(kPasswordStdinFlag)));
  signature->set_password(std::move(password));
  return absl::OkStatus();
}

absl::Status SignAsSecondPerson(Invocation& in, absl::string_view signer, absl::string_view what,
                                cpctrack::v1::SignatureRequest* signature) {
  CPC_ASSIGN_OR_RETURN(std::string password,
                       ReadPassword(absl::StrCat(signer, ": sign ", what,
                                                 ". Your password (", signer, "): "),
                                    in.args.Has(kPasswordStdinFlag)));
  signature->set_password(std::move(password));
  return absl::OkStatus();
}

std::string SignatureLine(const cpctrack::v1::Signature& signature, absl::TimeZone zone) {
  const absl::Time at = FromProto(signature.signed_at());
  return absl::StrCat("  Signed by ", signature.full_name(), " (", signature.signer(), ") at ",
                      FormatLocalTimeWithZone(at, zone), ": ", signature.meaning());
}

}  // namespace cpc
