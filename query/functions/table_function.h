// TableFunctionRegistry: named sources of rows usable in FROM
// (`read_csv('x.csv', header => true)`) and by COPY ... FROM (format "csv"
// maps to "read_csv"). query/ knows only this interface; the layer above
// (shell/api) registers ingest's readers here, so query never includes
// ingest. Thread-safety: register everything before executing queries;
// lookups are then read-only and safe from any thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "formats/status.h"
#include "formats/value.h"

namespace tsl::query {

struct TableFunctionArgs {
  std::vector<Value> positional;
  std::map<std::string, Value> named;  // keys lower-case
  // COPY into an existing table: the schema rows must be converted to.
  std::optional<Schema> target_schema;
  // The caller takes VARCHAR columns in dictionary form (ColumnVector::
  // dictionary_form): COPY, whose writer stores them without a string per
  // row. A reader may ignore it.
  bool dictionary_strings = false;
  // COPY with an explicit ON_ERROR: a reader whose bad rows are errors by
  // default (read_csv, as DuckDB's COPY) hands them over as rejects
  // (RejectReporter) instead. Readers that always reject ignore it.
  bool reject_bad_rows = false;
};

using TableFunctionFactory =
    std::function<Result<std::unique_ptr<ChunkSource>>(const TableFunctionArgs&)>;

class TableFunctionRegistry {
 public:
  void Register(const std::string& name, TableFunctionFactory factory);
  // nullptr when unknown (name is case-insensitive).
  const TableFunctionFactory* Find(const std::string& name) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, TableFunctionFactory> functions_;
};

}  // namespace tsl::query
