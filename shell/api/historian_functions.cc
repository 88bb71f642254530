// RegisterHistorianReaders and the option helpers the read_<format>
// registration files share. Thread-safety: stateless.
#include "shell/api/historian_functions.h"

#include "formats/bool_text.h"
#include "formats/types.h"

namespace tslake {

void RegisterHistorianReaders(tsl::query::TableFunctionRegistry* registry) {
  RegisterPiWebApiFunction(registry);
  RegisterIgnitionFunction(registry);
  RegisterJsonlFunction(registry);
  RegisterLineProtocolFunction(registry);
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

tsl::Result<bool> BoolOption(const std::string& function, const std::string& name,
                             const tsl::Value& v) {
  if (!v.is_null()) {
    if (v.type() == tsl::TypeId::kBoolean || tsl::IsIntegral(v.type())) return v.int_value() != 0;
    if (v.type() == tsl::TypeId::kVarchar) {
      if (std::optional<bool> b = tsl::ParseBoolText(v.string_value())) return *b;
    }
  }
  return tsl::Status::InvalidArgument(function + ": option " + name +
                                      " must be true or false, not " + v.ToString());
}

tsl::Status CheckFormatOption(const std::string& function,
                              std::initializer_list<const char*> formats, const tsl::Value& v) {
  std::string names;
  for (const char* f : formats) {
    if (!v.is_null() && v.type() == tsl::TypeId::kVarchar && tsl::ToLower(v.string_value()) == f)
      return tsl::Status::OK();
    names += (names.empty() ? "" : ", ") + std::string(f);
  }
  return tsl::Status::NotSupported(function + ": format " + v.ToString() +
                                   " is not supported (only " + names + ")");
}

}  // namespace tslake
