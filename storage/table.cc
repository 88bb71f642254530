// Table: opening, snapshots (from the newest checkpoint at or below a
// version plus the JSON versions after it, with an incrementally maintained
// cache of the latest one), time travel, history and optimistic-concurrency
// commits. The commit protocol itself (invariants (1)-(7)) is in
// transaction_log.cc and checkpoints' (8)-(10) in checkpoint.cc; this file
// adds the conflict rules of transaction.h, keeps the catalog in step after
// each durable commit, and writes checkpoints and cleans the log after it.
//
// A table belongs to a read-only database when its Catalog is read-only;
// CommitActions then refuses with kInvalidArgument "database opened
// read-only" before touching the log.
//
// Thread-safety: mu_ guards the cached latest snapshot; the log serializes
// commits between threads and processes, so CommitActions runs unlocked.
#include "storage/table.h"

#include "formats/mutex.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <climits>
#include <set>

#include "formats/timestamp.h"
#include "storage/catalog.h"
#include "storage/checkpoint.h"
#include "storage/table_properties.h"
#include "storage/table_scan.h"
#include "storage/tag_index.h"
#include "storage/transaction.h"
#include "storage/transaction_log.h"
#include "storage/unique_id.h"

namespace tsl {
namespace {

// The newest protocol writer version this build implements.
constexpr int kMaxWriterVersion = 2;
// Bounds the blind-append retry loop; each retry means another writer made
// progress, so this is reached only under pathological contention.
constexpr int kMaxCommitAttempts = 10000;

std::string BaseName(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

std::string ParentDir(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : p.substr(0, slash);
}

// A version a blind append may commit on top of without re-reading: it only
// added files (no removes, no metadata or protocol change).
bool IsBlindAppend(const std::vector<LogAction>& actions) {
  for (const LogAction& a : actions) {
    if (const auto* add = std::get_if<AddAction>(&a)) {
      if (!add->data_change) return false;
    } else if (!std::holds_alternative<CommitInfoAction>(a) &&
               !std::holds_alternative<TxnAction>(a)) {
      return false;
    }
  }
  return true;
}

// Why the winning version `winner` conflicts with `ours` (a commit that
// read an older version), or "" when `ours` may simply be retried on top of
// it. The rules are listed in transaction.h.
std::string ConflictReason(const std::vector<LogAction>& winner,
                           const std::vector<LogAction>& ours) {
  std::map<std::string, int> our_removes;
  std::map<std::string, int> our_apps;
  bool our_metadata = false;
  for (const LogAction& a : ours) {
    if (const auto* rm = std::get_if<RemoveAction>(&a)) our_removes[rm->path] = 1;
    if (const auto* t = std::get_if<TxnAction>(&a)) our_apps[t->app_id] = 1;
    if (std::holds_alternative<MetaDataAction>(a) || std::holds_alternative<ProtocolAction>(a))
      our_metadata = true;
  }
  for (const LogAction& a : winner) {
    if (std::holds_alternative<MetaDataAction>(a) || std::holds_alternative<ProtocolAction>(a))
      return "it changed the table's metadata";  // (a)
    if (const auto* rm = std::get_if<RemoveAction>(&a); rm && our_removes.count(rm->path))
      return "it removed \"" + rm->path + "\", which this statement also removes";  // (b)
    if (const auto* t = std::get_if<TxnAction>(&a); t && our_apps.count(t->app_id))
      return "it committed for application \"" + t->app_id + "\" too";  // (c)
  }
  if (our_metadata) return "this statement changes the table's metadata";  // (a)
  return "";  // (d)
}

std::string OperationOf(const std::vector<LogAction>& actions) {
  for (const LogAction& a : actions)
    if (const auto* c = std::get_if<CommitInfoAction>(&a)) return c->operation;
  return "an unknown operation";
}

Status ValidateSchema(const std::string& name, const Schema& schema) {
  if (schema.fields.empty())
    return Status::InvalidArgument("table \"" + name + "\" needs at least one column");
  for (size_t i = 0; i < schema.size(); ++i) {
    const Field& f = schema.fields[i];
    if (f.name.empty())
      return Status::InvalidArgument("column " + std::to_string(i + 1) + " of table \"" + name +
                                     "\" has an empty name");
    if (f.type == TypeId::kNull)
      return Status::InvalidArgument("column \"" + f.name + "\" of table \"" + name +
                                     "\" has type " + std::string(TypeName(f.type)) +
                                     ", which cannot be stored");
    for (size_t j = 0; j < i; ++j)
      if (EqualsIgnoreCase(schema.fields[j].name, f.name))
        return Status::InvalidArgument("table \"" + name + "\" has two columns named \"" +
                                       f.name + "\"");
  }
  return Status::OK();
}

}  // namespace

struct Table::Impl {
  Impl(Env* e, Catalog* c, std::string d, std::string n)
      : env(e), catalog(c), dir(std::move(d)), name(std::move(n)), log(env, dir) {}

  Env* env;
  Catalog* catalog;  // nullable
  std::string dir;
  std::string name;
  TransactionLog log;

  // Set once the whole log was listed and found without gaps (CheckLogOnce).
  mutable std::atomic<bool> log_checked{false};

  mutable tsl::Mutex mu;
  mutable std::shared_ptr<const Snapshot> latest GUARDED_BY(mu);
  // CreatePending: version -1 holding the protocol and metaData version 0
  // will carry; cleared by the commit of version 0.
  mutable std::shared_ptr<const Snapshot> pending GUARDED_BY(mu);
  // A few older snapshots asked for by time travel, so repeated AS OF
  // statements, and nearby versions, do not replay from version 0.
  static constexpr size_t kOldSnapshotCacheSize = 8;
  mutable std::map<int64_t, std::shared_ptr<const Snapshot>> old_snapshots GUARDED_BY(mu);

  // Brings `latest` up to the newest committed version, applying only the
  // versions after the cached one. REQUIRES: mu held.
  Result<std::shared_ptr<const Snapshot>> RefreshLatestLocked() const REQUIRES(mu) {
    if (latest == nullptr) {
      ASSIGN_OR_RETURN(int64_t v, FindLatestVersion(-1));
      if (v < 0 && pending != nullptr) return pending;
      if (v < 0)
        return Status::NotFound("table \"" + name + "\" has no committed version in " +
                                log.log_dir());
      ASSIGN_OR_RETURN(latest, LoadSnapshot(v, nullptr));
      return latest;
    }
    if (!log.VersionExists(latest->version() + 1)) return latest;
    // New versions of another table (this one was dropped and re-created
    // by another handle or process) are never applied on top of the old
    // state, and the handle stays bound to the table it opened, so a
    // writer that started on it can never commit into the new one
    // (invariant (12)).
    ASSIGN_OR_RETURN(std::string table_id, log.TableIdOfVersionZero());
    if (!table_id.empty() && table_id != latest->metadata().id)
      return Status::Conflict("table \"" + name + "\" was dropped and re-created by another " +
                              "connection or process since this one opened it (table id " +
                              latest->metadata().id + ", now " + table_id +
                              "); open the database again to use the new table");
    // Apply the new versions in place on one copy of the cached snapshot
    // (readers holding the old one keep it unchanged).
    SnapshotBuilder builder(latest.get());
    for (int64_t v = latest->version() + 1; log.VersionExists(v); ++v) {
      ASSIGN_OR_RETURN(std::vector<LogAction> actions, log.ReadVersion(v));
      RETURN_IF_ERROR(builder.Apply(v, std::move(actions), log.VersionPath(v)));
    }
    latest = builder.Finish();
    return latest;
  }

  // The newest committed version: probes upward from the newest version
  // known (`known`, the checkpoint hint) instead of listing a long log. The
  // first call on a handle lists `_log/` once and checks it has no gap
  // (CheckLogOnce); later calls only probe. -1 when there is none.
  Result<int64_t> FindLatestVersion(int64_t known) const {
    if (!log_checked.load(std::memory_order_acquire)) {
      ASSIGN_OR_RETURN(int64_t listed, CheckLogOnce());
      log_checked.store(true, std::memory_order_release);
      known = std::max(known, listed);
    }
    std::optional<int64_t> hint = Checkpoint::ReadLast(env, log.log_dir());
    int64_t v = std::max(known, hint ? *hint : int64_t{-1});
    if (v < 0 || !log.VersionExists(v)) return log.LatestVersion();
    while (log.VersionExists(v + 1)) ++v;
    return v;
  }

  // Invariant (5) on read: one listing of `_log/` per handle. The JSON
  // versions must be contiguous, the newest checkpoint's version must have
  // its JSON file (log retention never removes it), and versions removed
  // below the oldest JSON one need a checkpoint replacing them. Anything
  // else is a lost log file: kCorruption naming the table and the version,
  // never a silently older table (issue 15 item 7). A finding is confirmed
  // by stats in an order that rules out a commit or a log retention
  // running concurrently with the listing. Returns the newest JSON
  // version (-1 for none).
  Result<int64_t> CheckLogOnce() const {
    if (!env->IsDirectory(log.log_dir())) return int64_t{-1};
    ASSIGN_OR_RETURN(std::vector<std::string> names, env->GetChildren(log.log_dir()));
    std::vector<int64_t> versions, checkpoints;
    for (const std::string& n : names) {
      if (int64_t v = TransactionLog::ParseVersionFileName(n); v >= 0) versions.push_back(v);
      else if (int64_t c = Checkpoint::ParseFileName(n); c >= 0) checkpoints.push_back(c);
    }
    std::sort(versions.begin(), versions.end());
    std::sort(checkpoints.begin(), checkpoints.end());
    auto lost = [&](int64_t v, const std::string& why) {
      return Status::Corruption("version " + std::to_string(v) + " of table \"" + name +
                                "\" is missing from its log " + log.log_dir() + " (" + why +
                                "): a lost log file. Reading an older version or committing " +
                                "a new version " + std::to_string(v) + " would be wrong; " +
                                "restore the file from a backup (tslake check lists the damage)");
    };
    for (size_t i = 1; i < versions.size(); ++i) {
      const int64_t lo = versions[i - 1], hi = versions[i];
      if (hi == lo + 1) continue;
      // hi existed before lo+1 was looked at, and lo after: lo+1 was
      // committed before hi and is gone, but log retention would have
      // removed lo first.
      if (log.VersionExists(hi) && !log.VersionExists(lo + 1) && log.VersionExists(lo))
        return lost(lo + 1, "found versions " + std::to_string(lo) + " and " + std::to_string(hi));
    }
    const int64_t newest = versions.empty() ? -1 : versions.back();
    if (!checkpoints.empty() && checkpoints.back() > newest) {
      const int64_t c = checkpoints.back();
      if (env->FileExists(JoinPath(log.log_dir(), Checkpoint::FileName(c))) &&
          !log.VersionExists(c))
        return lost(c, "its checkpoint exists");
    }
    if (!versions.empty() && versions.front() > 0) {
      const int64_t o = versions.front();
      bool replaced = false;
      for (int64_t c : checkpoints) replaced = replaced || (c >= o - 1 && c <= newest);
      if (!replaced && !log.VersionExists(o - 1) && log.VersionExists(o))
        return lost(o - 1, "versions 0 to " + std::to_string(o - 1) +
                               " are missing and no checkpoint replaces them");
    }
    return newest;
  }

  // The snapshot at `version`: `base` (a snapshot at or below it) plus the
  // versions after it, or, when that means replaying more than a
  // checkpoint interval, the newest readable checkpoint at or below
  // `version` plus the versions after that. A damaged checkpoint is
  // skipped for an older one or for replay from version 0 (invariant (9)).
  Result<std::shared_ptr<const Snapshot>> LoadSnapshot(
      int64_t version, std::shared_ptr<const Snapshot> base) const {
    constexpr int64_t kReplayWithoutCheckpoint = 10;
    SnapshotBuilder builder;
    if (base == nullptr || version - base->version() > kReplayWithoutCheckpoint) {
      const int64_t floor = base ? base->version() : -1;  // only checkpoints newer than base
      auto usable = [&](int64_t c) { return c <= version && c > floor; };
      auto try_read = [&](int64_t c) {
        Status st = Checkpoint::ReadInto(env, log.log_dir(), c, &builder);
        if (!st.ok()) builder = SnapshotBuilder();
        return st.ok();
      };
      // The newest checkpoint at or below `version`: the hint when it
      // qualifies (opening the latest version), else a listing of `_log/`
      // (time travel), newest first.
      std::optional<int64_t> hint = Checkpoint::ReadLast(env, log.log_dir());
      const bool hint_first =
          hint && usable(*hint) && *hint > version - kReplayWithoutCheckpoint;
      bool found = hint_first && try_read(*hint);
      // Probe the names of the last few versions before listing `_log/`
      // (a long log lists tens of thousands of names).
      constexpr int64_t kProbeVersions = 100;
      int64_t probed_down_to = version + 1;
      for (int64_t c = version; !found && c > floor && c > version - kProbeVersions; --c) {
        probed_down_to = c;
        if (hint_first && c == *hint) continue;
        if (env->FileExists(JoinPath(log.log_dir(), Checkpoint::FileName(c)))) found = try_read(c);
      }
      if (!found) {
        ASSIGN_OR_RETURN(std::vector<int64_t> all, Checkpoint::List(env, log.log_dir()));
        for (auto it = all.rbegin(); it != all.rend() && !found; ++it)
          if (usable(*it) && *it < probed_down_to) found = try_read(*it);
      }
      if (found) base = nullptr;
    }
    if (base != nullptr) builder = SnapshotBuilder(std::move(base));
    for (int64_t v = builder.version() + 1; v <= version; ++v) {
      Result<std::vector<LogAction>> actions = log.ReadVersion(v);
      if (!actions.ok() && actions.status().IsNotFound()) {
        if (builder.version() >= 0)  // (5) versions after a readable state are contiguous
          return Status::Corruption(log.VersionPath(v) + " is missing but version " +
                                    std::to_string(version) + " exists (a lost log file)");
        return Status::NotFound("version " + std::to_string(version) + " of table \"" + name +
                                "\" can no longer be read: its log files were removed by log " +
                                "retention and no readable checkpoint covers it");
      }
      if (!actions.ok()) return actions.status();
      RETURN_IF_ERROR(builder.Apply(v, std::move(actions).value(), log.VersionPath(v)));
    }
    return builder.Finish();
  }

  Result<CommitInfoAction> ReadCommitInfo(int64_t version) const {
    ASSIGN_OR_RETURN(std::vector<LogAction> actions, log.ReadVersion(version));
    for (const LogAction& a : actions)
      if (const auto* c = std::get_if<CommitInfoAction>(&a)) return *c;
    return Status::Corruption(log.VersionPath(version) + ": version has no commitInfo");
  }

  // Commit timestamps are kept strictly increasing so time travel by
  // timestamp is well defined even when the clock steps back.
  Result<int64_t> NextCommitTimestamp(int64_t version) const {
    int64_t now_ms = env->NowMicros() / 1000;
    if (version == 0) return now_ms;
    int64_t prev = -1;
    {
      tsl::MutexLock l(mu);
      if (latest && latest->version() == version - 1) prev = latest->timestamp_ms();
    }
    if (prev < 0) {
      ASSIGN_OR_RETURN(CommitInfoAction info, ReadCommitInfo(version - 1));
      prev = info.timestamp;
    }
    return std::max(now_ms, prev + 1);
  }

  // Keeps the catalog in step with a durable commit. Failures only mark the
  // table stale: the log is the truth and Database::Open reconciles.
  void UpdateCatalog(int64_t version, const std::vector<LogAction>& actions,
                     const Schema& schema, const Table* table,
                     const std::string& table_id) const {
    if (catalog == nullptr) return;
    // A DROP TABLE + CREATE of the same name after this commit owns the
    // catalog row now: a late update would overwrite the new table's row
    // with the dropped table's state (DropRace: "records version 9 but the
    // log ends at 0"). A table whose log is gone is left to the DROP.
    // The catalog calls below are keyed by the table id too, which closes
    // the window between this check and them.
    if (!table_id.empty()) {
      if (!env->IsDirectory(log.log_dir())) return;
      Result<std::string> now = log.TableIdOfVersionZero();
      if (!now.ok() || (!now->empty() && *now != table_id)) return;
    }
    const std::string dir_name = BaseName(dir);
    // Adds without writer figures (RESTORE re-adds old files) are read for
    // the tag index.
    std::vector<LogAction> filled;
    const bool fill = HasAddWithoutTagRanges(actions);
    if (fill) {
      filled = actions;
      (void)FillMissingTagRanges(env, dir, schema, &filled);
    }
    Result<bool> applied =
        catalog->ApplyCommit(name, dir_name, schema, version, fill ? filled : actions, table_id);
    Status st = applied.status();
    if (applied.ok() && !*applied) {
      // The catalog is behind (a concurrent committer got there first or a
      // previous update failed): copy the whole latest state instead.
      Result<std::shared_ptr<const Snapshot>> snap = table->GetSnapshot();
      st = snap.ok() ? SyncCatalogTable(catalog, env, dir, name, **snap, !table_id.empty())
                     : snap.status();
    }
    if (!st.ok()) (void)catalog->MarkStale(name);
  }

  // After a durable commit: a checkpoint once `interval` versions have
  // passed since the last one, then log retention. Both only save work for
  // readers, so their failures are not the commit's (the next commit tries
  // again). Unless checkpoint_interval is set explicitly, the interval grows
  // with the live files (at least a tenth of them): a checkpoint holds every
  // live file, so a fixed interval made every 10th commit of a table of
  // 10,000 small segments rewrite megabytes (the flush bench's p99 grew
  // with the table); with the interval proportional to its size, writing
  // checkpoints costs O(1) per commit amortized, and a reader still replays
  // at most a tenth as many JSON versions as the checkpoint holds files.
  void AfterCommit(int64_t version, const Table* table) const {
    if (version <= 0) return;
    Result<std::shared_ptr<const Snapshot>> snap = table->GetSnapshot(version);
    if (!snap.ok()) return;
    const auto& config = (*snap)->metadata().configuration;
    Result<TableProperties> props = TableProperties::Parse(config, (*snap)->schema());
    int64_t interval = props.ok() ? props->checkpoint_interval : 10;
    if (config.find("checkpoint_interval") == config.end())
      interval = std::max<int64_t>(interval, static_cast<int64_t>((*snap)->files().size() / 10));
    const int64_t last = Checkpoint::ReadLast(env, log.log_dir()).value_or(0);
    if (version - last < interval) return;
    if (!Checkpoint::Write(env, log.log_dir(), **snap).ok()) return;
    if (props.ok()) (void)CleanupLog(props->log_retention_micros);
  }

  // Log retention: deletes JSON versions and checkpoints older than
  // `retention_micros` that no retained version needs. The oldest retained
  // version R is the one current at now - retention (time travel to any
  // moment inside the window needs R or later); the newest checkpoint C at
  // or below R is kept, verified readable first (invariant (8)), and every
  // JSON version and checkpoint below C is deleted.
  Status CleanupLog(int64_t retention_micros) const {
    const int64_t cutoff_ms = (env->NowMicros() - retention_micros) / 1000;
    ASSIGN_OR_RETURN(std::vector<int64_t> versions, log.ListVersions());
    ASSIGN_OR_RETURN(std::vector<int64_t> checkpoints, Checkpoint::List(env, log.log_dir()));
    if (versions.empty() || checkpoints.empty() || checkpoints.front() > versions.back())
      return Status::OK();
    // R: the last version committed at or before the cutoff. Commit
    // timestamps increase with versions, so scan up from the oldest file.
    int64_t retained = -1;
    for (int64_t v : versions) {
      ASSIGN_OR_RETURN(CommitInfoAction info, ReadCommitInfo(v));
      if (info.timestamp > cutoff_ms) break;
      retained = v;
    }
    if (retained < 0) return Status::OK();
    int64_t keep = -1;
    for (int64_t c : checkpoints)
      if (c <= retained && Checkpoint::Read(env, log.log_dir(), c).ok()) keep = c;
    if (keep <= versions.front() && (checkpoints.front() >= keep)) return Status::OK();
    // Oldest first, so a crash midway leaves a contiguous suffix of versions.
    for (int64_t v : versions) {
      if (v >= keep) break;
      RETURN_IF_ERROR(env->RemoveFile(log.VersionPath(v)));
    }
    for (int64_t c : checkpoints) {
      if (c >= keep) break;
      RETURN_IF_ERROR(env->RemoveFile(JoinPath(log.log_dir(), Checkpoint::FileName(c))));
    }
    return env->SyncDir(log.log_dir());
  }
};

Table::Table(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Table::~Table() = default;

const std::string& Table::name() const { return impl_->name; }
const std::string& Table::dir() const { return impl_->dir; }
Catalog* Table::catalog() const { return impl_->catalog; }
Env* Table::env() const { return impl_->env; }

namespace {

// Everything CREATE TABLE does before committing version 0: validation,
// directories, and the version's protocol and metaData actions.
Status PrepareCreate(Env* env, Catalog* catalog, const std::string& dir, const std::string& name,
                     const Schema& schema, std::map<std::string, std::string> properties,
                     const TransactionLog& log, std::vector<LogAction>* actions) {
  RETURN_IF_ERROR(ValidateSchema(name, schema));
  for (const auto& [key, value] : properties) {
    Status known = CheckPropertyKnown(key);
    if (!known.ok()) return known.WithContext("CREATE TABLE \"" + name + "\"");
  }
  Result<TableProperties> props = TableProperties::Parse(properties, schema);
  if (!props.ok()) return props.status().WithContext("CREATE TABLE \"" + name + "\"");
  if (catalog != nullptr && catalog->read_only())
    return Status::InvalidArgument("database opened read-only");
  ASSIGN_OR_RETURN(int64_t latest, log.LatestVersion());
  if (latest >= 0)
    return Status::AlreadyExists("table \"" + name + "\" already exists in " + dir);
  RETURN_IF_ERROR(env->CreateDirIfMissing(dir));
  RETURN_IF_ERROR(env->CreateDirIfMissing(log.log_dir()));
  // The directories must survive a crash before version 0 names them.
  RETURN_IF_ERROR(env->SyncDir(ParentDir(dir)));
  RETURN_IF_ERROR(env->SyncDir(dir));

  MetaDataAction meta;
  meta.id = NewUniqueId();
  meta.name = name;
  meta.schema = schema;
  meta.configuration = std::move(properties);
  if (props->partition.partitioned()) {
    meta.partition_columns.push_back(props->partition.partition_column());
    meta.configuration["partition_by"] = props->partition.ToString();  // canonical spelling
  }
  meta.created_time = env->NowMicros() / 1000;
  actions->clear();
  actions->emplace_back(ProtocolAction{});
  actions->emplace_back(std::move(meta));
  return Status::OK();
}

}  // namespace

Result<std::shared_ptr<Table>> Table::Create(Env* env, Catalog* catalog, const std::string& dir,
                                             const std::string& name, const Schema& schema,
                                             std::map<std::string, std::string> properties) {
  auto impl = std::make_unique<Impl>(env, catalog, dir, name);
  std::vector<LogAction> actions;
  RETURN_IF_ERROR(PrepareCreate(env, catalog, dir, name, schema, std::move(properties),
                                impl->log, &actions));
  std::shared_ptr<Table> table(new Table(std::move(impl)));
  CommitInfoAction info;
  info.operation = "CREATE TABLE";
  info.operation_parameters["isManaged"] = "true";
  Result<CommitResult> r = table->CommitActions(-1, std::move(actions), std::move(info));
  if (!r.ok()) {
    if (r.status().IsConflict())
      return Status::AlreadyExists("table \"" + name + "\" was created concurrently in " + dir);
    return r.status();
  }
  return table;
}

Result<std::shared_ptr<Table>> Table::CreatePending(Env* env, Catalog* catalog,
                                                    const std::string& dir,
                                                    const std::string& name, const Schema& schema,
                                                    std::map<std::string, std::string> properties) {
  auto impl = std::make_unique<Impl>(env, catalog, dir, name);
  std::vector<LogAction> actions;
  RETURN_IF_ERROR(PrepareCreate(env, catalog, dir, name, schema, std::move(properties),
                                impl->log, &actions));
  SnapshotBuilder builder;
  RETURN_IF_ERROR(builder.Apply(-1, std::move(actions), impl->log.VersionPath(0)));
  {
    tsl::MutexLock l(impl->mu);  // not shared yet; taken for the analysis's sake
    impl->pending = builder.Finish();
  }
  return std::shared_ptr<Table>(new Table(std::move(impl)));
}

Result<std::shared_ptr<Table>> Table::Open(Env* env, Catalog* catalog, const std::string& dir,
                                           const std::string& name) {
  auto impl = std::make_unique<Impl>(env, catalog, dir, name);
  // Probes from the checkpoint hint rather than listing a long `_log/`.
  ASSIGN_OR_RETURN(int64_t latest, impl->FindLatestVersion(-1));
  if (latest < 0)
    return Status::NotFound("table \"" + name + "\" has no transaction log in " +
                            impl->log.log_dir());
  return std::shared_ptr<Table>(new Table(std::move(impl)));
}

Result<int64_t> Table::LatestVersion() const {
  int64_t known = -1;
  {
    tsl::MutexLock l(impl_->mu);
    if (impl_->latest) known = impl_->latest->version();
  }
  return impl_->FindLatestVersion(known);
}

bool Table::DroppedOnDisk() const {
  std::shared_ptr<const Snapshot> latest;
  {
    tsl::MutexLock l(impl_->mu);
    latest = impl_->latest;
  }
  if (latest == nullptr) return false;
  if (impl_->log.VersionExists(latest->version()) && !impl_->log.VersionExists(latest->version() + 1))
    return false;
  if (!impl_->env->IsDirectory(impl_->log.log_dir())) return true;
  Result<std::string> id = impl_->log.TableIdOfVersionZero();
  return id.ok() && !id->empty() && *id != latest->metadata().id;
}

Result<std::shared_ptr<const Snapshot>> Table::GetSnapshot(std::optional<int64_t> version) const {
  std::shared_ptr<const Snapshot> base;
  {
    tsl::MutexLock l(impl_->mu);
    if (!version) return impl_->RefreshLatestLocked();
    // An explicit version is that version even when it is the cached
    // latest: refreshing here handed a caller asking for version N the
    // newer version another process had just committed (an UPDATE then
    // planned on N+1's files and failed to remove them from its N).
    if (impl_->latest && *version == impl_->latest->version()) return impl_->latest;
    // Time travel never loads the latest snapshot: it reads the newest
    // checkpoint at or below the version plus the JSON versions after it.
    auto& cache = impl_->old_snapshots;
    auto it = cache.upper_bound(*version);  // first cached version > requested
    if (it != cache.begin()) {
      --it;
      if (it->first == *version) return it->second;
      base = it->second;  // the nearest older one: replay only the gap
    }
    if (impl_->latest && impl_->latest->version() < *version &&
        (!base || base->version() < impl_->latest->version()))
      base = impl_->latest;
  }
  // Unknown versions: one stat for the version file (or its checkpoint,
  // when log retention removed the JSON) before any reading.
  if (*version < 0 || (!impl_->log.VersionExists(*version) &&
                       !impl_->env->FileExists(JoinPath(impl_->log.log_dir(),
                                                        Checkpoint::FileName(*version))))) {
    ASSIGN_OR_RETURN(int64_t latest, LatestVersion());
    if (*version < 0 || *version > latest)
      return Status::NotFound("version " + std::to_string(*version) + " of table \"" +
                              impl_->name + "\" does not exist (table \"" + impl_->name +
                              "\" has versions 0 to " + std::to_string(latest) + ")");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snap, impl_->LoadSnapshot(*version, base));
  tsl::MutexLock l(impl_->mu);
  auto& cache = impl_->old_snapshots;
  cache[*version] = snap;
  if (cache.size() > Impl::kOldSnapshotCacheSize) cache.erase(cache.begin());
  return snap;
}

Result<std::shared_ptr<const Snapshot>> Table::GetSnapshotAsOf(int64_t micros) const {
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> latest, GetSnapshot());
  if (latest->timestamp_ms() * 1000 <= micros) return latest;
  // Commit timestamps strictly increase with the version (NextCommitTimestamp),
  // so binary search for the last version committed at or before `micros`.
  // Log retention may have removed the oldest versions' files.
  ASSIGN_OR_RETURN(std::vector<int64_t> versions, impl_->log.ListVersions());
  const int64_t earliest = versions.empty() ? 0 : versions.front();
  int64_t lo = earliest, hi = latest->version();  // answer in [lo-1, hi)
  int64_t found = -1;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    ASSIGN_OR_RETURN(CommitInfoAction info, impl_->ReadCommitInfo(mid));
    if (info.timestamp * 1000 <= micros) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (found < 0 && earliest > 0)
    return Status::NotFound("table \"" + impl_->name + "\" has no version that old: versions " +
                            "before " + std::to_string(earliest) +
                            " were removed by log retention");
  if (found < 0) {
    ASSIGN_OR_RETURN(CommitInfoAction first, impl_->ReadCommitInfo(0));
    return Status::NotFound("table \"" + impl_->name + "\" did not exist at the requested time " +
                            "(version 0 was committed at " +
                            FormatTimestamp(first.timestamp * 1000) + ")");
  }
  return GetSnapshot(found);
}

Result<std::vector<std::pair<int64_t, CommitInfoAction>>> Table::History(
    std::optional<int64_t> limit) const {
  std::vector<std::pair<int64_t, CommitInfoAction>> out;
  if (limit) {  // the newest `limit` versions: no directory listing
    ASSIGN_OR_RETURN(int64_t latest, LatestVersion());
    for (int64_t v = latest; v >= 0 && static_cast<int64_t>(out.size()) < *limit; --v) {
      if (!impl_->log.VersionExists(v)) break;  // removed by log retention
      ASSIGN_OR_RETURN(CommitInfoAction info, impl_->ReadCommitInfo(v));
      out.emplace_back(v, std::move(info));
    }
    return out;
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> versions, impl_->log.ListVersions());
  out.reserve(versions.size());
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    ASSIGN_OR_RETURN(CommitInfoAction info, impl_->ReadCommitInfo(*it));
    out.emplace_back(*it, std::move(info));
  }
  return out;
}

std::unique_ptr<TableWriter> Table::NewWriter(SegmentWriteOptions options) {
  return std::make_unique<TableWriter>(shared_from_this(), options);
}

Result<std::unique_ptr<ChunkSource>> Table::NewScan(std::shared_ptr<const Snapshot> snapshot,
                                                    ScanOptions options,
                                                    ScanMetrics* metrics) const {
  if (snapshot == nullptr) return Status::InvalidArgument("NewScan needs a snapshot");
  // The catalog index answers "which segments may hold this time range or
  // these tags" with one indexed query, when it reflects exactly this
  // snapshot's version; otherwise every file's log stats are checked.
  std::optional<std::set<std::string>> candidates;
  // A longer set of tags is left to the zone maps (one JSON array per query).
  constexpr size_t kMaxCatalogTags = 1024;
  if (impl_->catalog != nullptr && options.only_files.empty() && !options.ranges.empty()) {
    const Schema& phys = snapshot->physical_schema();
    const int ts_col = Catalog::IndexedTimeColumn(phys);
    const int tag_col = Catalog::IndexedTagColumn(phys);
    Catalog::SegmentQuery q;
    bool useful = false;
    for (const ScanRange& r : options.ranges) {
      if (r.column == ts_col && ts_col >= 0) {
        if (!r.lo.is_null() && IsTimestampType(r.lo.type())) {
          q.ts_lo = std::max(q.ts_lo.value_or(INT64_MIN), r.lo.int_value());
          useful = true;
        }
        if (!r.hi.is_null() && IsTimestampType(r.hi.type())) {
          q.ts_hi = std::min(q.ts_hi.value_or(INT64_MAX), r.hi.int_value());
          useful = true;
        }
      } else if (r.column == tag_col && tag_col >= 0 && q.tags.empty() && !r.lo.is_null() &&
                 !r.hi.is_null() &&
                 r.lo.type() == TypeId::kVarchar && r.hi.type() == TypeId::kVarchar &&
                 r.lo.string_value() == r.hi.string_value()) {
        q.tags.push_back(r.lo.string_value());
        useful = true;
      } else if (r.column == tag_col && tag_col >= 0 && q.tags.empty() && r.one_of &&
                 !r.one_of->empty() && r.one_of->size() <= kMaxCatalogTags) {
        q.tags = *r.one_of;  // any of them (a join's build keys)
        useful = true;
      }
    }
    Result<int64_t> current =
        useful ? impl_->catalog->CurrentVersion(impl_->name, snapshot->metadata().id) : -1;
    if (useful && current.ok() && *current == snapshot->version() && !snapshot->uncommitted()) {
      Result<std::vector<Catalog::SegmentEntry>> found = impl_->catalog->FindSegments(impl_->name, q);
      if (found.ok()) {
        candidates.emplace();
        for (const Catalog::SegmentEntry& e : *found) candidates->insert(e.path);
      }
    }
  }
  return TableScan::Make(impl_->env, impl_->dir, std::move(snapshot), std::move(options),
                         metrics, std::move(candidates));
}

Result<CommitResult> Table::CommitActions(int64_t read_version, std::vector<LogAction> actions,
                                          CommitInfoAction info) {
  // The id of the table this handle read (a handle never moves to another
  // table: RefreshLatestLocked refuses one that was re-created), checked
  // again at the commit point (invariant (12)).
  std::string table_id;
  if (impl_->catalog != nullptr && impl_->catalog->read_only())
    return Status::InvalidArgument("database opened read-only");
  if (read_version >= 0) {
    // The latest protocol governs (protocols only ever get stricter), and
    // the cached latest snapshot is cheap where an old version is a replay.
    ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> base, GetSnapshot());
    if (table_id.empty()) table_id = base->metadata().id;
    if (base->protocol().min_writer_version > kMaxWriterVersion)
      return Status::NotSupported(
          "table \"" + impl_->name + "\" requires writer version " +
          std::to_string(base->protocol().min_writer_version) + " but this tslake writes up to " +
          std::to_string(kMaxWriterVersion) + "; use a newer tslake to change it");
  }

  if (read_version < 0) {
    // The first commit of a CreatePending table carries its version 0
    // protocol and metaData (unless the caller brought its own).
    std::shared_ptr<const Snapshot> pending;
    {
      tsl::MutexLock l(impl_->mu);
      pending = impl_->pending;
    }
    bool has_metadata = false;
    for (const LogAction& a : actions)
      has_metadata = has_metadata || std::holds_alternative<MetaDataAction>(a);
    if (pending != nullptr && !has_metadata) {
      actions.insert(actions.begin(), {LogAction(pending->protocol()),
                                       LogAction(pending->metadata())});
    }
  }

  CommitResult result;
  for (const LogAction& a : actions) {
    if (const auto* add = std::get_if<AddAction>(&a)) {
      ++result.files_added;
      if (add->stats.num_records > 0) result.rows_added += add->stats.num_records;
      // Invariant (1): the files an add names exist before the log does. A
      // DROP TABLE (and a CREATE of the same name) racing this statement
      // moves the directory away under it, so this is checked in every
      // build and refused like the drop race at the link (12), not asserted.
      if (!impl_->env->FileExists(JoinPath(impl_->dir, add->path)))
        return Status::Conflict("segment " + add->path + " that this statement wrote is gone from " +
                                impl_->dir + " (the table was dropped or re-created while it ran); "
                                "nothing was committed");
    }
  }
  info.is_blind_append = info.is_blind_append && IsBlindAppend(actions);
  if (read_version >= 0) info.read_version = read_version;
  for (const LogAction& a : actions)
    if (std::holds_alternative<RemoveAction>(a)) ++result.files_removed;

  int64_t version = read_version + 1;
  actions.emplace_back();  // slot for the commitInfo, written last (formats/log.md)
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(info.timestamp, impl_->NextCommitTimestamp(version));
    actions.back() = info;
    Status st = impl_->log.Commit(version, actions, table_id);
    if (st.ok()) break;
    if (!st.IsConflict()) return st;
    // A conflict without a winner at `version`: the table was dropped (and
    // maybe re-created) under this writer (invariant (12)).
    if (!impl_->log.VersionExists(version)) return st;
    // Another writer took `version`: retry above it unless its actions
    // conflict with ours (rules in transaction.h).
    ASSIGN_OR_RETURN(std::vector<LogAction> winner, impl_->log.ReadVersion(version));
    std::string why = ConflictReason(winner, actions);
    if (why.empty() && attempt >= kMaxCommitAttempts) why = "too many concurrent commits";
    if (!why.empty())
      return Status::Conflict("table \"" + impl_->name + "\": version " +
                              std::to_string(version) + " was committed concurrently by " +
                              OperationOf(winner) + " after this statement read version " +
                              std::to_string(read_version) + ", and " + why +
                              "; retry the statement");
    ++version;
  }
  result.version = version;
  if (version == 0) {
    tsl::MutexLock l(impl_->mu);
    impl_->pending = nullptr;
  }

  // Bring the cached snapshot forward when it is exactly one behind, so the
  // next statement does not re-read the version just written.
  Schema schema;
  {
    tsl::MutexLock l(impl_->mu);
    if ((impl_->latest == nullptr && version == 0) ||
        (impl_->latest != nullptr && impl_->latest->version() == version - 1)) {
      Result<std::shared_ptr<const Snapshot>> next = Snapshot::Apply(
          impl_->latest.get(), version, actions, impl_->log.VersionPath(version));
      if (next.ok()) impl_->latest = *next;
    }
    if (impl_->latest != nullptr) schema = impl_->latest->physical_schema();
  }
  impl_->UpdateCatalog(version, actions, schema, this, table_id);
  impl_->AfterCommit(version, this);
  return result;
}

Status Table::WriteCheckpoint(int64_t version) {
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snap, GetSnapshot(version));
  return Checkpoint::Write(impl_->env, impl_->log.log_dir(), *snap);
}

Result<std::unique_ptr<Transaction>> Table::NewTransaction(std::optional<int64_t> read_version) {
  if (impl_->catalog != nullptr && impl_->catalog->read_only())
    return Status::InvalidArgument("database opened read-only");
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snap, GetSnapshot(read_version));
  return std::make_unique<Transaction>(shared_from_this(), std::move(snap));
}

Result<TableProperties> Table::Properties(const Snapshot* snapshot) const {
  std::shared_ptr<const Snapshot> latest;
  if (snapshot == nullptr) {
    ASSIGN_OR_RETURN(latest, GetSnapshot());
    snapshot = latest.get();
  }
  Result<TableProperties> p =
      TableProperties::Parse(snapshot->metadata().configuration, snapshot->schema());
  if (!p.ok()) return p.status().WithContext("table \"" + impl_->name + "\"");
  return p;
}

}  // namespace tsl
