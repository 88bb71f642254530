// The smallest C++ program on an installed tslake: an in-memory database,
// an Appender, a prepared query. Exit status 0 when the answer is right.
#include <tslake/tslake.hpp>

#include <iostream>

int main() {
  std::string error;
  auto db = tslake::Database::Open(":memory:", {}, &error);
  if (!db) {
    std::cerr << error << "\n";
    return 1;
  }
  tslake::Connection con(*db);
  if (!con.Query("CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE)").ok()) return 1;
  auto app = tslake::Appender::Open(*db, "m");
  for (int i = 0; i < 10; ++i) {
    app->AppendTimestamp(1704067200000000 + i * 1000000);
    app->AppendString(i % 2 ? "odd" : "even");
    app->AppendDouble(i);
    if (!app->EndRow().ok()) return 1;
  }
  if (!app->Close().ok()) return 1;
  tslake::PreparedStatement sum = con.Prepare("SELECT sum(value) FROM m WHERE tag = $1");
  sum.BindString(1, "odd");
  tslake::Result r = sum.Execute();
  if (!r.ok()) {
    std::cerr << r.error_message() << "\n";
    return 1;
  }
  std::cout << "consumer: sum of odd values = " << r.GetString(0, 0) << " (tslake " << tslake::Database::Version()
            << ")\n";
  return r.GetDouble(0, 0) == 25 ? 0 : 1;
}
