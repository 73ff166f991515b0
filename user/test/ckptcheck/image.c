/*
 * The checkpointer. A child's whole state is its space plus one region: the
 * region's memory and the kernel objects living in it, which fluke_region_search
 * lists. Extracting stops every thread first (fluke_thread_get_state keeps it
 * stopped), so nothing in the child changes while its objects are read. Links
 * travel in references; a link is saved as the index of the object it points to,
 * found by comparing it (fluke_ref_hash, then fluke_ref_compare) with a reference
 * to each object of the region. Restoring recreates each object at its offset
 * with its hash, then sets every state with links pointing at the recreated
 * objects, threads last. A blocked thread needs nothing more: its registers are a
 * call that continues what it was doing (handouts/api.md, sections 3 and 8.4).
 */
#include <string.h>
#include <fluke/ref.h>
#include <fluke/extract.h>
#include "ckpt.h"

/* target[i] points at object i of the image being extracted or restored (null
 * for a reference: references cannot be referenced, so no link names one). */
static fluke_ref_t target[IMAGE_OBJECTS];
static fluke_ref_t scratch[FLUKE_THREAD_LINKS];	/* the links of one get_state */
static fluke_ref_t null_ref;			/* never points anywhere */

#define LINK_OUTSIDE	(-3)	/* resolve(): a link to an object outside the child */

int image_init(void)
{
	for (int i = 0; i < IMAGE_OBJECTS; i++)
		if (fluke_ref_create(&target[i]))
			return -1;
	for (int i = 0; i < FLUKE_THREAD_LINKS; i++)
		if (fluke_ref_create(&scratch[i]))
			return -1;
	return fluke_ref_create(&null_ref);
}

/* The types a child's region may hold: what its programs create. */
static int supported(uint32_t type)
{
	return type == FLUKE_TYPE_THREAD || type == FLUKE_TYPE_MUTEX || type == FLUKE_TYPE_COND ||
	       type == FLUKE_TYPE_PORT || type == FLUKE_TYPE_PSET || type == FLUKE_TYPE_REF;
}

/* What the reference link points to: an object of the image (index < n), the
 * child's space, nothing, or something outside the child. */
static int resolve(const fluke_ref_t *link, uint32_t n, const fluke_ref_t *space_ref)
{
	if (fluke_ref_type(link) == FLUKE_TYPE_NONE)
		return LINK_NONE;
	if (fluke_ref_compare(link, space_ref))
		return LINK_SPACE;
	uint32_t hash = fluke_ref_hash(link);
	for (uint32_t i = 0; i < n; i++)
		if (fluke_ref_hash(&target[i]) == hash && fluke_ref_compare(link, &target[i]))
			return (int)i;
	return LINK_OUTSIDE;
}

const char *image_extract(struct image *im, const fluke_region_t *r, const fluke_ref_t *space_ref)
{
	fluke_region_state_t rs;
	fluke_search_entry_t found[IMAGE_OBJECTS], again[IMAGE_OBJECTS];
	uint32_t n, m;
	const char *why;
	fluke_region_get_state(r, &rs, NULL, NULL);
	if ((why = fluke_extract_search(r, rs.size, found, IMAGE_OBJECTS, &n)) != NULL)
		return why;
	/* Stop every thread. Only the child's threads change its objects, so once they
	 * are stopped a second search must find exactly what the first did. */
	for (uint32_t i = 0; i < n; i++)
		if (found[i].type == FLUKE_TYPE_THREAD)
			fluke_object_get_state((void *)found[i].va, NULL, NULL);
	if ((why = fluke_extract_search(r, rs.size, again, IMAGE_OBJECTS, &m)) != NULL)
		return why;
	if (m != n || memcmp(found, again, n * sizeof(found[0])) != 0)
		return "the child's objects changed while its threads were being stopped";

	for (uint32_t i = 0; i < n; i++) {
		if (!supported(found[i].type))
			return "an object of a type the checkpointer does not restore";
		if (found[i].type == FLUKE_TYPE_REF)
			fluke_ref_clear(&target[i]);
		else
			fluke_object_reference((void *)found[i].va, &target[i]);
	}
	for (uint32_t i = 0; i < n; i++) {
		struct saved_object *o = &im->object[i];
		void *links[FLUKE_THREAD_LINKS];
		for (int k = 0; k < FLUKE_THREAD_LINKS; k++)
			links[k] = &scratch[k];
		o->off = found[i].va - rs.start_va;
		o->type = found[i].type;
		memset(&o->state, 0, sizeof(o->state));
		fluke_object_get_state((void *)found[i].va, &o->state, links);
		for (int k = 0; k < FLUKE_THREAD_LINKS; k++) {
			o->link[k] = k < fluke_extract_links(o->type)
					     ? resolve(&scratch[k], n, space_ref) : LINK_NONE;
			if (o->link[k] == LINK_OUTSIDE)
				return "a link points outside the child";
		}
	}
	im->nobjects = n;
	im->size = rs.size;
	memcpy(im->memory, (void *)rs.start_va, rs.size);
	return NULL;
}

const char *image_clear(const fluke_region_t *r)
{
	fluke_region_state_t rs;
	fluke_search_entry_t found[IMAGE_OBJECTS];
	uint32_t n;
	const char *why;
	fluke_region_get_state(r, &rs, NULL, NULL);
	if ((why = fluke_extract_search(r, rs.size, found, IMAGE_OBJECTS, &n)) != NULL)
		return why;
	for (int threads = 1; threads >= 0; threads--)
		for (uint32_t i = 0; i < n; i++)
			if ((found[i].type == FLUKE_TYPE_THREAD) == threads)
				fluke_object_destroy((void *)found[i].va);
	if ((why = fluke_extract_search(r, rs.size, found, IMAGE_OBJECTS, &n)) != NULL)
		return why;
	return n == 0 ? NULL : "objects survived their destruction";
}

/* The reference a saved link is set from. */
static const fluke_ref_t *link_ref(int link, const fluke_ref_t *space_ref)
{
	if (link == LINK_NONE)
		return &null_ref;
	return link == LINK_SPACE ? space_ref : &target[link];
}

const char *image_restore(const struct image *im, const fluke_region_t *r,
			  const fluke_ref_t *space_ref)
{
	fluke_region_state_t rs;
	fluke_region_get_state(r, &rs, NULL, NULL);
	if (rs.size != im->size)
		return "the new region's size differs";
	memcpy((void *)rs.start_va, im->memory, im->size);
	/* Every object, with its hash (a reference has none), before any link to it. */
	for (uint32_t i = 0; i < im->nobjects; i++) {
		const struct saved_object *o = &im->object[i];
		void *va = (void *)(rs.start_va + o->off);
		int is_ref = o->type == FLUKE_TYPE_REF;
		if (fluke_object_create(o->type, va, o->state.hash, !is_ref) != FLUKE_SUCCESS)
			return "no memory for an object";
		if (is_ref)
			fluke_ref_clear(&target[i]);
		else
			fluke_object_reference(va, &target[i]);
	}
	/* States and links; threads last, still stopped (their saved flags say so). */
	for (int threads = 0; threads <= 1; threads++)
		for (uint32_t i = 0; i < im->nobjects; i++) {
			const struct saved_object *o = &im->object[i];
			if ((o->type == FLUKE_TYPE_THREAD) != threads)
				continue;
			void *links[FLUKE_THREAD_LINKS] = { 0 };
			for (int k = 0; k < FLUKE_THREAD_LINKS; k++)
				if (fluke_extract_settable(o->type, k))
					links[k] = (void *)link_ref(o->link[k], space_ref);
			fluke_object_set_state((void *)(rs.start_va + o->off),
					       o->type == FLUKE_TYPE_REF ? NULL : &o->state, links);
		}
	return NULL;
}

void image_resume(const struct image *im, const fluke_region_t *r)
{
	fluke_region_state_t rs;
	fluke_region_get_state(r, &rs, NULL, NULL);
	for (uint32_t i = 0; i < im->nobjects; i++) {
		fluke_thread_state_t st;
		fluke_thread_t *t = (fluke_thread_t *)(rs.start_va + im->object[i].off);
		if (im->object[i].type != FLUKE_TYPE_THREAD)
			continue;
		fluke_thread_get_state(t, &st, NULL, NULL, NULL, NULL, NULL);
		st.flags &= ~FLUKE_THREAD_STOPPED;
		fluke_thread_set_state(t, &st, NULL, NULL);
	}
}

const char *image_compare(const struct image *a, const struct image *b)
{
	if (a->size != b->size || memcmp(a->memory, b->memory, a->size) != 0)
		return "memory differs";
	if (a->nobjects != b->nobjects)
		return "the number of objects differs";
	for (uint32_t i = 0; i < a->nobjects; i++) {
		const struct saved_object *x = &a->object[i], *y = &b->object[i];
		if (x->off != y->off || x->type != y->type)
			return "an object's address or type differs";
		if (memcmp(&x->state, &y->state, sizeof(x->state)) != 0)
			return "an object's state (or hash) differs";
		for (int k = 0; k < FLUKE_THREAD_LINKS; k++)
			if (fluke_extract_settable(x->type, k) && x->link[k] != y->link[k])
				return "an object's link differs";
	}
	return NULL;
}

int image_find(const struct image *im, uint32_t off)
{
	for (uint32_t i = 0; i < im->nobjects; i++)
		if (im->object[i].off == off)
			return (int)i;
	return -1;
}
