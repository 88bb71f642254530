// read_piwebapi: ingest's PiWebApiReader as a query table function, for
// `FROM read_piwebapi('x.json', tag => 'Plant1.Flow')` and
// `COPY t FROM 'x.json' (FORMAT piwebapi)`. Thread-safety: stateless.
#include "ingest/piwebapi_reader.h"
#include "shell/api/historian_functions.h"

namespace tslake {
namespace {

constexpr const char* kName = "read_piwebapi";

tsl::Result<std::unique_ptr<tsl::ChunkSource>> MakePiWebApiReader(
    const tsl::query::TableFunctionArgs& args) {
  ASSIGN_OR_RETURN(std::string path, PathArgument(kName, args));
  tsl::PiWebApiOptions options;
  options.target_schema = args.target_schema;
  for (const auto& [key, value] : args.named) {
    if (key == "tag") {
      ASSIGN_OR_RETURN(options.tag, StringOption(kName, key, value));
    } else if (key == "format") {
      RETURN_IF_ERROR(CheckFormatOption(kName, "piwebapi", value));
    } else {
      return tsl::Status::InvalidArgument(std::string(kName) + ": unknown option \"" + key +
                                          "\" (known: tag)");
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<tsl::PiWebApiReader> reader,
                   tsl::PiWebApiReader::Open(path, std::move(options)));
  return std::unique_ptr<tsl::ChunkSource>(std::move(reader));
}

}  // namespace

void RegisterPiWebApiFunction(tsl::query::TableFunctionRegistry* registry) {
  registry->Register(kName, MakePiWebApiReader);
}

}  // namespace tslake
