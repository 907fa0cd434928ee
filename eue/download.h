/*
 * download.h: fetch the eUE configuration file (eUE-22/23, MTA22/23) over
 * tftp:// or http:// with libcurl's multi interface on our loop.  The only
 * file that includes <curl/curl.h> is download.c; nothing here names a
 * curl type.
 *
 * What the transfer does (and why):
 *  - TFTP asks for blksize 1448 over IPv4 (spec 6.3.3 "MUST request a
 *    blocksize of 1448 when using TFTP over IPv4") and 1428 over IPv6
 *    (eUE-22).  A server that leaves blksize out of its OACK, or sends no
 *    OACK at all, gets RFC 2348's 512-byte blocks (curl does this; the
 *    tests prove it against tftpd-hpa --refuse blksize).
 *  - Names are never resolved here: an FQDN host needs the address the
 *    eUE found itself (eUE-20/21, dns.c), handed to curl as a
 *    CURLOPT_RESOLVE entry, so curl never asks the system resolver.
 *  - The body is bounded (max_size); the transfer is aborted the moment it
 *    would exceed it, whether or not the server announced a size.
 *  - No redirects (a 3xx is a failure), and any HTTP status but 200 is a
 *    failure: the spec names one file at one place (eUE-19).
 *  - Nothing blocks: curl's sockets and timer are loop watches and a loop
 *    timer; done() runs from the loop, never from inside dl_start().
 *
 * Several TFTP servers (Basic flow over IPv6, CL option 32): dl_start()
 * with n > 1 URLs tries each server in order and, when every one failed,
 * retries the whole list after a back-off, DL_ROUNDS passes in all.  The
 * spec defers to DOCSIS MULPI "Transfer Operational Parameters" (eUE-22),
 * which is not public here; this schedule is our interpretation (README
 * "Interpretations"): back-off 1 s doubling to 16 s with +-10 % jitter,
 * three passes.
 */
#ifndef EUE_DOWNLOAD_H
#define EUE_DOWNLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "eue/cfgurl.h"
#include "platform/loop.h"
#include "platform/net.h"

#define DL_MAX_SIZE_DEFAULT (1024u * 1024u)  /* a config file is KBs; 1 MB is generous */
#define DL_TIMEOUT_DEFAULT_MS 30000u          /* one attempt at one server */
#define DL_BLKSIZE_V4 1448u                   /* spec 6.3.3 */
#define DL_BLKSIZE_V6 1428u                   /* spec eUE-22 */
#define DL_URLS_MAX 8                         /* = CL_ADDR_MAX: option 32's list */
#define DL_ROUNDS 3u                          /* passes over the server list */
#define DL_BACKOFF_START_MS 1000u
#define DL_BACKOFF_MAX_MS 16000u

struct dl_req {
	/* The server's address for each URL (n entries), required where the
	 * URL's host is an FQDN (the answer of eUE-20/21), ignored for literal
	 * hosts (may be NULL when every host is a literal). */
	const struct net_addr *servers;
	/* Bind the transfer to this interface (SO_BINDTODEVICE through
	 * CURLOPT_INTERFACE "if!name"), or NULL.  curl 7.88 binds either an
	 * interface or an address; the interface wins when both are given. */
	const char *ifname;
	const struct net_addr *local;    /* source address ("host!addr"), or NULL */
	size_t max_size;                 /* 0: DL_MAX_SIZE_DEFAULT */
	uint32_t timeout_ms;             /* per attempt; 0: DL_TIMEOUT_DEFAULT_MS */
	/* The list schedule; 0 means the default above (tests shorten it). */
	unsigned rounds;
	uint32_t backoff_start_ms, backoff_max_ms;
};

/*
 * The outcome, exactly once per dl_start() (unless dl_stop() came first):
 * rc 0 with the file (data valid until dl_stop()), or a negative E_* with
 * data NULL and why a sentence for the log and the trace:
 *   E_TIMEOUT   no answer / too slow ("timeout after 2000 ms: ...")
 *   E_NOTFOUND  TFTP error 1 or HTTP 404
 *   E_PROTO     another TFTP error ("tftp error 2 (access violation): ..."),
 *               another HTTP status ("http status 302"), a broken exchange
 *   E_OVERFLOW  the file is larger than max_size
 *   E_IO        connect/bind/send failures ("cannot bind to interface ...")
 *   E_NOMEM     out of memory
 * For a list, rc and why are the last attempt's, why prefixed with the
 * number of attempts.  why is valid during the call only.
 */
typedef void dl_done_fn(void *arg, int rc, const uint8_t *data, size_t len, const char *why);

struct dl;

/* Start fetching urls[0..n) (1 <= n <= DL_URLS_MAX; copied).  Returns the
 * handle, or NULL with *err set (E_INVAL: bad arguments, e.g. an FQDN
 * without an address; E_NOMEM).  err may be NULL. */
struct dl *dl_start(struct loop *l, const struct cfgurl *urls, unsigned n,
		    const struct dl_req *req, dl_done_fn *done, void *arg, int *err);

/* Stop and free everything (sockets, timers, buffer).  Call once per
 * handle, also after done() ran; may be called from inside done(), in
 * which case the data pointer stays valid until done() returns. */
void dl_stop(struct dl *d);

/* What the last TFTP attempt used: the block size from the server's OACK,
 * 512 when the server did not acknowledge blksize; 0 for HTTP or before a
 * transfer.  The URL index of the last attempt, and attempts so far. */
unsigned dl_blksize(const struct dl *d);
unsigned dl_url_index(const struct dl *d);
unsigned dl_attempts(const struct dl *d);

#endif
