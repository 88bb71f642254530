// The pg_catalog tables that drivers' metadata queries read, emulated
// from tslake's catalog through the public API: pgJDBC's DatabaseMetaData
// (getSchemas, getCatalogs, getTables, getColumns, getPrimaryKeys; what
// DBeaver's and Grafana's table/column pickers call) sends general SQL
// over pg_namespace, pg_class, pg_attribute, pg_type, pg_description,
// pg_attrdef, pg_index and pg_database, with PostgreSQL-only syntax.
// Instead of matching each query (catalog_queries.h does that for psql's
// fixed texts), the query itself is run by the engine after a token-level
// rewrite:
//  - `pg_catalog.pg_X` or a bare `pg_X` (a supported X) reads a CTE named pg_X that is
//    prepended to the query and holds rows built from Database::
//    ListTables/ListViews/DescribeTable (oids as catalog_queries.h);
//  - PostgreSQL's regex match operators `a ~ 'p'`, `!~`, `~*`, `!~*`
//    (partial match; DuckDB's `~` is a full match) become
//    regexp_matches(a, 'p'[, 'i']), negated for `!`;
//  - `'name'::regclass` becomes that relation's oid (the system catalogs'
//    fixed PostgreSQL oids, or a tslake relation's; NULL when unknown),
//    `'schema.f'::regproc` the function's bare name, `::oid`/`::name`
//    casts BIGINT/VARCHAR;
//  - `(current_schemas(b))[i]` becomes a CASE over the search path
//    (public, after pg_catalog when b), array_upper of it its length,
//    `= ANY(current_schemas(b))` an IN list;
//    pg_get_expr/obj_description/col_description(...) NULL (tslake has no
//    column defaults or comments);
//  - unquoted names are folded to lower case, as PostgreSQL does (the
//    result's column labels are then PostgreSQL's);
//  - information_schema._pg_expandarray over pg_index.indkey (getPrimaryKeys)
//    reads pg_index's per-key columns indkey_x / indkey_n;
//  - information_schema.schemata, .tables and .columns (Grafana's schema,
//    table and column pickers), pg_extension (empty), pg_am and pg_settings
//    (the session's parameters; pgJDBC's getIndexInfo/getImportedKeys) are
//    emulated too; subscripts of pg_index.indoption and pg_constraint's
//    conkey/confkey (tables with no rows) are NULL, and other pg_catalog.f()
//    calls lose the qualifier;
//  - current_setting('p') of a PostgreSQL session parameter becomes its
//    value; quote_ident(x), array_length(parse_ident('lit'), 1) and
//    (parse_ident('lit'))[k] are computed or become a CASE; Grafana's
//    search_path subquery (string_to_array/generate_series over
//    current_setting('search_path')) becomes the path's schema list.
// tslake has no primary keys, indexes, defaults or comments, so
// pg_index, pg_attrdef and pg_description are empty (with their columns);
// views' columns (pg_attribute, information_schema.columns) come from
// the engine's DESCRIBE of the view, run on a connection of their own. A query naming any other pg_catalog table is
// left alone (the engine then says the table does not exist).
// Thread-safety: plain functions over a thread-safe Database.
#pragma once

#include <map>
#include <string>

#include "tslake/tslake.hpp"

namespace tslake::server {

// When `sql` reads supported pg_catalog tables (and none unsupported),
// or uses one of the idioms above, sets *out to the rewritten query and
// returns true. `database` is the connection's database name
// (pg_database's one row); `settings` the session's PostgreSQL
// parameters (lower-case names) with their values.
bool EmulateCatalogTables(const std::string& sql, Database& db, const std::string& database,
                          const std::map<std::string, std::string>& settings, std::string* out);

}  // namespace tslake::server
