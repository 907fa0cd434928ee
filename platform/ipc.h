/*
 * ipc.h: the channel between ecmd and eued, delivering whole records.
 *
 * Two transports behind one API: a Unix-domain SOCK_SEQPACKET socket (the
 * image: two processes) and an in-memory pair (unit tests, fleet mode: many
 * devices in one process).  Records are opaque bytes here; their catalogue
 * is tlv/ipc_msg.h.  A record is delivered whole or not at all; records
 * longer than IPC_RECORD_MAX are refused on send and dropped (counted) on
 * receive, since SEQPACKET would silently truncate them.
 */
#ifndef PLATFORM_IPC_H
#define PLATFORM_IPC_H

#include <stddef.h>
#include <stdint.h>

#define IPC_RECORD_MAX 4096

struct loop;
struct ipc_chan;

/* Called once per received record; len <= IPC_RECORD_MAX.  A closed peer
 * calls it once with rec == NULL. */
typedef void ipc_record_fn(void *arg, const uint8_t *rec, size_t len);

struct ipc_stats {
	uint64_t sent, received, dropped;
};

/* Server side: listen on path (replacing a stale socket file). */
int ipc_listen(const char *path, int *listen_fd);
/* Accept one peer on listen_fd (blocking until it connects). */
int ipc_accept(int listen_fd, struct ipc_chan **out);
int ipc_connect(const char *path, struct ipc_chan **out);
/* A connected pair: SEQPACKET socketpair (mem == 0) or in-memory (mem == 1). */
int ipc_pair(struct ipc_chan **a, struct ipc_chan **b, int mem);
void ipc_close(struct ipc_chan *c);

/* Deliver incoming records to fn from loop l (for in-memory: from a zero
 * timer on l, never re-entrantly from inside ipc_send). */
int ipc_attach(struct ipc_chan *c, struct loop *l, ipc_record_fn *fn, void *arg);
int ipc_send(struct ipc_chan *c, const void *rec, size_t len);
const struct ipc_stats *ipc_stats(const struct ipc_chan *c);

#endif
