/* sqlite_schema.h - SQLite schema migrations, applied in order at open.
 * PRAGMA user_version holds the number of migrations applied.
 *
 * Adding a migration: append a new string to the table in sqlite_schema.c
 * (never edit a released one), bump nothing else - the count is the version;
 * add a fixture/test if it transforms existing data. */
#ifndef GAZETTE_STORE_SQLITE_SCHEMA_H
#define GAZETTE_STORE_SQLITE_SCHEMA_H

#include <stddef.h>

extern const char *const sqlite_migrations[];
extern const size_t sqlite_nmigrations;

#endif
