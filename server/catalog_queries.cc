// psql's \d family answered from the public API. See catalog_queries.h.
#include "server/catalog_queries.h"

#include <regex>
#include <vector>

#include "server/pg_types.h"
#include "server/sql_rewrite.h"

namespace tslake::server {

namespace {

constexpr int64_t kFirstOid = 16384;

bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

using Relation = CatalogRelation;

// psql's name filter: `c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE ...`.
// An unreadable pattern matches nothing rather than everything.
bool NameFilter(const std::string& sql, std::optional<std::regex>* filter) {
  const std::string marker = "relname OPERATOR(pg_catalog.~) '";
  size_t p = sql.find(marker);
  if (p == std::string::npos) return true;
  size_t start = p + marker.size(), end = start;
  std::string pattern;
  while (end < sql.size()) {
    if (sql[end] == '\'') {
      if (end + 1 < sql.size() && sql[end + 1] == '\'') {
        pattern += '\'';
        end += 2;
        continue;
      }
      break;
    }
    pattern += sql[end++];
  }
  // psql builds the pattern from the user's \d argument: a long one could
  // make std::regex's recursive compiler and matcher run deep.
  if (pattern.size() > 256) return false;
  try {
    filter->emplace(pattern, std::regex::extended);
  } catch (const std::regex_error&) {
    return false;
  }
  return true;
}

// SELECT over literal rows with the given column names; no rows when
// `rows` is empty (with typed NULLs so the columns still have names).
std::string Rows(const std::vector<std::string>& columns, const std::vector<std::vector<std::string>>& rows) {
  std::string sql = "SELECT * FROM (VALUES ";
  if (rows.empty()) {
    sql += "(";
    for (size_t i = 0; i < columns.size(); ++i) sql += i ? ", NULL" : "NULL";
    sql += ")";
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    sql += r ? ", (" : "(";
    for (size_t c = 0; c < rows[r].size(); ++c) sql += (c ? ", " : "") + rows[r][c];
    sql += ")";
  }
  sql += ") AS catalog_rows(";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + QuoteIdentifier(columns[i]);
  sql += ")";
  if (rows.empty()) sql += " WHERE false";
  return sql;
}

std::string L(const std::string& s) { return QuoteLiteral(s); }

// The oid in `WHERE c.oid = '16385'` / `a.attrelid = '16385'`.
std::optional<int64_t> OidAfter(const std::string& sql, const std::string& marker) {
  size_t p = sql.find(marker);
  if (p == std::string::npos) return std::nullopt;
  p += marker.size();
  while (p < sql.size() && (sql[p] == ' ' || sql[p] == '\'')) ++p;
  int64_t v = 0;
  bool any = false;
  while (p < sql.size() && std::isdigit(static_cast<unsigned char>(sql[p]))) {
    v = v * 10 + (sql[p++] - '0');
    any = true;
    if (v > (int64_t{1} << 40)) return std::nullopt;
  }
  return any ? std::optional<int64_t>(v) : std::nullopt;
}

// format_type() of a column: PgTypeName, with a DECIMAL's "(w,s)".
std::string FormatType(const ColumnInfo& c) {
  std::string name = PgTypeName(c.type);
  size_t open = c.type_name.find('(');
  if (c.type == Type::kDecimal && open != std::string::npos) name += c.type_name.substr(open);
  return name;
}

const Relation* ByOid(const std::vector<Relation>& rels, int64_t oid) {
  for (const Relation& r : rels)
    if (r.oid == oid) return &r;
  return nullptr;
}

}  // namespace

std::vector<CatalogRelation> ListRelations(const Database& db) {
  std::vector<CatalogRelation> out;
  int64_t oid = kFirstOid;
  for (const std::string& t : db.ListTables()) out.push_back({t, 'r', oid++});
  for (const auto& v : db.ListViews()) out.push_back({v.first, 'v', oid++});
  return out;
}

const char* PgTypeName(Type type) {
  switch (type) {
    case Type::kBoolean: return "boolean";
    case Type::kInteger: return "integer";
    case Type::kBigint: return "bigint";
    case Type::kDouble: return "double precision";
    case Type::kVarchar: return "text";
    case Type::kTimestamp: return "timestamp without time zone";
    case Type::kTimestampTz: return "timestamp with time zone";
    case Type::kInterval: return "interval";
    case Type::kDate: return "date";
    case Type::kDecimal: return "numeric";
    case Type::kSmallint:
    case Type::kTinyint: return "smallint";
    case Type::kTime: return "time without time zone";
    case Type::kBlob: return "bytea";
    case Type::kUuid: return "uuid";
    case Type::kNull: return "unknown";
  }
  return "unknown";
}

bool AnswerCatalogQuery(const std::string& sql, const Database& db, std::string* answer) {
  if (!Contains(sql, "pg_catalog.")) return false;
  // \dt, \dv, \d: the relation list.
  if (Contains(sql, "pg_catalog.pg_class c") && Contains(sql, "as \"Schema\"") &&
      Contains(sql, "as \"Name\"") && Contains(sql, "as \"Type\"") && Contains(sql, "as \"Owner\"") &&
      Contains(sql, "c.relkind IN (")) {
    size_t in = sql.find("c.relkind IN (");
    std::string kinds = sql.substr(in, sql.find(')', in) - in);
    std::optional<std::regex> filter;
    bool readable = NameFilter(sql, &filter);
    std::vector<std::vector<std::string>> rows;
    for (const Relation& r : ListRelations(db)) {
      if (!readable) break;
      if (!Contains(kinds, r.kind == 'r' ? "'r'" : "'v'")) continue;
      if (filter && !std::regex_match(r.name, *filter)) continue;
      rows.push_back({L("public"), L(r.name), L(r.kind == 'r' ? "table" : "view"), L("tslake")});
    }
    *answer = Rows({"Schema", "Name", "Type", "Owner"}, rows) + " ORDER BY 1, 2";
    return true;
  }
  // \d NAME, step 1: the matching relations' oids.
  if (Contains(sql, "SELECT c.oid,") && Contains(sql, "n.nspname,") && Contains(sql, "c.relname") &&
      Contains(sql, "pg_catalog.pg_class c") && Contains(sql, "pg_catalog.pg_table_is_visible(c.oid)")) {
    std::optional<std::regex> filter;
    bool readable = NameFilter(sql, &filter);
    std::vector<std::vector<std::string>> rows;
    for (const Relation& r : ListRelations(db)) {
      if (!readable) break;
      if (filter && !std::regex_match(r.name, *filter)) continue;
      rows.push_back({std::to_string(r.oid), L("public"), L(r.name)});
    }
    *answer = Rows({"oid", "nspname", "relname"}, rows) + " ORDER BY 2, 3";
    return true;
  }
  // \d NAME, step 2: the relation's pg_class row.
  if (Contains(sql, "SELECT c.relchecks, c.relkind, c.relhasindex")) {
    std::optional<int64_t> oid = OidAfter(sql, "WHERE c.oid =");
    std::vector<std::vector<std::string>> rows;
    const std::vector<Relation> rels = ListRelations(db);
    if (const Relation* r = oid ? ByOid(rels, *oid) : nullptr) {
      rows.push_back({"0", L(std::string(1, r->kind)), "false", "false", "false", "false", "false",
                      "false", "false", L(""), "0", L(""), L("p"), L("d"), L("")});
    }
    *answer = Rows({"relchecks", "relkind", "relhasindex", "relhasrules", "relhastriggers",
                    "relrowsecurity", "relforcerowsecurity", "relhasoids", "relispartition",
                    "reloptions", "reltablespace", "reloftype", "relpersistence", "relreplident",
                    "amname"},
                   rows);
    return true;
  }
  // \d NAME, step 3: the columns.
  if (Contains(sql, "SELECT a.attname,") && Contains(sql, "pg_catalog.format_type(a.atttypid, a.atttypmod)") &&
      Contains(sql, "pg_catalog.pg_attribute a")) {
    std::optional<int64_t> oid = OidAfter(sql, "a.attrelid =");
    std::vector<std::vector<std::string>> rows;
    const std::vector<Relation> rels = ListRelations(db);
    if (const Relation* r = oid ? ByOid(rels, *oid) : nullptr) {
      std::vector<ColumnInfo> columns;
      if (r->kind == 'r') columns = db.DescribeTable(r->name);
      for (const ColumnInfo& c : columns)
        rows.push_back({L(c.name), L(FormatType(c)), "NULL", "false", "NULL", L(""), L("")});
    }
    // The column list psql asks for depends on its version and on \d+;
    // the first seven are what \d shows.
    *answer = Rows({"attname", "format_type", "pg_get_expr", "attnotnull", "attcollation",
                    "attidentity", "attgenerated"},
                   rows);
    return true;
  }
  // \gdesc: psql describes the statement, then asks the server to name
  // the types of the (name, oid, typmod) rows it got.
  if (Contains(sql, "pg_catalog.format_type(tp, tpm) AS \"Type\"") && Contains(sql, "FROM (VALUES")) {
    std::string out = sql;
    std::string names = "(CASE tp";
    for (Type t : {Type::kBoolean, Type::kInteger, Type::kBigint, Type::kDouble, Type::kVarchar,
                   Type::kTimestamp, Type::kTimestampTz, Type::kInterval, Type::kDate})
      names += " WHEN " + std::to_string(TypeOid(t)) + " THEN " + L(PgTypeName(t));
    names += " ELSE 'unknown' END)";
    auto replace_all = [&](const std::string& from, const std::string& to) {
      for (size_t p = out.find(from); p != std::string::npos; p = out.find(from, p + to.size()))
        out.replace(p, from.size(), to);
    };
    replace_all("pg_catalog.format_type(tp, tpm)", names);
    replace_all("::pg_catalog.oid", "::INTEGER");
    *answer = out;
    return true;
  }
  // \d NAME's follow-ups: policies, statistics objects, publications,
  // parents and children. tslake has none of them.
  if (Contains(sql, "pg_catalog.pg_policy") || Contains(sql, "pg_catalog.pg_statistic_ext") ||
      Contains(sql, "pg_catalog.pg_publication") || Contains(sql, "pg_catalog.pg_inherits")) {
    *answer = Rows({"none"}, {});
    return true;
  }
  return false;
}

}  // namespace tslake::server
