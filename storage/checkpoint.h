// Checkpoint: a compact snapshot of a table version in `_log/`
// (`<20-digit version>.checkpoint.json`, format in formats/checkpoint.md),
// plus the `_log/_last_checkpoint` pointer to the newest one, so opening
// any version reads one checkpoint and fewer than checkpoint_interval JSON
// files. Written streaming (buffered appends with a running CRC, never the
// whole file in one string) and atomically (temp file, fsync, rename, fsync
// of `_log/`); a torn or damaged checkpoint fails its checksum and is
// ignored in favour of replaying JSON versions, never trusted.
// Thread-safety: stateless functions; several writers of one checkpoint
// produce identical bytes, so the last rename wins harmlessly.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/env.h"
#include "storage/snapshot.h"

namespace tsl {

class Checkpoint {
 public:
  // "00000000000000000010.checkpoint.json"
  static std::string FileName(int64_t version);
  // -1 when `name` is not a checkpoint file name.
  static int64_t ParseFileName(std::string_view name);

  // Writes `snapshot` as the checkpoint of its version and points
  // `_last_checkpoint` at it (unless it already names a newer one).
  static Status Write(Env* env, const std::string& log_dir, const Snapshot& snapshot);
  // Reads the checkpoint of `version`. kNotFound when there is none;
  // kCorruption (naming the file and line) when its checksum, header or
  // actions are bad.
  static Result<std::shared_ptr<const Snapshot>> Read(Env* env, const std::string& log_dir,
                                                      int64_t version);
  // The same, into an empty `builder` (so a caller can replay the JSON
  // versions after it in place). On error the builder is unusable.
  static Status ReadInto(Env* env, const std::string& log_dir, int64_t version,
                         SnapshotBuilder* builder);
  // Versions of the checkpoint files in `log_dir`, ascending (unverified).
  static Result<std::vector<int64_t>> List(Env* env, const std::string& log_dir);
  // The version `_last_checkpoint` names; nullopt when it is missing or
  // damaged (then callers list the directory).
  static std::optional<int64_t> ReadLast(Env* env, const std::string& log_dir);
};

}  // namespace tsl
