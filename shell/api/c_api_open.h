// The step tslake_open and tslake_open_ext share once each has read its
// options (c_api.cc), so the handle registry stays private to c_api.cc.
// Thread-safety: any thread.
#pragma once

#include "tslake/tslake.h"
#include "tslake/tslake.hpp"

namespace tslake::capi {

// Opens `path` with `options` into a new registered handle. TSLAKE_OK and
// *out_db set; else tslake_open's codes, *errmsg (when given) a message the
// caller frees. REQUIRES: out_db non-NULL, *out_db and *errmsg NULL.
int OpenDatabase(const char* path, const tslake::Options& options, tslake_database** out_db,
                 char** errmsg);

}  // namespace tslake::capi
