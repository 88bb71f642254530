// psql's catalog queries answered from tslake's catalog through the public
// API: the relation list of \dt, \dv, \d (pg_class joined with
// pg_namespace, by relkind and name pattern), and \d TABLE (the
// relation's oid, its pg_class row, its pg_attribute columns; the
// follow-up queries about policies, statistics objects, publications and
// inheritance get no rows, as tslake has none of those). Tables get oids
// 16384 + their position in Database::ListTables(), views after them;
// the schema is "public".
// Thread-safety: plain functions over a thread-safe Database.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tslake/tslake.hpp"

namespace tslake::server {

// A table or view as the emulated pg_class shows it: oid 16384 + its
// position (tables in ListTables() order, then views).
struct CatalogRelation {
  std::string name;
  char kind;  // 'r' table, 'v' view
  int64_t oid;
};
std::vector<CatalogRelation> ListRelations(const Database& db);

// When `sql` is one of the queries above, sets *answer to SQL that
// produces psql's expected columns and returns true.
bool AnswerCatalogQuery(const std::string& sql, const Database& db, std::string* answer);

// The Postgres type name psql shows for a tslake type ("integer",
// "timestamp without time zone", ...).
const char* PgTypeName(Type type);

}  // namespace tslake::server
