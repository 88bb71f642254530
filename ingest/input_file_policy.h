// Which files the readers may open. A COPY or read_<format>() naming a
// FIFO, a device or a socket would block forever (a FIFO with no writer),
// never end (/dev/zero) or touch hardware (a tape device), so those are
// refused unless the caller asks for them explicitly. Regular files (and
// symlinks to them) always pass. Thread-safety: stateless.
#pragma once

#include <string>

#include "formats/status.h"

namespace tsl {

// OK for a regular file, or for anything when allow_special_files. A path
// that does not exist (or a glob pattern) passes: the reader reports it.
// kInvalidArgument naming the path, what it is and the option that allows
// it. `function` names the caller in the message ("read_csv").
Status CheckInputFileType(const std::string& function, const std::string& path,
                          bool allow_special_files);

}  // namespace tsl
