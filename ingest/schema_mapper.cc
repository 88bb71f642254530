// SchemaMapper: name matching and per-column conversion (see
// schema_mapper.h). Thread-safety: one thread.
#include "ingest/schema_mapper.h"

#include <utility>

namespace tsl {

Result<SchemaMapper> SchemaMapper::Make(const Schema& native, const std::optional<Schema>& target,
                                        std::string reader) {
  SchemaMapper m;
  m.native_ = native;
  m.reader_ = std::move(reader);
  if (!target) {
    m.output_ = native;
    return m;
  }
  m.output_ = *target;
  m.identity_ = target->size() == native.size();
  bool any = false;
  for (size_t i = 0; i < target->size(); ++i) {
    int found = -1;
    for (size_t j = 0; j < native.size(); ++j)
      if (EqualsIgnoreCase(native.fields[j].name, target->fields[i].name)) found = static_cast<int>(j);
    m.source_.push_back(found);
    if (found >= 0) any = true;
    if (found != static_cast<int>(i) || native.fields[i].type != target->fields[i].type)
      m.identity_ = false;
  }
  if (!any) {
    std::string names;
    for (const Field& f : native.fields) names += (names.empty() ? "" : ", ") + f.name;
    return Status::InvalidArgument(m.reader_ + " produces columns (" + names +
                                   ") and the target table has none of them");
  }
  return m;
}

Status SchemaMapper::Map(DataChunk* native, DataChunk* out) const {
  if (identity_) {
    std::swap(*native, *out);
    return Status::OK();
  }
  const size_t n = native->size();
  out->columns.resize(output_.size());
  for (size_t i = 0; i < output_.size(); ++i) {
    ColumnVector& dst = out->columns[i];
    dst.type = output_.fields[i].type;
    dst.Clear();
    const int s = source_[i];
    if (s < 0) {
      dst.Resize(n);  // all NULL
      continue;
    }
    ColumnVector& src = native->columns[static_cast<size_t>(s)];
    if (src.type == dst.type) {
      std::swap(src, dst);
      continue;
    }
    dst.Reserve(n);
    for (size_t r = 0; r < n; ++r) {
      if (src.IsNull(r)) {
        dst.AppendNull();
        continue;
      }
      Result<Value> v = src.GetValue(r).CastTo(dst.type);
      if (!v.ok())
        return Status::InvalidArgument(reader_ + ": column \"" + output_.fields[i].name +
                                       "\": " + v.status().message());
      dst.AppendValue(*v);
    }
  }
  return Status::OK();
}

}  // namespace tsl
