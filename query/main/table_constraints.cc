// Table constraints: their properties and their enforcement (see
// table_constraints.h). Thread-safety: one statement at a time.
#include "query/main/table_constraints.h"

#include <algorithm>
#include <cstring>

#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
#include "query/parser/parser.h"

namespace tsl::query {
namespace {

constexpr const char* kPrefix = "constraint.";
constexpr const char* kPrimaryKey = "constraint.primary_key";
constexpr const char* kUnique = "constraint.unique.";
constexpr const char* kNotNull = "constraint.not_null";
constexpr const char* kCheck = "constraint.check.";
constexpr const char* kDefault = "constraint.default.";

bool StartsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

std::vector<std::string> SplitNames(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    if (end > start) out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::vector<int> ColumnsOf(const std::string& list, const Schema& schema) {
  std::vector<int> out;
  for (const std::string& name : SplitNames(list)) {
    const int idx = schema.FindField(name);
    if (idx < 0) {
      throw QueryError(ErrorKind::kCatalog,
                       "table constraint names column \"" + name + "\", which the table lacks");
    }
    out.push_back(idx);
  }
  return out;
}

// "n" of "constraint.check.n" as a number, so check 10 sorts after 9.
int64_t Ordinal(const std::string& key, size_t prefix) {
  int64_t n = 0;
  for (size_t i = prefix; i < key.size(); ++i) {
    if (key[i] < '0' || key[i] > '9') return 0;
    n = n * 10 + (key[i] - '0');
    if (n > (int64_t{1} << 40)) return 0;
  }
  return n;
}

ParsedExpressionPtr ParseStored(const std::string& sql) {
  Parser parser(sql);
  return parser.ParseSingleExpression();
}

}  // namespace

std::string DefaultAsSql(const std::string& stored) {
  try {
    return ParseStored(stored)->ToString();
  } catch (const QueryError&) {
    return stored;
  }
}

namespace {

// True when `e` holds a subquery (DuckDB refuses one in a DEFAULT).
bool HasSubquery(const ParsedExpression& e) {
  if (e.kind == ExpressionKind::kSubquery || e.kind == ExpressionKind::kExists ||
      e.kind == ExpressionKind::kInSubquery) {
    return true;
  }
  for (const auto& c : e.children) {
    if (c && HasSubquery(*c)) return true;
  }
  return e.case_operand && HasSubquery(*e.case_operand);
}

[[noreturn]] void Violation(std::string message) {
  throw QueryError(ErrorKind::kConstraint, std::move(message));
}

}  // namespace

bool IsConstraintProperty(const std::string& key) { return StartsWith(ToLower(key), kPrefix); }

TableConstraintSet TableConstraintSet::FromProperties(
    const std::map<std::string, std::string>& configuration, const Schema& schema) {
  TableConstraintSet set;
  std::vector<std::pair<int64_t, std::vector<int>>> unique;
  std::vector<std::pair<int64_t, std::string>> checks;
  for (const auto& [key, value] : configuration) {
    if (!StartsWith(key, kPrefix)) continue;
    if (key == kPrimaryKey) {
      set.primary_key = ColumnsOf(value, schema);
    } else if (key == kNotNull) {
      set.not_null = ColumnsOf(value, schema);
    } else if (StartsWith(key, kUnique)) {
      unique.emplace_back(Ordinal(key, std::strlen(kUnique)), ColumnsOf(value, schema));
    } else if (StartsWith(key, kCheck)) {
      checks.emplace_back(Ordinal(key, std::strlen(kCheck)), value);
    } else if (StartsWith(key, kDefault)) {
      const int idx = schema.FindField(key.substr(std::strlen(kDefault)));
      if (idx >= 0) set.defaults[idx] = value;
    }
  }
  std::stable_sort(unique.begin(), unique.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::stable_sort(checks.begin(), checks.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& u : unique) set.unique.push_back(std::move(u.second));
  for (auto& c : checks) set.checks.push_back(std::move(c.second));
  return set;
}

std::set<int> TableConstraintSet::ConstrainedColumns() const {
  std::set<int> out(primary_key.begin(), primary_key.end());
  for (const auto& u : unique) out.insert(u.begin(), u.end());
  out.insert(not_null.begin(), not_null.end());
  for (const auto& [col, sql] : defaults) out.insert(col);
  return out;
}

void AddConstraintProperties(const std::string& table,
                             const std::vector<ConstraintDefinition>& constraints,
                             const Schema& schema, Binder* binder,
                             std::map<std::string, std::string>* properties) {
  using Kind = ConstraintDefinition::Kind;
  std::vector<std::string> not_null;
  int unique_n = 0, check_n = 0;
  bool has_primary = false;
  auto list_of = [&](const ConstraintDefinition& c) {
    std::string list;
    std::set<int> seen;
    for (const std::string& name : c.columns) {
      const int idx = schema.FindField(name);
      if (idx < 0) {
        throw QueryError(ErrorKind::kCatalog,
                         "table \"" + table + "\" does not have a column named \"" + name + "\"",
                         c.position);
      }
      const std::string& real = schema.fields[static_cast<size_t>(idx)].name;
      if (real.find(',') != std::string::npos) {
        throw QueryError(ErrorKind::kNotImplemented,
                         "a constraint on a column whose name holds a comma (\"" + real + "\")",
                         c.position);
      }
      if (!seen.insert(idx).second) {
        throw QueryError(ErrorKind::kParser,
                         "column \"" + real + "\" appears twice in primary key constraint",
                         c.position);
      }
      list += (list.empty() ? "" : ",") + real;
    }
    return list;
  };
  std::vector<Binder::RowScopeTable> scope = {{"", schema.fields}};
  for (const ConstraintDefinition& c : constraints) {
    switch (c.kind) {
      case Kind::kPrimaryKey: {
        if (has_primary) {
          throw QueryError(ErrorKind::kParser, "table \"" + table + "\" has more than one primary key",
                           c.position);
        }
        has_primary = true;
        (*properties)[kPrimaryKey] = list_of(c);
        for (const std::string& name : SplitNames((*properties)[kPrimaryKey]))
          not_null.push_back(name);
        break;
      }
      case Kind::kUnique:
        (*properties)[kUnique + std::to_string(++unique_n)] = list_of(c);
        break;
      case Kind::kNotNull:
        not_null.push_back(list_of(c));
        break;
      case Kind::kCheck: {
        // Bound now so a CHECK naming a missing column fails at CREATE.
        ParsedExpressionPtr e = ParseStored(c.expression);
        try {
          binder->BindRowExpression(*e, scope, "CHECK");
        } catch (QueryError& error) {
          error.SetPositionIfUnknown(c.position);
          throw;
        }
        (*properties)[kCheck + std::to_string(++check_n)] = c.expression;
        break;
      }
      case Kind::kDefault: {
        const std::string column = list_of(c);
        ParsedExpressionPtr e = ParseStored(c.expression);
        if (HasSubquery(*e)) {
          throw QueryError(ErrorKind::kBinder, "DEFAULT value cannot contain subqueries",
                           c.position);
        }
        try {
          binder->BindConstantExpression(*e);
        } catch (QueryError& error) {
          error.SetPositionIfUnknown(c.position);
          throw;
        }
        (*properties)[kDefault + column] = c.expression;
        break;
      }
    }
  }
  std::string list;
  std::set<std::string> done;
  for (const std::string& name : not_null) {
    if (!done.insert(ToLower(name)).second) continue;
    list += (list.empty() ? "" : ",") + name;
  }
  if (!list.empty()) (*properties)[kNotNull] = list;
}

std::vector<Value> EvaluateDefaults(const TableConstraintSet& set, const Schema& schema,
                                    Binder* binder) {
  std::vector<Value> out;
  for (const Field& f : schema.fields) out.push_back(Value::Null(f.type));
  for (const auto& [col, sql] : set.defaults) {
    ParsedExpressionPtr e = ParseStored(sql);
    const TypeId type = schema.fields[static_cast<size_t>(col)].type;
    Result<Value> v = binder->EvaluateConstant(*e).CastTo(type);
    if (!v.ok()) throw QueryError(ErrorKind::kConversion, v.status().message());
    out[static_cast<size_t>(col)] = *v;
  }
  return out;
}

std::string EncodeKey(const DataChunk& rows, const std::vector<int>& cols, size_t row) {
  std::string key;
  for (int c : cols) {
    const ColumnVector& v = rows.columns[static_cast<size_t>(c)];
    switch (PhysicalClassOf(v.type)) {
      case PhysicalClass::kString: {
        const std::string& s = v.strings[row];
        const uint64_t n = s.size();
        key.append(reinterpret_cast<const char*>(&n), sizeof n);
        key += s;
        break;
      }
      case PhysicalClass::kDouble: {
        double d = v.doubles[row];
        if (d == 0) d = 0;  // -0.0 = 0.0
        key.append(reinterpret_cast<const char*>(&d), sizeof d);
        break;
      }
      case PhysicalClass::kInt64:
        key.append(reinterpret_cast<const char*>(&v.ints[row]), sizeof(int64_t));
        break;
    }
  }
  return key;
}

ConstraintChecker::ConstraintChecker(std::shared_ptr<Table> table,
                                     std::shared_ptr<const Snapshot> snapshot,
                                     TableConstraintSet set, Binder* binder)
    : table_(std::move(table)), snapshot_(std::move(snapshot)), set_(std::move(set)) {
  if (!set_.primary_key.empty()) keys_.push_back(set_.primary_key);
  for (const auto& u : set_.unique) keys_.push_back(u);
  seen_.resize(keys_.size());
  std::vector<Binder::RowScopeTable> scope = {{table_->name(), snapshot_->schema().fields}};
  for (const std::string& sql : set_.checks) {
    ParsedExpressionPtr e = ParseStored(sql);
    checks_.push_back(binder->BindRowExpression(*e, scope, "CHECK"));
  }
}

ConstraintChecker::~ConstraintChecker() = default;

void ConstraintChecker::Check(const DataChunk& in) {
  if (in.size() == 0) return;
  // Keys are compared as strings: a dictionary-form column is expanded.
  DataChunk expanded;
  const DataChunk* chunk = &in;
  for (const ColumnVector& c : in.columns) {
    if (!c.dictionary_form) continue;
    expanded.columns = in.columns;
    for (ColumnVector& e : expanded.columns) e.MaterializeStrings();
    chunk = &expanded;
    break;
  }
  const DataChunk& rows = *chunk;
  CheckNotNull(rows);
  CheckExpressions(rows);
  CheckUnique(rows);
}

void ConstraintChecker::CheckNotNull(const DataChunk& rows) const {
  const Schema& schema = snapshot_->schema();
  for (int c : set_.not_null) {
    const ColumnVector& v = rows.columns[static_cast<size_t>(c)];
    for (size_t r = 0; r < rows.size(); ++r) {
      if (v.IsNull(r)) {
        Violation("NOT NULL constraint failed: " + table_->name() + "." +
                  schema.fields[static_cast<size_t>(c)].name);
      }
    }
  }
}

void ConstraintChecker::CheckExpressions(const DataChunk& rows) const {
  for (size_t i = 0; i < checks_.size(); ++i) {
    ColumnVector out;
    ExpressionExecutor::Execute(*checks_[i], rows, rows.size(), &out);
    for (size_t r = 0; r < rows.size(); ++r) {
      // A CHECK passes unless it is FALSE (NULL passes, as in SQL).
      if (out.IsNull(r) || out.ints[r] != 0) continue;
      Violation("CHECK constraint failed on table " + table_->name() + " with expression CHECK(" +
                ParseStored(set_.checks[i])->ToString() + ")");
    }
  }
}

void ConstraintChecker::CheckUnique(const DataChunk& rows) {
  for (size_t k = 0; k < keys_.size(); ++k) {
    const std::vector<int>& cols = keys_[k];
    for (size_t r = 0; r < rows.size(); ++r) {
      bool has_null = false;
      for (int c : cols) has_null |= rows.columns[static_cast<size_t>(c)].IsNull(r);
      if (has_null) continue;  // NULLs are never equal (UNIQUE allows several)
      auto [it, fresh] = seen_[k].emplace(EncodeKey(rows, cols, r), false);
      if (!fresh) ThrowDuplicate(k, rows, r, it->second);
    }
    if (defer_) continue;
    LookupTable(k, rows);
  }
  if (defer_ && !keys_.empty()) {
    DataChunk copy;
    copy.columns = rows.columns;
    deferred_.push_back(std::move(copy));
  }
}

void ConstraintChecker::ThrowDuplicate(size_t k, const DataChunk& rows, size_t row,
                                       bool stored) const {
  const std::vector<int>& cols = keys_[k];
  std::string values, described;
  for (int c : cols) {
    const std::string v = rows.columns[static_cast<size_t>(c)].GetValue(row).ToString();
    values += (values.empty() ? "" : ", ") + v;
    described += (described.empty() ? "" : ", ") +
                 snapshot_->schema().fields[static_cast<size_t>(c)].name + ": " + v;
  }
  if (stored) {
    Violation("Duplicate key \"" + described + "\" violates " +
              (k == 0 && !set_.primary_key.empty() ? "primary key" : "unique") + " constraint.");
  }
  Violation("PRIMARY KEY or UNIQUE constraint violation: duplicate key \"" + values + "\"");
}

void ConstraintChecker::AddKept(const DataChunk& in) {
  DataChunk rows;
  rows.columns = in.columns;
  for (ColumnVector& c : rows.columns) c.MaterializeStrings();
  for (size_t k = 0; k < keys_.size(); ++k) {
    for (size_t r = 0; r < rows.size(); ++r) {
      bool has_null = false;
      for (int c : keys_[k]) has_null |= rows.columns[static_cast<size_t>(c)].IsNull(r);
      if (has_null) continue;
      auto [it, fresh] = seen_[k].emplace(EncodeKey(rows, keys_[k], r), true);
      if (!fresh) ThrowDuplicate(k, rows, r, true);
    }
  }
}

void ConstraintChecker::FinishDeferred() {
  std::vector<DataChunk> chunks = std::move(deferred_);
  deferred_.clear();
  for (const DataChunk& rows : chunks)
    for (size_t k = 0; k < keys_.size(); ++k) LookupTable(k, rows);
}

void ConstraintChecker::LookupTable(size_t k, const DataChunk& rows) {
  const std::vector<int>& cols = keys_[k];
  // The chunk's keys, and per key column a range (and for VARCHAR the set
  // of values) that the table's matching rows must fall in.
  std::unordered_set<std::string> wanted;
  ScanOptions options;
  options.columns = cols;
  options.drop_rows_outside_ranges = true;
  std::vector<Value> lo(cols.size()), hi(cols.size());
  std::vector<std::set<std::string>> strings(cols.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    bool has_null = false;
    for (int c : cols) has_null |= rows.columns[static_cast<size_t>(c)].IsNull(r);
    if (has_null) continue;
    wanted.insert(EncodeKey(rows, cols, r));
    for (size_t i = 0; i < cols.size(); ++i) {
      const ColumnVector& v = rows.columns[static_cast<size_t>(cols[i])];
      switch (PhysicalClassOf(v.type)) {
        case PhysicalClass::kString:
          strings[i].insert(v.strings[r]);
          break;
        case PhysicalClass::kInt64: {
          Value value = v.GetValue(r);
          if (lo[i].is_null() || v.ints[r] < lo[i].int_value()) lo[i] = value;
          if (hi[i].is_null() || v.ints[r] > hi[i].int_value()) hi[i] = value;
          break;
        }
        case PhysicalClass::kDouble:
          break;  // no range: NaN's order is the scan filter's business
      }
    }
  }
  if (wanted.empty()) return;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (!strings[i].empty()) {
      auto set = std::make_shared<std::vector<std::string>>(strings[i].begin(), strings[i].end());
      options.ranges.emplace_back(cols[i], Value::Varchar(set->front()), Value::Varchar(set->back()),
                                  set);
    } else if (!lo[i].is_null()) {
      options.ranges.emplace_back(cols[i], lo[i], hi[i]);
    }
  }
  if (!excluded_.empty()) {
    for (const AddAction& f : snapshot_->files())
      if (!excluded_.count(f.path)) options.only_files.push_back(f.path);
    if (options.only_files.empty()) return;  // (empty would mean every file)
  }
  Result<std::unique_ptr<ChunkSource>> scan = table_->NewScan(snapshot_, std::move(options));
  if (!scan.ok()) throw QueryError(scan.status());
  // The scan's chunk has the key columns only: renumber them 0..n-1.
  std::vector<int> local;
  for (size_t i = 0; i < cols.size(); ++i) local.push_back(static_cast<int>(i));
  DataChunk chunk;
  while (true) {
    Result<bool> more = (*scan)->Next(&chunk);
    if (!more.ok()) throw QueryError(more.status());
    if (!*more) break;
    for (ColumnVector& c : chunk.columns) c.MaterializeStrings();
    for (size_t r = 0; r < chunk.size(); ++r) {
      bool has_null = false;
      for (const ColumnVector& c : chunk.columns) has_null |= c.IsNull(r);
      if (has_null || !wanted.count(EncodeKey(chunk, local, r))) continue;
      std::string described;
      for (size_t i = 0; i < cols.size(); ++i) {
        if (!described.empty()) described += ", ";
        described += snapshot_->schema().fields[static_cast<size_t>(cols[i])].name + ": " +
                     chunk.columns[i].GetValue(r).ToString();
      }
      Violation("Duplicate key \"" + described + "\" violates " +
                (k == 0 && !set_.primary_key.empty() ? "primary key" : "unique") +
                " constraint.");
    }
  }
}

}  // namespace tsl::query
