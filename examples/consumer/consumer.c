/* The smallest C program on an installed tslake (linked through the CMake
** package): query an in-memory database. Exit status 0 when right. */
#include <stdio.h>

#include <tslake/tslake.h>

int main(void) {
  tslake_database *db = NULL;
  tslake_connection *con = NULL;
  tslake_result *res = NULL;
  int ok;
  if (tslake_open(NULL, NULL, &db, NULL) != TSLAKE_OK || tslake_connect(db, &con) != TSLAKE_OK) return 1;
  ok = tslake_query(con, "SELECT 6 * 7 AS answer", &res) == TSLAKE_OK && tslake_value_int64(res, 0, 0) == 42;
  printf("consumer_c: %s = %s\n", tslake_column_name(res, 0), tslake_value_text(res, 0, 0));
  tslake_result_destroy(res);
  tslake_disconnect(con);
  tslake_close(db);
  return ok ? 0 : 1;
}
