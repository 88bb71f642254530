// The PIMPL bodies behind include/tslake/tslake.hpp, shared by the files of
// shell/api. Only shell/api includes this: it is the one place where the
// public API meets the engine (storage, query) and ingest's readers.
// Thread-safety: as documented on the public classes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "formats/status.h"
#include "query/functions/table_function.h"
#include "query/main/query_engine.h"
#include "storage/database.h"
#include "tslake/tslake.hpp"

namespace tslake {

struct Database::Impl {
  std::unique_ptr<tsl::Database> db;
  // read_csv and friends; registered before any query runs, read-only after.
  tsl::query::TableFunctionRegistry functions;
  Options options;
  std::string path;
};

struct Connection::Impl {
  explicit Impl(Database::Impl* db) : engine(db->db.get(), &db->functions) {}
  tsl::query::QueryEngine engine;
};

struct Result::Impl {
  ErrorCode code = ErrorCode::kOk;
  std::string error;
  std::string statement_type;
  tsl::Schema schema;
  std::vector<tsl::DataChunk> chunks;
  // chunk_starts[i] is the row number of chunks[i]'s first row.
  std::vector<int64_t> chunk_starts;
  int64_t rows = 0;

  // The chunk holding `row` and the row's offset in it.
  // REQUIRES: 0 <= row < rows.
  std::pair<size_t, size_t> Locate(int64_t row) const;
  const tsl::ColumnVector& Column(int column, int64_t row, size_t* offset) const;

  static std::unique_ptr<Impl> FromStatus(const tsl::Status& status);
  static std::unique_ptr<Impl> FromQueryResult(tsl::query::QueryResult result);
};

// Registers read_csv on `registry` (ingest's CsvReader as a table function).
void RegisterIngestFunctions(tsl::query::TableFunctionRegistry* registry);

}  // namespace tslake
