// System SQLite, reached through pkg-config `sqlite3` (Debian: libsqlite3-dev).
#include <sqlite3.h>
