// ViewCatalog: the views of a database (CREATE [OR REPLACE] VIEW, DROP
// VIEW), stored as their SQL text in DBDIR/views.json so they survive a
// restart (an in-memory database keeps the file in its memory Env). The
// query layer owns the file; storage ignores plain files in the database
// directory. A view is re-parsed and bound each time a query names it, so
// it always sees the current tables. Writes replace the file atomically
// (temporary file, sync, rename). Errors are QueryErrors.
// Thread-safety: reads and writes of one process are serialized by a
// mutex; two processes changing views at once may lose one change.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/database.h"

namespace tsl::query {

class ViewCatalog {
 public:
  explicit ViewCatalog(Database* db) : db_(db) {}

  // The view's SQL, or nullopt when there is no view of that name.
  std::optional<std::string> Get(const std::string& name) const;
  // Sorted by name: (name, sql).
  std::vector<std::pair<std::string, std::string>> List() const;
  // `replace`: CREATE OR REPLACE; otherwise an existing view is an error
  // unless `if_not_exists` (then nothing changes).
  void Create(const std::string& name, const std::string& sql, bool replace, bool if_not_exists,
              int position);
  void Drop(const std::string& name, bool if_exists, int position);

 private:
  std::string FilePath() const;
  std::vector<std::pair<std::string, std::string>> Load() const;
  void Store(const std::vector<std::pair<std::string, std::string>>& views) const;

  Database* db_;
};

}  // namespace tsl::query
