// RegisterHistorianReaders and the option helpers the read_<format>
// registration files share. Thread-safety: stateless.
#include "shell/api/historian_functions.h"

#include "formats/types.h"

namespace tslake {

void RegisterHistorianReaders(tsl::query::TableFunctionRegistry* registry) {
  RegisterPiWebApiFunction(registry);
}

tsl::Result<std::string> PathArgument(const std::string& function,
                                      const tsl::query::TableFunctionArgs& args) {
  if (args.positional.size() != 1 || args.positional[0].is_null() ||
      args.positional[0].type() != tsl::TypeId::kVarchar)
    return tsl::Status::InvalidArgument(function + " expects one file path string: " + function +
                                        "('data.json')");
  return args.positional[0].string_value();
}

tsl::Result<std::string> StringOption(const std::string& function, const std::string& name,
                                      const tsl::Value& v) {
  if (v.is_null() || v.type() != tsl::TypeId::kVarchar)
    return tsl::Status::InvalidArgument(function + ": option " + name + " must be a string, not " +
                                        v.ToString());
  return v.string_value();
}

tsl::Status CheckFormatOption(const std::string& function, const std::string& format,
                              const tsl::Value& v) {
  if (v.is_null() || v.type() != tsl::TypeId::kVarchar ||
      tsl::ToLower(v.string_value()) != format)
    return tsl::Status::NotSupported(function + ": format " + v.ToString() +
                                     " is not supported (only " + format + ")");
  return tsl::Status::OK();
}

}  // namespace tslake
