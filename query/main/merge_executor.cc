// StatementExecutor's half for MERGE INTO (issue 17), DuckDB 1.4+'s
// semantics, committed as one table version ("MERGE" in DESCRIBE HISTORY
// with numTargetRowsUpdated / Deleted / Inserted) or none when nothing
// changed.
//
// The source runs once and is materialized. Each live target file whose
// zone maps allow an ON match (all of them when a WHEN NOT MATCHED BY
// SOURCE clause exists) is read; its rows are paired with the source rows
// satisfying ON (main/source_match.h). Per pair, the WHEN MATCHED clauses
// are tried in order and the first whose AND condition holds acts (UPDATE,
// DELETE, DO NOTHING, ERROR); target rows without a pair go through the
// WHEN NOT MATCHED BY SOURCE clauses. A target row that an UPDATE or DELETE
// would affect twice (two source rows match it) is DuckDB's error, "MERGE
// INTO command cannot affect the same target row more than once". A file
// with a changed row is removed and replaced by its unchanged rows plus
// the updated ones (copy-on-write, as UPDATE). Source rows that matched no
// target row then go through the WHEN NOT MATCHED [BY TARGET] clauses
// (INSERT, DO NOTHING, ERROR). The new rows are checked against the
// table's constraints as UPDATE's are. The result is the number of rows
// updated, deleted and inserted, or with RETURNING the list over the
// changed rows (merge_action names the change).
// Thread-safety: one statement at a time.
#include <algorithm>
#include <set>

#include "query/binder/binder.h"
#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
#include "query/main/file_coverage.h"
#include "query/main/session_transaction.h"
#include "query/main/source_match.h"
#include "query/main/statement_executor.h"
#include "query/main/table_constraints.h"
#include "query/parser/parser.h"
#include "query/main/returning_rows.h"
#include "storage/transaction.h"

namespace tsl::query {
namespace {

template <typename T>
T OrThrowAt(Result<T> result, int position) {
  if (!result.ok()) {
    const Status& status = result.status();
    if (status.IsNotFound()) throw QueryError(ErrorKind::kCatalog, status.message(), position);
    throw QueryError(status);
  }
  return std::move(result).value();
}

// `sql` quoted as an identifier.
std::string Quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

// Rows `sel` of `in`.
DataChunk Slice(const DataChunk& in, const std::vector<uint32_t>& sel) {
  DataChunk out;
  std::vector<TypeId> types;
  for (const ColumnVector& c : in.columns) types.push_back(c.type);
  out.Initialize(types);
  for (size_t c = 0; c < types.size(); ++c) out.columns[c].AppendSelection(in.columns[c], sel);
  return out;
}

ColumnVector Nulls(TypeId type, size_t n) {
  ColumnVector v(type);
  const Value null = Value::Null(type);
  for (size_t i = 0; i < n; ++i) v.AppendValue(null);
  return v;
}

const char* WhenText(MergeAction::When when) {
  switch (when) {
    case MergeAction::When::kMatched: return "WHEN MATCHED";
    case MergeAction::When::kNotMatchedByTarget: return "WHEN NOT MATCHED";
    case MergeAction::When::kNotMatchedBySource: return "WHEN NOT MATCHED BY SOURCE";
  }
  return "WHEN";
}

// One WHEN clause, bound over the pair layout (target columns, then the
// source's).
struct BoundAction {
  const MergeAction* action = nullptr;
  BoundExpressionPtr condition;
  // UPDATE: the columns set and their values; INSERT: a value per target
  // column (the DEFAULT or NULL where none is supplied).
  std::vector<int> columns;
  std::vector<BoundExpressionPtr> values;
  BoundExpressionPtr error_message;
};

}  // namespace

QueryResult StatementExecutor::ExecuteMerge(const Statement& stmt) {
  Binder binder = NewBinder();
  std::shared_ptr<Table> table = binder.GetTable(stmt.table, stmt.table_position);
  std::unique_ptr<Transaction> txn =
      session_ ? OrThrowAt(session_->NewStatementTransaction(table), stmt.table_position)
               : OrThrowAt(table->NewTransaction(), stmt.table_position);
  txn->SetSegmentDefaults(db_->options().segment_options);
  std::shared_ptr<const Snapshot> snapshot =
      session_ ? OrThrowAt(session_->View(table), stmt.table_position)
               : OrThrowAt(table->GetSnapshot(txn->read_version()), stmt.table_position);
  const Schema& schema = snapshot->schema();
  const size_t ncols = schema.size();
  std::vector<TypeId> types;
  ScanOptions all_columns;
  for (size_t i = 0; i < ncols; ++i) {
    types.push_back(schema.fields[i].type);
    all_columns.columns.push_back(static_cast<int>(i));
  }
  const std::string target_name = stmt.table_alias.empty() ? table->name() : stmt.table_alias;

  // The source, run once.
  QueryResult from = ExecuteSelect(*stmt.update_from);
  std::vector<TypeId> source_types;
  for (const Field& f : from.schema.fields) source_types.push_back(f.type);
  DataChunk source;
  source.Initialize(source_types);
  for (DataChunk& c : from.chunks) {
    for (size_t i = 0; i < source_types.size(); ++i) {
      c.columns[i].MaterializeStrings();
      source.columns[i].AppendRange(c.columns[i], 0, c.size());
    }
  }
  from.chunks.clear();
  const size_t scols = source_types.size();
  const TableRef& ref = stmt.update_from->from;
  std::string source_name = ref.alias;
  if (source_name.empty() && ref.kind == TableRef::Kind::kBaseTable) source_name = ref.name;
  std::vector<Binder::RowScopeTable> merge_scope = {{target_name, schema.fields},
                                                    {source_name, from.schema.fields}};
  const std::vector<Binder::RowScopeTable>& scope = merge_scope;

  // ON, or USING (columns) as target.c = source.c AND ...
  ParsedExpressionPtr using_on;
  if (!stmt.merge_using.empty()) {
    if (source_name.empty()) {
      throw QueryError(ErrorKind::kBinder, "MERGE INTO ... USING (columns) needs a named source",
                       stmt.update_from->position);
    }
    std::string sql;
    for (const std::string& c : stmt.merge_using) {
      if (!sql.empty()) sql += " AND ";
      sql += Quoted(target_name) + "." + Quoted(c) + " = " + Quoted(source_name) + "." + Quoted(c);
    }
    Parser parser(sql);
    using_on = parser.ParseSingleExpression();
  }
  const ParsedExpression* on_expr = using_on ? using_on.get() : stmt.where.get();
  BoundExpressionPtr on;
  try {
    on = binder.BindRowExpression(*on_expr, scope, "ON");
  } catch (QueryError& e) {
    if (using_on) e.SetPositionIfUnknown(stmt.update_from->position);
    throw;
  }
  if (on->type != TypeId::kBoolean) on = MakeBoundCast(std::move(on), TypeId::kBoolean);

  // Constraints and defaults, as UPDATE and INSERT use them.
  TableConstraintSet constraints =
      TableConstraintSet::FromProperties(snapshot->metadata().configuration, schema);
  std::vector<Value> defaults(ncols);
  if (!constraints.defaults.empty()) defaults = EvaluateDefaults(constraints, schema, &binder);
  for (size_t i = 0; i < ncols; ++i) {
    if (defaults[i].type() != types[i]) defaults[i] = Value::Null(types[i]);
  }
  std::unique_ptr<ConstraintChecker> checker;
  if (constraints.HasChecks()) {
    checker = std::make_unique<ConstraintChecker>(table, snapshot, constraints, &binder);
    checker->set_defer_table_lookups(true);
  }

  // The WHEN clauses.
  std::vector<std::string> target_names, source_names;
  for (const Field& f : schema.fields) target_names.push_back(f.name);
  for (const Field& f : from.schema.fields) source_names.push_back(f.name);
  auto source_ref = [&](size_t j) {
    auto e = std::make_unique<BoundExpression>();
    e->kind = BoundKind::kColumnRef;
    e->column = static_cast<int>(ncols + j);
    e->type = source_types[j];
    return e;
  };
  auto target_column = [&](const std::string& name, int position) {
    const int idx = schema.FindField(name);
    if (idx < 0) {
      std::string message = "Referenced update column " + name + " not found in table!";
      if (auto hint = ClosestMatch(name, target_names)) message += " Did you mean \"" + *hint + "\"?";
      throw QueryError(ErrorKind::kBinder, message, position);
    }
    return idx;
  };
  std::vector<BoundAction> matched, by_source, by_target;
  bool has_by_source = false;
  // WHEN NOT MATCHED [BY TARGET] has no target row and WHEN NOT MATCHED BY
  // SOURCE no source row: there that side's columns keep their places in
  // the pair layout but cannot be named (DuckDB: Referenced table "t" not
  // found!), rather than reading as NULL.
  std::vector<Binder::RowScopeTable> no_target = scope, no_source = scope;
  no_target[0].name.clear();
  no_target[0].qualified_only = true;
  no_source[1].name.clear();
  no_source[1].qualified_only = true;
  for (const MergeAction& a : stmt.merge_actions) {
    BoundAction b;
    b.action = &a;
    const std::vector<Binder::RowScopeTable>& scope =
        a.when == MergeAction::When::kNotMatchedByTarget   ? no_target
        : a.when == MergeAction::When::kNotMatchedBySource ? no_source
                                                           : merge_scope;
    if (a.condition) {
      b.condition = binder.BindRowExpression(*a.condition, scope, "WHERE");
      if (b.condition->type != TypeId::kBoolean) {
        b.condition = MakeBoundCast(std::move(b.condition), TypeId::kBoolean);
      }
    }
    switch (a.kind) {
      case MergeAction::Kind::kUpdate: {
        if (a.by_name) {
          for (size_t j = 0; j < scols; ++j) {
            b.columns.push_back(target_column(source_names[j], a.position));
            b.values.push_back(source_ref(j));
          }
        } else if (a.star) {
          if (scols != ncols) {
            throw QueryError(ErrorKind::kBinder,
                             "Data provided for UPDATE did not match column count in table - "
                             "expected " + std::to_string(ncols) + " columns but got " +
                                 std::to_string(scols),
                             a.position);
          }
          for (size_t j = 0; j < scols; ++j) {
            b.columns.push_back(static_cast<int>(j));
            b.values.push_back(source_ref(j));
          }
        } else {
          for (size_t i = 0; i < a.columns.size(); ++i) {
            const int idx = target_column(a.columns[i].first, a.columns[i].second);
            if (std::find(b.columns.begin(), b.columns.end(), idx) != b.columns.end()) {
              throw QueryError(ErrorKind::kBinder,
                               "Multiple assignments to same column \"" + a.columns[i].first + "\"",
                               a.columns[i].second);
            }
            b.columns.push_back(idx);
            if (!a.values[i]) {
              b.values.push_back(MakeBoundConstant(defaults[static_cast<size_t>(idx)]));
            } else {
              b.values.push_back(binder.BindRowExpression(*a.values[i], scope, "UPDATE"));
            }
          }
        }
        for (size_t i = 0; i < b.values.size(); ++i) {
          const TypeId type = types[static_cast<size_t>(b.columns[i])];
          if (b.values[i]->type != type) b.values[i] = MakeBoundCast(std::move(b.values[i]), type);
        }
        break;
      }
      case MergeAction::Kind::kInsert: {
        // The supplied columns and their values; the rest get DEFAULT.
        std::vector<int> targets;
        std::vector<BoundExpressionPtr> supplied;
        if (a.by_name) {
          for (size_t j = 0; j < scols; ++j) {
            const int idx = schema.FindField(source_names[j]);
            if (idx < 0) {
              throw QueryError(ErrorKind::kBinder,
                               "Table \"" + table->name() + "\" does not have a column with name \"" +
                                   source_names[j] + "\"",
                               a.position);
            }
            targets.push_back(idx);
            supplied.push_back(source_ref(j));
          }
        } else if (!a.default_values) {
          if (a.columns.empty()) {
            for (size_t i = 0; i < ncols; ++i) targets.push_back(static_cast<int>(i));
          } else {
            for (const auto& [name, position] : a.columns) {
              const int idx = schema.FindField(name);
              if (idx < 0) {
                throw QueryError(ErrorKind::kBinder,
                                 "Table \"" + table->name() +
                                     "\" does not have a column with name \"" + name + "\"",
                                 position);
              }
              if (std::find(targets.begin(), targets.end(), idx) != targets.end()) {
                throw QueryError(ErrorKind::kBinder,
                                 "Duplicate column name \"" + name + "\" in INSERT", position);
              }
              targets.push_back(idx);
            }
          }
          const size_t given = a.star || a.values.empty() ? scols : a.values.size();
          if (given != targets.size()) {
            throw QueryError(ErrorKind::kBinder,
                             "table " + table->name() + " has " + std::to_string(targets.size()) +
                                 " columns but " + std::to_string(given) +
                                 " values were supplied",
                             a.position);
          }
          for (size_t i = 0; i < targets.size(); ++i) {
            if (a.star || a.values.empty()) {
              supplied.push_back(source_ref(i));
            } else if (!a.values[i]) {
              supplied.push_back(MakeBoundConstant(defaults[static_cast<size_t>(targets[i])]));
            } else {
              supplied.push_back(binder.BindRowExpression(*a.values[i], scope, "INSERT"));
            }
          }
        }
        b.values.resize(ncols);
        for (size_t i = 0; i < targets.size(); ++i) {
          b.values[static_cast<size_t>(targets[i])] = std::move(supplied[i]);
        }
        for (size_t c = 0; c < ncols; ++c) {
          if (!b.values[c]) b.values[c] = MakeBoundConstant(defaults[c]);
          if (b.values[c]->type != types[c]) b.values[c] = MakeBoundCast(std::move(b.values[c]), types[c]);
          b.columns.push_back(static_cast<int>(c));
        }
        break;
      }
      case MergeAction::Kind::kError:
        if (a.error_message) {
          b.error_message = binder.BindRowExpression(*a.error_message, scope, "ERROR");
          if (b.error_message->type != TypeId::kVarchar) {
            b.error_message = MakeBoundCast(std::move(b.error_message), TypeId::kVarchar);
          }
        }
        break;
      case MergeAction::Kind::kDelete:
      case MergeAction::Kind::kDoNothing:
        break;
    }
    switch (a.when) {
      case MergeAction::When::kMatched: matched.push_back(std::move(b)); break;
      case MergeAction::When::kNotMatchedByTarget: by_target.push_back(std::move(b)); break;
      case MergeAction::When::kNotMatchedBySource:
        has_by_source = true;
        by_source.push_back(std::move(b));
        break;
    }
  }

  // RETURNING: the list over the changed rows in the target's layout (the
  // new values of updated and inserted rows, the old ones of deleted rows)
  // plus DuckDB's merge_action ('UPDATE', 'DELETE' or 'INSERT'), which `*`
  // leaves out. The source's columns cannot be named, as in DuckDB.
  std::vector<BoundExpressionPtr> returning;
  QueryResult returned;
  std::vector<DataChunk> returning_rows;
  if (!stmt.returning.empty()) {
    std::vector<Field> fields = schema.fields;
    fields.push_back({"merge_action", TypeId::kVarchar});
    std::vector<ParsedExpressionPtr> list;
    for (const ParsedExpressionPtr& item : stmt.returning) {
      list.push_back(item->Copy());
      if (list.back()->kind == ExpressionKind::kStar) {
        list.back()->star_exclude.push_back("merge_action");
      }
    }
    std::vector<std::string> names;
    returning = binder.BindRowList(list, {{target_name, fields}}, "RETURNING", &names);
    returned.statement_type = "MERGE";
    for (size_t i = 0; i < returning.size(); ++i) {
      returned.schema.fields.push_back({names[i], returning[i]->type});
    }
  }
  // Keeps `n` rows of `rows` (their first ncols columns) for RETURNING.
  auto keep_returning = [&](const DataChunk& rows, size_t n, const char* action) {
    if (returning.empty() || n == 0) return;
    DataChunk out;
    for (size_t c = 0; c < ncols; ++c) out.columns.push_back(rows.columns[c]);
    ColumnVector label(TypeId::kVarchar);
    for (size_t i = 0; i < n; ++i) label.AppendString(action);
    out.columns.push_back(std::move(label));
    returning_rows.push_back(std::move(out));
  };

  SourceMatcher matcher(std::move(source), on.get(), types, &ctx_);
  const size_t source_rows = matcher.source_rows();
  // The source's range on each key column of ON (`t.ts = s.ts`): a target
  // file whose zone maps hold none of it has no match, so a correction of
  // one day reads only the files of that day (FileCoverage of ON alone
  // proves nothing: it compares columns with columns).
  std::vector<BoundExpressionPtr> key_ranges;
  for (const auto& [tcol, scol] : matcher.key_columns()) {
    const ColumnVector& v = matcher.source().columns[static_cast<size_t>(scol)];
    const PhysicalClass cls = PhysicalClassOf(v.type);
    if (cls == PhysicalClass::kDouble) continue;
    bool any = false;
    size_t lo = 0, hi = 0;
    for (size_t j = 0; j < v.size(); ++j) {
      if (v.IsNull(j)) continue;
      if (!any) {
        lo = hi = j;
        any = true;
      } else if (cls == PhysicalClass::kString) {
        if (v.strings[j] < v.strings[lo]) lo = j;
        if (v.strings[j] > v.strings[hi]) hi = j;
      } else {
        if (v.ints[j] < v.ints[lo]) lo = j;
        if (v.ints[j] > v.ints[hi]) hi = j;
      }
    }
    if (!any) continue;
    for (const auto& [op, row] : {std::pair{OpCode::kGe, lo}, std::pair{OpCode::kLe, hi}}) {
      auto e = std::make_unique<BoundExpression>();
      e->kind = BoundKind::kOperator;
      e->op = op;
      e->type = TypeId::kBoolean;
      e->children.push_back(MakeBoundColumn(tcol, types[static_cast<size_t>(tcol)]));
      e->children.push_back(MakeBoundConstant(v.GetValue(row)));
      key_ranges.push_back(std::move(e));
    }
  }
  std::vector<uint8_t> source_matched(source_rows, 0);
  int64_t updated = 0, deleted = 0, inserted = 0, copied = 0, files_rewritten = 0;

  // Runs `actions` over the rows of `pairs` (the pair layout) in order: each
  // row goes to the first action whose condition holds. `target` maps a
  // pair to its target row in the chunk being read (null for inserts);
  // `affected` flags the target rows an UPDATE or DELETE already took.
  std::vector<DataChunk> new_rows, insert_rows;
  std::vector<uint8_t> affected, removed;
  auto run = [&](std::vector<BoundAction>& actions, const DataChunk& pairs,
                 const std::vector<uint32_t>* target) {
    const size_t k = pairs.size();
    std::vector<uint32_t> remaining(k);
    for (uint32_t i = 0; i < k; ++i) remaining[i] = i;
    for (BoundAction& b : actions) {
      if (remaining.empty()) break;
      const bool whole = remaining.size() == k;
      DataChunk sub_storage;
      if (!whole) sub_storage = Slice(pairs, remaining);
      const DataChunk& sub = whole ? pairs : sub_storage;
      std::vector<uint32_t> sel;
      if (b.condition) {
        ExpressionExecutor::Select(*b.condition, sub, sub.size(), &sel);
      } else {
        sel.resize(sub.size());
        for (uint32_t i = 0; i < sel.size(); ++i) sel[i] = i;
      }
      if (sel.empty()) continue;
      const DataChunk taken = sel.size() == sub.size() ? sub : Slice(sub, sel);
      const size_t n = taken.size();
      const MergeAction& a = *b.action;
      if (a.kind == MergeAction::Kind::kUpdate || a.kind == MergeAction::Kind::kDelete) {
        for (uint32_t s : sel) {
          const uint32_t row = (*target)[remaining[s]];
          if (affected[row]) {
            throw QueryError(ErrorKind::kInvalidInput,
                             "MERGE INTO command cannot affect the same target row more than "
                             "once. A target row matched more than one source row; ensure the "
                             "source rows are deduplicated or the ON condition is unique.",
                             a.position);
          }
          affected[row] = 1;
          removed[row] = 1;
        }
      }
      switch (a.kind) {
        case MergeAction::Kind::kUpdate: {
          DataChunk out;
          out.columns.resize(ncols);
          for (size_t c = 0; c < ncols; ++c) out.columns[c] = taken.columns[c];
          for (size_t i = 0; i < b.columns.size(); ++i) {
            ColumnVector v;
            ExpressionExecutor::Execute(*b.values[i], taken, n, &v);
            v.type = types[static_cast<size_t>(b.columns[i])];
            out.columns[static_cast<size_t>(b.columns[i])] = std::move(v);
          }
          updated += static_cast<int64_t>(n);
          keep_returning(out, n, "UPDATE");
          new_rows.push_back(std::move(out));
          break;
        }
        case MergeAction::Kind::kDelete:
          deleted += static_cast<int64_t>(n);
          keep_returning(taken, n, "DELETE");
          break;
        case MergeAction::Kind::kInsert: {
          DataChunk out;
          out.columns.resize(ncols);
          for (size_t c = 0; c < ncols; ++c) {
            ExpressionExecutor::Execute(*b.values[c], taken, n, &out.columns[c]);
            out.columns[c].type = types[c];
          }
          inserted += static_cast<int64_t>(n);
          keep_returning(out, n, "INSERT");
          insert_rows.push_back(std::move(out));
          break;
        }
        case MergeAction::Kind::kError: {
          std::string message = WhenText(a.when);
          if (a.condition) message += " AND " + a.condition->ToString();
          if (b.error_message) {
            ColumnVector v;
            ExpressionExecutor::Execute(*b.error_message, taken, 1, &v);
            message += ": " + (v.IsNull(0) ? std::string("NULL") : v.GetValue(0).ToString());
          }
          throw QueryError(ErrorKind::kConstraint, "Merge error condition " + message, a.position);
        }
        case MergeAction::Kind::kDoNothing:
          break;
      }
      std::vector<uint32_t> rest;
      size_t s = 0;
      for (uint32_t i = 0; i < remaining.size(); ++i) {
        if (s < sel.size() && sel[s] == i) {
          ++s;
        } else {
          rest.push_back(remaining[i]);
        }
      }
      remaining = std::move(rest);
    }
  };

  // The target, file by file.
  const bool visit_matches = !matched.empty() || !by_target.empty();
  std::vector<uint32_t> unmatched;
  std::vector<uint8_t> has_match;
  DataChunk chunk;
  for (const AddAction& file : snapshot->files()) {
    ctx_.CheckCancelled();
    if (!has_by_source) {
      if (!visit_matches || source_rows == 0) break;
      if (FileCoverage(*on, snapshot->physical_schema(), file) == Coverage::kNone) continue;
      bool outside = false;
      for (const BoundExpressionPtr& r : key_ranges) {
        outside = outside || FileCoverage(*r, snapshot->physical_schema(), file) == Coverage::kNone;
      }
      if (outside) continue;
    }
    ScanOptions options = all_columns;
    options.only_files = {file.path};
    std::unique_ptr<ChunkSource> scan =
        OrThrowAt(table->NewScan(snapshot, std::move(options)), stmt.table_position);
    std::vector<DataChunk> kept;
    new_rows.clear();
    bool changed = false;
    while (true) {
      ctx_.CheckCancelled();
      chunk.Initialize(types);
      Result<bool> more = scan->Next(&chunk);
      if (!more.ok()) throw QueryError(more.status());
      if (!*more) break;
      const size_t n = chunk.size();
      if (n == 0) continue;
      for (ColumnVector& c : chunk.columns) c.MaterializeStrings();
      affected.assign(n, 0);
      removed.assign(n, 0);
      has_match.assign(n, 0);
      matcher.Match(chunk, [&](const DataChunk& pairs, const std::vector<uint32_t>& target,
                               const std::vector<uint32_t>& src) {
        for (uint32_t i : target) has_match[i] = 1;
        for (uint32_t j : src) source_matched[j] = 1;
        if (!matched.empty()) run(matched, pairs, &target);
      });
      if (!by_source.empty()) {
        unmatched.clear();
        for (uint32_t i = 0; i < n; ++i) {
          if (!has_match[i]) unmatched.push_back(i);
        }
        if (!unmatched.empty()) {
          DataChunk pairs = Slice(chunk, unmatched);
          for (size_t j = 0; j < scols; ++j) {
            pairs.columns.push_back(Nulls(source_types[j], unmatched.size()));
          }
          run(by_source, pairs, &unmatched);
        }
      }
      std::vector<uint32_t> keep;
      for (uint32_t i = 0; i < n; ++i) {
        if (!removed[i]) keep.push_back(i);
      }
      if (keep.size() != n) changed = true;
      if (keep.empty()) continue;
      if (keep.size() == n) {
        kept.push_back(std::move(chunk));
        chunk = DataChunk();
        continue;
      }
      kept.push_back(Slice(chunk, keep));
    }
    if (!changed) continue;  // no row of this file changes: keep it
    ThrowIfError(txn->RemoveFile(file));
    if (checker) {
      checker->ExcludeFile(file.path);
      for (const DataChunk& c : kept) checker->AddKept(c);
      for (const DataChunk& c : new_rows) checker->Check(c);
    }
    for (DataChunk& c : kept) {
      copied += static_cast<int64_t>(c.size());
      ThrowIfError(txn->AddRows(std::move(c)));
    }
    for (DataChunk& c : new_rows) ThrowIfError(txn->AddRows(std::move(c)));
    new_rows.clear();
    ++files_rewritten;
  }

  // Source rows that matched no target row.
  if (!by_target.empty()) {
    std::vector<uint32_t> rows;
    auto flush = [&] {
      if (rows.empty()) return;
      ctx_.CheckCancelled();
      DataChunk pairs;
      for (size_t c = 0; c < ncols; ++c) pairs.columns.push_back(Nulls(types[c], rows.size()));
      for (size_t c = 0; c < scols; ++c) {
        ColumnVector v(source_types[c]);
        v.AppendSelection(matcher.source().columns[c], rows);
        pairs.columns.push_back(std::move(v));
      }
      run(by_target, pairs, nullptr);
      rows.clear();
    };
    for (uint32_t j = 0; j < source_rows; ++j) {
      if (source_matched[j]) continue;
      rows.push_back(j);
      if (rows.size() == kVectorSize) flush();
    }
    flush();
    for (DataChunk& c : insert_rows) {
      if (checker) checker->Check(c);
      ThrowIfError(txn->AddRows(std::move(c)));
    }
    insert_rows.clear();
  }

  const int64_t total = updated + deleted + inserted;
  if (updated + deleted + inserted == 0) {
    txn->Abort();  // nothing changed: no version
  } else {
    if (checker) checker->FinishDeferred();
    std::map<std::string, std::string> parameters;
    parameters["predicate"] = on_expr->ToString();
    std::map<std::string, std::string> metrics = {
        {"numTargetRowsUpdated", std::to_string(updated)},
        {"numTargetRowsDeleted", std::to_string(deleted)},
        {"numTargetRowsInserted", std::to_string(inserted)},
        {"numTargetRowsCopied", std::to_string(copied)},
        {"numTargetFilesRewritten", std::to_string(files_rewritten)},
        {"numSourceRows", std::to_string(source_rows)}};
    if (session_) {
      session_->Absorb(table, OrThrowAt(txn->Stage(), stmt.position), "MERGE");
    } else {
      OrThrowAt(txn->Commit("MERGE", std::move(parameters), std::move(metrics)), stmt.position);
    }
  }
  if (!returning.empty()) {
    for (const DataChunk& rows : returning_rows) {
      returned.chunks.push_back(EvaluateReturning(returning, rows, rows.size()));
    }
    return returned;
  }
  QueryResult result;
  result.statement_type = "MERGE";
  result.schema.fields = {{"Count", TypeId::kBigint}};
  DataChunk count;
  count.Initialize({TypeId::kBigint});
  count.columns[0].AppendInt(total);
  result.chunks.push_back(std::move(count));
  return result;
}

}  // namespace tsl::query
