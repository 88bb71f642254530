// Database: a directory of tables plus the SQLite catalog
// (`<db>/catalog.sqlite`), or the same in memory. Owns the Env and Catalog.
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/env.h"
#include "storage/file_access_policy.h"
#include "storage/table.h"

namespace tsl {

class Catalog;

struct DatabaseOptions {
  bool read_only = false;
  SegmentWriteOptions segment_options;
  // When set, used instead of the POSIX (or in-memory) Env. Not owned.
  Env* env = nullptr;
};

class Database {
 public:
  // `path` empty or ":memory:" opens an in-memory database. A missing
  // directory is created unless read_only (then kNotFound). The catalog is
  // brought up to date with every table's log on open.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, DatabaseOptions options = {});
  ~Database();

  const std::string& path() const;  // ":memory:" for in-memory
  bool read_only() const;
  bool in_memory() const;
  Env* env() const;
  Catalog* catalog() const;
  // The files statements may read and write: never inside this directory,
  // none when read-only, none outside it without external access.
  FileAccessPolicy* file_access() const;
  const DatabaseOptions& options() const;

  // kAlreadyExists unless if_not_exists; kInvalidArgument for a bad name.
  // With `pending`, version 0 is left for the table's first commit (CREATE
  // TABLE AS SELECT: one commit of metaData plus adds; Table::CreatePending).
  Result<std::shared_ptr<Table>> CreateTable(const std::string& name, const Schema& schema,
                                             std::map<std::string, std::string> properties = {},
                                             bool if_not_exists = false, bool pending = false);
  // Removes the table directory and its catalog rows. kNotFound unless if_exists.
  Status DropTable(const std::string& name, bool if_exists = false);
  // ALTER TABLE from RENAME TO to: the table directory is renamed (one
  // atomic step: a crash leaves the table under its old or its new name,
  // whole), then a metaData commit records the new name (RENAME TABLE in
  // DESCRIBE HISTORY; it keeps the name's case across a catalog rebuild)
  // and the catalog rows move. Handles other connections hold on the old
  // name see the table as dropped. kNotFound for an unknown table,
  // kAlreadyExists when `to` names another table.
  Status RenameTable(const std::string& from, const std::string& to);
  // Case-insensitive. kNotFound: `Table "mm" does not exist. Did you mean "m"?`
  Result<std::shared_ptr<Table>> GetTable(const std::string& name);
  std::vector<std::string> ListTables() const;

  // Recreates the catalog from the table logs (tslake --rebuild-catalog).
  // A damaged catalog file is moved aside first (Catalog::ReplaceDamaged).
  Status RebuildCatalog();

  // What the open (or a rebuild) did about the catalog that the user may
  // want to know, one sentence each: a damaged catalog moved aside and
  // rebuilt, a catalog that could not be written (a full disk) so reads
  // use the logs. Empty in the normal case.
  std::vector<std::string> Notices() const;

 private:
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tsl
