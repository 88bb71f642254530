// unnest(list) as a table function. See unnest_function.h.
#include "query/functions/unnest_function.h"

#include "formats/list_value.h"

namespace tsl::query {

namespace {

class UnnestSource : public ChunkSource {
 public:
  UnnestSource(TypeId element, std::vector<Value> values) : values_(std::move(values)) {
    schema_.fields.push_back({"unnest", element});
  }
  const Schema& schema() const override { return schema_; }
  Result<bool> Next(DataChunk* out) override {
    if (next_ >= values_.size()) return false;
    out->Initialize({schema_.fields[0].type});
    ColumnVector& col = out->columns[0];
    while (next_ < values_.size() && col.size() < kVectorSize) col.AppendValue(values_[next_++]);
    return true;
  }

 private:
  Schema schema_;
  std::vector<Value> values_;
  size_t next_ = 0;
};

}  // namespace

Result<std::unique_ptr<ChunkSource>> MakeUnnest(const TableFunctionArgs& args) {
  if (args.positional.size() != 1 || !args.named.empty()) {
    return Status::InvalidArgument("unnest() takes exactly one LIST argument");
  }
  const Value& list = args.positional[0];
  if (list.type() == TypeId::kNull) {  // unnest(NULL): no rows
    return std::unique_ptr<ChunkSource>(std::make_unique<UnnestSource>(TypeId::kInteger, std::vector<Value>{}));
  }
  if (!IsList(list.type())) {
    return Status::InvalidArgument("unnest() takes a LIST argument, got " +
                                   std::string(TypeName(list.type())));
  }
  TypeId element = ListElementType(list.type());
  std::vector<Value> values;
  if (!list.is_null()) {
    Result<std::vector<Value>> decoded = DecodeList(list.type(), list.string_value());
    if (!decoded.ok()) return decoded.status();
    values = std::move(*decoded);
  }
  if (element == TypeId::kNull) {  // "NULL"[]: an INTEGER column of NULLs
    element = TypeId::kInteger;
    for (Value& v : values) v = Value::Null(element);
  }
  return std::unique_ptr<ChunkSource>(std::make_unique<UnnestSource>(element, std::move(values)));
}

}  // namespace tsl::query
