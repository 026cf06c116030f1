// First start-up of a new database: the ready-made product, so a fresh
// server is ready for a demo without any set-up.
#ifndef CPCTRACK_SERVER_BOOTSTRAP_H_
#define CPCTRACK_SERVER_BOOTSTRAP_H_

#include "absl/status/status.h"
#include "store/store.h"

namespace cpctrack::server {

// Adds domain::DefaultProduct() (with an audit entry by "cpcd") when no
// product is defined, its IFATS/ISCT 2013 version when the latest still judges
// by ISCT 2006, and domain::FreshProduct() when ADSC-FRESH is not defined.
// Does nothing further on later start-ups.
absl::Status SeedDefaults(store::Store& store);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_BOOTSTRAP_H_
