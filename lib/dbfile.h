/*
 * dbfile — the database as a file: what SQLite cannot say for itself.
 *
 *   - Before SQLite sees a path: it must be a regular file (a directory
 *     makes SQLite report "disk I/O error", a FIFO makes its open hang).
 *   - The canonical path (symlinks and ".." resolved), so that two spellings
 *     of one database are recognised as one.
 *   - kigend's exclusive lock: flock(2) on "<canonical path>.lock", a file
 *     beside the database.  Not one of SQLite's locks (those are taken and
 *     dropped per transaction) and never taken by the CLI: it only says
 *     "a kigend runs on this database", for as long as that process lives
 *     (the kernel drops it when the process dies, however it dies).
 *   - Who holds the write lock right now, for a writer that has to wait.
 *
 * Functions return 0 or -1 with err set, unless documented otherwise.
 */
#ifndef KG_DBFILE_H
#define KG_DBFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/*
 * Checks what is at path before SQLite opens it.  *exists tells whether a
 * file is there.  -1 when path names a directory ("database '...' is a
 * directory"), a FIFO, socket or device ("database '...' is not a regular
 * file (a FIFO)"), or cannot be examined.  When nothing is there and
 * `dir_must_exist`, the parent directory must exist: nobody creates a
 * database's directory by accident ("database '...': directory '...'
 * does not exist").
 */
int kg_dbfile_check(const char *path, bool dir_must_exist, bool *exists,
    struct kg_err *err);

/* The canonical absolute path of a database that may not exist yet (its
 * directory must): a new string the caller frees.  NULL with err set. */
char *kg_dbfile_canonical(const char *path, struct kg_err *err);

struct kg_dblock;

/*
 * Takes kigend's lock of the database at path without waiting, and writes
 * this process's pid into the lock file.  When another process holds it:
 * -1 and "database '<canonical>' is in use by another kigend (pid N; lock
 * '<canonical>.lock')".  Nothing else is touched.  *out is released with
 * kg_dblock_release.
 */
int kg_dblock_take(const char *path, struct kg_dblock **out, struct kg_err *err);

/* Drops the lock (the file stays: removing it would race with a daemon
 * starting now).  NULL is fine. */
void kg_dblock_release(struct kg_dblock *l);

/*
 * Describes who holds the write lock of the database at path now, for a
 * message: "kigend (pid 812)", "kigen import (pid 9131)", "sqlite3 (pid 77)",
 * "pid 77", or "another connection" when it cannot be told (the lock was released in
 * between, or the holder is in another pid namespace).  Writes a C string
 * into buf.  Never fails.
 */
void kg_dbfile_writer(const char *path, char *buf, size_t size);

#endif
