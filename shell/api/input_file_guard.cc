// GuardFileInputs: every read_<format> table function (and so every
// COPY t FROM 'path') checks the files it names (its path, and a file
// option such as read_ignition's `tags`) with the database's
// FileAccessPolicy (enable_external_access) and CheckInputFileType
// (special files) before the reader opens them, and takes the
// `allow_special_files` option off the arguments so the readers never see
// it. The rules themselves live in storage/file_access_policy.h; one
// wrapper here instead of a check in each reader keeps new readers safe by
// default. Thread-safety: call once, before any query runs.
#include "formats/bool_text.h"
#include "query/functions/range_function.h"
#include "shell/api/api_internal.h"
#include "storage/file_access_policy.h"

namespace tslake {

namespace {

constexpr const char* kAllowOption = "allow_special_files";

tsl::Result<bool> AllowOption(const std::string& function, const tsl::Value& v) {
  if (!v.is_null()) {
    if (v.type() == tsl::TypeId::kBoolean || tsl::IsIntegral(v.type())) return v.int_value() != 0;
    if (v.type() == tsl::TypeId::kVarchar) {
      if (std::optional<bool> b = tsl::ParseBoolText(v.string_value())) return *b;
    }
  }
  return tsl::Status::InvalidArgument(function + ": option " + kAllowOption +
                                      " must be true or false, not " + v.ToString());
}

// Named options whose value is another input file.
bool IsFileOption(const std::string& key) { return key == "tags"; }

tsl::Status CheckInput(const tsl::FileAccessPolicy* policy, const std::string& function,
                       const tsl::Value& path, bool allow_special_files) {
  if (path.is_null() || path.type() != tsl::TypeId::kVarchar) return tsl::Status::OK();
  RETURN_IF_ERROR(policy->Check(function, path.string_value(), tsl::FileAccess::kRead));
  return tsl::CheckInputFileType(function, path.string_value(), allow_special_files);
}

}  // namespace

void GuardFileInputs(tsl::query::TableFunctionRegistry* registry,
                     const tsl::FileAccessPolicy* policy) {
  // read_parquet is the query layer's own; registered here it is guarded
  // like the others (the registry is looked up before the built-ins).
  if (registry->Find("read_parquet") == nullptr) {
    registry->Register("read_parquet", *tsl::query::FindBuiltinTableFunction("read_parquet"));
  }
  for (const std::string& name : registry->Names()) {
    if (name.rfind("read_", 0) != 0) continue;
    tsl::query::TableFunctionFactory inner = *registry->Find(name);
    registry->Register(name, [name, inner, policy](const tsl::query::TableFunctionArgs& args)
                                 -> tsl::Result<std::unique_ptr<tsl::ChunkSource>> {
      bool allow = false;
      auto it = args.named.find(kAllowOption);
      if (it != args.named.end()) {
        ASSIGN_OR_RETURN(allow, AllowOption(name, it->second));
      }
      if (!args.positional.empty()) {
        RETURN_IF_ERROR(CheckInput(policy, name, args.positional[0], allow));
      }
      for (const auto& [key, value] : args.named) {
        if (IsFileOption(key)) RETURN_IF_ERROR(CheckInput(policy, name, value, allow));
      }
      if (it == args.named.end()) return inner(args);
      tsl::query::TableFunctionArgs stripped = args;
      stripped.named.erase(kAllowOption);
      return inner(stripped);
    });
  }
}

}  // namespace tslake
