// View storage in DBDIR/views.json. See view_catalog.h.
#include "query/binder/view_catalog.h"

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>

#include "query/common/query_error.h"
#include "storage/env.h"

namespace tsl::query {
namespace {

std::mutex& ViewMutex() {
  static std::mutex m;
  return m;
}

constexpr const char* kViewsFile = "views.json";

}  // namespace

std::string ViewCatalog::FilePath() const {
  // An in-memory database lives under "/memdb" of its private memory Env.
  const std::string root = db_->in_memory() ? std::string("/memdb") : db_->path();
  return JoinPath(root, kViewsFile);
}

std::vector<std::pair<std::string, std::string>> ViewCatalog::Load() const {
  std::vector<std::pair<std::string, std::string>> views;
  Env* env = db_->env();
  const std::string path = FilePath();
  if (!env->FileExists(path)) return views;
  Result<std::string> text = env->ReadFileToString(path);
  if (!text.ok()) throw QueryError(text.status());
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("views") || !j["views"].is_array()) {
    throw QueryError(ErrorKind::kStorage,
                     "views file " + path +
                         " is not valid JSON of the form {\"views\": [{\"name\", \"sql\"}]}; "
                         "fix or remove it");
  }
  for (const auto& v : j["views"]) {
    if (!v.contains("name") || !v.contains("sql") || !v["name"].is_string() ||
        !v["sql"].is_string()) {
      throw QueryError(ErrorKind::kStorage,
                       "views file " + path + " has an entry without \"name\" and \"sql\"");
    }
    views.emplace_back(v["name"].get<std::string>(), v["sql"].get<std::string>());
  }
  return views;
}

void ViewCatalog::Store(const std::vector<std::pair<std::string, std::string>>& views) const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, sql] : views) list.push_back({{"name", name}, {"sql", sql}});
  nlohmann::json j = {{"format", "tslake-views"}, {"version", 1}, {"views", list}};
  const std::string text = j.dump(1) + "\n";
  Env* env = db_->env();
  const std::string path = FilePath();
  const std::string tmp = path + ".tmp";
  auto check = [&](const Status& st) {
    if (!st.ok()) throw QueryError(st.WithContext("writing " + path));
  };
  Result<std::unique_ptr<WritableFile>> file = env->NewWritableFile(tmp);
  check(file.status());
  check((*file)->Append(text));
  check((*file)->Sync());
  check((*file)->Close());
  check(env->RenameFile(tmp, path));
  const size_t slash = path.rfind('/');
  check(env->SyncDir(slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash)));
}

std::optional<std::string> ViewCatalog::Get(const std::string& name) const {
  std::lock_guard<std::mutex> lock(ViewMutex());
  for (const auto& [n, sql] : Load()) {
    if (EqualsIgnoreCase(n, name)) return sql;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> ViewCatalog::List() const {
  std::lock_guard<std::mutex> lock(ViewMutex());
  auto views = Load();
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
  std::lock_guard<std::mutex> lock(ViewMutex());
  auto views = Load();
  for (auto& [n, s] : views) {
    if (!EqualsIgnoreCase(n, name)) continue;
    if (replace) {
      n = name;
      s = sql;
      Store(views);
      return;
    }
    if (if_not_exists) return;
    throw QueryError(ErrorKind::kCatalog,
                     "View with name \"" + name +
                         "\" already exists! Use CREATE OR REPLACE VIEW to change it.",
                     position);
  }
  views.emplace_back(name, sql);
  Store(views);
}

void ViewCatalog::Drop(const std::string& name, bool if_exists, int position) {
  if (db_->read_only()) {
    throw QueryError(ErrorKind::kInvalidInput,
                     "Cannot drop view \"" + name + "\": the database is opened read-only",
                     position);
  }
  std::lock_guard<std::mutex> lock(ViewMutex());
  auto views = Load();
  auto it = std::find_if(views.begin(), views.end(),
                         [&](const auto& v) { return EqualsIgnoreCase(v.first, name); });
  if (it == views.end()) {
    if (if_exists) return;
    throw QueryError(ErrorKind::kCatalog, "View with name " + name + " does not exist!", position);
  }
  views.erase(it);
  Store(views);
}

}  // namespace tsl::query
