// View storage in DBDIR/views.<generation>.json. See view_catalog.h.
#include "query/binder/view_catalog.h"

#include "formats/mutex.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "query/common/query_error.h"
#include "storage/env.h"
#include "storage/unique_id.h"

namespace tsl::query {
namespace {

// Serializes this process's read-modify-write cycles of the views files
// (Update): it guards files, not memory, so nothing is GUARDED_BY it; other
// processes are kept apart by TryStore (linking a new generation fails
// when another process took it first).
tsl::Mutex& ViewMutex() {
  static tsl::Mutex m;
  return m;
}

constexpr const char* kLegacyViewsFile = "views.json";
constexpr const char* kPrefix = "views.";
constexpr const char* kSuffix = ".json";
constexpr size_t kGenerationDigits = 20;
// Generations kept besides the newest: a reader that listed the directory
// a moment ago may still open one of them.
constexpr uint64_t kKeptGenerations = 4;
// An older generation is removed only once it is this old. A writer links
// G+1 after reading G; were G+1 removed and free again while that writer
// was between the two, its change would land under a generation a newer
// one hides. Like Delta's log retention, age rules that out in practice: a
// change takes milliseconds, not minutes.
constexpr int64_t kGenerationRetentionMicros = 10LL * 60 * 1000 * 1000;
constexpr int kMaxAttempts = 1000;

std::string GenerationName(uint64_t generation) {
  std::string digits = std::to_string(generation);
  return kPrefix + std::string(kGenerationDigits - digits.size(), '0') + digits + kSuffix;
}

// The generation named by `name`, or 0 when it is not a generation file.
uint64_t GenerationOf(const std::string& name) {
  const size_t prefix = std::char_traits<char>::length(kPrefix);
  const size_t suffix = std::char_traits<char>::length(kSuffix);
  if (name.size() != prefix + kGenerationDigits + suffix || name.compare(0, prefix, kPrefix) != 0 ||
      name.compare(name.size() - suffix, suffix, kSuffix) != 0) {
    return 0;
  }
  uint64_t generation = 0;
  for (size_t i = prefix; i < prefix + kGenerationDigits; ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    generation = generation * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  return generation;
}

void Check(const Status& st, const std::string& path) {
  if (!st.ok()) throw QueryError(st.WithContext("writing " + path));
}

}  // namespace

std::string ViewCatalog::Root() const {
  // An in-memory database lives under "/memdb" of its private memory Env.
  return db_->in_memory() ? std::string("/memdb") : db_->path();
}

ViewCatalog::ViewList ViewCatalog::Parse(const std::string& path, const std::string& text) const {
  ViewList views;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("views") || !j["views"].is_array()) {
    throw QueryError(Status::Corruption(
        "views file " + path +
        " is not valid JSON of the form {\"views\": [{\"name\", \"sql\"}]} (truncated or "
        "damaged); restore it, or remove it to fall back to the previous generation"));
  }
  for (const auto& v : j["views"]) {
    if (!v.contains("name") || !v.contains("sql") || !v["name"].is_string() ||
        !v["sql"].is_string()) {
      throw QueryError(Status::Corruption("views file " + path +
                                          " has an entry without \"name\" and \"sql\""));
    }
    views.emplace_back(v["name"].get<std::string>(), v["sql"].get<std::string>());
  }
  return views;
}

ViewCatalog::Snapshot ViewCatalog::Load() const {
  Env* env = db_->env();
  const std::string root = Root();
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    const uint64_t newest = NewestGeneration();
    Snapshot snapshot;
    snapshot.generation = newest;
    const std::string path = JoinPath(root, newest > 0 ? GenerationName(newest) : kLegacyViewsFile);
    if (newest == 0 && !env->FileExists(path)) return snapshot;
    Result<std::string> text = env->ReadFileToString(path);
    // Removed by a writer's clean-up after we listed: a newer one exists.
    if (!text.ok() && text.status().IsNotFound() && newest > 0) continue;
    if (!text.ok()) throw QueryError(text.status());
    snapshot.views = Parse(path, *text);
    return snapshot;
  }
  throw QueryError(
      Status::Conflict("views in " + root + " kept changing while being read; try again"));
}

uint64_t ViewCatalog::NewestGeneration() const {
  Result<std::vector<std::string>> names = db_->env()->GetChildren(Root());
  if (!names.ok()) throw QueryError(names.status().WithContext("listing views in " + Root()));
  uint64_t newest = 0;
  for (const std::string& name : *names) newest = std::max(newest, GenerationOf(name));
  return newest;
}

bool ViewCatalog::TryStore(uint64_t generation, const ViewList& views) const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, sql] : views) list.push_back({{"name", name}, {"sql", sql}});
  nlohmann::json j = {{"format", "tslake-views"}, {"version", 2}, {"generation", generation},
                      {"views", list}};
  const std::string text = j.dump(1) + "\n";
  Env* env = db_->env();
  const std::string root = Root();
  const std::string path = JoinPath(root, GenerationName(generation));
  // A name no other writer uses, so no one can write into our bytes.
  const std::string tmp = JoinPath(root, ".views-tmp-" + NewUniqueId() + kSuffix);
  Result<std::unique_ptr<WritableFile>> file = env->NewWritableFile(tmp);
  Check(file.status(), tmp);
  Status written = (*file)->Append(text);
  if (written.ok()) written = (*file)->Sync();
  if (written.ok()) written = (*file)->Close();
  if (written.ok()) written = env->LinkFile(tmp, path);
  (void)env->RemoveFile(tmp);  // best effort: the linked name keeps the bytes
  if (written.IsAlreadyExists()) return false;
  Check(written, path);
  Check(env->SyncDir(root), path);
  return true;
}

void ViewCatalog::RemoveOldGenerations(uint64_t newest) const {
  // Best effort: a file left behind is harmless, only the newest is read.
  Env* env = db_->env();
  const std::string root = Root();
  Result<std::vector<std::string>> names = env->GetChildren(root);
  if (!names.ok()) return;
  for (const std::string& name : *names) {
    const uint64_t generation = GenerationOf(name);
    const bool superseded =
        (generation > 0 && generation + kKeptGenerations < newest) || name == kLegacyViewsFile;
    if (!superseded) continue;
    const std::string path = JoinPath(root, name);
    Result<int64_t> modified = env->GetFileModificationMicros(path);
    if (modified.ok() && env->NowMicros() - *modified >= kGenerationRetentionMicros) {
      (void)env->RemoveFile(path);
    }
  }
}

void ViewCatalog::Update(const std::function<bool(ViewList&)>& change) const {
  tsl::MutexLock lock(ViewMutex());
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    Snapshot snapshot = Load();
    if (!change(snapshot.views)) return;
    if (TryStore(snapshot.generation + 1, snapshot.views)) {
      RemoveOldGenerations(snapshot.generation + 1);
      return;
    }
  }
  throw QueryError(
      Status::Conflict("views in " + Root() + " are being changed by other processes; try again"));
}

std::optional<std::string> ViewCatalog::Get(const std::string& name) const {
  for (const auto& [n, sql] : Load().views) {
    if (EqualsIgnoreCase(n, name)) return sql;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> ViewCatalog::List() const {
  ViewList views = Load().views;
  std::sort(views.begin(), views.end());
  return views;
}

void ViewCatalog::Create(const std::string& name, const std::string& sql, bool replace,
                         bool if_not_exists, int position) {
  if (db_->read_only()) {
    throw QueryError(ErrorKind::kInvalidInput,
                     "Cannot create view \"" + name + "\": the database is opened read-only",
                     position);
  }
  Update([&](ViewList& views) {
    for (auto& [n, s] : views) {
      if (!EqualsIgnoreCase(n, name)) continue;
      if (replace) {
        n = name;
        s = sql;
        return true;
      }
      if (if_not_exists) return false;
      throw QueryError(ErrorKind::kCatalog,
                       "View with name \"" + name +
                           "\" already exists! Use CREATE OR REPLACE VIEW to change it.",
                       position);
    }
    views.emplace_back(name, sql);
    return true;
  });
}

void ViewCatalog::Drop(const std::string& name, bool if_exists, int position) {
  if (db_->read_only()) {
    throw QueryError(ErrorKind::kInvalidInput,
                     "Cannot drop view \"" + name + "\": the database is opened read-only",
                     position);
  }
  Update([&](ViewList& views) {
    auto it = std::find_if(views.begin(), views.end(),
                           [&](const auto& v) { return EqualsIgnoreCase(v.first, name); });
    if (it == views.end()) {
      if (if_exists) return false;
      throw QueryError(ErrorKind::kCatalog, "View with name " + name + " does not exist!", position);
    }
    views.erase(it);
    return true;
  });
}

}  // namespace tsl::query
