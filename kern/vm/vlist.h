/*
 * Intrusive doubly linked lists for the memory graph: a space's mappings, the
 * regions over a space, the mappings importing a region. Invariant: e is on the
 * list *head iff e->pprev != NULL, and then *e->pprev == e.
 */
#ifndef KERN_VM_VLIST_H
#define KERN_VM_VLIST_H

#include <stddef.h>

struct vlist {
	struct vlist *next;
	struct vlist **pprev;	/* what points to this entry; NULL: on no list */
};

#define VLIST_ENTRY(e, type, member) ((type *)((char *)(e) - offsetof(type, member)))

static inline void vlist_insert(struct vlist **head, struct vlist *e)
{
	e->next = *head;
	if (e->next)
		e->next->pprev = &e->next;
	e->pprev = head;
	*head = e;
}

static inline void vlist_remove(struct vlist *e)
{
	if (!e->pprev)
		return;
	*e->pprev = e->next;
	if (e->next)
		e->next->pprev = e->pprev;
	e->next = NULL;
	e->pprev = NULL;
}

#endif
