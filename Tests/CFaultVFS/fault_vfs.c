// The fault-injecting VFS of the reliability tests: a thin layer over SQLite's default VFS
// that counts the reads, writes, syncs and locks of the files under one watched directory and
// fails the Nth of them, as SQLite's own test harness does. It is C because a VFS is a table
// of C function pointers that SQLite calls from inside its pager; Swift closures cannot be
// those pointers without a C shim of this size anyway.
//
// Files outside the watched directory (every other test's) are opened by the real VFS in
// place, at the start of the buffer SQLite hands over, so that their method table is the real
// one and nothing of this file runs for them. Watched files get a wrapper whose methods are
// version 2 (no xFetch), so that SQLite reads them through xRead instead of a memory map and
// every read can fail.

#include "CFaultVFS.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <string.h>

typedef struct FaultFile {
    sqlite3_file base;
    sqlite3_file *real;
} FaultFile;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static char watched[1024];

static atomic_int armed_mask;
static atomic_long armed_nth;
static atomic_int armed_persistent;
static atomic_int armed_write_rc;
static atomic_long counted;
static atomic_long fired;

/// Whether this operation of `kind` fails; counts it when armed for it.
static int should_fail(int kind) {
    if (!(atomic_load(&armed_mask) & kind)) return 0;
    long n = atomic_fetch_add(&counted, 1) + 1;
    long nth = atomic_load(&armed_nth);
    if (nth > 0 && (n == nth || (atomic_load(&armed_persistent) && n > nth))) {
        atomic_fetch_add(&fired, 1);
        return 1;
    }
    return 0;
}

static sqlite3_file *real_of(sqlite3_file *f) { return ((FaultFile *)f)->real; }

static int f_close(sqlite3_file *f) {
    sqlite3_file *r = real_of(f);
    int rc = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
    f->pMethods = 0;
    return rc;
}

static int f_read(sqlite3_file *f, void *buf, int amount, sqlite3_int64 offset) {
    if (should_fail(LOCUS_FAULT_READ)) return SQLITE_IOERR_READ;
    sqlite3_file *r = real_of(f);
    return r->pMethods->xRead(r, buf, amount, offset);
}

static int f_write(sqlite3_file *f, const void *buf, int amount, sqlite3_int64 offset) {
    if (should_fail(LOCUS_FAULT_WRITE)) return atomic_load(&armed_write_rc);
    sqlite3_file *r = real_of(f);
    return r->pMethods->xWrite(r, buf, amount, offset);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size) {
    if (should_fail(LOCUS_FAULT_WRITE)) return SQLITE_IOERR_TRUNCATE;
    sqlite3_file *r = real_of(f);
    return r->pMethods->xTruncate(r, size);
}

static int f_sync(sqlite3_file *f, int flags) {
    if (should_fail(LOCUS_FAULT_SYNC)) return SQLITE_IOERR_FSYNC;
    sqlite3_file *r = real_of(f);
    return r->pMethods->xSync(r, flags);
}

static int f_file_size(sqlite3_file *f, sqlite3_int64 *size) {
    sqlite3_file *r = real_of(f);
    return r->pMethods->xFileSize(r, size);
}

static int f_lock(sqlite3_file *f, int level) {
    // A WAL database keeps its shared lock while open, so most locks a transaction takes
    // are the shared-memory ones below.
    if (should_fail(LOCUS_FAULT_LOCK)) return SQLITE_IOERR_LOCK;
    sqlite3_file *r = real_of(f);
    return r->pMethods->xLock(r, level);
}

static int f_unlock(sqlite3_file *f, int level) {
    sqlite3_file *r = real_of(f);
    return r->pMethods->xUnlock(r, level);
}

static int f_check_reserved_lock(sqlite3_file *f, int *out) {
    sqlite3_file *r = real_of(f);
    return r->pMethods->xCheckReservedLock(r, out);
}

static int f_file_control(sqlite3_file *f, int op, void *arg) {
    sqlite3_file *r = real_of(f);
    return r->pMethods->xFileControl(r, op, arg);
}

static int f_sector_size(sqlite3_file *f) {
    sqlite3_file *r = real_of(f);
    return r->pMethods->xSectorSize(r);
}

static int f_device_characteristics(sqlite3_file *f) {
    sqlite3_file *r = real_of(f);
    return r->pMethods->xDeviceCharacteristics(r);
}

static int f_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out) {
    sqlite3_file *r = real_of(f);
    return r->pMethods->xShmMap(r, page, size, extend, out);
}

static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags) {
    // Only taking a lock fails: SQLite cannot handle a failure to release one.
    if ((flags & SQLITE_SHM_LOCK) && should_fail(LOCUS_FAULT_LOCK)) return SQLITE_IOERR_SHMLOCK;
    sqlite3_file *r = real_of(f);
    return r->pMethods->xShmLock(r, offset, n, flags);
}

static void f_shm_barrier(sqlite3_file *f) {
    sqlite3_file *r = real_of(f);
    r->pMethods->xShmBarrier(r);
}

static int f_shm_unmap(sqlite3_file *f, int delete_flag) {
    sqlite3_file *r = real_of(f);
    return r->pMethods->xShmUnmap(r, delete_flag);
}

static const sqlite3_io_methods fault_methods = {
    2, f_close, f_read, f_write, f_truncate, f_sync, f_file_size, f_lock, f_unlock, f_check_reserved_lock,
    f_file_control, f_sector_size, f_device_characteristics, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap,
    0, 0,
};

static int is_watched(const char *name) {
    if (!name) return 0;
    pthread_mutex_lock(&watch_lock);
    size_t n = strlen(watched);
    int yes = n > 0 && strncmp(name, watched, n) == 0;
    pthread_mutex_unlock(&watch_lock);
    return yes;
}

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags) {
    (void)vfs;
    if (!is_watched(name)) return real_vfs->xOpen(real_vfs, name, f, flags, out_flags);
    FaultFile *ff = (FaultFile *)f;
    ff->real = (sqlite3_file *)(ff + 1);
    ff->real->pMethods = 0;
    int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (ff->real->pMethods) ff->real->pMethods->xClose(ff->real);
        f->pMethods = 0;
        return rc;
    }
    f->pMethods = &fault_methods;
    return SQLITE_OK;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir) {
    (void)vfs;
    return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int v_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out) {
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *v_dl_open(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return real_vfs->xDlOpen(real_vfs, name);
}

static void v_dl_error(sqlite3_vfs *vfs, int n, char *out) {
    (void)vfs;
    real_vfs->xDlError(real_vfs, n, out);
}

static void (*v_dl_sym(sqlite3_vfs *vfs, void *handle, const char *name))(void) {
    (void)vfs;
    return real_vfs->xDlSym(real_vfs, handle, name);
}

static void v_dl_close(sqlite3_vfs *vfs, void *handle) {
    (void)vfs;
    real_vfs->xDlClose(real_vfs, handle);
}

static int v_randomness(sqlite3_vfs *vfs, int n, char *out) {
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int microseconds) {
    (void)vfs;
    return real_vfs->xSleep(real_vfs, microseconds);
}

static int v_current_time(sqlite3_vfs *vfs, double *out) {
    (void)vfs;
    return real_vfs->xCurrentTime(real_vfs, out);
}

static int v_get_last_error(sqlite3_vfs *vfs, int n, char *out) {
    (void)vfs;
    return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, n, out) : 0;
}

static int v_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out) {
    (void)vfs;
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

int locus_fault_install(void) {
    static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&install_lock);
    int rc = SQLITE_OK;
    if (!real_vfs) {
        sqlite3_vfs *base = sqlite3_vfs_find(0);
        if (!base) {
            rc = SQLITE_ERROR;
        } else {
            fault_vfs.iVersion = 2;
            fault_vfs.szOsFile = (int)sizeof(FaultFile) + base->szOsFile;
            fault_vfs.mxPathname = base->mxPathname;
            fault_vfs.zName = "locus-fault";
            fault_vfs.xOpen = v_open;
            fault_vfs.xDelete = v_delete;
            fault_vfs.xAccess = v_access;
            fault_vfs.xFullPathname = v_full_pathname;
            fault_vfs.xDlOpen = v_dl_open;
            fault_vfs.xDlError = v_dl_error;
            fault_vfs.xDlSym = v_dl_sym;
            fault_vfs.xDlClose = v_dl_close;
            fault_vfs.xRandomness = v_randomness;
            fault_vfs.xSleep = v_sleep;
            fault_vfs.xCurrentTime = v_current_time;
            fault_vfs.xGetLastError = v_get_last_error;
            fault_vfs.xCurrentTimeInt64 = v_current_time_int64;
            real_vfs = base;
            rc = sqlite3_vfs_register(&fault_vfs, 1);
        }
    }
    pthread_mutex_unlock(&install_lock);
    return rc;
}

void locus_fault_watch(const char *prefix) {
    pthread_mutex_lock(&watch_lock);
    strncpy(watched, prefix ? prefix : "", sizeof(watched) - 1);
    watched[sizeof(watched) - 1] = 0;
    pthread_mutex_unlock(&watch_lock);
}

void locus_fault_arm(int mask, long nth, int persistent, int write_rc) {
    atomic_store(&armed_mask, 0);
    atomic_store(&counted, 0);
    atomic_store(&fired, 0);
    atomic_store(&armed_nth, nth);
    atomic_store(&armed_persistent, persistent);
    atomic_store(&armed_write_rc, write_rc);
    atomic_store(&armed_mask, mask);
}

void locus_fault_disarm(void) { atomic_store(&armed_mask, 0); }

long locus_fault_count(void) { return atomic_load(&counted); }

long locus_fault_fired(void) { return atomic_load(&fired); }
