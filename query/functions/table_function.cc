// TableFunctionRegistry: a case-insensitive name -> factory map. See
// table_function.h.
#include "query/functions/table_function.h"

namespace tsl::query {

void TableFunctionRegistry::Register(const std::string& name, TableFunctionFactory factory) {
  functions_[ToLower(name)] = std::move(factory);
}

const TableFunctionFactory* TableFunctionRegistry::Find(const std::string& name) const {
  auto it = functions_.find(ToLower(name));
  return it == functions_.end() ? nullptr : &it->second;
}

std::vector<std::string> TableFunctionRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, factory] : functions_) names.push_back(name);
  return names;
}

}  // namespace tsl::query
