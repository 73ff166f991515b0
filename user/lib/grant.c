/* MemPool served from the program's own pages (<fluke/grant.h>): each grant a
 * region over pages of fluke_pages_get, belonging to the client whose port it
 * was granted through.
 * Invariant (under the monitor's lock): every region granted and not yet taken
 * back is one struct grant on the list grants, which grows from the program's
 * own memory (malloc) as needed: when none can be had the GET is refused with
 * FLUKE_NO_MEMORY, so no grant is ever forgotten.
 * Resends: a grant keeps the id of the GET that made it, so a GET sent again
 * (the same client, the same id) gets that grant's region; the last PUT_KEPT
 * PUTs that took a grant back are kept as (client, id), so one sent again gets
 * FLUKE_SUCCESS again. The request is the server's ctx (NULL: no id). */
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
	uint32_t request;		/* the GET's id; 0: none */
	struct grant *next;
};
static struct grant *grants;

#define PUT_KEPT	32
static struct {
	uint32_t client, request;	/* request 0: empty */
} puts_kept[PUT_KEPT];
static unsigned puts_next;		/* the entry the next PUT takes */

/* The id of the request ctx (a struct fluke_rpc *, or NULL): 0 for none. */
static uint32_t request_of(const void *ctx)
{
	return ctx ? ((const struct fluke_rpc *)ctx)->in.arg[FLUKE_RPC_REQUEST] : 0;
}

static int get(void *ctx, uint32_t alias, uint32_t bytes, fluke_ref_t *region_out)
{
	uint32_t request = request_of(ctx);
	if (bytes == 0 || bytes % FLUKE_PAGE_SIZE)
		return FLUKE_INVALID_ARGUMENT;
	for (struct grant *g = grants; request && g; g = g->next) {
		if (g->client == FLUKE_MON_CLIENT(alias) && g->request == request) {
			fluke_ref_copy(region_out, &g->ref);	/* sent again */
			return FLUKE_SUCCESS;
		}
	}
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
	g->request = request;
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
	uint32_t client = FLUKE_MON_CLIENT(alias), request = request_of(ctx);
	for (struct grant **gp = &grants; *gp; gp = &(*gp)->next) {
		if ((*gp)->client == client && fluke_ref_compare(&(*gp)->ref, region)) {
			take_back(gp);
			if (request) {
				puts_kept[puts_next].client = client;
				puts_kept[puts_next].request = request;
				puts_next = (puts_next + 1) % PUT_KEPT;
			}
			return FLUKE_SUCCESS;
		}
	}
	for (unsigned i = 0; request && i < PUT_KEPT; i++)
		if (puts_kept[i].request == request && puts_kept[i].client == client)
			return FLUKE_SUCCESS;		/* sent again */
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
	for (unsigned i = 0; i < PUT_KEPT; i++)
		if (puts_kept[i].client == client)
			puts_kept[i].request = 0;
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
