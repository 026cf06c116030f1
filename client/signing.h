// Electronic signatures from the command line: the signer (the logged-in
// user) re-enters their password for each signed step (result review,
// deviation disposition, release).
#ifndef CPCTRACK_CLIENT_SIGNING_H_
#define CPCTRACK_CLIENT_SIGNING_H_

#include "absl/status/status.h"
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/command_line.h"
#include "client/commands.h"
#include "cpctrack/v1/signatures.pb.h"

namespace cpc {

// --password-stdin: the password from the first line of stdin (scripts).
FlagSpec PasswordStdinFlag();

// Asks the logged-in user for their password to sign `what` (e.g. "the
// release of batch …") and puts it in `signature`. Nothing is sent yet.
absl::Status Sign(Invocation& in, absl::string_view what,
                  cpctrack::v1::SignatureRequest* signature);

// Asks `signer`, a second person beside the logged-in user (e.g. the
// bedside's verifier), for their own password to sign `what` ("that you
// verified …"). With --password-stdin it reads the next line of stdin, after
// the logged-in user's own (Sign) when both sign.
absl::Status SignAsSecondPerson(Invocation& in, absl::string_view signer, absl::string_view what,
                                cpctrack::v1::SignatureRequest* signature);

// "Signed by Tanaka Yui (qa.tanaka) at 2026-11-25 10:00 JST: reviewed: …".
std::string SignatureLine(const cpctrack::v1::Signature& signature, absl::TimeZone zone);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_SIGNING_H_
