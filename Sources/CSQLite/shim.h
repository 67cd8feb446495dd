// System SQLite, reached through pkg-config `sqlite3` (Debian: libsqlite3-dev).
#include <sqlite3.h>

// sqlite3_db_config is variadic, which Swift cannot call: one wrapper per setting used.
static inline int locus_sqlite3_keep_wal_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}
