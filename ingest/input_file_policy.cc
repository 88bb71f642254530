// CheckInputFileType: see input_file_policy.h.
#include "ingest/input_file_policy.h"

#include <sys/stat.h>

namespace tsl {

namespace {

const char* DescribeSpecialFile(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return nullptr;  // the reader says "is a directory" itself
  return "not a regular file";
}

}  // namespace

Status CheckInputFileType(const std::string& function, const std::string& path,
                          bool allow_special_files) {
  if (allow_special_files) return Status::OK();
  struct stat st;
  // stat, not open: opening a FIFO with no writer blocks, and opening some
  // devices has side effects. stat follows symlinks, so a link to a FIFO is
  // caught too.
  if (::stat(path.c_str(), &st) != 0) return Status::OK();
  if (S_ISREG(st.st_mode)) return Status::OK();
  const char* what = DescribeSpecialFile(st.st_mode);
  if (what == nullptr) return Status::OK();
  return Status::InvalidArgument(
      function + ": \"" + path + "\" is " + what +
      "; only regular files are read unless asked: add allow_special_files => true (in COPY: "
      "ALLOW_SPECIAL_FILES true)");
}

}  // namespace tsl
