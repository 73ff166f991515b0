/* The root's MemPool: pages of its free memory, each grant a region over them.
 * A GET or PUT sent again is answered from answer.c, so never done twice. */
#include "root.h"
#include <fluke/pages.h>
#include <fluke/monitor.h>
#include <fluke/start.h>
#include <fluke/space.h>
#include <fluke/ref.h>
#include <fluke/abi/error.h>

#define GRANTS	128

/* Grant i is in use when size != 0; its region covers [mem, mem + size), and
 * client asked for it through a port of child slot. */
static struct grant {
	fluke_region_t region;
	fluke_ref_t ref;
	char *mem;
	uint32_t size, slot, client;
} grants[GRANTS];

static int get(void *ctx, uint32_t alias, uint32_t client, uint32_t bytes,
	       fluke_ref_t *region_out)
{
	(void)ctx;
	struct grant *g = grants;
	while (g < grants + GRANTS && g->size)
		g++;
	if (bytes == 0 || bytes % FLUKE_PAGE_SIZE || g == grants + GRANTS)
		return bytes % FLUKE_PAGE_SIZE ? FLUKE_INVALID_ARGUMENT : FLUKE_NO_MEMORY;
	g->mem = fluke_pages_get(bytes / FLUKE_PAGE_SIZE);
	if (!g->mem)
		return FLUKE_NO_MEMORY;
	g->size = bytes;
	g->slot = FLUKE_MON_SLOT(alias);
	g->client = client;
	fluke_region_state_t rs = { 0, (uint32_t)g->mem, bytes, FLUKE_PROT_ALL };
	fluke_region_create(&g->region);
	fluke_region_set_state(&g->region, &rs, fluke_self_space(), 0);
	fluke_ref_create(&g->ref);
	fluke_region_reference(&g->region, &g->ref);
	fluke_ref_copy(region_out, &g->ref);
	return FLUKE_SUCCESS;
}

/* Revoke the grant, destroy what lives in it, free its pages. */
static void take_back(struct grant *g)
{
	fluke_region_destroy(&g->region);
	fluke_ref_destroy(&g->ref);
	fluke_pages_scrub(g->mem, g->size);
	fluke_pages_put(g->mem, g->size / FLUKE_PAGE_SIZE);
	g->size = 0;
}

static int put(void *ctx, uint32_t alias, const fluke_ref_t *region)
{
	(void)ctx;
	for (struct grant *g = grants; g < grants + GRANTS; g++) {
		if (g->size && g->slot == FLUKE_MON_SLOT(alias) && fluke_ref_compare(&g->ref, region)) {
			take_back(g);
			return FLUKE_SUCCESS;
		}
	}
	return FLUKE_NOT_FOUND;
}

static int release(void *ctx, uint32_t alias, uint32_t client)
{
	(void)ctx;
	for (struct grant *g = grants; g < grants + GRANTS; g++)
		if (g->size && g->slot == FLUKE_MON_SLOT(alias) && g->client == client)
			take_back(g);
	return FLUKE_SUCCESS;
}

static int stat(void *ctx, uint32_t alias, uint32_t client, uint32_t *granted, uint32_t *free)
{
	(void)ctx;
	*granted = 0;
	for (struct grant *g = grants; g < grants + GRANTS; g++)
		if (g->size && g->slot == FLUKE_MON_SLOT(alias) && g->client == client)
			*granted += g->size;
	*free = fluke_pages_free() * FLUKE_PAGE_SIZE;
	return FLUKE_SUCCESS;
}

void mempool_reclaim(uint32_t slot)
{
	for (struct grant *g = grants; g < grants + GRANTS; g++)
		if (g->size && g->slot == slot)
			take_back(g);
}

const struct fluke_mempool_server mempool_server = {
	.get = get, .put = put, .release = release, .stat = stat,
};
