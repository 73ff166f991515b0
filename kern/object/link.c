#include "object/link.h"
#include "object/object.h"
#include <stddef.h>

void link_set(struct link *l, struct object *target)
{
	if (l->target) {
		*l->pprev = l->next;
		if (l->next)
			l->next->pprev = l->pprev;
	}
	l->target = target;
	l->next = NULL;
	l->pprev = NULL;
	if (target) {
		l->next = target->links;
		if (l->next)
			l->next->pprev = &l->next;
		l->pprev = &target->links;
		target->links = l;
	}
}

void link_cut_all(struct object *target)
{
	while (target->links)
		link_set(target->links, NULL);
}
