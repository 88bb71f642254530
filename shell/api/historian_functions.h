// Registration of ingest's historian readers (read_piwebapi, ...) as query
// table functions, one file per reader (read_<format>_function.cc), in the
// manner of read_csv_function.cc. COPY t FROM 'f' (FORMAT x) finds
// read_<x>. Thread-safety: call before any query runs.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

#include "formats/status.h"
#include "formats/value.h"
#include "query/functions/table_function.h"
#include "storage/database.h"

namespace tslake {

// A ChunkSource over one precomputed chunk (the tslake_* report functions).
class OneChunkSource : public tsl::ChunkSource {
 public:
  OneChunkSource(tsl::Schema schema, tsl::DataChunk chunk)
      : schema_(std::move(schema)), chunk_(std::move(chunk)) {}
  const tsl::Schema& schema() const override { return schema_; }
  tsl::Result<bool> Next(tsl::DataChunk* out) override {
    if (done_ || chunk_.size() == 0) return false;
    done_ = true;
    std::swap(*out, chunk_);
    return true;
  }

 private:
  tsl::Schema schema_;
  tsl::DataChunk chunk_;
  bool done_ = false;
};

// Registers every historian reader below.
void RegisterHistorianReaders(tsl::query::TableFunctionRegistry* registry);

void RegisterPiWebApiFunction(tsl::query::TableFunctionRegistry* registry);
void RegisterIgnitionFunction(tsl::query::TableFunctionRegistry* registry);
void RegisterJsonlFunction(tsl::query::TableFunctionRegistry* registry);
void RegisterLineProtocolFunction(tsl::query::TableFunctionRegistry* registry);
// tslake_watermarks('t') over `db` (registered by database.cc).
void RegisterWatermarksFunction(tsl::query::TableFunctionRegistry* registry, tsl::Database* db);
// tslake_tags('t') and tslake_set_tag_description('t', 'tag', 'text') over
// `db`'s catalog (tags_function.cc; registered by database.cc).
void RegisterTagsFunctions(tsl::query::TableFunctionRegistry* registry, tsl::Database* db);

// The single path argument of read_<name>('file'), or kInvalidArgument
// showing the call's shape.
tsl::Result<std::string> PathArgument(const std::string& function,
                                      const tsl::query::TableFunctionArgs& args);
// A string option's value; kInvalidArgument naming function and option.
tsl::Result<std::string> StringOption(const std::string& function, const std::string& name,
                                      const tsl::Value& v);
// A boolean option (true/false, 1/0, 't'/'f', 'yes'/'no').
tsl::Result<bool> BoolOption(const std::string& function, const std::string& name,
                             const tsl::Value& v);
// COPY passes (FORMAT x) along: accept it when it names this reader.
tsl::Status CheckFormatOption(const std::string& function, const std::string& format,
                              const tsl::Value& v);
// As above, accepting any of `formats` (COPY ... (FORMAT line) and (FORMAT
// line_protocol) both reach read_line_protocol).
tsl::Status CheckFormatOption(const std::string& function,
                              std::initializer_list<const char*> formats, const tsl::Value& v);

}  // namespace tslake
