// Database: a directory of tables (`<db>/<lower-cased name>/` each holding
// `_log/` and segment files) plus the SQLite catalog `<db>/catalog.sqlite`.
// The directories and logs are the truth; the catalog is an index brought
// up to date on open (any table whose catalog version differs from its log,
// or that a failed update marked stale, is re-synced from its snapshot).
//
// DROP TABLE first renames the table directory to `.dropped-<uuid>` (one
// atomic step, so a crash never leaves a half-deleted table that looks
// live), then deletes it; leftovers are removed on the next writable open.
//
// Thread-safety: mu_ guards the table map; Table and Catalog are themselves
// thread-safe, so long operations (snapshots, commits) run unlocked.
#include "storage/database.h"

#include "formats/mutex.h"

#include <algorithm>

#include "storage/catalog.h"
#include "storage/tag_index.h"
#include "storage/unique_id.h"

namespace tsl {
namespace {

constexpr const char* kMemoryRoot = "/memdb";
constexpr const char* kCatalogFile = "catalog.sqlite";
constexpr std::string_view kDroppedPrefix = ".dropped-";

// A catalog failure in one sentence for Database::Notices(): the message
// without the hint on what to do, which the notice itself says.
std::string Reason(const Status& st) {
  std::string m = st.message();
  size_t hint = m.find("; it is only an index");
  return hint == std::string::npos ? m : m.substr(0, hint);
}

Status ReadOnlyError() { return Status::InvalidArgument("database opened read-only"); }

Status ValidateTableName(const std::string& name) {
  auto bad = [&] {
    return Status::InvalidArgument("invalid table name \"" + name +
                                   "\": a table name starts with a letter or underscore and "
                                   "contains only letters, digits and underscores");
  };
  if (name.empty() || name.size() > 128) return bad();
  if (std::isdigit(static_cast<unsigned char>(name[0]))) return bad();
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return bad();
  return Status::OK();
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      size_t cost = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                            std::tolower(static_cast<unsigned char>(b[j - 1]))
                        ? 0
                        : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[b.size()];
}

Status RemoveRecursively(Env* env, const std::string& path) {
  if (!env->IsDirectory(path)) return env->RemoveFile(path);
  ASSIGN_OR_RETURN(std::vector<std::string> children, env->GetChildren(path));
  for (const std::string& c : children) RETURN_IF_ERROR(RemoveRecursively(env, JoinPath(path, c)));
  return env->RemoveDir(path);
}

// An existing directory becomes a database only when it is empty or already
// holds one: a catalog file, or a table folder with a log (the catalog is a
// cache of the logs, so a database whose catalog was deleted still opens).
// Opening any other folder (a typo for a data folder, /etc, a home
// directory) would otherwise write catalog.sqlite into it and make it look
// like a database.
Status CheckIsDatabaseDirectory(Env* env, const std::string& root) {
  Result<std::vector<std::string>> children = env->GetChildren(root);
  if (!children.ok()) return children.status();
  std::string stranger;
  for (const std::string& child : *children) {
    if (child == "." || child == "..") continue;
    if (child.rfind(kCatalogFile, 0) == 0) return Status::OK();  // also -journal, -wal
    if (child.rfind("views.", 0) == 0) return Status::OK();     // stored view definitions
    const std::string path = JoinPath(root, child);
    if (env->IsDirectory(path) && env->IsDirectory(JoinPath(path, "_log"))) return Status::OK();
    if (stranger.empty()) stranger = child;
  }
  if (stranger.empty()) return Status::OK();
  return Status::InvalidArgument(root + " is not a tslake database: it holds other files (such as '" +
                                 stranger + "') and no " + kCatalogFile +
                                 " or table folder; open a new or empty directory instead");
}

Status CreateDirs(Env* env, const std::string& dir) {
  if (dir.empty() || env->IsDirectory(dir)) return Status::OK();
  size_t slash = dir.rfind('/');
  if (slash != std::string::npos && slash > 0) RETURN_IF_ERROR(CreateDirs(env, dir.substr(0, slash)));
  RETURN_IF_ERROR(env->CreateDirIfMissing(dir));
  // The new name must be durable before anything inside it is acknowledged.
  return env->SyncDir(slash == std::string::npos ? "." : slash == 0 ? "/" : dir.substr(0, slash));
}

}  // namespace

struct Database::Impl {
  std::string path;  // as given, ":memory:" for in-memory
  std::string root;  // directory holding the tables
  bool in_memory = false;
  DatabaseOptions options;
  std::unique_ptr<Env> owned_env;
  Env* env = nullptr;
  std::unique_ptr<Catalog> catalog;
  // Which files statements may read and write (storage/file_access_policy.h).
  std::unique_ptr<FileAccessPolicy> file_access;

  mutable tsl::Mutex mu;
  std::vector<std::string> notices GUARDED_BY(mu);
  bool catalog_damaged GUARDED_BY(mu) = false;  // seen since the last check
  std::map<std::string, std::shared_ptr<Table>> tables GUARDED_BY(mu);  // key: lower-case name
  std::map<std::string, Status> broken GUARDED_BY(mu);  // tables that fail to open

  // Opens the table in `root/dir_name`, naming it from the catalog or its
  // metadata, and re-syncs the catalog when `reconcile` and it lags.
  // Reads never depend on the catalog: when it cannot be read or written
  // (damaged, a full disk) the table still opens from its log, the row is
  // marked stale where possible and the failure becomes a notice.
  Status LoadTableLocked(const std::string& dir_name, bool reconcile) REQUIRES(mu) {
    std::string dir = JoinPath(root, dir_name);
    Result<std::optional<Catalog::TableEntry>> got = catalog->GetTable(dir_name);
    if (!got.ok()) CatalogFailedLocked(got.status());
    std::optional<Catalog::TableEntry> entry = got.ok() ? *got : std::nullopt;
    std::string name = entry ? entry->name : dir_name;
    ASSIGN_OR_RETURN(std::shared_ptr<Table> table, Table::Open(env, catalog.get(), dir, name));
    ASSIGN_OR_RETURN(int64_t latest, table->LatestVersion());
    bool lagging = !entry || entry->latest_version != latest || entry->stale;
    if (!entry || (lagging && reconcile)) {
      ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snap, table->GetSnapshot());
      const std::string& meta_name = snap->metadata().name;
      if (!entry && !meta_name.empty() && ToLower(meta_name) == dir_name && meta_name != name) {
        name = meta_name;
        ASSIGN_OR_RETURN(table, Table::Open(env, catalog.get(), dir, name));
      }
      if (reconcile && !catalog->read_only()) {
        Status synced = SyncCatalogTable(catalog.get(), env, dir, name, *snap);
        if (!synced.ok()) {
          (void)catalog->MarkStale(name);
          CatalogFailedLocked(synced.WithContext("table \"" + name + "\""));
        }
      }
    }
    tables[dir_name] = std::move(table);
    broken.erase(dir_name);
    return Status::OK();
  }

  // Scans `root` for table directories; with `reconcile`, also deletes
  // leftovers of interrupted drops and catalog rows of vanished tables.
  Status LoadAllLocked(bool reconcile) REQUIRES(mu) {
    tables.clear();
    broken.clear();
    ASSIGN_OR_RETURN(std::vector<std::string> children, env->GetChildren(root));
    std::sort(children.begin(), children.end());
    for (const std::string& child : children) {
      std::string dir = JoinPath(root, child);
      if (!env->IsDirectory(dir)) continue;
      if (child.compare(0, kDroppedPrefix.size(), kDroppedPrefix) == 0) {
        if (reconcile && !options.read_only) (void)RemoveRecursively(env, dir);
        continue;
      }
      if (child.front() == '.' || !env->IsDirectory(JoinPath(dir, "_log"))) continue;
      Status st = LoadTableLocked(child, reconcile);
      // A `_log/` without versions is a CREATE TABLE that never committed:
      // not a table (the next CREATE of that name reuses the directory).
      if (!st.ok() && !st.IsNotFound()) broken[child] = st.WithContext("table \"" + child + "\"");
    }
    if (reconcile) {
      Result<std::vector<Catalog::TableEntry>> entries = catalog->ListTables();
      if (!entries.ok()) CatalogFailedLocked(entries.status());
      for (const Catalog::TableEntry& e :
           entries.ok() ? *entries : std::vector<Catalog::TableEntry>{}) {
        std::string key = ToLower(e.name);
        if (tables.count(key) || broken.count(key)) continue;
        Status dropped = catalog->DropTable(e.name);
        if (!dropped.ok()) CatalogFailedLocked(dropped);
      }
    }
    return Status::OK();
  }

  // Records a failed catalog read or write (one notice per distinct
  // message); damage is remembered so the caller can rebuild.
  void CatalogFailedLocked(const Status& st) REQUIRES(mu) {
    if (st.code() == StatusCode::kCorruption) catalog_damaged = true;
    std::string msg = Reason(st) + ": the catalog is not used for this, reads use the table logs";
    if (std::find(notices.begin(), notices.end(), msg) == notices.end()) notices.push_back(msg);
  }

  // A writable database whose catalog turned out damaged after it opened:
  // move it aside, start a new one and re-index every table.
  Status ReplaceDamagedCatalogLocked() REQUIRES(mu) {
    Result<std::string> aside = catalog->ReplaceDamaged();
    notices.push_back(aside.ok() ? "catalog " + catalog->path() + " was damaged: moved to " +
                                       *aside + " and rebuilt from the table logs"
                                 : "catalog " + catalog->path() +
                                       " was damaged and could not be moved aside (" +
                                       aside.status().ToString() + ")");
    catalog_damaged = false;
    return LoadAllLocked(true);
  }

  Status NotFoundLocked(const std::string& name) const REQUIRES(mu) {
    std::string msg = "Table \"" + name + "\" does not exist.";
    const std::string* best = nullptr;
    size_t best_d = std::max<size_t>(2, name.size() / 3) + 1;
    for (const auto& [key, table] : tables) {
      size_t d = EditDistance(name, table->name());
      if (d < best_d) {
        best_d = d;
        best = &table->name();
      }
    }
    if (best != nullptr) msg += " Did you mean \"" + *best + "\"?";
    return Status::NotFound(msg);
  }
};

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, DatabaseOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->in_memory = path.empty() || path == ":memory:";
  impl->path = impl->in_memory ? ":memory:" : path;
  impl->options = options;
  if (options.env != nullptr) {
    impl->env = options.env;
  } else if (impl->in_memory) {
    impl->owned_env = NewMemEnv();
    impl->env = impl->owned_env.get();
  } else {
    impl->env = Env::Default();
  }
  impl->root = impl->in_memory ? kMemoryRoot : path;
  Env* env = impl->env;
  const bool read_only = options.read_only;

  if (!env->IsDirectory(impl->root)) {
    if (env->FileExists(impl->root))
      return Status::InvalidArgument(impl->root + " is a file, not a database directory");
    if (read_only && !impl->in_memory)
      return Status::NotFound("database directory " + impl->root +
                              " does not exist (opened read-only, so it is not created)");
    RETURN_IF_ERROR(CreateDirs(env, impl->root));
  } else if (!impl->in_memory) {
    RETURN_IF_ERROR(CheckIsDatabaseDirectory(env, impl->root));
  }

  // The catalog lives next to the tables on disk; databases whose files are
  // not on the real filesystem (in memory, or a test Env) get a private
  // in-memory catalog. A read-only database without a catalog file gets one
  // too, built from the logs, since it must not create the file.
  std::string catalog_path = JoinPath(impl->root, kCatalogFile);
  bool on_disk = !impl->in_memory && Env::Default()->IsDirectory(impl->root);
  impl->file_access = std::make_unique<FileAccessPolicy>(on_disk ? impl->root : "", read_only);
  // So does one whose catalog has a hot journal (a writer was killed inside
  // a catalog transaction): only a writable connection may roll it back.
  if (!on_disk || (read_only && (!Env::Default()->FileExists(catalog_path) ||
                                 Env::Default()->FileExists(catalog_path + "-journal"))))
    catalog_path = ":memory:";
  // A private in-memory catalog is filled from the logs first and only then
  // made read-only; a read-only catalog file is used as it is.
  bool private_catalog = catalog_path == ":memory:";
  Result<std::unique_ptr<Catalog>> catalog =
      Catalog::Open(catalog_path, read_only && !private_catalog);
  std::vector<std::string> notices;
  if (!catalog.ok() && !private_catalog) {
    const Status st = catalog.status();
    const bool damaged = st.code() == StatusCode::kCorruption;
    if (damaged && !read_only) {
      // The catalog is a cache of the logs: keep the damaged file for
      // inspection and build a new one. Another process may have done so
      // since we looked: then the file at the path is sound.
      catalog = Catalog::Open(catalog_path, false);
      if (!catalog.ok() && catalog.status().code() == StatusCode::kCorruption) {
        Result<std::string> aside = Catalog::MoveAside(catalog_path);
        if (aside.ok()) {
          notices.push_back(Reason(st) + ": moved to " + *aside +
                            " and rebuilt from the table logs");
          catalog = Catalog::Open(catalog_path, false);
        }
      }
    }
    // Read-only and damaged, an older file that cannot be upgraded
    // read-only, or a writable catalog that cannot be opened or written
    // (full disk, permissions): index the logs in a private in-memory
    // catalog, so every table reads.
    const bool older_read_only = read_only && st.code() == StatusCode::kNotSupported &&
                                 st.message().find("older schema") != std::string::npos;
    if (!catalog.ok() && (damaged || older_read_only ||
                          (!read_only && catalog.status().code() == StatusCode::kIOError))) {
      if (!older_read_only)
        notices.push_back(Reason(catalog.status()) +
                          ": the tables are indexed from their logs in memory for this session");
      private_catalog = true;
      catalog = Catalog::Open(":memory:", false);
    }
  }
  ASSIGN_OR_RETURN(impl->catalog, std::move(catalog));
  {
    tsl::MutexLock l(impl->mu);
    impl->notices = std::move(notices);
    RETURN_IF_ERROR(impl->LoadAllLocked(/*reconcile=*/!read_only || private_catalog));
    // Damage the open-time checks missed (a big file skips quick_check).
    if (impl->catalog_damaged && !read_only && !private_catalog)
      RETURN_IF_ERROR(impl->ReplaceDamagedCatalogLocked());
  }
  if (read_only) impl->catalog->SetReadOnly();
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

const std::string& Database::path() const { return impl_->path; }
bool Database::read_only() const { return impl_->options.read_only; }
bool Database::in_memory() const { return impl_->in_memory; }
Env* Database::env() const { return impl_->env; }
Catalog* Database::catalog() const { return impl_->catalog.get(); }
FileAccessPolicy* Database::file_access() const { return impl_->file_access.get(); }
const DatabaseOptions& Database::options() const { return impl_->options; }

Result<std::shared_ptr<Table>> Database::CreateTable(const std::string& name, const Schema& schema,
                                                     std::map<std::string, std::string> properties,
                                                     bool if_not_exists, bool pending) {
  if (read_only()) return ReadOnlyError();
  RETURN_IF_ERROR(ValidateTableName(name));
  std::string key = ToLower(name);
  tsl::MutexLock l(impl_->mu);
  auto it = impl_->tables.find(key);
  if (it == impl_->tables.end() && impl_->env->IsDirectory(JoinPath(impl_->root, key))) {
    // Created by another process since we opened: pick it up.
    Status st = impl_->LoadTableLocked(key, true);
    (void)st;
    it = impl_->tables.find(key);
  }
  if (it != impl_->tables.end()) {
    if (if_not_exists) return it->second;
    return Status::AlreadyExists("Table \"" + it->second->name() + "\" already exists");
  }
  if (impl_->broken.count(key)) return impl_->broken[key];
  // A folder (or file) of that name that is not a table belongs to someone
  // else: creating the table adopted it (`tslake ~` then CREATE TABLE etc
  // wrote _log/ into ~/etc) and DROP TABLE deleted it with its files. Only an
  // empty folder, or one holding just `_log` (a creation cut short), is taken.
  const std::string dir = JoinPath(impl_->root, key);
  if (impl_->env->IsDirectory(dir) || impl_->env->FileExists(dir)) {
    bool foreign = !impl_->env->IsDirectory(dir) || impl_->env->IsSymlink(dir);
    if (!foreign) {
      Result<std::vector<std::string>> children = impl_->env->GetChildren(dir);
      if (!children.ok()) return children.status();
      for (const std::string& child : *children) foreign = foreign || child != "_log";
    }
    if (foreign) {
      return Status::InvalidArgument("cannot create table \"" + name + "\": " + dir +
                                   " already exists and is not a tslake table; move it out of "
                                   "the database directory or choose another name");
    }
  }
  Result<std::shared_ptr<Table>> table =
      (pending ? Table::CreatePending : Table::Create)(impl_->env, impl_->catalog.get(),
                                                       JoinPath(impl_->root, key), name, schema,
                                                       std::move(properties));
  if (!table.ok()) return table.status();
  impl_->tables[key] = *table;
  return table;
}

Status Database::DropTable(const std::string& name, bool if_exists) {
  if (read_only()) return ReadOnlyError();
  std::string key = ToLower(name);
  tsl::MutexLock l(impl_->mu);
  auto it = impl_->tables.find(key);
  bool is_broken = impl_->broken.count(key) > 0;
  if (it == impl_->tables.end() && !is_broken) {
    if (if_exists) return Status::OK();
    return impl_->NotFoundLocked(name);
  }
  std::string table_name = it != impl_->tables.end() ? it->second->name() : name;
  RETURN_IF_ERROR(impl_->catalog->DropTable(table_name));
  Env* env = impl_->env;
  std::string dir = JoinPath(impl_->root, key);
  std::string trash = JoinPath(impl_->root, std::string(kDroppedPrefix) + NewUniqueId());
  RETURN_IF_ERROR(env->RenameFile(dir, trash));
  RETURN_IF_ERROR(env->SyncDir(impl_->root));
  if (it != impl_->tables.end()) impl_->tables.erase(it);
  impl_->broken.erase(key);
  // The drop is durable; a failure here only leaves garbage cleaned on open.
  (void)RemoveRecursively(env, trash);
  return Status::OK();
}

Status Database::RenameTable(const std::string& from, const std::string& to) {
  if (read_only()) return ReadOnlyError();
  RETURN_IF_ERROR(ValidateTableName(to));
  const std::string old_key = ToLower(from);
  const std::string new_key = ToLower(to);
  tsl::MutexLock l(impl_->mu);
  auto it = impl_->tables.find(old_key);
  if (it == impl_->tables.end()) {
    if (impl_->broken.count(old_key)) return impl_->broken[old_key];
    return impl_->NotFoundLocked(from);
  }
  const std::string old_name = it->second->name();
  Env* env = impl_->env;
  const std::string old_dir = JoinPath(impl_->root, old_key);
  const std::string new_dir = JoinPath(impl_->root, new_key);
  if (new_key != old_key) {
    if (impl_->tables.count(new_key) || impl_->broken.count(new_key) ||
        env->IsDirectory(new_dir) || env->FileExists(new_dir)) {
      return Status::AlreadyExists("Could not rename \"" + old_name + "\" to \"" + to +
                                   "\": another entry with this name already exists!");
    }
    RETURN_IF_ERROR(env->RenameFile(old_dir, new_dir));
    RETURN_IF_ERROR(env->SyncDir(impl_->root));
  }
  // From here the table lives at new_dir: whatever fails below, the
  // in-memory map must follow the directory.
  impl_->tables.erase(it);
  Result<std::shared_ptr<Table>> table = Table::Open(env, impl_->catalog.get(), new_dir, to);
  if (!table.ok()) return table.status();
  impl_->tables[new_key] = *table;
  Result<CommitResult> renamed = (*table)->RecordRename(old_name, to);
  if (!renamed.ok()) return renamed.status();
  // The catalog is an index of the logs: a failure here is repaired on the
  // next writable open (the old rows' directory is gone, the new one lacks
  // rows), so it is a notice, not an error of the rename.
  Status st = impl_->catalog->DropTable(old_name);
  if (st.ok()) {
    Result<std::shared_ptr<const Snapshot>> snap = (*table)->GetSnapshot();
    st = snap.ok() ? SyncCatalogTable(impl_->catalog.get(), env, new_dir, to, **snap)
                   : snap.status();
  }
  if (!st.ok()) {
    (void)impl_->catalog->MarkStale(to);
    impl_->CatalogFailedLocked(st.WithContext("table \"" + to + "\""));
  }
  return Status::OK();
}

Result<std::shared_ptr<Table>> Database::GetTable(const std::string& name) {
  std::string key = ToLower(name);
  tsl::MutexLock l(impl_->mu);
  auto it = impl_->tables.find(key);
  if (it != impl_->tables.end()) {
    if (!it->second->DroppedOnDisk()) return it->second;
    // Dropped (and maybe re-created) by another process: statements that
    // hold the old handle keep it and conflict; new ones get the new table.
    impl_->tables.erase(it);
  }
  auto b = impl_->broken.find(key);
  if (b != impl_->broken.end()) return b->second;
  // Another process may have created it since we opened.
  if (ValidateTableName(name).ok() && impl_->env->IsDirectory(JoinPath(JoinPath(impl_->root, key), "_log"))) {
    Status st = impl_->LoadTableLocked(key, !read_only());
    if (!st.ok()) return st;
    return impl_->tables[key];
  }
  return impl_->NotFoundLocked(name);
}

std::vector<std::string> Database::ListTables() const {
  tsl::MutexLock l(impl_->mu);
  std::vector<std::string> names;
  for (const auto& [key, table] : impl_->tables) names.push_back(table->name());
  for (const auto& [key, st] : impl_->broken) names.push_back(key);
  std::sort(names.begin(), names.end());
  return names;
}

Status Database::RebuildCatalog() {
  if (read_only()) return ReadOnlyError();
  tsl::MutexLock l(impl_->mu);
  impl_->catalog_damaged = false;
  // A damaged file is replaced, not cleared (clearing it may fail or leave
  // damaged pages behind).
  Status st = impl_->catalog->Verify();
  if (st.ok()) st = impl_->catalog->Clear();
  if (st.code() == StatusCode::kCorruption && impl_->catalog->path() != ":memory:") {
    RETURN_IF_ERROR(impl_->ReplaceDamagedCatalogLocked());
  } else {
    RETURN_IF_ERROR(st);
    RETURN_IF_ERROR(impl_->LoadAllLocked(true));
  }
  if (!impl_->broken.empty()) return impl_->broken.begin()->second;
  // A rebuild that could not write the catalog is not a rebuild.
  for (const auto& [key, table] : impl_->tables) {
    Result<int64_t> v = impl_->catalog->CurrentVersion(table->name());
    if (!v.ok()) return v.status();
    if (*v < 0)
      return Status::IOError("catalog " + impl_->catalog->path() + ": table \"" + table->name() +
                             "\" could not be re-indexed");
  }
  return Status::OK();
}

std::vector<std::string> Database::Notices() const {
  tsl::MutexLock l(impl_->mu);
  return impl_->notices;
}

}  // namespace tsl
