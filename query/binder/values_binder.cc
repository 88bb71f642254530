// Binding of a VALUES list (`VALUES (1, 'a'), (2, 'b')`, parsed by
// values_parser.cc). Each column's expressions get one common type as a
// CASE's results do (numbers widen, a quoted literal takes the others'
// type), are evaluated once here, and the rows are served by a ValuesSource
// in 2048-row chunks. Columns are named col0, col1, ... as in DuckDB; an
// alias list (`AS t(a, b)`) renames them in BindSource.
// Thread-safety: one Binder per statement; a ValuesSource has one reader.
#include <utility>

#include "query/binder/binder.h"
#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"

namespace tsl::query {
namespace {

class ValuesSource : public ChunkSource {
 public:
  ValuesSource(Schema schema, std::vector<std::vector<Value>> columns)
      : schema_(std::move(schema)), columns_(std::move(columns)) {}
  const Schema& schema() const override { return schema_; }
  Result<bool> Next(DataChunk* out) override {
    const size_t rows = columns_.empty() ? 0 : columns_[0].size();
    if (next_ >= rows) return false;
    std::vector<TypeId> types;
    for (const Field& f : schema_.fields) types.push_back(f.type);
    out->Initialize(types);
    const size_t end = std::min(rows, next_ + kVectorSize);
    for (size_t c = 0; c < columns_.size(); ++c) {
      for (size_t r = next_; r < end; ++r) out->columns[c].AppendValue(columns_[c][r]);
    }
    next_ = end;
    return true;
  }

 private:
  Schema schema_;
  std::vector<std::vector<Value>> columns_;  // column-major, cast to the schema's types
  size_t next_ = 0;
};

bool IsQuotedLiteral(const ParsedExpression& e) {
  return (e.kind == ExpressionKind::kConstant && e.string_literal) ||
         e.kind == ExpressionKind::kParameter;
}

}  // namespace

void Binder::BindValues(const TableRef& ref, BoundSource* source) {
  const size_t width = ref.values.empty() ? 0 : ref.values[0].size();
  Schema schema;
  std::vector<std::vector<Value>> columns(width);
  for (size_t c = 0; c < width; ++c) {
    std::vector<BoundExpressionPtr> bound;
    std::vector<bool> literals;
    for (const auto& row : ref.values) {
      const ParsedExpression& e = *row[c];
      if (ContainsAggregate(e) || ContainsWindow(e)) {
        throw QueryError(ErrorKind::kBinder, "VALUES cannot contain aggregates or window functions",
                         e.position);
      }
      bound.push_back(BindConstantExpression(e));
      literals.push_back(IsQuotedLiteral(e));
    }
    std::vector<BoundExpressionPtr*> all;
    for (auto& b : bound) all.push_back(&b);
    UnifyTypes(all, literals, "VALUES list", ref.position);
    const TypeId type = bound.front()->type;
    columns[c].reserve(bound.size());
    for (const auto& b : bound) columns[c].push_back(ExpressionExecutor::EvaluateScalar(*b));
    schema.fields.push_back({"col" + std::to_string(c), type});
  }
  source->kind = BoundSource::Kind::kFunction;
  source->name = "VALUES";
  source->schema = schema;
  source->function_source = std::make_unique<ValuesSource>(std::move(schema), std::move(columns));
}

}  // namespace tsl::query
