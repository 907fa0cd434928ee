/*
 * nfqdelay.c: the lab's packet delayer for kernels without sch_netem (tc netem).
 *
 * iptables -j NFQUEUE hands every matched packet to this process; each one gets its NF_ACCEPT
 * verdict DELAY ms (+- JITTER ms) after it arrived, so the packet leaves the kernel that much later.
 * The lab starts it in the CMTS namespace for LAB_DELAY (tests/lab/lab.sh).
 *
 *   nfqdelay --queue N --delay-ms D [--jitter-ms J]
 *
 * Pending packets wait in a bounded FIFO ring of (packet id, due time).  The due times never go
 * backwards (jitter is clamped to the previous packet's due time), so the head is always the next
 * verdict: O(1) per packet, and packets leave in the order they came, as on a cable plant.  When
 * the ring is full the packet is accepted at once and counted (overflow): the delayer degrades
 * to no delay, never to loss.  The queue is bound with fail-open for the same reason.
 *
 * One ppoll() loop: the netlink socket, a timeout up to the head's due time, SIGTERM/SIGINT
 * (blocked outside ppoll, so no wake-up is lost).  On a signal every pending packet is accepted
 * at once, the counters are printed ("stop" line) and the process exits 0.
 *
 * Log (stderr): "<UTC ISO time> nfqdelay EVENT k=v ...", events start, error, stop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#define RING_SIZE 4096u          /* pending packets; 500 ms of a lab's traffic is far below */
#define MAX_DELAY_MS 60000ul     /* a minute: anything longer is a typo, not a plant */

struct pending {
	uint32_t id;             /* the kernel's packet id, the verdict's key */
	uint64_t due_ns;         /* CLOCK_MONOTONIC */
};

struct delayer {
	struct nfq_handle *h;
	struct nfq_q_handle *qh;
	struct pending ring[RING_SIZE];
	unsigned head, count;
	uint64_t delay_ns, jitter_ns, last_due_ns, rng;
	/* counters, printed on exit */
	unsigned long received, delayed, overflow, flushed, enobufs, verdict_errors, max_pending;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig) { stop_signal = sig; }

static void logf_(const char *event, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(const char *event, const char *fmt, ...)
{
	char ts[32];
	struct timespec now;
	struct tm tm;
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ nfqdelay %s ", ts, now.tv_nsec / 1000000, event);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint64_t rng_next(struct delayer *d)   /* xorshift64: jitter needs spread, not secrecy */
{
	d->rng ^= d->rng << 13;
	d->rng ^= d->rng >> 7;
	d->rng ^= d->rng << 17;
	return d->rng;
}

static uint64_t due_of(struct delayer *d, uint64_t arrived)
{
	uint64_t due = arrived + d->delay_ns;

	if (d->jitter_ns > 0) {
		uint64_t span = 2 * d->jitter_ns + 1;
		due = due - d->jitter_ns + rng_next(d) % span;   /* jitter <= delay: no underflow */
	}
	if (due < d->last_due_ns)
		due = d->last_due_ns;       /* FIFO: never overtake the packet before */
	d->last_due_ns = due;
	return due;
}

static void accept_id(struct delayer *d, uint32_t id)
{
	if (nfq_set_verdict(d->qh, id, NF_ACCEPT, 0, NULL) < 0)
		d->verdict_errors++;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *arg)
{
	struct delayer *d = arg;
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	uint32_t id;

	(void)qh; (void)msg;
	if (ph == NULL)
		return 0;                   /* no id: nothing we could give a verdict for */
	id = ntohl(ph->packet_id);
	d->received++;
	if (d->count == RING_SIZE) {
		d->overflow++;
		accept_id(d, id);
		return 0;
	}
	d->ring[(d->head + d->count) % RING_SIZE] = (struct pending){ .id = id, .due_ns = due_of(d, now_ns()) };
	d->count++;
	if (d->count > d->max_pending)
		d->max_pending = d->count;
	return 0;
}

static void release_due(struct delayer *d, uint64_t now)
{
	while (d->count > 0 && d->ring[d->head].due_ns <= now) {
		accept_id(d, d->ring[d->head].id);
		d->head = (d->head + 1) % RING_SIZE;
		d->count--;
		d->delayed++;
	}
}

static void flush_all(struct delayer *d)   /* on exit: late, but never lost */
{
	while (d->count > 0) {
		accept_id(d, d->ring[d->head].id);
		d->head = (d->head + 1) % RING_SIZE;
		d->count--;
		d->flushed++;
	}
}

static void read_queue(struct delayer *d, int fd)
{
	/* a verdict-only queue (copy mode meta) sends small messages; 64 KiB holds a batch */
	static char buf[65536] __attribute__((aligned));
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n > 0) {
			nfq_handle_packet(d->h, buf, (int)n);
			continue;
		}
		if (n < 0 && errno == ENOBUFS) {   /* the kernel dropped messages: fail-open accepted them */
			d->enobufs++;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			logf_("error", "recv errno=%d (%s)", errno, strerror(errno));
		return;
	}
}

static int parse_ul(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	if (s[0] < '0' || s[0] > '9')
		return -1;                  /* strtoul would take "-1" */
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: nfqdelay --queue N --delay-ms D [--jitter-ms J]\n"
		"  N 0..65535, D 0..%lu, J 0..D\n", MAX_DELAY_MS);
	exit(2);
}

static int open_queue(struct delayer *d, unsigned queue)
{
	d->h = nfq_open();
	if (d->h == NULL) {
		logf_("error", "nfq_open errno=%d (%s) (kernel without nfnetlink_queue?)", errno, strerror(errno));
		return -1;
	}
	d->qh = nfq_create_queue(d->h, (uint16_t)queue, on_packet, d);
	if (d->qh == NULL) {
		logf_("error", "bind queue=%u errno=%d (%s) (another listener on it?)", queue, errno, strerror(errno));
		return -1;
	}
	/* only the id is needed: no payload copied to user space */
	if (nfq_set_mode(d->qh, NFQNL_COPY_META, 0) < 0) {
		logf_("error", "copy-meta errno=%d (%s)", errno, strerror(errno));
		return -1;
	}
	/* a little above the ring, so our own overflow path (accept + count) is the one that acts */
	if (nfq_set_queue_maxlen(d->qh, RING_SIZE + 64) < 0)
		logf_("error", "queue-maxlen errno=%d (%s) (kept the default)", errno, strerror(errno));
	/* a burst must fit the socket, or the kernel lets it through undelayed (fail-open, ENOBUFS):
	 * room for the whole ring's messages (meta only, under 256 bytes each) */
	nfnl_rcvbufsiz(nfq_nfnlh(d->h), RING_SIZE * 256u);
	if (nfq_set_queue_flags(d->qh, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN) < 0)
		logf_("error", "fail-open errno=%d (%s) (a full kernel queue drops)", errno, strerror(errno));
	return 0;
}

static void close_queue(struct delayer *d)
{
	if (d->qh != NULL)
		nfq_destroy_queue(d->qh);
	if (d->h != NULL)
		nfq_close(d->h);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "queue", required_argument, NULL, 'q' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "jitter-ms", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct delayer d;        /* the ring is 64 KiB: not on the stack */
	unsigned long queue = ULONG_MAX, delay = ULONG_MAX, jitter = 0;
	struct sigaction sa;
	sigset_t block, orig;
	int c, fd, rc = 0;

	while ((c = getopt_long(argc, argv, "q:d:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'q': if (parse_ul(optarg, 65535, &queue) < 0) usage(); break;
		case 'd': if (parse_ul(optarg, MAX_DELAY_MS, &delay) < 0) usage(); break;
		case 'j': if (parse_ul(optarg, MAX_DELAY_MS, &jitter) < 0) usage(); break;
		default: usage();
		}
	}
	if (optind != argc || queue == ULONG_MAX || delay == ULONG_MAX || jitter > delay)
		usage();
	d.delay_ns = delay * 1000000u;
	d.jitter_ns = jitter * 1000000u;
	d.rng = now_ns() ^ ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15u;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &orig);

	if (open_queue(&d, (unsigned)queue) < 0) {
		close_queue(&d);
		return 1;
	}
	fd = nfq_fd(d.h);
	logf_("start", "queue=%lu delay-ms=%lu jitter-ms=%lu ring=%u", queue, delay, jitter, RING_SIZE);

	while (!stop_signal) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct timespec to, *top = NULL;
		uint64_t now = now_ns();

		release_due(&d, now);
		if (d.count > 0) {
			uint64_t wait = d.ring[d.head].due_ns - now;   /* > 0: release_due left it */
			to.tv_sec = (time_t)(wait / 1000000000u);
			to.tv_nsec = (long)(wait % 1000000000u);
			top = &to;
		}
		if (ppoll(&pfd, 1, top, &orig) < 0) {
			if (errno == EINTR)
				continue;
			logf_("error", "ppoll errno=%d (%s)", errno, strerror(errno));
			rc = 1;
			break;
		}
		if (pfd.revents & POLLIN)
			read_queue(&d, fd);
	}
	flush_all(&d);
	logf_("stop", "signal=%d received=%lu delayed=%lu overflow=%lu flushed=%lu enobufs=%lu "
		"verdict-errors=%lu max-pending=%lu", (int)stop_signal, d.received, d.delayed, d.overflow,
		d.flushed, d.enobufs, d.verdict_errors, d.max_pending);
	close_queue(&d);
	return rc;
}
