// read_jsonl: ingest's JsonlReader as a query table function, for
// `FROM read_jsonl('x.jsonl', columns => 'ts TIMESTAMP, tag VARCHAR')` and
// `COPY t FROM 'x.jsonl' (FORMAT jsonl)`. Thread-safety: stateless.
#include "ingest/jsonl_reader.h"
#include "shell/api/historian_functions.h"

namespace tslake {
namespace {

constexpr const char* kName = "read_jsonl";

tsl::Result<std::unique_ptr<tsl::ChunkSource>> MakeJsonlReader(
    const tsl::query::TableFunctionArgs& args) {
  ASSIGN_OR_RETURN(std::string path, PathArgument(kName, args));
  tsl::JsonlOptions options;
  options.target_schema = args.target_schema;
  for (const auto& [key, value] : args.named) {
    if (key == "columns") {
      ASSIGN_OR_RETURN(std::string text, StringOption(kName, key, value));
      ASSIGN_OR_RETURN(tsl::Schema columns, tsl::ParseColumnList(kName, text));
      options.columns = std::move(columns);
    } else if (key == "sample_size") {
      if (value.is_null() || !tsl::IsIntegral(value.type()) || value.int_value() <= 0)
        return tsl::Status::InvalidArgument(std::string(kName) +
                                            ": sample_size must be a positive integer");
      options.sample_lines = static_cast<size_t>(value.int_value());
    } else if (key == "format") {
      RETURN_IF_ERROR(CheckFormatOption(kName, {"jsonl", "ndjson"}, value));
    } else {
      return tsl::Status::InvalidArgument(std::string(kName) + ": unknown option \"" + key +
                                          "\" (known: columns, sample_size)");
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<tsl::JsonlReader> reader,
                   tsl::JsonlReader::Open(path, std::move(options)));
  return std::unique_ptr<tsl::ChunkSource>(std::move(reader));
}

}  // namespace

void RegisterJsonlFunction(tsl::query::TableFunctionRegistry* registry) {
  registry->Register(kName, MakeJsonlReader);
  registry->Register("read_ndjson", MakeJsonlReader);  // DuckDB's name
}

}  // namespace tslake
