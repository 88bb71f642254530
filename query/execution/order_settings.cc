// Parsing, display and resolution of default_null_order / default_order
// (see order_settings.h).
#include "query/execution/order_settings.h"

#include <cctype>

#include "query/common/query_error.h"
#include "query/execution/memory_tracker.h"

namespace tsl::query {
namespace {

// DatabaseConfig::null_order values.
enum NullOrder : int {
  kNullsLast = 0,  // DuckDB's default
  kNullsFirst = 1,
  kNullsFirstOnAscLastOnDesc = 2,
  kNullsLastOnAscFirstOnDesc = 3,
};

std::string Lower(const std::string& s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsNullOrderName(const std::string& n) { return n == "default_null_order" || n == "null_order"; }

// The connection's override when it has one, else the database's value.
int NullOrder() {
  if (const SessionConfig* session = CurrentSession()) {
    const int order = session->null_order.load(std::memory_order_relaxed);
    if (order >= 0) return order;
  }
  return CurrentConfig().null_order.load(std::memory_order_relaxed);
}

int DefaultOrder() {
  if (const SessionConfig* session = CurrentSession()) {
    const int order = session->default_order.load(std::memory_order_relaxed);
    if (order >= 0) return order;
  }
  return CurrentConfig().default_order.load(std::memory_order_relaxed);
}

}  // namespace

bool ApplyOrderSetting(const std::string& name, const std::optional<std::string>& value,
                       bool session) {
  const std::string n = Lower(name);
  if (!IsNullOrderName(n) && n != "default_order") return false;
  // SET SESSION writes the connection's override (RESET SESSION removes
  // it); otherwise the database's value changes and an override stays.
  SessionConfig* s = session ? CurrentSession() : nullptr;
  if (session && s == nullptr) {
    throw QueryError(ErrorKind::kInvalidInput, "SET SESSION " + n + ": no session to set it in");
  }
  DatabaseConfig& config = CurrentConfig();
  std::atomic<int>& null_order = s ? s->null_order : config.null_order;
  std::atomic<int>& default_order = s ? s->default_order : config.default_order;
  if (IsNullOrderName(n)) {
    if (!value) {
      null_order.store(s ? -1 : kNullsLast, std::memory_order_relaxed);
      return true;
    }
    const std::string v = Lower(*value);
    int order;
    if (v == "nulls_first" || v == "nulls first" || v == "null first" || v == "first") {
      order = kNullsFirst;
    } else if (v == "nulls_last" || v == "nulls last" || v == "null last" || v == "last") {
      order = kNullsLast;
    } else if (v == "nulls_first_on_asc_last_on_desc" || v == "sqlite" || v == "mysql") {
      order = kNullsFirstOnAscLastOnDesc;
    } else if (v == "nulls_last_on_asc_first_on_desc" || v == "postgres") {
      order = kNullsLastOnAscFirstOnDesc;
    } else {
      throw QueryError(ErrorKind::kParser,
                       "Unrecognized parameter for option NULL_ORDER \"" + v +
                           "\", expected either NULLS FIRST, NULLS LAST, SQLite, MySQL or Postgres");
    }
    null_order.store(order, std::memory_order_relaxed);
    return true;
  }
  if (!value) {
    default_order.store(s ? -1 : 0, std::memory_order_relaxed);
    return true;
  }
  const std::string v = Lower(*value);
  if (v == "ascending" || v == "asc") {
    default_order.store(1, std::memory_order_relaxed);
  } else if (v == "descending" || v == "desc") {
    default_order.store(2, std::memory_order_relaxed);
  } else {
    throw QueryError(ErrorKind::kInvalidInput, "Unrecognized parameter for option DEFAULT_ORDER \"" +
                                                   v + "\". Expected ASC or DESC.");
  }
  return true;
}

std::optional<std::string> CurrentOrderSetting(const std::string& name) {
  const std::string n = Lower(name);
  if (IsNullOrderName(n)) {
    switch (NullOrder()) {
      case kNullsFirst:
        return "NULLS_FIRST";
      case kNullsFirstOnAscLastOnDesc:
        return "NULLS_FIRST_ON_ASC_LAST_ON_DESC";
      case kNullsLastOnAscFirstOnDesc:
        return "NULLS_LAST_ON_ASC_FIRST_ON_DESC";
      default:
        return "NULLS_LAST";
    }
  }
  if (n == "default_order") {
    // DuckDB prints its initial value as ASCENDING and a SET value as ASC/DESC.
    switch (DefaultOrder()) {
      case 1:
        return "ASC";
      case 2:
        return "DESC";
      default:
        return "ASCENDING";
    }
  }
  return std::nullopt;
}

bool ResolveDescending(bool descending, bool direction_given) {
  if (direction_given) return descending;
  return DefaultOrder() == 2;
}

bool ResolveNullsFirst(const std::optional<bool>& nulls_first, bool descending) {
  if (nulls_first) return *nulls_first;
  switch (NullOrder()) {
    case kNullsFirst:
      return true;
    case kNullsFirstOnAscLastOnDesc:
      return !descending;
    case kNullsLastOnAscFirstOnDesc:
      return descending;
    default:
      return false;
  }
}

}  // namespace tsl::query
