// The emulator tests put in front of the tslake binary when they start it
// themselves: `./run aarch64` runs the test binaries under
// qemu-aarch64-static and sets TSLAKE_TEST_EMULATOR to it, because without
// binfmt_misc an emulated test cannot exec an aarch64 binary directly.
// Empty (run the binary itself) when the variable is unset.
// Thread-safety: reads the environment only.
#pragma once

#include <cstdlib>
#include <string>

namespace tslake::testing {

inline std::string TestEmulator() {
  const char* e = std::getenv("TSLAKE_TEST_EMULATOR");
  return e != nullptr ? std::string(e) : std::string();
}

}  // namespace tslake::testing
