/*
 * benchwrap.c: run one program and write what it cost (make bench).
 *
 *   benchwrap OUT.txt PROGRAM [ARG...]
 *
 * Forks PROGRAM, waits for it with wait4() and appends one line to OUT.txt:
 *   prog=NAME rc=N user_us=N sys_us=N maxrss_kb=N wall_us=N start_epoch_us=N
 * and writes the child's PID to OUT.txt.pid while it runs.
 * maxrss_kb is ru_maxrss of the child alone (the kernel's VmHWM at exit);
 * user/sys are the child's own CPU times.  The ATP runner stops a device with
 * SIGTERM to its whole process group: the wrapper ignores SIGTERM/SIGINT/SIGHUP
 * (the child, in the same group, gets them itself), so it survives to reap the
 * child and write the line.  PROGRAM's exit status becomes the wrapper's.
 * Knows nothing of the project; no timing assertion anywhere.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static long long tv_us(const struct timeval *tv)
{
	return (long long)tv->tv_sec * 1000000LL + tv->tv_usec;
}

int main(int argc, char **argv)
{
	char pidpath[4096];
	struct rusage ru;
	long long t0, w0;
	int status = 0, rc;
	const char *name;
	pid_t pid;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: benchwrap OUT.txt PROGRAM [ARG...]\n");
		return 2;
	}
	w0 = now_us(CLOCK_REALTIME);
	t0 = now_us(CLOCK_MONOTONIC);
	pid = fork();
	if (pid < 0) {
		perror("benchwrap: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "benchwrap: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	snprintf(pidpath, sizeof(pidpath), "%s.pid", argv[1]);
	f = fopen(pidpath, "w");      /* for a probe that reads /proc/PID/status while it runs */
	if (f) {
		fprintf(f, "%ld\n", (long)pid);
		fclose(f);
	}
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("benchwrap: wait4");
			return 2;
		}
	}
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	name = strrchr(argv[2], '/');
	name = name ? name + 1 : argv[2];
	f = fopen(argv[1], "a");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	fprintf(f, "prog=%s rc=%d user_us=%lld sys_us=%lld maxrss_kb=%ld wall_us=%lld start_epoch_us=%lld\n",
		name, rc, tv_us(&ru.ru_utime), tv_us(&ru.ru_stime), ru.ru_maxrss,
		now_us(CLOCK_MONOTONIC) - t0, w0);
	fclose(f);
	return rc;
}
