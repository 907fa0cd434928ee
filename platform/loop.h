/*
 * loop.h: the single-threaded event loop: fd watches and timers.
 *
 * Timers are embedded in their owner's struct (no allocation, no lookup by
 * key) and fire in deadline order; timers with equal deadlines fire in the
 * order they were armed.  A callback may arm, re-arm or cancel any timer,
 * including its own, and may watch or unwatch any fd.  Time comes from
 * clock_mono_ms(), so unit tests drive the loop with the fake clock and
 * loop_run_expired(); the fake sockets have no fds to poll, so tests call
 * loop_fd_dispatch() after injecting a packet.  One loop per thread; the
 * struct is opaque.
 */
#ifndef PLATFORM_LOOP_H
#define PLATFORM_LOOP_H

#include <stdint.h>

struct loop;
typedef void loop_timer_fn(void *arg);
typedef void loop_fd_fn(void *arg, int fd, unsigned events);

struct loop_timer {
	loop_timer_fn *cb;
	void *arg;
	uint64_t deadline_ms;
	uint64_t seq;                 /* arm order, for ties */
	struct loop_timer *next;      /* in the loop's sorted list */
	int armed;
};

enum { LOOP_IN = 1, LOOP_OUT = 2, LOOP_ERR = 4 };

struct loop *loop_new(void);
void loop_free(struct loop *l);

void loop_timer_init(struct loop_timer *t, loop_timer_fn *cb, void *arg);
/* (Re-)arm t to fire delay_ms from now. */
void loop_timer_arm(struct loop *l, struct loop_timer *t, uint32_t delay_ms);
void loop_timer_cancel(struct loop *l, struct loop_timer *t);
static inline int loop_timer_armed(const struct loop_timer *t) { return t->armed; }
/* Milliseconds until the next timer, or -1 when none is armed. */
int64_t loop_next_timeout(const struct loop *l);
unsigned loop_timer_count(const struct loop *l);

/* Watch fd for events (LOOP_IN/LOOP_OUT); replaces an earlier watch of fd. */
int loop_watch_fd(struct loop *l, int fd, unsigned events, loop_fd_fn *cb, void *arg);
void loop_unwatch_fd(struct loop *l, int fd);
unsigned loop_fd_count(const struct loop *l);
/* Call fd's callback as if poll() reported events (tests, fake sockets). */
int loop_fd_dispatch(struct loop *l, int fd, unsigned events);

/* Fire every timer that is due now (armed before this call). Returns count. */
unsigned loop_run_expired(struct loop *l);
/* Wait up to max_wait_ms (-1: until the next timer) for fds, then dispatch
 * fds and due timers once.  Returns E_IO if poll() fails. */
int loop_run_once(struct loop *l, int max_wait_ms);
/* loop_run_once() until loop_stop(); returns 0, or E_IO. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

/* Deliver SIGINT/SIGTERM/SIGHUP as callbacks (signalfd); others untouched. */
int loop_on_signal(struct loop *l, int signo, loop_timer_fn *cb, void *arg);

#endif
