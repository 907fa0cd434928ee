/*
 * loop.c: the event loop of loop.h (poll(2) and a sorted timer list).
 *
 * A sorted singly linked list is enough: a device has a handful of timers
 * (one per protocol exchange), and arming is O(n) with n < 20.
 */
#include "platform/loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"

struct loop_watch {
	int fd;
	unsigned events;
	loop_fd_fn *cb;
	void *arg;
};

struct loop_sig {
	int signo;
	loop_timer_fn *cb;
	void *arg;
};

#define LOOP_MAX_SIGS 8

struct loop {
	struct loop_timer *timers;  /* sorted by (deadline, seq) */
	uint64_t seq;
	struct loop_watch *watches;
	unsigned nwatch, capwatch;
	int stop;
	int sigfd;
	sigset_t sigmask;
	struct loop_sig sigs[LOOP_MAX_SIGS];
	unsigned nsig;
};

struct loop *loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->sigfd = -1;
	sigemptyset(&l->sigmask);
	return l;
}

void loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	if (l->sigfd >= 0) {
		close(l->sigfd);
		sigprocmask(SIG_UNBLOCK, &l->sigmask, NULL);
	}
	free(l->watches);
	free(l);
}

void loop_timer_init(struct loop_timer *t, loop_timer_fn *cb, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->cb = cb;
	t->arg = arg;
}

static int timer_before(const struct loop_timer *a, const struct loop_timer *b)
{
	if (a->deadline_ms != b->deadline_ms)
		return a->deadline_ms < b->deadline_ms;
	return a->seq < b->seq;
}

void loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
	struct loop_timer **pp;

	if (!t->armed)
		return;
	for (pp = &l->timers; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->next = NULL;
	t->armed = 0;
}

void loop_timer_arm(struct loop *l, struct loop_timer *t, uint32_t delay_ms)
{
	struct loop_timer **pp;

	loop_timer_cancel(l, t);
	t->deadline_ms = clock_mono_ms() + delay_ms;
	t->seq = ++l->seq;
	for (pp = &l->timers; *pp != NULL && !timer_before(t, *pp); pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	t->armed = 1;
}

int64_t loop_next_timeout(const struct loop *l)
{
	uint64_t now;

	if (l->timers == NULL)
		return -1;
	now = clock_mono_ms();
	return l->timers->deadline_ms <= now ? 0 : (int64_t)(l->timers->deadline_ms - now);
}

unsigned loop_timer_count(const struct loop *l)
{
	const struct loop_timer *t;
	unsigned n = 0;

	for (t = l->timers; t != NULL; t = t->next)
		n++;
	return n;
}

unsigned loop_run_expired(struct loop *l)
{
	uint64_t now = clock_mono_ms();
	uint64_t last_seq = l->seq;   /* timers armed by callbacks wait a round */
	unsigned fired = 0;
	struct loop_timer *t;

	while ((t = l->timers) != NULL && t->deadline_ms <= now && t->seq <= last_seq) {
		l->timers = t->next;
		t->next = NULL;
		t->armed = 0;
		fired++;
		t->cb(t->arg);
	}
	return fired;
}

static struct loop_watch *loop_find_watch(struct loop *l, int fd)
{
	unsigned i;

	for (i = 0; i < l->nwatch; i++)
		if (l->watches[i].fd == fd)
			return &l->watches[i];
	return NULL;
}

int loop_watch_fd(struct loop *l, int fd, unsigned events, loop_fd_fn *cb, void *arg)
{
	struct loop_watch *w = loop_find_watch(l, fd);

	if (fd < 0 || cb == NULL)
		return E_INVAL;
	if (w == NULL) {
		if (l->nwatch == l->capwatch) {
			unsigned ncap = l->capwatch ? 2 * l->capwatch : 8;
			struct loop_watch *nw = realloc(l->watches, ncap * sizeof(*nw));

			if (nw == NULL)
				return E_NOMEM;
			l->watches = nw;
			l->capwatch = ncap;
		}
		w = &l->watches[l->nwatch++];
	}
	w->fd = fd;
	w->events = events;
	w->cb = cb;
	w->arg = arg;
	return 0;
}

void loop_unwatch_fd(struct loop *l, int fd)
{
	struct loop_watch *w = loop_find_watch(l, fd);

	if (w == NULL)
		return;
	*w = l->watches[--l->nwatch];
}

unsigned loop_fd_count(const struct loop *l)
{
	return l->nwatch;
}

int loop_fd_dispatch(struct loop *l, int fd, unsigned events)
{
	struct loop_watch *w = loop_find_watch(l, fd);

	if (w == NULL)
		return E_NOTFOUND;
	w->cb(w->arg, fd, events);
	return 0;
}

static void loop_sig_read(void *arg, int fd, unsigned events)
{
	struct loop *l = arg;
	struct signalfd_siginfo si;
	unsigned i;

	(void)events;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		for (i = 0; i < l->nsig; i++)
			if (l->sigs[i].signo == (int)si.ssi_signo)
				l->sigs[i].cb(l->sigs[i].arg);
	}
}

int loop_on_signal(struct loop *l, int signo, loop_timer_fn *cb, void *arg)
{
	int fd;

	if (l->nsig == LOOP_MAX_SIGS)
		return E_OVERFLOW;
	sigaddset(&l->sigmask, signo);
	if (sigprocmask(SIG_BLOCK, &l->sigmask, NULL) < 0)
		return E_IO;
	fd = signalfd(l->sigfd, &l->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return E_IO;
	if (l->sigfd < 0 && loop_watch_fd(l, fd, LOOP_IN, loop_sig_read, l) < 0) {
		close(fd);
		return E_NOMEM;
	}
	l->sigfd = fd;
	l->sigs[l->nsig].signo = signo;
	l->sigs[l->nsig].cb = cb;
	l->sigs[l->nsig].arg = arg;
	l->nsig++;
	return 0;
}

int loop_run_once(struct loop *l, int max_wait_ms)
{
	struct pollfd pfd[64];
	unsigned i, n = l->nwatch < 64 ? l->nwatch : 64;
	int64_t next = loop_next_timeout(l);
	int wait = max_wait_ms, rc;

	if (next >= 0 && (wait < 0 || next < wait))
		wait = next > 60000 ? 60000 : (int)next;
	for (i = 0; i < n; i++) {
		pfd[i].fd = l->watches[i].fd;
		pfd[i].events = (short)((l->watches[i].events & LOOP_IN ? POLLIN : 0) |
					(l->watches[i].events & LOOP_OUT ? POLLOUT : 0));
		pfd[i].revents = 0;
	}
	rc = poll(pfd, n, wait);
	if (rc < 0) {
		if (errno == EINTR)
			return 0;
		log_warn("poll");
		return E_IO;
	}
	/* A callback may unwatch fds: look each one up again before calling. */
	for (i = 0; i < n && rc > 0; i++) {
		unsigned ev = 0;

		if (pfd[i].revents == 0)
			continue;
		rc--;
		if (pfd[i].revents & POLLIN)
			ev |= LOOP_IN;
		if (pfd[i].revents & POLLOUT)
			ev |= LOOP_OUT;
		if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL))
			ev |= LOOP_ERR;
		(void)loop_fd_dispatch(l, pfd[i].fd, ev);
	}
	loop_run_expired(l);
	return 0;
}

int loop_run(struct loop *l)
{
	int rc = 0;

	l->stop = 0;
	while (!l->stop && rc == 0)
		rc = loop_run_once(l, -1);
	return rc;
}

void loop_stop(struct loop *l)
{
	l->stop = 1;
}
