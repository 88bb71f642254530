// Snapshot: the state of a table at one version, the replay of its log
// (protocol, metadata, live files, app transaction versions).
// Immutable once built; share it freely across threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "formats/log_action.h"
#include "storage/file_list.h"

namespace tsl {

class SnapshotBuilder;

class Snapshot {
 public:
  int64_t version() const { return version_; }
  // commitInfo timestamp of this version, ms since epoch.
  int64_t timestamp_ms() const { return timestamp_ms_; }
  const ProtocolAction& protocol() const { return protocol_; }
  const MetaDataAction& metadata() const { return metadata_; }
  // The logical schema (names as users see them).
  const Schema& schema() const { return metadata_.schema; }
  // The same fields under their physical names: the names segment footers
  // and add stats use (equal to schema() until a column is renamed).
  const Schema& physical_schema() const { return physical_schema_; }
  // Live files in a stable order (the order they were added). Copying a
  // snapshot shares the AddActions (file_list.h).
  const FileList& files() const { return files_; }
  int64_t total_rows() const;
  // Last committed version of each txn app id.
  const std::map<std::string, int64_t>& app_versions() const { return app_versions_; }
  // True for the view of an explicit transaction (Uncommitted below): its
  // files are in no log version, so the catalog's index of this version
  // does not describe it and must not choose its segments.
  bool uncommitted() const { return uncommitted_; }

  // `base` with `removed` (paths of its live files) gone and `added`
  // (written, fsynced, in no version yet) live: what an explicit
  // transaction reads (read-your-writes). Keeps base's version number.
  static std::shared_ptr<const Snapshot> Uncommitted(const Snapshot& base,
                                                     const std::vector<std::string>& removed,
                                                     const std::vector<AddAction>& added);

  // Applies one version's actions to `base` (nullable for version 0).
  // kCorruption when the actions break the protocol (a remove of an unknown
  // file, a version without metadata ...), naming `file_name`.
  static Result<std::shared_ptr<const Snapshot>> Apply(const Snapshot* base, int64_t version,
                                                       const std::vector<LogAction>& actions,
                                                       std::string_view file_name);
  // The snapshot a checkpoint describes: `actions` hold protocol,
  // metaData, txn and add actions only; `timestamp_ms` is the version's
  // commit time. kCorruption as Apply.
  static Result<std::shared_ptr<const Snapshot>> FromCheckpoint(
      int64_t version, int64_t timestamp_ms, const std::vector<LogAction>& actions,
      std::string_view file_name);

 private:
  friend class SnapshotBuilder;

  int64_t version_ = -1;
  int64_t timestamp_ms_ = 0;
  ProtocolAction protocol_;
  MetaDataAction metadata_;
  Schema physical_schema_;
  FileList files_;
  std::map<std::string, int64_t> app_versions_;
  bool uncommitted_ = false;
};

// Builds a snapshot by applying versions in place, one after the other:
// the cost is linear in the number of actions replayed (Snapshot::Apply
// copies its base's file pointers, so replaying n versions through it
// copies the list n times). Not thread-safe; one builder per replay.
class SnapshotBuilder {
 public:
  // Starts from a copy of `base`, or from nothing when null (then the
  // first call is version 0 or a checkpoint).
  explicit SnapshotBuilder(const Snapshot* base = nullptr);
  // Starts from `base` itself when nobody else holds it (use_count 1),
  // else from a copy.
  explicit SnapshotBuilder(std::shared_ptr<const Snapshot> base);

  // -1 before anything was applied.
  int64_t version() const { return snap_ ? snap_->version_ : -1; }
  // Applies version `version` (must be version() + 1). Adds are moved out
  // of `actions`. Errors as Snapshot::Apply; the builder is then unusable.
  Status Apply(int64_t version, std::vector<LogAction>&& actions, std::string_view file_name);
  // Starts from a checkpoint's actions (protocol, metaData, txn, add only).
  // REQUIRES: nothing applied yet.
  Status ApplyCheckpoint(int64_t version, int64_t timestamp_ms, std::vector<LogAction>&& actions,
                         std::string_view file_name);
  // The snapshot so far; the builder is empty afterwards.
  std::shared_ptr<const Snapshot> Finish();

 private:
  friend class Snapshot;  // Snapshot::Apply sets single_step_
  Status ApplyImpl(int64_t version, std::vector<LogAction>& actions, std::string_view file_name,
                   bool from_checkpoint);
  void Compact();
  // Whether `path` is a live file, by a scan (live_ not built).
  bool IsLive(const std::string& path) const;

  std::shared_ptr<Snapshot> snap_;
  void RebuildLive();
  // Set by Snapshot::Apply: one version on a copied base, so building
  // live_ would cost more than scanning for a few adds.
  bool single_step_ = false;

  // Live path -> index in snap_->files_. Keys view the paths inside the
  // list's AddActions (stable); the map is rebuilt when Compact renumbers.
  std::unordered_map<std::string_view, size_t> live_;
  bool live_built_ = false;
  std::vector<bool> removed_;                     // per index in snap_->files_
  size_t num_removed_ = 0;
};

}  // namespace tsl
