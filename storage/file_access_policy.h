// FileAccessPolicy: the one place that decides which files a statement (or
// the shell) may open, for one database. Every path a user names goes
// through it: the read_<format>() table functions and COPY ... FROM (wrapped
// once in shell/api/input_file_guard.cc), COPY ... TO and its Delta mirror
// (query/main/copy_to_executor.cc), and the shell's .output/.once
// (tslake::Database::CheckOutputFile). The rules:
//
//   1. Nothing is ever written inside the database directory: its files
//      belong to the engine, and a COPY over `_log/<version>.json` or a
//      segment breaks the table. Paths are resolved as the kernel would
//      open them (relative to the working directory, `..`, every symlink,
//      including a dangling one whose target would be created; a file that
//      does not exist yet is judged by its resolved parent).
//   2. A read-only database writes no file at all (COPY ... TO is refused).
//      The shell's own .output/.once are not the database's writes and stay
//      allowed, outside the database directory (rule 1).
//   3. With external access disabled (SQL `SET enable_external_access =
//      false`, Options::enable_external_access), as in DuckDB, nothing
//      outside the database directory is read or written; reads inside it
//      stay allowed, writes inside it never are (rule 1), so no file is
//      written at all. Once disabled it cannot be enabled again in that
//      database (a statement run by an untrusted caller must not undo it).
//   4. Readers open regular files only unless asked (CheckInputFileType):
//      a FIFO blocks forever, /dev/zero never ends.
//
// The check happens before the file is opened; a path swapped for a
// symlink between the check and the open is not caught (the files it
// guards are the caller's own).
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <atomic>
#include <string>

#include "formats/status.h"

namespace tsl {

enum class FileAccess {
  kRead,         // a reader opening an input
  kWrite,        // the database writing a file (COPY ... TO, a Delta mirror)
  kShellOutput,  // the shell's .output / .once: rule 1 only
};

class FileAccessPolicy {
 public:
  // `database_dir`: the database directory on the real file system, or ""
  // when the database has none (in memory, or a test Env): then nothing is
  // "inside" it. `read_only`: the database's mode.
  FileAccessPolicy(const std::string& database_dir, bool read_only);

  // OK when `path` may be opened for `access`. Errors name `what`, the path, the rule and what to
  // do: kInvalidArgument inside the database directory, kNotSupported when read-only or without
  // external access (then the message starts with DuckDB's "Permission Error").
  Status Check(const std::string& what, const std::string& path, FileAccess access) const;

  // SET enable_external_access: false is final; setting true after false is
  // kInvalidArgument with DuckDB's wording.
  Status SetExternalAccess(bool enabled);
  bool external_access() const { return external_access_.load(std::memory_order_acquire); }

  // The resolved database directory ("" when it has none).
  const std::string& database_dir() const { return database_dir_; }

 private:
  std::string database_dir_;
  bool read_only_;
  std::atomic<bool> external_access_{true};
};

// `path` as an absolute path with every symlink resolved as open() would
// (a dangling symlink to its target, `..` after the symlink-free prefix),
// components that do not exist kept lexically. kInvalidArgument on a
// symlink loop; kIOError when the working directory cannot be read.
Result<std::string> ResolvePath(const std::string& path);

// True when resolved path `path` is `dir` or lies below it. Both must come
// from ResolvePath.
bool IsInsideDirectory(const std::string& dir, const std::string& path);

// Rule 4. OK for a regular file, or for anything when allow_special_files.
// A path that does not exist (or a glob pattern) passes: the reader reports
// it. kInvalidArgument naming the path, what it is and the option that
// allows it. `function` names the caller in the message ("read_csv").
Status CheckInputFileType(const std::string& function, const std::string& path,
                          bool allow_special_files);

}  // namespace tsl
