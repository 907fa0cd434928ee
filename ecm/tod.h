/*
 * tod.h: time of day from RFC 868 servers (spec 6.2.1.1, 6.3.2.3; DOCSIS
 * CM5..CM10), over UDP port 37.
 *
 * The servers come from DHCPv4 option 4 or DHCPv6 CL option 37, the offset
 * from option 2 / CL option 38.  A request is an empty datagram; the answer
 * is 4 bytes, seconds since 1900-01-01 UTC, which wraps on 2036-02-07.  The
 * client tries each server in turn over UDP on the retransmission schedule
 * of tod_retx; when none answers, it tries each once over TCP (RFC 868: the
 * server sends the 4 bytes on connection and closes), TOD_TCP_MS each.  It
 * reports once: the time, or that none answered (the eCM then goes on
 * without ToD, as 6.3.2.3 allows, and keeps trying slowly).
 */
#ifndef ECM_TOD_H
#define ECM_TOD_H

#include <stddef.h>
#include <stdint.h>

#include "platform/loop.h"
#include "platform/net.h"
#include "platform/retx.h"

#define TOD_PORT 37
#define TOD_SERVERS_MAX 4
#define TOD_TCP_MS 3000
/* Seconds between 1900-01-01 and 1970-01-01 (RFC 868). */
#define TOD_1900_TO_1970 2208988800u

/*
 * Decode a 4-byte RFC 868 answer to Unix seconds.  Values that would fall
 * before TOD_PIVOT_UNIX are taken as after the 2036 wrap (era 1), so the
 * decoder is right from 2020 until 2156.
 */
#define TOD_PIVOT_UNIX 1577836800LL   /* 2020-01-01 */
int tod_decode(const uint8_t *buf, size_t len, int64_t *unix_s);
/* The inverse, for the tests and the lab. */
void tod_encode(int64_t unix_s, uint8_t out[4]);

typedef void tod_done_fn(void *arg, int ok, int64_t unix_ms, const struct net_addr *server);

extern const struct retx_param tod_retx;

struct tod_client {
	struct loop *loop;
	struct net_addr servers[TOD_SERVERS_MAX];
	unsigned n_servers, cur;
	const char *ifname;
	int fd;
	struct retx rt;
	struct loop_timer timer;
	tod_done_fn *done;
	void *arg;
	uint64_t sent_ms;
	unsigned tries;
	int tcp;                /* the TCP phase: fd is a connection to servers[cur] */
	uint8_t tcp_buf[4];
	size_t tcp_len;
	unsigned bad_answers;   /* wrong length, or from a host we did not ask */
};

/* Start asking servers[0..n) on ifname; done is called exactly once. */
int tod_start(struct tod_client *c, struct loop *l, const char *ifname,
	      const struct net_addr *servers, unsigned n, tod_done_fn *done, void *arg);
void tod_stop(struct tod_client *c);
/* The socket's fd has data (the loop calls this; tests call it directly). */
void tod_on_readable(void *arg, int fd, unsigned events);
/* The TCP connection's fd is ready (LOOP_OUT: connected; LOOP_IN: data). */
void tod_on_tcp(void *arg, int fd, unsigned events);

#endif
