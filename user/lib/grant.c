/* MemPool served from the program's own pages (<fluke/grant.h>): each grant a
 * region over pages of fluke_pages_get, belonging to the client whose port it
 * was granted through.
 * Invariant (under the monitor's lock): every region granted and not yet taken
 * back is one struct grant on the list grants, which grows from the program's
 * own memory (malloc) as needed: when none can be had the GET is refused with
 * FLUKE_NO_MEMORY, so no grant is ever forgotten. */
#include <fluke/grant.h>
#include <fluke/pages.h>
#include <fluke/monitor.h>
#include <fluke/start.h>
#include <fluke/space.h>
#include <fluke/ref.h>
#include <fluke/abi/error.h>
#include <stdlib.h>

/* A region over [mem, mem + size), granted through a port of client. */
struct grant {
	fluke_region_t region;
	fluke_ref_t ref;
	char *mem;
	uint32_t size, client;
	struct grant *next;
};
static struct grant *grants;

static int get(void *ctx, uint32_t alias, uint32_t bytes, fluke_ref_t *region_out)
{
	(void)ctx;
	if (bytes == 0 || bytes % FLUKE_PAGE_SIZE)
		return FLUKE_INVALID_ARGUMENT;
	struct grant *g = malloc(sizeof(*g));
	if (!g)
		return FLUKE_NO_MEMORY;
	g->mem = fluke_pages_get(bytes / FLUKE_PAGE_SIZE);
	if (!g->mem) {
		free(g);
		return FLUKE_NO_MEMORY;
	}
	g->size = bytes;
	g->client = FLUKE_MON_CLIENT(alias);
	fluke_region_state_t rs = { 0, (uint32_t)g->mem, bytes, FLUKE_PROT_ALL };
	fluke_region_create(&g->region);
	fluke_region_set_state(&g->region, &rs, fluke_self_space(), 0);
	fluke_ref_create(&g->ref);
	fluke_region_reference(&g->region, &g->ref);
	fluke_ref_copy(region_out, &g->ref);
	g->next = grants;
	grants = g;
	return FLUKE_SUCCESS;
}

/* Unlink the grant at *gp, revoke it, destroy what lives in it, free its pages. */
static void take_back(struct grant **gp)
{
	struct grant *g = *gp;
	*gp = g->next;
	fluke_region_destroy(&g->region);
	fluke_ref_destroy(&g->ref);
	fluke_pages_scrub(g->mem, g->size);
	fluke_pages_put(g->mem, g->size / FLUKE_PAGE_SIZE);
	free(g);
}

static int put(void *ctx, uint32_t alias, const fluke_ref_t *region)
{
	(void)ctx;
	for (struct grant **gp = &grants; *gp; gp = &(*gp)->next) {
		if ((*gp)->client == FLUKE_MON_CLIENT(alias) && fluke_ref_compare(&(*gp)->ref, region)) {
			take_back(gp);
			return FLUKE_SUCCESS;
		}
	}
	return FLUKE_NOT_FOUND;
}

static int stat(void *ctx, uint32_t alias, uint32_t *granted, uint32_t *free)
{
	(void)ctx;
	*granted = 0;
	for (struct grant *g = grants; g; g = g->next)
		if (g->client == FLUKE_MON_CLIENT(alias))
			*granted += g->size;
	*free = fluke_pages_free() * FLUKE_PAGE_SIZE;
	return FLUKE_SUCCESS;
}

void fluke_grant_reclaim(uint32_t client)
{
	for (struct grant **gp = &grants; *gp;) {
		if ((*gp)->client == client)
			take_back(gp);
		else
			gp = &(*gp)->next;
	}
}

int fluke_grant_each(uint32_t client,
		     int (*fn)(void *arg, char *mem, uint32_t size, const fluke_region_t *region),
		     void *arg)
{
	for (struct grant *g = grants; g; g = g->next) {
		int rc = g->client == client ? fn(arg, g->mem, g->size, &g->region) : 0;
		if (rc)
			return rc;
	}
	return 0;
}

const struct fluke_mempool_server fluke_grant_server = {
	.get = get, .put = put, .stat = stat,
};
