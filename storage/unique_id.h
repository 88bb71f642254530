// Random identifiers for table ids, segment file names and commit temp
// files: RFC 4122 version-4 UUID text ("1b4e28ba-2fa1-41d2-883f-0016d3cca427").
// Thread-safety: each thread draws from its own generator.
#pragma once

#include <string>

namespace tsl {

std::string NewUniqueId();

}  // namespace tsl
