// pg_catalog tables emulated by rewriting the query. See pg_catalog_tables.h.
#include "server/pg_catalog_tables.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server/catalog_queries.h"
#include "server/pg_types.h"
#include "server/sql_rewrite.h"

namespace tslake::server {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// ---- Lexing: enough of PostgreSQL's lexer to rewrite and re-join tokens.

struct Tok {
  char kind;  // 'w' word, 'q' "ident", 's' 'string', 'n' number, 'o' operator, 'p' punct, ' ' blank
  std::string text;  // the source text, quotes included
};

bool IsWordStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }
bool IsWordChar(char c) { return IsWordStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }
bool IsOpChar(char c) { return std::string_view("+-*/<>=~!@#%^&|`?:").find(c) != std::string_view::npos; }

// False on an unterminated quote or comment.
bool Lex(const std::string& s, std::vector<Tok>* out) {
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    size_t j = i + 1;
    char kind;
    if (std::isspace(static_cast<unsigned char>(c))) {
      while (j < s.size() && std::isspace(static_cast<unsigned char>(s[j]))) ++j;
      kind = ' ';
    } else if (c == '-' && j < s.size() && s[j] == '-') {
      while (j < s.size() && s[j] != '\n') ++j;
      kind = ' ';
    } else if (c == '/' && j < s.size() && s[j] == '*') {
      size_t e = s.find("*/", i + 2);
      if (e == std::string::npos) return false;
      j = e + 2;
      kind = ' ';
    } else if (c == '\'' || c == '"') {
      // E'...' strings take backslash escapes.
      const bool escapes = c == '\'' && !out->empty() && out->back().kind == 'w' &&
                           Lower(out->back().text) == "e";
      for (;; ++j) {
        if (j >= s.size()) return false;
        if (escapes && s[j] == '\\') {
          ++j;
          continue;
        }
        if (s[j] == c) {
          if (j + 1 < s.size() && s[j + 1] == c) {
            ++j;
            continue;
          }
          ++j;
          break;
        }
      }
      kind = c == '\'' ? 's' : 'q';
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      kind = 'n';
    } else if (IsWordStart(c) || (c == '$' && j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))) {
      while (j < s.size() && IsWordChar(s[j])) ++j;
      kind = 'w';
    } else if (IsOpChar(c)) {
      while (j < s.size() && IsOpChar(s[j]) && !(s[j] == '-' && j + 1 < s.size() && s[j + 1] == '-') &&
             !(s[j] == '/' && j + 1 < s.size() && s[j + 1] == '*'))
        ++j;
      kind = 'o';
    } else {
      kind = 'p';
    }
    out->push_back({kind, s.substr(i, j - i)});
    i = j;
  }
  return true;
}

// The string literal's value ('' undoubled); plain '...' strings only.
std::string StringValue(const Tok& t) {
  std::string v;
  for (size_t i = 1; i + 1 < t.text.size(); ++i) {
    v += t.text[i];
    if (t.text[i] == '\'') ++i;
  }
  return v;
}

// ---- The emulated tables.

struct Table {
  std::vector<std::pair<const char*, const char*>> columns;  // name, SQL type
  std::vector<std::vector<std::string>> rows;                // SQL literals
};

std::string TableSql(const Table& t) {
  std::string sql = "SELECT ";
  for (size_t c = 0; c < t.columns.size(); ++c) {
    sql += c ? ", " : "";
    sql += "CAST(v" + std::to_string(c) + " AS " + t.columns[c].second + ") AS " +
           QuoteIdentifier(t.columns[c].first);
  }
  sql += " FROM (VALUES ";
  auto row_sql = [&](const std::vector<std::string>& row) {
    std::string r = "(";
    for (size_t c = 0; c < row.size(); ++c) r += (c ? ", " : "") + row[c];
    return r + ")";
  };
  if (t.rows.empty()) sql += row_sql(std::vector<std::string>(t.columns.size(), "NULL"));
  for (size_t r = 0; r < t.rows.size(); ++r) sql += (r ? ", " : "") + row_sql(t.rows[r]);
  sql += ") AS v(";
  for (size_t c = 0; c < t.columns.size(); ++c) sql += (c ? ", v" : "v") + std::to_string(c);
  sql += ")";
  if (t.rows.empty()) sql += " WHERE false";
  return sql;
}

constexpr int64_t kCatalogNamespace = 11, kPublicNamespace = 2200, kInformationSchemaNamespace = 13000;
constexpr int64_t kOwner = 10;

std::string L(const std::string& s) { return QuoteLiteral(s); }
std::string N(int64_t v) { return std::to_string(v); }

// PostgreSQL's base types that tslake results use, plus the few catalog
// columns' own types: oid, name, length, by value, category, array type,
// input function.
struct PgType {
  int32_t oid;
  const char* name;
  int len;
  bool byval;
  const char* category;
  int32_t array;
  const char* input;
};
const std::vector<PgType>& PgTypes() {
  static const std::vector<PgType> types = {
      {16, "bool", 1, true, "B", 1000, "boolin"},
      {17, "bytea", -1, false, "U", 1001, "byteain"},
      {18, "char", 1, true, "Z", 1002, "charin"},
      {19, "name", 64, false, "S", 1003, "namein"},
      {20, "int8", 8, true, "N", 1016, "int8in"},
      {21, "int2", 2, true, "N", 1005, "int2in"},
      {23, "int4", 4, true, "N", 1007, "int4in"},
      {25, "text", -1, false, "S", 1009, "textin"},
      {26, "oid", 4, true, "N", 1028, "oidin"},
      {114, "json", -1, false, "U", 199, "json_in"},
      {700, "float4", 4, true, "N", 1021, "float4in"},
      {701, "float8", 8, true, "N", 1022, "float8in"},
      {1042, "bpchar", -1, false, "S", 1014, "bpcharin"},
      {1043, "varchar", -1, false, "S", 1015, "varcharin"},
      {1082, "date", 4, true, "D", 1182, "date_in"},
      {1083, "time", 8, true, "D", 1183, "time_in"},
      {1114, "timestamp", 8, true, "D", 1115, "timestamp_in"},
      {1184, "timestamptz", 8, true, "D", 1185, "timestamptz_in"},
      {1186, "interval", 16, false, "T", 1187, "interval_in"},
      {1700, "numeric", -1, false, "N", 1231, "numeric_in"},
  };
  return types;
}

// PostgreSQL's atttypmod for a DECIMAL(w,s) type name; -1 otherwise.
int32_t TypeModifier(const ColumnInfo& c) {
  if (c.type != Type::kDecimal) return -1;
  int w = 0, s = 0;
  size_t p = c.type_name.find('(');
  if (p == std::string::npos || std::sscanf(c.type_name.c_str() + p, "(%d,%d)", &w, &s) != 2) return -1;
  return ((w << 16) | s) + 4;
}

// The tslake type of a DESCRIBE type name ("DECIMAL(18,2)", "TIMESTAMP
// WITH TIME ZONE", ...); VARCHAR (text) for the types PostgreSQL clients
// get as text.
Type TypeFromName(const std::string& name) {
  std::string upper = name;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.rfind("DECIMAL", 0) == 0) return Type::kDecimal;
  static const std::map<std::string, Type> types = {
      {"BOOLEAN", Type::kBoolean},     {"INTEGER", Type::kInteger},   {"BIGINT", Type::kBigint},
      {"DOUBLE", Type::kDouble},       {"VARCHAR", Type::kVarchar},   {"TIMESTAMP", Type::kTimestamp},
      {"TIMESTAMP WITH TIME ZONE", Type::kTimestampTz}, {"INTERVAL", Type::kInterval}, {"DATE", Type::kDate},
      {"SMALLINT", Type::kSmallint},   {"TINYINT", Type::kTinyint},   {"TIME", Type::kTime},
      {"BLOB", Type::kBlob},           {"UUID", Type::kUuid}};
  auto it = types.find(upper);
  return it == types.end() ? Type::kVarchar : it->second;
}

// The columns of a table (DescribeTable) or view (the engine's DESCRIBE,
// which binds the view's query without running it, on a connection of its
// own so that the session's transaction is not touched); empty when the
// view no longer binds.
std::vector<ColumnInfo> RelationColumns(Database& db, const CatalogRelation& r) {
  if (r.kind == 'r') return db.DescribeTable(r.name);
  std::vector<ColumnInfo> out;
  Connection con(db);
  Result described = con.Query("DESCRIBE " + QuoteIdentifier(r.name));
  if (!described.ok() || described.column_count() < 2) return out;
  for (int64_t row = 0; row < described.row_count(); ++row) {
    ColumnInfo c;
    c.name = described.GetString(0, row);
    c.type_name = described.GetString(1, row);
    c.type = TypeFromName(c.type_name);
    out.push_back(std::move(c));
  }
  return out;
}

Table MakeTable(const std::string& name, Database& db, const std::string& database,
                const std::map<std::string, std::string>& settings) {
  Table t;
  if (name == "pg_namespace") {
    t.columns = {{"oid", "BIGINT"}, {"nspname", "VARCHAR"}, {"nspowner", "BIGINT"}, {"nspacl", "VARCHAR"}};
    t.rows = {{N(kCatalogNamespace), L("pg_catalog"), N(kOwner), "NULL"},
              {N(kPublicNamespace), L("public"), N(kOwner), "NULL"},
              {N(kInformationSchemaNamespace), L("information_schema"), N(kOwner), "NULL"}};
  } else if (name == "pg_class") {
    t.columns = {{"oid", "BIGINT"},          {"relname", "VARCHAR"},         {"relnamespace", "BIGINT"},
                 {"reltype", "BIGINT"},      {"reloftype", "BIGINT"},        {"relowner", "BIGINT"},
                 {"relam", "BIGINT"},        {"relfilenode", "BIGINT"},      {"reltablespace", "BIGINT"},
                 {"relpages", "INTEGER"},    {"reltuples", "DOUBLE"},        {"relhasindex", "BOOLEAN"},
                 {"relisshared", "BOOLEAN"}, {"relpersistence", "VARCHAR"},  {"relkind", "VARCHAR"},
                 {"relnatts", "INTEGER"},    {"relchecks", "INTEGER"},       {"relhasrules", "BOOLEAN"},
                 {"relhastriggers", "BOOLEAN"}, {"relhassubclass", "BOOLEAN"}, {"relrowsecurity", "BOOLEAN"},
                 {"relforcerowsecurity", "BOOLEAN"}, {"relispopulated", "BOOLEAN"},
                 {"relreplident", "VARCHAR"}, {"relispartition", "BOOLEAN"}, {"relacl", "VARCHAR"},
                 {"reloptions", "VARCHAR"}};
    for (const CatalogRelation& r : ListRelations(db)) {
      const size_t natts = RelationColumns(db, r).size();
      t.rows.push_back({N(r.oid), L(r.name), N(kPublicNamespace), "0", "0", N(kOwner), "0", "0", "0", "0",
                        "-1", "false", "false", L("p"), L(std::string(1, r.kind)), N(static_cast<int64_t>(natts)),
                        "0", "false", "false", "false", "false", "false", "true", L("d"), "false", "NULL",
                        "NULL"});
    }
  } else if (name == "pg_attribute") {
    t.columns = {{"attrelid", "BIGINT"},    {"attname", "VARCHAR"},      {"atttypid", "BIGINT"},
                 {"attstattarget", "INTEGER"}, {"attlen", "INTEGER"},    {"attnum", "INTEGER"},
                 {"attndims", "INTEGER"},   {"atttypmod", "INTEGER"},    {"attbyval", "BOOLEAN"},
                 {"attnotnull", "BOOLEAN"}, {"atthasdef", "BOOLEAN"},    {"atthasmissing", "BOOLEAN"},
                 {"attidentity", "VARCHAR"}, {"attgenerated", "VARCHAR"}, {"attisdropped", "BOOLEAN"},
                 {"attislocal", "BOOLEAN"}, {"attinhcount", "INTEGER"},  {"attcollation", "BIGINT"},
                 {"attacl", "VARCHAR"},     {"attoptions", "VARCHAR"}};
    for (const CatalogRelation& r : ListRelations(db)) {
      int attnum = 0;
      for (const ColumnInfo& c : RelationColumns(db, r)) {
        const int32_t type_oid = TypeOid(c.type);
        const int len = TypeLength(c.type);
        t.rows.push_back({N(r.oid), L(c.name), N(type_oid), "-1", N(len), N(++attnum), "0",
                          N(TypeModifier(c)), len > 0 && len <= 8 ? "true" : "false", "false", "false", "false",
                          L(""), L(""), "false", "true", "0", type_oid == oid::kText ? "100" : "0", "NULL",
                          "NULL"});
      }
    }
  } else if (name == "pg_type") {
    t.columns = {{"oid", "BIGINT"},         {"typname", "VARCHAR"},      {"typnamespace", "BIGINT"},
                 {"typowner", "BIGINT"},    {"typlen", "INTEGER"},       {"typbyval", "BOOLEAN"},
                 {"typtype", "VARCHAR"},    {"typcategory", "VARCHAR"},  {"typispreferred", "BOOLEAN"},
                 {"typisdefined", "BOOLEAN"}, {"typdelim", "VARCHAR"},   {"typrelid", "BIGINT"},
                 {"typelem", "BIGINT"},     {"typarray", "BIGINT"},      {"typinput", "VARCHAR"},
                 {"typoutput", "VARCHAR"},  {"typreceive", "VARCHAR"},   {"typsend", "VARCHAR"},
                 {"typnotnull", "BOOLEAN"}, {"typbasetype", "BIGINT"},   {"typtypmod", "INTEGER"},
                 {"typndims", "INTEGER"},   {"typcollation", "BIGINT"},  {"typdefault", "VARCHAR"}};
    for (const PgType& p : PgTypes()) {
      std::string in = p.input, stem = in.substr(0, in.size() - (in.back() == 'n' ? 2 : 0));
      if (stem.size() > 1 && stem.back() == '_') stem.pop_back();
      t.rows.push_back({N(p.oid), L(p.name), N(kCatalogNamespace), N(kOwner), N(p.len), p.byval ? "true" : "false",
                        L("b"), L(p.category), "false", "true", L(","), "0", "0", N(p.array), L(in),
                        L(stem + (in.find('_') != std::string::npos ? "_out" : "out")),
                        L(stem + (in.find('_') != std::string::npos ? "_recv" : "recv")),
                        L(stem + (in.find('_') != std::string::npos ? "_send" : "send")), "false", "0", "-1",
                        "0", p.category[0] == 'S' && p.oid != 19 ? "100" : "0", "NULL"});
    }
  } else if (name == "pg_description") {
    t.columns = {{"objoid", "BIGINT"}, {"classoid", "BIGINT"}, {"objsubid", "INTEGER"}, {"description", "VARCHAR"}};
  } else if (name == "pg_attrdef") {
    t.columns = {{"oid", "BIGINT"}, {"adrelid", "BIGINT"}, {"adnum", "INTEGER"}, {"adbin", "VARCHAR"}};
  } else if (name == "pg_index") {
    t.columns = {{"indexrelid", "BIGINT"},     {"indrelid", "BIGINT"},       {"indnatts", "INTEGER"},
                 {"indnkeyatts", "INTEGER"},   {"indisunique", "BOOLEAN"},   {"indisprimary", "BOOLEAN"},
                 {"indisexclusion", "BOOLEAN"}, {"indimmediate", "BOOLEAN"}, {"indisclustered", "BOOLEAN"},
                 {"indisvalid", "BOOLEAN"},    {"indkey", "VARCHAR"},        {"indkey_x", "INTEGER"},
                 {"indkey_n", "INTEGER"},      {"indexprs", "VARCHAR"},      {"indpred", "VARCHAR"},
                 {"indoption", "VARCHAR"}};
  } else if (name == "pg_constraint") {
    t.columns = {{"oid", "BIGINT"},      {"conname", "VARCHAR"}, {"connamespace", "BIGINT"},
                 {"contype", "VARCHAR"}, {"conrelid", "BIGINT"}, {"confrelid", "BIGINT"},
                 {"conindid", "BIGINT"}, {"conkey", "VARCHAR"},  {"confkey", "VARCHAR"},
                 {"confupdtype", "VARCHAR"}, {"confdeltype", "VARCHAR"}, {"condeferrable", "BOOLEAN"},
                 {"condeferred", "BOOLEAN"}};
  } else if (name == "pg_am") {
    t.columns = {{"oid", "BIGINT"}, {"amname", "VARCHAR"}, {"amhandler", "VARCHAR"}, {"amtype", "VARCHAR"}};
    t.rows = {{"2", L("heap"), L("heap_tableam_handler"), L("t")},
              {"403", L("btree"), L("bthandler"), L("i")},
              {"405", L("hash"), L("hashhandler"), L("i")}};
  } else if (name == "pg_settings") {
    // The session's parameters, plus the limits pgJDBC's getImportedKeys
    // and getIndexInfo read.
    t.columns = {{"name", "VARCHAR"},    {"setting", "VARCHAR"}, {"unit", "VARCHAR"},
                 {"category", "VARCHAR"}, {"context", "VARCHAR"}, {"vartype", "VARCHAR"},
                 {"source", "VARCHAR"}};
    std::map<std::string, std::string> all = settings;
    all.emplace("max_index_keys", "32");
    all.emplace("max_identifier_length", "63");
    all.emplace("block_size", "8192");
    for (const auto& [setting, value] : all)
      t.rows.push_back({L(setting), L(value), "NULL", L("Preset Options"), L("user"), L("string"), L("default")});
  } else if (name == "pg_extension") {
    // No extensions: Grafana asks for timescaledb's version and expects none.
    t.columns = {{"oid", "BIGINT"},       {"extname", "VARCHAR"},        {"extowner", "BIGINT"},
                 {"extnamespace", "BIGINT"}, {"extrelocatable", "BOOLEAN"}, {"extversion", "VARCHAR"}};
  } else if (name == "information_schema_schemata") {
    t.columns = {{"catalog_name", "VARCHAR"}, {"schema_name", "VARCHAR"}, {"schema_owner", "VARCHAR"}};
    for (const char* schema : {"information_schema", "pg_catalog", "public"})
      t.rows.push_back({L(database), L(schema), L("tslake")});
  } else if (name == "information_schema_tables") {
    // The user's tables and views (PostgreSQL also lists its catalogs'
    // own, which clients filter out).
    t.columns = {{"table_catalog", "VARCHAR"}, {"table_schema", "VARCHAR"}, {"table_name", "VARCHAR"},
                 {"table_type", "VARCHAR"},    {"is_insertable_into", "VARCHAR"}, {"is_typed", "VARCHAR"}};
    for (const CatalogRelation& r : ListRelations(db))
      t.rows.push_back({L(database), L("public"), L(r.name), L(r.kind == 'r' ? "BASE TABLE" : "VIEW"),
                        L(r.kind == 'r' ? "YES" : "NO"), L("NO")});
  } else if (name == "information_schema_columns") {
    // Tables' and views' columns; data_type and udt_name are PostgreSQL's names.
    t.columns = {{"table_catalog", "VARCHAR"},   {"table_schema", "VARCHAR"},     {"table_name", "VARCHAR"},
                 {"column_name", "VARCHAR"},     {"ordinal_position", "INTEGER"}, {"column_default", "VARCHAR"},
                 {"is_nullable", "VARCHAR"},     {"data_type", "VARCHAR"},        {"numeric_precision", "INTEGER"},
                 {"numeric_scale", "INTEGER"},   {"udt_name", "VARCHAR"}};
    for (const CatalogRelation& r : ListRelations(db)) {
      int position = 0;
      for (const ColumnInfo& c : RelationColumns(db, r)) {
        std::string precision = "NULL", scale = "NULL";
        int w = 0, sc = 0;
        const size_t paren = c.type_name.find('(');
        if (c.type == Type::kDecimal && paren != std::string::npos &&
            std::sscanf(c.type_name.c_str() + paren, "(%d,%d)", &w, &sc) == 2) {
          precision = N(w);
          scale = N(sc);
        }
        std::string udt;
        for (const PgType& p : PgTypes())
          if (p.oid == TypeOid(c.type)) udt = p.name;
        t.rows.push_back({L(database), L("public"), L(r.name), L(c.name), N(++position), "NULL", L("YES"),
                          L(PgTypeName(c.type)), precision, scale, L(udt)});
      }
    }
  } else if (name == "pg_database") {
    t.columns = {{"oid", "BIGINT"},          {"datname", "VARCHAR"},      {"datdba", "BIGINT"},
                 {"encoding", "INTEGER"},    {"datcollate", "VARCHAR"},   {"datctype", "VARCHAR"},
                 {"datistemplate", "BOOLEAN"}, {"datallowconn", "BOOLEAN"}, {"datconnlimit", "INTEGER"},
                 {"datacl", "VARCHAR"}};
    t.rows = {{"5", L(database), N(kOwner), "6", L("C"), L("C"), "false", "true", "-1", "NULL"}};
  }
  return t;
}

const std::set<std::string>& SupportedTables() {
  static const std::set<std::string> names = {"pg_namespace", "pg_class",      "pg_attribute",
                                              "pg_type",      "pg_description", "pg_attrdef",
                                              "pg_index",     "pg_constraint",  "pg_database",
                                              "pg_extension", "pg_am",        "pg_settings"};
  return names;
}

// The oid `'name'::regclass` names; nullopt when no such relation.
std::optional<int64_t> RegclassOid(std::string name, const Database& db) {
  static const std::map<std::string, int64_t> system = {
      {"pg_class", 1259},      {"pg_attribute", 1249}, {"pg_type", 1247},    {"pg_proc", 1255},
      {"pg_namespace", 2615},  {"pg_description", 2609}, {"pg_attrdef", 2604}, {"pg_index", 2610},
      {"pg_constraint", 2606}, {"pg_database", 1262}};
  const std::string lower = Lower(name);
  if (lower.rfind("pg_catalog.", 0) == 0) {
    auto it = system.find(lower.substr(11));
    return it == system.end() ? std::nullopt : std::optional<int64_t>(it->second);
  }
  if (auto it = system.find(lower); it != system.end()) return it->second;
  if (lower.rfind("public.", 0) == 0) name = name.substr(7);
  const std::vector<CatalogRelation> rels = ListRelations(db);
  for (const CatalogRelation& r : rels)
    if (r.name == name) return r.oid;
  for (const CatalogRelation& r : rels)
    if (Lower(r.name) == Lower(name)) return r.oid;
  return std::nullopt;
}

// ---- The rewrite.

class Rewriter {
 public:
  Rewriter(const std::vector<Tok>& in, const Database& db, const std::map<std::string, std::string>& settings)
      : in_(in), db_(db), settings_(settings) {}

  // False when the query reads a pg_catalog or information_schema table
  // that is not emulated.
  bool Run() {
    for (size_t i = 0; i < in_.size();) {
      if (!Step(&i)) return false;
    }
    return true;
  }
  const std::vector<Tok>& out() const { return out_; }
  const std::set<std::string>& used() const { return used_; }
  // A PostgreSQL idiom below was rewritten (with or without a table).
  bool changed() const { return changed_; }

 private:
  // The index of the next non-blank token at or after i (in_.size() if none).
  size_t Next(size_t i) const {
    while (i < in_.size() && in_[i].kind == ' ') ++i;
    return i;
  }
  bool WordAt(size_t i, const char* lower) const {
    return i < in_.size() && in_[i].kind == 'w' && Lower(in_[i].text) == lower;
  }
  bool PunctAt(size_t i, char c) const { return i < in_.size() && in_[i].kind == 'p' && in_[i].text[0] == c; }
  // The last non-blank output token, or -1.
  int LastOut() const {
    int k = static_cast<int>(out_.size()) - 1;
    while (k >= 0 && out_[k].kind == ' ') --k;
    return k;
  }
  void Emit(char kind, std::string text) { out_.push_back({kind, std::move(text)}); }

  // After `i` at '(', the index just past its matching ')' (in_.size() if unbalanced).
  size_t SkipParens(size_t i) const {
    int depth = 0;
    for (; i < in_.size(); ++i) {
      if (PunctAt(i, '(')) ++depth;
      if (PunctAt(i, ')') && --depth == 0) return i + 1;
    }
    return in_.size();
  }

  // Pops a trailing `a.b.c` (words and quoted identifiers) off the output
  // and returns its text; empty when the output does not end with one.
  std::string PopIdentChain() {
    size_t k = out_.size();
    while (k > 0 && out_[k - 1].kind == ' ') --k;
    size_t start = k;
    bool want_name = true;
    while (start > 0) {
      const Tok& t = out_[start - 1];
      if (want_name && (t.kind == 'w' || t.kind == 'q')) {
        --start;
        want_name = false;
      } else if (!want_name && t.kind == 'p' && t.text == ".") {
        --start;
        want_name = true;
      } else {
        break;
      }
    }
    if (start == k || want_name) return "";
    std::string chain;
    for (size_t j = start; j < k; ++j) chain += out_[j].text;
    out_.resize(start);
    return chain;
  }

  // At `i`: [pg_catalog.]current_schemas(true|false). Returns the index
  // past its ')' and sets *implicit to the argument; 0 when not there.
  size_t CurrentSchemasCall(size_t i, bool* implicit) const {
    if (WordAt(i, "pg_catalog") && PunctAt(i + 1, '.')) i += 2;
    if (!WordAt(i, "current_schemas")) return 0;
    const size_t open = Next(i + 1), arg = Next(open + 1), close = Next(arg + 1);
    if (!PunctAt(open, '(') || !(WordAt(arg, "true") || WordAt(arg, "false")) || !PunctAt(close, ')')) return 0;
    *implicit = WordAt(arg, "true");
    return close + 1;
  }
  // The search path current_schemas() reports: public, after pg_catalog
  // when the implicit schemas are asked for.
  static std::vector<std::string> SearchPath(bool implicit) {
    if (implicit) return {"pg_catalog", "public"};
    return {"public"};
  }

  // The schemas of the session's search_path, unquoted; "$user" is left
  // out: it names a schema only when one has the user's name, and
  // tslake's one schema is public.
  std::vector<std::string> SearchPathSchemas() const {
    std::vector<std::string> out;
    auto it = settings_.find("search_path");
    const std::string path = it == settings_.end() ? "public" : it->second;
    size_t start = 0;
    while (start <= path.size()) {
      size_t comma = path.find(',', start);
      if (comma == std::string::npos) comma = path.size();
      std::string item = path.substr(start, comma - start);
      const size_t b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
      item = b == std::string::npos ? "" : item.substr(b, e - b + 1);
      if (item.size() >= 2 && item.front() == '"' && item.back() == '"') item = item.substr(1, item.size() - 2);
      else item = Lower(item);
      if (!item.empty() && item != "$user") out.push_back(item);
      start = comma + 1;
    }
    return out;
  }

  // PostgreSQL's parse_ident(): the dot-separated parts, "quoted" ones
  // as written ("" undoubled), others lower-cased.
  static std::vector<std::string> ParseIdent(const std::string& s) {
    std::vector<std::string> parts(1);
    bool quoted = false;
    for (size_t k = 0; k < s.size(); ++k) {
      const char c = s[k];
      if (quoted) {
        if (c == '"' && k + 1 < s.size() && s[k + 1] == '"') {
          parts.back() += '"';
          ++k;
        } else if (c == '"') {
          quoted = false;
        } else {
          parts.back() += c;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '.') {
        parts.emplace_back();
      } else if (c != ' ') {
        parts.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    return parts;
  }

  // PostgreSQL's quote_ident() of a known string: quoted unless it is a
  // plain lower-case name.
  static std::string QuoteIdent(const std::string& s) {
    bool plain = !s.empty() && !std::isdigit(static_cast<unsigned char>(s[0])) && s[0] != '$';
    for (char c : s)
      if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' ||
            c == '$'))
        plain = false;
    return plain ? s : QuoteIdentifier(s);
  }

  // Idioms of Grafana's PostgreSQL data source (its version probe, table
  // and column pickers) that use functions or arrays the engine lacks.
  // Returns true when it rewrote something at *pi.
  bool StepIdiom(size_t* pi) {
    const size_t i = *pi;
    const Tok& t = in_[i];
    // current_setting('name'[, missing_ok]) of a PostgreSQL session
    // parameter -> its value (tslake's own settings reach the engine).
    if (WordAt(i, "current_setting") && PunctAt(Next(i + 1), '(')) {
      const size_t lit = Next(Next(i + 1) + 1);
      size_t close = Next(lit + 1);
      if (PunctAt(close, ',')) close = Next(Next(close + 1) + 1);
      if (lit < in_.size() && in_[lit].kind == 's' && PunctAt(close, ')')) {
        auto it = settings_.find(Lower(StringValue(in_[lit])));
        if (it != settings_.end()) {
          Emit('s', L(it->second));
          *pi = close + 1;
          return changed_ = true;
        }
      }
    }
    // Grafana keeps the tables of the search path with
    //   quote_ident(table_schema) IN (SELECT CASE WHEN trim(s[i]) = '"$user"'
    //     THEN user ELSE trim(s[i]) END FROM generate_series(array_lower(
    //     string_to_array(current_setting('search_path'),','),1), ...) AS i,
    //     string_to_array(current_setting('search_path'),',') s)
    // -> the path's schemas as a list.
    if (t.kind == 'p' && t.text == "(" && WordAt(Next(i + 1), "select")) {
      const size_t end = SkipParens(i);
      std::string flat;
      for (size_t j = i; j < end; ++j)
        if (in_[j].kind != ' ') flat += Lower(in_[j].text);
      if (flat.rfind("(selectcasewhentrim(s[i])='\"$user\"'", 0) == 0 &&
          flat.find("string_to_array(") != std::string::npos && flat.find("generate_series(") != std::string::npos) {
        std::string list;
        for (const std::string& schema : SearchPathSchemas()) list += (list.empty() ? "" : ", ") + L(schema);
        Emit('w', "(" + (list.empty() ? std::string("NULL") : list) + ")");
        *pi = end;
        return changed_ = true;
      }
    }
    // array_length(parse_ident('x'), 1) -> the number of parts of x.
    if (WordAt(i, "array_length") && PunctAt(Next(i + 1), '(')) {
      const size_t call = Next(Next(i + 1) + 1), open = Next(call + 1), lit = Next(open + 1),
                   close = Next(lit + 1), comma = Next(close + 1), one = Next(comma + 1), end = Next(one + 1);
      if (WordAt(call, "parse_ident") && PunctAt(open, '(') && lit < in_.size() && in_[lit].kind == 's' &&
          PunctAt(close, ')') && PunctAt(comma, ',') && one < in_.size() && in_[one].text == "1" &&
          PunctAt(end, ')')) {
        Emit('n', N(static_cast<int64_t>(ParseIdent(StringValue(in_[lit])).size())));
        *pi = end + 1;
        return changed_ = true;
      }
    }
    // (parse_ident('x'))[k] -> part k of x (NULL past the last).
    if (t.kind == 'p' && t.text == "(" && WordAt(Next(i + 1), "parse_ident")) {
      const size_t open = Next(Next(i + 1) + 1), lit = Next(open + 1), close = Next(lit + 1),
                   paren = Next(close + 1), bracket = Next(paren + 1), index = Next(bracket + 1),
                   end = Next(index + 1);
      if (PunctAt(open, '(') && lit < in_.size() && in_[lit].kind == 's' && PunctAt(close, ')') &&
          PunctAt(paren, ')') && PunctAt(bracket, '[') && index < in_.size() && in_[index].kind == 'n' &&
          PunctAt(end, ']')) {
        const std::vector<std::string> parts = ParseIdent(StringValue(in_[lit]));
        const int64_t k = std::atoll(in_[index].text.c_str());
        Emit('s', k >= 1 && k <= static_cast<int64_t>(parts.size()) ? L(parts[static_cast<size_t>(k - 1)])
                                                                    : "CAST(NULL AS VARCHAR)");
        *pi = end + 1;
        return changed_ = true;
      }
    }
    // quote_ident(name or 'literal').
    if (WordAt(i, "quote_ident") && PunctAt(Next(i + 1), '(')) {
      const size_t arg = Next(Next(i + 1) + 1), close = Next(arg + 1);
      if (arg < in_.size() && PunctAt(close, ')') && in_[arg].kind == 's') {
        Emit('s', L(QuoteIdent(StringValue(in_[arg]))));
        *pi = close + 1;
        return changed_ = true;
      }
      if (arg < in_.size() && PunctAt(close, ')') && in_[arg].kind == 'w') {
        const std::string a = Lower(in_[arg].text);
        Emit('w', "(CASE WHEN regexp_matches(" + a + ", '^[a-z_][a-z0-9_$]*$') THEN " + a +
                      " ELSE '\"' || replace(" + a + ", '\"', '\"\"') || '\"' END)");
        *pi = close + 1;
        return changed_ = true;
      }
    }
    return false;
  }

  bool Step(size_t* pi) {
    if (StepIdiom(pi)) return true;
    size_t i = *pi;
    const Tok& t = in_[i];
    // x.indoption[k] & 1 (pgJDBC's getIndexInfo, for ASC_OR_DESC) and
    // con.conkey[k] / con.confkey[k] (getImportedKeys/getExportedKeys): the
    // engine has no arrays (nor `&`), and pg_index and pg_constraint have
    // no rows to subscript: NULL.
    auto ends_with = [](const std::string& word, const char* suffix) {
      const std::string w = Lower(word), x = suffix;
      return w.size() >= x.size() && w.compare(w.size() - x.size(), x.size(), x) == 0;
    };
    if (t.kind == 'w' &&
        (ends_with(t.text, "indoption") || ends_with(t.text, "conkey") || ends_with(t.text, "confkey")) &&
        PunctAt(Next(i + 1), '[')) {
      size_t close = Next(i + 1);
      int depth = 0;
      for (; close < in_.size(); ++close) {
        if (PunctAt(close, '[')) ++depth;
        if (PunctAt(close, ']') && --depth == 0) break;
      }
      if (close < in_.size()) {
        Emit('w', t.text);
        (void)PopIdentChain();
        Emit('w', "CAST(NULL AS INTEGER)");
        *pi = close + 1;
        // `& 1::smallint` after it: NULL too.
        const size_t amp = Next(close + 1), one = Next(amp + 1);
        if (amp < in_.size() && in_[amp].kind == 'o' && in_[amp].text == "&" && one < in_.size() &&
            in_[one].kind == 'n') {
          *pi = one + 1;
          const size_t cast = Next(one + 1), type = Next(cast + 1);
          if (cast < in_.size() && in_[cast].kind == 'o' && in_[cast].text == "::" && type < in_.size() &&
              in_[type].kind == 'w')
            *pi = type + 1;
        }
        return changed_ = true;
      }
    }
    // (current_schemas(b))[expr] -> CASE expr WHEN 1 THEN ... END, and
    // array_upper(current_schemas(b), 1) -> the path's length: the
    // engine has no arrays; pgJDBC's type lookup walks the path so.
    if (t.kind == 'p' && t.text == "(") {
      size_t call = Next(i + 1);
      bool b = false;
      size_t end = CurrentSchemasCall(call, &b);
      const size_t paren = Next(end), bracket = Next(paren + 1);
      if (end && PunctAt(paren, ')') && PunctAt(bracket, '[')) {
        size_t close = bracket + 1;
        std::string index;
        while (close < in_.size() && !PunctAt(close, ']') && !PunctAt(close, ';')) index += in_[close++].text;
        if (close < in_.size() && PunctAt(close, ']')) {
          std::string sql = "(CASE " + index;
          const std::vector<std::string> path = SearchPath(b);
          for (size_t k = 0; k < path.size(); ++k) sql += " WHEN " + N(static_cast<int64_t>(k + 1)) + " THEN " + L(path[k]);
          Emit('w', sql + " END)");
          *pi = close + 1;
          return true;
        }
      }
    }
    // x = ANY(current_schemas(b)) -> x IN (the path).
    if (WordAt(i, "any") && PunctAt(Next(i + 1), '(')) {
      bool b = false;
      const size_t end = CurrentSchemasCall(Next(Next(i + 1) + 1), &b);
      const size_t close = Next(end);
      const int eq = LastOut();
      if (end && PunctAt(close, ')') && eq >= 0 && out_[eq].kind == 'o' && out_[eq].text == "=") {
        out_.resize(static_cast<size_t>(eq));
        std::string list;
        for (const std::string& schema : SearchPath(b)) list += (list.empty() ? "" : ", ") + L(schema);
        Emit('w', "IN (" + list + ")");
        *pi = close + 1;
        return true;
      }
    }
    if (WordAt(i, "array_upper") && PunctAt(Next(i + 1), '(')) {
      bool b = false;
      const size_t end = CurrentSchemasCall(Next(Next(i + 1) + 1), &b);
      const size_t comma = Next(end), one = Next(comma + 1), close = Next(one + 1);
      if (end && PunctAt(comma, ',') && one < in_.size() && in_[one].text == "1" && PunctAt(close, ')')) {
        Emit('n', N(static_cast<int64_t>(SearchPath(b).size())));
        *pi = close + 1;
        return true;
      }
    }
    // An unqualified catalog table (pgJDBC's type lookup says `pg_namespace`).
    if (t.kind == 'w' && SupportedTables().count(Lower(t.text)) && !(i > 0 && PunctAt(i - 1, '.'))) {
      used_.insert(Lower(t.text));
      Emit('w', Lower(t.text));
      *pi = i + 1;
      return true;
    }
    // pg_catalog.X / information_schema.X
    if (t.kind == 'w' && (WordAt(i, "pg_catalog") || WordAt(i, "information_schema")) && PunctAt(i + 1, '.') &&
        i + 2 < in_.size() && in_[i + 2].kind == 'w') {
      const bool catalog = WordAt(i, "pg_catalog");
      const std::string name = Lower(in_[i + 2].text);
      const size_t after = Next(i + 3);
      const bool call = PunctAt(after, '(');
      if (!call && !catalog && (name == "schemata" || name == "tables" || name == "columns")) {
        used_.insert("information_schema_" + name);
        Emit('w', "information_schema_" + name);
        *pi = i + 3;
        return true;
      }
      if (!call) {
        if (!catalog || !SupportedTables().count(name)) return false;
        used_.insert(name);
        Emit('w', name);
        *pi = i + 3;
        return true;
      }
      const size_t end = SkipParens(after);
      if (catalog && (name == "pg_get_expr" || name == "pg_get_indexdef" || name == "obj_description" ||
                      name == "col_description" ||
                      name == "shobj_description")) {
        Emit('w', "CAST(NULL AS VARCHAR)");
        *pi = end;
        return true;
      }
      if (catalog && name == "pg_table_is_visible") {
        Emit('w', "true");
        *pi = end;
        return true;
      }
      if (!catalog && name == "_pg_expandarray") {
        // (information_schema._pg_expandarray(x.indkey)).n -> x.indkey_n;
        // information_schema._pg_expandarray(x.indkey) -> x.indkey_x
        // (pg_index holds one row per key column).
        std::string arg;
        for (size_t j = after + 1; j + 1 < end; ++j) arg += in_[j].kind == ' ' ? "" : in_[j].text;
        const int open = LastOut();
        const size_t paren = Next(end), dot = Next(paren + 1), field = Next(dot + 1);
        if (open >= 0 && out_[open].text == "(" && PunctAt(paren, ')') && PunctAt(dot, '.') &&
            (WordAt(field, "n") || WordAt(field, "x"))) {
          out_.resize(static_cast<size_t>(open));
          Emit('w', arg + "_" + Lower(in_[field].text));
          *pi = field + 1;
        } else {
          Emit('w', arg + "_x");
          *pi = end;
        }
        expanded_ = true;
        return true;
      }
      if (!catalog) return false;  // another information_schema function
      // Another pg_catalog function (generate_series, ...): the engine's
      // functions have no schema.
      Emit('w', name);
      *pi = i + 3;
      return true;
    }
    // (alias.KEYS).x after _pg_expandarray: KEYS already holds x.
    if (expanded_ && t.kind == 'p' && t.text == "(") {
      const size_t a = Next(i + 1), dot = Next(a + 1), b = Next(dot + 1), close = Next(b + 1),
                   dot2 = Next(close + 1), field = Next(dot2 + 1);
      if (a < in_.size() && in_[a].kind == 'w' && PunctAt(dot, '.') && b < in_.size() && in_[b].kind == 'w' &&
          PunctAt(close, ')') && PunctAt(dot2, '.') && WordAt(field, "x")) {
        Emit('w', in_[a].text + "." + in_[b].text);
        *pi = field + 1;
        return true;
      }
    }
    // PostgreSQL's regex match: a partial match.
    if (t.kind == 'o' && (t.text == "~" || t.text == "!~" || t.text == "~*" || t.text == "!~*")) {
      const size_t lit = Next(i + 1);
      if (lit < in_.size() && in_[lit].kind == 's') {
        std::string chain = PopIdentChain();
        if (!chain.empty()) {
          std::string call = t.text[0] == '!' ? "NOT regexp_matches(" : "regexp_matches(";
          call += chain + ", " + in_[lit].text;
          if (t.text.back() == '*') call += ", 'i'";
          Emit('w', call + ")");
          *pi = lit + 1;
          return true;
        }
      }
    }
    // LIKE 'pat' with backslash escapes (PostgreSQL's default escape
    // character; the engine has none): no wildcard left -> equality,
    // else the escapes are dropped (an escaped _ or % then also matches
    // other characters).
    if ((WordAt(i, "like") || WordAt(i, "ilike")) && !WordAt(Next(i + 1), "escape")) {
      const size_t lit = Next(i + 1);
      if (lit < in_.size() && in_[lit].kind == 's' && in_[lit].text.find('\\') != std::string::npos &&
          !WordAt(Next(lit + 1), "escape")) {
        const std::string pattern = StringValue(in_[lit]);
        std::string plain;
        bool wildcard = false;
        for (size_t k = 0; k < pattern.size(); ++k) {
          if (pattern[k] == '\\' && k + 1 < pattern.size()) {
            plain += pattern[++k];
            continue;
          }
          if (pattern[k] == '%' || pattern[k] == '_') wildcard = true;
          plain += pattern[k];
        }
        const bool ilike = WordAt(i, "ilike");
        if (!wildcard && !ilike) {
          Emit('o', "=");
        } else {
          Emit('w', t.text);
        }
        Emit(' ', " ");
        Emit('s', L(plain));
        *pi = lit + 1;
        return true;
      }
    }
    // Casts to PostgreSQL's catalog types.
    if (t.kind == 'o' && t.text == "::") {
      size_t ty = Next(i + 1);
      if (WordAt(ty, "pg_catalog") && PunctAt(ty + 1, '.')) ty = ty + 2;
      if (ty < in_.size() && in_[ty].kind == 'w') {
        const std::string type = Lower(in_[ty].text);
        const int last = LastOut();
        const bool literal = last >= 0 && out_[last].kind == 's';
        if (type == "regclass" && literal) {
          std::optional<int64_t> oid = RegclassOid(StringValue(out_[last]), db_);
          out_.resize(static_cast<size_t>(last));
          Emit('n', oid ? N(*oid) : "CAST(NULL AS BIGINT)");
          *pi = ty + 1;
          return true;
        }
        if (type == "regproc" && literal) {
          std::string f = StringValue(out_[last]);
          if (Lower(f).rfind("pg_catalog.", 0) == 0) f = f.substr(11);
          out_.resize(static_cast<size_t>(last));
          Emit('s', L(f));
          *pi = ty + 1;
          return true;
        }
        const char* to = nullptr;
        if (type == "oid" || type == "regclass" || type == "regtype" || type == "regnamespace") to = "BIGINT";
        if (type == "name" || type == "regproc") to = "VARCHAR";
        if (to) {
          Emit('o', "::");
          Emit('w', to);
          *pi = ty + 1;
          return true;
        }
      }
    }
    // PostgreSQL folds unquoted names to lower case: `AS TABLE_NAME` and
    // `result.COLUMN_NAME` label columns table_name and column_name (the
    // engine keeps the case written).
    if (t.kind == 'w') {
      Emit('w', Lower(t.text));
      *pi = i + 1;
      return true;
    }
    out_.push_back(t);
    *pi = i + 1;
    return true;
  }

  const std::vector<Tok>& in_;
  const Database& db_;
  const std::map<std::string, std::string>& settings_;
  std::vector<Tok> out_;
  std::set<std::string> used_;
  bool expanded_ = false;
  bool changed_ = false;
};

}  // namespace

bool EmulateCatalogTables(const std::string& sql, Database& db, const std::string& database,
                          const std::map<std::string, std::string>& settings, std::string* out) {
  const std::string lower = Lower(sql);
  bool wanted = false;
  for (const char* word : {"pg_catalog", "information_schema", "current_setting", "parse_ident", "quote_ident"})
    wanted = wanted || lower.find(word) != std::string::npos;
  for (const std::string& table : SupportedTables()) wanted = wanted || lower.find(table) != std::string::npos;
  if (!wanted) return false;
  std::vector<Tok> tokens;
  if (!Lex(sql, &tokens)) return false;
  Rewriter rewriter(tokens, db, settings);
  if (!rewriter.Run() || (rewriter.used().empty() && !rewriter.changed())) return false;
  if (rewriter.used().empty()) {
    out->clear();
    for (const Tok& t : rewriter.out()) *out += t.text;
    return true;
  }
  std::string ctes;
  for (const std::string& name : rewriter.used()) {
    ctes += ctes.empty() ? "" : ", ";
    ctes += name + " AS (" + TableSql(MakeTable(name, db, database, settings)) + ")";
  }
  const std::vector<Tok>& body = rewriter.out();
  size_t first = 0;
  while (first < body.size() && body[first].kind == ' ') ++first;
  std::string result;
  if (first < body.size() && body[first].kind == 'w' && Lower(body[first].text) == "with") {
    // WITH [RECURSIVE] theirs -> WITH [RECURSIVE] ours, theirs
    size_t next = first + 1;
    while (next < body.size() && body[next].kind == ' ') ++next;
    const bool recursive = next < body.size() && body[next].kind == 'w' && Lower(body[next].text) == "recursive";
    result = recursive ? "WITH RECURSIVE " : "WITH ";
    result += ctes + ", ";
    for (size_t j = recursive ? next + 1 : first + 1; j < body.size(); ++j) result += body[j].text;
  } else {
    result = "WITH " + ctes + " ";
    for (const Tok& t : body) result += t.text;
  }
  *out = std::move(result);
  return true;
}

}  // namespace tslake::server
