// FileAccessPolicy, ResolvePath, CheckInputFileType: see
// file_access_policy.h.
#include "storage/file_access_policy.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace tsl {

namespace {

// Linux's own bound (MAXSYMLINKS) on symlinks followed while resolving.
constexpr int kMaxSymlinks = 40;

const char* DescribeSpecialFile(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return nullptr;  // the reader says "is a directory" itself
  return "not a regular file";
}

// Pushes the components of `path` onto `stack` so that the first one is
// popped first.
void PushComponents(const std::string& path, std::vector<std::string>* stack) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t slash = path.find('/', i);
    if (slash == std::string::npos) slash = path.size();
    if (slash > i) parts.push_back(path.substr(i, slash - i));
    i = slash + 1;
  }
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) stack->push_back(*it);
}

std::string Parent(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

bool HasGlob(const std::string& path) { return path.find_first_of("*?[") != std::string::npos; }

// The part of a glob pattern before its first component with a wildcard;
// sets *dotdot_after when a `..` follows that component (it could climb out
// of whatever directory the wildcard matched).
std::string GlobPrefix(const std::string& pattern, bool* dotdot_after) {
  std::vector<std::string> stack;
  PushComponents(pattern, &stack);
  std::string prefix = pattern.empty() || pattern[0] != '/' ? "" : "/";
  bool in_glob = false;
  *dotdot_after = false;
  while (!stack.empty()) {
    std::string c = std::move(stack.back());
    stack.pop_back();
    if (in_glob) {
      if (c == "..") *dotdot_after = true;
      continue;
    }
    if (HasGlob(c)) {
      in_glob = true;
      continue;
    }
    if (!prefix.empty() && prefix.back() != '/') prefix += '/';
    prefix += c;
  }
  return prefix.empty() ? "." : prefix;
}

}  // namespace

Result<std::string> ResolvePath(const std::string& path) {
  std::string current;
  if (!path.empty() && path[0] == '/') {
    current = "/";
  } else {
    char cwd[PATH_MAX];
    if (::getcwd(cwd, sizeof cwd) == nullptr)
      return Status::IOError(std::string("cannot read the working directory: ") + std::strerror(errno));
    // getcwd is already free of symlinks.
    current = cwd;
  }
  std::vector<std::string> stack;
  PushComponents(path, &stack);
  int links = 0;
  // Invariant: `current` is absolute and every component of it that exists
  // is a real directory (no symlink), so ".." is its lexical parent.
  bool exists = true;
  while (!stack.empty()) {
    std::string c = std::move(stack.back());
    stack.pop_back();
    if (c == ".") continue;
    if (c == "..") {
      current = Parent(current);
      continue;
    }
    std::string next = current == "/" ? "/" + c : current + "/" + c;
    struct stat st;
    if (!exists || ::lstat(next.c_str(), &st) != 0) {
      // Missing: what open(O_CREAT) would create, judged lexically.
      exists = false;
      current = std::move(next);
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      if (++links > kMaxSymlinks)
        return Status::InvalidArgument("\"" + path + "\" has too many levels of symbolic links");
      std::vector<char> target(static_cast<size_t>(st.st_size > 0 ? st.st_size : PATH_MAX) + 1);
      ssize_t n = ::readlink(next.c_str(), target.data(), target.size());
      if (n < 0) return Status::IOError("cannot read symbolic link " + next + ": " + std::strerror(errno));
      std::string to(target.data(), static_cast<size_t>(n));
      if (!to.empty() && to[0] == '/') current = "/";
      PushComponents(to, &stack);
      continue;
    }
    current = std::move(next);
  }
  return current;
}

bool IsInsideDirectory(const std::string& dir, const std::string& path) {
  if (dir.empty()) return false;
  if (dir == "/") return true;
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                         path[dir.size()] == '/');
}

FileAccessPolicy::FileAccessPolicy(const std::string& database_dir, bool read_only)
    : read_only_(read_only) {
  if (!database_dir.empty()) {
    Result<std::string> resolved = ResolvePath(database_dir);
    // Unresolvable (no working directory): keep the name as given, so the
    // rules still compare against something rather than nothing.
    database_dir_ = resolved.ok() ? *resolved : database_dir;
  }
}

Status FileAccessPolicy::SetExternalAccess(bool enabled) {
  if (enabled && !external_access()) {
    return Status::InvalidArgument(
        "Cannot change enable_external_access setting while database is running");
  }
  if (!enabled) external_access_.store(false, std::memory_order_release);
  return Status::OK();
}

Status FileAccessPolicy::Check(const std::string& what, const std::string& path,
                               FileAccess access) const {
  if (access == FileAccess::kWrite && read_only_) {
    return Status::NotSupported(what + ": the database is opened read-only, so it writes no file (\"" +
                                path + "\"); open it without --readonly (Options::read_only)");
  }
  if (access == FileAccess::kWrite && !external_access()) {
    return Status::NotSupported(
        "Permission Error: " + what + ": cannot write \"" + path +
        "\": file system operations are disabled by configuration (enable_external_access = false)");
  }
  const bool glob = access == FileAccess::kRead && HasGlob(path);
  bool dotdot_after_glob = false;
  const std::string to_resolve = glob ? GlobPrefix(path, &dotdot_after_glob) : path;
  ASSIGN_OR_RETURN(std::string resolved, ResolvePath(to_resolve));
  const bool inside = IsInsideDirectory(database_dir_, resolved) && !dotdot_after_glob;
  if (access == FileAccess::kRead) {
    if (external_access() || inside) return Status::OK();
    return Status::NotSupported(
        "Permission Error: " + what + ": cannot read \"" + path +
        "\": file system operations outside the database directory are disabled by configuration "
        "(enable_external_access = false)");
  }
  if (inside) {
    return Status::InvalidArgument(
        what + ": \"" + path + "\" is inside the database directory " + database_dir_ +
        (resolved == path ? std::string() : " (it resolves to " + resolved + ")") +
        ", whose files belong to the engine; writing there would break its tables. Write "
        "outside the database directory");
  }
  return Status::OK();
}

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
