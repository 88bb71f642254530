// MaintenanceWorker: a database's background maintenance (issue 21), opt-in
// with Options::auto_maintenance or SQL `SET auto_maintenance = true`. One
// thread visits every table once per interval and, per table:
//   1. applies its retention property once every materialized view reading
//      it holds its latest version (QueryEngine::ApplyRetentionBehindViews),
//   2. compacts each partition holding at least `small_files` files under
//      the target size (Table::Optimize, re-sorted by the sort key),
//   3. writes a checkpoint of the latest version once the table is idle
//      (no commit since the last pass) and the newest checkpoint is older,
//      so an open replays no JSON version (busy tables get theirs every
//      checkpoint_interval commits anyway; one a pass would pile up
//      checkpoints for log_retention),
//   4. deletes files no version needs any more once they are older than the
//      table's deleted_file_retention (Table::Vacuum).
// Each commit carries operationParameters {"automatic": "true"} so DESCRIBE
// HISTORY tells it from a user's; tslake_maintenance() reports each table's
// last run, next run, what it did and its error.
//
// Yielding to foreground writers: OPTIMIZE is dataChange=false, so appends
// never conflict with it; when a DELETE/UPDATE commits first on a file the
// compaction rewrote, the compaction loses (kConflict), commits nothing and
// is retried next round. The writer's commit is never retried or refused
// because of the worker. CPU: after each table the thread sleeps its work
// time * (1 / cpu_share - 1), so it uses at most cpu_share of one core
// averaged over a table's work.
//
// Lifecycle: the thread starts on the first SetEnabled(true); SetEnabled
// (false) pauses it after the table in hand; Stop() (the destructor, run by
// Database's close) wakes it, waits for the table in hand to finish and
// joins it; nothing runs after Stop() returns. Never created for a
// read-only database.
// Thread-safety: every public method is safe from any thread. mu_ guards the
// flags and reports; pass_mu_ serializes passes (the thread's and RunOnce's).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "formats/mutex.h"
#include "query/execution/memory_tracker.h"
#include "query/functions/table_function.h"
#include "storage/database.h"

namespace tslake {

struct MaintenanceSettings {
  std::chrono::milliseconds interval{60000};  // between passes
  double cpu_share = 0.25;                    // of one core, (0, 1]
  int64_t small_files = 8;                    // compaction threshold per partition
  // Rows per segment a compaction writes, 0: the table's target (its
  // memory is about two segments; database.cc derives it from memory_limit).
  int64_t max_segment_rows = 0;
  // Test hook: runs inside each compaction before its commit.
  std::function<void()> TEST_before_optimize_commit;
};

// One table's row of tslake_maintenance().
struct TableMaintenanceReport {
  std::string table;
  int64_t last_run_micros = -1;  // wall clock (UTC micros); -1: never
  std::string last_action;       // what the last run did ("nothing to do")
  std::string error;             // the last run's error or lost race; "" none
  int64_t runs = 0;
  int64_t conflicts = 0;         // compactions lost to a concurrent writer
  int64_t commits = 0;           // versions the worker committed
  int64_t seen_version = -1;     // the table's latest version at the last run
};

class MaintenanceWorker {
 public:
  // `db`, `functions` and `config` must outlive the worker.
  MaintenanceWorker(tsl::Database* db, const tsl::query::TableFunctionRegistry* functions,
                    tsl::query::DatabaseConfig* config, MaintenanceSettings settings);
  ~MaintenanceWorker();  // Stop()
  MaintenanceWorker(const MaintenanceWorker&) = delete;
  MaintenanceWorker& operator=(const MaintenanceWorker&) = delete;

  // Starts (the first time: creates the thread) or pauses the passes.
  // After Stop() it does nothing.
  void SetEnabled(bool on);
  bool enabled() const;
  // Stops and joins the thread. Idempotent.
  void Stop();
  // One pass over every table on the calling thread (what the thread runs
  // each interval); waits for a pass in progress first.
  void RunOnce();

  // A row per table of the database (never-visited ones with
  // last_run_micros -1), sorted by name.
  std::vector<TableMaintenanceReport> Reports() const;
  // When the thread's next pass starts (UTC micros); -1 when paused or stopped.
  int64_t next_run_micros() const;

 private:
  void Run();
  void MaintainTable(const std::string& name, TableMaintenanceReport* report);
  // Sleeps work * (1 / cpu_share - 1), or until Stop(). False once stopped.
  bool Pace(std::chrono::steady_clock::duration work);

  tsl::Database* const db_;
  const tsl::query::TableFunctionRegistry* const functions_;
  tsl::query::DatabaseConfig* const config_;
  const MaintenanceSettings settings_;

  mutable tsl::Mutex mu_;
  tsl::CondVar cv_;
  bool stop_ GUARDED_BY(mu_) = false;
  bool enabled_ GUARDED_BY(mu_) = false;
  int64_t next_run_micros_ GUARDED_BY(mu_) = -1;
  std::map<std::string, TableMaintenanceReport> reports_ GUARDED_BY(mu_);
  std::thread thread_;  // started under mu_, joined by Stop()
  tsl::Mutex pass_mu_;  // held across one pass
};

// Registers tslake_maintenance() on `registry`: one row per table of
// `worker`'s database (table, enabled, last_run, next_run, last_action,
// error, runs, conflicts, commits). `worker` may be null (a read-only
// database): the rows then say maintenance is off.
void RegisterMaintenanceFunction(tsl::query::TableFunctionRegistry* registry, tsl::Database* db,
                                 const MaintenanceWorker* worker);

}  // namespace tslake
