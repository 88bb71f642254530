// Session statements and connect-time functions. See sql_rewrite.h.
#include "server/sql_rewrite.h"

#include <cctype>
#include <set>

#include "server/catalog_queries.h"
#include "server/pg_catalog_tables.h"
#include "server/sqlstate.h"
#include "server/statement_splitter.h"
#include "tslake/tslake.hpp"

namespace tslake::server {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The words and literals of a short statement (SET/SHOW/RESET/BEGIN):
// identifiers lower-cased, quoted values unquoted but marked by their
// quote character as the first char, punctuation as its own token
// (statement_splitter.h). Good enough for these statements' grammar,
// never used on queries.
std::vector<std::string> Tokens(const std::string& s, bool* ok) {
  std::vector<ShortToken> lexed;
  *ok = LexShortStatement(s, ".-+$", &lexed);
  std::vector<std::string> out;
  out.reserve(lexed.size());
  for (ShortToken& t : lexed) {
    if (t.kind == 's') out.push_back("'" + t.text);
    else if (t.kind == 'i') out.push_back("\"" + t.text);
    else out.push_back(std::move(t.text));
  }
  return out;
}

std::string Unquote(const std::string& token) {
  if (!token.empty() && (token[0] == '\'' || token[0] == '"')) return token.substr(1);
  return token;
}

// The PostgreSQL parameters a session may SET and SHOW; the value names
// as ParameterStatus reports them for the GUC_REPORT ones.
const std::map<std::string, std::string>& ReportedNames() {
  static const std::map<std::string, std::string> names = {
      {"application_name", "application_name"}, {"client_encoding", "client_encoding"},
      {"datestyle", "DateStyle"},               {"timezone", "TimeZone"},
      {"intervalstyle", "IntervalStyle"},       {"standard_conforming_strings", "standard_conforming_strings"},
      {"integer_datetimes", "integer_datetimes"}, {"is_superuser", "is_superuser"}};
  return names;
}

bool IsSessionParameter(const std::string& name) {
  static const std::set<std::string> known = {
      "application_name", "client_encoding", "datestyle", "timezone", "intervalstyle",
      "extra_float_digits", "search_path", "statement_timeout", "standard_conforming_strings",
      "integer_datetimes", "server_version", "server_encoding", "transaction_isolation",
      "default_transaction_isolation", "default_transaction_read_only", "transaction_read_only",
      "bytea_output", "lc_messages", "lc_monetary", "lc_numeric", "lc_time", "lc_collate", "lc_ctype",
      "client_min_messages", "idle_in_transaction_session_timeout", "lock_timeout", "jit",
      "max_identifier_length", "is_superuser", "session_authorization", "synchronous_commit",
      "row_security", "idle_session_timeout", "geqo", "escape_string_warning", "work_mem",
      "server_version_num", "timezone_abbreviations", "default_with_oids", "search_path"};
  return known.count(name) > 0;
}

const std::map<std::string, std::string>& Defaults() {
  static const std::map<std::string, std::string> d = {
      {"application_name", ""}, {"client_encoding", "UTF8"}, {"datestyle", "ISO, MDY"},
      {"timezone", "UTC"}, {"intervalstyle", "postgres"}, {"extra_float_digits", "1"},
      {"search_path", "\"$user\", public"}, {"statement_timeout", "0"},
      {"standard_conforming_strings", "on"}, {"integer_datetimes", "on"},
      {"server_encoding", "UTF8"}, {"transaction_isolation", "serializable"},
      {"default_transaction_isolation", "serializable"}, {"transaction_read_only", "off"},
      {"default_transaction_read_only", "off"}, {"bytea_output", "hex"},
      {"client_min_messages", "notice"}, {"max_identifier_length", "63"},
      {"server_version_num", "150000"}, {"lc_messages", "C"}, {"lc_monetary", "C"},
      {"lc_numeric", "C"}, {"lc_time", "C"}, {"lc_collate", "C"}, {"lc_ctype", "C"}};
  return d;
}

// Checks a value a client may SET; empty when acceptable, else why not.
std::string CheckValue(const std::string& name, std::string* value) {
  std::string v = Lower(*value);
  if (name == "client_encoding") {
    if (v != "utf8" && v != "utf-8" && v != "unicode")
      return "client_encoding \"" + *value + "\" is not supported: tslake speaks UTF8 only";
    *value = "UTF8";
  } else if (name == "datestyle") {
    if (v.find("iso") == std::string::npos && v != "mdy" && v != "dmy" && v != "ymd")
      return "DateStyle \"" + *value + "\" is not supported: timestamps are sent in ISO format";
    *value = "ISO, MDY";
  } else if (name == "intervalstyle") {
    if (v != "postgres") return "IntervalStyle \"" + *value + "\" is not supported: only postgres";
  } else if (name == "statement_timeout") {
    std::optional<int64_t> ms = ParseTimeoutMs(*value);
    if (!ms) return "invalid value for parameter \"statement_timeout\": \"" + *value + "\"";
    *value = std::to_string(*ms);
  } else if (name == "standard_conforming_strings") {
    if (v != "on" && v != "true") return "standard_conforming_strings cannot be turned off";
  }
  return "";
}

SessionRewrite Answer(std::string tag) {
  SessionRewrite r;
  r.tag = std::move(tag);
  return r;
}

SessionRewrite Refuse(std::string message, const char* sqlstate = "22023") {
  SessionRewrite r;
  r.error = std::move(message);
  r.error_sqlstate = sqlstate;
  return r;
}

SessionRewrite ShowValue(const std::string& name, const std::string& value) {
  SessionRewrite r;
  r.sql = "SELECT " + QuoteLiteral(value) + " AS " + QuoteIdentifier(name);
  r.rewritten = true;
  return r;
}

// SET ... / RESET ...; nullopt-like empty tag + empty error = not ours.
bool RewriteSet(const std::vector<std::string>& t, std::map<std::string, std::string>* params,
                SessionRewrite* out) {
  size_t i = 1;
  if (t[0] == "reset") {
    if (t.size() < 2) return false;
    if (t[1] == "all") {
      for (const auto& [name, value] : Defaults()) (*params)[name] = value;
      *out = Answer("RESET");
      return true;
    }
    std::string name = Unquote(t[1]);
    if (!IsSessionParameter(name)) return false;
    auto d = Defaults().find(name);
    (*params)[name] = d == Defaults().end() ? "" : d->second;
    *out = Answer("RESET");
    if (auto r = ReportedNames().find(name); r != ReportedNames().end())
      out->parameter_status.emplace_back(r->second, (*params)[name]);
    return true;
  }
  if (i < t.size() && (t[i] == "session" || t[i] == "local")) ++i;
  if (i < t.size() && t[i] == "characteristics") {  // SET SESSION CHARACTERISTICS AS TRANSACTION ...
    *out = Answer("SET");
    return true;
  }
  if (i >= t.size()) return false;
  std::string name;
  if (t[i] == "time" && i + 1 < t.size() && t[i + 1] == "zone") {
    name = "timezone";
    i += 2;
  } else if (t[i] == "transaction" || t[i] == "names") {
    name = t[i] == "names" ? "client_encoding" : "transaction";
    ++i;
    if (name == "transaction") {
      *out = Answer("SET");
      return true;
    }
  } else {
    name = Unquote(t[i]);
    ++i;
    if (i < t.size() && (t[i] == "=" || t[i] == "to")) ++i;
  }
  if (!IsSessionParameter(name)) return false;
  std::string value;
  for (; i < t.size(); ++i) {
    if (t[i] == ",") {
      value += ", ";
      continue;
    }
    if (t[i] == "default") {
      auto d = Defaults().find(name);
      value += d == Defaults().end() ? "" : d->second;
      continue;
    }
    value += Unquote(t[i]);
  }
  std::string why = CheckValue(name, &value);
  if (!why.empty()) {
    *out = Refuse(why);
    return true;
  }
  (*params)[name] = value;
  *out = Answer("SET");
  if (auto r = ReportedNames().find(name); r != ReportedNames().end())
    out->parameter_status.emplace_back(r->second, value);
  return true;
}

// Whether a call between `before` and `after` is a whole select-list
// item (SELECT f(), ... / , f() FROM ...), so it may take an alias.
bool WholeSelectItem(const std::string& before, const std::string& after) {
  size_t b = before.find_last_not_of(" \t\r\n");
  bool starts = b != std::string::npos &&
                (before[b] == ',' || (b >= 5 && Lower(before.substr(b - 5, 6)) == "select" &&
                                      (b == 5 || !IsIdentChar(before[b - 6]))));
  if (!starts) return false;
  size_t a = after.find_first_not_of(" \t\r\n");
  if (a == std::string::npos || after[a] == ',' || after[a] == ';') return true;
  std::string next = Lower(after.substr(a, 5));
  return next.rfind("from", 0) == 0 && (after.size() == a + 4 || !IsIdentChar(after[a + 4]));
}

// Replaces calls of the connect-time functions outside quotes and
// comments. Returns true when something was replaced.
bool ReplaceFunctions(std::string* sql, const std::string& database, int32_t pid) {
  const std::map<std::string, std::string> with_parens = {
      {"version", QuoteLiteral("PostgreSQL 15.0 (tslake " + std::string(Database::Version()) +
                               ") on x86_64-pc-linux-gnu")},
      {"current_database", QuoteLiteral(database)},
      {"current_schema", QuoteLiteral("public")},
      {"current_catalog", QuoteLiteral(database)},
      {"pg_backend_pid", std::to_string(pid)},
  };
  const std::map<std::string, std::string> bare = {
      {"current_schema", QuoteLiteral("public")},
      {"current_catalog", QuoteLiteral(database)},
  };
  const std::string& s = *sql;
  std::string out;
  bool changed = false;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\'' || c == '"' || (c == '-' && i + 1 < s.size() && s[i + 1] == '-') ||
        (c == '/' && i + 1 < s.size() && s[i + 1] == '*')) {
      // Copy the quoted token or comment through untouched.
      size_t j = i + 1;
      if (c == '\'' || c == '"') {
        while (j < s.size()) {
          if (s[j] == c) {
            if (j + 1 < s.size() && s[j + 1] == c) {
              j += 2;
              continue;
            }
            ++j;
            break;
          }
          ++j;
        }
      } else if (c == '-') {
        while (j < s.size() && s[j] != '\n') ++j;
      } else {
        size_t e = s.find("*/", i + 2);
        j = e == std::string::npos ? s.size() : e + 2;
      }
      out.append(s, i, j - i);
      i = j;
      continue;
    }
    if (IsIdentChar(c) && (i == 0 || !IsIdentChar(s[i - 1]))) {
      size_t j = i;
      while (j < s.size() && IsIdentChar(s[j])) ++j;
      std::string word = Lower(s.substr(i, j - i));
      size_t k = j;
      while (k < s.size() && std::isspace(static_cast<unsigned char>(s[k]))) ++k;
      bool call = k + 1 < s.size() && s[k] == '(' ;
      size_t close = call ? k + 1 : 0;
      if (call) {
        while (close < s.size() && std::isspace(static_cast<unsigned char>(s[close]))) ++close;
      }
      // Drop a pg_catalog. qualifier already copied into out.
      auto drop_qualifier = [&]() {
        const std::string q = "pg_catalog.";
        if (out.size() >= q.size() && Lower(out.substr(out.size() - q.size())) == q)
          out.resize(out.size() - q.size());
      };
      bool qualified_other = i > 0 && s[i - 1] == '.' &&
                             !(i >= 11 && Lower(s.substr(i - 11, 11)) == "pg_catalog.");
      if (!qualified_other) {
        auto f = with_parens.find(word);
        if (call && close < s.size() && s[close] == ')' && f != with_parens.end()) {
          drop_qualifier();
          out += f->second;
          i = close + 1;
          changed = true;
          if (WholeSelectItem(out.substr(0, out.size() - f->second.size()), s.substr(i)))
            out += " AS " + word;  // the column name PostgreSQL gives the call
          continue;
        }
        auto b = bare.find(word);
        if (!call && b != bare.end()) {
          drop_qualifier();
          out += b->second;
          i = j;
          changed = true;
          continue;
        }
      }
      out.append(s, i, j - i);
      i = j;
      continue;
    }
    out += c;
    ++i;
  }
  if (changed) *sql = std::move(out);
  return changed;
}

}  // namespace

std::optional<int64_t> ParseTimeoutMs(const std::string& value) {
  size_t i = 0;
  while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i]))) ++i;
  int64_t n = 0;
  size_t digits = 0;
  while (i < value.size() && std::isdigit(static_cast<unsigned char>(value[i]))) {
    if (n > (int64_t{1} << 40)) return std::nullopt;
    n = n * 10 + (value[i++] - '0');
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i]))) ++i;
  std::string unit = Lower(value.substr(i));
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.back()))) unit.pop_back();
  if (unit.empty() || unit == "ms") return n;
  if (unit == "s") return n * 1000;
  if (unit == "min") return n * 60 * 1000;
  if (unit == "h") return n * 3600 * 1000;
  return std::nullopt;
}

std::string QuoteLiteral(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string QuoteIdentifier(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

char ReadyStatus(Connection::TransactionStatus transaction) {
  switch (transaction) {
    case Connection::TransactionStatus::kInTransaction:
      return 'T';
    case Connection::TransactionStatus::kFailed:
      return 'E';
    default:
      return 'I';
  }
}

SessionRewrite RewriteForSession(const std::string& sql, std::map<std::string, std::string>* parameters,
                                 const std::string& database, int32_t pid, Database& db,
                                 Connection::TransactionStatus transaction) {
  SessionRewrite none;
  none.sql = sql;
  const std::string keyword = FirstKeyword(sql);
  if (keyword == "SET" || keyword == "RESET" || keyword == "SHOW" || keyword == "BEGIN" ||
      keyword == "START" || keyword == "COMMIT" || keyword == "END" || keyword == "ROLLBACK" ||
      keyword == "ABORT" || keyword == "DISCARD" || keyword == "DEALLOCATE") {
    bool ok = true;
    std::vector<std::string> t = Tokens(sql, &ok);
    while (!t.empty() && t.back() == ";") t.pop_back();
    if (!ok || t.empty()) return none;
    // Transactions are the engine's (snapshot per table, one version per
    // table at COMMIT); PostgreSQL's isolation and access-mode options are
    // accepted and dropped. Out of place, PostgreSQL warns and goes on.
    const bool idle = transaction == Connection::TransactionStatus::kIdle;
    auto to_engine = [&](const char* statement) {
      SessionRewrite r = none;
      r.sql = statement;
      r.rewritten = true;
      return r;
    };
    auto warn = [](const char* tag, const char* notice) {
      SessionRewrite r = Answer(tag);
      r.notices.push_back(notice);
      return r;
    };
    if (keyword == "BEGIN" || keyword == "START") {
      if (keyword == "START" && (t.size() < 2 || t[1] != "transaction")) return none;
      if (!idle) return warn("BEGIN", "there is already a transaction in progress");
      return to_engine("BEGIN");
    }
    if (keyword == "COMMIT" || keyword == "END") {
      if (t.size() > 1 && t[1] != "transaction" && t[1] != "work") return none;
      if (idle) return warn("COMMIT", "there is no transaction in progress");
      return to_engine("COMMIT");
    }
    if (keyword == "ROLLBACK" || keyword == "ABORT") {
      if (t.size() > 1 && t[1] != "transaction" && t[1] != "work") return none;  // TO SAVEPOINT
      if (idle) return warn("ROLLBACK", "there is no transaction in progress");
      return to_engine("ROLLBACK");
    }
    if (keyword == "DISCARD") return Answer("DISCARD ALL");
    if (keyword == "DEALLOCATE") return Answer("DEALLOCATE");
    if (keyword == "SHOW") {
      if (t.size() < 2) return none;
      std::string name = Unquote(t[1]);
      if (name == "time" && t.size() > 2 && t[2] == "zone") name = "timezone";
      if (name == "transaction" && t.size() > 3 && t[2] == "isolation") name = "transaction_isolation";
      if (!IsSessionParameter(name)) return none;
      auto it = parameters->find(name);
      std::string value = it != parameters->end() ? it->second : "";
      if (it == parameters->end()) {
        auto d = Defaults().find(name);
        if (d != Defaults().end()) value = d->second;
      }
      return ShowValue(name, value);
    }
    SessionRewrite r;
    if (RewriteSet(t, parameters, &r)) return r;
    return none;
  }
  std::string catalog_sql;
  if (AnswerCatalogQuery(sql, db, &catalog_sql)) {
    SessionRewrite r;
    r.sql = catalog_sql;
    r.rewritten = true;
    return r;
  }
  SessionRewrite r = none;
  // The session's PostgreSQL parameters, for current_setting().
  std::map<std::string, std::string> settings = Defaults();
  for (const auto& [name, value] : *parameters)
    if (IsSessionParameter(name)) settings[name] = value;
  r.preparable = EmulateCatalogTables(sql, db, database, settings, &r.sql);  // drivers' metadata queries
  r.rewritten = ReplaceFunctions(&r.sql, database, pid) || r.preparable;
  return r;
}

}  // namespace tslake::server
