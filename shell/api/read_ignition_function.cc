// read_ignition: ingest's IgnitionReader as a query table function, for
// `FROM read_ignition('sqlt_data_1_2024_02.csv', tags => 'sqlth_te.csv')`
// and `COPY t FROM 'x.csv' (FORMAT ignition, TAGS 'sqlth_te.csv')`.
// Thread-safety: stateless.
#include "ingest/ignition_reader.h"
#include "shell/api/historian_functions.h"

namespace tslake {
namespace {

constexpr const char* kName = "read_ignition";

tsl::Result<std::unique_ptr<tsl::ChunkSource>> MakeIgnitionReader(
    const tsl::query::TableFunctionArgs& args) {
  ASSIGN_OR_RETURN(std::string path, PathArgument(kName, args));
  tsl::IgnitionOptions options;
  options.target_schema = args.target_schema;
  for (const auto& [key, value] : args.named) {
    if (key == "tags") {
      ASSIGN_OR_RETURN(options.tags_path, StringOption(kName, key, value));
    } else if (key == "header") {
      ASSIGN_OR_RETURN(options.header, BoolOption(kName, key, value));
    } else if (key == "delim" || key == "delimiter" || key == "sep") {
      ASSIGN_OR_RETURN(std::string d, StringOption(kName, key, value));
      if (d.size() != 1)
        return tsl::Status::InvalidArgument(std::string(kName) + ": option " + key +
                                            " must be one character, not '" + d + "'");
      options.delimiter = d[0];
    } else if (key == "format") {
      RETURN_IF_ERROR(CheckFormatOption(kName, "ignition", value));
    } else {
      return tsl::Status::InvalidArgument(std::string(kName) + ": unknown option \"" + key +
                                          "\" (known: tags, header, delim)");
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<tsl::IgnitionReader> reader,
                   tsl::IgnitionReader::Open(path, std::move(options)));
  return std::unique_ptr<tsl::ChunkSource>(std::move(reader));
}

}  // namespace

void RegisterIgnitionFunction(tsl::query::TableFunctionRegistry* registry) {
  registry->Register(kName, MakeIgnitionReader);
}

}  // namespace tslake
