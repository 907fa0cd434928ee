/* ipc.c: SOCK_SEQPACKET and in-memory record channels (ipc.h). */
#include "platform/ipc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "platform/err.h"
#include "platform/log.h"
#include "platform/loop.h"

/* In-memory queue entry (one record). */
struct ipc_rec {
	struct ipc_rec *next;
	size_t len;
	uint8_t data[];
};

#define IPC_MEM_QUEUE_MAX 64

struct ipc_chan {
	int fd;                      /* -1 for in-memory */
	struct ipc_chan *peer;       /* in-memory: the other end */
	struct ipc_rec *head, *tail; /* in-memory: records waiting for us */
	unsigned queued;
	int peer_closed;
	struct loop *loop;
	struct loop_timer kick;      /* in-memory delivery */
	ipc_record_fn *fn;
	void *arg;
	struct ipc_stats st;
};

static struct ipc_chan *ipc_new(int fd)
{
	struct ipc_chan *c = calloc(1, sizeof(*c));

	if (c)
		c->fd = fd;
	return c;
}

static int ipc_unix_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return E_INVAL;
	strcpy(sun->sun_path, path);
	return 0;
}

int ipc_listen(const char *path, int *listen_fd)
{
	struct sockaddr_un sun;
	int fd;

	if (ipc_unix_addr(path, &sun))
		return E_INVAL;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return E_IO;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 1) < 0) {
		close(fd);
		return E_IO;
	}
	*listen_fd = fd;
	return 0;
}

int ipc_accept(int listen_fd, struct ipc_chan **out)
{
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return errno == EAGAIN ? E_AGAIN : E_IO;
	*out = ipc_new(fd);
	if (*out == NULL) {
		close(fd);
		return E_NOMEM;
	}
	return 0;
}

int ipc_connect(const char *path, struct ipc_chan **out)
{
	struct sockaddr_un sun;
	int fd;

	if (ipc_unix_addr(path, &sun))
		return E_INVAL;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return E_IO;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		close(fd);
		return errno == ENOENT || errno == ECONNREFUSED ? E_AGAIN : E_IO;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	*out = ipc_new(fd);
	if (*out == NULL) {
		close(fd);
		return E_NOMEM;
	}
	return 0;
}

int ipc_pair(struct ipc_chan **a, struct ipc_chan **b, int mem)
{
	int sv[2] = { -1, -1 };

	if (!mem && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0)
		return E_IO;
	*a = ipc_new(sv[0]);
	*b = ipc_new(sv[1]);
	if (*a == NULL || *b == NULL) {
		ipc_close(*a);
		ipc_close(*b);
		return E_NOMEM;
	}
	if (mem) {
		(*a)->peer = *b;
		(*b)->peer = *a;
	}
	return 0;
}

void ipc_close(struct ipc_chan *c)
{
	struct ipc_rec *r;

	if (c == NULL)
		return;
	if (c->loop) {
		if (c->fd >= 0)
			loop_unwatch_fd(c->loop, c->fd);
		loop_timer_cancel(c->loop, &c->kick);
	}
	if (c->fd >= 0)
		close(c->fd);
	if (c->peer) {
		c->peer->peer = NULL;
		c->peer->peer_closed = 1;
		if (c->peer->loop)
			loop_timer_arm(c->peer->loop, &c->peer->kick, 0);
	}
	while ((r = c->head) != NULL) {
		c->head = r->next;
		free(r);
	}
	free(c);
}

/*
 * One record per dispatch: poll() is level-triggered, so the loop comes back
 * for the next one, and the callback may close the channel safely.
 */
static void ipc_sock_read(void *arg, int fd, unsigned events)
{
	struct ipc_chan *c = arg;
	uint8_t buf[IPC_RECORD_MAX + 1];
	ssize_t n;

	(void)events;
	do /* MSG_TRUNC: n is the record's real length, so oversized ones are seen */
		n = recv(fd, buf, sizeof(buf), MSG_TRUNC | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		/* peer gone (0) or broken (<0): report once, stop watching */
		loop_unwatch_fd(c->loop, fd);
		c->fn(c->arg, NULL, 0);
		return;
	}
	if ((size_t)n > IPC_RECORD_MAX) {
		c->st.dropped++;
		log_warnx("ipc: dropped a %zd-byte record (max %d)", n, IPC_RECORD_MAX);
		return;
	}
	c->st.received++;
	c->fn(c->arg, buf, (size_t)n);
}

/* In-memory twin of ipc_sock_read: one record per timer expiry. */
static void ipc_mem_kick(void *arg)
{
	struct ipc_chan *c = arg;
	struct ipc_rec *r = c->head;

	if (r == NULL) {
		if (c->peer_closed) {
			c->peer_closed = 0;
			c->fn(c->arg, NULL, 0);
		}
		return;
	}
	c->head = r->next;
	if (c->head == NULL)
		c->tail = NULL;
	c->queued--;
	c->st.received++;
	if (c->head || c->peer_closed)
		loop_timer_arm(c->loop, &c->kick, 0);
	c->fn(c->arg, r->data, r->len);   /* last: it may close c */
	free(r);
}

int ipc_attach(struct ipc_chan *c, struct loop *l, ipc_record_fn *fn, void *arg)
{
	c->loop = l;
	c->fn = fn;
	c->arg = arg;
	loop_timer_init(&c->kick, ipc_mem_kick, c);
	if (c->fd >= 0)
		return loop_watch_fd(l, c->fd, LOOP_IN, ipc_sock_read, c);
	if (c->head || c->peer_closed)
		loop_timer_arm(l, &c->kick, 0);
	return 0;
}

int ipc_send(struct ipc_chan *c, const void *rec, size_t len)
{
	struct ipc_rec *r;
	struct ipc_chan *p;
	ssize_t n;

	if (len == 0 || len > IPC_RECORD_MAX)
		return E_INVAL;
	if (c->fd >= 0) {
		do
			n = send(c->fd, rec, len, MSG_NOSIGNAL);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return errno == EAGAIN ? E_AGAIN : E_IO;
		c->st.sent++;
		return 0;
	}
	p = c->peer;
	if (p == NULL)
		return E_IO;
	if (p->queued >= IPC_MEM_QUEUE_MAX)
		return E_AGAIN;    /* the same back-pressure a full socket gives */
	r = malloc(sizeof(*r) + len);
	if (r == NULL)
		return E_NOMEM;
	r->next = NULL;
	r->len = len;
	memcpy(r->data, rec, len);
	if (p->tail)
		p->tail->next = r;
	else
		p->head = r;
	p->tail = r;
	p->queued++;
	c->st.sent++;
	if (p->loop && !loop_timer_armed(&p->kick))
		loop_timer_arm(p->loop, &p->kick, 0);
	return 0;
}

const struct ipc_stats *ipc_stats(const struct ipc_chan *c)
{
	return &c->st;
}
