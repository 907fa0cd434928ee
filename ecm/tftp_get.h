/*
 * tftp_get.h: a TFTP read (RFC 1350, 2347, 2348, 2349) into a bounded
 * buffer, on the event loop.  Library-free, so the eCM builds on every
 * board.
 *
 * The server answers from a new port (its transfer id); the client locks to
 * it and refuses packets from any other port with ERROR 5 (RFC 1350 4).
 * The last packet sent is retransmitted on tftp_retx; a duplicate DATA is
 * re-ACKed, never appended twice.  A file larger than the buffer is
 * refused (ERROR 3) when tsize announces it or the moment it grows past.
 */
#ifndef ECM_TFTP_GET_H
#define ECM_TFTP_GET_H

#include <stddef.h>
#include <stdint.h>

#include "platform/loop.h"
#include "platform/net.h"
#include "platform/retx.h"

struct tftp_get;
/* rc: 0 (buf[0..len) holds the file), or E_NOTFOUND (server said so),
 * E_OVERFLOW (too large), E_TIMEOUT, E_PROTO, E_IO. */
typedef void tftp_done_fn(void *arg, struct tftp_get *g, int rc);

extern const struct retx_param tftp_retx;

/* The largest block this client asks for: 1448 (IPv4) and 1428 (IPv6) are
 * the sizes PacketCable names (spec 6.3.3, eUE-22); a modem keeps its
 * receive buffer to that. */
#define TFTP_GET_BLKSIZE_MAX 1468

struct tftp_get {
	struct loop *loop;
	int fd;
	struct net_addr server;     /* port 69, then the server's transfer id */
	int locked;
	unsigned blksize;           /* negotiated (512 without OACK) */
	unsigned want_blksize;
	uint16_t next_block;        /* the DATA block expected next */
	uint8_t *buf;
	size_t cap, len;
	uint8_t last[600];          /* the last packet we sent, for retransmission */
	size_t last_len;
	struct retx rt;
	struct loop_timer timer;
	tftp_done_fn *done;
	void *arg;
	unsigned dup_blocks, foreign;
};

/*
 * Read file from server (port 69 is used when server->port is 0) on
 * interface ifname into buf[0..cap).  blksize: what to ask for (0: none).
 */
int tftp_get_start(struct tftp_get *g, struct loop *l, const char *ifname,
		   const struct net_addr *server, const char *file, unsigned blksize,
		   uint8_t *buf, size_t cap, tftp_done_fn *done, void *arg);
void tftp_get_stop(struct tftp_get *g);
void tftp_get_input(struct tftp_get *g, const struct net_addr *from, const uint8_t *pkt, size_t len);

#endif
