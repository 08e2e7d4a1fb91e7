#define _GNU_SOURCE
#include "CPlatform.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <sched.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

int pl_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC) == 0 ? 0 : errno;
}

int pl_set_pipe_size(int fd, int bytes) {
    int r = fcntl(fd, F_SETPIPE_SZ, bytes);
    return r < 0 ? -errno : r;
}

int pl_get_pipe_size(int fd) {
    int r = fcntl(fd, F_GETPIPE_SZ);
    return r < 0 ? -errno : r;
}

int pl_accept_cloexec(int listener) {
    int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int pl_memfd_create(const char *name) {
    int fd = memfd_create(name, MFD_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

uint64_t pl_thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t pl_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int pl_set_heap_policy(size_t mmap_threshold, size_t top_pad) {
    int threshold = mallopt(M_MMAP_THRESHOLD, (int)(mmap_threshold > 0x7fffffff ? 0x7fffffff : mmap_threshold));
    int pad = mallopt(M_TOP_PAD, (int)(top_pad > 0x7fffffff ? 0x7fffffff : top_pad));
    return threshold == 1 && pad == 1 ? 0 : -1;
}

int pl_set_heap_limits(size_t mmap_threshold, size_t trim_threshold) {
    int threshold = mallopt(M_MMAP_THRESHOLD, (int)(mmap_threshold > 0x7fffffff ? 0x7fffffff : mmap_threshold));
    int trim = mallopt(M_TRIM_THRESHOLD, (int)(trim_threshold > 0x7fffffff ? 0x7fffffff : trim_threshold));
    return threshold == 1 && trim == 1 ? 0 : -1;
}

int pl_madvise_hugepage(void *addr, size_t bytes) {
#ifdef MADV_HUGEPAGE
    return madvise(addr, bytes, MADV_HUGEPAGE) == 0 ? 0 : errno;
#else
    (void)addr; (void)bytes;
    return EINVAL;
#endif
}

void *pl_aligned_alloc(size_t alignment, size_t bytes) {
    void *pointer = NULL;
    return posix_memalign(&pointer, alignment, bytes == 0 ? 1 : bytes) == 0 ? pointer : NULL;
}

void pl_free(void *pointer) {
    free(pointer);
}

int pl_set_parent_death_signal(int sig) {
    return prctl(PR_SET_PDEATHSIG, sig) == 0 ? 0 : errno;
}

int pl_spawn(const char *path, char *const argv[], char *const envp[],
             const int *source_fds, const int *target_fds, int count, pid_t *pid_out) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0) return rc;
    rc = posix_spawnattr_init(&attr);
    if (rc != 0) { posix_spawn_file_actions_destroy(&actions); return rc; }

    for (int i = 0; i < count && rc == 0; i++) {
        if (source_fds[i] == target_fds[i]) {
            // dup2 onto itself would keep FD_CLOEXEC; go through a spare number instead.
            rc = posix_spawn_file_actions_adddup2(&actions, source_fds[i], 1000 + i);
            if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, 1000 + i, target_fds[i]);
            if (rc == 0) rc = posix_spawn_file_actions_addclose(&actions, 1000 + i);
        } else {
            rc = posix_spawn_file_actions_adddup2(&actions, source_fds[i], target_fds[i]);
        }
    }
    sigset_t defaults, empty;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigemptyset(&empty);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr, &defaults);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&attr, &empty);
    if (rc == 0) rc = posix_spawnattr_setpgroup(&attr, 0);
    if (rc == 0) rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
    if (rc == 0) rc = posix_spawn(pid_out, path, &actions, &attr, argv, envp);

    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    return rc;
}

int pl_wait4(pid_t pid, int options, int *status_out, long *max_rss_kib,
             uint64_t *user_ns, uint64_t *system_ns) {
    struct rusage usage;
    int status = 0;
    pid_t r;
    do {
        r = wait4(pid, &status, options, &usage);
    } while (r < 0 && errno == EINTR);
    if (r < 0) return -errno;
    if (r == 0) return 0;
    if (status_out) *status_out = status;
    if (max_rss_kib) *max_rss_kib = usage.ru_maxrss;
    if (user_ns) *user_ns = (uint64_t)usage.ru_utime.tv_sec * 1000000000ull + (uint64_t)usage.ru_utime.tv_usec * 1000ull;
    if (system_ns) *system_ns = (uint64_t)usage.ru_stime.tv_sec * 1000000000ull + (uint64_t)usage.ru_stime.tv_usec * 1000ull;
    return r;
}

int pl_wait_status(int status, int *value) {
    if (WIFEXITED(status)) { *value = WEXITSTATUS(status); return 1; }
    if (WIFSIGNALED(status)) { *value = WTERMSIG(status); return 2; }
    return 0;
}

long pl_filesystem_type(const char *path) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -errno;
    return (long)info.f_type;
}

int pl_pin_thread_to_allowed_cpu(int index) {
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) return -1;
    int count = CPU_COUNT(&allowed);
    if (count <= 0) { errno = EINVAL; return -1; }
    int wanted = index % count;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &allowed)) continue;
        if (wanted-- == 0) {
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            return sched_setaffinity(0, sizeof(one), &one) == 0 ? cpu : -1;
        }
    }
    errno = EINVAL;
    return -1;
}

int pl_get_affinity(pid_t pid, void *mask, size_t bytes) {
    return sched_getaffinity(pid, bytes, (cpu_set_t *)mask) == 0 ? 0 : errno;
}

int pl_set_affinity(pid_t pid, const void *mask, size_t bytes) {
    return sched_setaffinity(pid, bytes, (const cpu_set_t *)mask) == 0 ? 0 : errno;
}

/* Stop signals (SIGINT, SIGTERM, SIGHUP): the handler only records the signal and writes one byte to a
   self-pipe, so handling them creates nothing (no thread, no allocation) and works under any process limit. */
static _Atomic int stop_count = 0;
static _Atomic int stop_first = 0;
static _Atomic unsigned long long stop_at_ns = 0;
static _Atomic int stop_pipe_write = -1;
static _Atomic int stop_exit_on_second = 1;

static void pl_stop_handler(int sig) {
    int saved = errno;
    int expected = 0;
    if (atomic_compare_exchange_strong(&stop_first, &expected, sig)) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        atomic_store(&stop_at_ns, (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec);
    }
    int count = atomic_fetch_add(&stop_count, 1) + 1;
    int fd = atomic_load(&stop_pipe_write);
    if (fd >= 0) {
        char byte = (char)sig;
        ssize_t ignored = write(fd, &byte, 1);
        (void)ignored;
    } else if (count >= 2 && atomic_load(&stop_exit_on_second)) {
        /* Nobody reads the self-pipe: give up at once, as a second Ctrl-C asks. */
        static const char message[] = "payloadlab: stopped at once (second signal); unsaved points are lost.\n";
        ssize_t ignored = write(2, message, sizeof message - 1);
        (void)ignored;
        _exit(130);
    }
    errno = saved;
}

int pl_stop_signals_install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = pl_stop_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    int signals[] = {SIGINT, SIGTERM, SIGHUP};
    sigset_t unblock;
    sigemptyset(&unblock);
    for (int i = 0; i < 3; i++) {
        struct sigaction previous;
        if (sigaction(signals[i], NULL, &previous) != 0) return errno;
        /* Under nohup a closed terminal is meant to be survived. */
        if (signals[i] == SIGHUP && previous.sa_handler == SIG_IGN) continue;
        if (sigaction(signals[i], &action, NULL) != 0) return errno;
        sigaddset(&unblock, signals[i]);
    }
    /* A parent may have left them blocked (a test runner, a service manager): a stop must still arrive. Threads
       started afterwards inherit this mask. */
    return pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
}

int pl_stop_signals_uninstall(void) {
    int signals[] = {SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < 3; i++) signal(signals[i], SIG_DFL);
    return 0;
}

int pl_stop_pipe_open(void) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return -errno;
    int flags = fcntl(fds[1], F_GETFL);
    fcntl(fds[1], F_SETFL, flags | O_NONBLOCK);
    atomic_store(&stop_pipe_write, fds[1]);
    return fds[0];
}

int pl_stop_count(void) { return atomic_load(&stop_count); }

int pl_stop_first_signal(void) { return atomic_load(&stop_first); }

uint64_t pl_stop_at_ns(void) { return atomic_load(&stop_at_ns); }

void pl_stop_reset(void) {
    atomic_store(&stop_count, 0);
    atomic_store(&stop_first, 0);
    atomic_store(&stop_at_ns, 0);
}

int pl_thread_start(void *(*body)(void *), void *argument, size_t stack_bytes) {
    pthread_attr_t attributes;
    int rc = pthread_attr_init(&attributes);
    if (rc != 0) return rc;
    if (stack_bytes > 0) pthread_attr_setstacksize(&attributes, stack_bytes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    rc = pthread_create(&thread, &attributes, body, argument);
    pthread_attr_destroy(&attributes);
    return rc;
}

void pl_stop_pipe_close(void) {
    int fd = atomic_exchange(&stop_pipe_write, -1);
    if (fd >= 0) close(fd);
}
