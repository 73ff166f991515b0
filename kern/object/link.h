/*
 * Links: one object's pointer to another (a reference's target, a port's port set).
 * Each target keeps the list of links pointing to it, so destroying it can make
 * them all null. Invariant: l is on l->target->links iff l->target != NULL.
 */
#ifndef KERN_OBJECT_LINK_H
#define KERN_OBJECT_LINK_H

struct object;

struct link {
	struct object *target;	/* NULL: a null link */
	struct link *next;	/* the target's list */
	struct link **pprev;	/* what points to this link in that list */
};

/* Point l at target (NULL: make it null). */
void link_set(struct link *l, struct object *target);
/* Make every link to target null. */
void link_cut_all(struct object *target);

#endif
