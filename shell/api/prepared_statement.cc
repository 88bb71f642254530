// tslake::PreparedStatement: finds the parameters ($n or ?) of one SQL
// statement outside string literals, quoted identifiers and comments, and
// on Execute() splices the bound values in as typed SQL literals.
// Thread-safety: one thread at a time (the connection's).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "formats/timestamp.h"
#include "shell/api/api_internal.h"

namespace tslake {

namespace {

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

// Shortest text that reads back as exactly `v`, always a DOUBLE literal.
std::string DoubleLiteral(double v) {
  if (!std::isfinite(v)) {
    return std::string("CAST('") +
           (std::isnan(v) ? "nan"
            : v > 0       ? "inf"
                          : "-inf") +
           "' AS DOUBLE)";
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string text(buf, end);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return v < 0 ? "(" + text + ")" : text;
}

}  // namespace

std::unique_ptr<PreparedStatement::Impl> PreparedStatement::Impl::Make(Connection* connection,
                                                                       const std::string& sql) {
  auto impl = std::make_unique<Impl>();
  impl->connection = connection;
  auto fail = [&](std::string message) {
    impl->status = Invalid("Prepare: " + std::move(message));
    impl->pieces.clear();
    impl->slots.clear();
    return std::move(impl);
  };
  bool numbered = false, positional = false;
  int highest = 0;
  size_t piece_start = 0, end_of_statement = std::string::npos;
  const size_t n = sql.size();
  for (size_t i = 0; i < n;) {
    char c = sql[i];
    if (end_of_statement != std::string::npos && !std::isspace(static_cast<unsigned char>(c)) &&
        !(c == '-' && i + 1 < n && sql[i + 1] == '-') &&
        !(c == '/' && i + 1 < n && sql[i + 1] == '*')) {
      if (c == ';') {
        ++i;
        continue;
      }
      return fail("a prepared statement is one statement, but more SQL follows the ';' at offset " +
                  std::to_string(end_of_statement));
    }
    if (c == '\'' || c == '"') {  // literal or quoted identifier; '' and "" are two in a row
      size_t close = sql.find(c, i + 1);
      if (close == std::string::npos)
        return fail(std::string("unterminated ") +
                    (c == '\'' ? "string literal" : "quoted identifier") + " starting at offset " +
                    std::to_string(i));
      i = close + 1;
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      size_t eol = sql.find('\n', i);
      i = eol == std::string::npos ? n : eol + 1;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      size_t close = sql.find("*/", i + 2);
      if (close == std::string::npos)
        return fail("unterminated comment starting at offset " + std::to_string(i));
      i = close + 2;
    } else if (c == ';') {
      end_of_statement = i;
      ++i;
    } else if (c == '?' ||
               (c == '$' && i + 1 < n && std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
      int index = 0;
      size_t next = i + 1;
      if (c == '?') {
        positional = true;
        index = static_cast<int>(impl->slots.size()) + 1;
      } else {
        numbered = true;
        while (next < n && std::isdigit(static_cast<unsigned char>(sql[next]))) {
          if (index > 9999)
            return fail("parameter number at offset " + std::to_string(i) + " is too large");
          index = index * 10 + (sql[next] - '0');
          ++next;
        }
        if (index == 0)
          return fail("parameters are numbered from $1; found $0 at offset " + std::to_string(i));
      }
      if (numbered && positional) return fail("cannot mix ? and $n parameters in one statement");
      impl->pieces.push_back(sql.substr(piece_start, i - piece_start));
      impl->slots.push_back(index - 1);
      highest = std::max(highest, index);
      piece_start = next;
      i = next;
    } else {
      ++i;
    }
  }
  impl->pieces.push_back(sql.substr(
      piece_start, (end_of_statement == std::string::npos ? n : end_of_statement) - piece_start));
  impl->literals.assign(static_cast<size_t>(highest), std::string());
  return impl;
}

PreparedStatement::PreparedStatement() = default;
PreparedStatement::~PreparedStatement() = default;
PreparedStatement::PreparedStatement(PreparedStatement&&) noexcept = default;
PreparedStatement& PreparedStatement::operator=(PreparedStatement&&) noexcept = default;

bool PreparedStatement::ok() const { return impl_ && impl_->status.ok(); }

const Status& PreparedStatement::status() const {
  static const Status not_prepared(ErrorCode::kInvalidArgument,
                                   "statement was not prepared (or was moved from)");
  return impl_ ? impl_->status : not_prepared;
}

int PreparedStatement::parameter_count() const {
  return impl_ ? static_cast<int>(impl_->literals.size()) : 0;
}

// Every Bind* stores `literal` for parameter `index` after these checks.
#define TSLAKE_BIND(literal_expr)                                          \
  do {                                                                     \
    if (!ok()) return status();                                            \
    if (index < 1 || index > parameter_count())                            \
      return Invalid("parameter index " + std::to_string(index) +          \
                     " is out of range: the "                              \
                     "statement has " +                                    \
                     std::to_string(parameter_count()) + " parameter(s)"); \
    impl_->literals[static_cast<size_t>(index - 1)] = (literal_expr);      \
    return Status();                                                       \
  } while (0)

Status PreparedStatement::BindNull(int index) { TSLAKE_BIND("NULL"); }
Status PreparedStatement::BindBool(int index, bool value) { TSLAKE_BIND(value ? "true" : "false"); }
Status PreparedStatement::BindInt64(int index, int64_t value) {
  // The most negative value has no positive literal to negate.
  TSLAKE_BIND(value == std::numeric_limits<int64_t>::min()
                  ? "CAST('-9223372036854775808' AS BIGINT)"
              : value < 0 ? "(" + std::to_string(value) + ")"
                          : std::to_string(value));
}
Status PreparedStatement::BindDouble(int index, double value) { TSLAKE_BIND(DoubleLiteral(value)); }
Status PreparedStatement::BindString(int index, std::string_view value) {
  if (value.find('\0') != std::string_view::npos)
    return Invalid("parameter " + std::to_string(index) + ": a string may not contain a NUL byte");
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  TSLAKE_BIND(quoted + "'");
}
Status PreparedStatement::BindTimestamp(int index, int64_t micros) {
  TSLAKE_BIND("TIMESTAMP '" + tsl::FormatTimestamp(micros) + "'");
}

#undef TSLAKE_BIND

void PreparedStatement::ClearBindings() {
  if (impl_) std::fill(impl_->literals.begin(), impl_->literals.end(), std::string());
}

Result PreparedStatement::Execute() {
  Result out;
  if (!ok()) {
    out.impl_ = Result::Impl::FromError(status());
    return out;
  }
  std::string sql = impl_->pieces[0];
  for (size_t i = 0; i < impl_->slots.size(); ++i) {
    const std::string& literal = impl_->literals[static_cast<size_t>(impl_->slots[i])];
    if (literal.empty()) {
      out.impl_ = Result::Impl::FromError(
          Invalid("parameter $" + std::to_string(impl_->slots[i] + 1) + " has no value bound"));
      return out;
    }
    // Spaces keep a literal from fusing with a neighbouring token.
    sql += " " + literal + " " + impl_->pieces[i + 1];
  }
  return impl_->connection->Query(sql);
}

}  // namespace tslake
