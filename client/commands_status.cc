// `cpc status`: is the server there, and which facility and zone is it for.
#include "absl/time/time.h"
#include "client/commands.h"
#include "client/status_util.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

absl::Status RunStatus(Invocation& in) {
  v1::ServerInfo info;
  CPC_RETURN_IF_ERROR(
      in.conn.Call(&v1::ServerInfoService::Stub::GetServerInfo, v1::GetServerInfoRequest(),
                   &info));
  if (in.json) return PrintJson(info, in.out);
  in.out << "server     " << in.conn.options().server << " (reachable)\n"
         << "version    " << info.version() << "\n"
         << "facility   " << info.facility_code() << "\n"
         << "time zone  " << info.time_zone() << "\n"
         << "schema     " << info.schema_version() << "\n"
         << "you        "
         << (in.conn.options().user.empty() ? "(not logged in: `cpc login USER`)"
                                            : in.conn.options().user)
         << "\n";
  // Times here are typed and shown in this terminal's zone; say so when that
  // is not the facility's, before someone records a harvest 9 hours off.
  absl::TimeZone facility;
  if (absl::LoadTimeZone(info.time_zone(), &facility) &&
      facility.At(in.time.now).offset != in.time.zone.At(in.time.now).offset) {
    in.out << "note       this terminal's time zone ("
           << absl::FormatTime("%Z", in.time.now, in.time.zone)
           << ") is not the facility's; set TZ=" << info.time_zone() << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> StatusCommands() {
  return {{.noun = "status",
           .summary = "Check the server is reachable; show its version, facility and time zone",
           .example = "cpc status --server cpc-server:50051",
           .run = RunStatus}};
}

}  // namespace cpc
