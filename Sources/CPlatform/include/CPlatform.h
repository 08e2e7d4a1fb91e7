#ifndef CPLATFORM_H
#define CPLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// Creates a pipe whose both ends are close-on-exec. Returns 0 or an errno value.
int pl_pipe_cloexec(int fds[2]);

/// Sets a pipe's buffer size (F_SETPIPE_SZ). Returns the new size, or -errno.
int pl_set_pipe_size(int fd, int bytes);

/// Reads a pipe's buffer size (F_GETPIPE_SZ). Returns the size, or -errno.
int pl_get_pipe_size(int fd);

/// accept4 with SOCK_CLOEXEC, so an accepted connection never leaks into a child spawned meanwhile (accept4 needs
/// _GNU_SOURCE). Returns a descriptor, or -errno (EINTR included: the caller retries).
int pl_accept_cloexec(int listener);

/// memfd_create with MFD_CLOEXEC. Returns a descriptor, or -errno.
int pl_memfd_create(const char *name);

/// CPU time of the calling thread in nanoseconds (CLOCK_THREAD_CPUTIME_ID).
uint64_t pl_thread_cpu_ns(void);

/// CLOCK_MONOTONIC in nanoseconds; shared by every process on the machine.
uint64_t pl_monotonic_ns(void);

/// Fixes glibc's heap policy for a process serving a steady stream of large tasks: allocations below
/// `mmap_threshold` come from the heap, which keeps `top_pad` bytes free at its top for reuse instead of
/// returning them to the kernel (mallopt M_MMAP_THRESHOLD and M_TOP_PAD, which also stop glibc from
/// adapting the threshold). Returns 0, or -1 when glibc refused a value.
int pl_set_heap_policy(size_t mmap_threshold, size_t top_pad);

/// Fixes glibc's heap so that allocations of at least `mmap_threshold` are always fresh mappings and the heap's
/// free top is returned to the kernel once it exceeds `trim_threshold` (mallopt M_MMAP_THRESHOLD and
/// M_TRIM_THRESHOLD, which also stop glibc from adapting either). Returns 0, or -1 when glibc refused a value.
int pl_set_heap_limits(size_t mmap_threshold, size_t trim_threshold);

/// madvise(MADV_HUGEPAGE) on [addr, addr + bytes): `addr` page-aligned. Returns 0 or an errno value (EINVAL on a
/// kernel built without transparent huge pages).
int pl_madvise_hugepage(void *addr, size_t bytes);

/// posix_memalign: `bytes` at an address that is a multiple of `alignment` (a power of two, a multiple of
/// sizeof(void *)). Release with free(). Returns NULL when the allocation failed.
void *pl_aligned_alloc(size_t alignment, size_t bytes);

/// free().
void pl_free(void *pointer);

/// Asks the kernel to send `sig` to this process when its parent dies.
int pl_set_parent_death_signal(int sig);

/// Spawns `path` with `argv` and `envp` (NULL-terminated) through posix_spawn.
/// For each i < count, `source_fds[i]` becomes `target_fds[i]` in the child; every other
/// descriptor opened close-on-exec stays closed. The child gets its own process group
/// (so a terminal's Ctrl-C reaches only the parent, which then stops its workers) and the
/// default action for SIGPIPE, SIGINT and SIGTERM. Returns 0 or an errno value.
int pl_spawn(const char *path, char *const argv[], char *const envp[],
             const int *source_fds, const int *target_fds, int count, pid_t *pid_out);

/// wait4 for `pid` that also returns peak RSS (KiB) and user/system CPU (ns).
/// `options` as for waitpid (0 or WNOHANG). Returns the pid, 0 (WNOHANG, still running) or -errno.
int pl_wait4(pid_t pid, int options, int *status_out, long *max_rss_kib,
             uint64_t *user_ns, uint64_t *system_ns);

/// The filesystem type magic (statfs f_type) of `path`, or -errno.
long pl_filesystem_type(const char *path);

/// Decodes a wait status: 1 if exited (code in *value), 2 if killed by a signal (in *value), 0 otherwise.
int pl_wait_status(int status, int *value);

/// Pins the calling thread to the `index`-th CPU (modulo their count) of those the process may run on.
/// Returns the CPU number, or -1 with errno set.
int pl_pin_thread_to_allowed_cpu(int index);

/// sched_getaffinity of thread or process `pid` (0: the calling thread) into a `bytes`-long cpu_set_t mask.
/// Returns 0 or an errno value.
int pl_get_affinity(pid_t pid, void *mask, size_t bytes);

/// sched_setaffinity of thread or process `pid` (0: the calling thread) from a `bytes`-long mask.
/// Returns 0 or an errno value.
int pl_set_affinity(pid_t pid, const void *mask, size_t bytes);

/// Installs the stop-signal handlers for SIGINT, SIGTERM and SIGHUP (sigaction, SA_RESTART). The handler records
/// the first signal and when it came, counts signals, and writes the signal number as one byte to the self-pipe
/// if one is open; with none open, a second signal exits at once with status 130. SIGHUP is left alone when it is
/// ignored (nohup). The three signals are unblocked in the calling thread. Returns 0 or an errno value.
int pl_stop_signals_install(void);

/// Restores the default action of SIGINT, SIGTERM and SIGHUP.
int pl_stop_signals_uninstall(void);

/// Opens the self-pipe the handler writes to; returns its read end (blocking, close-on-exec), or -errno.
int pl_stop_pipe_open(void);

/// Closes the self-pipe's write end; the handler then exits on a second signal by itself.
void pl_stop_pipe_close(void);

/// How many stop signals arrived since installation (or the last reset).
int pl_stop_count(void);

/// The first stop signal received, or 0.
int pl_stop_first_signal(void);

/// CLOCK_MONOTONIC (ns) when the first stop signal arrived, or 0.
uint64_t pl_stop_at_ns(void);

/// Forgets received stop signals (tests).
void pl_stop_reset(void);

/// Starts a detached thread running `body(argument)` with `stack_bytes` of stack (0: the default).
/// Returns 0 or the pthread_create error number (EAGAIN under a process limit).
int pl_thread_start(void *(*body)(void *), void *argument, size_t stack_bytes);

#endif
