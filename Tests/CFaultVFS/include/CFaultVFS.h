// A SQLite VFS for tests that fails the Nth read, write, sync or lock of the files under one
// directory, so that tests can sweep a fault point over an operation (see fault_vfs.c).
#ifndef LOCUS_FAULT_VFS_H
#define LOCUS_FAULT_VFS_H

/// The kinds of operation a fault can hit (a mask of them is armed).
enum {
    LOCUS_FAULT_READ = 1,
    LOCUS_FAULT_WRITE = 2,  // xWrite and xTruncate
    LOCUS_FAULT_SYNC = 4,
    LOCUS_FAULT_LOCK = 8,   // xLock and xShmLock: taking a file or shared-memory lock
};

/// Registers the VFS as SQLite's default, over the default there was. Idempotent; 0 on success.
int locus_fault_install(void);

/// Files whose path starts with `prefix` are watched from their next open on; other files go
/// straight to the real VFS. An empty prefix watches nothing.
void locus_fault_watch(const char *prefix);

/// Counts the operations of `mask` on watched files from zero; the `nth` of them (1-based)
/// fails, and with `persistent` every later one too. `nth` 0 only counts. Writes fail with
/// `write_rc` (SQLITE_IOERR_WRITE or SQLITE_FULL); the other kinds with their SQLITE_IOERR_*.
void locus_fault_arm(int mask, long nth, int persistent, int write_rc);

/// Stops failing and counting.
void locus_fault_disarm(void);

/// Operations of the armed mask counted since arming.
long locus_fault_count(void);

/// How many operations have failed since arming.
long locus_fault_fired(void);

#endif
