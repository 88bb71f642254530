// GuardFileInputs: every read_<format> table function (and so every
// COPY t FROM 'path') checks its path with ingest's CheckInputFileType
// before the reader opens it, and takes the `allow_special_files` option
// off the arguments so the readers never see it. One wrapper here instead
// of a check in each reader keeps new readers safe by default.
// Thread-safety: call once, before any query runs.
#include "ingest/input_file_policy.h"
#include "shell/api/api_internal.h"

namespace tslake {

namespace {

constexpr const char* kAllowOption = "allow_special_files";

tsl::Result<bool> AllowOption(const std::string& function, const tsl::Value& v) {
  if (!v.is_null()) {
    if (v.type() == tsl::TypeId::kBoolean || tsl::IsIntegral(v.type())) return v.int_value() != 0;
    if (v.type() == tsl::TypeId::kVarchar) {
      std::string s = tsl::ToLower(v.string_value());
      if (s == "true" || s == "1") return true;
      if (s == "false" || s == "0") return false;
    }
  }
  return tsl::Status::InvalidArgument(function + ": option " + kAllowOption +
                                      " must be true or false, not " + v.ToString());
}

}  // namespace

void GuardFileInputs(tsl::query::TableFunctionRegistry* registry) {
  for (const std::string& name : registry->Names()) {
    if (name.rfind("read_", 0) != 0) continue;
    tsl::query::TableFunctionFactory inner = *registry->Find(name);
    registry->Register(name, [name, inner](const tsl::query::TableFunctionArgs& args)
                                 -> tsl::Result<std::unique_ptr<tsl::ChunkSource>> {
      bool allow = false;
      auto it = args.named.find(kAllowOption);
      if (it != args.named.end()) {
        ASSIGN_OR_RETURN(allow, AllowOption(name, it->second));
      }
      if (!args.positional.empty() && !args.positional[0].is_null() &&
          args.positional[0].type() == tsl::TypeId::kVarchar) {
        RETURN_IF_ERROR(tsl::CheckInputFileType(name, args.positional[0].string_value(), allow));
      }
      if (it == args.named.end()) return inner(args);
      tsl::query::TableFunctionArgs stripped = args;
      stripped.named.erase(kAllowOption);
      return inner(stripped);
    });
  }
}

}  // namespace tslake
