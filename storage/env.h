// Env: the one seam for every file operation in storage/ (LevelDB's Env).
// Tests wrap it to inject faults (fail the N-th write or fsync, drop unsynced
// bytes). PosixEnv talks to the OS; MemEnv backs in-memory databases.
// Thread-safety: Env methods are safe to call from several threads; a
// WritableFile belongs to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formats/byte_source.h"
#include "formats/status.h"

namespace tsl {

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Makes everything appended so far durable (fdatasync/fsync).
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
};

class RandomAccessFile : public ByteSource {};

class Env {
 public:
  virtual ~Env() = default;

  // Creates `path`, truncating an existing file. Mode 0644.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  virtual Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) = 0;
  virtual Result<std::string> ReadFileToString(const std::string& path) = 0;
  virtual bool FileExists(const std::string& path) = 0;
  virtual Result<uint64_t> GetFileSize(const std::string& path) = 0;
  // Last modification time, micros since epoch (VACUUM's orphan rule).
  // The default, for wrappers that do not forward it, is kNotSupported;
  // VACUUM then never deletes an orphan it cannot date.
  virtual Result<int64_t> GetFileModificationMicros(const std::string& path) {
    return Status::NotSupported("modification time of " + path);
  }
  // Names (not paths) of the entries of `dir`, without "." and "..".
  virtual Result<std::vector<std::string>> GetChildren(const std::string& dir) = 0;
  virtual bool IsDirectory(const std::string& path) = 0;
  // True when `path` itself is a symbolic link (lstat). Scans refuse data
  // files reached through one. The default, for Envs without links, is false.
  virtual bool IsSymlink(const std::string& path) {
    (void)path;
    return false;
  }
  // OK when the directory already exists. Mode 0755.
  virtual Status CreateDirIfMissing(const std::string& dir) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  // Removes an empty directory.
  virtual Status RemoveDir(const std::string& dir) = 0;
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  // Put-if-absent: creates `to` as a hard link to `from`. kAlreadyExists,
  // never an overwrite, when `to` exists. The log's commit point.
  virtual Status LinkFile(const std::string& from, const std::string& to) = 0;
  // fsyncs the directory so created, linked or removed names are durable.
  virtual Status SyncDir(const std::string& dir) = 0;
  virtual int64_t NowMicros() = 0;

  // The process-wide POSIX Env. Never deleted.
  static Env* Default();
};

// An Env that keeps every file in memory (for in-memory databases and tests).
std::unique_ptr<Env> NewMemEnv();

// Joins path parts with '/'.
std::string JoinPath(std::string_view a, std::string_view b);

// Writes `data` to `path` through `env` and fsyncs it (not the directory).
Status WriteFileSync(Env* env, const std::string& path, std::string_view data);

}  // namespace tsl
