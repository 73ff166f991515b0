/*
 * MemPool served from the program's own pages (user/lib/grant.c), for a monitor
 * whose children's memory must all be memory it holds: the root (its pages are
 * the machine's free memory), and monitors that must see or keep everything
 * their child has (the debugger finds the child's threads in it). Each GET is a
 * region over fresh pages of fluke_pages_get; it belongs to the client whose
 * port it came through (<fluke/monitor.h>, "Clients"), and PUT and STAT reach
 * only the asker's own. Call with the monitor's lock held. Pass the request
 * (the struct fluke_rpc *) as fluke_mempool_dispatch's ctx: a GET or PUT sent
 * again, with the same id through the same client's port, gets the first's
 * answer (the first GET's region, the first PUT's FLUKE_SUCCESS), not a second
 * region or FLUKE_NOT_FOUND.
 */
#ifndef FLUKE_GRANT_H
#define FLUKE_GRANT_H

#include <fluke/mempool.h>
#include <fluke/space.h>

extern const struct fluke_mempool_server fluke_grant_server;
/* Client has ended: take back every region granted through its ports, destroying
 * every object in them, and give the pages back. */
void fluke_grant_reclaim(uint32_t client);
/* Call fn on each of client's grants (its pages at this program's addresses, and
 * the region over them that the client got) until fn answers nonzero; that
 * answer, or 0. */
int fluke_grant_each(uint32_t client,
		     int (*fn)(void *arg, char *mem, uint32_t size, const fluke_region_t *region),
		     void *arg);

#endif
