// ViewCatalog: the views of a database (CREATE [OR REPLACE] VIEW, DROP
// VIEW), stored as their SQL text so they survive a restart (an in-memory
// database keeps the files in its memory Env). The query layer owns the
// files; storage ignores plain files in the database directory. A view is
// re-parsed and bound each time a query names it, so it always sees the
// current tables. Errors are QueryErrors.
//
// Files: every change writes a whole new snapshot
// DBDIR/views.<20-digit generation>.json; the highest generation is the
// current one. Like a log commit, a change is written to a unique temporary
// file, fsynced, then linked under generation G+1 (put-if-absent): when
// another process took G+1 first the change is re-applied to that newer
// snapshot and retried, so concurrent writers never lose a change nor see
// a half-written file. The few newest generations, and any younger than ten
// minutes, are kept (a reader that lists, then opens one that was just
// removed, retries). A DBDIR/views.json from before generations is read as
// generation 0.
// Thread-safety: one process serializes its own changes with a mutex;
// processes coordinate through the put-if-absent link.
#pragma once

#include <cstdint>
#include <functional>
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
  using ViewList = std::vector<std::pair<std::string, std::string>>;
  struct Snapshot {
    uint64_t generation = 0;  // 0: none yet, or the legacy views.json
    ViewList views;
  };

  std::string Root() const;
  uint64_t NewestGeneration() const;
  Snapshot Load() const;
  ViewList Parse(const std::string& path, const std::string& text) const;
  // Writes `views` as generation `generation`; false when another writer
  // took that generation first.
  bool TryStore(uint64_t generation, const ViewList& views) const;
  void RemoveOldGenerations(uint64_t newest) const;
  // Applies `change` to the newest snapshot and stores the result, retrying
  // on a concurrent writer. `change` returns false to leave things as they are.
  void Update(const std::function<bool(ViewList&)>& change) const;

  Database* db_;
};

}  // namespace tsl::query
